"""Follow-ups ("suites envisagées"): the next steps the administration announces with its
synthesis, tracked in public over time.

Each follow-up has a title, a description, an expected date, a status (announced, in progress,
done, abandoned) and a link, and may be tied to articles of the consulted text and to
contributions (those answered "retained" are suggested). Every creation and change is kept in
its public history (`FollowUpEvent`: which fields, from what to what, and an optional note).
Once a version of the synthesis is public its follow-ups are promises: they are never deleted
(only marked abandoned), and the people concerned — participants who follow the consultation
and authors of the linked contributions — are told by e-mail when one is added or changes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.consultations import queries as consultation_queries
from consultation.consultations.models import Consultation
from consultation.core import clock, journal
from consultation.core.db import get_existing
from consultation.core.errors import InvalidState, NotFound, ValidationFailed
from consultation.core.i18n import N_, _l, lazy, number
from consultation.core.jobs import enqueue_after_commit
from consultation.core.mail import compose_mail, deliver_all
from consultation.core.urls import WEB_ADDRESS_MESSAGE, external_url, is_web_address
from consultation.extensions import db
from consultation.participation.models import Contribution
from consultation.synthesis.limits import (
    FOLLOW_UP_DESCRIPTION_MAX,
    FOLLOW_UP_NOTE_MAX,
    FOLLOW_UP_TITLE_MAX,
    URL_MAX,
)
from consultation.synthesis.models import (
    FOLLOW_UP_LABELS,
    Answer,
    AnswerStatus,
    FollowUp,
    FollowUpEvent,
    FollowUpStatus,
    Subscription,
    SynthesisVersion,
)
from consultation.synthesis.rules import check_staff, normalise_text
from consultation.texts.models import Article

logger = logging.getLogger(__name__)

HISTORY_VALUE_LENGTH = 300  # a long description shows in the history and e-mails cut short
RETAINED = (AnswerStatus.retained, AnswerStatus.partially_retained)
# The fields kept in the history, with their French names (for the page and the e-mails).
FIELD_LABELS = {
    "title": N_("Titre"),
    "description": N_("Description"),
    "due_date": N_("Échéance"),
    "status": N_("Statut"),
    "url": N_("Lien"),
    "articles": N_("Articles"),
    "contributions": N_("Contributions"),
}


def parse_due_date(value: object) -> date | None:
    """An expected date typed in French (JJ/MM/AAAA) or ISO (AAAA-MM-JJ); None when empty.
    Raises ValidationFailed on `due_date` for another shape or a date that does not exist."""
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and not value.strip():
        return None
    try:
        parsed = clock.parse_day(value)
    except ValueError as error:
        raise ValidationFailed(fields={"due_date": str(error)}) from None
    if not 2000 <= parsed.year <= 2200:
        raise ValidationFailed(fields={"due_date": _("Année attendue entre 2000 et 2200.")})
    return parsed


def parse_status(value: object) -> FollowUpStatus:
    try:
        return FollowUpStatus(value.value if isinstance(value, FollowUpStatus) else value)
    except ValueError:
        raise ValidationFailed(
            fields={"status": _("Statut inconnu : announced, in_progress, done ou abandoned.")}
        ) from None


def list_follow_ups(consultation: Consultation) -> list[FollowUp]:
    """The consultation's follow-ups in their order, with links and history loaded."""
    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.consultation_id == consultation.id)
            .order_by(FollowUp.position, FollowUp.id)
            .options(
                selectinload(FollowUp.articles),
                selectinload(FollowUp.contributions),
                selectinload(FollowUp.events).selectinload(FollowUpEvent.actor),
            )
        )
    )


def get_follow_up(follow_up_id: int, consultation: Consultation | None = None) -> FollowUp:
    follow_up = db.session.get(FollowUp, follow_up_id)
    if follow_up is None or (consultation and follow_up.consultation_id != consultation.id):
        raise NotFound(_("Aucune suite à cette adresse."))
    return follow_up


def suggested_contributions(consultation: Consultation) -> list[Contribution]:
    """Contributions answered retained or partially retained: those follow-ups usually cite."""
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .join(Answer, Answer.contribution_id == Contribution.id)
            .where(
                Contribution.consultation_id == consultation.id,
                Answer.status.in_(RETAINED),
                Contribution.is_public,
            )
            .order_by(Contribution.popularity.desc(), Contribution.id)
        )
    )


def has_published_version(consultation: Consultation) -> bool:
    return (
        db.session.scalar(
            sa.select(SynthesisVersion.id)
            .where(SynthesisVersion.consultation_id == consultation.id)
            .limit(1)
        )
        is not None
    )


def create_follow_up(
    actor: User,
    consultation: Consultation,
    *,
    title: str,
    description: str = "",
    due_date: object = None,
    status: object = FollowUpStatus.announced,
    url: str = "",
    article_ids: object = (),
    contribution_ids: object = (),
    note: str = "",
    now: datetime | None = None,
) -> FollowUp:
    """Announce a follow-up; its creation opens its public history. After the synthesis is
    published, the people concerned are told. Raises NotAllowed (not staff of the institution),
    InvalidState (consultation not published), ValidationFailed (by field)."""
    now = now or clock.now()
    check_can_edit_follow_ups(actor, consultation)
    values = clean_values(
        consultation,
        {
            "title": title,
            "description": description,
            "due_date": due_date,
            "status": status,
            "url": url,
            "article_ids": article_ids,
            "contribution_ids": contribution_ids,
        },
        note=note,
    )
    note = values.pop("note")
    position = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.max(FollowUp.position), 0)).where(
            FollowUp.consultation_id == consultation.id
        )
    ).scalar_one()
    follow_up = FollowUp(consultation_id=consultation.id, position=position + 1, created_at=now)
    for field, value in values.items():
        setattr(follow_up, field, value)
    follow_up.updated_at = now
    db.session.add(follow_up)
    changes = {field: [None, after] for field, after in _snapshot(follow_up).items() if after}
    event = FollowUpEvent(
        kind="created", changes=changes, note=note, actor_id=actor.id, created_at=now
    )
    follow_up.events.append(event)
    db.session.flush()
    logger.info("follow-up created: id=%s by user=%s", follow_up.id, actor.id)
    if has_published_version(consultation):
        journal.record(consultation.id, "follow_up", now, follow_up=follow_up.id)
        notify(consultation, follow_up, event)
    return follow_up


def update_follow_up(
    actor: User,
    follow_up: FollowUp,
    changes: dict[str, Any],
    *,
    note: str = "",
    now: datetime | None = None,
) -> FollowUpEvent | None:
    """Change a follow-up (`changes`: any of title, description, due_date, status, url,
    article_ids, contribution_ids). The change is kept in its history with the values before
    and after and `note`; nothing is recorded when nothing changed. After the synthesis is
    published, the people concerned are told. Raises as `create_follow_up`."""
    now = now or clock.now()
    consultation = get_existing(Consultation, follow_up.consultation_id)
    check_can_edit_follow_ups(actor, consultation)
    values = clean_values(consultation, changes, note=note, partial=True)
    note = values.pop("note")
    before = _snapshot(follow_up)
    for field, value in values.items():
        setattr(follow_up, field, value)
    after = _snapshot(follow_up)
    diff = {
        field: [before[field], after[field]] for field in after if before[field] != after[field]
    }
    if not diff:
        return None
    follow_up.updated_at = now
    event = FollowUpEvent(
        kind="changed", changes=diff, note=note, actor_id=actor.id, created_at=now
    )
    follow_up.events.append(event)
    db.session.flush()
    logger.info(
        "follow-up changed: id=%s fields=%s by user=%s", follow_up.id, sorted(diff), actor.id
    )
    if has_published_version(consultation):
        journal.record(consultation.id, "follow_up", now, follow_up=follow_up.id)
        notify(consultation, follow_up, event)
    return event


def delete_follow_up(actor: User, follow_up: FollowUp) -> None:
    """Delete a follow-up still in preparation. Once a version of the synthesis is public its
    follow-ups are promises kept online: InvalidState (mark it abandoned instead)."""
    consultation = get_existing(Consultation, follow_up.consultation_id)
    check_staff(actor, consultation)
    if has_published_version(consultation):
        raise InvalidState(
            _(
                "La synthèse est publiée : ses suites ne se suppriment plus. Passez celle-ci au "
                "statut « Abandonnée », avec une note qui explique pourquoi."
            )
        )
    db.session.delete(follow_up)
    db.session.flush()
    logger.info("follow-up deleted: id=%s by user=%s", follow_up.id, actor.id)


def check_can_edit_follow_ups(actor: User, consultation: Consultation) -> None:
    """May `actor` announce or change the consultation's follow-ups? Staff of the institution
    (NotAllowed), for a published consultation (InvalidState): checked before the changes are
    read."""
    check_staff(actor, consultation)
    if not consultation.is_published:
        raise InvalidState(_("Les suites s'annoncent pour une consultation publiée."))


def clean_values(
    consultation: Consultation, raw: dict[str, Any], *, note: object = "", partial: bool = False
) -> dict[str, Any]:
    """Check the shape of follow-up fields; return them as model attributes (articles and
    contributions as objects) plus `note`. Raises ValidationFailed with every problem."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if "title" in raw or not partial:
        title = raw.get("title")
        title = " ".join(title.split()) if isinstance(title, str) else ""
        if not title:
            errors["title"] = _("Donnez un titre à la suite envisagée.")
        elif len(title) > FOLLOW_UP_TITLE_MAX:
            errors["title"] = _("%(n)s caractères au maximum.", n=number(FOLLOW_UP_TITLE_MAX))
        values["title"] = title
    texts = {"description": FOLLOW_UP_DESCRIPTION_MAX}
    for field, limit in texts.items():
        if field in raw or not partial:
            value = raw.get(field) or ""
            if not isinstance(value, str):
                errors[field] = _("Texte attendu.")
            elif len(normalise_text(value)) > limit:
                errors[field] = _("%(n)s caractères au maximum.", n=number(limit))
            else:
                values[field] = normalise_text(value)
    defaults = {"status": None if partial else FollowUpStatus.announced}
    for field, parse in (("due_date", parse_due_date), ("status", parse_status)):
        if field in raw or not partial:
            try:
                values[field] = parse(raw.get(field) or defaults.get(field))
            except ValidationFailed as error:
                errors.update(error.fields)
    if "url" in raw or not partial:
        url = raw.get("url") or ""
        url = url.strip() if isinstance(url, str) else None
        if url is None or len(url) > URL_MAX or (url and not is_web_address(url)):
            errors["url"] = _(WEB_ADDRESS_MESSAGE)
        else:
            values["url"] = url
    if "article_ids" in raw or not partial:
        articles = _articles(consultation, raw.get("article_ids") or (), errors)
        values["articles"] = articles
    if "contribution_ids" in raw or not partial:
        values["contributions"] = _contributions(
            consultation, raw.get("contribution_ids") or (), errors
        )
    note = normalise_text(note) if isinstance(note, str) else ""
    if len(note) > FOLLOW_UP_NOTE_MAX:
        errors["note"] = _("%(n)s caractères au maximum.", n=number(FOLLOW_UP_NOTE_MAX))
    if errors:
        raise ValidationFailed(fields=errors)
    values["note"] = note
    return values


def _ids(raw: Any, field: str, errors: dict[str, str]) -> list[int]:
    if isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        errors[field] = _("Liste d'identifiants attendue.")
        return []
    ids = []
    for item in raw:
        try:
            number = int(item)
        except (TypeError, ValueError):
            errors[field] = _("Liste d'identifiants attendue.")
            return []
        if isinstance(item, bool) or not 0 < number < 2**31:
            errors[field] = _("Liste d'identifiants attendue.")
            return []
        ids.append(number)
    return sorted(set(ids))


def _articles(consultation: Consultation, raw: Any, errors: dict[str, str]) -> list[Article]:
    ids = _ids(raw, "article_ids", errors)
    if not ids:
        return []
    version = consultation_queries.load_text(consultation)
    known = {article.id: article for article in (version.articles if version else [])}
    unknown = [str(i) for i in ids if i not in known]
    if unknown:
        errors["article_ids"] = _(
            "Articles inconnus dans ce texte : %(articles)s.", articles=", ".join(unknown[:10])
        )
        return []
    return [known[i] for i in ids]


def _contributions(
    consultation: Consultation, raw: Any, errors: dict[str, str]
) -> list[Contribution]:
    ids = _ids(raw, "contribution_ids", errors)
    if not ids:
        return []
    found = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Contribution).where(
                Contribution.id.in_(ids),
                Contribution.consultation_id == consultation.id,
                Contribution.is_public,
            )
        )
    }
    unknown = [str(i) for i in ids if i not in found]
    if unknown:
        errors["contribution_ids"] = _(
            "Contributions inconnues dans cette consultation, masquées ou retirées : %(numbers)s.",
            numbers=", ".join(unknown[:10]),
        )
        return []
    return [found[i] for i in ids]


def _snapshot(follow_up: FollowUp) -> dict[str, Any]:
    """The follow-up's public fields as JSON-ready values, as the history keeps them:
    dates in ISO, statuses by value, articles by label, contributions by tracking number."""
    return {
        "title": follow_up.title,
        "description": follow_up.description or "",
        "due_date": follow_up.due_date.isoformat() if follow_up.due_date else None,
        "status": (follow_up.status or FollowUpStatus.announced).value,
        "url": follow_up.url or "",
        "articles": [article.label for article in follow_up.articles],
        "contributions": [c.tracking_number for c in follow_up.contributions],
    }


def describe_value(field: str, value: Any) -> str:
    """A history value as people read it."""
    if value in (None, "", []):
        return "—"
    if field == "status":
        return cast(str, lazy(FOLLOW_UP_LABELS[FollowUpStatus(value)]))
    if field == "due_date":
        return date.fromisoformat(value).strftime("%d/%m/%Y")
    if isinstance(value, list):
        return ", ".join(value)
    text = " ".join(str(value).split())
    return text if len(text) <= HISTORY_VALUE_LENGTH else text[: HISTORY_VALUE_LENGTH - 1] + "…"


def describe_changes(event: FollowUpEvent) -> list[tuple[str, str, str]]:
    """(field label, before, after) for each field an event changed, in a fixed order; the
    labels and statuses are read in the language of whoever reads them (an e-mail is written
    in its recipient's)."""
    return [
        (
            cast(str, lazy(label)),
            describe_value(field, event.changes[field][0]),
            describe_value(field, event.changes[field][1]),
        )
        for field, label in FIELD_LABELS.items()
        if field in (event.changes or {})
    ]


def recipients(consultation: Consultation, follow_up: FollowUp) -> list[User]:
    """Who is told about a follow-up: participants following the consultation and authors of
    its linked contributions, once each; erased accounts and offline observations left out."""
    followers = sa.select(Subscription.user_id).where(
        Subscription.consultation_id == consultation.id
    )
    authors = sa.select(Contribution.author_id).where(
        Contribution.id.in_([c.id for c in follow_up.contributions]),
        Contribution.offline_channel.is_(None),
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.id.in_(followers.union(authors)), User.erased_at.is_(None))
            .order_by(User.id)
        )
    )


def notify(consultation: Consultation, follow_up: FollowUp, event: FollowUpEvent) -> None:
    """Tell the people concerned about a new or changed follow-up: one job, handed out once
    the caller's transaction commits (`send_notices`)."""
    enqueue_after_commit(
        "consultation.synthesis.follow_ups:send_notices", consultation.id, follow_up.id, event.id
    )


def send_notices(consultation_id: int, follow_up_id: int, event_id: int) -> int:
    """The job: e-mail the people concerned (`recipients`) about one event of a follow-up,
    reading them in one transaction and sending after it ends; returns how many were sent."""
    consultation = db.session.get(Consultation, consultation_id)
    follow_up = db.session.get(FollowUp, follow_up_id)
    event = db.session.get(FollowUpEvent, event_id)
    if consultation is None or follow_up is None or event is None:
        logger.info("follow-up %s or its event %s is gone: nobody told", follow_up_id, event_id)
        return 0
    link = external_url("synthesis_public.synthesis", slug=consultation.slug)
    created = event.kind == "created"
    title = follow_up.title[:170]  # the subject within 200 characters
    subject = (
        _l("Nouvelle suite annoncée : %(title)s", title=title)
        if created
        else _l("Suite mise à jour : %(title)s", title=title)
    )
    changes = describe_changes(event)
    messages = [
        compose_mail(
            person.email,
            subject,
            "follow_up_changed",
            user=person,
            consultation=consultation,
            follow_up=follow_up,
            created=created,
            changes=changes,
            note=event.note,
            link=link,
        )
        for person in recipients(consultation, follow_up)
    ]
    sent = deliver_all(messages)
    logger.info("follow-up %s event %s: %d notice(s) sent", follow_up_id, event_id, sent)
    return sent


# --- Following a consultation ---------------------------------------------------------------


def is_following(user: User | None, consultation: Consultation) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(Subscription, (user.id, consultation.id)) is not None


def follow(user: User, consultation: Consultation, *, now: datetime | None = None) -> Subscription:
    """Follow a published consultation (idempotent): told when its follow-ups change."""
    if not consultation.is_published:
        raise NotFound(_("Aucune consultation à cette adresse."))
    subscription = db.session.get(Subscription, (user.id, consultation.id))
    if subscription is None:
        subscription = Subscription(
            user_id=user.id, consultation_id=consultation.id, created_at=now or clock.now()
        )
        db.session.add(subscription)
        db.session.flush()
    return subscription


def unfollow(user: User, consultation: Consultation) -> None:
    """Stop following (idempotent)."""
    subscription = db.session.get(Subscription, (user.id, consultation.id))
    if subscription is not None:
        db.session.delete(subscription)
        db.session.flush()


def replace_follow_ups(
    actor: User, consultation: Consultation, entries: object, *, now: datetime | None = None
) -> list[FollowUp]:
    """Make the consultation's follow-ups those of `entries`, in that order (the API's whole
    synthesis document): an entry with an `id` changes that follow-up (its history records
    the change, with the entry's `note`), one without creates a follow-up, and one left out
    is deleted — refused with InvalidState once a version of the synthesis is public, since
    published follow-ups are only ever marked abandoned. Every entry is checked before any is
    applied (nobody is e-mailed about a refused request); errors name the entry:
    `follow_ups[2].due_date`."""
    now = now or clock.now()
    check_can_edit_follow_ups(actor, consultation)
    errors = entry_problems(consultation, entries)
    if errors:
        raise ValidationFailed(fields=errors)
    checked = cast(list[dict[str, Any]], entries)  # entry_problems found a list of objects
    existing = {item.id: item for item in list_follow_ups(consultation)}
    kept = {entry.get("id") for entry in checked}
    dropped = [item for item_id, item in existing.items() if item_id not in kept]
    if dropped and has_published_version(consultation):
        raise InvalidState(
            _(
                "La synthèse est publiée : ses suites ne se suppriment plus. Renvoyez-les "
                "toutes, au besoin au statut « abandoned » avec une note (absentes : %(ids)s).",
                ids=", ".join(str(item.id) for item in dropped),
            ),
            fields={"follow_ups": _("Suites publiées absentes de la liste.")},
        )
    for item in dropped:
        delete_follow_up(actor, item)
    result: list[FollowUp] = []
    for index, entry in enumerate(checked):
        values = {field: entry[field] for field in ENTRY_FIELDS if field in entry}
        note = entry.get("note") or ""
        if entry.get("id") is None:
            item = create_follow_up(actor, consultation, note=note, now=now, **values)
        else:
            item = existing[entry["id"]]
            update_follow_up(actor, item, values, note=note, now=now)
        item.position = index + 1
        result.append(item)
    db.session.flush()
    return result


ENTRY_FIELDS = (
    "title",
    "description",
    "due_date",
    "status",
    "url",
    "article_ids",
    "contribution_ids",
)


def entry_problems(consultation: Consultation, entries: object) -> dict[str, str]:
    """What is wrong with a list of follow-up entries (see `replace_follow_ups`), by field."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return {"follow_ups": "Liste de suites attendue (objets JSON)."}
    existing = {
        item_id
        for item_id in db.session.scalars(
            sa.select(FollowUp.id).where(FollowUp.consultation_id == consultation.id)
        )
    }
    errors: dict[str, str] = {}
    for index, entry in enumerate(entries):
        item_id = entry.get("id")
        if item_id is not None and (not isinstance(item_id, int) or item_id not in existing):
            errors[f"follow_ups[{index}].id"] = _("Suite inconnue dans cette consultation.")
            continue
        values = {field: entry[field] for field in ENTRY_FIELDS if field in entry}
        try:
            clean_values(
                consultation, values, note=entry.get("note") or "", partial=item_id is not None
            )
        except ValidationFailed as error:
            errors.update({f"follow_ups[{index}].{k}": v for k, v in error.fields.items()})
    return errors


def get_managed_follow_up(follow_up_id: int, actor: User) -> tuple[FollowUp, Consultation]:
    """A follow-up for its institution's staff, with its consultation (its edit page). Raises
    NotFound (no such follow-up) or NotAllowed (`rules.check_staff`)."""
    follow_up = get_follow_up(follow_up_id)
    consultation = get_existing(Consultation, follow_up.consultation_id)
    check_staff(actor, consultation)
    return follow_up, consultation

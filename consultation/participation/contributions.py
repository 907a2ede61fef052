"""Contributions: submitted, edited and withdrawn by their author, or entered by an organiser
when received offline; the rules their fields follow; their receipt numbers; what the
consultation's tamper-evident record keeps of them.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import canonical, clock, journal
from consultation.core.db import get_existing
from consultation.core.errors import InvalidState, NotAllowed, ValidationFailed
from consultation.core.i18n import _l, number
from consultation.core.mail import send_mail
from consultation.core.text import squash
from consultation.core.urls import WEB_ADDRESS_MESSAGE, external_url, is_web_address
from consultation.extensions import db
from consultation.participation import papers
from consultation.participation.authors import author_of
from consultation.participation.limits import BODY_MAX, OFFLINE_AUTHOR_MAX, TITLE_MAX, URL_MAX
from consultation.participation.models import (
    Contribution,
    ContributionKind,
    ContributionRevision,
    OfflineChannel,
    Position,
)
from consultation.participation.standing import (
    check_can_edit,
    check_can_participate,
    reply_target_refusal,
    withdraw_refusal,
)
from consultation.texts.models import Article

logger = logging.getLogger(__name__)


_TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud safely


def new_tracking_number() -> str:
    """A receipt number such as 'C-7KQ2-M9XD-4HTR' (60 random bits)."""
    chars = "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(12))
    return f"C-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def submit_contribution(
    actor: User,
    consultation: Consultation,
    *,
    kind: ContributionKind | str | None,
    body: str,
    article_id: int | None = None,
    paragraph: int | None = None,
    position: Position | str | None = None,
    title: str = "",
    proposed_text: str = "",
    url: str = "",
    parent_id: int | None = None,
    paper: IO[bytes] | Any = None,
    paper_filename: str | None = None,
    now: datetime | None = None,
) -> Contribution:
    """Record a contribution and e-mail its receipt to the author.

    `paper`, when given, is a position paper: one PDF attached to the contribution, checked
    and stored by `papers.store_paper` once the other fields are sound (refusals on the field
    `paper`, nothing stored), certified with the contribution's texts.

    Rules: a verified account, during the open period (server clock); the kind's required
    fields (an argument has a position, an amendment and a new article a proposed wording,
    a source an http(s) URL); the article and paragraph belong to this consultation's text;
    a reply is a comment answering a contribution of any kind of the same consultation, public
    and not itself a reply (`reply_refusal`). Raises
    NotAllowed, ConsultationNotOpen or ValidationFailed (with a message per field).
    """
    now = now or clock.now()
    check_can_participate(actor, consultation, now)
    values = _clean_contribution(
        consultation,
        kind=kind,
        body=body,
        article_id=article_id,
        paragraph=paragraph,
        position=position,
        title=title,
        proposed_text=proposed_text,
        url=url,
        parent_id=parent_id,
    )
    stored = papers.store_paper(paper, paper_filename) if papers.is_given(paper) else None
    contribution = Contribution(
        consultation_id=consultation.id,
        author_id=actor.id,
        tracking_number=new_tracking_number(),
        created_at=now,
        **values,
    )
    db.session.add(contribution)
    db.session.flush()
    if stored is not None:
        papers.attach_paper(contribution, stored, now)
    _count_on_article(contribution)
    receipt = journal.record(consultation.id, "contribution", now, **_recorded(contribution))
    send_mail(
        actor.email,
        _l(
            "Votre contribution %(number)s est enregistrée",
            number=contribution.tracking_number,
        ),
        "contribution_receipt",
        user=actor,
        contribution=contribution,
        consultation=consultation,
        link=external_url(
            "participation.contribution",
            slug=consultation.slug,
            contribution_id=contribution.id,
        ),
        track_link=external_url("participation.track", numero=contribution.tracking_number),
        receipt=receipt,
    )
    logger.info(
        "contribution submitted: id=%s kind=%s user=%s",
        contribution.id,
        contribution.kind.value,
        actor.id,
    )
    return contribution


# What an author may change in a contribution; its kind, place and author never change.
EDITABLE_FIELDS = ("title", "body", "proposed_text", "url", "position")


def edit_contribution(
    actor: User,
    contribution: Contribution,
    changes: dict[str, Any],
    *,
    paper: IO[bytes] | Any = None,
    paper_filename: str | None = None,
    remove_paper: bool = False,
    now: datetime | None = None,
) -> Contribution:
    """Change the wording of one's own contribution until closing; the previous wording is kept.

    Only `title`, `body`, `proposed_text`, `url` and `position` change; kind, article and
    author never do. `paper`, a file, attaches a position paper or replaces the one attached;
    `remove_paper` removes it (`papers.paper_change`: checked as at submission, refusals on the
    field `paper`, nothing stored). The version replaced keeps its wording and the paper it
    had. An edit that changes neither the wording nor the paper is refused. The record's entry
    states the contribution as it now is: its texts and its paper (`_texts`, `_paper_fact`).
    Raises what `edit_refusal` finds (NotAllowed: not the author, withdrawn, hidden;
    ConsultationNotOpen), ValidationFailed.
    """
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    check_can_edit(actor, contribution, now)
    editable = {k: changes[k] for k in EDITABLE_FIELDS if k in changes}
    current = {
        "kind": contribution.kind,
        "body": contribution.body,
        "article_id": contribution.article_id,
        "paragraph": contribution.paragraph,
        "position": contribution.position,
        "title": contribution.title,
        "proposed_text": contribution.proposed_text,
        "url": contribution.url,
        "parent_id": None,  # the place of a reply never changes: not checked again
    }
    values = _clean_contribution(consultation, **(current | editable))
    change = papers.paper_change(contribution.paper, paper, paper_filename, remove=remove_paper)
    if all(values[field] == current[field] for field in EDITABLE_FIELDS) and (
        change is None or change.same_file
    ):
        # An edit that changes nothing would add a wording identical to the current one and
        # mark the contribution "modifiée" for nothing.
        if change is not None:
            raise ValidationFailed(
                fields={
                    papers.FIELD: _(
                        "Ce fichier est déjà celui joint à votre contribution : vous n'avez "
                        "rien modifié."
                    )
                }
            )
        changed = "proposed_text" if contribution.kind.spec.amends_wording else "body"
        raise ValidationFailed(fields={changed: _("Vous n'avez rien modifié.")})
    contribution.revisions.append(
        ContributionRevision(
            title=contribution.title,
            body=contribution.body,
            proposed_text=contribution.proposed_text,
            url=contribution.url,
            replaced_at=now,
            **papers.kept_in(contribution.paper),
        )
    )
    for field in EDITABLE_FIELDS:
        setattr(contribution, field, values[field])
    if change is not None:
        papers.apply_change(contribution, change, now)
    contribution.edited_at = now
    journal.record(
        consultation.id,
        "edit",
        now,
        contribution=contribution.tracking_number,
        position=contribution.position.value if contribution.position else None,
        **_paper_fact(contribution),
        content=_texts(contribution),
    )
    return contribution


def withdraw_contribution(
    actor: User, contribution: Contribution, *, now: datetime | None = None
) -> Contribution:
    """Withdraw one's own contribution until closing: the text is replaced by a notice on every
    public surface; the record, its tracking number and its revisions remain. Raises what
    `withdraw_refusal` finds (NotAllowed, InvalidState if already withdrawn,
    ConsultationNotOpen)."""
    now = now or clock.now()
    error = withdraw_refusal(actor, contribution, now)
    if error is not None:
        raise error
    contribution.withdrawn_at = now
    journal.record(
        contribution.consultation_id,
        "withdrawal",
        now,
        contribution=contribution.tracking_number,
    )
    logger.info("contribution withdrawn: id=%s user=%s", contribution.id, actor.id)
    return contribution


def find_by_tracking_number(number: str) -> Contribution | None:
    """The contribution with this receipt number, however it was typed: case, spaces, dashes
    and dots forgiven, with or without the leading "C" ("c 7kq2 m9xd 4htr", "7KQ2M9XD4HTR")."""
    return db.session.scalar(
        sa.select(Contribution).where(
            Contribution.tracking_number == canonical_tracking_number(number)
        )
    )


def canonical_tracking_number(number: str | None) -> str:
    """A typed receipt number written as receipts print it ('C-7KQ2-M9XD-4HTR'); a value that
    cannot be one is returned tidied (upper case, no spaces), and matches nothing."""
    text = (number or "")[:100].upper()
    chars = "".join(c for c in text if c.isascii() and c.isalnum())
    if len(chars) == 13 and chars.startswith("C"):
        chars = chars[1:]
    if len(chars) == 12:
        return f"C-{chars[:4]}-{chars[4:8]}-{chars[8:]}"
    tidied = "".join(text.split())
    return tidied if not tidied or tidied.startswith("C-") else "C-" + tidied.removeprefix("C")


def _clean_contribution(
    consultation: Consultation,
    *,
    kind: object,
    body: object,
    article_id: object,
    paragraph: object,
    position: object,
    title: object,
    proposed_text: object,
    url: object,
    parent_id: object,
) -> dict[str, Any]:
    errors: dict[str, str] = {}
    try:
        kind = ContributionKind(kind.value if isinstance(kind, ContributionKind) else kind)
    except ValueError:
        raise ValidationFailed(
            fields={
                "kind": _("Type inconnu : argument, amendment, new_article, source ou comment.")
            }
        ) from None
    body = (body or "").strip() if isinstance(body, str) else ""
    if not body:
        errors["body"] = _("Le texte de la contribution est obligatoire.")
    elif len(body) > BODY_MAX:
        errors["body"] = _(
            "%(n)s caractères au maximum (%(count)s saisis).",
            n=number(BODY_MAX),
            count=number(len(body)),
        )
    title = squash(title if isinstance(title, str) else "")
    if len(title) > TITLE_MAX:
        errors["title"] = _("%(n)s caractères au maximum.", n=number(TITLE_MAX))
    proposed_text = (proposed_text or "").strip() if isinstance(proposed_text, str) else ""
    if len(proposed_text) > BODY_MAX:
        errors["proposed_text"] = _("%(n)s caractères au maximum.", n=number(BODY_MAX))
    article = _article_of(consultation, article_id, errors)
    paragraph_exists = (
        isinstance(paragraph, int)
        and not isinstance(paragraph, bool)
        and article is not None
        and 1 <= paragraph <= len(article.paragraphs)
    )
    if paragraph is not None and not paragraph_exists:
        errors["paragraph"] = _("Cet alinéa n'existe pas dans l'article.")
    spec = kind.spec  # what the kind asks for: participation.kinds
    parsed_position = None
    if spec.takes_position:
        try:
            parsed_position = Position(
                position.value if isinstance(position, Position) else position
            )
        except ValueError:
            errors["position"] = _("Indiquez si l'argument est pour ou contre (for, against).")
    if spec.has_wording and not proposed_text:
        errors["proposed_text"] = _("Proposez une rédaction.")
    if spec.article_required and article is None and "article_id" not in errors:
        errors["article_id"] = _(spec.article_required)
    if (
        spec.amends_wording
        and article is not None
        and proposed_text
        and "paragraph" not in errors
        and squash(proposed_text)
        == squash(article.consulted_wording(paragraph if isinstance(paragraph, int) else None))
    ):
        # The form prefills the current wording: sent unchanged, it proposes nothing.
        errors["proposed_text"] = _(
            "La rédaction proposée est celle du texte actuel : modifiez-la pour proposer un "
            "changement."
        )
    if spec.has_url:
        url = (url or "").strip() if isinstance(url, str) else ""
        if not is_web_address(url) or len(url) > URL_MAX:
            errors["url"] = _(WEB_ADDRESS_MESSAGE)
    else:
        url = ""
    if spec.title_required and not title:
        errors["title"] = _(spec.title_required)
    if parent_id is not None:
        parent = db.session.get(Contribution, parent_id) if isinstance(parent_id, int) else None
        refusal = reply_target_refusal(parent) if parent is not None else None
        if not spec.is_reply:
            errors["parent_id"] = _("Une réponse est un commentaire.")
        elif parent is None or parent.consultation_id != consultation.id:
            errors["parent_id"] = _(
                "La contribution à laquelle vous répondez n'existe pas dans cette consultation."
            )
        elif refusal is not None:
            errors.update(refusal.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    return {
        "kind": kind,
        "body": body,
        "article_id": article.id if article else None,
        "paragraph": paragraph,
        "position": parsed_position,
        "title": title,
        "proposed_text": proposed_text if spec.has_wording else "",
        "url": url,
        "parent_id": parent_id,
    }


def _article_of(
    consultation: Consultation, article_id: object, errors: dict[str, str]
) -> Article | None:
    if article_id is None:
        return None
    article = db.session.get(Article, article_id) if isinstance(article_id, int) else None
    if article is None or article.version.consultation_id != consultation.id:
        errors["article_id"] = _("Cet article n'appartient pas à la consultation.")
        return None
    return article


def record_offline_observation(
    actor: User,
    consultation: Consultation,
    *,
    channel: OfflineChannel | str | None,
    author_name: str,
    body: str,
    received_at: datetime,
    article_id: int | None = None,
    now: datetime | None = None,
) -> Contribution:
    """Enter an observation received by letter, e-mail or in a register; it counts like the others.

    Only an organiser of the consultation's institution enters it, once the consultation has
    opened and until its synthesis is published; it must have been received during the open
    period. It is published as an offline observation with its sender's name as given.
    Raises NotAllowed, InvalidState or ValidationFailed.
    """
    now = now or clock.now()
    if not actor.can_organise(consultation.institution_id):
        raise NotAllowed(
            _(
                "Seuls les organisateurs de la consultation saisissent les observations reçues "
                "hors ligne."
            )
        )
    if consultation.status_at(now).value not in ("open", "closed"):
        raise InvalidState(
            _("Les observations se saisissent une fois la consultation ouverte, avant la synthèse.")
        )
    opens_at, closes_at = consultation.dates()  # opened: its dates are set
    errors: dict[str, str] = {}
    try:
        parsed_channel = OfflineChannel(
            channel.value if isinstance(channel, OfflineChannel) else channel
        )
    except ValueError:
        parsed_channel = None
        errors["channel"] = _(
            "Canal inconnu : courrier (letter), e-mail (email) ou registre (register)."
        )
    if not isinstance(received_at, datetime) or received_at.tzinfo is None:
        errors["received_at"] = _("Date de réception invalide.")
    elif not (opens_at <= received_at < closes_at) or received_at > now:
        errors["received_at"] = _(
            "L'observation doit avoir été reçue pendant la période de consultation."
        )
    name = (
        squash(author_name if isinstance(author_name, str) else "")[:OFFLINE_AUTHOR_MAX]
        or "Anonyme"
    )
    try:
        values = _clean_contribution(
            consultation,
            kind="comment",
            body=body,
            article_id=article_id,
            paragraph=None,
            position=None,
            title="",
            proposed_text="",
            url="",
            parent_id=None,
        )
    except ValidationFailed as error:
        errors.update(error.fields)
    if errors:
        raise ValidationFailed(fields=errors)
    contribution = Contribution(
        consultation_id=consultation.id,
        author_id=actor.id,
        tracking_number=new_tracking_number(),
        created_at=received_at,
        offline_channel=parsed_channel,
        offline_author=name,
        **values,
    )
    db.session.add(contribution)
    db.session.flush()
    _count_on_article(contribution)
    journal.record(consultation.id, "contribution", now, **_recorded(contribution))
    logger.info("offline observation recorded: id=%s by user=%s", contribution.id, actor.id)
    return contribution


def _recorded(contribution: Contribution) -> dict[str, Any]:
    """What the consultation's tamper-evident record keeps of a new contribution: where it
    stands, when it was received (an offline observation is received before it is entered), its
    public author as a salted commitment (`author_sha256`: the export publishes the author and
    the salt that open it; never a pseudonym, which would link the named author to their votes)
    and its texts as a commitment only (see `core.journal`)."""
    parent = (
        db.session.get(Contribution, contribution.parent_id) if contribution.parent_id else None
    )
    salt = contribution.author_salt
    if salt is None:  # given by its column default when the contribution was inserted
        raise InvalidState(_("La contribution n'a pas encore d'engagement sur son auteur."))
    return {
        "contribution": contribution.tracking_number,
        "contribution_kind": contribution.kind.value,
        "article": contribution.article.number if contribution.article_id else None,
        "paragraph": contribution.paragraph,
        "position": contribution.position.value if contribution.position else None,
        "parent": parent.tracking_number if parent else None,
        "offline": contribution.offline_channel.value if contribution.offline_channel else None,
        "author_sha256": canonical.salted_digest(author_of(contribution), salt),
        "created_at": contribution.created_at,
        **_paper_fact(contribution),
        "content": _texts(contribution),
    }


def _paper_fact(contribution: Contribution) -> dict[str, str]:
    """The position paper's SHA-256 as a public fact of the entry (kept in the export even once
    the contribution is hidden or withdrawn); no key without a paper."""
    paper = contribution.paper
    return {"paper_sha256": paper.sha256} if paper is not None else {}


def _texts(contribution: Contribution) -> dict[str, Any]:
    """A contribution's texts, as the record commits to them ("" when absent), with its
    position paper's name, size and SHA-256 under `paper` when it has one (older entries,
    without the key, verify as written)."""
    texts: dict[str, Any] = {
        "title": contribution.title or "",
        "body": contribution.body or "",
        "proposed_text": contribution.proposed_text or "",
        "url": contribution.url or "",
    }
    paper = papers.recorded(contribution.paper)
    if paper is not None:
        texts["paper"] = paper
    return texts


def _count_on_article(contribution: Contribution) -> None:
    """One more contribution on its article: an atomic increment, exact under concurrency."""
    if contribution.article_id is not None:
        db.session.execute(
            sa.update(Article)
            .where(Article.id == contribution.article_id)
            .values(contributions_count=Article.contributions_count + 1)
        )

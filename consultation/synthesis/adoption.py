"""After the synthesis: the act that followed the consultation, and its adopted text compared
with the consulted one.

The law asks for the synthesis to be public at the latest when the act is signed (SPEC §1
row 5): recording the act is refused until the synthesis is published. The organiser may then
load the adopted text, parsed by the same importer as the consulted text. The two texts are
compared article by article, matched by article number as it appears in the articles'
addresses (so « Article 1er » and « Article 1 » are the same article). For each changed
article the platform suggests the contributions that may have motivated the change — the
amendments whose wording is close to the new wording, and the contributions answered
"retained" on that article — and the organiser confirms them. Authors of retained
contributions are told when the adopted text is first loaded; the author of a contribution
confirmed as having motivated a change is told once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.db import get_existing
from consultation.core.errors import (
    InvalidState,
    NotAllowed,
    SynthesisNotPublished,
    ValidationFailed,
)
from consultation.core.i18n import N_, LazyString, _l, lazy, number
from consultation.core.jobs import enqueue_after_commit
from consultation.core.mail import compose_mail, deliver_all
from consultation.core.urls import WEB_ADDRESS_MESSAGE, external_url, is_web_address
from consultation.extensions import db
from consultation.participation.models import Contribution, ContributionKind
from consultation.synthesis.limits import ACT_REFERENCE_MAX, URL_MAX
from consultation.synthesis.models import AdoptedAct, Answer, AnswerStatus, ChangeLink
from consultation.texts import services as texts
from consultation.texts.diff import Segment, word_diff
from consultation.texts.importer import normalize_source
from consultation.texts.models import Article, TextVersion

logger = logging.getLogger(__name__)

# A suggested amendment's wording must be at least this close to the new wording (see
# `similarity`): 0.6 keeps proposals that share most of their words, in order, with it.
SUGGESTION_THRESHOLD = 0.6
SUGGESTIONS = 5
RETAINED = (AnswerStatus.retained, AnswerStatus.partially_retained)
# The proposals an adopted article may answer: the kinds with a wording (`KindSpec`); those
# whose wording is a new article may also answer an article the adopted text adds.
AMENDING_KINDS = [kind for kind in ContributionKind if kind.spec.has_wording]
NEW_ARTICLE_KINDS = [kind for kind in ContributionKind if kind.spec.adds_article]
STATUS_LABELS = {
    "unchanged": N_("Inchangé"),
    "modified": N_("Modifié"),
    "added": N_("Ajouté"),
    "removed": N_("Supprimé"),
}

_WORDS = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


# --- The act ----------------------------------------------------------------------------------


def adopted_act(consultation: Consultation) -> AdoptedAct | None:
    """The act recorded for the consultation, or None."""
    return db.session.get(AdoptedAct, consultation.id)


def check_can_record_act(actor: User, consultation: Consultation) -> None:
    """May `actor` record the act? An organiser of the institution (NotAllowed), once the
    synthesis is public (SynthesisNotPublished): checked before the act is read."""
    _require_organiser(actor, consultation)
    if consultation.synthesis_published_at is None:
        raise SynthesisNotPublished(
            _(
                "L'acte ne peut pas encore être enregistré : la loi demande que la synthèse de la "
                "consultation soit publique au plus tard à la signature de l'acte. Publiez "
                "d'abord la synthèse."
            )
        )


def record_act(
    actor: User,
    consultation: Consultation,
    *,
    signed_on: object,
    reference: object,
    url: object = None,
    now: datetime | None = None,
) -> AdoptedAct:
    """Record (or correct) that the act was signed or published: its date, its reference and
    a link to it. Refused while the synthesis is not public.

    `signed_on` is a date or a string typed in French (JJ/MM/AAAA) or ISO (AAAA-MM-JJ); it may
    not be in the future nor before the consultation opened (Paris dates). `url`, optional, is
    an http(s) address. Raises NotAllowed (not an organiser of the institution),
    SynthesisNotPublished, ValidationFailed (signed_on, reference, url).
    """
    now = now or clock.now()
    check_can_record_act(actor, consultation)
    errors: dict[str, str] = {}
    day = _signing_day(signed_on, consultation, now, errors)
    reference = reference.strip() if isinstance(reference, str) else ""
    if not reference:
        errors["reference"] = _(
            "Indiquez la référence de l'acte, par exemple « Décret n° 2026-123 du 3 mars 2026 »."
        )
    elif len(reference) > ACT_REFERENCE_MAX:
        errors["reference"] = _(
            "%(n)s caractères au maximum (%(typed)s saisis).",
            n=number(ACT_REFERENCE_MAX),
            typed=number(len(reference)),
        )
    clean_url = _clean_url(url, errors)
    if errors or day is None:  # no day is always an error
        raise ValidationFailed(fields=errors)
    act = adopted_act(consultation)
    if act is None:
        act = AdoptedAct(consultation_id=consultation.id)
        db.session.add(act)
    act.signed_on, act.reference, act.url = day, reference, clean_url
    act.recorded_at, act.recorded_by_id = now, actor.id
    db.session.flush()
    logger.info(
        "adopted act recorded: consultation=%s signed_on=%s by user=%s",
        consultation.id,
        day.isoformat(),
        actor.id,
    )
    return act


def parse_day(value: object) -> date:
    """A date, or a date typed in French (JJ/MM/AAAA) or ISO (AAAA-MM-JJ). Raises ValueError
    with a French message for a blank, malformed or impossible date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return clock.parse_day(value)


def _signing_day(
    value: object, consultation: Consultation, now: datetime, errors: dict[str, str]
) -> date | None:
    try:
        day = parse_day(value)
    except ValueError as error:
        errors["signed_on"] = str(error)
        return None
    if day > clock.to_paris(now).date():
        errors["signed_on"] = _("La date de l'acte ne peut pas être dans le futur.")
    elif consultation.opens_at is not None and day < clock.to_paris(consultation.opens_at).date():
        opened = clock.to_paris(consultation.opens_at).date()
        errors["signed_on"] = _(
            "L'acte ne peut pas précéder l'ouverture de la consultation (le %(date)s).",
            date=clock.format_day(opened),
        )
    return day


def _clean_url(value: object, errors: dict[str, str]) -> str:
    url = value.strip() if isinstance(value, str) else ""
    if not url:
        return ""
    if len(url) > URL_MAX:
        errors["url"] = _("%(n)s caractères au maximum.", n=number(URL_MAX))
    elif not is_web_address(url):
        errors["url"] = _(WEB_ADDRESS_MESSAGE)
    return url


def _require_organiser(actor: User, consultation: Consultation) -> None:
    if not actor.can_organise(consultation.institution_id):
        raise NotAllowed(
            _("Seuls les organisateurs de la consultation enregistrent l'acte adopté.")
        )


# --- The adopted text ---------------------------------------------------------------------------


def load_adopted_text(
    actor: User,
    consultation: Consultation,
    source: object,
    *,
    acknowledge_warnings: bool | str = False,
    now: datetime | None = None,
) -> AdoptedAct:
    """Parse the adopted text with the consulted text's importer and keep it with the act.

    Loading it again replaces it. The first time, the authors of retained contributions are
    told. As for the consulted text, a text whose import reports doubtful lines is kept only
    once they are acknowledged (texts.services.require_acknowledged), unless it is the text
    already kept. Raises NotAllowed, InvalidState (no act recorded yet), InvalidText (a
    ValidationFailed on `text`, the importer's message naming the line),
    UnacknowledgedTextWarnings.
    """
    now = now or clock.now()
    _require_organiser(actor, consultation)
    act = adopted_act(consultation)
    if act is None:
        raise InvalidState(
            _("Enregistrez d'abord l'acte signé ou publié (date, référence), puis son texte."),
            fields={"text": _("Enregistrez d'abord l'acte signé ou publié.")},
        )
    text = source if isinstance(source, str) else ""
    parsed = texts.preview_text(text)  # InvalidText for a blank text
    if normalize_source(text) != (act.text_source or ""):
        texts.require_acknowledged(parsed, acknowledge_warnings)
    first = act.text_loaded_at is None
    act.text_source = normalize_source(text)
    act.text_sha256 = texts.fingerprint(text)
    act.text_articles = [
        {
            "number": article.number,
            "slug": article.slug,
            "label": article.label,
            "title": article.title,
            "paragraphs": list(article.paragraphs),
        }
        for article in parsed.articles
    ]
    act.text_loaded_at = now
    db.session.flush()
    logger.info(
        "adopted text loaded: consultation=%s articles=%s by user=%s",
        consultation.id,
        len(parsed.articles),
        actor.id,
    )
    if first:
        _tell_retained_authors(consultation)
    return act


# --- The comparison -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleChange:
    """One article compared: its status and, paragraph by paragraph, the word diff.

    `key` is the article's number as in its address (what matches the two texts);
    `paragraphs` holds one list of segments per paragraph shown, in the adopted order, with
    removed paragraphs in place; `title` is the diff of the article's title, empty when
    neither text has one.
    """

    key: str
    number: str
    label: str
    status: str  # unchanged | modified | added | removed
    before: tuple[str, ...]
    after: tuple[str, ...]
    title: tuple[Segment, ...]
    paragraphs: tuple[tuple[Segment, ...], ...]

    @property
    def is_changed(self) -> bool:
        return self.status != "unchanged"

    @property
    def status_label(self) -> LazyString:
        """In the reader's language."""
        return lazy(STATUS_LABELS[self.status])

    @property
    def new_text(self) -> str:
        return "\n".join(self.after)


@dataclass(frozen=True)
class _Wording:
    key: str
    number: str
    label: str
    title: str
    paragraphs: tuple[str, ...]


def consulted_version(consultation: Consultation) -> TextVersion | None:
    """The text the public was consulted on: the last frozen version (the latest if none was
    frozen), with its articles and paragraphs."""
    return db.session.scalar(
        sa.select(TextVersion)
        .where(TextVersion.consultation_id == consultation.id)
        .order_by(TextVersion.frozen_at.is_(None), TextVersion.number.desc())
        .limit(1)
        .options(selectinload(TextVersion.articles).selectinload(Article.paragraphs))
    )


def compare(consultation: Consultation) -> list[ArticleChange]:
    """Every article of either text, in the adopted text's order (a removed article where it
    stood in the consulted one), with what changed. Empty until the adopted text is loaded."""
    act = adopted_act(consultation)
    if act is None or act.text_articles is None:
        return []
    version = consulted_version(consultation)
    consulted = [
        _Wording(a.slug, a.number, a.label, a.title or "", tuple(p.text for p in a.paragraphs))
        for a in (version.articles if version else [])
    ]
    adopted = [
        _Wording(
            item["slug"],
            item["number"],
            item["label"],
            item.get("title") or "",
            tuple(item["paragraphs"]),
        )
        for item in act.text_articles
    ]
    before = {w.key: w for w in consulted}
    after = {w.key: w for w in adopted}
    order = _merged_order([w.key for w in consulted], [w.key for w in adopted])
    return [_change(before.get(key), after.get(key)) for key in order]


def _merged_order(consulted: list[str], adopted: list[str]) -> list[str]:
    """The adopted order, each article missing from it put back after the one that preceded
    it in the consulted text."""
    order = list(adopted)
    present = set(adopted)
    anchor = -1
    for key in consulted:
        if key in present:
            anchor = order.index(key)
        else:
            anchor += 1
            order.insert(anchor, key)
    return order


def _change(before: _Wording | None, after: _Wording | None) -> ArticleChange:
    shown = after or before
    if shown is None:  # a change has a wording before, after, or both
        raise ValueError("an article change without any wording")
    old = before.paragraphs if before else ()
    new = after.paragraphs if after else ()
    old_title, new_title = (before.title if before else ""), (after.title if after else "")
    if before is None:
        status = "added"
    elif after is None:
        status = "removed"
    elif [_squash(p) for p in old] == [_squash(p) for p in new] and _squash(old_title) == _squash(
        new_title
    ):
        status = "unchanged"
    else:
        status = "modified"
    return ArticleChange(
        key=shown.key,
        number=shown.number,
        label=shown.label,
        status=status,
        before=old,
        after=new,
        title=tuple(word_diff(old_title, new_title)) if old_title or new_title else (),
        paragraphs=tuple(tuple(p) for p in paragraph_diff(list(old), list(new))),
    )


def paragraph_diff(before: list[str], after: list[str]) -> list[list[Segment]]:
    """Paragraphs aligned first (an inserted or deleted paragraph does not shift the others),
    then compared word by word where one replaces another."""
    matcher = SequenceMatcher(
        a=[_squash(p) for p in before], b=[_squash(p) for p in after], autojunk=False
    )
    shown: list[list[Segment]] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            shown += [[Segment("same", p)] for p in after[b1:b2]]
            continue
        pairs = min(a2 - a1, b2 - b1) if tag == "replace" else 0
        shown += [word_diff(before[a1 + i], after[b1 + i]) for i in range(pairs)]
        shown += [[Segment("removed", p)] for p in before[a1 + pairs : a2]]
        shown += [[Segment("added", p)] for p in after[b1 + pairs : b2]]
    return shown


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# --- Contributions behind the changes --------------------------------------------------------


def similarity(proposal: str, wording: str) -> float:
    """How close a proposed wording is to an adopted one, from 0 to 1: difflib's ratio
    (2 × matching words / total words) over their words, lower-cased, punctuation ignored.
    1 means the same words in the same order."""
    a, b = _WORDS.findall(proposal.lower()), _WORDS.findall(wording.lower())
    if not a or not b:
        return 0.0
    matcher = SequenceMatcher(a=a, b=b, autojunk=False)
    if matcher.real_quick_ratio() < SUGGESTION_THRESHOLD:
        return matcher.real_quick_ratio()
    if matcher.quick_ratio() < SUGGESTION_THRESHOLD:
        return matcher.quick_ratio()
    return matcher.ratio()


def suggest_links(
    consultation: Consultation, change: ArticleChange
) -> list[tuple[Contribution, float | None]]:
    """Contributions that may have motivated `change`, best first.

    First, at most SUGGESTIONS public amendments (or proposed new articles) of that article —
    for an added article, the proposed new articles of the whole consultation — whose
    proposed wording reaches SUGGESTION_THRESHOLD against the new wording: the whole new
    article or one of its new paragraphs, whichever is closest. Then the public contributions
    on that article answered "retained" or "partially retained" (score None).
    """
    scored: list[tuple[int, float]] = []
    if change.after:
        targets = [change.new_text] + [p for p in change.after if p not in change.before]
        for contribution_id, proposed in db.session.execute(
            sa.select(Contribution.id, Contribution.proposed_text).where(
                _public_of(consultation), _proposing(consultation, change)
            )
        ):
            score = max(similarity(proposed or "", target) for target in targets)
            if score >= SUGGESTION_THRESHOLD:
                scored.append((contribution_id, score))
        scored.sort(key=lambda item: (-item[1], item[0]))
        scored = scored[:SUGGESTIONS]
    retained = db.session.scalars(
        sa.select(Contribution.id)
        .join(Answer, Answer.contribution_id == Contribution.id)
        .join(Article, Article.id == Contribution.article_id)
        .where(_public_of(consultation), Article.slug == change.key, Answer.status.in_(RETAINED))
        .order_by(Contribution.id)
    ).all()
    suggested = dict(scored)
    ranked = [*suggested, *(i for i in retained if i not in suggested)]
    loaded = _load_contributions(ranked)
    return [(loaded[i], suggested.get(i)) for i in ranked]


def _public_of(consultation: Consultation) -> sa.ColumnElement[bool]:
    return sa.and_(
        Contribution.consultation_id == consultation.id,
        Contribution.is_public,
    )


def _proposing(consultation: Consultation, change: ArticleChange) -> sa.ColumnElement[bool]:
    """The proposals that can concern the article: its amendments and new articles proposed
    after it; for an added article, every proposed new article."""
    on_article = Contribution.article_id.in_(
        sa.select(Article.id)
        .join(TextVersion, TextVersion.id == Article.version_id)
        .where(TextVersion.consultation_id == consultation.id, Article.slug == change.key)
    )
    if change.status == "added":
        return sa.or_(
            Contribution.kind.in_(NEW_ARTICLE_KINDS),
            sa.and_(Contribution.kind.in_(AMENDING_KINDS), on_article),
        )
    return sa.and_(Contribution.kind.in_(AMENDING_KINDS), on_article)


def _load_contributions(ids: list[int]) -> dict[int, Contribution]:
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.id.in_(ids))
        .options(
            selectinload(Contribution.author),
            selectinload(Contribution.article),
            # A backref that synthesis.models adds (participation cannot name it).
            selectinload(Contribution.answer),  # type: ignore[attr-defined]
        )
    )
    return {c.id: c for c in rows}


def confirm_links(
    actor: User,
    consultation: Consultation,
    article_number: str,
    contribution_ids: object,
    *,
    now: datetime | None = None,
) -> list[ChangeLink]:
    """Confirm which contributions motivated the change of one article (`article_number` as
    in the article's address); replaces that article's confirmed links. The author of a
    contribution linked for the first time is told once.

    Each contribution must belong to the consultation and concern the article (or, for an
    added article, be a proposed new article). Raises NotAllowed, InvalidState (no adopted
    text yet), ValidationFailed (article unchanged or unknown, contributions).
    """
    now = now or clock.now()
    _require_organiser(actor, consultation)
    changes = {c.key: c for c in compare(consultation)}
    if not changes:
        raise InvalidState(_("Chargez d'abord le texte adopté."))
    change = changes.get(str(article_number))
    if change is None or not change.is_changed:
        raise ValidationFailed(
            fields={"article": _("Cet article n'a pas changé entre le texte consulté et l'adopté.")}
        )
    ids = _parse_ids(contribution_ids)
    chosen = _load_contributions(sorted(ids))
    wrong = [
        i for i in sorted(ids) if i not in chosen or not _concerns(chosen[i], consultation, change)
    ]
    if wrong:
        raise ValidationFailed(
            fields={
                "contributions": _(
                    "Ces contributions ne portent pas sur cet article de la consultation : "
                    "%(ids)s.",
                    ids=", ".join(str(i) for i in wrong[:10]),
                )
            }
        )
    existing = {
        link.contribution_id: link
        for link in db.session.scalars(
            sa.select(ChangeLink).where(
                ChangeLink.consultation_id == consultation.id,
                ChangeLink.article_number == change.key,
            )
        )
    }
    for contribution_id, link in existing.items():
        if contribution_id not in ids:
            db.session.delete(link)
    already_linked = set(
        db.session.scalars(
            sa.select(ChangeLink.contribution_id).where(
                ChangeLink.consultation_id == consultation.id
            )
        )
    )
    added = [
        ChangeLink(
            consultation_id=consultation.id,
            article_number=change.key,
            contribution_id=i,
            confirmed_by_id=actor.id,
            confirmed_at=now,
        )
        for i in sorted(ids - set(existing))
    ]
    db.session.add_all(added)
    db.session.flush()
    logger.info(
        "change links confirmed: consultation=%s article=%s contributions=%s by user=%s",
        consultation.id,
        change.key,
        sorted(ids),
        actor.id,
    )
    _tell_linked_authors(
        consultation,
        change,
        [
            chosen[link.contribution_id]
            for link in added
            if link.contribution_id not in already_linked
        ],
    )
    return [*(existing[i] for i in sorted(ids & set(existing))), *added]


def _parse_ids(values: object) -> set[int]:
    if values is None:
        return set()
    if not isinstance(values, list | tuple | set):
        raise ValidationFailed(fields={"contributions": _("Liste d'identifiants attendue.")})
    ids = set()
    for value in values:
        text = str(value).strip()
        if not (text.isdecimal() and len(text) < 10):
            raise ValidationFailed(fields={"contributions": _("Identifiants numériques attendus.")})
        ids.add(int(text))
    return ids


def _concerns(
    contribution: Contribution, consultation: Consultation, change: ArticleChange
) -> bool:
    if contribution.consultation_id != consultation.id:
        return False
    if contribution.article is not None and contribution.article.slug == change.key:
        return True
    return change.status == "added" and contribution.kind.spec.adds_article


def confirmed_links(consultation: Consultation) -> dict[str, list[Contribution]]:
    """The confirmed contributions of each changed article, by article key, oldest first."""
    rows = db.session.execute(
        sa.select(ChangeLink.article_number, Contribution)
        .join(Contribution, Contribution.id == ChangeLink.contribution_id)
        .where(ChangeLink.consultation_id == consultation.id)
        .order_by(ChangeLink.article_number, Contribution.id)
        # Contribution.answer: a backref that synthesis.models adds (participation cannot name it).
        .options(selectinload(Contribution.author), selectinload(Contribution.answer))  # type: ignore[attr-defined]
    )
    links: dict[str, list[Contribution]] = {}
    for key, contribution in rows:
        links.setdefault(key, []).append(contribution)
    return links


# --- Telling the authors --------------------------------------------------------------------


def _tell_retained_authors(consultation: Consultation) -> None:
    """One job, once the caller's transaction commits: `tell_retained_authors`."""
    enqueue_after_commit("consultation.synthesis.adoption:tell_retained_authors", consultation.id)


def tell_retained_authors(consultation_id: int) -> int:
    """The job: one e-mail per author of public, online contributions answered "retained" or
    "partially retained", listing them; erased accounts are skipped. The authors are read in
    one transaction, the messages sent after it ends; returns how many were sent."""
    consultation = get_existing(Consultation, consultation_id)
    rows = db.session.scalars(
        sa.select(Contribution)
        .join(Answer, Answer.contribution_id == Contribution.id)
        .where(
            _public_of(consultation),
            Contribution.offline_channel.is_(None),
            Answer.status.in_(RETAINED),
        )
        .order_by(Contribution.id)
        # Contribution.answer: a backref that synthesis.models adds (participation cannot name it).
        .options(selectinload(Contribution.author), selectinload(Contribution.answer))  # type: ignore[attr-defined]
    )
    by_author: dict[int, list[Contribution]] = {}
    for contribution in rows:
        by_author.setdefault(contribution.author_id, []).append(contribution)
    link = external_url("synthesis_public.adopted_text", slug=consultation.slug)
    messages = [
        compose_mail(
            contributions[0].author.email,
            _l(
                "Le texte adopté après la consultation « %(title)s »",
                title=consultation.title[:80],
            ),
            "adopted_text",
            user=contributions[0].author,
            consultation=consultation,
            contributions=contributions,
            article=None,
            link=link,
        )
        for contributions in by_author.values()
        if contributions[0].author.is_active
    ]
    return deliver_all(messages)


def _tell_linked_authors(
    consultation: Consultation, change: ArticleChange, contributions: list[Contribution]
) -> None:
    """One job, once the caller's transaction commits: `tell_linked_authors`."""
    if contributions:
        enqueue_after_commit(
            "consultation.synthesis.adoption:tell_linked_authors",
            consultation.id,
            change.key,
            [c.id for c in contributions],
        )


def tell_linked_authors(consultation_id: int, article_key: str, contribution_ids: list[int]) -> int:
    """The job: tell the authors of contributions newly linked to the change of one article
    that they motivated it (offline observations and erased accounts left out); returns how
    many were sent."""
    consultation = get_existing(Consultation, consultation_id)
    change = next((c for c in compare(consultation) if c.key == article_key), None)
    if change is None:
        logger.info("article %s no longer changed: nobody told", article_key)
        return 0
    link = external_url("synthesis_public.adopted_text", slug=consultation.slug)
    messages = [
        compose_mail(
            contribution.author.email,
            _l(
                "Votre contribution %(number)s a motivé une modification du texte",
                number=contribution.tracking_number,
            ),
            "adopted_text",
            user=contribution.author,
            consultation=consultation,
            contributions=[contribution],
            article=change,
            link=f"{link}#article-{change.key}",
        )
        for contribution in _load_contributions(sorted(contribution_ids)).values()
        if not contribution.is_offline and contribution.author.is_active
    ]
    return deliver_all(messages)

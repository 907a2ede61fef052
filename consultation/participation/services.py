"""Votes on articles, contributions and votes on contributions.

Only verified accounts vote, and only while the consultation is open — the clock is read
inside the write transaction. One vote per participant and article is enforced by a unique
constraint; casting again changes the vote, and a vote can be withdrawn until closing. The
counters shown are kept on the voted row, moved under a lock by the transaction that writes
the vote (see `tallies`), hence exact under concurrency.
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from consultation.accounts import services as accounts
from consultation.accounts.models import OrganisationCategory, ParticipationBlock, ProfileType, User
from consultation.consultations.models import Consultation
from consultation.consultations.services import can_view
from consultation.core import canonical, clock, cursors, journal
from consultation.core.clock import format_paris
from consultation.core.db import get_existing
from consultation.core.errors import (
    ConsultationNotOpen,
    DomainError,
    InvalidState,
    NotAllowed,
    NotFound,
    ValidationFailed,
)
from consultation.core.i18n import N_, _l
from consultation.core.mail import send_mail
from consultation.core.text import squash
from consultation.core.urls import WEB_ADDRESS_MESSAGE, external_url, is_web_address
from consultation.extensions import db
from consultation.participation import tallies
from consultation.participation.limits import BODY_MAX, OFFLINE_AUTHOR_MAX, TITLE_MAX, URL_MAX
from consultation.participation.models import (
    SHUFFLE_SPACE,
    ArticleVote,
    Contribution,
    ContributionKind,
    ContributionRevision,
    ContributionVote,
    OfflineChannel,
    Opinion,
    Position,
)
from consultation.texts.diff import Segment, word_diff
from consultation.texts.models import Article, TextVersion
from consultation.texts.services import find_article

logger = logging.getLogger(__name__)


def parse_opinion(value: object) -> Opinion:
    """The Opinion named by `value`; ValidationFailed with the allowed values otherwise."""
    try:
        return Opinion(value)
    except ValueError:
        raise ValidationFailed(
            _("Avis inconnu : choisissez « D'accord », « Mitigé » ou « Pas d'accord »."),
            fields={"value": _("Valeurs possibles : agree, mixed, disagree.")},
        ) from None


def get_article(article_id: int, viewer: User | None) -> tuple[Article, Consultation]:
    """The article and its consultation, if `viewer` may see them; NotFound otherwise."""
    article = db.session.get(Article, article_id)
    consultation = consultation_of(article) if article is not None else None
    if article is None or consultation is None or not can_view(viewer, consultation):
        raise NotFound(_("Aucun article à cette adresse."))
    return article, consultation


def consultation_of(article: Article) -> Consultation:
    # Identity-map lookups: no query once the version and consultation are loaded.
    # TextVersion.consultation is untyped: texts may not import consultations.
    consultation: Consultation = get_existing(TextVersion, article.version_id).consultation
    return consultation


def participation_refusal(
    actor: User | None, consultation: Consultation, now: datetime
) -> DomainError | None:
    """Why `actor` may not write in `consultation` at `now` (vote, contribute, reply, edit,
    withdraw), or None if they may: NotAllowed for a visitor, an unverified account or one
    blocked by the institution's moderation, ConsultationNotOpen outside the open period."""
    if actor is None or not actor.is_authenticated:
        return NotAllowed(_("Connectez-vous pour participer."))
    if not actor.is_verified:
        return NotAllowed(_("Confirmez votre adresse e-mail pour participer."))
    block = active_block(actor, consultation.institution_id)
    if block is not None:
        return NotAllowed(block_message(block))
    if not consultation.is_open_at(now):
        if consultation.opens_at is None or consultation.closes_at is None:  # a draft
            return ConsultationNotOpen(_("La consultation n'est pas ouverte."))
        return ConsultationNotOpen(
            _(
                "La consultation n'est pas ouverte : les avis sont reçus du %(opens)s au "
                "%(closes)s.",
                opens=format_paris(consultation.opens_at),
                closes=format_paris(consultation.closes_at),
            )
        )
    return None


def check_can_participate(actor: User, consultation: Consultation, now: datetime) -> None:
    """Raise what `participation_refusal` finds, if anything."""
    error = participation_refusal(actor, consultation, now)
    if error is not None:
        raise error


# --- What an actor may do with one contribution ------------------------------------------------
#
# One predicate per action, each the `…_refusal` function below (the error the service raises,
# or None) and its `can_…` form. The services raise the refusal; the API answers it; the pages
# receive the `can_…` flags from `participation.queries` and never decide themselves.
# `standing` is the actor's `participation_refusal` in the contribution's consultation, when the
# caller has already computed it for a page of contributions.


class _Unknown(enum.Enum):
    """A standing not computed yet (None is "may participate")."""

    token = 0


_UNKNOWN = _Unknown.token
Standing = DomainError | None | _Unknown


def _standing(
    actor: User | None, contribution: Contribution, now: datetime, standing: Standing
) -> DomainError | None:
    if not isinstance(standing, _Unknown):
        return standing
    return participation_refusal(
        actor, get_existing(Consultation, contribution.consultation_id), now
    )


def vote_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` vote on `contribution` (or change or withdraw their vote)? Anyone who may
    participate, on a contribution that is still public (see `contribution_state`)."""
    error = _standing(actor, contribution, now, standing)
    if error is not None:
        return error
    if contribution.is_withdrawn:
        return ValidationFailed(_("Cette contribution a été retirée par son auteur."))
    if contribution.is_hidden:
        return ValidationFailed(_("Cette contribution a été masquée par la modération."))
    return None


def _reply_target_refusal(parent: Contribution) -> ValidationFailed | None:
    """Replies are one level deep, to a public contribution of any kind."""
    if parent.parent_id is not None:
        return ValidationFailed(
            fields={
                "parent_id": _(
                    "On ne répond pas à une réponse : répondez à la contribution d'origine."
                )
            }
        )
    if not parent.is_public:
        return ValidationFailed(
            fields={"parent_id": _("On ne répond pas à une contribution retirée ou masquée.")}
        )
    return None


def reply_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` reply to `contribution`? Anyone who may participate, to a public
    contribution of any kind that is not itself a reply."""
    return _standing(actor, contribution, now, standing) or _reply_target_refusal(contribution)


def _authorship_refusal(
    actor: User | None, contribution: Contribution, message: str
) -> NotAllowed | None:
    """`message` (a French source marked N_) when `actor` is not the contribution's author."""
    if (
        actor is None
        or not actor.is_authenticated
        or contribution.author_id != actor.id
        or contribution.is_offline
    ):
        return NotAllowed(_(message))
    return None


def edit_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` edit `contribution`? Its author (online contributions), until closing,
    while it is neither withdrawn nor hidden."""
    error = _authorship_refusal(
        actor, contribution, N_("Seul l'auteur peut modifier sa contribution.")
    )
    if error is not None:
        return error
    if contribution.is_withdrawn:
        return NotAllowed(_("Une contribution retirée ne peut plus être modifiée."))
    if contribution.is_hidden:
        return NotAllowed(
            _("Une contribution masquée par la modération ne peut plus être modifiée.")
        )
    return _standing(actor, contribution, now, standing)


def withdraw_refusal(
    actor: User | None, contribution: Contribution, now: datetime, *, standing: Standing = _UNKNOWN
) -> DomainError | None:
    """May `actor` withdraw `contribution`? Its author (online contributions), until closing,
    once."""
    error = _authorship_refusal(
        actor, contribution, N_("Seul l'auteur peut retirer sa contribution.")
    )
    if error is not None:
        return error
    if contribution.is_withdrawn:
        return InvalidState(_("Cette contribution est déjà retirée."))
    return _standing(actor, contribution, now, standing)


def can_vote_on(
    actor: User | None, contribution: Contribution, now: datetime | None = None
) -> bool:
    return vote_refusal(actor, contribution, now or clock.now()) is None


def can_reply(actor: User | None, contribution: Contribution, now: datetime | None = None) -> bool:
    return reply_refusal(actor, contribution, now or clock.now()) is None


def can_edit(actor: User | None, contribution: Contribution, now: datetime | None = None) -> bool:
    return edit_refusal(actor, contribution, now or clock.now()) is None


def can_withdraw(
    actor: User | None, contribution: Contribution, now: datetime | None = None
) -> bool:
    return withdraw_refusal(actor, contribution, now or clock.now()) is None


def can_participate(actor: User | None, consultation: Consultation, now: datetime) -> bool:
    """Whether `actor` may vote and contribute in `consultation` at `now`: the rule of
    `check_can_participate`, as a flag for pages (False for a visitor)."""
    return participation_refusal(actor, consultation, now) is None


def active_block(user: User | None, institution_id: int) -> ParticipationBlock | None:
    """The moderation block that bars `user` from writing in the institution's consultations."""
    if user is None or not user.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(ParticipationBlock)
        .where(
            ParticipationBlock.user_id == user.id,
            ParticipationBlock.institution_id == institution_id,
            ParticipationBlock.lifted_at.is_(None),
        )
        .limit(1)
    )


def block_message(block: ParticipationBlock) -> str:
    message: str = _(
        "Votre compte ne peut plus écrire dans les consultations de %(institution)s : la "
        "modération l'a bloqué le %(date)s (motif : %(reason)s). Vous pouvez toujours tout lire.",
        institution=block.institution.name,
        date=format_paris(block.created_at),
        reason=block.reason.label.lower(),
    )
    return message


def cast_article_vote(
    actor: User, article: Article, value: object, *, now: datetime | None = None
) -> Opinion:
    """Record or change `actor`'s opinion on `article`. Returns the opinion recorded."""
    opinion = parse_opinion(value)
    now = now or clock.now()
    check_can_participate(actor, consultation_of(article), now)
    tallies.record_vote(article, actor.id, opinion, now)
    logger.info("article vote: article=%s user=%s", article.id, actor.id)
    return opinion


def withdraw_article_vote(actor: User, article: Article, *, now: datetime | None = None) -> None:
    """Remove `actor`'s opinion on `article` (nothing happens if there was none)."""
    now = now or clock.now()
    check_can_participate(actor, consultation_of(article), now)
    if tallies.record_vote(article, actor.id, None, now) is not None:
        logger.info("article vote withdrawn: article=%s user=%s", article.id, actor.id)


def vote_counts(targets: Iterable[Article | Contribution]) -> dict[int, dict[str, int]]:
    """{id: {"agree": n, "mixed": n, "disagree": n}} of articles or contributions, read from
    their counters (no query)."""
    return {target.id: target.vote_counts for target in targets}


def my_article_vote(actor: User | None, article: Article) -> Opinion | None:
    if actor is None or not actor.is_authenticated:
        return None
    return db.session.scalar(
        sa.select(ArticleVote.value).where(
            ArticleVote.article_id == article.id, ArticleVote.user_id == actor.id
        )
    )


@dataclass(frozen=True)
class VoteShare:
    opinion: Opinion
    count: int
    percent: int  # rounded, for display; the counts are exact


def vote_split(counts: dict[str, int]) -> tuple[int, list[VoteShare]]:
    """The total and each opinion's share, for a bar readable without colour."""
    total = sum(counts.values())
    shares = [
        VoteShare(o, counts[o.value], round(100 * counts[o.value] / total) if total else 0)
        for o in Opinion
    ]
    return total, shares


# --- Contributions ------------------------------------------------------------------------------

PAGE_SIZE = 20
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
    now: datetime | None = None,
) -> Contribution:
    """Record a contribution and e-mail its receipt to the author.

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
    contribution = Contribution(
        consultation_id=consultation.id,
        author_id=actor.id,
        tracking_number=new_tracking_number(),
        created_at=now,
        **values,
    )
    db.session.add(contribution)
    db.session.flush()
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
    actor: User, contribution: Contribution, changes: dict[str, Any], *, now: datetime | None = None
) -> Contribution:
    """Change the wording of one's own contribution until closing; the previous wording is kept.

    Only `title`, `body`, `proposed_text`, `url` and `position` change; kind, article and
    author never do. Raises what `edit_refusal` finds (NotAllowed: not the author, withdrawn,
    hidden; ConsultationNotOpen), ValidationFailed.
    """
    now = now or clock.now()
    consultation = get_existing(Consultation, contribution.consultation_id)
    error = edit_refusal(actor, contribution, now)
    if error is not None:
        raise error
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
    if all(values[field] == current[field] for field in EDITABLE_FIELDS):
        # An edit that changes nothing would add a wording identical to the current one and
        # mark the contribution "modifiée" for nothing.
        changed = "proposed_text" if contribution.kind.spec.amends_wording else "body"
        raise ValidationFailed(fields={changed: _("Vous n'avez rien modifié.")})
    contribution.revisions.append(
        ContributionRevision(
            title=contribution.title,
            body=contribution.body,
            proposed_text=contribution.proposed_text,
            url=contribution.url,
            replaced_at=now,
        )
    )
    for field in EDITABLE_FIELDS:
        setattr(contribution, field, values[field])
    contribution.edited_at = now
    journal.record(
        consultation.id,
        "edit",
        now,
        contribution=contribution.tracking_number,
        position=contribution.position.value if contribution.position else None,
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


def get_contribution(contribution_id: int, viewer: User | None) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or not can_view(
        viewer, get_existing(Consultation, contribution.consultation_id)
    ):
        raise NotFound(_("Aucune contribution à cette adresse."))
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


def cast_contribution_vote(
    actor: User, contribution: Contribution, value: object, *, now: datetime | None = None
) -> Opinion:
    """Record or change `actor`'s opinion on a contribution (one per participant, upsert).
    Raises ValidationFailed for an unknown value, then what `vote_refusal` finds."""
    opinion = parse_opinion(value)
    now = now or clock.now()
    error = vote_refusal(actor, contribution, now)
    if error is not None:
        raise error
    tallies.record_vote(contribution, actor.id, opinion, now)
    logger.info("contribution vote: contribution=%s user=%s", contribution.id, actor.id)
    return opinion


def withdraw_contribution_vote(
    actor: User, contribution: Contribution, *, now: datetime | None = None
) -> Opinion | None:
    """Remove `actor`'s opinion on a contribution (nothing happens if there was none), under
    the rule of `vote_refusal`. Returns the opinion removed, or None."""
    now = now or clock.now()
    error = vote_refusal(actor, contribution, now)
    if error is not None:
        raise error
    previous = tallies.record_vote(contribution, actor.id, None, now)
    if previous is not None:
        logger.info(
            "contribution vote withdrawn: contribution=%s user=%s", contribution.id, actor.id
        )
    return previous


@dataclass(frozen=True)
class ListPlace:
    """The article and alinéa a list of contributions is narrowed to, and what could not be
    used of the request, in French by field (`article`, `alinea`)."""

    article: Article | None = None
    paragraph: int | None = None
    errors: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def paragraph_numbers(self) -> list[int]:
        """The alinéas one may choose: those of the chosen article."""
        return [p.number for p in self.article.paragraphs] if self.article else []


def list_place(articles: list[Article], address: str | None, paragraph: str | None) -> ListPlace:
    """Read the article (its address, « 1er » accepted) and the alinéa (its number in that
    article) of a list's filters. An unknown article, an alinéa the article does not have, or
    an alinéa without its article is left out with a message; the list shows unfiltered."""
    errors: dict[str, str] = {}
    article = find_article(articles, (address or "").strip()[:100])
    if address and article is None:
        errors["article"] = _("Cet article n'existe pas dans le texte consulté.")
    number = None
    if paragraph:
        if article is None:
            errors.setdefault(
                "alinea", _("Choisissez aussi l'article : ses alinéas sont numérotés.")
            )
        elif not (
            paragraph.isdecimal()
            and len(paragraph) < 6
            and int(paragraph) in {p.number for p in article.paragraphs}
        ):
            errors["alinea"] = _(
                "L'%(article)s n'a pas d'alinéa %(paragraph)s.",
                article=article.label.lower(),
                paragraph=paragraph[:5],
            )
        else:
            number = int(paragraph)
    return ListPlace(article=article, paragraph=number, errors=errors)


def list_contributions(
    consultation: Consultation,
    *,
    kind: str | None = None,
    article_id: int | None = None,
    paragraph: int | None = None,
    position: str | None = None,
    author_type: str | None = None,
    sort: str = "random",
    cursor: str | None = None,
    seed: int = 0,
    limit: int = PAGE_SIZE,
) -> tuple[list[Contribution], str | None]:
    """A page of the consultation's top-level contributions and the cursor of the next one.

    Orderings: `recent` (newest first), `random` (a fixed shuffle entered at a place chosen
    by `seed`, so that a visitor pages through the same order and no one benefits from being
    first), `popular` (Wilson lower bound of the support share, mixed counting half) and
    `controversial` (twice the smaller of agree and disagree: many votes, balanced); the scores
    are stored (see `tallies`). Keyset pagination over an index: every page costs what the
    first one costs. `paragraph` (an alinéa's number) narrows `article_id` to that alinéa.
    Raises ValidationFailed for an unknown filter, ordering or cursor, and for an alinéa without
    its article.
    """
    query = (
        sa.select(Contribution)
        .where(Contribution.consultation_id == consultation.id, Contribution.parent_id.is_(None))
        .options(
            # What a list shows of each item, loaded in a fixed number of queries.
            selectinload(Contribution.author),
            selectinload(Contribution.article).selectinload(Article.paragraphs),
        )
    )
    if kind:
        try:
            query = query.where(Contribution.kind == ContributionKind(kind))
        except ValueError:
            raise ValidationFailed(fields={"kind": _("Type de contribution inconnu.")}) from None
    if article_id is not None:
        query = query.where(Contribution.article_id == article_id)
    if paragraph is not None:
        if article_id is None:
            raise ValidationFailed(
                fields={"paragraph": _("Choisissez aussi l'article : ses alinéas sont numérotés.")}
            )
        query = query.where(Contribution.paragraph == paragraph)
    if position:
        try:
            query = query.where(Contribution.position == Position(position))
        except ValueError:
            raise ValidationFailed(
                fields={"position": _("Position inconnue : for ou against.")}
            ) from None
    if author_type:
        query = _filter_author_type(query, author_type)
    if sort not in ORDERINGS:
        raise ValidationFailed(
            fields={"sort": _("Ordre inconnu : random, recent, popular ou controversial.")}
        )
    after = _decode_cursor(cursor, sort)
    if sort == "random":
        rows = _random_page(query, seed, after, limit + 1)
    else:
        rows = _ranked_page(query, ORDERINGS[sort], after, limit + 1)
    items = rows[:limit]
    next_cursor = _encode_cursor(sort, items[-1], seed) if len(rows) > limit else None
    return items, next_cursor


# Each ordering walks one index of `contributions`, newest first among equals.
ORDERINGS = {
    "random": Contribution.shuffle_key,
    "recent": Contribution.id,
    "popular": Contribution.popularity,
    "controversial": Contribution.controversy,
}


def _ranked_page(
    query: sa.Select[Contribution],
    column: InstrumentedAttribute[Any],
    after: list[Any] | None,
    size: int,
) -> list[Contribution]:
    """Descending by `column` then id, starting after the cursor's (value, id).

    After a cursor, the rest of its tie group is read first (`column = value AND id < last`),
    then the lower values: each part is one seek in the index, where a row-value comparison
    would make SQLite walk the whole tie group (most contributions share a score of 0).
    """
    if column is Contribution.id:
        if after is not None:
            query = query.where(Contribution.id < after[-1])
        return list(db.session.scalars(query.order_by(Contribution.id.desc()).limit(size)))
    rows: list[Contribution] = []
    if after is not None:
        value, last = after
        ties = query.where(column == value, Contribution.id < last)
        rows = list(db.session.scalars(ties.order_by(Contribution.id.desc()).limit(size)))
        query = query.where(column < value)
    if len(rows) < size:
        rows += db.session.scalars(
            query.order_by(column.desc(), Contribution.id.desc()).limit(size - len(rows))
        )
    return rows


def _random_page(
    query: sa.Select[Contribution], seed: int, after: list[Any] | None, size: int
) -> list[Contribution]:
    """The visitor's random order: the stored shuffle keys read from the visitor's starting
    point to the end, then from the beginning up to it — one fixed shuffle, entered at a
    different place by each visitor, so that no contribution is always first."""
    start = seed % SHUFFLE_SPACE
    key = Contribution.shuffle_key
    ordered = (key, Contribution.id)
    wrapped, last = (after[0], after[1:]) if after is not None else (0, None)
    rows: list[Contribution] = []
    if not wrapped:
        first = query.where(key >= start)
        if last is not None:
            first = first.where(sa.tuple_(*ordered) > sa.tuple_(*last))
        rows = list(db.session.scalars(first.order_by(*ordered).limit(size)))
        last = None
    if len(rows) < size:
        second = query.where(key < start)
        if last is not None:
            second = second.where(sa.tuple_(*ordered) > sa.tuple_(*last))
        rows += db.session.scalars(second.order_by(*ordered).limit(size - len(rows)))
    return rows


def _filter_author_type(
    query: sa.Select[Contribution], author_type: str
) -> sa.Select[Contribution]:
    """Contributions of individuals, of organisations, or received offline."""
    if author_type == "offline":
        return query.where(Contribution.offline_channel.is_not(None))
    try:
        profile = ProfileType(author_type)
    except ValueError:
        raise ValidationFailed(
            fields={
                "author_type": _("Type d'auteur inconnu : individual, organisation ou offline.")
            }
        ) from None
    return query.join(User, User.id == Contribution.author_id).where(
        Contribution.offline_channel.is_(None), User.profile_type == profile
    )


def _encode_cursor(sort: str, item: Contribution, seed: int) -> str:
    """An opaque cursor: the last item's place in the ordering."""
    place: list[Any]
    if sort == "random":
        place = [int(item.shuffle_key < seed % SHUFFLE_SPACE), item.shuffle_key, item.id]
    elif sort == "recent":
        place = [item.id]
    elif sort == "popular":
        place = [float(item.popularity), item.id]
    else:
        place = [getattr(item, ORDERINGS[sort].key), item.id]
    return cursors.encode([sort, *place])


# What a cursor of each ordering carries after its name, each value of the exact type written:
# random (wrapped flag, shuffle key, id), recent (id), popular (score, id), controversial
# (score, id).
CURSOR_KINDS = {
    "random": (cursors.integer, cursors.integer, cursors.integer),
    "recent": (cursors.integer,),
    "popular": (cursors.number, cursors.integer),
    "controversial": (cursors.integer, cursors.integer),
}


def _decode_cursor(cursor: str | None, sort: str) -> list[Any] | None:
    """The place a cursor of the `sort` ordering carries; InvalidCursor for any other."""
    if not cursor:
        return None
    return cursors.decode(cursor, cursors.word(sort), *CURSOR_KINDS[sort])[1:]


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
            "%(n)s caractères au maximum (%(count)s saisis).", n=BODY_MAX, count=len(body)
        )
    title = squash(title if isinstance(title, str) else "")
    if len(title) > TITLE_MAX:
        errors["title"] = _("%(n)s caractères au maximum.", n=TITLE_MAX)
    proposed_text = (proposed_text or "").strip() if isinstance(proposed_text, str) else ""
    if len(proposed_text) > BODY_MAX:
        errors["proposed_text"] = _("%(n)s caractères au maximum.", n=BODY_MAX)
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
        refusal = _reply_target_refusal(parent) if parent is not None else None
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


@dataclass(frozen=True)
class ArticleVoteEntry:
    consultation: Consultation
    article: Article
    value: Opinion
    updated_at: datetime


def erase_participant(user: User, password: str, *, now: datetime | None = None) -> None:
    """Delete a participant's account (see `accounts.erase_account`: anonymised, nothing
    counted changes) and append to each consultation where they contributed an "erasure"
    entry naming the contributions now shown under "Participant supprimé" — the record is
    added to, never rewritten."""
    now = now or clock.now()
    accounts.erase_account(user, password, now=now)
    numbers: dict[int, list[str]] = {}
    for consultation_id, number in db.session.execute(
        sa.select(Contribution.consultation_id, Contribution.tracking_number)
        .where(Contribution.author_id == user.id, Contribution.offline_channel.is_(None))
        .order_by(Contribution.id)
    ):
        numbers.setdefault(consultation_id, []).append(number)
    for consultation_id, tracking_numbers in numbers.items():
        journal.record(consultation_id, "erasure", now, contributions=tracking_numbers)


def personal_data(user: User) -> dict[str, Any]:
    """Everything the platform holds about a participant, for them to download (GDPR access
    and portability): account, profile, contributions with their earlier wordings, opinions,
    and what the domains above add (`accounts.personal_data_sections`: their appeals)."""
    contributions, votes = participant_activity(user)
    sections = {
        name: [
            {key: clock.isoformat(v) if isinstance(v, datetime) else v for key, v in entry.items()}
            for entry in entries
        ]
        for name, entries in accounts.personal_data_sections(user).items()
    }
    places = {
        id_: (slug, title)
        for id_, slug, title in db.session.execute(
            sa.select(Consultation.id, Consultation.slug, Consultation.title).where(
                Consultation.id.in_({c.consultation_id for c in contributions})
            )
        )
    }
    replied = dict(
        db.session.execute(
            sa.select(Contribution.id, Contribution.tracking_number).where(
                Contribution.id.in_({c.parent_id for c in contributions if c.parent_id})
            )
        ).all()
    )
    contribution_votes = db.session.execute(
        sa.select(Contribution.tracking_number, ContributionVote.value, ContributionVote.updated_at)
        .join(ContributionVote, ContributionVote.contribution_id == Contribution.id)
        .where(ContributionVote.user_id == user.id)
        .order_by(ContributionVote.id)
    ).all()
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "created_at": clock.isoformat(user.created_at),
            "email_verified_at": clock.isoformat(user.email_verified_at),
            "last_login_at": clock.isoformat(user.last_login_at),
            "profile_type": user.profile_type.value,
            "organisation_category": user.organisation_category.value
            if user.organisation_category
            else None,
            "organisation_name": user.organisation_name or None,
            "hatvp_number": user.hatvp_number or None,
        },
        "contributions": [
            {
                "tracking_number": c.tracking_number,
                "consultation": {
                    "slug": places[c.consultation_id][0],
                    "title": places[c.consultation_id][1],
                },
                "kind": c.kind.value,
                "article": c.article.number if c.article else None,
                "paragraph": c.paragraph,
                "position": c.position.value if c.position else None,
                "reply_to": replied.get(c.parent_id) if c.parent_id is not None else None,
                "title": c.title,
                "body": c.body,
                "proposed_text": c.proposed_text or None,
                "url": c.url or None,
                "created_at": clock.isoformat(c.created_at),
                "edited_at": clock.isoformat(c.edited_at),
                "withdrawn_at": clock.isoformat(c.withdrawn_at),
                "hidden_reason": c.hidden_reason.value if c.hidden_reason else None,
                "earlier_wordings": [
                    {"body": r.body, "replaced_at": clock.isoformat(r.replaced_at)}
                    for r in c.revisions
                ],
            }
            for c in contributions
        ],
        "opinions_on_articles": [
            {
                "consultation": v.consultation.slug,
                "article": v.article.number,
                "value": v.value.value,
                "updated_at": clock.isoformat(v.updated_at),
            }
            for v in votes
        ],
        "opinions_on_contributions": [
            {"contribution": number, "value": value.value, "updated_at": clock.isoformat(at)}
            for number, value, at in contribution_votes
        ],
        **sections,
    }


def participant_activity(user: User) -> tuple[list[Contribution], list[ArticleVoteEntry]]:
    """The participant's own contributions (newest first) and opinions on articles."""
    contributions = db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.author_id == user.id)
        .order_by(Contribution.id.desc())
        .options(selectinload(Contribution.article))
    ).all()
    rows = db.session.execute(
        sa.select(Consultation, Article, ArticleVote.value, ArticleVote.updated_at)
        .join(TextVersion, TextVersion.consultation_id == Consultation.id)
        .join(Article, Article.version_id == TextVersion.id)
        .join(ArticleVote, ArticleVote.article_id == Article.id)
        .where(ArticleVote.user_id == user.id)
        .order_by(ArticleVote.updated_at.desc())
    ).all()
    return list(contributions), [ArticleVoteEntry(*row) for row in rows]


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
        "content": _texts(contribution),
    }


def author_changed(_sender: object = None, *, user_id: int, at: datetime) -> None:
    """A participant's public name or profile changed, or their account was erased
    (`accounts.signals.public_profile_changed`): each of their online contributions gets a new
    salt — the old one, which opened the commitment to the former name, is forgotten — and
    each consultation where they contributed gets an "author" entry with the new commitments,
    by tracking number."""
    db.session.flush()
    user = get_existing(User, user_id)
    author = author_of_user(user)
    changed: dict[int, dict[str, str]] = {}
    for contribution in db.session.scalars(
        sa.select(Contribution)
        .where(Contribution.author_id == user_id, Contribution.offline_channel.is_(None))
        .order_by(Contribution.id)
    ):
        contribution.author_salt = canonical.new_salt()
        changed.setdefault(contribution.consultation_id, {})[contribution.tracking_number] = (
            canonical.salted_digest(author, contribution.author_salt)
        )
    for consultation_id, authors in changed.items():
        journal.record(consultation_id, "author", at, authors=authors)


def public_author(
    *,
    offline_channel: OfflineChannel | None = None,
    offline_author: str = "",
    profile_type: ProfileType | None = None,
    display_name: str = "",
    organisation_name: str = "",
    organisation_category: OrganisationCategory | None = None,
    hatvp_number: str = "",
) -> dict[str, Any]:
    """Who wrote a contribution, as the pages, the exports and the record show it: a display
    name (a pseudonym is allowed; "Participant supprimé" after erasure) and a type; an
    organisation with its name, category and HATVP number; an offline observation with the
    name it was received under. Never an e-mail address nor an account number."""
    if offline_channel is not None:
        return {"type": "offline", "name": offline_author or None}
    if profile_type is None:
        raise ValueError("the author of an online contribution has a profile type")
    organisation = profile_type is ProfileType.organisation
    return {
        "type": profile_type.value,
        "name": display_name,
        "organisation": organisation_name or None if organisation else None,
        "organisation_category": (
            organisation_category.value if organisation and organisation_category else None
        ),
        "hatvp_number": hatvp_number or None if organisation else None,
    }


def author_of_user(user: User) -> dict[str, Any]:
    """`public_author` of a participant's online contributions."""
    return public_author(
        profile_type=user.profile_type,
        display_name=user.display_name,
        organisation_name=user.organisation_name,
        organisation_category=user.organisation_category,
        hatvp_number=user.hatvp_number,
    )


def author_of(contribution: Contribution) -> dict[str, Any]:
    """`public_author` of a contribution."""
    if contribution.offline_channel is not None:
        return public_author(
            offline_channel=contribution.offline_channel,
            offline_author=contribution.offline_author,
        )
    return author_of_user(get_existing(User, contribution.author_id))


def _texts(contribution: Contribution) -> dict[str, str]:
    """A contribution's texts, as the record commits to them ("" when absent)."""
    return {
        "title": contribution.title or "",
        "body": contribution.body or "",
        "proposed_text": contribution.proposed_text or "",
        "url": contribution.url or "",
    }


def _count_on_article(contribution: Contribution) -> None:
    """One more contribution on its article: an atomic increment, exact under concurrency."""
    if contribution.article_id is not None:
        db.session.execute(
            sa.update(Article)
            .where(Article.id == contribution.article_id)
            .values(contributions_count=Article.contributions_count + 1)
        )


def amendment_diffs(contributions: list[Contribution]) -> dict[int, list[Segment]]:
    """For each amendment, the word-level diff from the consulted wording (the paragraph it
    targets, or the whole article) to the proposed one."""
    diffs = {}
    for contribution in contributions:
        if not contribution.kind.spec.amends_wording or not contribution.is_public:
            continue
        article = contribution.article
        if article is None:
            continue
        original = article.consulted_wording(contribution.paragraph or None)
        diffs[contribution.id] = word_diff(original, contribution.proposed_text)
    return diffs


def replies_to(contribution: Contribution) -> list[Contribution]:
    """The replies to a contribution, oldest first (replies are one level deep)."""
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .where(Contribution.parent_id == contribution.id)
            .order_by(Contribution.id)
            .options(selectinload(Contribution.author), selectinload(Contribution.article))
        )
    )

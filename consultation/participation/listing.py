"""Reading contributions: one by its address, a page of a consultation's contributions
(filters, orderings, keyset cursors), the replies to one, the diffs of amendments.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute, selectinload

from consultation.accounts.models import ProfileType, User
from consultation.consultations.models import Consultation
from consultation.consultations.services import can_view
from consultation.core import cursors
from consultation.core.db import get_existing
from consultation.core.errors import NotFound, ValidationFailed
from consultation.extensions import db
from consultation.participation.models import (
    SHUFFLE_SPACE,
    Contribution,
    ContributionKind,
    Position,
)
from consultation.texts.diff import Segment, word_diff
from consultation.texts.models import Article
from consultation.texts.services import find_article

PAGE_SIZE = 20


def get_contribution(contribution_id: int, viewer: User | None) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or not can_view(
        viewer, get_existing(Consultation, contribution.consultation_id)
    ):
        raise NotFound(_("Aucune contribution à cette adresse."))
    return contribution


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

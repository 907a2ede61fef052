"""What organisers read while answering: the contributions of a consultation with their answer,
filtered, most supported first; and the block of a draft's structured data (figures, charts,
summaries) that the draft page, the synthesis editor and the public synthesis show."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from consultation.consultations.models import Consultation
from consultation.core.errors import ValidationFailed
from consultation.core.i18n import _l
from consultation.core.sanitize import (
    Heading,
    Markup,
    render_markdown,
    render_markdown_with_headings,
)
from consultation.extensions import db
from consultation.participation import kinds
from consultation.participation.models import (
    Contribution,
    ContributionKind,
    ContributionState,
    contribution_state,
)
from consultation.synthesis import links, quotes
from consultation.synthesis.charts import LABELS, Chart, draft_charts
from consultation.synthesis.links import ContributionLink
from consultation.synthesis.models import Answer, AnswerStatus, ChangeLink, SynthesisVersion

PAGE_SIZE = 50
ANSWER_FILTERS = {"none": _l("Sans réponse"), **{s.value: s.label for s in AnswerStatus}}


@dataclass(frozen=True)
class DataBlock:
    """What `synthesis/_data.html` shows of a draft's structured data (see `synthesis.draft`):
    the data without the words of contributions withdrawn or hidden since (`quotes.withhold`),
    its charts in reading order, and the French labels of the codes it holds."""

    data: dict[str, Any] | None
    charts: list[Chart]
    labels: Mapping[str, Any]
    # The draft's working notes (`draft_markdown.notes`) as (title, HTML): staff pages only.
    notes: list[tuple[str, Markup]] = field(default_factory=list)


def data_block(data: dict[str, Any] | None, consultation_id: int) -> DataBlock:
    """The data block of a draft's (or a published version's) `data` in `consultation_id`;
    `data` None (nothing drafted yet) gives a block without data or charts. The working notes
    are apart from the data (`notes`), for the staff pages to show beside it."""
    from consultation.synthesis.analysis.statements import KIND_LABELS

    shown = quotes.withhold(data, consultation_id)
    # The labels are the reader's: the codes' and statement kinds' lazy, the kinds of
    # contribution's French (N_, `_()` on the page). The charts are built here, for each page
    # shown, so their words are translated for the request's language (nothing cached).
    labels = {
        **LABELS,
        "statement_kinds": KIND_LABELS,
        "kinds": {spec.value: spec.label for spec in kinds.specs()},
    }
    notes = [
        (str(note.get("title") or ""), render_markdown(str(note.get("markdown") or "")))
        for note in (shown or {}).get("notes") or []
        if isinstance(note, dict)
    ]
    return DataBlock(
        data=shown, charts=draft_charts(shown) if shown else [], labels=labels, notes=notes
    )


# The public synthesis: its text cut into a lead and parts with a table of contents, and every
# contribution placed in a theme, listed under its theme.
BODY_ID_PREFIX = "synthese-"
# Contributions listed under a theme on the public page (its page lists them all, 50 a page).
THEME_LIST_CAP = 50


@dataclass(frozen=True)
class PublicText:
    """A published text: `lead`, what it says before its first `##` heading (the summary the
    page opens with); `parts`, the rest, its headings with ids; `headings`, its `##` headings
    for the table of contents."""

    lead: Markup
    parts: Markup
    headings: list[Heading]


_FIRST_PART = re.compile(r"^## ", re.MULTILINE)


def public_text(body: str, consultation: Consultation) -> PublicText:
    """The published `body` as the public page shows it (see `PublicText`), its contribution
    tokens made links (`links.render`)."""
    body = body or ""
    found = _FIRST_PART.search(body)
    cut = found.start() if found else len(body)
    token_links = links.TokenLinks.for_text(consultation, body)  # one query for the whole text
    parts, headings = render_markdown_with_headings(body[cut:], BODY_ID_PREFIX, token_links)
    return PublicText(
        lead=render_markdown(body[:cut], token_links),
        parts=parts,
        headings=[heading for heading in headings if heading.level == 2],
    )


@dataclass(frozen=True)
class ThemeList:
    number: int
    label: str
    size: int
    links: list[ContributionLink]
    more: int  # members beyond the cap, not listed


def theme_lists(
    data: dict[str, Any] | None, consultation_id: int, cap: int = THEME_LIST_CAP
) -> list[ThemeList]:
    """Each theme of `data` with the links to its contributions (the first `cap`), in one
    query whatever the number of themes."""
    themes = [t for t in (data or {}).get("themes") or [] if isinstance(t, dict)]
    wanted = {
        member
        for theme in themes
        for member in (theme.get("contribution_ids") or [])[:cap]
        if isinstance(member, int)
    }
    found = {link.id: link for link in links.contribution_links(consultation_id, ids=wanted)}
    lists = []
    for index, theme in enumerate(themes, start=1):
        members = theme.get("contribution_ids") or []
        lists.append(
            ThemeList(
                number=index,
                label=str(theme.get("label") or ""),
                size=len(members),
                links=[found[m] for m in members[:cap] if m in found],
                more=max(0, len(members) - cap),
            )
        )
    return lists


@dataclass(frozen=True)
class AnswerFilters:
    answer: str | None = None  # "none", a status value, or None for all
    article_id: int | None = None
    kind: ContributionKind | None = None
    min_votes: int = 0


def parse_filters(args: Mapping[str, Any]) -> AnswerFilters:
    errors: dict[str, str] = {}
    answer = args.get("reponse") or None
    if answer is not None and answer not in ANSWER_FILTERS:
        errors["reponse"] = _("Filtre de réponse inconnu.")
    kind = None
    if args.get("type"):
        try:
            kind = ContributionKind(args.get("type"))
        except ValueError:
            errors["type"] = _("Type de contribution inconnu.")
    article_id = min_votes = None
    try:
        article_id = int(args["article"]) if args.get("article") else None
        min_votes = int(args.get("votes") or 0)
    except ValueError:
        errors["votes"] = _("Nombre attendu.")
    if (article_id is not None and not 0 < article_id < 2**31) or not 0 <= (min_votes or 0) < 2**31:
        errors["votes"] = _("Nombre hors limites.")
    if errors:
        raise ValidationFailed(fields=errors)
    return AnswerFilters(answer=answer, article_id=article_id, kind=kind, min_votes=min_votes or 0)


def answers_by_contribution(contribution_ids: list[int]) -> dict[int, Answer]:
    """The answers to these contributions, by contribution id, in one query."""
    if not contribution_ids:
        return {}
    rows = db.session.scalars(sa.select(Answer).where(Answer.contribution_id.in_(contribution_ids)))
    return {answer.contribution_id: answer for answer in rows}


def contributions_to_answer(
    consultation: Consultation, filters: AnswerFilters, *, page: int = 1
) -> tuple[list[Contribution], int]:
    """A page of the consultation's published top-level contributions, most supported first
    (Wilson lower bound), and how many match."""
    votes = Contribution.votes_agree + Contribution.votes_mixed + Contribution.votes_disagree
    query = (
        sa.select(Contribution)
        .outerjoin(Answer, Answer.contribution_id == Contribution.id)
        .where(
            Contribution.consultation_id == consultation.id,
            Contribution.parent_id.is_(None),
            Contribution.is_public,
        )
    )
    if filters.answer == "none":
        query = query.where(Answer.id.is_(None))
    elif filters.answer:
        query = query.where(Answer.status == AnswerStatus(filters.answer))
    if filters.article_id is not None:
        query = query.where(Contribution.article_id == filters.article_id)
    if filters.kind is not None:
        query = query.where(Contribution.kind == filters.kind)
    if filters.min_votes:
        query = query.where(votes >= filters.min_votes)
    total = db.session.execute(
        sa.select(sa.func.count()).select_from(query.subquery())
    ).scalar_one()
    rows = db.session.scalars(
        query.order_by(Contribution.popularity.desc(), Contribution.id.desc())
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .options(
            selectinload(Contribution.author),
            selectinload(Contribution.article),
            # A backref that synthesis.models adds to Contribution (participation cannot name it).
            selectinload(Contribution.answer),  # type: ignore[attr-defined]
        )
    ).all()
    return list(rows), total


# --- Where each contribution stands -------------------------------------------------------


@dataclass(frozen=True)
class ContributionStatus:
    """Where one contribution stands, as everyone may read it: on its card, on its page and in
    its author's "Mes contributions".

    `state` follows `participation.models.contribution_state`; `answer_body` is the official
    answer's public text (`Answer.public_body`: None once the contribution is withdrawn or
    hidden); `synthesis_version` is the number of the latest published synthesis when it quotes
    the contribution (`quoted`) or counts it in a campaign or a theme; `retained_in` lists the
    articles of the adopted text whose change the organiser linked to it.
    """

    state: ContributionState
    edited: bool = False
    hidden_notice: str | None = None
    answer_status: AnswerStatus | None = None
    answer_body: str | None = None
    answered_at: datetime | None = None
    synthesis_version: int | None = None
    quoted: bool = False
    campaign_size: int | None = None
    themes: tuple[str, ...] = ()
    retained_in: tuple[str, ...] = ()

    @property
    def is_answered(self) -> bool:
        return self.answer_status is not None

    @property
    def is_retained_answer(self) -> bool:
        return self.answer_status in (AnswerStatus.retained, AnswerStatus.partially_retained)

    @property
    def in_synthesis(self) -> bool:
        return self.quoted or self.campaign_size is not None or bool(self.themes)


# By contribution id: (quoted, size of its campaign, labels of its themes).
SynthesisFacts = dict[int, tuple[bool, int | None, tuple[str, ...]]]


def contribution_statuses(contributions: Iterable[Contribution]) -> dict[int, ContributionStatus]:
    """The status of each of these contributions, by id, in a fixed number of queries (one per
    kind of fact, whatever the number of contributions and consultations)."""
    contributions = list(contributions)
    if not contributions:
        return {}
    ids = [c.id for c in contributions]
    answers = answers_by_contribution(ids)
    consultation_ids = {c.consultation_id for c in contributions}
    syntheses = _published_synthesis_facts(consultation_ids)
    links: dict[int, list[str]] = {}
    for contribution_id, article_number in db.session.execute(
        sa.select(ChangeLink.contribution_id, ChangeLink.article_number)
        .where(ChangeLink.contribution_id.in_(ids))
        .order_by(ChangeLink.id)
    ):
        links.setdefault(contribution_id, []).append(article_number)
    statuses = {}
    for c in contributions:
        state = contribution_state(c.withdrawn_at, c.hidden_at)
        answer = answers.get(c.id)
        number, facts = syntheses.get(c.consultation_id, (None, {}))
        quoted, campaign_size, themes = facts.get(c.id, (False, None, ()))
        in_synthesis = quoted or campaign_size is not None or bool(themes)
        statuses[c.id] = ContributionStatus(
            state=state,
            edited=c.edited_at is not None and state is not ContributionState.withdrawn,
            hidden_notice=c.hidden_notice if state is ContributionState.hidden else None,
            answer_status=answer.status if answer else None,
            answer_body=answer.body if answer and state.shows_text else None,
            answered_at=answer.updated_at if answer else None,
            synthesis_version=number if in_synthesis else None,
            quoted=quoted,
            campaign_size=campaign_size,
            themes=themes,
            retained_in=tuple(links.get(c.id, ())),
        )
    return statuses


def _published_synthesis_facts(
    consultation_ids: Iterable[int],
) -> dict[int, tuple[int, SynthesisFacts]]:
    """For each consultation with a published synthesis: the latest version's number and, by
    contribution id, (quoted, size of its campaign, labels of its themes)."""
    latest = (
        sa.select(
            SynthesisVersion.consultation_id, sa.func.max(SynthesisVersion.number).label("number")
        )
        .where(SynthesisVersion.consultation_id.in_(consultation_ids))
        .group_by(SynthesisVersion.consultation_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(
            SynthesisVersion.consultation_id, SynthesisVersion.number, SynthesisVersion.data
        ).join(
            latest,
            sa.and_(
                latest.c.consultation_id == SynthesisVersion.consultation_id,
                latest.c.number == SynthesisVersion.number,
            ),
        )
    )
    result: dict[int, tuple[int, SynthesisFacts]] = {}
    for consultation_id, number, data in rows:
        data = data or {}
        quoted = quotes.quoted_ids(data)
        campaigns: dict[int, int] = {}
        for campaign in data.get("campaigns") or []:
            for member in campaign.get("contribution_ids") or []:
                campaigns[member] = campaign.get("count") or len(campaign["contribution_ids"])
        themes: dict[int, list[str]] = {}
        for theme in data.get("themes") or []:
            for member in theme.get("contribution_ids") or []:
                themes.setdefault(member, []).append(theme.get("label") or "")
        facts = {
            member: (member in quoted, campaigns.get(member), tuple(themes.get(member, ())))
            for member in quoted | set(campaigns) | set(themes)
        }
        result[consultation_id] = (number, facts)
    return result

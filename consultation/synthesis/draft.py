"""The drafted synthesis: what the data of a closed consultation says, as structured data and as
a French Markdown text that moderators edit before publishing.

`build_draft(consultation, progress=…)` returns `(markdown, data)`. `data` is JSON-ready (the
shape of SPEC §7): `figures`, `articles`, `campaigns`, `frequent_answers` (short answers many
people gave), `non_answers` (contributions that say nothing of the subject, counted), `themes`,
`opinion_groups`, `method`, `references` and `titles` (what a named contribution's link says),
and `notes`: the working notes for the staff (`draft_markdown.notes`), which publishing leaves
out.
The Markdown is written from `data` alone (`draft_markdown.write`), so that what the text
says and what the charts and tables show are the same figures.

The volume is national (85,000 contributions, 1.5 million votes): everything is loaded in bulk
with a few SQL statements on one connection of its own, in one read transaction (a snapshot:
the figures agree with each other), never row by row through the ORM. On SQLite that
transaction is deferred and never takes the write lock, so the platform keeps taking writes
while a draft is computed; the job's progress is written through the session meanwhile.

Only the texts of public contributions (neither withdrawn nor hidden) leave the database: a
hidden contribution is counted in the figures, its words are never analysed nor quoted.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from consultation.accounts.models import OrganisationCategory, ProfileType, User
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.charter import ModerationReason
from consultation.core.database import READ_ONLY
from consultation.extensions import db
from consultation.participation import kinds
from consultation.participation.models import (
    ArticleVote,
    Contribution,
    ContributionPaper,
    ContributionVote,
    OfflineChannel,
)
from consultation.synthesis import draft_markdown
from consultation.synthesis.analysis.metrics import MIN_CONTROVERSY_VOTES, controversy_ratio
from consultation.synthesis.draft_markdown import LINKED, PART_LINKED, excerpt
from consultation.texts.models import Article, TextVersion

logger = logging.getLogger(__name__)

METHOD_VERSION = "1.4"
# Characters of a position paper's text read with its contribution (its opening): a 200-page
# paper is read as a long contribution, not as a hundred of them.
PAPER_TEXT_MAX = 20_000
# Per article: how many amendments, arguments and controversial items are named.
TOP_ITEMS = 3
# An item is "controversial" from this ratio 2·min(agree, disagree)/(agree + disagree) on (the
# smaller camp at least a third of the larger one), over MIN_CONTROVERSY_VOTES votes.
MIN_CONTROVERSY_RATIO = 0.5
CAMPAIGN_MIN_SIZE = 3
CAMPAIGN_THRESHOLD = 0.7
OPINION_MIN_VOTES = 7
MAX_THEMES = 12
# Statements of the opinion groups: the contributions, as in pol.is, and the articles, which
# on a draft text are what most people vote on.
ARTICLE_VOTES_ARE_STATEMENTS = True
REPRESENTATIVE_LENGTH = 2000
FREQUENT_LENGTH = 120  # a frequent answer or a non-answer, quoted
NON_ANSWER_EXAMPLES = 5
VOTE_VALUES = {"agree": 1, "mixed": 0, "disagree": -1}
# Proposals (`analysis.proposals`): the groups kept in the data (every group named somewhere,
# then the most frequent made by two contributions or more), each with its contributions (at most
# PROPOSAL_IDS; None: every one, so that a published version's page of the group lists them all,
# `published_parts`) and its PROPOSAL_WORDINGS most frequent wordings.
PROPOSALS_STORED = 300
PROPOSAL_IDS: int | None = None
PROPOSAL_WORDINGS = 3
WORDING_IDS = 50
# The key of the draft data holding every member of each stored proposal group with its
# sentence (`ProposalReading.members`): read by the review's import, never saved.
PROPOSAL_MEMBERS = "proposal_members"
PROPOSALS_LISTED = 15  # the most frequent proposals the text lists, made by two or more
PROPOSALS_PER_PART = 5  # the most frequent proposals of a theme, of an article
PART_PROPOSAL_IDS = 50  # contributions kept per proposal of a theme or an article
# Statement kinds measured on the held-out part of eval/corpus (195 labelled real answers):
# (kind, precision %, recall %), from `.venv/bin/python eval/synthesis.py` on 2026-12-05; the
# method page shows them (proposals: precision 71 %, recall 59 %, written there).
STATEMENT_FIGURES = (
    ("proposal", 87, 71),
    ("problem", 86, 44),
    ("experience", 83, 65),
    ("opposition", 79, 44),
    ("question", 100, 56),
)
ARTICLE_THEMES = 3  # the themes an article's contributions fall in most, named in its summary
REPRESENTATIVES = 3  # contributions quoted per article, whatever their votes

Progress = Callable[[float, str], None]

if TYPE_CHECKING:
    from consultation.synthesis.analysis.campaigns import Campaign
    from consultation.synthesis.analysis.opinions import OpinionMap, SharedStatement
    from consultation.synthesis.analysis.themes import Theme, Vectors

    # A row of any columns.
    AnyRow = Row[*tuple[Any, ...]]

# The steps of a run: (name shown to the staff, first percent, last percent).
STEP_LOAD = ("Lecture des contributions", 0, 8)
STEP_FIGURES = ("Chiffres de la participation", 8, 20)
STEP_ARTICLES = ("Bilan par article", 20, 24)
STEP_CAMPAIGNS = ("Recherche des campagnes", 24, 46)
STEP_THEMES = ("Recherche des thèmes", 46, 58)
STEP_ARTICLE_THEMES = ("Thèmes de chaque article", 58, 62)
STEP_PROPOSALS = ("Propositions et nature des contributions", 62, 68)
STEP_OPINIONS = ("Groupes d'opinion", 68, 96)
STEP_WRITE = ("Rédaction du texte", 96, 99)


@dataclass(frozen=True)
class Subject:
    """What a draft is about: plain values copied from the consultation at the start, so that
    no ORM object is touched (nor a transaction opened through the session) while it runs."""

    id: int
    slug: str
    title: str
    opens_at: datetime | None
    closes_at: datetime | None


def subject_of(consultation: Consultation) -> Subject:
    """The plain values of `consultation` a draft's text is written about."""
    return Subject(
        consultation.id,
        consultation.slug,
        consultation.title,
        consultation.opens_at,
        consultation.closes_at,
    )


def build_draft(
    consultation: Consultation, *, progress: Progress | None = None
) -> tuple[str, dict[str, Any]]:
    """Compute the draft of `consultation`: `(markdown, data)`. Raises whatever an analysis
    raises; the caller (the job) reports it."""
    subject = Subject(
        consultation.id,
        consultation.slug,
        consultation.title,
        consultation.opens_at,
        consultation.closes_at,
    )
    report = progress or (lambda _percent, _step: None)
    with _snapshot() as connection:
        data = _build_data(connection, subject, report)
    name, start, _end = STEP_WRITE
    report(start, name)
    markdown = draft_markdown.write(subject, data)
    # The working notes live beside the text, never in it (never published).
    data["notes"] = draft_markdown.notes(data)
    return markdown, data


def _snapshot() -> AbstractContextManager[Connection]:
    """A connection of its own in one read transaction: deferred on SQLite (no write lock),
    REPEATABLE READ on PostgreSQL (one snapshot for every statement)."""
    connection = db.engine.connect()
    options: dict[str, Any] = {READ_ONLY: True}
    if connection.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    connection = connection.execution_options(**options)

    class _Snapshot:
        def __enter__(self) -> Connection:
            connection.begin()
            return connection

        def __exit__(self, *_exc: object) -> None:
            connection.rollback()
            connection.close()

    return _Snapshot()


def _phase(report: Progress, step: tuple[str, int, int]) -> Callable[[float], None]:
    """Announce a step and return its own progress callback (a fraction 0..1)."""
    name, start, end = step
    report(start, name)

    def fraction(done: float) -> None:
        report(start + (end - start) * max(0.0, min(1.0, done)), name)

    return fraction


def _build_data(connection: Connection, subject: Subject, report: Progress) -> dict[str, Any]:
    # The analyses load numpy, scikit-learn and datasketch: imported when a draft runs, not
    # when the application starts.
    from consultation.synthesis.analysis.opinions import find_opinion_groups

    _phase(report, STEP_LOAD)
    contributions = _load_contributions(connection, subject.id)
    articles = _load_articles(connection, subject.id)
    figures_progress = _phase(report, STEP_FIGURES)
    figures = _figures(connection, subject, contributions, figures_progress)
    _phase(report, STEP_ARTICLES)
    public = [row for row in contributions if row.body is not None]
    by_id = {row.id: row for row in public}
    counts = Counter(row.article_id for row in contributions if row.article_id is not None)
    on_article = defaultdict(list)
    for row in public:
        if row.article_id is not None and row.parent_id is None:
            on_article[row.article_id].append(row)
    article_data = [
        _article_summary(article, on_article[article.id], counts[article.id])
        for article in articles
    ]
    texts = [(row.id, _analysed_text(row)) for row in public]
    reading = campaigns_and_themes(
        texts,
        seed=0,
        step=lambda name: _phase(report, STEP_CAMPAIGNS if name == "campaigns" else STEP_THEMES),
    )
    own_themes = _themes_within_articles(reading, on_article, _phase(report, STEP_ARTICLE_THEMES))
    reading = replace(reading, vectors=None)  # the weights are not needed any more: freed
    _phase(report, STEP_PROPOSALS)
    proposals = _proposals_and_kinds(
        texts, reading, on_article, contributions, [a.id for a in articles]
    )
    for summary in article_data:
        summary.update(proposals.articles[summary["id"]])
        summary.update(own_themes.get(summary["id"]) or {"own_themes": [], "own_themes_texts": 0})
    opinion_map = find_opinion_groups(
        _statement_votes(connection, subject.id),
        min_votes=OPINION_MIN_VOTES,
        # A campaign is one statement: its copies are counted under its reference text.
        same_as={
            ("contribution", member): ("contribution", campaign.representative_id)
            for campaign in reading.campaigns
            for member in campaign.member_ids
        },
        seed=0,
        progress=_phase(report, STEP_OPINIONS),
    )
    labels = {f"article:{a.id}": (a.label, a.slug) for a in articles}
    data: dict[str, Any] = {
        "consultation": {
            "slug": subject.slug,
            "title": subject.title,
            "opens_at": clock.isoformat(subject.opens_at),
            "closes_at": clock.isoformat(subject.closes_at),
        },
        "generated_at": clock.isoformat(clock.now()),
        "figures": figures,
        "articles": article_data,
        "campaigns": [_campaign_data(campaign, by_id) for campaign in reading.campaigns],
        "frequent_answers": [_frequent_data(group, by_id) for group in reading.frequent_answers],
        "non_answers": _non_answer_data(reading.non_answers, by_id),
        "themes": [
            _theme_data(theme) | proposals.themes[index] | _spread(theme, by_id)
            for index, theme in enumerate(reading.themes)
        ],
        "proposals": proposals.summary,
        "opinion_groups": _opinion_data(opinion_map, by_id, labels),
        "method": method_settings(),
    }
    # For the review's workbench only (`jobs` takes it out before the draft is saved).
    data[PROPOSAL_MEMBERS] = proposals.members
    references = _references(data, by_id)
    data["references"] = references
    # What each named contribution's link says before its number (`draft_markdown.link_text`).
    data["titles"] = {
        key: draft_markdown.link_text(by_id[int(key)].title, by_id[int(key)].body)
        for key in references
    }
    return data


# --- Loading -------------------------------------------------------------------------------------

_C = cast(sa.Table, Contribution.__table__)
_A = cast(sa.Table, Article.__table__)
_AV = cast(sa.Table, ArticleVote.__table__)
_CV = cast(sa.Table, ContributionVote.__table__)
_V = cast(sa.Table, TextVersion.__table__)
_U = cast(sa.Table, User.__table__)
_P = cast(sa.Table, ContributionPaper.__table__)
_PUBLIC = Contribution.is_public  # neither withdrawn nor hidden: participation's one rule


def _raw(column: sa.ColumnElement[Any]) -> sa.ColumnElement[str]:
    """An enum column read as its stored string (no conversion per row)."""
    return sa.type_coerce(column, sa.String)


def _public_text(column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    return sa.case((_PUBLIC, column), else_=sa.null())


def _load_contributions(connection: Connection, consultation_id: int) -> Sequence[AnyRow]:
    """Every contribution of the consultation, hidden and withdrawn ones included (they are
    counted); the texts only of public ones (`body` is None for the others), the position
    paper's text among them (the first `PAPER_TEXT_MAX` characters, None without a paper)."""
    return connection.execute(
        sa.select(
            _C.c.id,
            _C.c.article_id,
            _C.c.parent_id,
            _raw(_C.c.kind).label("kind"),
            _raw(_C.c.position).label("position"),
            _C.c.author_id,
            _raw(_U.c.profile_type).label("profile_type"),
            _raw(_C.c.offline_channel).label("offline_channel"),
            _raw(_C.c.hidden_reason).label("hidden_reason"),
            _C.c.hidden_at.is_not(None).label("hidden"),
            _C.c.withdrawn_at.is_not(None).label("withdrawn"),
            _C.c.created_at,
            _C.c.votes_agree,
            _C.c.votes_mixed,
            _C.c.votes_disagree,
            _C.c.popularity,
            _C.c.tracking_number,
            _public_text(_C.c.title).label("title"),
            _public_text(_C.c.body).label("body"),
            _public_text(_C.c.proposed_text).label("proposed_text"),
            _P.c.id.is_not(None).label("has_paper"),
            _public_text(sa.func.substr(_P.c.text, 1, PAPER_TEXT_MAX)).label("paper_text"),
        )
        .select_from(
            _C.outerjoin(_U, _U.c.id == _C.c.author_id).outerjoin(
                _P, _P.c.contribution_id == _C.c.id
            )
        )
        .where(_C.c.consultation_id == consultation_id)
        .order_by(_C.c.id)
    ).all()


def _load_articles(connection: Connection, consultation_id: int) -> Sequence[AnyRow]:
    """The articles of the consulted text (its latest version), in order."""
    version_id = connection.scalar(
        sa.select(_V.c.id)
        .where(_V.c.consultation_id == consultation_id)
        .order_by(_V.c.number.desc())
        .limit(1)
    )
    return connection.execute(
        sa.select(
            _A.c.id,
            _A.c.number,
            _A.c.slug,
            _A.c.label,
            _A.c.title,
            _A.c.votes_agree,
            _A.c.votes_mixed,
            _A.c.votes_disagree,
        )
        .where(_A.c.version_id == version_id)
        .order_by(_A.c.position)
    ).all()


def _article_ids(consultation_id: int) -> sa.Select[Any]:
    versions = sa.select(_V.c.id).where(_V.c.consultation_id == consultation_id)
    return sa.select(_A.c.id).where(_A.c.version_id.in_(versions))


def _contribution_ids(
    consultation_id: int, *conditions: sa.ColumnExpressionArgument[bool]
) -> sa.Select[Any]:
    return sa.select(_C.c.id).where(_C.c.consultation_id == consultation_id, *conditions)


def _statement_votes(connection: Connection, consultation_id: int) -> Iterator[tuple[Any, ...]]:
    """(participant, statement, 1/0/-1) for every vote on a public contribution and, when
    articles are statements, on an article; streamed, never held as ORM objects."""
    streamed = connection.execution_options(yield_per=50_000)
    rows = streamed.execute(
        sa.select(_CV.c.user_id, _CV.c.contribution_id, _raw(_CV.c.value)).where(
            _CV.c.contribution_id.in_(_contribution_ids(consultation_id, _PUBLIC))
        )
    )
    for user_id, contribution_id, value in rows:
        yield user_id, ("contribution", contribution_id), VOTE_VALUES[value]
    if not ARTICLE_VOTES_ARE_STATEMENTS:
        return
    rows = streamed.execute(
        sa.select(_AV.c.user_id, _AV.c.article_id, _raw(_AV.c.value)).where(
            _AV.c.article_id.in_(_article_ids(consultation_id))
        )
    )
    for user_id, article_id, value in rows:
        yield user_id, ("article", article_id), VOTE_VALUES[value]


# --- Figures -------------------------------------------------------------------------------------


def _figures(
    connection: Connection,
    subject: Subject,
    contributions: Sequence[AnyRow],
    fraction: Callable[[float], None],
) -> dict[str, Any]:
    article_votes = _count_by_value(connection, _AV, _AV.c.article_id.in_(_article_ids(subject.id)))
    fraction(0.15)
    contribution_votes = _count_by_value(
        connection, _CV, _CV.c.contribution_id.in_(_contribution_ids(subject.id))
    )
    fraction(0.3)
    people = _participants_by_profile(connection, subject.id)
    fraction(0.6)
    per_day = _per_day(connection, subject, contributions)
    fraction(1.0)
    online = [row for row in contributions if row.offline_channel is None]
    by_kind = Counter(kinds.spec_of(row.kind).value for row in contributions)  # none unknown
    offline = Counter(row.offline_channel for row in contributions if row.offline_channel)
    hidden = Counter(row.hidden_reason or "other" for row in contributions if row.hidden)
    individuals = sum(n for (profile, _cat), n in people.items() if profile == "individual")
    organisations: Counter[str] = Counter()
    for (profile, category), n in people.items():
        if profile == "organisation":
            organisations[category or "other"] += n
    return {
        "participants": sum(people.values()),
        "contributors": len({row.author_id for row in online}),
        "contributions": {
            "total": len(contributions),
            "top_level": sum(1 for row in contributions if row.parent_id is None),
            "replies": sum(1 for row in contributions if row.parent_id is not None),
            "with_paper": sum(1 for row in contributions if row.has_paper),
            "by_kind": {spec.value: by_kind.get(spec.value, 0) for spec in kinds.specs()},
        },
        "votes": {
            "total": sum(article_votes.values()) + sum(contribution_votes.values()),
            "articles": sum(article_votes.values()),
            "contributions": sum(contribution_votes.values()),
            "articles_by_value": article_votes,
            "contributions_by_value": contribution_votes,
        },
        "participants_by_type": {
            ProfileType.individual.value: individuals,
            ProfileType.organisation.value: sum(organisations.values()),
        },
        "organisations_by_category": {
            category.value: organisations.get(category.value, 0)
            for category in OrganisationCategory
        },
        "per_day": per_day,
        "offline": {
            "total": sum(offline.values()),
            "by_channel": {
                channel.value: offline.get(channel.value, 0) for channel in OfflineChannel
            },
        },
        "moderated": {
            "total": sum(hidden.values()),
            "by_reason": {reason.value: hidden.get(reason.value, 0) for reason in ModerationReason},
        },
        "withdrawn": sum(1 for row in contributions if row.withdrawn),
    }


def _count_by_value(
    connection: Connection, table: sa.Table, condition: sa.ColumnElement[bool]
) -> dict[str, int]:
    counts = dict(
        connection.execute(
            sa.select(_raw(table.c.value), sa.func.count()).where(condition).group_by(table.c.value)
        ).all()
    )
    return {value: counts.get(value, 0) for value in VOTE_VALUES}


def _participants_by_profile(
    connection: Connection, consultation_id: int
) -> dict[tuple[str, str | None], int]:
    """Distinct people who voted or contributed (offline observations are entered by staff on
    behalf of their senders: not counted here), by (profile type, organisation category)."""
    people = sa.union(
        sa.select(_AV.c.user_id.label("user_id")).where(
            _AV.c.article_id.in_(_article_ids(consultation_id))
        ),
        sa.select(_CV.c.user_id).where(
            _CV.c.contribution_id.in_(_contribution_ids(consultation_id))
        ),
        sa.select(_C.c.author_id).where(
            _C.c.consultation_id == consultation_id, _C.c.offline_channel.is_(None)
        ),
    ).subquery()
    rows = connection.execute(
        sa.select(_raw(_U.c.profile_type), _raw(_U.c.organisation_category), sa.func.count())
        .select_from(_U)
        .join(people, people.c.user_id == _U.c.id)
        .group_by(_U.c.profile_type, _U.c.organisation_category)
    ).all()
    return {(profile, category): n for profile, category, n in rows}


def _hour_bucket(connection: Connection, column: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The UTC hour of an instant as 'YYYY-MM-DD HH': Paris days are whole hours of UTC, so
    the database groups by hour and Python assigns each hour to its Paris day."""
    if connection.dialect.name == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return sa.func.strftime("%Y-%m-%d %H", column)


def _votes_per_hour(
    connection: Connection, table: sa.Table, condition: sa.ColumnElement[bool]
) -> Counter[str]:
    bucket = _hour_bucket(connection, table.c.created_at)
    rows = connection.execute(
        sa.select(bucket.label("hour"), sa.func.count()).where(condition).group_by("hour")
    ).all()
    return Counter(dict(rows))


def _paris_day(hour: str) -> date:
    moment = datetime.strptime(hour, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return clock.to_paris(moment).date()


def _per_day(
    connection: Connection, subject: Subject, contributions: Sequence[AnyRow]
) -> list[dict[str, Any]]:
    """Contributions and votes per Paris calendar day, every day of the period listed."""
    contributions_per_day = Counter(clock.to_paris(row.created_at).date() for row in contributions)
    votes: dict[str, Counter[date]] = {"article_votes": Counter(), "contribution_votes": Counter()}
    for key, table, condition in (
        ("article_votes", _AV, _AV.c.article_id.in_(_article_ids(subject.id))),
        ("contribution_votes", _CV, _CV.c.contribution_id.in_(_contribution_ids(subject.id))),
    ):
        for hour, n in _votes_per_hour(connection, table, condition).items():
            votes[key][_paris_day(hour)] += n
    days = (
        set(contributions_per_day) | set(votes["article_votes"]) | set(votes["contribution_votes"])
    )
    if subject.opens_at and subject.closes_at:
        days |= {clock.to_paris(subject.opens_at).date(), clock.to_paris(subject.closes_at).date()}
    if not days:
        return []
    first, last = min(days), max(days)
    result = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        article_votes = votes["article_votes"].get(day, 0)
        contribution_votes = votes["contribution_votes"].get(day, 0)
        result.append(
            {
                "date": day.isoformat(),
                "contributions": contributions_per_day.get(day, 0),
                "votes": article_votes + contribution_votes,
                "article_votes": article_votes,
                "contribution_votes": contribution_votes,
            }
        )
    return result


# --- Per article ---------------------------------------------------------------------------------


def _article_summary(
    article: AnyRow, mine: Sequence[AnyRow], contributions_count: int
) -> dict[str, Any]:
    """The vote split of an article and its most supported and most debated top-level public
    contributions (`mine`); `contributions_count` counts every status, as the article does."""
    supported = sorted(
        (row for row in mine if row.popularity > 0), key=lambda r: (-r.popularity, r.id)
    )
    controversial = sorted(
        (
            (ratio, row)
            for row in mine
            if (ratio := controversy_ratio(row.votes_agree, row.votes_disagree))
            and ratio >= MIN_CONTROVERSY_RATIO
        ),
        key=lambda pair: (-pair[0], -_votes_total(pair[1]), pair[1].id),
    )
    return {
        "id": article.id,
        "number": article.number,
        "slug": article.slug,
        "label": article.label,
        "title": article.title,
        "votes": {
            "agree": article.votes_agree,
            "mixed": article.votes_mixed,
            "disagree": article.votes_disagree,
        },
        "contributions_count": contributions_count,
        "public_contributions": len(mine),
        **{
            section.key: [
                _item(row, row.popularity)
                for row in supported
                if row.kind == spec.value
                and (section.position is None or row.position == section.position)
            ][:TOP_ITEMS]
            for spec, section in kinds.article_sections()
        },
        "controversial": [_item(row, ratio) for ratio, row in controversial[:TOP_ITEMS]],
    }


def _votes_total(row: AnyRow) -> int:
    total: int = row.votes_agree + row.votes_mixed + row.votes_disagree
    return total


def _item(row: AnyRow, score: float) -> dict[str, Any]:
    return {
        "id": row.id,
        "tracking_number": row.tracking_number,
        "kind": row.kind,
        "position": row.position,
        "excerpt": excerpt(_quoted_text(row)),
        "votes": {
            "agree": row.votes_agree,
            "mixed": row.votes_mixed,
            "disagree": row.votes_disagree,
        },
        "score": round(score, 4),
    }


# --- Campaigns, themes, opinion groups -----------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What the draft reads in the texts (see `campaigns_and_themes`)."""

    campaigns: list[Campaign]
    themes: list[Theme]
    frequent_answers: list[Campaign]  # short answers many people gave, not campaigns
    non_answers: list[int]  # contributions that say nothing of the subject, ascending
    # The weights of the texts the themes read (`themes.vectorise`), for the themes within
    # each article; None when no theme could be looked for.
    vectors: Vectors | None = None


def campaigns_and_themes(
    items: Sequence[tuple[int, str]],
    *,
    seed: int = 0,
    step: Callable[[str], Callable[[float], None]] | None = None,
) -> Reading:
    """The draft's reading of the texts: non-answers set aside, campaigns, then themes over one
    text per campaign.

    Non-answers (« RAS », « Non », « je ne sais pas »: `nonanswers.is_non_answer`) are counted
    and take part in nothing else. Identical or near-identical texts are grouped; a group whose
    common text is short (« Géothermie ») is a frequent answer, not a campaign
    (`campaigns.split_short`), and its members take part in the themes one by one. A text copied
    by a campaign weighs as one in the themes: its copies (every member but the representative)
    are left out of them. `items` are (contribution id, analysed text); `step`, when given, is
    called as each step starts ("campaigns", then "themes") and returns that step's progress
    callback.
    """
    from consultation.synthesis.analysis.campaigns import find_campaigns, split_short
    from consultation.synthesis.analysis.nonanswers import is_non_answer
    from consultation.synthesis.analysis.themes import find_themes, vectorise

    empty = {item_id for item_id, text in items if is_non_answer(text)}
    answers = [(item_id, text) for item_id, text in items if item_id not in empty]
    campaigns, frequent = split_short(
        find_campaigns(
            answers,
            min_size=CAMPAIGN_MIN_SIZE,
            threshold=CAMPAIGN_THRESHOLD,
            progress=step("campaigns") if step else None,
        )
    )
    copies = {
        member
        for campaign in campaigns
        for member in campaign.member_ids
        if member != campaign.representative_id
    }
    read = [(item_id, text) for item_id, text in answers if item_id not in copies]
    progress = step("themes") if step else None
    vectors = vectorise(read)
    themes = find_themes(read, seed=seed, max_themes=MAX_THEMES, progress=progress, vectors=vectors)
    return Reading(campaigns, themes, frequent, sorted(empty), vectors)


def _analysed_text(row: AnyRow) -> str:
    """The words a person wrote: title, text, the position paper's text (its opening) and
    proposed wording."""
    return "\n\n".join(
        part for part in (row.title, row.body, row.paper_text, row.proposed_text) if part
    )


def _quoted_text(row: AnyRow) -> str:
    """What a quotation starts with: the title, then the text."""
    return " — ".join(part for part in (row.title, row.body) if part)


def _campaign_data(campaign: Campaign, by_id: dict[int, AnyRow]) -> dict[str, Any]:
    return {
        "count": campaign.count,
        "representative_id": campaign.representative_id,
        "representative_tracking_number": by_id[campaign.representative_id].tracking_number,
        "representative": excerpt(campaign.representative, REPRESENTATIVE_LENGTH),
        "contribution_ids": list(campaign.member_ids),
        "exact": len(campaign.exact_ids),
        "exact_ids": list(campaign.exact_ids),
        "additions": [
            {"id": member, "text": text}
            for member, text in sorted(campaign.additions.items())
            if text.strip()
        ],
    }


def _frequent_data(group: Campaign, by_id: dict[int, AnyRow]) -> dict[str, Any]:
    """A short answer many people gave, quoted in its most frequent written form."""
    forms = Counter(_analysed_text(by_id[member]).strip() for member in group.member_ids)
    return {
        "count": group.count,
        "text": excerpt(forms.most_common(1)[0][0], FREQUENT_LENGTH),
        "representative_id": group.representative_id,
        "contribution_ids": list(group.member_ids),
    }


def _non_answer_data(ids: list[int], by_id: dict[int, AnyRow]) -> dict[str, Any]:
    """How many contributions say nothing of the subject, their ids, and the most frequent of
    their texts (at most `NON_ANSWER_EXAMPLES`, as written)."""
    texts = Counter(excerpt(_analysed_text(by_id[i]), FREQUENT_LENGTH) for i in ids)
    return {
        "count": len(ids),
        "contribution_ids": list(ids),
        "examples": [text for text, _ in texts.most_common(NON_ANSWER_EXAMPLES) if text],
    }


def _theme_data(theme: Theme) -> dict[str, Any]:
    return {
        "label": theme_label(theme.phrases, theme.terms),
        "phrases": list(theme.phrases),
        "terms": list(theme.terms),
        "size": len(theme.member_ids),
        "contribution_ids": list(theme.member_ids),
        "excerpts": [{"id": member, "text": excerpt(text)} for member, text in theme.excerpts],
    }


def participant_type(row: AnyRow) -> str:
    """Who wrote a contribution, as the themes' spread counts them: `offline` for an observation
    received offline (entered by the staff), else the author's profile type (`individual`,
    `organisation`)."""
    return "offline" if row.offline_channel else str(row.profile_type or "individual")


PARTICIPANT_TYPES = ("individual", "organisation", "offline")


def _spread(theme: Theme, by_id: dict[int, AnyRow]) -> dict[str, Any]:
    """How a theme spreads: its contributions by article (most first; `article` None for those
    on no article) and by participant type (`PARTICIPANT_TYPES`)."""
    members = [by_id[member] for member in theme.member_ids if member in by_id]
    articles = Counter(row.article_id for row in members)
    types = Counter(participant_type(row) for row in members)
    return {
        "by_article": [
            {"article": article_id, "count": n}
            for article_id, n in sorted(
                articles.items(), key=lambda pair: (-pair[1], pair[0] is None, pair[0] or 0)
            )
        ],
        "by_participant_type": {kind: types.get(kind, 0) for kind in PARTICIPANT_TYPES},
    }


def _themes_within_articles(
    reading: Reading, on_article: dict[int, list[AnyRow]], progress: Callable[[float], None]
) -> dict[int, dict[str, Any]]:
    """Each article's own themes (`themes.themes_within`), by article id, for the articles with
    at least `themes.PART_MIN_TEXTS` substantive top-level public contributions — the texts the
    consultation's themes read (non-answers and campaign copies left out), whose weights are
    reused. Each article's entry: `own_themes` and `own_themes_texts` (its substantive texts)."""
    from consultation.synthesis.analysis.themes import PART_MIN_TEXTS, themes_within

    vectors = reading.vectors
    if vectors is None:
        return {}
    read = {item_id for item_id, _text in vectors.items}
    theme_of = {
        member: index for index, theme in enumerate(reading.themes) for member in theme.member_ids
    }
    substantive = {
        article_id: [row.id for row in rows if row.id in read]
        for article_id, rows in on_article.items()
    }
    eligible = [a for a, ids in substantive.items() if len(ids) >= PART_MIN_TEXTS]
    found: dict[int, dict[str, Any]] = {
        article_id: {"own_themes": [], "own_themes_texts": len(ids)}
        for article_id, ids in substantive.items()
    }
    for done, article_id in enumerate(eligible, start=1):
        themes = themes_within(vectors, substantive[article_id], seed=0)
        found[article_id]["own_themes"] = [_own_theme_data(theme, theme_of) for theme in themes]
        progress(done / len(eligible))
    return found


def _own_theme_data(theme: Theme, theme_of: dict[int, int]) -> dict[str, Any]:
    """A theme within an article, with the consultation's themes its contributions fall in most
    (`overall`: the index of each among the data's `themes`, and how many)."""
    overall = Counter(theme_of[m] for m in theme.member_ids if m in theme_of)
    return _theme_data(theme) | {
        "overall": [
            {"theme": index, "count": n}
            for index, n in sorted(overall.items(), key=lambda pair: (-pair[1], pair[0]))[:2]
        ]
    }


def theme_label(phrases: Sequence[str], terms: Sequence[str], size: int = 3) -> str:
    """A theme's provisional name: its first key phrases, completed by its weightiest terms that
    none of them contains (« transports en commun, tri des déchets, eau »)."""
    chosen = list(phrases[:size])
    written = " ".join(chosen).casefold()
    for term in terms:
        if len(chosen) >= size:
            break
        if term.casefold() not in written:
            chosen.append(term)
    return ", ".join(chosen)


# --- Proposals and statement kinds ---------------------------------------------------------------


@dataclass(frozen=True)
class ProposalReading:
    """The proposals and statement kinds of the draft: `summary` (the data's `proposals`), what
    each theme adds to its data (in the order of the themes) and each article to its summary
    (by article id)."""

    summary: dict[str, Any]
    themes: list[dict[str, Any]]
    articles: dict[int, dict[str, Any]]
    # For each group of `summary["groups"]`, every contribution making it with its first
    # proposal sentence as written: `[contribution id, sentence]`.
    members: list[list[list[Any]]] = field(default_factory=list)


def _proposals_and_kinds(
    texts: Sequence[tuple[int, str]],
    reading: Reading,
    on_article: dict[int, list[AnyRow]],
    contributions: Sequence[AnyRow],
    article_ids: Sequence[int],
) -> ProposalReading:
    """Proposals (`analysis.proposals.find_proposals`) over every public contribution, a
    campaign's copies included (each contribution making a proposal counts once, as each
    counts in the figures; how many are campaign copies is said beside), and the statement kinds
    of each contribution (`analysis.statements.classify`, once per contribution, reused for
    every count). A theme lists the proposals most made by its own contributions, an article
    those of its top-level public contributions; each counts its contributions by statement
    kind, an article also by kind of contribution, every status included (as its count)."""
    from consultation.synthesis.analysis.proposals import find_proposals
    from consultation.synthesis.analysis.statements import KINDS, classify

    statement_kinds = {item_id: classify(text) for item_id, text in texts}
    groups = find_proposals(texts)
    copies = {
        member
        for campaign in reading.campaigns
        for member in campaign.member_ids
        if member != campaign.representative_id
    }
    theme_of = {
        member: index for index, theme in enumerate(reading.themes) for member in theme.member_ids
    }
    article_of = {row.id: article_id for article_id, rows in on_article.items() for row in rows}
    in_theme: list[dict[int, list[int]]] = [defaultdict(list) for _ in reading.themes]
    in_article: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for index, group in enumerate(groups):
        for member in group.contribution_ids:
            if member in theme_of:
                in_theme[theme_of[member]][index].append(member)
            if member in article_of:
                in_article[article_of[member]][index].append(member)

    def most_made(found: dict[int, list[int]], least: int) -> list[tuple[int, list[int]]]:
        ranked = sorted(found.items(), key=lambda pair: (-len(pair[1]), pair[0]))
        return [(g, ids) for g, ids in ranked if len(ids) >= least][:PROPOSALS_PER_PART]

    theme_lists = [most_made(found, 2) for found in in_theme]
    article_lists = {article_id: most_made(in_article[article_id], 1) for article_id in article_ids}
    listed = [index for index, group in enumerate(groups) if group.count >= 2][:PROPOSALS_LISTED]
    named = set(listed)
    for chosen in [*theme_lists, *article_lists.values()]:
        named.update(g for g, _ids in chosen)
    repeated = [index for index, group in enumerate(groups) if group.count >= 2]
    stored = sorted(named | set(repeated[:PROPOSALS_STORED]))
    position = {g: n for n, g in enumerate(stored)}

    def part(chosen: list[tuple[int, list[int]]]) -> list[dict[str, Any]]:
        return [
            {"group": position[g], "count": len(ids), "contribution_ids": ids[:PART_PROPOSAL_IDS]}
            for g, ids in chosen
        ]

    def kind_counts(ids: Iterable[int]) -> dict[str, int]:
        counted = Counter(kind for member in ids for kind in statement_kinds.get(member, ()))
        return {kind: counted.get(kind, 0) for kind in KINDS}

    summary = {
        "total": len(groups),
        "repeated": len(repeated),
        "contributions": len({m for group in groups for m in group.contribution_ids}),
        "listed": [position[g] for g in listed],
        "groups": [_proposal_data(groups[g], copies) for g in stored],
    }
    themes = [
        {"proposals": part(theme_lists[index]), "statement_kinds": kind_counts(theme.member_ids)}
        for index, theme in enumerate(reading.themes)
    ]
    every_kind: dict[int, Counter[str]] = defaultdict(Counter)
    for row in contributions:
        if row.article_id is not None:
            every_kind[row.article_id][kinds.spec_of(row.kind).value] += 1
    articles = {}
    for article_id in article_ids:
        mine = on_article.get(article_id, [])
        found = Counter(theme_of[row.id] for row in mine if row.id in theme_of)
        top = sorted(found.items(), key=lambda pair: (-pair[1], pair[0]))[:ARTICLE_THEMES]
        articles[article_id] = {
            "by_kind": {
                spec.value: every_kind[article_id].get(spec.value, 0)
                for spec in kinds.specs()
                if every_kind[article_id].get(spec.value)
            },
            "statement_kinds": kind_counts(row.id for row in mine),
            "themes": [{"theme": index, "count": n} for index, n in top],
            "proposals": part(article_lists[article_id]),
            "representatives": _representatives(mine, top, reading.themes, statement_kinds),
        }
    members = [
        [[cid, sentence] for cid, sentence in _first_sentences(groups[g]).items()] for g in stored
    ]
    return ProposalReading(summary, themes, articles, members)


def _first_sentences(group: Any) -> dict[int, str]:
    """Each contribution of a proposal group with its first sentence of the group."""
    found: dict[int, str] = {}
    for sentence in group.sentences:
        found.setdefault(sentence.contribution_id, sentence.text)
    return found


def _proposal_data(group: Any, copies: set[int]) -> dict[str, Any]:
    """A proposal group as the data keeps it: its label, its most frequent wordings with the
    contributions that wrote each (what `quotes.withhold` needs to take out the words of a
    contribution hidden since), its count, its contributions (`PROPOSAL_IDS`: every one) and
    how many of them are campaign copies."""
    from consultation.synthesis.analysis.text import normalise

    forms: dict[str, list[int]] = {}
    written: dict[str, str] = {}
    for sentence in group.sentences:
        form = normalise(sentence.text)
        forms.setdefault(form, []).append(sentence.contribution_id)
        written.setdefault(form, sentence.text)
    ranked = sorted(forms, key=lambda f: (-len(set(forms[f])), len(f), f))[:PROPOSAL_WORDINGS]
    ids = group.contribution_ids
    wordings = [
        {
            "text": group.label if n == 0 else excerpt(written[form], len(group.label) + 40),
            "ids": list(dict.fromkeys(forms[form]))[:WORDING_IDS],
        }
        for n, form in enumerate(ranked)
    ]
    return {
        "label": group.label,
        "count": group.count,
        "contribution_ids": ids[:PROPOSAL_IDS],
        "campaign_copies": sum(1 for member in ids if member in copies),
        "wordings": wordings,
    }


def _representatives(
    mine: Sequence[AnyRow],
    top: list[tuple[int, int]],
    themes: Sequence[Theme],
    statement_kinds: dict[int, set[str]],
) -> list[dict[str, Any]]:
    """Contributions of an article to read first, whatever their votes: for each of its main
    themes, its contribution of that theme holding the most of the theme's key terms; then, up
    to `REPRESENTATIVES`, those doing the most (statement kinds), then the longest (up to 80
    words)."""
    from consultation.synthesis.analysis.proposals import fold

    words = {row.id: fold(_analysed_text(row)).split() for row in mine}
    chosen: list[dict[str, Any]] = []
    for index, _n in top:
        terms = {fold(term) for term in themes[index].terms}
        members = set(themes[index].member_ids)
        taken = {item["id"] for item in chosen}
        best = min(
            (row for row in mine if row.id in members and row.id not in taken),
            key=lambda row: (
                -len(terms.intersection(words[row.id])),
                -min(len(words[row.id]), 80),
                row.id,
            ),
            default=None,
        )
        if best is not None:
            chosen.append(_item(best, 0) | {"theme": index})
    taken = {item["id"] for item in chosen}
    ranked = sorted(
        (row for row in mine if row.id not in taken),
        key=lambda row: (
            -len(statement_kinds.get(row.id, ())),
            -min(len(words[row.id]), 80),
            row.id,
        ),
    )
    chosen += [_item(row, 0) for row in ranked[: max(0, REPRESENTATIVES - len(chosen))]]
    return chosen[:REPRESENTATIVES]


def _statement(
    key: Hashable, by_id: dict[int, AnyRow], labels: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    kind, target = cast(tuple[str, int], key)  # (kind, id): see _statement_votes
    if kind == "article":
        label, slug = labels.get(f"article:{target}", ("", ""))
        return {"kind": kind, "id": target, "label": label, "slug": slug}
    row = by_id.get(target)
    return {
        "kind": kind,
        "id": target,
        "label": row.tracking_number if row else "",
        "excerpt": excerpt(_quoted_text(row), 160) if row else "",
    }


def group_label(index: int) -> str:
    return f"Groupe {chr(ord('A') + index)}"


def _opinion_data(
    opinion_map: OpinionMap, by_id: dict[int, AnyRow], labels: dict[str, tuple[str, str]]
) -> dict[str, Any]:
    from consultation.synthesis.analysis.opinions import MIN_CLAIM_VOTES

    groups = []
    for index, group in enumerate(opinion_map.groups):
        groups.append(
            {
                "label": group_label(index),
                "size": len(group.member_ids),
                "supports": [
                    _statement(s.statement, by_id, labels)
                    | {
                        "group_agree": round(s.group_agree, 3),
                        "others_agree": round(s.others_agree, 3),
                        "votes": s.votes,
                    }
                    for s in group.supports
                ],
            }
        )
    return {
        "clear": bool(opinion_map.clear),
        "reason": opinion_map.reason,
        "silhouette": None if opinion_map.silhouette is None else round(opinion_map.silhouette, 3),
        "participants": opinion_map.participants,
        "statements": opinion_map.statements,
        # Consensus and cruxes only name statements with this many votes or more.
        "claim_min_votes": MIN_CLAIM_VOTES,
        "groups": groups,
        # Agreed by every group, by the product of their shares; `agree` is the lowest share.
        "consensus": [
            _statement(s.statement, by_id, labels) | _shares(s) | {"agree": s.lowest}
            for s in opinion_map.consensus
        ],
        # Dividing the groups, widest spread first; `spread` is the highest share minus the lowest.
        "cruxes": [
            _statement(s.statement, by_id, labels) | _shares(s) | {"spread": s.spread}
            for s in opinion_map.cruxes
        ],
    }


def _shares(shared: SharedStatement) -> dict[str, Any]:
    """Each group's smoothed agree share (the groups of `opinion_groups`, in order; without a
    clear divide, one share: all the participants compared) and the votes counted."""
    return {
        "by_group": [
            {"group": group_label(index), "agree": agree}
            for index, agree in enumerate(shared.group_agree)
        ],
        "votes": shared.votes,
    }


def _references(data: dict[str, Any], by_id: dict[int, AnyRow]) -> dict[str, str]:
    """Tracking numbers of the contributions the draft names (the first `LINKED` of a long
    list, every quoted one): the text links them under the number their authors received."""
    ids: set[int] = set()
    for article in data["articles"]:
        for key, _heading in draft_markdown.article_lists():
            ids.update(item["id"] for item in article[key])
    for campaign in data["campaigns"]:
        ids.add(campaign["representative_id"])
        ids.update(campaign["contribution_ids"][:LINKED])
        ids.update(addition["id"] for addition in campaign["additions"][:LINKED])
    for group in data["frequent_answers"]:
        ids.update(group["contribution_ids"][:LINKED])
    ids.update(data["non_answers"]["contribution_ids"][:LINKED])
    for theme in data["themes"]:
        ids.update(theme["contribution_ids"][:LINKED])
        ids.update(excerpt["id"] for excerpt in theme["excerpts"])
    proposals = data.get("proposals") or {}
    for index in proposals.get("listed") or []:
        ids.update(proposals["groups"][index]["contribution_ids"][:LINKED])
    for part in [*data["themes"], *data["articles"]]:
        for entry in part.get("proposals") or []:
            ids.update(entry["contribution_ids"][:PART_LINKED])
    for article in data["articles"]:
        ids.update(item["id"] for item in article.get("representatives") or [])
        for own in article.get("own_themes") or []:
            ids.update(own["contribution_ids"][:PART_LINKED])
            ids.update(excerpt["id"] for excerpt in own["excerpts"])
    opinions = data["opinion_groups"]
    statements = [s for g in opinions["groups"] for s in g["supports"]]
    for statement in statements + opinions["consensus"] + opinions["cruxes"]:
        if statement["kind"] == "contribution":
            ids.add(statement["id"])
    return {str(i): by_id[i].tracking_number for i in sorted(ids) if i in by_id}


def method_settings() -> dict[str, Any]:
    """The method's version and thresholds: kept with each draft, shown on the method page."""
    from consultation.synthesis.analysis.campaigns import MIN_ADDITION_WORDS, MIN_COMMON_WORDS
    from consultation.synthesis.analysis.themes import (
        PART_MAX_THEMES,
        PART_MIN_TEXTS,
        PART_MIN_THEME_SHARE,
        PART_TEXTS_PER_THEME,
    )

    return {
        "version": METHOD_VERSION,
        "thresholds": {
            "top_items": TOP_ITEMS,
            "controversy_min_votes": MIN_CONTROVERSY_VOTES,
            "controversy_min_ratio": MIN_CONTROVERSY_RATIO,
            "campaign_min_size": CAMPAIGN_MIN_SIZE,
            "campaign_similarity": CAMPAIGN_THRESHOLD,
            "campaign_addition_min_words": MIN_ADDITION_WORDS,
            "campaign_min_common_words": MIN_COMMON_WORDS,
            "opinion_min_votes": OPINION_MIN_VOTES,
            "max_themes": MAX_THEMES,
            "proposals_listed": PROPOSALS_LISTED,
            "proposals_per_part": PROPOSALS_PER_PART,
            "article_themes": ARTICLE_THEMES,
            "article_own_themes_min_texts": PART_MIN_TEXTS,
            "article_own_themes_max": PART_MAX_THEMES,
            "article_own_themes_texts_per_theme": PART_TEXTS_PER_THEME,
            "article_own_themes_min_share": PART_MIN_THEME_SHARE,
            "representatives": REPRESENTATIVES,
            "paper_text_max": PAPER_TEXT_MAX,
        },
        "opinion_statements": "contributions+articles"
        if ARTICLE_VOTES_ARE_STATEMENTS
        else "contributions",
    }


def contribution_path(slug: str, contribution_id: int) -> str:
    """The public page of a contribution (a path: the draft is shown on this site)."""
    return f"/consultations/{slug}/contributions/{contribution_id}"

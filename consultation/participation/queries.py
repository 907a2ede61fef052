"""Read models of the participation pages: what each contribution lets the viewer do."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import pagecache
from consultation.core.errors import NotAllowed
from consultation.extensions import db
from consultation.participation import services
from consultation.participation.models import Contribution, ContributionVote, Opinion
from consultation.texts.models import Article, TextVersion

# What a domain above participation adds to the contributions pages, as `core.pagecache`
# PageParts registered by its `init_app` (synthesis: where each contribution stands, and the
# notice's commitment to answer), so that participation never imports it and no template
# reaches for it through a global. A part of CARDS is loaded with the contributions shown
# (`load(contributions, viewer, now)`, a value by contribution id); a part of
# CONTRIBUTIONS_PAGE with the consultation whose contributions are listed.
CARDS = "contribution_cards"
CONTRIBUTIONS_PAGE = "contributions"


def added_parts(page: str, target: Any, viewer: User | None, now: datetime) -> dict[str, Any]:
    """The values the domains above add to `page` for `target`, by part name (the names the
    templates read: `statuses` on the cards, `commitment` on the contributions page)."""
    return {part.name: part.load(target, viewer, now) for part in pagecache.parts(page)}


def filter_articles(consultation: Consultation) -> list[Article]:
    """The articles of `consultation`'s current text, in order, for a list's filter bar (their
    address, label and, read when one is chosen, alinéas): one query, where the whole text
    (divisions, every alinéa's wording) would take four."""
    latest = (
        sa.select(TextVersion.id)
        .where(TextVersion.consultation_id == consultation.id)
        .order_by(TextVersion.number.desc())
        .limit(1)
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            sa.select(Article).where(Article.version_id == latest).order_by(Article.position)
        )
    )


@dataclass(frozen=True)
class BlockNotice:
    """The moderation block that bars the viewer from writing here, as the pages show it in
    place of the forms: the message and the moderators' note."""

    message: str
    note: str


def block_notice(actor: User | None, consultation: Consultation) -> BlockNotice | None:
    """The block that bars `actor` from writing in `consultation`'s institution, if any."""
    block = services.active_block(actor, consultation.institution_id)
    if block is None:
        return None
    return BlockNotice(message=services.block_message(block), note=block.note)


@dataclass(frozen=True)
class ContributionActions:
    """The forms a page shows for one contribution, decided by the services' predicates
    (`services.vote_refusal`, `reply_refusal`, `edit_refusal`, `withdraw_refusal`, and
    moderation's `report_refusal`); templates read these flags and never decide."""

    can_vote: bool = False
    my_vote: Opinion | None = None
    can_reply: bool = False
    can_edit: bool = False
    can_withdraw: bool = False
    can_report: bool = False
    has_reported: bool = False
    # A message about this contribution for the person who just acted on it: (category, text).
    notice: tuple[str, str] | None = None

    @property
    def vote_choices(self) -> list[tuple[str, str, bool]]:
        """(value, label, checked) of each opinion, for the vote form."""
        return [(o.value, o.label, o is self.my_vote) for o in Opinion]


# What moderation, which sits above participation, adds to the contributions pages: whether the
# viewer may report each contribution (`moderation.queries.report_states`) and appeal its hiding
# (`moderation.appeals.can_appeal`). Moderation registers both at app setup
# (`moderation.init_app`), so that participation never imports moderation.
_moderation: dict[str, Callable[..., Any]] = {}


def connect_moderation(
    *,
    report_states: Callable[[User | None, Consultation, list[Contribution]], dict[int, Any]],
    can_appeal: Callable[[User | None, Contribution], bool],
) -> None:
    """Register moderation's flags for the contributions pages (`moderation.init_app`)."""
    _moderation.update(report_states=report_states, can_appeal=can_appeal)


def _from_moderation(name: str) -> Callable[..., Any]:
    if name not in _moderation:
        raise RuntimeError("moderation.init_app has not connected its flags")
    return _moderation[name]


def report_states(
    actor: User | None, consultation: Consultation, contributions: Iterable[Contribution]
) -> dict[int, Any]:
    """Per contribution id, whether `actor` may report it and already has (moderation's
    `report_states`): the `reports` of `contribution_actions`. A visitor may report none and
    has reported none: no need to ask for each card."""
    if actor is None or not actor.is_authenticated:
        return {}
    return dict(_from_moderation("report_states")(actor, consultation, list(contributions)))


def can_appeal(actor: User | None, contribution: Contribution) -> bool:
    """Whether `actor` may appeal the hiding of `contribution` (moderation's `can_appeal`)."""
    return bool(_from_moderation("can_appeal")(actor, contribution))


def contribution_actions(
    actor: User | None,
    consultation: Consultation,
    contributions: Iterable[Contribution],
    now: datetime,
    *,
    reports: dict[int, Any] | None = None,
    notice: tuple[int, str, str] | None = None,
) -> dict[int, ContributionActions]:
    """Per contribution id, what `actor` may do with it at `now`, with their current vote; a
    fixed number of queries however many contributions. `reports` is moderation's
    `report_states` for the same contributions; `notice` is (contribution id, category, text)
    of the confirmation to show on that contribution's card."""
    items = list(contributions)
    if actor is None or not actor.is_authenticated:
        # Every predicate refuses a visitor first (`participation_refusal`, authorship,
        # moderation's sign-in): all flags are off, without asking them card by card.
        return {
            item.id: ContributionActions(
                notice=notice[1:] if notice and notice[0] == item.id else None
            )
            for item in items
        }
    standing = services.participation_refusal(actor, consultation, now)
    votes = my_votes(actor, items) if standing is None else {}
    reports = reports or {}
    actions = {}
    for item in items:
        report = reports.get(item.id)
        actions[item.id] = ContributionActions(
            can_vote=services.vote_refusal(actor, item, now, standing=standing) is None,
            my_vote=votes.get(item.id),
            can_reply=services.reply_refusal(actor, item, now, standing=standing) is None,
            can_edit=services.edit_refusal(actor, item, now, standing=standing) is None,
            can_withdraw=services.withdraw_refusal(actor, item, now, standing=standing) is None,
            can_report=bool(report and report.can_report),
            has_reported=bool(report and report.has_reported),
            notice=notice[1:] if notice and notice[0] == item.id else None,
        )
    return actions


def invites_to_reply(
    actor: User | None, consultation: Consultation, contribution: Contribution, now: datetime
) -> bool:
    """Whether the page should show `actor`, who may not reply, what would let them (sign in,
    confirm their address) or why not (a block): the contribution is open to replies and only
    the actor's standing stands in the way."""
    standing = services.participation_refusal(actor, consultation, now)
    return (
        isinstance(standing, NotAllowed)
        and consultation.is_open_at(now)
        and services.reply_refusal(actor, contribution, now, standing=None) is None
    )


def my_votes(actor: User | None, contributions: Iterable[Contribution]) -> dict[int, Opinion]:
    """`actor`'s opinion on each of these contributions that they voted on (one query)."""
    ids = [c.id for c in contributions]
    if actor is None or not actor.is_authenticated or not ids:
        return {}
    return dict(
        db.session.execute(
            sa.select(ContributionVote.contribution_id, ContributionVote.value).where(
                ContributionVote.user_id == actor.id, ContributionVote.contribution_id.in_(ids)
            )
        ).all()
    )

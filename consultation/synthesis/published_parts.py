"""Every contribution of a published synthesis's themes and proposal groups, 50 to a page.

A published version keeps the data it was written from (`SynthesisVersion.data`): each theme
with every contribution placed in it, each proposal group with the contributions making it.
A part's page lists them from that copy alone, so that neither a later draft nor the review of
the themes changes what a published version shows; only what the public may read of each
contribution now (its opening words, or the notice of its withdrawal or hiding) is read from
the contributions themselves, as every other page of the site shows them. The parts are
numbered as the public page numbers them: theme 1, 2… in the order of `data["themes"]`,
proposal 1, 2… in the order of `data["proposals"]["groups"]`. Their addresses
(`/consultations/{slug}/synthese/versions/{n}/themes/{k}`, `…/propositions/{k}`) never change,
since a published version never does.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from consultation.core.charter import hidden_notice
from consultation.extensions import db
from consultation.participation.models import Contribution, ContributionState, contribution_state
from consultation.synthesis import quotes
from consultation.synthesis.draft_markdown import link_text
from consultation.synthesis.models import SynthesisVersion

PAGE_SIZE = 50


class PartKind(enum.Enum):
    theme = "theme"
    proposal = "proposal"


@dataclass(frozen=True)
class PublishedPart:
    """A theme or a proposal group of a published version: `number` as the public page
    numbers it (from 1), `label` its name (None for a proposal group whose every wording was
    withdrawn or hidden since), `ids` every contribution the version stored for it, in its
    order, and `count` how many it holds (more than `ids` only for a proposal group of a
    version published before every one was kept)."""

    kind: PartKind
    number: int
    label: str | None
    ids: list[int]
    count: int

    @property
    def incomplete(self) -> int:
        """How many of its contributions the version did not keep (0 but for old versions)."""
        return max(0, self.count - len(self.ids))


@dataclass(frozen=True)
class MemberLink:
    """One contribution of a part, as the public may read it now: what its link says (its
    title or opening words, none once withdrawn or hidden), its tracking number, its state and,
    when hidden, the moderation's public notice in the reader's language."""

    id: int
    words: str
    number: str
    state: ContributionState
    notice: str = ""


@dataclass(frozen=True)
class MemberPage:
    """A page of a part's contributions: `page` of `pages`, `first` the rank of its first
    contribution in the part (from 1)."""

    part: PublishedPart
    links: list[MemberLink]
    page: int
    pages: int

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1


def parts(data: dict[str, Any] | None, kind: PartKind) -> list[PublishedPart]:
    """The themes or the proposal groups of a version's `data`, numbered from 1."""
    data = data or {}
    if kind is PartKind.theme:
        entries = data.get("themes") or []
    else:
        entries = (data.get("proposals") or {}).get("groups") or []
    found = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            continue
        ids = [i for i in entry.get("contribution_ids") or [] if isinstance(i, int)]
        count = entry.get("size") if kind is PartKind.theme else entry.get("count")
        label = entry.get("label")
        found.append(
            PublishedPart(
                kind=kind,
                number=number,
                label=str(label) if label else None,
                ids=ids,
                count=max(count if isinstance(count, int) else 0, len(ids)),
            )
        )
    return found


def published_part(version: SynthesisVersion, kind: PartKind, number: int) -> PublishedPart | None:
    """Theme or proposal group `number` of the published `version`, its words as the public may
    read them now (`quotes.withhold`); None when the version has no such part."""
    data = quotes.withhold(version.data, version.consultation_id)
    for part in parts(data, kind):
        if part.number == number:
            return part
    return None


def member_page(consultation_id: int, part: PublishedPart, page: int = 1) -> MemberPage:
    """Page `page` of the part's contributions (`PAGE_SIZE` a page, in the part's order; a page
    before the first shows the first, one after the last the last), in one query."""
    pages = max(1, -(-len(part.ids) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = part.ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    found = member_links(consultation_id, shown)
    return MemberPage(
        part=part, links=[found[i] for i in shown if i in found], page=page, pages=pages
    )


def member_links(consultation_id: int, ids: list[int]) -> dict[int, MemberLink]:
    """The links to these contributions of the consultation, by id, in one query: the words of
    public ones only; withdrawn and hidden ones as every list of the site shows them."""
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Contribution.id,
            Contribution.title,
            sa.func.substr(Contribution.body, 1, 400),
            Contribution.tracking_number,
            Contribution.withdrawn_at,
            Contribution.hidden_at,
            Contribution.hidden_reason,
        ).where(Contribution.consultation_id == consultation_id, Contribution.id.in_(ids))
    )
    found = {}
    for row_id, title, body, number, withdrawn_at, hidden_at, reason in rows:
        state = contribution_state(withdrawn_at, hidden_at)
        found[row_id] = MemberLink(
            id=row_id,
            words=link_text(title, body) if state.shows_text else "",
            number=number,
            state=state,
            notice=hidden_notice(reason) if state is ContributionState.hidden else "",
        )
    return found


def parts_document(consultation_id: int, data: dict[str, Any] | None) -> dict[str, Any]:
    """A version's themes and proposal groups as the API and the open-data export give them:
    each numbered as on the public page, with every contribution the version kept, by database
    id and by tracking number (a proposal group's words, which quote contributions, stay on the
    page: `count` and contributions here). The record certifies them (`certified`)."""
    themes, groups = parts(data, PartKind.theme), parts(data, PartKind.proposal)
    numbers = tracking_numbers(consultation_id)
    return {
        "themes": [
            {
                "number": part.number,
                "label": part.label or "",
                "size": part.count,
                "contribution_ids": part.ids,
                "contributions": [numbers[i] for i in part.ids if i in numbers],
            }
            for part in themes
        ],
        "proposal_groups": [
            {
                "number": part.number,
                "count": part.count,
                "contribution_ids": part.ids,
                "contributions": [numbers[i] for i in part.ids if i in numbers],
            }
            for part in groups
        ],
    }


def certified(document: dict[str, Any]) -> dict[str, Any]:
    """What the record certifies of a version's parts, from `parts_document`: each part's
    number, name, size and contributions by tracking number, never the database ids. The
    verification script (`static/ledger/verify_ledger.py`, `certified_parts`) reads the same
    from an export."""
    return {
        "themes": [
            {key: theme[key] for key in ("number", "label", "size", "contributions")}
            for theme in document["themes"]
        ],
        "proposal_groups": [
            {key: group[key] for key in ("number", "count", "contributions")}
            for group in document["proposal_groups"]
        ],
    }


def tracking_numbers(consultation_id: int) -> dict[int, str]:
    """Every contribution's tracking number of the consultation, by id, in one query."""
    rows = db.session.execute(
        sa.select(Contribution.id, Contribution.tracking_number).where(
            Contribution.consultation_id == consultation_id
        )
    )
    return {row.id: row.tracking_number for row in rows}

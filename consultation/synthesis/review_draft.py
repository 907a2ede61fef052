"""What the review changes in a drafted synthesis, applied when a draft run is saved (`jobs`),
after its themes and proposal groups went to the workbench:

- **themes**: each theme of the draft is named as the workbench names it (a person's new name,
  or the name of the person's theme the run's theme landed in) and holds the contributions the
  workbench places in it (those a person moved or split off leave it, those a person put there
  join it); a theme a person made (created or split off) that no theme of the run landed in is
  added after the draft's, with its contributions. A theme whose contributions changed gets
  its size and spread counted again, its proposals counted again from the proposal groups'
  members, and keeps only the excerpts of contributions still in it; its statement kinds,
  computed by the analysis on the draft's members, are left out;
- **proposal groups**: once a person has merged or renamed groups, the data's proposals
  (`proposals.groups`, the most frequent ones `listed`, each theme's and each article's) count
  the reviewed groups: a merged group's contributions count once in the group that received
  them, under its label; groups no person touched stay as the draft found them;
- **excerpts**: for each theme of the draft, the excerpts a person pinned come first (in the
  order they were pinned), the dropped ones are never quoted.

The Markdown is then written again from the data (`draft_markdown.write`), so that the text
and the data say the same. Nothing changes when no person decided anything.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.extensions import db
from consultation.participation.models import Contribution
from consultation.synthesis import draft, draft_markdown, review, review_excerpts
from consultation.synthesis.review_models import (
    ExcerptState,
    Origin,
    ReviewProposalGroup,
    ReviewTheme,
    ThemeAssignment,
)
from consultation.synthesis.review_proposals import ImportedProposals

logger = logging.getLogger(__name__)


def apply_to_draft(
    consultation: Consultation,
    data: dict[str, Any],
    themes: Sequence[ReviewTheme],
    proposals: ImportedProposals,
) -> bool:
    """Change `data` in place by the review's decisions (see the module's docstring); True
    when something changed."""
    changed, themes = _apply_themes(consultation, data, themes, proposals)
    changed = _apply_proposals(data, proposals) or changed
    changed = _apply_excerpts(data, themes) or changed
    if changed:
        _complete_references(consultation, data)
    return changed


# --- Themes -----------------------------------------------------------------------------------


def _apply_themes(
    consultation: Consultation,
    data: dict[str, Any],
    filled: Sequence[ReviewTheme],
    proposals: ImportedProposals,
) -> tuple[bool, list[ReviewTheme]]:
    """Name the draft's themes and fill them as the workbench does (the module's docstring);
    returns whether the data changed and the themes that have an entry in it (`filled`, then
    the person's themes added, whose `draft_index` is set to their entry)."""
    drafted = data.get("themes")
    if not isinstance(drafted, list):
        return False, list(filled)
    active = review.active_themes(consultation)
    placed: dict[int, list[int]] = {}
    for theme_id, contribution_id in db.session.execute(
        sa.select(ThemeAssignment.theme_id, ThemeAssignment.contribution_id)
        .where(
            ThemeAssignment.consultation_id == consultation.id,
            ThemeAssignment.theme_id.is_not(None),
        )
        .order_by(ThemeAssignment.contribution_id)
    ):
        if theme_id is not None:
            placed.setdefault(theme_id, []).append(contribution_id)
    rows = _spread_rows(consultation, [i for ids in placed.values() for i in ids])
    members = _group_members(data, proposals)
    themes = [t for t in filled if t.draft_index is not None and t.draft_index < len(drafted)]
    changed = False
    for theme in themes:
        entry = drafted[theme.draft_index]  # type: ignore[index]
        if not isinstance(entry, dict):
            continue
        if _named_by_a_person(theme) and entry.get("label") != theme.name:
            entry["label"] = theme.name
            entry["reviewed"] = True
            changed = True
        mine = [i for i in placed.get(theme.id, []) if i in rows]
        drafted_ids = [i for i in entry.get("contribution_ids") or [] if isinstance(i, int)]
        if set(mine) != set(drafted_ids):
            kept = [i for i in drafted_ids if i in set(mine)]
            _refill(entry, kept + sorted(set(mine) - set(kept)), rows, members)
            changed = True
    with_entries = {t.id for t in themes}
    for theme in active:
        mine = [i for i in placed.get(theme.id, []) if i in rows]
        if theme.id in with_entries or theme.origin is not Origin.person or not mine:
            continue
        added: dict[str, Any] = {
            "label": theme.name,
            "phrases": [],
            "terms": [],
            "excerpts": [],
            "reviewed": True,
            "made_by_a_person": True,
        }
        _refill(added, mine, rows, members)
        theme.draft_index = len(drafted)
        drafted.append(added)
        themes.append(theme)
        changed = True
    if changed:
        logger.info(
            "draft themes reviewed: consultation=%s themes=%s", consultation.id, len(drafted)
        )
    return changed, themes


def _named_by_a_person(theme: ReviewTheme) -> bool:
    return theme.origin is Origin.person or theme.renamed_at is not None


def _spread_rows(consultation: Consultation, ids: list[int]) -> dict[int, Any]:
    """The public contributions among `ids`, with what a theme's spread counts of each
    (`draft.participant_type`)."""
    if not ids:
        return {}
    return {
        row.id: SimpleNamespace(
            id=row.id,
            article_id=row.article_id,
            offline_channel=row.offline_channel,
            profile_type=getattr(row.profile_type, "value", row.profile_type),
        )
        for row in db.session.execute(
            sa.select(
                Contribution.id,
                Contribution.article_id,
                Contribution.offline_channel,
                User.profile_type,
            )
            .outerjoin(User, User.id == Contribution.author_id)
            .where(
                Contribution.consultation_id == consultation.id,
                Contribution.id.in_(sorted(set(ids))),
                Contribution.is_public,
            )
        )
    }


def _group_members(data: dict[str, Any], proposals: ImportedProposals) -> dict[int, set[int]]:
    """Every member of each proposal group of the data (by its index), as the run found them."""
    groups = (data.get("proposals") or {}).get("groups") or []
    found: dict[int, set[int]] = {}
    for index, group in enumerate(groups):
        ids = proposals.members[index] if index < len(proposals.members) else None
        found[index] = set(ids or (group.get("contribution_ids") or []))
    return found


def _refill(
    entry: dict[str, Any], ids: list[int], rows: dict[int, Any], members: dict[int, set[int]]
) -> None:
    """A theme's entry holding `ids`: size, spread, proposals counted again; the excerpts of
    contributions no longer in it left out; no statement kinds (counted on the draft's)."""
    entry["contribution_ids"] = ids
    entry["size"] = len(ids)
    entry.update(draft._spread(SimpleNamespace(member_ids=ids), rows))  # type: ignore[arg-type]
    entry["proposals"] = _theme_proposals(entry, members)
    inside = set(ids)
    entry["excerpts"] = [
        e for e in entry.get("excerpts") or [] if isinstance(e, dict) and e.get("id") in inside
    ]
    entry.pop("statement_kinds", None)
    entry["reviewed"] = True


# --- Proposal groups --------------------------------------------------------------------------


def _apply_proposals(data: dict[str, Any], imported: ImportedProposals) -> bool:
    summary = data.get("proposals")
    if not isinstance(summary, dict) or not summary.get("groups"):
        return False
    drafted: list[dict[str, Any]] = summary["groups"]
    owners: list[ReviewProposalGroup | None] = []
    for group in imported.groups:
        if group is not None and group.merged_into_id is not None:
            group = db.session.get(ReviewProposalGroup, group.merged_into_id)
        owners.append(group)
    clusters: dict[int, list[int]] = {}
    for index, owner in enumerate(owners):
        if owner is not None:
            clusters.setdefault(owner.id, []).append(index)
    reviewed = {
        owner.id
        for owner in owners
        if owner is not None
        and (len(clusters[owner.id]) > 1 or owner.renamed_at is not None or owner.created_by_id)
    }
    if not reviewed:
        return False
    # The new list: one entry per group of the review, each draft group absorbed in its owner.
    entries: list[tuple[list[int], dict[str, Any]]] = []
    seen: set[int] = set()
    for index, owner in enumerate(owners):
        if owner is None:
            entries.append(([index], drafted[index]))
            continue
        if owner.id in seen:
            continue
        seen.add(owner.id)
        indices = clusters[owner.id]
        if owner.id not in reviewed:
            entries.append((indices, drafted[index]))
            continue
        entries.append((indices, _merged_entry(owner, indices, drafted, imported.members)))
    order = sorted(range(len(entries)), key=lambda n: (-entries[n][1]["count"], n))
    groups = [entries[n][1] for n in order]
    position = {old: rank for rank, n in enumerate(order) for old in entries[n][0]}
    stored_repeated = sum(1 for g in drafted if (g.get("count") or 0) >= 2)
    summary["repeated"] = max(
        0,
        (summary.get("repeated") or 0)
        - stored_repeated
        + sum(1 for g in groups if g["count"] >= 2),
    )
    summary["total"] = max(len(groups), (summary.get("total") or 0) - (len(drafted) - len(groups)))
    summary["listed"] = [n for n, g in enumerate(groups) if g["count"] >= 2][
        : draft.PROPOSALS_LISTED
    ]
    summary["groups"] = groups
    members = {
        position[index]: set(ids)
        for index, ids in enumerate(imported.members)
        if index in position and ids
    }
    for rank in range(len(groups)):
        members.setdefault(rank, set())
    for index, ids in enumerate(imported.members):
        if index in position:
            members[position[index]].update(ids)
    for theme in data.get("themes") or []:
        if isinstance(theme, dict):
            theme["proposals"] = _theme_proposals(theme, members)
    for article in data.get("articles") or []:
        if isinstance(article, dict) and article.get("proposals"):
            article["proposals"] = _remapped(article["proposals"], position)
    logger.info(
        "draft proposals reviewed: %s groups drafted, %s after the review (%s reviewed)",
        len(drafted),
        len(groups),
        len(reviewed),
    )
    return True


def _merged_entry(
    owner: ReviewProposalGroup,
    indices: list[int],
    drafted: list[dict[str, Any]],
    members: list[list[int]],
) -> dict[str, Any]:
    """A group of the review as the data keeps one (`draft._proposal_data`), its draft groups
    counted once each contribution."""
    ids: list[int] = []
    for index in indices:
        ids.extend(members[index] if index < len(members) and members[index] else [])
        ids.extend(drafted[index].get("contribution_ids") or [])
    unique = list(dict.fromkeys(ids))
    known = sum(len(drafted[i].get("contribution_ids") or []) for i in indices)
    counted = sum(drafted[i].get("count") or 0 for i in indices)
    # Without every member (an old draft's data), the contributions beyond those kept count too.
    count = (
        len(unique) + max(0, counted - known) if not _complete(indices, members) else len(unique)
    )
    wordings = sorted(
        (w for i in indices for w in drafted[i].get("wordings") or [] if isinstance(w, dict)),
        key=lambda w: -len(w.get("ids") or []),
    )[: draft.PROPOSAL_WORDINGS]
    return {
        "label": owner.label,
        "count": count,
        "contribution_ids": unique[: draft.PROPOSAL_IDS],
        "campaign_copies": min(count, sum(drafted[i].get("campaign_copies") or 0 for i in indices)),
        "wordings": wordings,
        "reviewed": True,
        "merged_groups": len(indices),
    }


def _complete(indices: list[int], members: list[list[int]]) -> bool:
    return all(index < len(members) and members[index] for index in indices)


def _theme_proposals(theme: dict[str, Any], members: dict[int, set[int]]) -> list[dict[str, Any]]:
    """A theme's most frequent proposals, counted again over the reviewed groups."""
    mine = set(theme.get("contribution_ids") or [])
    found = []
    for rank, ids in members.items():
        common = sorted(mine & ids)
        if len(common) >= 2:
            found.append((rank, common))
    found.sort(key=lambda pair: (-len(pair[1]), pair[0]))
    return [
        {"group": rank, "count": len(ids), "contribution_ids": ids[: draft.PART_PROPOSAL_IDS]}
        for rank, ids in found[: draft.PROPOSALS_PER_PART]
    ]


def _remapped(entries: list[dict[str, Any]], position: dict[int, int]) -> list[dict[str, Any]]:
    """An article's proposals in the reviewed groups: entries of merged groups joined (their
    contributions counted once when all are known)."""
    joined: dict[int, dict[str, Any]] = {}
    for entry in entries:
        rank = position.get(entry.get("group"))  # type: ignore[arg-type]
        if rank is None:
            continue
        ids = list(entry.get("contribution_ids") or [])
        if rank not in joined:
            joined[rank] = {
                "group": rank,
                "count": entry.get("count") or 0,
                "contribution_ids": ids,
            }
            continue
        known = joined[rank]
        union = list(dict.fromkeys(known["contribution_ids"] + ids))
        complete = len(known["contribution_ids"]) == known["count"] and len(ids) == (
            entry.get("count") or 0
        )
        known["count"] = len(union) if complete else known["count"] + (entry.get("count") or 0)
        known["contribution_ids"] = union[: draft.PART_PROPOSAL_IDS]
    return sorted(joined.values(), key=lambda e: (-e["count"], e["group"]))[
        : draft.PROPOSALS_PER_PART
    ]


# --- Excerpts ---------------------------------------------------------------------------------


def _apply_excerpts(data: dict[str, Any], themes: Sequence[ReviewTheme]) -> bool:
    drafted = data.get("themes") or []
    active = [t for t in themes if t.is_active and t.draft_index is not None]
    choices = review_excerpts.choices_of([t.id for t in active])
    if not any(choices.values()):
        return False
    pinned_ids = {
        c.contribution_id for cs in choices.values() for c in cs if c.state is ExcerptState.pinned
    }
    contributions = {
        c.id: c
        for c in db.session.scalars(
            sa.select(Contribution).where(Contribution.id.in_(sorted(pinned_ids)))
        )
    }
    changed = False
    for theme in active:
        mine = choices.get(theme.id) or []
        if not mine or theme.draft_index is None or theme.draft_index >= len(drafted):
            continue
        entry = drafted[theme.draft_index]
        current = [e for e in entry.get("excerpts") or [] if isinstance(e, dict)]
        texts = {e.get("id"): e.get("text") for e in current}
        dropped = {c.contribution_id for c in mine if c.state is ExcerptState.dropped}
        pinned = []
        for choice in mine:
            if choice.state is not ExcerptState.pinned:
                continue
            contribution = contributions.get(choice.contribution_id)
            text = texts.get(choice.contribution_id) or (
                review_excerpts.quoted_text(contribution) if contribution else ""
            )
            if text:
                pinned.append({"id": choice.contribution_id, "text": text, "pinned": True})
        taken = {e["id"] for e in pinned} | dropped
        rest = [e for e in current if e.get("id") not in taken]
        entry["excerpts"] = pinned + rest[: max(0, len(current) - len(pinned))]
        changed = True
    return changed


# --- Links ------------------------------------------------------------------------------------


def _complete_references(consultation: Consultation, data: dict[str, Any]) -> None:
    """The tracking numbers and link texts of the public contributions the reviewed data
    names and the draft did not."""
    references = data.setdefault("references", {})
    titles = data.setdefault("titles", {})
    named: set[int] = set()
    for theme in data.get("themes") or []:
        named.update(
            e["id"] for e in theme.get("excerpts") or [] if isinstance(e, dict) and e.get("id")
        )
        named.update((theme.get("contribution_ids") or [])[: draft_markdown.LINKED])
    summary = data.get("proposals") or {}
    groups = summary.get("groups") or []
    for index in summary.get("listed") or []:
        named.update(groups[index].get("contribution_ids", [])[: draft_markdown.LINKED])
    for part in [*(data.get("themes") or []), *(data.get("articles") or [])]:
        for entry in part.get("proposals") or []:
            named.update(entry.get("contribution_ids", [])[: draft_markdown.PART_LINKED])
    missing = sorted(i for i in named if isinstance(i, int) and str(i) not in references)
    if not missing:
        return
    for row in db.session.execute(
        sa.select(
            Contribution.id, Contribution.tracking_number, Contribution.title, Contribution.body
        ).where(
            Contribution.consultation_id == consultation.id,
            Contribution.id.in_(missing),
            Contribution.is_public,
        )
    ):
        references[str(row.id)] = row.tracking_number
        titles[str(row.id)] = draft_markdown.link_text(row.title, row.body)

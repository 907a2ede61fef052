"""The review of the draft's proposal groups (the workbench): the groups of near-identical
proposals the draft found (`analysis.proposals`), listed by size with their members; a person
merges two or more of them (the biggest receives the others, and may take a new label) or
renames one.

Each group records who made it — the machine (which run, when) or a person (who, when) — and
drafting again never silently discards a person's decision (`import_draft_proposals`), by the
themes' rules (`synthesis.review`):

- a group a person renamed, merged into another or received others in is kept as it is, with
  its label; the new run's group closest to it (at least half of their contributions in common)
  refreshes its members instead of appearing beside it — so a group merged by a person stays
  merged, its new members counting in the group it was merged into;
- the previous run's groups no person touched are replaced by the new run's.

Once a person has merged or renamed groups, the drafted synthesis counts the reviewed groups
(`review_draft`). Every action is for the staff of the consultation's institution, on a
published consultation (`review.check_can_review`); bad input is refused with a French message
per field (ValidationFailed), an unknown group of the address with NotFound, an action on a
group already merged with InvalidState. Services flush; the caller commits.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.db import get_existing
from consultation.core.errors import InvalidState, NotFound, ValidationFailed
from consultation.core.i18n import number
from consultation.core.text import squash
from consultation.extensions import db
from consultation.participation.models import Contribution
from consultation.synthesis import review
from consultation.synthesis.limits import PROPOSAL_LABEL_MAX
from consultation.synthesis.review_models import (
    Origin,
    ReviewProposalGroup,
    ReviewProposalMember,
)

logger = logging.getLogger(__name__)

SAME_GROUP_OVERLAP = review.SAME_THEME_OVERLAP
GROUPS_PAGE_SIZE = 50
MEMBERS_SHOWN = 10  # members listed under each group on the workbench page


# --- Loading ----------------------------------------------------------------------------------


def get_group(group_id: int) -> ReviewProposalGroup:
    """The group `group_id`, merged ones included; NotFound otherwise."""
    group = db.session.get(ReviewProposalGroup, group_id)
    if group is None:
        raise NotFound(_("Groupe de propositions introuvable."))
    return group


def consultation_of(group: ReviewProposalGroup) -> Consultation:
    return get_existing(Consultation, group.consultation_id)


# --- From the draft to the workbench ------------------------------------------------------------


@dataclass(frozen=True)
class ImportedProposals:
    """What a draft run's import gives the synthesis: for each group of the draft data's
    `proposals.groups`, the review's group it landed in (None when it had no member left) and
    its members in the run."""

    groups: list[ReviewProposalGroup | None]
    members: list[list[int]]


def import_draft_proposals(
    consultation: Consultation,
    draft_data: Mapping[str, Any] | None,
    members: Sequence[Any] | None,
    run_at: datetime,
    *,
    job_id: int | None = None,
) -> ImportedProposals:
    """Put the proposal groups of a finished draft run on the workbench (the rules are in the
    module's docstring). `members` gives, for each group of the data, every contribution making
    it with its sentence (`draft.PROPOSAL_MEMBERS`); without it, the group's contributions the
    data keeps, with the sentences of its wordings."""
    drafted = ((draft_data or {}).get("proposals") or {}).get("groups") or []
    known_ids = set(
        db.session.scalars(
            sa.select(Contribution.id).where(Contribution.consultation_id == consultation.id)
        )
    )
    found = [
        _members_of(entry, members[index] if members and index < len(members) else None, known_ids)
        for index, entry in enumerate(drafted)
    ]
    groups = list(
        db.session.scalars(
            sa.select(ReviewProposalGroup).where(
                ReviewProposalGroup.consultation_id == consultation.id
            )
        )
    )
    targets = {g.merged_into_id for g in groups if g.merged_into_id is not None}
    touched = {
        g.id
        for g in groups
        if g.origin is Origin.person
        or g.renamed_at is not None
        or g.merged_at is not None
        or g.id in targets
    }
    old_members: dict[int, set[int]] = {}
    for group_id, contribution_id in db.session.execute(
        sa.select(ReviewProposalMember.group_id, ReviewProposalMember.contribution_id).where(
            ReviewProposalMember.consultation_id == consultation.id
        )
    ):
        old_members.setdefault(group_id, set()).add(contribution_id)
    kept = [g for g in groups if g.id in touched]
    for group in kept:
        group.draft_index = None  # until this run fills it
    # The run's groups land in the kept group closest to each, or become new machine groups.
    landed: list[ReviewProposalGroup | None] = []
    matched: set[int] = set()
    candidates = list(kept)
    for index, (entry, pairs) in enumerate(zip(drafted, found, strict=True)):
        if not pairs:
            landed.append(None)
            continue
        target = _closest({cid for cid, _ in pairs}, candidates, old_members)
        if target is None:
            target = ReviewProposalGroup(
                consultation_id=consultation.id,
                label=_draft_label(entry),
                origin=Origin.machine,
                job_id=job_id,
                drafted_at=run_at,
                created_at=run_at,
            )
            db.session.add(target)
        else:
            candidates.remove(target)
            matched.add(target.id)
            if target.origin is Origin.machine:
                target.job_id, target.drafted_at = job_id, run_at
        target.draft_index = index
        landed.append(target)
    # The previous run's members go where this run gives new ones; then the groups no person
    # touched.
    replaced = [g.id for g in groups if g.id not in touched] + sorted(matched)
    if replaced:
        db.session.execute(
            sa.delete(ReviewProposalMember)
            .where(ReviewProposalMember.group_id.in_(replaced))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            sa.delete(ReviewProposalGroup)
            .where(
                ReviewProposalGroup.consultation_id == consultation.id,
                ReviewProposalGroup.id.in_([g.id for g in groups if g.id not in touched]),
            )
            .execution_options(synchronize_session=False)
        )
        for group in groups:
            if group.id not in touched:
                db.session.expunge(group)
    db.session.flush()
    rows = [
        {
            "group_id": group.id,
            "contribution_id": cid,
            "consultation_id": consultation.id,
            "sentence": sentence,
        }
        for group, pairs in zip(landed, found, strict=True)
        if group is not None
        for cid, sentence in pairs
    ]
    if rows:
        db.session.execute(sa.insert(ReviewProposalMember), rows)
    db.session.flush()
    logger.info(
        "draft proposal groups imported: consultation=%s job=%s groups=%s members=%s",
        consultation.id,
        job_id,
        sum(1 for g in landed if g is not None),
        len(rows),
    )
    return ImportedProposals(landed, [[cid for cid, _ in pairs] for pairs in found])


def _members_of(entry: object, given: object, known_ids: set[int]) -> list[tuple[int, str | None]]:
    """A drafted group's members with their sentences, each once, contributions of the
    consultation only."""
    if not isinstance(entry, dict):
        return []
    pairs: dict[int, str | None] = {}
    if isinstance(given, list):
        for item in given:
            if isinstance(item, list | tuple) and len(item) == 2:
                cid, sentence = item
                if _is_id(cid) and cid in known_ids:
                    pairs.setdefault(cid, sentence if isinstance(sentence, str) else None)
    else:
        sentences: dict[int, str] = {}
        for wording in entry.get("wordings") or []:
            if isinstance(wording, dict) and isinstance(wording.get("text"), str):
                for cid in wording.get("ids") or []:
                    sentences.setdefault(cid, wording["text"])
        for cid in entry.get("contribution_ids") or []:
            if _is_id(cid) and cid in known_ids:
                pairs.setdefault(cid, sentences.get(cid))
    return list(pairs.items())


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _closest(
    ids: set[int], candidates: list[ReviewProposalGroup], members: Mapping[int, set[int]]
) -> ReviewProposalGroup | None:
    best, best_overlap = None, 0.0
    for group in candidates:
        theirs = members.get(group.id, set())
        together = ids | theirs
        overlap = len(ids & theirs) / len(together) if together else 0.0
        if overlap >= SAME_GROUP_OVERLAP and overlap > best_overlap:
            best, best_overlap = group, overlap
    return best


def _draft_label(entry: Mapping[str, Any]) -> str:
    label = entry.get("label")
    text = squash(label) if isinstance(label, str) else ""
    return (text or _("Proposition sans libellé"))[:PROPOSAL_LABEL_MAX]


# --- Actions ----------------------------------------------------------------------------------


def merge_groups(
    actor: User,
    consultation: Consultation,
    group_ids: object,
    label: object = None,
    *,
    now: datetime | None = None,
) -> ReviewProposalGroup:
    """Merge the groups `group_ids` (two or more) into the biggest of them (the first chosen
    when sizes tie), which takes `label` when one is given: `actor`'s decision, kept through
    later drafts. The others stay on record as merged; their members count in the group that
    received them. Returns it. Raises NotAllowed, InvalidState (see `review.check_can_review`),
    ValidationFailed (`groups`: fewer than two, unknown, of another consultation or already
    merged; `label`: too long)."""
    now = now or clock.now()
    review.check_can_review(actor, consultation)
    problems: dict[str, str] = {}
    chosen: list[ReviewProposalGroup] = []
    if not isinstance(group_ids, list | tuple):
        problems["groups"] = _("Liste de groupes attendue.")
    else:
        for value in group_ids:
            group_id = review._database_id(value)
            group = db.session.get(ReviewProposalGroup, group_id) if group_id else None
            if group is None or group.consultation_id != consultation.id:
                problems["groups"] = _("Groupe de propositions inconnu dans cette consultation.")
                break
            if not group.is_active:
                problems["groups"] = _(
                    "Le groupe « %(label)s » a déjà été fusionné dans un autre : rechargez la "
                    "page.",
                    label=group.label,
                )
                break
            if group not in chosen:
                chosen.append(group)
        if "groups" not in problems and len(chosen) < 2:
            problems["groups"] = _("Cochez au moins deux groupes à fusionner.")
    clean = None
    try:
        clean = _clean_label(label, required=False)
    except ValidationFailed as refused:
        problems.update(refused.fields)
    if problems:
        raise ValidationFailed(fields=problems)
    sizes = member_counts(consultation, [g.id for g in chosen])
    target = max(chosen, key=lambda g: (sizes.get(g.id, 0), -chosen.index(g)))
    others = [g for g in chosen if g is not target]
    other_ids = [g.id for g in others]
    # Groups merged earlier into one of the others now count in the target.
    db.session.execute(
        sa.update(ReviewProposalGroup)
        .where(ReviewProposalGroup.merged_into_id.in_(other_ids))
        .values(merged_into_id=target.id)
        .execution_options(synchronize_session="fetch")
    )
    for group in others:
        group.merged_into_id, group.merged_at, group.merged_by_id = target.id, now, actor.id
    if clean and clean != target.label:
        target.label, target.renamed_at, target.renamed_by_id = clean, now, actor.id
    db.session.flush()
    logger.info("proposal groups %s merged into %s by user=%s", other_ids, target.id, actor.id)
    return target


def rename_group(
    actor: User, group: ReviewProposalGroup, label: object, *, now: datetime | None = None
) -> ReviewProposalGroup:
    """Give a group a new label: `actor`'s decision, kept through later drafts. Raises
    NotAllowed, InvalidState (see `review.check_can_review`; the group was merged),
    ValidationFailed (`label`: empty or too long)."""
    now = now or clock.now()
    review.check_can_review(actor, consultation_of(group))
    check_active(group)
    clean = cast(str, _clean_label(label, required=True))  # required: never None
    if clean != group.label:
        group.label, group.renamed_at, group.renamed_by_id = clean, now, actor.id
        db.session.flush()
        logger.info("proposal group %s renamed by user=%s", group.id, actor.id)
    return group


def check_active(group: ReviewProposalGroup) -> None:
    """InvalidState for a group already merged into another."""
    if not group.is_active:
        raise InvalidState(
            _("Ce groupe a déjà été fusionné dans un autre : il ne peut plus être modifié.")
        )


def _clean_label(label: object, *, required: bool) -> str | None:
    if label is None and not required:
        return None
    if not isinstance(label, str):
        raise ValidationFailed(fields={"label": _("Texte attendu.")})
    clean = squash(label)
    if not clean:
        if required:
            raise ValidationFailed(fields={"label": _("Donnez un libellé à la proposition.")})
        return None
    if len(clean) > PROPOSAL_LABEL_MAX:
        raise ValidationFailed(
            fields={
                "label": _(
                    "%(n)s caractères au maximum (%(typed)s saisis).",
                    n=number(PROPOSAL_LABEL_MAX),
                    typed=number(len(clean)),
                )
            }
        )
    return clean


# --- Read models ------------------------------------------------------------------------------


def member_counts(consultation: Consultation, group_ids: Sequence[int] | None = None) -> dict:
    """How many distinct contributions each active group holds, its merged groups' included."""
    owner = sa.func.coalesce(ReviewProposalGroup.merged_into_id, ReviewProposalGroup.id)
    query = (
        sa.select(owner, sa.func.count(sa.distinct(ReviewProposalMember.contribution_id)))
        .join(ReviewProposalGroup, ReviewProposalGroup.id == ReviewProposalMember.group_id)
        .where(ReviewProposalGroup.consultation_id == consultation.id)
        .group_by(owner)
    )
    if group_ids is not None:
        query = query.where(owner.in_(list(group_ids)))
    return dict(db.session.execute(query).all())


def members_of_active(consultation: Consultation) -> dict[int, list[int]]:
    """Each active group's contributions (its merged groups' included), ascending."""
    owner = sa.func.coalesce(ReviewProposalGroup.merged_into_id, ReviewProposalGroup.id)
    found: dict[int, set[int]] = {}
    for group_id, contribution_id in db.session.execute(
        sa.select(owner, ReviewProposalMember.contribution_id)
        .join(ReviewProposalGroup, ReviewProposalGroup.id == ReviewProposalMember.group_id)
        .where(ReviewProposalGroup.consultation_id == consultation.id)
    ):
        found.setdefault(group_id, set()).add(contribution_id)
    return {group_id: sorted(ids) for group_id, ids in found.items()}


@dataclass(frozen=True)
class MemberRow:
    contribution_id: int
    tracking_number: str
    sentence: str
    is_public: bool


@dataclass(frozen=True)
class GroupRow:
    """A proposal group as the workbench and the API show it."""

    id: int
    label: str
    origin: Origin
    job_id: int | None
    drafted_at: datetime | None
    created_by: str | None
    created_at: datetime | None
    renamed_by: str | None
    renamed_at: datetime | None
    merged_by: str | None
    merged_at: datetime | None
    merged_into_id: int | None
    merged_from: list[int]  # the groups a person merged into this one
    count: int
    members: list[MemberRow]

    @property
    def is_reviewed(self) -> bool:
        """A person made it, renamed it or merged others into it."""
        return self.origin is Origin.person or bool(self.renamed_at) or bool(self.merged_from)

    @property
    def decided_by(self) -> str | None:
        return self.renamed_by or self.created_by


@dataclass(frozen=True)
class GroupPage:
    consultation: Consultation
    groups: list[GroupRow]
    merged: list[GroupRow]
    page: int
    pages: int
    total: int


def group_rows(
    consultation: Consultation,
    *,
    active_only: bool = True,
    members_shown: int | None = MEMBERS_SHOWN,
) -> list[GroupRow]:
    """The groups (the merged ones too unless `active_only`), biggest first, each with its
    count and its first `members_shown` members (all with None)."""
    groups = list(
        db.session.scalars(
            sa.select(ReviewProposalGroup).where(
                ReviewProposalGroup.consultation_id == consultation.id
            )
        )
    )
    members = members_of_active(consultation)
    sentences: dict[tuple[int, int], str | None] = {}
    owner_of = {g.id: g.merged_into_id or g.id for g in groups}
    for group_id, contribution_id, sentence in db.session.execute(
        sa.select(
            ReviewProposalMember.group_id,
            ReviewProposalMember.contribution_id,
            ReviewProposalMember.sentence,
        ).where(ReviewProposalMember.consultation_id == consultation.id)
    ):
        sentences.setdefault((owner_of.get(group_id, group_id), contribution_id), sentence)
    shown_ids = {
        cid
        for ids in members.values()
        for cid in (ids if members_shown is None else ids[:members_shown])
    }
    contributions = {
        row.id: row
        for row in db.session.execute(
            sa.select(Contribution.id, Contribution.tracking_number, Contribution.is_public).where(
                Contribution.id.in_(sorted(shown_ids))
            )
        )
    }
    users = review.names_of(
        {u for g in groups for u in (g.created_by_id, g.renamed_by_id, g.merged_by_id)}
    )
    merged_from: dict[int, list[int]] = {}
    for group in groups:
        if group.merged_into_id is not None:
            merged_from.setdefault(group.merged_into_id, []).append(group.id)
    rows = []
    for group in groups:
        if active_only and not group.is_active:
            continue
        ids = members.get(group.id, []) if group.is_active else []
        listed = ids if members_shown is None else ids[:members_shown]
        rows.append(
            GroupRow(
                id=group.id,
                label=group.label,
                origin=group.origin,
                job_id=group.job_id,
                drafted_at=group.drafted_at,
                created_by=users.get(group.created_by_id),
                created_at=group.created_at,
                renamed_by=users.get(group.renamed_by_id),
                renamed_at=group.renamed_at,
                merged_by=users.get(group.merged_by_id),
                merged_at=group.merged_at,
                merged_into_id=group.merged_into_id,
                merged_from=sorted(merged_from.get(group.id, [])),
                count=len(ids),
                members=[
                    MemberRow(
                        contribution_id=cid,
                        tracking_number=contributions[cid].tracking_number
                        if cid in contributions
                        else "",
                        # A hidden or withdrawn contribution's words are not shown.
                        sentence=(sentences.get((group.id, cid)) or "")
                        if cid in contributions and contributions[cid].is_public
                        else "",
                        is_public=bool(cid in contributions and contributions[cid].is_public),
                    )
                    for cid in listed
                ],
            )
        )
    return sorted(rows, key=lambda r: (r.merged_at is not None, -r.count, r.label, r.id))


def group_page(consultation: Consultation, page: int = 1) -> GroupPage:
    """The workbench page of the proposal groups: the active ones biggest first,
    `GROUPS_PAGE_SIZE` a page, and the groups merged by a person."""
    rows = group_rows(consultation, active_only=False)
    active = [r for r in rows if r.merged_at is None]
    pages = max(1, -(-len(active) // GROUPS_PAGE_SIZE))
    page = min(max(page, 1), pages)
    return GroupPage(
        consultation=consultation,
        groups=active[(page - 1) * GROUPS_PAGE_SIZE : page * GROUPS_PAGE_SIZE],
        merged=[r for r in rows if r.merged_at is not None],
        page=page,
        pages=pages,
        total=len(active),
    )

"""The moderators' review of the drafted themes (the workbench): rename, merge, split, delete
and create themes, move a contribution to another theme or to none, mark a contribution as read.
(The proposal groups are reviewed in `review_proposals`, the themes' excerpts in
`review_excerpts`.)

The draft's analysis proposes themes; people decide. Each theme and each assignment records
who made it — the machine (which run, when) or a person (who, when) — and drafting again never
silently discards a person's decision (`import_draft_themes`):

- a contribution a person placed (in a theme, or in none) stays where the person put it;
- a theme a person created, renamed, merged, split, deleted or pinned or dropped an excerpt
  of is kept as it is (a merged or deleted theme stays on record, off the workbench; a theme
  split keeps the contributions no person ticked away, and the theme split off records where
  it came from); the new run's theme closest to a kept theme (at least half of their
  contributions in common) lands in it instead of appearing beside it;
- "closest" compares the run's theme with what each kept theme was drafted as: the
  contributions the machine placed in it (all its contributions when it holds none a machine
  placed: a theme a person built), plus, for a theme a person split, the contributions of the
  themes split off it. The contributions a person moved into a theme thus do not draw the
  run's theme they came from, and a theme split off only catches a run's theme resembling the
  contributions the person chose: the run's theme resembling the original lands in the
  original (which gets back the machine's contributions no person placed), never in the theme
  split off. On a tie, the theme holding contributions the machine placed (the one they were
  drafted in) comes first, then the first on the workbench;
- the previous run's themes no person touched are replaced by the new run's.

Every action is for the staff of the consultation's institution, on a published consultation
(`publishing.check_can_write`); bad input is refused with a French message per field
(ValidationFailed), an unknown theme or contribution of the address with NotFound, an action
on a theme already merged or deleted with InvalidState. Services flush; the caller commits.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.db import get_existing
from consultation.core.errors import InvalidState, NotFound, ValidationFailed
from consultation.core.i18n import number
from consultation.core.inputs import DATABASE_INT_MAX
from consultation.core.text import squash
from consultation.extensions import db
from consultation.participation.models import Contribution
from consultation.synthesis import provenance
from consultation.synthesis.limits import THEME_NAME_MAX
from consultation.synthesis.publishing import check_can_write
from consultation.synthesis.review_models import (
    ContributionReading,
    ExcerptChoice,
    Origin,
    ReviewTheme,
    ThemeAssignment,
)
from consultation.synthesis.rules import check_staff

logger = logging.getLogger(__name__)

# A new run's theme lands in a kept theme when at least this share of their contributions
# (Jaccard index: common / together) is the same.
SAME_THEME_OVERLAP = 0.5
PAGE_SIZE = 50
OPENING_WORDS = 24


# --- Loading ----------------------------------------------------------------------------------


def check_can_see(actor: User, consultation: Consultation) -> None:
    """May `actor` see the workbench? The staff of the institution (NotAllowed)."""
    check_staff(actor, consultation)


def check_can_review(actor: User, consultation: Consultation) -> None:
    """May `actor` act on the workbench? The staff of the institution (NotAllowed), on a
    published consultation (InvalidState): the rights of writing the synthesis."""
    check_can_write(actor, consultation)


def get_theme(theme_id: int) -> ReviewTheme:
    """The theme `theme_id`, merged and deleted ones included; NotFound otherwise."""
    theme = db.session.get(ReviewTheme, theme_id)
    if theme is None:
        raise NotFound(_("Thème introuvable."))
    return theme


def consultation_of(theme: ReviewTheme) -> Consultation:
    return get_existing(Consultation, theme.consultation_id)


def get_contribution(consultation: Consultation, contribution_id: int) -> Contribution:
    """A contribution of `consultation`; NotFound for any other."""
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.consultation_id != consultation.id:
        raise NotFound(_("Contribution introuvable dans cette consultation."))
    return contribution


def active_themes(consultation: Consultation) -> list[ReviewTheme]:
    """The themes on the workbench, in their order."""
    return list(
        db.session.scalars(
            sa.select(ReviewTheme)
            .where(
                ReviewTheme.consultation_id == consultation.id,
                ReviewTheme.deleted_at.is_(None),
            )
            .order_by(ReviewTheme.position, ReviewTheme.id)
        )
    )


# --- From the draft to the workbench ------------------------------------------------------------


def import_draft_themes(
    consultation: Consultation,
    draft_data: Mapping[str, Any] | None,
    run_at: datetime,
    *,
    job_id: int | None = None,
) -> list[ReviewTheme]:
    """Put the themes of a finished draft run on the workbench (the rules are in the module's
    docstring); returns the themes the run filled, in the draft's order. Assignments are read,
    deleted and written in bulk: a national consultation places tens of thousands."""
    drafted = [
        (index, t)
        for index, t in enumerate((draft_data or {}).get("themes") or [])
        if isinstance(t, dict)
    ]
    known_ids = set(
        db.session.scalars(
            sa.select(Contribution.id).where(Contribution.consultation_id == consultation.id)
        )
    )
    assignments = list(
        db.session.execute(
            sa.select(
                ThemeAssignment.contribution_id, ThemeAssignment.theme_id, ThemeAssignment.origin
            ).where(ThemeAssignment.consultation_id == consultation.id)
        )
    )
    placed_by_people = {a.contribution_id for a in assignments if a.origin is Origin.person}
    members: dict[int, set[int]] = {}
    for assignment in assignments:
        if assignment.theme_id is not None:
            members.setdefault(assignment.theme_id, set()).add(assignment.contribution_id)
    themes = list(
        db.session.scalars(
            sa.select(ReviewTheme).where(ReviewTheme.consultation_id == consultation.id)
        )
    )
    touched = _touched_by_people(themes, assignments)
    touched |= set(
        db.session.scalars(
            sa.select(ExcerptChoice.theme_id).where(
                ExcerptChoice.consultation_id == consultation.id
            )
        )
    )
    compared = _as_drafted(themes, members, placed_by_people)
    # The previous run's machine assignments go; then the themes no person touched.
    db.session.execute(
        sa.delete(ThemeAssignment)
        .where(
            ThemeAssignment.consultation_id == consultation.id,
            ThemeAssignment.origin == Origin.machine,
        )
        .execution_options(synchronize_session="fetch")
    )
    for theme in themes:
        if theme.origin is Origin.machine and theme.id not in touched:
            db.session.delete(theme)
    db.session.flush()
    kept = sorted(
        (t for t in themes if t.id in touched and t.is_active), key=lambda t: (t.position, t.id)
    )
    for theme in kept:
        theme.draft_index = None  # until this run fills it
    position = max((t.position for t in kept), default=-1) + 1
    filled: list[ReviewTheme] = []
    rows: list[dict[str, Any]] = []
    for index, entry in drafted:
        ids = [i for i in _ids(entry.get("contribution_ids")) if i in known_ids]
        target = _closest(set(ids), kept, compared)
        if target is None:
            target = ReviewTheme(
                consultation_id=consultation.id,
                name=_draft_name(entry),
                position=position,
                origin=Origin.machine,
                job_id=job_id,
                drafted_at=run_at,
                created_at=run_at,
            )
            position += 1
            db.session.add(target)
            db.session.flush()
        else:
            kept.remove(target)
            if target.origin is Origin.machine:
                target.job_id, target.drafted_at = job_id, run_at
        target.draft_index = index
        filled.append(target)
        for contribution_id in ids:
            if contribution_id in placed_by_people:
                continue
            placed_by_people.add(contribution_id)  # one theme per contribution
            rows.append(
                {
                    "contribution_id": contribution_id,
                    "consultation_id": consultation.id,
                    "theme_id": target.id,
                    "origin": Origin.machine,
                    "assigned_at": run_at,
                }
            )
    if rows:
        db.session.execute(sa.insert(ThemeAssignment), rows)
    db.session.flush()
    logger.info(
        "draft themes imported: consultation=%s job=%s themes=%s contributions=%s",
        consultation.id,
        job_id,
        len(filled),
        len(rows),
    )
    return filled


def _touched_by_people(themes: Iterable[ReviewTheme], assignments: Iterable[Any]) -> set[int]:
    """Themes a person made or changed: created, renamed, merged (either side), split (either
    side), deleted, or holding a contribution a person placed."""
    themes = list(themes)
    touched = {
        t.id
        for t in themes
        if t.origin is Origin.person or t.renamed_at is not None or t.deleted_at is not None
    }
    touched |= {t.merged_into_id for t in themes if t.merged_into_id is not None}
    touched |= {t.split_from_id for t in themes if t.split_from_id is not None}
    touched |= {
        a.theme_id for a in assignments if a.origin is Origin.person and a.theme_id is not None
    }
    return touched


def _as_drafted(
    themes: Iterable[ReviewTheme], members: Mapping[int, set[int]], placed_by_people: set[int]
) -> dict[int, tuple[set[int], bool]]:
    """For each theme, the contributions a run's theme is compared with (see the module's
    docstring) and whether it holds contributions the machine placed."""
    themes = list(themes)
    split_off: dict[int, list[int]] = {}
    for theme in themes:
        if theme.split_from_id is not None:
            split_off.setdefault(theme.split_from_id, []).append(theme.id)
    found: dict[int, tuple[set[int], bool]] = {}
    for theme in themes:
        theirs = members.get(theme.id, set())
        drafted = theirs - placed_by_people
        compared = set(drafted or theirs)
        seen, waiting = {theme.id}, list(split_off.get(theme.id, []))
        while waiting:  # the themes split off it, and off those
            child = waiting.pop()
            if child not in seen:
                seen.add(child)
                compared |= members.get(child, set())
                waiting.extend(split_off.get(child, []))
        found[theme.id] = (compared, bool(drafted))
    return found


def _closest(
    ids: set[int],
    candidates: list[ReviewTheme],
    compared: Mapping[int, tuple[set[int], bool]],
) -> ReviewTheme | None:
    """The candidate whose contributions as drafted (`_as_drafted`) have the most in common
    with `ids`, at least `SAME_THEME_OVERLAP`; on a tie, one holding contributions the machine
    placed, then the first of `candidates`."""
    best, best_key = None, (0.0, False)
    for theme in candidates:
        theirs, by_machine = compared.get(theme.id, (set(), False))
        together = ids | theirs
        overlap = len(ids & theirs) / len(together) if together else 0.0
        key = (overlap, by_machine)
        if overlap >= SAME_THEME_OVERLAP and key > best_key:
            best, best_key = theme, key
    return best


def _ids(values: object) -> list[int]:
    if not isinstance(values, list):
        return []
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _draft_name(entry: Mapping[str, Any]) -> str:
    label = entry.get("label")
    name = squash(label) if isinstance(label, str) else ""
    return (name or _("Thème sans nom"))[:THEME_NAME_MAX]


# --- Actions ----------------------------------------------------------------------------------


def create_theme(
    actor: User, consultation: Consultation, name: object, *, now: datetime | None = None
) -> ReviewTheme:
    """A new theme made by `actor`, placed last. Raises NotAllowed, InvalidState (see
    `check_can_review`), ValidationFailed (`name`: empty, too long, taken by another theme)."""
    now = now or clock.now()
    check_can_review(actor, consultation)
    clean = _clean_name(consultation, name)
    themes = active_themes(consultation)
    theme = ReviewTheme(
        consultation_id=consultation.id,
        name=clean,
        position=max((t.position for t in themes), default=-1) + 1,
        origin=Origin.person,
        created_at=now,
        created_by_id=actor.id,
    )
    db.session.add(theme)
    db.session.flush()
    logger.info("review theme %s created by user=%s", theme.id, actor.id)
    return theme


def rename_theme(
    actor: User, theme: ReviewTheme, name: object, *, now: datetime | None = None
) -> ReviewTheme:
    """Rename a theme; the new name is `actor`'s decision, kept through later drafts. Raises
    NotAllowed, InvalidState (see `check_can_review`; the theme was merged or deleted),
    ValidationFailed (`name`: empty, too long, taken by another theme)."""
    now = now or clock.now()
    consultation = consultation_of(theme)
    check_can_review(actor, consultation)
    _check_active(theme)
    clean = _clean_name(consultation, name, besides=theme)
    if clean != theme.name:
        theme.name, theme.renamed_at, theme.renamed_by_id = clean, now, actor.id
        db.session.flush()
        logger.info("review theme %s renamed by user=%s", theme.id, actor.id)
    return theme


def merge_themes(
    actor: User, theme: ReviewTheme, into: object, *, now: datetime | None = None
) -> ReviewTheme:
    """Merge `theme` into the theme of id `into`: its contributions move there (placed by
    `actor`), and `theme` is kept on record as merged. Returns the theme that received them.
    Raises NotAllowed, InvalidState (see `check_can_review`; `theme` was merged or deleted),
    ValidationFailed (`into`: missing, unknown, of another consultation, merged or deleted, or
    `theme` itself)."""
    now = now or clock.now()
    consultation = consultation_of(theme)
    check_can_review(actor, consultation)
    _check_active(theme)
    target = _theme_field(consultation, into, "into")
    if target.id == theme.id:
        raise ValidationFailed(
            fields={"into": _("Un thème ne peut pas être fusionné avec lui-même.")}
        )
    moved = _reassign(actor, consultation, theme, target.id, now)
    theme.merged_into_id, theme.deleted_at, theme.deleted_by_id = target.id, now, actor.id
    db.session.flush()
    logger.info(
        "review theme %s merged into %s by user=%s (%s contributions)",
        theme.id,
        target.id,
        actor.id,
        moved,
    )
    return target


def delete_theme(actor: User, theme: ReviewTheme, *, now: datetime | None = None) -> int:
    """Delete a theme: it leaves the workbench but stays on record (who, when), and its
    contributions become « sans thème » by `actor`'s decision (a later draft does not place
    them again). Returns how many contributions it held. Raises NotAllowed, InvalidState (see
    `check_can_review`; the theme was already merged or deleted)."""
    now = now or clock.now()
    consultation = consultation_of(theme)
    check_can_review(actor, consultation)
    _check_active(theme)
    moved = _reassign(actor, consultation, theme, None, now)
    theme.deleted_at, theme.deleted_by_id = now, actor.id
    db.session.flush()
    logger.info("review theme %s deleted by user=%s (%s contributions)", theme.id, actor.id, moved)
    return moved


def split_theme(
    actor: User,
    theme: ReviewTheme,
    contribution_ids: object,
    name: object,
    *,
    now: datetime | None = None,
) -> ReviewTheme:
    """Split `theme`: a new theme named `name`, made by `actor` and placed right after it,
    takes the contributions `contribution_ids` (placed by `actor`, kept through later drafts)
    and records `theme` as its origin; the others stay, and `theme` too is kept through later
    drafts. Returns the new theme. Raises NotAllowed, InvalidState (see
    `check_can_review`; the theme was merged or deleted), ValidationFailed (`contributions`:
    none chosen, one not in the theme, or all of them — that is a rename; `name`: empty, too
    long, taken by another theme)."""
    now = now or clock.now()
    consultation = consultation_of(theme)
    check_can_review(actor, consultation)
    _check_active(theme)
    problems: dict[str, str] = {}
    chosen: set[int | None] = set()
    if isinstance(contribution_ids, list | tuple | set):
        chosen = {_database_id(v) for v in contribution_ids}
    elif contribution_ids is not None:
        problems["contributions"] = _("Liste de contributions attendue.")
    members = set(
        db.session.scalars(
            sa.select(ThemeAssignment.contribution_id).where(ThemeAssignment.theme_id == theme.id)
        )
    )
    if problems:
        pass
    elif not chosen:
        problems["contributions"] = _("Cochez les contributions qui forment le nouveau thème.")
    elif None in chosen or not chosen <= members:
        problems["contributions"] = _(
            "Une contribution cochée n'est plus dans ce thème : rechargez la page."
        )
    elif chosen == members:
        problems["contributions"] = _(
            "Toutes les contributions du thème sont cochées : pour lui donner un autre nom, "
            "renommez-le."
        )
    try:
        clean = _clean_name(consultation, name)
    except ValidationFailed as refused:
        problems.update(refused.fields)
    if problems:
        raise ValidationFailed(fields=problems)
    for other in active_themes(consultation):
        if other.position > theme.position:
            other.position += 1
    new_theme = ReviewTheme(
        consultation_id=consultation.id,
        name=clean,
        position=theme.position + 1,
        origin=Origin.person,
        created_at=now,
        created_by_id=actor.id,
        split_from_id=theme.id,
    )
    db.session.add(new_theme)
    db.session.flush()
    db.session.execute(
        sa.update(ThemeAssignment)
        .where(ThemeAssignment.contribution_id.in_(sorted(cast_ids(chosen))))
        .values(
            theme_id=new_theme.id, origin=Origin.person, assigned_by_id=actor.id, assigned_at=now
        )
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    logger.info(
        "review theme %s split by user=%s: %s contributions to theme %s",
        theme.id,
        actor.id,
        len(chosen),
        new_theme.id,
    )
    return new_theme


def cast_ids(values: Iterable[int | None]) -> list[int]:
    """The ids of `values`, None left out."""
    return [v for v in values if v is not None]


def move_contribution(
    actor: User,
    consultation: Consultation,
    contribution: Contribution,
    theme_id: object,
    *,
    now: datetime | None = None,
) -> ThemeAssignment:
    """Place `contribution` in the theme of id `theme_id`, or in none (`theme_id` None or
    empty): `actor`'s decision, kept through later drafts. Raises NotAllowed, InvalidState (see
    `check_can_review`), NotFound (a contribution of another consultation), ValidationFailed
    (`theme_id`: unknown, of another consultation, merged or deleted)."""
    now = now or clock.now()
    check_can_review(actor, consultation)
    if contribution.consultation_id != consultation.id:
        raise NotFound(_("Contribution introuvable dans cette consultation."))
    target = None if theme_id in (None, "") else _theme_field(consultation, theme_id, "theme_id")
    assignment = db.session.get(ThemeAssignment, contribution.id)
    if assignment is None:
        assignment = ThemeAssignment(
            contribution_id=contribution.id, consultation_id=consultation.id
        )
        db.session.add(assignment)
    assignment.theme_id = target.id if target else None
    assignment.origin, assignment.assigned_by_id, assignment.assigned_at = (
        Origin.person,
        actor.id,
        now,
    )
    db.session.flush()
    logger.info(
        "contribution %s placed in theme %s by user=%s",
        contribution.id,
        assignment.theme_id,
        actor.id,
    )
    return assignment


def mark_read(
    actor: User,
    consultation: Consultation,
    contribution: Contribution,
    read: object = True,
    *,
    now: datetime | None = None,
) -> ContributionReading | None:
    """Mark `contribution` as read by `actor` (`read` true) or as unread again (false: the
    reading is removed). Returns the reading, None once unread. Raises NotAllowed,
    InvalidState (see `check_can_review`), NotFound (a contribution of another consultation),
    ValidationFailed (`read` is not a boolean)."""
    now = now or clock.now()
    check_can_review(actor, consultation)
    if contribution.consultation_id != consultation.id:
        raise NotFound(_("Contribution introuvable dans cette consultation."))
    if not isinstance(read, bool):
        raise ValidationFailed(fields={"read": _("Indiquez lu (true) ou non lu (false).")})
    reading = db.session.get(ContributionReading, contribution.id)
    if not read:
        if reading is not None:
            db.session.delete(reading)
            db.session.flush()
        return None
    if reading is None:
        reading = ContributionReading(
            contribution_id=contribution.id,
            consultation_id=consultation.id,
            read_by_id=actor.id,
            read_at=now,
        )
        db.session.add(reading)
        db.session.flush()
        logger.info("contribution %s read by user=%s", contribution.id, actor.id)
    return reading


def _check_active(theme: ReviewTheme) -> None:
    if theme.is_active:
        return
    if theme.merged_into_id is not None:
        raise InvalidState(
            _("Ce thème a déjà été fusionné dans un autre : il ne peut plus être modifié.")
        )
    raise InvalidState(_("Ce thème a été supprimé : il ne peut plus être modifié."))


def _clean_name(
    consultation: Consultation, name: object, *, besides: ReviewTheme | None = None
) -> str:
    if not isinstance(name, str):
        raise ValidationFailed(fields={"name": _("Texte attendu.")})
    clean = squash(name)
    if not clean:
        raise ValidationFailed(fields={"name": _("Donnez un nom au thème.")})
    if len(clean) > THEME_NAME_MAX:
        raise ValidationFailed(
            fields={
                "name": _(
                    "%(n)s caractères au maximum (%(typed)s saisis).",
                    n=number(THEME_NAME_MAX),
                    typed=number(len(clean)),
                )
            }
        )
    for other in active_themes(consultation):
        if other is not besides and other.name.casefold() == clean.casefold():
            raise ValidationFailed(
                fields={
                    "name": _(
                        "Un autre thème s'appelle déjà « %(name)s » : choisissez un autre nom, "
                        "ou fusionnez les deux thèmes.",
                        name=other.name,
                    )
                }
            )
    return clean


def _theme_field(consultation: Consultation, value: object, field: str) -> ReviewTheme:
    """The theme a form or a body names by its id, for `field`'s messages."""
    if value in (None, ""):
        raise ValidationFailed(fields={field: _("Choisissez un thème.")})
    theme_id = _database_id(value)
    theme = db.session.get(ReviewTheme, theme_id) if theme_id is not None else None
    if theme is None or theme.consultation_id != consultation.id:
        raise ValidationFailed(fields={field: _("Thème inconnu dans cette consultation.")})
    if not theme.is_active:
        raise ValidationFailed(
            fields={
                field: _(
                    "Le thème « %(name)s » a été fusionné ou supprimé : choisissez-en un autre.",
                    name=theme.name,
                )
            }
        )
    return theme


def _database_id(value: object) -> int | None:
    """An id as a form (digits) or a body (an integer) gives it, if a database row can have
    it (1 to 2³¹ − 1); None for anything else."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip()) if len(value.strip()) <= 10 else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= DATABASE_INT_MAX:
        return value
    return None


def theme_holding(contribution: Contribution) -> ReviewTheme | None:
    """The theme on the workbench that holds `contribution`, if any."""
    assignment = db.session.get(ThemeAssignment, contribution.id)
    theme = (
        db.session.get(ReviewTheme, assignment.theme_id)
        if assignment is not None and assignment.theme_id is not None
        else None
    )
    return theme if theme is not None and theme.is_active else None


def find_theme(consultation: Consultation, value: object) -> ReviewTheme | None:
    """The theme of `consultation` whose id a form gives (merged and deleted ones included);
    None for anything else."""
    theme_id = _database_id(value)
    theme = db.session.get(ReviewTheme, theme_id) if theme_id is not None else None
    return theme if theme is not None and theme.consultation_id == consultation.id else None


def _reassign(
    actor: User,
    consultation: Consultation,
    theme: ReviewTheme,
    target_id: int | None,
    now: datetime,
) -> int:
    """Move every contribution of `theme` to `target_id` (None: no theme), as `actor`'s."""
    assignments = list(
        db.session.scalars(sa.select(ThemeAssignment).where(ThemeAssignment.theme_id == theme.id))
    )
    for assignment in assignments:
        assignment.theme_id = target_id
        assignment.origin, assignment.assigned_by_id, assignment.assigned_at = (
            Origin.person,
            actor.id,
            now,
        )
    return len(assignments)


# --- Read models ------------------------------------------------------------------------------


def assignments(consultation: Consultation) -> list[ThemeAssignment]:
    """Where each placed contribution sits (in a theme or, by a person's decision, in none)."""
    return list(
        db.session.scalars(
            sa.select(ThemeAssignment)
            .where(ThemeAssignment.consultation_id == consultation.id)
            .order_by(ThemeAssignment.contribution_id)
        )
    )


def read_ids(consultation: Consultation) -> list[int]:
    """The contributions a person of the institution marked as read."""
    return list(
        db.session.scalars(
            sa.select(ContributionReading.contribution_id)
            .where(ContributionReading.consultation_id == consultation.id)
            .order_by(ContributionReading.contribution_id)
        )
    )


@dataclass(frozen=True)
class ThemeRow:
    """A theme as the workbench and the API show it."""

    id: int
    name: str
    origin: Origin
    drafted_at: datetime | None
    job_id: int | None
    created_by: str | None
    created_at: datetime | None
    renamed_by: str | None
    renamed_at: datetime | None
    deleted_by: str | None
    deleted_at: datetime | None
    merged_into_id: int | None
    merged_into_name: str | None
    split_from_id: int | None  # the theme a person split it off
    split_from_name: str | None
    count: int
    read: int

    @property
    def unread(self) -> int:
        return self.count - self.read

    @property
    def decided_by(self) -> str | None:
        """The person whose decision the theme carries last (its name or its creation)."""
        return self.renamed_by or self.created_by

    @property
    def decided_at(self) -> datetime | None:
        return self.renamed_at or (self.created_at if self.origin is Origin.person else None)


@dataclass(frozen=True)
class Workbench:
    consultation: Consultation
    themes: list[ThemeRow]
    removed: list[ThemeRow]
    unassigned: int
    counts: dict[str, int]
    has_draft_themes: bool


def theme_rows(consultation: Consultation) -> list[ThemeRow]:
    """Every theme of the consultation (merged and deleted ones last), with its counts."""
    themes = list(
        db.session.scalars(
            sa.select(ReviewTheme)
            .where(ReviewTheme.consultation_id == consultation.id)
            .order_by(ReviewTheme.deleted_at.is_not(None), ReviewTheme.position, ReviewTheme.id)
        )
    )
    counted = db.session.execute(
        sa.select(
            ThemeAssignment.theme_id,
            sa.func.count(),
            sa.func.count(ContributionReading.contribution_id),
        )
        .outerjoin(
            ContributionReading,
            ContributionReading.contribution_id == ThemeAssignment.contribution_id,
        )
        .where(
            ThemeAssignment.consultation_id == consultation.id,
            ThemeAssignment.theme_id.is_not(None),
        )
        .group_by(ThemeAssignment.theme_id)
    )
    counts = {theme_id: (total, read) for theme_id, total, read in counted}
    users = names_of(
        {u for t in themes for u in (t.created_by_id, t.renamed_by_id, t.deleted_by_id)}
    )
    names = {t.id: t.name for t in themes}
    return [
        ThemeRow(
            id=t.id,
            name=t.name,
            origin=t.origin,
            drafted_at=t.drafted_at,
            job_id=t.job_id,
            created_by=users.get(t.created_by_id),
            created_at=t.created_at,
            renamed_by=users.get(t.renamed_by_id),
            renamed_at=t.renamed_at,
            deleted_by=users.get(t.deleted_by_id),
            deleted_at=t.deleted_at,
            merged_into_id=t.merged_into_id,
            merged_into_name=names.get(t.merged_into_id) if t.merged_into_id else None,
            split_from_id=t.split_from_id,
            split_from_name=names.get(t.split_from_id) if t.split_from_id else None,
            count=counts.get(t.id, (0, 0))[0],
            read=counts.get(t.id, (0, 0))[1],
        )
        for t in themes
    ]


def workbench(consultation: Consultation) -> Workbench:
    """The workbench page: the themes with their provenance and counts, the themes removed
    by a person, how many contributions sit in no theme, the review's figures."""
    rows = theme_rows(consultation)
    return Workbench(
        consultation=consultation,
        themes=[r for r in rows if r.deleted_at is None],
        removed=[r for r in rows if r.deleted_at is not None],
        unassigned=db.session.scalar(
            sa.select(sa.func.count()).select_from(_unassigned_query(consultation).subquery())
        )
        or 0,
        counts=provenance.review_counts(consultation.id),
        has_draft_themes=any(r.origin is Origin.machine for r in rows),
    )


@dataclass(frozen=True)
class ContributionRow:
    id: int
    tracking_number: str
    opening: str
    is_public: bool
    theme_id: int | None
    origin: Origin | None
    assigned_by: str | None
    assigned_at: datetime | None
    read_by: str | None
    read_at: datetime | None

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


@dataclass(frozen=True)
class ContributionPage:
    consultation: Consultation
    theme: ThemeRow | None  # None: the contributions in no theme
    contributions: list[ContributionRow]
    page: int
    pages: int
    total: int
    choices: list[tuple[int, str]]  # the themes a contribution can move to


def theme_page(theme: ReviewTheme, page: int = 1) -> ContributionPage:
    """A theme's contributions, `PAGE_SIZE` a page, oldest first."""
    consultation = consultation_of(theme)
    query = (
        sa.select(Contribution)
        .join(ThemeAssignment, ThemeAssignment.contribution_id == Contribution.id)
        .where(ThemeAssignment.theme_id == theme.id)
    )
    row = next(r for r in theme_rows(consultation) if r.id == theme.id)
    return _contribution_page(consultation, row, query, page)


def unassigned_page(consultation: Consultation, page: int = 1) -> ContributionPage:
    """The contributions in no theme: never placed by a draft, or taken out by a person."""
    return _contribution_page(consultation, None, _unassigned_query(consultation), page)


def _unassigned_query(consultation: Consultation) -> sa.Select:
    return (
        sa.select(Contribution)
        .outerjoin(ThemeAssignment, ThemeAssignment.contribution_id == Contribution.id)
        .where(
            Contribution.consultation_id == consultation.id,
            ThemeAssignment.theme_id.is_(None),
        )
    )


def _contribution_page(
    consultation: Consultation, theme: ThemeRow | None, query: sa.Select, page: int
) -> ContributionPage:
    total = (
        db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
        or 0
    )
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = list(
        db.session.scalars(
            query.order_by(Contribution.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
        )
    )
    ids = [c.id for c in items]
    assignments = {
        a.contribution_id: a
        for a in db.session.scalars(
            sa.select(ThemeAssignment).where(ThemeAssignment.contribution_id.in_(ids))
        )
    }
    readings = {
        r.contribution_id: r
        for r in db.session.scalars(
            sa.select(ContributionReading).where(ContributionReading.contribution_id.in_(ids))
        )
    }
    users = names_of(
        {a.assigned_by_id for a in assignments.values()} | {r.read_by_id for r in readings.values()}
    )
    rows = []
    for item in items:
        assignment, reading = assignments.get(item.id), readings.get(item.id)
        rows.append(
            ContributionRow(
                id=item.id,
                tracking_number=item.tracking_number,
                opening=opening_words(item.title or item.body or ""),
                is_public=bool(item.is_public),
                theme_id=assignment.theme_id if assignment else None,
                origin=assignment.origin if assignment else None,
                assigned_by=users.get(assignment.assigned_by_id) if assignment else None,
                assigned_at=assignment.assigned_at if assignment else None,
                read_by=users.get(reading.read_by_id) if reading else None,
                read_at=reading.read_at if reading else None,
            )
        )
    return ContributionPage(
        consultation=consultation,
        theme=theme,
        contributions=rows,
        page=page,
        pages=pages,
        total=total,
        choices=[(t.id, t.name) for t in active_themes(consultation)],
    )


def opening_words(text: str, count: int = OPENING_WORDS) -> str:
    """The first `count` words of a text, « … » when there are more."""
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def names_of(user_ids: Iterable[int | None]) -> dict[int | None, str]:
    """The display names of the users `user_ids` (None and unknown ids left out)."""
    wanted = {i for i in user_ids if i is not None}
    if not wanted:
        return {}
    return {
        user_id: name
        for user_id, name in db.session.execute(
            sa.select(User.id, User.display_name).where(User.id.in_(wanted))
        )
    }

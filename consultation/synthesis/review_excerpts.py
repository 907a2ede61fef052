"""The review of the themes' excerpts (the workbench): the draft quotes a few representative
excerpts per theme (`analysis.themes`: the passages where the theme's words weigh most, from
texts not alike); a person pins a contribution's excerpt for a theme (quoted first in the
drafted synthesis for that theme) or drops one (never quoted for that theme), and may undo
either. Each decision records who and when, and is kept through later drafts: a theme with a
decision on its excerpts is a theme a person touched (`review.import_draft_themes` keeps it).

Every action is for the staff of the consultation's institution, on a published consultation
(`review.check_can_review`). Services flush; the caller commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.core import clock
from consultation.core.errors import NotFound, ValidationFailed
from consultation.extensions import db
from consultation.participation.models import Contribution
from consultation.synthesis import quotes, review
from consultation.synthesis.draft_markdown import excerpt
from consultation.synthesis.models import Synthesis
from consultation.synthesis.review_models import (
    ExcerptChoice,
    ExcerptState,
    ReviewTheme,
    ThemeAssignment,
)

logger = logging.getLogger(__name__)

STATES = {"pinned": ExcerptState.pinned, "dropped": ExcerptState.dropped}


def choose_excerpt(
    actor: User,
    theme: ReviewTheme,
    contribution: Contribution,
    state: object,
    *,
    now: datetime | None = None,
) -> ExcerptChoice | None:
    """Pin (`state` "pinned") or drop ("dropped") `contribution`'s excerpt for `theme`, or undo
    the decision (None or ""): the draft's own choice applies again. Returns the decision, None
    once undone. Raises NotAllowed, InvalidState (see `review.check_can_review`; the theme was
    merged or deleted), NotFound (a contribution of another consultation), ValidationFailed
    (`state`: unknown; `contribution_id`: pinning a contribution that is not in the theme, or
    that is hidden or withdrawn)."""
    now = now or clock.now()
    consultation = review.consultation_of(theme)
    review.check_can_review(actor, consultation)
    review._check_active(theme)
    if contribution.consultation_id != consultation.id:
        raise NotFound(_("Contribution introuvable dans cette consultation."))
    if state not in (None, "", *STATES):
        raise ValidationFailed(
            fields={"state": _("Valeurs possibles : pinned (épingler), dropped (écarter), null.")}
        )
    choice = db.session.get(ExcerptChoice, (theme.id, contribution.id))
    if state in (None, ""):
        if choice is not None:
            db.session.delete(choice)
            theme.excerpt_undone_at = now
            db.session.flush()
            logger.info(
                "excerpt of %s for theme %s undone by user=%s", contribution.id, theme.id, actor.id
            )
        return None
    chosen = STATES[str(state)]
    if chosen is ExcerptState.pinned:
        if not contribution.is_public:
            raise ValidationFailed(
                fields={
                    "contribution_id": _(
                        "Cette contribution est retirée ou masquée : son texte ne peut pas être "
                        "cité."
                    )
                }
            )
        assignment = db.session.get(ThemeAssignment, contribution.id)
        if assignment is None or assignment.theme_id != theme.id:
            raise ValidationFailed(
                fields={
                    "contribution_id": _(
                        "Cette contribution n'est pas dans ce thème : placez-la d'abord dans le "
                        "thème pour en citer un extrait."
                    )
                }
            )
    if choice is None:
        choice = ExcerptChoice(
            theme_id=theme.id, contribution_id=contribution.id, consultation_id=consultation.id
        )
        db.session.add(choice)
    choice.state, choice.decided_by_id, choice.decided_at = chosen, actor.id, now
    db.session.flush()
    logger.info(
        "excerpt of %s for theme %s %s by user=%s",
        contribution.id,
        theme.id,
        chosen.value,
        actor.id,
    )
    return choice


# --- Read models ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExcerptRow:
    contribution_id: int
    tracking_number: str
    text: str
    in_draft: bool  # one of the draft's excerpts for this theme
    state: ExcerptState | None
    decided_by: str | None
    decided_at: datetime | None


def choices_of(theme_ids: list[int]) -> dict[int, list[ExcerptChoice]]:
    """The excerpt decisions of each theme, pinned ones in the order they were pinned."""
    found: dict[int, list[ExcerptChoice]] = {}
    for choice in db.session.scalars(
        sa.select(ExcerptChoice)
        .where(ExcerptChoice.theme_id.in_(theme_ids))
        .order_by(ExcerptChoice.decided_at, ExcerptChoice.contribution_id)
    ):
        found.setdefault(choice.theme_id, []).append(choice)
    return found


def drafted_excerpts(theme: ReviewTheme) -> list[dict[str, Any]]:
    """The excerpts the last draft chose for `theme` (none when the last draft did not fill
    it), without the words of contributions hidden or withdrawn since."""
    if theme.draft_index is None:
        return []
    synthesis = db.session.get(Synthesis, theme.consultation_id)
    data = quotes.withhold(synthesis.draft_data if synthesis else None, theme.consultation_id)
    themes = (data or {}).get("themes") or []
    if theme.draft_index >= len(themes) or not isinstance(themes[theme.draft_index], dict):
        return []
    return [
        e
        for e in themes[theme.draft_index].get("excerpts") or []
        if isinstance(e, dict) and isinstance(e.get("id"), int) and isinstance(e.get("text"), str)
    ]


def quoted_text(contribution: Contribution) -> str:
    """A contribution's excerpt when it is not one the draft chose: the start of its title and
    text, as the draft quotes them; "" for a hidden or withdrawn one."""
    if not contribution.is_public:
        return ""
    return excerpt(" — ".join(p for p in (contribution.title, contribution.body) if p))


def theme_excerpts(theme: ReviewTheme) -> list[ExcerptRow]:
    """What the drafted synthesis quotes for `theme` and what a person decided: the pinned
    excerpts first (in the order they were pinned), then the draft's, the dropped ones marked."""
    drafted = drafted_excerpts(theme)
    choices = choices_of([theme.id]).get(theme.id, [])
    by_id = {c.contribution_id: c for c in choices}
    drafted_ids = [e["id"] for e in drafted]
    texts = {e["id"]: e["text"] for e in drafted}
    wanted = [c.contribution_id for c in choices if c.state is ExcerptState.pinned] + [
        i for i in drafted_ids if i not in by_id or by_id[i].state is not ExcerptState.pinned
    ]
    wanted += [
        c.contribution_id
        for c in choices
        if c.state is ExcerptState.dropped and c.contribution_id not in drafted_ids
    ]
    contributions = {
        c.id: c
        for c in db.session.scalars(sa.select(Contribution).where(Contribution.id.in_(wanted)))
    }
    users = review.names_of(c.decided_by_id for c in choices)
    rows = []
    for contribution_id in wanted:
        contribution = contributions.get(contribution_id)
        if contribution is None:
            continue
        choice = by_id.get(contribution_id)
        rows.append(
            ExcerptRow(
                contribution_id=contribution_id,
                tracking_number=contribution.tracking_number,
                text=texts.get(contribution_id) or quoted_text(contribution),
                in_draft=contribution_id in texts,
                state=choice.state if choice else None,
                decided_by=users.get(choice.decided_by_id) if choice else None,
                decided_at=choice.decided_at if choice else None,
            )
        )
    return rows


def pinned_ids(theme: ReviewTheme) -> set[int]:
    """The contributions whose excerpt is pinned for `theme`."""
    return {
        c.contribution_id
        for c in choices_of([theme.id]).get(theme.id, [])
        if c.state is ExcerptState.pinned
    }


def get_choice_contribution(theme: ReviewTheme, contribution_id: int) -> Contribution:
    """The contribution of the theme's consultation an excerpt action names; NotFound."""
    return review.get_contribution(review.consultation_of(theme), contribution_id)

"""The draft's quotations of contributions, as the public may read them now.

A drafted synthesis (and the data a published version keeps) quotes the contributions that were
public when it was computed. A contribution withdrawn or hidden since keeps its place there — its
link, its counts, its share of a campaign, a theme or a proposal — but not its words: `withhold`
takes out every
quotation of a contribution that is no longer public (`participation.models.contribution_state`,
the rule every surface follows) each time the data is shown, on the public synthesis page, in the
back-office and in the API.
"""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from consultation.extensions import db
from consultation.participation.models import Contribution

ARTICLE_LISTS = (
    "amendments",
    "arguments_for",
    "arguments_against",
    "controversial",
    "representatives",
)


def withhold(data: dict[str, Any] | None, consultation_id: int) -> dict[str, Any] | None:
    """`data` (a draft's, see `synthesis.draft`) without the words of the contributions of the
    consultation that are withdrawn or hidden now: a single quotation becomes None with
    `withheld: true`, a quotation in a list (a theme's excerpts, an article's own themes'
    excerpts, a campaign's additions) is left
    out. `data` itself is not changed; it is returned as it is when nothing is withheld."""
    if not data:
        return data
    withheld = set(
        db.session.scalars(
            sa.select(Contribution.id).where(
                Contribution.consultation_id == consultation_id, sa.not_(Contribution.is_public)
            )
        )
    )
    # The opening words that link texts show (`titles`) are words of the contribution too.
    titled = {int(key) for key in data.get("titles") or {} if str(key).isdecimal()}
    if not withheld or not ((quoted_ids(data) | titled) & withheld):
        return data
    data = copy.deepcopy(data)
    for article in data.get("articles") or []:
        for key in ARTICLE_LISTS:
            for item in article.get(key) or []:
                _blank(item, "excerpt", withheld)
        for own in article.get("own_themes") or []:
            own["excerpts"] = [e for e in own.get("excerpts") or [] if e.get("id") not in withheld]
    for campaign in data.get("campaigns") or []:
        if campaign.get("representative_id") in withheld:
            campaign["representative"] = None
            campaign["withheld"] = True
        campaign["additions"] = [
            a for a in campaign.get("additions") or [] if a.get("id") not in withheld
        ]
    for theme in data.get("themes") or []:
        theme["excerpts"] = [e for e in theme.get("excerpts") or [] if e.get("id") not in withheld]
    for statement in _statements(data):
        if statement.get("kind") == "contribution":
            _blank(statement, "excerpt", withheld)
    for group in _proposal_groups(data):
        # A wording stays while one contribution that wrote it is still public; the label is
        # the most frequent wording left, or None (`withheld`) when none is.
        kept = [
            w
            for w in group.get("wordings") or []
            if any(i not in withheld for i in w.get("ids") or [])
        ]
        if kept != group.get("wordings"):
            group["wordings"] = kept
            group["label"] = kept[0].get("text") if kept else None
            group["withheld"] = not kept
    if data.get("titles"):
        data["titles"] = {k: v for k, v in data["titles"].items() if int(k) not in withheld}
    return data


def quoted_ids(data: dict[str, Any]) -> set[int]:
    """The contributions whose words `data` quotes."""
    ids = {
        item.get("id")
        for article in data.get("articles") or []
        for key in ARTICLE_LISTS
        for item in article.get(key) or []
    }
    for campaign in data.get("campaigns") or []:
        ids.add(campaign.get("representative_id"))
        ids.update(a.get("id") for a in campaign.get("additions") or [])
    for theme in data.get("themes") or []:
        ids.update(e.get("id") for e in theme.get("excerpts") or [])
    for article in data.get("articles") or []:
        for own in article.get("own_themes") or []:
            ids.update(e.get("id") for e in own.get("excerpts") or [])
    ids.update(s.get("id") for s in _statements(data) if s.get("kind") == "contribution")
    for group in _proposal_groups(data):
        ids.update(i for w in group.get("wordings") or [] for i in w.get("ids") or [])
    ids.discard(None)
    return ids


def _proposal_groups(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The proposal groups of `data`, each quoting its wordings (`wordings[].ids` wrote them)."""
    return [g for g in (data.get("proposals") or {}).get("groups") or [] if isinstance(g, dict)]


def _statements(data: dict[str, Any]) -> list[dict[str, Any]]:
    opinions = data.get("opinion_groups") or {}
    return [
        *(s for group in opinions.get("groups") or [] for s in group.get("supports") or []),
        *(opinions.get("consensus") or []),
        *(opinions.get("cruxes") or []),
    ]


def _blank(item: dict[str, Any], key: str, withheld: set[int]) -> None:
    if item.get("id") in withheld:
        item[key] = None
        item["withheld"] = True

"""The reasons of the moderation charter: why a contribution is reported or hidden, why a
participant is blocked. One vocabulary for reports, decisions, blocks and public figures."""

from __future__ import annotations

import enum


class ModerationReason(enum.Enum):
    insult = "insult"
    spam = "spam"
    off_topic = "off_topic"
    personal_data = "personal_data"
    illegal = "illegal"
    other = "other"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    ModerationReason.insult: "Injure ou harcèlement",
    ModerationReason.spam: "Spam ou publicité",
    ModerationReason.off_topic: "Hors sujet",
    ModerationReason.personal_data: "Données personnelles",
    ModerationReason.illegal: "Contenu illicite",
    ModerationReason.other: "Autre motif contraire à la charte",
}


def hidden_notice(reason: ModerationReason | None) -> str:
    """What replaces a hidden contribution's text on every public surface."""
    label = REASON_LABELS[reason if reason is not None else ModerationReason.other]
    return f"Contribution masquée par la modération — motif : {label.lower()}"

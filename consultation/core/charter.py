"""The reasons of the moderation charter: why a contribution is reported or hidden, why a
participant is blocked. One vocabulary for reports, decisions, blocks and public figures."""

from __future__ import annotations

import enum

from flask_babel import gettext

from consultation.core.i18n import N_, LazyString, lazy


class ModerationReason(enum.Enum):
    insult = "insult"
    spam = "spam"
    off_topic = "off_topic"
    personal_data = "personal_data"
    illegal = "illegal"
    other = "other"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(REASON_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return REASON_LABELS[self]


REASON_LABELS = {
    ModerationReason.insult: N_("Injure ou harcèlement"),
    ModerationReason.spam: N_("Spam ou publicité"),
    ModerationReason.off_topic: N_("Hors sujet"),
    ModerationReason.personal_data: N_("Données personnelles"),
    ModerationReason.illegal: N_("Contenu illicite"),
    ModerationReason.other: N_("Autre motif contraire à la charte"),
}


HIDDEN_NOTICE = N_("Contribution masquée par la modération — motif : %(reason)s")


def hidden_notice(reason: ModerationReason | None, *, french: bool = False) -> str:
    """What replaces a hidden contribution's text on every public surface, in the reader's
    language; `french` gives the French source (the API and the exports, read by machines)."""
    label = REASON_LABELS[reason if reason is not None else ModerationReason.other]
    if french:
        return HIDDEN_NOTICE % {"reason": label.lower()}
    notice: str = gettext(HIDDEN_NOTICE, reason=gettext(label).lower())
    return notice

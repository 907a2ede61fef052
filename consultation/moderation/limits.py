"""The length limits of what participants and moderators write in moderation, in characters:
one definition each, read by the services and appeals (which refuse a longer text), the forms
(`core.forms.MaxChars`, and the appeal's counter through `maxlength`)."""

from __future__ import annotations

DETAILS_MAX = 1_000
"""The details of a report (read by moderators only)."""
NOTE_MAX = 2_000
"""A moderator's internal note on a decision, a block or a bulk action."""
APPEAL_MAX = 2_000
"""An appeal against a hiding."""
TRACKING_NUMBER_MAX = 40
"""A contribution's tracking number typed by a moderator (the original of a duplicate)."""

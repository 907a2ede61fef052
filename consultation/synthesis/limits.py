"""The length limits of what the administration writes after a consultation, in characters: one
definition each, read by the services (which refuse a longer text), the forms
(`core.forms.MaxChars`, and the answer's counter through `data-max-length`) and the API
document (`api.schemas`)."""

from __future__ import annotations

ANSWER_MAX = 10_000
"""An official answer to a contribution."""
SYNTHESIS_MAX = 200_000
"""The synthesis's text (Markdown)."""
OBSERVATIONS_MAX = 100_000
"""The observations of the public the decision takes into account (environmental bases)."""
CHANGE_NOTE_MAX = 2_000
"""The note of a published version of the synthesis."""
URL_MAX = 2_000
"""A web address: the statement of reasons, a follow-up's link, the adopted act's."""
FOLLOW_UP_TITLE_MAX = 200
"""A follow-up's title."""
FOLLOW_UP_DESCRIPTION_MAX = 10_000
"""A follow-up's description."""
FOLLOW_UP_NOTE_MAX = 2_000
"""The note on a change of a follow-up, kept in its public history."""
ACT_REFERENCE_MAX = 300
"""The adopted act's reference (« Décret n° 2026-123 du 3 mars 2026 »)."""
THEME_NAME_MAX = 200
"""A theme's name on the review workbench."""
PROPOSAL_LABEL_MAX = 300
"""A proposal group's label on the review workbench (the draft's labels are at most 120)."""

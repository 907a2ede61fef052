"""The length limits of what organisers write about a consultation, in characters: one
definition each, read by the services (which refuse, or cut, a longer text), the forms
(`core.forms.MaxChars`) and the API document (`api.schemas`)."""

from __future__ import annotations

TITLE_MAX = 200
"""A consultation's title."""
SUMMARY_MAX = 2_000
"""A consultation's summary, shown in the list of consultations."""
NOTICE_NAME_MAX = 300
"""The notice's organiser and replaced commission (bounded columns; the other notice fields
are unbounded text)."""
EXTENSION_REASON_MAX = 1_000
"""The published reason of an extension (longer reasons are cut)."""
ACKNOWLEDGEMENT_MAX = 64
"""The fingerprint of the import warnings acknowledged (a SHA-256, in hexadecimal)."""
ANSWERS_COMMITTED_MAX = 10_000
"""The number of most supported contributions the notice commits to answer (a number, not a
length)."""
DOCUMENT_TITLE_MAX = 300
"""A document's title (« Étude d'impact du projet de loi »)."""
DOCUMENT_NOTE_MAX = 2_000
"""The published note of a document's erratum, and the reason it was hidden."""
DOCUMENTS_MAX = 50
"""Documents (all versions together) attached to one consultation (a number, not a length)."""

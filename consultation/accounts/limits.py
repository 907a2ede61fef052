"""The length limits of what a person or an administrator types about an account, in
characters: one definition each, read by the services (which refuse, or cut, a longer text)
and the forms (`core.forms.MaxChars`)."""

from __future__ import annotations

EMAIL_MAX = 254
"""An e-mail address (RFC 5321's limit; the column is a String(254))."""
DISPLAY_NAME_MAX = 80
"""The name published with one's contributions."""
PASSWORD_MIN = 12
"""A password's shortest length."""
PASSWORD_MAX = 256
"""A password's longest length."""
API_TOKEN_NAME_MAX = 100
"""The name given to an API token (longer names are cut)."""
ORGANISATION_NAME_MAX = 200
"""The name of the organisation one speaks for (longer names are cut)."""
HATVP_NUMBER_MAX = 20
"""A number in the HATVP register of interest representatives."""
INSTITUTION_SLUG_MAX = 80
"""An institution's identifier in addresses."""

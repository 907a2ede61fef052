"""Safe redirects: only to local paths of this site."""

import unicodedata
from urllib.parse import urlsplit

from flask import url_for


def safe_next(target: str | None, default_endpoint: str = "consultations.index") -> str:
    """Return `target` if it is a local path ("/…", not "//…"), else the default page.

    Refused: another scheme or host (`https://…`, `//host`, `javascript:`), a backslash
    (`/\\host`, read as `//host` by browsers) and any white space or control character, which
    browsers strip before reading the address.
    """
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
            and "\\" not in target
            and not any(c.isspace() or unicodedata.category(c).startswith("C") for c in target)
        ):
            return target
    return url_for(default_endpoint)

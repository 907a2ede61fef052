"""Small text helpers."""

import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(value: str, max_length: int = 80) -> str:
    """ASCII, lower-case, hyphen-separated: 'Loi « numérique » 2026' -> 'loi-numerique-2026'."""
    ascii_value = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_value.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def squash(value: str | None) -> str:
    """Collapse runs of white space and strip."""
    return " ".join((value or "").split())

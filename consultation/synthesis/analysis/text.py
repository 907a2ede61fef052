"""Text normalisation shared by the analyses.

Two contributions that differ only by capitals, accents, punctuation or spacing say the same
thing: "Je suis CONTRE l'article 3 !" and "je suis contre l article 3" normalise to the same
string. Letters are case folded (which also folds "ß" to "ss"), accents are removed by Unicode
decomposition, the ligatures œ and æ are spelled out, every character that is neither a letter
nor a digit becomes a space, and runs of spaces collapse to one.
"""

from __future__ import annotations

import re
import unicodedata

_ASCII_ALPHANUMERIC = bytes(
    code if chr(code).isascii() and chr(code).isalnum() else ord(" ") for code in range(256)
)
_COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Case folded, accents removed, punctuation to spaces, spaces collapsed."""
    folded = (text or "").casefold().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = _COMBINING_MARKS.sub("", decomposed)
    if bare.isascii():  # most French text once unaccented: a byte table is faster
        return " ".join(bare.encode().translate(_ASCII_ALPHANUMERIC).decode().split())
    return _NOT_ALPHANUMERIC.sub(" ", bare).strip()

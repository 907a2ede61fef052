"""Word-level differences between the consulted wording and a proposed one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\S+\s*|\s+")  # a word with the spaces after it


@dataclass(frozen=True)
class Segment:
    op: str  # "same" | "removed" | "added"
    text: str


def word_diff(original: str, proposed: str) -> list[Segment]:
    """Segments that turn `original` into `proposed`, word by word (spaces kept)."""
    before, after = _TOKENS.findall(original or ""), _TOKENS.findall(proposed or "")
    segments: list[Segment] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            segments.append(Segment("removed", "".join(before[a1:a2])))
        if b2 > b1:
            segments.append(Segment("added", "".join(after[b1:b2])))
    return segments

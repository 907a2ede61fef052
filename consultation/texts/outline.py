"""The reading order of a text: division headings interleaved with articles.

Divisions are kept in document (pre-)order and each article names its innermost division;
the reading order emits each division heading just before the first thing it contains.
The same order serves the saved text (with HTML heading levels) and the import preview.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from consultation.texts.importer import ParsedText, TextWarning
from consultation.texts.models import Article, Division, TextVersion

MAX_HEADING = 6


def reading_order(
    division_parents: list[int | None], article_divisions: list[int | None]
) -> list[tuple[str, int]]:
    """[("division", i) | ("article", j)] in reading order, from indices into the two lists."""
    order: list[tuple[str, int]] = []
    emitted: set[int] = set()

    def emit(index: int) -> None:
        for earlier in range(index):
            if earlier not in emitted:
                emit(earlier)
        if index not in emitted:
            emitted.add(index)
            order.append(("division", index))

    for article_index, division in enumerate(article_divisions):
        chain = []
        while division is not None:
            chain.append(division)
            division = division_parents[division]
        for index in reversed(chain):
            emit(index)
        order.append(("article", article_index))
    for index in range(len(division_parents)):
        emit(index)
    return order


@dataclass(frozen=True)
class OutlineItem:
    kind: str  # "division" | "article"
    node: Division | Article
    level: int  # HTML heading level

    @property
    def anchor(self) -> str:
        if isinstance(self.node, Article):  # kind "article"
            return f"article-{self.node.slug}"
        return f"division-{self.node.position + 1}"


def outline(version: TextVersion | None, base_level: int = 3) -> list[OutlineItem]:
    """The saved text in reading order, each item with the heading level its depth calls for."""
    if version is None:
        return []
    divisions = sorted(version.divisions, key=lambda d: d.position)
    articles = sorted(version.articles, key=lambda a: a.position)
    index_of = {d.id: i for i, d in enumerate(divisions)}
    parents = [index_of.get(d.parent_id) if d.parent_id is not None else None for d in divisions]
    homes = [index_of.get(a.division_id) if a.division_id is not None else None for a in articles]
    items = []
    node: Division | Article
    for kind, index in reading_order(parents, homes):
        if kind == "division":
            node, depth = divisions[index], divisions[index].depth
        else:
            home = homes[index]
            node, depth = articles[index], (divisions[home].depth + 1 if home is not None else 0)
        items.append(OutlineItem(kind, node, min(base_level + depth, MAX_HEADING)))
    return items


@dataclass(frozen=True)
class PreviewEntry:
    kind: str
    label: str
    title: str
    depth: int
    paragraphs: int = 0
    alineas: tuple[str, ...] = ()
    line: int = 0
    warnings: tuple[TextWarning, ...] = ()
    """The warnings of lines between this heading and the next one: shown where they fall."""


@dataclass(frozen=True)
class PreviewSummary:
    entries: list[PreviewEntry]
    paragraphs: int
    before: tuple[TextWarning, ...] = ()
    """Warnings of lines before the first heading (title, preamble)."""


def summarize_parsed(parsed: ParsedText) -> PreviewSummary:
    """The reading order of a parsed (not yet saved) text, for the import preview."""
    divisions, articles = parsed.divisions, parsed.articles
    entries = []
    for kind, index in reading_order([d.parent for d in divisions], [a.division for a in articles]):
        if kind == "division":
            d = divisions[index]
            entries.append(PreviewEntry("division", d.label, d.title, d.depth, line=d.line))
        else:
            a = articles[index]
            depth = divisions[a.division].depth + 1 if a.division is not None else 0
            entries.append(
                PreviewEntry(
                    "article",
                    a.label,
                    a.title,
                    depth,
                    len(a.paragraphs),
                    alineas=tuple(a.paragraphs),
                    line=a.line,
                )
            )
    # Each warning goes with the heading its line follows, in the order of the text.
    by_line = sorted(range(len(entries)), key=lambda i: entries[i].line)
    placed: dict[int, list[TextWarning]] = {}
    before: list[TextWarning] = []
    for warning in parsed.warnings:
        owner = None
        for i in by_line:
            if entries[i].line <= warning.line:
                owner = i
            else:
                break
        if owner is None:
            before.append(warning)
        else:
            placed.setdefault(owner, []).append(warning)
    entries = [
        replace(entry, warnings=tuple(placed.get(i, ()))) if i in placed else entry
        for i, entry in enumerate(entries)
    ]
    return PreviewSummary(entries, sum(len(a.paragraphs) for a in articles), tuple(before))

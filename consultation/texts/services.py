"""Importing the consulted text and fingerprinting it."""

from __future__ import annotations

import hashlib
from datetime import datetime

from consultation.core.errors import InvalidState, InvalidText
from consultation.extensions import db
from consultation.texts.importer import ParsedText, TextImportError, normalize_source, parse_text
from consultation.texts.models import Article, Division, Paragraph, TextVersion

MAX_SOURCE_CHARS = 2_000_000


def fingerprint(source: str) -> str:
    """SHA-256 of the canonical form of the text (line endings, trailing spaces, NFC)."""
    return hashlib.sha256(normalize_source(source).encode("utf-8")).hexdigest()


def preview_text(source: str) -> ParsedText:
    """Parse `source` without saving. Raises InvalidText with a French message naming the line."""
    try:
        return parse_text(source or "")
    except TextImportError as error:
        raise InvalidText(str(error), fields={"text": str(error)}) from error


def replace_draft_text(consultation, source: str, *, now: datetime) -> TextVersion:
    """Parse `source` and make it the draft's text (version 1, rewritten at each save).

    Raises InvalidText for unparseable input, InvalidState once the consultation is published:
    its text is then frozen.
    """
    if consultation.is_published:
        raise InvalidState(
            "Le texte d'une consultation publiée est figé.",
            fields={"text": "Le texte est figé depuis la publication."},
        )
    parsed = preview_text(source)
    for version in list(consultation.versions):
        consultation.versions.remove(version)
    db.session.flush()
    version = _build_version(parsed, source, number=1, now=now)
    consultation.versions.append(version)
    db.session.flush()
    return version


def freeze_text(version: TextVersion, *, now: datetime) -> None:
    """Record that the version is frozen; its fingerprint is the one published."""
    version.sha256 = fingerprint(version.source)
    version.frozen_at = now


def _build_version(parsed: ParsedText, source: str, *, number: int, now: datetime) -> TextVersion:
    canonical = normalize_source(source)
    version = TextVersion(
        number=number,
        source=canonical,
        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        title=parsed.title[:300],
        preamble=list(parsed.preamble),
        closing=list(parsed.closing),
        created_at=now,
    )
    divisions: list[Division] = []
    for position, parsed_division in enumerate(parsed.divisions):
        division = Division(
            position=position,
            depth=parsed_division.depth,
            kind=parsed_division.kind,
            label=parsed_division.label[:200],
            title=parsed_division.title,
            intro=list(parsed_division.intro),
            parent=divisions[parsed_division.parent]
            if parsed_division.parent is not None
            else None,
        )
        divisions.append(division)
        version.divisions.append(division)
    for position, parsed_article in enumerate(parsed.articles):
        article = Article(
            position=position,
            number=parsed_article.number[:50],
            slug=parsed_article.slug[:60],
            label=parsed_article.label[:120],
            title=parsed_article.title,
            division=divisions[parsed_article.division]
            if parsed_article.division is not None
            else None,
            paragraphs=[
                Paragraph(number=index, text=text)
                for index, text in enumerate(parsed_article.paragraphs, start=1)
            ],
        )
        version.articles.append(article)
    return version

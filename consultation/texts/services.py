"""Importing the consulted text and fingerprinting it."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Protocol

from flask_babel import gettext as _

from consultation.core.errors import InvalidState, InvalidText, UnacknowledgedTextWarnings
from consultation.core.plurals import ngettext
from consultation.extensions import db
from consultation.texts.importer import (
    ParsedText,
    TextImportError,
    TextWarning,
    article_slug,
    normalize_source,
    parse_text,
)
from consultation.texts.models import Article, Division, Paragraph, TextVersion

MAX_SOURCE_CHARS = 2_000_000


class TextOwner(Protocol):
    """What `replace_draft_text` needs of a consultation: `consultations` imports `texts`,
    never the reverse (tests/test_architecture.py)."""

    @property
    def is_published(self) -> bool: ...

    @property
    def current_version(self) -> TextVersion | None: ...

    @property
    def versions(self) -> list[TextVersion]: ...


def find_article(articles: list[Article], address: str | None) -> Article | None:
    """The article at `address` among `articles`: its slug, or what a person would type for it
    (« 1er », « premier », « 3 bis », upper case…), or None."""
    if not address:
        return None
    by_slug = {article.slug: article for article in articles}
    return by_slug.get(address) or by_slug.get(article_slug(address[:100]))


def fingerprint(source: str) -> str:
    """SHA-256 of the canonical form of the text (line endings, trailing spaces, NFC)."""
    return hashlib.sha256(normalize_source(source).encode("utf-8")).hexdigest()


def preview_text(source: str) -> ParsedText:
    """Parse `source` without saving. Raises InvalidText with a French message naming the line."""
    try:
        return parse_text(source or "")
    except TextImportError as error:
        raise InvalidText(str(error), fields={"text": str(error)}) from error


def require_acknowledged(parsed: ParsedText, acknowledged: bool | str) -> None:
    """The rule for saving a text whose import reported warnings (lines that look like
    headings but were not understood): the organiser acknowledges them, with True (the API's
    `acknowledge_warnings`) or with the `warnings_digest` of exactly the warnings shown (the
    website's checkbox, so that ticking it does not cover warnings that appeared since).

    Raises UnacknowledgedTextWarnings, naming each line and carrying the parsed text.
    """
    if not parsed.warnings or acknowledged is True:
        return
    if isinstance(acknowledged, str) and acknowledged == parsed.warnings_digest:
        return
    count = len(parsed.warnings)
    lines = "; ".join(
        _("ligne %(line)s : « %(text)s »", line=w.line, text=_excerpt(w.text))
        for w in parsed.warnings[:10]
    )
    more = (
        ngettext("; et %(num)s autre", "; et %(num)s autres", count - 10) % {"num": count - 10}
        if count > 10
        else ""
    )
    raise UnacknowledgedTextWarnings(
        ngettext(
            "%(num)s ligne du texte commence comme un intitulé sans avoir été reconnue comme "
            "telle (%(lines)s). Vérifiez-la dans l'aperçu, puis corrigez le texte ou confirmez "
            "l'import tel quel.",
            "%(num)s lignes du texte commencent comme un intitulé sans avoir été reconnues "
            "comme telles (%(lines)s). Vérifiez-les dans l'aperçu, puis corrigez le texte ou "
            "confirmez l'import tel quel.",
            count,
        )
        % {"num": count, "lines": lines + more},
        fields={
            "text": _(
                "Des lignes ressemblent à des intitulés sans avoir été reconnues : "
                "vérifiez-les dans l'aperçu."
            ),
            "acknowledge_warnings": _("Confirmez avoir vérifié les lignes signalées."),
        },
        warnings=[warning.as_dict() for warning in parsed.warnings],
        preview=parsed,
    )


def saved_text_warnings(source: str | None) -> list[TextWarning]:
    """The warnings the import of a saved text reports (acknowledged when it was saved)."""
    if not source:
        return []
    try:
        return parse_text(source).warnings
    except TextImportError:
        return []


def require_draft_text(consultation: TextOwner) -> None:
    """The text may be replaced until publication: InvalidState (409) after it. Checked by
    the API before it reads an uploaded file (a conflict answers before a bad body)."""
    if consultation.is_published:
        raise InvalidState(
            _("Le texte d'une consultation publiée est figé."),
            fields={"text": _("Le texte est figé depuis la publication.")},
        )


def replace_draft_text(
    consultation: TextOwner, source: str, *, now: datetime, acknowledged: bool | str = False
) -> TextVersion:
    """Parse `source` and make it the draft's text (version 1, rewritten at each save).

    A text whose import reports warnings is saved only once they are acknowledged
    (`require_acknowledged`), unless it is the text already saved. Raises InvalidText for
    unparseable input, UnacknowledgedTextWarnings, InvalidState once the consultation is
    published: its text is then frozen.
    """
    require_draft_text(consultation)
    parsed = preview_text(source)
    current = consultation.current_version
    if current is None or current.source != normalize_source(source):
        require_acknowledged(parsed, acknowledged)
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


def _excerpt(text: str, length: int = 50) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


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

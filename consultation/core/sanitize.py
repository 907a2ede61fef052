"""The one place where user-written rich text becomes HTML.

Markdown is rendered by Python-Markdown, then cleaned by nh3 (the ammonia sanitiser): a short
list of tags, links limited to http, https and mailto (relative addresses pass), each with
rel="nofollow ugc noopener". Bare addresses in the text (`https://…`, `www.…`) become links,
except inside code and existing links. Templates may mark as safe only what comes out of here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape as escape_html
from html import unescape
from html.parser import HTMLParser
from typing import Any

import markdown as markdown_lib
import nh3
from linkify_it import LinkifyIt
from markdown.extensions.toc import TocExtension, slugify
from markupsafe import Markup, escape

__all__ = [
    "Heading",
    "TextLinks",
    "Markup",
    "escape",
    "mark_spans",
    "render_markdown",
    "render_markdown_with_headings",
    "sanitize_html",
    "text_link",
]

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title"}),
    "abbr": frozenset({"title"}),
    "th": frozenset({"scope"}),
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_HEADING_ID = re.compile(r"[a-z0-9_-]{1,120}")
LINK_REL = "nofollow ugc noopener"

# script and style disappear with their content; any other tag not listed loses only itself.
# "*": no attribute on every tag (nh3 would otherwise allow lang and title everywhere).
_cleaner = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    url_schemes=set(ALLOWED_PROTOCOLS),
    link_rel=LINK_REL,
    strip_comments=True,
)

# Bare addresses are found by linkify-it (the detector markdown-it uses): its rules for where
# an address ends (a closing parenthesis, the punctuation of the sentence) are kept; only
# http(s):// and www. addresses are linked, not bare domains ("fichier.py").
_detector = LinkifyIt(options={"fuzzy_link": True, "fuzzy_email": False, "fuzzy_ip": False})
_NOT_LINKIFIED = frozenset({"a", "pre", "code"})

# A caller's links in running text: plain text in, pieces out — `str` pieces are text (escaped,
# their bare addresses linked), `Markup` pieces are HTML put in as they are (then cleaned with
# the rest). Applied only outside links and code, like the bare addresses.
TextLinks = Callable[[str], Iterable[str]]


def text_link(href: str, text: str) -> Markup:
    """A link for `TextLinks` to give: `<a href="href">text</a>`, both escaped here (a title
    written by a participant stays text), the whole cleaned again with the rendered text."""
    return Markup('<a href="{}">{}</a>').format(href, text)


def _is_web_address(match: Any) -> bool:  # a linkify_it Match (linkify-it-py is untyped)
    return match.schema.lower() in ("http:", "https:") or match.raw.lower().startswith("www.")


def _linkify_text(text: str) -> str:
    """Escaped `text`, its bare http(s) and www. addresses as links (without rel: the final
    cleaning adds it)."""
    parts: list[str] = []
    position = 0
    for match in _detector.match(text) or []:
        if not _is_web_address(match):
            continue
        parts += [
            escape_html(text[position : match.index], quote=False),
            f'<a href="{escape_html(match.url)}">{escape_html(match.raw, quote=False)}</a>',
        ]
        position = match.last_index
    parts.append(escape_html(text[position:], quote=False))
    return "".join(parts)


class _Linkifier(HTMLParser):
    """Copies HTML that nh3 wrote (well formed, every attribute quoted), linkifying the text
    outside links and code."""

    def __init__(self, text_links: TextLinks | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.text_links = text_links

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(self.get_starttag_text() or "")
        if tag in _NOT_LINKIFIED:
            self.skipping += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")
        if tag in _NOT_LINKIFIED and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping:
            self.parts.append(escape_html(data, quote=False))
        elif self.text_links is None:
            self.parts.append(_linkify_text(data))
        else:
            for piece in self.text_links(data):
                self.parts.append(str(piece) if isinstance(piece, Markup) else _linkify_text(piece))


def _linkify(html: str, text_links: TextLinks | None = None) -> str:
    parser = _Linkifier(text_links)
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def sanitize_html(html: str) -> Markup:
    """Clean HTML written (or produced from Markdown written) by a user: only the allowed tags,
    attributes and link schemes remain, bare addresses become links. The linkified HTML is
    cleaned again, so what comes out is always nh3's output."""
    return Markup(_cleaner.clean(_linkify(_cleaner.clean(html or ""))))


def render_markdown(text: str, text_links: TextLinks | None = None) -> Markup:
    """Render user Markdown to sanitised HTML (raw HTML inside it is stripped). `text_links`
    turns words of the running text into links (see `TextLinks`): what it gives is cleaned too.
    """
    html = markdown_lib.markdown(
        text or "", extensions=["sane_lists", "tables"], output_format="html"
    )
    if text_links is None:
        return sanitize_html(html)
    return Markup(_cleaner.clean(_linkify(_cleaner.clean(html), text_links)))


@dataclass(frozen=True)
class Heading:
    """A heading of rendered Markdown: its level (2 for `##`), its `id` and its text."""

    level: int
    id: str
    title: str


def render_markdown_with_headings(
    text: str, prefix: str, text_links: TextLinks | None = None
) -> tuple[Markup, list[Heading]]:
    """Render user Markdown as `render_markdown` does, its `##` and `###` headings given an
    `id` (`prefix` then the heading's words, ASCII, hyphenated; numbered when repeated), and
    the list of those headings for a table of contents (`text_links` as for `render_markdown`).
    The sanitiser keeps an `id` only on a
    heading and only with `prefix`, so that no text can take the id of another part of a page.
    """
    if not re.fullmatch(r"[a-z][a-z0-9-]*-", prefix):
        raise ValueError("a heading id prefix is lowercase ASCII words ending with a hyphen")
    toc = TocExtension(
        toc_depth="2-3", slugify=lambda value, separator: prefix + slugify(value, separator)
    )
    converter = markdown_lib.Markdown(
        extensions=["sane_lists", "tables", toc], output_format="html"
    )
    html = converter.convert(text or "")
    cleaner = nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        attributes={"*": set()}
        | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
        | {tag: {"id"} for tag in HEADING_TAGS},
        attribute_filter=lambda tag, name, value: (
            value
            if name != "id"
            or (tag in HEADING_TAGS and _HEADING_ID.fullmatch(value))
            and value.startswith(prefix)
            else None
        ),
        url_schemes=set(ALLOWED_PROTOCOLS),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    clean = Markup(cleaner.clean(_linkify(cleaner.clean(html), text_links)))
    headings: list[Heading] = []

    def walk(tokens: list[dict[str, Any]]) -> None:
        for token in tokens:
            headings.append(Heading(token["level"], token["id"], unescape(token["name"])))
            walk(token.get("children") or [])

    walk(getattr(converter, "toc_tokens", []))
    return clean, headings


def mark_spans(
    text: str, spans: list[tuple[int, int]], *, cut_before: bool = False, cut_after: bool = False
) -> Markup:
    """Plain `text` escaped, each (start, end) of `spans` (sorted, not overlapping) within
    <mark>, an ellipsis where the text was cut: search results' highlighted words."""
    parts = ["… "] if cut_before else []
    position = 0
    for start, end in spans:
        parts += [escape(text[position:start]), "<mark>", escape(text[start:end]), "</mark>"]
        position = end
    parts.append(escape(text[position:]))
    if cut_after:
        parts.append(" …")
    return Markup("".join(parts))


# What a message quotes: between « » (French, spaced inside) or “ ” (English), as short as can be.
_QUOTED = re.compile(r"(«[ \u00a0\u202f]?|“)(.+?)([ \u00a0\u202f]?»|”)")


def quoted_french(text: str) -> Markup:
    """Plain `text` escaped, what it quotes (between « » or “ ”) marked as French: a message of
    the interface, in the reader's language, citing the French source it speaks of (a line of
    a bill, a heading), which a screen reader then reads in French (WCAG 3.1.2)."""
    parts = []
    position = 0
    for match in _QUOTED.finditer(text):
        parts += [escape(text[position : match.start(2)]), '<span lang="fr">']
        parts += [escape(match.group(2)), "</span>"]
        position = match.end(2)
    parts.append(escape(text[position:]))
    return Markup("".join(parts))


def french(value: object) -> Markup:
    """`value` marked as French (`<span lang="fr">`): the consultation's own words (a title, a
    theme's name, an article's heading) on a page in another language. Interface text, already
    markup (a template's translated message), is returned as it is."""
    if isinstance(value, Markup):
        return value
    return Markup('<span lang="fr">{}</span>').format(value)


def user_content(value: object) -> Markup:
    """`value` marked as written by a person (`<span data-user-content>`): a display name, a
    contribution's words, left as written whatever the page's language. Interface text,
    already markup (a template's translated message), is returned as it is."""
    if isinstance(value, Markup):
        return value
    return Markup("<span data-user-content>{}</span>").format(value)

"""The one place where user-written rich text becomes HTML.

Markdown is rendered by Python-Markdown, then cleaned by bleach: a short list of tags, links
limited to http, https and mailto, with rel="nofollow ugc noopener". Templates may mark as
safe only what comes out of here.
"""

from __future__ import annotations

import bleach
import markdown as markdown_lib
from bleach.linkifier import Linker
from markupsafe import Markup, escape

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
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "th": ["scope"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _set_rel(attrs, new=False):
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow ugc noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(callbacks=[_set_rel], skip_tags={"pre", "code"})


def sanitize_html(html: str) -> Markup:
    """Clean HTML written (or produced from Markdown written) by a user."""
    return Markup(_linker.linkify(_cleaner.clean(html or "")))


def render_markdown(text: str) -> Markup:
    """Render user Markdown to sanitised HTML (raw HTML inside it is stripped)."""
    html = markdown_lib.markdown(
        text or "", extensions=["sane_lists", "tables"], output_format="html"
    )
    return sanitize_html(html)


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

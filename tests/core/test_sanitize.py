"""The one sanitiser of user-written rich text."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from consultation.core.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    french,
    quoted_french,
    render_markdown,
    sanitize_html,
    user_content,
)


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="javascript:alert(1)">lien</a>',
        '<a href="data:text/html,<script>alert(1)</script>">lien</a>',
        "<svg onload=alert(1)><circle/></svg>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        "<iframe src=//evil.example></iframe>",
    ],
)
def test_hostile_markup_is_neutralised(hostile):
    cleaned = str(sanitize_html(hostile)) + str(render_markdown(hostile))
    for marker in (
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "data:text",
        "<svg",
        "<iframe",
        "style=",
    ):
        assert marker not in cleaned.lower()


def test_markdown_links_get_safe_rel_and_only_allowed_schemes():
    html = str(render_markdown("Voir [le site](https://example.org) et **ceci**."))
    assert '<a href="https://example.org" rel="nofollow ugc noopener">le site</a>' in html
    assert "<strong>ceci</strong>" in html


def test_only_http_https_and_mailto_links_survive():
    html = str(
        render_markdown(
            "[courriel](mailto:contact@example.org) [ftp](ftp://example.org/f) "
            "[vb](vbscript:msgbox(1)) [rel](/chemin) <a href='https://ok.example' rel='opener'>a</a>"
        )
    )
    assert '<a href="mailto:contact@example.org" rel="nofollow ugc noopener">courriel</a>' in html
    assert "ftp:" not in html and "vbscript" not in html
    assert '<a href="https://ok.example" rel="nofollow ugc noopener">a</a>' in html
    assert all('rel="nofollow ugc noopener"' in tag for tag in re.findall(r"<a [^>]*>", html))


def test_bare_addresses_become_links_outside_code_and_links():
    html = str(
        render_markdown(
            "Voir https://example.org/a_(b)?c=1&d=2. Ou www.example.org, et example.org.\n\n"
            "`https://code.example` [déjà](https://lien.example) contact@www.example.org"
        )
    )
    assert (
        '<a href="https://example.org/a_(b)?c=1&amp;d=2" rel="nofollow ugc noopener">'
        "https://example.org/a_(b)?c=1&amp;d=2</a>." in html
    )
    assert (
        '<a href="http://www.example.org" rel="nofollow ugc noopener">www.example.org</a>,' in html
    )
    assert "et example.org." in html
    assert "<code>https://code.example</code>" in html
    assert '<a href="https://lien.example" rel="nofollow ugc noopener">déjà</a>' in html
    assert "contact@www.example.org" in html and html.count("<a ") == 3


def test_script_and_style_lose_their_content():
    assert str(sanitize_html("<script>alert(1)</script><style>p{}</style>texte")) == "texte"


# --- Fuzzing: whatever goes in, only the allow-list comes out --------------------------------

_TAGS = sorted(ALLOWED_TAGS) + [
    "script", "style", "svg", "math", "iframe", "img", "textarea", "title", "noscript",
    "template", "object", "embed", "base", "form", "input", "button", "select", "xmp",
    "plaintext", "noembed", "div", "span", "b", "h1", "mglyph", "image", "use", "frame",
]  # fmt: skip
_ATTRIBUTES = [
    "href", "src", "title", "scope", "rel", "style", "class", "id", "onerror", "onclick",
    "onload", "srcdoc", "formaction", "xlink:href", "data", "action", "target", "ONmouseover",
]  # fmt: skip
_ADDRESSES = [
    "https://ok.example/p?a=1&b=2", "http://ok.example", "mailto:a@b.example", "/relatif",
    "#ancre", "//autre.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
    " java\tscript:alert(1)", "&#106;avascript:alert(1)", "java&#x0A;script:x",
    "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "ftp://f.example",
    "file:///etc/passwd", "\x01javascript:x", "jav&#x61;script:x", "https:evil", "www.e.example",
]  # fmt: skip
_MARKDOWN = [
    "\n\n", "\n", "**", "_", "`", "```\n", "    ", "> ", "- ", "1. ", "## ", "---\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "[lien](", ")", "](", "<", ">", "\"", "'", "&", "&amp;",
    "&lt;script&gt;", "<!-- ", " -->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?php ", "=",
    "{{ 7*7 }}", "\u202e", "\u00a0", "é",
]  # fmt: skip

_attribute = st.builds(
    lambda name, quote, value: f" {name}={quote}{value}{quote}",
    st.sampled_from(_ATTRIBUTES),
    st.sampled_from(['"', "'", ""]),
    st.one_of(st.sampled_from(_ADDRESSES), st.text(max_size=8)),
)
_tag = st.one_of(
    st.builds(
        lambda tag, attributes, end: f"<{tag}{''.join(attributes)}{end}>",
        st.sampled_from(_TAGS),
        st.lists(_attribute, max_size=3),
        st.sampled_from(["", "/", " "]),
    ),
    st.builds(lambda tag: f"</{tag}>", st.sampled_from(_TAGS)),
)
_markdown_link = st.builds(
    lambda text, address: f"[{text}]({address})",
    st.text(max_size=6),
    st.sampled_from(_ADDRESSES),
)
_hostile = st.lists(
    st.one_of(
        _tag,
        _markdown_link,
        st.sampled_from(_ADDRESSES),
        st.sampled_from(_MARKDOWN),
        st.text(max_size=10),
    ),
    max_size=25,
).map("".join)

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


class _AllowListCheck(HTMLParser):
    """Everything in the output that the allow-list does not allow."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}>")
        allowed = ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if tag == "a" and name == "rel":
                if value != LINK_REL:
                    self.problems.append(f"<a rel={value!r}>")
            elif name not in allowed:
                self.problems.append(f"<{tag} {name}>")
            elif name == "href":
                # As a browser reads it: C0 controls and spaces around, tabs and newlines within.
                address = re.sub(r"[\t\n\r]", "", (value or "").strip("\x00- "))
                scheme = _SCHEME.match(address)
                if scheme and scheme.group(1).lower() not in ALLOWED_PROTOCOLS:
                    self.problems.append(f"<a href={value!r}>")
        if tag == "a" and dict(attrs).get("rel") != LINK_REL:
            self.problems.append(f"<a> without rel: {attrs}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.problems.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.problems.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.problems.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.problems.append(f"<![{data}]>")


def _outside_allow_list(html: str) -> list[str]:
    check = _AllowListCheck()
    check.feed(html)
    check.close()
    return check.problems


@settings(max_examples=400, deadline=None)
@given(_hostile)
def test_fuzzed_html_comes_out_within_the_allow_list(text):
    cleaned = str(sanitize_html(text))
    assert _outside_allow_list(cleaned) == []
    assert str(sanitize_html(cleaned)) == cleaned


@settings(max_examples=400, deadline=None)
@given(_hostile)
def test_fuzzed_markdown_comes_out_within_the_allow_list(text):
    assert _outside_allow_list(str(render_markdown(text))) == []


def test_what_a_message_quotes_is_marked_french_and_the_rest_escaped():
    english = "starts like the heading “TITRE <b>”, but what follows (“du code”) is <odd>"
    assert quoted_french(english) == (
        'starts like the heading “<span lang="fr">TITRE &lt;b&gt;</span>”, but what follows '
        '(“<span lang="fr">du code</span>”) is &lt;odd&gt;'
    )
    assert quoted_french("la suite (« du code ») n'est pas un titre") == (
        'la suite (« <span lang="fr">du code</span> ») n&#39;est pas un titre'
    )
    assert quoted_french("rien à citer") == "rien à citer"


def test_french_and_user_content_mark_plain_text_and_leave_interface_markup():
    assert french("Eau & <nappes>") == '<span lang="fr">Eau &amp; &lt;nappes&gt;</span>'
    assert user_content("Camille <D.>") == "<span data-user-content>Camille &lt;D.&gt;</span>"
    translated = Markup("une personne")  # a template's message
    assert french(translated) is translated and user_content(translated) is translated

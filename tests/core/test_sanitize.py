"""The one sanitiser of user-written rich text."""

import re

import pytest

from consultation.core.sanitize import render_markdown, sanitize_html


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

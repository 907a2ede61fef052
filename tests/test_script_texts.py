"""The page scripts hold no French: the words they show come from the page, in its language
(templates/base.html's #textes-scripts, data- attributes)."""

import json
import re
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "static" / "js"
# A comment, or a string literal (double, single or back quotes), in that order of trial.
TOKEN = re.compile(
    r"//[^\n]*|/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`", re.S
)
FRENCH = re.compile(
    r"caractère|(?<![\w-])(?:vous|votre|vos|restants?|le texte|sur la page|les auteurs)(?![\w-])"
    r"|alinéa|[éèêàù]",
    re.IGNORECASE,
)


def _literals(source: str) -> list[str]:
    return [t for t in TOKEN.findall(source) if not t.startswith(("//", "/*"))]


def test_the_check_finds_french_in_a_literal_not_in_a_comment():
    source = "// Vous lisez un commentaire.\nvar a = \"12 caractères restants\";\nvar b = 'ok';"
    assert [t for t in _literals(source) if FRENCH.search(t)] == ['"12 caractères restants"']


@pytest.mark.parametrize("script", sorted(SCRIPTS.glob("*.js")), ids=lambda p: p.name)
def test_no_page_script_writes_french(script):
    french = [t for t in _literals(script.read_text()) if FRENCH.search(t)]
    assert french == []


def test_the_page_gives_the_scripts_their_words_in_its_language(client):
    client.set_cookie("lang", "en")
    page = client.get("/").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="textes-scripts">(.*?)</script>', page)
    texts = json.loads(block.group(1))
    assert texts["counter"] == "{length} / {max} characters"
    assert texts["over"] == {
        "one": "The text is {over} character over the limit of {max}.",
        "other": "The text is {over} characters over the limit of {max}.",
    }
    client.set_cookie("lang", "fr")
    page = client.get("/").get_data(as_text=True)
    texts = json.loads(re.search(r'id="textes-scripts">(.*?)</script>', page).group(1))
    assert texts["counter"] == "{length} / {max} caractères"
    assert texts["over"]["one"] == "Le texte dépasse de {over} caractère la limite de {max}."

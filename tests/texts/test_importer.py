"""The importer of French legal texts (pure functions, no database)."""

import random
from pathlib import Path

import pytest

from consultation.texts.importer import ParsedText, TextImportError, normalize_source, parse_text

SAMPLES = Path(__file__).parent / "samples"
DEMO_TEXTS = Path(__file__).resolve().parents[2] / "consultation" / "demo" / "texts"


def _sample(name: str) -> ParsedText:
    return parse_text((SAMPLES / name).read_text(encoding="utf-8"))


def _numbers(parsed: ParsedText) -> list[str]:
    return [a.number for a in parsed.articles]


# --- A bill with titles and chapters ------------------------------------------------------------


def test_bill_articles_in_order_with_slugs():
    parsed = _sample("projet_de_loi.md")
    assert _numbers(parsed) == ["1er", "2", "3", "3 bis", "4"]
    assert [a.slug for a in parsed.articles] == ["1", "2", "3", "3-bis", "4"]


def test_bill_divisions_take_their_title_from_the_next_line_and_nest():
    parsed = _sample("projet_de_loi.md")
    shape = [(d.kind, d.label, d.title, d.parent) for d in parsed.divisions]
    assert shape == [
        ("titre", "TITRE IER", "DISPOSITIONS RELATIVES À L'INFORMATION DU PUBLIC", None),
        ("chapitre", "Chapitre Ier", "Publicité des projets", 0),
        ("chapitre", "Chapitre II", "Consultation en ligne", 0),
        ("titre", "TITRE II", "DISPOSITIONS FINALES", None),
    ]
    homes = {a.number: a.division for a in parsed.articles}
    assert homes == {"1er": 1, "2": 1, "3": 2, "3 bis": 2, "4": 3}


def test_quoted_codified_article_stays_in_enclosing_article():
    article = _sample("projet_de_loi.md").articles[0]
    assert len(article.paragraphs) == 8
    assert (
        article.paragraphs[4]
        == "« Art. L. 2121-27. – Toute personne peut demander communication des projets de délibération."
    )
    assert article.paragraphs[5:7] == ["« Article L. 2121-28", "« Section 3"]
    assert _numbers(_sample("projet_de_loi.md"))[:2] == ["1er", "2"]


def test_text_before_the_first_division_is_the_preamble():
    assert _sample("projet_de_loi.md").preamble == [
        "PROJET DE LOI",
        "relatif à la participation du public aux décisions locales",
    ]


def test_numbered_and_lettered_lines_are_paragraphs():
    article = _sample("projet_de_loi.md").articles[-1]
    assert [p[:3] for p in article.paragraphs] == ["I. ", "II.", "a) ", "b) "]


# --- Codified articles ----------------------------------------------------------------------------


def test_codified_article_numbers_and_titles():
    parsed = _sample("codifie.md")
    assert _numbers(parsed) == ["L. 123-4", "L. 123-5", "R. 123-6"]
    assert [a.slug for a in parsed.articles] == ["l-123-4", "l-123-5", "r-123-6"]
    assert parsed.articles[1].title == "Recevabilité"
    assert (
        parsed.divisions[0].kind == "chapitre"
        and parsed.divisions[0].title == "Du droit de pétition"
    )


def test_open_quotation_spanning_lines_keeps_them_in_the_article():
    first, second, _third = _sample("codifie.md").articles
    assert first.paragraphs[-1] == "Elle comporte le nom et l'adresse de son auteur. »"
    assert second.paragraphs[1:] == [
        "« Article L. 123-5-1",
        "« La pétition est recevable lorsqu'elle réunit un nombre de signatures fixé par le règlement intérieur.",
        "« Chapitre IV",
        "« Dispositions diverses »",
    ]


# --- A decree ---------------------------------------------------------------------------------


DECREE = """Le Premier ministre,
Sur le rapport du ministre de l'intérieur,
Vu le code de la sécurité intérieure ;
Le Conseil d'État (section de l'intérieur) entendu,
Décrète :

Art. 1er. – Le présent décret s'applique aux communes de plus de 10 000 habitants.

Art. 2. – Le maire transmet chaque année un rapport au préfet.
Ce rapport est rendu public.

Art. 3. – Le ministre de l'intérieur est chargé de l'exécution du présent décret.

Fait le 3 avril 2026.
Par le Premier ministre :
Le ministre de l'intérieur,
"""


def test_decree_preamble_articles_and_signature_block():
    parsed = parse_text(DECREE)
    assert parsed.preamble[0] == "Le Premier ministre," and parsed.preamble[-1] == "Décrète :"
    assert _numbers(parsed) == ["1er", "2", "3"]
    assert parsed.articles[0].title == ""
    assert parsed.articles[0].paragraphs == [
        "Le présent décret s'applique aux communes de plus de 10 000 habitants."
    ]
    assert parsed.articles[1].paragraphs == [
        "Le maire transmet chaque année un rapport au préfet.",
        "Ce rapport est rendu public.",
    ]
    assert parsed.closing == [
        "Fait le 3 avril 2026.",
        "Par le Premier ministre :",
        "Le ministre de l'intérieur,",
    ]
    assert len(parsed.articles[2].paragraphs) == 1


def test_article_unique():
    parsed = parse_text(
        "Article unique\nLe premier alinéa.\nLe deuxième alinéa.\nLe troisième alinéa.\n"
    )
    assert _numbers(parsed) == ["unique"]
    assert parsed.articles[0].slug == "unique" and len(parsed.articles[0].paragraphs) == 3


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_headings_title_divisions_and_bold_articles():
    parsed = parse_text(
        "# Projet de loi sur l'eau\n\n## TITRE Ier – Dispositions générales\n\n### Chapitre Ier – Objet\n\n"
        "#### Article 1er – Objet\nLe texte.\n\n**Article 2**\nAutre texte.\n\n## Annexes\n\nArticle 3\nDernier.\n"
    )
    assert parsed.title == "Projet de loi sur l'eau"
    assert [(d.kind, d.title, d.depth) for d in parsed.divisions] == [
        ("titre", "Dispositions générales", 0),
        ("chapitre", "Objet", 1),
        ("heading", "Annexes", 0),
    ]
    assert [(a.number, a.title, a.division) for a in parsed.articles] == [
        ("1er", "Objet", 1),
        ("2", "", 1),
        ("3", "", 2),
    ]


@pytest.mark.parametrize(
    ("heading", "number"),
    [
        ("Article 1er", "1er"),
        ("Article premier", "1er"),
        ("ARTICLE 4", "4"),
        ("Art. 3", "3"),
        ("Article 5 bis", "5 bis"),
        ("Article 12 quater", "12 quater"),
        ("Article L123-4", "L. 123-4"),
        ("Article R.* 12-1", "R.* 12-1"),
        ("Article D. 5", "D. 5"),
        ("Article 4-1", "4-1"),
        ("Article additionnel après l'article 3", None),
    ],
)
def test_article_heading_forms(heading, number):
    parsed = parse_text(f"{heading}\nTexte de l'article.\n")
    if number is None:
        assert parsed.articles[0].number == "additionnel"
    else:
        assert parsed.articles[0].number == number


@pytest.mark.parametrize(
    "line",
    [
        "Article 2 du code civil est ainsi modifié :",
        "L'article 3 est abrogé.",
        "Articles 1er à 3 : supprimés.",
    ],
)
def test_sentences_mentioning_articles_are_paragraphs(line):
    parsed = parse_text(f"Article 1er\n{line}\n")
    assert parsed.articles[0].paragraphs == [line]


def test_two_additional_articles_get_distinct_addresses():
    parsed = parse_text("Article additionnel\nUn.\nArticle additionnel\nDeux.\n")
    assert [a.slug for a in parsed.articles] == ["additionnel", "additionnel-2"]


# --- Refusals -------------------------------------------------------------------------------------


def test_text_without_articles_is_refused_with_an_example():
    with pytest.raises(TextImportError) as refused:
        parse_text("Un exposé des motifs sans aucun article.\nEt une deuxième ligne.")
    assert "Aucun article" in refused.value.message and "Article 1er" in refused.value.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\ufffd"])
def test_control_or_binary_characters_are_refused_naming_the_line(char):
    with pytest.raises(TextImportError) as refused:
        parse_text(f"Article 1er\nUne ligne.\nUne ligne{char} abîmée.\n")
    assert refused.value.line == 3 and "ligne 3" in refused.value.message


def test_article_without_paragraph_is_refused_naming_its_line():
    with pytest.raises(TextImportError) as refused:
        parse_text("Article 1er\nTexte.\n\nArticle 2\n\nArticle 3\nTexte.\n")
    assert refused.value.line == 4 and "ligne 4" in refused.value.message


def test_duplicate_article_number_names_both_lines():
    with pytest.raises(TextImportError) as refused:
        parse_text("Article 1er\nUn.\nArticle 2\nDeux.\nArticle 2\nEncore deux.\n")
    assert "lignes 3 et 5" in refused.value.message


@pytest.mark.parametrize("source", ["", "   \n\n\t\n"])
def test_empty_text_is_refused(source):
    with pytest.raises(TextImportError, match="vide"):
        parse_text(source)


def test_too_long_text_is_refused():
    with pytest.raises(TextImportError, match="trop long"):
        parse_text("Article 1er\n" + "a" * 2_000_001)


def test_random_input_never_raises_anything_else():
    rng = random.Random(20261123)
    alphabet = "Article 1er TITRE Chapitre «» –:.\n\x00#*abc é" + "0123456789"
    for _ in range(400):
        source = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        try:
            assert isinstance(parse_text(source), ParsedText)
        except TextImportError as error:
            assert error.message


# --- Fingerprint form -----------------------------------------------------------------------------


def test_normalize_source_is_canonical():
    messy = "\n\r\nArticle 1er  \r\nTe\u0301xte.\t\r\n\n\n"
    assert normalize_source(messy) == "Article 1er\nTéxte.\n"
    assert normalize_source(normalize_source(messy)) == normalize_source(messy)


def test_every_demo_text_parses():
    texts = {
        path.name: parse_text(path.read_text(encoding="utf-8")) for path in DEMO_TEXTS.glob("*.md")
    }
    assert len(texts) == 3
    assert all(len(parsed.articles) >= 3 for parsed in texts.values())
    assert len(texts["projet_de_loi_numerique.md"].articles) >= 12

"""Real texts through the importer: a Senate bill, a chapter of the Code civil as a Markdown
copy wraps it, a decree with its annex (sources and licences in real/README.md)."""

import re
from pathlib import Path

from consultation.texts.importer import ParsedText, parse_text

REAL = Path(__file__).parent / "real"


def _real(name: str) -> ParsedText:
    return parse_text((REAL / name).read_text(encoding="utf-8"))


def _with_guillemets(source: str) -> str:
    """The bill as the Sénat prints it: « opening a quotation, » closing it."""
    opened = re.sub(r'(^|(?<=[\s(]))"', "« ", source, flags=re.MULTILINE)
    return opened.replace('"', " »")


def _article(parsed: ParsedText, number: str):
    return next(article for article in parsed.articles if article.number == number)


# --- A bill as tabled at the Sénat ------------------------------------------------------------


def test_senate_bill_titles_and_articles():
    parsed = _real("pjl09-200_agriculture_senat.txt")
    assert [(d.kind, d.label, d.depth) for d in parsed.divisions] == [
        ("titre", "TITRE Ier", 0),
        ("titre", "TITRE II", 0),
        ("titre", "TITRE IV", 0),
        ("titre", "TITRE V", 0),
    ]
    assert parsed.divisions[0].title == (
        "Définir et mettre en oeuvre une politique publique de l'alimentation"
    )
    assert [a.label for a in parsed.articles] == [
        "Article 1er", "Article 2", "Article 5", "Article 6", "Article 23", "Article 24",
    ]  # fmt: skip
    assert [a.division for a in parsed.articles] == [0, 0, 1, 1, 2, 3]
    assert [len(a.paragraphs) for a in parsed.articles] == [33, 10, 5, 11, 3, 9]
    assert parsed.preamble == ["PROJET DE LOI", "de modernisation de l'agriculture et de la pêche"]
    assert parsed.warnings == []


def test_chapters_and_articles_the_bill_inserts_in_a_code_stay_alineas():
    parsed = _real("pjl09-200_agriculture_senat.txt")
    first = _article(parsed, "1er")
    assert first.paragraphs[3].startswith("3° Il est inséré, avant le chapitre Ier du titre III")
    assert first.paragraphs[4:6] == ['"Chapitre préliminaire', "\"La politique de l'alimentation"]
    assert first.paragraphs[6].startswith("\"Art. L. 230-1. - La politique de l'alimentation")
    # The one alinéa of the quotation the Sénat's text prints without its opening mark.
    assert first.paragraphs[25].startswith("Un décret en Conseil d'État précise la procédure")
    assert first.paragraphs[-1].startswith('"Art. L. 3230-1. - La politique')
    sixth = _article(parsed, "6")
    assert sixth.paragraphs[6:10] == [
        'a) Son intitulé est remplacé par l\'intitulé suivant : "Titre IX - Observatoires" ;',
        sixth.paragraphs[7],
        '"Chapitre II',
        '"Observatoire de la formation des prix et des marges des produits alimentaires',
    ]
    assert sixth.paragraphs[7].startswith("b) Il est créé un chapitre Ier intitulé")


def test_the_bill_with_the_senate_guillemets_gives_the_same_tree():
    source = (REAL / "pjl09-200_agriculture_senat.txt").read_text(encoding="utf-8")
    straight = parse_text(source)
    printed = parse_text(_with_guillemets(source))
    assert [(d.label, d.title) for d in printed.divisions] == [
        (d.label, d.title) for d in straight.divisions
    ]
    assert [(a.number, len(a.paragraphs)) for a in printed.articles] == [
        (a.number, len(a.paragraphs)) for a in straight.articles
    ]
    assert _article(printed, "1er").paragraphs[4] == "« Chapitre préliminaire"
    assert printed.warnings == []


# --- A chapter of the Code civil, wrapped at 80 characters --------------------------------------


def test_code_chapter_divisions_nest_from_livre_to_section():
    parsed = _real("code_civil_servitudes.md")
    assert parsed.title == "Code civil"
    assert [(d.kind, d.label, d.depth, d.parent) for d in parsed.divisions] == [
        ("livre", "Livre II", 0, None),
        ("titre", "Titre IV", 1, 0),
        ("chapitre", "Chapitre II", 2, 1),
        ("section", "Section 1", 3, 2),
        ("section", "Section 2", 3, 2),
        ("section", "Section 3", 3, 2),
        ("section", "Section 5", 3, 2),
    ]
    assert parsed.divisions[4].title == (
        "De la distance et des ouvrages intermédiaires requis pour certaines constructions"
    )
    assert [a.number for a in parsed.articles] == ["671", "673", "674", "675", "676", "682", "683"]
    assert [a.division for a in parsed.articles] == [3, 3, 4, 5, 5, 6, 6]


def test_code_articles_wrapped_lines_make_whole_alineas():
    parsed = _real("code_civil_servitudes.md")
    assert [len(a.paragraphs) for a in parsed.articles] == [3, 3, 5, 1, 2, 1, 2]
    first = _article(parsed, "671")
    assert first.paragraphs[0].startswith("Il n'est permis d'avoir des arbres, arbrisseaux et ")
    assert first.paragraphs[0].endswith(
        "et à la distance d'un demi-mètre pour les autres plantations."
    )
    assert "limite de la propriété voisine" in first.paragraphs[0]
    assert first.paragraphs[2] == (
        "Si le mur n'est pas mitoyen, le propriétaire seul a le droit d'y appuyer les espaliers."
    )
    # Article 674: one sentence in five alinéas, the first wrapped before its last word.
    assert _article(parsed, "674").paragraphs[:3] == [
        "Celui qui fait creuser un puits ou une fosse d'aisance près d'un mur mitoyen ou non,",
        "Celui qui veut y construire cheminée ou âtre, forge, four ou fourneau,",
        "Y adosser une étable,",
    ]


# --- A decree with its annex, from Légifrance -----------------------------------------------


def test_decree_annex_is_one_unit_whose_headings_and_references_are_its_text():
    parsed = _real("decret_97-1191_legifrance.md")
    assert parsed.title.startswith("Décret n°97-1191 du 19 décembre 1997 pris pour l'application")
    assert parsed.divisions == []
    assert [(a.number, a.label, a.slug) for a in parsed.articles] == [
        ("1", "Article 1", "1"),
        ("3", "Article 3", "3"),
        ("Annexe", "Annexe", "annexe"),
    ]
    annex = parsed.articles[-1]
    assert annex.paragraphs[:2] == [
        "TITRE Ier",
        "LISTE DES DÉCISIONS ADMINISTRATIVES INDIVIDUELLES PRISES PAR DÉCRET",
    ]
    assert "Article 63." in annex.paragraphs
    assert annex.paragraphs[-1] == "Article 17."
    assert len(annex.paragraphs) == 55
    assert parsed.warnings == []


def test_annex_headings_numbers_titles_and_after_the_signatures():
    parsed = parse_text(
        "Article 1er\nLe tableau figure en annexe.\n"
        "Fait le 2 mars 2026.\nPar le Premier ministre :\n"
        "ANNEXE I – Liste des décisions\nArticle 2.\nTITRE II\n"
        "## Annexe II\nChapitre Ier\n"
    )
    assert [(a.label, a.title, a.paragraphs) for a in parsed.articles] == [
        ("Article 1er", "", ["Le tableau figure en annexe."]),
        ("Annexe I", "Liste des décisions", ["Article 2.", "TITRE II"]),
        ("Annexe II", "", ["Chapitre Ier"]),
    ]
    assert parsed.closing == ["Fait le 2 mars 2026.", "Par le Premier ministre :"]
    assert parsed.divisions == []


def test_a_sentence_about_an_annex_and_a_quoted_annex_are_not_annexes():
    parsed = parse_text(
        "Article 1er\nAnnexe au présent décret.\n"
        "Il est ajouté une annexe ainsi rédigée :\n« Annexe\n« Liste. »\n"
    )
    assert [a.label for a in parsed.articles] == ["Article 1er"]
    assert len(parsed.articles[0].paragraphs) == 4


def test_wrapped_line_joins_only_an_unfinished_alinea_and_never_an_item():
    parsed = parse_text(
        "Article 1er\nLe code est\nainsi modifié :\na) le premier alinéa ;\n"
        "b) le second\n\nalinéa.\nDernier alinéa\n- première branche ;\n"
    )
    assert parsed.articles[0].paragraphs == [
        "Le code est ainsi modifié :",
        "a) le premier alinéa ;",
        "b) le second",
        "alinéa.",
        "Dernier alinéa",
        "- première branche ;",
    ]

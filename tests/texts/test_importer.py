"""The importer of French legal texts (pure functions, no database)."""

import random
import time
from pathlib import Path

import pytest

from consultation.texts.importer import (
    ParsedText,
    TextImportError,
    normalize_source,
    parse_text,
)

SAMPLES = Path(__file__).parent / "samples"
DEMO_TEXTS = Path(__file__).resolve().parents[2] / "consultation" / "demo" / "texts"


def _sample(name: str) -> ParsedText:
    return parse_text((SAMPLES / name).read_text(encoding="utf-8"))


def _numbers(parsed: ParsedText) -> list[str]:
    return [article.number for article in parsed.articles]


def _refusal(source: str) -> TextImportError:
    with pytest.raises(TextImportError) as refused:
        parse_text(source)
    return refused.value


# --- A bill: titles, chapters, quotations -----------------------------------------------------


def test_bill_articles_in_order_with_numbers_slugs_and_lines():
    parsed = _sample("projet_de_loi.md")
    assert _numbers(parsed) == ["1er", "2", "3", "4", "5", "5 bis", "6", "7", "8", "9", "10", "11"]
    assert [a.slug for a in parsed.articles] == [
        "1", "2", "3", "4", "5", "5-bis", "6", "7", "8", "9", "10", "11",
    ]  # fmt: skip
    assert [a.label for a in parsed.articles[:2]] == ["Article 1er", "Article 2"]
    assert [a.line for a in parsed.articles[:3]] == [10, 18, 25]


def test_bill_divisions_take_their_title_from_the_next_line_and_nest():
    parsed = _sample("projet_de_loi.md")
    shape = [(d.kind, d.label, d.title, d.depth, d.parent, d.line) for d in parsed.divisions]
    assert shape == [
        ("titre", "TITRE Ier", "DISPOSITIONS RELATIVES À L'INFORMATION DU PUBLIC", 0, None, 4),
        ("chapitre", "Chapitre Ier", "Publicité des projets de délibération", 1, 0, 7),
        ("chapitre", "Chapitre II", "Consultation en ligne", 1, 0, 28),
        ("titre", "TITRE II", "DISPOSITIONS DIVERSES ET FINALES", 0, None, 53),
        ("chapitre", "Chapitre Ier", "Évaluation", 1, 3, 56),
        ("chapitre", "Chapitre II", "Entrée en vigueur", 1, 3, 65),
    ]
    assert all(d.intro == [] for d in parsed.divisions)


def test_each_article_belongs_to_its_innermost_division():
    parsed = _sample("projet_de_loi.md")
    homes = {a.number: a.division for a in parsed.articles}
    assert homes == {
        "1er": 1, "2": 1, "3": 1, "4": 2, "5": 2, "5 bis": 2, "6": 2,
        "7": 4, "8": 4, "9": 5, "10": 5, "11": 5,
    }  # fmt: skip


def test_text_before_the_first_division_is_the_preamble():
    parsed = _sample("projet_de_loi.md")
    assert parsed.preamble == [
        "PROJET DE LOI",
        "relatif à la participation du public aux décisions locales",
    ]
    assert parsed.title == "" and parsed.closing == []


def test_quoted_codified_article_stays_in_enclosing_article():
    article = _sample("projet_de_loi.md").articles[0]
    assert len(article.paragraphs) == 6
    assert article.paragraphs[4].startswith("« Art. L. 2121-27. – Toute personne peut demander")
    assert article.paragraphs[5] == (
        "« La communication est gratuite lorsqu'elle a lieu par voie électronique. »"
    )


def test_quoted_section_and_articles_stay_in_enclosing_article():
    parsed = _sample("projet_de_loi.md")
    article = parsed.articles[6]
    assert article.number == "6" and len(article.paragraphs) == 9
    assert article.paragraphs[2:4] == [
        "« Section 3",
        "« Participation du public par voie électronique",
    ]
    assert article.paragraphs[5].startswith("« Art. L. 300-6. – La synthèse")
    assert article.paragraphs[-1] == "b) Le dernier alinéa est supprimé."
    assert "Section 3" not in [d.label for d in parsed.divisions]


def test_numbered_and_lettered_lines_are_paragraphs():
    article = _sample("projet_de_loi.md").articles[1]
    assert [p[:3] for p in article.paragraphs] == ["La ", "Cet", "a) ", "b) ", "c) "]
    assert article.paragraphs[3] == "b) La note de synthèse adressée aux conseillers municipaux ;"


def test_sentences_citing_articles_inside_an_article_are_paragraphs():
    parsed = _sample("projet_de_loi.md")
    assert parsed.articles[8].paragraphs == [
        "L'article 3 de la loi n° 2019-000 du 1er janvier 2019 est abrogé."
    ]
    assert parsed.articles[9].paragraphs[0].startswith("Les articles 1er à 5 bis entrent")


# --- A decree -----------------------------------------------------------------------------------


def test_decree_preamble_keeps_visas_up_to_decrete():
    preamble = _sample("decret.md").preamble
    assert len(preamble) == 7
    assert preamble[1] == "Le Premier ministre,"
    assert preamble[5] == "Le Conseil d'État (section de l'intérieur) entendu,"
    assert preamble[-1] == "Décrète :"


def test_decree_inline_text_after_art_number_is_the_first_paragraph():
    parsed = _sample("decret.md")
    assert _numbers(parsed) == ["1er", "2", "3", "4", "5"]
    first = parsed.articles[0]
    assert (first.label, first.title) == ("Article 1er", "")
    assert first.paragraphs == [
        "Le présent décret s'applique aux communes de plus de 3 500 habitants."
    ]
    assert len(parsed.articles[1].paragraphs) == 4
    assert parsed.articles[1].paragraphs[3] == "3° La synthèse des observations recueillies."


def test_decree_heading_without_inline_text_reads_following_lines():
    article = _sample("decret.md").articles[3]
    assert (article.line, article.paragraphs) == (
        20,
        ["Le présent décret entre en vigueur le 1er septembre 2026."],
    )


def test_decree_closing_block_starts_at_fait_le_and_is_not_in_last_article():
    parsed = _sample("decret.md")
    assert parsed.closing == [
        "Fait le 12 mars 2026.",
        "Par le Premier ministre :",
        "Le ministre de l'intérieur et des outre-mer,",
        "Jean Dupont",
    ]
    assert len(parsed.articles[-1].paragraphs) == 1


def test_closing_block_also_starts_at_fait_a_paris():
    parsed = parse_text("Article 1er\nTexte.\nFait à Paris, le 3 avril 2026.\nLa ministre,\n")
    assert parsed.articles[0].paragraphs == ["Texte."]
    assert parsed.closing == ["Fait à Paris, le 3 avril 2026.", "La ministre,"]


def test_fait_le_inside_a_quotation_is_not_the_closing_block():
    parsed = parse_text(
        "Article 1er\nLe modèle est ainsi rédigé :\n« Fait le ......\n« Signature »\nFin.\n"
    )
    assert parsed.closing == []
    assert parsed.articles[0].paragraphs[-1] == "Fin."


# --- Codified articles ------------------------------------------------------------------------


def test_codified_article_numbers_are_normalised():
    parsed = _sample("codifie.md")
    assert _numbers(parsed) == ["L. 123-4", "L. 123-5", "L. 123-6", "R.* 123-7", "D. 123-8"]
    assert [a.slug for a in parsed.articles] == [
        "l-123-4", "l-123-5", "l-123-6", "r-123-7", "d-123-8",
    ]  # fmt: skip
    assert [a.title for a in parsed.articles] == ["", "Recevabilité", "", "", "Délais"]
    assert parsed.articles[0].label == "Article L. 123-4"


def test_quoted_article_headings_in_codified_text_are_paragraphs():
    parsed = _sample("codifie.md")
    second = parsed.articles[1]
    assert second.paragraphs[1:] == [
        "« Article L. 123-5-1",
        "« La pétition est recevable lorsqu'elle réunit un nombre de signatures fixé par le "
        "règlement intérieur.",
        "« Article L. 123-5-2",
        "« Le président du conseil régional accuse réception de la pétition dans un délai d'un mois.",
        "« Chapitre IV",
        "« Dispositions diverses »",
    ]
    assert [(d.kind, d.label, d.title) for d in parsed.divisions] == [
        ("chapitre", "Chapitre III", "Du droit de pétition")
    ]


def test_quotation_opened_mid_line_keeps_following_lines_until_closed():
    first = _sample("codifie.md").articles[0]
    assert first.paragraphs[1:] == [
        "Il est ajouté un alinéa ainsi rédigé : « La pétition est déposée en ligne.",
        "Elle comporte le nom et l'adresse de son auteur. »",
    ]


def test_unquoted_heading_inside_open_quotation_is_a_paragraph():
    parsed = parse_text(
        "Article 1er\nL'article est ainsi rédigé : «\nArticle L. 5\nTexte inséré. »\n"
        "Article 2\nSuite.\n"
    )
    assert _numbers(parsed) == ["1er", "2"]
    assert parsed.articles[0].paragraphs[1:] == ["Article L. 5", "Texte inséré. »"]


def test_balanced_quotes_on_one_line_do_not_open_a_quotation():
    parsed = parse_text(
        "Article 1er\nLes mots : « maire » sont remplacés par les mots : « président ».\n"
        "Article 2\nTexte.\n"
    )
    assert _numbers(parsed) == ["1er", "2"]


# --- Article unique and Markdown --------------------------------------------------------------


def test_article_unique_keeps_all_its_paragraphs():
    parsed = _sample("article_unique.md")
    assert _numbers(parsed) == ["unique"]
    article = parsed.articles[0]
    assert (article.slug, article.label, article.line) == ("unique", "Article unique", 4)
    assert len(article.paragraphs) == 6
    assert article.paragraphs[0] == "I. – Le code de la santé publique est ainsi modifié :"
    assert article.paragraphs[-1] == "II. – Le I entre en vigueur le 1er janvier 2028."
    assert parsed.preamble[0] == "PROPOSITION DE LOI"


def test_markdown_h1_at_start_is_the_document_title():
    parsed = _sample("markdown.md")
    assert parsed.title == "Projet d'ordonnance relative à l'accessibilité des services numériques"
    assert parsed.preamble == ["Texte soumis à la consultation du public."]


def test_markdown_keyword_headings_nest_by_keyword_rank():
    parsed = _sample("markdown.md")
    assert [(d.kind, d.label, d.title, d.depth, d.parent) for d in parsed.divisions] == [
        ("titre", "TITRE Ier", "Dispositions générales", 0, None),
        ("chapitre", "Chapitre Ier", "Objet et définitions", 1, 0),
        ("chapitre", "Chapitre II", "Obligations", 1, 0),
        ("heading", "", "Contrôle", 2, 2),
        ("titre", "TITRE II", "Dispositions finales", 0, None),
    ]


def test_markdown_and_bold_article_headings_with_titles():
    parsed = _sample("markdown.md")
    assert [(a.number, a.title, a.division) for a in parsed.articles] == [
        ("1er", "Objet", 1),
        ("2", "", 1),
        ("3", "Déclaration d'accessibilité", 2),
        ("4", "Sanctions", 3),
        ("5", "", 4),
    ]


def test_markdown_list_items_are_kept_and_blockquote_marker_is_stripped():
    parsed = _sample("markdown.md")
    assert parsed.articles[0].paragraphs[1:] == [
        "- Elle s'applique aux sites internet ;",
        "- Elle s'applique aux applications mobiles.",
    ]
    assert parsed.articles[2].paragraphs == [
        "Chaque service publie une déclaration d'accessibilité.",
        "Cette déclaration est mise à jour chaque année.",
    ]
    assert parsed.articles[3].paragraphs == [  # the "---" rule is not an alinéa
        "Le manquement aux obligations prévues à l'article 3 est puni d'une sanction administrative."
    ]


def test_plain_markdown_heading_level_decides_its_place():
    parsed = parse_text(
        "## Exposé\nTexte.\n### Détail\nArticle 1er\nUn.\n## Dispositions finales\nArticle 2\nDeux.\n"
    )
    assert [(d.kind, d.title, d.depth, d.parent, d.intro) for d in parsed.divisions] == [
        ("heading", "Exposé", 0, None, ["Texte."]),
        ("heading", "Détail", 1, 0, []),
        ("heading", "Dispositions finales", 0, None, []),
    ]
    assert [a.division for a in parsed.articles] == [1, 2]


def test_h1_after_other_content_is_a_division_not_the_title():
    parsed = parse_text("Préambule.\n# Dispositions\nArticle 1er\nUn.\n")
    assert parsed.title == ""
    assert [(d.kind, d.title) for d in parsed.divisions] == [("heading", "Dispositions")]


# --- Division headings ------------------------------------------------------------------------


def test_text_between_division_title_and_first_article_is_its_intro():
    parsed = parse_text(
        "TITRE Ier\nDISPOSITIONS GÉNÉRALES\nLe présent titre s'applique outre-mer.\n"
        "Chapitre Ier – Objet\nArticle 1er\nUn.\n"
    )
    titre, chapitre = parsed.divisions
    assert titre.intro == ["Le présent titre s'applique outre-mer."]
    assert (chapitre.title, chapitre.intro, chapitre.parent) == ("Objet", [], 0)


def test_division_followed_by_article_has_no_title():
    parsed = parse_text("Chapitre II\n\nArticle 3\nTexte.\n")
    assert [(d.label, d.title) for d in parsed.divisions] == [("Chapitre II", "")]
    assert parsed.articles[0].division == 0


@pytest.mark.parametrize(
    ("line", "kind", "label", "title"),
    [
        ("LIVRE III – Des biens", "livre", "LIVRE III", "Des biens"),
        ("Titre préliminaire : Principes", "titre", "Titre préliminaire", "Principes"),
        ("CHAPITRE 1er. Définitions", "chapitre", "CHAPITRE 1er", "Définitions"),
        ("Chapitre Ier bis — Données", "chapitre", "Chapitre Ier bis", "Données"),
        ("Chapitre unique", "chapitre", "Chapitre unique", ""),
        ("Section 2 - Contrôle", "section", "Section 2", "Contrôle"),
        ("Sous-section 1 : Principes", "sous_section", "Sous-section 1", "Principes"),
        ("Paragraphe 3", "paragraphe", "Paragraphe 3", ""),
        ("Première partie – Généralités", "partie", "Première partie", "Généralités"),
        ("TITRE II DISPOSITIONS FINALES", "titre", "TITRE II", "DISPOSITIONS FINALES"),
        ("### **Section 1** – Champ", "section", "Section 1", "Champ"),
    ],
)
def test_division_heading_forms(line, kind, label, title):
    parsed = parse_text(f"{line}\nArticle 1er\nTexte.\n")
    division = parsed.divisions[0]
    assert (division.kind, division.label, division.title) == (kind, label, title)


def test_sentence_starting_with_a_division_keyword_is_a_paragraph():
    parsed = parse_text("Article 1er\nTitre Ier du livre II est abrogé.\nChapitre 3 du code.\n")
    assert parsed.divisions == []
    assert len(parsed.articles[0].paragraphs) == 2


def test_new_division_closes_divisions_of_same_or_lower_rank():
    parsed = parse_text(
        "Partie législative\nLivre Ier\nTitre Ier\nChapitre Ier\nSection 1\nArticle 1\nUn.\n"
        "Titre II\nArticle 2\nDeux.\nLivre II\nArticle 3\nTrois.\n"
    )
    assert [(d.label, d.depth, d.parent) for d in parsed.divisions] == [
        ("Partie législative", 0, None),
        ("Livre Ier", 1, 0),
        ("Titre Ier", 2, 1),
        ("Chapitre Ier", 3, 2),
        ("Section 1", 4, 3),
        ("Titre II", 2, 1),
        ("Livre II", 1, 0),
    ]
    assert [a.division for a in parsed.articles] == [4, 5, 6]


# --- Article headings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "number", "slug", "title"),
    [
        ("Article 1er", "1er", "1", ""),
        ("Article premier", "1er", "1", ""),
        ("ARTICLE PREMIER", "1er", "1", ""),
        ("Article Ier", "1er", "1", ""),
        ("ARTICLE 4", "4", "4", ""),
        ("Art. 3", "3", "3", ""),
        ("Article 5 bis", "5 bis", "5-bis", ""),
        ("Article 12 quater", "12 quater", "12-quater", ""),
        ("Article 1er bis A", "1er bis A", "1-bis-a", ""),
        ("Article unique", "unique", "unique", ""),
        ("Article L123-4", "L. 123-4", "l-123-4", ""),
        ("Article L. 123-4 :", "L. 123-4", "l-123-4", ""),
        ("Article R.* 12-1", "R.* 12-1", "r-12-1", ""),
        ("Article D. 5", "D. 5", "d-5", ""),
        ("Article LO 141-1", "LO 141-1", "lo-141-1", ""),
        ("Article 4-1", "4-1", "4-1", ""),
        ("Article 1er – Objet", "1er", "1", "Objet"),
        ("Article 2 : Champ d'application", "2", "2", "Champ d'application"),
        ("Article 3 (nouveau)", "3", "3", "(nouveau)"),
        ("## Article 6 — Définitions", "6", "6", "Définitions"),
        ("**Article 7**", "7", "7", ""),
        (
            "Article additionnel après l'article 3",
            "additionnel",
            "additionnel",
            "après l'article 3",
        ),
    ],
)
def test_article_heading_forms(heading, number, slug, title):
    article = parse_text(f"{heading}\nTexte de l'article.\n").articles[0]
    assert (article.number, article.slug, article.title) == (number, slug, title)
    assert article.label == f"Article {number}"
    assert article.paragraphs == ["Texte de l'article."]


@pytest.mark.parametrize(
    "line",
    [
        "Article 2 du code civil est ainsi modifié :",
        "L'article 3 est abrogé.",
        "Articles 1er à 3 : supprimés.",
        "Article L. 123-4 du code de l'urbanisme",
        "Art. 5 et 6 du décret précité.",
    ],
)
def test_sentences_mentioning_articles_are_paragraphs(line):
    parsed = parse_text(f"Article 1er\n{line}\n")
    assert parsed.articles[0].paragraphs == [line]


def test_two_additional_articles_get_distinct_slugs():
    parsed = parse_text("Article additionnel\nUn.\nArticle additionnel\nDeux.\n")
    assert [a.slug for a in parsed.articles] == ["additionnel", "additionnel-2"]


# --- Refusals -----------------------------------------------------------------------------------


def test_text_without_articles_is_refused_with_an_example():
    error = _refusal("Un exposé des motifs sans aucun article.\nEt une deuxième ligne.")
    assert "Aucun article" in error.message and "Article 1er" in error.message
    assert "Article unique" in error.message and error.line is None


def test_articles_only_inside_quotations_do_not_count():
    error = _refusal("« Article 1er\n« Texte cité. »\n")
    assert "Aucun article" in error.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\ufffd"])
def test_control_or_binary_characters_are_refused_naming_the_line(char):
    error = _refusal(f"Article 1er\r\nUne ligne.\r\nUne ligne{char} abîmée.\r\n")
    assert error.line == 3 and "ligne 3" in error.message
    assert f"U+{ord(char):04X}" in error.message and "caractères de contrôle" in str(error)


def test_tabs_and_line_endings_are_allowed():
    parsed = parse_text("Article 1er\r\n\tUn alinéa.\rDeux.\n")
    assert parsed.articles[0].paragraphs == ["Un alinéa.", "Deux."]


def test_article_without_paragraph_is_refused_naming_its_line():
    error = _refusal("Article 1er\nTexte.\n\nArticle 2\n\nArticle 3\nTexte.\n")
    assert error.line == 4
    assert error.message.startswith("L'article 2 (ligne 4) ne contient aucun alinéa")


def test_article_followed_by_a_division_has_no_paragraph():
    error = _refusal("Article 1er\nChapitre II\nArticle 2\nTexte.\n")
    assert error.line == 1 and "aucun alinéa" in str(error)


def test_duplicate_article_number_names_both_lines():
    error = _refusal("Article 1er\nUn.\nArticle 2\nDeux.\nArticle 2\nEncore deux.\n")
    assert "L'article 2 apparaît deux fois (lignes 3 et 5)" in error.message
    assert error.line == 5


def test_premier_and_1er_are_the_same_number():
    error = _refusal("Article premier\nUn.\nArticle 1er\nEncore.\n")
    assert "lignes 1 et 3" in str(error)


def test_unclosed_quotation_swallowing_an_article_is_refused():
    error = _refusal("Article 1er\nIl est ajouté : « Le maire décide.\nArticle 2\nTexte.\n")
    assert error.line == 2
    assert "jamais refermé" in error.message and "ligne 3" in error.message


def test_unclosed_quotation_at_the_end_without_heading_is_accepted():
    parsed = parse_text(
        "Article 1er\nIl est ajouté : « Le maire décide.\n« Il informe le conseil.\n"
    )
    assert parsed.articles[0].paragraphs == [
        "Il est ajouté : « Le maire décide.",
        "« Il informe le conseil.",
    ]


@pytest.mark.parametrize("source", ["", "   \n\n\t\n", "\ufeff\n"])
def test_empty_text_is_refused(source):
    error = _refusal(source)
    assert "vide" in error.message and error.line is None


def test_too_long_text_is_refused():
    error = _refusal("Article 1er\n" + "a" * 2_000_000)
    assert "trop long" in error.message and "2\u202f000\u202f000" in error.message


def test_line_number_is_appended_to_messages_that_lack_it():
    assert str(TextImportError("Texte illisible.", 7)) == "Texte illisible (ligne 7)."
    assert str(TextImportError("Rien à la ligne 7.", 7)) == "Rien à la ligne 7."
    assert TextImportError("Sans ligne.").line is None


def test_random_input_never_raises_anything_else():
    rng = random.Random(20261123)
    pieces = [
        "Article ", "Art. ", "1er", "2", " bis", "L. ", "123-4", "TITRE ", "Chapitre ", "Ier",
        "Section ", "« ", " »", " – ", ":", ".", "\n", "\n", "\r\n", "#", "## ", "**", "> ",
        "Fait le ", "additionnel", "unique", "abc", "é", " ", "\t", "\x00", "\ufffd", "---",
    ]  # fmt: skip
    lines = [
        "Article 1er", "Article 2", "Art. 3. – Le texte est long de plusieurs mots.", "TITRE Ier",
        "Chapitre II – Objet", "## Annexe", "# Titre", "Texte.", "1° Un ;", "« Art. L. 1. – Cité",
        "fin. »", "Fait le 1er mars 2026.", "**Article 4**", "", "> Citation", "Article unique",
    ]  # fmt: skip
    outcomes = set()
    for round_ in range(600):
        if round_ % 3 == 0:
            source = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        elif round_ % 3 == 1:
            source = "".join(chr(rng.randint(0, 0x2FF)) for _ in range(rng.randint(0, 80)))
        else:
            source = "\n".join(rng.choice(lines) for _ in range(rng.randint(0, 12)))
        try:
            outcomes.add(type(parse_text(source)))
        except TextImportError as error:
            assert error.message
            outcomes.add(TextImportError)
    assert outcomes == {ParsedText, TextImportError}


def test_pathological_long_lines_parse_quickly():
    start = time.perf_counter()
    for line in ("Article L" + " " * 200_000, "TITRE II" + " " * 200_000 + "x", "«" * 200_000):
        with pytest.raises(TextImportError):
            parse_text(line)
    bill = "".join(f"Article {n}\nPremier alinéa.\nDeuxième alinéa.\n" for n in range(1, 5001))
    assert len(parse_text(bill).articles) == 5000
    assert time.perf_counter() - start < 5


# --- Fingerprint form ---------------------------------------------------------------------------


def test_normalize_source_is_canonical():
    messy = "\n\r\nArticle 1er  \r\nTe\u0301xte.\t\r\n\n\n"
    assert normalize_source(messy) == "Article 1er\nTéxte.\n"
    assert normalize_source(normalize_source(messy)) == normalize_source(messy)


def test_normalize_source_keeps_inner_blank_lines_and_leading_indentation():
    assert normalize_source("  Article 1er\r\rTexte.") == "  Article 1er\n\nTexte.\n"
    assert normalize_source("\ufeffArticle 1er\n") == "Article 1er\n"
    assert normalize_source(" \n\t\n") == ""


def test_parse_gives_the_same_result_on_the_normalised_source():
    source = (SAMPLES / "projet_de_loi.md").read_text(encoding="utf-8").replace("\n", "  \r\n")
    assert parse_text(source) == parse_text(normalize_source(source))


def test_paragraphs_are_in_nfc():
    parsed = parse_text("Article pre\u0301liminaire\nL'e\u0301tat.\n")
    assert parsed.articles[0].number == "préliminaire"
    assert parsed.articles[0].paragraphs == ["L'état."]


# --- Demo texts ---------------------------------------------------------------------------------


def test_every_demo_text_parses():
    texts = {
        path.name: parse_text(path.read_text(encoding="utf-8")) for path in DEMO_TEXTS.glob("*.md")
    }
    assert set(texts) == {"projet_de_loi_numerique.md", "decret_velos.md", "plan_eau.md"}
    assert all(len(parsed.articles) >= 3 for parsed in texts.values())
    bill = texts["projet_de_loi_numerique.md"]
    assert len(bill.articles) >= 12 and "7 bis" in _numbers(bill)
    assert any(p.startswith("« Art. L.") for a in bill.articles for p in a.paragraphs)
    assert texts["decret_velos.md"].closing[0].startswith("Fait le")

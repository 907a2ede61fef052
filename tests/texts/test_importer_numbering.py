"""Every numbering French legislation uses comes out as an article; a line that starts like a
heading without being understood is never folded silently (refused, or reported)."""

from pathlib import Path

import pytest

from consultation.texts.importer import (
    LATIN_ORDINALS,
    ParsedText,
    TextImportError,
    latin_ordinal,
    parse_text,
)

SAMPLES = Path(__file__).parent / "samples"


def _numbers(parsed: ParsedText) -> list[str]:
    return [article.number for article in parsed.articles]


def _refusal(source: str) -> TextImportError:
    with pytest.raises(TextImportError) as refused:
        parse_text(source)
    return refused.value


# --- Real parliamentary texts -------------------------------------------------------------------

AN_NUMBERS = [
    "1er A", "1er B", "1er", "1er bis AA", "1er bis A", "1er bis", "2", "3 bis AA", "3 bis AB",
    "3 bis A", "3 bis", "4", "5", "6", "7", "8", "11", "11 bis", "11 ter", "11 quater",
    "11 quinquies", "11 sexies", "11 septies", "11 octies", "11 nonies", "11 decies",
    "11 undecies", "11 duodecies", "11 terdecies", "11 quaterdecies A", "11 quaterdecies B",
    "11 quaterdecies", "11 quindecies", "11 sexdecies", "11 septdecies", "11 octodecies",
    "11 novodecies", "11 vicies", "11 unvicies", "12", "13",
]  # fmt: skip


def test_assemblee_petite_loi_keeps_every_article():
    source = (SAMPLES / "texte_adopte_an.md").read_text(encoding="utf-8")
    parsed = parse_text(source)
    assert _numbers(parsed) == AN_NUMBERS
    headings = [line for line in source.splitlines() if line.startswith("Article")]
    assert len(headings) + 1 == len(parsed.articles)  # « Articles 4 et 5 » gives two
    assert parsed.warnings == []


def test_assemblee_petite_loi_articles_keep_their_own_alineas():
    parsed = parse_text((SAMPLES / "texte_adopte_an.md").read_text(encoding="utf-8"))
    by_number = {a.number: a for a in parsed.articles}
    assert by_number["11 decies"].paragraphs == [
        "Les collectivités territoriales peuvent recourir à la plateforme de l'État."
    ]
    assert by_number["11 undecies"].paragraphs[0].startswith("La plateforme mentionnée")
    assert by_number["11 quaterdecies B"].title == "(nouveau) (Supprimé)"
    assert by_number["11 quaterdecies B"].paragraphs == []
    assert (by_number["4"].title, by_number["5"].title) == ("(Supprimé)", "(Supprimé)")
    assert by_number["1er"].paragraphs[5] == "2° (Supprimé)"  # an alinéa, not a heading
    assert len(by_number["6"].paragraphs) == 6  # quoted « Section 4 », « Article L. 181-10-1 »
    assert by_number["13"].paragraphs == [
        "Les articles 1er à 11 unvicies entrent en vigueur le 1er janvier 2027."
    ]


def test_assemblee_petite_loi_closing_block_and_divisions():
    parsed = parse_text((SAMPLES / "texte_adopte_an.md").read_text(encoding="utf-8"))
    assert parsed.closing == [
        "Délibéré en séance publique, à Paris, le 17 février 2026.",
        "La Présidente,",
        "Signé : Marie DUPONT",
    ]
    assert [(d.label, d.title) for d in parsed.divisions] == [
        ("TITRE Ier A", "DISPOSITIONS LIMINAIRES"),
        ("TITRE Ier", "AMÉLIORER L'INFORMATION ET LA PARTICIPATION DU PUBLIC"),
        ("CHAPITRE Ier", "Consultation du public par voie électronique"),
        ("CHAPITRE II", "Transparence des décisions"),
        ("TITRE II", "DISPOSITIONS FINALES"),
    ]
    assert parsed.divisions[0].intro == ["(Division nouvelle)"]
    assert parsed.preamble[-1] == "Voir les numéros : 1523, 1601 et 1622."


def test_senat_commission_text_expands_grouped_headings_and_skips_dotted_lines():
    parsed = parse_text((SAMPLES / "texte_commission_senat.md").read_text(encoding="utf-8"))
    assert _numbers(parsed) == [
        "1er A", "1er B", "1er", "1er bis A", "1er bis", "2", "3 bis AA", "3 bis AB",
        "3 bis AC", "3 bis AD", "3 bis A", "7", "8", "9", "11 undecies", "11 duodecies",
        "11 terdecies", "11 quaterdecies A", "11 quaterdecies B", "11 quaterdecies C",
        "11 quaterdecies D", "11 quaterdecies", "11 quindecies", "11 sexdecies",
        "11 septdecies", "11 octodecies", "11 novodecies", "11 vicies", "13",
    ]  # fmt: skip
    by_number = {a.number: a for a in parsed.articles}
    assert (by_number["1er A"].title, len(by_number["1er A"].paragraphs)) == ("(Non modifié)", 1)
    assert by_number["1er B"].title == "(Suppression maintenue)"
    assert by_number["1er"].paragraphs[-1] == "II. – (Non modifié)"  # the dots are not an alinéa
    assert [by_number[n].title for n in ("1er bis", "2")] == ["(Conforme)", "(Conforme)"]
    assert by_number["11 quaterdecies"].title == "(Pour coordination)"
    assert parsed.warnings == []


# --- Numbers ------------------------------------------------------------------------------------


def test_latin_ordinals_follow_parliamentary_usage():
    assert LATIN_ORDINALS[:9] == (
        "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies",
    )  # fmt: skip
    assert [latin_ordinal(n) for n in range(11, 21)] == [
        "undecies", "duodecies", "terdecies", "quaterdecies", "quindecies", "sexdecies",
        "septdecies", "octodecies", "novodecies", "vicies",
    ]  # fmt: skip
    assert [latin_ordinal(n) for n in (21, 24, 30, 45, 99)] == [
        "unvicies", "quatervicies", "tricies", "quinquadragies", "novononagies",
    ]  # fmt: skip


@pytest.mark.parametrize("word", LATIN_ORDINALS)
def test_every_latin_suffix_is_an_article(word):
    parsed = parse_text(f"Article 11\nUn.\nArticle 11 {word}\nDeux.\nArticle 12\nTrois.\n")
    assert _numbers(parsed) == ["11", f"11 {word}", "12"]
    assert parsed.articles[1].paragraphs == ["Deux."]


@pytest.mark.parametrize(
    ("heading", "number", "slug", "title"),
    [
        ("Article 11 undecies", "11 undecies", "11-undecies", ""),
        ("ARTICLE 11 DUODECIES", "11 duodecies", "11-duodecies", ""),
        ("Article 11 terdecies (nouveau)", "11 terdecies", "11-terdecies", "(nouveau)"),
        ("Article 11 quaterdecies B", "11 quaterdecies B", "11-quaterdecies-b", ""),
        ("Article 3 bis AA", "3 bis AA", "3-bis-aa", ""),
        ("ARTICLE 3 BIS AA", "3 bis AA", "3-bis-aa", ""),
        ("Article 1er A", "1er A", "1-a", ""),
        ("Article 1 er", "1er", "1", ""),
        ("Article premier A", "1er A", "1-a", ""),
        ("Article 4 novies", "4 novies", "4-novies", ""),
        ("Article 4 tredecies", "4 tredecies", "4-tredecies", ""),
        ("Article 4 duodevicies", "4 duodevicies", "4-duodevicies", ""),
        ("Article 2 vicies A", "2 vicies A", "2-vicies-a", ""),
        ("Article 5bis", "5 bis", "5-bis", ""),
        ("Article 199 terdecies-0 A", "199 terdecies-0 A", "199-terdecies-0-a", ""),
        ("Article L. 2224-7-1 A", "L. 2224-7-1 A", "l-2224-7-1-a", ""),
        ("Article L. 123-4 undecies", "L. 123-4 undecies", "l-123-4-undecies", ""),
        ("Article 7 (Supprimé) (nouveau)", "7", "7", "(Supprimé) (nouveau)"),
        (
            "Article 20 (art. L. 331-1 du code de la consommation) - Composition",
            "20",
            "20",
            "(art. L. 331-1 du code de la consommation) – Composition",
        ),
        ("Article 54 quinquies (Texte non modifié par la commission)", "54 quinquies",
         "54-quinquies", "(Texte non modifié par la commission)"),
    ],
)  # fmt: skip
def test_article_numbering_forms(heading, number, slug, title):
    article = parse_text(f"{heading}\nTexte de l'article.\n").articles[0]
    assert (article.number, article.slug, article.title) == (number, slug, title)
    assert article.paragraphs == ["Texte de l'article."]


def test_decree_style_heading_with_latin_suffix_keeps_its_first_alinea():
    article = parse_text(
        "Art. 4 undecies. – Le présent décret entre en vigueur demain.\n"
    ).articles[0]
    assert (article.number, article.paragraphs) == (
        "4 undecies",
        ["Le présent décret entre en vigueur demain."],
    )


def test_division_numbers_take_the_same_suffixes():
    parsed = parse_text("Chapitre III undecies – Données\nTITRE Ier AA\nArticle 1er\nUn.\n")
    assert [(d.label, d.title) for d in parsed.divisions] == [
        ("Chapitre III undecies", "Données"),
        ("TITRE Ier AA", ""),
    ]


# --- Deleted, unchanged and grouped articles ------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("Article 7 (Supprimé)\n", "(Supprimé)"),
        ("Article 7\n(Supprimé)\n", "(Supprimé)"),
        ("Article 7 (nouveau)\n(Supprimé)\n", "(nouveau) (Supprimé)"),
        ("Article 7\n(Non modifié)\n", "(Non modifié)"),
        ("Article 7\n(Suppression maintenue)\n", "(Suppression maintenue)"),
        ("Article 7\n(Conforme)\n", "(Conforme)"),
        ("Article R. 7\n(abrogé)\n", "(abrogé)"),
    ],
)
def test_an_article_reduced_to_a_note_is_kept_without_alinea(source, title):
    parsed = parse_text(f"Article 1er\nUn.\n{source}Article 8\nHuit.\n")
    assert [(a.title, a.paragraphs) for a in parsed.articles[1:2]] == [(title, [])]
    assert len(parsed.articles) == 3


def test_a_note_after_the_heading_with_text_following_is_the_title():
    article = parse_text("Article 12\n(Non modifié)\nLe texte reste.\n").articles[0]
    assert (article.title, article.paragraphs) == ("(Non modifié)", ["Le texte reste."])


def test_an_article_with_another_note_still_needs_text():
    error = _refusal("Article 1er\nUn.\nArticle 2 (nouveau)\nArticle 3\nTrois.\n")
    assert error.line == 3 and "aucun alinéa" in error.message and "(Supprimé)" in error.message


@pytest.mark.parametrize(
    ("heading", "numbers"),
    [
        ("Articles 4 à 6 (Supprimés)", ["4", "5", "6"]),
        ("Articles 4 et 5\n(Supprimés)", ["4", "5"]),
        ("Articles 4 bis, 4 ter et 5 (Supprimés)", ["4 bis", "4 ter", "5"]),
        ("Articles 4 à 4 quater (Supprimés)", ["4", "4 bis", "4 ter", "4 quater"]),
        ("Articles 11 decies à 11 duodecies (Supprimés)",
         ["11 decies", "11 undecies", "11 duodecies"]),
        ("Articles 1er A à 1er C (Supprimés)", ["1er A", "1er B", "1er C"]),
        ("Articles 3 bis AB à 3 bis AD\n(Non modifiés)", ["3 bis AB", "3 bis AC", "3 bis AD"]),
        ("Articles 1er à 3 (Supprimés)", ["1er", "2", "3"]),
    ],
)  # fmt: skip
def test_grouped_heading_gives_each_article(heading, numbers):
    parsed = parse_text(f"Article préliminaire\nTexte.\n{heading}\nArticle 20\nVingt.\n")
    assert _numbers(parsed)[1:-1] == numbers
    assert all(a.paragraphs == [] for a in parsed.articles[1:-1])
    assert parsed.articles[1].title in ("(Supprimé)", "(Non modifié)")
    assert {a.line for a in parsed.articles[1:-1]} == {3}


def test_grouped_heading_that_cannot_be_expanded_is_refused():
    error = _refusal("Article 1er\nUn.\nArticles 4 bis à 6 (Supprimés)\n")
    assert error.line == 3 and "Articles 4 bis à 6" in error.message
    assert "Donnez à chaque article son intitulé" in error.message


def test_grouped_heading_with_text_is_refused():
    error = _refusal("Article 1er\nUn.\nArticles 4 à 6\nUn texte commun.\n")
    assert error.line == 4 and "ne peuvent pas avoir de texte commun" in error.message


def test_grouped_heading_without_note_is_refused():
    error = _refusal("Article 1er\nUn.\nArticles 4 à 6\nArticle 7\nSept.\n")
    assert error.line == 3 and "(Supprimés)" in error.message


def test_grouped_heading_repeating_an_article_names_the_lines():
    error = _refusal("Article 5\nCinq.\nArticles 4 à 6 (Supprimés)\n")
    assert "L'article 5 apparaît deux fois (lignes 1 et 3)" in error.message


def test_sentence_about_several_articles_stays_an_alinea():
    parsed = parse_text("Article 1er\nArticles 1er à 3 : supprimés.\n")
    assert parsed.articles[0].paragraphs == ["Articles 1er à 3 : supprimés."]
    assert parsed.warnings == []


# --- Closing block --------------------------------------------------------------------------------


def test_assembly_closing_formula_starts_the_closing_block():
    parsed = parse_text(
        "Article unique\nTexte.\nDélibéré en séance publique, à Paris, le 3 mars 2026.\n"
        "Le Président,\nSigné : Jean DURAND\n"
    )
    assert parsed.articles[0].paragraphs == ["Texte."]
    assert parsed.closing[0].startswith("Délibéré en séance publique")


# --- Doubtful headings: refused or reported, never silent ---------------------------------------


@pytest.mark.parametrize(
    ("line", "word"),
    [
        ("Article 11 undecimies", "undecimies"),
        ("Article 11 undécies", "undécies"),
        ("ARTICLE 4 QUINDECIMIES", "QUINDECIMIES"),
        ("Article 2 septiess (nouveau)", "septiess"),
        ("## Article 5 vicimies", "vicimies"),
        ("Article 11 undecimies.", "undecimies"),
    ],
)
def test_heading_with_an_unknown_latin_suffix_is_refused(line, word):
    error = _refusal(f"Article 1er\nUn.\n{line}\nDeux.\n")
    assert error.line == 3 and error.message.startswith("Ligne 3 :")
    assert f"« {word} » n'est pas un suffixe connu" in error.message
    assert "undecies" in error.message  # the message lists what is understood


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("Article L. 123-4 du code de l'urbanisme", "un alinéa de l'article 1er"),
        ("Article 12 Parties", "un alinéa de l'article 1er"),
        ("Article 3 bis aa", "un alinéa de l'article 1er"),
        ("Chapitre II Dispositions diverses", "un alinéa de l'article 1er"),
        ("Articles 4 à 6 supprimés", "un alinéa de l'article 1er"),
    ],
)
def test_doubtful_heading_is_imported_with_a_warning_naming_the_line(line, where):
    parsed = parse_text(f"Article 1er\nUn.\n{line}\n")
    assert parsed.articles[0].paragraphs == ["Un.", line]
    [warning] = parsed.warnings
    assert (warning.line, warning.text) == (3, line)
    assert warning.reason.endswith(f"lue comme {where}")
    assert warning.message.startswith(f"Ligne 3 : « {line[:20]}")
    assert parsed.warnings_digest and len(parsed.warnings_digest) == 64


def test_warning_says_where_the_line_went():
    parsed = parse_text(
        "Article 3 du texte\nPréambule.\nTITRE Ier\nArticle 4 ancien\n## Article 5 autre\n"
        "Article 1er\nUn.\n"
    )
    assert [(w.line, w.reason.split(" ; ")[1]) for w in parsed.warnings] == [
        (1, "lue comme une ligne du préambule"),
        (4, "lue comme le titre de « TITRE Ier »"),
        (5, "lue comme un intertitre"),
    ]


def test_quoted_and_sentence_lines_are_not_doubtful():
    parsed = parse_text(
        "Article 1er\n« Article 11 foo\n« Chapitre II bar »\nArticle 2 du code civil est ainsi "
        "modifié :\nArt. 5 et 6 du décret précité.\nTitre Ier du livre II est abrogé.\n"
    )
    assert parsed.warnings == []


def test_warnings_digest_ignores_line_numbers_but_not_the_lines():
    first = parse_text("Article 1er\nUn.\nArticle 3 du code\n")
    moved = parse_text("\n\nArticle 1er\nUn.\nArticle 3 du code\n")
    other = parse_text("Article 1er\nUn.\nArticle 4 du code\n")
    assert first.warnings_digest == moved.warnings_digest != other.warnings_digest
    assert parse_text("Article 1er\nUn.\n").warnings_digest == ""

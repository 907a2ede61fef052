"""Statement kinds of French contributions, by transparent cues."""

from hypothesis import given, settings
from hypothesis import strategies as st

from consultation.synthesis.analysis.statements import (
    KIND_LABELS,
    KINDS,
    classify,
    classify_sentences,
)


def test_every_kind_has_a_french_label():
    assert set(KIND_LABELS) == set(KINDS)
    assert str(KIND_LABELS["proposal"]) == "Proposition"


def test_one_contribution_of_several_kinds():
    text = (
        "Je suis infirmière depuis vingt ans. Il manque du personnel partout. "
        "Il faut recruter. Qui va payer ?"
    )
    assert classify(text) == {"experience", "problem", "proposal", "question"}
    assert classify_sentences(text) == [
        (0, 36, "experience"),
        (37, 68, "problem"),
        (69, 86, "proposal"),
        (87, 101, "question"),
    ]


def test_a_rhetorical_proposal_is_not_a_question():
    assert classify("Pourquoi ne pas taxer le kérosène ?") == {"proposal"}
    assert classify("Ne faudrait-il pas rétablir l'ISF ?") == {"proposal"}
    assert classify("Comment ferons-nous sans médecins ?") == {"question"}


def test_opposition_in_capitals_and_without_accents():
    assert classify("JE SUIS CONTRE CETTE REFORME") == {"opposition"}
    assert classify("Non à la réforme des retraites !") == {"opposition"}
    assert classify("je suis pas d'accord, c'est inacceptable") == {"opposition"}
    assert classify("Il faut retirer ce texte.") == {"proposal", "opposition"}


def test_an_opinion_in_the_first_person_is_not_an_experience():
    assert "experience" not in classify("Je suis favorable à cette mesure.")
    assert "experience" not in classify("J'ai l'impression qu'on ne nous écoute pas.")
    assert classify("En tant que maire d'une petite commune, je vois les effets.") == {"experience"}
    assert classify("Mon fils n'arrive pas à trouver un logement.") == {"experience", "problem"}


def test_problems_described():
    assert classify("Il y a trop de voitures en ville.") == {"problem"}
    assert classify("C'est injuste pour les petits retraités") == {"problem"}
    assert classify("inegalite flagrante entre les territoires") == {"problem"}
    assert classify("Il n'y a plus de médecins dans nos campagnes.") == {"problem"}


def test_non_answers_have_no_kind():
    for text in ("RAS", "/", "Non.", "", "   ", "Ras.", "Sans avis", "ok", "..."):
        assert classify(text) == set(), text


def test_negated_proposal_is_a_proposal():
    assert classify("Il ne faut pas supprimer le Sénat.") == {"proposal"}


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_classed_without_crashing(text):
    kinds = classify(text)
    assert kinds <= set(KINDS)
    for start, end, kind in classify_sentences(text):
        assert 0 <= start < end <= len(text)
        assert kind in KINDS


def test_a_refusal_opening_the_answer_is_an_opposition():
    assert classify("Aucun. Il faut mieux gérer l'argent public.") == {"opposition", "proposal"}
    assert "opposition" not in classify("Il n'y a aucun médecin ici.")

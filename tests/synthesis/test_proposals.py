"""Proposals found in French contributions, grouped across contributions."""

from hypothesis import given, settings
from hypothesis import strategies as st

from consultation.synthesis.analysis.proposals import (
    ProposalGroup,
    ProposalSentence,
    find_proposals,
    proposal_spans,
)


def spans_text(text: str) -> list[str]:
    return [text[start:end] for start, end in proposal_spans(text)]


def test_modal_openings_are_proposals_quoted_as_written():
    text = (
        "Je suis retraité depuis 2015. Il faudrait rétablir l'ISF. "
        "Pour les familles monoparentales, il faut verser la pension par la CAF. "
        "Pourquoi ne pas taxer le kérosène ? Les communes devraient financer les écoles."
    )
    assert spans_text(text) == [
        "Il faudrait rétablir l'ISF.",
        "Pour les familles monoparentales, il faut verser la pension par la CAF.",
        "Pourquoi ne pas taxer le kérosène ?",
        "Les communes devraient financer les écoles.",
    ]


def test_infinitives_and_action_nouns_open_proposals():
    text = (
        "Mes propositions :\n- réduction du nombre de députés\n• Supprimer le Sénat.\n"
        "3) la suppression de l'ENA\nSanctionner les propos sexistes à l'antenne. "
        "Taxons les billets d'avion !"
    )
    assert spans_text(text) == [
        "réduction du nombre de députés",
        "Supprimer le Sénat.",
        "la suppression de l'ENA",
        "Sanctionner les propos sexistes à l'antenne.",
        "Taxons les billets d'avion !",
    ]


def test_items_of_a_list_announced_by_a_colon():
    text = "Trois idées : réduire les niches fiscales ; supprimer le Sénat ; taxer le kérosène."
    assert spans_text(text) == [
        "réduire les niches fiscales",
        "supprimer le Sénat",
        "taxer le kérosène.",
    ]


def test_capitals_missing_accents_and_typos_still_read():
    assert spans_text("IL FAUDRAIT RETABLIR L'ISF") == ["IL FAUDRAIT RETABLIR L'ISF"]
    assert spans_text("il faudrai creer une taxe carbone") == ["il faudrai creer une taxe carbone"]
    assert spans_text("Creer des maisons de sante") == ["Creer des maisons de sante"]


def test_what_is_not_a_proposal():
    for text in (
        "RAS",
        "/",
        "Non.",
        "",
        "Hier je suis allé à la mairie.",
        "Pierre est venu.",
        "Il faut dire que c'est n'importe quoi.",
        "Faut-il vraiment tout changer ?",
        "Il faut.",
        "Pourquoi pas.",
        "Qui va payer ?",
        "Je suis contre cette réforme.",
    ):
        assert proposal_spans(text) == [], text


def test_negated_proposals_are_proposals():
    assert spans_text("Il ne faut pas supprimer le Sénat.") == [
        "Il ne faut pas supprimer le Sénat."
    ]
    assert spans_text("Ne pas fermer les petites écoles") == ["Ne pas fermer les petites écoles"]


def test_spans_are_exact_substrings_with_typographic_apostrophes_and_spacing():
    text = "  Bonjour.\r\n\r\n  - Il faudrait  rétablir l’ISF ;  \n\tPourquoi ne pas taxer le kérosène ?"
    for start, end in proposal_spans(text):
        assert text[start:end] == text[start:end].strip()
        assert text[start:end] in text
    assert spans_text(text) == [
        "Il faudrait  rétablir l’ISF",
        "Pourquoi ne pas taxer le kérosène ?",
    ]


def test_a_campaign_copied_twenty_times_is_one_group_of_twenty():
    campaign = "Nous habitons le quartier depuis vingt ans. Il faut rétablir l'ISF pour financer l'hôpital."
    items = [(i, campaign) for i in range(1, 21)] + [(21, "Supprimer le Sénat.")]
    groups = find_proposals(items)
    assert groups[0].count == 20
    assert groups[0].contribution_ids == list(range(1, 21))
    assert groups[0].label == "Il faut rétablir l'ISF pour financer l'hôpital."
    assert [group.count for group in groups[1:]] == [1]


def test_wordings_of_one_proposal_are_grouped():
    items = [
        (1, "Rétablir l'ISF."),
        (2, "il faut rétablir l'isf"),
        (3, "Je propose de rétablir l'ISF"),
        (4, "Il faudrait remettre en place l'impôt sur la fortune."),
        (5, "RETABLIR L ISF !!!"),
        (6, "- rétablissement de l'ISF"),
    ]
    groups = find_proposals(items)
    assert len(groups) == 1
    assert groups[0].count == 6
    assert groups[0].contribution_ids == [1, 2, 3, 4, 5, 6]


def test_a_synonym_outside_the_table_is_not_grouped():
    """The method compares words: « taxer les grandes fortunes » shares none with « rétablir
    l'ISF », so they stay two groups."""
    groups = find_proposals([(1, "Rétablir l'ISF."), (2, "Il faut taxer les grandes fortunes.")])
    assert sorted(group.count for group in groups) == [1, 1]


def test_different_proposals_are_not_grouped():
    items = [(1, "Supprimer le Sénat."), (2, "Il faut supprimer l'ENA."), (3, "Supprimer le Sénat")]
    groups = find_proposals(items)
    assert [(group.count, group.contribution_ids) for group in groups] == [(2, [1, 3]), (1, [2])]


def test_rewordings_sharing_three_terms_are_grouped():
    """The issue's case: one measure written in several ways, counted once."""
    items = [
        (1, "Que la pension alimentaire soit versée par la CAF."),
        (2, "La CAF devrait verser les pensions alimentaires."),
        (3, "Passer par la caisse d'allocations familiales pour le versement des pensions."),
        (4, "D'autre part, il faut diminuer le nombre de conseillers municipaux."),
        (5, "Réduire le nombre d'élus (députés, sénateurs, conseillers régionaux)."),
    ]
    groups = find_proposals(items)
    assert [group.contribution_ids for group in groups] == [[1, 2, 3], [4, 5]]


def test_proposals_sharing_two_terms_are_not_grouped():
    """« impôt » and « payer » are not enough to make two proposals one."""
    items = [
        (1, "Chaque habitant doit payer un impôt local."),
        (2, "Commençons par faire payer l'impôt de façon plus juste."),
    ]
    assert sorted(group.count for group in find_proposals(items)) == [1, 1]


def test_a_negated_proposal_is_not_grouped_with_its_positive():
    items = [
        (1, "Il faut supprimer le Sénat."),
        (2, "Il ne faut pas supprimer le Sénat."),
        (3, "Ne pas supprimer le Sénat !"),
    ]
    groups = find_proposals(items)
    assert sorted((group.contribution_ids for group in groups), key=len) == [[1], [2, 3]]


def test_a_contribution_counts_once_per_group_and_min_count_filters():
    items = [
        (1, "Il faut rétablir l'ISF. Oui, rétablir l'ISF !"),
        (2, "Rétablir l'ISF."),
        (3, "Taxer le kérosène."),
    ]
    groups = find_proposals(items, min_count=2)
    assert len(groups) == 1
    assert groups[0].count == 2
    assert len(groups[0].sentences) == 3
    assert groups[0].sentences[0] == ProposalSentence(1, 0, 23, "Il faut rétablir l'ISF.")


def test_groups_sorted_by_count_then_label():
    items = [(1, "Taxer le kérosène."), (2, "Baisser la TVA."), (3, "Taxer le kérosène")]
    assert [(g.count, g.label) for g in find_proposals(items)] == [
        (2, "Taxer le kérosène."),
        (1, "Baisser la TVA."),
    ]


def test_long_labels_are_cut_at_a_word_boundary():
    long = "Il faudrait " + "vraiment renforcer les transports en commun des campagnes " * 4
    [group] = find_proposals([(1, long)])
    assert len(group.label) <= 120
    assert group.label.endswith("…")
    assert long.startswith(group.label[:-1])


def test_group_properties():
    group = ProposalGroup(
        "x",
        [
            ProposalSentence(3, 0, 1, "x"),
            ProposalSentence(1, 0, 1, "x"),
            ProposalSentence(3, 2, 3, "x"),
        ],
    )
    assert group.contribution_ids == [3, 1]
    assert group.count == 2


def test_nothing_in_nothing_out():
    assert find_proposals([]) == []
    assert find_proposals([(1, ""), (2, "RAS"), (3, "/"), (4, "Non.")]) == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_gives_spans_within_bounds(text):
    spans = proposal_spans(text)
    position = 0
    for start, end in spans:
        assert position <= start < end <= len(text)
        position = end
    find_proposals([(1, text)])


@settings(max_examples=5, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_a_50_kb_text_does_not_crash(piece):
    text = ("Il faut rétablir l’ISF ; " + piece + "\n- Supprimer le Sénat. ") * 1_000
    text = text[:50_000]
    for start, end in proposal_spans(text):
        assert 0 <= start < end <= len(text)


def test_a_sentence_listing_proposals_is_cut_into_its_clauses():
    text = "Lutter contre la fraude, surveiller les fonds des partis et former les élus."
    assert spans_text(text) == [
        "Lutter contre la fraude",
        "surveiller les fonds des partis",
        "former les élus.",
    ]
    text = "Au niveau du covoiturage, créer une plateforme officielle."
    assert spans_text(text) == ["créer une plateforme officielle."]


def test_a_solution_or_a_necessity_stated_is_a_proposal():
    assert spans_text("La solution serait des points de tri dans chaque immeuble.") != []
    assert spans_text("La reconnaissance du vote blanc est nécessaire.") != []
    assert spans_text("Difficile quand il faut faire une liste de 15 candidats.") == []

"""The synthesis analyses on generated data whose structure is known in advance."""

import random
from collections import Counter

import pytest

from consultation.synthesis.analysis.campaigns import find_campaigns
from consultation.synthesis.analysis.metrics import controversy_ratio, wilson_lower_bound
from consultation.synthesis.analysis.opinions import find_opinion_groups
from consultation.synthesis.analysis.text import normalise
from consultation.synthesis.analysis.themes import excerpt, find_themes, lemmas

# --- Text -----------------------------------------------------------------------------------


def test_normalise_folds_case_accents_punctuation_and_spacing():
    assert normalise("  L'ÉCOLE, c’est   Noël !\n\nŒuvre_commune ") == (
        "l ecole c est noel oeuvre commune"
    )
    assert normalise("Je suis CONTRE l'article 3 !") == normalise("je suis contre l article 3")
    assert normalise("") == ""


# --- Metrics --------------------------------------------------------------------------------


def test_controversy_ratio_needs_enough_votes():
    assert controversy_ratio(0, 0) is None
    assert controversy_ratio(4, 5) is None  # 9 votes, under the minimum of 10
    assert controversy_ratio(0, 0, min_votes=0) is None
    assert controversy_ratio(5, 5) == 1.0
    assert controversy_ratio(10, 0) == 0.0
    assert controversy_ratio(3, 7) == pytest.approx(0.6)
    assert controversy_ratio(2, 1, min_votes=3) == pytest.approx(2 / 3)


def test_wilson_ranking_is_cautious_with_few_votes():
    assert wilson_lower_bound(0, 0, 0) == 0.0
    assert wilson_lower_bound(3, 0, 0) < wilson_lower_bound(280, 0, 20)
    assert wilson_lower_bound(0, 10, 0) == pytest.approx(wilson_lower_bound(5, 0, 5))
    assert 0 < wilson_lower_bound(1, 0, 0) < 1


# --- Campaigns ------------------------------------------------------------------------------

COMMON = (
    "Nous demandons le retrait de l'article 4 qui impose aux petites communes une charge "
    "administrative disproportionnée sans aucune compensation financière de l'État. Les "
    "secrétaires de mairie travaillent déjà à temps partiel et ne pourront pas absorber ces "
    "nouvelles obligations de publication. Nous proposons un seuil de trois mille habitants "
    "et un accompagnement technique gratuit par les services départementaux."
)
PERSONAL = {
    "A": "Dans mon village de 200 habitants la mairie ouvre deux demi-journées par semaine.",
    "B": "Je suis moi-même secrétaire de mairie depuis quinze ans.",
    "C": "Pensez aussi aux communes de montagne isolées en hiver.",
    "D": "Mon conseil municipal a voté une motion en ce sens le mois dernier.",
}
WORDS = (  # noqa: SIM905
    "données publiques logiciel réseau usager service délai décret collectivité budget "
    "archives transparence accès contrôle autorité sanction rapport calendrier formation "
    "agents mutualisation sécurité hébergement interopérabilité standard format licence "
    "réutilisation citoyen association entreprise recherche université santé transport "
    "énergie climat logement emploi justice police culture sport tourisme agriculture"
).split()


def unrelated_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 60))).capitalize() + "."


def planted_campaign_corpus():
    rng = random.Random(7)
    items, next_id = [], iter(range(1, 10_000))

    def add(text):
        item_id = next(next_id)
        items.append((item_id, text))
        return item_id

    for _ in range(30):
        add(unrelated_text(rng))
    exact = [
        add(COMMON),
        add(COMMON.upper()),
        add("  " + COMMON.replace(". ", ".\n\n").replace(",", " ,")),
    ]
    edited = [
        add(COMMON.replace("disproportionnée", "excessive")),
        add(COMMON.replace("gratuit", "réel")),
        add(COMMON.replace("Nous proposons", "Nous suggérons")),
    ]
    personal = {add(f"{COMMON} {sentence}"): sentence for sentence in PERSONAL.values()}
    # Shares the campaign's first sentence only: not a member.
    decoy = add(COMMON.split(". ")[0] + ". " + unrelated_text(rng))
    for _ in range(30):
        add(unrelated_text(rng))
    short = [add("Je suis contre ce projet."), add("JE SUIS CONTRE CE PROJET !")]
    short.append(add("je suis contre ce projet"))
    pair = [add("Très bonne initiative."), add("Très bonne initiative !")]
    rng.shuffle(items)
    return items, exact, edited, personal, decoy, short, pair


def test_a_planted_campaign_is_found_with_its_exact_size():
    items, exact, edited, personal, decoy, short, pair = planted_campaign_corpus()
    progress = []

    campaigns = find_campaigns(items, progress=progress.append)

    assert [c.count for c in campaigns] == [10, 3]
    campaign = campaigns[0]
    assert campaign.member_ids == sorted(exact + edited + list(personal))
    assert campaign.exact_ids == exact
    assert campaign.representative_id == exact[0]
    assert campaign.representative == COMMON
    assert decoy not in campaign.member_ids
    assert campaigns[1].member_ids == short and campaigns[1].exact_ids == short
    assert not set(pair) & {i for c in campaigns for i in c.member_ids}  # 2 < min_size
    assert progress[-1] == 1.0 and progress == sorted(progress)


def test_what_each_member_added_is_reported_verbatim():
    items, exact, edited, personal, *_ = planted_campaign_corpus()

    campaign = find_campaigns(items)[0]

    for member_id, sentence in personal.items():
        assert campaign.additions[member_id] == sentence
    # A word changed in the common text is no personal text: nothing quoted for them.
    assert not set(edited) & set(campaign.additions)
    assert not set(exact) & set(campaign.additions)


@pytest.mark.parametrize(
    "added",
    [
        "Aucune",
        "aucune.",
        "Rien à ajouter",
        "Merci, cordialement.",
        "Je vous prie d'agréer mes salutations distinguées.",
        "Sylvie",
        "Jean Dupont, Lyon",
        "ok !",
        "Je suis pour",
        "75011",
    ],
)
def test_a_trivial_addition_is_no_personal_text(added):
    real = "Dans ma commune, la secrétaire de mairie travaille seule deux jours par semaine."
    items = [(1, COMMON), (2, COMMON), (3, f"{COMMON} {added}"), (4, f"{COMMON} {real}")]

    campaign = find_campaigns(items)[0]

    assert campaign.member_ids == [1, 2, 3, 4]  # still a member, counted
    assert campaign.additions == {4: real}


def test_campaigns_of_a_corpus_without_copies():
    rng = random.Random(3)
    items = [(i, unrelated_text(rng)) for i in range(1, 200)] + [(200, ""), (201, "  ")]
    assert find_campaigns(items) == []
    assert find_campaigns([]) == []


# --- Themes ---------------------------------------------------------------------------------

VOCABULARIES = {
    "transport": "vélo route voiture piste cyclable bus train trajet circulation autoroute",
    "santé": "hôpital médecin santé patient soins urgence infirmier maladie clinique ordonnance",
    "école": "école enseignant élève classe professeur collège lycée cantine scolaire devoirs",
}
FILLER = (  # noqa: SIM905
    "je pense que il faut vraiment que ce projet change les choses pour nous tous car ce "
    "n'est pas acceptable en l'état"
).split()


def planted_theme_corpus(per_theme: int = 40):
    rng = random.Random(11)
    items, truth = [], {}
    for name, vocabulary in VOCABULARIES.items():
        words = vocabulary.split()
        for _ in range(per_theme):
            item_id = len(items) + 1
            sentence = rng.sample(words, 5) + rng.sample(FILLER, 6)
            rng.shuffle(sentence)
            text = " ".join(sentence).capitalize() + ". " + " ".join(rng.sample(words, 3)) + "."
            items.append((item_id, text))
            truth[item_id] = name
    rng.shuffle(items)
    return items, truth


def test_planted_themes_are_separated():
    items, truth = planted_theme_corpus()

    themes = find_themes(items, seed=0)

    assert len(themes) == 3
    found = set()
    for theme in themes:
        origin, count = Counter(truth[i] for i in theme.member_ids).most_common(1)[0]
        assert count >= 0.9 * len(theme.member_ids)
        found.add(origin)
        vocabulary = set(lemmas(VOCABULARIES[origin]))  # soins → soin
        assert set(theme.terms[:5]) <= vocabulary
        assert sum(term in vocabulary for term in theme.terms) >= 6
        assert 3 <= len(theme.excerpts) <= 5
        texts = dict(items)
        for item_id, quoted in theme.excerpts:
            assert item_id in theme.member_ids
            assert quoted.rstrip("…") in texts[item_id]
        word_sets = [set(lemmas(quoted)) for _, quoted in theme.excerpts]
        for i, first in enumerate(word_sets):
            for second in word_sets[i + 1 :]:
                assert len(first & second) / len(first | second) < 0.5
    assert found == set(VOCABULARIES)
    assert sum(len(t.member_ids) for t in themes) == len(items)


def test_position_and_all_purpose_words_are_not_theme_words():
    assert lemmas("Je ne suis pas pour les hôpitaux, mais contre l'école sans moyens.") == [
        "hôpital",
        "école",
        "moyen",
    ]
    assert lemmas("Il faut pouvoir faire plus de choses, je ne sais pas") == []


def test_a_theme_of_position_words_cannot_appear():
    """Texts on two subjects, each full of « ne, pas, mais, plus, pouvoir, savoir »: the themes
    are the subjects, and no theme's key terms are position or all-purpose words."""
    rng = random.Random(3)
    filler = "je ne sais pas mais on ne peut plus faire moins sans rien pour"
    subjects = {
        "transport": "bus train vélo gare ligne trajet",
        "santé": "médecin hôpital soin urgence infirmier patient",
    }
    items, truth = [], {}
    for item_id in range(60):
        name = list(subjects)[item_id % 2]
        words = rng.sample(subjects[name].split(), 4)
        items.append((item_id, f"{filler} {' '.join(words)}. Mais {filler}."))
        truth[item_id] = name
    themes = find_themes(items, seed=0)
    assert len(themes) >= 2
    function_words = {"ne", "pas", "mais", "plus", "moins", "pouvoir", "savoir", "faire"}
    for theme in themes:
        assert not set(theme.terms) & function_words
        assert len({truth[i] for i in theme.member_ids}) == 1


def test_too_few_texts_give_no_theme():
    items, _ = planted_theme_corpus(per_theme=6)
    assert find_themes(items[:19]) == []


def test_an_excerpt_is_a_verbatim_passage_of_bounded_length():
    text = (
        "Introduction sans rapport avec le sujet. " * 3
        + "Les pistes cyclables manquent sur la route départementale, "
        + "et le vélo devient dangereux pour les enfants qui vont au collège à vélo " * 6
        + ". Conclusion."
    )
    quoted = excerpt(text, {"vélo": 1.0, "piste": 0.5})
    assert len(quoted) <= 300
    assert quoted.startswith("Les pistes cyclables")
    assert quoted.endswith("…") and quoted[:-1] in text


# --- Opinion groups -------------------------------------------------------------------------


def planted_votes(seed: int, participants: int = 200, noise: float = 0.15, seen: float = 0.6):
    """Two camps vote opposite ways on statements 0–9 and 10–19; 20–28 get random votes;
    everyone agrees with 29. Ten participants vote only five times."""
    rng = random.Random(seed)
    votes, camp = [], {}
    for participant in range(1, participants + 1):
        camp[participant] = participant % 2
        for statement in range(30):
            if rng.random() > seen:
                continue
            if statement < 20:
                favoured = (statement < 10) == (camp[participant] == 0)
                value = 1 if favoured else -1
                if rng.random() < noise:
                    value = rng.choice((1, 0, -1))
            elif statement < 29:
                value = rng.choice((1, 0, -1))
            else:
                value = 1 if rng.random() > noise / 3 else 0
            votes.append((participant, ("contribution", statement), value))
    light = list(range(1_000, 1_010))
    votes += [(p, ("contribution", s), 1) for p in light for s in range(5)]
    return votes, camp, light


@pytest.mark.parametrize("seed", [1, 2])
def test_two_planted_opinion_groups_are_recovered(seed):
    votes, camp, light = planted_votes(seed)

    result = find_opinion_groups(votes, seed=seed)

    assert result.clear and result.reason == ""
    assert result.participants == 200 and result.statements == 30
    assert len(result.groups) == 2
    right = 0
    for group in result.groups:
        origin, count = Counter(camp.get(i) for i in group.member_ids).most_common(1)[0]
        right += count
        favoured = set(range(10)) if origin == 0 else set(range(10, 20))
        supported = {statement for _, statement in (s.statement for s in group.supports)}
        assert favoured <= supported
        assert all(s.group_agree > s.others_agree for s in group.supports)
    assert right >= 0.9 * 200
    members = {i for group in result.groups for i in group.member_ids}
    assert not members & set(light)
    assert result.consensus[0].statement == ("contribution", 29)
    assert ("contribution", 3) not in {s.statement for s in result.consensus}


def test_uniform_random_votes_show_no_clear_divide():
    rng = random.Random(5)
    votes = [
        (p, ("article", s), rng.choice((1, 0, -1)))
        for p in range(1, 301)
        for s in range(25)
        if rng.random() < 0.6
    ]

    result = find_opinion_groups(votes)

    assert not result.clear
    assert result.groups == []
    assert result.reason.startswith("Pas de clivage net")
    voted = Counter(participant for participant, _, _ in votes)
    assert result.participants == sum(count >= 7 for count in voted.values())


def test_too_few_participants_give_no_groups():
    votes, _, _ = planted_votes(3, participants=12)

    result = find_opinion_groups(votes)

    assert not result.clear and result.groups == []
    assert "Trop peu de participants" in result.reason
    assert result.participants <= 12
    assert find_opinion_groups([]).participants == 0


def test_non_answers_are_texts_without_content_words():
    from consultation.synthesis.analysis.nonanswers import is_non_answer

    for empty in ("RAS", "Non.", ".", "/", "sans avis", "rien à dire", "Je ne sais pas", "n.a"):
        assert is_non_answer(empty), empty
    for answer in ("Géothermie", "Santé, éducation", "Non au péage urbain", "L'État.", "Personne."):
        assert not is_non_answer(answer), answer


def test_words_a_consultation_is_about_are_theme_words():
    """« État » and « juste » are in the stop-words package's French list; a consultation is
    about them. (« personne » is left out of themes for another reason: NON_TOPICAL_WORDS.)"""
    from consultation.synthesis.analysis.themes import lemmas

    words = lemmas("L'État doit rendre la fiscalité plus juste pour les personnes âgées.")
    assert {"état", "juste"} <= set(words), words


def test_a_theme_is_named_by_the_phrases_people_write():
    from consultation.synthesis.analysis.themes import key_phrases

    texts = [
        "Développer les transports en commun dans les villages.",
        "Des Transports en commun gratuits, et l'impôt sur le revenu plus juste.",
        "Les transports en commun coûtent cher ; baisser l'impôt sur le revenu.",
        "Un impôt sur le revenu pour tous.",
    ]
    weights = {"transport": 1.0, "commun": 0.8, "impot": 0.9, "revenu": 0.7, "village": 0.1}

    phrases = key_phrases(texts, weights)

    assert phrases[:2] == ["transports en commun", "impôt sur le revenu"]
    assert "village" not in " ".join(phrases)  # in one text only

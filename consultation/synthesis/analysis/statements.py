"""Statement kinds: what each contribution does — propose, describe a problem, tell of a
personal experience, oppose a measure, ask a question.

A contribution can do several of these at once (« Je suis infirmière (experience) ; il manque
du personnel (problem) ; il faut recruter (proposal) »), so each sentence is classed, and a
contribution has every kind one of its sentences has. No trained model: each kind is a list of
French cues, below, looked for in lower case and without accents (so « JE SUIS CONTRE » and
« inegalite » count), at word boundaries, in the sentences and list items of
`text.sentence_spans`.

- **Proposal**: the sentence holds a proposal of `proposals.proposal_spans` (« il
  faudrait… », « Supprimer le Sénat. », « pourquoi ne pas… ? », « - réduction de… »).
- **Question**: the sentence ends with « ? » and is not a proposal (« Pourquoi ne pas taxer
  le kérosène ? » proposes; « Qui paiera ? » asks).
- **Experience**: one of `EXPERIENCE_CUES`, the first person telling of a situation (« je
  suis enseignante », « mon fils », « dans ma commune », « en tant que »…), but not the first
  person giving an opinion (`NOT_EXPERIENCE`: « je suis contre », « je suis d'accord »,
  « j'ai l'impression »…).
- **Opposition**: one of `OPPOSITION_CUES`, against a measure (« je suis contre », « non à »,
  « inacceptable », « retirer ce texte », « pas de nouvel impôt »…), or a sentence opening
  with a refusal of what was asked (`OPPOSITION_OPENINGS`: « Aucun. », « Aucune, faisons
  mieux avec ce que nous payons déjà »).
- **Problem**: one of `PROBLEM_CUES`, something described as wrong (« le problème », « trop
  de », « manque de », « de moins en moins », « injuste »…).

A sentence with none of these cues has no kind; so has a contribution with none (« RAS »,
« Non. », « / »). Limits: the cues are words, not an understanding: irony, a cue used in
another sense (« le problème est réglé ») or a kind expressed without any cue is misread.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from consultation.core.i18n import _l
from consultation.synthesis.analysis.proposals import SENTENCE_CACHE, fold, proposal_clauses
from consultation.synthesis.analysis.text import phrases_pattern, sentence_spans

KINDS = ("proposal", "problem", "experience", "opposition", "question")
KIND_LABELS = {
    "proposal": _l("Proposition"),
    "problem": _l("Problème décrit"),
    "experience": _l("Expérience personnelle"),
    "opposition": _l("Opposition à une mesure"),
    "question": _l("Question"),
}

EXPERIENCE_CUES = (
    "je suis",
    "j'ai",
    "je vis",
    "j'habite",
    "je travaille",
    "j'enseigne",
    "je paie",
    "je paye",
    "je touche",
    "je perçois",
    "je gagne",
    "je subis",
    "je connais",
    "je me suis",
    "je me retrouve",
    "nous vivons",
    "nous habitons",
    "nous avons dû",
    "moi-même",
    "moi même",
    "mon fils",
    "ma fille",
    "mes enfants",
    "mon enfant",
    "mon mari",
    "ma femme",
    "mon épouse",
    "mon époux",
    "mon conjoint",
    "ma conjointe",
    "mon compagnon",
    "ma compagne",
    "ma mère",
    "mon père",
    "mes parents",
    "ma famille",
    "ma grand-mère",
    "mon grand-père",
    "ma sœur",
    "mon frère",
    "mon ex",
    "mon employeur",
    "mon patron",
    "mon médecin",
    "mon salaire",
    "ma retraite",
    "ma pension",
    "chez nous",
    "dans ma commune",
    "dans mon village",
    "dans ma ville",
    "dans mon quartier",
    "dans ma région",
    "dans mon département",
    "dans mon entreprise",
    "dans mon métier",
    "dans mon travail",
    "dans mon école",
    "dans mon service",
    "en tant que",
    "personnellement",
    "pour ma part",
    "de mon côté",
    "à titre personnel",
    "mon expérience",
    "par expérience",
    "j'ai vécu",
    "je l'ai vécu",
    "étant retraité",
    "étant retraitée",
    "chez moi",
    "mon logement",
    "ma maison",
    "notre maison",
    "mon appartement",
    "mon habitation",
    "mon jardin",
    "ma voiture",
    "mon véhicule",
    "mon travail",
    "mon quotidien",
    "ma vie",
    "je dirige",
    "je roule",
    "je trie",
    "je composte",
    "je recycle",
    "j'achète",
    "je consomme",
    "j'utilise",
    "je prends",
    "je fais",
    "je me déplace",
    "je ne peux pas",
    "nous faisons",
    "nous utilisons",
    "nous avons",
    "nous polluons",
)
# The first person giving an opinion rather than telling of a situation.
NOT_EXPERIENCE = (
    "je suis contre",
    "je suis pour",
    "je suis favorable",
    "je suis défavorable",
    "je suis d'accord",
    "je suis pas d'accord",
    "je suis opposé",
    "je suis opposée",
    "je suis choqué",
    "je suis choquée",
    "je suis scandalisé",
    "je suis scandalisée",
    "je suis convaincu",
    "je suis convaincue",
    "je suis persuadé",
    "je suis persuadée",
    "je suis sûr",
    "je suis sûre",
    "je suis certain",
    "je suis certaine",
    "je suis étonné",
    "je suis étonnée",
    "je suis surpris",
    "je suis surprise",
    "je suis inquiet",
    "je suis inquiète",
    "j'ai l'impression",
    "j'ai le sentiment",
    "j'ai lu",
    "j'ai bien lu",
    "j'ai entendu",
    "j'ai compris",
    "j'ai l'honneur",
)
OPPOSITION_CUES = (
    "je suis contre",
    "nous sommes contre",
    "suis totalement contre",
    "je m'oppose",
    "nous nous opposons",
    "opposé à",
    "opposée à",
    "opposés à",
    "opposition à",
    "non à",
    "non au",
    "non aux",
    "pas d'accord",
    "en désaccord",
    "je refuse",
    "nous refusons",
    "refuse",
    "je rejette",
    "inacceptable",
    "intolérable",
    "scandaleux",
    "scandaleuse",
    "un scandale",
    "honteux",
    "honteuse",
    "une honte",
    "abandonner ce projet",
    "abandonnez",
    "retirer ce texte",
    "retirer cette",
    "retirez",
    "retrait de",
    "retrait du",
    "défavorable",
    "contre cette réforme",
    "contre ce projet",
    "contre cette loi",
    "contre ce texte",
    "contre la réforme",
    "contre le projet",
    "stop à",
    "halte à",
    "je m'insurge",
    "aberrant",
    "aberrante",
    "n'importe quoi",
    "en aucun cas",
    "pas question",
    "hors de question",
    "une erreur",
    "une aberration",
    "mauvaise idée",
    "mauvaise réforme",
    "je ne veux pas",
    "je ne veux plus",
    "nous ne voulons pas",
    "nous ne voulons plus",
    "il n'y a pas lieu",
    "pas lieu de",
    "pas besoin de",
    "inutile",
    "ne sert à rien",
    "ne servent à rien",
    "contre-productif",
    "contreproductif",
    "déjà assez",
    "paye déjà",
    "payons déjà",
    "paie déjà",
    "sans payer plus",
    "avant de payer plus",
    "pas de hausse",
    "pas d'augmentation",
    "pas de nouvel impôt",
    "pas de nouveaux impôts",
    "pas de nouvelle taxe",
    "pas de nouvelles taxes",
    "pas plus d'impôts",
    "question biaisée",
)
# Answers that open by refusing what was asked (« Aucun. », « Aucune, faisons mieux… »): an
# opposition when they open a sentence.
OPPOSITION_OPENINGS = ("aucun", "aucune", "aucuns", "aucunes", "plus aucun", "plus aucune")
PROBLEM_CUES = (
    "problème",
    "problèmes",
    "inadmissible",
    "anormal",
    "pas normal",
    "ça normal",
    "cela normal",
    "pollution",
    "pollue",
    "polluent",
    "pollueurs",
    "surconsommation",
    "gaspillage",
    "corruption",
    "conflits d'intérêts",
    "fraude",
    "triche",
    "trichent",
    "chômage",
    "déconnecté",
    "déconnectés",
    "déconnectées",
    "aucune confiance",
    "plus confiance",
    "pas confiance",
    "pression fiscale",
    "trop d'impôts",
    "trop de taxes",
    "le plus de taxes",
    "mal géré",
    "mal gérés",
    "coûteux",
    "coûte cher",
    "endommagé",
    "détruit",
    "détruisent",
    "massacrent",
    "désinformation",
    "isole",
    "isolées",
    "disparition",
    "disparu",
    "disparaissent",
    "catastrophe",
    "catastrophes",
    "désastre",
    "sécheresse",
    "canicule",
    "canicules",
    "caniculaires",
    "incendie",
    "incendies",
    "inondation",
    "inondations",
    "maladies",
    "cancers",
    "pollutions",
    "impacte",
    "impactent",
    "spéculation",
    "lobbying",
    "lobbies",
    "mondialisation",
    "aberrant",
    "aberrante",
    "ne sont plus",
    "n'est plus",
    "n'a plus",
    "alarmant",
    "alarmantes",
    "impossible",
    "millefeuille",
    "mille-feuille",
    "gâchis",
    "problématique",
    "trop de",
    "trop peu",
    "trop cher",
    "trop chère",
    "trop chers",
    "trop long",
    "trop longs",
    "trop élevé",
    "trop élevés",
    "pas assez",
    "manque de",
    "manque d'",
    "il manque",
    "manquent",
    "il n'y a plus",
    "il n'y a pas assez",
    "il n'y a aucun",
    "il n'y a aucune",
    "de moins en moins",
    "inégalité",
    "inégalités",
    "inégal",
    "injuste",
    "injustes",
    "injustice",
    "difficile de",
    "difficile d'",
    "difficultés",
    "impossible de",
    "impossible d'",
    "ne fonctionne pas",
    "ne fonctionne plus",
    "ne marche pas",
    "ne marche plus",
    "dysfonctionnement",
    "dysfonctionnements",
    "abandonné",
    "abandonnés",
    "délaissé",
    "délaissés",
    "précarité",
    "précaire",
    "pauvreté",
    "discrimination",
    "discriminations",
    "insuffisant",
    "insuffisante",
    "insuffisants",
    "insuffisance",
    "dégradation",
    "se dégrade",
    "se dégradent",
    "désert médical",
    "déserts médicaux",
    "saturé",
    "saturés",
    "n'arrive pas à",
    "n'arrivent pas à",
    "n'arrive plus à",
    "n'arrivent plus à",
    "on ne peut pas",
    "on ne peut plus",
    "souffrent",
    "souffrance",
    "violences",
    "harcèlement",
    "retard",
    "délais",
    "attente",
    "pénurie",
    "galère",
    "isolement",
    "isolés",
)


def classify(text: str) -> set[str]:
    """The kinds of `text` (a subset of `KINDS`): every kind one of its sentences has."""
    return {kind for _, _, kind in classify_sentences(text)}


def classify_sentences(text: str) -> list[tuple[int, int, str]]:
    """`(start, end, kind)` for each kind of each sentence or list item of `text`, in order
    (a sentence of several kinds comes once per kind, in the order of `KINDS`)."""
    text = text or ""
    folded = fold(text)
    sentences = sentence_spans(text)
    proposals = proposal_clauses(text, folded, sentences)
    found = []
    for start, end, _ in sentences:
        proposal = any(start <= first < end for first, _ in proposals)
        for kind in sorted(_kinds(folded[start:end], proposal), key=KINDS.index):
            found.append((start, end, kind))
    return found


@lru_cache(maxsize=SENTENCE_CACHE)
def _kinds(folded: str, proposal: bool) -> frozenset[str]:
    """The kinds of one sentence, folded (`proposals.fold`), which holds a proposal or not; a
    sentence sent many times, in a campaign, is read once."""
    kinds: set[str] = set()
    if proposal:
        kinds.add("proposal")
    elif folded.rstrip(" \"'»”)").endswith("?"):
        kinds.add("question")
    if _refusal().match(folded):
        kinds.add("opposition")
    pattern, kinds_of = _cues()
    for cue in pattern.finditer(folded):
        kinds |= kinds_of[" ".join(cue.group().split())]
    return frozenset(kinds)


@cache
def _refusal() -> re.Pattern[str]:
    openings = phrases_pattern(fold(opening) for opening in OPPOSITION_OPENINGS)
    return re.compile(rf"\W*{openings}(?![^\W_])")


@cache
def _cues() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One pattern finding every cue of the three lists (and of `NOT_EXPERIENCE`), longest
    first, and the kinds each phrase found stands for: those of every cue it contains (« je
    suis pas d'accord » is an opposition), experience left out of `NOT_EXPERIENCE`'s."""
    lists = {
        "experience": EXPERIENCE_CUES,
        "opposition": OPPOSITION_CUES,
        "problem": PROBLEM_CUES,
        "not_experience": NOT_EXPERIENCE,
    }
    phrases = {fold(cue) for cues in lists.values() for cue in cues}
    folded = {kind: {fold(cue) for cue in cues} for kind, cues in lists.items()}
    kinds_of = {}
    for phrase in phrases:
        kinds = {
            kind
            for kind in ("experience", "opposition", "problem")
            for cue in folded[kind]
            if re.search(rf"(?<![^\W_]){re.escape(cue)}(?:(?![^\W_])|(?<='))", phrase)
        }
        if phrase in folded["not_experience"]:
            kinds.discard("experience")
        kinds_of[phrase] = frozenset(kinds)
    alternatives = phrases_pattern(phrases)
    return re.compile(rf"(?<![^\W_]){alternatives}(?:(?![^\W_])|(?<='))"), kinds_of

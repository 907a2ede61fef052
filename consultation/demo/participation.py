"""Demonstration participation in the closed consultation, so that its synthesis has matter.

Forty residents took part in the water plan while it was open: arguments for and against
on each article, proposed wordings, a source, and one text sent six times with small changes
(a campaign, two of its copies with a sentence of their own). Their opinions split in two camps
— those who put farming first and those who put the rivers first — which the drafted
synthesis finds as opinion groups. Everything goes through the participation services, dated
inside the consultation's open period.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from consultation.accounts import services as accounts
from consultation.consultations.models import Consultation
from consultation.participation import services as participation
from consultation.participation.models import Contribution

RESIDENTS = 40  # the first half put farming first, the second half the rivers

CAMPAIGN = (
    "L'eau potable doit rester la première priorité en période de sécheresse, avant tout usage "
    "économique. Je soutiens l'ordre des priorités fixé par l'article 4 et demande qu'il soit "
    "appliqué sans dérogation dans chaque département."
)
CAMPAIGN_VARIANTS = (
    CAMPAIGN,
    CAMPAIGN.upper(),
    CAMPAIGN.replace("sans dérogation", "sans aucune dérogation"),
    CAMPAIGN.replace(", avant", " avant"),
    CAMPAIGN + " Dans ma commune, les puits étaient à sec en août 2022.",
    CAMPAIGN + " Les restrictions doivent aussi viser les golfs et les piscines privées.",
)

# (article address, kind, position, title, body, proposed text, camp that wrote it)
CONTRIBUTIONS = (
    (
        "1",
        "argument",
        "for",
        "Un objectif mesurable",
        "Un objectif chiffré de réduction des prélèvements permet de suivre les efforts de chaque "
        "secteur et d'éviter les promesses vagues.",
        "",
        "rivers",
    ),
    (
        "1",
        "argument",
        "against",
        "Un objectif uniforme",
        "Réduire de 10 % partout ignore les territoires où l'irrigation est déjà très économe ; "
        "l'objectif doit être modulé selon les bassins.",
        "",
        "farming",
    ),
    (
        "1",
        "amendment",
        None,
        "Moduler selon les bassins",
        "L'effort doit tenir compte de la situation de chaque bassin versant.",
        "Les prélèvements d'eau douce sont réduits de 10 % en 2030 par rapport à 2019, selon des "
        "objectifs modulés par bassin versant.",
        "farming",
    ),
    (
        "2",
        "argument",
        "for",
        "La tarification progressive responsabilise",
        "Une première tranche à tarif réduit protège les besoins essentiels tout en faisant payer "
        "davantage les consommations de confort.",
        "",
        "rivers",
    ),
    (
        "2",
        "argument",
        "against",
        "Le comptage coûte cher aux petites exploitations",
        "Le comptage télétransmis impose un équipement coûteux aux petites exploitations "
        "agricoles, sans aide prévue.",
        "",
        "farming",
    ),
    (
        "2",
        "amendment",
        None,
        "Aider l'équipement en compteurs",
        "Sans aide, l'obligation de comptage pèsera sur les plus petits préleveurs.",
        "Les prélèvements d'une capacité supérieure à 7 000 mètres cubes par an font l'objet d'un "
        "comptage télétransmis, dont l'équipement est aidé par les agences de l'eau.",
        "farming",
    ),
    (
        "3",
        "argument",
        "for",
        "Réutiliser plutôt que prélever",
        "Chaque mètre cube d'eaux usées traitées réutilisé est un mètre cube qui reste dans la "
        "rivière.",
        "",
        "rivers",
    ),
    (
        "3",
        "argument",
        "against",
        "Des risques sanitaires à encadrer",
        "La réutilisation pour l'arrosage des cultures maraîchères demande des contrôles "
        "sanitaires stricts, que le texte renvoie à un arrêté.",
        "",
        "rivers",
    ),
    (
        "4",
        "argument",
        "for",
        "Les milieux aquatiques avant l'économie",
        "Sans rivières vivantes, il n'y a plus d'eau pour personne : les milieux doivent passer "
        "avant les usages économiques.",
        "",
        "rivers",
    ),
    (
        "4",
        "argument",
        "against",
        "La sécurité alimentaire d'abord",
        "L'irrigation des cultures vivrières conditionne la sécurité alimentaire ; elle doit venir "
        "juste après l'eau potable.",
        "",
        "farming",
    ),
    (
        "4",
        "amendment",
        None,
        "Placer l'irrigation vivrière en deuxième rang",
        "L'alimentation des populations dépend de l'irrigation en été.",
        "En période de sécheresse, les usages sont hiérarchisés dans l'ordre suivant : 1° "
        "l'alimentation en eau potable ; 2° l'irrigation des cultures vivrières ; 3° la "
        "préservation des milieux aquatiques.",
        "farming",
    ),
)


def add_participation(consultation: Consultation) -> int:
    """Residents' contributions and votes in `consultation` (closed, just created). Returns the
    number of contributions. The residents have no password: nobody signs in as them."""
    rng = random.Random(2026)
    opens_at, _closes_at = consultation.dates()
    residents = [
        accounts.create_user(
            f"habitant{index:02d}@demo.consultation.localhost",
            display_name=f"Habitant {index:02d}",
            verified=True,
            now=opens_at - timedelta(days=1),
        )
        for index in range(1, RESIDENTS + 1)
    ]
    farming, rivers = residents[: RESIDENTS // 2], residents[RESIDENTS // 2 :]
    articles = {article.slug: article for article in consultation.current_version.articles}
    moment = _clock(opens_at)
    written: list[tuple[Contribution, str]] = []
    for number, kind, position, title, body, proposed, camp in CONTRIBUTIONS:
        author = rng.choice(farming if camp == "farming" else rivers)
        item = participation.submit_contribution(
            author,
            consultation,
            kind=kind,
            article_id=articles[number].id,
            position=position,
            title=title,
            body=body,
            proposed_text=proposed,
            now=next(moment),
        )
        written.append((item, camp))
    for author, text in zip(residents[:6], CAMPAIGN_VARIANTS, strict=True):
        item = participation.submit_contribution(
            author,
            consultation,
            kind="comment",
            article_id=articles["4"].id,
            body=text,
            now=next(moment),
        )
        written.append((item, "campaign"))
    participation.submit_contribution(
        residents[-1],
        consultation,
        kind="source",
        title="Prélèvements d'eau par usage",
        url="https://www.ecologie.gouv.fr/politiques-publiques/gestion-leau",
        body="Les chiffres des prélèvements par usage, publiés par le ministère.",
        now=next(moment),
    )
    for resident in residents:
        _vote_as_camp(rng, resident, resident in farming, written, articles, moment)
    return len(written) + 1


def _vote_as_camp(rng, resident, farms: bool, written, articles, moment) -> None:
    """Agree with one's own camp, disagree with the other, a few mixed or unseen."""
    for item, camp in written:
        if rng.random() < 0.15 or item.author_id == resident.id:
            continue  # not seen
        if camp == "campaign":
            value = "agree"  # drinking water first: everyone agrees
        elif rng.random() < 0.1:
            value = "mixed"
        else:
            value = "agree" if (camp == "farming") == farms else "disagree"
        participation.cast_contribution_vote(resident, item, value, now=next(moment))
    for number, article in articles.items():
        value = "agree" if (number in ("1", "3")) != farms else "disagree"
        participation.cast_article_vote(resident, article, value, now=next(moment))


def _clock(start: datetime):
    """Successive moments a few minutes apart from the opening on."""
    moment = start + timedelta(hours=1)
    while True:
        yield moment
        moment += timedelta(minutes=7)


# --- The open bill: a living consultation ---------------------------------------------------

CITIZENS = 8

# (key, author, kind, article address, alinéa, position, title, body, proposed text, url)
# Authors: "camille", "association", "lecteur" (demo accounts one can sign in as) or a citizen's
# number. Replies name the key of the contribution they answer.
OPEN_CONTRIBUTIONS = (
    (
        "by-default",
        "camille",
        "argument",
        "1",
        None,
        "for",
        "La publication par défaut change la culture administrative",
        "Publier sans attendre qu'on le demande évite des mois de demandes d'accès et de "
        "recours : c'est la mesure la plus utile du texte.",
        "",
        "",
    ),
    (
        "threshold",
        1,
        "argument",
        "1",
        2,
        "against",
        "Le seuil de cinquante agents exclut trop d'administrations",
        "La plupart des communes et des établissements publics ont moins de cinquante agents : "
        "ce seuil vide l'obligation d'une bonne partie de son sens.",
        "",
        "",
    ),
    (
        "twenty",
        "association",
        "amendment",
        "1",
        2,
        None,
        "Abaisser le seuil à vingt agents",
        "Un seuil de vingt agents garde une exemption pour les très petites structures sans "
        "priver le public de la plupart des documents.",
        "Cette obligation ne s'applique pas aux administrations employant moins de vingt agents "
        "ni aux collectivités territoriales de moins de 1 000 habitants.",
        "",
    ),
    (
        "fee",
        2,
        "amendment",
        "3",
        2,
        None,
        "Supprimer la redevance",
        "Une redevance, même plafonnée, décourage les petites réutilisations ; la gratuité doit "
        "être la règle sans exception.",
        "Aucune redevance ne peut être établie pour la réutilisation des informations publiques.",
        "",
    ),
    (
        "algorithms",
        3,
        "new_article",
        "4",
        None,
        None,
        "Article 4 bis – Registre des algorithmes publics",
        "Les personnes doivent savoir quand un algorithme intervient dans une décision qui les "
        "concerne.",
        "Les administrations publient en ligne la liste des traitements algorithmiques qui "
        "fondent des décisions individuelles, avec les règles qui les définissent.",
        "",
    ),
    (
        "open-access",
        "lecteur",
        "source",
        "5",
        None,
        None,
        "Le plan national pour la science ouverte",
        "Le plan national décrit les engagements de la France pour l'accès ouvert aux "
        "publications issues de la recherche publique.",
        "",
        "https://www.ouvrirlascience.fr/",
    ),
    (
        "neutrality",
        4,
        "comment",
        "7",
        1,
        None,
        "",
        "Qui contrôlera le respect de la neutralité ? L'article ne désigne pas d'autorité.",
        "",
        "",
    ),
    (
        "death",
        5,
        "argument",
        "9",
        None,
        "for",
        "Enfin des règles pour les comptes des personnes décédées",
        "Les familles sont aujourd'hui démunies face aux plateformes : des directives claires "
        "leur éviteront des démarches pénibles.",
        "",
        "",
    ),
    (
        "whole",
        6,
        "comment",
        None,
        None,
        None,
        "",
        "Le texte avance sur l'ouverture des données mais reste timide sur l'inclusion numérique.",
        "",
        "",
    ),
    (
        "accessibility",
        7,
        "argument",
        "11",
        None,
        "against",
        "Sans sanction, l'obligation restera lettre morte",
        "L'accessibilité des sites publics est obligatoire depuis des années et reste rare : "
        "il faut une sanction et un délai.",
        "",
        "",
    ),
)
OPEN_REPLIES = (
    ("threshold", "camille", "D'accord : dans ma commune de 2 000 habitants rien n'est publié."),
    ("neutrality", 2, "L'Arcep contrôle déjà la neutralité : il suffirait de la citer."),
    ("algorithms", "association", "Nous soutenons cette proposition et sa publication en ligne."),
)
EDITED = {
    "threshold": "La plupart des communes et des établissements publics ont moins de cinquante "
    "agents : ce seuil vide l'obligation d'une bonne partie de son sens. Un seuil plus bas, "
    "avec un délai d'adaptation, serait plus juste."
}
ANSWERED = (
    (
        "twenty",
        "under_study",
        "Le ministère étudie l'effet d'un seuil plus bas sur les petites collectivités ; la "
        "réponse sera donnée dans la synthèse.",
    ),
)


def add_open_participation(consultation: Consultation, organiser, accounts_by_name: dict) -> int:
    """Votes, every kind of contribution, replies, an edit and an official answer in the open
    `consultation` (just published), dated from its opening to now, so that a newcomer finds a
    living consultation; the demo accounts `accounts_by_name` ("camille", "association",
    "lecteur") take part, so that signing in as one shows their contributions' status.
    Everything goes through the services. Returns the number of contributions."""
    from consultation.synthesis import services as answers  # the demo sits above every domain

    rng = random.Random(2027)
    opens_at, _closes_at = consultation.dates()
    citizens = {
        index: accounts.create_user(
            f"citoyen{index:02d}@demo.consultation.localhost",
            display_name=f"Citoyenne ou citoyen {index:02d}",
            verified=True,
            now=opens_at - timedelta(days=1),
        )
        for index in range(1, CITIZENS + 1)
    }
    people = {**accounts_by_name, **citizens}
    articles = {article.slug: article for article in consultation.current_version.articles}
    moment = _clock(opens_at + timedelta(hours=1))
    written: dict[str, Contribution] = {}
    for spec in OPEN_CONTRIBUTIONS:
        key, who, kind, number, paragraph, position, title, body, proposed, url = spec
        written[key] = participation.submit_contribution(
            people[who],
            consultation,
            kind=kind,
            article_id=articles[number].id if number else None,
            paragraph=paragraph,
            position=position,
            title=title,
            body=body,
            proposed_text=proposed,
            url=url,
            now=next(moment),
        )
    replies = [
        participation.submit_contribution(
            people[who],
            consultation,
            kind="comment",
            body=body,
            article_id=written[key].article_id,
            parent_id=written[key].id,
            now=next(moment),
        )
        for key, who, body in OPEN_REPLIES
    ]
    for key, body in EDITED.items():
        item = written[key]
        participation.edit_contribution(
            item.author, item, {"body": body, "title": item.title}, now=next(moment)
        )
    for key, status, body in ANSWERED:
        answers.answer_contribution(organiser, written[key], status, body, now=next(moment))
    for person in people.values():
        for item in [*written.values(), *replies]:
            if item.author_id == person.id or rng.random() < 0.4:
                continue
            value = rng.choices(("agree", "mixed", "disagree"), weights=(5, 2, 2))[0]
            participation.cast_contribution_vote(person, item, value, now=next(moment))
        for article in list(articles.values())[:6]:
            if rng.random() < 0.3:
                continue
            value = rng.choices(("agree", "mixed", "disagree"), weights=(5, 2, 2))[0]
            participation.cast_article_vote(person, article, value, now=next(moment))
    return len(written) + len(replies)

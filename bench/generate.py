"""Fill a database with one consultation at the reference volume "RN×10" (SPEC §8).

    .venv/bin/python bench/generate.py [--database-url URL] [--scale 1.0] [--tokens 2000]
                                       [--out bench/out]

At scale 1.0: one open consultation of a 40-article bill, 200,000 verified participants,
85,000 contributions of the five kinds and 1.5 million votes (1,000,000 on articles, 500,000 on
contributions), all in French-like text. `--scale 0.01` gives a quick small run.

The database is emptied, then built by the Alembic migrations. The institution, the organiser
and the consultation go through the services; the volume is bulk-loaded (the driver's
executemany on SQLite, `COPY … FROM STDIN` on PostgreSQL), mirroring what `submit_contribution`
and `record_vote` would write. The counters are then filled by `tallies.recount` and checked
against the votes with SQL aggregates.

The consultation's tamper-evident record is written as the application writes it: the
opening checkpoint is signed by the service at the opening time; then one entry per
submission and per vote, in chronological order, each row made by `ledger.entry_row` (the
function `ledger.append` inserts through: canonical leaf, pseudonym, text commitment, leaf
hash), bulk-loaded, and the head moved to their number; then the service signs the hourly
checkpoint over all of them (it folds the new leaf hashes onto the opening checkpoint's
frontier). Checks at the end: the head's size, the number of entries and the checkpoint's size
agree, the signed root equals `merkle.root` of the stored leaf hashes, and the data announced
for a sample of contributions equals what the app's own `_recorded` makes of the stored rows.
SECRET_KEY (pseudonyms) and LEDGER_SIGNING_KEY come from `OUT/instance/`, kept between runs;
`bench/export.py` serves and verifies the record with them.

Default database: a SQLite file `OUT/rn10.db` (deleted first). PostgreSQL:
`--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench`; the database is created
if missing and its `public` schema dropped and re-created. The database `test` is refused.

Every participant (and the organiser) has the password `bench-password-1234`: one hash is
computed by the app's own hashing and shared by every row. Writes:

- `OUT/tokens.txt`: personal API tokens of the first `--tokens` participants, one per line;
- `OUT/run.json`: the database URL, the consultation slug, its article ids and URL numbers,
  a sample of top-level contribution ids, the tokens file, the instance folder (keys), the
  row counts and the record's size and signed root.

Content is drawn from `random.Random(2026)`; only secrets (tracking numbers, shuffle keys,
session nonces, tokens) come from the services' own generators and differ between runs.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import re
import secrets
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CONSULTATION_ENV", "development")

import flask_migrate  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from config import normalize_database_url  # noqa: E402
from consultation import create_app  # noqa: E402
from consultation.accounts import services as accounts  # noqa: E402
from consultation.accounts.models import OrganisationCategory, ProfileType, Role, User  # noqa: E402
from consultation.consultations import services as consultations  # noqa: E402
from consultation.consultations.models import Consultation  # noqa: E402
from consultation.core import clock  # noqa: E402
from consultation.core.canonical import new_salt, salted_digest  # noqa: E402
from consultation.core.text import slugify  # noqa: E402
from consultation.extensions import db  # noqa: E402
from consultation.ledger import merkle  # noqa: E402
from consultation.ledger import services as ledger  # noqa: E402
from consultation.ledger.models import LedgerCheckpoint, LedgerEntry, LedgerHead  # noqa: E402
from consultation.participation import tallies  # noqa: E402
from consultation.participation.contributions import _recorded  # noqa: E402
from consultation.participation.models import (  # noqa: E402
    ArticleVote,
    Contribution,
    ContributionVote,
    OfflineChannel,
    Opinion,
    new_shuffle_key,
)
from consultation.participation.services import new_tracking_number, public_author  # noqa: E402
from consultation.texts.models import Article, TextVersion  # noqa: E402

PASSWORD = "bench-password-1234"
SEED = 2026
BATCH = 10_000
ARTICLES = 40
# Volumes at scale 1.0 ("RN×10").
USERS = 200_000
CONTRIBUTIONS = 85_000
ARTICLE_VOTES = 1_000_000
CONTRIBUTION_VOTES = 500_000
# Shares of the contributions; comments take the rest, a third of them replies.
KIND_SHARES = {"argument": 0.45, "amendment": 0.15, "new_article": 0.05, "source": 0.05}
REPLY_SHARE = 0.10
WHOLE_TEXT_COMMENTS = 250  # at scale 1.0, on the text as a whole (article_id NULL)
WHOLE_TEXT_SOURCES = 50
OFFLINE_OBSERVATIONS = 400
ORGANISATION_SHARE = 0.05
OPEN_DAYS_SO_FAR = 12
DAYS_LEFT = 30
EMAIL = "p{:06d}@bench.consultation.localhost"
OPINIONS = [opinion.value for opinion in Opinion]

# --- French-like text ---------------------------------------------------------------------
# Word lists are written as one string and split (SIM905): they read better that way.

FIRST_NAMES = (  # noqa: SIM905
    "Camille Claude Dominique Alix Sacha Jean Marie Pierre Louise Jeanne Paul Lucie Hugo Léa "
    "Thomas Chloé Nicolas Manon Julien Inès Antoine Sarah Mathieu Emma Nathalie Karim Yasmine "
    "François Isabelle Olivier Sophie Mehdi Fatou Benoît Hélène Théo Clémence Arnaud Agathe "
    "Rémi Gaëlle Yannick Solène Bruno Amina Vincent Margaux Loïc Élodie Gilles Anaïs Pascal "
    "Nadia"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier "
    "Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Perrin Robin Clément "
    "Morin Nicolas Henry"
).split()
PSEUDONYM_WORDS = (  # noqa: SIM905
    "citoyen citoyenne lecteur lectrice usager usagère voisin riverain curieux vigilant "
    "engagé libre ouvert rural urbain breton normand alsacien provençal numérique"
).split()
CITIES = (  # noqa: SIM905
    "Lyon Lille Nantes Rennes Brest Dijon Tours Metz Nancy Rouen Caen Amiens Limoges Poitiers "
    "Besançon Grenoble Annecy Nîmes Perpignan Pau Bayonne Ajaccio Valence Albi Quimper Colmar"
).split()
ORGANISATIONS = {
    OrganisationCategory.association: (
        "Association pour l'accès au numérique de {city}",
        "Fédération des usagers du service public de {city}",
        "Association Données citoyennes {city}",
        "Collectif Nature et Territoires de {city}",
    ),
    OrganisationCategory.company: ("{name} SAS", "{name} Conseil", "Groupe {name}"),
    OrganisationCategory.union: (
        "Syndicat national des {trade}",
        "Union régionale des {trade} de {city}",
        "Chambre professionnelle des {trade}",
    ),
    OrganisationCategory.public_body: (
        "Commune de {city}",
        "Métropole de {city}",
        "Centre communal d'action sociale de {city}",
    ),
    OrganisationCategory.academic: ("Université de {city}", "Laboratoire {name} (CNRS, {city})"),
    OrganisationCategory.other: ("Fondation {name}", "Collectif citoyen de {city}"),
}
COMPANY_SYLLABLES = (  # noqa: SIM905
    "da ta nu me ria lis vo xa ne po li ca ra so fi"
).split()
TRADES = (  # noqa: SIM905
    "éditeurs de logiciels, bibliothécaires, secrétaires de mairie, opérateurs de réseaux, "
    "archivistes, agents territoriaux, enseignants du numérique"
).split(", ")
HATVP_CATEGORIES = {
    OrganisationCategory.association,
    OrganisationCategory.company,
    OrganisationCategory.union,
}

SUBJECTS = (  # noqa: SIM905
    "Cet article, Cette disposition, La rédaction actuelle, Le dispositif proposé, "
    "Le délai prévu, L'obligation ainsi créée, La mesure envisagée, Le renvoi à un décret, "
    "Le texte, Ce principe, L'alinéa premier, La dérogation prévue, Le seuil retenu, "
    "Le calendrier annoncé, Cette réforme"
).split(", ")
PREDICATES = (
    "va dans le bon sens",
    "laisse trop de place à l'interprétation",
    "ne tient pas compte de la situation des territoires ruraux",
    "risque de pénaliser les petites structures",
    "renforce la confiance des citoyens dans l'action publique",
    "doit s'accompagner de moyens humains et financiers",
    "reprend une demande ancienne des associations",
    "crée une charge nouvelle pour les collectivités",
    "manque d'un calendrier de mise en œuvre",
    "protège mieux les données des usagers",
    "répond à une attente forte du terrain",
    "pose une difficulté pratique pour les agents",
    "gagnerait à faire l'objet d'une évaluation au bout de trois ans",
    "ouvre la voie à des contentieux inutiles",
    "améliore l'accès de tous aux services publics",
    "ne dit rien de la question du financement",
    "complique inutilement les démarches des usagers",
    "favorise la réutilisation des données publiques",
    "s'inscrit dans la continuité de la loi de 2016",
    "contredit l'objectif affiché par l'exposé des motifs",
)
CONNECTORS = (  # noqa: SIM905
    "En effet, Par ailleurs, De plus, Cependant, À mon sens, Concrètement, Sur le terrain, "
    "Pour les associations, Dans ma commune, Selon nous, En l'état, Toutefois"
).split(", ")
OPENERS = (
    "Je propose de",
    "Il faudrait",
    "Nous demandons de",
    "Il serait utile de",
    "Le législateur devrait",
)
PROPOSALS = (
    "préciser la notion de données de référence",
    "prévoir une évaluation publique au bout de trois ans",
    "associer les usagers à la définition des standards",
    "fixer un délai plus court pour la publication",
    "exclure les communes de moins de mille habitants",
    "confier le contrôle à une autorité indépendante",
    "publier les résultats dans un format ouvert",
    "garantir une voie d'accès non numérique",
    "supprimer le renvoi à un décret en Conseil d'État",
    "mentionner explicitement les personnes en situation de handicap",
    "prévoir une phase d'expérimentation dans quelques départements",
    "rendre les sanctions proportionnées à la taille de l'organisme",
)
ROLES = (
    "agent territorial",
    "enseignante",
    "chef d'entreprise",
    "bénévole dans une association",
    "retraité",
    "élue municipale",
    "développeur",
    "parent d'élève",
)
OBSERVATIONS = (
    "les démarches en ligne restent difficiles pour beaucoup d'usagers",
    "les données publiées sont rarement à jour",
    "les délais actuels ne sont pas tenus",
    "peu de gens connaissent leurs droits en la matière",
    "les petites structures n'ont pas les moyens de s'adapter",
    "la couverture du réseau reste inégale selon les quartiers",
)
TOPICS = (
    "l'ouverture des données publiques",
    "l'accessibilité numérique",
    "la neutralité du réseau",
    "la protection des données personnelles",
    "l'inclusion numérique",
    "la fracture territoriale",
    "la cybersécurité des collectivités",
    "les logiciels libres dans l'administration",
)
KIND_OPENINGS = {
    "for": ("Je soutiens cet article.", "Favorable à cette disposition.", "Enfin une avancée."),
    "against": (
        "Je suis opposé à cet article en l'état.",
        "Défavorable à cette disposition.",
        "Cette mesure me paraît mal conçue.",
    ),
    "amendment": ("La rédaction proposée vise à {proposal}.",),
    "new_article": ("Cet article additionnel permettrait de {proposal}.",),
    "source": ("Ce document éclaire le débat sur {topic}.", "Une lecture utile sur {topic}."),
    "comment": ("", "Une remarque sur {topic}.", "Question : qu'en est-il de {topic} ?"),
    "reply": (
        "Je rejoins votre analyse.",
        "Je ne partage pas cet avis.",
        "Merci pour ce commentaire.",
        "Pouvez-vous préciser votre source ?",
    ),
    "offline": ("Madame, Monsieur,", "Observation sur le projet de loi."),
}
ARGUMENT_TITLES = {
    "for": ("Une avancée attendue", "Un progrès pour les usagers", "Plus de transparence"),
    "against": ("Une charge excessive", "Des moyens insuffisants", "Une rédaction trop floue"),
}
SOURCE_PUBLISHERS = (
    ("Rapport de la Cour des comptes sur", "www.ccomptes.fr", "publications"),
    ("Avis de la CNIL sur", "www.cnil.fr", "fr"),
    ("Étude de l'Insee sur", "www.insee.fr", "fr/statistiques"),
    ("Dossier de Vie publique sur", "www.vie-publique.fr", "eclairage"),
    ("Rapport d'information du Sénat sur", "www.senat.fr", "rap"),
    ("Jeu de données sur", "www.data.gouv.fr", "fr/datasets"),
    ("Note d'une association sur", "www.example-association.org", "notes"),
)

TITLE_HEADINGS = (
    "LA CIRCULATION DES DONNÉES ET DU SAVOIR",
    "LA PROTECTION DES DROITS DANS LA SOCIÉTÉ NUMÉRIQUE",
    "L'ACCÈS DE TOUS AU NUMÉRIQUE",
    "DISPOSITIONS FINALES",
)
ROMAN = ("Ier", "II", "III", "IV", "V", "VI", "VII", "VIII")
ARTICLE_HEADS = (
    "Publication",
    "Accessibilité",
    "Conservation",
    "Réutilisation",
    "Contrôle",
    "Évaluation",
    "Transparence",
    "Protection",
)
ARTICLE_OBJECTS = (
    "des données publiques",
    "des services en ligne",
    "des algorithmes publics",
    "des codes sources",
    "des données personnelles",
    "des archives numériques",
    "des décisions administratives",
)
LEGAL_ACTORS = (
    "Les administrations de l'État",
    "Les collectivités territoriales et leurs groupements",
    "Les établissements publics à caractère administratif",
    "Les organismes chargés d'une mission de service public",
    "Les fournisseurs de services d'accès à internet",
    "Les opérateurs de plateforme en ligne",
)
LEGAL_ACTIONS = (
    "publient en ligne",
    "mettent à la disposition du public",
    "communiquent à toute personne qui en fait la demande",
    "conservent pendant une durée de cinq ans",
    "rendent accessibles aux personnes en situation de handicap",
    "transmettent chaque année à l'autorité de contrôle",
)
LEGAL_OBJECTS = (
    "les documents administratifs qu'ils détiennent sous forme électronique",
    "les règles définissant les principaux traitements algorithmiques qu'ils utilisent",
    "les données de référence nécessaires à l'exercice de leurs missions",
    "les codes sources des logiciels qu'ils développent",
    "les informations relatives à la qualité du service rendu",
    "les bases de données qu'ils produisent ou reçoivent",
)
LEGAL_CONDITIONS = (
    "dans un standard ouvert et aisément réutilisable",
    "dans un délai de deux mois à compter de leur achèvement",
    "dans des conditions fixées par décret en Conseil d'État",
    "sous réserve du respect de la vie privée et du secret des affaires",
    "après avis de la Commission nationale de l'informatique et des libertés",
)
LEGAL_SENTENCES = (
    "Un décret en Conseil d'État précise les modalités d'application du présent article.",
    "Cette obligation ne s'applique pas aux collectivités de moins de 3 500 habitants.",
    "Cette obligation ne s'applique pas aux administrations employant moins de cinquante agents.",
    "Le présent article entre en vigueur six mois après la publication de la présente loi.",
    "Le manquement aux obligations prévues au présent article est puni d'une amende "
    "administrative dont le montant ne peut excéder 15 000 euros.",
    "L'autorité de régulation veille au respect de ces dispositions et peut, à cette fin, "
    "recueillir toute information utile.",
)
ENUMERATION = (
    "Les administrations de l'État et leurs établissements publics ;",
    "Les collectivités territoriales et leurs groupements ;",
    "Les organismes de sécurité sociale ;",
    "Les personnes privées chargées d'une mission de service public.",
)
AMENDMENT_CLAUSES = (
    ", après avis du Conseil national du numérique",
    ", dans un délai d'un mois",
    ", y compris sous forme papier à la demande de l'usager",
    ", sauf opposition motivée de l'autorité compétente",
)


_ELISIONS = (
    (re.compile(r"\b([dDlL])e ([aeiouyéèêâîôAEIOUÉÈÎ])"), r"\1'\2"),
    (re.compile(r"\bde les\b"), "des"),
    (re.compile(r"\bde le\b"), "du"),
)


def elide(text: str) -> str:
    """French elisions and contractions: 'de associer' -> 'd'associer', 'de les' -> 'des'."""
    for pattern, replacement in _ELISIONS:
        text = pattern.sub(replacement, text)
    return text


class Prose:
    """French-like sentences drawn from a seeded generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        rng = self.rng
        pick = rng.random()
        if pick < 0.45:
            subject = rng.choice(SUBJECTS)
            if rng.random() < 0.5:
                subject = f"{rng.choice(CONNECTORS)}, {subject[0].lower()}{subject[1:]}"
            return f"{subject} {rng.choice(PREDICATES)}."
        if pick < 0.75:
            return f"{rng.choice(OPENERS)} {rng.choice(PROPOSALS)}."
        if pick < 0.9:
            return f"Comme {rng.choice(ROLES)}, je constate que {rng.choice(OBSERVATIONS)}."
        return f"La question de {rng.choice(TOPICS)} mérite un vrai débat."

    def body(self, opening: str = "") -> str:
        """Between ~100 and 2,000 characters, in paragraphs of a few sentences."""
        rng = self.rng
        target = min(2000, max(100, int(rng.lognormvariate(6.0, 0.75))))
        opening = opening.format(proposal=rng.choice(PROPOSALS), topic=rng.choice(TOPICS))
        paragraphs, sentences = [], [opening] if opening else []
        length = len(opening)
        while length < target:
            sentence = self.sentence()
            if length + len(sentence) + 2 > 2000:
                break
            sentences.append(sentence)
            length += len(sentence) + 1
            if len(sentences) >= rng.randint(3, 6):
                paragraphs.append(" ".join(sentences))
                sentences, length = [], length + 1
        if sentences:
            paragraphs.append(" ".join(sentences))
        return elide("\n\n".join(paragraphs))

    def legal_sentence(self) -> str:
        """An obligation: who does what, under which condition."""
        rng = self.rng
        return (
            f"{rng.choice(LEGAL_ACTORS)} {rng.choice(LEGAL_ACTIONS)} "
            f"{rng.choice(LEGAL_OBJECTS)}, {rng.choice(LEGAL_CONDITIONS)}."
        )

    def bill(self) -> str:
        """A 40-article bill: titles, chapters, articles of one to six alinéas."""
        rng = self.rng
        headings = [f"{h} {o}" for h in ARTICLE_HEADS for o in ARTICLE_OBJECTS]
        rng.shuffle(headings)
        lines = ["# Projet de loi pour une société numérique de confiance", ""]
        for number in range(1, ARTICLES + 1):
            if number % 10 == 1:
                lines += [f"TITRE {ROMAN[number // 10]}", TITLE_HEADINGS[number // 10 % 4], ""]
            if number % 5 == 1:
                chapter = headings[ARTICLES + number // 5]
                lines += [f"Chapitre {ROMAN[number % 10 // 5]}", chapter, ""]
            label = "Article 1er" if number == 1 else f"Article {number}"
            lines.append(f"{label} – {headings[number - 1]}")
            if rng.random() < 0.2:
                lines.append("Sont soumis aux obligations du présent article :")
                lines += [f"{i}° {item}" for i, item in enumerate(ENUMERATION, start=1)]
            else:
                lines += [self.legal_sentence() for _ in range(rng.choice((1, 1, 2, 2, 3, 4)))]
            lines += rng.sample(LEGAL_SENTENCES, rng.choice((0, 0, 1, 1, 2)))
            lines.append("")
        return "\n".join(lines)

    def amend(self, original: str) -> str:
        """A proposed wording: the original with another condition or action, or a clause."""
        rng = self.rng
        text = original
        for choices, probability in ((LEGAL_CONDITIONS, 0.5), (LEGAL_ACTIONS, 0.3)):
            for phrase in choices:
                if phrase in text and rng.random() < probability:
                    text = text.replace(phrase, rng.choice(choices), 1)
        if text == original or rng.random() < 0.4:
            text = text.rstrip(".;") + rng.choice(AMENDMENT_CLAUSES) + "."
        return text


# --- Database set-up ----------------------------------------------------------------------


def reset_database(url: str) -> None:
    """Delete the SQLite file, or create the PostgreSQL database if it does not exist."""
    target = sa.make_url(url)
    if target.get_backend_name() == "sqlite":
        path = Path(target.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if target.database in ("test", "postgres"):
        raise SystemExit(f"refusing to overwrite the database {target.database!r}")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def migrate_empty_schema() -> None:
    """Drop whatever the database holds, then run every Alembic migration."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
    flask_migrate.upgrade()


# --- The consultation, through the services -----------------------------------------------


@dataclass
class ArticleInfo:
    id: int
    slug: str
    number: str
    paragraphs: list[str]


@dataclass
class Bench:
    """What the bulk steps need to know about the consultation."""

    consultation_id: int
    slug: str
    organiser_id: int
    password_hash: str
    opens_at: datetime
    now: datetime
    articles: list[ArticleInfo]
    # Each participant's public author record (`public_author`), for the record's commitments.
    authors: dict[int, dict] = field(default_factory=dict)

    def moment(self, rng: random.Random, after: datetime | None = None) -> datetime:
        """A random instant between `after` (default: the opening) and now."""
        start = after or self.opens_at
        return start + (self.now - start) * rng.random()


def create_consultation(prose: Prose) -> Bench:
    """Institution, organiser and consultation, created and published by the services.

    Published in the past with an explicit `now`, so that the opening stays in the past: the
    consultation has been open for OPEN_DAYS_SO_FAR days and closes in DAYS_LEFT days.
    """
    now = clock.now()
    opens = now - timedelta(days=OPEN_DAYS_SO_FAR)
    closes = clock.add_paris_days(now, DAYS_LEFT)
    institution = accounts.create_institution(
        "ministere-numerique-bench", "Ministère de la Transition numérique"
    )
    organiser = accounts.create_user(
        "organisateur@bench.consultation.localhost",
        role=Role.organiser,
        institution=institution,
        display_name="Organisateur du ministère",
        password=PASSWORD,
        verified=True,
        now=opens - timedelta(days=10),
    )
    consultation = consultations.create_consultation(
        organiser,
        institution,
        title="Projet de loi pour une société numérique de confiance",
        summary=(
            "Ouverture des données publiques, accessibilité des services en ligne, protection "
            "des données : donnez votre avis, article par article, sur le projet de loi."
        ),
        legal_basis="crpa_l131_1",
        opens_at=opens,
        closes_at=closes,
        text=prose.bill(),
        notice={
            "object": "Recueillir les observations du public sur le projet de loi.",
            "explanatory_note": "Le projet de loi vise à **ouvrir les données publiques**.",
            "synthesis_expected_on": clock.to_paris(closes).date() + timedelta(days=60),
        },
        now=opens - timedelta(days=3),
    )
    consultations.publish_consultation(organiser, consultation, now=opens - timedelta(days=1))
    db.session.commit()
    articles = [
        ArticleInfo(a.id, a.slug, a.number, [p.text for p in a.paragraphs])
        for a in consultation.current_version.articles
    ]
    return Bench(
        consultation_id=consultation.id,
        slug=consultation.slug,
        organiser_id=organiser.id,
        password_hash=organiser.password_hash,
        opens_at=consultation.opens_at,
        now=now,
        articles=articles,
    )


# --- Bulk loading -------------------------------------------------------------------------


def bulk_insert(
    table: sa.Table,
    columns: tuple[str, ...],
    rows: Iterable[tuple],
    connection: sa.Connection | None = None,
) -> int:
    """Insert `rows` (tuples in `columns` order) in one transaction — `connection`'s, or one
    of its own — and return the row count.

    PostgreSQL: `COPY … FROM STDIN` through psycopg. SQLite: the driver's executemany over
    the rows, each value through its column type's bind processor — what Core does for each
    row, without compiling each batch (a third of the time of Core's executemany).
    """
    if connection is None:
        with db.engine.begin() as connection:
            return bulk_insert(table, columns, rows, connection)
    count = 0
    if connection.dialect.name == "postgresql":
        sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with (
            connection.connection.driver_connection.cursor() as cursor,
            cursor.copy(sql) as copy,
        ):
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns
    ]
    bound = [(i, process) for i, process in enumerate(processors) if process is not None]
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    )

    def processed():
        nonlocal count
        for row in rows:
            count += 1
            if bound:
                row = list(row)
                for i, process in bound:
                    row[i] = process(row[i])
            yield row

    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, processed())
    finally:
        cursor.close()
    return count


def reset_sequences(*tables: sa.Table) -> None:
    """After inserts with explicit ids, move PostgreSQL's sequences past them."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        for table in tables:
            connection.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT max(id) FROM {table.name}))"
                )
            )


# --- Participants -------------------------------------------------------------------------


def insert_participants(rng: random.Random, bench: Bench, count: int) -> list[int]:
    """`count` verified participants sharing one password hash; returns their ids."""
    first_id = db.session.scalar(sa.select(sa.func.max(User.id))) + 1
    db.session.commit()  # end the session's transaction: SQLite has one writer at a time
    ids = list(range(first_id, first_id + count))
    columns = (
        "id",
        "email",
        "display_name",
        "password_hash",
        "role",
        "email_verified_at",
        "session_nonce",
        "created_at",
        "last_login_at",
        "profile_type",
        "organisation_category",
        "organisation_name",
        "hatvp_number",
    )

    def rows():
        for number, user_id in enumerate(ids, start=1):
            created = bench.opens_at - timedelta(days=730 * rng.random())
            verified = created + timedelta(minutes=rng.uniform(1, 600))
            profile = ("individual", None, "", "")
            if rng.random() < ORGANISATION_SHARE:
                profile = organisation_profile(rng)
                name = profile[2][:80]
            elif rng.random() < 0.75:
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}."
            else:
                words = rng.sample(PSEUDONYM_WORDS, 2)
                name = f"{words[0]}_{words[1]}{rng.randint(1, 99)}"
            bench.authors[user_id] = public_author(
                profile_type=ProfileType(profile[0]),
                display_name=name,
                organisation_name=profile[2],
                organisation_category=OrganisationCategory(profile[1]) if profile[1] else None,
                hatvp_number=profile[3],
            )
            yield (
                user_id,
                EMAIL.format(number),
                name,
                bench.password_hash,
                Role.participant.value,
                verified,
                secrets.token_hex(16),
                created,
                verified,
                *profile,
            )

    bulk_insert(User.__table__, columns, rows())
    reset_sequences(User.__table__)
    return ids


def organisation_profile(rng: random.Random) -> tuple[str, str, str, str]:
    """(profile_type, category, organisation name, HATVP number, sometimes empty)."""
    category = rng.choice(list(ORGANISATIONS))
    name = elide(
        rng.choice(ORGANISATIONS[category]).format(
            city=rng.choice(CITIES),
            trade=rng.choice(TRADES),
            name="".join(rng.choices(COMPANY_SYLLABLES, k=3)).capitalize(),
        )
    )
    hatvp = ""
    if category in HATVP_CATEGORIES and rng.random() < 0.4:
        hatvp = f"H{rng.randrange(10**9):09d}"
    return "organisation", category.value, name, hatvp


# --- Contributions ------------------------------------------------------------------------


@dataclass(slots=True)
class Draft:
    """A contribution before insertion; ids are given once all are sorted by date."""

    kind: str
    created_at: datetime
    author_id: int
    body: str
    article: ArticleInfo | None = None
    paragraph: int | None = None
    position: str | None = None
    title: str = ""
    proposed_text: str = ""
    url: str = ""
    parent: Draft | None = None
    offline_channel: str | None = None
    offline_author: str = ""
    id: int = 0
    tracking_number: str = ""
    author_salt: str = field(default_factory=new_salt)


def plan_contributions(
    rng: random.Random, prose: Prose, bench: Bench, authors: list[int], total: int, scale: float
) -> list[Draft]:
    """Every contribution, sorted by date and numbered from 1, replies after their parent."""
    weights = [rng.lognormvariate(0, 1.2) for _ in bench.articles]

    def article() -> ArticleInfo:
        return rng.choices(bench.articles, weights)[0]

    def author() -> int:
        return authors[int(len(authors) * rng.random() ** 2)]  # a few write a lot

    def at_least_one(volume: float) -> int:
        return max(1, round(volume))

    drafts: list[Draft] = []
    for kind, share in KIND_SHARES.items():
        for _ in range(round(total * share)):
            drafts.append(plan_one(rng, prose, bench, kind, article(), author()))
    for _ in range(at_least_one(WHOLE_TEXT_SOURCES * scale)):
        drafts.append(plan_one(rng, prose, bench, "source", None, author()))
    for _ in range(at_least_one(WHOLE_TEXT_COMMENTS * scale)):
        drafts.append(plan_one(rng, prose, bench, "comment", None, author()))
    for _ in range(at_least_one(OFFLINE_OBSERVATIONS * scale)):
        drafts.append(plan_offline(rng, prose, bench, article() if rng.random() < 0.7 else None))
    replies = at_least_one(total * REPLY_SHARE)
    for _ in range(max(0, total - len(drafts) - replies)):
        drafts.append(plan_one(rng, prose, bench, "comment", article(), author()))
    comments = [d for d in drafts if d.kind == "comment"]
    for _ in range(total - len(drafts)):
        parent = comments[int(len(comments) * rng.random() ** 2)]  # some threads are long
        drafts.append(
            Draft(
                kind="comment",
                created_at=bench.moment(rng, after=parent.created_at),
                author_id=author(),
                body=prose.body(rng.choice(KIND_OPENINGS["reply"])),
                article=parent.article,
                parent=parent,
            )
        )
    drafts.sort(key=lambda d: d.created_at)
    for number, draft in enumerate(drafts, start=1):
        draft.id = number
    return drafts


def plan_one(
    rng: random.Random,
    prose: Prose,
    bench: Bench,
    kind: str,
    article: ArticleInfo | None,
    author_id: int,
) -> Draft:
    """A top-level contribution of `kind`, filled as `submit_contribution` would store it."""
    draft = Draft(kind, bench.moment(rng), author_id, body="", article=article)
    paragraphs = article.paragraphs if article else []
    opening = rng.choice(KIND_OPENINGS.get(kind, ("",)))
    if kind == "argument":
        draft.position = rng.choice(("for", "for", "against"))
        opening = rng.choice(KIND_OPENINGS[draft.position])
        if rng.random() < 0.7:
            draft.title = rng.choice(ARGUMENT_TITLES[draft.position])
        if rng.random() < 0.15:
            draft.paragraph = rng.randint(1, len(paragraphs))
    elif kind == "amendment":
        if rng.random() < 0.6:
            draft.paragraph = rng.randint(1, len(paragraphs))
            original = paragraphs[draft.paragraph - 1]
            draft.title = f"Réécrire l'alinéa {draft.paragraph}"
        else:
            original = "\n".join(paragraphs)
            draft.title = "Nouvelle rédaction de l'article" if rng.random() < 0.5 else ""
        draft.proposed_text = prose.amend(original)
    elif kind == "new_article":
        draft.title = f"Article additionnel après l'article {article.slug}"
        draft.proposed_text = "\n".join(prose.legal_sentence() for _ in range(rng.randint(1, 3)))
    elif kind == "source":
        label, domain, section = rng.choice(SOURCE_PUBLISHERS)
        draft.title = f"{label} {rng.choice(TOPICS)}"
        scheme = "https" if rng.random() < 0.9 else "http"
        path = f"{section}/{slugify(draft.title, 60)}-{rng.randint(1000, 99999)}"
        draft.url = f"{scheme}://{domain}/{path}"
    elif kind == "comment" and article is not None and rng.random() < 0.3:
        draft.paragraph = rng.randint(1, len(paragraphs))
    draft.body = prose.body(opening)
    return draft


def plan_offline(
    rng: random.Random, prose: Prose, bench: Bench, article: ArticleInfo | None
) -> Draft:
    """An observation received offline, entered by the organiser (`record_offline_observation`)."""
    return Draft(
        kind="comment",
        created_at=bench.moment(rng),
        author_id=bench.organiser_id,
        body=prose.body(rng.choice(KIND_OPENINGS["offline"])),
        article=article,
        offline_channel=rng.choice(list(OfflineChannel)).value,
        offline_author=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
    )


def insert_contributions(bench: Bench, drafts: list[Draft]) -> None:
    columns = (
        "id",
        "consultation_id",
        "article_id",
        "paragraph",
        "kind",
        "position",
        "title",
        "body",
        "proposed_text",
        "url",
        "parent_id",
        "author_id",
        "tracking_number",
        "offline_channel",
        "offline_author",
        "author_salt",
        "created_at",
        "shuffle_key",
    )
    tracking_numbers: set[str] = set()

    def unique_tracking_number() -> str:
        while (number := new_tracking_number()) in tracking_numbers:
            pass
        tracking_numbers.add(number)
        return number

    for draft in drafts:
        draft.tracking_number = unique_tracking_number()
    rows = (
        (
            d.id,
            bench.consultation_id,
            d.article.id if d.article else None,
            d.paragraph,
            d.kind,
            d.position,
            d.title,
            d.body,
            d.proposed_text,
            d.url,
            d.parent.id if d.parent else None,
            d.author_id,
            d.tracking_number,
            d.offline_channel,
            d.offline_author,
            d.author_salt,
            d.created_at,
            new_shuffle_key(),
        )
        for d in drafts
    )
    bulk_insert(Contribution.__table__, columns, rows)
    reset_sequences(Contribution.__table__)


# --- Votes --------------------------------------------------------------------------------

VOTE_COLUMNS = ("user_id", "value", "created_at", "updated_at")


def apportion(total: int, weights: list[float], cap: int) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainders), no share above `cap`:
    what a capped share cannot take goes to the others."""
    capped: set[int] = set()
    while True:
        free = [i for i in range(len(weights)) if i not in capped]
        scale = (total - cap * len(capped)) / sum(weights[i] for i in free)
        over = [i for i in free if weights[i] * scale > cap]
        if not over:
            break
        capped.update(over)
    counts = [cap] * len(weights)
    shares = {i: weights[i] * scale for i in free}
    for i, share in shares.items():
        counts[i] = int(share)
    by_remainder = sorted(free, key=lambda i: counts[i] - shares[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def opinion_mix(rng: random.Random) -> list[float]:
    """Weights of agree / mixed / disagree for one target: each has its own split."""
    return [rng.gammavariate(2.0, 1), rng.gammavariate(0.8, 1), rng.gammavariate(1.5, 1)]


def voters(rng: random.Random, engaged: list[int], count: int) -> list[int]:
    """`count` distinct participants, drawn mostly among the most engaged (sorted by id)."""
    pool = min(len(engaged), max(count, int(count * 1.6)))
    return sorted(engaged[i] for i in rng.sample(range(pool), count))


def insert_article_votes(rng: random.Random, bench: Bench, engaged: list[int], total: int) -> int:
    """Article votes: more on the first articles (read first) and on the debated ones."""
    weights = [
        0.97**position * rng.lognormvariate(0, 0.6) for position, _ in enumerate(bench.articles)
    ]
    counts = apportion(total, weights, cap=int(len(engaged) * 0.9))

    def rows():
        span = bench.now - bench.opens_at
        for article, count in zip(bench.articles, counts, strict=True):
            values = rng.choices(OPINIONS, opinion_mix(rng), k=count)
            for user_id, value in zip(voters(rng, engaged, count), values, strict=True):
                moment = bench.opens_at + span * rng.random()
                yield article.id, user_id, value, moment, moment

    return bulk_insert(ArticleVote.__table__, ("article_id", *VOTE_COLUMNS), rows())


def insert_contribution_votes(
    rng: random.Random, bench: Bench, engaged: list[int], drafts: list[Draft], total: int
) -> int:
    """Contribution votes, heavy-tailed: a few contributions get thousands, most a few."""
    weights = [rng.paretovariate(1.3) * (0.3 if d.parent else 1.0) for d in drafts]
    counts = apportion(total, weights, cap=len(engaged) // 2)

    def rows():
        for draft, count in zip(drafts, counts, strict=True):
            values = rng.choices(OPINIONS, opinion_mix(rng), k=count)
            span = bench.now - draft.created_at
            for user_id, value in zip(voters(rng, engaged, count), values, strict=True):
                moment = draft.created_at + span * rng.random()
                yield draft.id, user_id, value, moment, moment

    return bulk_insert(ContributionVote.__table__, ("contribution_id", *VOTE_COLUMNS), rows())


# --- The tamper-evident record -----------------------------------------------------------

ENTRY_COLUMNS = (
    "consultation_id",
    "leaf_index",
    "kind",
    "leaf",
    "leaf_hash",
    "recorded_at",
    "tracking_number",
)


def open_record(bench: Bench) -> LedgerCheckpoint:
    """The checkpoint that `flask ledger checkpoint` signs when the consultation opens (its
    record still empty), made by the service at the opening time."""
    consultation = db.session.get(Consultation, bench.consultation_id)
    checkpoint = ledger.checkpoint_if_due(consultation, bench.opens_at)
    db.session.commit()
    return checkpoint


def write_record(bench: Bench, drafts: list[Draft]) -> int:
    """One entry per submission and per vote, in chronological order, as `ledger.append`
    would have written them one at a time: the same rows (`ledger.entry_row`: canonical
    leaf, pseudonyms, text commitments, leaf hash), bulk-loaded in one transaction with the
    head moved to their number. Returns the number of entries.

    Votes are read back sorted by date and merged with the contributions. SQLite reads and
    writes through one connection (every transaction outside a request takes the write lock,
    `core/database.py`); PostgreSQL reads through a second one (COPY holds the first)."""
    first = ledger.tree_size(bench.consultation_id)  # the publication, entered by the service
    db.session.commit()
    with db.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            count = _load_entries(bench, drafts, first, connection, connection)
        else:
            with db.engine.connect() as reader:
                count = _load_entries(bench, drafts, first, reader, connection)
        connection.execute(
            sa.update(LedgerHead.__table__)
            .where(LedgerHead.__table__.c.consultation_id == bench.consultation_id)
            .values(size=first + count)
        )
    return first + count


def _load_entries(
    bench: Bench, drafts: list[Draft], first: int, reader: sa.Connection, writer: sa.Connection
) -> int:
    def rows():
        for index, (kind, at, data) in enumerate(acts(bench, drafts, reader), start=first):
            row = ledger.entry_row(bench.consultation_id, bench.slug, index, kind, at, data)
            yield tuple(row[column] for column in ENTRY_COLUMNS)

    return bulk_insert(LedgerEntry.__table__, ENTRY_COLUMNS, rows(), writer)


def acts(
    bench: Bench, drafts: list[Draft], connection: sa.Connection
) -> Iterator[tuple[str, datetime, dict]]:
    """Every submission and vote as (kind, at, data) in the order of `at`: contributions
    from the plan (sorted by date), votes read back from the database sorted by date; a
    contribution comes before a vote of the same instant."""
    numbers = {article.id: article.number for article in bench.articles}
    articles, contributions = ArticleVote.__table__.c, ContributionVote.__table__.c
    votes = sa.union_all(
        sa.select(
            articles.created_at,
            sa.literal(0).label("on_contribution"),
            articles.article_id.label("target_id"),
            articles.user_id,
            articles.value,
        ),
        sa.select(
            contributions.created_at,
            sa.literal(1),
            contributions.contribution_id,
            contributions.user_id,
            contributions.value,
        ),
    ).subquery()
    rows = connection.execute(
        sa.select(votes)
        .order_by(votes.c.created_at, votes.c.on_contribution, votes.c.target_id, votes.c.user_id)
        .execution_options(yield_per=BATCH)
    )

    def vote(row) -> dict:
        if row.on_contribution:
            subject = {"contribution": drafts[row.target_id - 1].tracking_number}
        else:
            subject = {"article": numbers[row.target_id]}
        return {"participant_id": row.user_id, "value": Opinion(row.value).value, **subject}

    submissions = (("contribution", d.created_at, d) for d in drafts)
    cast = (("vote", row.created_at, row) for row in rows)
    try:
        for kind, at, item in heapq.merge(
            submissions, cast, key=lambda act: (act[1], act[0] == "vote")
        ):
            yield kind, at, contribution_data(bench, item) if kind == "contribution" else vote(item)
    finally:
        rows.close()


def contribution_data(bench: Bench, draft: Draft) -> dict:
    """What `submit_contribution` (and `record_offline_observation`) announce to the record
    for this contribution: `participation.contributions._recorded`, from the plan."""
    if draft.offline_channel:
        author = public_author(
            offline_channel=OfflineChannel(draft.offline_channel),
            offline_author=draft.offline_author,
        )
    else:
        author = bench.authors[draft.author_id]
    return {
        "contribution": draft.tracking_number,
        "contribution_kind": draft.kind,
        "article": draft.article.number if draft.article else None,
        "paragraph": draft.paragraph,
        "position": draft.position,
        "parent": draft.parent.tracking_number if draft.parent else None,
        "offline": draft.offline_channel,
        "author_sha256": salted_digest(author, draft.author_salt),
        "created_at": draft.created_at,
        "content": ledger.contribution_content(
            draft.title, draft.body, draft.proposed_text, draft.url
        ),
    }


def check_announced_data(bench: Bench, drafts: list[Draft], sample: int = 300) -> int:
    """Compare `contribution_data` with what the app itself announces (`_recorded`, on the
    stored row) for a sample of contributions of every kind; returns how many differ."""
    rng = random.Random(SEED)
    chosen = rng.sample(drafts, min(sample, len(drafts)))
    chosen += [d for d in drafts if d.parent or d.offline_channel][:20]
    differ = sum(
        _recorded(db.session.get(Contribution, d.id)) != contribution_data(bench, d) for d in chosen
    )
    db.session.rollback()
    return differ


def sign_record(bench: Bench) -> LedgerCheckpoint:
    """The checkpoint that the hourly cron signs now, through the service (it hashes the
    entries added since the opening checkpoint onto its frontier)."""
    consultation = db.session.get(Consultation, bench.consultation_id)
    checkpoint = ledger.checkpoint_if_due(consultation, bench.now)
    db.session.commit()
    return checkpoint


def check_record(bench: Bench) -> dict:
    """The stored head against the stored entries: the head's size, the number of entries,
    the latest checkpoint's size, and its root against `merkle.root` of the leaf hashes
    (read by `ledger.leaf_hashes`, which also refuses a gap in the numbering)."""
    size = ledger.tree_size(bench.consultation_id)
    latest = ledger.latest_checkpoint(bench.consultation_id)
    entries = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LedgerEntry)
        .where(LedgerEntry.consultation_id == bench.consultation_id)
    )
    root = merkle.root(ledger.leaf_hashes(bench.consultation_id, size))
    db.session.rollback()
    return {
        "head_size": size,
        "entries": entries,
        "signed_size": latest.tree_size,
        "signed_root": latest.root_hash.hex(),
        "root_of_leaves": root.hex(),
        "reason": latest.reason,
    }


# --- Counters, tokens, summary ------------------------------------------------------------


def recount(bench: Bench) -> int:
    """Fill the stored counters and scores with the app's own `tallies.recount`."""
    wrong = tallies.recount(bench.consultation_id)
    db.session.commit()
    return wrong


def counter_mismatches(bench: Bench) -> dict[str, int]:
    """Rows whose stored counters differ from SQL aggregates of the votes and contributions."""
    version_ids = sa.select(TextVersion.id).where(
        TextVersion.consultation_id == bench.consultation_id
    )

    def tally(votes, column):
        sums = [
            sa.func.sum(sa.case((votes.value == opinion, 1), else_=0)).label(opinion.value)
            for opinion in Opinion
        ]
        return sa.select(column.label("target_id"), *sums).group_by(column).subquery()

    def differing(model, counted, where):
        stored = [getattr(model, f"votes_{o.value}") for o in Opinion]
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(model)
            .outerjoin(counted, counted.c.target_id == model.id)
            .where(
                where,
                sa.or_(
                    *(
                        column != sa.func.coalesce(counted.c[o.value], 0)
                        for column, o in zip(stored, Opinion, strict=True)
                    )
                ),
            )
        )

    per_article = (
        sa.select(Contribution.article_id, sa.func.count().label("n"))
        .where(Contribution.consultation_id == bench.consultation_id)
        .group_by(Contribution.article_id)
        .subquery()
    )
    return {
        "articles": differing(
            Article,
            tally(ArticleVote, ArticleVote.article_id),
            Article.version_id.in_(version_ids),
        ),
        "contributions": differing(
            Contribution,
            tally(ContributionVote, ContributionVote.contribution_id),
            Contribution.consultation_id == bench.consultation_id,
        ),
        "contributions_count": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Article)
            .outerjoin(per_article, per_article.c.article_id == Article.id)
            .where(
                Article.version_id.in_(version_ids),
                Article.contributions_count != sa.func.coalesce(per_article.c.n, 0),
            )
        ),
    }


def create_tokens(bench: Bench, user_ids: list[int], path: Path) -> None:
    """Personal API tokens through the accounts service, one secret per line."""
    users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids)).order_by(User.id))
    tokens = [accounts.create_api_token(u, "Banc d'essai", now=bench.now)[1] for u in users]
    db.session.commit()
    path.write_text("".join(f"{token}\n" for token in tokens))


def finish_load() -> None:
    """PostgreSQL: refresh the planner's statistics. SQLite: fold the WAL into the file."""
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        return
    # Outside any transaction: the engine's connections run SQLite in autocommit mode.
    connection = db.engine.raw_connection()
    try:
        connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def row_counts() -> dict[str, int]:
    tables = {
        "users": User,
        "contributions": Contribution,
        "article_votes": ArticleVote,
        "contribution_votes": ContributionVote,
        "ledger_entries": LedgerEntry,
    }
    return {
        name: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for name, model in tables.items()
    }


def database_size(url: str) -> str:
    target = sa.make_url(url)
    if target.get_backend_name() == "sqlite":
        return f"{Path(target.database).stat().st_size / 2**20:.0f} MiB"
    size = db.session.scalar(sa.text("SELECT pg_database_size(current_database())"))
    return f"{size / 2**20:.0f} MiB"


# --- Main ---------------------------------------------------------------------------------


@contextmanager
def step(name: str, timings: dict[str, float]):
    start = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - start
    print(f"  {name:<24} {timings[name]:8.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--tokens", type=int, default=2000)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    url = normalize_database_url(args.database_url or f"sqlite:///{out / 'rn10.db'}")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("INSTANCE_PATH", str(out / "instance"))
    rng = random.Random(SEED)
    prose = Prose(rng)
    timings: dict[str, float] = {}
    print(f"database: {sa.make_url(url).render_as_string(hide_password=True)}")
    print(f"scale: {args.scale}")

    with step("schema", timings):
        reset_database(url)
        # Durability is not needed while loading: SQLite writes with synchronous=OFF.
        app = create_app({"SQLITE_SYNCHRONOUS": "OFF"})
        with app.app_context():
            migrate_empty_schema()
    with app.app_context():
        with step("consultation", timings):
            bench = create_consultation(prose)
        with step("users", timings):
            participants = insert_participants(rng, bench, round(USERS * args.scale))
            engaged = participants[:]
            rng.shuffle(engaged)
        with step("contributions", timings):
            drafts = plan_contributions(
                rng, prose, bench, engaged, round(CONTRIBUTIONS * args.scale), args.scale
            )
            insert_contributions(bench, drafts)
        with step("article votes", timings):
            insert_article_votes(rng, bench, engaged, round(ARTICLE_VOTES * args.scale))
        with step("contribution votes", timings):
            insert_contribution_votes(
                rng, bench, engaged, drafts, round(CONTRIBUTION_VOTES * args.scale)
            )
        with step("record (ledger)", timings):
            open_record(bench)
            entries = write_record(bench, drafts)
        with step("signed checkpoint", timings):
            sign_record(bench)
        with step("recount (tallies)", timings):
            corrected = recount(bench)
        tokens_file = out / "tokens.txt"
        with step("api tokens", timings):
            create_tokens(bench, participants[: args.tokens], tokens_file)
        with step("analyze / checkpoint", timings):
            finish_load()
        with step("check counters", timings):
            mismatches = counter_mismatches(bench)
        with step("check record", timings):
            record = check_record(bench)
            announced_differ = check_announced_data(bench, drafts)
        counts = row_counts()
        top_level = [d.id for d in drafts if d.parent is None]
        run = {
            "database_url": url,
            "slug": bench.slug,
            "article_ids": [a.id for a in bench.articles],
            "article_numbers": [a.slug for a in bench.articles],
            "contribution_ids": sorted(rng.sample(top_level, min(2000, len(top_level)))),
            "tokens_file": str(tokens_file),
            # SECRET_KEY (pseudonyms) and LEDGER_SIGNING_KEY (checkpoints) of this database.
            "instance_path": app.instance_path,
            "counts": counts,
            "ledger": {"tree_size": record["head_size"], "root_hash": record["signed_root"]},
        }
        (out / "run.json").write_text(json.dumps(run, indent=2) + "\n")
        size = database_size(url)

    print(f"  {'total':<24} {sum(timings.values()):8.1f} s")
    print(f"counters filled by tallies.recount: {corrected} rows set")
    exact = not any(mismatches.values())
    print(f"counters exact against SQL aggregates: {exact} {mismatches}")
    print("rows: " + ", ".join(f"{name} {count:,}" for name, count in counts.items()))
    print(f"database size: {size}")
    print(
        f"record: {entries:,} entries written, head size {record['head_size']:,}, "
        f"{record['entries']:,} stored; checkpoint ({record['reason']}) signs "
        f"{record['signed_size']:,} entries, root {record['signed_root']}"
    )
    record_holds = (
        record["head_size"] == record["entries"] == record["signed_size"] == entries
        and record["signed_root"] == record["root_of_leaves"]
    )
    print(f"signed root equals merkle.root of the stored leaf hashes: {record_holds}")
    print(f"announced data equal to the app's own (_recorded) on a sample: {not announced_differ}")
    print(f"slug: {bench.slug}; password of every account: {PASSWORD}")
    print(f"wrote {out / 'run.json'} and {tokens_file}")
    if not exact:
        raise SystemExit("stored counters differ from the votes")
    if not record_holds or announced_differ:
        raise SystemExit("the stored record does not match its entries or the app's data")


if __name__ == "__main__":
    main()

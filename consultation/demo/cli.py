"""`flask demo`: idempotent demonstration data.

An institution, its organiser and moderator, an administrator, a few participants, and three
consultations built through the same services as the real thing: one upcoming, one open (a
bill of more than ten articles), one closed and awaiting its synthesis, with residents'
contributions and votes to draft it from (see `participation`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

import click
import sqlalchemy as sa

from consultation.accounts import services as accounts
from consultation.accounts.models import Institution, Role, User
from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.core.plurals import ngettext
from consultation.demo.participation import add_open_participation, add_participation
from consultation.extensions import db

TEXTS = Path(__file__).parent / "texts"
PASSWORD = "consultation-demo"
INSTITUTION = ("ministere-numerique", "Ministère de la Transition numérique")
ACCOUNTS = [
    ("admin@demo.consultation.localhost", Role.admin, "Administratrice démo"),
    ("organisateur@demo.consultation.localhost", Role.organiser, "Organisateur du ministère"),
    ("moderateur@demo.consultation.localhost", Role.moderator, "Modératrice du ministère"),
    ("camille@demo.consultation.localhost", Role.participant, "Camille D."),
    ("association@demo.consultation.localhost", Role.participant, "Association Données Citoyennes"),
    ("lecteur@demo.consultation.localhost", Role.participant, "Lecteur attentif"),
]

# The demo accounts who take part in the open bill (see `add_open_participation`).
PARTICIPANTS = ("camille", "association", "lecteur")

ORGANISATIONS = {
    "association@demo.consultation.localhost": {
        "organisation_category": "association",
        "organisation_name": "Association Données Citoyennes",
        "hatvp_number": "H000000001",
    },
}


def _paris(day: date, hour: int) -> datetime:
    return clock.paris_wall_clock(day, time(hour, 0))


def _notice(object_: str, note: str, synthesis_on: date) -> dict:
    return {
        "object": object_,
        "explanatory_note": note,
        "entry_into_force": "Au lendemain de la publication au Journal officiel, sauf dispositions contraires.",
        "synthesis_expected_on": synthesis_on,
        "observations_published": True,
    }


def _consultations(today: date) -> list[dict]:
    open_from = today - timedelta(days=6)
    closed_from = today - timedelta(days=60)
    soon = today + timedelta(days=10)
    return [
        {
            "title": "Projet de loi pour une République numérique ouverte",
            "summary": (
                "Ouverture des données publiques, neutralité du réseau, accessibilité des services "
                "en ligne, inclusion numérique et protection des données : donnez votre avis, "
                "article par article, sur le projet de loi."
            ),
            "legal_basis": "crpa_l131_1",
            "file": "projet_de_loi_numerique.md",
            "open_participation": True,
            "opens_at": _paris(open_from, 9),
            "closes_at": _paris(open_from + timedelta(days=21), 23) + timedelta(minutes=59),
            "published": _paris(open_from - timedelta(days=3), 10),
            "notice": _notice(
                "Recueillir les observations du public sur le projet de loi avant son examen "
                "en Conseil des ministres.",
                "Le projet de loi vise à **ouvrir les données publiques**, garantir la neutralité "
                "du réseau, rendre les services en ligne accessibles à tous et renforcer la "
                "maîtrise de leurs données par les personnes.",
                open_from + timedelta(days=60),
            ),
        },
        {
            "title": "Projet de décret relatif au stationnement des vélos dans les bâtiments",
            "summary": (
                "Le projet de décret fixe les exigences minimales d'espaces de stationnement "
                "sécurisé des vélos dans les bâtiments neufs et existants."
            ),
            "legal_basis": "env_l123_19_1",
            "file": "decret_velos.md",
            "opens_at": _paris(soon, 9),
            "closes_at": _paris(soon + timedelta(days=21), 9),
            "published": _paris(today - timedelta(days=1), 15),
            "notice": _notice(
                "Participation du public au projet de décret, qui a une incidence sur "
                "l'environnement.",
                "Le décret précise les obligations créées par la loi en matière de "
                "stationnement des vélos : nombre de places, accessibilité, sécurisation.",
                soon + timedelta(days=60),
            ),
        },
        {
            "title": "Plan national de gestion sobre de l'eau",
            "summary": (
                "Le plan organise le partage de la ressource en eau entre les usages et fixe "
                "des objectifs de sobriété à l'horizon 2030."
            ),
            "legal_basis": "env_l123_19",
            "file": "plan_eau.md",
            "participation": True,
            "opens_at": _paris(closed_from, 9),
            "closes_at": _paris(closed_from + timedelta(days=30), 18),
            "published": _paris(closed_from - timedelta(days=2), 11),
            "notice": _notice(
                "Recueillir l'avis du public sur le plan national de gestion sobre de l'eau.",
                "Le plan fixe des objectifs de réduction des prélèvements et les priorités "
                "d'usage en période de sécheresse.",
                closed_from + timedelta(days=75),
            ),
        },
    ]


@click.command("demo")
def demo_command() -> None:
    """Load the demonstration data (safe to run again: nothing is duplicated)."""
    institution = db.session.scalar(
        sa.select(Institution).where(Institution.slug == INSTITUTION[0])
    )
    if institution is None:
        institution = accounts.create_institution(*INSTITUTION)
    users: dict[Role, User] = {}
    by_email: dict[str, User] = {}
    for email, role, name in ACCOUNTS:
        user = accounts.find_user(email)
        if user is None:
            user = accounts.create_user(
                email,
                role=role,
                institution=institution,
                display_name=name,
                password=PASSWORD,
                verified=True,
            )
        users.setdefault(role, user)
        by_email[email] = user
    organiser = users[Role.organiser]
    today = clock.to_paris(clock.now()).date()
    created = 0
    for spec in _consultations(today):
        exists = db.session.scalar(
            sa.select(Consultation.id).where(Consultation.title == spec["title"])
        )
        if exists:
            continue
        consultation = consultations.create_consultation(
            organiser,
            institution,
            title=spec["title"],
            summary=spec["summary"],
            legal_basis=spec["legal_basis"],
            opens_at=spec["opens_at"],
            closes_at=spec["closes_at"],
            text=(TEXTS / spec["file"]).read_text(encoding="utf-8"),
            notice=spec["notice"],
            now=spec["published"] - timedelta(days=1),
        )
        consultations.publish_consultation(organiser, consultation, now=spec["published"])
        if spec.get("participation"):
            add_participation(consultation)
        if spec.get("open_participation"):
            add_open_participation(
                consultation,
                organiser,
                {name: by_email[f"{name}@demo.consultation.localhost"] for name in PARTICIPANTS},
            )
        created += 1
    db.session.commit()
    click.echo(
        ngettext(
            "Données de démonstration prêtes (%(num)s consultation ajoutée).",
            "Données de démonstration prêtes (%(num)s consultations ajoutées).",
            created,
        )
        % {"num": created}
    )
    click.echo(
        f"Comptes : {', '.join(email for email, _r, _n in ACCOUNTS)} — mot de passe : {PASSWORD}"
    )

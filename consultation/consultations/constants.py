"""The legal table: bases on which an administration consults the public online.

Each basis fixes the minimum duration of the consultation, counted in calendar days in
Europe/Paris (closing at or after opening + N days at the same wall-clock time), and what the
notice must say.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from consultation.core.i18n import N_, LazyString, lazy


@dataclass(frozen=True)
class LegalBasis:
    key: str
    label: str  # French, marked for the catalogue: shown through gettext
    reference: str  # French, marked for the catalogue: French where certified or machine-read
    minimum_days: int
    # L132-1 consultations replace a consultative commission by definition.
    replaces_commission: bool = False
    # Environmental bases: the synthesis must list the observations taken into account and
    # link a separate statement of reasons (Code de l'environnement, L123-19-1 II).
    environmental: bool = False


LEGAL_BASES: dict[str, LegalBasis] = {
    basis.key: basis
    for basis in (
        # CRPA L131-1: the administration may associate the public to a reform or a draft. The
        # code sets no duration; 15 days is the platform's floor for a meaningful consultation.
        LegalBasis(
            key="crpa_l131_1",
            label=N_("Association du public à une réforme ou un projet"),
            reference=N_("Code des relations entre le public et l'administration, art. L131-1"),
            minimum_days=15,
        ),
        # CRPA L132-1 to L132-3 and R132-3 (ex décret n° 2011-1832): an open consultation in
        # place of a consultative commission, 15 days at least.
        LegalBasis(
            key="crpa_l132_1",
            label=N_("Consultation ouverte se substituant à une commission consultative"),
            reference=N_(
                "Code des relations entre le public et l'administration, art. L132-1 à L132-3"
            ),
            minimum_days=15,
            replaces_commission=True,
        ),
        # Code de l'environnement L123-19-1 II: public participation in decisions with an
        # effect on the environment, observations received during at least 21 days.
        LegalBasis(
            key="env_l123_19_1",
            label=N_(
                "Participation du public aux décisions ayant une incidence sur l'environnement"
            ),
            reference=N_("Code de l'environnement, art. L123-19-1"),
            minimum_days=21,
            environmental=True,
        ),
        # Code de l'environnement L123-19: participation by electronic means (in place of a
        # public inquiry), 30 days at least.
        LegalBasis(
            key="env_l123_19",
            label=N_("Participation du public par voie électronique"),
            reference=N_("Code de l'environnement, art. L123-19"),
            minimum_days=30,
            environmental=True,
        ),
    )
}


def legal_basis(key: str) -> LegalBasis | None:
    return LEGAL_BASES.get(key)


class Status(enum.Enum):
    """The lifecycle, computed from the clock (see Consultation.status_at)."""

    draft = "draft"
    scheduled = "scheduled"
    open = "open"
    closed = "closed"
    synthesis_published = "synthesis_published"

    @property
    def label(self) -> LazyString:
        """In the reader's language."""
        return lazy(STATUS_LABELS[self])

    @property
    def label_fr(self) -> str:
        """The French source, for certified and machine-read outputs."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.draft: N_("Brouillon"),
    Status.scheduled: N_("À venir"),
    Status.open: N_("Ouverte"),
    Status.closed: N_("Terminée — synthèse attendue"),
    Status.synthesis_published: N_("Terminée — synthèse publiée"),
}

DEFAULT_MODERATION_CHARTER = (
    "Les contributions doivent respecter les personnes et la loi. Sont masquées par la "
    "modération les contributions injurieuses, diffamatoires ou discriminatoires, le "
    "harcèlement, la publicité et le spam, les propos sans rapport avec le texte consulté, "
    "les données personnelles de tiers et tout contenu illicite. Une contribution masquée "
    "reste comptée ; le motif de son masquage est affiché publiquement à sa place."
)

DEFAULT_PERSONAL_DATA_NOTICE = (
    "Pour participer, vous créez un compte avec une adresse e-mail vérifiée et un nom "
    "d'affichage (un pseudonyme est admis). Seuls votre nom d'affichage et, pour une "
    "organisation, son nom et sa catégorie sont publiés avec vos contributions. Vos votes "
    "individuels ne sont jamais publiés avec votre identité. Ces données sont traitées pour "
    "l'exécution d'une mission d'intérêt public (RGPD, art. 6-1-e). Vous pouvez les consulter, "
    "les télécharger et supprimer votre compte à tout moment."
)

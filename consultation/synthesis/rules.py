"""Rules shared by the synthesis (`publishing`) and its follow-ups (`follow_ups`): who edits
them and how their texts compare. Both import this module; `publishing` imports `follow_ups`
(the whole document's PUT saves the follow-ups too), never the reverse."""

from __future__ import annotations

from flask_babel import gettext as _

from consultation.accounts.models import User
from consultation.consultations.models import Consultation
from consultation.core.errors import NotAllowed


def check_staff(actor: User, consultation: Consultation) -> None:
    """NotAllowed unless `actor` is staff of the consultation's institution or an admin."""
    if not actor.acts_for(consultation.institution_id):
        raise NotAllowed(_("Seule l'équipe de l'institution rédige et publie la synthèse."))


def normalise_text(value: str) -> str:
    """One line-ending convention and no surrounding blank space, so that the same text typed
    in a browser or sent through the API compares equal."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()

"""The adopted text follows the consulted text's rule: doubtful lines are shown and must be
acknowledged before the text is kept, on the website and through the API."""

from __future__ import annotations

import re

import pytest

from consultation.core.errors import UnacknowledgedTextWarnings
from consultation.synthesis import adoption
from consultation.synthesis.models import AdoptedAct
from tests.synthesis.test_adoption import _publish_synthesis, _record, _signed_yesterday

ADOPTED = """Article 1er
La présente loi a pour objet de favoriser la participation du public.
Article 2
Les consultations sont ouvertes à toute personne.
Article 2 undecies
Un article inséré que l'ancien import rangeait dans l'article 2.
Article 4 du décret précité
"""


@pytest.fixture
def acted(db, make_consultation, organiser):
    consultation = make_consultation("closed")
    _publish_synthesis(db, consultation)
    _record(organiser, consultation)
    db.session.commit()
    return consultation


def test_the_adopted_text_is_kept_only_once_its_doubtful_lines_are_acknowledged(
    db, acted, organiser
):
    with pytest.raises(UnacknowledgedTextWarnings) as refused:
        adoption.load_adopted_text(organiser, acted, ADOPTED)
    assert [w["line"] for w in refused.value.warnings] == [7]
    assert db.session.get(AdoptedAct, acted.id).text_loaded_at is None
    act = adoption.load_adopted_text(organiser, acted, ADOPTED, acknowledge_warnings=True)
    assert [a["number"] for a in act.text_articles] == ["1er", "2", "2 undecies"]
    adoption.load_adopted_text(organiser, acted, ADOPTED)  # the same text again: no new tick


def test_the_page_shows_the_lines_and_saves_once_ticked(client, db, login_as, acted, organiser):
    login_as(organiser)
    url = f"/gestion/consultations/{acted.slug}/texte-adopte"
    refused = client.post(url, data={"text": ADOPTED, "action": "save"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "1 ligne à vérifier" in page and "Ligne 7" in page
    digest = re.search(r'name="acknowledge_warnings" value="([0-9a-f]{64})"', page).group(1)
    saved = client.post(
        url, data={"text": ADOPTED, "action": "save", "acknowledge_warnings": digest}
    )
    assert saved.status_code == 302
    assert db.session.get(AdoptedAct, acted.id).text_loaded_at is not None


def test_the_api_names_the_lines_then_keeps_the_text_when_acknowledged(
    client, db, acted, organiser, bearer
):
    url = f"/api/v1/consultations/{acted.slug}/act"
    body = {"signed_on": _signed_yesterday(), "reference": "Décret n° 2026-5", "text": ADOPTED}
    headers = bearer(organiser)
    refused = client.post(url, json=body, headers=headers)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "unacknowledged_text_warnings"
    assert error["warnings"][0]["text"] == "Article 4 du décret précité"
    saved = client.post(url, json=body | {"acknowledge_warnings": True}, headers=headers)
    assert saved.status_code == 200
    assert "2-undecies" in {a["key"] for a in saved.get_json()["articles"]}

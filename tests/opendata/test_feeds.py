"""The Atom feed of a consultation's contributions: newest first, what the public pages show."""

import re
import xml.etree.ElementTree as ET

from consultation.core.charter import ModerationReason
from consultation.moderation import services as moderation
from consultation.participation import services as participation

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_shows_new_contributions_as_the_public_pages_do(
    client, db, make_consultation, make_user
):
    consultation = make_consultation("open")
    author = make_user(display_name="Camille <b>")
    kept = participation.submit_contribution(
        author, consultation, kind="comment", body="Premier & dernier avis <script>."
    )
    hidden = participation.submit_contribution(
        make_user(), consultation, kind="comment", body="Texte injurieux à masquer."
    )
    regretful = make_user()
    withdrawn = participation.submit_contribution(
        regretful, consultation, kind="comment", body="Je retire ce texte."
    )
    moderation.hide_contribution(make_user("moderator"), hidden, ModerationReason.insult, note="")
    participation.withdraw_contribution(regretful, withdrawn)
    db.session.commit()

    response = client.get(f"/consultations/{consultation.slug}/contributions.atom")
    assert response.status_code == 200
    assert response.content_type.startswith("application/atom+xml")
    feed = ET.fromstring(response.data)  # well-formed: the author's markup is escaped
    entries = feed.findall(f"{ATOM}entry")
    contents = [entry.find(f"{ATOM}content").text for entry in entries]
    assert len(entries) == 2
    assert contents[1] == "Premier & dernier avis <script>."
    assert "masquée par la modération" in contents[0] and "injurieux" not in response.text
    assert "Je retire" not in response.text
    assert entries[1].find(f"{ATOM}author/{ATOM}name").text == "Camille <b>"
    assert entries[1].find(f"{ATOM}id").text.endswith(f"/contributions/{kept.id}")


def test_a_draft_has_no_public_feed(client, make_consultation):
    draft = make_consultation("draft", title="Projet encore secret")
    for slug in (draft.slug, "inconnue"):
        response = client.get(f"/consultations/{slug}/contributions.atom")
        assert response.status_code == 404 and response.mimetype == "text/html"
        page = response.get_data(as_text=True)
        assert "Erreur 404" in page and "Projet encore secret" not in page


def test_the_contributions_page_announces_its_feed(client, make_consultation):
    consultation = make_consultation("open")
    page = client.get(f"/consultations/{consultation.slug}/contributions").get_data(as_text=True)
    assert f'href="/consultations/{consultation.slug}/contributions.atom"' in page


def test_the_datasets_are_linked_from_the_consultation_and_the_catalogue(client, make_consultation):
    consultation = make_consultation("open")
    exports = (
        f"/api/v1/consultations/{consultation.slug}/export.json",
        f"/api/v1/consultations/{consultation.slug}/export.csv",
        f"/api/v1/consultations/{consultation.slug}/export.zip",
        f"/consultations/{consultation.slug}/contributions.atom",
    )
    for page in (f"/consultations/{consultation.slug}", "/donnees-ouvertes"):
        html = client.get(page).get_data(as_text=True)
        for url in exports:
            assert f'href="{url}"' in html, (page, url)
    guide = client.get("/api").get_data(as_text=True)
    assert 'href="/api/v1/openapi.json"' in guide and "next_cursor" in guide
    assert "If-None-Match" in guide and "Licence Ouverte 2.0" in guide


def test_the_api_guide_states_the_configured_limits(app, client):
    guide = re.sub("[ \n]+", " ", client.get("/api").get_data(as_text=True))
    assert "1\u202f200 par minute" in guide and "10 par minute, 120 par heure" in guide
    assert "(100 par page, 1\u202f000 au plus)" in guide
    assert "(requête de plus de 4 Mo, hors routes recevant un fichier)" in guide
    app.config["API_READ_LIMITS_PER_ADDRESS"] = "30 per second;5000 per day"
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    guide = re.sub("[ \n]+", " ", client.get("/api").get_data(as_text=True))
    assert "(requête de plus de 2 Mo, hors routes recevant un fichier)" in guide
    client.get("/langue/en?suivant=/api")
    guide = re.sub("[ \n]+", " ", client.get("/api").get_data(as_text=True))
    assert "30 per second, 5,000 per day" in guide

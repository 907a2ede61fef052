"""The back-office shows the lines of a text that look like headings without being understood
and saves the text only once the organiser has ticked that they were checked."""

from __future__ import annotations

import re

from consultation.consultations.models import Consultation
from consultation.texts import services as texts
from tests.consultations.test_views import _form
from tests.helpers import SAMPLE_TEXT

DOUBTFUL = SAMPLE_TEXT + "Article L. 123-4 du code de l'urbanisme\n"
NEW = "/gestion/consultations/nouvelle"


def _count(db) -> int:
    return db.session.scalar(db.select(db.func.count(Consultation.id)))


def _digest(page: str) -> str:
    return re.search(r'name="acknowledge_warnings" value="([0-9a-f]{64})"', page).group(1)


def test_preview_lists_each_doubtful_line_and_offers_the_checkbox(client, login_as, organiser, db):
    login_as(organiser)
    response = client.post(NEW, data=_form(text=DOUBTFUL, action="preview"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "1 ligne à vérifier" in page and "fr-alert--warning" in page
    assert "Ligne 13" in page and "Article L. 123-4 du code de l&#39;urbanisme" in page
    assert "lue comme un alinéa de l&#39;article 3" in page
    assert _digest(page) == texts.preview_text(DOUBTFUL).warnings_digest
    assert "J&#39;ai vérifié les lignes signalées" in page


def test_saving_without_ticking_is_refused_with_the_warnings_shown(client, login_as, organiser, db):
    login_as(organiser)
    response = client.post(NEW, data=_form(text=DOUBTFUL))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _count(db) == 0
    assert "Ligne 13" in page and "Aperçu de la structure" in page
    assert 'id="acknowledge_warnings-error"' in page and 'href="#acknowledge_warnings"' in page
    assert "Article L. 123-4 du code de l&#39;urbanisme" in page  # the typed text is kept

    saved = client.post(NEW, data=_form(text=DOUBTFUL, acknowledge_warnings=_digest(page)))
    assert saved.status_code == 302 and _count(db) == 1
    article = db.session.scalar(db.select(Consultation)).current_version.articles[-1]
    assert [p.text for p in article.paragraphs][-1] == "Article L. 123-4 du code de l'urbanisme"


def test_a_tick_given_for_other_warnings_does_not_save(client, login_as, organiser, db):
    login_as(organiser)
    stale = texts.preview_text(SAMPLE_TEXT + "Article 9 du code\n").warnings_digest
    response = client.post(NEW, data=_form(text=DOUBTFUL, acknowledge_warnings=stale))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _count(db) == 0
    assert (
        'value="' + stale not in page
        and "checked" not in page.split("acknowledge_warnings")[1][:200]
    )


def test_the_draft_page_recalls_the_lines_confirmed_and_saving_it_again_needs_no_tick(
    client, login_as, organiser, make_consultation, db
):
    consultation = make_consultation("draft", text=DOUBTFUL, acknowledge_warnings=True)
    login_as(organiser)
    url = f"/gestion/consultations/{consultation.slug}"
    page = client.get(url).get_data(as_text=True)
    assert "ont été confirmées" in page or "a été confirmée" in page
    assert "ligne 13" in page
    saved = client.post(url, data=_form(title="Titre corrigé", text=DOUBTFUL))
    assert saved.status_code == 302
    assert db.session.get(Consultation, consultation.id).title == "Titre corrigé"


def test_a_latin_numbered_article_is_previewed_as_an_article(client, login_as, organiser, db):
    login_as(organiser)
    text = SAMPLE_TEXT + "Article 3 undecies\nOnze.\nArticle 3 quaterdecies B\n(Supprimé)\n"
    page = client.post(NEW, data=_form(text=text, action="preview")).get_data(as_text=True)
    assert "5 articles" in page and "Article 3 quaterdecies B — (Supprimé)" in page
    assert "lignes à vérifier" not in page and "ligne à vérifier" not in page

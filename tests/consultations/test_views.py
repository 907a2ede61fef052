"""Public pages and the organisers' back-office, through the test client."""

import re
from datetime import timedelta

from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.participation import services as participation
from tests.helpers import SAMPLE_TEXT, count_queries


def _form(**overrides):
    opens = clock.to_paris(clock.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    closes = opens + timedelta(days=20)
    data = {
        "title": "Projet de loi sur les forêts",
        "summary": "Protéger les forêts.",
        "legal_basis": "crpa_l131_1",
        "opens_at": opens.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        "notice_object": "Recueillir l'avis du public.",
        "notice_organiser": "Ministère de l'Exemple",
        "notice_observations_published": "y",
        "notice_who_may_participate": "Tout le monde.",
        "notice_how_to_participate": "En ligne.",
        "notice_explanatory_note": "Le projet protège les forêts.",
        "notice_entry_into_force": "Immédiate.",
        "notice_moderation_charter": "Respect.",
        "notice_personal_data_notice": "RGPD.",
        "notice_synthesis_expected_on": (closes.date() + timedelta(days=30)).isoformat(),
        "text": SAMPLE_TEXT,
        "action": "save",
    }
    data.update(overrides)
    return data


def test_home_lists_consultations_by_status_and_hides_drafts(client, make_consultation):
    make_consultation("open", title="Consultation ouverte sur l'eau")
    make_consultation("scheduled", title="Consultation annoncée sur l'air")
    make_consultation("closed", title="Consultation close sur le sol")
    make_consultation("draft", title="Brouillon confidentiel")
    page = client.get("/").get_data(as_text=True)
    assert "Consultation ouverte sur l&#39;eau" in page
    assert "Consultation annoncée sur l&#39;air" in page
    assert "Consultation close sur le sol" in page and "Synthèse attendue" in page
    assert "Brouillon confidentiel" not in page
    assert page.index("Consultations ouvertes") < page.index("Consultations à venir")


def test_consultation_page_shows_notice_dates_toc_and_anchored_text(client, make_consultation):
    consultation = make_consultation("open")
    response = client.get(f"/consultations/{consultation.slug}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert (
        "Modalités de la consultation" in page
        and "Recueillir l&#39;avis du public sur le projet." in page
    )
    # The reference is a catalogue message (named in the reader's language), written as is.
    assert "Code des relations entre le public et l'administration, art. L131-1" in page
    assert 'id="article-1"' in page and 'id="article-1-alinea-2"' in page
    assert 'href="#article-3"' in page  # table of contents
    assert consultation.current_version.sha256 in page
    assert "(heure de Paris)" in page


def test_article_page_and_unknown_article(client, make_consultation):
    consultation = make_consultation("open")
    page = client.get(f"/consultations/{consultation.slug}/articles/2").get_data(as_text=True)
    assert (
        "<h1>Article 2</h1>" in page and "Les consultations sont ouvertes à toute personne." in page
    )
    assert f"/consultations/{consultation.slug}/articles/3" in page  # next article
    assert client.get(f"/consultations/{consultation.slug}/articles/99").status_code == 404


def test_organiser_previews_then_saves_a_draft(client, login_as, organiser, db):
    login_as(organiser)
    preview = client.post("/gestion/consultations/nouvelle", data=_form(action="preview"))
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Aperçu de la structure" in page and "3 articles" in page
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0
    saved = client.post("/gestion/consultations/nouvelle", data=_form())
    assert saved.status_code == 302
    consultation = db.session.scalar(db.select(Consultation))
    assert consultation.title == "Projet de loi sur les forêts"
    assert (
        consultation.opens_at.tzinfo is not None and len(consultation.current_version.articles) == 3
    )


def test_bad_text_is_refused_next_to_the_field_and_kept(client, login_as, organiser, db):
    login_as(organiser)
    typed = "Ceci n'a aucun article mais beaucoup de mots tapés avec soin."
    response = client.post("/gestion/consultations/nouvelle", data=_form(text=typed))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Ceci n&#39;a aucun article" in page  # what was typed is kept
    assert re.search(r'id="text-error"', page)
    assert db.session.scalar(db.select(db.func.count(Consultation.id))) == 0


def test_uploaded_text_file_is_imported(client, login_as, organiser, db):
    import io

    login_as(organiser)
    data = _form(text="")
    data["text_file"] = (io.BytesIO(SAMPLE_TEXT.encode()), "projet.md")
    response = client.post(
        "/gestion/consultations/nouvelle", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert len(db.session.scalar(db.select(Consultation)).current_version.articles) == 3


def test_publishing_below_minimum_shows_the_earliest_closing(
    client, login_as, organiser, make_consultation, db
):
    consultation = make_consultation("draft", days=10)
    login_as(organiser)
    response = client.post(
        f"/gestion/consultations/{consultation.slug}/publier", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert "15 jours calendaires" in page and "ne peut intervenir avant le" in page
    db.session.refresh(consultation)
    assert consultation.published_at is None


def test_publishing_then_extending_from_the_back_office(
    client, login_as, organiser, make_consultation, db
):
    consultation = make_consultation("draft")
    login_as(organiser)
    response = client.post(
        f"/gestion/consultations/{consultation.slug}/publier", follow_redirects=True
    )
    assert "La consultation est publiée." in response.get_data(as_text=True)
    new_close = clock.to_paris(consultation.closes_at + timedelta(days=5))
    extended = client.post(
        f"/gestion/consultations/{consultation.slug}/prolonger",
        data={
            "closes_at": new_close.strftime("%Y-%m-%dT%H:%M"),
            "reason": "Demandes des associations",
        },
    )
    assert extended.status_code == 302
    page = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Prolongée le" in page and "Demandes des associations" in page


def test_extension_to_an_earlier_date_is_refused_with_the_form_kept(
    client, login_as, organiser, make_consultation
):
    consultation = make_consultation("open")
    login_as(organiser)
    earlier = clock.to_paris(consultation.closes_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/gestion/consultations/{consultation.slug}/prolonger",
        data={"closes_at": earlier, "reason": "Motif tapé"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "jamais raccourcie" in page and "Motif tapé" in page


def test_atom_feed_lists_published_consultations_only(client, make_consultation):
    make_consultation("open", title="Visible dans le flux")
    make_consultation("draft", title="Absent du flux")
    response = client.get("/consultations.atom")
    assert response.content_type.startswith("application/atom+xml")
    body = response.get_data(as_text=True)
    assert "<title>Visible dans le flux</title>" in body and "Absent du flux" not in body


def test_new_draft_form_starts_from_the_default_notice(client, login_as, organiser, institution):
    login_as(organiser)
    page = client.get("/gestion/consultations/nouvelle").get_data(as_text=True)
    assert f'value="{institution.name}"'.replace("'", "&#39;") in page
    assert "Les contributions doivent respecter les personnes et la loi." in page
    checkbox = re.search(r'<input[^>]*id="notice_observations_published"[^>]*>', page).group()
    assert "checked" in checkbox


def test_consultation_page_queries_do_not_grow_with_text_contributions_or_votes(
    client, db, make_consultation, make_user
):
    long_text = "\n".join(
        f"{'TITRE ' + str(n // 10 + 1) + chr(10) + 'Titre' + chr(10) if n % 10 == 1 else ''}Article {n}\nAlinéa un.\nAlinéa deux."
        for n in range(1, 61)
    )
    short = make_consultation("open", title="Court")
    long = make_consultation("open", title="Long", text=long_text)
    assert len(long.current_version.articles) == 60
    short_queries = count_queries(client, db, f"/consultations/{short.slug}")
    first, second = long.current_version.articles[:2]
    voters = [make_user() for _ in range(6)]
    for voter, value in zip(voters, ["agree"] * 3 + ["mixed"] + ["disagree"] * 2, strict=True):
        participation.cast_article_vote(voter, first, value)
        participation.cast_article_vote(voter, second, "agree")
        participation.submit_contribution(
            voter, long, kind="comment", article_id=first.id, body="Un commentaire."
        )
    db.session.commit()
    assert count_queries(client, db, f"/consultations/{long.slug}") == short_queries

    page = client.get(f"/consultations/{long.slug}").get_data(as_text=True)
    activity = re.findall(r'<p class="[^"]*article-activity">(.*?)</p>', page, re.S)
    assert len(activity) == 60
    first_line = " ".join(activity[0].split())
    assert first_line.startswith(
        "6 contributions · 6 avis (d'accord : 3, mitigé : 1, pas d'accord : 2)"
    )
    assert " ".join(activity[1].split()).startswith(
        "Aucune contribution · 6 avis (d'accord : 6, mitigé : 0, pas d'accord : 0)"
    )
    assert " ".join(activity[2].split()).startswith("Aucune contribution · aucun avis ·")


def test_only_an_organiser_changes_a_draft_in_the_back_office(
    client, login_as, make_user, make_consultation, db
):
    """A moderator of the institution reads the draft but may not change it (403, the draft as
    it was); an unknown address is a 404."""
    draft = make_consultation("draft", title="Brouillon sur les forêts")
    login_as(make_user("moderator"))
    url = f"/gestion/consultations/{draft.slug}"
    assert client.get(url).status_code == 200
    assert client.post(url, data=_form(title="Changé par un modérateur")).status_code == 403
    db.session.expire_all()
    assert db.session.get(Consultation, draft.id).title == "Brouillon sur les forêts"
    assert client.post("/gestion/consultations/inconnue", data=_form()).status_code == 404

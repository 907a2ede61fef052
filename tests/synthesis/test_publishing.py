"""Editing and publishing the synthesis: what publication requires, who may publish and when,
versions, the public page, the consultation's status, the PDF and the API."""

import re
from datetime import date, timedelta

import pytest

from consultation.core import clock
from consultation.core.errors import (
    InvalidState,
    NotAllowed,
    SynthesisIncomplete,
    ValidationFailed,
)
from consultation.synthesis import follow_ups, pdf, publishing
from consultation.synthesis.models import Synthesis, SynthesisVersion
from tests.helpers import download


@pytest.fixture
def environmental(make_consultation):
    return make_consultation("closed", legal_basis="env_l123_19_1", title="Plan climat")


def _ready(db, actor, consultation, body="## Ce que disent les contributions\n\nBeaucoup."):
    publishing.save_synthesis(actor, consultation, body=body)
    follow_ups.create_follow_up(actor, consultation, title="Un décret d'application")
    db.session.commit()


def test_publication_is_refused_with_the_list_of_what_is_missing(db, closed, organiser):
    with pytest.raises(SynthesisIncomplete) as error:
        publishing.publish_synthesis(organiser, closed, "")
    assert error.value.code == "synthesis_incomplete"
    assert set(error.value.fields) == {"body", "follow_ups"}
    assert error.value.fields["body"] == "Rédigez le texte de la synthèse."

    publishing.save_synthesis(organiser, closed, body="   \n  ")
    follow_ups.create_follow_up(organiser, closed, title="Un décret")
    with pytest.raises(SynthesisIncomplete) as error:
        publishing.publish_synthesis(organiser, closed, "")
    assert set(error.value.fields) == {"body"}
    assert closed.synthesis_published_at is None


def test_the_raw_draft_is_not_published_until_its_warning_is_removed(db, closed, organiser):
    from consultation.synthesis import jobs

    jobs.launch(jobs.start_draft(organiser, closed).id)  # inline in tests
    draft = publishing.working_text(closed)
    assert draft.startswith("*Brouillon calculé le")
    _ready(db, organiser, closed, body=draft)
    with pytest.raises(SynthesisIncomplete) as error:
        publishing.publish_synthesis(organiser, closed, "")
    assert set(error.value.fields) == {"body"}
    assert "avertissement du brouillon" in error.value.fields["body"]

    publishing.save_synthesis(organiser, closed, body=draft.split("\n\n", 1)[1])
    assert publishing.publish_synthesis(organiser, closed, "").number == 1


def test_environmental_bases_also_need_the_observations_and_the_statement_of_reasons(
    db, environmental, organiser
):
    _ready(db, organiser, environmental)
    with pytest.raises(SynthesisIncomplete) as error:
        publishing.publish_synthesis(organiser, environmental, "")
    assert set(error.value.fields) == {"observations_considered", "reasons_url"}
    assert "environnement" in error.value.fields["reasons_url"]

    with pytest.raises(ValidationFailed) as error:
        publishing.save_synthesis(
            organiser, environmental, body="Texte.", reasons_url="javascript:alert(1)"
        )
    assert "http" in error.value.fields["reasons_url"]
    publishing.save_synthesis(
        organiser,
        environmental,
        body="Texte.",
        observations_considered="Les observations sur le calendrier ont été retenues.",
        reasons_url="https://exemple.gouv.fr/motifs.pdf",
    )
    version = publishing.publish_synthesis(organiser, environmental, "")
    assert version.number == 1 and version.reasons_url == "https://exemple.gouv.fr/motifs.pdf"


def test_publication_waits_for_the_closing_and_the_institution_staff(
    db, make_consultation, closed, organiser, make_user, make_institution
):
    opened = make_consultation("open")
    _ready(db, organiser, opened)
    with pytest.raises(InvalidState, match="close"):
        publishing.publish_synthesis(organiser, opened, "")
    _ready(db, organiser, closed)
    for outsider in (
        make_user(),
        make_user("organiser", institution=make_institution()),
        make_user("moderator", institution=make_institution()),
    ):
        with pytest.raises(NotAllowed):
            publishing.save_synthesis(outsider, closed, body="Réécrite.")
        with pytest.raises(NotAllowed):
            publishing.publish_synthesis(outsider, closed, "")
    assert db.session.scalar(db.select(db.func.count()).select_from(SynthesisVersion)) == 0
    # Moderators of the institution edit and publish too.
    version = publishing.publish_synthesis(make_user("moderator"), closed, "")
    assert version.number == 1


def test_versions_each_with_a_change_note_never_a_duplicate(db, closed, organiser, make_user):
    _ready(db, organiser, closed, body="Première rédaction.")
    published = clock.now()
    first = publishing.publish_synthesis(organiser, closed, "", now=published)
    db.session.commit()
    assert (first.number, closed.synthesis_published_at) == (1, published)

    with pytest.raises(InvalidState, match="Rien n'a changé"):
        publishing.publish_synthesis(organiser, closed, "Nouvelle version")
    publishing.save_synthesis(organiser, closed, body="Première rédaction, corrigée.")
    with pytest.raises(ValidationFailed) as error:
        publishing.publish_synthesis(organiser, closed, "  ")
    assert error.value.fields == {"change_note": "Dites ce qui a changé depuis la version 1."}
    second = publishing.publish_synthesis(
        organiser, closed, "Correction d'un chiffre.", now=published + timedelta(days=2)
    )
    db.session.commit()
    assert second.number == 2
    assert closed.synthesis_published_at == published  # the first publication stays the date
    assert [v.body for v in publishing.versions(closed)] == [
        "Première rédaction.",
        "Première rédaction, corrigée.",
    ]


def test_the_version_keeps_the_drafts_data(db, closed, organiser):
    db.session.add(Synthesis(consultation_id=closed.id, draft_data={"figures": {"votes": 12}}))
    db.session.commit()
    _ready(db, organiser, closed)
    version = publishing.publish_synthesis(organiser, closed, "")
    synthesis = publishing.get_synthesis(closed)
    synthesis.draft_data = {"figures": {"votes": 99}}
    db.session.commit()
    db.session.expire_all()
    assert version.data["figures"] == {"votes": 12}
    assert version.data["review"]["themes"] == 0  # the review's figures at the publication


def test_the_working_notes_are_never_published(db, client, closed, organiser, login_as):
    from consultation.synthesis import jobs

    jobs.launch(jobs.start_draft(organiser, closed).id)  # inline in tests
    draft = publishing.working_text(closed)
    assert "Ce que ce brouillon ne dit pas" not in draft
    login_as(organiser)
    for page in ("/synthese", "/synthese/brouillon"):
        shown = client.get(f"/gestion/consultations/{closed.slug}{page}").get_data(as_text=True)
        assert "Notes de travail (jamais publiées)" in shown
        assert "Ce que ce brouillon ne dit pas" in shown
    _ready(db, organiser, closed, body=draft.split("\n\n", 1)[1])
    version = publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    assert "notes" in publishing.get_synthesis(closed).draft_data
    assert "notes" not in version.data
    public = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    response = client.get(f"/api/v1/consultations/{closed.slug}/synthesis")
    assert response.status_code == 200 and response.json["versions"]
    document = response.get_data(as_text=True)
    for text in (public, version.body, document):
        assert "Ce que ce brouillon ne dit pas" not in text and "Notes de travail" not in text


def test_the_public_page_before_and_after_publication(db, client, make_consultation, organiser):
    closed = make_consultation("closed")
    expected = closed.notice.synthesis_expected_on
    days = clock.paris_days_between(closed.closes_at, clock.now())
    before = client.get(f"/consultations/{closed.slug}/synthese")
    text = before.get_data(as_text=True)
    assert before.status_code == 200
    assert "Synthèse attendue" in text
    assert f"close depuis {days} jours" in text
    assert f"{expected.day} " in text and str(expected.year) in text

    _ready(db, organiser, closed, body="## Les constats\n\nLe **délai** est jugé trop court.")
    publishing.publish_synthesis(
        organiser, closed, "", now=clock.add_paris_days(closed.closes_at, 3) + timedelta(hours=2)
    )
    db.session.commit()
    after = client.get(f"/consultations/{closed.slug}/synthese")
    text = after.get_data(as_text=True)
    assert "Synthèse attendue" not in text
    assert "3 jours après la clôture" in text
    assert '<h2 id="synthese-les-constats">Les constats</h2>' in text
    assert "<strong>délai</strong>" in text
    assert "Un décret d&#39;application" in text or "Un décret d'application" in text
    assert f"/consultations/{closed.slug}/synthese.pdf" in text


def test_the_page_opens_with_the_summary_then_the_follow_ups_then_the_contents(
    db, client, closed, organiser
):
    body = (
        "La consultation a surtout porté sur le délai.\n\n## Les constats\n\nTrop court.\n\n"
        '## Les thèmes\n\nTrois thèmes.\n\n<h2 id="main">Imposteur</h2>'
    )
    _ready(db, organiser, closed, body=body)
    publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    text = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    summary = text.index("La consultation a surtout porté sur le délai.")
    follow_up = text.index("Un décret d&#39;application")
    contents = text.index('class="fr-summary')
    first_part = text.index('<h2 id="synthese-les-constats">Les constats</h2>')
    assert summary < follow_up < contents < first_part
    toc = text[contents : text.index("</nav>", contents)]
    assert 'href="#synthese-les-constats" lang="fr">Les constats</a>' in toc  # the text's French
    assert 'href="#synthese-les-themes" lang="fr">Les thèmes</a>' in toc
    # A heading written in the text cannot take the id of another part of the page.
    assert 'id="main"' not in text and "<h2>Imposteur</h2>" in text


def test_the_data_is_in_closed_accordions_without_the_days_without_activity(
    db, client, closed, organiser
):
    from consultation.synthesis import jobs

    jobs.launch(jobs.start_draft(organiser, closed).id)  # inline in tests
    _ready(db, organiser, closed, body="## Les constats\n\nTrop court.")
    version = publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    per_day = version.data["figures"]["per_day"]
    quiet = [d for d in per_day if not d["contributions"]]
    assert quiet, "the consultation has days without contributions"
    text = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    data = text[text.index('id="donnees-titre"') :]
    assert '<details class="synthesis-accordion" id="donnees-participation">' in data
    assert "<details open" not in data and " open>" not in data  # all closed
    assert "Contributions déposées par jour</summary>" in data
    assert f"Jours sans activité omis du tableau ({len(quiet)})." in data
    day = date.fromisoformat(quiet[0]["date"])
    assert f'<th scope="row">{day:%d/%m/%Y}</th><td>0</td>' not in data


def test_earlier_versions_stay_readable(db, client, closed, organiser):
    _ready(db, organiser, closed, body="Le texte de la première version.")
    publishing.publish_synthesis(organiser, closed, "")
    publishing.save_synthesis(organiser, closed, body="Le texte amendé.")
    publishing.publish_synthesis(organiser, closed, "Ajout des chiffres définitifs.")
    db.session.commit()
    latest = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    assert "Le texte amendé." in latest and "Le texte de la première version." not in latest
    assert "Ajout des chiffres définitifs." in latest
    assert f"/consultations/{closed.slug}/synthese/versions/1" in latest
    first = client.get(f"/consultations/{closed.slug}/synthese/versions/1")
    assert first.status_code == 200
    text = first.get_data(as_text=True)
    assert "Le texte de la première version." in text and "Elle a été remplacée" in text
    assert client.get(f"/consultations/{closed.slug}/synthese/versions/3").status_code == 404


def test_the_consultation_page_shows_the_new_status(db, client, closed, organiser, login_as):
    page = client.get(f"/consultations/{closed.slug}").get_data(as_text=True)
    assert "Terminée — synthèse attendue" in page and "Synthèse attendue" in page
    _ready(db, organiser, closed)
    login_as(organiser)
    published = client.post(
        f"/gestion/consultations/{closed.slug}/synthese/publier", data={"change_note": ""}
    )
    assert published.status_code == 302
    with client.session_transaction() as session:
        session.clear()
    # The anonymous page, served from the page cache before, shows the change at once.
    page = client.get(f"/consultations/{closed.slug}").get_data(as_text=True)
    assert "Terminée — synthèse publiée" in page and "Lire la synthèse" in page
    assert "Terminée — synthèse attendue" not in page
    listing = client.get("/").get_data(as_text=True)
    assert "synthèse publiée" in listing.lower()


def test_a_script_in_the_text_never_reaches_the_page(db, client, closed, organiser, login_as):
    body = "Texte <script>alert('x')</script> et <img src=x onerror=alert(1)> **gras**"
    _ready(db, organiser, closed, body=body)
    login_as(organiser)
    preview = client.post(
        f"/gestion/consultations/{closed.slug}/synthese", data={"body": body, "action": "preview"}
    )
    assert preview.status_code == 200
    rendered = preview.get_data(as_text=True).split("Aperçu (non enregistré)")[1]
    assert "<script>alert" not in rendered and "onerror" not in rendered
    assert "<strong>gras</strong>" in rendered
    publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    page = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    assert "<script>alert" not in page and "onerror=" not in page
    assert "<strong>gras</strong>" in page


def test_the_pdf(db, client, closed, organiser):
    assert client.get(f"/consultations/{closed.slug}/synthese.pdf").status_code == 404
    _ready(db, organiser, closed, body="## Constats\n\nDes **œuvres** « citées » — et un tableau.")
    publishing.publish_synthesis(organiser, closed, "")
    publishing.save_synthesis(organiser, closed, body="Deuxième texte.")
    publishing.publish_synthesis(organiser, closed, "Reprise.")
    db.session.commit()
    response = client.get(f"/consultations/{closed.slug}/synthese.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "synthese-" in response.headers["Content-Disposition"]
    earlier = client.get(f"/consultations/{closed.slug}/synthese.pdf?version=1")
    assert earlier.status_code == 200 and earlier.data != response.data
    for wrong in ("9", "x", "0"):
        assert (
            client.get(f"/consultations/{closed.slug}/synthese.pdf?version={wrong}").status_code
            == 404
        )


@pytest.mark.parametrize("font_dir", ["system", "none"])
def test_the_pdf_builder_writes_the_title_with_or_without_a_unicode_font(monkeypatch, font_dir):
    if font_dir == "none":
        monkeypatch.setattr(pdf, "FONT_DIRS", ())
    document = pdf.build_pdf(
        consultation_title="Projet de loi « Œuvres »",
        institution="Ministère de l'Exemple",
        version_number=1,
        published_at=clock.now(),
        days_after_closing=4,
        change_note="",
        body="## Constats\n\n| a | b |\n|---|---|\n| 1 |\n\n- un\n- deux",
        follow_ups=[pdf.FollowUpLine("Un décret", "Annoncée", "15/03/2027", "", "")],
        compress=False,
    )
    assert document.startswith(b"%PDF")
    # The document's title, beside those of its outline (its table of contents).
    titles = [
        bytes.fromhex(title.decode()).decode("utf-16-be")
        for title in re.findall(rb"/Title <feff([0-9a-f]+)>", document)
    ]
    assert "Synthèse — Projet de loi « Œuvres »" in titles
    if font_dir == "none":  # Helvetica: the text itself is readable in the stream
        assert b"Un d\xe9cret" in document


def test_the_editor_starts_from_the_draft_and_lists_what_is_missing(
    db, client, environmental, organiser, login_as
):
    db.session.add(
        Synthesis(consultation_id=environmental.id, draft_markdown="## Brouillon généré\n\nTexte.")
    )
    db.session.commit()
    login_as(organiser)
    url = f"/gestion/consultations/{environmental.slug}/synthese"
    page = client.get(url).get_data(as_text=True)
    assert "## Brouillon généré" in page
    assert "Avant de publier, il manque" in page
    assert "Annoncez au moins une suite envisagée." in page
    assert "Observations prises en compte" in page and "déclaration des motifs" in page.lower()
    assert f"/gestion/consultations/{environmental.slug}/synthese/brouillon" in page

    typed = "Mon texte **retravaillé**."
    refused = client.post(
        url, data={"body": typed, "reasons_url": "pas une adresse", "action": "save"}
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Adresse web attendue" in text and "pas une adresse" in text and typed in text
    saved = client.post(
        url,
        data={
            "body": typed,
            "observations_considered": "Les observations 3 et 7.",
            "reasons_url": "https://exemple.gouv.fr/motifs",
            "action": "save",
        },
    )
    assert saved.status_code == 302
    synthesis = publishing.get_synthesis(environmental)
    assert (
        synthesis.body == typed and synthesis.observations_considered == "Les observations 3 et 7."
    )
    incomplete = client.post(f"{url}/publier", data={"change_note": ""})
    assert incomplete.status_code == 422
    assert "Annoncez au moins une suite envisagée." in incomplete.get_data(as_text=True)
    assert environmental.synthesis_published_at is None


def test_the_editor_is_for_the_institution_staff(
    db, client, closed, make_user, make_institution, login_as
):
    url = f"/gestion/consultations/{closed.slug}/synthese"
    login_as(make_user())
    assert client.get(url).status_code == 403
    login_as(make_user("organiser", institution=make_institution()))
    assert client.get(url).status_code == 403
    assert client.post(f"{url}/publier", data={}).status_code == 403
    login_as(make_user("moderator"))
    assert client.get(url).status_code == 200


def test_draft_consultations_have_no_public_synthesis(db, client, make_consultation):
    draft = make_consultation("draft")
    assert client.get(f"/consultations/{draft.slug}/synthese").status_code == 404
    assert client.get(f"/consultations/{draft.slug}/synthese.pdf").status_code == 404


def test_the_api_saves_and_publishes(db, client, closed, organiser, make_user, bearer):
    headers = bearer(organiser)
    base = f"/api/v1/consultations/{closed.slug}/synthesis"
    incomplete = client.post(f"{base}/publish", json={}, headers=headers)
    assert incomplete.status_code == 422
    error = incomplete.get_json()["error"]
    assert error["code"] == "synthesis_incomplete"
    assert set(error["fields"]) == {"body", "follow_ups"}

    saved = client.put(
        base,
        json={
            "body": "## Synthèse\n\nTexte.",
            "follow_ups": [
                {"title": "Décret", "description": "Avant l'été.", "due_date": "2027-06-01"}
            ],
        },
        headers=headers,
    )
    assert saved.status_code == 200
    document = saved.get_json()
    assert document["problems"] == {}
    assert document["follow_ups"][0]["due_date"] == "2027-06-01"
    assert document["follow_ups"][0]["status"] == "announced"

    published = client.post(f"{base}/publish", json={}, headers=headers)
    assert published.status_code == 201
    assert published.get_json()["number"] == 1
    again = client.post(f"{base}/publish", json={"change_note": "Rien"}, headers=headers)
    assert (again.status_code, again.get_json()["error"]["code"]) == (409, "invalid_state")
    assert "Rien n'a changé" in again.get_json()["error"]["message"]

    outsider = client.post(f"{base}/publish", json={}, headers=bearer(make_user()))
    assert (outsider.status_code, outsider.get_json()["error"]["code"]) == (403, "forbidden")

    public = client.get(base).get_json()  # anonymous: the public parts only
    assert public["published"] is True
    assert public["latest"]["body"] == "## Synthèse\n\nTexte."
    assert public["published_days_after_closing"] == clock.paris_days_between(
        closed.closes_at, clock.now()
    )
    assert public["follow_ups"][0]["history"][0]["kind"] == "created"
    assert "draft" not in public and "problems" not in public
    staff = client.get(base, headers=headers).get_json()
    assert staff["problems"] == {} and staff["body"] == "## Synthèse\n\nTexte."


def test_each_version_is_entered_in_the_tamper_evident_record(
    db, client, runner, closed, organiser, tmp_path
):
    _ready(db, organiser, closed)
    publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    response = download(client, f"/api/v1/consultations/{closed.slug}/export.json")
    export = response.get_data(as_text=True)
    assert '\\"kind\\":\\"synthesis\\"' in export or '"kind":"synthesis"' in export
    path = tmp_path / "export.json"
    path.write_text(export, encoding="utf-8")
    result = runner.invoke(args=["ledger", "verify", str(path)])
    assert result.exit_code == 0, result.output

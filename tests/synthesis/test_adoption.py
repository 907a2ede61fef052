"""After the synthesis: the adopted act (refused before the synthesis is public), the adopted
text compared with the consulted one, the contributions behind each change, the authors told;
and the official answers shown in the public lists, the API list and the export."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale

from consultation.core import clock
from consultation.core.errors import (
    InvalidState,
    NotAllowed,
    SynthesisNotPublished,
    ValidationFailed,
)
from consultation.participation import services as participation
from consultation.synthesis import adoption
from consultation.synthesis import services as answers
from consultation.synthesis.models import AdoptedAct, ChangeLink, SynthesisVersion
from tests.helpers import PASSWORD, count_queries, download

NEW_WORDING = "Les consultations sont ouvertes à toute personne majeure résidant en France."
ADOPTED_TEXT = f"""TITRE Ier
DISPOSITIONS GÉNÉRALES

Article 1er
La présente loi a pour objet de favoriser la participation du public.
Elle s'applique aux administrations de l'État.

Article 2
{NEW_WORDING}

Article 4
Un rapport d'évaluation est remis au Parlement chaque année.
"""


def _close(db, consultation) -> None:
    """End the consultation an hour ago (contributions were made while it was open)."""
    consultation.closes_at = clock.now() - timedelta(hours=1)
    db.session.commit()


def _publish_synthesis(db, consultation) -> None:
    now = clock.now()
    db.session.add(
        SynthesisVersion(
            consultation_id=consultation.id, number=1, body="La synthèse.", published_at=now
        )
    )
    consultation.synthesis_published_at = now
    db.session.commit()


@pytest.fixture
def world(db, make_consultation, make_user, organiser):
    """A consultation on SAMPLE_TEXT with, while it was open: a planted amendment of article 2
    whose wording is the adopted one, an unrelated amendment of article 2, contributions
    answered retained (two by Alice, one by an erased account, one offline) and one not
    retained; then closed."""
    consultation = make_consultation("open")
    articles = {a.slug: a for a in consultation.current_version.articles}
    alice, bob, carol, erased = (
        make_user(display_name="Alice"),
        make_user(display_name="Bob"),
        make_user(display_name="Carol"),
        make_user(display_name="Effacé"),
    )

    def submit(author, **values):
        return participation.submit_contribution(author, consultation, **values)

    planted = submit(
        bob,
        kind="amendment",
        article_id=articles["2"].id,
        body="Réserver la participation aux personnes concernées.",
        proposed_text=NEW_WORDING,
    )
    unrelated = submit(
        carol,
        kind="amendment",
        article_id=articles["2"].id,
        body="Autre idée.",
        proposed_text="Le ministre chargé de l'environnement fixe chaque année la liste des "
        "projets concernés par un décret simple publié au Journal officiel.",
    )
    retained = submit(
        alice, kind="argument", position="for", article_id=articles["1"].id, body="Très bien."
    )
    partly = submit(alice, kind="comment", article_id=articles["3"].id, body="Le décret tarde.")
    rejected = submit(carol, kind="comment", body="Tout réécrire.")
    gone = submit(erased, kind="comment", body="Je pars ensuite.")
    offline = participation.record_offline_observation(
        organiser,
        consultation,
        channel="letter",
        author_name="M. Courrier",
        body="Par lettre : d'accord.",
        received_at=clock.now() - timedelta(days=1),
    )
    db.session.flush()
    for item, status in (
        (retained, "retained"),
        (partly, "partially_retained"),
        (rejected, "not_retained"),
        (gone, "retained"),
        (offline, "retained"),
        (planted, "partially_retained"),
    ):
        answers.answer_contribution(organiser, item, status, f"Réponse {status}.")
    db.session.commit()
    participation.erase_participant(erased, PASSWORD)
    db.session.commit()
    _close(db, consultation)
    return {
        "consultation": consultation,
        "planted": planted,
        "unrelated": unrelated,
        "retained": retained,
        "partly": partly,
        "rejected": rejected,
        "alice": alice,
        "bob": bob,
        "carol": carol,
    }


@pytest.fixture
def published(db, world):
    _publish_synthesis(db, world["consultation"])
    return world


def _signed_yesterday() -> str:
    return f"{clock.to_paris(clock.now()).date() - timedelta(days=1):%d/%m/%Y}"


def _record(organiser, consultation, **overrides):
    values = {
        "signed_on": _signed_yesterday(),
        "reference": "Décret n° 2026-123",
        "url": "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000000000001",
    }
    values.update(overrides)
    return adoption.record_act(organiser, consultation, **values)


# --- The act ----------------------------------------------------------------------------------


def test_the_act_is_refused_until_the_synthesis_is_published(db, world, organiser):
    consultation = world["consultation"]
    with pytest.raises(SynthesisNotPublished) as error:
        _record(organiser, consultation)
    assert error.value.code == "synthesis_not_published" and error.value.status == 409
    assert "synthèse" in error.value.message
    assert db.session.get(AdoptedAct, consultation.id) is None

    _publish_synthesis(db, consultation)
    act = _record(organiser, consultation)
    db.session.commit()
    assert act.reference == "Décret n° 2026-123"
    assert act.signed_on == clock.to_paris(clock.now()).date() - timedelta(days=1)

    _record(organiser, consultation, reference="Décret n° 2026-124", url="")
    db.session.commit()
    corrected = db.session.get(AdoptedAct, consultation.id)
    assert (corrected.reference, corrected.url) == ("Décret n° 2026-124", "")


def test_dates_and_links_of_the_act_are_checked_in_french(db, published, organiser):
    consultation = published["consultation"]
    today = clock.to_paris(clock.now()).date()
    cases = {
        "31/02/2026": "Cette date n'existe pas",
        "2026-13-01": "Cette date n'existe pas",
        "demain": "Date attendue au format JJ/MM/AAAA",
        "": "Indiquez la date",
        f"{today + timedelta(days=2):%d/%m/%Y}": "ne peut pas être dans le futur",
        f"{today - timedelta(days=400):%d/%m/%Y}": "ne peut pas précéder l'ouverture",
    }
    for typed, message in cases.items():
        with pytest.raises(ValidationFailed) as error:
            _record(organiser, consultation, signed_on=typed)
        assert message in error.value.fields["signed_on"], typed
    opened = clock.to_paris(consultation.opens_at).date()
    with pytest.raises(ValidationFailed) as error:
        _record(organiser, consultation, signed_on=f"{opened - timedelta(days=1):%d/%m/%Y}")
    assert f"(le {clock.format_day(opened)})" in error.value.fields["signed_on"]
    assert re.search(r"\(le \d{1,2} [a-zéû]+ \d{4}\)", error.value.fields["signed_on"])
    with force_locale("en"), pytest.raises(ValidationFailed) as error:
        _record(organiser, consultation, signed_on=f"{opened - timedelta(days=1):%Y-%m-%d}")
    assert re.search(r"\(\d{1,2} [A-Z][a-z]+ \d{4}\)\.$", error.value.fields["signed_on"])
    with pytest.raises(ValidationFailed) as error:
        _record(organiser, consultation, reference=" ", url="javascript:alert(1)")
    assert set(error.value.fields) == {"reference", "url"}
    iso = _record(organiser, consultation, signed_on=f"{today:%Y-%m-%d}")
    assert iso.signed_on == today


def test_only_the_institutions_organisers_record_the_act(
    db, published, make_user, make_institution
):
    consultation = published["consultation"]
    for intruder in (
        make_user(),
        make_user("moderator"),
        make_user("organiser", institution=make_institution()),
    ):
        with pytest.raises(NotAllowed):
            _record(intruder, consultation)
    assert _record(make_user("admin"), consultation).reference == "Décret n° 2026-123"


def test_the_act_form_explains_and_shows_the_refusal(client, db, login_as, world, organiser):
    consultation = world["consultation"]
    login_as(organiser)
    url = f"/gestion/consultations/{consultation.slug}/acte"
    page = client.get(url).get_data(as_text=True)
    assert "La synthèse doit d'abord être publiée" in page
    typed = {"signed_on": _signed_yesterday(), "reference": "Décret n° 2026-9", "url": ""}
    refused = client.post(url, data=typed)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Publiez d&#39;abord la synthèse" in text and 'value="Décret n° 2026-9"' in text

    _publish_synthesis(db, consultation)
    wrong = client.post(url, data=typed | {"signed_on": "30/02/2026"})
    assert wrong.status_code == 422
    assert "Cette date n&#39;existe pas" in wrong.get_data(as_text=True)
    assert 'value="30/02/2026"' in wrong.get_data(as_text=True)
    saved = client.post(url, data=typed)
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(
        f"/gestion/consultations/{consultation.slug}/texte-adopte"
    )
    assert db.session.get(AdoptedAct, consultation.id).reference == "Décret n° 2026-9"


def test_the_api_refuses_the_act_before_the_synthesis_then_records_it_with_its_text(
    client, db, world, organiser, make_user, make_institution, bearer
):
    consultation = world["consultation"]
    url = f"/api/v1/consultations/{consultation.slug}/act"
    body = {"signed_on": _signed_yesterday(), "reference": "Décret n° 2026-5", "text": ADOPTED_TEXT}
    headers = bearer(organiser)
    early = client.post(url, json=body, headers=headers)
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "synthesis_not_published"

    _publish_synthesis(db, consultation)
    other = bearer(make_user("organiser", institution=make_institution()))
    assert client.post(url, json=body, headers=other).status_code == 403
    assert client.post(url, json=body, headers=bearer(make_user())).status_code == 403
    wrong = client.post(
        url, json=body | {"signed_on": "2026-02-30", "url": "ftp://x"}, headers=headers
    )
    assert wrong.status_code == 422
    assert set(wrong.get_json()["error"]["fields"]) == {"signed_on", "url"}
    bad_text = client.post(url, json=body | {"text": "Pas un texte de loi."}, headers=headers)
    assert bad_text.status_code == 422
    assert bad_text.get_json()["error"]["code"] == "invalid_text"
    db.session.expire_all()
    assert db.session.get(AdoptedAct, consultation.id) is None  # nothing half-saved

    saved = client.post(url, json=body, headers=headers)
    assert saved.status_code == 200
    data = saved.get_json()
    assert data["act"]["reference"] == "Décret n° 2026-5" and data["act"]["text_sha256"]
    statuses = {a["key"]: a["status"] for a in data["articles"]}
    assert statuses == {"1": "unchanged", "2": "modified", "3": "removed", "4": "added"}


# --- The adopted text and the comparison --------------------------------------------------


def test_an_adopted_text_that_does_not_parse_names_the_line_and_keeps_the_text(
    client, db, login_as, published, organiser
):
    consultation = published["consultation"]
    with pytest.raises(InvalidState):
        adoption.load_adopted_text(organiser, consultation, ADOPTED_TEXT)
    _record(organiser, consultation)
    db.session.commit()
    broken = "Article 1er\nPremier alinéa.\n\nArticle 1er\nEncore le même numéro.\n"
    with pytest.raises(ValidationFailed) as error:
        adoption.load_adopted_text(organiser, consultation, broken)
    assert "ligne" in error.value.fields["text"]

    login_as(organiser)
    url = f"/gestion/consultations/{consultation.slug}/texte-adopte"
    page = client.post(url, data={"text": broken, "action": "save"})
    text = page.get_data(as_text=True)
    assert page.status_code == 422
    assert "lignes 1 et 4" in text and "Encore le même numéro." in text
    assert db.session.get(AdoptedAct, consultation.id).text_loaded_at is None
    preview = client.post(url, data={"text": ADOPTED_TEXT, "action": "preview"})
    assert preview.status_code == 200 and "Aperçu de la structure" in preview.get_data(as_text=True)
    assert db.session.get(AdoptedAct, consultation.id).text_loaded_at is None


def test_the_comparison_shows_modified_added_and_removed_articles(db, published, organiser):
    consultation = published["consultation"]
    _record(organiser, consultation)
    act = adoption.load_adopted_text(organiser, consultation, ADOPTED_TEXT)
    db.session.commit()
    assert [a["number"] for a in act.text_articles] == ["1er", "2", "4"]
    changes = {c.key: c for c in adoption.compare(consultation)}
    assert [c.key for c in adoption.compare(consultation)] == ["1", "2", "3", "4"]
    assert changes["1"].status == "unchanged"
    modified = changes["2"]
    assert modified.status == "modified"
    added_words = "".join(s.text for p in modified.paragraphs for s in p if s.op == "added")
    removed_words = "".join(s.text for p in modified.paragraphs for s in p if s.op == "removed")
    assert "majeure résidant en France." in added_words and "personne." in removed_words
    assert changes["3"].status == "removed"
    assert changes["3"].paragraphs[0][0].op == "removed"
    assert "décret en Conseil d'État" in changes["3"].paragraphs[0][0].text
    assert changes["4"].status == "added"
    assert changes["4"].paragraphs == (
        (
            adoption.Segment(
                "added", "Un rapport d'évaluation est remis au Parlement chaque année."
            ),
        ),
    )


def test_a_paragraph_inserted_does_not_shift_the_others():
    before = ["Premier alinéa.", "Deuxième alinéa.", "Troisième alinéa."]
    after = ["Premier alinéa.", "Alinéa nouveau.", "Deuxième alinéa.", "Troisième alinéa modifié."]
    shown = adoption.paragraph_diff(before, after)
    assert [[s.op for s in p] for p in shown] == [
        ["same"],
        ["added"],
        ["same"],
        ["same", "removed", "added"],
    ]


def test_the_planted_amendment_is_suggested_first_and_the_unrelated_one_is_not(
    db, published, organiser
):
    consultation = published["consultation"]
    _record(organiser, consultation)
    adoption.load_adopted_text(organiser, consultation, ADOPTED_TEXT)
    db.session.commit()
    changes = {c.key: c for c in adoption.compare(consultation)}
    suggested = adoption.suggest_links(consultation, changes["2"])
    ids = [c.id for c, _score in suggested]
    assert ids[0] == published["planted"].id and suggested[0][1] == pytest.approx(1.0)
    assert published["unrelated"].id not in ids
    retained_on_1 = adoption.suggest_links(consultation, changes["1"])
    assert [c.id for c, score in retained_on_1] == [published["retained"].id]
    assert (
        adoption.similarity("Un texte sans rapport.", NEW_WORDING) < adoption.SUGGESTION_THRESHOLD
    )


def test_confirmed_links_show_on_the_public_page_and_their_authors_are_told_once(
    client, db, published, organiser, outbox
):
    consultation = published["consultation"]
    _record(organiser, consultation)
    adoption.load_adopted_text(organiser, consultation, ADOPTED_TEXT)
    db.session.commit()
    before = len(outbox())
    planted, unrelated = published["planted"], published["unrelated"]
    with pytest.raises(ValidationFailed):  # article 1 did not change
        adoption.confirm_links(organiser, consultation, "1", [planted.id])
    with pytest.raises(ValidationFailed):  # not on article 3
        adoption.confirm_links(organiser, consultation, "3", [planted.id])
    adoption.confirm_links(organiser, consultation, "2", [planted.id, unrelated.id])
    db.session.commit()
    adoption.confirm_links(organiser, consultation, "2", [str(planted.id)])
    db.session.commit()
    links = db.session.scalars(db.select(ChangeLink.contribution_id)).all()
    assert links == [planted.id]
    mails = outbox()[before:]
    assert sorted(to for to, _subject, _body in mails) == sorted(
        [published["bob"].email, published["carol"].email]
    )
    assert any(planted.tracking_number in subject for _to, subject, _body in mails)

    page = client.get(f"/consultations/{consultation.slug}/texte-adopte")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Décret n° 2026-123" in text
    assert '<del><span class="fr-sr-only">[supprimé : </span>' in text
    assert '<ins><span class="fr-sr-only">[ajouté : </span>' in text
    assert f"/consultations/{consultation.slug}/contributions/{planted.id}" in text
    assert unrelated.tracking_number not in text
    api = client.get(f"/api/v1/consultations/{consultation.slug}/adopted-text").get_json()
    article_2 = next(a for a in api["articles"] if a["key"] == "2")
    assert article_2["contribution_ids"] == [planted.id]
    assert {"op": "added", "text": "personne majeure résidant en France."} in article_2[
        "paragraphs"
    ][0]


def test_the_back_office_confirms_the_suggested_contributions(
    client, db, login_as, published, organiser
):
    consultation = published["consultation"]
    _record(organiser, consultation)
    db.session.commit()
    login_as(organiser)
    url = f"/gestion/consultations/{consultation.slug}/texte-adopte"
    saved = client.post(url, data={"text": ADOPTED_TEXT, "action": "save"})
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    planted = published["planted"]
    assert f'name="contribution" value="{planted.id}"' in page
    assert f'value="{published["unrelated"].id}"' not in page
    confirmed = client.post(f"{url}/articles/2/contributions", data={"contribution": [planted.id]})
    assert confirmed.status_code == 302
    assert db.session.scalars(db.select(ChangeLink.contribution_id)).all() == [planted.id]
    refused = client.post(f"{url}/articles/1/contributions", data={"contribution": [planted.id]})
    assert refused.status_code == 422
    assert "n&#39;a pas changé" in refused.get_data(as_text=True)


def test_authors_of_retained_contributions_are_told_once_when_the_text_is_first_loaded(
    db, published, organiser, outbox
):
    consultation = published["consultation"]
    _record(organiser, consultation)
    db.session.commit()
    before = len(outbox())
    adoption.load_adopted_text(organiser, consultation, ADOPTED_TEXT)
    db.session.commit()
    mails = outbox()[before:]
    # Alice (two retained contributions: one e-mail) and Bob; not Carol (not retained), not the
    # erased account, not the offline observation.
    assert sorted(to for to, _s, _b in mails) == sorted(
        [published["alice"].email, published["bob"].email]
    )
    alice_mail = next(body for to, _s, body in mails if to == published["alice"].email)
    assert published["retained"].tracking_number in alice_mail
    assert published["partly"].tracking_number in alice_mail
    assert f"/consultations/{consultation.slug}/texte-adopte" in alice_mail
    adoption.load_adopted_text(organiser, consultation, ADOPTED_TEXT + "\nArticle 5\nEncore.\n")
    db.session.commit()
    assert len(outbox()) == before + 2  # loading a corrected text tells no one again


# --- Public pages -------------------------------------------------------------------------


def test_the_public_page_before_the_act_and_for_drafts(client, db, world, make_consultation):
    consultation = world["consultation"]
    page = client.get(f"/consultations/{consultation.slug}/texte-adopte")
    assert page.status_code == 200 and "Pas encore d'acte adopté" in page.get_data(as_text=True)
    draft = make_consultation("draft")
    assert client.get(f"/consultations/{draft.slug}/texte-adopte").status_code == 404
    assert client.get(f"/api/v1/consultations/{draft.slug}/adopted-text").status_code == 404
    assert (
        client.get(f"/api/v1/consultations/{consultation.slug}/adopted-text").get_json()["act"]
        is None
    )


def test_the_consultation_page_links_the_adopted_text_once_the_act_is_recorded(
    client, db, published, organiser
):
    consultation = published["consultation"]
    url = f"/consultations/{consultation.slug}"
    assert "texte-adopte" not in client.get(url).get_data(as_text=True)
    _record(organiser, consultation)
    db.session.commit()
    text = client.get(url).get_data(as_text=True)  # the cached page is not served again
    assert f"/consultations/{consultation.slug}/texte-adopte" in text
    assert "Décret n° 2026-123" in text


# --- Answers in the lists and the export ---------------------------------------------------


def test_answers_show_in_the_public_lists_without_a_query_per_contribution(
    client, db, world, make_user, organiser
):
    consultation = world["consultation"]
    text = client.get(f"/consultations/{consultation.slug}/contributions").get_data(as_text=True)
    assert "Réponse officielle : Retenue en partie" in text
    assert "Réponse officielle : Non retenue" in text
    article = client.get(f"/consultations/{consultation.slug}/articles/1").get_data(as_text=True)
    assert "Réponse officielle : Retenue" in article

    url = f"/consultations/{consultation.slug}/contributions?ordre=recent"
    few = count_queries(client, db, url)
    for n in range(5):
        item = participation.submit_contribution(
            make_user(),
            consultation,
            kind="comment",
            body=f"Encore un avis {n}.",
            now=consultation.closes_at - timedelta(minutes=5),
        )
        db.session.flush()
        answers.answer_contribution(organiser, item, "under_study", "À l'étude.")
    db.session.commit()
    assert count_queries(client, db, url) == few


def test_answers_are_in_the_api_list_and_in_the_export(client, db, world):
    consultation = world["consultation"]
    listed = client.get(f"/api/v1/consultations/{consultation.slug}/contributions?sort=recent")
    by_id = {c["id"]: c for c in listed.get_json()["contributions"]}
    assert by_id[world["partly"].id]["answer"]["status"] == "partially_retained"
    assert by_id[world["unrelated"].id]["answer"] is None

    export = download(client, f"/api/v1/consultations/{consultation.slug}/export.json")
    document = json.loads(export.get_data(as_text=True))
    by_number = {c["tracking_number"]: c for c in document["contributions"]}
    answer = by_number[world["rejected"].tracking_number]["answer"]
    assert answer["status"] == "not_retained" and answer["body"] == "Réponse not_retained."
    assert answer["answered_at"]
    assert by_number[world["unrelated"].tracking_number]["answer"] is None

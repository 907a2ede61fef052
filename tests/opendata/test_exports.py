"""The contributions as CSV, the authors in the exports without personal data, and the
conditional requests that spare a reuser a download when nothing changed."""

import csv
import io
import json
from datetime import timedelta

import pytest

from consultation.accounts import services as accounts
from consultation.core import clock
from consultation.core.charter import ModerationReason
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import services as answers
from tests.helpers import PASSWORD, download


@pytest.fixture
def world(db, make_consultation, make_user, organiser):
    consultation = make_consultation("open")
    person = make_user(display_name="Camille", email="camille.secret@example.org")
    association = make_user(email="contact.secret@example.org")
    accounts.update_profile(
        association,
        display_name="Asso Eau",
        profile_type="organisation",
        organisation_category="association",
        organisation_name="Association Eau Vive",
        hatvp_number="H123456789",
    )
    kept = participation.submit_contribution(
        person, consultation, kind="comment", body='Un avis, avec "guillemets",\nsur deux lignes.'
    )
    organisation = participation.submit_contribution(
        association, consultation, kind="comment", body="L'avis de l'association."
    )
    hidden = participation.submit_contribution(
        make_user(), consultation, kind="comment", body="Propos injurieux."
    )
    moderation.hide_contribution(make_user("moderator"), hidden, ModerationReason.insult)
    answers.answer_contribution(organiser, kept, "under_study", "Nous étudions ce point.")
    db.session.commit()
    return consultation, kept, organisation, hidden


def _rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_contributions_csv_says_what_the_json_says(client, world):
    consultation, kept, organisation, hidden = world
    response = client.get(f"/api/v1/consultations/{consultation.slug}/export.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = {row["tracking_number"]: row for row in _rows(response)}
    assert len(rows) == 3
    first = rows[kept.tracking_number]
    assert first["body"] == 'Un avis, avec "guillemets",\nsur deux lignes.'
    assert (first["author_type"], first["author_name"]) == ("individual", "Camille")
    assert (first["answer_status"], first["answer_body"]) == (
        "under_study",
        "Nous étudions ce point.",
    )
    asso = rows[organisation.tracking_number]
    assert (asso["author_type"], asso["organisation"], asso["hatvp_number"]) == (
        "organisation",
        "Association Eau Vive",
        "H123456789",
    )
    assert asso["organisation_category"] == "association"
    masked = rows[hidden.tracking_number]
    assert (masked["state"], masked["hidden_reason"], masked["body"]) == ("hidden", "insult", "")

    document = json.loads(
        download(client, f"/api/v1/consultations/{consultation.slug}/export.json").get_data()
    )
    by_number = {c["tracking_number"]: c for c in document["contributions"]}
    assert by_number[kept.tracking_number]["body"] == first["body"]
    assert by_number[organisation.tracking_number]["author"]["organisation"] == (
        "Association Eau Vive"
    )
    assert by_number[hidden.tracking_number]["body"] is None


def test_the_exports_hold_no_personal_data(client, world):
    consultation, kept, organisation, hidden = world
    for name in ("export.json", "export.csv", "export-fr.csv"):
        url = f"/api/v1/consultations/{consultation.slug}/{name}"
        text = download(client, url).get_data(as_text=True)
        # The public side of each author is there; their e-mail and the hidden text are not.
        assert "Camille" in text and "Association Eau Vive" in text, name
        assert kept.tracking_number in text and hidden.tracking_number in text, name
        assert "secret@example.org" not in text and "@example.org" not in text, name
        assert "Propos injurieux" not in text, name


def test_a_reuser_downloads_again_only_what_changed(client, db, world, make_user, organiser):
    consultation, kept, *_rest = world
    for name in ("export.json", "export.csv"):
        url = f"/api/v1/consultations/{consultation.slug}/{name}"
        first = download(client, url)  # read whole, as a reuser does
        assert kept.tracking_number in first.get_data(as_text=True), name
        tag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert tag.startswith('W/"')
        unchanged = client.get(url, headers={"If-None-Match": tag})
        assert unchanged.status_code == 304 and unchanged.data == b""
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304

    url = f"/api/v1/consultations/{consultation.slug}/export.csv"
    previous = download(client, url)
    assert len(_rows(previous)) == 3
    tag = previous.headers["ETag"]
    participation.submit_contribution(make_user(), consultation, kind="comment", body="Un de plus.")
    db.session.commit()
    after_contribution = download(client, url, headers={"If-None-Match": tag})
    rows = _rows(after_contribution)
    assert len(rows) == 4 and "Un de plus." in {row["body"] for row in rows}

    tag = after_contribution.headers["ETag"]
    answers.answer_contribution(
        organiser,
        kept,
        "retained",
        "Retenue.",
        now=clock.now() + timedelta(seconds=2),
    )
    db.session.commit()
    answered = download(client, url, headers={"If-None-Match": tag})
    assert {row["tracking_number"]: row for row in _rows(answered)}[kept.tracking_number][
        "answer_status"
    ] == "retained"


def test_an_author_renaming_themselves_moves_the_exports_of_their_consultations_only(
    client, db, world, make_consultation
):
    consultation, kept, *_rest = world
    elsewhere = make_consultation("open", title="Une autre consultation")
    db.session.commit()

    def tag(slug: str) -> str:
        return download(client, f"/api/v1/consultations/{slug}/export.csv").headers["ETag"]

    before, other_before = tag(consultation.slug), tag(elsewhere.slug)
    accounts.update_profile(kept.author, display_name="Camille", profile_type="individual")
    db.session.commit()  # nothing public changed
    assert tag(consultation.slug) == before
    updated_at = consultation.updated_at
    accounts.update_profile(kept.author, display_name="Camille D.", profile_type="individual")
    db.session.commit()
    response = download(
        client,
        f"/api/v1/consultations/{consultation.slug}/export.csv",
        headers={"If-None-Match": before},
    )
    assert {row["author_name"] for row in _rows(response)} >= {"Camille D.", "Asso Eau"}
    assert tag(elsewhere.slug) == other_before
    db.session.refresh(consultation)
    assert consultation.updated_at == updated_at  # the consultation itself did not change

    renamed = tag(consultation.slug)
    accounts.erase_account(kept.author, PASSWORD)
    db.session.commit()
    assert tag(consultation.slug) != renamed


def test_unknown_and_draft_consultations_have_no_export(client, make_consultation):
    draft = make_consultation("draft")
    for slug in (draft.slug, "inconnue"):
        response = client.get(f"/api/v1/consultations/{slug}/export.csv")
        assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    unknown_format = client.get(f"/api/v1/consultations/{draft.slug}/export.xml")
    assert unknown_format.status_code == 404
    assert unknown_format.json["error"]["code"] == "not_found"


def test_the_zip_holds_one_csv_per_entity_described_by_its_data_package(client, world):
    import zipfile

    consultation, kept, organisation, hidden = world
    response = client.get(f"/api/v1/consultations/{consultation.slug}/export.zip")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/zip" and response.headers["ETag"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.testzip() is None
    package = json.loads(archive.read("datapackage.json"))
    assert package["licenses"][0]["title"] == "Licence Ouverte 2.0"
    assert "Licence Ouverte" in archive.read("LICENCE").decode()
    assert "contributions.csv" in archive.read("README.md").decode()
    for resource in package["resources"]:
        rows = list(csv.reader(io.StringIO(archive.read(resource["path"]).decode("utf-8"))))
        assert rows[0] == [field["name"] for field in resource["schema"]["fields"]]
        for row in rows[1:]:
            assert len(row) == len(rows[0])
            for value, field in zip(row, resource["schema"]["fields"], strict=True):
                if field["type"] == "integer" and value:
                    int(value)
    contributions = list(csv.DictReader(io.StringIO(archive.read("contributions.csv").decode())))
    assert {row["tracking_number"] for row in contributions} == {
        kept.tracking_number,
        organisation.tracking_number,
        hidden.tracking_number,
    }
    moderation = {
        row["reason"]: row
        for row in csv.DictReader(io.StringIO(archive.read("moderation.csv").decode()))
    }
    assert moderation["insult"]["hidden"] == "1"
    ledger = list(csv.DictReader(io.StringIO(archive.read("ledger.csv").decode())))
    assert len(ledger) >= 3 and all(len(row["leaf_hash"]) == 64 for row in ledger)
    records = json.loads(
        download(client, f"/api/v1/consultations/{consultation.slug}/export.json").get_data()
    )["records"]
    expected = io.StringIO()  # ledger.csv is written by hand: exactly what csv.writer writes
    writer = csv.writer(expected, lineterminator="\r\n")
    writer.writerow(["index", "kind", "leaf", "leaf_hash"])
    for record in records:
        kind = json.loads(record["leaf"])["kind"]
        writer.writerow([record["index"], kind, record["leaf"], record["leaf_hash"]])
    assert archive.read("ledger.csv").decode() == expected.getvalue()
    assert "@example.org" not in b"".join(archive.read(n) for n in archive.namelist()).decode()
    schema = client.get("/api/v1/schemas/datapackage.json").json
    assert [r["name"] for r in schema["resources"]] == [r["name"] for r in package["resources"]]


def test_the_zip_and_the_json_give_the_same_text_votes_and_answers(client, db, world, make_user):
    import zipfile

    consultation, kept, _organisation, _hidden = world
    participation.cast_contribution_vote(make_user(), kept, "disagree")
    db.session.commit()
    base = f"/api/v1/consultations/{consultation.slug}"
    document = json.loads(download(client, f"{base}/export.json").get_data())
    archive = zipfile.ZipFile(io.BytesIO(download(client, f"{base}/export.zip").get_data()))

    def table(name: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode())))

    assert document["licence"]["name"] == "Licence Ouverte 2.0"
    assert document["consultation"]["status"] == "open"
    [notice] = table("notice")
    assert notice["organiser"] == document["notice"]["organiser"] != ""
    articles = document["articles"]
    assert articles and [row["number"] for row in table("articles")] == [
        a["number"] for a in articles
    ]
    paragraphs = table("paragraphs")
    assert len(paragraphs) == sum(len(a["paragraphs"]) for a in articles) > 0
    assert paragraphs[0]["text"] == articles[0]["paragraphs"][0]["text"]
    assert len(table("article_votes")) == len(articles)
    votes = {row["tracking_number"]: row for row in table("contribution_votes")}
    assert votes[kept.tracking_number]["disagree"] == "1"
    [answer] = table("answers")
    assert (answer["tracking_number"], answer["status"], answer["body"]) == (
        kept.tracking_number,
        "under_study",
        "Nous étudions ce point.",
    )
    hidden = {r["reason"]: r for r in document["moderation"]["by_reason"]}["insult"]
    assert hidden["hidden"] == 1


def test_a_real_export_validates_against_its_published_schema(client, world):
    from jsonschema import Draft202012Validator

    consultation, *_rest = world
    schema = client.get("/api/v1/schemas/export.json")
    assert schema.status_code == 200 and schema.mimetype == "application/schema+json"
    Draft202012Validator.check_schema(schema.json)
    document = json.loads(
        download(client, f"/api/v1/consultations/{consultation.slug}/export.json").get_data()
    )
    assert document["consultation"]["slug"] == consultation.slug
    assert len(document["contributions"]) == 3
    validator = Draft202012Validator(schema.json)
    assert [error.message for error in validator.iter_errors(document)] == []
    document["contributions"][0]["state"] = "effacée"
    assert list(validator.iter_errors(document))  # the schema does constrain


def test_the_synthesis_enters_the_export_once_published(client, db, closed, organiser):
    from jsonschema import Draft202012Validator

    from consultation.synthesis import follow_ups, publishing

    publishing.save_synthesis(organiser, closed, body="## Ce que disent les contributions")
    follow_ups.create_follow_up(organiser, closed, title="Un décret d'application")
    db.session.commit()
    url = f"/api/v1/consultations/{closed.slug}/export.json"
    before = json.loads(download(client, url).get_data())
    assert before["synthesis"] == {"versions": [], "follow_ups": []}  # in preparation: private

    publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    after = json.loads(download(client, url).get_data())
    [version] = after["synthesis"]["versions"]
    assert version["number"] == 1 and version["body"] == "## Ce que disent les contributions"
    [follow_up] = after["synthesis"]["follow_ups"]
    assert follow_up["title"] == "Un décret d'application" and follow_up["history"]
    schema = client.get("/api/v1/schemas/export.json").json
    assert list(Draft202012Validator(schema).iter_errors(after)) == []

    import zipfile

    archive = zipfile.ZipFile(
        io.BytesIO(download(client, f"/api/v1/consultations/{closed.slug}/export.zip").get_data())
    )
    [row] = csv.DictReader(io.StringIO(archive.read("synthesis_versions.csv").decode()))
    assert (row["number"], row["body"]) == ("1", "## Ce que disent les contributions")
    [row] = csv.DictReader(io.StringIO(archive.read("follow_ups.csv").decode()))
    assert row["title"] == "Un décret d'application" and row["status"] == "announced"
    events = list(csv.DictReader(io.StringIO(archive.read("follow_up_events.csv").decode())))
    assert events and {event["follow_up_id"] for event in events} == {row["id"]}
    assert events[0]["kind"] == "created"

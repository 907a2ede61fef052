"""No text of a withdrawn or hidden contribution, nor of its official answer, on any surface.

One consultation holds a contribution hidden by moderation and one withdrawn by its author, each
with an official answer, and a published one as a control. Every public surface — pages, feeds,
every API route that returns contributions, each export and each CSV of the ZIP, the published
synthesis that quoted the hidden one before it was hidden — is read: none shows their texts (nor
their earlier wordings) nor their answers' texts, while the answers' statuses are still shown
where answers are; the control's texts and answer are, which proves each surface was looked at.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator

from consultation.api.openapi import document
from consultation.core.charter import ModerationReason
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.participation.models import ContributionState, contribution_state
from consultation.synthesis import follow_ups, jobs, publishing
from consultation.synthesis import services as answers
from consultation.synthesis.models import Synthesis
from tests.helpers import download

HIDDEN = {
    "title": "Zqhiddentitle",
    "body": "Zqhiddenbody est la proposition à masquer.",
    "proposed_text": "Zqhiddenproposal remplace l'alinéa.",
}
HIDDEN_ANSWER = "Zqhiddenanswer : nous retenons cette proposition."
WITHDRAWN = {
    "title": "Zqwithdrawntitle",
    "body": "Zqwithdrawnbody cite une étude.",
    "url": "https://etude.example/Zqwithdrawnlink",
}
WITHDRAWN_EARLIER = "Zqwithdrawnearlier, la première rédaction."
WITHDRAWN_ANSWER = "Zqwithdrawnanswer : cette étude ne s'applique pas."
KEPT_BODY = "Zqkeptbody : la participation améliore les textes."
KEPT_ANSWER = "Zqkeptanswer : nous étudions ce point."

SECRETS = (
    *(text.split()[0] for text in HIDDEN.values()),
    "Zqhiddenanswer",
    "Zqwithdrawntitle",
    "Zqwithdrawnbody",
    "Zqwithdrawnlink",
    "Zqwithdrawnearlier",
    "Zqwithdrawnanswer",
)


@pytest.fixture
def world(db, make_consultation, make_user, organiser):
    """A closed consultation: the hidden amendment was quoted by the draft and the published
    synthesis before moderation hid it; the withdrawn source was edited, answered, withdrawn."""
    consultation = make_consultation("closed")
    first = consultation.current_version.articles[0]
    day_one = consultation.opens_at + timedelta(days=1)
    day_two = consultation.opens_at + timedelta(days=2)
    author, other, reader = make_user(), make_user(), make_user()

    hidden = participation.submit_contribution(
        author, consultation, kind="amendment", article_id=first.id, now=day_one, **HIDDEN
    )
    withdrawn = participation.submit_contribution(
        other,
        consultation,
        kind="source",
        article_id=first.id,
        title=WITHDRAWN["title"],
        body=WITHDRAWN_EARLIER,
        url=WITHDRAWN["url"],
        now=day_one,
    )
    participation.edit_contribution(other, withdrawn, {"body": WITHDRAWN["body"]}, now=day_one)
    kept = participation.submit_contribution(
        reader,
        consultation,
        kind="argument",
        position="for",
        article_id=first.id,
        body=KEPT_BODY,
        now=day_one,
    )
    for voter in (other, reader):
        participation.cast_contribution_vote(voter, hidden, "agree", now=day_one)
    answers.answer_contribution(organiser, hidden, "retained", HIDDEN_ANSWER, now=day_two)
    answers.answer_contribution(organiser, withdrawn, "not_retained", WITHDRAWN_ANSWER, now=day_two)
    answers.answer_contribution(organiser, kept, "under_study", KEPT_ANSWER, now=day_two)
    participation.withdraw_contribution(other, withdrawn, now=day_two)
    db.session.commit()

    # The draft (and the version published from it) quotes the amendment while it is public.
    jobs.launch(jobs.start_draft(organiser, consultation).id)
    db.session.expire_all()
    assert HIDDEN["body"].split()[0] in json.dumps(
        db.session.get(Synthesis, consultation.id).draft_data
    )
    publishing.save_synthesis(organiser, consultation, body="## Synthèse\n\nLe public a répondu.")
    follow_ups.create_follow_up(organiser, consultation, title="Un décret d'application")
    publishing.publish_synthesis(organiser, consultation, "")
    moderation.hide_contribution(make_user("moderator"), hidden, ModerationReason.off_topic)
    db.session.commit()
    return consultation, hidden, withdrawn, kept


def _assert_withheld(text: str, where: str) -> None:
    leaked = [secret for secret in SECRETS if secret in text]
    assert not leaked, f"{where} shows {leaked}"


def _contradictions(instance, name: str) -> list[str]:
    """What in `instance` contradicts the OpenAPI document's component schema `name`."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": document()["components"]}
    return [error.message for error in Draft202012Validator(schema).iter_errors(instance)]


def _csv_rows(text: str, delimiter: str = ",") -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def test_one_rule_says_what_a_contribution_shows(world):
    _consultation, hidden, withdrawn, kept = world
    assert (hidden.state, withdrawn.state, kept.state) == (
        ContributionState.hidden,
        ContributionState.withdrawn,
        ContributionState.published,
    )
    assert [c.is_public for c in (hidden, withdrawn, kept)] == [False, False, True]
    assert contribution_state(withdrawn.withdrawn_at, withdrawn.withdrawn_at).value == "withdrawn"
    assert hidden.answer.public_body is None and withdrawn.answer.public_body is None
    assert kept.answer.public_body == KEPT_ANSWER


def test_no_page_nor_feed_shows_them(client, world):
    consultation, hidden, withdrawn, kept = world
    slug = consultation.slug
    first = consultation.current_version.articles[0]
    pages = [
        "/",
        "/consultations.atom",
        "/donnees-ouvertes",
        "/donnees-ouvertes/registre",
        f"/consultations/{slug}",
        f"/consultations/{slug}/contributions",
        f"/consultations/{slug}/contributions?ordre=recent",
        f"/consultations/{slug}/contributions?ordre=popular",
        f"/consultations/{slug}/contributions?type=amendment",
        f"/consultations/{slug}/contributions?type=source",
        f"/consultations/{slug}/articles/{first.slug}",
        f"/consultations/{slug}/contributions.atom",
        f"/consultations/{slug}/moderation",
        f"/consultations/{slug}/charte",
        f"/consultations/{slug}/synthese",
        f"/consultations/{slug}/synthese/versions/1",
        *(f"/consultations/{slug}/contributions/{c.id}" for c in (hidden, withdrawn, kept)),
    ]
    shown = {}
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        shown[path] = response.get_data(as_text=True)
        _assert_withheld(shown[path], path)
    for c in (hidden, withdrawn):
        # The receipt's number finds the contribution, which shows neither text.
        found = client.get(f"/suivi?numero={c.tracking_number}", follow_redirects=True)
        assert found.status_code == 200 and c.tracking_number in found.get_data(as_text=True)
        _assert_withheld(found.get_data(as_text=True), f"/suivi for {c.tracking_number}")

    hidden_page = shown[f"/consultations/{slug}/contributions/{hidden.id}"]
    assert "Contribution masquée par la modération" in hidden_page
    assert "Retenue" in hidden_page  # the answer's status, not its text
    assert "Le texte de la réponse n'est plus publié" in hidden_page
    withdrawn_page = shown[f"/consultations/{slug}/contributions/{withdrawn.id}"]
    assert "Non retenue" in withdrawn_page and "retirée par son auteur" in withdrawn_page
    listing = shown[f"/consultations/{slug}/contributions?ordre=recent"]
    assert "Réponse officielle : Retenue" in listing
    assert "Réponse officielle : Non retenue" in listing
    # The control shows what the others withhold: each surface was really read.
    assert KEPT_ANSWER in shown[f"/consultations/{slug}/contributions/{kept.id}"]
    assert (
        KEPT_BODY in listing and KEPT_BODY in shown[f"/consultations/{slug}/articles/{first.slug}"]
    )
    assert KEPT_BODY in shown[f"/consultations/{slug}/contributions.atom"]
    assert hidden.tracking_number in shown[f"/consultations/{slug}/contributions.atom"]
    # The synthesis published while the amendment was public still cites it, without its words.
    synthesis_page = shown[f"/consultations/{slug}/synthese"]
    assert f"/contributions/{hidden.id}" in synthesis_page
    assert "texte retiré ou masqué depuis" in synthesis_page


def test_no_api_route_returns_them(client, db, world, organiser, bearer):
    consultation, hidden, withdrawn, kept = world
    slug = consultation.slug
    base = f"/api/v1/consultations/{slug}"
    reads = [
        "/api/v1/consultations",
        base,
        f"{base}/contributions",
        f"{base}/contributions?sort=recent",
        f"{base}/contributions?sort=popular",
        f"{base}/contributions?sort=controversial",
        f"{base}/contributions?kind=amendment",
        f"{base}/contributions?kind=source",
        f"{base}/contributions?article={consultation.current_version.articles[0].id}",
        f"{base}/synthesis",
        f"{base}/moderation",
        f"{base}/adopted-text",
        f"{base}/ledger",
        f"{base}/ledger/entries?start=0",
        *(f"/api/v1/contributions/{c.id}" for c in (hidden, withdrawn, kept)),
    ]
    for path in reads:
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_withheld(response.get_data(as_text=True), path)

    by_id = {
        c["id"]: c for c in client.get(f"{base}/contributions?sort=recent").json["contributions"]
    }
    for c, status in ((hidden, "retained"), (withdrawn, "not_retained")):
        single = client.get(f"/api/v1/contributions/{c.id}").json
        for item in (single, by_id[c.id]):
            assert (item["title"], item["body"], item["proposed_text"], item["url"]) == (None,) * 4
            assert item["answer"]["status"] == status and item["answer"]["body"] is None
            assert _contradictions(item["answer"], "Answer") == []
    assert client.get(f"/api/v1/contributions/{kept.id}").json["answer"]["body"] == KEPT_ANSWER
    assert by_id[kept.id]["answer"]["body"] == KEPT_ANSWER

    # The staff's view of the synthesis: the draft's data no longer quotes the hidden amendment.
    staff = client.get(f"{base}/synthesis", headers=bearer(organiser)).json
    _assert_withheld(json.dumps(staff["draft"]["data"], ensure_ascii=False), "draft data")


def test_no_export_holds_them(client, world):
    consultation, hidden, withdrawn, kept = world
    base = f"/api/v1/consultations/{consultation.slug}"

    text = download(client, f"{base}/export.json").get_data(as_text=True)
    _assert_withheld(text, "export.json")
    contributions = {c["tracking_number"]: c for c in json.loads(text)["contributions"]}
    for c, status in ((hidden, "retained"), (withdrawn, "not_retained")):
        record = contributions[c.tracking_number]
        assert (record["state"], record["body"]) == (c.state.value, None)
        assert record["answer"]["status"] == status and record["answer"]["body"] is None
    assert contributions[kept.tracking_number]["answer"]["body"] == KEPT_ANSWER

    for name, delimiter in (("export.csv", ","), ("export-fr.csv", ";")):
        text = download(client, f"{base}/{name}").get_data(as_text=True)
        _assert_withheld(text, name)
        rows = {row["tracking_number"]: row for row in _csv_rows(text, delimiter)}
        assert rows[hidden.tracking_number]["answer_status"] == "retained"
        assert rows[withdrawn.tracking_number]["answer_status"] == "not_retained"
        assert rows[kept.tracking_number]["answer_body"] == KEPT_ANSWER

    archive = zipfile.ZipFile(io.BytesIO(download(client, f"{base}/export.zip").get_data()))
    names = archive.namelist()
    assert {"contributions.csv", "answers.csv", "ledger.csv"} <= set(names)
    for name in names:
        _assert_withheld(archive.read(name).decode(), f"export.zip/{name}")
    answered = {
        row["tracking_number"]: row for row in _csv_rows(archive.read("answers.csv").decode())
    }
    assert (
        answered[hidden.tracking_number]["status"],
        answered[hidden.tracking_number]["body"],
    ) == (
        "retained",
        "",
    )
    assert answered[withdrawn.tracking_number]["status"] == "not_retained"
    assert answered[kept.tracking_number]["body"] == KEPT_ANSWER

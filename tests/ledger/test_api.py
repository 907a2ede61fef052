"""The record through the API and the pages: signed head, entries, proofs, receipts, export,
the verification page; every bad parameter gets a JSON error, never a 500."""

import base64
import json

import pytest

from consultation.core import clock
from consultation.ledger import merkle, services, signing
from consultation.moderation import services as moderation
from consultation.participation import services as participation


@pytest.fixture
def recorded(db, opened, make_user, make_contribution):
    """An open consultation whose record holds 7 entries: its publication, 6 acts."""
    article = opened.current_version.articles[0]
    for value in ("agree", "mixed", "disagree", "agree", "agree"):
        participation.cast_article_vote(make_user(), article, value)
    make_contribution(opened)  # commits the votes too
    return opened


def test_the_signed_head_is_published_lazily_with_its_key(client, db, recorded):
    body = client.get(f"/api/v1/consultations/{recorded.slug}/ledger").get_json()
    assert {"tree_size", "root_hash", "signature", "public_key", "checkpoint"} <= set(body)
    assert body["tree_size"] == 7 and body["entries_now"] == 7
    hashes = services.leaf_hashes(recorded.id, 7)
    assert body["root_hash"] == merkle.root(hashes).hex()
    key = base64.b64decode(body["public_key"])
    assert client.get("/api/v1/ledger/public-key").get_json()["public_key"] == body["public_key"]
    text, _name = signing.open_note(body["checkpoint"], key)
    assert signing.parse_checkpoint(text).tree_size == 7
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    Ed25519PublicKey.from_public_bytes(key).verify(
        base64.b64decode(body["signature"]), text.encode()
    )
    assert [c["reason"] for c in body["checkpoints"]] == ["opening"]
    again = client.get(f"/api/v1/consultations/{recorded.slug}/ledger").get_json()
    assert again["checkpoints"] == body["checkpoints"]  # not due again within the hour
    listing = client.get(body["checkpoints_url"]).get_json()
    assert [c["id"] for c in listing["checkpoints"]] == [body["checkpoints"][0]["id"]]


def test_entries_and_proofs_verify(client, db, recorded):
    base = f"/api/v1/consultations/{recorded.slug}/ledger"
    client.get(base)  # the opening checkpoint: 7 entries
    entries = client.get(f"{base}/entries?start=0&end=7").get_json()
    assert entries["tree_size"] == 7 and [e["index"] for e in entries["entries"]] == list(range(7))
    for entry in entries["entries"]:
        assert merkle.leaf_hash(entry["leaf"].encode()).hex() == entry["leaf_hash"]
        assert json.loads(entry["leaf"])["index"] == entry["index"]
    head = client.get(base).get_json()
    for index in range(7):
        proof = client.get(f"{base}/proof/inclusion?index={index}").get_json()
        assert proof["tree_size"] == 7 and proof["root_hash"] == head["root_hash"]
        assert merkle.verify_inclusion(
            index,
            7,
            bytes.fromhex(entries["entries"][index]["leaf_hash"]),
            [bytes.fromhex(p) for p in proof["proof"]],
            bytes.fromhex(head["root_hash"]),
        )
    for first in range(1, 8):
        proof = client.get(f"{base}/proof/consistency?first={first}&second=7").get_json()
        assert merkle.verify_consistency(
            first,
            7,
            bytes.fromhex(proof["first_root_hash"]),
            bytes.fromhex(head["root_hash"]),
            [bytes.fromhex(p) for p in proof["proof"]],
        )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("entries?start=-1", "start"),
        ("entries?start=abc", "start"),
        ("entries?start=8", "start"),
        ("entries?start=2&end=1", "end"),
        ("entries?start=0&end=99", "end"),
        ("entries?start=%C2%B2", "start"),
        ("proof/inclusion", "index"),
        ("proof/inclusion?index=7", "index"),
        ("proof/inclusion?index=1&tree_size=1", "index"),
        ("proof/inclusion?index=0&tree_size=8", "tree_size"),
        ("proof/inclusion?index=0&tree_size=0", "tree_size"),
        ("proof/inclusion?index=1e3", "index"),
        ("proof/consistency?first=0&second=7", "first"),
        ("proof/consistency?first=5&second=3", "first"),
        ("proof/consistency?first=1&second=70", "second"),
        ("checkpoints?before=x", "before"),
    ],
)
def test_bad_parameters_get_a_json_error_in_french(client, recorded, query, field):
    response = client.get(f"/api/v1/consultations/{recorded.slug}/ledger/{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    assert any(word in error["message"] for word in ("Paramètre", "registre", "taille", "entrée"))


def test_unknown_draft_or_empty_records_are_json_errors(client, db, make_consultation):
    assert client.get("/api/v1/consultations/inconnue/ledger").get_json()["error"]["code"] == (
        "not_found"
    )
    draft = make_consultation("draft")
    response = client.get(f"/api/v1/consultations/{draft.slug}/ledger")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    # A published consultation's record is never empty: its publication is its first entry.
    quiet = make_consultation("open")
    response = client.get(f"/api/v1/consultations/{quiet.slug}/ledger/proof/inclusion?index=0")
    assert response.status_code == 200 and response.get_json()["tree_size"] == 1


def test_without_a_signing_key_the_api_says_so(client, app, recorded):
    app.config["LEDGER_SIGNING_KEY"] = None
    app.extensions.pop("ledger_signing_key", None)
    try:
        response = client.get(f"/api/v1/consultations/{recorded.slug}/ledger")
    finally:
        app.extensions.pop("ledger_signing_key", None)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "ledger_key_missing"


def test_the_author_gets_the_receipt_by_api_e_mail_and_page(
    client, db, opened, make_user, bearer, outbox
):
    author = make_user()
    response = client.post(
        f"/api/v1/consultations/{opened.slug}/contributions",
        json={"kind": "comment", "body": "Par l'API."},
        headers=bearer(author),
    )
    assert response.status_code == 201
    receipt = response.get_json()["ledger"]
    entry = client.get(f"/api/v1/consultations/{opened.slug}/ledger/entries").get_json()
    assert receipt == {"index": 1, "leaf_hash": entry["entries"][1]["leaf_hash"]}

    _to, _subject, mail = outbox()[-1]
    assert "entrée n° 1" in mail and receipt["leaf_hash"] in mail
    number = response.get_json()["tracking_number"]
    page = client.get(f"/suivi?numero={number}", follow_redirects=True).get_data(as_text=True)
    assert receipt["leaf_hash"] in page and "entrée n° 1" in page


def test_the_export_is_streamed_and_signed_over_every_record(
    client, db, recorded, make_user, leaves
):
    author, moderator = make_user(), make_user("moderator")
    kept = participation.submit_contribution(author, recorded, kind="comment", body="Publié.")
    gone = participation.submit_contribution(author, recorded, kind="comment", body="Retiré.")
    hidden = participation.submit_contribution(author, recorded, kind="comment", body="Insulte.")
    participation.withdraw_contribution(author, gone)
    moderation.hide_contribution(moderator, hidden, "insult")
    db.session.commit()

    slug, consultation_id, entries = recorded.slug, recorded.id, len(leaves(recorded))
    numbers = [c.tracking_number for c in (kept, gone, hidden)]
    response = client.get(f"/api/v1/consultations/{slug}/export.json")
    assert response.status_code == 200 and response.is_streamed
    db.session.remove()  # as after a real request: the stream reads on its own
    text = response.get_data(as_text=True)
    document = json.loads(text)
    assert document["consultation"]["slug"] == slug
    assert document["ledger"]["tree_size"] == len(document["records"]) == entries == 12
    assert [r["index"] for r in document["records"]] == list(range(12))
    texts = {c["tracking_number"]: (c["state"], c["body"]) for c in document["contributions"]}
    assert [texts[number] for number in numbers] == [
        ("published", "Publié."),
        ("withdrawn", None),
        ("hidden", None),
    ]
    assert "Insulte" not in text and "@example.org" not in text
    assert services.latest_checkpoint(consultation_id).tree_size == 12


def test_the_verification_page_gives_the_key_and_the_script(client, app):
    page = client.get("/donnees-ouvertes/registre").get_data(as_text=True)
    with app.app_context():
        assert signing.public_key_base64() in page
    assert "verify_ledger.py" in page and "pip install cryptography" in page
    script = client.get("/static/ledger/verify_ledger.py")
    assert script.status_code == 200 and b"def merkle_root" in script.data
    script.close()
    assert "/donnees-ouvertes/registre" in client.get("/donnees-ouvertes").get_data(as_text=True)


def test_the_verification_page_shows_the_export_address_with_its_placeholder(client):
    """The address's placeholder is text, not a tag the browser would swallow."""
    page = client.get("/donnees-ouvertes/registre").get_data(as_text=True)
    assert "<code>/api/v1/consultations/{adresse-de-la-consultation}/export.json</code>" in page
    assert "<adresse-de-la-consultation>" not in page


def test_reading_the_record_writes_nothing_on_the_consultation_page(client, db, recorded):
    services.make_checkpoint(recorded, clock.now(), "opening")
    db.session.commit()
    client.get(f"/consultations/{recorded.slug}")
    assert len(services.checkpoints_page(recorded.id)[0]) == 1

"""Signed checkpoints: when they are due, what they sign, the cron command, and the
consultation page that shows the latest one."""

import base64
import hashlib
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from consultation.core import clock, journal
from consultation.ledger import merkle, services, signing
from consultation.participation import services as participation


def _vote(db, consultation, user, value="agree", article=0):
    participation.cast_article_vote(user, consultation.current_version.articles[article], value)
    db.session.commit()


def _check_signed(note: str, public_key: bytes) -> list[str]:
    """Verify a signed note with nothing but the formats' definitions; its text's lines."""
    text, signature_line = note.rsplit("\n\n", 1)
    dash, name, blob = signature_line.rstrip("\n").split(" ")
    raw = base64.b64decode(blob)
    assert dash == "\u2014"
    assert raw[:4] == hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]
    Ed25519PublicKey.from_public_bytes(public_key).verify(raw[4:], (text + "\n").encode())
    return text.split("\n")


def test_a_checkpoint_signs_the_size_and_root_of_the_record(db, opened, make_user):
    for value in ("agree", "mixed", "disagree"):
        _vote(db, opened, make_user(), value)
    now = clock.now()
    checkpoint = services.make_checkpoint(opened, now, "hourly")
    db.session.commit()

    origin, size, root64, time = _check_signed(checkpoint.note, signing.public_key_bytes())
    assert origin == f"localhost/consultations/{opened.slug}" and size == "4"
    hashes = services.leaf_hashes(opened.id, 4)  # the publication and three votes
    assert base64.b64decode(root64) == merkle.root(hashes) == checkpoint.root_hash
    assert time == "time " + now.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_next_checkpoint_extends_the_previous_one(db, opened, make_user):
    users = [make_user() for _ in range(7)]
    for n, user in enumerate(users[:3]):
        _vote(db, opened, user, article=n % 3)
    first = services.make_checkpoint(opened, clock.now(), "opening")
    for user in users[3:]:
        _vote(db, opened, user, "disagree")
    second = services.make_checkpoint(opened, clock.now(), "hourly")
    db.session.commit()
    hashes = services.leaf_hashes(opened.id, 8)
    assert second.tree_size == 8 and second.root_hash == merkle.root(hashes)
    proof = merkle.consistency_proof(hashes, first.tree_size)
    assert merkle.verify_consistency(4, 8, first.root_hash, second.root_hash, proof)


def test_a_forged_note_does_not_verify(db, opened):
    checkpoint = services.make_checkpoint(opened, clock.now(), "opening")
    key = signing.public_key_bytes()
    assert signing.open_note(checkpoint.note, key)[1].endswith(opened.slug)
    forged = checkpoint.note.replace("\n1\n", "\n2\n", 1)  # the publication alone
    with pytest.raises(signing.NoteError, match="signature du point de contrôle est invalide"):
        signing.open_note(forged, key)
    with pytest.raises(signing.NoteError, match="aucune signature"):
        signing.open_note(checkpoint.note, bytes(32))


def test_checkpoints_are_due_at_opening_hourly_at_closing_then_when_the_record_grows(
    db, make_consultation, make_user
):
    consultation = make_consultation("scheduled")
    opens, closes = consultation.opens_at, consultation.closes_at

    def due(now):
        latest = services.latest_checkpoint(consultation.id)
        return services.due_reason(consultation, latest, services.tree_size(consultation.id), now)

    assert due(opens - timedelta(minutes=1)) is None  # nothing is recorded before opening
    assert due(opens) == "opening"
    services.make_checkpoint(consultation, opens, "opening")
    assert due(opens + timedelta(minutes=59)) is None
    assert due(opens + timedelta(hours=1)) == "hourly"
    services.make_checkpoint(consultation, closes - timedelta(minutes=30), "hourly")
    assert due(closes - timedelta(minutes=1)) is None
    assert due(closes) == "closing"
    services.make_checkpoint(consultation, closes, "closing")
    assert due(closes + timedelta(days=3)) is None  # closed, nothing new
    journal.record(consultation.id, "moderation", closes + timedelta(days=1), action="hide")
    assert due(closes + timedelta(days=1)) == "update"


def test_the_cron_command_signs_only_what_is_due(runner, db, make_consultation, make_user):
    opened = make_consultation("open")
    make_consultation("scheduled")
    _vote(db, opened, make_user())

    result = runner.invoke(args=["ledger", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert f"{opened.slug} : point de contrôle (opening), 2 entrées" in result.output
    again = runner.invoke(args=["ledger", "checkpoint"])
    assert again.exit_code == 0 and "Aucun point de contrôle n'était dû." in again.output
    unknown = runner.invoke(args=["ledger", "checkpoint", "--consultation", "inconnue"])
    assert unknown.exit_code != 0 and "Aucune consultation « inconnue »" in unknown.output


def test_a_new_checkpoint_changes_the_cached_consultation_page(client, db, opened, make_user):
    _vote(db, opened, make_user())
    url = f"/consultations/{opened.slug}"
    before = client.get(url).get_data(as_text=True)
    assert "Aucun point de contrôle n'est encore publié" in before
    assert client.get(url).get_data(as_text=True) == before  # served from the cache

    now = clock.now()
    checkpoint = services.make_checkpoint(opened, now, "opening")  # nothing else changes
    db.session.commit()
    shown = client.get(url).get_data(as_text=True)
    assert checkpoint.root_hash.hex() in shown and "Aucun point de contrôle" not in shown
    assert f'datetime="{clock.isoformat(now)}"' in shown
    assert "/donnees-ouvertes/registre" in shown

    later = now + timedelta(hours=2)
    services.make_checkpoint(opened, later, "hourly")  # same size and root, a later time
    db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert f'datetime="{clock.isoformat(later)}"' in page

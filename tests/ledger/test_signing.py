"""The signing key: generated once in development, fixed in tests, checked at start-up; the
commands that print a new key and the public key."""

import base64

import pytest

from consultation import create_app
from consultation.extensions import db
from consultation.ledger import signing


def test_development_generates_the_key_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("CONSULTATION_ENV", "development")
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("LEDGER_SIGNING_KEY", raising=False)
    first = create_app()
    second = create_app()
    key_file = tmp_path / "ledger_signing_key"
    assert first.config["LEDGER_SIGNING_KEY"] == key_file.read_text()
    assert second.config["LEDGER_SIGNING_KEY"] == first.config["LEDGER_SIGNING_KEY"]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    for application in (first, second):
        with application.app_context():
            db.engine.dispose()


def test_a_malformed_key_is_refused_at_start(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("LEDGER_SIGNING_KEY", "pas-une-clé")
    with pytest.raises(RuntimeError, match="LEDGER_SIGNING_KEY"):
        create_app("test")


def test_the_commands_print_a_new_key_and_the_public_key(runner, app):
    created = runner.invoke(args=["ledger", "new-key"])
    assert created.exit_code == 0 and len(base64.b64decode(created.output.strip())) == 32
    shown = runner.invoke(args=["ledger", "public-key"])
    assert shown.exit_code == 0 and shown.output.strip() == signing.public_key_base64()
    note = signing.sign_note("exemple.fr/registre\n0\nAAAA\n", "exemple.fr/registre")
    assert signing.open_note(note, signing.public_key_bytes()) == (
        "exemple.fr/registre\n0\nAAAA\n",
        "exemple.fr/registre",
    )
    verifier = signing.verifier_key("exemple.fr/registre")
    name, key_id, key = verifier.split("+")
    assert name == "exemple.fr/registre" and len(bytes.fromhex(key_id)) == 4
    assert base64.b64decode(key) == b"\x01" + signing.public_key_bytes()

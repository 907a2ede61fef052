"""`flask ledger verify EXPORT.json` and the standalone script: a faithful export passes; an
edited, removed, reordered or added record, an edited text, a forged signature fail, naming the
first record or contribution at fault. The script, which shares no code with the package,
agrees with the command."""

import base64
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from consultation.ledger import merkle, signing, verify
from consultation.moderation import services as moderation
from consultation.participation import services as participation

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "ledger" / "verify_ledger.py"


@pytest.fixture
def document(client, db, opened, make_user):
    """A consultation's export: contributions (edited, withdrawn, hidden) and votes."""
    author, voter, moderator = make_user(), make_user(), make_user("moderator")
    article = opened.current_version.articles[0]
    edited = participation.submit_contribution(
        author, opened, kind="argument", position="for", article_id=article.id, body="Premier jet."
    )
    participation.edit_contribution(author, edited, {"body": "Version revue et corrigée."})
    gone = participation.submit_contribution(author, opened, kind="comment", body="Retirée.")
    participation.withdraw_contribution(author, gone)
    hidden = participation.submit_contribution(author, opened, kind="comment", body="Injurieux.")
    moderation.hide_contribution(moderator, hidden, "insult")
    participation.cast_article_vote(voter, article, "agree")
    participation.cast_contribution_vote(voter, edited, "mixed")
    participation.submit_contribution(
        make_user(), opened, kind="source", title="Étude", url="https://example.org/e", body="Lue."
    )
    db.session.commit()
    response = client.get(f"/api/v1/consultations/{opened.slug}/export.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


@pytest.fixture
def check(runner, tmp_path):
    """Run `flask ledger verify` on a document; (exit code, output)."""

    def run(document) -> tuple[int, str]:
        path = tmp_path / "export.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        result = runner.invoke(args=["ledger", "verify", str(path)])
        return result.exit_code, result.output

    return run


def _script(document, tmp_path, public_key: str) -> tuple[int, str]:
    path = tmp_path / "export-script.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(path), "--public-key", public_key],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def _rehash(record: dict) -> None:
    record["leaf_hash"] = merkle.leaf_hash(record["leaf"].encode()).hex()


def test_a_faithful_export_verifies(check, document):
    code, output = check(document)
    assert code == 0, output
    assert f"Export conforme : consultation « {document['consultation']['slug']} »" in output
    assert "10 enregistrements" in output
    assert "4 contributions vérifiées, dont 2 retirées ou masquées" in output
    assert "identique à celui inscrit par la plateforme" in output


def test_an_edited_record_is_named(check, document):
    record = document["records"][4]
    record["leaf"] = record["leaf"].replace('"withdrawal"', '"edit"')
    code, output = check(document)
    assert code == 1
    assert "Enregistrement n° 4 : son empreinte ne correspond pas à son contenu" in output


def test_an_edited_record_with_its_hash_recomputed_is_named_by_the_database(check, document):
    record = document["records"][7]
    record["leaf"] = record["leaf"].replace('"agree"', '"disagree"')
    _rehash(record)
    code, output = check(document)
    assert code == 1
    assert "Enregistrement n° 7 : différent de l'entrée que la plateforme a inscrite" in output


def test_a_removed_record_is_named(check, document):
    del document["records"][3]
    code, output = check(document)
    assert code == 1
    assert "Enregistrement n° 3 : il porte l'index 4 au lieu de 3" in output


def test_reordered_records_are_named(check, document):
    records = document["records"]
    records[5], records[6] = records[6], records[5]
    code, output = check(document)
    assert code == 1 and "Enregistrement n° 5 : il porte l'index 6 au lieu de 5" in output


def test_an_added_record_is_named(check, document):
    extra = dict(document["records"][-1])
    extra["index"] = len(document["records"])
    leaf = json.loads(extra["leaf"])
    leaf["index"] = extra["index"]
    extra["leaf"] = json.dumps(leaf, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    _rehash(extra)
    document["records"].append(extra)
    code, output = check(document)
    assert code == 1
    assert "Enregistrement n° 10 : au-delà des 10 entrées que couvre le point de contrôle" in output


def test_an_edited_contribution_text_is_named(check, document):
    source = next(c for c in document["contributions"] if c["kind"] == "source")
    source["body"] = "Lue et approuvée."
    code, output = check(document)
    assert code == 1
    assert f"Contribution {source['tracking_number']} : le texte publié ne correspond pas" in output


def test_a_removed_contribution_or_text_is_named(check, document):
    published = next(c for c in document["contributions"] if c["state"] == "published")
    published["body"] = published["title"] = published["proposed_text"] = published["url"] = None
    code, output = check(document)
    assert code == 1 and "son texte manque alors que le registre ne la dit ni retirée" in output

    del document["contributions"][0]
    code, output = check(document)
    assert code == 1 and "absente de l'export (contribution supprimée)" in output


def test_a_forged_signature_is_refused(check, document):
    ledger = document["ledger"]
    text, signature = ledger["checkpoint"].rsplit("\n\n", 1)
    dash, name, blob = signature.rstrip("\n").split(" ")
    raw = bytearray(base64.b64decode(blob))
    raw[-1] ^= 1
    ledger["checkpoint"] = f"{text}\n\n{dash} {name} {base64.b64encode(bytes(raw)).decode()}\n"
    code, output = check(document)
    assert code == 1 and "La signature du point de contrôle est invalide" in output


def test_the_standalone_script_agrees_with_the_command(check, document, tmp_path, app):
    with app.app_context():
        key = signing.public_key_base64()
    code, output = _script(document, tmp_path, key)
    assert (code, check(document)[0]) == (0, 0), output
    assert "Export conforme" in output and "10 enregistrements" in output

    tampered = json.loads(json.dumps(document))
    tampered["records"][7]["leaf"] = tampered["records"][7]["leaf"].replace("agree", "mixed")
    code, output = _script(tampered, tmp_path, key)
    cli_code, cli_output = check(tampered)
    assert code == cli_code == 1
    message = "Enregistrement n° 7 : son empreinte ne correspond pas à son contenu"
    assert message in output and message in cli_output

    _rehash(tampered["records"][7])  # the forger recomputes the hash: the root gives it away
    code, output = _script(tampered, tmp_path, key)
    assert code == 1 and "racine de Merkle recalculée ne correspond pas" in output

    other_key = base64.b64encode(bytes(range(32))).decode()
    code, output = _script(document, tmp_path, other_key)
    assert code == 1 and "aucune signature de la clé publique" in output


def _load_script():
    """The standalone script as a module, to drive its reader directly."""
    spec = importlib.util.spec_from_file_location("verify_ledger", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("layout", ["compact", "indented", "keys sorted"])
def test_the_export_is_read_piece_by_piece_whatever_its_layout(
    runner, document, app, monkeypatch, tmp_path, layout
):
    """Pieces of 7 characters: every value straddles a boundary somewhere. Sorted keys put the
    contributions before the ledger: they are kept in memory until needed."""
    dumps = {
        "compact": {"separators": (",", ":")},
        "indented": {"indent": 2},
        "keys sorted": {"sort_keys": True},
    }[layout]
    monkeypatch.setattr(verify.script(), "PIECE", 7)
    text = json.dumps(document, ensure_ascii=False, **dumps)
    path = tmp_path / "export.json"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(args=["ledger", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "10 enregistrements" in result.output
    script = _load_script()
    script.PIECE = 7
    with app.app_context():
        key = signing.public_key_bytes()
    result = script.verify(script.ExportReader(io.StringIO(text)), key)
    assert (result.tree_size, result.contributions, result.withheld) == (10, 4, 2)


def test_a_part_given_twice_is_refused(check, document, tmp_path, app):
    text = json.dumps(document, ensure_ascii=False)
    forged = text[:-1] + ',"records":[]}'
    path = tmp_path / "export.json"
    path.write_text(forged, encoding="utf-8")
    with app.app_context():
        key = signing.public_key_base64()
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(path), "--public-key", key],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "la partie « records » y figure deux fois" in done.stderr


def test_a_truncated_or_broken_file_is_unreadable(runner, document, tmp_path, app):
    text = json.dumps(document, ensure_ascii=False)
    with app.app_context():
        key = signing.public_key_base64()
    for broken in (text[: len(text) // 2], text + "{}", "pas du JSON"):
        path = tmp_path / "export.json"
        path.write_text(broken, encoding="utf-8")
        result = runner.invoke(args=["ledger", "verify", str(path)])
        assert result.exit_code == 1
        assert "Le fichier n'est pas un export JSON lisible" in result.output
        done = subprocess.run(
            [sys.executable, str(SCRIPT), str(path), "--public-key", key],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 2 and "Fichier illisible" in done.stderr


def test_a_public_key_with_plus_signs_is_read_in_both_forms(runner, document, tmp_path, app):
    """Base64 has '+' among its digits: the verifier key form (name+id+key) is not split on
    the last '+', and a plain key with a '+' is a key, not a usage error."""
    raw = bytes([0xFB, 0xEF, 0xBE] * 10 + [1, 2])
    foreign = base64.b64encode(raw).decode()
    assert "+" in foreign
    vkey = document["ledger"]["verifier_key"]
    assert vkey.count("+") >= 2
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with app.app_context():
        own = signing.public_key_base64()
    for key, expected in ((own, 0), (vkey, 0), (foreign, 1)):
        result = runner.invoke(args=["ledger", "verify", str(path), "--public-key", key])
        assert result.exit_code == expected, result.output
        code, output = _script(document, tmp_path, key)
        assert code == expected, output
        if expected:
            assert "aucune signature de la clé publique" in output
    script = _load_script()
    assert script.read_public_key(foreign) == base64.b64decode(foreign)
    other = bytes([0xEF, 0xBE, 0xFB] * 10 + [1, 2])
    blob = base64.b64encode(b"\x01" + other).decode()
    assert "+" in blob
    assert script.read_public_key(f"example.org/consultations/x+0a1b2c3d+{blob}") == other

"""The platform's Ed25519 key, and checkpoints as signed notes.

A checkpoint (c2sp.org/tlog-checkpoint) is the text

    <origin>\\n<tree size>\\n<base64 root hash>\\ntime <ISO 8601 UTC>\\n

signed as a note (c2sp.org/signed-note): the text, a blank line, then the signature line
"— <key name> <base64(key ID || Ed25519 signature of the text)>". The origin, which is also
the key name, names the consultation's log: "<host of BASE_URL>/consultations/<slug>". The key
ID is SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4]. The "time" line is an
extension line that the checkpoint format allows after the three mandatory ones.

The key comes from LEDGER_SIGNING_KEY (base64 of the 32-byte Ed25519 seed; `flask ledger
new-key` makes one). Development generates one into `instance/`, tests use a fixed one;
production has none unless it is set, and then signing refuses with `LedgerKeyMissing`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app

from consultation.core.errors import DomainError
from consultation.core.i18n import N_

ED25519 = b"\x01"  # signature type of Ed25519 signed notes
SIGNATURE_DASH = "\u2014"  # em dash


class LedgerKeyMissing(DomainError):
    code = "ledger_key_missing"
    status = 503
    default_message = N_(
        "La clé de signature du registre n'est pas configurée sur ce serveur (LEDGER_SIGNING_KEY)."
    )


class NoteError(ValueError):
    """A note or checkpoint that does not verify; its message is French, for people."""


def new_seed() -> str:
    """A fresh key, as LEDGER_SIGNING_KEY expects it (base64 of 32 random bytes)."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def private_key() -> Ed25519PrivateKey:
    """The platform's signing key, read from the configuration once per application."""
    cached: Ed25519PrivateKey | None = current_app.extensions.get("ledger_signing_key")
    if cached is not None:
        return cached
    configured = current_app.config.get("LEDGER_SIGNING_KEY")
    if not configured:
        raise LedgerKeyMissing()
    try:
        seed = base64.b64decode(configured.strip(), validate=True)
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != 32:
        raise RuntimeError("LEDGER_SIGNING_KEY must be the base64 of a 32-byte Ed25519 seed")
    key = Ed25519PrivateKey.from_private_bytes(seed)
    current_app.extensions["ledger_signing_key"] = key
    return key


def public_key_bytes() -> bytes:
    """The 32-byte public key (RFC 8032 encoding)."""
    return private_key().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_key_base64() -> str:
    return base64.b64encode(public_key_bytes()).decode()


def key_id(name: str, public_key: bytes) -> bytes:
    """SHA-256(name || 0x0A || 0x01 || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes | None = None) -> str:
    """The key as note verifiers write it: <name>+<hex key ID>+<base64(0x01 || key)>."""
    public_key = public_key if public_key is not None else public_key_bytes()
    encoded = base64.b64encode(ED25519 + public_key).decode()
    return f"{name}+{key_id(name, public_key).hex()}+{encoded}"


def sign_note(text: str, name: str) -> str:
    """The signed note of `text` (which ends with a newline) under the key name `name`."""
    if not text.endswith("\n"):
        raise ValueError("a note text ends with a newline")
    key = private_key()
    signature = key.sign(text.encode())
    blob = base64.b64encode(key_id(name, public_key_bytes()) + signature).decode()
    return f"{text}\n{SIGNATURE_DASH} {name} {blob}\n"


def open_note(note: str, public_key: bytes) -> tuple[str, str]:
    """The text of `note` and the key name it is signed under, if one of its signatures is by
    `public_key`. Raises NoteError otherwise."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise NoteError("Le point de contrôle n'a pas la forme d'une note signée.")
    text += "\n"
    for line in signatures[:-1].split("\n"):
        dash, _, rest = line.partition(" ")
        name, _, blob = rest.partition(" ")
        if dash != SIGNATURE_DASH or not name or not blob:
            raise NoteError("Ligne de signature illisible dans le point de contrôle.")
        try:
            raw = base64.b64decode(blob, validate=True)
        except (binascii.Error, ValueError):
            raise NoteError("Signature illisible dans le point de contrôle.") from None
        if raw[:4] != key_id(name, public_key):
            continue  # another key's signature
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(raw[4:], text.encode())
        except InvalidSignature:
            raise NoteError(
                "La signature du point de contrôle est invalide : il n'a pas été signé par la "
                "clé publique de la plateforme, ou il a été modifié."
            ) from None
        return text, name
    raise NoteError(
        "Le point de contrôle ne porte aucune signature de la clé publique de la plateforme."
    )


@dataclass(frozen=True)
class CheckpointBody:
    origin: str
    tree_size: int
    root_hash: bytes
    time: datetime | None


def checkpoint_text(origin: str, tree_size: int, root_hash: bytes, at: datetime) -> str:
    """The note text of a checkpoint (see the module's docstring)."""
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root64 = base64.b64encode(root_hash).decode()
    return f"{origin}\n{tree_size}\n{root64}\ntime {stamp}\n"


def parse_checkpoint(text: str) -> CheckpointBody:
    """Read a checkpoint's note text. Raises NoteError."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
        raise NoteError("Le point de contrôle est mal formé.")
    origin, size, root64, *extensions = lines[:-1]
    try:
        root_hash = base64.b64decode(root64, validate=True)
    except (binascii.Error, ValueError):
        root_hash = b""
    if not size.isdigit() or (size != "0" and size.startswith("0")) or len(root_hash) != 32:
        raise NoteError("Le point de contrôle est mal formé (taille ou racine illisible).")
    time = None
    for line in extensions:
        if line.startswith("time "):
            try:
                time = datetime.strptime(line[5:], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            except ValueError:
                raise NoteError("Date illisible dans le point de contrôle.") from None
    return CheckpointBody(origin, int(size), root_hash, time)

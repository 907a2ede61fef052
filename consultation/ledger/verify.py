"""Checking an export against the signed head of its consultation's record.

`verify_export` stops at the first problem and names it, in French: the record (by index) or
the contribution (by tracking number) and what is wrong with it. In order:

1. the checkpoint is signed by the platform's key and concerns this consultation;
2. the records are numbered 0, 1, 2… in order, and each leaf hash is the hash of its leaf —
   and, when the platform's database is at hand (`stored`), equal to the hash it stored, which
   names the exact record even when a forger recomputed every hash;
3. there are exactly as many records as the checkpoint signs, and their Merkle root is the
   signed root;
4. each contribution's published texts hash to the commitment of its latest entry (its
   submission or last edit); a contribution without texts was withdrawn or hidden according to
   the record; no contribution is missing or added.

`static/ledger/verify_ledger.py` does the same without this package (a journalist runs it with
Python and `cryptography` only); the two must agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from consultation.ledger import merkle, signing
from consultation.ledger.services import CONTENT_FIELDS, content_digest


class VerificationFailed(Exception):
    """The export does not match its signed head; the message says where and why."""


@dataclass
class Verified:
    consultation: str
    tree_size: int
    root_hash: str
    key_name: str
    signed_at: str | None
    contributions: int = 0
    withheld: int = 0


@dataclass
class _Contribution:
    index: int
    content: str | None
    withdrawn: bool = False
    hidden: bool = False
    seen: bool = field(default=False)


def verify_export(
    document, public_key: bytes, stored: Iterator[tuple[int, bytes]] | None = None
) -> Verified:
    """Check an export (the parsed JSON); raises VerificationFailed at the first problem.
    `stored` yields the database's (index, leaf hash) of the consultation, in order."""
    if not isinstance(document, dict) or not all(
        key in document for key in ("consultation", "ledger", "records", "contributions")
    ):
        raise VerificationFailed(
            "L'export n'a pas la forme attendue (consultation, ledger, records, contributions)."
        )
    slug = (document["consultation"] or {}).get("slug")
    try:
        text, key_name = signing.open_note(
            str(document["ledger"].get("checkpoint", "")), public_key
        )
        head = signing.parse_checkpoint(text)
    except signing.NoteError as error:
        raise VerificationFailed(str(error)) from None
    if not head.origin.endswith(f"/consultations/{slug}"):
        raise VerificationFailed(
            f"Le point de contrôle signé concerne « {head.origin} », pas la consultation « {slug} »."
        )
    hashes, contributions = _check_records(document["records"], slug, head.tree_size, stored)
    if merkle.root(hashes) != head.root_hash:
        raise VerificationFailed(
            "La racine de Merkle recalculée ne correspond pas à la racine signée : un "
            "enregistrement a été modifié, supprimé, ajouté ou déplacé."
        )
    result = Verified(
        consultation=slug,
        tree_size=head.tree_size,
        root_hash=head.root_hash.hex(),
        key_name=key_name,
        signed_at=head.time.strftime("%Y-%m-%dT%H:%M:%SZ") if head.time else None,
    )
    _check_contributions(document["contributions"], contributions, result)
    return result


def _check_records(records, slug, size, stored) -> tuple[list[bytes], dict]:
    if not isinstance(records, list):
        raise VerificationFailed("L'export n'a pas la forme attendue (records).")
    hashes: list[bytes] = []
    contributions: dict[str, _Contribution] = {}
    for position, record in enumerate(records):
        where = f"Enregistrement n° {position}"
        if not isinstance(record, dict) or not isinstance(record.get("leaf"), str):
            raise VerificationFailed(f"{where} : illisible.")
        if position >= size:
            raise VerificationFailed(
                f"{where} : au-delà des {size} entrées que couvre le point de contrôle signé "
                "(enregistrement ajouté)."
            )
        if record.get("index") != position:
            raise VerificationFailed(
                f"{where} : il porte l'index {record.get('index')} au lieu de {position} "
                "(enregistrement supprimé, ajouté ou déplacé)."
            )
        digest = merkle.leaf_hash(record["leaf"].encode())
        if digest.hex() != record.get("leaf_hash"):
            raise VerificationFailed(
                f"{where} : son empreinte ne correspond pas à son contenu (enregistrement modifié)."
            )
        try:
            leaf = json.loads(record["leaf"])
        except ValueError:
            raise VerificationFailed(f"{where} : contenu illisible.") from None
        if not isinstance(leaf, dict) or leaf.get("index") != position:
            raise VerificationFailed(
                f"{where} : son contenu indique un autre index (enregistrement déplacé)."
            )
        if leaf.get("consultation") != slug:
            raise VerificationFailed(f"{where} : il appartient à une autre consultation.")
        if stored is not None:
            kept = next(stored, None)
            if kept is None:
                raise VerificationFailed(
                    f"{where} : absent du registre de la plateforme (enregistrement ajouté)."
                )
            if kept[0] != position or bytes(kept[1]) != digest:
                raise VerificationFailed(
                    f"{where} : différent de l'entrée que la plateforme a inscrite à cet index "
                    "(enregistrement modifié, ajouté ou déplacé)."
                )
        _follow(leaf, position, contributions)
        hashes.append(digest)
    if len(records) < size:
        raise VerificationFailed(
            f"Enregistrement n° {len(records)} : absent de l'export, alors que le point de "
            f"contrôle signé couvre {size} entrées (enregistrement supprimé)."
        )
    return hashes, contributions


def _follow(leaf: dict, index: int, contributions: dict[str, _Contribution]) -> None:
    """What a leaf changes to the state of the contribution it concerns."""
    data = leaf.get("data") if isinstance(leaf.get("data"), dict) else {}
    number, kind = data.get("contribution"), leaf.get("kind")
    if not isinstance(number, str):
        return
    if kind == "contribution":
        contributions[number] = _Contribution(index, data.get("content_sha256"))
        return
    state = contributions.get(number)
    if state is None:
        return
    if kind == "edit":
        state.index, state.content = index, data.get("content_sha256")
    elif kind == "withdrawal":
        state.withdrawn = True
    elif kind == "moderation" and data.get("action") in ("hide", "restore"):
        state.hidden = data.get("action") == "hide"


def _check_contributions(items, contributions: dict[str, _Contribution], result) -> None:
    if not isinstance(items, list):
        raise VerificationFailed("L'export n'a pas la forme attendue (contributions).")
    for item in items:
        number = item.get("tracking_number") if isinstance(item, dict) else None
        where = f"Contribution {number}"
        state = contributions.get(number) if isinstance(number, str) else None
        if state is None:
            raise VerificationFailed(f"{where} : absente du registre (contribution ajoutée).")
        if state.seen:
            raise VerificationFailed(f"{where} : présente deux fois dans l'export.")
        state.seen = True
        if item.get("content_sha256") != state.content:
            raise VerificationFailed(
                f"{where} : son empreinte ne correspond pas à celle de l'entrée n° "
                f"{state.index} du registre (contribution modifiée)."
            )
        texts = {name: item.get(name) for name in CONTENT_FIELDS}
        if all(value is None for value in texts.values()):
            if not (state.withdrawn or state.hidden):
                raise VerificationFailed(
                    f"{where} : son texte manque alors que le registre ne la dit ni retirée ni "
                    "masquée (texte supprimé)."
                )
            result.withheld += 1
        elif (
            not all(isinstance(value, str) for value in texts.values())
            or content_digest(texts) != state.content
        ):
            raise VerificationFailed(
                f"{where} : le texte publié ne correspond pas à l'empreinte inscrite à l'entrée "
                f"n° {state.index} du registre (texte modifié)."
            )
        result.contributions += 1
    for number, state in contributions.items():
        if not state.seen:
            raise VerificationFailed(
                f"Contribution {number} : inscrite au registre (entrée n° {state.index}) mais "
                "absente de l'export (contribution supprimée)."
            )

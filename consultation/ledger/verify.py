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

An export of a large consultation weighs hundreds of megabytes: `ExportReader` reads it from
the file incrementally — the small parts whole, the `records` and `contributions` arrays one
item at a time — and the Merkle root is folded on a frontier (`merkle.frontier_append`), so
that verifying keeps in memory only the state of each contribution (a tracking number and a
commitment), never the records. The parts are expected in the export's order (`consultation`
and `ledger` before the arrays); a document in another order still verifies, the arrays met
before they are needed being held in memory. A key present twice at the top level is refused
(`json.load` would keep the last, this reader meets the first). A syntax error is found where
it stands: in a truncated file, after the records before it were checked.

`static/ledger/verify_ledger.py` does the same without this package (a journalist runs it with
Python and `cryptography` only); the two must agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from consultation.ledger import merkle, signing
from consultation.ledger.services import CONTENT_FIELDS, content_digest

PARTS = ("consultation", "ledger", "records", "contributions")
PIECE = 1 << 20  # characters read from the file at a time
MAX_VALUE = 64 << 20  # a single item or small part larger than this is not an export's


class VerificationFailed(Exception):
    """The export does not match its signed head; the message says where and why."""


class Unreadable(ValueError):
    """The file is not JSON (or not UTF-8); the message, in French, says where."""


def _form(part: str | None = None) -> VerificationFailed:
    return VerificationFailed(f"L'export n'a pas la forme attendue ({part or ', '.join(PARTS)}).")


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class ExportReader:
    """The top-level object of an export, read from a text file as the checks ask for its
    parts: `value(key)` parses a part whole, `items(key)` yields the items of an array part
    one by one when it comes next in the file, `finish()` reads the rest (refusing a repeated
    key or anything after the object). Raises Unreadable at a syntax error, VerificationFailed
    for a part missing or not an array."""

    def __init__(self, file: IO[str]):
        self._file = file
        self._buffer, self._pos, self._eof = "", 0, False
        self._dropped = 0  # characters of the file before the buffer
        self._values: dict[str, object] = {}  # parts read whole, or arrays met out of order
        self._seen: set[str] = set()
        self._state = "start"  # start, open, end
        self._streaming: Iterator | None = None

    # Parts ----------------------------------------------------------------------------------

    def value(self, key: str):
        """The whole value of the part `key`."""
        self._seek(key)
        return self._values[key]

    def items(self, key: str) -> Iterator:
        """The items of the array part `key`, streamed when it is the next value to read."""
        if key not in self._values and self._seek(key, stream=True):
            self._streaming = self._array()
            return self._streaming
        value = self._values.pop(key)
        if not isinstance(value, list):
            raise _form(key)
        return iter(value)

    def finish(self) -> None:
        """Read what remains of the document: other parts, the closing brace, whitespace."""
        while self._next_key() is not None:
            self._skip()
        if self._peek():
            raise Unreadable(f"données après la fin de l'export, au caractère {self._offset()}")

    def _seek(self, key: str, stream: bool = False) -> bool:
        """Read up to the part `key`: parts the checks need are kept, others skipped. With
        `stream`, stop before an array value and return True."""
        while key not in self._values:
            found = self._next_key()
            if found is None:
                raise _form()
            if found == key and stream and self._peek() == "[":
                return True
            if found in PARTS:
                self._values[found] = self._whole()
            else:
                self._skip()
        return False

    def _next_key(self) -> str | None:
        """The next top-level key, its value being next in the file; None after the last."""
        if self._streaming is not None:
            for _item in self._streaming:  # the caller stopped early: read to the array's end
                pass
            self._streaming = None
        if self._state == "end":
            return None
        if self._state == "start":
            if self._peek() != "{":
                # Not an object: an unreadable file, or JSON that is not an export.
                self._decode()
                raise _form()
            self._pos += 1
            self._state = "open"
            if self._peek() == "}":
                self._pos += 1
                self._state = "end"
                return None
        elif self._expect(",}") == "}":
            self._state = "end"
            return None
        if self._peek() != '"':
            raise Unreadable(f"nom de champ attendu au caractère {self._offset()}")
        key = self._decode()
        self._expect(":")
        if key in self._seen:
            raise VerificationFailed(
                f"L'export n'a pas la forme attendue : la partie « {key} » y figure deux fois."
            )
        self._seen.add(key)
        return key

    def _whole(self):
        """The value at the position, an array being read item by item (never one decode of
        the whole array)."""
        if self._peek() == "[":
            return list(self._array())
        return self._decode()

    def _skip(self) -> None:
        if self._peek() == "[":
            for _item in self._array():
                pass
        else:
            self._decode()

    def _array(self) -> Iterator:
        self._expect("[")
        if self._peek() == "]":
            self._pos += 1
            return
        while True:
            yield self._decode()
            if self._expect(",]") == "]":
                return

    # Text -----------------------------------------------------------------------------------

    def _fill(self) -> bool:
        try:
            piece = self._file.read(PIECE)
        except UnicodeDecodeError:
            raise Unreadable("le fichier n'est pas du texte UTF-8") from None
        if not piece:
            self._eof = True
            return False
        self._dropped += self._pos
        self._buffer = self._buffer[self._pos :] + piece
        self._pos = 0
        return True

    def _offset(self) -> int:
        return self._dropped + self._pos

    def _peek(self) -> str:
        """The next character that is not whitespace ("" at the end of the file), left unread."""
        while True:
            self._pos = _WHITESPACE.match(self._buffer, self._pos).end()
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._fill():
                return ""

    def _expect(self, allowed: str) -> str:
        char = self._peek()
        if not char or char not in allowed:
            found = f"« {char} » trouvé" if char else "fin du fichier"
            raise Unreadable(
                f"« {' » ou « '.join(allowed)} » attendu au caractère {self._offset()}, {found}"
            )
        self._pos += 1
        return char

    def _decode(self):
        """The JSON value at the position; more of the file is read while it is incomplete
        (a number at the end of the buffer may go on in the next piece)."""
        self._peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                if self._eof or len(self._buffer) - self._pos > MAX_VALUE or not self._fill():
                    where = self._dropped + error.pos
                    raise Unreadable(f"JSON invalide au caractère {where}") from None
                continue
            if end == len(self._buffer) and not self._eof and self._fill():
                continue
            self._pos = end
            return value


class _Parsed:
    """A document already parsed, behind the reader's interface."""

    def __init__(self, document):
        if not isinstance(document, dict) or not all(key in document for key in PARTS):
            raise _form()
        self._document = document

    def value(self, key: str):
        return self._document[key]

    def items(self, key: str) -> Iterator:
        if not isinstance(self._document[key], list):
            raise _form(key)
        return iter(self._document[key])

    def finish(self) -> None:
        pass


@dataclass
class Verified:
    consultation: str
    tree_size: int
    root_hash: str
    key_name: str
    signed_at: str | None
    contributions: int = 0
    withheld: int = 0


@dataclass(slots=True)
class _Contribution:
    index: int
    content: str | None
    withdrawn: bool = False
    hidden: bool = False
    seen: bool = False


def verify_export(
    export: ExportReader | dict,
    public_key: bytes,
    stored: Iterator[tuple[int, bytes]] | None = None,
) -> Verified:
    """Check an export — an `ExportReader` over the file, or the parsed JSON; raises
    VerificationFailed at the first problem (Unreadable where the file stops being JSON).
    `stored` yields the database's (index, leaf hash) of the consultation, in order."""
    document = export if isinstance(export, ExportReader) else _Parsed(export)
    consultation, ledger = document.value("consultation"), document.value("ledger")
    slug = consultation.get("slug") if isinstance(consultation, dict) else None
    checkpoint = ledger.get("checkpoint", "") if isinstance(ledger, dict) else ""
    try:
        text, key_name = signing.open_note(str(checkpoint), public_key)
        head = signing.parse_checkpoint(text)
    except signing.NoteError as error:
        raise VerificationFailed(str(error)) from None
    if not head.origin.endswith(f"/consultations/{slug}"):
        raise VerificationFailed(
            f"Le point de contrôle signé concerne « {head.origin} », pas la consultation « {slug} »."
        )
    root, contributions = _check_records(document, slug, head.tree_size, stored)
    if root != head.root_hash:
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
    _check_contributions(document.items("contributions"), contributions, result)
    document.finish()
    return result


def _check_records(document, slug, size, stored) -> tuple[bytes, dict]:
    """Check the records one by one; the Merkle root of their hashes and the state of each
    contribution according to them."""
    frontier: list[bytes] = []
    count = 0
    contributions: dict[str, _Contribution] = {}
    for position, record in enumerate(document.items("records")):
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
        frontier = merkle.frontier_append(frontier, position, digest)
        count = position + 1
    if count < size:
        raise VerificationFailed(
            f"Enregistrement n° {count} : absent de l'export, alors que le point de "
            f"contrôle signé couvre {size} entrées (enregistrement supprimé)."
        )
    return merkle.frontier_root(frontier), contributions


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

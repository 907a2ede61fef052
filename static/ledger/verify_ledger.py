#!/usr/bin/env python3
"""Vérifier l'export d'une consultation contre son point de contrôle signé.

Ce script est volontairement autonome : il n'a besoin que de Python 3 (3.9 ou plus) et de la
bibliothèque `cryptography` (`pip install cryptography`), et refait lui-même les quelques
calculs nécessaires, sans rien importer de la plateforme qui a produit l'export.

    python3 verify_ledger.py export.json --public-key CLÉ

CLÉ est la clé publique Ed25519 de la plateforme, en base64, telle que publiée sur sa page
« Vérifier le registre » (la forme « nom+identifiant+clé » des notes signées est acceptée).
Ne prenez pas la clé dans l'export lui-même : un faussaire y mettrait la sienne.

Ce qui est vérifié, dans l'ordre (le script s'arrête au premier problème et le nomme) :

1. le point de contrôle (c2sp.org/tlog-checkpoint) est signé par cette clé
   (c2sp.org/signed-note) et concerne bien cette consultation ;
2. les enregistrements sont numérotés 0, 1, 2… dans l'ordre, et l'empreinte de chacun est
   SHA-256(0x00 || texte UTF-8 de l'entrée) ;
3. il y a exactement autant d'enregistrements que le point de contrôle en signe, et la racine
   de leur arbre de Merkle (RFC 9162 : nœud = SHA-256(0x01 || gauche || droite), le sous-arbre
   gauche ayant la plus grande puissance de deux strictement inférieure au nombre de feuilles)
   est la racine signée ;
4. le texte publié de chaque contribution (titre, texte, rédaction proposée, lien) a pour
   SHA-256 de son JSON canonique (clés triées, sans espaces, UTF-8) l'empreinte inscrite à sa
   dernière entrée (dépôt ou modification) ; une contribution sans texte a bien été retirée ou
   masquée selon le registre ; aucune contribution ne manque ni n'est ajoutée.

Le fichier est lu au fur et à mesure, enregistrement par enregistrement : même pour une
consultation de plusieurs millions d'entrées, le script n'utilise que quelques dizaines de
mégaoctets de mémoire. Une partie présente deux fois au premier niveau de l'export est refusée.

Codes de sortie : 0 export conforme ; 1 export non conforme ; 2 usage ou fichier illisible
(un fichier tronqué n'est découvert illisible qu'à l'endroit où il s'arrête).
"""

import argparse
import base64
import binascii
import hashlib
import json
import re
import sys

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - message for people
    sys.exit("Installez d'abord la bibliothèque cryptography : pip install cryptography")

CONTENT_FIELDS = ("title", "body", "proposed_text", "url")
PARTS = ("consultation", "ledger", "records", "contributions")
PIECE = 1 << 20  # caractères lus à la fois
MAX_VALUE = 64 << 20  # taille au-delà de laquelle un élément n'est pas celui d'un export


class Failed(Exception):
    pass


class Unreadable(ValueError):
    """Le fichier n'est pas du JSON (ou pas de l'UTF-8)."""


# --- Hachage (RFC 9162, section 2.1) -------------------------------------------------------


def leaf_hash(leaf):
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def frontier_append(frontier, size, leaf):
    """Ajoute une feuille à l'arbre de `size` feuilles, connu par sa « frontière » : les
    racines de ses sous-arbres parfaits, du plus grand au plus petit (un par bit de `size`).
    Comme une retenue en binaire, deux sous-arbres de même taille fusionnent."""
    frontier.append(leaf)
    while size & 1:
        right = frontier.pop()
        left = frontier.pop()
        frontier.append(node_hash(left, right))
        size >>= 1
    return frontier


def merkle_root(frontier):
    """Racine de l'arbre connu par sa frontière : ses sous-arbres parfaits réunis en partant
    de la droite, ce qui donne le même arbre que la découpe à la plus grande puissance de deux
    de la RFC 9162."""
    if not frontier:
        return hashlib.sha256(b"").digest()
    root = frontier[-1]
    for subtree in reversed(frontier[:-1]):
        root = node_hash(subtree, root)
    return root


def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --- Note signée et point de contrôle ------------------------------------------------------


def read_public_key(text):
    """La clé en base64, ou sous la forme « nom+identifiant+base64(0x01 || clé) ». Le « + »
    étant un chiffre de la base64, la forme simple est essayée d'abord."""
    text = text.strip()
    raw = decode_base64(text)
    if len(raw) not in (32, 33) and text.count("+") >= 2:
        raw = decode_base64(text.split("+", 2)[2])  # un nom de clé ne contient jamais « + »
    if len(raw) == 33 and raw[0] == 1:
        raw = raw[1:]
    if len(raw) != 32:
        raise ValueError("clé publique attendue : 32 octets en base64")
    return raw


def decode_base64(text):
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return b""


def open_note(note, public_key):
    """Le texte signé et le nom de la clé, si une signature est de `public_key`."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator or not signatures.endswith("\n"):
        raise Failed("Le point de contrôle n'a pas la forme d'une note signée.")
    text += "\n"
    for line in signatures[:-1].split("\n"):
        dash, _, rest = line.partition(" ")
        name, _, blob = rest.partition(" ")
        if dash != "\u2014" or not name or not blob:
            raise Failed("Ligne de signature illisible dans le point de contrôle.")
        try:
            raw = base64.b64decode(blob, validate=True)
        except (binascii.Error, ValueError):
            raise Failed("Signature illisible dans le point de contrôle.") from None
        key_id = hashlib.sha256(name.encode() + b"\n\x01" + public_key).digest()[:4]
        if raw[:4] != key_id:
            continue  # signature d'une autre clé
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(raw[4:], text.encode())
        except InvalidSignature:
            raise Failed(
                "La signature du point de contrôle est invalide : il n'a pas été signé par la "
                "clé publique de la plateforme, ou il a été modifié."
            ) from None
        return text, name
    raise Failed(
        "Le point de contrôle ne porte aucune signature de la clé publique de la plateforme."
    )


def parse_checkpoint(text):
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
        raise Failed("Le point de contrôle est mal formé.")
    origin, size, root64 = lines[:3]
    try:
        root = base64.b64decode(root64, validate=True)
    except (binascii.Error, ValueError):
        root = b""
    if not size.isdigit() or (size != "0" and size.startswith("0")) or len(root) != 32:
        raise Failed("Le point de contrôle est mal formé (taille ou racine illisible).")
    time = next((line[5:] for line in lines[3:-1] if line.startswith("time ")), None)
    return origin, int(size), root, time


# --- Lecture de l'export au fur et à mesure -------------------------------------------------


def form_error(part=None):
    return Failed("L'export n'a pas la forme attendue (%s)." % (part or ", ".join(PARTS)))


WHITESPACE = re.compile(r"[ \t\n\r]*")
DECODER = json.JSONDecoder()


class ExportReader:
    """L'objet JSON de l'export, lu dans le fichier à mesure que la vérification en demande
    les parties : `value(clé)` lit une partie entière, `items(clé)` donne un à un les éléments
    d'un tableau quand il est le suivant dans le fichier (sinon il a été gardé en mémoire en
    le passant), `finish()` lit la fin (une partie en double, ou quoi que ce soit après
    l'objet, est refusée)."""

    def __init__(self, file):
        self.file = file
        self.buffer, self.pos, self.eof = "", 0, False
        self.dropped = 0  # caractères du fichier avant le tampon
        self.values = {}  # parties lues entières
        self.seen = set()
        self.state = "start"
        self.streaming = None

    def value(self, key):
        self.seek(key)
        return self.values[key]

    def items(self, key):
        if key not in self.values and self.seek(key, stream=True):
            self.streaming = self.array()
            return self.streaming
        value = self.values.pop(key)
        if not isinstance(value, list):
            raise form_error(key)
        return iter(value)

    def finish(self):
        while self.next_key() is not None:
            self.skip()
        if self.peek():
            raise Unreadable("données après la fin de l'export, au caractère %d" % self.offset())

    def seek(self, key, stream=False):
        while key not in self.values:
            found = self.next_key()
            if found is None:
                raise form_error()
            if found == key and stream and self.peek() == "[":
                return True
            if found in PARTS:
                self.values[found] = list(self.array()) if self.peek() == "[" else self.decode()
            else:
                self.skip()
        return False

    def next_key(self):
        if self.streaming is not None:
            for _item in self.streaming:  # tableau laissé en cours : lu jusqu'au bout
                pass
            self.streaming = None
        if self.state == "end":
            return None
        if self.state == "start":
            if self.peek() != "{":
                self.decode()  # illisible, ou du JSON qui n'est pas un export
                raise form_error()
            self.pos += 1
            self.state = "open"
            if self.peek() == "}":
                self.pos += 1
                self.state = "end"
                return None
        elif self.expect(",}") == "}":
            self.state = "end"
            return None
        if self.peek() != '"':
            raise Unreadable("nom de champ attendu au caractère %d" % self.offset())
        key = self.decode()
        self.expect(":")
        if key in self.seen:
            raise Failed(
                "L'export n'a pas la forme attendue : la partie « %s » y figure deux fois." % key
            )
        self.seen.add(key)
        return key

    def skip(self):
        if self.peek() == "[":
            for _item in self.array():
                pass
        else:
            self.decode()

    def array(self):
        self.expect("[")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.decode()
            if self.expect(",]") == "]":
                return

    def fill(self):
        try:
            piece = self.file.read(PIECE)
        except UnicodeDecodeError:
            raise Unreadable("le fichier n'est pas du texte UTF-8") from None
        if not piece:
            self.eof = True
            return False
        self.dropped += self.pos
        self.buffer = self.buffer[self.pos :] + piece
        self.pos = 0
        return True

    def offset(self):
        return self.dropped + self.pos

    def peek(self):
        while True:
            self.pos = WHITESPACE.match(self.buffer, self.pos).end()
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self.fill():
                return ""

    def expect(self, allowed):
        char = self.peek()
        if not char or char not in allowed:
            raise Unreadable(
                "« %s » attendu au caractère %d, %s"
                % (
                    " » ou « ".join(allowed),
                    self.offset(),
                    "« %s » trouvé" % char if char else "fin du fichier",
                )
            )
        self.pos += 1
        return char

    def decode(self):
        self.peek()
        while True:
            try:
                value, end = DECODER.raw_decode(self.buffer, self.pos)
            except ValueError as error:
                if self.eof or len(self.buffer) - self.pos > MAX_VALUE or not self.fill():
                    where = self.dropped + getattr(error, "pos", self.pos)
                    raise Unreadable("JSON invalide au caractère %d" % where) from None
                continue
            if end == len(self.buffer) and not self.eof and self.fill():
                continue  # un nombre en fin de tampon peut continuer dans la suite
            self.pos = end
            return value


class ParsedExport:
    """Un export déjà lu en entier, derrière la même interface."""

    def __init__(self, document):
        if not isinstance(document, dict) or not all(key in document for key in PARTS):
            raise form_error()
        self.document = document

    def value(self, key):
        return self.document[key]

    def items(self, key):
        if not isinstance(self.document[key], list):
            raise form_error(key)
        return iter(self.document[key])

    def finish(self):
        pass


# --- Vérification --------------------------------------------------------------------------


def verify(export, public_key):
    """`export` : un ExportReader sur le fichier, ou le document JSON déjà lu."""
    document = export if isinstance(export, ExportReader) else ParsedExport(export)
    consultation, ledger = document.value("consultation"), document.value("ledger")
    slug = consultation.get("slug") if isinstance(consultation, dict) else None
    checkpoint = ledger.get("checkpoint", "") if isinstance(ledger, dict) else ""
    text, key_name = open_note(str(checkpoint), public_key)
    origin, size, root, time = parse_checkpoint(text)
    if not origin.endswith("/consultations/%s" % slug):
        raise Failed(
            "Le point de contrôle signé concerne « %s », pas la consultation « %s »."
            % (origin, slug)
        )

    frontier = []
    count = 0
    contributions = {}  # numéro de suivi -> état d'après le registre
    for position, record in enumerate(document.items("records")):
        where = "Enregistrement n° %d" % position
        if not isinstance(record, dict) or not isinstance(record.get("leaf"), str):
            raise Failed(where + " : illisible.")
        if position >= size:
            raise Failed(
                "%s : au-delà des %d entrées que couvre le point de contrôle signé "
                "(enregistrement ajouté)." % (where, size)
            )
        if record.get("index") != position:
            raise Failed(
                "%s : il porte l'index %s au lieu de %d (enregistrement supprimé, ajouté ou "
                "déplacé)." % (where, record.get("index"), position)
            )
        digest = leaf_hash(record["leaf"].encode())
        if digest.hex() != record.get("leaf_hash"):
            raise Failed(
                where + " : son empreinte ne correspond pas à son contenu (enregistrement modifié)."
            )
        try:
            leaf = json.loads(record["leaf"])
        except ValueError:
            raise Failed(where + " : contenu illisible.") from None
        if not isinstance(leaf, dict) or leaf.get("index") != position:
            raise Failed(where + " : son contenu indique un autre index (enregistrement déplacé).")
        if leaf.get("consultation") != slug:
            raise Failed(where + " : il appartient à une autre consultation.")
        follow(leaf, position, contributions)
        frontier_append(frontier, position, digest)
        count = position + 1
    if count < size:
        raise Failed(
            "Enregistrement n° %d : absent de l'export, alors que le point de contrôle signé "
            "couvre %d entrées (enregistrement supprimé)." % (count, size)
        )
    if merkle_root(frontier) != root:
        raise Failed(
            "La racine de Merkle recalculée ne correspond pas à la racine signée : un "
            "enregistrement a été modifié, supprimé, ajouté ou déplacé."
        )

    checked = withheld = 0
    for item in document.items("contributions"):
        number = item.get("tracking_number") if isinstance(item, dict) else None
        where = "Contribution %s" % number
        state = contributions.get(number) if isinstance(number, str) else None
        if state is None:
            raise Failed(where + " : absente du registre (contribution ajoutée).")
        if state["seen"]:
            raise Failed(where + " : présente deux fois dans l'export.")
        state["seen"] = True
        if item.get("content_sha256") != state["content"]:
            raise Failed(
                "%s : son empreinte ne correspond pas à celle de l'entrée n° %d du registre "
                "(contribution modifiée)." % (where, state["index"])
            )
        texts = {name: item.get(name) for name in CONTENT_FIELDS}
        if all(value is None for value in texts.values()):
            if not (state["withdrawn"] or state["hidden"]):
                raise Failed(
                    where + " : son texte manque alors que le registre ne la dit ni retirée ni "
                    "masquée (texte supprimé)."
                )
            withheld += 1
        elif (
            not all(isinstance(value, str) for value in texts.values())
            or hashlib.sha256(canonical_json(texts).encode()).hexdigest() != state["content"]
        ):
            raise Failed(
                "%s : le texte publié ne correspond pas à l'empreinte inscrite à l'entrée n° %d "
                "du registre (texte modifié)." % (where, state["index"])
            )
        checked += 1
    for number, state in contributions.items():
        if not state["seen"]:
            raise Failed(
                "Contribution %s : inscrite au registre (entrée n° %d) mais absente de l'export "
                "(contribution supprimée)." % (number, state["index"])
            )
    document.finish()
    return slug, size, root.hex(), key_name, time, checked, withheld


def follow(leaf, index, contributions):
    """Ce qu'une entrée change à l'état de la contribution qu'elle concerne."""
    data = leaf.get("data") if isinstance(leaf.get("data"), dict) else {}
    number, kind = data.get("contribution"), leaf.get("kind")
    if not isinstance(number, str):
        return
    if kind == "contribution":
        contributions[number] = {
            "index": index,
            "content": data.get("content_sha256"),
            "withdrawn": False,
            "hidden": False,
            "seen": False,
        }
        return
    state = contributions.get(number)
    if state is None:
        return
    if kind == "edit":
        state["index"], state["content"] = index, data.get("content_sha256")
    elif kind == "withdrawal":
        state["withdrawn"] = True
    elif kind == "moderation" and data.get("action") in ("hide", "restore"):
        state["hidden"] = data.get("action") == "hide"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Vérifier l'export d'une consultation contre son point de contrôle signé."
    )
    parser.add_argument("export", help="le fichier export.json téléchargé")
    parser.add_argument(
        "--public-key", required=True, help="la clé publique Ed25519 de la plateforme (base64)"
    )
    args = parser.parse_args(argv)
    try:
        public_key = read_public_key(args.public_key)
    except ValueError as error:
        parser.error(str(error))
    try:
        with open(args.export, encoding="utf-8") as handle:
            result = verify(ExportReader(handle), public_key)
    except (OSError, Unreadable) as error:
        print("Fichier illisible : %s" % error, file=sys.stderr)
        return 2
    except Failed as error:
        print("Échec de la vérification : %s" % error, file=sys.stderr)
        return 1
    slug, size, root, key_name, time, checked, withheld = result
    print(
        "Export conforme : consultation « %s », %d enregistrements, racine %s, signée par %s%s."
        % (slug, size, root, key_name, " le %s" % time if time else "")
    )
    print(
        "%d contributions vérifiées, dont %d retirées ou masquées (texte non publié, empreinte "
        "vérifiée)." % (checked, withheld)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

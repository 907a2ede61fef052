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
   est la racine signée ; la première entrée est la publication de la consultation ;
4. la consultation (titre, résumé, institution, base légale, dates de publication,
   d'ouverture et de clôture après prolongations, date de la synthèse, statut à la date de
   l'export) est celle que le registre inscrit, et ses modalités ont l'empreinte inscrite à
   la publication ;
5. le texte consulté : le SHA-256 de son texte source est l'empreinte publiée, et le SHA-256
   du JSON canonique de sa structure (divisions, articles, alinéas, sans les identifiants de
   la base) est celui inscrit à la publication ;
5b. les documents du texte (exposé des motifs, étude d'impact, avis, annexes) : ceux publiés
   avec le texte (numéro, version, titre, nature, articles, type, taille, SHA-256) ont
   l'empreinte inscrite à la publication, chaque erratum est celui inscrit à son entrée
   « document » avec sa note et sa date, et chaque version masquée l'est pour le motif inscrit
   (un export antérieur aux documents, sans cette partie, reste vérifiable) ;
6. les avis sur chaque article et sur chaque contribution sont recomptés sur les entrées
   « vote » (un avis par pseudonyme et par cible, le dernier comptant) ; le nombre de
   contributions de chaque article, et les chiffres de la modération (signalements par motif,
   contributions masquées par motif, rétablissements, classements sans suite, doublons) sont
   recomptés aussi ;
7. chaque contribution : sa nature, son article, son alinéa, sa position, la contribution à
   laquelle elle répond, son canal hors ligne, son auteur (nom public et type, à son dépôt
   puis à chaque changement), ses dates de dépôt et de modification, son état (publiée,
   retirée, masquée et pour quel motif) ; son texte publié (titre, texte, rédaction proposée,
   lien et, si elle en a une, nom, taille et SHA-256 de sa contribution écrite jointe en PDF)
   a pour SHA-256 de son JSON canonique (clés triées, sans espaces, UTF-8) l'empreinte
   inscrite à sa dernière entrée ; l'empreinte de sa contribution écrite, donnée même quand
   elle est retirée ou masquée, est celle du registre ; une contribution sans texte a bien été
   retirée ou masquée ;
   la réponse de l'administration (statut, date, texte) est la dernière inscrite ; aucune
   contribution ne manque ni n'est ajoutée ;
8. chaque version publiée de la synthèse (texte, observations prises en compte, lien des
   motifs, note de version, date, chiffres de la relecture et, depuis qu'ils sont publiés, ses
   thèmes et groupes de propositions avec leurs contributions) est celle inscrite au registre,
   et chaque suite envisagée,
   historique compris, est telle que l'inscrit sa dernière entrée (à chaque publication d'une
   version et à chaque changement).

Ce que le registre ne prouve pas : que la plateforme a inscrit tout ce qui s'est passé (une
action jamais inscrite n'y figure pas), qui se cache derrière un pseudonyme ou un compte, et
les parties de l'export qui ne sont que des présentations (identifiants de la base, libellés,
adresses web, nombre de jours écoulés, date de l'export).

Le fichier est lu au fur et à mesure, enregistrement par enregistrement : même pour une
consultation de plusieurs millions d'entrées, le script n'utilise que quelques dizaines de
mégaoctets de mémoire, plus environ 150 octets par avis en vigueur (un peu plus de 300 Mo pour
1,5 million d'avis). Une partie présente deux fois au premier niveau de l'export est refusée.

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
from datetime import datetime, timezone

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
except ImportError:  # pragma: no cover - message for people
    sys.exit("Installez d'abord la bibliothèque cryptography : pip install cryptography")

CONTENT_FIELDS = ("title", "body", "proposed_text", "url")
PARTS = (
    "generated_at",
    "consultation",
    "notice",
    "ledger",
    "text",
    "divisions",
    "articles",
    "documents",
    "moderation",
    "records",
    "contributions",
    "synthesis",
)
OPTIONAL_PARTS = ("documents",)  # absente des exports antérieurs aux documents
DOCUMENT_FIELDS = (
    "number",
    "version",
    "title",
    "kind",
    "articles",
    "media_type",
    "size",
    "sha256",
    "note",
)
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

    def optional_value(self, key):
        """La partie `key`, ou None si l'export n'en a pas (lu jusqu'au bout pour le savoir)."""
        if key in self.values:
            return self.values[key]
        try:
            return self.value(key)
        except Failed:
            if self.state != "end":
                raise
            return None

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
        required = [key for key in PARTS if key not in OPTIONAL_PARTS]
        if not isinstance(document, dict) or not all(key in document for key in required):
            raise form_error()
        self.document = document

    def value(self, key):
        return self.document[key]

    def optional_value(self, key):
        return self.document.get(key)

    def items(self, key):
        if not isinstance(self.document[key], list):
            raise form_error(key)
        return iter(self.document[key])

    def finish(self):
        pass


# --- Ce que le registre établit -----------------------------------------------------------

OPINIONS = ("agree", "mixed", "disagree")
# Les motifs de la charte de modération, tels que la plateforme les publie.
REASONS = ("insult", "spam", "off_topic", "personal_data", "illegal", "other")


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def digest(value):
    """SHA-256 (hexadécimal) du JSON canonique d'une valeur."""
    return sha256_hex(canonical_json(value))


def instant(text):
    """L'instant qu'écrit un texte ISO 8601 (« Z » ou décalage), ou None."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def shown(value):
    return "rien" if value is None else "« %s »" % (value,)


class ContributionState:
    """Une contribution d'après le registre."""

    __slots__ = (
        "index",
        "facts",
        "author",
        "created_at",
        "edited_at",
        "content",
        "content_index",
        "paper",
        "withdrawn",
        "hidden_reason",
        "duplicate",
        "answer",
        "seen",
    )

    def __init__(self, index, data, at):
        self.index = index
        self.facts = {
            "kind": data.get("contribution_kind"),
            "article": data.get("article"),
            "paragraph": data.get("paragraph"),
            "position": data.get("position"),
            "parent": data.get("parent"),
            "offline_channel": data.get("offline"),
        }
        self.author = (index, data.get("author_sha256"))
        self.created_at = data.get("created_at", at)
        self.edited_at = None
        self.content = data.get("content_sha256")
        self.content_index = index
        self.paper = data.get("paper_sha256")  # l'empreinte de la contribution écrite jointe
        self.withdrawn = False
        self.hidden_reason = None  # le motif, tant qu'elle est masquée
        self.duplicate = False
        self.answer = None  # (entrée, statut, empreinte du texte, instant)
        self.seen = False

    @property
    def state(self):
        if self.withdrawn:
            return "withdrawn"
        return "hidden" if self.hidden_reason is not None else "published"


class Record:
    """Ce que les entrées du registre établissent, lues une à une et dans l'ordre : la
    publication et les prolongations, chaque contribution et ce qui lui est arrivé, les
    décomptes des avis (un par participant et par cible, le dernier comptant), les
    signalements, les décisions de modération et les versions de la synthèse."""

    def __init__(self):
        self.publication = None  # (entrée, instant, données)
        self.closes_at = None  # (entrée, instant)
        self.contributions = {}
        self.targets = {}  # cible d'un avis -> numéro
        self.votes = {}  # participant et cible -> avis
        self.tallies = {}  # cible -> [d'accord, mitigé, pas d'accord]
        self.article_contributions = {}
        self.reports = {}  # motif -> nombre
        self.restored = 0
        self.dismissed = 0
        self.syntheses = []  # (entrée, instant, numéro, empreinte)
        self.follow_ups = {}  # suite -> (entrée, empreinte)
        self.errata = {}  # (numéro, version) d'un document -> (entrée, instant, empreinte)
        self.hidden_documents = {}  # (numéro, version) -> (entrée, motif)

    def follow(self, leaf, index):
        kind = leaf.get("kind")
        data = leaf.get("data") if isinstance(leaf.get("data"), dict) else {}
        at = leaf.get("at")
        where = "Enregistrement n° %d" % index
        if index == 0:
            if kind != "publication":
                raise Failed(
                    where + " : le registre ne commence pas par la publication de la "
                    "consultation ; ce qu'affirme l'export ne peut pas être vérifié."
                )
            self.publication = (index, at, data)
            self.closes_at = (index, data.get("closes_at"))
            return
        if kind == "publication":
            raise Failed(where + " : une seconde publication de la consultation.")
        if kind == "extension":
            if instant(data.get("previous_closes_at")) != instant(self.closes_at[1]):
                raise Failed(where + " : prolongation d'une autre date de clôture que la dernière.")
            self.closes_at = (index, data.get("closes_at"))
        elif kind == "vote":
            self.vote(data, where)
        elif kind == "report":
            reason = data.get("reason")
            self.reports[reason] = self.reports.get(reason, 0) + 1
        elif kind == "synthesis":
            self.syntheses.append(
                (index, at, data.get("version"), data.get("content_sha256"), data.get("parts"))
            )
        elif kind == "document":
            key = (data.get("number"), data.get("version"))
            if not all(isinstance(part, int) for part in key):
                raise Failed(where + " : document sans numéro ni version.")
            if data.get("action") == "erratum":
                self.errata[key] = (index, at, data.get("document_sha256"))
            elif data.get("action") == "hide":
                self.hidden_documents[key] = (index, data.get("reason"))
            else:
                raise Failed(where + " : action inconnue sur un document.")
        elif kind == "follow_up":
            self.follow_ups[data.get("follow_up")] = (index, data.get("document_sha256"))
        elif kind == "author":
            authors = data.get("authors") if isinstance(data.get("authors"), dict) else {}
            for number, commitment in authors.items():
                state = self.contributions.get(number)
                if state is None:
                    raise Failed(where + " : il concerne une contribution que le registre ignore.")
                state.author = (index, commitment)
        elif kind == "contribution":
            number = data.get("contribution")
            if not isinstance(number, str) or number in self.contributions:
                raise Failed(where + " : numéro de suivi absent ou déjà inscrit.")
            self.contributions[number] = ContributionState(index, data, at)
            article = data.get("article")
            if article is not None:
                self.article_contributions[article] = self.article_contributions.get(article, 0) + 1
        elif kind in ("edit", "withdrawal", "moderation", "answer"):
            state = self.contributions.get(data.get("contribution"))
            if state is None:
                raise Failed(where + " : il concerne une contribution que le registre ignore.")
            if kind == "edit":
                state.content, state.content_index, state.edited_at = (
                    data.get("content_sha256"),
                    index,
                    at,
                )
                state.facts["position"] = data.get("position")
                state.paper = data.get("paper_sha256")
            elif kind == "withdrawal":
                state.withdrawn = True
            elif kind == "answer":
                state.answer = (index, data.get("status"), data.get("content_sha256"), at)
            else:
                self.moderate(state, data)

    def moderate(self, state, data):
        action = data.get("action")
        if action == "hide":
            state.hidden_reason = data.get("reason")
        elif action == "restore":
            state.hidden_reason = None
            self.restored += 1
        elif action == "dismiss":
            self.dismissed += 1
        elif action == "duplicate":
            state.duplicate = True

    def vote(self, data, where):
        if isinstance(data.get("contribution"), str):
            target = "c:" + data["contribution"]
        elif isinstance(data.get("article"), str):
            target = "a:" + data["article"]
        else:
            raise Failed(where + " : avis sans objet.")
        value = data.get("value")
        if value is not None and value not in OPINIONS:
            raise Failed(where + " : avis inconnu %s." % shown(value))
        number = self.targets.setdefault(target, len(self.targets))
        try:
            key = (int(data.get("participant"), 16) << 32) | number
        except (TypeError, ValueError):
            raise Failed(where + " : pseudonyme illisible.") from None
        previous = self.votes.pop(key, None)
        tally = self.tallies.setdefault(target, [0, 0, 0])
        if previous is not None:
            tally[previous] -= 1
        if value is not None:
            self.votes[key] = OPINIONS.index(value)
            tally[OPINIONS.index(value)] += 1

    def tally(self, target):
        agree, mixed, disagree = self.tallies.get(target, (0, 0, 0))
        return {"agree": agree, "mixed": mixed, "disagree": disagree}


# --- Vérification --------------------------------------------------------------------------


class Verified:
    def __init__(self, **values):
        self.__dict__.update(values)


def verify(export, public_key, stored=None):
    """`export` : un ExportReader sur le fichier, ou le document JSON déjà lu. `stored`,
    facultatif : les (index, empreinte) que la plateforme a inscrits, dans l'ordre."""
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
    check_head(ledger, checkpoint, public_key, origin, size, root, time)
    record = read_records(document.items("records"), slug, size, root, stored)
    check_consultation(document, consultation, record)
    check_text(document, record)
    check_moderation(document.value("moderation"), record)
    checked, withheld = check_contributions(document.items("contributions"), record)
    check_synthesis(document.value("synthesis"), record)
    check_documents(document.optional_value("documents"), record)
    document.finish()
    return Verified(
        consultation=slug,
        tree_size=size,
        root_hash=root.hex(),
        key_name=key_name,
        signed_at=time,
        contributions=checked,
        withheld=withheld,
        votes=len(record.votes),
    )


def check_head(ledger, checkpoint, public_key, origin, size, root, time):
    """Ce que l'export dit du point de contrôle, à côté de la note signée, est ce qu'elle dit."""
    signature = checkpoint.rstrip("\n").rsplit(" ", 1)[-1]
    expected = {
        "origin": origin,
        "tree_size": size,
        "root_hash": root.hex(),
        "signature": base64.b64encode(decode_base64(signature)[4:]).decode(),
        "public_key": base64.b64encode(public_key).decode(),
    }
    for field, value in expected.items():
        if ledger.get(field) != value:
            raise Failed(
                "Point de contrôle : %s %s dans l'export, %s dans la note signée."
                % (field, shown(ledger.get(field)), shown(value))
            )
    key = str(ledger.get("verifier_key", "")).split("+", 2)[-1]
    if decode_base64(key) != b"\x01" + public_key:
        raise Failed("Point de contrôle : verifier_key ne désigne pas la clé de la plateforme.")
    signed_at = instant(ledger.get("signed_at"))
    if (
        signed_at is None
        or signed_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") != time
    ):
        raise Failed(
            "Point de contrôle : signed_at %s dans l'export, %s dans la note signée."
            % (shown(ledger.get("signed_at")), shown(time))
        )


def read_records(records, slug, size, root, stored):
    frontier = []
    count = 0
    record = Record()
    for position, item in enumerate(records):
        where = "Enregistrement n° %d" % position
        if not isinstance(item, dict) or not isinstance(item.get("leaf"), str):
            raise Failed(where + " : illisible.")
        if position >= size:
            raise Failed(
                "%s : au-delà des %d entrées que couvre le point de contrôle signé "
                "(enregistrement ajouté)." % (where, size)
            )
        if item.get("index") != position:
            raise Failed(
                "%s : il porte l'index %s au lieu de %d (enregistrement supprimé, ajouté ou "
                "déplacé)." % (where, item.get("index"), position)
            )
        digest_ = leaf_hash(item["leaf"].encode())
        if digest_.hex() != item.get("leaf_hash"):
            raise Failed(
                where + " : son empreinte ne correspond pas à son contenu (enregistrement modifié)."
            )
        try:
            leaf = json.loads(item["leaf"])
        except ValueError:
            raise Failed(where + " : contenu illisible.") from None
        if not isinstance(leaf, dict) or leaf.get("index") != position:
            raise Failed(where + " : son contenu indique un autre index (enregistrement déplacé).")
        if leaf.get("consultation") != slug:
            raise Failed(where + " : il appartient à une autre consultation.")
        if stored is not None:
            kept = next(stored, None)
            if kept is None:
                raise Failed(
                    where + " : absent du registre de la plateforme (enregistrement ajouté)."
                )
            if kept[0] != position or bytes(kept[1]) != digest_:
                raise Failed(
                    where + " : différent de l'entrée que la plateforme a inscrite à cet index "
                    "(enregistrement modifié, ajouté ou déplacé)."
                )
        record.follow(leaf, position)
        frontier_append(frontier, position, digest_)
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
    if record.publication is None:
        raise Failed("Le registre est vide : la consultation n'a pas été publiée.")
    return record


def differs(where, what, exported, recorded, index):
    return Failed(
        "%s : %s %s dans l'export, %s selon le registre (entrée n° %d)."
        % (where, what, shown(exported), shown(recorded), index)
    )


def same(where, what, exported, recorded, index):
    if exported != recorded:
        raise differs(where, what, exported, recorded, index)


def same_instant(where, what, exported, recorded, index):
    if instant(exported) != instant(recorded) or (exported is None) != (recorded is None):
        raise differs(where, what, exported, recorded, index)


def part(document, key, kind=dict):
    value = document.value(key)
    if not isinstance(value, kind):
        raise form_error(key)
    return value


STATUS = {"scheduled", "open", "closed", "synthesis_published"}


def check_consultation(document, consultation, record):
    """La consultation telle que publiée, prolongée, puis dotée de sa synthèse."""
    index, published_at, data = record.publication
    where = "Consultation"
    for field, label in (
        ("title", "titre"),
        ("summary", "résumé"),
        ("institution", "institution"),
        ("legal_basis", "base légale"),
        ("legal_basis_reference", "référence de la base légale"),
        ("text_sha256", "empreinte du texte"),
    ):
        same(where, label, consultation.get(field), data.get(field), index)
    same_instant(where, "publiée le", consultation.get("published_at"), published_at, index)
    same_instant(where, "ouverture", consultation.get("opens_at"), data.get("opens_at"), index)
    closing_index, closes_at = record.closes_at
    same_instant(where, "clôture", consultation.get("closes_at"), closes_at, closing_index)
    first = record.syntheses[0] if record.syntheses else (index, None)
    same_instant(
        where, "synthèse publiée le", consultation.get("synthesis_published_at"), first[1], first[0]
    )
    now = instant(document.value("generated_at"))
    if now is None:
        raise form_error("generated_at")
    if now < instant(data.get("opens_at")):
        status = "scheduled"
    elif now < instant(closes_at):
        status = "open"
    else:
        status = "synthesis_published" if record.syntheses else "closed"
    same(where, "statut à la date de l'export", consultation.get("status"), status, closing_index)
    notice = part(document, "notice")
    if digest(notice) != data.get("notice_sha256"):
        raise Failed(
            "Modalités : elles diffèrent de celles publiées avec la consultation (empreinte "
            "inscrite à l'entrée n° %d)." % index
        )


def text_structure(text, divisions, articles):
    """Le texte consulté tel que l'export le présente, sans les identifiants de la base."""
    positions = {}
    for number, division in enumerate(divisions):
        positions[division.get("id")] = number

    def place(reference):  # une référence à aucune division de l'export n'est pas une place
        return positions.get(reference, "?" if reference is not None else None)

    return {
        "title": text.get("title"),
        "preamble": text.get("preamble"),
        "closing": text.get("closing"),
        "divisions": [
            {
                "position": division.get("position"),
                "depth": division.get("depth"),
                "kind": division.get("kind"),
                "label": division.get("label"),
                "title": division.get("title"),
                "intro": division.get("intro"),
                "parent": place(division.get("parent_id")),
            }
            for division in divisions
        ],
        "articles": [
            {
                "position": article.get("position"),
                "number": article.get("number"),
                "slug": article.get("slug"),
                "label": article.get("label"),
                "title": article.get("title"),
                "division": place(article.get("division_id")),
                "paragraphs": article.get("paragraphs"),
            }
            for article in articles
        ],
    }


def check_text(document, record):
    """Le texte consulté : ses deux empreintes, recalculées, et pour chaque article les avis et
    les contributions recomptés sur les entrées du registre."""
    index, published_at, data = record.publication
    text = part(document, "text")
    divisions, articles = part(document, "divisions", list), part(document, "articles", list)
    if not all(isinstance(item, dict) for item in divisions + articles):
        raise form_error("articles")
    where = "Texte consulté"
    same(where, "empreinte", text.get("sha256"), data.get("text_sha256"), index)
    source = text.get("source")
    if not isinstance(source, str) or sha256_hex(source) != text.get("sha256"):
        raise Failed(
            "%s : son empreinte SHA-256 recalculée sur le texte exporté n'est pas celle qui a "
            "été publiée (texte modifié)." % where
        )
    same(where, "version", text.get("version"), data.get("text_version"), index)
    same_instant(where, "figé le", text.get("frozen_at"), published_at, index)
    try:
        structure = digest(text_structure(text, divisions, articles))
    except TypeError:
        structure = None
    if structure != data.get("text_structure_sha256"):
        raise Failed(
            "%s : ses divisions, articles ou alinéas diffèrent de ceux publiés (empreinte "
            "inscrite à l'entrée n° %d)." % (where, index)
        )
    numbers = set()
    for article in articles:
        number = article.get("number")
        where = "Article %s" % number
        numbers.add(number)
        votes = article.get("votes")
        expected = record.tally("a:%s" % number)
        if votes != expected:
            raise Failed(
                "%s : avis %s dans l'export, %s d'après les votes inscrits au registre."
                % (where, tally_text(votes), tally_text(expected))
            )
        count = record.article_contributions.get(number, 0)
        if article.get("contributions_count") != count:
            raise Failed(
                "%s : %s contributions dans l'export, %d inscrites au registre."
                % (where, article.get("contributions_count"), count)
            )
    for target in record.tallies:
        if target.startswith("a:") and target[2:] not in numbers:
            raise Failed("Article %s : avis inscrits au registre, absent de l'export." % target[2:])


def check_documents(items, record):
    """Les documents du texte : ceux figés à la publication, les errata, les masquages."""
    index, published_at, data = record.publication
    committed = data.get("documents_sha256")
    if items is None:
        if committed is not None or record.errata or record.hidden_documents:
            raise form_error("documents")
        return
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise form_error("documents")
    frozen, seen = [], set()
    for item in items:
        key = (item.get("number"), item.get("version"))
        if not all(isinstance(part, int) for part in key):
            raise form_error("documents")
        where = "Document %d, version %d" % key
        if key in seen:
            raise Failed(where + " : présent deux fois dans l'export.")
        seen.add(key)
        certified = dict((field, item.get(field)) for field in DOCUMENT_FIELDS)
        erratum = record.errata.get(key)
        if erratum is None:
            frozen.append(certified)
            same_instant(where, "publié le", item.get("published_at"), published_at, index)
        else:
            if digest(certified) != erratum[2]:
                raise Failed(
                    "%s : son titre, sa nature, ses articles, son type, sa taille, son empreinte "
                    "ou sa note diffèrent de l'erratum inscrit (entrée n° %d)." % (where, erratum[0])
                )
            same_instant(where, "publié le", item.get("published_at"), erratum[1], erratum[0])
        hidden = record.hidden_documents.get(key)
        at = hidden[0] if hidden else index
        same(where, "masqué", item.get("hidden"), hidden is not None, at)
        same(where, "motif du masquage", item.get("hidden_reason"), hidden and hidden[1], at)
    for key, (entry, _at, _digest) in sorted(record.errata.items()):
        if key not in seen:
            raise Failed(
                "Document %d, version %d : erratum inscrit au registre (entrée n° %d), absent "
                "de l'export." % (key[0], key[1], entry)
            )
    for key, (entry, _reason) in sorted(record.hidden_documents.items()):
        if key not in seen:
            raise Failed(
                "Document %d, version %d : masqué selon le registre (entrée n° %d), absent de "
                "l'export." % (key[0], key[1], entry)
            )
    # Une publication inscrite avant les documents n'en fige aucun.
    expected = committed if committed is not None else digest([])
    if digest(frozen) != expected:
        raise Failed(
            "Documents : ceux publiés avec le texte (titre, nature, articles, type, taille, "
            "empreinte) diffèrent de ceux inscrits à la publication (entrée n° %d)." % index
        )


def tally_text(votes):
    if not isinstance(votes, dict):
        return shown(votes)
    agree, mixed, disagree = (votes.get(opinion) for opinion in OPINIONS)
    # Règle française : 0 et 1 au singulier.
    mitige = "mitigé" if isinstance(mixed, int) and -2 < mixed < 2 else "mitigés"
    return "%s d'accord, %s %s, %s pas d'accord" % (agree, mixed, mitige, disagree)


def check_moderation(figures, record):
    """Les chiffres publics de la modération, recomptés."""
    if not isinstance(figures, dict) or not isinstance(figures.get("by_reason"), list):
        raise form_error("moderation")
    hidden = {}
    duplicates = 0
    for state in record.contributions.values():
        if state.hidden_reason is not None:
            hidden[state.hidden_reason] = hidden.get(state.hidden_reason, 0) + 1
        duplicates += state.duplicate
    expected = {
        "contributions": len(record.contributions),
        "reports": sum(record.reports.values()),
        "hidden": sum(hidden.values()),
        "restored": record.restored,
        "dismissed": record.dismissed,
        "duplicates": duplicates,
    }
    for name, value in expected.items():
        if figures.get(name) != value:
            raise Failed(
                "Modération : %s %s dans l'export, %d d'après le registre."
                % (name, shown(figures.get(name)), value)
            )
    listed = set()
    for line in figures["by_reason"]:
        reason = line.get("reason") if isinstance(line, dict) else None
        if reason not in REASONS or reason in listed:
            raise Failed("Modération : motif %s inconnu ou répété dans l'export." % shown(reason))
        listed.add(reason)
        for name, counts in (("reports", record.reports), ("hidden", hidden)):
            if line.get(name) != counts.get(reason, 0):
                raise Failed(
                    "Modération, motif %s : %s %s dans l'export, %d d'après le registre."
                    % (shown(reason), name, shown(line.get(name)), counts.get(reason, 0))
                )
    for reason in set(record.reports) | set(hidden):
        if reason not in listed:
            raise Failed("Modération : le motif %s manque à l'export." % shown(reason))


def check_contributions(items, record):
    checked = withheld = 0
    for item in items:
        number = item.get("tracking_number") if isinstance(item, dict) else None
        where = "Contribution %s" % number
        state = record.contributions.get(number) if isinstance(number, str) else None
        if state is None:
            raise Failed(where + " : absente du registre (contribution ajoutée).")
        if state.seen:
            raise Failed(where + " : présente deux fois dans l'export.")
        state.seen = True
        for field, label in (
            ("kind", "nature"),
            ("article", "article"),
            ("paragraph", "alinéa"),
            ("parent", "contribution à laquelle elle répond"),
            ("offline_channel", "canal hors ligne"),
        ):
            same(where, label, item.get(field), state.facts[field], state.index)
        same(where, "position", item.get("position"), state.facts["position"], state.content_index)
        author = {"salt": item.get("author_salt"), "value": item.get("author")}
        if not isinstance(author["salt"], str) or digest(author) != state.author[1]:
            raise Failed(
                "%s : son auteur (nom public et type) n'est pas celui inscrit à l'entrée n° %d "
                "du registre (auteur modifié)." % (where, state.author[0])
            )
        same_instant(where, "déposée le", item.get("created_at"), state.created_at, state.index)
        same_instant(
            where, "modifiée le", item.get("edited_at"), state.edited_at, state.content_index
        )
        same(where, "état", item.get("state"), state.state, state.index)
        same(
            where, "motif de masquage", item.get("hidden_reason"), state.hidden_reason, state.index
        )
        if item.get("content_sha256") != state.content:
            raise Failed(
                "%s : son empreinte ne correspond pas à celle de l'entrée n° %d du registre "
                "(contribution modifiée)." % (where, state.content_index)
            )
        paper = check_paper(where, item.get("paper"), state)
        texts = {name: item.get(name) for name in CONTENT_FIELDS}
        if paper is not None and (paper["name"] is not None or paper["size"] is not None):
            texts["paper"] = paper
        if all(value is None for value in texts.values()):
            if state.state == "published":
                raise Failed(
                    where + " : son texte manque alors que le registre ne la dit ni retirée ni "
                    "masquée (texte supprimé)."
                )
            withheld += 1
        elif state.state != "published":
            raise Failed(where + " : son texte est publié alors qu'elle est retirée ou masquée.")
        elif (
            not all(isinstance(texts[name], str) for name in CONTENT_FIELDS)
            or digest(texts) != state.content
        ):
            raise Failed(
                "%s : le texte publié ne correspond pas à l'empreinte inscrite à l'entrée n° %d "
                "du registre (texte modifié)." % (where, state.content_index)
            )
        votes, expected = item.get("votes"), record.tally("c:" + number)
        if votes != expected:
            raise Failed(
                "%s : avis %s dans l'export, %s d'après les votes inscrits au registre."
                % (where, tally_text(votes), tally_text(expected))
            )
        check_answer(where, item.get("answer"), state)
        checked += 1
    for number, state in record.contributions.items():
        if not state.seen:
            raise Failed(
                "Contribution %s : inscrite au registre (entrée n° %d) mais absente de l'export "
                "(contribution supprimée)." % (number, state.index)
            )
    return checked, withheld


def check_paper(where, paper, state):
    """La contribution écrite jointe (PDF) : son empreinte est celle du registre, qu'elle soit
    diffusée ou non ; son nom et sa taille font partie de l'empreinte du texte. Rend ce que
    l'empreinte du texte couvre (None sans contribution écrite)."""
    if paper is None:
        if state.paper is not None:
            raise Failed(
                "%s : le registre lui connaît une contribution écrite jointe (entrée n° %d), "
                "absente de l'export (fichier supprimé)." % (where, state.content_index)
            )
        return None
    if not isinstance(paper, dict):
        raise Failed(where + " : sa contribution écrite jointe est illisible dans l'export.")
    if state.paper is None:
        raise Failed(
            where + " : une contribution écrite jointe que le registre ne connaît pas "
            "(fichier ajouté)."
        )
    if paper.get("sha256") != state.paper:
        raise Failed(
            "%s : l'empreinte de sa contribution écrite jointe n'est pas celle inscrite à "
            "l'entrée n° %d du registre (fichier remplacé)." % (where, state.content_index)
        )
    return {"name": paper.get("name"), "size": paper.get("size"), "sha256": paper.get("sha256")}


def check_answer(where, answer, state):
    where += ", réponse de l'administration"
    if state.answer is None:
        if answer is not None:
            raise Failed(where + " : absente du registre (réponse ajoutée).")
        return
    index, status, content, at = state.answer
    if not isinstance(answer, dict):
        raise Failed(where + " : inscrite au registre (entrée n° %d), absente de l'export." % index)
    same(where, "statut", answer.get("status"), status, index)
    same_instant(where, "date", answer.get("answered_at"), at, index)
    body = answer.get("body")
    if body is None:
        if state.state == "published":
            raise Failed(where + " : son texte manque (texte supprimé).")
    elif state.state != "published" or not isinstance(body, str):
        raise Failed(where + " : son texte est publié alors que la contribution ne l'est plus.")
    elif digest({"body": body}) != content:
        raise Failed(
            where + " : son texte ne correspond pas à l'empreinte inscrite à l'entrée n° %d "
            "(texte modifié)." % index
        )


def certified_parts(version):
    """Ce que le registre certifie des thèmes et des groupes de propositions d'une version :
    numéro, nom, taille et contributions par numéro de suivi (jamais les identifiants de la
    base de données)."""
    themes, groups = version.get("themes"), version.get("proposal_groups")
    if not isinstance(themes, list) or not isinstance(groups, list):
        raise form_error("synthesis")
    if not all(isinstance(part, dict) for part in themes + groups):
        raise form_error("synthesis")
    return {
        "themes": [
            {key: theme.get(key) for key in ("number", "label", "size", "contributions")}
            for theme in themes
        ],
        "proposal_groups": [
            {key: group.get(key) for key in ("number", "count", "contributions")}
            for group in groups
        ],
    }


def check_synthesis(synthesis, record):
    """Chaque version publiée de la synthèse, telle qu'inscrite au registre."""
    versions = synthesis.get("versions") if isinstance(synthesis, dict) else None
    if not isinstance(versions, list):
        raise form_error("synthesis")
    if len(versions) != len(record.syntheses):
        raise Failed(
            "Synthèse : %d versions dans l'export, %d inscrites au registre."
            % (len(versions), len(record.syntheses))
        )
    for version, (index, at, number, content, parts) in zip(versions, record.syntheses):
        if not isinstance(version, dict):
            raise form_error("synthesis")
        where = "Synthèse, version %s" % number
        same(where, "numéro", version.get("number"), number, index)
        same_instant(where, "publiée le", version.get("published_at"), at, index)
        texts = {
            "body": version.get("body"),
            "observations_considered": version.get("observations_considered"),
            "reasons_url": version.get("reasons_url") or "",
            "change_note": version.get("change_note"),
        }
        review = version.get("review")
        if not all(isinstance(value, str) for value in texts.values()) or not (
            review is None or isinstance(review, dict)
        ):
            raise form_error("synthesis")
        certified = dict(texts, review=review)
        if parts is True:  # entries since the themes were published certify them too
            certified.update(certified_parts(version))
        if digest(certified) != content:
            raise Failed(
                where + " : son texte ne correspond pas à l'empreinte inscrite à l'entrée n° %d "
                "(texte modifié)." % index
            )
    follow_ups = synthesis.get("follow_ups")
    if not isinstance(follow_ups, list) or not all(isinstance(item, dict) for item in follow_ups):
        raise form_error("synthesis")
    seen = set()
    for item in follow_ups:
        where = "Suite envisagée « %s »" % item.get("title")
        key = item.get("id")
        if key not in record.follow_ups or key in seen:
            raise Failed(where + " : absente du registre ou présente deux fois (suite ajoutée).")
        seen.add(key)
        index, expected = record.follow_ups[key]
        certified = dict((name, value) for name, value in item.items() if name != "status_label")
        if digest(certified) != expected:
            raise Failed(
                where + " : elle ou son historique diffère de ce qu'inscrit l'entrée n° %d du "
                "registre (suite modifiée)." % index
            )
    for key, (index, _expected) in record.follow_ups.items():
        if key not in seen:
            raise Failed(
                "Suite envisagée n° %s : inscrite au registre (entrée n° %d) mais absente de "
                "l'export (suite supprimée)." % (key, index)
            )


def report(result):
    """Ce que la vérification a établi, en quelques lignes."""
    return [
        "Export conforme : consultation « %s », %d enregistrements, racine %s, signée par %s%s."
        % (
            result.consultation,
            result.tree_size,
            result.root_hash,
            result.key_name,
            " le %s" % result.signed_at if result.signed_at else "",
        ),
        "%d contributions vérifiées, dont %d retirées ou masquées (texte non publié, empreinte "
        "vérifiée)." % (result.contributions, result.withheld),
        "Consultation, modalités, texte consulté, décomptes des avis (%d avis en vigueur), "
        "réponses, modération et synthèse : conformes au registre." % result.votes,
    ]


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
    for line in report(result):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())

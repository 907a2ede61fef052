"""The tamper corpus: a consultation that went through every kind of act, exported, then every
field of the export changed one at a time, records added, removed, reordered and renumbered.
Both verifiers — the command, which also compares with the stored record, and the standalone
script a reader downloads — must refuse each forgery, in French, naming what differs. What an
export states without the record certifying it is listed in `UNCERTIFIED`, as the /registre
page and the README say."""

from __future__ import annotations

import copy
import functools
import importlib.util
import io
import json
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consultation.accounts import services as accounts
from consultation.consultations import documents
from consultation.consultations import services as consultations
from consultation.core import clock
from consultation.ledger import merkle, signing, verify
from consultation.ledger.models import LedgerEntry
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import follow_ups, publishing
from consultation.synthesis import services as answers
from tests.documents import files as document_files
from tests.participation import paper_files

# Fields an export carries that the record does not certify: presentation (labels, addresses,
# database ids, derived day counts) and when the file was made.
UNCERTIFIED = [
    r"format",
    r"licence\..*",
    r"schema",
    r"generated_at",
    r"consultation\.url",
    r"ledger\.verification",
    r"articles\.\d+\.id",
    r"contributions\.\d+\.id",
    r"contributions\.\d+\.answer\.label",
    r"moderation\.by_reason\.\d+\.label",
    r"synthesis\.versions\.\d+\.published_days_after_closing",
    r"synthesis\.versions\.\d+\.(?:themes|proposal_groups)\.\d+\.contribution_ids\.\d+",
    r"synthesis\.follow_ups\.\d+\.status_label",
    r"documents\.\d+\.(?:id|kind_label|filename|url)",
    r"contributions\.\d+\.paper\.url",
]
_UNCERTIFIED = re.compile("|".join(f"(?:{pattern})" for pattern in UNCERTIFIED))


@pytest.fixture
def world(client, db, make_consultation, make_user, organiser):
    """A consultation with every act the record keeps, and its export."""
    opened = make_consultation("draft", opens_at=clock.now() - timedelta(days=2))
    # Documents frozen with the text at publication, then an erratum and a hidden version.
    study = documents.add_document(
        organiser,
        opened,
        file=io.BytesIO(document_files.pdf()),
        filename="etude.pdf",
        title="Étude d'impact",
        kind="impact_study",
        articles="2",
    )
    annex = documents.add_document(
        organiser,
        opened,
        file=io.BytesIO(document_files.docx()),
        filename="annexe.docx",
        title="Annexe",
        kind="annex",
    )
    consultations.publish_consultation(organiser, opened, now=clock.now() - timedelta(days=3))
    db.session.commit()
    documents.publish_erratum(
        organiser,
        study,
        file=io.BytesIO(document_files.pdf(text="v2")),
        filename="etude-v2.pdf",
        note="Tableau 3 corrigé.",
    )
    documents.hide_document(organiser, annex, "Données personnelles publiées par erreur.")
    now = clock.now()
    moderator = make_user("moderator")
    citizen, other, voter = make_user(), make_user(), make_user()
    company = make_user()
    accounts.update_profile(
        company,
        display_name="Fédération",
        profile_type="organisation",
        organisation_category="union",
        organisation_name="Fédération des usagers",
        hatvp_number="H123456789",
    )
    article, second = opened.current_version.articles[:2]
    consultations.extend_consultation(
        organiser, opened, opened.closes_at + timedelta(days=3), "Forte participation", now=now
    )
    argument = participation.submit_contribution(
        citizen, opened, kind="argument", position="for", article_id=article.id, body="Pour."
    )
    participation.edit_contribution(citizen, argument, {"body": "Pour, vraiment."})
    amendment = participation.submit_contribution(
        company,
        opened,
        kind="amendment",
        article_id=second.id,
        paragraph=1,
        proposed_text="Une rédaction meilleure.",
        body="Plus clair.",
    )
    # A position paper, shown with its contribution, and one hidden with its contribution.
    positioned = participation.submit_contribution(
        company,
        opened,
        kind="comment",
        body="Notre position.",
        paper=io.BytesIO(paper_files.pdf_with_text("Position")),
        paper_filename="position.pdf",
    )
    # Papers changed by an edit: one replaced, one removed, one attached.
    participation.edit_contribution(
        company,
        positioned,
        {"body": "Notre position, revue."},
        paper=io.BytesIO(paper_files.pdf_with_text("Position revue")),
        paper_filename="position-revue.pdf",
    )
    annexed = participation.submit_contribution(
        company,
        opened,
        kind="comment",
        body="Avec une annexe.",
        paper=io.BytesIO(paper_files.pdf_with_text("Annexe")),
        paper_filename="annexe.pdf",
    )
    participation.edit_contribution(company, annexed, {}, remove_paper=True)
    participation.edit_contribution(
        company,
        amendment,
        {},
        paper=io.BytesIO(paper_files.pdf_with_text("Motifs")),
        paper_filename="motifs.pdf",
    )
    comment = participation.submit_contribution(other, opened, kind="comment", body="Question ?")
    reply = participation.submit_contribution(
        citizen, opened, kind="comment", body="Réponse.", parent_id=comment.id
    )
    source = participation.submit_contribution(
        other, opened, kind="source", title="Étude", url="https://example.org/e", body="Lue."
    )
    gone = participation.submit_contribution(other, opened, kind="comment", body="Retirée.")
    participation.withdraw_contribution(other, gone)
    hidden = participation.submit_contribution(
        other,
        opened,
        kind="comment",
        body="Injurieux.",
        paper=io.BytesIO(paper_files.pdf_with_text("Injurieux")),
        paper_filename="injures.pdf",
    )
    offline = participation.record_offline_observation(
        organiser,
        opened,
        channel="letter",
        author_name="Mme Martin",
        body="Par courrier.",
        received_at=now - timedelta(hours=5),
        article_id=article.id,
    )
    moderation.report_contribution(voter, hidden, "insult")
    moderation.report_contribution(voter, source, "spam")
    moderation.dismiss_reports(moderator, source)
    moderation.hide_contribution(moderator, hidden, "insult")
    moderation.hide_contribution(moderator, reply, "off_topic")
    moderation.restore_contribution(moderator, reply)
    moderation.mark_duplicate(moderator, reply, comment.tracking_number)
    for user, value in ((voter, "agree"), (citizen, "disagree"), (other, "mixed")):
        participation.cast_article_vote(user, article, value)
    participation.cast_article_vote(voter, article, "disagree")  # changed
    participation.cast_article_vote(other, second, "agree")
    participation.withdraw_article_vote(other, second)  # withdrawn
    participation.cast_contribution_vote(voter, argument, "agree")
    participation.cast_contribution_vote(other, argument, "mixed")
    participation.cast_contribution_vote(voter, amendment, "disagree")
    answers.answer_contribution(organiser, argument, "under_study", "Nous étudions.")
    db.session.commit()
    db.session.expire(argument)  # as the next request would load it
    answers.answer_contribution(organiser, argument, "retained", "Retenue.")  # changed
    answers.answer_contribution(organiser, offline, "not_retained", "Hors du champ.")
    answers.answer_contribution(organiser, comment, "out_of_scope", "Question posée ailleurs.")
    moderation.hide_contribution(moderator, comment, "spam")  # its answer text is withheld
    accounts.update_profile(citizen, display_name="Camille R.", profile_type="individual")
    after = opened.closes_at + timedelta(hours=2)
    publishing.save_synthesis(
        organiser, opened, body="## Synthèse\n\nDes avis partagés.", now=after
    )
    # A drafted theme and proposal group, published with the version: the record certifies
    # them by tracking number.
    publishing.get_synthesis(opened).draft_data = {
        "themes": [{"label": "Décret", "size": 2, "contribution_ids": [argument.id, amendment.id]}],
        "proposals": {
            "groups": [
                {"label": "Publier le décret", "count": 1, "contribution_ids": [argument.id]}
            ]
        },
    }
    follow_up = follow_ups.create_follow_up(
        organiser, opened, title="Un décret d'application", contribution_ids=[argument.id]
    )
    publishing.publish_synthesis(organiser, opened, "", now=after)
    follow_ups.update_follow_up(
        organiser, follow_up, {"status": "in_progress"}, note="Saisine du Conseil d'État."
    )
    db.session.commit()
    response = client.get(f"/api/v1/consultations/{opened.slug}/export.json")
    assert response.status_code == 200
    document = json.loads(response.get_data(as_text=True))
    version = document["synthesis"]["versions"][0]
    assert version["themes"][0]["contributions"] == [
        argument.tracking_number,
        amendment.tracking_number,
    ]
    assert version["proposal_groups"][0]["contributions"] == [argument.tracking_number]
    stored = [
        (index, bytes(digest))
        for index, digest in db.session.execute(
            sa.select(LedgerEntry.leaf_index, LedgerEntry.leaf_hash)
            .where(LedgerEntry.consultation_id == opened.id)
            .order_by(LedgerEntry.leaf_index)
        )
    ]
    return document, stored, signing.public_key_bytes()


@functools.cache
def _standalone():
    """The downloadable script, loaded on its own (nothing of the package), once."""
    spec = importlib.util.spec_from_file_location("standalone_verify_ledger", verify.SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _failures(document, stored, key) -> tuple[str | None, str | None]:
    """What each verifier says of a document: None when it accepts it, its message otherwise."""
    script = _standalone()
    runs = (
        lambda: verify.verify_export(copy.deepcopy(document), key, iter(stored)),
        lambda: script.verify(copy.deepcopy(document), key),
    )
    said = []
    for run in runs:
        try:
            run()
        except (verify.VerificationFailed, script.Failed) as failure:
            said.append(str(failure))
        except Exception as other:  # anything else is a crash, not a verdict
            said.append(f"CRASH {type(other).__name__}: {other}")
        else:
            said.append(None)
    return said[0], said[1]


def _paths(value, prefix=()):
    """Every leaf of the document (lists and objects walked; an empty one is a leaf)."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list) and value and prefix != ("records",):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))
    elif prefix != ("records",):
        yield prefix


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value + "x"
        return (moment + timedelta(seconds=1)).isoformat()  # a plausible other instant
    if isinstance(value, list):
        return [*value, "x"]
    if isinstance(value, dict):
        return {"x": 1}
    return "x"


def _set(document, path, value):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _get(document, path):
    for step in path:
        document = document[step]
    return document


def test_the_faithful_export_of_every_kind_of_act_verifies(world):
    document, stored, key = world
    kinds = {json.loads(record["leaf"])["kind"] for record in document["records"]}
    assert kinds == {
        "publication",
        "extension",
        "contribution",
        "edit",
        "withdrawal",
        "report",
        "moderation",
        "vote",
        "answer",
        "author",
        "synthesis",
        "follow_up",
        "document",
    }
    assert _failures(document, stored, key) == (None, None)


def test_every_certified_field_changed_alone_is_caught_by_both_verifiers(world):
    document, stored, key = world
    uncaught, crashed, checked = [], [], 0
    for path in _paths(document):
        name = ".".join(str(step) for step in path)
        if _UNCERTIFIED.fullmatch(name):
            continue
        forged = copy.deepcopy(document)
        _set(forged, path, _changed(_get(document, path)))
        checked += 1
        for verdict in _failures(forged, stored, key):
            if verdict is None:
                uncaught.append(name)
            elif verdict.startswith("CRASH"):
                crashed.append(f"{name}: {verdict}")
    assert checked > 300
    assert uncaught == [] and crashed == []


def test_uncertified_fields_are_only_presentation(world):
    """The list above stays short and exact: changing one of those fields alone is accepted,
    so the documentation says the truth both ways."""
    document, stored, key = world
    accepted = 0
    for path in _paths(document):
        name = ".".join(str(step) for step in path)
        if not _UNCERTIFIED.fullmatch(name) or name.startswith("licence"):
            continue
        forged = copy.deepcopy(document)
        _set(forged, path, _changed(_get(document, path)))
        assert _failures(forged, stored, key) == (None, None), name
        accepted += 1
    assert accepted >= 10


def _contribution(document, **match):
    return next(
        item
        for item in document["contributions"]
        if all(item.get(key) == value for key, value in match.items())
    )


FORGERIES = {
    "position": (
        lambda d: _contribution(d, kind="argument").update(position="against"),
        "position « against » dans l'export, « for » selon le registre",
    ),
    "article votes": (
        lambda d: d["articles"][0]["votes"].update(agree=d["articles"][0]["votes"]["agree"] + 1000),
        "avis 1000 d'accord, 1 mitigé, 2 pas d'accord dans l'export, 0 d'accord",
    ),
    "contribution votes": (
        lambda d: _contribution(d, kind="argument")["votes"].update(agree=1001),
        "avis 1001 d'accord",
    ),
    "paragraph text": (
        lambda d: d["articles"][1]["paragraphs"][0].update(text="Un autre texte."),
        "Texte consulté : ses divisions, articles ou alinéas diffèrent de ceux publiés",
    ),
    "kind": (
        lambda d: _contribution(d, kind="source").update(kind="comment"),
        "nature « comment » dans l'export, « source » selon le registre",
    ),
    "article": (
        lambda d: _contribution(d, kind="argument").update(article="2"),
        "article « 2 » dans l'export, « 1er » selon le registre",
    ),
    "author name": (
        lambda d: _contribution(d, kind="amendment")["author"].update(name="Quelqu'un"),
        "auteur",
    ),
    "author type": (
        lambda d: _contribution(d, kind="amendment")["author"].update(type="individual"),
        "auteur",
    ),
    "created_at": (
        lambda d: _contribution(d, kind="source").update(created_at="2020-01-01T00:00:00+01:00"),
        "déposée le « 2020-01-01T00:00:00+01:00 » dans l'export",
    ),
    "answer text": (
        lambda d: _contribution(d, kind="argument")["answer"].update(body="Rejetée."),
        "réponse de l'administration : son texte ne correspond pas",
    ),
    "answer status": (
        lambda d: _contribution(d, kind="argument")["answer"].update(status="not_retained"),
        "réponse de l'administration : statut « not_retained » dans l'export, « retained »",
    ),
    "title": (
        lambda d: d["consultation"].update(title="Un autre projet"),
        "Consultation : titre « Un autre projet » dans l'export",
    ),
    "text fingerprint": (
        lambda d: d["text"].update(sha256="0" * 64),
        "Texte consulté : empreinte « " + "0" * 64,
    ),
    "closing": (
        lambda d: d["consultation"].update(closes_at="2030-01-01T00:00:00+01:00"),
        "Consultation : clôture « 2030-01-01T00:00:00+01:00 » dans l'export",
    ),
    "hidden answer text shown": (
        lambda d: _contribution(d, state="hidden", kind="comment", parent=None)["answer"].update(
            body="Question posée ailleurs."
        ),
        "son texte est publié alors que la contribution ne l'est plus",
    ),
    "moderation figures": (
        lambda d: d["moderation"].update(reports=0),
        "Modération : reports « 0 » dans l'export, 2 d'après le registre",
    ),
    "follow-up status": (
        lambda d: d["synthesis"]["follow_ups"][0].update(status="done"),
        "Suite envisagée « Un décret d'application » : elle ou son historique diffère",
    ),
    "follow-up history": (
        lambda d: d["synthesis"]["follow_ups"][0]["history"].pop(),
        "elle ou son historique diffère",
    ),
    "document frozen at publication": (
        lambda d: d["documents"][0].update(sha256="0" * 64),
        "Documents : ceux publiés avec le texte",
    ),
    "document erratum": (
        lambda d: d["documents"][1].update(note="Rien."),
        "Document 1, version 2 : son titre, sa nature",
    ),
    "document erratum removed": (
        lambda d: d["documents"].pop(1),
        "Document 1, version 2 : erratum inscrit au registre",
    ),
    "document unhidden": (
        lambda d: d["documents"][2].update(hidden=False, hidden_reason=None),
        "Document 2, version 1 : masqué",
    ),
    "synthesis text": (
        lambda d: d["synthesis"]["versions"][0].update(body="Tout le monde est d'accord."),
        "Synthèse, version 1 : son texte ne correspond pas",
    ),
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_each_forgery_found_is_named_in_french_by_both_verifiers(world, forgery):
    document, stored, key = world
    change, message = FORGERIES[forgery]
    forged = copy.deepcopy(document)
    change(forged)
    command, script = _failures(forged, stored, key)
    assert command is not None and message in command, command
    assert script == command


def _releaf(record: dict, change) -> None:
    leaf = json.loads(record["leaf"])
    change(leaf)
    record["leaf"] = json.dumps(leaf, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    record["leaf_hash"] = merkle.leaf_hash(record["leaf"].encode()).hex()


def _renumber(records: list) -> None:
    for index, record in enumerate(records):
        record["index"] = index
        _releaf(record, lambda leaf, index=index: leaf.update(index=index))


RECORD_FORGERIES = {
    "removed": lambda r: r.pop(5),
    "removed and renumbered": lambda r: (r.pop(5), _renumber(r)),
    "added": lambda r: r.append(copy.deepcopy(r[-1])),
    "added and renumbered": lambda r: (r.insert(3, copy.deepcopy(r[3])), _renumber(r)),
    "reordered": lambda r: r.insert(2, r.pop(6)),
    "reordered and renumbered": lambda r: (r.insert(2, r.pop(6)), _renumber(r)),
    "vote rewritten and rehashed": lambda r: _releaf(
        next(x for x in r if '"kind":"vote"' in x["leaf"]),
        lambda leaf: leaf["data"].update(value="mixed"),
    ),
    "publication rewritten and rehashed": lambda r: _releaf(
        r[0], lambda leaf: leaf["data"].update(title="Un autre projet")
    ),
    "last record removed": lambda r: r.pop(),
}


@pytest.mark.parametrize("forgery", sorted(RECORD_FORGERIES))
def test_records_added_removed_reordered_or_renumbered_are_caught(world, forgery):
    document, stored, key = world
    forged = copy.deepcopy(document)
    RECORD_FORGERIES[forgery](forged["records"])
    command, script = _failures(forged, stored, key)
    assert command is not None and not command.startswith("CRASH"), command
    assert script is not None and not script.startswith("CRASH"), script


def test_the_script_knows_the_charter_reasons():
    from consultation.core.charter import ModerationReason

    assert tuple(reason.value for reason in ModerationReason) == _standalone().REASONS

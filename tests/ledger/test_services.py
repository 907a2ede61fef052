"""Appending to the record: every act, in the act's own transaction, numbered without gaps,
with pseudonyms and commitments only; the database refuses to rewrite it."""

import hashlib
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.core import clock, journal
from consultation.core.errors import ConsultationNotOpen
from consultation.ledger import merkle, services
from consultation.ledger.models import LedgerCheckpoint, LedgerEntry, LedgerHead
from consultation.moderation import services as moderation
from consultation.participation import services as participation


def test_every_act_becomes_the_next_entry(db, opened, make_user, leaves, organiser):
    author, voter, moderator = make_user(), make_user(), make_user("moderator")
    article = opened.current_version.articles[0]
    item = participation.submit_contribution(
        author, opened, kind="argument", position="for", article_id=article.id, body="Oui."
    )
    participation.edit_contribution(author, item, {"body": "Oui, vraiment.", "position": "against"})
    participation.cast_article_vote(voter, article, "agree")
    participation.cast_article_vote(voter, article, "agree")  # unchanged: nothing to record
    participation.cast_article_vote(voter, article, "mixed")
    participation.withdraw_article_vote(voter, article)
    participation.withdraw_article_vote(voter, article)  # nothing to withdraw
    participation.cast_contribution_vote(voter, item, "disagree")
    moderation.hide_contribution(moderator, item, "spam")
    other = participation.submit_contribution(author, opened, kind="comment", body="Autre.")
    participation.withdraw_contribution(author, other)
    participation.record_offline_observation(
        organiser,
        opened,
        channel="letter",
        author_name="Jeanne Martin",
        body="Par courrier.",
        received_at=opened.opens_at + timedelta(hours=1),
    )
    db.session.commit()

    publication, *record = leaves(opened)
    assert publication["kind"] == "publication" and publication["index"] == 0
    assert publication["data"]["title"] == opened.title
    assert publication["data"]["text_sha256"] == opened.current_version.sha256
    assert [leaf["kind"] for leaf in record] == [
        "contribution",
        "edit",
        "vote",
        "vote",
        "vote",
        "vote",
        "moderation",
        "contribution",
        "withdrawal",
        "contribution",
    ]
    assert [leaf["index"] for leaf in record] == list(range(1, 11))
    assert {leaf["consultation"] for leaf in record} == {opened.slug}
    assert [leaf["data"].get("value") for leaf in record[2:6]] == [
        "agree",
        "mixed",
        None,
        "disagree",
    ]
    assert record[2]["data"]["article"] == article.number
    assert record[5]["data"]["contribution"] == item.tracking_number
    assert record[0]["data"] | {"content_sha256": "…", "author_sha256": "…"} == {
        "contribution": item.tracking_number,
        "contribution_kind": "argument",
        "article": article.number,
        "paragraph": None,
        "position": "for",
        "parent": None,
        "offline": None,
        "author_sha256": "…",
        "created_at": record[0]["at"],
        "content_sha256": "…",
    }
    assert record[1]["data"]["position"] == "against"
    assert record[6]["data"] == {
        "contribution": item.tracking_number,
        "action": "hide",
        "reason": "spam",
        "duplicate_of": None,
    }
    assert record[9]["data"]["offline"] == "letter"
    assert record[9]["data"]["created_at"] == services.timestamp(
        opened.opens_at + timedelta(hours=1)
    )
    assert db.session.get(LedgerHead, opened.id).size == 11


def test_participants_appear_only_as_a_pseudonym_and_texts_only_as_a_commitment(
    db, opened, make_user, leaves
):
    author = make_user(email="camille@example.org", display_name="Camille Dupont")
    voter = make_user(email="voteur@example.org", display_name="Dominique Voteur")
    item = participation.submit_contribution(
        author, opened, kind="source", title="Rapport", url="https://example.org/r", body="Lu."
    )
    participation.cast_contribution_vote(voter, item, "agree")
    db.session.commit()

    text = " ".join(json.dumps(leaf, ensure_ascii=False) for leaf in leaves(opened))
    for secret in ("camille@example.org", "Camille Dupont", "Dominique Voteur", "voteur@", "Lu."):
        assert secret not in text
    _publication, contribution, vote = leaves(opened)
    assert "participant" not in contribution["data"]  # no link between a named author and votes
    assert vote["data"]["participant"] == services.pseudonym(opened.id, voter.id)
    assert str(voter.id) not in vote["data"]["participant"]
    texts = {"title": "Rapport", "body": "Lu.", "proposed_text": "", "url": "https://example.org/r"}
    canonical = json.dumps(texts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert contribution["data"]["content_sha256"] == hashlib.sha256(canonical.encode()).hexdigest()
    # The author as a commitment that only the salt published in the export opens.
    author = {
        "type": "individual",
        "name": "Camille Dupont",
        "organisation": None,
        "organisation_category": None,
        "hatvp_number": None,
    }
    opened_by = json.dumps(
        {"salt": item.author_salt, "value": author},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    assert contribution["data"]["author_sha256"] == hashlib.sha256(opened_by.encode()).hexdigest()


def test_pseudonyms_are_stable_within_a_consultation_and_differ_across(app, make_consultation):
    first, second = make_consultation("open"), make_consultation("open")
    assert services.pseudonym(first.id, 7) == services.pseudonym(first.id, 7)
    assert services.pseudonym(first.id, 7) != services.pseudonym(second.id, 7)
    assert services.pseudonym(first.id, 7) != services.pseudonym(first.id, 8)


def test_the_leaf_is_canonical_json_and_its_hash_is_stored(db, opened, make_contribution):
    make_contribution(opened, body="Élan « vert »")
    entry = db.session.scalar(sa.select(LedgerEntry))
    leaf = json.loads(entry.leaf)
    assert entry.leaf == json.dumps(leaf, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert list(leaf) == ["at", "consultation", "data", "index", "kind", "v"]
    assert leaf["at"].endswith("Z") and len(leaf["at"]) == len("2026-01-01T00:00:00.000000Z")
    assert entry.leaf_hash == hashlib.sha256(b"\x00" + entry.leaf.encode()).digest()
    with pytest.raises(TypeError):
        services.canonical_json({"score": 0.5})


def test_a_rolled_back_act_leaves_no_entry_and_no_gap(db, opened, make_user, leaves):
    user = make_user()
    participation.submit_contribution(user, opened, kind="comment", body="Annulée.")
    db.session.rollback()
    assert [leaf["kind"] for leaf in leaves(opened)] == ["publication"]
    kept = participation.submit_contribution(user, opened, kind="comment", body="Gardée.")
    db.session.commit()
    assert [(leaf["index"], leaf["data"]["contribution"]) for leaf in leaves(opened)[1:]] == [
        (1, kept.tracking_number)
    ]


def test_a_refused_act_records_nothing(db, closed, make_user, leaves):
    with pytest.raises(ConsultationNotOpen):
        participation.submit_contribution(make_user(), closed, kind="comment", body="Trop tard.")
    db.session.rollback()
    assert [leaf["kind"] for leaf in leaves(closed)] == ["publication"]


def test_each_consultation_has_its_own_numbering(db, make_consultation, make_user, leaves):
    first, second = make_consultation("open"), make_consultation("open")
    user = make_user()
    for consultation in (first, second, first):
        participation.submit_contribution(user, consultation, kind="comment", body="Avis.")
    db.session.commit()
    assert [leaf["index"] for leaf in leaves(first)] == [0, 1, 2]
    assert [leaf["index"] for leaf in leaves(second)] == [0, 1]


def test_a_contribution_receipt_names_its_entry(db, opened, make_user):
    participation.submit_contribution(make_user(), opened, kind="comment", body="Premier.")
    item = participation.submit_contribution(make_user(), opened, kind="comment", body="Second.")
    db.session.commit()
    receipt = journal.receipt(item.tracking_number)
    entry = db.session.get(LedgerEntry, (opened.id, 2))
    assert receipt == journal.Receipt(2, entry.leaf_hash.hex())
    assert journal.receipt("C-AAAA-AAAA-AAAA") is None


def test_any_announced_act_is_recorded_with_its_data(db, opened, leaves):
    now = clock.now()
    receipt = journal.record(
        opened.id, "moderation", at=now, contribution="C-X", action="dismiss", reason=None
    )
    db.session.commit()
    assert receipt.index == 1
    assert leaves(opened)[1]["data"] == {"contribution": "C-X", "action": "dismiss", "reason": None}
    assert merkle.leaf_hash(db.session.get(LedgerEntry, (opened.id, 1)).leaf.encode()).hex() == (
        receipt.leaf_hash
    )


def _refused(db, statement: str):
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.text(statement))
        db.session.flush()
    db.session.rollback()


def test_the_database_refuses_to_rewrite_the_record(db, opened, make_user):
    participation.submit_contribution(make_user(), opened, kind="comment", body="Inscrite.")
    services.make_checkpoint(opened, clock.now(), "opening")
    db.session.commit()

    _refused(db, "UPDATE ledger_entries SET kind = 'edit'")
    _refused(db, "DELETE FROM ledger_entries")
    _refused(db, "UPDATE ledger_checkpoints SET tree_size = 0")
    _refused(db, "DELETE FROM ledger_checkpoints")
    _refused(db, "UPDATE ledger_heads SET size = 0")
    _refused(db, "DELETE FROM ledger_heads")

    assert db.session.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 2
    assert db.session.scalar(sa.select(LedgerCheckpoint.tree_size)) == 2
    assert db.session.get(LedgerHead, opened.id).size == 2


def test_an_append_costs_two_statements(db, opened, make_user):
    participation.cast_article_vote(make_user(), opened.current_version.articles[0], "agree")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        journal.record(opened.id, "vote", clock.now(), participant_id=1, value="mixed", article="1")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    db.session.commit()
    assert statements == ["INSERT", "INSERT"]  # the head's upsert, the entry

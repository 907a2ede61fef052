"""Moderation rules, called without HTTP: reports, decisions, duplicates, blocks, figures."""

import pytest

from consultation.core.charter import ModerationReason
from consultation.core.errors import InvalidState, NotAllowed, ValidationFailed
from consultation.moderation import queries, services
from consultation.moderation.models import ModerationAction, ModerationDecision, Report
from consultation.participation import services as participation
from consultation.participation.models import Contribution


@pytest.fixture
def comment(db, opened, make_user):
    item = participation.submit_contribution(
        make_user(display_name="Auteur"), opened, kind="comment", body="Achetez mes montres."
    )
    db.session.commit()
    return item


def test_a_report_needs_a_known_reason_and_is_counted_once(db, comment, make_user):
    reporter = make_user()
    with pytest.raises(ValidationFailed) as missing:
        services.report_contribution(reporter, comment, "")
    assert missing.value.fields == {"reason": "Choisissez un motif."}
    with pytest.raises(ValidationFailed) as unknown:
        services.report_contribution(reporter, comment, "boring")
    assert "reason" in unknown.value.fields

    services.report_contribution(reporter, comment, "spam", "Publicité pour des montres.")
    db.session.commit()
    with pytest.raises(services.AlreadyReported):
        services.report_contribution(reporter, comment, "insult")
    db.session.rollback()
    services.report_contribution(make_user(), comment, "insult")
    db.session.commit()

    db.session.refresh(comment)
    assert comment.reports_open == 2
    assert [r.reason for r in db.session.scalars(db.select(Report).order_by(Report.id))] == [
        ModerationReason.spam,
        ModerationReason.insult,
    ]


def test_one_cannot_report_one_own_contribution_nor_when_unverified(db, comment, make_user):
    with pytest.raises(InvalidState):
        services.report_contribution(comment.author, comment, "spam")
    with pytest.raises(NotAllowed):
        services.report_contribution(make_user(verified=False), comment, "spam")


def test_hiding_replaces_the_text_keeps_the_counts_and_resolves_reports(
    db, comment, moderator, make_user
):
    voter = make_user()
    participation.cast_contribution_vote(voter, comment, "agree")
    services.report_contribution(make_user(), comment, "spam")
    db.session.commit()
    article_count_before = db.session.scalar(db.select(db.func.count()).select_from(Contribution))

    services.hide_contribution(moderator, comment, "spam", "Publicité répétée.")
    db.session.commit()

    db.session.refresh(comment)
    assert comment.is_hidden and not comment.is_public
    assert comment.hidden_notice == (
        "Contribution masquée par la modération — motif : spam ou publicité"
    )
    assert comment.reports_open == 0
    assert comment.vote_counts == {"agree": 1, "mixed": 0, "disagree": 0}
    assert db.session.scalar(db.select(db.func.count()).select_from(Contribution)) == (
        article_count_before
    )
    report = db.session.scalar(db.select(Report))
    assert (report.resolution, report.resolved_at is not None) == ("hidden", True)
    decision = db.session.scalar(db.select(ModerationDecision))
    assert (decision.action, decision.reason, decision.moderator_id, decision.note) == (
        ModerationAction.hide,
        ModerationReason.spam,
        moderator.id,
        "Publicité répétée.",
    )
    with pytest.raises(ValidationFailed):
        participation.cast_contribution_vote(make_user(), comment, "agree")

    services.restore_contribution(moderator, comment, "Erreur de lecture.")
    db.session.commit()
    assert comment.is_public
    with pytest.raises(InvalidState):
        services.restore_contribution(moderator, comment)


def test_hiding_needs_a_reason_and_a_moderator_of_the_institution(
    db, comment, make_user, make_institution, organiser
):
    with pytest.raises(ValidationFailed) as missing:
        services.hide_contribution(make_user("moderator"), comment, None)
    assert "reason" in missing.value.fields
    outsider = make_user("moderator", institution=make_institution())
    for actor in (outsider, organiser, make_user()):
        with pytest.raises(NotAllowed):
            services.hide_contribution(actor, comment, "spam")
    assert not comment.is_hidden
    services.hide_contribution(make_user("admin"), comment, "illegal")
    assert comment.hidden_reason is ModerationReason.illegal


def test_dismissing_closes_the_open_reports(db, comment, moderator, make_user):
    with pytest.raises(InvalidState):
        services.dismiss_reports(moderator, comment)
    services.report_contribution(make_user(), comment, "off_topic")
    services.dismiss_reports(moderator, comment, "Dans le sujet.")
    db.session.commit()
    assert comment.reports_open == 0 and comment.is_public
    assert db.session.scalar(db.select(Report.resolution)) == "dismissed"


def test_duplicate_of_a_contribution_of_the_same_consultation_only(
    db, comment, opened, moderator, make_user, make_consultation
):
    copy = participation.submit_contribution(
        make_user(), opened, kind="comment", body="Achetez mes montres."
    )
    elsewhere = make_consultation("open", title="Une autre consultation")
    foreign = participation.submit_contribution(
        make_user(), elsewhere, kind="comment", body="Achetez mes montres."
    )
    db.session.commit()
    problems = {}
    for reference in (foreign.tracking_number, copy.id, "C-XXXX-XXXX-XXXX", None):
        with pytest.raises(ValidationFailed) as error:
            services.mark_duplicate(moderator, copy, reference)
        problems[str(reference)] = error.value.fields["duplicate_of"]
    assert problems[foreign.tracking_number] == (
        "La contribution d'origine doit appartenir à la même consultation."
    )
    assert "elle-même" in problems[str(copy.id)]

    services.mark_duplicate(moderator, copy, comment.tracking_number.lower())
    db.session.commit()
    assert copy.duplicate_of_id == comment.id and copy.is_public
    with pytest.raises(ValidationFailed):  # a duplicate is not an original
        services.mark_duplicate(moderator, comment, copy.id)


def test_a_blocked_participant_reads_but_cannot_write(db, comment, opened, moderator, make_user):
    author = comment.author
    services.moderate(moderator, comment, "block", reason="spam", note="Spam en série.")
    db.session.commit()
    article = opened.current_version.articles[0]
    with pytest.raises(NotAllowed) as error:
        participation.submit_contribution(author, opened, kind="comment", body="Encore.")
    assert "bloqué" in error.value.message and "spam ou publicité" in error.value.message
    with pytest.raises(NotAllowed):
        participation.cast_article_vote(author, article, "agree")
    with pytest.raises(NotAllowed):
        services.report_contribution(author, comment, "spam")
    with pytest.raises(InvalidState):
        services.moderate(moderator, comment, "block", reason="spam")
    with pytest.raises(NotAllowed):  # staff accounts are not blocked
        services.block_participant(moderator, moderator, opened.institution, "spam")

    block = participation.active_block(author, opened.institution_id)
    services.lift_block(moderator, block, "Levée après échange.")
    db.session.commit()
    participation.cast_article_vote(author, article, "agree")
    actions = db.session.scalars(
        db.select(ModerationDecision.action).order_by(ModerationDecision.id)
    ).all()
    assert actions == [ModerationAction.block, ModerationAction.unblock]


def test_bulk_hides_hundreds_and_reports_what_it_skipped(
    db, opened, moderator, make_user, make_consultation, make_institution
):
    spammer = make_user()
    items = [
        participation.submit_contribution(spammer, opened, kind="comment", body=f"Pub {n}")
        for n in range(300)
    ]
    foreign_consultation = make_consultation(
        "open", title="Ailleurs", institution=make_institution(), actor=make_user("admin")
    )
    foreign = participation.submit_contribution(
        spammer, foreign_consultation, kind="comment", body="Pub ailleurs"
    )
    services.hide_contribution(moderator, items[0], "spam")
    db.session.commit()

    with pytest.raises(ValidationFailed):
        services.bulk_moderate(moderator, [i.id for i in items], "hide", reason="")
    result = services.bulk_moderate(
        moderator, [i.id for i in items] + [foreign.id, 999_999], "hide", reason="spam"
    )
    db.session.commit()

    assert len(result.done) == 299
    skipped = {getattr(item, "id", item): message for item, message in result.skipped}
    assert skipped[items[0].id] == "Cette contribution est déjà masquée."
    assert "modérateurs" in skipped[foreign.id]
    assert skipped[999_999] == "Contribution introuvable."
    hidden = db.session.scalar(
        db.select(db.func.count()).where(
            Contribution.consultation_id == opened.id, Contribution.hidden_at.is_not(None)
        )
    )
    assert hidden == 300
    assert not db.session.get(Contribution, foreign.id).is_hidden


def test_queue_sorts_by_reports_and_filters(db, opened, moderator, make_user, make_institution):
    quiet, once, twice = (
        participation.submit_contribution(make_user(), opened, kind="comment", body=f"Texte {n}")
        for n in range(3)
    )
    services.report_contribution(make_user(), once, "insult")
    for reason in ("spam", "spam"):
        services.report_contribution(make_user(), twice, reason)
    db.session.commit()

    def numbers(**args):
        filters = queries.parse_filters(moderator, args)
        items, _cursor, total = queries.queue(filters)
        assert total == len(items)
        return [item.contribution.id for item in items]

    assert numbers() == [twice.id, once.id]
    assert numbers(state="all") == [twice.id, once.id, quiet.id]
    assert numbers(reason="insult") == [once.id]
    assert numbers(state="unreported") == [quiet.id]
    assert numbers(kind="argument") == []
    assert numbers(q="Texte 0", state="all") == [quiet.id]
    with pytest.raises(ValidationFailed):
        queries.parse_filters(moderator, {"state": "bizarre"})

    filters = queries.parse_filters(moderator, {"state": "all"})
    first, cursor, _ = queries.queue(filters, limit=2)
    rest, end, _ = queries.queue(filters, cursor=cursor, limit=2)
    assert [i.contribution.id for i in first + rest] == [twice.id, once.id, quiet.id]
    assert end is None
    outsider = make_user("moderator", institution=make_institution())
    assert queries.queue(queries.parse_filters(outsider, {"state": "all"}))[0] == []


def test_public_figures_by_reason(db, opened, moderator, make_user):
    a, b, c = (
        participation.submit_contribution(make_user(), opened, kind="comment", body=f"T{n}")
        for n in range(3)
    )
    services.report_contribution(make_user(), a, "spam")
    services.report_contribution(make_user(), b, "insult")
    services.hide_contribution(moderator, a, "spam")
    services.hide_contribution(moderator, b, "insult")
    services.restore_contribution(moderator, b)
    services.mark_duplicate(moderator, c, b.id)
    db.session.commit()

    figures = services.public_figures(opened)
    assert figures.contributions == 3
    assert figures.reports == 2
    assert figures.reports_by_reason[ModerationReason.insult] == 1
    assert figures.hidden == 1
    assert figures.hidden_by_reason[ModerationReason.spam] == 1
    assert figures.hidden_by_reason[ModerationReason.insult] == 0
    assert (figures.restored, figures.duplicates) == (1, 1)


def test_authors_are_told_of_a_single_decision_not_of_bulk_clearing(
    db, opened, comment, moderator, make_user, outbox
):
    before = len(outbox())
    services.hide_contribution(moderator, comment, "off_topic")
    db.session.commit()
    to, subject, body = outbox()[-1]
    assert to == comment.author.email
    assert subject == f"Votre contribution {comment.tracking_number} a été masquée"
    assert "Motif : Hors sujet" in body and f"/consultations/{opened.slug}/charte" in body
    sent = len(outbox())
    assert sent == before + 1

    spam = [
        participation.submit_contribution(make_user(), opened, kind="comment", body=f"Pub {n}")
        for n in range(3)
    ]
    db.session.commit()
    receipts = len(outbox())
    services.bulk_moderate(moderator, [c.id for c in spam], "hide", reason="spam")
    db.session.commit()
    assert len(outbox()) == receipts

    services.moderate(moderator, comment, "block", reason="insult")
    db.session.commit()
    to, subject, body = outbox()[-1]
    assert to == comment.author.email and "Motif : Injure ou harcèlement" in body

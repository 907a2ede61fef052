"""The review of the drafted themes, at the service level: drafting again never discards a
person's decision; every action records who and when, is for the institution's staff, and
refuses bad input with a French message per field."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.core import clock
from consultation.core.errors import InvalidState, NotAllowed, NotFound, ValidationFailed
from consultation.synthesis import jobs, provenance, review
from consultation.synthesis.limits import THEME_NAME_MAX
from consultation.synthesis.review_models import (
    ContributionReading,
    Origin,
    ReviewTheme,
    ThemeAssignment,
)


@pytest.fixture
def contributions(db, closed, make_contribution):
    """Eight comments of the `closed` consultation."""
    return [
        make_contribution(
            closed,
            body=f"Avis numéro {n} sur les transports et le logement.",
            now=closed.opens_at + timedelta(days=1),
        )
        for n in range(8)
    ]


def _data(*groups, labels=None):
    """Draft data holding one theme per group of contributions."""
    labels = labels or [f"thème {n}" for n in range(len(groups))]
    return {
        "themes": [
            {"label": label, "contribution_ids": [c.id for c in group], "terms": [], "phrases": []}
            for label, group in zip(labels, groups, strict=True)
        ]
    }


def _draft(db, consultation, data, when=None):
    themes = review.import_draft_themes(consultation, data, when or clock.now())
    db.session.commit()
    return themes


def _theme_of(contribution):
    assignment = review.db.session.get(ThemeAssignment, contribution.id)
    return assignment.theme_id if assignment else None


def _active_names(consultation):
    return [t.name for t in review.active_themes(consultation)]


# --- From the draft to the workbench -----------------------------------------------------------


def test_a_draft_puts_machine_themes_and_assignments_on_the_workbench(db, closed, contributions):
    run_at = clock.now()
    transports, housing = _draft(
        db,
        closed,
        _data(contributions[:3], contributions[3:6], labels=["transports", "logement"]),
        run_at,
    )
    assert _active_names(closed) == ["transports", "logement"]
    assert (transports.origin, transports.drafted_at, transports.created_by_id) == (
        Origin.machine,
        run_at,
        None,
    )
    assert [_theme_of(c) for c in contributions] == [transports.id] * 3 + [housing.id] * 3 + [
        None,
        None,
    ]
    assignment = db.session.get(ThemeAssignment, contributions[0].id)
    assert (assignment.origin, assignment.assigned_by_id) == (Origin.machine, None)


def test_an_untouched_machine_theme_is_replaced_by_the_next_draft(db, closed, contributions):
    _draft(db, closed, _data(contributions[:4], labels=["ancien nom"]))
    (second,) = _draft(db, closed, _data(contributions[2:6], labels=["nouveau nom"]))
    assert _active_names(closed) == ["nouveau nom"]
    assert db.session.scalars(sa.select(ReviewTheme.name)).all() == ["nouveau nom"]
    assert [_theme_of(c) for c in contributions[:6]] == [None, None] + [second.id] * 4


def test_a_renamed_theme_keeps_its_name_through_a_new_draft(db, closed, contributions, organiser):
    (theme,) = _draft(db, closed, _data(contributions[:4], labels=["transports, bus"]))
    review.rename_theme(organiser, theme, "Transports en commun")
    db.session.commit()
    # The new run's theme has three of the four contributions and one more: the same theme.
    (again,) = _draft(db, closed, _data(contributions[1:5], labels=["bus, transports"]))
    assert again.id == theme.id
    assert _active_names(closed) == ["Transports en commun"]
    assert theme.renamed_by_id == organiser.id
    assert [_theme_of(c) for c in contributions[:5]] == [None] + [theme.id] * 4


def test_a_contribution_moved_by_a_person_stays_where_it_was_put(
    db, closed, contributions, organiser
):
    transports, housing = _draft(db, closed, _data(contributions[:3], contributions[3:6]))
    review.move_contribution(organiser, closed, contributions[0], housing.id)
    review.move_contribution(organiser, closed, contributions[1], None)
    db.session.commit()
    _draft(db, closed, _data(contributions[:3], contributions[3:6]))
    assert _theme_of(contributions[0]) == housing.id  # kept: a person placed it there
    assert _theme_of(contributions[1]) is None  # a person took it out of every theme
    assignment = db.session.get(ThemeAssignment, contributions[0].id)
    assert (assignment.origin, assignment.assigned_by_id) == (Origin.person, organiser.id)


def test_themes_a_person_created_merged_or_deleted_stay_on_record(
    db, closed, contributions, organiser
):
    a, b, c = _draft(db, closed, _data(contributions[:2], contributions[2:4], contributions[4:6]))
    mine = review.create_theme(organiser, closed, "Mon thème")
    review.merge_themes(organiser, a, b.id)
    review.delete_theme(organiser, c)
    db.session.commit()
    _draft(db, closed, _data(contributions[6:8], labels=["autre chose"]))
    kept = {t.id: t for t in db.session.scalars(sa.select(ReviewTheme))}
    assert {a.id, b.id, c.id, mine.id} <= set(kept)
    assert kept[a.id].merged_into_id == b.id and kept[a.id].deleted_at is not None
    assert kept[c.id].deleted_by_id == organiser.id
    assert _active_names(closed) == ["thème 1", "Mon thème", "autre chose"]
    # c's contributions were taken out of every theme by a person: still in none.
    assert [_theme_of(x) for x in contributions[4:6]] == [None, None]


def test_the_draft_hook_fills_the_workbench_when_a_run_finishes(
    db, closed, contributions, organiser, monkeypatch
):
    data = _data(contributions[:3], labels=["transports"])
    monkeypatch.setattr(jobs.draft, "build_draft", lambda consultation, progress: ("# B", data))
    job = jobs.start_draft(organiser, closed)
    db.session.commit()
    jobs.run_draft(job.id)
    (theme,) = review.active_themes(closed)
    assert (theme.name, theme.job_id, theme.origin) == ("transports", job.id, Origin.machine)


# --- Actions ----------------------------------------------------------------------------------


def test_rename_records_who_and_when(db, closed, contributions, organiser):
    (theme,) = _draft(db, closed, _data(contributions[:2]))
    when = clock.now() + timedelta(minutes=5)
    review.rename_theme(organiser, theme, "  Logement   social ", now=when)
    assert (theme.name, theme.renamed_by_id, theme.renamed_at) == (
        "Logement social",
        organiser.id,
        when,
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Donnez un nom au thème."),
        ("   ", "Donnez un nom au thème."),
        ("x" * (THEME_NAME_MAX + 1), "200 caractères au maximum (201 saisis)."),
        (12, "Texte attendu."),
        ("THÈME 1", "Un autre thème s'appelle déjà « thème 1 »"),
    ],
)
def test_bad_names_are_refused_with_a_message(db, closed, contributions, organiser, name, message):
    first, _second = _draft(db, closed, _data(contributions[:2], contributions[2:4]))
    with pytest.raises(ValidationFailed) as error:
        review.rename_theme(organiser, first, name)
    assert message in error.value.fields["name"]
    with pytest.raises(ValidationFailed) as error:
        review.create_theme(organiser, closed, name)
    assert message in error.value.fields["name"]
    assert first.name == "thème 0" and first.renamed_at is None


def test_merge_moves_the_contributions_and_keeps_the_theme_as_merged(
    db, closed, contributions, organiser
):
    a, b = _draft(db, closed, _data(contributions[:2], contributions[2:4]))
    target = review.merge_themes(organiser, a, str(b.id))
    assert target is b
    assert [_theme_of(c) for c in contributions[:4]] == [b.id] * 4
    assert (a.merged_into_id, a.deleted_by_id, a.is_active) == (b.id, organiser.id, False)
    assert _active_names(closed) == ["thème 1"]


def test_merge_refuses_bad_targets(db, closed, make_consultation, contributions, organiser):
    a, b, c = _draft(db, closed, _data(contributions[:2], contributions[2:4], contributions[4:6]))
    other = make_consultation("closed", title="Une autre")
    (elsewhere,) = _draft(db, other, {"themes": [{"label": "ailleurs", "contribution_ids": []}]})
    review.delete_theme(organiser, c)
    cases = [
        (None, "Choisissez un thème."),
        ("abc", "Thème inconnu dans cette consultation."),
        (999_999, "Thème inconnu dans cette consultation."),
        (10**12, "Thème inconnu dans cette consultation."),
        ("99999999999999", "Thème inconnu dans cette consultation."),
        (True, "Thème inconnu dans cette consultation."),
        (elsewhere.id, "Thème inconnu dans cette consultation."),
        (a.id, "Un thème ne peut pas être fusionné avec lui-même."),
        (c.id, "a été fusionné ou supprimé"),
    ]
    for into, message in cases:
        with pytest.raises(ValidationFailed) as error:
            review.merge_themes(organiser, a, into)
        assert message in error.value.fields["into"]
    assert a.is_active and [_theme_of(x) for x in contributions[:2]] == [a.id] * 2


def test_a_merged_or_deleted_theme_cannot_be_changed(db, closed, contributions, organiser):
    a, b = _draft(db, closed, _data(contributions[:2], contributions[2:4]))
    review.merge_themes(organiser, a, b.id)
    review.delete_theme(organiser, b)
    with pytest.raises(InvalidState, match="fusionné"):
        review.rename_theme(organiser, a, "Nouveau")
    with pytest.raises(InvalidState, match="supprimé"):
        review.delete_theme(organiser, b)
    with pytest.raises(InvalidState, match="supprimé"):
        review.merge_themes(organiser, b, a.id)


def test_delete_leaves_the_contributions_in_no_theme_listed_as_such(
    db, closed, contributions, organiser
):
    (theme,) = _draft(db, closed, _data(contributions[:3]))
    assert review.delete_theme(organiser, theme) == 3
    db.session.commit()
    page = review.unassigned_page(closed)
    assert page.total == len(contributions)
    assert contributions[0].tracking_number in [c.tracking_number for c in page.contributions]
    assert review.workbench(closed).unassigned == len(contributions)


def test_move_refuses_unknown_themes_and_other_consultations(
    db, closed, make_consultation, make_contribution, contributions, organiser
):
    a, b = _draft(db, closed, _data(contributions[:2], contributions[2:4]))
    review.delete_theme(organiser, b)
    other = make_consultation("closed", title="Une autre")
    foreign = make_contribution(other, now=other.opens_at + timedelta(days=1))
    for theme_id, message in [
        ("12abc", "Thème inconnu"),
        (999_999, "Thème inconnu"),
        (b.id, "fusionné ou supprimé"),
    ]:
        with pytest.raises(ValidationFailed) as error:
            review.move_contribution(organiser, closed, contributions[0], theme_id)
        assert message in error.value.fields["theme_id"]
    with pytest.raises(NotFound):
        review.move_contribution(organiser, closed, foreign, a.id)
    with pytest.raises(NotFound):
        review.get_contribution(closed, foreign.id)
    assert _theme_of(contributions[0]) == a.id


def test_read_and_unread(db, closed, contributions, organiser):
    when = clock.now()
    reading = review.mark_read(organiser, closed, contributions[0], now=when)
    assert (reading.read_by_id, reading.read_at) == (organiser.id, when)
    assert review.mark_read(organiser, closed, contributions[0], True).read_at == when
    with pytest.raises(ValidationFailed) as error:
        review.mark_read(organiser, closed, contributions[0], "oui")
    assert error.value.fields == {"read": "Indiquez lu (true) ou non lu (false)."}
    assert review.mark_read(organiser, closed, contributions[0], False) is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContributionReading)) == 0


def test_only_the_institution_staff_review(
    db, closed, make_consultation, contributions, make_user, make_institution
):
    (theme,) = _draft(db, closed, _data(contributions[:2]))
    outsiders = [
        make_user(),
        make_user("organiser", institution=make_institution()),
        make_user("moderator", institution=make_institution()),
    ]
    for outsider in outsiders:
        for action, arguments in (
            (review.rename_theme, (theme, "Autre")),
            (review.create_theme, (closed, "Autre")),
            (review.delete_theme, (theme,)),
            (review.move_contribution, (closed, contributions[3], theme.id)),
            (review.mark_read, (closed, contributions[0])),
        ):
            with pytest.raises(NotAllowed):
                action(outsider, *arguments)
    # Moderators of the institution review too; a draft consultation cannot be reviewed.
    review.rename_theme(make_user("moderator"), theme, "Relu")
    draft = make_consultation("draft", title="Pas publiée")
    with pytest.raises(InvalidState):
        review.create_theme(make_user("moderator"), draft, "Thème")


def test_the_review_is_counted_for_the_published_synthesis(db, closed, contributions, organiser):
    a, b, c = _draft(db, closed, _data(contributions[:2], contributions[2:4], contributions[4:6]))
    review.rename_theme(organiser, a, "Renommé")
    review.delete_theme(organiser, c)
    review.mark_read(organiser, closed, contributions[0])
    review.mark_read(organiser, closed, contributions[1])
    assert provenance.review_counts(closed.id) == {
        "themes": 2,
        "themes_drafted": 1,
        "themes_reviewed": 1,
        "themes_removed": 1,
        "contributions_placed": 2,
        "contributions_read": 2,
        "proposal_groups": 0,
        "proposal_groups_drafted": 0,
        "proposal_groups_reviewed": 0,
        "proposal_groups_merged": 0,
        "excerpts_pinned": 0,
        "excerpts_dropped": 0,
    }
    rows = {r.name: r for r in review.workbench(closed).themes}
    assert (rows["Renommé"].count, rows["Renommé"].read, rows["Renommé"].unread) == (2, 2, 0)
    assert rows["Renommé"].decided_by == organiser.display_name
    assert rows["thème 1"].decided_by is None

"""The review workbench's split of a theme, proposal groups and excerpts: the services (who and
when recorded, kept through later drafts, refusals per field), what the drafted synthesis makes
of them, their pages (refusals next to the field keeping the ticks and the typing) and their
API."""

from __future__ import annotations

import copy
import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.core import clock
from consultation.core.errors import InvalidState, NotAllowed, ValidationFailed
from consultation.synthesis import (
    draft,
    draft_markdown,
    jobs,
    provenance,
    review,
    review_draft,
    review_excerpts,
    review_proposals,
)
from consultation.synthesis.models import Synthesis
from consultation.synthesis.review_models import (
    ExcerptChoice,
    ExcerptState,
    Origin,
    ReviewProposalGroup,
    ReviewTheme,
    ThemeAssignment,
)


@pytest.fixture
def world(db, closed, make_contribution):
    """Eight contributions of `closed`, two drafted themes of four, three proposal groups."""
    items = [
        make_contribution(
            closed,
            body=f"Avis {n} : il faudrait plus de trains régionaux le matin et le soir.",
            now=closed.opens_at + timedelta(days=1),
        )
        for n in range(8)
    ]
    ids = [c.id for c in items]
    data = {
        "themes": [
            {
                "label": "trains",
                "contribution_ids": ids[:4],
                "excerpts": [{"id": ids[0], "text": "Avis 0"}, {"id": ids[1], "text": "Avis 1"}],
                "proposals": [],
            },
            {"label": "soir", "contribution_ids": ids[4:], "excerpts": [], "proposals": []},
        ],
        "proposals": {
            "total": 4,
            "repeated": 3,
            "contributions": 8,
            "listed": [0, 1, 2],
            "groups": [
                _group("plus de trains le matin", ids[:3]),
                _group("davantage de trains le matin", ids[3:5]),
                _group("des trains le soir", ids[5:7]),
            ],
        },
    }
    members = [
        [[i, f"phrase de {i}"] for i in g["contribution_ids"]] for g in data["proposals"]["groups"]
    ]
    themes = review.import_draft_themes(closed, data, closed.closes_at)
    found = review_proposals.import_draft_proposals(closed, data, members, closed.closes_at)
    db.session.commit()
    return closed, items, themes, found.groups, data


def _group(label, ids):
    return {
        "label": label,
        "count": len(ids),
        "contribution_ids": list(ids),
        "campaign_copies": 0,
        "wordings": [{"text": label, "ids": list(ids)}],
    }


def _active(consultation):
    return {g.label: g.count for g in review_proposals.group_rows(consultation, members_shown=None)}


# --- Split ------------------------------------------------------------------------------------


def test_split_moves_the_ticked_contributions_to_a_new_theme_made_by_the_person(
    db, world, organiser
):
    closed, items, (trains, _soir), _groups, _data = world
    new = review.split_theme(organiser, trains, [str(items[2].id), items[3].id], "Trains du soir")
    db.session.commit()
    assert (new.origin, new.created_by_id, new.position) == (Origin.person, organiser.id, 1)
    moved = db.session.get(ThemeAssignment, items[2].id)
    assert (moved.theme_id, moved.origin, moved.assigned_by_id) == (
        new.id,
        Origin.person,
        organiser.id,
    )
    assert db.session.get(ThemeAssignment, items[0].id).theme_id == trains.id
    # A new draft keeps the split.
    review.import_draft_themes(
        closed, {"themes": [{"label": "x", "contribution_ids": [items[2].id]}]}, clock.now()
    )
    assert db.session.get(ThemeAssignment, items[2].id).theme_id == new.id


def _placed(consultation):
    """Each theme's contributions (by theme id) with who placed them."""
    found: dict[int | None, dict[int, Origin]] = {}
    for a in review.assignments(consultation):
        found.setdefault(a.theme_id, {})[a.contribution_id] = a.origin
    return found


@pytest.mark.parametrize("ticked", [[2, 3], [3], [1, 2, 3]])
def test_a_split_theme_and_its_origin_survive_a_draft_resembling_the_origin(
    db, world, organiser, ticked
):
    """The next run's theme is the original one (its four contributions): it lands in the theme
    split, which keeps the contributions no person ticked away; the theme split off keeps the
    ticked ones and receives none of the machine's."""
    closed, items, (trains, _soir), _groups, data = world
    ids = [c.id for c in items]
    chosen = [ids[n] for n in ticked]
    new = review.split_theme(organiser, trains, chosen, "Trains du soir")
    db.session.commit()
    assert new.split_from_id == trains.id

    filled = review.import_draft_themes(closed, copy.deepcopy(data), clock.now())
    db.session.commit()

    again, evening = filled  # « soir », untouched, is the run's again
    assert (again.id, evening.name) == (trains.id, "soir")
    assert {t.id for t in review.active_themes(closed)} == {trains.id, new.id, evening.id}
    placed = _placed(closed)
    rest = [i for i in ids[:4] if i not in chosen]
    assert placed[trains.id] == dict.fromkeys(rest, Origin.machine)
    assert placed[new.id] == dict.fromkeys(chosen, Origin.person)
    assert placed[evening.id] == dict.fromkeys(ids[4:], Origin.machine)
    assert (trains.name, trains.draft_index, new.split_from_id) == ("trains", 0, trains.id)
    # A run's theme resembling what the person chose lands in the theme split off.
    review.import_draft_themes(
        closed, {"themes": [{"label": "x", "contribution_ids": chosen}]}, clock.now()
    )
    assert new.draft_index == 0 and trains.draft_index is None
    assert _placed(closed)[new.id] == dict.fromkeys(chosen, Origin.person)
    assert provenance.review_counts(closed.id)["themes_drafted"] == 0


def test_a_split_whose_origin_a_person_deleted_survives_a_draft(
    client, db, world, organiser, login_as, bearer
):
    closed, items, (trains, _soir), _groups, data = world
    ids = [c.id for c in items]
    new = review.split_theme(organiser, trains, ids[2:4], "Trains du soir")
    review.delete_theme(organiser, trains)
    db.session.commit()

    review.import_draft_themes(closed, copy.deepcopy(data), clock.now())
    db.session.commit()

    placed = _placed(closed)
    assert placed[new.id] == dict.fromkeys(ids[2:4], Origin.person)
    assert placed[None] == dict.fromkeys(ids[:2], Origin.person)
    assert trains.id not in placed and not trains.is_active
    assert (new.split_from_id, new.draft_index) == (trains.id, 0)
    # Its page and the API say where it came from.
    login_as(organiser)
    page = _text(client.get(f"/gestion/themes/{new.id}"))
    assert "Scindé de « trains » par " in re.sub(r"<[^>]+>", "", page)  # the name is marked
    shown = client.get(
        f"/api/v1/consultations/{closed.slug}/synthesis/themes", headers=bearer(organiser)
    ).json
    by_id = {t["id"]: t for t in shown["themes"]}
    assert (by_id[new.id]["split_from"], by_id[trains.id]["split_from"]) == (trains.id, None)
    # The origin's row gone, the theme split off stays, its origin unknown.
    db.session.execute(sa.delete(ThemeAssignment).where(ThemeAssignment.theme_id == trains.id))
    db.session.execute(sa.delete(ExcerptChoice).where(ExcerptChoice.theme_id == trains.id))
    db.session.execute(sa.delete(ReviewTheme).where(ReviewTheme.id == trains.id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ReviewTheme, new.id).split_from_id is None
    review.import_draft_themes(closed, copy.deepcopy(data), clock.now())
    assert _placed(closed)[new.id] == dict.fromkeys(ids[2:4], Origin.person)


@pytest.mark.parametrize(
    ("ticked", "name", "field", "message"),
    [
        ([], "Nouveau", "contributions", "Cochez les contributions"),
        ("all", "Nouveau", "contributions", "renommez-le"),
        ([0], "  ", "name", "Donnez un nom au thème."),
        ([0], "SOIR", "name", "Un autre thème s'appelle déjà « soir »"),
        ([5], "Nouveau", "contributions", "n'est plus dans ce thème"),
    ],
)
def test_split_refusals_name_the_field(db, world, organiser, ticked, name, field, message):
    _closed, items, (trains, _soir), _groups, _data = world
    ids = [c.id for c in items[:4]] if ticked == "all" else [items[n].id for n in ticked]
    with pytest.raises(ValidationFailed) as refused:
        review.split_theme(organiser, trains, ids, name)
    assert message in refused.value.fields[field]


def test_split_refuses_both_problems_at_once_and_outsiders(db, world, make_user):
    _closed, _items, (trains, _soir), _groups, _data = world
    with pytest.raises(ValidationFailed) as refused:
        review.split_theme(make_user("moderator"), trains, [], "")
    assert set(refused.value.fields) == {"contributions", "name"}
    with pytest.raises(NotAllowed):
        review.split_theme(make_user(), trains, [], "x")


# --- Proposal groups ----------------------------------------------------------------------------


def test_groups_are_imported_with_members_sentences_and_provenance(db, world):
    closed, items, _themes, groups, _data = world
    first = groups[0]
    assert (first.origin, first.label, first.draft_index) == (
        Origin.machine,
        "plus de trains le matin",
        0,
    )
    row = review_proposals.group_rows(closed)[0]
    assert row.count == 3
    assert row.members[0].sentence == f"phrase de {items[0].id}"
    assert provenance.review_counts(closed.id)["proposal_groups_drafted"] == 3


def test_a_merge_and_a_rename_survive_a_new_draft(db, world, organiser):
    closed, items, _themes, groups, data = world
    target = review_proposals.merge_groups(
        organiser, closed, [groups[1].id, groups[0].id], "Plus de trains le matin (fusion)"
    )
    db.session.commit()
    assert target.id == groups[0].id  # the biggest receives
    assert (target.renamed_by_id, groups[1].merged_by_id) == (organiser.id, organiser.id)
    assert _active(closed) == {"Plus de trains le matin (fusion)": 5, "des trains le soir": 2}
    # Drafting again finds the same groups: the merge and the label hold, nothing doubles.
    again = review_proposals.import_draft_proposals(closed, data, None, clock.now())
    db.session.commit()
    assert _active(closed) == {"Plus de trains le matin (fusion)": 5, "des trains le soir": 2}
    assert again.groups[1].merged_into_id == target.id
    counts = provenance.review_counts(closed.id)
    assert (counts["proposal_groups_reviewed"], counts["proposal_groups_merged"]) == (1, 1)
    # A merged group cannot be renamed; fewer than two groups cannot be merged.
    with pytest.raises(InvalidState):
        review_proposals.rename_group(organiser, again.groups[1], "Autre")
    with pytest.raises(ValidationFailed) as refused:
        review_proposals.merge_groups(organiser, closed, [target.id], None)
    assert "au moins deux" in refused.value.fields["groups"]
    with pytest.raises(ValidationFailed) as refused:
        review_proposals.merge_groups(organiser, closed, [target.id, 2**40], "x" * 400)
    assert set(refused.value.fields) == {"groups", "label"}


def test_the_draft_counts_the_merged_groups_once(db, world, organiser):
    closed, items, themes, groups, data = world
    review_proposals.merge_groups(organiser, closed, [groups[0].id, groups[1].id])
    data = {**data, "themes": [dict(t) for t in data["themes"]]}
    found = review_proposals.import_draft_proposals(closed, data, None, clock.now())
    assert review_draft.apply_to_draft(closed, data, themes, found)
    proposals = data["proposals"]
    assert [(g["label"], g["count"]) for g in proposals["groups"]] == [
        ("plus de trains le matin", 5),
        ("des trains le soir", 2),
    ]
    assert proposals["groups"][0]["reviewed"] is True
    assert (proposals["total"], proposals["listed"]) == (3, [0, 1])
    # The theme « trains » (contributions 0 to 3) now makes the merged proposal four times.
    assert data["themes"][0]["proposals"][0]["count"] == 4
    links = draft.draft_markdown.Links(closed.slug, data["references"], data["titles"])
    text = draft.draft_markdown._proposals(proposals, links)
    assert "plus de trains le matin » — 5 contributions" in text


# --- Excerpts ---------------------------------------------------------------------------------


def test_pin_and_drop_excerpts_kept_across_drafts_and_undone(db, world, organiser):
    closed, items, (trains, _soir), _groups, data = world
    db.session.add(Synthesis(consultation_id=closed.id, body="", draft_data=data))
    review_excerpts.choose_excerpt(organiser, trains, items[3], "pinned")
    review_excerpts.choose_excerpt(organiser, trains, items[0], "dropped")
    db.session.commit()
    choice = db.session.get(ExcerptChoice, (trains.id, items[3].id))
    assert (choice.state, choice.decided_by_id) == (ExcerptState.pinned, organiser.id)
    rows = review_excerpts.theme_excerpts(trains)
    assert [(r.contribution_id, r.state) for r in rows] == [
        (items[3].id, ExcerptState.pinned),
        (items[0].id, ExcerptState.dropped),  # shown marked, to be restored
        (items[1].id, None),
    ]
    # The draft quotes the pinned excerpt first and never the dropped one.
    drafted = {**data, "themes": [dict(t) for t in data["themes"]]}
    themes = review.import_draft_themes(closed, drafted, clock.now())
    assert themes[0].id == trains.id  # a theme with a decision on its excerpts is kept
    found = review_proposals.import_draft_proposals(closed, drafted, None, clock.now())
    review_draft.apply_to_draft(closed, drafted, themes, found)
    assert [e["id"] for e in drafted["themes"][0]["excerpts"]] == [items[3].id, items[1].id]
    assert drafted["references"][str(items[3].id)] == items[3].tracking_number
    # Undo; pinning a contribution of another theme is refused.
    review_excerpts.choose_excerpt(organiser, trains, items[0], None)
    assert db.session.get(ExcerptChoice, (trains.id, items[0].id)) is None
    with pytest.raises(ValidationFailed) as refused:
        review_excerpts.choose_excerpt(organiser, trains, items[6], "pinned")
    assert "pas dans ce thème" in refused.value.fields["contribution_id"]
    with pytest.raises(ValidationFailed):
        review_excerpts.choose_excerpt(organiser, trains, items[1], "épinglé")


def test_a_draft_run_applies_the_review_to_its_text(db, world, organiser, monkeypatch):
    """A whole run: the decisions shape the saved draft, the side list of members is not
    saved."""
    closed, items, (trains, _soir), groups, data = world
    review_proposals.merge_groups(organiser, closed, [groups[0].id, groups[1].id], "Trains")
    review_excerpts.choose_excerpt(organiser, trains, items[2], "pinned")
    db.session.commit()
    run = dict(data, **{draft.PROPOSAL_MEMBERS: None})
    monkeypatch.setattr(
        jobs.draft,
        "build_draft",
        lambda consultation, progress: (
            "# Brouillon",
            {
                **run,
                "figures": {},
                "articles": [],
                "campaigns": [],
                "opinion_groups": {"groups": [], "consensus": [], "cruxes": []},
            },
        ),
    )
    monkeypatch.setattr(jobs.draft_markdown, "write", lambda subject, d: "# Relu")
    jobs.launch(jobs.start_draft(organiser, closed).id)
    synthesis = db.session.get(Synthesis, closed.id)
    assert synthesis.draft_markdown == "# Relu"
    assert draft.PROPOSAL_MEMBERS not in synthesis.draft_data
    assert synthesis.draft_data["proposals"]["groups"][0]["label"] == "Trains"
    assert synthesis.draft_data["themes"][0]["excerpts"][0]["id"] == items[2].id


def _run_with(monkeypatch, db, organiser, consultation, themes, proposals):
    """A draft run whose analysis finds `themes` and `proposals` (the rest computed for
    `consultation`); the saved draft's text and data."""
    markdown, computed = draft.build_draft(consultation)
    themes = [
        {"phrases": [], "terms": [t["label"]], "size": len(t["contribution_ids"])} | t
        for t in copy.deepcopy(themes)
    ]
    computed.update(themes=themes, proposals=copy.deepcopy(proposals))
    computed[draft.PROPOSAL_MEMBERS] = None
    monkeypatch.setattr(
        jobs.draft, "build_draft", lambda consultation, progress: (markdown, computed)
    )
    jobs.launch(jobs.start_draft(organiser, consultation).id)
    synthesis = db.session.get(Synthesis, consultation.id)
    return synthesis.draft_markdown, synthesis.draft_data


def test_the_next_draft_names_and_fills_the_themes_as_the_review_does(
    db, world, organiser, monkeypatch
):
    """A renamed theme is drafted under its new name; a theme split off appears with its
    contributions, which leave the theme they came from, in the text and in the data."""
    closed, items, (trains, soir), _groups, data = world
    ids = [c.id for c in items]
    review.rename_theme(organiser, soir, "Trains du soir")
    review.split_theme(organiser, trains, [ids[3]], "Fréquence des trains")
    db.session.commit()

    markdown, saved = _run_with(
        monkeypatch, db, organiser, closed, data["themes"], data["proposals"]
    )

    themes = {t["label"]: t for t in saved["themes"]}
    assert sorted(themes) == ["Fréquence des trains", "Trains du soir", "trains"]
    assert themes["trains"]["contribution_ids"] == ids[:3]
    assert themes["trains"]["size"] == 3
    assert themes["Fréquence des trains"]["contribution_ids"] == [ids[3]]
    assert themes["Fréquence des trains"]["by_participant_type"]["individual"] == 1
    assert themes["Trains du soir"]["contribution_ids"] == ids[4:]
    assert "### Thème 2 : Trains du soir (4 contributions)" in markdown
    assert "### Thème 1 : trains (3 contributions)" in markdown
    assert "### Thème 3 : Fréquence des trains (1 contribution)" in markdown
    assert draft_markdown.PERSON_THEME in markdown
    assert "soir (4 contributions)" not in markdown.replace("Trains du soir", "")
    # The workbench's theme made by the person points at its entry: its excerpts can be chosen.
    (split,) = [t for t in review.active_themes(closed) if t.name == "Fréquence des trains"]
    assert split.draft_index == 2


def test_a_draft_with_nothing_reviewed_keeps_the_analysis_names(db, world, organiser, monkeypatch):
    closed, _items, _themes, _groups, data = world
    _markdown, saved = _run_with(
        monkeypatch, db, organiser, closed, data["themes"], data["proposals"]
    )
    assert [t["label"] for t in saved["themes"]] == ["trains", "soir"]
    assert not any(t.get("reviewed") for t in saved["themes"])


# --- Pages ------------------------------------------------------------------------------------


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_split_page_refusal_keeps_the_ticks_and_the_name(client, db, world, organiser, login_as):
    _closed, items, (trains, _soir), _groups, _data = world
    login_as(organiser)
    page = _text(client.get(f"/gestion/themes/{trains.id}"))
    assert "Scinder le thème" in page and "Extraits cités pour ce thème" in page
    answer = client.post(
        f"/gestion/themes/{trains.id}/scinder",
        data={"s-contributions": [str(c.id) for c in items[:4]], "s-name": "Tout"},
    )
    assert answer.status_code == 422
    page = _text(answer)
    assert "pour lui donner un autre nom, renommez-le" in page
    assert f'value="{items[3].id}" form="split-form" aria-describedby="split-hint" checked' in page
    assert 'value="Tout"' in page
    answer = client.post(
        f"/gestion/themes/{trains.id}/scinder",
        data={"s-contributions": [str(items[0].id)], "s-name": "Matin"},
    )
    assert answer.status_code == 302
    assert db.session.get(ThemeAssignment, items[0].id).theme_id != trains.id


def test_excerpt_and_group_pages(client, db, world, organiser, login_as, make_user):
    closed, items, (trains, _soir), groups, _data = world
    login_as(organiser)
    answer = client.post(
        f"/gestion/themes/{trains.id}/extraits",
        data={"e-contribution_id": str(items[2].id), "e-state": "pinned", "e-page": "1"},
    )
    assert answer.status_code == 302
    assert "Épinglé" in _text(client.get(f"/gestion/themes/{trains.id}"))
    url = f"/gestion/consultations/{closed.slug}/synthese/propositions"
    page = _text(client.get(url))
    assert '« <span lang="fr">plus de trains le matin</span> »' in page
    assert "Trouvé par l'analyse" in page
    refused = client.post(url, data={"g-groups": [str(groups[0].id)], "g-label": "Fusion"})
    assert refused.status_code == 422
    assert "Cochez au moins deux groupes" in _text(refused)
    assert f'value="{groups[0].id}" form="merge-form" aria-describedby="merge-hint" checked' in (
        _text(refused)
    )
    done = client.post(url, data={"g-groups": [str(groups[0].id), str(groups[2].id)]})
    assert done.status_code == 302
    assert db.session.get(ReviewProposalGroup, groups[2].id).merged_into_id == groups[0].id
    renamed = client.post(
        f"/gestion/propositions/{groups[0].id}/renommer", data={f"l{groups[0].id}-label": " "}
    )
    assert renamed.status_code == 422 and "Donnez un libellé" in _text(renamed)
    login_as(make_user())
    assert client.get(url).status_code in (403, 404)


# --- API --------------------------------------------------------------------------------------


def test_api_split_merge_rename_and_excerpts(client, db, world, organiser, bearer):
    closed, items, (trains, _soir), groups, _data = world
    headers = bearer(organiser)
    answer = client.post(
        f"/api/v1/synthesis/themes/{trains.id}/split",
        json={"contribution_ids": [items[0].id], "name": "Matin"},
        headers=headers,
    )
    assert answer.status_code == 201, answer.json
    assert (answer.json["origin"], answer.json["contribution_count"]) == ("person", 1)
    answer = client.post(
        f"/api/v1/synthesis/themes/{trains.id}/excerpts",
        json={"contribution_id": items[1].id, "state": "dropped"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.json
    assert {e["contribution_id"]: e["state"] for e in answer.json["excerpts"]}[items[1].id] == (
        "dropped"
    )
    answer = client.post(
        f"/api/v1/consultations/{closed.slug}/synthesis/proposals/merge",
        json={"groups": [groups[0].id, groups[1].id], "label": "Trains du matin"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.json
    assert (answer.json["label"], answer.json["contribution_count"]) == ("Trains du matin", 5)
    assert answer.json["merged_from"] == [groups[1].id]
    listing = client.get(
        f"/api/v1/consultations/{closed.slug}/synthesis/proposals", headers=headers
    ).json
    assert listing["figures"]["proposal_groups_merged"] == 1
    assert listing["figures"]["excerpts_dropped"] == 1
    merged = client.post(
        f"/api/v1/synthesis/proposals/{groups[1].id}/rename", json={"label": 5}, headers=headers
    )
    assert merged.status_code == 409  # the state before the body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExcerptChoice)) == 1

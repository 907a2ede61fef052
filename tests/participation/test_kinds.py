"""The kinds of contribution are one table of specs (`participation.kinds`): every stored kind has
its spec, an unknown kind raises instead of falling back on a default, and a kind added to the
table reaches the form, the synthesis draft, its charts and the exports without crashing any.

A kind the table gains in a test cannot be stored (the `kind` column is checked by the
database and read through `ContributionKind`): the service refuses it as an unknown kind, and
the readers of plain rows (the draft, the exports) are given rows of it in memory."""

from __future__ import annotations

from collections import namedtuple
from datetime import timedelta
from types import SimpleNamespace

import pytest
from werkzeug.datastructures import MultiDict

from consultation.core.errors import ValidationFailed
from consultation.core.i18n import N_, _l
from consultation.opendata import exports, json_export
from consultation.participation import kinds
from consultation.participation import services as participation
from consultation.participation.forms import ContributionForm, EditContributionForm
from consultation.participation.kinds import (
    ArticleSection,
    KindSpec,
    ParagraphAction,
    UnknownKind,
)
from consultation.participation.models import ContributionKind
from consultation.synthesis import charts, draft

PETITION = KindSpec(
    "petition",
    N_("Pétition"),
    ("pétition", "pétitions"),
    legend=_l("Pour une pétition"),
    paragraph_action=ParagraphAction(_l("Lancer une pétition"), 2),
    has_url=True,
    title_required=N_("Donnez un titre à la pétition."),
    article_sections=(ArticleSection("petitions", N_("Pétitions les plus soutenues"), 3),),
)


@pytest.fixture
def petition(monkeypatch):
    """The table with one more kind, for this test only."""
    monkeypatch.setitem(kinds.KINDS, PETITION.value, PETITION)
    return PETITION


def test_every_stored_kind_has_its_spec():
    assert set(kinds.KINDS) == {kind.value for kind in ContributionKind}
    for kind in ContributionKind:
        assert kind.spec is kinds.spec_of(kind.value)
        assert kind.label_fr == kind.spec.label


def test_an_unknown_kind_raises_instead_of_a_default():
    with pytest.raises(UnknownKind):
        kinds.spec_of("petition")
    with pytest.raises(UnknownKind):
        kinds.spec_of(None)
    # What `models` runs at import: a stored kind without a spec stops the application.
    with pytest.raises(UnknownKind, match="petition"):
        kinds.require_specs(["comment", "petition"])


def test_the_specs_say_what_each_kind_asks_for():
    argument, amendment = ContributionKind.argument.spec, ContributionKind.amendment.spec
    assert argument.form_fields == ("position",) and argument.article_required
    assert amendment.form_fields == ("proposed_text",) and amendment.amends_wording
    assert ContributionKind.new_article.spec.form_fields == ("new_article_text",)
    assert ContributionKind.source.spec.edit_fields == ("title", "url")
    assert [spec.value for spec in kinds.specs() if spec.is_reply] == ["comment"]
    assert [key for key, _heading in draft.draft_markdown.article_lists()] == [
        "amendments",
        "arguments_for",
        "arguments_against",
        "controversial",
    ]
    assert [kind for kind, _label in kinds.paragraph_actions()] == ["comment", "amendment"]


def test_a_kind_the_database_cannot_store_is_refused_by_the_service(
    db, opened, make_user, petition
):
    with pytest.raises(ValidationFailed) as refused:
        participation.submit_contribution(
            make_user(), opened, kind="petition", body="Une pétition.", url="https://a.fr"
        )
    assert set(refused.value.fields) == {"kind"}


def test_a_new_kind_reaches_the_contribution_forms(app, opened, petition):
    article = opened.current_version.articles[0]
    data = MultiDict({"kind": "petition", "url": "https://exemple.fr", "position": "for"})
    with app.test_request_context(method="POST", data=data):
        form = ContributionForm().for_article(article)
        fieldsets = {fieldset.kind: fieldset for fieldset in form.kind_fieldsets()}
        assert [field.name for field in fieldsets["petition"].fields] == ["url"]
        assert "comment" not in fieldsets  # no field of its own
        assert ("petition", PETITION.paragraph_action.label) in form.paragraph_actions()
        values = form.values()
        assert values["kind"] == "petition"
        assert values["url"] == "https://exemple.fr"
        assert values["position"] is None  # it takes none
        edit = EditContributionForm()
        assert [field.name for field in edit.fields_for("petition")] == ["title", "url"]


def test_a_new_kind_reaches_the_draft_its_text_and_its_charts(
    db, closed, make_contribution, petition, monkeypatch
):
    article = closed.current_version.articles[0]
    during = closed.opens_at + timedelta(days=1)
    make_contribution(closed, kind="comment", body="Un avis sur le texte entier.", now=during)
    make_contribution(closed, kind="argument", position="for", article_id=article.id, now=during)
    load = draft._load_contributions

    def with_petitions(connection, consultation_id):
        rows = load(connection, consultation_id)
        row = namedtuple("Row", rows[0]._fields)
        base = rows[0]._asdict()
        return [
            *rows,
            *(
                row(
                    **base
                    | {
                        "id": 90_000 + n,
                        "article_id": article.id,
                        "parent_id": None,
                        "kind": "petition",
                        "position": None,
                        "offline_channel": None,
                        "hidden": False,
                        "withdrawn": False,
                        "votes_agree": 5,
                        "votes_mixed": 0,
                        "votes_disagree": 1,
                        "popularity": 0.5,
                        "tracking_number": f"PET-{n}",
                        "title": f"Pétition {n}",
                        "body": "Nous demandons le retrait de cet article.",
                        "proposed_text": "",
                    }
                )
                for n in (1, 2)
            ),
        ]

    monkeypatch.setattr(draft, "_load_contributions", with_petitions)
    markdown, data = draft.build_draft(closed)

    assert data["figures"]["contributions"]["by_kind"]["petition"] == 2
    assert data["figures"]["contributions"]["by_kind"]["comment"] == 1
    summary = next(a for a in data["articles"] if a["id"] == article.id)
    assert [item["tracking_number"] for item in summary["petitions"]] == ["PET-1", "PET-2"]
    # The article's summary counts its contributions by kind, the new one included.
    assert summary["by_kind"] == {"argument": 1, "petition": 2}
    assert "2 pétitions" in markdown
    assert "Pétitions les plus soutenues" in markdown
    assert data["references"]["90001"] == "PET-1"
    kinds_chart = next(c for c in charts.draft_charts(data) if c.id == "chart-kinds")
    assert "Pétition" in [label for label, _cells in kinds_chart.table.rows]


def test_a_new_kind_reaches_the_exports(db, closed, make_contribution, petition, monkeypatch):
    during = closed.opens_at + timedelta(days=1)
    make_contribution(closed, kind="comment", body="Une pétition, en fait.", now=during)
    record = json_export.contribution_record

    def as_petition(row):
        fake = SimpleNamespace(**row._asdict())
        fake.kind = SimpleNamespace(value="petition")
        return record(fake)

    monkeypatch.setattr(json_export, "contribution_record", as_petition)
    lines = "".join(exports.contributions_csv(closed.id)).splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    assert first[header.index("kind")] == "petition"


def test_a_new_kind_has_no_diff_on_its_card(petition):
    card = SimpleNamespace(id=1, kind=SimpleNamespace(spec=petition), is_public=True)
    assert participation.amendment_diffs([card]) == {}

"""Search: French stemming with accents ignored, highlighted extracts, filters, cursors, and
nothing withdrawn, hidden or draft ever found — on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa

from consultation.core.errors import InvalidCursor, ValidationFailed
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.search import indexer, services
from consultation.search.models import SearchDocument


@pytest.fixture
def searchable(make_consultation):
    """An open consultation (shared factory) whose title and summary the search tests look for."""
    return make_consultation(
        "open",
        title="Projet de loi pour une République numérique",
        summary="Les données publiques ouvertes à tous.",
    )


@pytest.fixture
def author(make_user):
    return make_user(display_name="Camille")


def _submit(db, user, consultation, **values):
    values.setdefault("kind", "comment")
    item = participation.submit_contribution(user, consultation, **values)
    db.session.commit()
    return item


def _found(query, **filters) -> list[tuple[str, int | None]]:
    page = services.search(query, **filters)
    return [(r.kind, r.contribution_id) for r in page.results]


def _everything(query) -> str:
    """Every title and extract the search shows for `query`, as one string."""
    page = services.search(query, limit=200)
    return " ".join(str(r.title) + " " + str(r.extract) for r in page.results)


def test_accents_and_endings_are_ignored(db, searchable, author):
    item = _submit(db, author, searchable, body="Les communs numériques méritent un statut.")
    assert ("comment", item.id) in _found("numerique")
    assert ("comment", item.id) in _found("NUMÉRIQUE commun")
    assert ("consultation", None) in _found("donnee publique")
    assert _found("photosynthèse") == []


def test_every_word_must_be_found_and_common_words_are_ignored(db, searchable, author):
    both = _submit(db, author, searchable, body="Le logiciel libre dans les écoles.")
    one = _submit(db, author, searchable, body="Le logiciel propriétaire.")
    assert _found("logiciels libres") == [("comment", both.id)]
    assert {c for _k, c in _found("logiciel")} == {both.id, one.id}
    assert _found("le la les") == []


def test_extract_and_title_highlight_the_words_found_and_escape_the_rest(db, searchable, author):
    item = _submit(
        db,
        author,
        searchable,
        kind="source",
        title="<b>Rapport</b> sur l'accessibilité",
        body="Début. " + "Mot " * 80 + "L'accessibilité <script>alert(1)</script> numérique.",
        url="https://example.org/rapport",
    )
    [result] = [r for r in services.search("accessibilite").results if r.contribution_id == item.id]
    assert str(result.title) == "&lt;b&gt;Rapport&lt;/b&gt; sur l&#39;<mark>accessibilité</mark>"
    extract = str(result.extract)
    assert extract.startswith("… ")
    assert "<mark>accessibilité</mark>" in extract
    assert "&lt;script&gt;" in extract and "<script>" not in extract


def test_proposed_wording_is_searched(db, searchable, author):
    article = searchable.current_version.articles[0]
    item = _submit(
        db,
        author,
        searchable,
        kind="amendment",
        article_id=article.id,
        body="Plus clair.",
        proposed_text="La présente loi garantit la neutralité des réseaux.",
    )
    assert _found("neutralite reseau") == [("amendment", item.id)]


def test_a_withdrawn_contribution_is_never_found(db, searchable, author):
    item = _submit(db, author, searchable, body="Une idée sur les hirondelles migratrices.")
    assert _found("hirondelle") == [("comment", item.id)]
    participation.withdraw_contribution(author, item)
    db.session.commit()
    assert _found("hirondelle") == []
    assert "hirondelle" not in _everything("migratrice idée").lower()


def test_hidden_then_restored(db, searchable, author, make_user):
    moderator = make_user("moderator")
    item = _submit(db, author, searchable, body="Achetez mes montres de contrebande.")
    moderation.hide_contribution(moderator, item, "spam", notify=False)
    db.session.commit()
    assert _found("montre") == []
    assert "contrebande" not in _everything("achetez").lower()
    moderation.restore_contribution(moderator, item)
    db.session.commit()
    assert _found("montre contrebande") == [("comment", item.id)]


def test_an_edit_replaces_the_old_wording(db, searchable, author):
    item = _submit(db, author, searchable, title="Vélos", body="Des pistes cyclables partout.")
    participation.edit_contribution(
        author, item, {"title": "Trains", "body": "Des trains de nuit chaque soir."}
    )
    db.session.commit()
    assert _found("cyclable") == [] and _found("velo") == []
    assert _found("train nuit") == [("comment", item.id)]
    assert "cyclable" not in _everything("train").lower()


def test_a_rolled_back_change_leaves_the_index_as_it_was(db, searchable, author):
    item = _submit(db, author, searchable, body="Les tortues marines.")
    participation.withdraw_contribution(author, item)
    db.session.flush()
    assert _found("tortue") == []
    db.session.rollback()
    assert _found("tortue") == [("comment", item.id)]


def test_a_draft_consultation_is_never_found(db, make_consultation):
    make_consultation("draft", title="Projet secret sur les licornes", summary="Licornes.")
    assert _found("licorne") == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchDocument)) == 0


def test_publication_indexes_the_consultation_text_and_notice(db, make_consultation):
    consultation = make_consultation("scheduled", title="Projet de décret")
    # SAMPLE_TEXT: "Un décret en Conseil d'État précise les modalités d'application…"
    assert ("consultation", None) in _found("modalite application")
    assert services.search("modalites").results[0].consultation_slug == consultation.slug


def test_filters_by_consultation_status_and_kind(db, searchable, author, make_consultation):
    other = make_consultation("scheduled", title="Plan vélo à venir", summary="Le vélo.")
    article = searchable.current_version.articles[0]
    argument = _submit(
        db,
        author,
        searchable,
        kind="argument",
        position="for",
        article_id=article.id,
        body="Le vélo en ville.",
    )
    comment = _submit(db, author, searchable, body="Le vélo à la campagne.")
    assert len(_found("velo")) == 3
    assert _found("velo", consultation=other.slug) == [("consultation", None)]
    assert {c for _k, c in _found("velo", consultation=searchable.slug)} == {
        argument.id,
        comment.id,
    }
    assert _found("velo", status="scheduled") == [("consultation", None)]
    assert {c for _k, c in _found("velo", status="open")} == {argument.id, comment.id}
    assert _found("velo", kind="argument") == [("argument", argument.id)]
    assert services.search("velo", kind="comment").total == 1
    assert services.search("velo", consultation=searchable.slug).total == 2


def test_title_matches_come_first_then_the_newest(db, searchable, author):
    older = _submit(db, author, searchable, title="Les ponts", body="Des ponts solides en bois.")
    newer = _submit(db, author, searchable, body="Les ponts et la forêt.")
    newest = _submit(db, author, searchable, title="Forêts", body="Un pont suspendu.")
    assert _found("pont") == [("comment", older.id), ("comment", newest.id), ("comment", newer.id)]
    titled = services.search("ponts").results[0]
    assert titled.title_match and str(titled.title) == "Les <mark>ponts</mark>"


def test_counts_stop_at_the_cap(db, searchable, author, monkeypatch):
    for n in range(4):
        _submit(db, author, searchable, body=f"Les cerisiers en fleurs, n° {n}.")
    monkeypatch.setattr(services, "COUNT_CAP", 3)
    page = services.search("cerisier")
    assert (page.total, page.total_capped) == (3, True)
    assert len(page.results) == 4


def test_pages_by_cursor_without_repeats(db, searchable, author):
    ids = {_submit(db, author, searchable, body=f"Le jardin partagé n° {n}.").id for n in range(7)}
    seen, cursor = [], None
    while True:
        page = services.search("jardins partages", cursor=cursor, limit=3)
        assert page.total == 7
        seen.extend(r.contribution_id for r in page.results)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == 7 and set(seen) == ids


@pytest.mark.parametrize("window", [1, 2, 5])
def test_pages_are_the_same_whichever_way_the_matches_are_read(
    db, searchable, author, monkeypatch, window
):
    """On PostgreSQL a page is read first from the newest rows of the index, then from the GIN
    index for what that window lacks: a window smaller than a page, or holding a few matches
    among other rows, gives the same pages, newest first, title matches first."""
    expected = []
    for n in range(9):
        if n % 3 == 0:
            _submit(db, author, searchable, body=f"Une haie de charmes, n° {n}.")
        else:
            expected.append(_submit(db, author, searchable, body=f"Le verger communal, n° {n}.").id)
    titled = _submit(db, author, searchable, title="Le verger", body="Des pommiers.").id
    expected = [titled, *reversed(expected)]
    monkeypatch.setattr(services, "WINDOW", window)
    seen, cursor = [], None
    while True:
        page = services.search("verger", cursor=cursor, limit=2)
        seen.extend(r.contribution_id for r in page.results)
        assert page.total == 7
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected


def test_a_row_left_in_the_index_is_not_shown_when_its_source_is_not_public(db, searchable, author):
    """The index holds public items only; were a row of a withdrawn contribution left in it,
    the page would still not show it: its title and extract are cut only after the source
    tables say it is public."""
    item = _submit(db, author, searchable, body="Le secret des abeilles.")
    indexed = db.session.scalars(
        sa.select(SearchDocument).where(SearchDocument.contribution_id == item.id)
    ).one()
    columns = [c.key for c in SearchDocument.__table__.columns if c.key != "id"]
    row = {key: getattr(indexed, key) for key in columns}
    participation.withdraw_contribution(author, item)
    db.session.commit()
    db.session.execute(sa.insert(SearchDocument).values(**row))  # forged back into the index
    db.session.commit()
    assert "abeille" not in _everything("abeilles secret")
    assert _found("abeilles") == []


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"query": ""}, "q"),
        ({"query": "   "}, "q"),
        ({"query": "x" * 201}, "q"),
        ({"query": "vélo", "status": "draft"}, "status"),
        ({"query": "vélo", "kind": "poem"}, "kind"),
        ({"query": "vélo", "consultation": "nowhere"}, "consultation"),
    ],
)
def test_bad_parameters_are_refused_by_name(db, searchable, parameters, field):
    parameters = dict(parameters)  # shared by both databases' runs
    query = parameters.pop("query")
    with pytest.raises(ValidationFailed) as refused:
        services.search(query, **parameters)
    assert field in refused.value.fields


def test_a_draft_slug_is_an_unknown_consultation(db, make_consultation):
    draft = make_consultation("draft")
    with pytest.raises(ValidationFailed):
        services.search("loi", consultation=draft.slug)


@pytest.mark.parametrize("cursor", ["garbage", "WzEsMl0", "W251bGwsMV0", "WyIyIiwxXQ"])
def test_a_forged_cursor_is_refused(db, searchable, cursor):
    with pytest.raises(InvalidCursor):
        services.search("loi", cursor=cursor)


def test_hostile_queries_never_break_the_full_text_syntax(db, searchable, author):
    _submit(db, author, searchable, body="Un texte ordinaire sur la loi.")
    for query in ['"', 'loi"', "NEAR(loi", "loi OR *", "loi AND NOT", "^loi", "-loi", "'; DROP"]:
        services.search(query)  # no error


def test_rebuild_gives_the_same_index(db, searchable, author, make_user):
    kept = _submit(db, author, searchable, body="Les abeilles pollinisatrices.")
    gone = _submit(db, author, searchable, body="Les abeilles domestiques.")
    participation.withdraw_contribution(author, gone)
    db.session.commit()
    before = _found("abeille")
    assert indexer.rebuild(db.session.connection()) == 2  # the consultation and one contribution
    db.session.commit()
    assert _found("abeille") == before == [("comment", kept.id)]

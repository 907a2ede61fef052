"""Stored counters and scores: kept right by every vote, checked against the votes, and read
through an index by every ordering."""

import pytest
import sqlalchemy as sa

from consultation.core.errors import InvalidCursor
from consultation.participation import listing, services, tallies
from consultation.participation.models import Contribution
from consultation.texts.models import Article


def _comment(user, consultation, **values):
    return services.submit_contribution(
        user, consultation, kind="comment", body=values.pop("body", "Un avis."), **values
    )


def test_counters_follow_every_cast_change_and_withdrawal(db, opened, make_user):
    article = opened.current_version.articles[0]
    alice, bob, carol = make_user(), make_user(), make_user()
    contribution = _comment(alice, opened, article_id=article.id)
    services.cast_article_vote(alice, article, "agree")
    services.cast_article_vote(bob, article, "agree")
    services.cast_article_vote(carol, article, "disagree")
    services.cast_article_vote(bob, article, "mixed")
    services.withdraw_article_vote(alice, article)
    services.withdraw_article_vote(alice, article)  # nothing left to withdraw
    for voter, value in ((alice, "agree"), (bob, "disagree"), (carol, "agree"), (bob, "agree")):
        services.cast_contribution_vote(voter, contribution, value)
    db.session.commit()

    db.session.expire_all()
    assert article.vote_counts == {"agree": 0, "mixed": 1, "disagree": 1}
    assert article.contributions_count == 1
    assert contribution.vote_counts == {"agree": 3, "mixed": 0, "disagree": 0}
    assert contribution.popularity == pytest.approx(tallies.wilson_lower_bound(3, 0, 0))
    assert contribution.controversy == 0
    assert tallies.recount() == 0


def test_recount_finds_and_repairs_a_wrong_counter(db, runner, opened, make_user):
    article = opened.current_version.articles[1]
    voter = make_user()
    contribution = _comment(voter, opened, article_id=article.id)
    services.cast_article_vote(voter, article, "agree")
    services.cast_contribution_vote(voter, contribution, "disagree")
    db.session.commit()
    db.session.execute(sa.update(Article).where(Article.id == article.id).values(votes_agree=7))
    db.session.execute(
        sa.update(Contribution).where(Contribution.id == contribution.id).values(popularity=0.9)
    )
    db.session.commit()

    result = runner.invoke(args=["participation", "recount", "--consultation", opened.slug])
    assert result.exit_code == 0, result.output
    assert "2 compteur(s) corrigé(s)" in result.output
    db.session.expire_all()
    assert article.votes_agree == 1
    assert contribution.popularity == 0.0
    result = runner.invoke(args=["participation", "recount"])
    assert "Tous les compteurs correspondent" in result.output
    result = runner.invoke(args=["participation", "recount", "--consultation", "inconnue"])
    assert result.exit_code != 0 and "Aucune consultation" in result.output


def test_random_order_is_one_shuffle_entered_where_the_seed_says(db, opened, make_user):
    author = make_user()
    made = [_comment(author, opened, body=f"Avis {n}") for n in range(30)]
    db.session.commit()
    by_key = [c.id for c in sorted(made, key=lambda c: (c.shuffle_key, c.id))]

    def walk(seed):
        seen, cursor = [], None
        while True:
            items, cursor = services.list_contributions(
                opened, sort="random", seed=seed, cursor=cursor, limit=7
            )
            seen += [c.id for c in items]
            if cursor is None:
                return seen

    middle = sorted(made, key=lambda c: c.shuffle_key)[15].shuffle_key
    # From the seed's place to the end of the shuffle, then from its beginning: each once.
    assert walk(middle) == by_key[15:] + by_key[:15]
    assert walk(0) == by_key
    firsts = {walk(seed)[0] for seed in range(0, 2**31, 2**31 // 8)}
    assert len(firsts) > 1  # visitors do not all see the same contribution first


def test_a_cursor_only_continues_its_own_ordering(db, opened, make_user):
    author = make_user()
    for n in range(3):
        _comment(author, opened, body=f"Avis {n}")
    db.session.commit()
    _items, cursor = services.list_contributions(opened, sort="popular", limit=1)
    assert cursor
    with pytest.raises(InvalidCursor) as refused:
        services.list_contributions(opened, sort="recent", cursor=cursor)
    assert "cursor" in refused.value.fields


@pytest.mark.parametrize("sort", ["random", "recent", "popular", "controversial"])
def test_every_ordering_reads_an_index_without_sorting(app, db, opened, make_user, sort):
    """What makes page 400 cost what page 1 costs: no sort of the whole consultation."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is checked on SQLite; PostgreSQL plans by table statistics")
    author = make_user()
    first = _comment(author, opened)
    db.session.commit()
    _items, _ = services.list_contributions(opened, sort=sort, limit=1)
    statements = []

    @sa.event.listens_for(db.engine, "before_cursor_execute")
    def keep(conn, cursor, statement, parameters, context, executemany):
        if "FROM contributions" in statement and "ORDER BY" in statement:
            statements.append((statement, parameters))

    try:
        services.list_contributions(
            opened, sort=sort, seed=5, cursor=listing._encode_cursor(sort, first, 5)
        )
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", keep)
    assert statements
    connection = db.session.connection()
    for statement, parameters in statements:
        plan = " | ".join(
            row[-1]
            for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        )
        assert "TEMP B-TREE" not in plan, plan
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan

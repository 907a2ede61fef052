"""The drafted synthesis: who may start it and when, what the job produces (figures equal to the
database, a planted campaign found, hidden texts never used, links to the right contributions),
a failing run, the draft page, the API and the charts."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import render_template_string

from consultation.accounts.models import OrganisationCategory, ProfileType
from consultation.core import clock
from consultation.core import jobs as core_jobs
from consultation.core.errors import InvalidState, NotAllowed
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.participation.models import ArticleVote, Contribution, ContributionVote
from consultation.synthesis import charts, follow_ups, jobs, links, publishing
from consultation.synthesis.models import JobStatus, Synthesis, SynthesisJob

SECRET = "TEXTE-MASQUE-PAR-LA-MODERATION"
CAMPAIGN = (
    "Nous demandons que le délai de consultation du public soit porté à soixante jours pour "
    "tous les projets de texte, afin que chacun ait le temps de lire, de comprendre et de "
    "répondre avec sérieux aux questions posées par l'administration."
)
ADDITION = "J'ajoute que les communes rurales doivent être aidées."


@pytest.fixture
def participated(db, closed, make_user, organiser):
    """The shared `closed` consultation with known participation, as (consultation, items,
    campaign, people): contributions of every kind over two days, a campaign of four
    near-identical comments, a hidden and a withdrawn contribution, an offline letter, votes on
    articles and contributions, an organisation taking part."""
    consultation = closed
    first, second, third = consultation.current_version.articles
    day_one = consultation.opens_at + timedelta(days=1, hours=2)
    day_two = consultation.opens_at + timedelta(days=2, hours=3)
    people = [make_user() for _ in range(8)]
    company = people[7]
    company.profile_type = ProfileType.organisation
    company.organisation_category = OrganisationCategory.company
    company.organisation_name = "Entreprise Exemple"
    db.session.commit()

    def submit(author, when=day_one, **values):
        return participation.submit_contribution(author, consultation, now=when, **values)

    items = {
        "for": submit(
            people[0],
            kind="argument",
            position="for",
            article_id=first.id,
            body="La participation du public améliore la qualité des textes adoptés.",
        ),
        "against": submit(
            people[1],
            kind="argument",
            position="against",
            article_id=first.id,
            body="Le champ de la loi est trop large pour les petites administrations.",
        ),
        "amendment": submit(
            people[2],
            kind="amendment",
            article_id=second.id,
            body="Préciser qui peut participer.",
            proposed_text="Les consultations sont ouvertes à toute personne majeure.",
        ),
        "comment": submit(people[3], when=day_two, kind="comment", body="Un avis général."),
        "hidden": submit(people[4], kind="comment", body=f"Un texte injurieux {SECRET}."),
        "withdrawn": submit(people[5], when=day_two, kind="comment", body="Je retire ceci."),
    }
    campaign = [
        submit(people[i], when=day_two, kind="comment", body=CAMPAIGN) for i in (0, 1, 2)
    ] + [submit(company, when=day_two, kind="comment", body=f"{CAMPAIGN} {ADDITION}")]
    db.session.flush()
    moderation.hide_contribution(make_user("moderator"), items["hidden"], "insult")
    participation.withdraw_contribution(people[5], items["withdrawn"], now=day_two)
    participation.record_offline_observation(
        organiser,
        consultation,
        channel="letter",
        author_name="Mme Courrier",
        body="Une lettre reçue en mairie.",
        received_at=day_one,
    )
    for voter, value in zip(people, ["agree"] * 5 + ["disagree"] * 2 + ["mixed"], strict=True):
        participation.cast_article_vote(voter, first, value, now=day_one)
    participation.cast_article_vote(people[0], third, "disagree", now=day_two)
    for voter in people[3:]:
        participation.cast_contribution_vote(voter, items["for"], "agree", now=day_two)
    participation.cast_contribution_vote(people[6], items["amendment"], "agree", now=day_two)
    db.session.commit()
    return consultation, items, campaign, people


def _run(db, actor, consultation) -> SynthesisJob:
    job_id = jobs.start_draft(actor, consultation).id
    db.session.commit()
    jobs.launch(job_id)
    db.session.expire_all()
    return db.session.get(SynthesisJob, job_id)


# --- Rights and states ---------------------------------------------------------------------------


def test_drafting_is_refused_before_closing_and_to_others(
    db, opened, closed, make_user, make_institution, organiser
):
    with pytest.raises(InvalidState):
        jobs.start_draft(organiser, opened)
    for outsider in (
        make_user(),
        make_user("organiser", institution=make_institution()),
        make_user("moderator", institution=make_institution()),
    ):
        with pytest.raises(NotAllowed):
            jobs.start_draft(outsider, closed)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SynthesisJob)) == 0
    # The institution's moderators draft too.
    assert jobs.start_draft(make_user("moderator"), closed).status is JobStatus.queued


def test_a_second_start_returns_the_active_run_and_a_stale_run_no_longer_blocks(
    db, make_consultation, organiser
):
    consultation = make_consultation("closed")
    first = jobs.start_draft(organiser, consultation)
    db.session.commit()
    assert jobs.start_draft(organiser, consultation).id == first.id
    first.status, first.started_at = JobStatus.running, clock.now() - timedelta(minutes=11)
    db.session.commit()
    second = jobs.start_draft(organiser, consultation)
    db.session.commit()
    assert second.id != first.id and second.status is JobStatus.queued
    assert first.status is JobStatus.failed and "Interrompue" in first.error


def test_without_redis_the_draft_runs_on_a_background_thread(app, db, make_consultation, organiser):
    app.config["JOBS_INLINE"] = False
    consultation = make_consultation("closed")
    job_id = jobs.start_draft(organiser, consultation).id
    db.session.commit()
    future = jobs.launch(job_id)
    assert future is not None
    future.result(timeout=120)
    db.session.expire_all()
    job = db.session.get(SynthesisJob, job_id)
    assert job.status is JobStatus.done and job.started_at and job.finished_at
    assert db.session.get(Synthesis, consultation.id).draft_markdown


def test_with_redis_the_draft_goes_on_the_synthesis_queue(
    app, db, make_consultation, organiser, monkeypatch
):
    queued = []

    class Queue:
        def __init__(self, name, connection):
            self.name = name

        def enqueue(self, function, *args, **kwargs):
            queued.append((self.name, function, args, kwargs))

    monkeypatch.setattr("rq.Queue", Queue)
    app.config.update(JOBS_INLINE=False, REDIS_URL="redis://127.0.0.1:1/0")
    consultation = make_consultation("closed")
    job_id = jobs.start_draft(organiser, consultation).id
    db.session.commit()
    assert jobs.launch(job_id) is None
    [(name, function, args, kwargs)] = queued
    assert (name, function, args) == (
        "synthesis",
        core_jobs.run_job,
        ("consultation.synthesis.jobs:run_draft", job_id),
    )
    assert kwargs["job_timeout"] == 600
    function(*args)  # what the worker does
    db.session.expire_all()
    assert db.session.get(SynthesisJob, job_id).status is JobStatus.done
    function(*args)  # handed out twice, run once
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SynthesisJob)) == 1


def _local_redis(url: str):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    redis = Redis.from_url(url)
    try:
        redis.ping()
    except RedisDown:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return redis


def test_a_real_rq_worker_takes_the_draft_from_redis(app, db, make_consultation, organiser):
    """End to end on the local Redis (a database of its own, emptied): the web side enqueues,
    a burst worker of the "synthesis" queue runs the job, the draft is there."""
    from rq import Queue, SimpleWorker

    url = "redis://127.0.0.1:6379/14"
    redis = _local_redis(url)
    redis.flushdb()
    app.config.update(JOBS_INLINE=False, REDIS_URL=url)
    consultation = make_consultation("closed")
    job_id, consultation_id = jobs.start_draft(organiser, consultation).id, consultation.id
    db.session.commit()
    try:
        jobs.launch(job_id)
        queue = Queue(jobs.QUEUE_NAME, connection=redis)
        assert queue.count == 1
        db.session.close()
        assert SimpleWorker([queue], connection=redis).work(burst=True)
        assert queue.count == 0
    finally:
        redis.flushdb()
    job = db.session.get(SynthesisJob, job_id)
    assert job.status is JobStatus.done, job.error
    assert db.session.get(Synthesis, consultation_id).draft_markdown


# --- What the job produces -----------------------------------------------------------------------


def test_the_draft_figures_equal_the_database(db, participated, organiser):
    consultation, items, _campaign, people = participated
    job = _run(db, organiser, consultation)
    assert (job.status, job.progress, job.error) == (JobStatus.done, 100, "")
    synthesis = db.session.get(Synthesis, consultation.id)
    figures = synthesis.draft_data["figures"]

    rows = db.session.scalars(
        sa.select(Contribution).where(Contribution.consultation_id == consultation.id)
    ).all()
    assert figures["contributions"]["total"] == len(rows) == 11
    kinds = Counter(row.kind.value for row in rows)
    assert {k: n for k, n in figures["contributions"]["by_kind"].items() if n} == dict(kinds)
    article_votes = db.session.scalar(sa.select(sa.func.count()).select_from(ArticleVote))
    contribution_votes = db.session.scalar(sa.select(sa.func.count()).select_from(ContributionVote))
    assert figures["votes"]["articles"] == article_votes == 9
    assert figures["votes"]["contributions"] == contribution_votes == 6
    assert figures["votes"]["articles_by_value"] == {"agree": 5, "mixed": 1, "disagree": 3}
    assert figures["participants"] == len(people)  # the offline letter's sender has no account
    assert figures["contributors"] == 7
    assert figures["participants_by_type"] == {"individual": 7, "organisation": 1}
    assert figures["organisations_by_category"]["company"] == 1
    assert figures["offline"] == {
        "total": 1,
        "by_channel": {"letter": 1, "email": 0, "register": 0},
    }
    assert figures["moderated"]["total"] == 1 and figures["moderated"]["by_reason"]["insult"] == 1
    assert figures["withdrawn"] == 1

    per_day = {day["date"]: day for day in figures["per_day"]}
    expected_contributions = Counter(
        clock.to_paris(row.created_at).date().isoformat() for row in rows
    )
    for day, count in expected_contributions.items():
        assert per_day[day]["contributions"] == count
    votes = (
        db.session.scalars(sa.select(ArticleVote.created_at)).all()
        + db.session.scalars(sa.select(ContributionVote.created_at)).all()
    )
    expected_votes = Counter(clock.to_paris(moment).date().isoformat() for moment in votes)
    assert {d: v["votes"] for d, v in per_day.items() if v["votes"]} == dict(expected_votes)
    assert sum(day["contributions"] for day in figures["per_day"]) == len(rows)

    first = synthesis.draft_data["articles"][0]
    assert first["votes"] == {"agree": 5, "mixed": 1, "disagree": 2}
    assert first["contributions_count"] == 2
    assert [item["id"] for item in first["arguments_for"]] == [items["for"].id]
    second = synthesis.draft_data["articles"][1]
    assert [item["id"] for item in second["amendments"]] == [items["amendment"].id]
    # The body starts as the draft while nobody has written one.
    assert synthesis.body == synthesis.draft_markdown and synthesis.draft_generated_at


def test_a_planted_campaign_is_found_with_its_size_and_the_addition(db, participated, organiser):
    consultation, _items, campaign, _people = participated
    _run(db, organiser, consultation)
    data = db.session.get(Synthesis, consultation.id).draft_data
    assert len(data["campaigns"]) == 1
    found = data["campaigns"][0]
    assert found["count"] == 4
    assert sorted(found["contribution_ids"]) == sorted(c.id for c in campaign)
    assert found["exact"] == 3
    assert [a["id"] for a in found["additions"]] == [campaign[3].id]
    assert "communes rurales" in found["additions"][0]["text"]
    # Themes work on the de-duplicated corpus: one member of the campaign at most.
    members = {c.id for c in campaign}
    for theme in data["themes"]:
        assert len(members & set(theme["contribution_ids"])) <= 1


def test_hidden_texts_never_reach_the_draft(db, participated, organiser):
    consultation, items, _campaign, _people = participated
    _run(db, organiser, consultation)
    synthesis = db.session.get(Synthesis, consultation.id)
    assert SECRET not in synthesis.draft_markdown
    assert SECRET not in str(synthesis.draft_data)
    assert "Je retire ceci" not in synthesis.draft_markdown + str(synthesis.draft_data)
    assert items["hidden"].tracking_number not in synthesis.draft_markdown


def test_the_draft_links_to_the_contributions_it_cites(db, client, participated, organiser):
    consultation, items, campaign, _people = participated
    _run(db, organiser, consultation)
    markdown = db.session.get(Synthesis, consultation.id).draft_markdown
    # The text names each contribution by its token; shown, the token is a link.
    rendered = str(links.render(markdown, consultation).html)
    found = re.findall(
        r'<a href="(/consultations/[^"]+/contributions/(\d+))"[^>]*>([^<]+)</a>', rendered
    )
    cited = {int(number): (html.unescape(text), path) for path, number, text in found}
    for item in (items["for"], items["amendment"], *campaign):
        assert f"[[{item.tracking_number}]]" in markdown
        text, path = cited[item.id]
        # The link says what the contribution is: its title or opening words, then its number.
        opening = " ".join((item.title or item.body).split()[:3])
        assert text.startswith(opening) and text.endswith(f" ({item.tracking_number})")
        assert path == f"/consultations/{consultation.slug}/contributions/{item.id}"
    # Every link leads to the page of that contribution.
    for _text, path in list(cited.values())[:5]:
        assert client.get(path).status_code == 200
    assert "## La participation" in markdown and "## Les campagnes" in markdown
    assert "/synthese/methode" in markdown


def test_the_working_notes_are_kept_apart_from_the_text(db, participated, organiser):
    consultation, *_rest = participated
    _run(db, organiser, consultation)
    synthesis = db.session.get(Synthesis, consultation.id)
    assert "Ce que ce brouillon ne dit pas" not in synthesis.draft_markdown
    assert "Ce que ce brouillon ne dit pas" not in synthesis.body
    notes = synthesis.draft_data["notes"]
    assert [note["title"] for note in notes] == ["Ce que ce brouillon ne dit pas"]
    assert "pas l'ensemble de la population" in notes[0]["markdown"]


def test_a_new_draft_takes_the_notes_out_of_a_text_nobody_edited(db, participated, organiser):
    consultation, *_rest = participated
    old_draft = "Début.\n\n## Ce que ce brouillon ne dit pas\n\nLimites.\n\n## Suite\n\nFin.\n"
    db.session.add(
        Synthesis(consultation_id=consultation.id, draft_markdown=old_draft, body=old_draft)
    )
    db.session.commit()
    _run(db, organiser, consultation)
    body = db.session.get(Synthesis, consultation.id).body
    assert body == "Début.\n\n## Suite\n\nFin.\n"


def test_a_new_draft_leaves_an_edited_text_as_its_author_wrote_it(db, participated, organiser):
    consultation, *_rest = participated
    old_draft = "Début.\n\n## Ce que ce brouillon ne dit pas\n\nLimites.\n"
    edited = old_draft + "\nAjouté par la rédaction.\n"
    db.session.add(
        Synthesis(consultation_id=consultation.id, draft_markdown=old_draft, body=edited)
    )
    db.session.commit()
    _run(db, organiser, consultation)
    assert db.session.get(Synthesis, consultation.id).body == edited


def test_a_failing_run_keeps_the_previous_draft_and_can_be_run_again(
    db, client, participated, organiser, login_as, monkeypatch
):
    consultation, *_rest = participated
    _run(db, organiser, consultation)
    before = db.session.get(Synthesis, consultation.id).draft_markdown

    def broken(*_args, **_kwargs):
        raise RuntimeError("analysis broke")

    monkeypatch.setattr("consultation.synthesis.analysis.themes.find_themes", broken)
    failed = _run(db, organiser, consultation)
    assert failed.status is JobStatus.failed
    assert (
        "Recherche des thèmes" in failed.error
        and "Le brouillon précédent est conservé" in failed.error
    )
    assert db.session.get(Synthesis, consultation.id).draft_markdown == before

    login_as(organiser)
    page = client.get(f"/gestion/consultations/{consultation.slug}/synthese/brouillon")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "La dernière rédaction a échoué" in html and "Recherche des thèmes" in html
    assert "Relancer" in html

    monkeypatch.undo()
    again = client.post(f"/gestion/consultations/{consultation.slug}/synthese/brouillon")
    assert again.status_code == 302
    latest = jobs.latest_job(consultation)
    assert latest.id != failed.id and latest.status is JobStatus.done


# --- Pages ---------------------------------------------------------------------------------------


def test_the_draft_page_shows_progress_then_the_result(
    db, client, participated, organiser, login_as
):
    consultation, items, *_rest = participated
    login_as(organiser)
    url = f"/gestion/consultations/{consultation.slug}/synthese/brouillon"
    empty = client.get(url).get_data(as_text=True)
    assert "Aucun brouillon" in empty and "Rédiger le brouillon" in empty
    assert 'http-equiv="refresh"' not in empty

    job = jobs.start_draft(organiser, consultation)
    job.status, job.progress, job.step = JobStatus.running, 42, "Recherche des campagnes"
    db.session.commit()
    running = client.get(url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in running and 'aria-live="polite"' in running
    assert "Recherche des campagnes" in running and "42 %" in running
    assert "Rédiger le brouillon" not in running  # no second start while one runs

    job.status = JobStatus.failed
    db.session.commit()
    started = client.post(url)
    assert started.status_code == 302
    done = client.get(url).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in done
    assert "<h2>La participation</h2>" in done  # the Markdown, rendered
    assert f'href="/consultations/{consultation.slug}/contributions/{items["for"].id}"' in done
    assert "<svg" in done and "Rédiger à nouveau le brouillon" in done

    # The consultation's back-office page links to it.
    manage = client.get(f"/gestion/consultations/{consultation.slug}").get_data(as_text=True)
    assert f'href="{url}"' in manage


def test_the_draft_page_before_closing_and_for_others(
    db, client, make_consultation, make_user, make_institution, login_as
):
    opened = make_consultation("open")
    url = f"/gestion/consultations/{opened.slug}/synthese/brouillon"
    login_as(make_user("moderator"))
    page = client.get(url)
    assert page.status_code == 200
    assert "une fois la consultation close" in page.get_data(as_text=True)
    refused = client.post(url)
    assert refused.status_code == 409
    assert "une fois la consultation close" in refused.get_data(as_text=True)
    login_as(make_user("organiser", institution=make_institution()))
    assert client.get(url).status_code == 403
    login_as(make_user())
    assert client.get(url).status_code == 403


def test_the_method_page_explains_each_part(client):
    page = client.get("/synthese/methode")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for anchor in ("campagnes", "themes", "groupes", "controverse", "limites"):
        assert f'id="{anchor}"' in html
    assert "Wilson" in html and "silhouette" in html and "7 avis" in html


# --- API -----------------------------------------------------------------------------------------


def test_the_api_starts_a_draft_and_shows_it_to_staff_only(
    db, client, participated, organiser, make_user, make_institution, bearer
):
    consultation, *_rest = participated
    base = f"/api/v1/consultations/{consultation.slug}/synthesis"
    staff = bearer(organiser)
    started = client.post(f"{base}/draft", headers=staff)
    assert started.status_code == 202
    assert started.json["job"]["status"] == "done"  # run inline in tests

    document = client.get(base, headers=staff).json
    assert (document["status"], document["progress"], document["error"]) == ("done", 100, None)
    assert document["draft"]["markdown"].startswith("*Brouillon calculé")
    data = document["draft"]["data"]
    assert set(data) >= {"figures", "articles", "campaigns", "themes", "opinion_groups", "method"}
    assert data["campaigns"][0]["count"] == 4
    assert document["body"] == document["draft"]["markdown"]
    assert document["versions"] == [] and document["draft"]["generated_at"]

    for headers in (
        {},
        bearer(make_user()),
        bearer(make_user("organiser", institution=make_institution())),
    ):
        public = client.get(base, headers=headers)
        assert public.status_code == 200
        assert "draft" not in public.json and "body" not in public.json
        assert public.json["versions"] == [] and public.json["published"] is False

    refused = client.post(f"{base}/draft", headers=bearer(make_user()))
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert client.post(f"{base}/draft").status_code == 401


def test_the_api_refuses_a_draft_before_closing(db, client, opened, organiser, bearer):
    response = client.post(
        f"/api/v1/consultations/{opened.slug}/synthesis/draft", headers=bearer(organiser)
    )
    assert response.status_code == 409
    assert response.json["error"]["code"] == "invalid_state"


# --- Charts --------------------------------------------------------------------------------------


def _drawn(app, chart) -> str:
    """The chart as pages show it: written out by the template macro."""
    with app.test_request_context():
        return render_template_string(
            '{% from "synthesis/_svg.html" import svg_chart %}{{ svg_chart(chart) }}', chart=chart
        )


def test_charts_are_named_described_and_followed_by_their_table(
    app, db, client, participated, organiser, login_as
):
    consultation, *_rest = participated
    _run(db, organiser, consultation)
    data = db.session.get(Synthesis, consultation.id).draft_data
    drawn = charts.draft_charts(data)
    assert {c.id for c in drawn} >= {"chart-kinds", "chart-articles", "chart-days-votes"}
    for chart in drawn:
        svg = _drawn(app, chart)
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert f'aria-labelledby="{chart.id}-title {chart.id}-desc"' in svg
        assert f'<title id="{chart.id}-title">' in svg and f'<desc id="{chart.id}-desc">' in svg
        assert chart.table.rows
    kinds = next(c for c in drawn if c.id == "chart-kinds")
    assert ("Argument", ["2", "18\u00a0%"]) in kinds.table.rows

    login_as(organiser)
    html = client.get(f"/gestion/consultations/{consultation.slug}/synthese/brouillon").get_data(
        as_text=True
    )
    for chart in drawn:
        after = html.split(f'<title id="{chart.id}-title">', 1)[1]
        table = after.split("</figure>", 1)[0]
        assert "<table>" in table and f"<caption>{chart.title}" in table


def _data_block_text(page: str) -> str:
    """The public page's data block as read: its text without tags, and without what is marked
    French (`lang="fr"`: titles of contributions, the administration's words)."""
    block = page.split('<div class="synthesis-data', 1)[1]
    block = re.sub(r'<(\w+)[^>]*\blang="fr"[^>]*>.*?</\1>', " ", block, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())


def test_the_published_charts_read_in_the_readers_language(
    db, client, participated, organiser, make_user
):
    consultation, items, *_rest = participated
    # A vote a week after the others: the days between are drawn, and left out of the table.
    late = consultation.opens_at + timedelta(days=9)
    participation.cast_contribution_vote(make_user(), items["for"], "agree", now=late)
    db.session.commit()
    _run(db, organiser, consultation)
    publishing.save_synthesis(organiser, consultation, body="## Synthèse\n\nLe public a répondu.")
    follow_ups.create_follow_up(organiser, consultation, title="Un décret d'application")
    publishing.publish_synthesis(organiser, consultation, "")
    db.session.commit()
    path = f"/consultations/{consultation.slug}/synthese"

    french = _data_block_text(client.get(path).get_data(as_text=True))
    for words in (
        "Contributions par type",
        "Barres horizontales : nombre de contributions de chaque type. Argument : 2",
        "Avis sur chaque article",
        "Pas d'accord",
        "Contributions déposées par jour",
        "Votes par jour",
        "Jour Votes",
        "Jours sans activité omis du tableau (",
        "Type Contributions Part",
        "100 %",  # a no-break space, read as a space
    ):
        assert words in french, words

    client.get(f"/langue/en?suivant={path}")
    page = client.get(path).get_data(as_text=True)
    assert '<html lang="en"' in page
    english = _data_block_text(page)
    for words in (
        "Contributions by type",
        "Horizontal bars: number of contributions of each type. Argument: 2",
        "Participants by type",
        "Opinions on each article",
        "Agree Mixed Disagree",
        "Stacked bars: for each article",
        "Contributions submitted per day",
        "Votes per day",
        "Day Votes",
        "Type Contributions Share",
        "Article Agree Mixed Disagree Total",
        "Days without activity left out of the table (",
        "100%",
    ):
        assert words in english, words
    day_one = consultation.opens_at + timedelta(days=1, hours=2)
    assert f"{day_one.day} {day_one:%b} {day_one.year}" in english  # « 5 Dec 2026 »
    for words in ("Barres horizontales", "par jour", "Pas d'accord", "Jours sans", "aucun vote"):
        assert words not in english, words
    assert not re.search(r"\d %", english)


def test_chart_text_is_escaped(app):
    chart = charts.bar_chart("chart-x", "Titre <b>", "Desc & co", [("<script>", 3)], "Type", "N")
    svg = _drawn(app, chart)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "Titre &lt;b&gt;" in svg


def test_the_worker_command_needs_redis(app, runner):
    app.config["REDIS_URL"] = None
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0
    assert "REDIS_URL n'est pas défini" in result.output

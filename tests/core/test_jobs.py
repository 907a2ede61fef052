"""Background jobs leave after the commit that asked for them; messages to many people are jobs;
a contribution whose transaction rolls back sends no receipt."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.core import jobs
from consultation.participation import services as participation
from consultation.participation.models import Contribution
from consultation.synthesis import follow_ups, publishing

RAN: list = []


def record(*args) -> None:
    """A job for these tests."""
    RAN.append(args)


@pytest.fixture(autouse=True)
def _empty():
    RAN.clear()
    yield
    RAN.clear()


@pytest.fixture
def fake_rq(app, monkeypatch):
    """REDIS_URL set, jobs not inline; what would have gone on RQ is recorded instead."""
    queued = []

    class Queue:
        def __init__(self, name, connection):
            self.name = name

        def enqueue(self, function, *args, **kwargs):
            queued.append((self.name, function, args))

    monkeypatch.setattr("rq.Queue", Queue)
    app.config.update(JOBS_INLINE=False, REDIS_URL="redis://127.0.0.1:1/0")
    return queued


def test_a_job_runs_only_when_its_transaction_commits(db, make_user):
    user = make_user()
    db.session.commit()
    user.display_name = "Changé"  # a transaction is open
    jobs.enqueue_after_commit("tests.core.test_jobs:record", 1)
    assert RAN == []
    db.session.rollback()
    assert RAN == []
    user.display_name = "Changé"
    jobs.enqueue_after_commit("tests.core.test_jobs:record", 2)
    assert RAN == []
    db.session.commit()
    assert RAN == [(2,)]


def test_a_savepoint_neither_hands_out_nor_drops_the_jobs_of_its_transaction(db, make_user):
    """Releasing or rolling back a savepoint (`begin_nested`, as `create_user` does) is not the
    end of the transaction: its jobs wait for the real commit, and are not lost with it."""
    user = make_user()
    db.session.commit()
    user.display_name = "Changé"
    jobs.enqueue_after_commit("tests.core.test_jobs:record", 1)
    with db.session.begin_nested():
        db.session.add(user)
    assert RAN == []
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    assert RAN == []
    db.session.commit()
    assert RAN == [(1,)]


def test_without_a_transaction_a_job_leaves_at_once(db):
    db.session.commit()
    jobs.enqueue_after_commit("tests.core.test_jobs:record", "a", 3)
    assert RAN == [("a", 3)]


def test_a_wrong_job_path_fails_in_the_caller(db):
    with pytest.raises(ValueError, match="no job function"):
        jobs.enqueue_after_commit("tests.core.test_jobs:nothing_here")


def test_with_redis_a_committed_job_goes_on_the_default_queue(db, make_user, fake_rq):
    user = make_user()
    db.session.commit()
    user.display_name = "Changé"
    jobs.enqueue_after_commit("tests.core.test_jobs:record", 7)
    db.session.rollback()
    assert fake_rq == []
    user.display_name = "Changé"
    jobs.enqueue_after_commit("tests.core.test_jobs:record", 8)
    db.session.commit()
    assert fake_rq == [("default", jobs.run_job, ("tests.core.test_jobs:record", 8))]
    jobs.run_job(*fake_rq[0][2])  # what the worker does
    assert RAN == [(8,)]


def test_without_redis_a_job_runs_on_a_background_thread(app, db):
    app.config["JOBS_INLINE"] = False
    future = jobs.run_later("tests.core.test_jobs:record", 9)
    assert future is not None
    future.result(timeout=30)
    assert RAN == [(9,)]


# --- Receipts -----------------------------------------------------------------------------------


def test_a_rolled_back_contribution_sends_no_receipt(db, make_consultation, make_user, outbox):
    consultation = make_consultation("open")
    author = make_user()
    participation.submit_contribution(author, consultation, kind="comment", body="Annulé.")
    db.session.rollback()
    assert outbox() == []
    participation.submit_contribution(author, consultation, kind="comment", body="Gardé.")
    db.session.commit()
    assert [to for to, _subject, _body in outbox()] == [author.email]


def test_a_request_failing_after_the_contribution_sends_no_receipt(
    app, client, db, login_as, make_consultation, make_user, outbox, monkeypatch
):
    from consultation.participation import views

    consultation = make_consultation("open")
    author = make_user()
    login_as(author)
    real = views.services.submit_contribution

    def submit_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("failure after the service call")

    monkeypatch.setattr(views.services, "submit_contribution", submit_then_fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post(
        f"/consultations/{consultation.slug}/articles/1/contributions",
        data={"kind": "comment", "body": "Un avis qui ne sera pas enregistré."},
    )
    assert response.status_code == 500, response.get_data(as_text=True)[:2000]
    db.session.rollback()
    assert outbox() == []
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Contribution)) == 0


# --- Messages to many people --------------------------------------------------------------------


@pytest.fixture
def published(db, make_consultation, organiser, make_user):
    """A closed consultation whose synthesis is public, followed by three participants."""
    consultation = make_consultation("closed")
    followers = [make_user(display_name=f"Suiveur {n}") for n in range(3)]
    for person in followers:
        follow_ups.follow(person, consultation)
    emails = sorted(person.email for person in followers)
    publishing.save_synthesis(organiser, consultation, body="La synthèse.")
    item = follow_ups.create_follow_up(organiser, consultation, title="Première suite")
    publishing.publish_synthesis(organiser, consultation, "")
    db.session.commit()
    return consultation, item, emails


def _notices(outbox):
    return sorted(to for to, subject, _body in outbox() if "Suite" in subject)


def test_follow_up_notices_are_one_job_after_the_commit(db, published, organiser, outbox, fake_rq):
    consultation, item, followers = published
    follow_ups.update_follow_up(organiser, item, {"status": "in_progress"})
    assert fake_rq == []
    db.session.rollback()
    assert fake_rq == []  # rolled back: no job
    event = follow_ups.update_follow_up(organiser, item, {"status": "in_progress"})
    ids = (consultation.id, item.id, event.id)
    db.session.commit()
    assert fake_rq == [
        ("default", jobs.run_job, ("consultation.synthesis.follow_ups:send_notices", *ids))
    ]
    assert _notices(outbox) == []  # nothing sent by the request itself
    jobs.run_job(*fake_rq[0][2])
    assert _notices(outbox) == followers


def test_follow_up_notices_run_inline_in_tests(db, published, organiser, outbox):
    _consultation, item, followers = published
    follow_ups.update_follow_up(organiser, item, {"status": "done"}, note="Fait.")
    db.session.rollback()
    assert _notices(outbox) == []
    follow_ups.update_follow_up(organiser, item, {"status": "done"}, note="Fait.")
    db.session.commit()
    assert _notices(outbox) == followers


def test_one_failing_recipient_does_not_stop_the_others(
    app, db, published, organiser, outbox, monkeypatch, caplog
):
    from consultation.core import mail

    _consultation, item, followers = published
    deliver = mail.deliver_mail

    def refuse_the_first(message):
        if message["To"] == followers[0]:
            raise OSError("mailbox unavailable")
        deliver(message)

    monkeypatch.setattr(mail, "deliver_mail", refuse_the_first)
    follow_ups.update_follow_up(organiser, item, {"status": "done"})
    db.session.commit()
    assert _notices(outbox) == followers[1:]
    assert "mail to one recipient not sent" in caplog.text


def _local_redis(url: str):
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    redis = Redis.from_url(url)
    try:
        redis.ping()
    except RedisDown:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return redis


def test_a_real_rq_worker_sends_the_follow_up_notices(app, db, published, organiser, outbox):
    """End to end on the local Redis (a database of its own, emptied): the request's commit
    enqueues one job, a burst worker of the "default" queue sends the messages."""
    from rq import Queue, SimpleWorker

    url = "redis://127.0.0.1:6379/13"
    redis = _local_redis(url)
    redis.flushdb()
    app.config.update(JOBS_INLINE=False, REDIS_URL=url)
    _consultation, item, followers = published
    try:
        follow_ups.update_follow_up(
            organiser, item, {"due_date": (item.created_at + timedelta(days=30)).date()}
        )
        db.session.commit()
        queue = Queue(jobs.DEFAULT_QUEUE, connection=redis)
        assert queue.count == 1
        assert _notices(outbox) == []
        db.session.close()
        assert SimpleWorker([queue], connection=redis).work(burst=True)
        assert queue.count == 0
    finally:
        redis.flushdb()
    assert _notices(outbox) == followers

"""Contributions: the five kinds, receipts, edits with history, withdrawal, votes, listing."""

import re
from datetime import timedelta

import pytest

from consultation.accounts import services as accounts
from consultation.core.errors import (
    ConsultationNotOpen,
    InvalidCursor,
    NotAllowed,
    ValidationFailed,
)
from consultation.participation import services, tallies
from consultation.participation.models import ContributionKind, Position
from tests.helpers import count_queries


def _submit(user, consultation, **values):
    values.setdefault("kind", "comment")
    values.setdefault("body", "Un commentaire réfléchi.")
    return services.submit_contribution(user, consultation, **values)


def test_each_kind_with_its_fields(db, opened, make_user):
    user, article = make_user(), opened.current_version.articles[0]
    argument = _submit(
        user, opened, kind="argument", position="against", article_id=article.id, body="Trop large."
    )
    amendment = _submit(
        user,
        opened,
        kind="amendment",
        article_id=article.id,
        paragraph=2,
        body="Plus précis.",
        proposed_text="Elle s'applique aux administrations centrales.",
    )
    new_article = _submit(
        user,
        opened,
        kind="new_article",
        article_id=article.id,
        body="Un manque.",
        proposed_text="Article 1er bis\nTexte.",
    )
    source = _submit(
        user,
        opened,
        kind="source",
        title="Rapport",
        url="https://example.org/rapport.pdf",
        body="Un rapport utile.",
    )
    comment = _submit(user, opened, body="Sur le texte entier.")
    db.session.commit()
    assert argument.position is Position.against and amendment.paragraph == 2
    assert (new_article.kind, source.url, comment.article_id) == (
        ContributionKind.new_article,
        "https://example.org/rapport.pdf",
        None,
    )
    assert (
        len({c.tracking_number for c in (argument, amendment, new_article, source, comment)}) == 5
    )


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kind": "poème"}, "kind"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"kind": "argument", "position": "peut-être", "article": True}, "position"),
        ({"kind": "amendment", "article": True}, "proposed_text"),
        ({"kind": "source", "title": "Lien", "url": "javascript:alert(1)"}, "url"),
        ({"kind": "source", "title": "Lien", "url": "ftp://example.org"}, "url"),
        ({"kind": "comment", "article": True, "paragraph": 99}, "paragraph"),
        ({"kind": "comment", "article_id": 999_999}, "article_id"),
        ({"kind": "comment", "parent_id": 999_999}, "parent_id"),
    ],
)
def test_bad_contributions_are_refused_field_by_field(db, opened, make_user, values, field):
    if values.pop("article", False):
        values["article_id"] = opened.current_version.articles[0].id
    with pytest.raises(ValidationFailed) as refused:
        _submit(make_user(), opened, **values)
    assert field in refused.value.fields


def test_article_and_parent_must_belong_to_the_consultation(
    db, opened, make_consultation, make_user
):
    other = make_consultation("open", title="Autre")
    user = make_user()
    foreign = _submit(user, other)
    with pytest.raises(ValidationFailed) as refused:
        _submit(user, opened, article_id=other.current_version.articles[0].id, parent_id=foreign.id)
    assert {"article_id", "parent_id"} <= set(refused.value.fields)


def test_replies_are_one_level_deep(db, opened, make_user):
    user = make_user()
    comment = _submit(user, opened)
    reply = _submit(user, opened, parent_id=comment.id, body="Je réponds.")
    with pytest.raises(ValidationFailed) as refused:
        _submit(user, opened, parent_id=reply.id, body="Réponse à la réponse.")
    assert "répondez à la contribution d'origine" in refused.value.fields["parent_id"]


def test_receipt_is_emailed_and_findable(db, opened, make_user, outbox):
    user = make_user()
    contribution = _submit(user, opened)
    db.session.commit()
    to, subject, body = outbox()[-1]
    assert (
        to == user.email
        and contribution.tracking_number in subject
        and contribution.tracking_number in body
    )
    sloppy = contribution.tracking_number.lower().replace("-", " - ")
    assert services.find_by_tracking_number(sloppy) == contribution


def test_nothing_is_written_outside_the_open_period(db, make_consultation, make_user):
    consultation = make_consultation("open")
    user = make_user()
    _submit(user, consultation, now=consultation.closes_at - timedelta(milliseconds=1))
    with pytest.raises(ConsultationNotOpen):
        _submit(user, consultation, now=consultation.closes_at)
    with pytest.raises(NotAllowed):
        _submit(make_user(verified=False), consultation)


def test_author_edits_with_history_and_withdraws(db, opened, make_user):
    author, other = make_user(), make_user()
    contribution = _submit(author, opened, body="Première version.")
    with pytest.raises(NotAllowed):
        services.edit_contribution(other, contribution, {"body": "Piratée."})
    services.edit_contribution(
        author, contribution, {"body": "Deuxième version.", "kind": "source", "author_id": other.id}
    )
    db.session.commit()
    assert (contribution.body, contribution.kind, contribution.author_id) == (
        "Deuxième version.",
        ContributionKind.comment,
        author.id,
    )
    assert [r.body for r in contribution.revisions] == [
        "Première version."
    ] and contribution.edited_at
    with pytest.raises(ValidationFailed) as unchanged:
        services.edit_contribution(author, contribution, {"body": "Deuxième version. "})
    assert unchanged.value.fields == {"body": "Vous n'avez rien modifié."}
    assert len(contribution.revisions) == 1
    services.withdraw_contribution(author, contribution)
    assert contribution.is_withdrawn
    with pytest.raises(NotAllowed):
        services.edit_contribution(author, contribution, {"body": "Trop tard."})


def test_one_vote_per_participant_and_contribution(db, opened, make_user):
    contribution = _submit(make_user(), opened)
    voter = make_user()
    services.cast_contribution_vote(voter, contribution, "agree")
    services.cast_contribution_vote(voter, contribution, "disagree")
    services.cast_contribution_vote(make_user(), contribution, "disagree")
    db.session.commit()
    assert contribution.vote_counts == {
        "agree": 0,
        "mixed": 0,
        "disagree": 2,
    }


@pytest.mark.parametrize("sort", ["recent", "random", "popular", "controversial"])
def test_keyset_pages_cover_everything_once(db, opened, make_user, sort):
    user = make_user()
    made = {_submit(user, opened, body=f"Contribution {n}").id for n in range(45)}
    seen, cursor, pages = [], None, 0
    while True:
        items, cursor = services.list_contributions(
            opened, sort=sort, cursor=cursor, seed=42, limit=20
        )
        seen += [c.id for c in items]
        pages += 1
        if cursor is None:
            break
    assert pages == 3 and len(seen) == 45 and set(seen) == made
    if sort in ("recent",):
        assert seen == sorted(made, reverse=True)
    again, _ = services.list_contributions(opened, sort=sort, seed=42, limit=20)
    assert [c.id for c in again] == seen[:20]


def test_bad_listing_parameters_are_refused(db, opened):
    for kwargs in ({"sort": "au hasard"}, {"kind": "poème"}):
        with pytest.raises(ValidationFailed):
            services.list_contributions(opened, **kwargs)
    with pytest.raises(InvalidCursor) as refused:
        services.list_contributions(opened, cursor="%%%")
    assert "cursor" in refused.value.fields


def test_api_contribution_lifecycle(client, db, opened, make_user, bearer):
    author = make_user()
    headers = bearer(author)
    article = opened.current_version.articles[0]
    url = f"/api/v1/consultations/{opened.slug}/contributions"
    created = client.post(
        url,
        json={
            "kind": "argument",
            "position": "for",
            "article_id": article.id,
            "body": "Bonne idée.",
            "author_id": 999,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert (
        body["tracking_number"].startswith("C-")
        and body["author"]["display_name"] == author.display_name
    )
    counted = client.get(f"/api/v1/consultations/{opened.slug}").json["articles"]
    assert [a["contributions_count"] for a in counted] == [1, 0, 0]
    listed = client.get(url + "?sort=recent").json
    assert [c["id"] for c in listed["contributions"]] == [body["id"]] and listed[
        "next_cursor"
    ] is None
    edited = client.patch(
        f"/api/v1/contributions/{body['id']}", json={"body": "Très bonne idée."}, headers=headers
    )
    assert edited.status_code == 200 and edited.json["edited_at"] is not None
    voter = bearer(make_user())
    voted = client.post(
        f"/api/v1/contributions/{body['id']}/vote", json={"value": "agree"}, headers=voter
    )
    assert voted.status_code == 200 and voted.json["votes"]["agree"] == 1
    withdrawn = client.delete(f"/api/v1/contributions/{body['id']}", headers=headers)
    assert (
        withdrawn.status_code == 200
        and withdrawn.json["body"] is None
        and withdrawn.json["withdrawn_at"]
    )
    assert client.get(f"/api/v1/contributions/{body['id']}").json["body"] is None


def test_api_contribution_errors(client, db, make_consultation, make_user, bearer):
    headers = bearer(make_user())
    closed = make_consultation("closed", title="Close")
    refused = client.post(
        f"/api/v1/consultations/{closed.slug}/contributions",
        json={"kind": "comment", "body": "x"},
        headers=headers,
    )
    assert refused.status_code == 409 and refused.json["error"]["code"] == "consultation_not_open"
    opened = make_consultation("open", title="Ouverte")
    bad = client.post(
        f"/api/v1/consultations/{opened.slug}/contributions",
        json={"kind": "source", "body": "x", "url": "javascript:x"},
        headers=headers,
    )
    assert bad.status_code == 422 and {"url", "title"} <= set(bad.json["error"]["fields"])
    assert (
        client.get(f"/api/v1/consultations/{opened.slug}/contributions?cursor=@@").status_code
        == 400
    )
    assert (
        client.get(f"/api/v1/consultations/{opened.slug}/contributions?article=abc").status_code
        == 422
    )
    assert (
        client.post(
            f"/api/v1/consultations/{opened.slug}/contributions",
            json={"kind": "comment", "body": "x"},
        ).status_code
        == 401
    )


def test_contribution_pages_and_tracking(client, db, opened, make_user):
    user = make_user()
    accounts.update_profile(
        user,
        display_name="Vélo Cité",
        profile_type="organisation",
        organisation_category="association",
        organisation_name="Vélo Cité",
        hatvp_number="H123456789",
    )
    contribution = _submit(user, opened, body="Un <script>alert(1)</script> avis.")
    db.session.commit()
    page = client.get(f"/consultations/{opened.slug}/contributions").get_data(as_text=True)
    assert "Un &lt;script&gt;alert(1)&lt;/script&gt; avis." in page and "<script>alert" not in page
    # The name is what its author wrote, marked so (data-user-content); its category is a label.
    assert "<span data-user-content>Vélo Cité</span> (Association ou ONG), HATVP H123456789" in page
    found = client.get(f"/suivi?numero={contribution.tracking_number}")
    assert found.status_code == 302 and found.headers["Location"].endswith(
        f"/contributions/{contribution.id}"
    )
    assert client.get("/suivi?numero=C-AAAA-BBBB-CCCC").status_code == 404
    assert client.get(f"/consultations/{opened.slug}/contributions?suite=@@").status_code == 400


def test_the_receipts_links_open_the_contribution(client, db, opened, make_user, outbox):
    """The receipt e-mail links straight to the contribution's page, and its tracking link
    (the `numero` the tracking page reads) leads there too."""
    contribution = _submit(make_user(), opened, body="Mon avis reçu par courriel.")
    db.session.commit()
    _to, _subject, body = outbox()[-1]
    links = re.findall(r"http://localhost(/\S+)", body)
    page = f"/consultations/{opened.slug}/contributions/{contribution.id}"
    assert page in links
    tracking = next(link for link in links if link.startswith("/suivi"))
    assert f"numero={contribution.tracking_number}" in tracking
    for link in links:
        if link.startswith(("/suivi", "/consultations/")):
            landed = client.get(link, follow_redirects=True)
            assert landed.status_code == 200 and landed.request.path == page
            assert "Mon avis reçu par courriel." in landed.get_data(as_text=True)


def test_a_tracking_link_with_the_older_parameter_still_works(client, db, opened, make_user):
    contribution = _submit(make_user(), opened)
    db.session.commit()
    found = client.get(f"/suivi?number={contribution.tracking_number}")
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/contributions/{contribution.id}")


def test_contribution_form_on_the_article_page(client, db, login_as, opened, make_user, outbox):
    login_as(make_user())
    url = f"/consultations/{opened.slug}/articles/1"
    assert 'name="body"' in client.get(url).get_data(as_text=True)
    refused = client.post(
        url + "/contributions", data={"kind": "argument", "body": "Mon argument tapé avec soin."}
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert (
        "Indiquez si l&#39;argument est pour ou contre" in page
        and "Mon argument tapé avec soin." in page
    )
    sent = client.post(
        url + "/contributions",
        data={
            "kind": "amendment",
            "paragraph": "2",
            "body": "Plus clair.",
            "proposed_text": "Nouvelle rédaction.",
        },
    )
    assert sent.status_code == 302
    shown = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert (
        "Votre contribution est enregistrée sous le numéro C-" in shown
        and "Nouvelle rédaction." in shown
    )
    assert "alinéa 2" in client.get(url).get_data(as_text=True)


def test_contribution_after_closing_keeps_the_text(
    client, db, login_as, make_consultation, make_user
):
    closed = make_consultation("closed")
    login_as(make_user())
    response = client.post(
        f"/consultations/{closed.slug}/articles/1/contributions",
        data={"kind": "comment", "body": "Texte précieux."},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "n&#39;est pas ouverte" in page and "Texte précieux." in page


def test_my_contributions_and_votes_page(client, db, login_as, opened, make_user):
    user = login_as(make_user())
    other = make_user()
    mine = _submit(user, opened, body="Le mien.")
    _submit(other, opened, body="Pas le mien.")
    services.cast_article_vote(user, opened.current_version.articles[2], "mixed")
    db.session.commit()
    page = client.get("/compte/participation").get_data(as_text=True)
    assert mine.tracking_number in page and "Pas le mien" not in page
    assert "Article 3</a> : <strong>Mitigé</strong>" in page
    client.post("/deconnexion")
    assert client.get("/compte/participation").status_code == 302


def test_organiser_records_an_offline_observation_that_counts(
    client, db, login_as, organiser, make_user, make_consultation
):
    consultation = make_consultation("open")
    received = consultation.opens_at + timedelta(hours=5)
    with pytest.raises(NotAllowed):
        services.record_offline_observation(
            make_user(),
            consultation,
            channel="letter",
            author_name="X",
            body="Y",
            received_at=received,
        )
    with pytest.raises(ValidationFailed) as refused:
        services.record_offline_observation(
            organiser,
            consultation,
            channel="pigeon",
            author_name="X",
            body="",
            received_at=consultation.closes_at,
        )
    assert {"channel", "received_at", "body"} <= set(refused.value.fields)
    observation = services.record_offline_observation(
        organiser,
        consultation,
        channel="letter",
        author_name="Mme Martin",
        body="Je suis favorable.",
        received_at=received,
    )
    db.session.commit()
    assert observation.is_offline and observation.created_at == received
    listed, _ = services.list_contributions(consultation, sort="recent")
    assert observation in listed
    page = client.get(f"/consultations/{consultation.slug}/contributions").get_data(as_text=True)
    assert "<span data-user-content>Mme Martin</span> — observation reçue par courrier" in page
    api = client.get(f"/api/v1/contributions/{observation.id}").json
    assert api["author"] == {"display_name": "Mme Martin", "type": "offline", "channel": "letter"}


def test_offline_observation_form(client, db, login_as, organiser, make_user, make_consultation):
    from consultation.core import clock

    consultation = make_consultation("open")
    url = f"/gestion/consultations/{consultation.slug}/observations"
    login_as(make_user())
    assert client.get(url).status_code == 403
    login_as(organiser)
    received = clock.to_paris(consultation.opens_at + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(url, data={"channel": "letter", "received_at": received, "body": ""})
    assert bad.status_code == 422 and "Saisissez le texte de l&#39;observation." in bad.get_data(
        as_text=True
    )
    ok = client.post(
        url,
        data={
            "channel": "register",
            "author_name": "M. Dupont",
            "received_at": received,
            "body": "Avis consigné.",
        },
    )
    assert ok.status_code == 302
    assert (
        "<span data-user-content>M. Dupont</span> — observation reçue par registre"
        in client.get(f"/consultations/{consultation.slug}/contributions").get_data(as_text=True)
    )


def test_popular_and_controversial_orderings(db, opened, make_user):
    author = make_user()
    voters = [make_user() for _ in range(6)]
    loved, split, ignored, liked = (_submit(author, opened, body=f"C{n}") for n in range(4))
    for voter in voters:
        services.cast_contribution_vote(voter, loved, "agree")
    for voter, value in zip(
        voters, ["agree", "agree", "agree", "disagree", "disagree", "disagree"], strict=True
    ):
        services.cast_contribution_vote(voter, split, value)
    services.cast_contribution_vote(voters[0], liked, "agree")
    services.cast_contribution_vote(voters[1], liked, "mixed")
    db.session.commit()
    popular, _ = services.list_contributions(opened, sort="popular")
    assert [c.id for c in popular] == [loved.id, liked.id, split.id, ignored.id]
    controversial, _ = services.list_contributions(opened, sort="controversial")
    assert controversial[0] == split
    assert (
        tallies.wilson_lower_bound(6, 0, 0)
        > tallies.wilson_lower_bound(1, 1, 0)
        > tallies.wilson_lower_bound(3, 0, 3)
    )
    first, cursor = services.list_contributions(opened, sort="popular", limit=2)
    second, _ = services.list_contributions(opened, sort="popular", limit=2, cursor=cursor)
    assert [c.id for c in first + second] == [c.id for c in popular]


def test_filters_by_position_and_author_type(db, opened, organiser, make_user):
    article = opened.current_version.articles[0]
    person, group = make_user(), make_user()
    from consultation.accounts import services as accounts_services

    accounts_services.update_profile(
        group,
        display_name="Collectif",
        profile_type="organisation",
        organisation_category="association",
        organisation_name="Collectif",
    )
    pro = _submit(
        person, opened, kind="argument", position="for", article_id=article.id, body="Pour."
    )
    con = _submit(
        group, opened, kind="argument", position="against", article_id=article.id, body="Contre."
    )
    letter = services.record_offline_observation(
        organiser,
        opened,
        channel="letter",
        author_name="Mme X",
        body="Lettre.",
        received_at=opened.opens_at + timedelta(hours=1),
    )
    db.session.commit()
    ids = lambda **kw: {c.id for c in services.list_contributions(opened, sort="recent", **kw)[0]}  # noqa: E731
    assert ids(position="for") == {pro.id} and ids(position="against") == {con.id}
    assert ids(author_type="individual") == {pro.id}
    assert ids(author_type="organisation") == {con.id}
    assert ids(author_type="offline") == {letter.id}
    for bad in ({"position": "neutre"}, {"author_type": "robot"}):
        with pytest.raises(ValidationFailed):
            services.list_contributions(opened, **bad)


def test_amendment_is_shown_as_a_word_diff_of_its_paragraph(client, db, opened, make_user):
    import re

    article = opened.current_version.articles[0]
    amendment = _submit(
        make_user(),
        opened,
        kind="amendment",
        article_id=article.id,
        paragraph=2,
        body="Viser les collectivités.",
        proposed_text="Elle s'applique aux collectivités territoriales.",
    )
    db.session.commit()
    page = client.get(f"/consultations/{opened.slug}/contributions/{amendment.id}").get_data(
        as_text=True
    )
    removed = re.findall(r"<del>.*?</span>(.*?)<span", page)
    added = re.findall(r"<ins>.*?</span>(.*?)<span", page)
    assert removed == ["administrations de l&#39;État."]
    assert added == ["collectivités territoriales."]


def test_contribution_pages_queries_do_not_grow_with_the_contributions(
    client, db, make_consultation, make_user
):
    few, many = make_consultation("open", title="Peu"), make_consultation("open", title="Beaucoup")
    for consultation, count in ((few, 2), (many, 20)):
        article = consultation.current_version.articles[0]
        for n in range(count):
            _submit(
                make_user(),
                consultation,
                kind="amendment",
                article_id=article.id,
                paragraph=1,
                body=f"Amendement {n}",
                proposed_text=f"Nouvelle rédaction {n}.",
            )
    db.session.commit()
    for path in ("contributions?ordre=recent", "articles/1"):
        assert count_queries(client, db, f"/consultations/{few.slug}/{path}") == count_queries(
            client, db, f"/consultations/{many.slug}/{path}"
        ), path


def test_comment_on_the_whole_text_and_reply_one_level(client, db, login_as, opened, make_user):
    login_as(make_user())
    listing = f"/consultations/{opened.slug}/contributions"
    empty = client.post(listing, data={"body": ""})
    assert empty.status_code == 422 and "Écrivez votre commentaire." in empty.get_data(as_text=True)
    sent = client.post(listing, data={"body": "Sur l'ensemble du texte."})
    assert sent.status_code == 302
    page_url = sent.headers["Location"]
    answered = client.post(page_url + "/reponses", data={"body": "Je réponds."})
    assert answered.status_code == 302
    page = client.get(page_url).get_data(as_text=True)
    assert "Sur l&#39;ensemble du texte." in page and "Je réponds." in page
    from consultation.participation.models import Contribution

    reply = db.session.scalar(db.select(Contribution).where(Contribution.parent_id.is_not(None)))
    assert reply.body == "Je réponds."
    nested = client.post(
        f"/consultations/{opened.slug}/contributions/{reply.id}/reponses",
        data={"body": "Trop profond."},
    )
    assert (
        nested.status_code == 422
        and "répondez à la contribution d&#39;origine" in nested.get_data(as_text=True)
    )
    assert "Trop profond." in nested.get_data(as_text=True)

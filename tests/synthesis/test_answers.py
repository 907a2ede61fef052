"""Official answers: who may answer, what the public and the author see, the API."""

import pytest

from consultation.core.errors import InvalidState, NotAllowed, ValidationFailed
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import services
from consultation.synthesis.models import Answer, AnswerStatus


@pytest.fixture
def comment(opened, make_user, make_contribution):
    return make_contribution(
        opened, author=make_user(display_name="Autrice"), body="Précisez le délai."
    )


def test_an_organiser_answers_and_can_change_the_answer(db, comment, organiser, outbox):
    answer = services.answer_contribution(
        organiser, comment, "under_study", "Le délai sera précisé par décret."
    )
    db.session.commit()
    assert (answer.status, comment.answer.body) == (
        AnswerStatus.under_study,
        "Le délai sera précisé par décret.",
    )
    to, subject, body = outbox()[-1]
    assert to == comment.author.email
    assert subject == f"Réponse de l'administration à votre contribution {comment.tracking_number}"
    assert "Suite donnée : À l'étude" in body

    services.answer_contribution(organiser, comment, "retained", "Retenu : trente jours.")
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 1
    assert comment.answer.status is AnswerStatus.retained


def test_who_may_answer_and_what_is_refused(
    db, comment, make_user, make_institution, make_consultation, organiser
):
    for actor in (
        make_user(),
        make_user("moderator"),
        make_user("organiser", institution=make_institution()),
    ):
        with pytest.raises(NotAllowed):
            services.answer_contribution(actor, comment, "retained", "Oui.")
    with pytest.raises(ValidationFailed) as error:
        services.answer_contribution(organiser, comment, "maybe", "  ")
    assert set(error.value.fields) == {"status", "body"}
    moderation.hide_contribution(make_user("moderator"), comment, "spam")
    with pytest.raises(InvalidState):
        services.answer_contribution(organiser, comment, "retained", "Oui.")


def test_the_answer_is_public_on_the_contribution_and_in_the_api(
    db, client, opened, comment, organiser, bearer
):
    headers = bearer(organiser)
    missing = client.post(f"/api/v1/contributions/{comment.id}/answer", json={}, headers=headers)
    assert missing.status_code == 422
    assert set(missing.get_json()["error"]["fields"]) == {"status", "body"}
    answered = client.post(
        f"/api/v1/contributions/{comment.id}/answer",
        json={"status": "partially_retained", "body": "Retenu pour les communes."},
        headers=headers,
    )
    assert answered.status_code == 200
    assert answered.get_json()["answer"]["label"] == "Retenue en partie"

    page = client.get(f"/consultations/{opened.slug}/contributions/{comment.id}")
    text = page.get_data(as_text=True)
    assert "Réponse de l'administration" in text and "Retenu pour les communes." in text
    assert "Retenue en partie" in text
    data = client.get(f"/api/v1/contributions/{comment.id}").get_json()
    assert data["answer"]["status"] == "partially_retained"

    refused = client.post(
        f"/api/v1/contributions/{comment.id}/answer",
        json={"status": "retained", "body": "Je me réponds."},
        headers=bearer(comment.author),
    )
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "forbidden")


def test_organisers_answer_from_the_back_office(
    db, client, login_as, opened, comment, organiser, make_user, outbox
):
    popular = participation.submit_contribution(
        make_user(), opened, kind="comment", body="Très soutenue."
    )
    for _ in range(3):
        participation.cast_contribution_vote(make_user(), popular, "agree")
    db.session.commit()
    login_as(organiser)
    listing = client.get(f"/gestion/consultations/{opened.slug}/reponses?reponse=none")
    text = listing.get_data(as_text=True)
    assert listing.status_code == 200
    assert text.index(popular.tracking_number) < text.index(comment.tracking_number)
    wrong = client.get(f"/gestion/consultations/{opened.slug}/reponses?votes=x")
    assert wrong.status_code == 422 and "Nombre attendu." in wrong.get_data(as_text=True)
    assert popular.tracking_number in wrong.get_data(as_text=True)  # the unfiltered list

    url = f"/gestion/contributions/{popular.id}/reponse"
    form = client.get(url).get_data(as_text=True)
    assert "Très soutenue." in form and "Suite donnée" in form
    missing = client.post(url, data={"body": "Merci, nous y travaillons."})
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    assert "Choisissez la suite donnée." in page and "Merci, nous y travaillons." in page
    done = client.post(url, data={"status": "retained", "body": "Retenue dans le texte final."})
    assert done.status_code == 302
    after = client.get(f"/gestion/consultations/{opened.slug}/reponses?reponse=none")
    assert "Réponse publiée pour" in after.get_data(as_text=True)
    assert f">{popular.tracking_number}</a>" not in after.get_data(as_text=True)
    retained = client.get(f"/gestion/consultations/{opened.slug}/reponses?reponse=retained")
    assert f">{popular.tracking_number}</a>" in retained.get_data(as_text=True)

    login_as(make_user("moderator"))
    assert client.get(url).status_code == 403


def test_the_commitment_to_answer_the_most_supported_and_its_progress(
    db, client, make_consultation, make_user, organiser
):
    from tests.helpers import complete_notice

    consultation = make_consultation("open")
    consultation.notice.answers_committed = 2
    db.session.commit()
    items = [
        participation.submit_contribution(make_user(), consultation, kind="comment", body=f"T{n}")
        for n in range(3)
    ]
    for n, item in enumerate(items):
        for _ in range(n + 1):
            participation.cast_contribution_vote(make_user(), item, "agree")
    db.session.commit()
    # The two most supported are items[2] and items[1]; answering items[0] does not count.
    services.answer_contribution(organiser, items[0], "not_retained", "Non.")
    services.answer_contribution(organiser, items[2], "retained", "Oui.")
    db.session.commit()
    progress = services.commitment_progress(consultation)
    assert (progress.committed, progress.answered, progress.percent) == (2, 1, 50)
    page = client.get(f"/consultations/{consultation.slug}/contributions").get_data(as_text=True)
    assert "répondre aux 2 contributions les plus soutenues" in page
    assert "À ce jour, 1 sur 2 a reçu une réponse officielle (50 %)." in page
    show = client.get(f"/consultations/{consultation.slug}").get_data(as_text=True)
    assert "Les 2 contributions les plus soutenues recevront une réponse officielle." in show

    with pytest.raises(ValidationFailed) as error:
        from consultation.consultations import services as consultations

        consultations.create_consultation(
            organiser,
            consultation.institution,
            title="Autre",
            summary="",
            legal_basis="crpa_l131_1",
            opens_at=consultation.opens_at,
            closes_at=consultation.closes_at,
            text="Article 1\nTexte.",
            notice=complete_notice(consultation.closes_at) | {"answers_committed": 0},
        )
    assert "notice.answers_committed" in error.value.fields

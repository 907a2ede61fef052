"""Where each contribution stands — published, edited, withdrawn, hidden, answered, quoted or
counted in the published synthesis, retained in the adopted text — as one read model shown on
its card, on its page and in its author's "Mes contributions"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from consultation.accounts.models import Role
from consultation.core import clock
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.participation.models import ContributionState
from consultation.synthesis import queries
from consultation.synthesis import services as answers
from consultation.synthesis.models import AnswerStatus, ChangeLink, SynthesisVersion
from tests.helpers import count_queries


@pytest.fixture
def story(db, make_consultation, make_user, organiser):
    """Alice's contributions on an open consultation: one answered, quoted in the published
    synthesis and retained in the adopted text; one edited and counted in a campaign; one
    withdrawn; one hidden and answered. The synthesis (version 2) is published after closing."""
    consultation = make_consultation("open")
    articles = {a.slug: a for a in consultation.current_version.articles}
    alice = make_user(display_name="Alice")
    moderator = make_user(Role.moderator)

    def submit(**values):
        return participation.submit_contribution(alice, consultation, **values)

    answered = submit(
        kind="amendment",
        article_id=articles["2"].id,
        paragraph=1,
        body="Ouvrir à tous.",
        proposed_text="Les consultations sont ouvertes à toute personne majeure.",
    )
    edited = submit(kind="argument", position="for", article_id=articles["1"].id, body="Oui.")
    withdrawn = submit(kind="comment", body="Je me ravise.")
    hidden = submit(kind="comment", body="Hors sujet total.")
    db.session.flush()
    participation.edit_contribution(alice, edited, {"body": "Oui, sans réserve."})
    participation.withdraw_contribution(alice, withdrawn)
    answers.answer_contribution(organiser, answered, "retained", "Nous reprenons cette rédaction.")
    answers.answer_contribution(organiser, hidden, "out_of_scope", "Sans rapport avec le texte.")
    moderation.hide_contribution(moderator, hidden, "off_topic")
    db.session.commit()
    consultation.closes_at = clock.now() - timedelta(hours=1)
    now = clock.now()
    for number in (1, 2):
        db.session.add(
            SynthesisVersion(
                consultation_id=consultation.id,
                number=number,
                body="La synthèse.",
                published_at=now,
                data={
                    "articles": [{"amendments": [{"id": answered.id, "excerpt": "Ouvrir"}]}],
                    "campaigns": [
                        {"count": 3, "representative_id": 999, "contribution_ids": [edited.id]}
                    ]
                    if number == 2
                    else [],
                    "themes": [{"label": "ouverture", "contribution_ids": [answered.id]}],
                },
            )
        )
    consultation.synthesis_published_at = now
    db.session.add(
        ChangeLink(consultation_id=consultation.id, article_number="2", contribution_id=answered.id)
    )
    db.session.commit()
    return {
        "consultation": consultation,
        "alice": alice,
        "answered": answered,
        "edited": edited,
        "withdrawn": withdrawn,
        "hidden": hidden,
    }


def test_each_contribution_gets_where_it_stands(db, story):
    statuses = queries.contribution_statuses(
        [story[k] for k in ("answered", "edited", "withdrawn", "hidden")]
    )
    answered = statuses[story["answered"].id]
    assert answered.state is ContributionState.published and not answered.edited
    assert answered.answer_status is AnswerStatus.retained
    assert answered.answer_body == "Nous reprenons cette rédaction."
    assert answered.quoted and answered.synthesis_version == 2
    assert answered.themes == ("ouverture",)
    assert answered.retained_in == ("2",)

    edited = statuses[story["edited"].id]
    assert edited.edited and not edited.quoted and edited.campaign_size == 3
    assert edited.synthesis_version == 2 and not edited.is_answered

    withdrawn = statuses[story["withdrawn"].id]
    assert withdrawn.state is ContributionState.withdrawn and not withdrawn.edited
    assert withdrawn.synthesis_version is None

    hidden = statuses[story["hidden"].id]
    assert hidden.state is ContributionState.hidden
    assert "motif : hors sujet" in hidden.hidden_notice.lower()
    # The status of its answer stays public, its text does not.
    assert hidden.answer_status is AnswerStatus.out_of_scope and hidden.answer_body is None


def test_the_list_shows_each_status_and_the_public_answer_text(client, story):
    slug = story["consultation"].slug
    page = client.get(f"/consultations/{slug}/contributions?ordre=recent")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Réponse officielle : Retenue" in text
    assert "Nous reprenons cette rédaction." in text
    assert "Citée dans la synthèse publiée (version 2)" in text
    assert "comptée dans une campagne de 3 contributions semblables" in text
    assert "Retenue dans le texte adopté" in text
    assert f"/consultations/{slug}/texte-adopte#article-2" in text
    assert "Publiée, puis modifiée" in text
    assert "Retirée par son auteur" in text
    assert "Masquée par la modération" in text
    assert "Réponse officielle : Hors du champ de la consultation" in text
    assert "Sans rapport avec le texte." not in text


def test_the_card_reads_title_kind_author_status_text_then_counts(client, story):
    slug = story["consultation"].slug
    text = client.get(f"/consultations/{slug}/contributions/{story['answered'].id}").get_data(
        as_text=True
    )
    card = text[text.index(f'id="contribution-{story["answered"].id}"') :]
    places = [
        card.index('class="fr-card__title"'),
        card.index("Proposition de rédaction"),
        card.index("Alice"),
        card.index("contribution__status"),
        card.index("contribution__body"),
        card.index("contribution__counts"),
    ]
    assert places == sorted(places)
    assert "0 d'accord, 0 mitigé, 0 pas d'accord" in card
    # On its page the answer is shown in full once, below the card.
    assert text.count("Nous reprenons cette rédaction.") == 1


def test_the_hidden_contributions_page_keeps_the_answer_status_without_its_text(client, story):
    slug = story["consultation"].slug
    text = client.get(f"/consultations/{slug}/contributions/{story['hidden'].id}").get_data(
        as_text=True
    )
    assert "Masquée par la modération" in text
    assert "Hors du champ de la consultation" in text
    assert "Sans rapport avec le texte." not in text


def test_mes_contributions_shows_where_each_stands(client, login_as, story):
    login_as(story["alice"])
    text = client.get("/compte/participation").get_data(as_text=True)
    assert "Article 2, alinéa 1" in text
    assert "Réponse officielle : Retenue" in text
    assert "Nous reprenons cette rédaction." in text
    assert "Retenue dans le texte adopté" in text
    assert "comptée dans une campagne de 3 contributions semblables" in text
    assert "Retirée par son auteur" in text
    assert "motif : hors sujet" in text.lower()
    assert "Sans rapport avec le texte." not in text


def test_statuses_cost_the_same_queries_for_more_contributions(client, db, story, make_user):
    slug = story["consultation"].slug
    url = f"/consultations/{slug}/contributions?ordre=recent"
    few = count_queries(client, db, url)
    consultation = story["consultation"]
    for n in range(4):
        participation.submit_contribution(
            make_user(),
            consultation,
            kind="comment",
            body=f"Un avis {n}.",
            now=consultation.closes_at - timedelta(minutes=5),
        )
    db.session.commit()
    assert count_queries(client, db, url) == few


def test_the_author_is_mailed_when_answered_and_when_hidden(db, story, outbox):
    subjects = [subject for _to, subject, _body in outbox()]
    assert any("Réponse de l'administration" in s for s in subjects)
    assert any("masqu" in s.lower() for s in subjects)

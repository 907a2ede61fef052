"""The review workbench's pages: what they show, what each form changes, refusals shown next
to the field with what was typed, the CSRF check keeping the typing, and who may use them."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from consultation.synthesis import review
from consultation.synthesis.review_models import ContributionReading, ReviewTheme, ThemeAssignment


@pytest.fixture
def bench(db, closed, make_contribution, organiser, login_as):
    """The `closed` consultation with two drafted themes of two contributions each and one
    contribution in none; the organiser signed in."""
    items = [
        make_contribution(
            closed,
            body=f"Contribution {n} : il faudrait plus de trains régionaux le matin.",
            now=closed.opens_at + timedelta(days=1),
        )
        for n in range(5)
    ]
    data = {
        "themes": [
            {"label": "trains, horaires", "contribution_ids": [items[0].id, items[1].id]},
            {"label": "vélo, pistes", "contribution_ids": [items[2].id, items[3].id]},
        ]
    }
    trains, bikes = review.import_draft_themes(closed, data, closed.closes_at + timedelta(days=1))
    db.session.commit()
    login_as(organiser)
    return closed, items, trains, bikes


def _token(page: str) -> str:
    return re.search(r'name="[\w-]*csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _text(response) -> str:
    """The page's HTML with its character references read (« l'analyse »)."""
    return html.unescape(response.get_data(as_text=True))


def _words(page: str) -> str:
    """The page's text without its tags (a person's name is marked as written by them)."""
    return re.sub(r"<[^>]+>", "", page)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _text(response)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_workbench_lists_themes_with_their_provenance_and_counts(client, bench):
    consultation, items, trains, _bikes = bench
    page = _page(client, f"/gestion/consultations/{consultation.slug}/synthese/themes")
    assert "trains, horaires" in page and "vélo, pistes" in page
    assert page.count("Proposé par l'analyse") == 2
    assert "2 contributions" in page and "2 à lire" in page
    assert "1 contribution sans thème" in page
    # The draft and the editor link to it.
    for url in ("/synthese/brouillon", "/synthese"):
        assert "/synthese/themes" in _page(
            client, f"/gestion/consultations/{consultation.slug}{url}"
        )


def test_rename_then_the_badge_names_the_person(client, db, bench, organiser):
    consultation, _items, trains, _bikes = bench
    response = client.post(
        f"/gestion/themes/{trains.id}/renommer", data={f"t{trains.id}-name": "Trains du matin"}
    )
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "Thème renommé « Trains du matin »." in page
    assert f"Décidé par {organiser.display_name}" in _words(page)  # the name is marked
    assert db.session.get(ReviewTheme, trains.id).renamed_by_id == organiser.id


@pytest.mark.parametrize(
    ("typed", "message"),
    [("   ", "Donnez un nom au thème."), ("x" * 250, "raccourcissez-le de 50 caractères")],
)
def test_a_refused_name_is_shown_next_to_the_field_with_what_was_typed(
    client, db, bench, typed, message
):
    _consultation, _items, trains, _bikes = bench
    response = client.post(
        f"/gestion/themes/{trains.id}/renommer", data={f"t{trains.id}-name": typed}
    )
    assert response.status_code == 422
    page = _text(response)
    assert f'id="t{trains.id}-name-error"' in page and message in page
    if typed.strip():
        assert f'value="{typed}"' in page
    assert db.session.get(ReviewTheme, trains.id).name == "trains, horaires"


def test_a_taken_name_is_refused_by_the_service_and_kept_in_the_field(client, db, bench):
    _consultation, _items, trains, _bikes = bench
    response = client.post(
        f"/gestion/themes/{trains.id}/renommer", data={f"t{trains.id}-name": "Vélo, pistes"}
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Un autre thème s'appelle déjà « vélo, pistes »" in page
    assert 'value="Vélo, pistes"' in page


def test_merge_moves_the_contributions(client, db, bench):
    _consultation, items, trains, bikes = bench
    response = client.post(
        f"/gestion/themes/{trains.id}/fusionner", data={f"m{trains.id}-into": str(bikes.id)}
    )
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "« trains, horaires » fusionné dans « vélo, pistes »." in page
    assert "Thèmes retirés" in page
    assert db.session.get(ThemeAssignment, items[0].id).theme_id == bikes.id


@pytest.mark.parametrize(("into", "message"), [("", "Choisissez un thème."), ("99999", "inconnu")])
def test_merge_into_nothing_or_an_unknown_theme_is_refused(client, db, bench, into, message):
    _consultation, items, trains, _bikes = bench
    response = client.post(
        f"/gestion/themes/{trains.id}/fusionner", data={f"m{trains.id}-into": into}
    )
    assert response.status_code == 422
    assert message in _text(response)
    assert db.session.get(ReviewTheme, trains.id).deleted_at is None


def test_delete_asks_for_confirmation_then_leaves_the_contributions_in_no_theme(client, db, bench):
    consultation, items, trains, _bikes = bench
    confirm = _page(client, f"/gestion/themes/{trains.id}/supprimer")
    assert "Ses 2 contributions deviendront « sans thème »" in confirm
    assert db.session.get(ReviewTheme, trains.id).deleted_at is None  # GET changes nothing
    response = client.post(f"/gestion/themes/{trains.id}/supprimer")
    assert response.status_code == 302
    page = _text(client.get(response.headers["Location"]))
    assert "ses 2 contributions sont maintenant sans thème" in page
    assert "3 contributions sans thème" in page
    unassigned = _page(
        client, f"/gestion/consultations/{consultation.slug}/synthese/themes/sans-theme"
    )
    assert items[0].tracking_number in unassigned and items[4].tracking_number in unassigned
    # Deleting it again: a French message, not an error page.
    again = client.post(f"/gestion/themes/{trains.id}/supprimer")
    assert again.status_code == 409 and "déjà été retiré" in _text(again)


def test_create_a_theme_and_refuse_an_empty_name(client, db, bench):
    consultation, *_ = bench
    url = f"/gestion/consultations/{consultation.slug}/synthese/themes"
    refused = client.post(url, data={"new-name": ""})
    assert refused.status_code == 422 and "Donnez un nom au thème." in _text(refused)
    response = client.post(url, data={"new-name": "Tarifs"})
    assert response.status_code == 302
    assert "Thème « Tarifs » créé." in _text(client.get(response.headers["Location"]))


def test_the_theme_page_moves_a_contribution_and_marks_it_read(client, db, bench, organiser):
    consultation, items, trains, bikes = bench
    page = _page(client, f"/gestion/themes/{trains.id}")
    assert items[0].tracking_number in page and "il faudrait plus de trains" in page
    assert "placée par l'analyse" in page and "À lire" in page
    base = f"/gestion/consultations/{consultation.slug}/synthese/contributions/{items[0].id}"
    response = client.post(
        f"{base}/theme",
        data={f"c{items[0].id}-theme_id": str(bikes.id), f"c{items[0].id}-origin": str(trains.id)},
    )
    assert (
        response.status_code == 302
        and f"/gestion/themes/{trains.id}" in response.headers["Location"]
    )
    assert db.session.get(ThemeAssignment, items[0].id).assigned_by_id == organiser.id
    response = client.post(f"{base}/lecture", data={f"r{items[0].id}-read": "1"})
    assert response.status_code == 302
    assert db.session.get(ContributionReading, items[0].id).read_by_id == organiser.id
    bikes_page = _page(client, f"/gestion/themes/{bikes.id}")
    assert f"placée par {organiser.display_name}" in _words(bikes_page)
    assert "Marquer comme non lue" in bikes_page
    client.post(f"{base}/lecture", data={f"r{items[0].id}-read": "0"})
    assert db.session.get(ContributionReading, items[0].id) is None


def test_moving_to_an_unknown_theme_shows_the_message_next_to_the_select(client, db, bench):
    consultation, items, trains, _bikes = bench
    url = f"/gestion/consultations/{consultation.slug}/synthese/contributions/{items[0].id}/theme"
    response = client.post(
        url,
        data={f"c{items[0].id}-theme_id": "424242", f"c{items[0].id}-origin": "9" * 15},
    )
    assert response.status_code == 422
    page = _text(response)
    assert f'id="c{items[0].id}-theme_id-error"' in page and "Thème inconnu" in page
    assert db.session.get(ThemeAssignment, items[0].id).theme_id == trains.id


def test_unknown_targets_are_404(client, bench, make_consultation, make_contribution):
    consultation, *_ = bench
    other = make_consultation("closed", title="Autre")
    foreign = make_contribution(other, now=other.opens_at + timedelta(days=1))
    assert client.get("/gestion/themes/999999").status_code == 404
    assert client.post("/gestion/themes/999999/renommer").status_code == 404
    url = f"/gestion/consultations/{consultation.slug}/synthese/contributions/{foreign.id}/theme"
    assert client.post(url, data={}).status_code == 404


def test_other_institutions_staff_are_refused(
    client, db, bench, make_user, make_institution, login_as
):
    consultation, items, trains, _bikes = bench
    login_as(make_user("organiser", institution=make_institution()))
    assert client.get(f"/gestion/themes/{trains.id}").status_code == 403
    response = client.post(
        f"/gestion/themes/{trains.id}/renommer", data={f"t{trains.id}-name": "Piraté"}
    )
    assert response.status_code == 403
    assert db.session.get(ReviewTheme, trains.id).name == "trains, horaires"


def test_a_stale_form_keeps_what_was_typed(client, db, bench, csrf_on):
    _consultation, _items, trains, _bikes = bench
    response = client.post(
        f"/gestion/themes/{trains.id}/renommer",
        data={f"t{trains.id}-name": "Mon nouveau nom", f"t{trains.id}-csrf_token": "périmé"},
    )
    assert response.status_code == 422
    page = _text(response)
    assert "Vos saisies sont conservées" in page and 'value="Mon nouveau nom"' in page
    assert db.session.get(ReviewTheme, trains.id).renamed_at is None
    # With the page's own token, it goes through.
    token = _token(page)
    response = client.post(
        f"/gestion/themes/{trains.id}/renommer",
        data={f"t{trains.id}-name": "Mon nouveau nom", f"t{trains.id}-csrf_token": token},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(ReviewTheme.name).where(ReviewTheme.id == trains.id)) == (
        "Mon nouveau nom"
    )


def test_a_theme_page_lists_its_contributions_fifty_at_a_time(
    client, db, closed, make_contribution, organiser, login_as
):
    items = [
        make_contribution(closed, body=f"Avis {n}.", now=closed.opens_at + timedelta(days=1))
        for n in range(review.PAGE_SIZE + 1)
    ]
    data = {"themes": [{"label": "tout", "contribution_ids": [i.id for i in items]}]}
    (theme,) = review.import_draft_themes(closed, data, closed.closes_at + timedelta(days=1))
    db.session.commit()
    login_as(organiser)
    first = _page(client, f"/gestion/themes/{theme.id}")
    assert "Page 1 sur 2" in first and items[0].tracking_number in first
    assert items[-1].tracking_number not in first
    last = _page(client, f"/gestion/themes/{theme.id}?page=2")
    assert items[-1].tracking_number in last and items[0].tracking_number not in last
    # A page beyond the last shows the last.
    assert items[-1].tracking_number in _page(client, f"/gestion/themes/{theme.id}?page=99")

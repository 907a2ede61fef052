"""What people stumbled on: a receipt number typed loosely, the vote's confirmation beside the
vote form, /consultations, the link sent again to an unconfirmed account, plurals, and what
"Mes données" says of each contribution."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consultation.participation import services as participation

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def contribution(db, make_consultation, make_user):
    consultation = make_consultation("open")
    article = consultation.current_version.articles[0]
    item = participation.submit_contribution(
        make_user(display_name="Alice"),
        consultation,
        kind="argument",
        position="against",
        article_id=article.id,
        paragraph=2,
        body="Trop vague.",
    )
    db.session.commit()
    return item


@pytest.mark.parametrize(
    "typed",
    [
        lambda n: n,
        lambda n: n.replace("-", ""),
        lambda n: n.replace("-", " ").lower(),
        lambda n: n.removeprefix("C-").replace("-", ""),
        lambda n: " " + n.replace("-", ".") + " ",
        lambda n: n[2:].replace("-", " "),
    ],
)
def test_a_tracking_number_is_found_with_or_without_dashes_and_spaces(client, contribution, typed):
    number = typed(contribution.tracking_number)
    assert participation.find_by_tracking_number(number) == contribution
    found = client.get("/suivi", query_string={"numero": number})
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/contributions/{contribution.id}")


def test_a_wrong_tracking_number_is_still_not_found(client, contribution):
    assert participation.find_by_tracking_number("C-AAAA-BBBB") is None
    assert client.get("/suivi?numero=C-AAAA-BBBB-CCC").status_code == 404


def test_the_vote_confirmation_shows_beside_the_vote_form(
    client, login_as, make_consultation, make_user
):
    consultation = make_consultation("open")
    url = f"/consultations/{consultation.slug}/articles/1"
    login_as(make_user())
    sent = client.post(
        f"/consultations/{consultation.slug}/articles/1er/avis", data={"value": "mixed"}
    )
    # An article typed « 1er » takes the vote, and the answer goes to its address.
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/articles/1#avis")
    sent = client.post(url + "/avis", data={"value": "mixed"})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/articles/1#avis")
    page = client.get(url).get_data(as_text=True)
    section = page[page.index('id="avis"') : page.index("</section>", page.index('id="avis"'))]
    assert "Votre avis est enregistré." in section
    assert section.index("Votre avis est enregistré.") < section.index("<form")
    # Said once, where the person is; not again at the top of the page.
    assert page.count("Votre avis est enregistré.") == 1
    assert "Votre avis est enregistré." not in client.get(url).get_data(as_text=True)
    client.post(url + "/avis/retirer")
    page = client.get(url).get_data(as_text=True)
    section = page[page.index('id="avis"') :]
    assert "Votre avis est retiré." in section


def test_the_list_of_consultations_answers_at_consultations(client):
    for address in ("/consultations", "/consultations/"):
        response = client.get(address)
        assert response.status_code == 301
        assert response.headers["Location"] in ("/", "http://localhost/")


def test_an_unconfirmed_account_is_offered_the_link_again_where_it_is(
    client, login_as, make_consultation, make_user, outbox
):
    consultation = make_consultation("open")
    url = f"/consultations/{consultation.slug}/articles/1"
    login_as(make_user(verified=False))
    page = client.get(url).get_data(as_text=True)
    assert "Confirmez votre adresse e-mail pour donner votre avis." in page
    assert 'action="/compte/verification/renvoyer"' in page or "verification/renvoyer" in page
    assert "Renvoyer le lien" in page
    before = len(outbox())
    sent = client.post(
        page[page.index("verification/renvoyer") - 200 :].split('action="')[1].split('"')[0],
        data={"retour": f"/consultations/{consultation.slug}/articles/1"},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/articles/1")
    assert len(outbox()) == before + 1
    # A return address elsewhere is not followed.
    sent = client.post(
        page[page.index("verification/renvoyer") - 200 :].split('action="')[1].split('"')[0],
        data={"retour": "https://ailleurs.example/"},
    )
    assert "ailleurs" not in sent.headers["Location"]


def test_no_template_writes_a_plural_with_parentheses():
    pattern = re.compile(r"""_\(\s*["'][^"']*\w\((?:s|es|x)\)""")
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_one_mixed_opinion_is_singular(client, db, contribution, make_user):
    participation.cast_contribution_vote(make_user(), contribution, "mixed")
    db.session.commit()
    page = client.get(f"/consultations/{_slug(db, contribution)}/contributions").get_data(
        as_text=True
    )
    assert "1 mitigé," in page and "1 mitigés" not in page


def _slug(db, contribution) -> str:
    from consultation.consultations.models import Consultation

    return db.session.get(Consultation, contribution.consultation_id).slug


def test_mes_donnees_gives_each_contribution_its_consultation_article_alinea_and_position(
    client, db, login_as, contribution
):
    login_as(contribution.author)
    data = client.get("/compte/mes-donnees.json").get_json()
    (entry,) = data["contributions"]
    assert entry["consultation"] == {
        "slug": _slug(db, contribution),
        "title": "Projet de loi relatif à la participation",
    }
    assert (entry["article"], entry["paragraph"], entry["position"]) == ("1er", 2, "against")
    assert entry["kind"] == "argument" and entry["reply_to"] is None


def test_french_plurals_put_zero_and_one_in_the_singular(app):
    from consultation.core.plurals import ngettext

    with app.test_request_context("/"):
        forms = [ngettext("%(num)s mitigé", "%(num)s mitigés", n) for n in (0, 1, 2)]
        rendered = app.jinja_env.from_string(
            "{% for n in (0, 1, 2) %}{{ ngettext('%(num)s avis exprimé', "
            "'%(num)s avis exprimés', n) }};{% endfor %}"
        ).render()
    assert forms == ["%(num)s mitigé", "%(num)s mitigé", "%(num)s mitigés"]
    assert rendered == "0 avis exprimé;1 avis exprimé;2 avis exprimés;"

"""The contribution form of an article page: a fieldset per kind, links beside each alinéa that
choose the kind and the alinéa and prefill the wording, and no text ever cut."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from consultation.participation.models import Contribution, ContributionKind

PARAGRAPH_1 = "La présente loi a pour objet de favoriser la participation du public."
PARAGRAPH_2 = "Elle s'applique aux administrations de l'État."


def _url(consultation, number="1") -> str:
    return f"/consultations/{consultation.slug}/articles/{number}"


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _fieldset(page: str, kind: str) -> str:
    """The markup of one kind's fieldset (up to its first closing tag)."""
    match = re.search(rf'<fieldset [^>]*id="champs-{kind}"[^>]*>(.*?)</fieldset>', page, re.S)
    assert match, kind
    return match.group(1)


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea [^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, name
    return unescape(match.group(1)).lstrip("\r\n")


def _checked_kind(page: str) -> list[str]:
    return re.findall(r'<input checked [^>]*name="kind"[^>]*value="([a-z_]+)"', page)


def _selected_paragraph(page: str) -> list[str]:
    select = re.search(r'<select [^>]*name="paragraph"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option selected value="(\d*)"', select)


def _form(page: str) -> str:
    return re.search(r"<form [^>]*data-contribution-form.*?</form>", page, re.S).group(0)


def test_each_kind_has_its_fieldset_with_a_legend_naming_it(
    client, db, login_as, opened, make_user
):
    login_as(make_user())
    page = _page(client, _url(opened))
    form = _form(page)
    assert re.findall(r'name="kind"[^>]*value="([a-z_]+)"', form) == [
        k.value for k in ContributionKind
    ]
    expected = {
        "argument": ("Pour un argument", ['name="position"']),
        "amendment": ("Pour une proposition de rédaction", ['name="proposed_text"']),
        "new_article": ("Pour une proposition d&#39;article nouveau", ['name="new_article_text"']),
        "source": ("Pour une source", ['name="url"', 'type="url"']),
    }
    for kind, (legend, fields) in expected.items():
        fieldset = _fieldset(page, kind)
        assert f">{legend}</legend>" in fieldset, kind
        assert all(field in fieldset for field in fields), kind
    # The common fields stand outside the kinds' fieldsets, once each.
    for name in ("paragraph", "title", "body", "proposed_text", "new_article_text", "url"):
        assert form.count(f'name="{name}"') == 1, name
    # Nothing cuts a pasted text: the limit is for the counter and the server.
    assert "maxlength" not in form
    assert 'data-max-length="10000"' in form


def test_alinea_links_choose_the_kind_and_alinea_and_prefill_the_wording(
    client, db, login_as, opened, make_user
):
    login_as(make_user())
    page = _page(client, _url(opened))
    links = re.findall(r'<a class="fr-link fr-link--sm" href="([^"]+)" data-contribute-type', page)
    assert [unescape(link) for link in links] == [
        f"{_url(opened)}?type={kind}&alinea={n}#contribuer"
        for n in (1, 2)
        for kind in ("comment", "amendment")
    ]
    assert page.count("Commenter cet alinéa") == page.count("Proposer une rédaction") == 2

    amend = _page(client, _url(opened) + "?type=amendment&alinea=2")
    assert _checked_kind(amend) == ["amendment"]
    assert _selected_paragraph(amend) == ["2"]
    assert _textarea(amend, "proposed_text") == PARAGRAPH_2
    assert _textarea(amend, "new_article_text") == ""

    comment = _page(client, _url(opened) + "?type=comment&alinea=1")
    assert _checked_kind(comment) == ["comment"]
    assert _selected_paragraph(comment) == ["1"]

    # Without an alinéa, the wording to amend is the whole article, one alinéa a line.
    whole = _page(client, _url(opened) + "?type=amendment")
    assert _selected_paragraph(whole) == [""]
    assert _textarea(whole, "proposed_text").replace("\r\n", "\n") == (
        f"{PARAGRAPH_1}\n{PARAGRAPH_2}"
    )
    assert _checked_kind(_page(client, _url(opened))) == []


@pytest.mark.parametrize(
    "query",
    [
        "type=<script>alert(1)</script>&alinea=1",
        "type=amendment&alinea=3",
        "type=amendment&alinea=0",
        "type=amendment&alinea=-1",
        "type=amendment&alinea=99999999999999999999",
        "type=amendment&alinea=%C2%B2",
        "type=Amendment&alinea=1e3",
        "type=amendment&type=comment&alinea=",
    ],
)
def test_unknown_kinds_and_alineas_in_the_address_are_ignored(
    client, db, login_as, opened, make_user, query
):
    login_as(make_user())
    page = _page(client, f"{_url(opened)}?{query}")
    assert "<script>alert" not in page
    assert _checked_kind(page) in ([], ["amendment"])
    assert _selected_paragraph(page) in ([""], ["1"])


def test_alinea_links_are_offered_only_to_who_may_contribute(
    client, db, login_as, opened, make_consultation, make_user
):
    from consultation.accounts.models import Role
    from consultation.moderation import services as moderation

    # A visitor is offered the same links, through the sign-in page.
    visitor = _page(client, _url(opened))
    assert "data-contribute-type" not in visitor
    assert visitor.count('href="/connexion?next=') >= 4
    assert "après connexion" in visitor

    login_as(make_user(verified=False))
    unverified = _page(client, _url(opened))
    assert "Commenter cet alinéa" not in unverified

    blocked = make_user()
    moderator = make_user(Role.moderator)
    moderation.block_participant(moderator, blocked, opened.institution, "spam", notify=False)
    db.session.commit()
    login_as(blocked)
    assert "Commenter cet alinéa" not in _page(client, _url(opened))

    login_as(make_user())
    closed = make_consultation("closed", title="Projet clos")
    assert "Commenter cet alinéa" not in _page(client, _url(closed))


def test_a_visitor_signs_in_and_comes_back_to_the_alinea(client, db, opened, make_user):
    from tests.helpers import PASSWORD

    user = make_user()
    page = _page(client, _url(opened))
    login = unescape(
        re.search(r'href="(/connexion\?next=[^"]+)"[^>]*>Proposer une rédaction', page).group(1)
    )
    target = parse_qs(urlsplit(login).query)["next"][0]
    assert target == f"{_url(opened)}?type=amendment&alinea=1#contribuer"
    signed_in = client.post(login, data={"email": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert signed_in.headers["Location"] == target
    back = _page(client, target.split("#")[0])
    assert _checked_kind(back) == ["amendment"]
    assert _textarea(back, "proposed_text") == PARAGRAPH_1


def test_a_too_long_text_comes_back_whole_with_a_french_message(
    client, db, login_as, opened, make_user
):
    login_as(make_user())
    body = "Mon argument. " + "x" * 10_040  # 10 054 characters
    wording = "Nouvelle rédaction. " + "y" * 10_000
    title = "Un titre bien trop long " * 10
    refused = client.post(
        _url(opened) + "/contributions",
        data={
            "kind": "amendment",
            "paragraph": "1",
            "title": title,
            "body": body,
            "proposed_text": wording,
        },
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert _textarea(page, "body") == body
    assert _textarea(page, "proposed_text") == wording
    assert f'value="{title}"' in page
    assert "Ce texte fait 10\u202f054 caractères, pour 10\u202f000 au maximum" in page
    assert "raccourcissez-le de 54 caractères. Il est conservé en entier." in page
    assert "Ce texte fait 10\u202f020 caractères" in page
    assert "Ce texte fait 240 caractères, pour 200 au maximum" in page
    assert "Le formulaire contient des erreurs" in page
    assert db.session.scalar(db.select(db.func.count(Contribution.id))) == 0


def test_line_breaks_count_one_character(client, db, login_as, opened, make_user):
    login_as(make_user())
    body = "\r\n".join(["x" * 99] * 100)  # 9 999 characters as typed, 10 098 as sent
    sent = client.post(
        _url(opened) + "/contributions", data={"kind": "comment", "body": body + "."}
    )
    assert sent.status_code == 302
    stored = db.session.scalar(db.select(Contribution))
    assert stored.body == body.replace("\r\n", "\n") + "."


def test_only_the_chosen_kinds_fields_are_used(client, db, login_as, opened, make_user):
    login_as(make_user())
    url = _url(opened) + "/contributions"
    whole_article = "x" * 10_001  # what a long article's prefilled wording would be
    common = {"paragraph": "", "proposed_text": whole_article, "url": "pas une adresse"}

    comment = client.post(
        url, data={**common, "kind": "comment", "position": "for", "body": "Un commentaire."}
    )
    assert comment.status_code == 302
    new = client.post(
        url,
        data={
            **common,
            "kind": "new_article",
            "body": "Il manque un article.",
            "new_article_text": "Article 1er bis\r\nUn rapport est remis.",
        },
    )
    assert new.status_code == 302
    stored = {c.kind: c for c in db.session.scalars(db.select(Contribution))}
    assert stored[ContributionKind.comment].position is None
    assert stored[ContributionKind.comment].proposed_text == ""
    assert stored[ContributionKind.comment].url == ""
    assert stored[ContributionKind.new_article].proposed_text == (
        "Article 1er bis\nUn rapport est remis."
    )

    # The service's requirement is shown next to the field of the chosen kind.
    missing = client.post(url, data={"kind": "new_article", "body": "Sans texte."})
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    assert 'id="new_article_text-error"' in page and "Proposez une rédaction." in page
    assert 'id="proposed_text-error"' not in page
    source = client.post(url, data={"kind": "source", "body": "Une étude.", "url": "ftp://x"})
    assert source.status_code == 422
    page = source.get_data(as_text=True)
    assert 'id="url-error"' in page and 'id="title-error"' in page
    argument = client.post(url, data={"kind": "argument", "body": "Je suis pour."})
    assert 'id="position-error"' in argument.get_data(as_text=True)


def test_the_edit_form_cuts_nothing_either(client, db, login_as, opened, make_user):
    from consultation.participation import services

    author = login_as(make_user())
    item = services.submit_contribution(
        author,
        opened,
        kind="amendment",
        article_id=opened.current_version.articles[0].id,
        paragraph=1,
        body="Plus clair.",
        proposed_text="Une rédaction.",
    )
    db.session.commit()
    url = f"/consultations/{opened.slug}/contributions/{item.id}/modifier"
    form = re.search(r"<form .*?</form>", _page(client, url).split("<main", 1)[1], re.S).group(0)
    assert "maxlength" not in form
    too_long = "z" * 10_001
    refused = client.post(url, data={"body": "Plus clair.", "proposed_text": too_long})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert _textarea(page, "proposed_text") == too_long
    assert "Ce texte fait 10\u202f001 caractères, pour 10\u202f000 au maximum" in page


def test_an_unchanged_prefilled_wording_is_refused(client, db, login_as, opened, make_user):
    login_as(make_user())
    url = _url(opened) + "/contributions"
    for paragraph, wording in (
        ("2", "  Elle s'applique aux administrations\r\nde l'État.  "),  # spaces don't count
        ("", f"{PARAGRAPH_1}\r\n{PARAGRAPH_2}"),
    ):
        refused = client.post(
            url,
            data={
                "kind": "amendment",
                "paragraph": paragraph,
                "body": "Rien à changer.",
                "proposed_text": wording,
            },
        )
        assert refused.status_code == 422
        page = refused.get_data(as_text=True)
        assert 'id="proposed_text-error"' in page
        assert "La rédaction proposée est celle du texte actuel" in page
    changed = client.post(
        url,
        data={
            "kind": "amendment",
            "paragraph": "2",
            "body": "Plus large.",
            "proposed_text": "Elle s'applique aux administrations de l'État et des collectivités.",
        },
    )
    assert changed.status_code == 302


def test_the_sign_in_button_keeps_the_chosen_kind_and_alinea(client, db, opened):
    page = _page(client, _url(opened) + "?type=amendment&alinea=2")
    button = re.search(r'href="(/connexion\?next=[^"]+)"[^>]*>Se connecter pour contribuer', page)
    target = parse_qs(urlsplit(unescape(button.group(1))).query)["next"][0]
    assert target == f"{_url(opened)}?type=amendment&alinea=2#contribuer"
    plain = _page(client, _url(opened))
    button = re.search(r'href="(/connexion\?next=[^"]+)"[^>]*>Se connecter pour contribuer', plain)
    assert parse_qs(urlsplit(unescape(button.group(1))).query)["next"][0] == (
        f"{_url(opened)}#contribuer"
    )

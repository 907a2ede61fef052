"""The English interface: pages chosen in English show the catalogue's words, not the French.

The catalogue itself (every message of the code translated, none fuzzy, placeholders kept) is
checked by `make catalogue-check`, part of `make lint`; the checker is tested here on small
catalogues.
"""

from __future__ import annotations

import html
import importlib.util
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from consultation.participation import services as participation

ROOT = Path(__file__).resolve().parent.parent

# Words of the French interface that no English page may show: the table of contents, the
# status of an open consultation (« Licence Ouverte » is the licence's name), the sign-in link.
FRENCH = [
    re.compile(r"Sommaire"),
    re.compile(r"(?<!Licence )Ouverte\b"),
    re.compile(r"Se connecter"),
    re.compile(r"Rechercher dans"),
    re.compile(r"Aucune contribution"),
    re.compile(r"Clôture dans"),
]


def _checker():
    spec = importlib.util.spec_from_file_location(
        "check_catalogue", ROOT / "tools" / "check_catalogue.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _in_english(client, path: str) -> str:
    """The page at `path`, after choosing English with the footer's language link."""
    client.get(f"/langue/en?suivant={path}")
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _assert_english(page: str, *english: str) -> None:
    """The page is marked English, shows each of `english` (as read, without the tags) and
    none of the French words."""
    assert '<html lang="en"' in page
    text = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    for expected in english:
        assert expected in text
    for french in FRENCH:
        assert not french.search(text), french.pattern


@pytest.fixture
def with_participation(db, make_consultation, make_user, make_contribution):
    """An open consultation with an argument on article 1, voted on."""
    consultation = make_consultation("open")
    article = consultation.current_version.articles[0]
    item = make_contribution(
        consultation,
        kind="argument",
        article_id=article.id,
        position="for",
        title="Un argument",
        body="Un argument pour.",
    )
    voter = make_user()
    participation.cast_article_vote(voter, article, "agree")
    participation.cast_contribution_vote(voter, item, "disagree")
    db.session.commit()
    return consultation, item


def test_language_link_sets_the_cookie_and_french_stays_the_default(client, opened):
    path = f"/consultations/{opened.slug}"
    assert "Sommaire" in client.get(path).get_data(as_text=True)
    response = client.get(f"/langue/en?suivant={path}")
    assert response.status_code == 302 and response.headers["Location"].endswith(path)
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get(path).get_data(as_text=True)
    assert "Contents" in page and "Sommaire" not in page


def test_home_in_english(client, opened):
    _assert_english(
        _in_english(client, "/"),
        "Open consultations",
        "Upcoming consultations",
        "Sign in",
        "Closes in ",  # the timing phrase
    )


def test_consultation_page_in_english(client, with_participation):
    consultation, _item = with_participation
    page = _in_english(client, f"/consultations/{consultation.slug}")
    _assert_english(
        page, "Contents", "Open", "Legal basis", "(Paris time)", "1 contribution", "1 vote"
    )


def test_contributions_list_and_contribution_in_english(client, with_participation):
    consultation, item = with_participation
    listing = _in_english(client, f"/consultations/{consultation.slug}/contributions")
    _assert_english(listing, "Filter and search", "Most supported", "Argument — For", "1 disagree")
    page = _in_english(client, f"/consultations/{consultation.slug}/contributions/{item.id}")
    _assert_english(page, "No official answer yet", "Replies", "No replies yet.")


def test_article_page_in_english(client, with_participation):
    consultation, _item = with_participation
    page = _in_english(client, f"/consultations/{consultation.slug}/articles/1")
    _assert_english(page, "Votes on this article", "1 vote cast", "Sign in to vote", "Whole text")


def test_login_and_search_in_english(client, opened):
    _assert_english(
        _in_english(client, "/connexion"), "Forgotten your password?", "No account yet?"
    )
    _assert_english(
        _in_english(client, "/recherche?q=participation"),
        "Words to find",
        "Status of the consultation",
    )


def test_account_pages_in_english(client, login_as, make_user):
    login_as(make_user())
    _assert_english(_in_english(client, "/compte"), "My account", "Display name", "Change password")


# A date and time as the English interface writes it: « 3 décembre 2026 à 10h00 » would fail.
ENGLISH_MOMENT = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4} at \d{2}:\d{2}\b"
)


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_dates_read_in_english_on_the_consultation_page_and_its_cards(client, with_participation):
    consultation, item = with_participation
    page = _text(_in_english(client, f"/consultations/{consultation.slug}"))
    opening = ENGLISH_MOMENT.search(page)
    assert opening is not None and "(Paris time)" in page
    card = _text(_in_english(client, f"/consultations/{consultation.slug}/contributions/{item.id}"))
    assert ENGLISH_MOMENT.search(card) is not None
    assert re.search(r"\d{4} à \d{2}h\d{2}", page + card) is None


def test_dates_read_in_english_on_the_account_page(client, db, login_as, make_user):
    from consultation.accounts import services as accounts

    user = make_user()
    accounts.create_api_token(user, "Script")
    db.session.commit()
    login_as(user)
    page = _text(_in_english(client, "/compte"))
    assert ENGLISH_MOMENT.search(page) is not None, page


def test_a_refusal_gives_its_dates_in_english(app, db, make_consultation, make_user):
    from flask_babel import force_locale

    from consultation.core import clock
    from consultation.participation.standing import participation_refusal

    consultation = make_consultation("scheduled")
    with app.test_request_context("/"), force_locale("en"):
        refusal = participation_refusal(make_user(), consultation, clock.now())
        assert refusal is not None
        assert ENGLISH_MOMENT.search(refusal.message) is not None, refusal.message
        assert "(Paris time)" in refusal.message


def test_a_limit_in_a_refusal_is_written_for_the_reader(app, db, opened, make_user):
    """The limit and the count of a refused text: « 10 000 » (a narrow no-break space) in
    French, "10,000" in English."""
    from flask_babel import force_locale

    from consultation.core.errors import ValidationFailed

    author = make_user()
    for language, limit, typed in (
        ("fr", "10\u202f000", "10\u202f001"),
        ("en", "10,000", "10,001"),
    ):
        with app.test_request_context("/"), force_locale(language):
            with pytest.raises(ValidationFailed) as refused:
                participation.submit_contribution(author, opened, kind="comment", body="x" * 10_001)
            assert limit in refused.value.fields["body"] and typed in refused.value.fields["body"]


# The checker of `make catalogue-check`, on small catalogues.


def _write(path: Path, messages: list[tuple]) -> str:
    catalog = Catalog(locale="en")
    for message_id, string, *flags in messages:
        catalog.add(message_id, string, flags=flags)
    with open(path, "wb") as file:
        write_po(file, catalog)
    return str(path)


def test_checker_accepts_a_complete_catalogue(tmp_path):
    template = _write(
        tmp_path / "t.pot", [("Ouverte", ""), (("%(num)s vote", "%(num)s votes"), "")]
    )
    catalogue = _write(
        tmp_path / "c.po",
        [("Ouverte", "Open"), (("%(num)s vote", "%(num)s votes"), ("one vote", "%(num)s votes"))],
    )
    assert _checker().problems(template, catalogue) == []


def test_checker_names_each_problem(tmp_path):
    template = _write(
        tmp_path / "t.pot",
        [
            ("Nouveau", ""),
            ("Vide", ""),
            ("Flou", ""),
            ("Du %(opens)s", ""),
            ("<strong>Ouverte</strong>", ""),
            (("%(num)s avis", "%(num)s avis"), ""),
        ],
    )
    catalogue = _write(
        tmp_path / "c.po",
        [
            ("Vide", ""),
            ("Flou", "Fuzzy", "fuzzy"),
            ("Du %(opens)s", "From %(open)s"),
            ("<strong>Ouverte</strong>", "Open"),
            (("%(num)s avis", "%(num)s avis"), ("%(num)s vote", "")),
            ("Ancien", "Old"),
        ],
    )
    found = _checker().problems(template, catalogue)
    assert [line.split(":")[0] for line in found] == [
        "missing",
        "empty",
        "fuzzy",
        "wrong",
        "wrong",
        "wrong",
        "empty",
        "obsolete",
    ]
    assert "unknown placeholder %(open)s" in found[3]
    assert "HTML tags differ" in found[5]


def test_a_hidden_contribution_reads_its_notice_in_the_readers_language(
    client, db, with_participation, make_user
):
    from consultation.moderation import services as moderation

    consultation, item = with_participation
    moderator = make_user(role="moderator", institution=consultation.institution)
    moderation.hide_contribution(moderator, item, "spam", notify=False)
    db.session.commit()
    path = f"/consultations/{consultation.slug}/contributions/{item.id}"
    _assert_english(
        _in_english(client, path),
        "Contribution hidden by the moderators — reason: spam or advertising",
    )
    client.get("/langue/fr")
    assert "Contribution masquée par la modération — motif : spam ou publicité" in _text(
        client.get(path).get_data(as_text=True)
    )
    # The API, read by machines, keeps the French source.
    listed = client.get(f"/api/v1/consultations/{consultation.slug}/contributions").get_json()
    notices = [c["moderation"]["notice"] for c in listed["contributions"] if c["id"] == item.id]
    assert notices == ["Contribution masquée par la modération — motif : spam ou publicité"]

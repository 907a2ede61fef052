"""Hostile input through every surface a person writes, then every page and API answer that
shows it: no executable markup, no template evaluation, no 500.

The world is built through the API and the forms, with markup, event handlers, `javascript:`
and `data:` URLs, SVG, broken nesting, template syntax and unicode tricks in every field; then
every GET page of the site (walked from the URL map, so new pages are covered) is fetched by
an anonymous visitor, the author, the organiser and the moderator, and parsed.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from consultation.accounts.models import Role
from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core import clock
from consultation.participation.models import Contribution
from tests.documents import files as document_files
from tests.helpers import SAMPLE_TEXT
from tests.participation.paper_files import pdf_with_text

ROOT = Path(__file__).resolve().parent.parent
MARK = "Zqx"
PAYLOADS = [
    '<script>alert("x1")</script>',
    "<img src=x onerror=alert(1)>",
    '"><script>alert(2)</script>',
    "'><svg onload=alert(3)><script>alert(3)</script></svg>",
    '<a href="javascript:alert(4)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==">clic</a>',
    "<svg><script>alert(6)</script></svg>",
    "<<script>script>alert(7)<</script>/script>",
    "<div><p><b>non fermé <i>",
    "</textarea></title><script>alert(8)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(9)>",
    '<iframe srcdoc="<script>alert(10)</script>"></iframe>',
    "<body onload=alert(11)> <input autofocus onfocus=alert(12)>",
    "javascript:alert(13) data:text/html,<script>alert(14)</script>",
    "{{ 7*7777 }} {% raw %}{{ config }}{% endraw %} ${7*7777} #{7*7777}",
    "\u202egnp.exe\u202c \u200b\u200d\ufeff \u0041\u030a \U0001f600 \ud7ff",
]
LONG = " ".join(PAYLOADS)
SHORT = '"><script>alert(1)</script><img src=x onerror=alert(1)>'
# What must never appear: the result of evaluating the template syntax, the secret key.
EVALUATED = ("54439", "test-secret-key")
TRACKING = re.compile(r"C-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


def hostile(surface: str, short: bool = False) -> str:
    return f"{MARK}{surface} {SHORT if short else LONG}"


# --- What a page may not contain -----------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite"}
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "svg", "math", "base", "frame", "style"}


class _ExecutableMarkup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.in_data = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
            if name in URL_ATTRIBUTES and value:
                squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
                if squeezed.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        if tag == "script":
            self.in_script = True
            # The page scripts' words (base.html): data the browser never runs, written with
            # `tojson`, so nothing in it can close the element (checked in handle_data).
            self.in_data = values.get("type") == "application/json"
            if not (values.get("src") or "").startswith("/static/") and not self.in_data:
                self.problems.append(f"<script {values}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and self.in_data:
            if "<" in data:
                self.problems.append(f"markup in a data script {data[:40]!r}")
        elif self.in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:40]!r}")


def executable_markup(page: str) -> list[str]:
    parser = _ExecutableMarkup()
    parser.feed(page)
    parser.close()
    problems = parser.problems
    problems += [f"evaluated: {marker}" for marker in EVALUATED if marker in page]
    return problems


# --- The world ------------------------------------------------------------------------------


@pytest.fixture
def world(app, client, db, make_user, organiser, login_as, bearer):
    """A consultation, profiles, contributions of every kind, replies, an offline observation,
    a report, an extension and a token name, all written with hostile text."""
    now = clock.now()
    as_organiser = bearer(organiser)
    text = SAMPLE_TEXT.replace(
        "Les consultations sont ouvertes à toute personne.",
        "Les consultations sont ouvertes. " + hostile("article", short=True),
    )
    notice = {
        field: hostile(f"notice{n}", short=field in ("organiser", "commission_name"))
        for n, field in enumerate(
            (
                "object",
                "organiser",
                "legal_reference",
                "who_may_participate",
                "how_to_participate",
                "entry_into_force",
                "commission_name",
                "moderation_charter",
                "personal_data_notice",
            )
        )
    }
    notice["explanatory_note"] = (
        f"{MARK}note [sûr](https://ok.example/page) [js](javascript:alert(1)) "
        "[data](data:text/html,<script>alert(1)</script>) "
        '<a href="javascript:alert(2)" onclick="alert(3)">x</a> ' + LONG
    )
    notice["synthesis_expected_on"] = (now + timedelta(days=60)).date().isoformat()
    created = client.post(
        "/api/v1/consultations",
        json={
            "title": hostile("title", short=True),
            "summary": hostile("summary"),
            "legal_basis": "crpa_l131_1",
            "opens_at": clock.isoformat(now - timedelta(hours=1)),
            "closes_at": clock.isoformat(now + timedelta(days=20)),
            "text": text,
            "notice": notice,
        },
        headers=as_organiser,
    )
    assert created.status_code == 201, created.json
    slug = created.json["slug"]
    # Two documents attached to the text, one of them hidden once published with a reason.
    document_ids = []
    for surface in ("doctitle", "doctitle2"):
        attached = client.post(
            f"/api/v1/consultations/{slug}/documents",
            data={
                "file": (
                    io.BytesIO(document_files.pdf(text=surface)),
                    "<img src=x onerror=alert(1)>.pdf",
                ),
                "title": hostile(surface, short=True),
                "kind": "annex",
            },
            content_type="multipart/form-data",
            headers=as_organiser,
        )
        assert attached.status_code == 201, attached.json
        document_ids.append(attached.json["id"])
    # Published two hours ago, opened one hour ago: an offline observation received since fits.
    consultations.publish_consultation(
        organiser,
        db.session.scalar(sa.select(Consultation).where(Consultation.slug == slug)),
        now=now - timedelta(hours=2),
    )
    db.session.commit()
    hidden_document = client.post(
        f"/api/v1/consultations/{slug}/documents/{document_ids[0]}/hide",
        json={"reason": hostile("docreason")},
        headers=as_organiser,
    )
    assert hidden_document.status_code == 200, hidden_document.json
    extended = client.patch(
        f"/api/v1/consultations/{slug}",
        json={
            "closes_at": clock.isoformat(now + timedelta(days=25)),
            "reason": hostile("extension"),
        },
        headers=as_organiser,
    )
    assert extended.status_code == 200, extended.json
    articles = created.json["articles"]

    author = make_user()
    login_as(author)
    profile = client.post(
        "/compte/profil",
        data={
            "display_name": hostile("name", short=True),
            "profile_type": "organisation",
            "organisation_category": "association",
            "organisation_name": hostile("org", short=True),
            "hatvp_number": "",
        },
    )
    assert profile.status_code == 302
    assert (
        client.post("/compte/jetons", data={"name": hostile("token", short=True)}).status_code
        == 200
    )
    as_author = bearer(author)
    api = f"/api/v1/consultations/{slug}/contributions"
    sent = {
        "argument": {
            "kind": "argument",
            "article_id": articles[0]["id"],
            "position": "for",
            "title": hostile("ctitle", short=True),
            "body": hostile("argument"),
        },
        "amendment": {
            "kind": "amendment",
            "article_id": articles[1]["id"],
            "paragraph": 1,
            "body": hostile("rationale"),
            "proposed_text": hostile("proposed"),
        },
        "new_article": {
            "kind": "new_article",
            "article_id": articles[2]["id"],
            "body": hostile("newarticle"),
            "proposed_text": hostile("newtext"),
        },
        "source": {
            "kind": "source",
            "title": hostile("stitle", short=True),
            "body": hostile("source"),
            "url": 'https://example.org/"><script>alert(1)</script>?q=<img src=x onerror=alert(1)>',
        },
        "comment": {"kind": "comment", "body": hostile("comment")},
    }
    ids = {}
    for kind, payload in sent.items():
        response = client.post(api, json=payload, headers=as_author)
        assert response.status_code == 201, (kind, response.json)
        ids[kind] = response.json["id"]
    comment_page = f"/consultations/{slug}/contributions/{ids['comment']}"
    assert (
        client.post(comment_page + "/reponses", data={"body": hostile("reply")}).status_code == 302
    )
    assert (
        client.post(f"/consultations/{slug}/contributions", data={"body": hostile("webcomment")})
    ).status_code == 302
    # The article page's form: each kind's own field; the other kinds' fields, sent as a
    # browser without JavaScript sends them, are never stored.
    for data in (
        {
            "kind": "amendment",
            "paragraph": "1",
            "body": hostile("webrationale"),
            "proposed_text": hostile("webwording"),
            "new_article_text": hostile("unused"),
            "url": hostile("unused"),
        },
        {
            "kind": "new_article",
            "body": hostile("webnewarticle"),
            "title": hostile("webtitle", short=True),
            "proposed_text": hostile("unused"),
            "new_article_text": hostile("webnewtext"),
            "position": hostile("unused", short=True),
        },
    ):
        sent_form = client.post(f"/consultations/{slug}/articles/1/contributions", data=data)
        assert sent_form.status_code == 302, data["kind"]

    login_as(organiser)
    offline = client.post(
        f"/gestion/consultations/{slug}/observations",
        data={
            "channel": "letter",
            "author_name": hostile("offline", short=True),
            "received_at": clock.to_paris(now).strftime("%Y-%m-%dT%H:%M"),
            "article": "",
            "body": hostile("letter"),
        },
    )
    assert offline.status_code == 302

    reporter = make_user()
    login_as(reporter)
    report = client.post(
        f"/contributions/{ids['comment']}/signaler",
        data={"reason": "other", "details": hostile("report")},
    )
    assert report.status_code == 302

    # A hidden comment whose author appeals with hostile text: the moderators read it, and its
    # position paper, named with hostile text (no slash: only a path's last part is kept; no
    # double quote: it would end the name in the multipart body).
    moderator = make_user(Role.moderator)
    hidden = client.post(
        api,
        data={
            "kind": "comment",
            "body": "Avis bientôt masqué.",
            "paper": (
                io.BytesIO(pdf_with_text("Position")),
                f"{MARK}paper '><img src=x onerror=alert(1)> {{{{ 7*7777 }}}}\u202egnp.pdf",
            ),
        },
        content_type="multipart/form-data",
        headers=as_author,
    ).json["id"]
    hide = client.post(
        f"/api/v1/contributions/{hidden}/moderation",
        json={"action": "hide", "reason": "off_topic"},
        headers=bearer(moderator),
    )
    assert hide.status_code == 200
    login_as(author)
    appeal = client.post(
        f"/consultations/{slug}/contributions/{hidden}/recours", data={"body": hostile("appeal")}
    )
    assert appeal.status_code == 302
    db.session.expire_all()
    return {
        "slug": slug,
        "ids": ids,
        "sent": sent,
        "author": author,
        "organiser": organiser,
        "moderator": moderator,
        "appealed": hidden,
        "appealed_paper": db.session.get(Contribution, hidden).paper.filename,
        "all_ids": list(db.session.scalars(sa.select(Contribution.id))),
    }


# --- Every page, every visitor ------------------------------------------------------------------

# A value for each route argument of the site's GET pages; a new argument needs one here.
ROUTE_ARGUMENTS = {
    "number": "2",
    "lang": "fr",
    "token": "jeton-inconnu",
    "follow_up_id": "1",
    "theme_id": "1",
    "key": "ouverture",
    "part": "1",
    "document_id": "1",
    "filename": "etude.pdf",
    "revision_id": "1",
}


def _get_pages(app, world) -> list[str]:
    arguments = ROUTE_ARGUMENTS | {
        "slug": world["slug"],
        "contribution_id": world["ids"]["comment"],
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
            continue
        missing = set(rule.arguments) - set(arguments)
        assert not missing, f"{rule.rule}: add a value for {missing} to ROUTE_ARGUMENTS"
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", str(arguments[name]), url)
        urls.append(url)
    return sorted(urls)


def _visit(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    if response.mimetype == "application/zip":  # binary: its CSVs are checked in opendata tests
        response.get_data()
        return ""
    if response.mimetype == "application/pdf":  # a position paper, served as a file
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert "<" not in response.headers["Content-Disposition"], url
        response.get_data()
        response.close()
        return ""
    page = response.get_data(as_text=True)
    if response.mimetype in ("text/html", "application/atom+xml"):
        assert executable_markup(page) == [], url
    elif response.mimetype == "application/json":
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    return page


def test_every_page_shows_hostile_text_inert(app, client, db, world, login_as):
    slug = world["slug"]
    pages = _get_pages(app, world)
    pages += [f"/consultations/{slug}/contributions/{i}" for i in world["all_ids"]]
    pages += [
        f"/consultations/{slug}/contributions?ordre={s}"
        for s in ("recent", "popular", "controversial")
    ]
    pages += [f"/consultations/{slug}/articles/{n}" for n in ("1", "3")]
    pages += [f"/consultations/{slug}/articles/1?type=amendment&alinea=1#contribuer"]
    pages += [f"/consultations/{slug}/articles/1?type={quote(SHORT)}&alinea={quote(SHORT)}"]
    pages += [f"/contributions/{world['ids']['argument']}/signaler"]
    pages += [f"/moderation/contributions/{world['ids']['comment']}"]
    paper = quote(world["appealed_paper"])
    pages += [
        f"/moderation/contributions/{world['appealed']}",
        f"/moderation/contributions/{world['appealed']}/contribution-ecrite/{paper}",
        "/moderation/?state=appealed",
        f"/consultations/{slug}/contributions/{world['appealed']}/recours",
    ]
    seen = []
    for visitor in (None, world["author"], world["organiser"], world["moderator"]):
        if visitor is None:
            client.post("/deconnexion")
        else:
            login_as(visitor)
        seen += [_visit(client, url) for url in pages]
    everything = "\n".join(seen)
    surfaces = [
        "title", "summary", "article", "extension", "note", "name", "org", "token", "ctitle",
        "argument", "rationale", "proposed", "newarticle", "newtext", "stitle", "source",
        "comment", "reply", "webcomment", "offline", "letter", "report", "appeal",
        "webrationale", "webwording", "webnewarticle", "webnewtext", "webtitle",
        "doctitle", "doctitle2", "docreason", "paper",
    ] + [f"notice{n}" for n in range(9)]  # fmt: skip
    assert [s for s in surfaces if f"{MARK}{s} " not in everything] == []
    assert f"{MARK}unused " not in everything
    # The explanatory note is the one piece of rich text: its links are kept only for http(s),
    # with rel="nofollow ugc noopener".
    show = client.get(f"/consultations/{slug}").get_data(as_text=True)
    assert '<a href="https://ok.example/page" rel="nofollow ugc noopener">sûr</a>' in show
    assert 'href="javascript' not in show.lower() and 'href="data' not in show.lower()
    # The source's address is a link, but only as the http(s) address it was given.
    source = client.get(f"/consultations/{slug}/contributions/{world['ids']['source']}")
    assert 'href="https://example.org/&#34;&gt;&lt;script&gt;' in source.get_data(as_text=True)


def test_the_api_returns_hostile_text_as_data(client, db, world, bearer):
    slug, sent = world["slug"], world["sent"]
    for kind, contribution_id in world["ids"].items():
        response = client.get(f"/api/v1/contributions/{contribution_id}")
        assert response.status_code == 200 and response.mimetype == "application/json"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.json["body"] == sent[kind]["body"]  # stored as written
    detail = client.get(f"/api/v1/consultations/{slug}")
    assert detail.json["title"] == hostile("title", short=True)
    listing = client.get(f"/api/v1/consultations/{slug}/contributions?sort=recent")
    assert {c["author"]["display_name"] for c in listing.json["contributions"]} >= {
        hostile("name", short=True)
    }
    # The moderator's queue gives the hidden paper's hostile name as data, and its address
    # serves the file under a name kept inert.
    as_moderator = bearer(world["moderator"])
    queue = client.get("/api/v1/moderation/queue?state=appealed", headers=as_moderator)
    [paper] = [
        item["contribution"]["paper"]
        for item in queue.json["items"]
        if item["contribution"]["id"] == world["appealed"]
    ]
    assert paper["name"] == world["appealed_paper"] and MARK in paper["name"]
    served = client.get(paper["url"].removeprefix("http://localhost"), headers=as_moderator)
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "<" not in served.headers["Content-Disposition"]
    assert served.headers["Content-Disposition"].startswith('inline; filename="')
    served.close()


HOSTILE_QUERIES = [
    "ordre=<script>alert(1)</script>",
    'ordre=random&suite="><img src=x onerror=alert(1)>',
    "type=<svg onload=alert(1)>",
    "position=javascript:alert(1)",
    "auteur={{7*7777}}",
    "suite=eyJzIjogInJlY2VudCJ9",
    "suite=%C2%B2",
    "ordre=popular&suite=W10",
]
API_QUERIES = [
    "sort=<script>alert(1)</script>",
    "sort={{7*7777}}",
    "kind=<img src=x onerror=alert(1)>",
    'cursor="><script>',
    "cursor=W1tdXQ",
    "seed=-1",
    "seed=%C2%B2",
    "seed=99999999999999999999999999",
    "article=99999999999999999999999999",
    "article=javascript:alert(1)",
    "position=%E2%80%AE",
    "author_type=<b>",
]


def test_unknown_sorts_filters_and_cursors_get_a_clear_refusal(client, db, world, login_as):
    slug = world["slug"]
    for query in HOSTILE_QUERIES:
        response = client.get(f"/consultations/{slug}/contributions?{query}")
        page = response.get_data(as_text=True)
        assert response.status_code in (200, 400, 422), query
        assert '<html lang="fr"' in page and executable_markup(page) == [], query
        if response.status_code != 200:
            assert "Requête invalide" in page, query
    for query in API_QUERIES:
        response = client.get(f"/api/v1/consultations/{slug}/contributions?{query}")
        assert response.status_code in (200, 400, 422), query
        if response.status_code != 200:
            error = response.json["error"]
            assert error["code"] in ("invalid", "bad_request", "invalid_cursor"), query
            assert error["message"], query
    statuses = client.get("/api/v1/consultations?status=<script>alert(1)</script>")
    assert (
        statuses.status_code == 422 and "<script>" not in statuses.json["error"]["fields"]["status"]
    )
    tracked = client.get("/suivi", query_string={"numero": SHORT})
    assert tracked.status_code == 404 and executable_markup(tracked.get_data(as_text=True)) == []
    login_as(world["moderator"])
    for query in (
        "etat=<script>",
        "consultation=<svg>",
        "motif={{7*7777}}",
        "suite=W10",
        "taille=1e9",
    ):
        response = client.get(f"/moderation/?{query}")
        assert response.status_code in (200, 400, 422), query
        assert executable_markup(response.get_data(as_text=True)) == [], query
    assert client.get("/moderation/journal?avant=99999999999999999999").status_code in (200, 400)


def test_refused_input_is_a_clear_error_never_a_500(client, db, world, bearer):
    slug = world["slug"]
    as_author = bearer(world["author"])
    api = f"/api/v1/consultations/{slug}/contributions"
    for url in (
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example",
    ):
        response = client.post(
            api, json={"kind": "source", "title": "t", "body": "b", "url": url}, headers=as_author
        )
        assert response.status_code == 422 and "url" in response.json["error"]["fields"], url
    for body in ({"kind": "comment", "body": "nul \x00 ici"}, {"kind": "comment\x00", "body": "x"}):
        response = client.post(api, json=body, headers=as_author)
        assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"
    for body in ({"kind": ["comment"], "body": {"x": 1}}, {"kind": "comment", "body": 7}, []):
        response = client.post(api, json=body, headers=as_author)
        assert response.status_code in (400, 422), body
    too_long = client.post(
        "/api/v1/consultations",
        json={
            "title": "Titre",
            "legal_basis": "crpa_l131_1",
            "notice": {"organiser": "x" * 301, "commission_name": LONG * 3},
        },
        headers=bearer(world["organiser"]),
    )
    assert too_long.status_code == 422
    assert set(too_long.json["error"]["fields"]) == {"notice.organiser", "notice.commission_name"}
    for path in ("/consultations/%00", f"/consultations/{slug}/contributions/99999999999999999999"):
        assert client.get(path).status_code in (400, 404), path
    assert client.get("/api/v1/contributions/99999999999999999999").status_code == 404
    count = db.session.scalar(sa.select(sa.func.count(Contribution.id)))
    assert count == len(world["all_ids"])


def test_only_sanitised_html_is_marked_safe():
    """Templates never mark text safe, and only the sanitiser builds Markup in Python (and the
    page translations, from the catalogue, as Jinja's own gettext does)."""
    unsafe = re.compile(r"\|\s*safe\b|autoescape\s+false|Markup\(")
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and unsafe.search(path.read_text(encoding="utf-8"))
    ]
    offenders += [
        str(path.relative_to(ROOT))
        for path in (ROOT / "consultation").rglob("*.py")
        if re.search(r"\bMarkup\(|markupsafe", path.read_text(encoding="utf-8"))
        # The sanitiser; and core.i18n's page translations, which mark the catalogue's own
        # messages safe as Jinja's gettext does (the variables are escaped).
        and path.relative_to(ROOT).as_posix()
        not in ("consultation/core/sanitize.py", "consultation/core/i18n.py")
    ]
    assert offenders == []


def test_participation_actions_take_hostile_input_as_text(client, db, world, login_as):
    """Votes, edits and withdrawals from the website: a hostile value or return address is
    refused in French or kept as text, and the answer never leaves the site."""
    slug, ids = world["slug"], world["ids"]
    base = f"/consultations/{slug}/contributions/{ids['argument']}"
    login_as(world["moderator"])
    for value, back in (
        (SHORT, SHORT),
        ("{{ 7*7777 }}", "javascript:alert(1)"),
        ("agree", "//evil.example/x"),
        ("mixed", "/\\evil.example"),
        ("disagree", f'{base}?x="><script>alert(1)</script>'),
    ):
        response = client.post(base + "/avis", data={"value": value, "retour": back})
        location = response.headers["Location"]
        assert response.status_code == 302, value
        assert location.startswith("/") and not location.startswith(("//", "/\\")), location
        page = _visit(client, location)
        assert "54439" not in page
        if value != "agree" and value not in ("mixed", "disagree"):
            assert "Avis inconnu" in page, value
    response = client.post(base + "/avis/retirer", data={"retour": SHORT})
    assert response.status_code == 302 and response.headers["Location"].startswith("/")

    login_as(world["author"])
    edited = client.post(
        base + "/modifier",
        data={
            "position": SHORT,
            "title": hostile("edittitle", short=True),
            "body": hostile("edit"),
        },
    )
    assert edited.status_code == 422 and executable_markup(edited.get_data(as_text=True)) == []
    assert "Indiquez si l&#39;argument est pour ou contre" in edited.get_data(as_text=True)
    edited = client.post(
        base + "/modifier",
        data={
            "position": "against",
            "title": hostile("edittitle", short=True),
            "body": hostile("edit"),
        },
    )
    assert edited.status_code == 302
    page = _visit(client, base)
    assert f"{MARK}edit " in page and f"{MARK}edittitle " in page and "modifiée" in page
    assert _visit(client, base + "/modifier").count(f"{MARK}edit ") >= 1
    assert client.post(base + "/retirer").status_code == 302
    page = _visit(client, base)
    assert f"{MARK}edit " not in page and "Contribution retirée par son auteur" in page

"""Fuzzing every route: random bytes, depths and Unicode, with each role, on each backend.

Every URL rule of the application (walked from the URL map, so that a new route is covered
without a word here) is called with each method it accepts, by an anonymous visitor, a
participant, an organiser, a moderator and an administrator (a session for the pages, a
bearer token for the API). Path parameters are real ids and slugs of a small world, or hostile
values; query strings carry forged cursors, huge numbers, NaN and lone surrogates; bodies are
random bytes, JSON nested thousands deep, JSON objects of the fields the forms and the API
read (taken from the forms' classes and the OpenAPI document) filled with wrong types, huge
numbers, NaN and Unicode including lone surrogates, forms and multipart posts, and bodies over
the size limit; some requests go out with CSRF protection on and no token.

No answer may be a 500: bad input is a 4xx with a French message, given by the route's own
checks — an answer from the database's range check (`setup.value_out_of_range`, a safety net)
fails the test too. Each route and method gets EXAMPLES_PER_ROUTE requests (HEAD and OPTIONS
a few) from a derandomised hypothesis, the same requests on every run (about 1,500 in all,
some 15–35 s on each backend); every failure is collected with the end of its traceback, so
one run reports them all. Plausible values beside the hostile ones (`_plausible`) get
requests past the shape checks into the services; the test also checks that the answers are
not all refusals.
"""

from __future__ import annotations

import base64
import inspect
import json
import logging
import re
import traceback
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from wtforms.fields.core import UnboundField

from consultation.accounts import services as accounts
from consultation.accounts.models import Role
from consultation.consultations import queries
from consultation.core import clock
from consultation.core.forms import Form
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.synthesis import follow_ups, publishing, review
from consultation.synthesis import services as synthesis
from tests.helpers import SAMPLE_TEXT, complete_notice

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_PER_ROUTE = 10
EXAMPLES_AUTOMATIC = 2  # HEAD and OPTIONS
ROLES = ("anonymous", "participant", "organiser", "moderator", "admin")
WRITES = ("POST", "PUT", "PATCH", "DELETE")
BOUNDARY = "fuzzboundary"


# --- The world ------------------------------------------------------------------------------


@pytest.fixture
def world(app, db, make_consultation, make_user, organiser):
    """Draft, open and closed consultations with contributions, votes, a report, an answer, a
    published synthesis with a follow-up, a block and an API token; the people of each role
    with a token each."""
    now = clock.now()
    opened = make_consultation("open", title="Consultation ouverte")
    closed = make_consultation("closed", title="Consultation close")
    draft = make_consultation("draft", title="Brouillon")
    participant, other, spare = make_user(), make_user(), make_user()
    moderator, admin = make_user(Role.moderator), make_user(Role.admin)
    article = queries.load_text(opened).articles[0]
    argued = participation.submit_contribution(
        participant,
        opened,
        kind="argument",
        article_id=article.id,
        position="for",
        title="Un argument",
        body="Cet article protège les participants.",
    )
    comment = participation.submit_contribution(other, opened, kind="comment", body="Un avis.")
    participation.cast_contribution_vote(other, argued, "agree")
    moderation.report_contribution(participant, comment, "off_topic", "Hors sujet.")
    block = moderation.block_participant(moderator, spare, moderator.institution, "spam")
    during = closed.opens_at + timedelta(days=1)
    late = participation.submit_contribution(
        participant, closed, kind="comment", body="Une observation.", now=during
    )
    synthesis.answer_contribution(organiser, late, "retained", "Retenue.", now=now)
    publishing.save_synthesis(organiser, closed, body="La synthèse.", now=now)
    follow_up = follow_ups.create_follow_up(organiser, closed, title="Une suite", now=now)
    publishing.publish_synthesis(organiser, closed, now=now)
    theme = review.create_theme(organiser, closed, "Un thème", now=now)
    spare_token, _secret = accounts.create_api_token(spare, "autre")
    people = {
        "participant": participant,
        "organiser": organiser,
        "moderator": moderator,
        "admin": admin,
    }
    tokens = {role: accounts.create_api_token(user, "fuzz")[1] for role, user in people.items()}
    db.session.commit()
    ids = [argued.id, comment.id, late.id]
    return {
        "people": people,
        "tokens": tokens,
        "slug": [opened.slug, closed.slug, draft.slug],
        "contribution_id": ids,
        "article_id": [article.id],
        "number": [1, 2],
        "follow_up_id": [follow_up.id],
        "theme_id": [theme.id],
        "token_id": [spare_token.id],
        "block_id": [block.id],
        "lang": ["fr", "en"],
        "token": ["jeton-inconnu"],
        "filename": ["css/consultation.css"],
        "ids": ids + [article.id, follow_up.id, block.id],
        "slugs": [opened.slug, closed.slug, draft.slug],
    }


# --- What the routes read -----------------------------------------------------------------------


def _walk(value):
    """Every dict inside a JSON value, without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            yield item
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def _form_fields() -> set[str]:
    classes, pending = set(), [Form]
    while pending:
        cls = pending.pop()
        classes.add(cls)
        pending.extend(cls.__subclasses__())
    return {
        name
        for cls in classes
        for name, _value in inspect.getmembers(cls, lambda v: isinstance(v, UnboundField))
    }


def _query_names() -> set[str]:
    found = set()
    for path in (ROOT / "consultation").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""args\.get(?:list)?\(\s*["']([^"']+)["']""", text))
        found |= set(re.findall(r"""args\[\s*["']([^"']+)["']\s*\]""", text))
        found |= set(re.findall(r"""_integer\(\s*["']([^"']+)["']""", text))
    return found


@pytest.fixture
def vocabulary(app, world):
    """Field and parameter names the routes read, and values they understand."""
    document = app.test_client().get("/api/v1/openapi.json").json
    body_fields, query_names, words = set(), set(), set()
    for item in _walk(document):
        if isinstance(item.get("properties"), dict):
            body_fields |= set(item["properties"])
        if item.get("in") == "query":
            query_names.add(item["name"])
        if isinstance(item.get("enum"), list):
            words |= {w for w in item["enum"] if isinstance(w, str)}
    return {
        "fields": sorted(body_fields | _form_fields()),
        "query": sorted(query_names | _query_names() | {"next", "retour", "lang"}),
        "words": sorted(words),
        "plausible": _plausible(world),
    }


# --- Values -------------------------------------------------------------------------------------

SURROGATE = st.characters(categories=["Cs"])
# Without NUL, which refuses the whole request at once (SPECIAL_STRINGS has one).
UNICODE = st.text(st.one_of(st.characters(exclude_characters="\x00"), SURROGATE), max_size=30)
SPECIAL_STRINGS = [
    "",
    " ",
    "a\ud800b",
    "\udfff",
    "a\x00b",
    "\ud83d\ude00",
    "\U0001f600",
    "\u202e\u200b\ufeff",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "Infinity",
    "2147483648",
    "9223372036854775808",
    "9" * 40,
    "2030-05-01T10:00",
    "2030-02-30T10:00",
    "2030-05-01",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-23:59",
    "31/12/2030",
    "javascript:alert(1)",
    "https://example.org/page",
    "//evil.example",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "%",
    "../../etc/passwd",
    "x" * 5000,
    "Article 1er\nTexte.\n" * 50,
    "true",
    "null",
]
SPECIAL_NUMBERS = [
    0,
    -1,
    1,
    2,
    2**31,
    2**31 - 1,
    2**63,
    -(2**63) - 1,
    10**30,
    10**4000,
    0.5,
    1e308,
    -0.0,
    float("nan"),
    float("inf"),
    float("-inf"),
]
RAW_JSON = [
    "NaN",
    '{"value": NaN}',
    '{"limit": Infinity, "body": -Infinity}',
    '{"paragraph": 1e400}',
    '{"article_id": ' + "9" * 5000 + "}",
    '{"body": "a\\ud800b"}',
    '{"body": "\\udc00", "title": "\\ud800\\ud800"}',
    '{"\\ud800": 1}',
    '{"body": "ok"',
    '{"body": "ok"}}',
    '"\\ud800"',
    "[]",
    "null",
    "",
]


def _plausible(world) -> dict[str, list]:
    """Values that get a request past the shape checks, by field name (forms and API share
    their names), so that hostile values next to them reach the services."""
    now = clock.now()
    moment = [clock.isoformat(now + timedelta(days=d)) for d in (3, 40)]
    local = [clock.to_paris(now + timedelta(days=d)).strftime("%Y-%m-%dT%H:%M") for d in (3, 40)]
    day = [(now + timedelta(days=d)).date().isoformat() for d in (-1, 60)]
    articles, contributions = world["article_id"], world["contribution_id"]
    notice = complete_notice(now + timedelta(days=40))
    notice["synthesis_expected_on"] = notice["synthesis_expected_on"].isoformat()
    return {
        "kind": ["comment", "argument", "amendment", "new_article", "source"],
        "value": ["agree", "mixed", "disagree"],
        "position": ["for", "against"],
        "status": ["retained", "not_retained", "announced", "done", "open"],
        "action": ["hide", "restore", "dismiss", "duplicate", "block", "preview"],
        "reason": ["spam", "off_topic", "other"],
        "channel": ["letter", "email"],
        "legal_basis": ["crpa_l131_1", "env_l123_19"],
        "profile_type": ["individual", "organisation"],
        "organisation_category": ["association", "company"],
        "institution": ["ministere"],
        "opens_at": moment + local,
        "closes_at": moment + local,
        "received_at": moment + local,
        "due_date": day,
        "signed_on": day,
        "synthesis_expected_on": day,
        "notice_synthesis_expected_on": day,
        "url": ["https://example.org/source"],
        "reasons_url": ["https://example.org/motifs"],
        "email": ["personne@example.org"],
        "article": ["1", articles[0]],
        "article_id": articles,
        "contribution_id": contributions,
        "parent_id": contributions,
        "duplicate_of": contributions,
        "paragraph": [1, 2],
        "ids": [contributions[:2]],
        "article_ids": [articles],
        "contribution_ids": [contributions[:2]],
        "acknowledge_warnings": [True],
        "observations_published": [True],
        "notice_answers_committed": [10],
        "text": [SAMPLE_TEXT],
        "notice": [notice],
        "follow_ups": [[{"title": "Une suite", "status": "announced", "due_date": day[1]}]],
        "website": [""],
    }


TEXTS = ["Un texte ordinaire, assez long pour être accepté.", "Titre"]


def _scalars(world, vocabulary):
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.sampled_from(SPECIAL_NUMBERS),
        UNICODE,
        st.sampled_from(SPECIAL_STRINGS),
        st.sampled_from(vocabulary["words"]),
        st.sampled_from(world["ids"]),
        st.sampled_from(world["slugs"]),
    )


def _json_values(world, vocabulary):
    return st.recursive(
        _scalars(world, vocabulary),
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.dictionaries(st.sampled_from(vocabulary["fields"]) | UNICODE, children, max_size=3),
        ),
        max_leaves=6,
    )


def _text_values(world, vocabulary):
    return st.one_of(
        UNICODE,
        st.sampled_from(SPECIAL_STRINGS),
        st.sampled_from(vocabulary["words"]),
        st.sampled_from([str(i) for i in world["ids"]] + world["slugs"]),
        st.integers().map(str),
    )


def _quote(text: str) -> str:
    return urllib.parse.quote(text, safe="", encoding="utf-8", errors="surrogatepass")


def _cursor(raw: str) -> str:
    data = raw.encode("utf-8", "surrogatepass")
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _cursors(world, vocabulary):
    forged = st.sampled_from(
        [
            '["recent",NaN]',
            '["popular",NaN,1]',
            '["popular",Infinity,1]',
            '["random",0,1e400,1]',
            '["recent",1e300]',
            '["recent",1.5]',
            '["recent",true]',
            '["recent",-1]',
            '["recent",99999999999999999999999]',
            '["controversial","1",1]',
            '["2030-01-01T00:00:00+00:00",NaN]',
            '["not a date",1]',
            "[NaN]",
            "[-1]",
            '["recent",' + "[" * 3000 + "]" * 3000 + "]",
            '["recent","\\ud800"]',
            "{}",
            "not json",
        ]
    )
    generated = _json_values(world, vocabulary).map(lambda value: json.dumps(value, allow_nan=True))
    return st.one_of(
        forged.map(_cursor),
        generated.map(_cursor),
        st.sampled_from(["", "=", "!!!", "W10", "a" * 2000]),
    )


def _query_strings(world, vocabulary):
    value = st.one_of(_text_values(world, vocabulary), _cursors(world, vocabulary))
    pairs = st.lists(st.tuples(st.sampled_from(vocabulary["query"]) | UNICODE, value), max_size=4)
    return pairs.map(lambda items: "&".join(f"{_quote(k)}={_quote(v)}" for k, v in items))


# --- Bodies -------------------------------------------------------------------------------------


@dataclass
class Body:
    data: bytes = b""
    content_type: str | None = None
    oversize: bool = False


def _json_bytes(value, ascii_only: bool) -> bytes:
    text = json.dumps(value, allow_nan=True, ensure_ascii=ascii_only)
    return text.encode("utf-8", "surrogatepass")


def _form_bytes(pairs) -> bytes:
    return "&".join(f"{_quote(k)}={_quote(v)}" for k, v in pairs).encode("ascii")


def _multipart_bytes(pairs, upload: bytes) -> bytes:
    parts = []
    for name, value in pairs:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'.encode()
            + value.encode("utf-8", "surrogatepass")
            + b"\r\n"
        )
    parts.append(
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        'name="text_file"; filename="texte.md"\r\nContent-Type: text/markdown\r\n\r\n'.encode()
        + upload
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def _deep(depth: int, shape: str) -> bytes:
    if shape == "list":
        return b"[" * depth + b"]" * depth
    if shape == "object":
        return b'{"a":' * depth + b"1" + b"}" * depth
    if shape == "mixed":
        return b'[{"body":' * depth + b"1" + b"}]" * depth
    return b"[" * depth  # never closed


def _as_form_value(value) -> list[str]:
    if isinstance(value, bool):
        return ["y"] if value else []
    if isinstance(value, list):
        return [str(item) for item in value]
    if isinstance(value, dict):
        return [json.dumps(value, default=str)]
    return [str(value)]


@st.composite
def _plausible_fields(draw, world, vocabulary, hostile):
    """Every field with a plausible value, some left out, some replaced by `hostile` ones."""
    table, names = vocabulary["plausible"], vocabulary["fields"]
    chance = draw(st.randoms(use_true_random=False))  # one draw for a hundred choices
    values = {name: chance.choice(table.get(name, TEXTS)) for name in names}
    for name in chance.sample(names, chance.randint(0, 4)):
        del values[name]
    values.update(draw(st.dictionaries(st.sampled_from(names) | UNICODE, hostile, max_size=3)))
    return values


def _bodies(world, vocabulary):
    fields = st.sampled_from(vocabulary["fields"])
    texts = _text_values(world, vocabulary)
    form_pairs = st.lists(st.tuples(fields | UNICODE, texts), max_size=6)
    plausible_json = _plausible_fields(world, vocabulary, _json_values(world, vocabulary))
    plausible_form = _plausible_fields(world, vocabulary, texts).map(
        lambda values: [(k, v) for k, value in values.items() for v in _as_form_value(value)]
    )
    content_types = st.sampled_from(
        [
            None,
            "application/json",
            "application/x-www-form-urlencoded",
            f"multipart/form-data; boundary={BOUNDARY}",
            "text/plain",
            "application/json; charset=utf-16",
        ]
    )
    return st.one_of(
        st.just(Body()),
        st.builds(Body, st.binary(max_size=300), content_types),
        st.builds(
            lambda depth, shape: Body(_deep(depth, shape), "application/json"),
            st.sampled_from([31, 32, 33, 100, 3000, 100_000]),
            st.sampled_from(["list", "object", "mixed", "open"]),
        ),
        st.builds(
            lambda value, ascii_only: Body(_json_bytes(value, ascii_only), "application/json"),
            plausible_json | _json_values(world, vocabulary),
            st.booleans(),
        ),
        plausible_json.map(lambda value: Body(_json_bytes(value, True), "application/json")),
        st.sampled_from(RAW_JSON).map(lambda raw: Body(raw.encode(), "application/json")),
        st.builds(
            lambda pairs: Body(_form_bytes(pairs), "application/x-www-form-urlencoded"),
            plausible_form | form_pairs,
        ),
        plausible_form.map(
            lambda pairs: Body(_form_bytes(pairs), "application/x-www-form-urlencoded")
        ),
        st.builds(
            lambda pairs, upload: Body(
                _multipart_bytes(pairs, upload), f"multipart/form-data; boundary={BOUNDARY}"
            ),
            plausible_form | form_pairs,
            st.binary(max_size=200) | st.sampled_from([b"\xed\xa0\x80", SAMPLE_TEXT.encode()]),
        ),
        st.sampled_from(["application/x-www-form-urlencoded", "application/json"]).map(
            lambda content_type: Body(b"", content_type, oversize=True)
        ),
    )


# --- Requests -----------------------------------------------------------------------------------

INT_HOSTILE = ["0", "2147483647", "2147483648", "99999999999999999999", "-1", "1.5", "abc"]
TEXT_HOSTILE = [
    "inconnue",
    "%ED%A0%80",
    "a%00b",
    "%C0%AF",
    "..",
    "%2F",
    "x" * 300,
    "%F0%9F%98%80",
    "%3Cscript%3E",
]
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "If-None-Match": st.sampled_from(['W/"x"', "*", "", '"' + "a" * 500]),
        "If-Modified-Since": st.sampled_from(
            ["garbage", "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"]
        ),
        "X-Forwarded-For": st.sampled_from(["1.2.3.4", "garbage, , ::1", "x" * 300]),
        "Accept-Language": st.sampled_from(["en", "*", "zz-ZZ;q=abc"]),
        "Cookie": st.sampled_from(["lang=en", "lang=<script>", "session=garbage"]),
    },
)
BAD_AUTHORIZATION = ["Bearer ", "Bearer x", "Basic Zm9vOmJhcg==", "Bearer " + "a" * 2000]


@dataclass
class Call:
    role: str
    method: str
    url: str
    body: Body
    headers: dict = field(default_factory=dict)
    csrf: bool = False

    def describe(self) -> str:
        data = self.body.data[:160] if not self.body.oversize else b"<over the size limit>"
        return (
            f"{self.method} {self.url[:200]} as {self.role} (csrf={self.csrf}) "
            f"{self.body.content_type} {data!r} {self.headers}"
        )


def _path_value(rule, name: str, world):
    converter = type(rule._converters[name]).__name__
    hostile = INT_HOSTILE if "Int" in converter else TEXT_HOSTILE
    known = [str(value) for value in world.get(name, [])]
    return st.sampled_from(known * 4 + hostile) if known else st.sampled_from(hostile)


def _url(rule, values: dict) -> str:
    url = rule.rule
    for name, value in values.items():
        url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", lambda _m, v=value: v, url)
    return url


def _calls(rule, method: str, world, vocabulary):
    path = st.fixed_dictionaries({name: _path_value(rule, name, world) for name in rule.arguments})
    body = _bodies(world, vocabulary) if method in WRITES else st.just(Body())
    return st.builds(
        lambda role, values, query, body, headers, bad_auth, csrf: Call(
            role,
            method,
            _url(rule, values) + (f"?{query}" if query else ""),
            body,
            headers | ({"Authorization": bad_auth} if bad_auth else {}),
            csrf,
        ),
        st.sampled_from(ROLES),
        path,
        _query_strings(world, vocabulary),
        body,
        HEADERS,
        st.sampled_from([None] * 20 + BAD_AUTHORIZATION),
        st.sampled_from([False, False, False, True]),
    )


def _send(app, clients, world, call: Call):
    client = clients[call.role]
    headers = dict(call.headers)
    if call.role != "anonymous":
        user = world["people"][call.role]
        with client.session_transaction() as session:  # signed in again after a sign-out
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        headers.setdefault("Authorization", f"Bearer {world['tokens'][call.role]}")
    data = call.body.data
    if call.body.oversize:
        data = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    app.config["WTF_CSRF_ENABLED"] = call.csrf
    try:
        response = client.open(
            call.url,
            method=call.method,
            data=data,
            headers=headers,
            content_type=call.body.content_type,
        )
        response.get_data()  # a streamed answer runs to its end
        return response.status_code
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- The test -----------------------------------------------------------------------------------


def _routes(app):
    """(rule, method, number of examples): HEAD and OPTIONS, which Flask answers for every
    rule, get a few."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods or ()):
            automatic = method in ("HEAD", "OPTIONS")
            yield rule, method, EXAMPLES_AUTOMATIC if automatic else EXAMPLES_PER_ROUTE


class _LastError(logging.Handler):
    """Keeps the end of the traceback the 500 handler logs, for the failure report, and
    whether the database's range check (setup.value_out_of_range, a safety net: each route
    should refuse such input itself) answered."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.last = ""
        self.safety_net = ""

    def emit(self, record):
        if record.exc_info:
            lines = traceback.format_exception(*record.exc_info)
            self.last = " | ".join(line.strip() for line in lines[-3:])[-500:]
        elif record.getMessage().startswith("value refused by the database"):
            self.safety_net = record.getMessage()


def test_no_input_gets_a_server_error(app, world, vocabulary):
    clients = {role: app.test_client() for role in ROLES}
    routes = list(_routes(app))
    assert len(routes) > 200
    failures: list[str] = []
    seen: Counter = Counter()
    errors = _LastError()
    logger = logging.getLogger("consultation")
    logger.addHandler(errors)
    try:
        for rule, method, examples in routes:

            @settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(call=_calls(rule, method, world, vocabulary))
            def check(call):
                errors.last = errors.safety_net = ""
                try:
                    status = _send(app, clients, world, call)
                except Exception as error:  # an exception the error handlers let through
                    failures.append(f"{call.describe()} -> {type(error).__name__}: {error}"[:600])
                    return
                seen[status] += 1
                if status >= 500:
                    failures.append(f"{call.describe()} -> {status}: {errors.last}")
                elif errors.safety_net:
                    failures.append(f"{call.describe()} -> {status}: {errors.safety_net}")

            check()
    finally:
        logger.removeHandler(errors)
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:40])
    # The requests reach the views and the services, not only the first refusals.
    assert {200, 302, 400, 401, 403, 404, 413, 422} <= set(seen), seen
    assert seen[200] + seen[201] + seen[302] > sum(seen.values()) / 5, seen

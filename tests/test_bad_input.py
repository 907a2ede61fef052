"""Bad input is a 4xx with a French message, never a 500: one regression test per finding of
the security pass (deep JSON, forged cursors, lone surrogates, oversize forms, the back-office's
date rule) and of the fuzz test (tests/test_fuzz.py)."""

from __future__ import annotations

import base64
import json

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from consultation.accounts.models import Role
from consultation.consultations.models import Consultation
from consultation.core import inputs
from consultation.core.errors import ValidationFailed
from consultation.participation import services as participation
from consultation.participation.forms import ContributionForm
from consultation.participation.models import Contribution

SURROGATE = "a\ud800b"


def _json(client, method, url, text: str | bytes, headers=None):
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    return client.open(
        url, method=method, data=data, content_type="application/json", headers=headers or {}
    )


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- Nesting depth --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 5000 + "1" + "}" * 5000,
        '{"kind": "comment", "body": ' + "[" * 33 + "]" * 33 + "}",
        "[" * 50_000,
    ],
)
def test_deep_json_is_a_400_before_authentication(client, db, make_consultation, body):
    opened = make_consultation("open")
    for url in ("/api/v1/consultations", f"/api/v1/consultations/{opened.slug}/contributions"):
        response = _json(client, "POST", url, body)  # no token
        assert response.status_code == 400
        assert response.json["error"]["code"] == "invalid_json"
        assert "imbriqué" in response.json["error"]["message"]
    page = _json(client, "POST", f"/consultations/{opened.slug}/contributions", body)
    assert page.status_code == 400 and '<html lang="fr"' in page.get_data(as_text=True)


def test_nesting_is_measured_outside_strings_without_parsing():
    assert inputs.nesting_within("[" * 32 + "]" * 32, 32)
    assert not inputs.nesting_within("[" * 33 + "]" * 33, 32)
    assert inputs.nesting_within('{"body": "' + "[" * 500 + '"}', 32)  # inside a string
    assert inputs.nesting_within('["\\"[[[[", {"a": []}]', 3)  # an escaped quote
    assert inputs.nesting_within("[}", 32)  # brackets that do not match: the parser's refusal
    assert inputs.nesting_within("[[]" * 3 + "]]]", 32)
    assert not inputs.nesting_within("[[]" * 40, 32)  # deep without a run of openers
    assert not inputs.nesting_within("[" * 33, 32)  # never closed, but deep all the same
    assert not inputs.nesting_within("[]" * 1000 + "[" * 40 + "]" * 39, 32)
    assert inputs.nesting_within("[]" * 100_000, 1)


def test_a_body_nested_as_deep_as_the_limit_is_read(client, db, organiser, bearer):
    nested = "[" * (inputs.MAX_JSON_DEPTH - 1) + "]" * (inputs.MAX_JSON_DEPTH - 1)
    response = _json(
        client,
        "POST",
        "/api/v1/consultations",
        '{"title": "Titre", "legal_basis": "crpa_l131_1", "extra": ' + nested + "}",
        bearer(organiser),
    )
    assert response.status_code == 201, response.json


@pytest.mark.parametrize(
    "body",
    ['{"kind": "comment", "body": NaN}', '{"paragraph": Infinity}', '{"paragraph": 1e400}'],
)
def test_numbers_json_does_not_admit_are_a_400(
    client, db, make_consultation, make_user, bearer, body
):
    opened = make_consultation("open")
    url = f"/api/v1/consultations/{opened.slug}/contributions"
    response = _json(client, "POST", url, body, bearer(make_user()))
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_json"


def test_a_body_that_is_not_json_stays_a_bad_request(client, db, organiser, bearer):
    response = _json(client, "POST", "/api/v1/consultations", "{", bearer(organiser))
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_request"


# --- Cursors --------------------------------------------------------------------------------

FORGED = [
    '["recent",NaN]',
    '["recent",Infinity]',
    '["recent",1.5]',
    '["recent",1e300]',
    '["recent",true]',
    '["recent",-1]',
    '["recent",2147483648]',
    '["recent","3"]',
    '["popular",NaN,1]',
    '["popular",1,1]',
    '["popular",0.5,NaN]',
    '["controversial",0.5,1]',
    '["random",0,NaN,1]',
    '["random",0,1,1,1]',
    '["recent",' + "[" * 300 + "]" * 300 + "]",
    "[NaN]",
]


@pytest.fixture
def listed(make_consultation, make_user):
    opened = make_consultation("open")
    authors = [make_user() for _ in range(3)]
    for author in authors:
        participation.submit_contribution(author, opened, kind="comment", body="Un avis.")
    return opened


def test_a_forged_cursor_is_a_400_invalid_cursor(client, db, listed):
    url = f"/api/v1/consultations/{listed.slug}/contributions"
    for raw in FORGED:
        sort = json.loads(raw, parse_constant=lambda _c: 0)[0] if raw.startswith('["') else "recent"
        response = client.get(url, query_string={"sort": sort, "cursor": _cursor(raw)})
        assert response.status_code == 400, raw
        assert response.json["error"]["code"] == "invalid_cursor", raw
        assert response.json["error"]["fields"] == {"cursor": "Curseur de pagination invalide."}
    too_long = client.get(url, query_string={"cursor": "W" * 5000})
    assert too_long.json["error"]["code"] == "invalid_cursor"


def test_a_cursor_the_site_wrote_still_pages(client, db, listed):
    url = f"/api/v1/consultations/{listed.slug}/contributions"
    for sort in ("random", "recent", "popular", "controversial"):
        seen, cursor = [], None
        while True:
            query = {"sort": sort, "limit": 1, "seed": 7} | ({"cursor": cursor} if cursor else {})
            page = client.get(url, query_string=query).json
            seen += [c["id"] for c in page["contributions"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 3, sort


def test_forged_cursors_of_every_list_are_refused(client, db, listed, make_user, bearer, login_as):
    moderator = make_user(Role.moderator)
    nan = _cursor('["recent",NaN]')
    for url, headers in (
        ("/api/v1/consultations", {}),
        ("/api/v1/moderation/queue", bearer(moderator)),
        (f"/api/v1/consultations/{listed.slug}/ledger/entries", {}),
        (f"/api/v1/consultations/{listed.slug}/ledger/checkpoints", {}),
    ):
        for raw in ("[NaN,1]", '["2030-01-01T00:00:00+00:00",NaN]', "[1.5]", "[1e300, 1]"):
            response = client.get(url, query_string={"cursor": _cursor(raw)}, headers=headers)
            assert response.status_code == 400, (url, raw)
            assert response.json["error"]["code"] == "invalid_cursor", (url, raw)
    page = client.get(f"/consultations/{listed.slug}/contributions?ordre=recent&suite={nan}")
    assert page.status_code == 400 and "Requête invalide" in page.get_data(as_text=True)
    login_as(moderator)  # the queue shows its filters again, with the error
    queue = client.get(f"/moderation/?suite={_cursor('[NaN,1]')}")
    assert queue.status_code == 422 and "Curseur de pagination invalide" in queue.get_data(
        as_text=True
    )


# --- Lone surrogates ------------------------------------------------------------------------


def test_a_lone_surrogate_in_an_api_text_is_a_422_naming_the_field(
    client, db, make_consultation, make_user, bearer
):
    opened = make_consultation("open")
    author = make_user()
    url = f"/api/v1/consultations/{opened.slug}/contributions"
    for ascii_only in (True, False):  # "\ud800" as an escape, or its UTF-8 bytes as such
        body = json.dumps(
            {"kind": "comment", "title": SURROGATE, "body": "Un avis \udc00."},
            ensure_ascii=ascii_only,
        )
        response = _json(client, "POST", url, body, bearer(author))
        assert response.status_code == 422, ascii_only
        error = response.json["error"]
        assert error["code"] == "invalid" and set(error["fields"]) == {"title", "body"}
        assert "U+D800" in error["fields"]["body"]
    assert db.session.scalar(sa.select(sa.func.count(Contribution.id))) == 0


def test_lone_surrogates_are_named_in_nested_fields_and_keys(client, db, organiser, bearer):
    response = _json(
        client,
        "POST",
        "/api/v1/consultations",
        json.dumps(
            {
                "title": "Titre",
                "legal_basis": "crpa_l131_1",
                "notice": {"organiser": SURROGATE},
                "follow_ups": [{"title": "ok"}, {"title": "\udfff"}],
                "\ud800": 1,
            }
        ),
        bearer(organiser),
    )
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {
        "notice.organiser",
        "follow_ups[1].title",
        "\ufffd",
    }
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0


def test_a_surrogate_pair_written_as_escapes_is_a_character(
    client, db, make_consultation, make_user, bearer
):
    opened = make_consultation("open")
    url = f"/api/v1/consultations/{opened.slug}/contributions"
    body = '{"kind": "comment", "body": "Un sourire \\ud83d\\ude00"}'
    response = _json(client, "POST", url, body, bearer(make_user()))
    assert response.status_code == 201 and response.json["body"] == "Un sourire \U0001f600"


def test_a_lone_surrogate_in_a_form_field_is_an_error_next_to_it(app):
    with app.test_request_context("/", method="POST"):
        form = ContributionForm(
            formdata=MultiDict({"body": f"Mon avis {SURROGATE}", "title": "Titre"}),
            meta={"csrf": False},
        )
        assert not form.validate()
        assert form.body.errors[-1] == inputs.SURROGATE_MESSAGE
        assert form.body.data == "Mon avis a\ufffdb"  # given back, with U+FFFD in its place
        assert "U+D800" not in " ".join(form.title.errors)


def test_a_lone_surrogate_in_a_parameter_is_a_422_naming_it(app):
    with app.test_request_context("/api/v1/consultations/x/contributions", method="GET") as ctx:
        ctx.request.args = MultiDict({"kind": SURROGATE})
        ctx.request.view_args = {"slug": "\udc80"}
        with pytest.raises(ValidationFailed) as refused:
            app.preprocess_request()
        assert refused.value.fields == {
            "kind": inputs.SURROGATE_MESSAGE,
            "slug": inputs.SURROGATE_MESSAGE,
        }


# --- Size limit -----------------------------------------------------------------------------


def test_an_oversize_form_is_a_413_page_in_french(
    app, client, db, make_consultation, make_user, login_as
):
    opened = make_consultation("open")
    replied = participation.submit_contribution(
        make_user(), opened, kind="comment", body="Un avis."
    )
    login_as(make_user())
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    # A reply takes no file: its route keeps the global limit (the contribution forms take a
    # written contribution and accept more, see tests/core/test_upload_limits.py).
    response = client.post(
        f"/consultations/{opened.slug}/contributions/{replied.id}/reponses",
        data={"body": "x" * size},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert '<html lang="fr"' in page and "Envoi trop volumineux" in page and "4 Mo" in page
    app.config["MAX_FORM_MEMORY_SIZE"] = 1000  # a deployment's own limit for one text field
    field = client.post(  # one text field of a multipart form over its own limit
        f"/consultations/{opened.slug}/contributions",
        data={"body": "x" * 1001},
        content_type="multipart/form-data",
    )
    assert field.status_code == 413 and "Envoi trop volumineux" in field.get_data(as_text=True)


def test_an_oversize_api_body_is_a_413_in_json(app, client, db, organiser, bearer):
    body = b'{"title": "' + b"x" * app.config["MAX_CONTENT_LENGTH"] + b'"}'
    response = _json(client, "POST", "/api/v1/consultations", body, bearer(organiser))
    assert response.status_code == 413
    assert response.json["error"]["code"] == "payload_too_large"


# --- The back-office's date rule ----------------------------------------------------------------


def test_a_draft_closing_before_its_opening_is_an_error_next_to_the_field(
    client, db, make_consultation, organiser, login_as, bearer
):
    draft = make_consultation("draft")
    login_as(organiser)
    typed = {
        "title": "Titre retapé",
        "legal_basis": "crpa_l131_1",
        "opens_at": "2031-05-10T10:00",
        "closes_at": "2031-05-01T10:00",
        "notice_organiser": "Ministère",
    }
    response = client.post(f"/gestion/consultations/{draft.slug}", data=typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "La clôture doit être postérieure à l&#39;ouverture." in page
    assert 'value="Titre retapé"' in page and 'value="2031-05-01T10:00"' in page
    db.session.expire_all()
    assert (
        db.session.get(Consultation, draft.id).title == "Projet de loi relatif à la participation"
    )
    # The API answers the same rule, from the same service.
    api = client.patch(
        f"/api/v1/consultations/{draft.slug}",
        json={"opens_at": "2031-05-10T10:00:00+02:00", "closes_at": "2031-05-01T10:00:00+02:00"},
        headers=bearer(organiser),
    )
    assert api.status_code == 422
    assert api.json["error"]["fields"] == {
        "closes_at": "La clôture doit être postérieure à l'ouverture."
    }


def test_a_new_draft_closing_before_its_opening_keeps_what_was_typed(
    client, db, organiser, login_as
):
    login_as(organiser)
    response = client.post(
        "/gestion/consultations/nouvelle",
        data={
            "institution": organiser.institution.slug,
            "title": "Nouveau projet",
            "legal_basis": "crpa_l131_1",
            "opens_at": "2031-05-10T10:00",
            "closes_at": "2031-05-10T10:00",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "postérieure à l&#39;ouverture" in page
    assert 'value="Nouveau projet"' in page
    assert db.session.scalar(sa.select(sa.func.count(Consultation.id))) == 0


# --- Found by the fuzz test ---------------------------------------------------------------------


def test_a_json_body_posted_to_a_page_is_an_empty_form(
    client, db, make_consultation, make_user, login_as
):
    opened = make_consultation("open")
    login_as(make_user())
    for body in ("[[1], [2]]", '"texte"', "3", '{"body": ["a", "b"], "title": {"x": 1}}'):
        for url in ("/compte/profil", "/connexion", f"/consultations/{opened.slug}/contributions"):
            response = _json(client, "POST", url, body)
            assert response.status_code in (200, 302, 422), (url, body)


def test_a_new_draft_ignores_an_extension_reason(client, db, organiser, bearer):
    response = client.post(
        "/api/v1/consultations",
        json={"title": "Titre", "legal_basis": "crpa_l131_1", "reason": "Sans objet"},
        headers=bearer(organiser),
    )
    assert response.status_code == 201, response.json


def test_a_long_text_field_under_the_request_limit_is_not_refused_as_too_large(
    app, client, db, make_consultation, login_as, make_user
):
    """A bill pasted into the back-office form is one text field of a multipart form: werkzeug's
    500 kB default would refuse it; the field may fill the request."""
    opened = make_consultation("open")
    login_as(make_user())
    boundary = "frontiere"
    body = (
        "".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (("kind", "comment"), ("body", "x" * 600_000))
        )
        + f"--{boundary}--\r\n"
    )
    response = client.post(  # written out: the test client would spool it to a file
        f"/consultations/{opened.slug}/contributions",
        data=body.encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 422  # the form again, with a message on the body's length
    assert "caractères" in response.get_data(as_text=True)

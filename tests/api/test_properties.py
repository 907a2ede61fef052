"""Property-based test of the API against its own OpenAPI document (schemathesis).

For every documented operation, schemathesis generates requests — valid ones and, for part of
them, deliberately invalid ones (wrong types, values outside the enums, missing fields) — and
each answer must hold to what the document promises: never a 500, a documented status code, the
documented content type and a body matching the documented schema.

The requests aim at a small world so that they reach real rows rather than only 404s: an open
consultation with contributions, a closed one, and a participant whose token signs the writes
— or the organiser's, so that the staff's writes get past the rights check — (one write
in five goes without a token, and must then be the documented 401). About 450 cases
in all, so that the test takes well under a minute on each backend.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from consultation.accounts import services as accounts
from consultation.consultations import queries
from consultation.participation import services as participation

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# 38 operations × 12: about 450 requests, under a minute on each backend.
EXAMPLES_PER_OPERATION = 12


@pytest.fixture
def world(db, make_consultation, make_user, organiser):
    """Two published consultations (open, closed), contributions, and the tokens of a
    participant and of the organiser of both."""
    opened = make_consultation("open", title="Consultation ouverte")
    closed = make_consultation("closed", title="Consultation close")
    participant = make_user()
    other = make_user()
    article_id = queries.load_text(opened).articles[0].id
    argued = participation.submit_contribution(
        participant,
        opened,
        kind="argument",
        article_id=article_id,
        position="for",
        title="Un argument",
        body="Cet article protège les participants.",
    )
    comment = participation.submit_contribution(other, opened, kind="comment", body="Un avis.")
    participation.cast_contribution_vote(other, argued, "agree")
    tokens = {
        name: accounts.create_api_token(user, "schemathesis")[1]
        for name, user in (("participant", participant), ("organiser", organiser))
    }
    db.session.commit()
    return {
        "slugs": [opened.slug, closed.slug],
        "article_ids": [article_id],
        "contribution_ids": [argued.id, comment.id],
        "tokens": [{"Authorization": f"Bearer {secret}"} for secret in tokens.values()],
    }


def _path_choices(operation, world) -> list[dict]:
    """Path parameters pointing at rows of the world (plus fully generated ones, added by the
    caller), one dict per combination."""
    names = {parameter.name for parameter in operation.path_parameters}
    choices: list[dict] = [{}]
    known = {
        "slug": world["slugs"],
        "article_id": world["article_ids"],
        "contribution_id": world["contribution_ids"],
    }
    for name in names & known.keys():
        choices = [choice | {name: value} for choice in choices for value in known[name]]
    return choices if names & known.keys() else []


def _strategy(operation, world):
    needs_token = bool(operation.definition.raw.get("security"))
    header_choices = [*world["tokens"], *world["tokens"], {}] if needs_token else [{}]
    strategies = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        for headers in header_choices:
            for path in _path_choices(operation, world) or [None]:
                strategies.append(
                    operation.as_strategy(mode, path_parameters=path, headers=headers or None)
                )
    return st.one_of(strategies)


def test_every_answer_holds_to_the_openapi_document(app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    client = app.test_client()
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=_strategy(operation, world))
        def check(case):
            response = case.call(session=client)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except (Exception, BaseExceptionGroup) as error:  # every operation checked, all reported
            failures.append(f"{operation.label}: {_describe(error)}")
    assert failures == [], "\n\n".join(failures)


def _describe(error: Exception) -> str:
    """The failures schemathesis found, one line each, and the request that shows the last."""
    found = getattr(error, "exceptions", None) or [error]
    lines = [f"{type(item).__name__}: {item}".splitlines()[0] for item in found]
    return "; ".join(lines) + "\n" + str(error)[-600:]


def test_a_write_without_a_token_is_the_documented_401(app, world):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema["/consultations/{slug}/contributions"]["POST"]
    case = operation.Case(
        path_parameters={"slug": world["slugs"][0]},
        body={"kind": "comment", "body": "Sans jeton."},
        media_type="application/json",
    )
    response = case.call(session=app.test_client())
    case.validate_response(response, checks=CHECKS)
    assert response.status_code == 401

"""The OpenAPI document describes exactly the API's routes, and what it promises holds."""

import io
import re

import pytest
from jsonschema import Draft202012Validator

from consultation.api.openapi import document
from consultation.core import upload_limits
from consultation.participation import services as participation
from tests.participation.paper_files import pdf_with_text


def _routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes.add((method.lower(), path))
    return routes


def _documented() -> set[tuple[str, str]]:
    return {
        (method, path) for path, operations in document()["paths"].items() for method in operations
    }


def test_every_route_is_documented_and_every_documented_route_exists(app):
    routes, documented = _routes(app), _documented()
    assert routes - documented == set(), "routes missing from consultation/api/openapi.py"
    assert documented - routes == set(), "documented operations with no route"


def test_the_document_is_served_to_everyone_as_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.json
    assert body["openapi"] == "3.1.0" and body["servers"] == [{"url": "/api/v1"}]
    assert "Licence Ouverte" in body["info"]["license"]["name"]


def test_writes_need_a_token_and_say_so(client):
    paths = document()["paths"]
    submit = paths["/consultations/{slug}/contributions"]["post"]
    assert submit["security"] == [{"bearer": []}] and "401" in submit["responses"]
    assert "security" not in paths["/consultations/{slug}/contributions"]["get"]
    response = client.post("/api/v1/consultations/inconnue/contributions", json={})
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_path_parameters_and_references_resolve():
    spec = document()
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for operation in operations.values():
            declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
            assert declared == names, path
    for reference in re.findall(r'"#/components/schemas/(\w+)"', str(spec).replace("'", '"')):
        assert reference in schemas


def _violations(instance, name: str) -> list[str]:
    """What in `instance` contradicts the document's component schema `name`."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": document()["components"]}
    return [error.message for error in Draft202012Validator(schema).iter_errors(instance)]


@pytest.mark.parametrize("status", ["draft", "scheduled", "open", "closed"])
def test_a_documented_read_answers_its_documented_shape(client, make_consultation, status):
    consultation = make_consultation(status)
    listed = client.get("/api/v1/consultations").json
    assert "consultations" in listed and "next_cursor" in listed
    if status != "draft":
        detail = client.get(f"/api/v1/consultations/{consultation.slug}").json
        assert _violations(detail, "Consultation") == []


def _takes_a_file(app, endpoint: str) -> bool:
    """Whether the route is marked as taking a file (`core.upload_limits.accepts_upload`)."""
    return upload_limits.request_limit(app, endpoint) != app.config["MAX_CONTENT_LENGTH"]


def test_every_route_taking_a_file_documents_its_multipart_body(app):
    """A route that takes a file (its request may carry one) says so: a multipart/form-data
    body whose shape has the file as binary; no other route claims one."""
    spec = document()
    components = spec["components"]["schemas"]
    takes_files, multipart = set(), set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = spec["paths"][path][method.lower()]
            content = operation.get("requestBody", {}).get("content", {})
            if _takes_a_file(app, rule.endpoint):
                takes_files.add((method, path))
            if "multipart/form-data" in content:
                multipart.add((method, path))
                name = content["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
                properties = components[name]["properties"].values()
                binary = [p for p in properties if p.get("format") == "binary"]
                assert binary, (method, path, name)
    assert takes_files == multipart
    assert {
        ("PATCH", "/consultations/{slug}"),
        ("POST", "/consultations/{slug}/act"),
        ("POST", "/consultations/{slug}/documents"),
        ("POST", "/consultations/{slug}/documents/{document_id}/erratum"),
    } <= multipart


def test_a_file_served_to_moderators_is_documented_as_the_pdf_it_is(
    client, db, opened, make_user, bearer
):
    """The moderators' address of a position paper: a token's read whose answer is a binary
    application/pdf, as the route serves it."""
    operation = document()["paths"]["/moderation/contributions/{contribution_id}/paper"]["get"]
    assert operation["security"] == [{"bearer": []}]
    assert {"401", "403", "404"} <= set(operation["responses"])
    assert operation["responses"]["200"]["content"] == {
        "application/pdf": {"schema": {"$ref": "#/components/schemas/PdfFile"}}
    }
    assert document()["components"]["schemas"]["PdfFile"] == {"type": "string", "format": "binary"}
    author = make_user()
    item = participation.submit_contribution(
        author,
        opened,
        kind="comment",
        body="Notre position.",
        paper=io.BytesIO(pdf_with_text("Position")),
        paper_filename="position.pdf",
    )
    db.session.commit()
    served = client.get(
        f"/api/v1/moderation/contributions/{item.id}/paper", headers=bearer(make_user("moderator"))
    )
    assert served.status_code == 200
    assert served.mimetype in operation["responses"]["200"]["content"]
    assert served.get_data().startswith(b"%PDF")
    served.close()

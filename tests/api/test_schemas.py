"""Request bodies are read through the shapes of consultation/api/schemas.py: a value of the
wrong JSON type is a 422 naming its field with a French message, never a 500; the OpenAPI
document's schemas are those shapes, and the record's documents, served as the ledger writes
them, answer what their shapes describe."""

import io

from consultation.api import schemas
from consultation.api.openapi import document


def test_a_wrongly_typed_field_is_named_with_a_french_message(
    client, make_consultation, make_user, bearer
):
    consultation = make_consultation("open")
    response = client.post(
        f"/api/v1/consultations/{consultation.slug}/contributions",
        json={"kind": "comment", "body": ["pas un texte"], "paragraph": "2"},
        headers=bearer(make_user()),
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "invalid"
    assert error["fields"] == {"body": "Texte attendu.", "paragraph": "Nombre entier attendu."}


def test_every_component_comes_from_a_shape():
    components = document()["components"]["schemas"]
    for name in components:
        assert isinstance(getattr(schemas, name), type), name
    assert {"Error", "Consultation", "Contribution", "SearchPage"} <= set(components)
    assert {"SynthesisDocument", "FollowUpInput", "AdoptedText", "LedgerHead"} <= set(components)
    assert {"PdfFile", "ModeratedPaper"} <= set(components)


def test_the_moderators_paper_is_whole_whatever_the_contributions_state():
    """The public shape of a paper leaves out the name, size and address of a hidden or
    withdrawn contribution's paper (null); the moderators' shape has them always."""
    components = document()["components"]["schemas"]
    paper = components["ModeratedPaper"]
    assert paper["required"] == ["name", "size", "sha256", "url"]
    assert {name: p["type"] for name, p in paper["properties"].items()} == {
        "name": "string",
        "size": "integer",
        "sha256": "string",
        "url": "string",
    }
    for shape in ("QueuedContribution", "Moderated"):
        assert components[shape]["properties"]["paper"]["anyOf"] == [
            {"$ref": "#/components/schemas/ModeratedPaper"},
            {"type": "null"},
        ], shape
        assert "paper" in components[shape]["required"], shape


def test_every_operation_names_its_shapes():
    """No schema is written by hand in openapi.py: each body and success answer refers to a
    shape of schemas.py."""
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            success = next(
                answer for status, answer in operation["responses"].items() if status < "300"
            )
            for content in success["content"].values():
                assert set(content["schema"]) == {"$ref"}, (method, path)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                assert set(content["schema"]) == {"$ref"}, (method, path)  # JSON or multipart


def test_a_follow_up_field_of_the_wrong_type_is_named_in_its_entry(
    client, closed, organiser, bearer
):
    url = f"/api/v1/consultations/{closed.slug}/synthesis"
    headers = bearer(organiser)
    wrong = {"body": "Texte.", "follow_ups": [{"title": "Décret"}, {"title": 5, "note": []}]}
    response = client.put(url, json=wrong, headers=headers)
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {
        "follow_ups[1].title": "Donnez un titre à la suite envisagée.",
        "follow_ups[1].note": "Texte attendu.",
    }
    not_a_list = client.put(url, json={"body": "Texte.", "follow_ups": [1]}, headers=headers)
    assert not_a_list.json["error"]["fields"] == {
        "follow_ups": "Liste de suites attendue (objets JSON)."
    }
    note = client.post(f"{url}/publish", json={"change_note": 5}, headers=headers)
    assert (note.status_code, note.json["error"]["fields"]) == (
        422,
        {"change_note": "Texte attendu."},
    )


def test_the_record_answers_what_its_shapes_describe(client, opened, make_contribution):
    """The record's documents are served as the ledger writes them, not through the shapes:
    each shape must declare every key of the answer, with its type."""
    make_contribution(opened)
    base = f"/api/v1/consultations/{opened.slug}"
    answers = {
        "/api/v1/ledger/public-key": schemas.LedgerKey,
        f"{base}/ledger": schemas.LedgerHead,
        f"{base}/ledger/checkpoints": schemas.CheckpointList,
        f"{base}/ledger/entries?start=0&end=1": schemas.LedgerEntries,
        f"{base}/ledger/proof/inclusion?index=0": schemas.InclusionProof,
        f"{base}/ledger/proof/consistency?first=1": schemas.ConsistencyProof,
        "/api/v1/schemas/datapackage.json": schemas.DataPackage,
        "/api/v1/openapi.json": schemas.OpenApiDocument,
    }
    for url, shape in answers.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert schemas.dump(shape, response.json) == response.json, url


def test_the_export_schema_served_stays_whole_once_the_document_is_built(client):
    before = client.get("/api/v1/schemas/export.json").get_data()
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/schemas/export.json").get_data() == before
    assert '"title"' in before.decode() and '"$id"' in before.decode()


# Routes of the API that take a file, and the shape each body may have: a JSON object, a
# multipart/form-data form with the file, or either of them.
BODIES = {
    ("patch", "/consultations/{slug}"): {
        "application/json": "ConsultationInput",
        "multipart/form-data": "ConsultationUpload",
    },
    ("post", "/consultations/{slug}/act"): {
        "application/json": "ActInput",
        "multipart/form-data": "ActUpload",
    },
    ("post", "/consultations/{slug}/documents"): {"multipart/form-data": "DocumentUpload"},
    ("post", "/consultations/{slug}/documents/{document_id}/erratum"): {
        "multipart/form-data": "ErratumUpload"
    },
}


def test_a_body_sent_as_json_or_as_a_file_names_both_shapes():
    spec = document()
    for (method, path), shapes in BODIES.items():
        content = spec["paths"][path][method]["requestBody"]["content"]
        named = {media: body["schema"]["$ref"].rsplit("/", 1)[1] for media, body in content.items()}
        assert named == shapes, (method, path)
        upload = spec["components"]["schemas"][shapes["multipart/form-data"]]["properties"]
        assert upload["file"] == upload["file"] | {"type": "string", "format": "binary"}
    act = spec["components"]["schemas"]["ActUpload"]
    assert set(act["properties"]) == {"signed_on", "reference", "url", "file",
                                      "acknowledge_warnings"}  # fmt: skip
    assert set(act["required"]) == {"signed_on", "reference"}  # the text is optional
    draft = spec["components"]["schemas"]["ConsultationUpload"]
    assert (set(draft["properties"]), draft["required"]) == (
        {"file", "acknowledge_warnings"},
        ["file"],
    )


def test_the_documented_multipart_fields_are_those_read(
    client, db, make_consultation, organiser, bearer
):
    """A draft's text sent with the fields ConsultationUpload names, and nothing else, is
    taken; the acknowledgement documented as the text "true" is understood."""
    draft = make_consultation("draft")
    fields = document()["components"]["schemas"]["ConsultationUpload"]["properties"]
    # A line that reads like a heading without being one: saved only once acknowledged.
    text = "Article 1er\n\nUn alinéa.\n\nArticle 2 bis et ter\n\nArticle 2\n\nUn autre.\n"

    def patch(**acknowledged):
        sent = {"file": (io.BytesIO(text.encode()), "projet.md"), **acknowledged}
        return client.patch(
            f"/api/v1/consultations/{draft.slug}",
            data=sent,
            content_type="multipart/form-data",
            headers=bearer(organiser),
        )

    warned = patch()
    assert warned.status_code == 422
    assert warned.json["error"]["code"] == "unacknowledged_text_warnings"
    assert {"file", "acknowledge_warnings"} == set(fields)
    response = patch(acknowledge_warnings="true")
    assert response.status_code == 200, response.json
    assert [a["number"] for a in response.json["articles"]] == ["1er", "2"]

"""Request bodies are read through the shapes of consultation/api/schemas.py: a value of the
wrong JSON type is a 422 naming its field with a French message, never a 500; the OpenAPI
document's schemas are those shapes."""

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

"""The API saves a text whose import reports doubtful lines only with
`acknowledge_warnings: true`; otherwise a 422 names each line and why."""

from __future__ import annotations

from tests.api.test_consultations import _payload
from tests.helpers import SAMPLE_TEXT

DOUBTFUL = SAMPLE_TEXT + "Article L. 123-4 du code de l'urbanisme\n"


def test_a_doubtful_line_is_refused_naming_it(client, organiser, institution, bearer):
    response = client.post(
        "/api/v1/consultations",
        json=_payload(institution, text=DOUBTFUL),
        headers=bearer(organiser),
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "unacknowledged_text_warnings"
    assert "ligne 13 : « Article L. 123-4 du code de l'urbanisme »" in error["message"]
    assert error["warnings"] == [
        {
            "line": 13,
            "text": "Article L. 123-4 du code de l'urbanisme",
            "reason": "commence comme l'intitulé de l'article L. 123-4, mais la suite (« du "
            "code de l'urbanisme ») n'est ni un suffixe (bis, ter…, A, B…), ni une mention entre "
            "parenthèses, ni un titre après un tiret ou deux-points ; lue comme un alinéa de "
            "l'article 3",
        }
    ]
    assert set(error["fields"]) == {"text", "acknowledge_warnings"}


def test_acknowledged_text_is_saved_and_its_warnings_stay_visible_on_the_draft(
    client,
    organiser,
    institution,
    bearer,
):
    headers = bearer(organiser)
    created = client.post(
        "/api/v1/consultations",
        json=_payload(institution, text=DOUBTFUL, acknowledge_warnings=True),
        headers=headers,
    )
    assert created.status_code == 201, created.json
    body = created.json
    assert [w["line"] for w in body["text_warnings"]] == [13]
    assert body["articles"][-1]["paragraphs"][-1] == "Article L. 123-4 du code de l'urbanisme"
    url = f"/api/v1/consultations/{body['slug']}"
    same = client.patch(url, json={"title": "Autre titre", "text": DOUBTFUL}, headers=headers)
    assert same.status_code == 200 and same.json["title"] == "Autre titre"
    changed = client.patch(url, json={"text": DOUBTFUL + "Chapitre 9 du code\n"}, headers=headers)
    assert changed.status_code == 422
    assert [w["line"] for w in changed.json["error"]["warnings"]] == [13, 14]
    wrong = client.patch(
        url, json={"text": DOUBTFUL, "acknowledge_warnings": "oui"}, headers=headers
    )
    assert wrong.status_code == 422 and "acknowledge_warnings" in wrong.json["error"]["fields"]


def test_no_article_numbered_beyond_decies_is_lost(client, organiser, institution, bearer):
    text = SAMPLE_TEXT + "".join(
        f"Article 3 {word}\nAlinéa de l'article 3 {word}.\n"
        for word in ("decies", "undecies", "duodecies", "terdecies", "quaterdecies A")
    )
    created = client.post(
        "/api/v1/consultations", json=_payload(institution, text=text), headers=bearer(organiser)
    )
    assert created.status_code == 201
    assert [a["number"] for a in created.json["articles"]][3:] == [
        "3 decies",
        "3 undecies",
        "3 duodecies",
        "3 terdecies",
        "3 quaterdecies A",
    ]
    assert created.json["text_warnings"] == []

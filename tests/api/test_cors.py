"""A reuser's web page may call the API from a browser: reads, errors and preflights carry the
CORS headers; the site's pages do not."""


def test_reads_and_errors_are_open_to_any_origin(client, make_consultation):
    consultation = make_consultation("open")
    for url in ("/api/v1/consultations", f"/api/v1/consultations/{consultation.slug}"):
        response = client.get(url, headers={"Origin": "https://reutilisateur.example"})
        assert response.status_code == 200
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "ETag" in response.headers["Access-Control-Expose-Headers"]
        assert "Access-Control-Allow-Credentials" not in response.headers
    missing = client.get("/api/v1/consultations/inconnue")
    assert missing.status_code == 404 and missing.headers["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_names_the_methods_and_headers_a_client_may_send(client, make_consultation):
    consultation = make_consultation("open")
    response = client.options(
        f"/api/v1/consultations/{consultation.slug}/contributions",
        headers={
            "Origin": "https://reutilisateur.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_the_site_pages_are_not_opened_to_other_origins(client):
    response = client.get("/", headers={"Origin": "https://ailleurs.example"})
    assert "Access-Control-Allow-Origin" not in response.headers

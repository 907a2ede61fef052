"""The layout, information pages, headers and error pages."""

import pytest

FOOTER_LINKS = [
    "/accessibilite",
    "/mentions-legales",
    "/donnees-personnelles",
    "/conditions-d-utilisation",
    "/charte-de-moderation",
]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        *FOOTER_LINKS,
        "/plan-du-site",
        "/donnees-ouvertes",
        "/api",
        "/connexion",
        "/inscription",
    ],
)
def test_public_pages_render_with_mandatory_footer_links(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for link in FOOTER_LINKS:
        assert f'href="{link}"' in page
    assert page.count("<h1") == 1
    assert 'href="#contenu"' in page  # skip link


def test_security_headers_and_strict_csp(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_inline_script_or_third_party_resource(client, make_consultation):
    consultation = make_consultation("open")
    for path in ("/", f"/consultations/{consultation.slug}"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " onclick=" not in page
        assert "http://" not in page.replace("http://localhost", "") or "xmlns" in page
        assert "https://" not in page.split("<body")[0]  # nothing loaded from another site


def test_state_identity_only_with_state_branding(app, client):
    assert "République" not in client.get("/").get_data(as_text=True).split("<main")[0]
    app.config["STATE_BRANDING"] = True
    assert "République" in client.get("/").get_data(as_text=True).split("<main")[0]


def test_english_interface_for_the_base_layout(client):
    response = client.get("/langue/en?suivant=/consultations")
    assert response.status_code == 302 and response.headers["Location"] == "/consultations"
    page = client.get("/").get_data(as_text=True)
    assert 'lang="en"' in page and "Legal notice" in page
    assert "csrf_token" not in page  # the layout holds nothing tied to one visitor
    assert client.get("/langue/fr?suivant=https://ailleurs.example").headers["Location"] == "/"
    assert 'lang="fr"' in client.get("/").get_data(as_text=True)


def test_unknown_page_is_a_french_404(client):
    response = client.get("/nulle-part")
    assert response.status_code == 404 and "introuvable" in response.get_data(as_text=True).lower()

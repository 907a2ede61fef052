"""Absolute links come from BASE_URL, never from the request's Host header: feeds, API
documents, the record's head, exports and e-mails name the platform's own address whatever a
client sends."""

from __future__ import annotations

import re

import pytest

from consultation import ROOT
from consultation.core.urls import external_url
from consultation.participation import services as participation

EVIL = "evil.example"
HOSTILE = {"Host": EVIL, "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "http"}
# What builds an address from the request rather than from BASE_URL.
FROM_REQUEST = re.compile(r"_external\s*=\s*True|request\.(host|host_url|url_root|root_url)\b")


def test_external_url_is_built_from_base_url(app):
    app.config["BASE_URL"] = "https://consultation.example.gouv.fr/participer"
    assert external_url("consultations.show", slug="eau") == (
        "https://consultation.example.gouv.fr/participer/consultations/eau"
    )
    assert external_url("api.ledger_checkpoints", slug="eau", cursor=None).endswith(
        "/participer/api/v1/consultations/eau/ledger/checkpoints"
    )
    assert external_url("participation.track", numero="C-1", _anchor="haut").endswith(
        "/participer/suivi?numero=C-1#haut"
    )
    with app.test_request_context("/", headers=HOSTILE):
        assert external_url("consultations.index") == (
            "https://consultation.example.gouv.fr/participer/"
        )


def test_no_address_is_built_from_the_request():
    """Every absolute link goes through core.urls.external_url."""
    offenders = []
    for folder, pattern in (("consultation", "*.py"), ("templates", "*.*")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path == ROOT / "consultation/core/urls.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if FROM_REQUEST.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


@pytest.fixture
def published(db, make_consultation, make_user):
    consultation = make_consultation("open")
    participation.submit_contribution(
        make_user(), consultation, kind="comment", body="Un avis pour le flux."
    )
    db.session.commit()
    return consultation


def test_a_hostile_host_header_appears_nowhere(app, client, db, published):
    slug = published.slug
    urls = [
        "/consultations.atom",
        f"/consultations/{slug}/contributions.atom",
        "/api",
        "/api/v1/consultations",
        f"/api/v1/consultations/{slug}",
        f"/api/v1/consultations/{slug}/ledger",
        f"/api/v1/consultations/{slug}/ledger/checkpoints?limit=1",
        "/api/v1/openapi.json",
        f"/api/v1/consultations/{slug}/export.json",
    ]
    for url in urls:
        response = client.get(url, headers=HOSTILE)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        assert EVIL not in body, url
        assert EVIL not in response.headers.get("Location", ""), url
    head = client.get(f"/api/v1/consultations/{slug}/ledger", headers=HOSTILE).json
    assert (
        head["checkpoints_url"]
        == f"http://localhost/api/v1/consultations/{slug}/ledger/checkpoints"
    )
    feed = client.get(f"/consultations/{slug}/contributions.atom", headers=HOSTILE).text
    assert f"<id>http://localhost/consultations/{slug}/contributions.atom</id>" in feed


def test_e_mails_sent_during_a_hostile_request_link_to_base_url(
    client, db, published, make_user, bearer, outbox
):
    sent = client.post(
        f"/api/v1/consultations/{published.slug}/contributions",
        json={"kind": "comment", "body": "Envoyé par un client hostile."},
        headers=HOSTILE | bearer(make_user()),
    )
    assert sent.status_code == 201
    _to, _subject, body = outbox()[-1]
    assert EVIL not in body and "http://localhost/consultations/" in body


def test_the_source_scan_sees_what_it_looks_for():
    samples = (
        "url_for('x', _external=True)",
        "request.host_url + path",
        "request.url_root",
        "request.host",
    )
    assert all(FROM_REQUEST.search(sample) for sample in samples)
    assert not FROM_REQUEST.search("request.headers")

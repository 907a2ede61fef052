"""The API's reads and its bulk exports are rate-limited per address; a 304 costs nothing."""

import io
import zipfile

from consultation.api.openapi import document
from tests.helpers import download


def test_reads_are_limited_per_address_and_writes_are_not_counted(
    client, app, rate_limits, make_consultation
):
    app.config["API_READ_LIMITS_PER_ADDRESS"] = "3 per minute"
    consultation = make_consultation("open")
    url = f"/api/v1/consultations/{consultation.slug}"
    for _ in range(3):
        client.post(f"{url}/contributions", json={})  # a write: 401, not a read
        assert client.get(url).status_code == 200
    refused = client.get(url)
    assert refused.status_code == 429 and refused.headers["Retry-After"]
    assert refused.json["error"]["code"] == "rate_limited"
    documented = document()["paths"]["/consultations/{slug}"]["get"]["responses"]
    assert "429" in documented
    other = client.get(url, environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_an_export_counts_unless_it_answers_not_modified(
    client, app, rate_limits, make_consultation
):
    app.config["EXPORT_LIMITS_PER_ADDRESS"] = "2 per minute"
    consultation = make_consultation("open")
    url = f"/api/v1/consultations/{consultation.slug}/export.csv"
    first = download(client, url)
    assert first.get_data(as_text=True).startswith("id,tracking_number,kind,")
    tag = first.headers["ETag"]
    for _ in range(3):  # the reuser's copy is current: nothing sent, nothing counted
        assert client.get(url, headers={"If-None-Match": tag}).status_code == 304
    archive = download(client, f"/api/v1/consultations/{consultation.slug}/export.zip")
    assert "contributions.csv" in zipfile.ZipFile(io.BytesIO(archive.get_data())).namelist()
    refused = client.get(f"/api/v1/consultations/{consultation.slug}/export.json")
    assert refused.status_code == 429 and refused.json["error"]["code"] == "rate_limited"
    assert client.get(f"/api/v1/consultations/{consultation.slug}").status_code == 200


def test_the_limits_follow_the_switch(client, app, make_consultation):
    app.config["API_READ_LIMITS_PER_ADDRESS"] = "1 per minute"
    consultation = make_consultation("open")
    for _ in range(3):
        assert client.get(f"/api/v1/consultations/{consultation.slug}").status_code == 200

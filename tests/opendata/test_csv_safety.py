"""Spreadsheet-safe CSV: a text a spreadsheet would run as a formula is neutralised in every CSV
the platform writes (the JSON keeps it as written), and the contributions also come as the
variant French spreadsheet software opens as it is (`;`, UTF-8 with a byte-order mark), linked
from the consultation page and the open-data catalogue."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest

from consultation.accounts import services as accounts
from consultation.core import clock, csvsafe
from consultation.participation import services as participation
from tests.helpers import download

FORMULA = '=HYPERLINK("http://evil.example","click")'
TAB_BODY = "\tTabulation en tête"
CR_TITLE = "\rRetour chariot"


@pytest.fixture
def world(db, make_consultation, make_user, organiser):
    consultation = make_consultation("open")
    first = consultation.current_version.articles[0]
    person = make_user(display_name="Camille")
    company = make_user()
    accounts.update_profile(
        company,
        display_name="Corp",
        profile_type="organisation",
        organisation_category="company",
        organisation_name="@corp",
    )
    items = {
        "formula": participation.submit_contribution(
            person, consultation, kind="comment", body=FORMULA
        ),
        "plus": participation.submit_contribution(
            person,
            consultation,
            kind="argument",
            position="for",
            article_id=first.id,
            title="+1",
            body="Je soutiens.",
        ),
        "company": participation.submit_contribution(
            company, consultation, kind="comment", body="-10 % de délais"
        ),
        "offline": participation.record_offline_observation(
            organiser,
            consultation,
            channel="letter",
            author_name="-x",
            body="@tous : une lettre.",
            received_at=clock.now() - timedelta(hours=1),
        ),
        "tab": participation.submit_contribution(
            person, consultation, kind="comment", body="Texte provisoire."
        ),
        "quoted": participation.submit_contribution(
            person, consultation, kind="comment", body="'=déjà protégé"
        ),
    }
    # The forms trim what they receive; the CSV must not rely on it (older rows, imports).
    items["tab"].body, items["tab"].title = TAB_BODY, CR_TITLE
    db.session.commit()
    return consultation, items


def _rows(text: str, delimiter: str = ",") -> dict[str, dict]:
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return {row["tracking_number"]: row for row in reader}


def _check_neutralised(rows: dict[str, dict], items) -> None:
    assert rows[items["formula"].tracking_number]["body"] == "'" + FORMULA
    assert rows[items["plus"].tracking_number]["title"] == "'+1"
    company = rows[items["company"].tracking_number]
    assert (company["organisation"], company["body"]) == ("'@corp", "'-10 % de délais")
    offline = rows[items["offline"].tracking_number]
    assert (offline["author_name"], offline["body"]) == ("'-x", "'@tous : une lettre.")
    tab = rows[items["tab"].tracking_number]
    assert (tab["body"], tab["title"]) == ("'" + TAB_BODY, "'" + CR_TITLE)
    assert rows[items["quoted"].tracking_number]["body"] == "''=déjà protégé"
    for row in rows.values():
        for name, cell in row.items():
            assert not cell.startswith(csvsafe.FORMULA_STARTS), (name, cell)
        # Numbers stay numbers; dates are ISO 8601.
        assert row["votes_agree"].isdigit() and row["created_at"][:4].isdigit()


def test_the_neutralising_rule():
    neutralise = csvsafe.neutralise
    for raw in (FORMULA, "+33 1 23", "-x", "@corp", "\tA", "\rA", "-", "=", "'=1", "''@a"):
        assert neutralise(raw) == "'" + raw
        assert csvsafe.restore(neutralise(raw)) == raw
    for raw in ("Texte", "", "'ordinaire", "'", "2026-01-02T03:04:05+01:00", " =1", '{"a": 1}'):
        assert neutralise(raw) == raw and csvsafe.restore(raw) == raw
    for value in (-5, -2.5, 0, None, True):
        assert neutralise(value) is value


def test_export_csv_neutralises_formulas_and_the_json_keeps_them(client, world):
    consultation, items = world
    base = f"/api/v1/consultations/{consultation.slug}"
    _check_neutralised(_rows(download(client, f"{base}/export.csv").get_data(as_text=True)), items)

    document = json.loads(download(client, f"{base}/export.json").get_data())
    records = {c["tracking_number"]: c for c in document["contributions"]}
    assert records[items["formula"].tracking_number]["body"] == FORMULA
    assert records[items["plus"].tracking_number]["title"] == "+1"
    assert records[items["company"].tracking_number]["author"]["organisation"] == "@corp"
    assert records[items["offline"].tracking_number]["author"]["name"] == "-x"
    assert records[items["tab"].tracking_number]["body"] == TAB_BODY
    api = client.get(f"/api/v1/contributions/{items['formula'].id}").json
    assert api["body"] == FORMULA


def test_every_csv_of_the_zip_is_neutralised_and_documented(client, world):
    consultation, items = world
    response = download(client, f"/api/v1/consultations/{consultation.slug}/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    _check_neutralised(_rows(archive.read("contributions.csv").decode()), items)
    for name in archive.namelist():
        if not name.endswith(".csv"):
            continue
        for row in csv.reader(io.StringIO(archive.read(name).decode())):
            for cell in row:
                assert not cell.startswith(csvsafe.FORMULA_STARTS), (name, cell)
    # ledger.csv, written by hand, is still exactly what the safe writer writes.
    records = json.loads(
        download(client, f"/api/v1/consultations/{consultation.slug}/export.json").get_data()
    )["records"]
    expected = io.StringIO()
    writer = csvsafe.writer(expected)
    writer.writerow(["index", "kind", "leaf", "leaf_hash"])
    for record in records:
        kind = json.loads(record["leaf"])["kind"]
        writer.writerow([record["index"], kind, record["leaf"], record["leaf_hash"]])
    assert archive.read("ledger.csv").decode() == expected.getvalue()
    package = json.loads(archive.read("datapackage.json"))
    assert "apostrophe" in package["description"] and "OWASP" in package["description"]
    assert "apostrophe" in archive.read("README.md").decode()
    published = client.get("/api/v1/schemas/datapackage.json").json
    assert published["description"] == package["description"]


def test_the_french_spreadsheet_variant(client, world):
    consultation, items = world
    base = f"/api/v1/consultations/{consultation.slug}"
    standard = download(client, f"{base}/export.csv")
    french = download(client, f"{base}/export-fr.csv")
    data = french.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header = text.split("\r\n", 1)[0]
    assert header.startswith("id;tracking_number;kind;") and "," not in header
    rows = _rows(text, ";")
    _check_neutralised(rows, items)
    assert list(rows.values()) == list(_rows(standard.get_data(as_text=True)).values())
    # Same version as the standard CSV: a current copy is answered 304.
    assert french.headers["ETag"] == standard.headers["ETag"]
    again = client.get(f"{base}/export-fr.csv", headers={"If-None-Match": french.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    unknown = client.get("/api/v1/consultations/inconnue/export-fr.csv")
    assert unknown.status_code == 404 and unknown.json["error"]["code"] == "not_found"


def test_the_french_variant_counts_as_an_export(client, app, rate_limits, world):
    consultation, items = world
    app.config["EXPORT_LIMITS_PER_ADDRESS"] = "1 per minute"
    base = f"/api/v1/consultations/{consultation.slug}"
    first = download(client, f"{base}/export-fr.csv")
    assert items["formula"].tracking_number in _rows(first.get_data().decode("utf-8-sig"), ";")
    refused = client.get(f"{base}/export.csv")
    assert refused.status_code == 429 and refused.json["error"]["code"] == "rate_limited"


def test_the_french_variant_is_linked_from_the_consultation_and_the_catalogue(client, world):
    consultation, _items = world
    link = f"/api/v1/consultations/{consultation.slug}/export-fr.csv"
    for page in (f"/consultations/{consultation.slug}", "/donnees-ouvertes"):
        html = client.get(page).get_data(as_text=True)
        assert f'href="{link}"' in html, page
        assert "tableur en français" in html


def test_a_draft_has_no_french_export(client, make_consultation):
    draft = make_consultation("draft")
    response = client.get(f"/api/v1/consultations/{draft.slug}/export-fr.csv")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"
    assert draft.title not in response.get_data(as_text=True)

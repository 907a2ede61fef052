"""Position papers after submission: the author who edits a contribution attaches a paper,
replaces it or removes it, under the checks of a submission (the service, the edit page, the
in-place form and the API's PATCH); the version replaced keeps the paper it had, shown in the
history; the record's edit entry certifies the paper the contribution now has, and both
verifiers check it; cards and the API's contributions give the paper as the export does."""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.util
import io
import json
import re

import pytest
import sqlalchemy as sa

from consultation.core import storage
from consultation.core.errors import NotAllowed, ValidationFailed
from consultation.extensions import db
from consultation.ledger import signing, verify
from consultation.moderation import services as moderation
from consultation.participation import services as participation
from consultation.participation.models import Contribution, ContributionPaper, ContributionRevision
from consultation.search import services as search
from tests.documents import files
from tests.participation.paper_files import pdf_with_text
from tests.participation.test_papers import HOSTILE

FIRST = pdf_with_text("Premiere position de la federation")
SECOND = pdf_with_text("Seconde position revue sur agrivoltaisme")
IN_PLACE = {"X-Requested-With": "fetch"}


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _stored() -> list[str]:
    return sorted(storage.storage().keys())


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _submit(author, consultation, content: bytes | None = FIRST, **values):
    values = {"kind": "comment", "body": "Notre position.", **values}
    if content is not None:
        values |= {"paper": io.BytesIO(content), "paper_filename": "position.pdf"}
    item = participation.submit_contribution(author, consultation, **values)
    db.session.commit()
    return item


def _edit(author, item, changes=None, content: bytes | None = None, name="revue.pdf", **more):
    if content is not None:
        more |= {"paper": io.BytesIO(content), "paper_filename": name}
    participation.edit_contribution(author, item, changes or {}, **more)
    db.session.commit()
    return item


def _export(client, consultation) -> dict:
    response = client.get(f"/api/v1/consultations/{consultation.slug}/export.json")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def _exported(export: dict, item) -> dict:
    return next(c for c in export["contributions"] if c["tracking_number"] == item.tracking_number)


def _edit_leaves(export: dict) -> list[dict]:
    leaves = [json.loads(record["leaf"]) for record in export["records"]]
    return [leaf for leaf in leaves if leaf["kind"] == "edit"]


@functools.cache
def _standalone():
    """static/ledger/verify_ledger.py, loaded on its own (nothing of the package)."""
    spec = importlib.util.spec_from_file_location("paper_edits_verify_ledger", verify.SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _verdicts(export: dict, runner, tmp_path) -> list[str | None]:
    """What `flask ledger verify` and the downloadable script say of an export (None: it
    verifies)."""
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(args=["ledger", "verify", str(path)])
    said: list[str | None] = [None if result.exit_code == 0 else result.output]
    script = _standalone()
    try:
        script.verify(copy.deepcopy(export), signing.public_key_bytes())
    except script.Failed as failure:
        said.append(str(failure))
    else:
        said.append(None)
    return said


# --- The service ---------------------------------------------------------------------------


def test_an_edit_attaches_a_paper_to_a_contribution_without_one(
    client, runner, tmp_path, opened, make_user
):
    author = make_user()
    item = _submit(author, opened, content=None)
    _edit(author, item, content=FIRST)  # the text unchanged: the paper is the change
    assert item.paper.sha256 == _sha(FIRST) and item.paper.filename == "revue.pdf"
    assert item.edited_at is not None
    [revision] = item.revisions
    assert revision.body == "Notre position." and revision.paper_file_key is None
    export = _export(client, opened)
    assert _exported(export, item)["paper"]["sha256"] == _sha(FIRST)
    [entry] = _edit_leaves(export)
    assert entry["data"]["paper_sha256"] == _sha(FIRST)
    assert _verdicts(export, runner, tmp_path) == [None, None]


def test_an_edit_replaces_the_paper_and_the_version_replaced_keeps_the_first(
    client, runner, tmp_path, opened, make_user
):
    author = make_user()
    item = _submit(author, opened)
    first_key = item.paper.file_key
    _edit(author, item, {"body": "Notre position, revue."}, content=SECOND)
    assert (item.paper.filename, item.paper.sha256) == ("revue.pdf", _sha(SECOND))
    assert "agrivoltaisme" in item.paper.text
    assert _count(ContributionPaper) == 1
    [revision] = item.revisions
    assert revision.body == "Notre position."
    assert (revision.paper_file_key, revision.paper_filename) == (first_key, "position.pdf")
    assert (revision.paper_size, revision.paper_sha256) == (len(FIRST), _sha(FIRST))
    assert _stored() == sorted([first_key, item.paper.file_key])  # the first file is kept
    # The search reads the new paper's text, no longer the first's.
    assert [r.contribution_id for r in search.search("agrivoltaisme").results] == [item.id]
    assert search.search("Premiere").results == []

    export = _export(client, opened)
    paper = _exported(export, item)["paper"]
    assert (paper["name"], paper["size"], paper["sha256"]) == (
        "revue.pdf",
        len(SECOND),
        _sha(SECOND),
    )
    [entry] = _edit_leaves(export)
    assert entry["data"]["paper_sha256"] == _sha(SECOND)
    assert _verdicts(export, runner, tmp_path) == [None, None]
    # Giving the first paper for the second is caught by both verifiers.
    forged = copy.deepcopy(export)
    _exported(forged, item)["paper"] |= {"sha256": _sha(FIRST), "size": len(FIRST)}
    for verdict in _verdicts(forged, runner, tmp_path):
        assert verdict is not None and "fichier remplacé" in verdict
    # So is the first paper's name and size under the second's SHA-256.
    renamed = copy.deepcopy(export)
    _exported(renamed, item)["paper"] |= {"name": "position.pdf", "size": len(FIRST)}
    for verdict in _verdicts(renamed, runner, tmp_path):
        assert verdict is not None and "texte modifié" in verdict


def test_an_edit_removes_the_paper_and_the_record_says_so(
    client, runner, tmp_path, opened, make_user
):
    author = make_user()
    item = _submit(author, opened)
    key = item.paper.file_key
    _edit(author, item, remove_paper=True)
    assert item.paper is None and _count(ContributionPaper) == 0
    [revision] = item.revisions
    assert revision.paper_sha256 == _sha(FIRST) and _stored() == [key]
    assert search.search("Premiere").results == []
    export = _export(client, opened)
    assert _exported(export, item)["paper"] is None
    [entry] = _edit_leaves(export)
    assert "paper_sha256" not in entry["data"]
    assert _verdicts(export, runner, tmp_path) == [None, None]
    # The removed paper given back in the export is caught.
    forged = copy.deepcopy(export)
    _exported(forged, item)["paper"] = {
        "name": "position.pdf",
        "size": len(FIRST),
        "sha256": _sha(FIRST),
        "url": "https://example.org/position.pdf",
    }
    for verdict in _verdicts(forged, runner, tmp_path):
        assert verdict is not None and "fichier ajouté" in verdict


def test_a_paper_removed_then_attached_again_is_certified_each_time(
    client, runner, tmp_path, opened, make_user
):
    author = make_user()
    item = _submit(author, opened)
    _edit(author, item, remove_paper=True)
    _edit(author, item, content=SECOND, name="seconde.pdf")
    _edit(author, item, {"body": "Dernière version."})
    export = _export(client, opened)
    assert [leaf["data"].get("paper_sha256") for leaf in _edit_leaves(export)] == [
        None,
        _sha(SECOND),
        _sha(SECOND),
    ]
    assert [r.paper_sha256 for r in item.revisions] == [_sha(FIRST), None, _sha(SECOND)]
    assert _verdicts(export, runner, tmp_path) == [None, None]


@pytest.mark.parametrize(("content", "name", "code"), HOSTILE)
def test_a_hostile_file_is_refused_at_an_edit_leaving_the_contribution_as_it_was(
    opened, make_user, content, name, code
):
    author = make_user()
    item = _submit(author, opened)
    before = _stored()
    with pytest.raises(ValidationFailed) as refused:
        _edit(author, item, {"body": "Texte revu."}, content=content, name=name)
    db.session.rollback()
    assert refused.value.code == code and set(refused.value.fields) == {"paper"}
    assert _stored() == before
    assert item.body == "Notre position." and item.paper.sha256 == _sha(FIRST)
    assert item.revisions == [] and item.edited_at is None


def test_an_over_size_file_is_refused_at_an_edit(app, opened, make_user):
    author = make_user()
    item = _submit(author, opened, content=None)
    app.config["POSITION_PAPER_MAX_BYTES"] = len(SECOND) - 1
    with pytest.raises(ValidationFailed) as refused:
        _edit(author, item, content=SECOND)
    db.session.rollback()
    assert refused.value.code == "file_too_large"
    assert _stored() == [] and _count(ContributionPaper) == 0


def test_an_edit_that_changes_nothing_is_still_refused(opened, make_user):
    author = make_user()
    item = _submit(author, opened)
    with pytest.raises(ValidationFailed) as unchanged:
        _edit(author, item, {"body": "Notre position."})
    assert unchanged.value.fields == {"body": "Vous n'avez rien modifié."}
    db.session.rollback()
    plain = _submit(author, opened, content=None, body="Sans PDF.")
    with pytest.raises(ValidationFailed) as nothing_to_remove:
        _edit(author, plain, remove_paper=True)  # it has none: nothing changes
    assert set(nothing_to_remove.value.fields) == {"body"}
    db.session.rollback()
    before = _stored()
    with pytest.raises(ValidationFailed) as same_file:
        _edit(author, item, content=FIRST, name="position.pdf")
    assert "déjà celui joint" in same_file.value.fields["paper"]
    db.session.rollback()
    assert _stored() == before  # the copy sent is not kept
    assert _count(ContributionRevision) == 0


def test_a_file_and_its_removal_together_are_refused_before_the_file_is_read(opened, make_user):
    author = make_user()
    item = _submit(author, opened)
    before = _stored()
    with pytest.raises(ValidationFailed) as refused:
        _edit(author, item, {"body": "Revu."}, content=SECOND, remove_paper=True)
    db.session.rollback()
    assert "pas les deux" in refused.value.fields["paper"]
    assert _stored() == before and item.paper.sha256 == _sha(FIRST)


def test_only_the_author_changes_the_paper_and_nothing_is_read_for_another(opened, make_user):
    item = _submit(make_user(), opened)
    before = _stored()
    with pytest.raises(NotAllowed):
        _edit(make_user(), item, content=SECOND)
    db.session.rollback()
    assert _stored() == before and item.paper.sha256 == _sha(FIRST)


def test_once_hidden_no_paper_of_any_version_is_served(client, opened, make_user):
    author = make_user()
    item = _submit(author, opened)
    _edit(author, item, content=SECOND)
    [revision] = item.revisions
    earlier = f"{_page(opened, item)}/versions/{revision.id}/contribution-ecrite/position.pdf"
    served = client.get(earlier)
    assert served.status_code == 200
    served.close()
    moderation.hide_contribution(make_user("moderator"), item, "insult")
    db.session.commit()
    assert client.get(earlier).status_code == 410
    assert client.get(f"{_page(opened, item)}/contribution-ecrite/revue.pdf").status_code == 410
    with pytest.raises(NotAllowed):  # nor changed
        _edit(author, item, remove_paper=True)


# --- The pages -----------------------------------------------------------------------------


def _page(consultation, item) -> str:
    return f"/consultations/{consultation.slug}/contributions/{item.id}"


def _post_edit(client, consultation, item, data: dict, *, headers=None):
    return client.post(
        _page(consultation, item) + "/modifier",
        data=data,
        content_type="multipart/form-data",
        headers=headers or {},
    )


def test_the_edit_page_offers_to_attach_then_to_replace_or_remove(
    client, login_as, opened, make_user
):
    author = login_as(make_user())
    plain = _submit(author, opened, content=None)
    page = client.get(_page(opened, plain) + "/modifier").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page
    assert "Joindre une contribution écrite (PDF, facultatif)" in page
    assert 'name="remove_paper"' not in page
    item = _submit(author, opened)
    page = client.get(_page(opened, item) + "/modifier").get_data(as_text=True)
    assert "Remplacer par un autre PDF (facultatif)" in page
    assert "Retirer la contribution écrite jointe" in page
    assert f'href="{_page(opened, item)}/contribution-ecrite/position.pdf"' in page


def test_the_edit_page_replaces_the_paper(client, login_as, opened, make_user):
    author = login_as(make_user())
    item = _submit(author, opened)
    sent = _post_edit(
        client,
        opened,
        item,
        {"body": "Notre position.", "paper": (io.BytesIO(SECOND), "seconde.pdf")},
    )
    assert sent.status_code == 302
    db.session.expire_all()
    assert item.paper.sha256 == _sha(SECOND)
    page = client.get(_page(opened, item)).get_data(as_text=True)
    assert f'href="{_page(opened, item)}/contribution-ecrite/seconde.pdf"' in page
    # The history shows the version replaced with its paper, still served.
    [revision] = item.revisions
    earlier = f"{_page(opened, item)}/versions/{revision.id}/contribution-ecrite/position.pdf"
    assert f'href="{earlier}"' in page
    assert "Contribution écrite jointe à cette version (PDF" in page and _sha(FIRST) in page
    served = client.get(earlier)
    assert served.status_code == 200 and served.get_data() == FIRST
    assert served.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    served.close()
    renamed = client.get(earlier.replace("position.pdf", "autre.pdf"))
    assert renamed.status_code == 301 and renamed.headers["Location"].endswith(earlier)


def test_a_hostile_file_is_refused_next_to_the_field_and_the_text_kept(
    client, login_as, opened, make_user
):
    author = login_as(make_user())
    item = _submit(author, opened)
    before = _stored()
    sent = _post_edit(
        client,
        opened,
        item,
        {"body": "Mon texte revu", "paper": (io.BytesIO(files.pdf("javascript")), "p.pdf")},
    )
    assert sent.status_code == 422
    page = sent.get_data(as_text=True)
    assert re.search(r'id="paper-error"[^>]*>[^<]*JavaScript', page)
    assert "Mon texte revu" in page
    assert _stored() == before
    db.session.expire_all()
    assert item.body == "Notre position." and item.paper.sha256 == _sha(FIRST)


def test_the_edit_page_removes_the_paper(client, login_as, opened, make_user):
    author = login_as(make_user())
    item = _submit(author, opened)
    sent = _post_edit(client, opened, item, {"body": "Notre position.", "remove_paper": "y"})
    assert sent.status_code == 302
    db.session.expire_all()
    assert item.paper is None
    page = client.get(_page(opened, item)).get_data(as_text=True)
    assert f"{_page(opened, item)}/contribution-ecrite/" not in page
    assert "Contribution écrite jointe à cette version" in page


def test_the_in_place_form_replaces_the_paper_and_answers_with_the_card(
    client, login_as, opened, make_user
):
    author = login_as(make_user())
    item = _submit(author, opened)
    form = client.get(_page(opened, item) + "/modifier", headers=IN_PLACE).get_data(as_text=True)
    assert "<html" not in form and f'id="modifier-{item.id}-paper"' in form
    refused = _post_edit(
        client,
        opened,
        item,
        {"body": "Revu en place", "paper": (io.BytesIO(files.EXECUTABLE), "p.pdf")},
        headers=IN_PLACE,
    )
    fragment = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "<html" not in fragment
    assert f'id="modifier-{item.id}-paper-error"' in fragment and "Revu en place" in fragment
    sent = _post_edit(
        client,
        opened,
        item,
        {"body": "Revu en place", "paper": (io.BytesIO(SECOND), "seconde.pdf")},
        headers=IN_PLACE,
    )
    card = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "<html" not in card
    assert f"/contributions/{item.id}/contribution-ecrite/seconde.pdf" in card
    assert "Contribution écrite jointe (PDF" in card


def _paper_links(page: str) -> list[str]:
    """The accessible name of each card's paper link (its text, the hidden part included)."""
    names = re.findall(r'<p class="contribution__paper"><a href="[^"]+">(.*?)</a>', page)
    return [re.sub(r"<[^>]+>", "", name).strip() for name in names]


def test_each_card_links_to_its_paper_with_its_size_and_a_name_of_its_own(
    client, opened, make_user
):
    article = opened.current_version.articles[0]
    first = _submit(make_user(), opened, article_id=article.id)
    second = _submit(make_user(), opened, article_id=article.id)
    plain = _submit(make_user(), opened, content=None, article_id=article.id)
    hidden = _submit(make_user(), opened, article_id=article.id)
    moderation.hide_contribution(make_user("moderator"), hidden, "insult")
    db.session.commit()
    for url in (
        f"/consultations/{opened.slug}/contributions",
        f"/consultations/{opened.slug}/articles/{article.slug}",
    ):
        page = client.get(url).get_data(as_text=True)
        names = _paper_links(page)
        assert len(names) == 2 and len(set(names)) == 2
        for item in (first, second):
            assert f"/contributions/{item.id}/contribution-ecrite/position.pdf" in page
            assert any(item.tracking_number in name for name in names)
        assert all(name.startswith("Contribution écrite jointe (PDF, ") for name in names)
        assert f"/contributions/{plain.id}/contribution-ecrite" not in page
        assert f"/contributions/{hidden.id}/contribution-ecrite" not in page


def test_a_comment_on_the_whole_text_carries_a_paper(client, login_as, opened, make_user):
    login_as(make_user())
    url = f"/consultations/{opened.slug}/contributions"
    page = client.get(url).get_data(as_text=True)
    form = page[page.index('id="commenter"') - 200 :]
    assert 'enctype="multipart/form-data"' in form[: form.index("</form>")]
    assert 'name="paper"' in form[: form.index("</form>")]
    refused = client.post(
        url,
        data={"body": "Mon commentaire tapé", "paper": (io.BytesIO(files.pdf("launch")), "a.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert 'id="paper-error"' in text and "Mon commentaire tapé" in text
    assert _stored() == [] and _count(Contribution) == 0
    sent = client.post(
        url,
        data={"body": "Notre avis général.", "paper": (io.BytesIO(FIRST), "avis.pdf")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    item = db.session.scalar(sa.select(Contribution))
    assert item.article_id is None and item.paper.filename == "avis.pdf"
    assert "/contribution-ecrite/avis.pdf" in client.get(url).get_data(as_text=True)


def test_a_reply_form_takes_no_file(client, login_as, opened, make_user):
    login_as(make_user())
    item = _submit(make_user(), opened)
    page = client.get(_page(opened, item)).get_data(as_text=True)
    form = page[page.index('id="repondre"') :]
    assert 'name="paper"' not in form[: form.index("</form>")]


# --- The API ---------------------------------------------------------------------------------


def _patch(client, headers, item, **options):
    return client.patch(f"/api/v1/contributions/{item.id}", headers=headers, **options)


def test_the_api_gives_the_paper_as_the_export_does(client, bearer, opened, make_user):
    item = _submit(make_user(), opened)
    plain = _submit(make_user(), opened, content=None)
    one = client.get(f"/api/v1/contributions/{item.id}").get_json()
    listed = client.get(f"/api/v1/consultations/{opened.slug}/contributions").get_json()
    by_id = {c["id"]: c for c in listed["contributions"]}
    exported = _exported(_export(client, opened), item)["paper"]
    assert one["paper"] == by_id[item.id]["paper"] == exported
    assert one["paper"]["url"].endswith(
        f"/contributions/{item.id}/contribution-ecrite/position.pdf"
    )
    assert by_id[plain.id]["paper"] is None
    moderation.hide_contribution(make_user("moderator"), item, "insult")
    db.session.commit()
    withheld = {"name": None, "size": None, "sha256": _sha(FIRST), "url": None}
    assert client.get(f"/api/v1/contributions/{item.id}").get_json()["paper"] == withheld
    listed = client.get(f"/api/v1/consultations/{opened.slug}/contributions").get_json()
    assert {c["id"]: c for c in listed["contributions"]}[item.id]["paper"] == withheld


def test_the_api_replaces_the_paper_in_multipart_and_removes_it_in_json(
    client, bearer, opened, make_user
):
    author = make_user()
    headers = bearer(author)
    item = _submit(author, opened)
    refused = _patch(
        client,
        headers,
        item,
        data={"body": "Revu", "paper": (io.BytesIO(files.pdf("embedded")), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "pdf_refused"
    assert set(refused.get_json()["error"]["fields"]) == {"paper"}
    replaced = _patch(
        client,
        headers,
        item,
        data={"paper": (io.BytesIO(SECOND), "seconde.pdf")},
        content_type="multipart/form-data",
    )
    assert replaced.status_code == 200, replaced.get_json()
    body = replaced.get_json()
    assert body["paper"]["sha256"] == _sha(SECOND) and body["paper"]["name"] == "seconde.pdf"
    assert body["body"] == "Notre position." and body["edited_at"] is not None
    wrong = _patch(client, headers, item, json={"remove_paper": "oui"})
    assert wrong.status_code == 422
    assert set(wrong.get_json()["error"]["fields"]) == {"remove_paper"}
    removed = _patch(client, headers, item, json={"remove_paper": True})
    assert removed.status_code == 200 and removed.get_json()["paper"] is None
    again = _patch(client, headers, item, json={"remove_paper": True})
    assert again.status_code == 422  # nothing left to change
    attached = _patch(
        client,
        headers,
        item,
        data={"body": "Avec un PDF de nouveau", "paper": (io.BytesIO(FIRST), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert attached.status_code == 200 and attached.get_json()["paper"]["sha256"] == _sha(FIRST)
    both = _patch(
        client,
        headers,
        item,
        data={"remove_paper": "true", "paper": (io.BytesIO(SECOND), "s.pdf")},
        content_type="multipart/form-data",
    )
    assert both.status_code == 422 and "pas les deux" in both.get_json()["error"]["fields"]["paper"]
    db.session.expire_all()
    assert [r.paper_sha256 for r in item.revisions] == [_sha(FIRST), _sha(SECOND), None]


def test_another_participant_cannot_change_the_paper_through_the_api(
    client, bearer, opened, make_user
):
    item = _submit(make_user(), opened)
    before = _stored()
    sent = _patch(
        client,
        bearer(make_user()),
        item,
        data={"paper": (io.BytesIO(SECOND), "s.pdf")},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 403
    assert _stored() == before


def test_the_openapi_document_describes_the_multipart_bodies_and_the_paper(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, method, shape in (
        ("/consultations/{slug}/contributions", "post", "ContributionUpload"),
        ("/contributions/{contribution_id}", "patch", "ContributionChangesUpload"),
    ):
        content = document["paths"][path][method]["requestBody"]["content"]
        assert content["multipart/form-data"]["schema"]["$ref"].endswith("/" + shape)
        assert "application/json" in content
        properties = document["components"]["schemas"][shape]["properties"]
        assert properties["paper"]["format"] == "binary"
    schemas = document["components"]["schemas"]
    assert "remove_paper" in schemas["ContributionChanges"]["properties"]
    assert set(schemas["Paper"]["properties"]) == {"name", "size", "sha256", "url"}
    assert "paper" in schemas["Contribution"]["required"]


def test_a_hostile_file_name_is_cleaned_and_shown_inert_in_the_history_and_the_edit_page(
    client, login_as, opened, make_user
):
    author = login_as(make_user())
    item = _submit(author, opened, content=None)
    _edit(author, item, content=FIRST, name='"><img src=x onerror=alert(1)>.pdf')
    _edit(author, item, content=SECOND, name="seconde.pdf")
    for url in (_page(opened, item), _page(opened, item) + "/modifier"):
        page = client.get(url).get_data(as_text=True)
        assert "<img src=x" not in page
    history = client.get(_page(opened, item)).get_data(as_text=True)
    [revision] = [r for r in item.revisions if r.paper_file_key]
    assert "___img src=x onerror=alert(1)_.pdf" in history  # the name as cleaned
    assert f"/versions/{revision.id}/contribution-ecrite/" in history

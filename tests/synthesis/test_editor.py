"""The synthesis editor: the text in sections (split, replace, a stale section refused), the
contributions' tokens made links wherever the text is shown, the preview, the section pages
and their API counterpart."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from consultation.accounts.models import Role
from consultation.core import clock
from consultation.moderation import services as moderation
from consultation.synthesis import follow_ups, links, pdf, publishing, sections
from consultation.synthesis.models import Synthesis, SynthesisVersion
from consultation.synthesis.sections import SectionChanged

BODY = (
    "Ce que retient la synthèse.\n\n"
    "## La participation\n\nBeaucoup de monde.\n\n"
    "```\n## pas un titre\n```\n\n"
    "## Article 1\n\nDes avis partagés.\n\n"
    "## Article 1\n\nUn second titre identique.\n"
)


# --- Sections ------------------------------------------------------------------------------


def test_the_text_splits_into_its_opening_and_one_section_per_level_2_heading():
    found = sections.split_sections(BODY)
    assert [(s.key, s.heading) for s in found] == [
        ("ouverture", ""),
        ("la-participation", "La participation"),
        ("article-1", "Article 1"),
        ("article-1-2", "Article 1"),
    ]
    assert "".join(s.text for s in found) == BODY
    assert "## pas un titre" in found[1].text  # a heading in a code block is no section


def test_a_section_is_replaced_and_the_others_are_kept_as_they_were():
    found = {s.key: s for s in sections.split_sections(BODY)}
    body, key = sections.replace_section(
        BODY, "article-1", "## Article premier\n\nAvis revus.", found["article-1"].fingerprint
    )
    assert key == "article-premier"
    assert body == BODY.replace(
        "## Article 1\n\nDes avis partagés.", "## Article premier\n\nAvis revus."
    )
    after = {s.key: s for s in sections.split_sections(body)}
    assert after["la-participation"].fingerprint == found["la-participation"].fingerprint


ARTICLES = (
    "## Les articles\n\nTrois articles commentés.\n\n"
    "### Article 1er — Objet\n\nDes avis partagés.\n\n"
    "### Article 2 — Entrée en vigueur\n\nUn seul avis.\n\n"
    "#### Un détail\n\nReste dans l'article 2.\n\n"
    "## Les thèmes\n\n### Les tarifs\n\nUn thème.\n"
)


def test_each_article_and_each_theme_is_a_part_of_its_own():
    found = sections.split_sections(ARTICLES)
    assert [(s.key, s.level) for s in found] == [
        ("les-articles", 2),
        ("article-1er-objet", 3),
        ("article-2-entree-en-vigueur", 3),
        ("les-themes", 2),
        ("les-tarifs", 3),
    ]
    assert found[0].text == "## Les articles\n\nTrois articles commentés.\n\n"
    assert "#### Un détail" in found[2].text  # deeper headings stay inside their part
    assert "".join(s.text for s in found) == ARTICLES
    body, key = sections.replace_section(
        ARTICLES,
        "article-1er-objet",
        "### Article 1er — Objet\n\nAvis revus.",
        found[1].fingerprint,
    )
    assert key == "article-1er-objet"
    assert body == ARTICLES.replace("Des avis partagés.", "Avis revus.")


def test_a_section_changed_since_it_was_loaded_is_refused():
    loaded = sections.find_section(BODY, "la-participation")
    meanwhile, _key = sections.replace_section(
        BODY, "la-participation", "## La participation\n\nAutre chose.", loaded.fingerprint
    )
    with pytest.raises(SectionChanged) as error:
        sections.replace_section(meanwhile, "la-participation", "Mon texte", loaded.fingerprint)
    assert error.value.status == 409 and "modifiée par quelqu'un d'autre" in error.value.message
    # Another section, loaded at the same time, still saves.
    other = sections.find_section(BODY, "article-1")
    body, _key = sections.replace_section(
        meanwhile, "article-1", "## Article 1\n\nOk.", other.fingerprint
    )
    assert "Autre chose." in body and "Ok." in body


# --- Tokens --------------------------------------------------------------------------------


@pytest.fixture
def world(db, make_consultation, make_contribution, make_user, organiser):
    """A closed consultation with three contributions (one hidden since), another
    consultation's contribution, a saved synthesis text naming them by tokens."""
    closed = make_consultation("closed")
    other = make_consultation("closed", title="Une autre consultation")
    during = clock.now() - timedelta(days=15)
    titled = make_contribution(
        closed, kind="comment", title="Rouvrir les lignes de nuit", body="Il faut des trains.",
        now=during,
    )  # fmt: skip
    plain = make_contribution(
        closed, body="Les horaires du matin ne conviennent pas aux travailleurs postés du tout.",
        now=during,
    )  # fmt: skip
    hidden = make_contribution(closed, body="Un texte masqué ensuite.", now=during)
    moderation.hide_contribution(make_user(Role.moderator), hidden, "off_topic", notify=False)
    foreign = make_contribution(other, body="Ailleurs.", now=during)
    body = (
        f"En bref : [[{titled.tracking_number}]].\n\n"
        f"## Les avis\n\n- [[{plain.tracking_number}]]\n- [[{hidden.tracking_number}]]\n"
        f"- [[{foreign.tracking_number}]] et [[C-AAAA-BBBB-CCCC]]\n"
        f"- `[[{titled.tracking_number}]]` en code\n"
    )
    publishing.save_synthesis(organiser, closed, body=body)
    follow_ups.create_follow_up(organiser, closed, title="Un décret")
    db.session.commit()
    return closed, titled, plain, hidden, foreign


def _path(consultation, item):
    return f"/consultations/{consultation.slug}/contributions/{item.id}"


def test_tokens_become_links_that_say_what_the_contribution_is(world, db):
    closed, titled, plain, hidden, foreign = world
    rendered = links.render(publishing.working_text(closed), closed)
    html = str(rendered.html)
    assert re.search(
        rf'<a href="{_path(closed, titled)}"[^>]*>Rouvrir les lignes de nuit '
        rf"\({titled.tracking_number}\)</a>",
        html,
    )
    assert f">Les horaires du matin ne conviennent pas aux… ({plain.tracking_number})<" in html
    # A hidden contribution keeps its link (its page shows the notice), not its words.
    assert (
        f'<a href="{_path(closed, hidden)}" rel="nofollow ugc noopener">{hidden.tracking_number}</a>'
        in html
    )
    assert "masqué" not in html
    # Another consultation's contribution and an unknown number: plain text, reported.
    assert _path(closed, foreign) not in html and f"/contributions/{foreign.id}" not in html
    assert rendered.unknown == [foreign.tracking_number, "C-AAAA-BBBB-CCCC"]
    # In code the token stays as written.
    assert f"<code>[[{titled.tracking_number}]]</code>" in html


def test_a_hostile_title_in_a_tokens_link_text_stays_text(db, make_consultation, make_contribution):
    closed = make_consultation("closed")
    hostile = make_contribution(
        closed,
        kind="comment",
        title='"><script>alert(1)</script><img src=x onerror=alert(2)> <b>gras</b>',
        body="Un avis.",
        now=clock.now() - timedelta(days=15),
    )
    db.session.commit()
    html = str(links.render(f"Voir [[{hostile.tracking_number}]].", closed).html)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert re.search(
        rf'<a href="{_path(closed, hostile)}" rel="nofollow ugc noopener">(&#34;|&quot;|")'
        r"&gt;&lt;script&gt;alert\(1\)&lt;/script&gt;&lt;img src=x onerror=alert\(2\)&gt; "
        rf"&lt;b&gt;gras&lt;/b&gt; \({hostile.tracking_number}\)</a>",
        html,
    )


def test_all_tokens_of_a_text_are_looked_up_in_one_query(world, db):
    from sqlalchemy import event

    closed, *_items = world
    text = publishing.working_text(closed) * 20  # a hundred tokens
    statements = []

    def count(*_args, **_kwargs):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        links.render(text, closed)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1


def test_a_version_stored_with_full_links_still_renders(world, db, client):
    closed, titled, *_rest = world
    old = f"## Avant\n\nVoir [Rouvrir les lignes ({titled.tracking_number})]({_path(closed, titled)})."
    db.session.add(
        SynthesisVersion(consultation_id=closed.id, number=1, body=old, published_at=clock.now())
    )
    closed.synthesis_published_at = clock.now()
    db.session.commit()
    page = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    assert f'href="{_path(closed, titled)}"' in page
    assert f"Rouvrir les lignes ({titled.tracking_number})</a>" in page


def test_the_public_page_and_the_pdf_link_the_tokens(world, db, client, app, organiser):
    closed, titled, plain, *_rest = world
    publishing.publish_synthesis(organiser, closed, "")
    db.session.commit()
    page = client.get(f"/consultations/{closed.slug}/synthese").get_data(as_text=True)
    assert f'href="{_path(closed, titled)}"' in page
    assert f"Rouvrir les lignes de nuit ({titled.tracking_number})" in page
    assert "C-AAAA-BBBB-CCCC" in page and "[[C-AAAA" not in page
    app.config["BASE_URL"] = "https://consultation.example.gouv.fr"
    version = publishing.latest_version(closed)
    document = pdf.build_pdf(
        consultation_title=closed.title, institution="Ministère", version_number=1,
        published_at=version.published_at, days_after_closing=1, change_note="",
        body=version.body, base_url=app.config["BASE_URL"], compress=False,
        text_links=links.TokenLinks.for_text(closed, version.body),
    )  # fmt: skip
    assert f"https://consultation.example.gouv.fr{_path(closed, plain)}".encode() in document
    answer = client.get(f"/consultations/{closed.slug}/synthese.pdf")
    assert answer.status_code == 200 and answer.content_type == "application/pdf"


# --- Pages ---------------------------------------------------------------------------------


def test_the_editor_lists_the_sections_with_their_length_and_warns_of_unknown_tokens(
    world, client, login_as, organiser
):
    closed, *_rest = world
    login_as(organiser)
    page = client.get(f"/gestion/consultations/{closed.slug}/synthese").get_data(as_text=True)
    assert f'href="/gestion/consultations/{closed.slug}/synthese/parties/les-avis"' in page
    assert "/synthese/parties/ouverture" in page
    assert "caractères" in page and "C-AAAA-BBBB-CCCC" in page
    assert "aucune contribution de cette consultation" in page


def test_a_section_is_previewed_then_saved_from_its_page(world, client, login_as, organiser, db):
    closed, titled, *_rest = world
    login_as(organiser)
    url = f"/gestion/consultations/{closed.slug}/synthese/parties/les-avis"
    page = client.get(url).get_data(as_text=True)
    assert 'action="' + url + '#apercu"' in page.replace("formaction", "action")
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    typed = f"## Les avis\n\nRevu : [[{titled.tracking_number}]]."
    preview = client.post(
        url, data={"text": typed, "fingerprint": fingerprint, "action": "preview"}
    )
    shown = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'id="apercu"' in shown
    assert f"Rouvrir les lignes de nuit ({titled.tracking_number})</a>" in shown
    assert "Revu :" in shown  # the typed text is kept in the field
    assert "Beaucoup" not in publishing.working_text(closed)  # nothing saved by a preview
    saved = client.post(url, data={"text": typed, "fingerprint": fingerprint, "action": "save"})
    assert saved.status_code == 302 and saved.location.endswith("/synthese/parties/les-avis")
    db.session.expire_all()
    body = db.session.get(Synthesis, closed.id).body
    assert body.startswith("En bref") and "Revu : [[" in body and "- `[[" not in body


def test_a_stale_section_is_refused_and_keeps_what_was_typed(
    world, client, login_as, organiser, db
):
    closed, *_rest = world
    login_as(organiser)
    url = f"/gestion/consultations/{closed.slug}/synthese/parties/les-avis"
    stale = sections.find_section(publishing.working_text(closed), "les-avis").fingerprint
    other = client.post(
        url, data={"text": "## Les avis\n\nD'abord.", "fingerprint": stale, "action": "save"}
    )
    assert other.status_code == 302
    answer = client.post(
        url, data={"text": "## Les avis\n\nMon texte tapé.", "fingerprint": stale, "action": "save"}
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "modifiée par quelqu&#39;un d&#39;autre" in page
    assert "Mon texte tapé." in page and "D&#39;abord." in page  # the current text, shown apart
    db.session.expire_all()
    assert "Mon texte tapé." not in db.session.get(Synthesis, closed.id).body


def test_a_too_long_section_is_refused_next_to_the_field(world, client, login_as, organiser):
    closed, *_rest = world
    login_as(organiser)
    url = f"/gestion/consultations/{closed.slug}/synthese/parties/les-avis"
    stale = sections.find_section(publishing.working_text(closed), "les-avis").fingerprint
    from consultation.synthesis import limits

    # The part fits in the field; the whole text it makes does not: refused by the service.
    text = "## Les avis\n\n" + "x" * (limits.SYNTHESIS_MAX - 20)
    answer = client.post(url, data={"text": text, "fingerprint": stale, "action": "save"})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "caractères au maximum" in page
    assert 'aria-invalid="true"' in page and "x" * 1000 in page


def test_the_preview_endpoint_answers_sanitised_html_to_the_staff_only(
    world, client, login_as, organiser, make_user
):
    closed, titled, *_rest = world
    url = f"/gestion/consultations/{closed.slug}/synthese/apercu"
    text = f"[[{titled.tracking_number}]] <script>alert(1)</script> [[C-ZZZZ-ZZZZ-ZZZZ]]"
    login_as(make_user())
    assert client.post(url, data={"text": text}).status_code in (403, 404)
    assert client.get(
        f"/gestion/consultations/{closed.slug}/synthese/parties/les-avis"
    ).status_code in (403, 404)
    login_as(organiser)
    answer = client.post(url, data={"text": text}).json
    assert "<script>" not in answer["html"] and f'href="{_path(closed, titled)}"' in answer["html"]
    assert answer["unknown"] == ["C-ZZZZ-ZZZZ-ZZZZ"] and "C-ZZZZ-ZZZZ-ZZZZ" in answer["warning"]


def test_an_unknown_section_is_not_found(world, client, login_as, organiser):
    closed, *_rest = world
    login_as(organiser)
    assert (
        client.get(f"/gestion/consultations/{closed.slug}/synthese/parties/nulle-part").status_code
        == 404
    )


# --- API -----------------------------------------------------------------------------------


def test_the_api_lists_the_sections_and_saves_one_refusing_a_stale_fingerprint(
    world, client, bearer, organiser, db
):
    closed, titled, *_rest = world
    headers = bearer(organiser)
    document = client.get(f"/api/v1/consultations/{closed.slug}/synthesis", headers=headers).json
    listed = {s["key"]: s for s in document["sections"]}
    assert list(listed) == ["ouverture", "les-avis"]
    assert document["unknown_tokens"][-1] == "C-AAAA-BBBB-CCCC"
    url = f"/api/v1/consultations/{closed.slug}/synthesis/sections/ouverture"
    sent = {
        "text": f"Nouvelle ouverture [[{titled.tracking_number}]].",
        "fingerprint": listed["ouverture"]["fingerprint"],
    }
    answer = client.put(url, json=sent, headers=headers)
    assert answer.status_code == 200, answer.json
    assert answer.json["key"] == "ouverture"
    assert answer.json["sections"][0]["text"].startswith("Nouvelle ouverture [[C-")
    again = client.put(url, json=sent, headers=headers)
    assert again.status_code == 409 and again.json["error"]["code"] == "section_changed"
    db.session.expire_all()
    assert db.session.get(Synthesis, closed.id).body.count("Nouvelle ouverture") == 1
    # Anyone but the staff sees no sections.
    public = client.get(f"/api/v1/consultations/{closed.slug}/synthesis").json
    assert public.get("sections") is None

"""Saving a text whose import reports doubtful lines: the one rule the website and the API
share (texts.services.require_acknowledged)."""

from __future__ import annotations

import pytest

from consultation.consultations import services as consultations
from consultation.core import clock
from consultation.core.errors import UnacknowledgedTextWarnings
from consultation.texts import services as texts
from tests.helpers import SAMPLE_TEXT

DOUBTFUL = SAMPLE_TEXT + "Article L. 123-4 du code de l'urbanisme\n"


def _refused(consultation, source, acknowledged=False) -> UnacknowledgedTextWarnings:
    with pytest.raises(UnacknowledgedTextWarnings) as refused:
        texts.replace_draft_text(consultation, source, now=clock.now(), acknowledged=acknowledged)
    return refused.value


def test_a_doubtful_line_is_refused_until_acknowledged_naming_it(db, make_consultation):
    consultation = make_consultation("draft")
    error = _refused(consultation, DOUBTFUL)
    assert error.code == "unacknowledged_text_warnings" and error.status == 422
    assert error.message.startswith(
        "1 ligne du texte commence comme un intitulé sans avoir été reconnue comme telle "
        "(ligne 13 : « Article L. 123-4 du code de l'urbanisme »). Vérifiez-la"
    )
    assert set(error.fields) == {"text", "acknowledge_warnings"}
    [warning] = error.warnings
    assert warning["line"] == 13 and warning["text"].startswith("Article L. 123-4")
    assert "l'intitulé de l'article L. 123-4" in warning["reason"]
    assert error.preview.warnings_digest and len(error.preview.articles) == 3
    body = error.to_dict()["error"]
    assert body["code"] == "unacknowledged_text_warnings" and body["warnings"] == error.warnings
    assert len(consultation.current_version.articles[-1].paragraphs) == 1  # nothing saved


def test_acknowledged_with_true_or_with_the_digest_of_the_warnings_shown(db, make_consultation):
    consultation = make_consultation("draft")
    digest = texts.preview_text(DOUBTFUL).warnings_digest
    version = texts.replace_draft_text(consultation, DOUBTFUL, now=clock.now(), acknowledged=digest)
    assert version.articles[-1].paragraphs[-1].text.startswith("Article L. 123-4")
    other = make_consultation("draft", title="Autre projet")
    texts.replace_draft_text(other, DOUBTFUL, now=clock.now(), acknowledged=True)
    assert len(other.current_version.articles[-1].paragraphs) == 2


def test_a_stale_acknowledgement_does_not_cover_a_new_warning(db, make_consultation):
    consultation = make_consultation("draft")
    digest = texts.preview_text(DOUBTFUL).warnings_digest
    changed = DOUBTFUL + "Chapitre II Dispositions diverses\n"
    error = _refused(consultation, changed, acknowledged=digest)
    assert [w["line"] for w in error.warnings] == [13, 14]
    _refused(consultation, DOUBTFUL, acknowledged="y")


def test_saving_again_the_text_already_saved_needs_no_new_acknowledgement(db, make_consultation):
    consultation = make_consultation("draft", text=DOUBTFUL, acknowledge_warnings=True)
    db.session.commit()
    consultations.update_consultation(
        consultation.created_by,
        consultation,
        {"title": "Nouveau titre", "text": DOUBTFUL.replace("\n", "  \r\n")},
    )
    assert consultation.title == "Nouveau titre"
    with pytest.raises(UnacknowledgedTextWarnings):
        consultations.update_consultation(
            consultation.created_by, consultation, {"text": DOUBTFUL + "Article 3 du code\n"}
        )


def test_saved_warnings_are_read_again_from_the_saved_text(db, make_consultation):
    consultation = make_consultation("draft", text=DOUBTFUL, acknowledge_warnings=True)
    [warning] = texts.saved_text_warnings(consultation.current_version.source)
    assert warning.line == 13
    assert texts.saved_text_warnings(None) == [] and texts.saved_text_warnings("x") == []


def test_a_text_without_warnings_needs_no_acknowledgement(db, make_consultation):
    consultation = make_consultation("draft")
    texts.replace_draft_text(consultation, SAMPLE_TEXT + "Article 4\nQuatre.\n", now=clock.now())
    assert len(consultation.current_version.articles) == 4

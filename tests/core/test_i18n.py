"""Python's strings go through the catalogue: enum labels, service errors next to a field and
in the API, e-mails in the recipient's language; certified outputs keep their French.

The English catalogue is being filled at the same time, so these tests bring their own: a
tiny one compiled into tmp_path, put in place of the application's for the test.
"""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import force_locale, get_locale

from consultation.consultations.constants import Status
from consultation.core import clock, mail
from consultation.core.errors import ValidationFailed
from consultation.core.i18n import _l
from consultation.core.plurals import ngettext
from consultation.participation import services as participation
from consultation.participation.models import ContributionKind

ENGLISH = {
    "Ouverte": "Open (test catalogue)",
    "La recherche est limitée à %(n)s caractères.": "Searches are limited to %(n)s characters.",
    "Jeton d'accès invalide ou révoqué.": "Invalid or revoked access token (test catalogue).",
    "Votre recours sur la contribution %(number)s": "Your appeal on contribution %(number)s",
    ("%(num)s entrée.", "%(num)s entrées."): ("%(num)s entry.", "%(num)s entries."),
    "Vous êtes déconnecté.": "You are signed out (test catalogue).",
    "Adresse e-mail": "E-mail address (test catalogue)",
    "Ce champ est obligatoire.": "This field is required (test catalogue).",
    "Connectez-vous pour participer.": "Sign in to take part (test catalogue).",
    "Seul l'auteur peut modifier sa contribution.": "Only the author may edit it (test catalogue).",
    "Participation du public par voie électronique": "Public participation by electronic means",
    "Code de l'environnement, art. L123-19": "Environmental Code, art. L123-19",
    "%(label)s — %(reference)s (%(days)s jours minimum)": "%(label)s — %(reference)s (%(days)s "
    "days minimum)",
    "La durée minimale d'une consultation sur cette base légale (%(reference)s) est de "
    "%(days)s jours calendaires : la clôture ne peut intervenir avant le %(earliest)s.": "The "
    "minimum duration on this legal basis (%(reference)s) is %(days)s calendar days: closing "
    "no earlier than %(earliest)s.",
    "d MMMM y 'à' HH'h'mm": "d MMMM y 'at' HH:mm",
    "%(moment)s (heure de Paris)": "%(moment)s (Paris time)",
}


def _catalogue(app, tmp_path, monkeypatch):
    catalog = Catalog(locale="en")
    for source, english in ENGLISH.items():
        catalog.add(source, english)
    folder = tmp_path / "translations" / "en" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as mo:
        write_mo(mo, catalog)
    babel = app.extensions["babel"]
    monkeypatch.setattr(babel, "translation_directories", [str(tmp_path / "translations")])
    monkeypatch.setattr(babel.instance.domain_instance, "cache", {})


def test_enum_label_in_the_readers_language_french_source_kept(app, tmp_path, monkeypatch):
    _catalogue(app, tmp_path, monkeypatch)
    with force_locale("en"):
        assert str(Status.open.label) == "Open (test catalogue)"
        assert Status.open.label_fr == "Ouverte"
    assert str(Status.open.label) == "Ouverte"  # French outside a request
    assert ContributionKind.amendment.label_fr == "Proposition de rédaction"


def test_lazy_label_is_escaped_as_text():
    from markupsafe import escape

    assert str(escape(ContributionKind.new_article.label)) == "Proposition d&#39;article nouveau"


def test_validation_error_next_to_the_field_in_english(app, client, tmp_path, monkeypatch):
    _catalogue(app, tmp_path, monkeypatch)
    client.set_cookie("lang", "en")
    page = client.get("/recherche", query_string={"q": "x" * 300}).get_data(as_text=True)
    assert "Searches are limited to 200 characters." in page
    client.set_cookie("lang", "fr")
    page = client.get("/recherche", query_string={"q": "x" * 300}).get_data(as_text=True)
    assert "La recherche est limitée à 200 caractères." in page


def test_api_error_message_in_english_code_unchanged(app, client, tmp_path, monkeypatch):
    _catalogue(app, tmp_path, monkeypatch)
    client.set_cookie("lang", "en")
    answer = client.get("/api/v1/consultations", headers={"Authorization": "Bearer nope"})
    assert answer.status_code == 401
    error = answer.get_json()["error"]
    assert error == {
        "code": "unauthorized",
        "message": "Invalid or revoked access token (test catalogue).",
    }


def test_errors_outside_a_request_are_french(app):
    assert ValidationFailed().message == "Certaines informations sont invalides."


def test_plurals_french_rule_and_catalogue_for_english(app, tmp_path, monkeypatch):
    _catalogue(app, tmp_path, monkeypatch)
    forms = ("%(num)s entrée.", "%(num)s entrées.")
    assert [ngettext(*forms, n) % {"num": n} for n in (0, 1, 2)] == [
        "0 entrée.",
        "1 entrée.",
        "2 entrées.",
    ]
    with force_locale("en"):
        assert [ngettext(*forms, n) % {"num": n} for n in (1, 2)] == ["1 entry.", "2 entries."]


def test_mail_rendered_in_the_recipients_language(app, make_user, tmp_path, monkeypatch):
    _catalogue(app, tmp_path, monkeypatch)
    forced, seen = [], []
    real_force_locale = mail.force_locale

    def spy(locale):
        forced.append(locale)
        return real_force_locale(locale)

    real_render = mail.render_template

    def render(*args, **kwargs):
        seen.append(str(get_locale()))
        return real_render(*args, **kwargs)

    monkeypatch.setattr(mail, "force_locale", spy)
    monkeypatch.setattr(mail, "render_template", render)
    user = make_user()
    user.locale = "en"
    subject = _l("Votre recours sur la contribution %(number)s", number="C-12")
    message = mail.compose_mail(user.email, subject, "verify_email", user=user, link="x", hours=1)
    assert forced == ["en"] and seen == ["en"]
    assert message["Subject"] == "Your appeal on contribution C-12"
    user.locale = "fr"
    message = mail.compose_mail(user.email, subject, "verify_email", user=user, link="x", hours=1)
    assert forced[-1] == "fr" and message["Subject"] == "Votre recours sur la contribution C-12"


def test_new_accounts_take_the_interface_language_and_follow_a_switch(
    app, client, make_user, login_as
):
    assert make_user().locale == "fr"  # created outside a request
    user = login_as(make_user())
    client.get("/langue/en")
    assert user.locale == "en"
    client.get("/langue/fr")
    assert user.locale == "fr"


def test_flash_message_in_the_readers_language(
    app, client, make_user, login_as, tmp_path, monkeypatch
):
    _catalogue(app, tmp_path, monkeypatch)
    login_as(make_user())
    client.set_cookie("lang", "en")
    page = client.post("/deconnexion", follow_redirects=True).get_data(as_text=True)
    assert "You are signed out (test catalogue)." in page
    assert "Vous êtes déconnecté." not in page


def test_form_label_and_validator_message_in_the_readers_language(
    app, client, tmp_path, monkeypatch
):
    _catalogue(app, tmp_path, monkeypatch)
    client.set_cookie("lang", "en")
    page = client.get("/connexion").get_data(as_text=True)
    assert "E-mail address (test catalogue)" in page
    # A validator's lazy message is read in the request's language, as text for the page.
    answer = client.post("/connexion", data={"email": "", "password": ""})
    assert "This field is required (test catalogue)." in answer.get_data(as_text=True)
    client.set_cookie("lang", "fr")
    page = client.get("/connexion").get_data(as_text=True)
    assert "Adresse e-mail" in page and "test catalogue" not in page


def test_participation_refusal_in_the_readers_language(
    app, opened, make_contribution, make_user, tmp_path, monkeypatch
):
    _catalogue(app, tmp_path, monkeypatch)
    item = make_contribution(opened)
    now = clock.now()
    with force_locale("en"):
        refusal = participation.participation_refusal(None, opened, now)
        assert refusal is not None and refusal.message == "Sign in to take part (test catalogue)."
        other = participation.edit_refusal(make_user(), item, now)
        assert (
            other is not None and other.message == "Only the author may edit it (test catalogue)."
        )
    refusal = participation.participation_refusal(None, opened, now)
    assert refusal is not None and refusal.message == "Connectez-vous pour participer."


def test_legal_bases_are_named_in_the_readers_language(app, tmp_path, monkeypatch):
    """The form's choices are made once, at import: each basis is named when shown, its
    reference too; the API and the record keep the French reference."""
    from consultation.consultations.constants import LEGAL_BASES
    from consultation.consultations.forms import ConsultationForm

    _catalogue(app, tmp_path, monkeypatch)
    choice = next(
        c for c in ConsultationForm.legal_basis.kwargs["choices"] if c.value == "env_l123_19"
    )
    with force_locale("en"):
        assert str(choice.label) == (
            "Public participation by electronic means — Environmental Code, art. L123-19 "
            "(30 days minimum)"
        )
    with app.test_request_context():
        assert str(choice.label) == (
            "Participation du public par voie électronique — Code de l'environnement, "
            "art. L123-19 (30 jours minimum)"
        )
    assert LEGAL_BASES["env_l123_19"].reference == "Code de l'environnement, art. L123-19"


def test_a_duration_below_the_minimum_is_refused_in_the_readers_language(
    app, tmp_path, monkeypatch
):
    from datetime import datetime, timedelta

    import pytest

    from consultation.consultations.services import check_duration
    from consultation.core.errors import DurationTooShort

    _catalogue(app, tmp_path, monkeypatch)
    opens = datetime(2026, 3, 2, 9, tzinfo=clock.UTC)
    with force_locale("en"), pytest.raises(DurationTooShort) as refused:
        check_duration("env_l123_19", opens, opens + timedelta(days=10))
    assert refused.value.message == (
        "The minimum duration on this legal basis (Environmental Code, art. L123-19) is 30 "
        "calendar days: closing no earlier than 1 April 2026 at 10:00 (Paris time)."
    )
    with pytest.raises(DurationTooShort) as refused:
        check_duration("env_l123_19", opens, opens + timedelta(days=10))
    assert refused.value.message == (
        "La durée minimale d'une consultation sur cette base légale (Code de l'environnement, "
        "art. L123-19) est de 30 jours calendaires : la clôture ne peut intervenir avant le "
        "1 avril 2026 à 10h00 (heure de Paris)."
    )

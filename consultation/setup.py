"""Wiring of the application: extensions, blueprints, templates helpers, headers, errors."""

from __future__ import annotations

import logging
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, g, has_request_context, jsonify, render_template, request
from flask_babel import format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from consultation.core import (
    auth,
    clock,
    inputs,
    pagecache,
    plurals,
    sanitize,
    upload_limits,
    uploads,
    urls,
)
from consultation.core.database import configure_engine
from consultation.core.errors import BadRequest, DomainError
from consultation.core.i18n import N_
from consultation.core.security import log_event
from consultation.extensions import babel, csrf, db, limiter, login_manager, migrate

logger = logging.getLogger(__name__)
OUT_OF_RANGE_MESSAGE = N_("La requête contient une valeur hors des limites acceptées.")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    if app.config.get("PROXY_COUNT"):
        count = app.config["PROXY_COUNT"]
        # Flask's documented way to put a middleware in front; mypy sees a method replaced.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
    _init_extensions(app)
    inputs.init_app(app)  # before the routes: it installs the <int:…> converter
    _register_blueprints(app)
    _register_cli(app)
    _init_ledger(app)
    _init_templates(app)
    _init_headers(app)
    _init_errors(app)


def _init_extensions(app: Flask) -> None:
    # Import the models so that metadata (Alembic, tests) knows every table.
    from consultation import models  # noqa: F401

    db.init_app(app)
    migrations = Path(app.root_path).parent / "migrations"
    from consultation.search.models import declared_by_the_models

    migrate.init_app(
        app,
        db,
        directory=str(migrations),
        render_as_batch=True,
        compare_type=True,
        include_name=declared_by_the_models,  # not SQLite's full-text shadow tables
    )
    # Before the CSRF check, which reads the form: a route taking a file parses it under its
    # own limit.
    upload_limits.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=lambda: "Europe/Paris")
    plurals.install(app)  # « 0 mitigé »: the French rule where no catalogue translates
    from consultation.core import limits  # noqa: F401  (the switch RATE_LIMITS_ENABLED)

    limiter.init_app(app)
    login_manager.init_app(app)
    pagecache.init_app(app)
    login_manager.login_view = "accounts.login"
    # Translated by Flask-Login when it flashes it, in the language of the request.
    login_manager.login_message = N_("Connectez-vous pour accéder à cette page.")
    login_manager.localize_callback = _
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    with app.app_context():
        configure_engine(app, db.engine)

    from consultation.accounts.services import load_session_user

    login_manager.user_loader(load_session_user)


def _select_locale() -> str:
    """French unless the visitor chose English; e-mails and CLI output are French."""
    if not has_request_context():
        return "fr"
    lang = request.cookies.get("lang")
    return lang if lang in ("fr", "en") else "fr"


def _register_blueprints(app: Flask) -> None:
    from consultation.accounts.views import bp as accounts_bp
    from consultation.api import bp as api_bp
    from consultation.consultations.views.documents import bp as documents_bp
    from consultation.consultations.views.manage import bp as manage_bp
    from consultation.consultations.views.public import bp as consultations_bp
    from consultation.ledger.views import bp as ledger_bp
    from consultation.moderation.views import bp as moderation_bp
    from consultation.opendata.views import bp as opendata_bp
    from consultation.pages.views import bp as pages_bp
    from consultation.participation.views import bp as participation_bp
    from consultation.search.views import bp as search_bp
    from consultation.synthesis.views import bp as synthesis_bp
    from consultation.synthesis.views import public_bp as synthesis_public_bp

    app.register_blueprint(consultations_bp)
    app.register_blueprint(manage_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(participation_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(synthesis_bp)
    app.register_blueprint(synthesis_public_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(pages_bp)
    app.register_blueprint(search_bp)
    app.register_blueprint(opendata_bp)
    app.register_blueprint(ledger_bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)


def _register_cli(app: Flask) -> None:
    from consultation.accounts.cli import institutions_cli, users_cli
    from consultation.core.cli import backup_cli
    from consultation.demo.cli import demo_command
    from consultation.ledger.cli import ledger_cli
    from consultation.participation.cli import participation_cli
    from consultation.synthesis.cli import jobs_cli

    app.cli.add_command(institutions_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(backup_cli)
    app.cli.add_command(participation_cli)
    app.cli.add_command(ledger_cli)
    app.cli.add_command(jobs_cli)


def _init_ledger(app: Flask) -> None:
    """The tamper-evident record listens to the acts the domains announce (core.journal), the
    open data to the changes of authors' public profiles (accounts.signals), participation and
    moderation to requests for one's data, moderation to erasures (accounts.signals)."""
    from consultation import ledger, moderation, opendata, participation, search, synthesis

    ledger.init_app(app)
    opendata.init_app(app)
    participation.init_app(app)
    moderation.init_app(app)
    search.init_app(app)  # the search index follows every flush
    synthesis.init_app(app)  # the adopted act and the follow button on the consultation page


def _init_templates(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    urls.init_app(app)  # external_url(): absolute links from BASE_URL, never from Host

    @app.template_filter("datetime_paris")
    def datetime_paris(moment, fmt: str | None = None):
        if not moment:
            return ""
        # TRANSLATORS: a date and time pattern (CLDR/Babel); quoted words stay as written.
        return format_datetime(clock.as_utc(moment), fmt or _("d MMMM y 'à' HH'h'mm"))

    @app.template_filter("date_paris")
    def date_paris(moment, fmt: str = "d MMMM y"):
        if moment is None:
            return ""
        if hasattr(moment, "hour"):
            return format_datetime(clock.as_utc(moment), fmt)
        return format_date(moment, fmt)

    app.add_template_filter(sanitize.quoted_french, "quoted_french")
    app.add_template_filter(sanitize.french, "french")
    app.add_template_filter(sanitize.user_content, "user_content")

    @app.template_filter("isoformat")
    def isoformat(moment):
        return clock.isoformat(moment) or ""

    @app.context_processor
    def inject_globals():
        return {
            "state_branding": app.config.get("STATE_BRANDING", False),
            "site_name": _("Consultation"),
            "current_locale": _select_locale(),
            **auth.role_flags(current_user),  # the navigation's links, as flags
        }


def _init_headers(app: Flask) -> None:
    from consultation.api.cors import add_cors_headers

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if not app.debug and not app.testing and request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if getattr(g, "no_store", False):
            headers["Cache-Control"] = "no-store"
        if _wants_json():
            add_cors_headers(response, request.method)
        return response


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _init_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        # A refused rule leaves nothing half done: the request's one rollback.
        db.session.rollback()
        if error.status == 403:
            log_event("access_denied", level=logging.WARNING, code=error.code)
        if _wants_json():
            return jsonify(error.to_dict()), error.status
        return render_template("errors/error.html", error=error, status=error.status), error.status

    @app.errorhandler(OverflowError)
    @app.errorhandler(sa.exc.DataError)
    def value_out_of_range(error: Exception):
        """Input the database cannot hold or compare (an integer beyond its range): a 400,
        not a 500. Each route should refuse such input itself; this is the safety net."""
        db.session.rollback()
        route = request.url_rule.rule if request.url_rule is not None else "?"
        logger.warning(
            "value refused by the database on %s %s: %s",
            request.method,
            route,
            type(error).__name__,
        )
        return domain_error(BadRequest(_(OUT_OF_RANGE_MESSAGE)))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        _log_http_error(error, status)
        if _wants_json():
            from consultation.api.errors import http_error_payload

            response = jsonify(http_error_payload(error))
            if status == 429 and error.get_response().headers.get("Retry-After"):
                response.headers["Retry-After"] = error.get_response().headers["Retry-After"]
            return response, status
        template = (
            f"errors/{status}.html"
            if status in (400, 403, 404, 405, 413, 429)
            else "errors/error.html"
        )
        # Only a rate-limited form is given back: the body of a 413 is never read.
        typed = _typed() if status == 429 else []
        response = app.make_response(
            (
                render_template(
                    template,
                    status=status,
                    error=error,
                    typed=typed,
                    size_limits=_size_limits(app),
                ),
                status,
            )
        )
        if status == 429:
            retry_after = error.get_response().headers.get("Retry-After")
            if retry_after:
                response.headers["Retry-After"] = retry_after
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        # The route, not the path: some paths carry a secret (/reinitialisation/<token>).
        route = request.url_rule.rule if request.url_rule is not None else request.path
        logger.exception("unhandled error on %s %s", request.method, route)
        db.session.rollback()
        if _wants_json():
            return jsonify(
                {"error": {"code": "server_error", "message": _("Erreur interne du serveur.")}}
            ), 500
        return render_template("errors/error.html", status=500, error=None), 500


# Fields whose text a refused form submission gives back on the 429 page, so that nothing
# typed is lost (never a password).
TYPED_FIELDS = {
    "title": N_("Titre"),
    "body": N_("Texte"),
    "proposed_text": N_("Rédaction proposée"),
    "url": N_("Adresse de la source"),
    "details": N_("Précisions"),
}


def _typed() -> list[tuple[str, str]]:
    """(label, text) of what the refused form carried, for the person to copy."""
    if request.method != "POST":
        return []
    return [
        (_(label), request.form[name])
        for name, label in TYPED_FIELDS.items()
        if (request.form.get(name) or "").strip()
    ]


def _size_limits(app: Flask) -> dict[str, str]:
    """The limits a refused (413) submission broke, written in the reader's language (« 24 Mo »,
    "24 MB"): the whole request (MAX_CONTENT_LENGTH, or a route's own when it takes a file), one
    text field of a form (MAX_FORM_MEMORY_SIZE) and, on a route taking a file, the file."""
    return {
        "request": _size(request.max_content_length),
        "field": _size(app.config.get("MAX_FORM_MEMORY_SIZE")),
        "file": _size(upload_limits.file_limit()),
    }


def _size(size: int | None) -> str:
    return uploads.size_label(size) if size else ""


def _log_http_error(error: HTTPException, status: int) -> None:
    if isinstance(error, CSRFError):
        log_event("csrf_failed", level=logging.WARNING, reason=error.description)
    elif status == 403:
        log_event("access_denied", level=logging.WARNING)
    elif status == 429:
        current = limiter.current_limit
        log_event(
            "rate_limited",
            level=logging.WARNING,
            limit=str(current.limit) if current else None,
            key=current.key if current else None,
        )

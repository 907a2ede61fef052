"""Static information pages linked from every page's footer, and the language switch."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request
from flask_login import current_user

from consultation.accounts.services import set_locale
from consultation.core.redirects import safe_next
from consultation.extensions import db

bp = Blueprint("pages", __name__)

PAGES = {
    "legal": ("/mentions-legales", "pages/legal.html"),
    "privacy": ("/donnees-personnelles", "pages/privacy.html"),
    "accessibility": ("/accessibilite", "pages/accessibility.html"),
    "terms": ("/conditions-d-utilisation", "pages/terms.html"),
    "charter": ("/charte-de-moderation", "pages/charter.html"),
    "sitemap": ("/plan-du-site", "pages/sitemap.html"),
}


def _page_view(template: str):
    def view():
        return render_template(template)

    return view


for endpoint, (rule, template) in PAGES.items():
    bp.add_url_rule(rule, endpoint, _page_view(template))


@bp.get("/langue/<lang>")
def set_language(lang: str):
    """Remember the interface language in a cookie and go back where the visitor was.

    A plain link, as in the DSFR's language selector: it changes only a display preference,
    and keeps every page free of per-visitor content (no session, no form token). A
    signed-in person's e-mails follow the language chosen (`accounts.services.set_locale`).
    """
    response = redirect(safe_next(request.args.get("suivant")))
    if lang in ("fr", "en") and current_user.is_authenticated:
        set_locale(current_user, lang)  # their e-mails follow
        db.session.commit()
    if lang in ("fr", "en"):
        response.set_cookie(
            "lang",
            lang,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        )
    return response

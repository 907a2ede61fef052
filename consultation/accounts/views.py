"""Sign-up, sign-in, e-mail verification, password reset and the account page."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consultation.accounts import services
from consultation.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
)
from consultation.core.auth import Role
from consultation.core.db import transaction
from consultation.core.errors import DomainError
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.redirects import safe_next
from consultation.core.security import log_event
from consultation.extensions import db, limiter

bp = Blueprint("accounts", __name__)

AUTH_LIMIT = "10 per minute;50 per hour"


@bp.route("/inscription", methods=["GET", "POST"])
@checks_csrf_in_form
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def register():
    form = RegistrationForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.register_participant(
                form.email.data or "", form.display_name.data or "", form.password.data or ""
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            return redirect(url_for("accounts.registered"))
    return render_template("accounts/register.html", form=form)


@bp.get("/inscription/envoyee")
def registered():
    return render_template("accounts/registered.html")


@bp.get("/verification/<token>")
def verify_email(token: str):
    with transaction() as done:
        services.verify_email(token)
    if done.error:
        log_event("email_verification_refused", level=logging.WARNING)
        return render_template("accounts/verify_failed.html", message=done.error.message), 400
    flash(_("Votre adresse e-mail est confirmée : vous pouvez participer."), "success")
    return redirect(
        url_for("accounts.profile" if current_user.is_authenticated else "accounts.login")
    )


@bp.post("/verification/renvoyer")
@login_required
@limiter.limit("3 per hour")
def resend_verification():
    if not current_user.is_verified:
        services.send_verification(current_user)
        db.session.commit()
    flash(_("Un nouveau lien de confirmation vous a été envoyé."), "info")
    # Back to the page whose notice offered the link, or to the account page.
    return redirect(safe_next(request.form.get("retour"), "accounts.profile"))


@bp.route("/connexion", methods=["GET", "POST"])
@checks_csrf_in_form
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        with transaction() as done:
            user = services.authenticate(form.email.data or "", form.password.data or "")
        if done.error:
            flash(done.error.message, "error")
            form.password.errors = [done.error.message]
        else:
            session.clear()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.post("/deconnexion")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
        log_event("logout", user=current_user.id)
    logout_user()
    session.clear()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("consultations.index"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@checks_csrf_in_form
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        db.session.commit()
        flash(
            _(
                "Si un compte existe avec cette adresse, un lien de réinitialisation vient d'y être envoyé."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/reinitialisation/<token>", methods=["GET", "POST"])
@checks_csrf_in_form
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_password(token: str):
    g.no_store = True
    try:
        user = services.check_reset_token(token)
    except DomainError as error:
        return _dead_reset_link(error)
    form = ResetPasswordForm()
    form.offer_token_revocation(len(services.api_tokens(user)))
    if form.validate_on_submit():
        revoke = form.offers_token_revocation and form.revoke_api_tokens.data
        with transaction() as done:
            services.reset_password(token, form.password.data or "", revoke_api_tokens=revoke)
        if done.error:
            if not done.error.fields:  # the link died meanwhile: used, or the password changed
                return _dead_reset_link(done.error)
            apply_errors(form, done.error)
        else:
            logout_user()
            flash(
                _(
                    "Votre mot de passe est changé et toutes vos sessions sont fermées ; vos "
                    "jetons d'accès à l'API sont révoqués : connectez-vous."
                )
                if revoke
                else _(
                    "Votre mot de passe est changé et toutes vos sessions sont fermées : "
                    "connectez-vous."
                ),
                "success",
            )
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


def _dead_reset_link(error: DomainError):
    """The page of a reset link that no longer works: why, and a way to ask for a new one."""
    return render_template(
        "accounts/verify_failed.html",
        message=error.message,
        retry_url=url_for("accounts.forgot_password"),
        retry_label=_("Demander un nouveau lien"),
    ), 400


@bp.route("/compte", methods=["GET"])
@login_required
def profile():
    profile_form = ProfileForm()
    profile_form.fill_from(current_user)
    return _account_page(profile_form=profile_form)


@bp.post("/compte/profil")
@checks_csrf_in_form
@login_required
def update_profile():
    form = ProfileForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.update_profile(
                current_user,
                display_name=form.display_name.data or "",
                profile_type=form.profile_type.data,
                organisation_category=form.organisation_category.data or None,
                organisation_name=form.organisation_name.data or "",
                hatvp_number=form.hatvp_number.data or "",
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(_("Votre profil est enregistré."), "success")
            return redirect(url_for("accounts.profile"))
    return _account_page(profile_form=form), 422


def _account_page(**forms):
    """The account page with its forms; those not given start empty."""
    if "profile_form" not in forms:
        forms["profile_form"] = ProfileForm()
        forms["profile_form"].fill_from(current_user)
    # Forms not sent are built without the request's data, which belongs to another form.
    forms.setdefault("password_form", ChangePasswordForm(formdata=None))
    forms.setdefault("token_form", ApiTokenForm(formdata=None))
    tokens = _tokens()
    forms["password_form"].offer_token_revocation(len(tokens))
    sections = services.personal_data_sections(current_user)
    return render_template(
        "accounts/profile.html",
        tokens=tokens,
        appeals=sections.get("appeals", []),
        position_papers=sections.get("position_papers", []),
        can_erase_account=current_user.role is Role.participant,  # staff accounts are kept
        **forms,
    )


@bp.post("/compte/mot-de-passe")
@checks_csrf_in_form
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        revoke = form.revoke_api_tokens.data
        with transaction() as done:
            services.change_password(
                current_user,
                form.current_password.data or "",
                form.password.data or "",
                revoke_api_tokens=revoke,
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            # Every session ended with the old password: sign this one in again, remembered on
            # this device if it was; the others stay ended.
            login_user(current_user, remember=_remembered_here())
            flash(
                _(
                    "Votre mot de passe est changé ; vos autres sessions sont fermées et vos "
                    "jetons d'accès à l'API révoqués."
                )
                if revoke
                else _("Votre mot de passe est changé ; vos autres sessions sont fermées."),
                "success",
            )
            return redirect(url_for("accounts.profile"))
    return _account_page(password_form=form), 422


def _remembered_here() -> bool:
    """Whether this browser holds a "Rester connecté" cookie (to be renewed, not dropped)."""
    name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return name in request.cookies


@bp.post("/compte/jetons")
@checks_csrf_in_form
@login_required
def create_token():
    form = ApiTokenForm()
    if form.validate_on_submit():
        _token, secret = services.create_api_token(current_user, form.name.data or "")
        db.session.commit()
        g.no_store = True
        return render_template("accounts/token_created.html", secret=secret, name=form.name.data)
    return _account_page(token_form=form), 422


@bp.post("/compte/jetons/<int:token_id>/revoquer")
@login_required
def revoke_token(token_id: int):
    with transaction() as done:
        services.revoke_api_token(current_user, token_id)
    if done.error:
        flash(done.error.message, "error")
    else:
        flash(_("Le jeton est révoqué."), "success")
    return redirect(url_for("accounts.profile"))


def _tokens():
    return services.api_tokens(current_user)

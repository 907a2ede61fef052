"""Sign-up, sign-in, e-mail verification, password reset and the account page."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from consultation.accounts import services
from consultation.accounts.forms import (
    ApiTokenForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    RegistrationForm,
    ResetPasswordForm,
)
from consultation.core.errors import DomainError
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.redirects import safe_next
from consultation.extensions import db, limiter

bp = Blueprint("accounts", __name__)

AUTH_LIMIT = "10 per minute;50 per hour"


@bp.route("/inscription", methods=["GET", "POST"])
@checks_csrf_in_form
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def register():
    form = RegistrationForm()
    if form.validate_on_submit():
        try:
            services.register_participant(
                form.email.data, form.display_name.data, form.password.data
            )
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            return redirect(url_for("accounts.registered"))
    return render_template("accounts/register.html", form=form)


@bp.get("/inscription/envoyee")
def registered():
    return render_template("accounts/registered.html")


@bp.get("/verification/<token>")
def verify_email(token: str):
    try:
        services.verify_email(token)
    except DomainError as error:
        db.session.rollback()
        return render_template("accounts/verify_failed.html", message=error.message), 400
    db.session.commit()
    flash("Votre adresse e-mail est confirmée : vous pouvez participer.", "success")
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
    flash("Un nouveau lien de confirmation vous a été envoyé.", "info")
    return redirect(url_for("accounts.profile"))


@bp.route("/connexion", methods=["GET", "POST"])
@checks_csrf_in_form
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            form.password.errors = [error.message]
        else:
            db.session.commit()
            session.clear()
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.post("/deconnexion")
def logout():
    if current_user.is_authenticated:
        services.end_sessions(current_user)
        db.session.commit()
    logout_user()
    session.clear()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("consultations.index"))


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@checks_csrf_in_form
@limiter.limit("5 per minute;20 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            "Si un compte existe avec cette adresse, un lien de réinitialisation vient d'y être envoyé.",
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
        services.check_reset_token(token)
    except DomainError as error:
        return render_template("accounts/verify_failed.html", message=error.message), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            logout_user()
            flash("Votre mot de passe est changé : connectez-vous.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/compte", methods=["GET"])
@login_required
def profile():
    return render_template(
        "accounts/profile.html",
        password_form=ChangePasswordForm(),
        token_form=ApiTokenForm(),
        tokens=_tokens(),
    )


@bp.post("/compte/mot-de-passe")
@checks_csrf_in_form
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            apply_errors(form, error)
        else:
            db.session.commit()
            login_user(current_user)  # the nonce changed: keep this session, end the others
            flash("Votre mot de passe est changé ; vos autres sessions sont fermées.", "success")
            return redirect(url_for("accounts.profile"))
    return render_template(
        "accounts/profile.html", password_form=form, token_form=ApiTokenForm(), tokens=_tokens()
    ), 422


@bp.post("/compte/jetons")
@checks_csrf_in_form
@login_required
def create_token():
    form = ApiTokenForm()
    if form.validate_on_submit():
        _token, secret = services.create_api_token(current_user, form.name.data)
        db.session.commit()
        g.no_store = True
        return render_template("accounts/token_created.html", secret=secret, name=form.name.data)
    return render_template(
        "accounts/profile.html",
        password_form=ChangePasswordForm(),
        token_form=form,
        tokens=_tokens(),
    ), 422


@bp.post("/compte/jetons/<int:token_id>/revoquer")
@login_required
def revoke_token(token_id: int):
    try:
        services.revoke_api_token(current_user, token_id)
    except DomainError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Le jeton est révoqué.", "success")
    return redirect(url_for("accounts.profile"))


def _tokens():
    from consultation.accounts.models import ApiToken

    return db.session.scalars(
        db.select(ApiToken)
        .where(ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    ).all()

"""The article page, where people give their opinion on an article."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from consultation.consultations import queries
from consultation.consultations.views.public import load_visible
from consultation.core import clock
from consultation.core.errors import DomainError
from consultation.extensions import db
from consultation.participation import services
from consultation.participation.forms import ArticleVoteForm, WithdrawVoteForm

bp = Blueprint("participation", __name__)


@bp.get("/consultations/<slug>/articles/<number>")
def article(slug: str, number: str):
    consultation = load_visible(slug)
    version = queries.load_text(consultation)
    articles = version.articles if version else []
    index = next((i for i, a in enumerate(articles) if a.slug == number.lower()), None)
    if index is None:
        abort(404)
    article = articles[index]
    my_vote = services.my_article_vote(current_user, article)
    form = ArticleVoteForm(value=my_vote.value if my_vote else None)
    return render_template(
        "participation/article.html",
        consultation=consultation,
        article=article,
        previous=articles[index - 1] if index > 0 else None,
        following=articles[index + 1] if index + 1 < len(articles) else None,
        status=consultation.status,
        votes=services.vote_split(services.article_vote_counts([article.id])[article.id]),
        my_vote=my_vote,
        vote_form=form,
        withdraw_form=WithdrawVoteForm(),
        can_vote=consultation.is_open_at(clock.now()),
    )


@bp.post("/consultations/<slug>/articles/<number>/avis")
@login_required
def vote(slug: str, number: str):
    article = _article(slug, number)
    form = ArticleVoteForm()
    if form.validate_on_submit():
        try:
            services.cast_article_vote(current_user, article, form.value.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(
                "Votre avis est enregistré. Vous pouvez le changer jusqu'à la clôture.", "success"
            )
    else:
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("participation.article", slug=slug, number=number) + "#avis")


@bp.post("/consultations/<slug>/articles/<number>/avis/retirer")
@login_required
def withdraw(slug: str, number: str):
    article = _article(slug, number)
    try:
        services.withdraw_article_vote(current_user, article)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Votre avis est retiré.", "info")
    return redirect(url_for("participation.article", slug=slug, number=number) + "#avis")


def _article(slug: str, number: str):
    consultation = load_visible(slug)
    version = queries.load_text(consultation)
    article = next(
        (a for a in (version.articles if version else []) if a.slug == number.lower()), None
    )
    if article is None:
        abort(404)
    return article

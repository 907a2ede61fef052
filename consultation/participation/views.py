"""Participation pages: an article with its opinion vote, contributions, receipts."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from consultation.consultations import documents as consultation_documents
from consultation.consultations import queries
from consultation.consultations.models import Consultation
from consultation.consultations.services import get_for_organiser, get_visible
from consultation.core import clock, downloads, i18n, journal
from consultation.core.db import get_existing, transaction
from consultation.core.errors import DomainError, NotAllowed
from consultation.core.forms import apply_errors, checks_csrf_in_form
from consultation.core.inplace import prefix_ids, wants_fragment
from consultation.core.limits import contribution_limits, vote_limits
from consultation.core.lookup import or_404
from consultation.core.redirects import safe_next
from consultation.core.upload_limits import accepts_upload
from consultation.extensions import db
from consultation.participation import papers, services
from consultation.participation import queries as participation_queries
from consultation.participation.forms import (
    ArticleVoteForm,
    CommentForm,
    ContributionForm,
    ContributionVoteForm,
    EditContributionForm,
    EraseAccountForm,
    OfflineObservationForm,
    ReturnForm,
    WholeTextCommentForm,
    WithdrawVoteForm,
)
from consultation.participation.models import SHUFFLE_SPACE, Contribution, ContributionKind
from consultation.texts.services import find_article

bp = Blueprint("participation", __name__)


def _cards(items, actions, *, page_contribution_id: int | None = None) -> dict:
    """What the templates need beside `actions` to show these contributions' cards: where each
    one stands (`statuses`, added by synthesis) and an empty reply form for each card whose
    flags allow a reply (`reply_forms`, by id; the contribution's own page has its own form),
    with the page's `gettext` and `ngettext`, which translate each card's wording once, and the
    position paper each card links to (`card_papers`, by id)."""
    return {
        **i18n.page_translations(),
        **participation_queries.added_parts(
            participation_queries.CARDS, list(items), current_user, clock.now()
        ),
        "reply_forms": {
            contribution_id: _reply_form_for_card(CommentForm(formdata=None), contribution_id)
            for contribution_id, act in actions.items()
            if act.can_reply and contribution_id != page_contribution_id
        },
        "card_papers": papers.shown_papers(items),
    }


def _reply_form_for_card(form: CommentForm, contribution_id: int) -> CommentForm:
    """`form` with ids of its own (a list holds many cards) and its field named as a reply."""
    form.body.label.text = _("Votre réponse")
    return prefix_ids(form, f"reponse-{contribution_id}")


@bp.get("/consultations/<slug>/articles/<number>")
def article(slug: str, number: str):
    consultation, articles, index = _article_context(slug, number)
    form = ContributionForm().for_article(articles[index])
    form.preselect(request.args.get("type"), request.args.get("alinea"))
    return _article_page(consultation, articles, index, form)


@bp.post("/consultations/<slug>/articles/<number>/contributions")
@accepts_upload("POSITION_PAPER_MAX_BYTES")
@checks_csrf_in_form
@login_required
@contribution_limits
def contribute(slug: str, number: str):
    consultation, articles, index = _article_context(slug, number)
    form = ContributionForm().for_article(articles[index])
    if form.validate_on_submit():
        upload = form.paper.data
        with transaction() as done:
            contribution = services.submit_contribution(
                current_user,
                consultation,
                article_id=articles[index].id,
                paper=upload if upload else None,
                paper_filename=getattr(upload, "filename", None),
                **form.values(),
            )
        if done.error:
            apply_errors(form, done.error, form.error_fields())
        else:
            flash(
                _(
                    "Votre contribution est enregistrée sous le numéro %(number)s ; un accusé de "
                    "réception vous est envoyé par e-mail.",
                    number=contribution.tracking_number,
                ),
                "success",
            )
            return redirect(
                url_for("participation.contribution", slug=slug, contribution_id=contribution.id)
            )
    return _article_page(consultation, articles, index, form), 422


def _article_context(slug: str, number: str):
    consultation = or_404(get_visible, slug, current_user)
    version = queries.load_text(consultation)
    articles = version.articles if version else []
    found = find_article(articles, number)
    if found is None:
        abort(404)
    if found.slug != number:
        # « 1er », « premier », « 3 BIS »: to the article's one address (308 keeps a POST).
        query = {k: v for k, v in request.args.items() if not k.startswith("_")}
        values = {**query, **(request.view_args or {}), "number": found.slug}
        endpoint = request.endpoint
        if endpoint is None:  # a view always runs for its endpoint
            abort(404)
        abort(redirect(url_for(endpoint, **values), 301 if request.method == "GET" else 308))
    return consultation, articles, articles.index(found)


def _vote_notice() -> tuple[str, str] | None:
    notice = session.pop(VOTE_NOTICE_KEY, None)
    return tuple(notice) if isinstance(notice, list) and len(notice) == 2 else None


def _article_page(consultation, articles, index, contribution_form):
    article = articles[index]
    my_vote = services.my_article_vote(current_user, article)
    items, _cursor = services.list_contributions(
        consultation, article_id=article.id, sort="recent", limit=50
    )
    can_vote = consultation.is_open_at(clock.now())
    actions = _actions(consultation, items)
    return render_template(
        "participation/article.html",
        consultation=consultation,
        article=article,
        previous=articles[index - 1] if index > 0 else None,
        following=articles[index + 1] if index + 1 < len(articles) else None,
        status=consultation.status,
        votes=services.vote_split(article.vote_counts),
        my_vote=my_vote,
        vote_notice=_vote_notice(),
        vote_form=ArticleVoteForm(value=my_vote.value if my_vote else None),
        withdraw_form=WithdrawVoteForm(),
        paper_max_size=papers.max_size_label(),
        documents=consultation_documents.groups(consultation, article.number),
        contribution_form=contribution_form,
        contributions=items,
        contribution_votes=services.vote_counts(items),
        diffs=services.amendment_diffs(items),
        can_vote=can_vote,
        block=participation_queries.block_notice(current_user, consultation) if can_vote else None,
        # The links beside each alinéa: to the form, or to sign in first.
        can_contribute=services.can_participate(current_user, consultation, clock.now()),
        offer_sign_in=not current_user.is_authenticated and can_vote,
        actions=actions,
        **_cards(items, actions),
    )


@bp.post("/consultations/<slug>/articles/<number>/avis")
@login_required
@vote_limits
def vote(slug: str, number: str):
    article = _article(slug, number)
    form = ArticleVoteForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.cast_article_vote(current_user, article, form.value.data)
        if done.error:
            _tell_at_vote_form("error", done.error.message)
        else:
            _tell_at_vote_form(
                "success",
                _("Votre avis est enregistré. Vous pouvez le changer jusqu'à la clôture."),
            )
    else:
        _tell_at_vote_form("error", " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(url_for("participation.article", slug=slug, number=article.slug) + "#avis")


@bp.post("/consultations/<slug>/articles/<number>/avis/retirer")
@login_required
@vote_limits
def withdraw(slug: str, number: str):
    article = _article(slug, number)
    with transaction() as done:
        services.withdraw_article_vote(current_user, article)
    if done.error:
        _tell_at_vote_form("error", done.error.message)
    else:
        _tell_at_vote_form("info", _("Votre avis est retiré."))
    return redirect(url_for("participation.article", slug=slug, number=article.slug) + "#avis")


VOTE_NOTICE_KEY = "article_vote_notice"


def _tell_at_vote_form(category: str, message: str) -> None:
    """Keep the outcome of a vote for the next page, which shows it beside the vote form (where
    the redirect's #avis brings the person) rather than at the top of the page."""
    session[VOTE_NOTICE_KEY] = [category, message]


def _article(slug: str, number: str):
    consultation = or_404(get_visible, slug, current_user)
    version = queries.load_text(consultation)
    article = find_article(version.articles if version else [], number)
    if article is None:
        abort(404)
    return article


@bp.route("/suivi")
def track():
    """Find a contribution by its receipt number, `?numero=` (`?number=`, which receipts sent
    by earlier versions carry, is read too)."""
    number = (request.args.get("numero") or request.args.get("number") or "").strip()
    contribution = services.find_by_tracking_number(number) if number else None
    if contribution is not None:
        slug = get_existing(Consultation, contribution.consultation_id).slug
        return redirect(
            url_for("participation.contribution", slug=slug, contribution_id=contribution.id)
        )
    return render_template("participation/track.html", number=number, not_found=bool(number)), (
        404 if number else 200
    )


@bp.get("/consultations/<slug>/contributions/<int:contribution_id>")
def contribution(slug: str, contribution_id: int):
    consultation, item = _contribution_of(slug, contribution_id)
    return _contribution_page(consultation, item, CommentForm())


@bp.get("/consultations/<slug>/contributions/<int:contribution_id>/contribution-ecrite/<filename>")
def paper(slug: str, contribution_id: int, filename: str):
    """The contribution's position paper, served as the consultation's documents are: its type
    from its content, never sniffed, opened in a sandbox; 410 once the contribution is hidden
    or withdrawn, 404 without a paper."""
    consultation, item = _contribution_of(slug, contribution_id)
    found = item.paper
    if found is None:
        abort(404)
    if papers.is_withheld(item):
        abort(410)
    if filename != found.filename:
        return redirect(
            url_for(".paper", slug=slug, contribution_id=item.id, filename=found.filename), 301
        )
    return _send_paper(found.file_key, found.filename, found.size)


@bp.get(
    "/consultations/<slug>/contributions/<int:contribution_id>/versions/<int:revision_id>"
    "/contribution-ecrite/<filename>"
)
def earlier_paper(slug: str, contribution_id: int, revision_id: int, filename: str):
    """The position paper an earlier version of the contribution had (replaced or removed by
    an edit), shown in its history: served as the current one is, 410 once the contribution is
    hidden or withdrawn, 404 when that version had none."""
    consultation, item = _contribution_of(slug, contribution_id)
    found = papers.earlier_paper(item, revision_id)
    if found is None:
        abort(404)
    if papers.is_withheld(item):
        abort(410)
    if filename != found.filename:
        return redirect(
            url_for(
                ".earlier_paper",
                slug=slug,
                contribution_id=item.id,
                revision_id=found.revision_id,
                filename=found.filename,
            ),
            301,
        )
    return _send_paper(found.file_key, found.filename, found.size)


def _send_paper(file_key: str, filename: str, size: int) -> Response:
    """A paper as the consultation's documents are served (`core.downloads`); kept by no
    shared cache, asked again of the server each time (it stops once the contribution is
    hidden or withdrawn)."""
    return downloads.send_stored(
        papers.open_paper(file_key),
        media_type=papers.MEDIA_TYPE,
        filename=filename,
        size=size,
        cache_control="private, no-cache",
    )


@bp.post("/consultations/<slug>/contributions/<int:contribution_id>/reponses")
@checks_csrf_in_form
@login_required
@contribution_limits
def reply(slug: str, contribution_id: int):
    """A reply, from the contribution's page or from a card in a list (which sends `retour`,
    the list to go back to); sent in place, the answer is the card followed by the reply."""
    consultation, item = _contribution_of(slug, contribution_id)
    form = CommentForm()
    from_card = bool(request.form.get("retour"))
    if form.validate_on_submit():
        with transaction() as done:
            answer = services.submit_contribution(
                current_user,
                consultation,
                kind="comment",
                body=form.body.data or "",
                article_id=item.article_id,
                parent_id=item.id,
            )
        if done.error:
            if wants_fragment():
                return _reply_form_fragment(consultation, item, form, done.error)
            apply_errors(form, done.error, {"parent_id": "body"})
        else:
            message = _(
                "Votre réponse est enregistrée sous le numéro %(number)s.",
                number=answer.tracking_number,
            )
            if from_card or wants_fragment():
                return _back_to_card(consultation, item, "success", message, new_replies=[answer])
            flash(message, "success")
            return redirect(
                url_for("participation.contribution", slug=slug, contribution_id=item.id)
                + "#reponses"
            )
    elif wants_fragment():
        return _reply_form_fragment(consultation, item, form)
    return _contribution_page(consultation, item, form, keep_reply_form=True), 422


def _reply_form_fragment(consultation, item, form, error: DomainError | None = None):
    """A card's reply form sent back with its errors and what was typed."""
    status = 422
    if error is not None:
        placed = list(error.fields.values()) or [error.message]
        form.body.errors = [*list(form.body.errors or []), *placed]
        status = error.status
    return render_template(
        "participation/_reply_form.html",
        consultation=consultation,
        contribution=item,
        reply_form=_reply_form_for_card(form, item.id),
        page_path=_page_path(consultation, item),
    ), status


def _contribution_of(slug: str, contribution_id: int):
    consultation = or_404(get_visible, slug, current_user)
    item = db.session.get(Contribution, contribution_id)
    if item is None or item.consultation_id != consultation.id:
        abort(404)
    return consultation, item


def _contribution_page(consultation, item, reply_form, *, keep_reply_form: bool = False):
    """The contribution's page; `keep_reply_form` shows the reply form sent back with what was
    typed even when replying is no longer possible (closed meanwhile)."""
    replies = services.replies_to(item)
    actions = _actions(consultation, [item, *replies])
    return render_template(
        "participation/contribution.html",
        consultation=consultation,
        contribution=item,
        votes=services.vote_split(item.vote_counts),
        diffs=services.amendment_diffs([item]),
        replies=replies,
        reply_votes=services.vote_counts(replies),
        reply_form=reply_form,
        receipt=journal.receipt(item.tracking_number),
        paper=papers.shown_paper(item),
        can_reply=actions[item.id].can_reply,
        can_appeal=participation_queries.can_appeal(current_user, item),
        show_reply_form=actions[item.id].can_reply
        or keep_reply_form
        or participation_queries.invites_to_reply(current_user, consultation, item, clock.now()),
        block=participation_queries.block_notice(current_user, consultation),
        actions=actions,
        **_cards([item, *replies], actions, page_contribution_id=item.id),
    )


@bp.post("/consultations/<slug>/contributions")
@accepts_upload("POSITION_PAPER_MAX_BYTES")
@checks_csrf_in_form
@login_required
@contribution_limits
def comment(slug: str):
    """A comment on the whole text, from the contributions page, with a position paper if
    one is attached."""
    consultation = or_404(get_visible, slug, current_user)
    form = WholeTextCommentForm()
    if form.validate_on_submit():
        with transaction() as done:
            item = services.submit_contribution(
                current_user,
                consultation,
                kind="comment",
                body=form.body.data or "",
                **form.paper_values(),
            )
        if done.error:
            apply_errors(form, done.error)
        else:
            flash(
                _(
                    "Votre commentaire est enregistré sous le numéro %(number)s.",
                    number=item.tracking_number,
                ),
                "success",
            )
            return redirect(
                url_for("participation.contribution", slug=slug, contribution_id=item.id)
            )
    return _contributions_page(consultation, form), 422


@bp.get("/consultations/<slug>/contributions")
def contributions(slug: str):
    return _contributions_page(or_404(get_visible, slug, current_user), WholeTextCommentForm())


def _contributions_page(consultation, comment_form):
    articles = participation_queries.filter_articles(consultation)
    place = services.list_place(articles, request.args.get("article"), request.args.get("alinea"))
    try:
        items, next_cursor = services.list_contributions(
            consultation,
            kind=request.args.get("type") or None,
            article_id=place.article.id if place.article else None,
            paragraph=place.paragraph,
            position=request.args.get("position") or None,
            author_type=request.args.get("auteur") or None,
            sort=request.args.get("ordre", "random"),
            cursor=request.args.get("suite"),
            seed=_visitor_seed(),
        )
    except DomainError:
        abort(400)
    actions = _actions(consultation, items)
    return render_template(
        "participation/contributions.html",
        consultation=consultation,
        contributions=items,
        next_cursor=next_cursor,
        votes=services.vote_counts(items),
        diffs=services.amendment_diffs(items),
        kinds=list(ContributionKind),
        articles=articles,
        place=place,
        search_action=url_for("search.results"),
        comment_form=comment_form,
        paper_max_size=papers.max_size_label(),
        can_contribute=consultation.is_open_at(clock.now()),
        block=participation_queries.block_notice(current_user, consultation),
        actions=actions,
        **_cards(items, actions),
        **participation_queries.added_parts(
            participation_queries.CONTRIBUTIONS_PAGE, consultation, current_user, clock.now()
        ),
    )


def _actions(consultation, items) -> dict:
    """The flags of what the viewer may do with each contribution shown, and the confirmation
    of what they just did to one of them (kept in the session across the redirect)."""
    notice = session.pop(NOTICE_KEY, None)
    return participation_queries.contribution_actions(
        current_user,
        consultation,
        items,
        clock.now(),
        reports=participation_queries.report_states(current_user, consultation, items),
        notice=tuple(notice) if isinstance(notice, list) and len(notice) == 3 else None,
    )


# --- Acting on one contribution: vote, edit, withdraw ------------------------------------------

NOTICE_KEY = "contribution_notice"


def _back_to_card(
    consultation, item, category: str, message: str, *, status: int = 200, new_replies=()
):
    """Back to the page the form was on (`retour`, a local path), at the contribution's card,
    which shows `message`; asked in place, the card itself (and `new_replies` under it), with
    `status`."""
    if wants_fragment():
        return _card_fragment(consultation, item, (category, message), new_replies), status
    session[NOTICE_KEY] = [item.id, category, message]
    return redirect(_page_path(consultation, item) + f"#contribution-{item.id}")


def _page_path(consultation, item) -> str:
    """The page the form was sent from (`retour`, a local path), else the contribution's."""
    default = url_for("participation.contribution", slug=consultation.slug, contribution_id=item.id)
    path = (request.form.get("retour") or "").split("#")[0]
    return path if path and safe_next(path) == path else default


def _card_fragment(consultation, item, notice: tuple[str, str], new_replies=()) -> str:
    """One contribution's card as its page shows it, with `notice` in it: the answer to a
    form sent in place. Rendered by the same partial as the pages."""
    items = [item, *new_replies]
    page_path = _page_path(consultation, item)
    own_page = url_for(
        "participation.contribution", slug=consultation.slug, contribution_id=item.id
    )
    actions = participation_queries.contribution_actions(
        current_user,
        consultation,
        items,
        clock.now(),
        reports=participation_queries.report_states(current_user, consultation, items),
        notice=(item.id, *notice),
    )
    page_contribution_id = item.id if page_path == own_page else None
    return render_template(
        "participation/_card.html",
        consultation=consultation,
        contribution=item,
        new_replies=list(new_replies),
        votes=services.vote_counts(items),
        diffs=services.amendment_diffs(items),
        actions=actions,
        **_cards(items, actions, page_contribution_id=page_contribution_id),
        page_path=page_path,
        page_contribution_id=page_contribution_id,
    )


@bp.post("/consultations/<slug>/contributions/<int:contribution_id>/avis")
@login_required
@vote_limits
def vote_on_contribution(slug: str, contribution_id: int):
    consultation, item = _contribution_of(slug, contribution_id)
    form = ContributionVoteForm()
    if not form.validate_on_submit():
        errors = " ".join(e for errors in form.errors.values() for e in errors)
        return _back_to_card(consultation, item, "error", errors, status=422)
    with transaction() as done:
        opinion = services.cast_contribution_vote(current_user, item, form.value.data)
    if done.error:
        return _back_to_card(
            consultation, item, "error", done.error.message, status=done.error.status
        )
    return _back_to_card(
        consultation,
        item,
        "success",
        _(
            "Votre avis « %(opinion)s » est enregistré. Vous pouvez le changer ou le retirer "
            "jusqu'à la clôture.",
            opinion=opinion.label,
        ),
    )


@bp.post("/consultations/<slug>/contributions/<int:contribution_id>/avis/retirer")
@login_required
@vote_limits
def withdraw_contribution_vote(slug: str, contribution_id: int):
    consultation, item = _contribution_of(slug, contribution_id)
    with transaction() as done:
        services.withdraw_contribution_vote(current_user, item)
    if done.error:
        return _back_to_card(
            consultation, item, "error", done.error.message, status=done.error.status
        )
    return _back_to_card(
        consultation, item, "info", _("Votre avis sur cette contribution est retiré.")
    )


@bp.route(
    "/consultations/<slug>/contributions/<int:contribution_id>/modifier", methods=["GET", "POST"]
)
@accepts_upload("POSITION_PAPER_MAX_BYTES")
@checks_csrf_in_form
@login_required
@contribution_limits
def edit_contribution(slug: str, contribution_id: int):
    """The author edits their contribution until closing; a refused edit (closed meanwhile,
    invalid) shows the form again with what was typed. Asked in place, the form is a fragment
    for the card, and a saved edit answers with the card. The form also attaches, replaces or
    removes the position paper."""
    consultation, item = _contribution_of(slug, contribution_id)
    form = EditContributionForm().for_paper(item.paper is not None)
    if request.method == "GET":
        form.fill(item)
    elif form.validate_on_submit():
        with transaction() as done:
            services.edit_contribution(
                current_user, item, form.changes(item.kind), **form.paper_values()
            )
        if isinstance(done.error, NotAllowed):
            abort(403)
        if done.error:
            rest = apply_errors(form, done.error, flash_rest=not wants_fragment())
            return _edit_page(consultation, item, form, rest), done.error.status
        message = _("Votre contribution est modifiée ; sa version précédente reste consultable.")
        if wants_fragment():
            return _back_to_card(consultation, item, "success", message)
        flash(message, "success")
        return redirect(
            url_for("participation.contribution", slug=slug, contribution_id=item.id)
            + f"#contribution-{item.id}"
        )
    elif _csrf_failed(form):
        return _edit_page(consultation, item, form), 422
    refusal = services.edit_refusal(current_user, item, clock.now())
    if isinstance(refusal, NotAllowed):
        abort(403)
    refusal_message = refusal.message if refusal is not None and wants_fragment() else None
    if refusal is not None and request.method == "GET" and not wants_fragment():
        flash(refusal.message, "error")
    return _edit_page(consultation, item, form, refusal_message), (
        refusal.status if refusal else 422 if form.errors else 200
    )


def _csrf_failed(form) -> bool:
    token = getattr(form, "csrf_token", None)
    return bool(token is not None and token.errors)


def _edit_page(consultation, item, form, refusal: str | None = None):
    """The edit page, or asked in place its form alone (ids of its own, for the card)."""
    if wants_fragment():
        prefix_ids(form, f"modifier-{item.id}")
    return render_template(
        "participation/_edit_form.html" if wants_fragment() else "participation/edit.html",
        consultation=consultation,
        contribution=item,
        form=form,
        fields=form.fields_for(item.kind),
        paper=item.paper,
        paper_max_size=papers.max_size_label(),
        inplace=wants_fragment(),
        refusal=refusal,
    )


@bp.route(
    "/consultations/<slug>/contributions/<int:contribution_id>/retirer", methods=["GET", "POST"]
)
@login_required
def withdraw_contribution(slug: str, contribution_id: int):
    """The author withdraws their contribution, after a confirmation (a page, or asked in place
    a fragment for the card); withdrawn in place, the answer is the card."""
    consultation, item = _contribution_of(slug, contribution_id)
    form = ReturnForm()
    refusal = services.withdraw_refusal(current_user, item, clock.now())
    if isinstance(refusal, NotAllowed):
        abort(403)
    withdrawn = False
    if request.method == "POST" and refusal is None and form.validate_on_submit():
        with transaction() as done:
            services.withdraw_contribution(current_user, item)
        refusal, withdrawn = done.error, done.ok  # a refusal meanwhile is shown as any other
    if withdrawn:
        message = _(
            "Votre contribution est retirée : son texte n'est plus publié, son numéro de suivi "
            "reste valable."
        )
        if wants_fragment():
            return _back_to_card(consultation, item, "success", message)
        flash(message, "success")
        return redirect(
            url_for("participation.contribution", slug=slug, contribution_id=item.id)
            + f"#contribution-{item.id}"
        )
    if wants_fragment() and request.method == "POST" and refusal is not None:
        return _back_to_card(consultation, item, "error", refusal.message, status=refusal.status)
    if wants_fragment():
        prefix_ids(form, f"retirer-{item.id}")
    return render_template(
        "participation/_withdraw_form.html" if wants_fragment() else "participation/withdraw.html",
        consultation=consultation,
        contribution=item,
        form=form,
        refusal=refusal,
        inplace=wants_fragment(),
    ), (refusal.status if refusal else 200)


def _visitor_seed() -> int:
    """A per-visitor seed kept in the session, so that the random order is stable for them."""
    if "order_seed" not in session:
        session["order_seed"] = secrets.randbelow(SHUFFLE_SPACE)
    return session["order_seed"]


@bp.get("/compte/participation")
@login_required
def my_participation():
    contributions, votes = services.participant_activity(current_user)
    consultations = {
        c.id: c
        for c in db.session.scalars(
            db.select(Consultation).where(
                Consultation.id.in_({x.consultation_id for x in contributions})
            )
        )
    }
    return render_template(
        "participation/mine.html",
        contributions=contributions,
        **participation_queries.added_parts(
            participation_queries.CARDS, contributions, current_user, clock.now()
        ),
        votes=votes,
        consultations=consultations,
    )


@bp.get("/compte/mes-donnees.json")
@login_required
def my_data():
    """Everything held about the signed-in participant, as a JSON file to keep."""
    response = jsonify(services.personal_data(current_user))
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/compte/suppression", methods=["GET", "POST"])
@checks_csrf_in_form
@login_required
def erase_account():
    form = EraseAccountForm()
    if form.validate_on_submit():
        with transaction() as done:
            services.erase_participant(current_user, form.password.data or "")
        if done.error:
            apply_errors(form, done.error)
        else:
            logout_user()
            flash(
                _(
                    "Votre compte est supprimé. Vos contributions restent publiées sous le nom "
                    "« Participant supprimé » et vos avis restent comptés, sans lien avec vous."
                ),
                "success",
            )
            return redirect(url_for("consultations.index"))
    return render_template("participation/erase.html", form=form), (422 if form.errors else 200)


@bp.route("/gestion/consultations/<slug>/observations", methods=["GET", "POST"])
@checks_csrf_in_form
@login_required
def offline_observation(slug: str):
    """Organisers key in observations received by letter, e-mail or in a register."""
    consultation = get_for_organiser(slug, current_user)
    version = queries.load_text(consultation)
    form = OfflineObservationForm().for_articles(version.articles if version else [])
    if form.validate_on_submit():
        with transaction() as done:
            contribution = services.record_offline_observation(
                current_user, consultation, **form.values()
            )
        if done.error:
            apply_errors(form, done.error, {"article_id": "article"})
        else:
            flash(
                _(
                    "Observation enregistrée sous le numéro %(number)s.",
                    number=contribution.tracking_number,
                ),
                "success",
            )
            return redirect(url_for("participation.offline_observation", slug=slug))
    return render_template("participation/offline.html", consultation=consultation, form=form), (
        422 if form.errors else 200
    )

"""The review workbench of the drafted themes (back-office, no JavaScript needed): the themes
with their provenance and counts, a form per action (rename, merge, delete after a confirmation
page, create), each theme's contributions with a move form and read buttons. Every form is sent
by POST, answered by a redirect (and a flash message) or, when refused, by the same page with
the message next to the field and what was typed (422)."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from consultation.consultations import services as consultations
from consultation.consultations.models import Consultation
from consultation.core.auth import staff_only
from consultation.core.db import transaction
from consultation.core.forms import Form, apply_errors, checks_csrf_in_form
from consultation.core.lookup import or_abort
from consultation.synthesis import provenance, review, review_excerpts, review_proposals
from consultation.synthesis.review_forms import (
    ConfirmForm,
    ExcerptForm,
    GroupLabelForm,
    MergeGroupsForm,
    MergeThemeForm,
    MoveContributionForm,
    ReadForm,
    SplitThemeForm,
    ThemeNameForm,
)
from consultation.synthesis.review_models import ReviewTheme
from consultation.synthesis.views import bp


@bp.get("/consultations/<slug>/synthese/themes", endpoint="review")
@staff_only
def workbench(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    return _workbench(consultation)


@bp.post("/consultations/<slug>/synthese/themes", endpoint="create_theme")
@checks_csrf_in_form
@staff_only
def create_theme(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    form = ThemeNameForm(prefix="new")
    if form.validate_on_submit():
        with transaction() as done:
            theme = review.create_theme(current_user, consultation, form.name.data)
        if done.error is None:
            flash(_("Thème « %(name)s » créé.", name=theme.name), "success")
            return redirect(url_for("synthesis.review", slug=slug, _anchor=f"theme-{theme.id}"))
        apply_errors(form, done.error)
        return _workbench(consultation, create_form=form, status=done.error.status)
    return _workbench(consultation, create_form=form)


@bp.post("/themes/<int:theme_id>/renommer", endpoint="rename_theme")
@checks_csrf_in_form
@staff_only
def rename_theme(theme_id: int):
    theme, consultation = _managed(theme_id)
    form = ThemeNameForm(prefix=f"t{theme.id}")
    if form.validate_on_submit():
        with transaction() as done:
            review.rename_theme(current_user, theme, form.name.data)
        if done.error is None:
            flash(_("Thème renommé « %(name)s ».", name=theme.name), "success")
            return _back_to_workbench(consultation, theme.id)
        apply_errors(form, done.error)
        return _workbench(consultation, failed={theme.id: form}, status=done.error.status)
    return _workbench(consultation, failed={theme.id: form})


@bp.post("/themes/<int:theme_id>/fusionner", endpoint="merge_theme")
@checks_csrf_in_form
@staff_only
def merge_theme(theme_id: int):
    theme, consultation = _managed(theme_id)
    form = MergeThemeForm(prefix=f"m{theme.id}")
    if form.validate_on_submit():
        name = theme.name
        with transaction() as done:
            target = review.merge_themes(current_user, theme, form.into.data)
        if done.error is None:
            flash(
                _("« %(name)s » fusionné dans « %(into)s ».", name=name, into=target.name),
                "success",
            )
            return _back_to_workbench(consultation, target.id)
        apply_errors(form, done.error)
        return _workbench(consultation, failed={theme.id: form}, status=done.error.status)
    return _workbench(consultation, failed={theme.id: form})


@bp.route("/themes/<int:theme_id>/supprimer", methods=["GET", "POST"], endpoint="delete_theme")
@checks_csrf_in_form
@staff_only
def delete_theme(theme_id: int):
    theme, consultation = _managed(theme_id)
    form = ConfirmForm()
    status = 200
    if form.validate_on_submit():
        name = theme.name
        with transaction() as done:
            count = review.delete_theme(current_user, theme)
        if done.error is None:
            flash(
                ngettext(
                    "Thème « %(name)s » supprimé ; sa contribution est maintenant sans thème.",
                    "Thème « %(name)s » supprimé ; ses %(num)s contributions sont maintenant "
                    "sans thème.",
                    count,
                    name=name,
                ),
                "success",
            )
            return redirect(url_for("synthesis.review", slug=consultation.slug))
        flash(done.error.message, "error")
        status = done.error.status
    elif request.method == "POST":
        status = 422
    row = next(r for r in review.theme_rows(consultation) if r.id == theme.id)
    return render_template(
        "synthesis/review_delete.html", consultation=consultation, theme=row, form=form
    ), status


@bp.get("/themes/<int:theme_id>", endpoint="review_theme")
@staff_only
def theme_page(theme_id: int):
    theme, consultation = _managed(theme_id)
    return _contributions(consultation, theme)


@bp.get("/consultations/<slug>/synthese/themes/sans-theme", endpoint="unassigned")
@staff_only
def unassigned(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    return _contributions(consultation, None)


@bp.post(
    "/consultations/<slug>/synthese/contributions/<int:contribution_id>/theme",
    endpoint="move_contribution",
)
@checks_csrf_in_form
@staff_only
def move_contribution(slug: str, contribution_id: int):
    consultation = consultations.get_for_staff(slug, current_user)
    contribution = or_abort(review.get_contribution, consultation, contribution_id)
    form = MoveContributionForm(prefix=f"c{contribution.id}")
    origin = _origin_theme(consultation, form.origin.data) or review.theme_holding(contribution)
    if form.validate_on_submit():
        with transaction() as done:
            review.move_contribution(current_user, consultation, contribution, form.theme_id.data)
        if done.error is None:
            flash(
                _("Contribution %(number)s déplacée.", number=contribution.tracking_number),
                "success",
            )
            return _back_to_page(consultation, origin, form.page.data)
        apply_errors(form, done.error)
        return _contributions(consultation, origin, moves={contribution.id: form}, status=422)
    return _contributions(consultation, origin, moves={contribution.id: form})


@bp.post(
    "/consultations/<slug>/synthese/contributions/<int:contribution_id>/lecture",
    endpoint="read_contribution",
)
@checks_csrf_in_form
@staff_only
def read_contribution(slug: str, contribution_id: int):
    consultation = consultations.get_for_staff(slug, current_user)
    contribution = or_abort(review.get_contribution, consultation, contribution_id)
    form = ReadForm(prefix=f"r{contribution.id}")
    origin = _origin_theme(consultation, form.origin.data) or review.theme_holding(contribution)
    if form.validate_on_submit():
        read = form.read.data != "0"
        with transaction() as done:
            review.mark_read(current_user, consultation, contribution, read)
        if done.error is None:
            flash(
                _("Contribution %(number)s marquée comme lue.", number=contribution.tracking_number)
                if read
                else _(
                    "Contribution %(number)s marquée comme non lue.",
                    number=contribution.tracking_number,
                ),
                "success",
            )
            return _back_to_page(consultation, origin, form.page.data)
        flash(done.error.message, "error")
        return _contributions(consultation, origin, status=done.error.status)
    flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return _contributions(consultation, origin, status=422)


# --- Pages ------------------------------------------------------------------------------------


def _workbench(
    consultation: Consultation,
    *,
    failed: dict[int, Form] | None = None,
    create_form: ThemeNameForm | None = None,
    status: int | None = None,
):
    bench = review.workbench(consultation)
    failed = failed or {}
    # A theme's name is the synthesis's own French, marked so on an English page.
    choices = [("", _("Choisir un thème"))] + [
        (str(t.id), t.name, {"lang": "fr"}) for t in bench.themes
    ]
    forms: dict[int, dict[str, Any]] = {}
    for theme in bench.themes:
        rename = ThemeNameForm(prefix=f"t{theme.id}", formdata=None, data={"name": theme.name})
        merge = MergeThemeForm(prefix=f"m{theme.id}", formdata=None)
        sent = failed.get(theme.id)
        if isinstance(sent, ThemeNameForm):
            rename = sent
        elif isinstance(sent, MergeThemeForm):
            merge = sent
        merge.into.choices = [c for c in choices if c[0] != str(theme.id)]
        forms[theme.id] = {"rename": rename, "merge": merge}
    create_form = create_form or ThemeNameForm(prefix="new", formdata=None)
    errors = bool(failed) or bool(create_form.errors)
    return render_template(
        "synthesis/review.html",
        bench=bench,
        consultation=consultation,
        forms=forms,
        create_form=create_form,
        has_errors=errors,
    ), status or (422 if errors else 200)


def _contributions(
    consultation: Consultation,
    theme: ReviewTheme | None,
    *,
    moves: dict[int, MoveContributionForm] | None = None,
    split: SplitThemeForm | None = None,
    status: int | None = None,
):
    page_number = request.args.get("page", type=int) or _page_in_form() or 1
    listing = (
        review.theme_page(theme, page_number)
        if theme is not None
        else review.unassigned_page(consultation, page_number)
    )
    moves = moves or {}
    origin = str(theme.id) if theme is not None else ""
    choices = [("", _("Sans thème"))] + [
        (str(i), name, {"lang": "fr"}) for i, name in listing.choices
    ]
    forms: dict[int, dict[str, Form]] = {}
    for item in listing.contributions:
        move = moves.get(item.id) or MoveContributionForm(
            prefix=f"c{item.id}",
            formdata=None,
            data={"theme_id": str(item.theme_id or ""), "page": listing.page, "origin": origin},
        )
        move.theme_id.choices = choices
        read = ReadForm(
            prefix=f"r{item.id}",
            formdata=None,
            data={"read": "0" if item.is_read else "1", "page": listing.page, "origin": origin},
        )
        forms[item.id] = {"move": move, "read": read}
    split = split or SplitThemeForm(prefix="s", formdata=None, data={"page": listing.page})
    excerpts = review_excerpts.theme_excerpts(theme) if theme is not None else []
    pinned = {e.contribution_id for e in excerpts if e.state and e.state.value == "pinned"}
    return render_template(
        "synthesis/review_theme.html",
        consultation=consultation,
        listing=listing,
        forms=forms,
        split=split,
        ticked={str(v) for v in (split.contributions.data or [])},
        excerpts=excerpts,
        pinned=pinned,
        can_split=theme is not None and theme.is_active and listing.total > 1,
    ), status or (422 if moves else 200)


def _managed(theme_id: int) -> tuple[ReviewTheme, Consultation]:
    """The theme of the address and its consultation, for the institution's staff: 404 for an
    unknown theme (or one of a consultation the viewer may not see), 403 for other staff."""
    theme = or_abort(review.get_theme, theme_id)
    consultation = or_abort(
        consultations.get_for_staff, review.consultation_of(theme).slug, current_user
    )
    return theme, consultation


def _origin_theme(consultation: Consultation, value: str | None) -> ReviewTheme | None:
    """The theme page a contribution's form was sent from, if it is one of this
    consultation's; else the page of the contributions in no theme."""
    return review.find_theme(consultation, value)


def _page_in_form() -> int | None:
    for key, value in request.form.items():
        if key.endswith("-page") and value.isdigit() and len(value) < 7:
            return int(value)
    return None


def _back_to_page(consultation: Consultation, theme: ReviewTheme | None, page: str | None):
    number = int(page) if page and page.isdigit() and len(page) < 7 else 1
    if theme is not None and theme.is_active:
        return redirect(url_for("synthesis.review_theme", theme_id=theme.id, page=number))
    return redirect(url_for("synthesis.unassigned", slug=consultation.slug, page=number))


def _back_to_workbench(consultation: Consultation, theme_id: int):
    return redirect(
        url_for("synthesis.review", slug=consultation.slug, _anchor=f"theme-{theme_id}")
    )


# --- Split a theme, its excerpts ----------------------------------------------------------------


@bp.post("/themes/<int:theme_id>/scinder", endpoint="split_theme")
@checks_csrf_in_form
@staff_only
def split_theme(theme_id: int):
    theme, consultation = _managed(theme_id)
    form = SplitThemeForm(prefix="s")
    if form.validate_on_submit():
        with transaction() as done:
            new_theme = review.split_theme(
                current_user, theme, form.contributions.data or [], form.name.data
            )
        if done.error is None:
            flash(
                ngettext(
                    "Thème « %(name)s » créé avec la contribution cochée.",
                    "Thème « %(name)s » créé avec les %(num)s contributions cochées.",
                    len(form.contributions.data or []),
                    name=new_theme.name,
                ),
                "success",
            )
            return redirect(url_for("synthesis.review_theme", theme_id=new_theme.id))
        apply_errors(form, done.error)
        return _contributions(consultation, theme, split=form, status=done.error.status)
    return _contributions(consultation, theme, split=form, status=422)


@bp.post("/themes/<int:theme_id>/extraits", endpoint="choose_excerpt")
@checks_csrf_in_form
@staff_only
def choose_excerpt(theme_id: int):
    theme, consultation = _managed(theme_id)
    form = ExcerptForm(prefix="e")
    # The form (its token first) is checked before the contribution it names is looked up.
    valid = form.validate_on_submit()
    if not valid and form.csrf_token.errors:
        flash(" ".join(form.csrf_token.errors), "error")
        return _contributions(consultation, theme, status=422)
    contribution_id = review._database_id(form.contribution_id.data)
    if contribution_id is None:
        abort(404)
    contribution = or_abort(review.get_contribution, consultation, contribution_id)
    if valid:
        with transaction() as done:
            review_excerpts.choose_excerpt(current_user, theme, contribution, form.state.data)
        if done.error is None:
            messages = {
                "pinned": _(
                    "Extrait de %(number)s épinglé : il sera cité en premier pour ce thème.",
                    number=contribution.tracking_number,
                ),
                "dropped": _(
                    "Extrait de %(number)s écarté : il ne sera pas cité pour ce thème.",
                    number=contribution.tracking_number,
                ),
            }
            undone = _(
                "Décision sur l'extrait de %(number)s annulée.",
                number=contribution.tracking_number,
            )
            flash(messages.get(form.state.data or "", undone), "success")
            page = form.page.data or ""
            number = page if page.isdigit() else "1"
            return redirect(
                url_for(
                    "synthesis.review_theme",
                    theme_id=theme.id,
                    page=int(number[:6]),
                    _anchor="extraits",
                )
            )
        flash(
            done.error.message if not done.error.fields else " ".join(done.error.fields.values()),
            "error",
        )
        return _contributions(consultation, theme, status=done.error.status)
    flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    return _contributions(consultation, theme, status=422)


# --- Proposal groups ----------------------------------------------------------------------------


@bp.get("/consultations/<slug>/synthese/propositions", endpoint="proposal_groups")
@staff_only
def proposal_groups(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    return _groups(consultation)


@bp.post("/consultations/<slug>/synthese/propositions", endpoint="merge_proposal_groups")
@checks_csrf_in_form
@staff_only
def merge_proposal_groups(slug: str):
    consultation = consultations.get_for_staff(slug, current_user)
    form = MergeGroupsForm(prefix="g")
    if form.validate_on_submit():
        with transaction() as done:
            target = review_proposals.merge_groups(
                current_user, consultation, form.groups.data or [], form.label.data
            )
        if done.error is None:
            flash(
                ngettext(
                    "%(num)s groupe fusionné dans « %(label)s ».",
                    "%(num)s groupes fusionnés dans « %(label)s ».",
                    len(set(form.groups.data or [])),
                    label=target.label,
                ),
                "success",
            )
            return redirect(
                url_for("synthesis.proposal_groups", slug=slug, _anchor=f"groupe-{target.id}")
            )
        apply_errors(form, done.error)
        return _groups(consultation, merge_form=form, status=done.error.status)
    return _groups(consultation, merge_form=form, status=422)


@bp.post("/propositions/<int:group_id>/renommer", endpoint="rename_proposal_group")
@checks_csrf_in_form
@staff_only
def rename_proposal_group(group_id: int):
    group = or_abort(review_proposals.get_group, group_id)
    consultation = or_abort(
        consultations.get_for_staff, review_proposals.consultation_of(group).slug, current_user
    )
    form = GroupLabelForm(prefix=f"l{group.id}")
    if form.validate_on_submit():
        with transaction() as done:
            review_proposals.rename_group(current_user, group, form.label.data)
        if done.error is None:
            flash(_("Proposition renommée « %(label)s ».", label=group.label), "success")
            return redirect(
                url_for(
                    "synthesis.proposal_groups",
                    slug=consultation.slug,
                    _anchor=f"groupe-{group.id}",
                )
            )
        apply_errors(form, done.error)
        return _groups(consultation, renamed={group.id: form}, status=done.error.status)
    return _groups(consultation, renamed={group.id: form}, status=422)


def _groups(
    consultation: Consultation,
    *,
    merge_form: MergeGroupsForm | None = None,
    renamed: dict[int, GroupLabelForm] | None = None,
    status: int | None = None,
):
    page_number = request.args.get("page", type=int) or _page_in_form() or 1
    listing = review_proposals.group_page(consultation, page_number)
    merge_form = merge_form or MergeGroupsForm(
        prefix="g", formdata=None, data={"page": listing.page}
    )
    renamed = renamed or {}
    labels = {
        g.id: renamed.get(g.id)
        or GroupLabelForm(
            prefix=f"l{g.id}", formdata=None, data={"label": g.label, "page": listing.page}
        )
        for g in listing.groups
    }
    ticked = {str(v) for v in (merge_form.groups.data or [])}
    return render_template(
        "synthesis/review_proposals.html",
        consultation=consultation,
        listing=listing,
        merge_form=merge_form,
        labels=labels,
        ticked=ticked,
        counts=provenance.review_counts(consultation.id),
    ), status or 200

"""Participation forms: shape only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_wtf.file import FileField

# SelectChoice is WTForms 3.3's; types-wtforms (3.2) does not know it yet.
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional

from consultation.core import clock
from consultation.core.forms import Form, MaxChars, PublicForm
from consultation.core.i18n import LazyText, NumberWhenShown, _l
from consultation.participation import kinds, limits
from consultation.participation.kinds import KINDS, KindSpec, spec_of, specs
from consultation.participation.limits import BODY_MAX, OFFLINE_AUTHOR_MAX, TITLE_MAX, URL_MAX
from consultation.participation.models import ContributionKind, OfflineChannel, Opinion


class ArticleVoteForm(Form):
    value = RadioField(
        _l("Votre avis sur cet article"),
        choices=[SelectChoice(o.value, o.label) for o in Opinion],
        validators=[InputRequired(_l("Choisissez un avis."))],
    )


class WithdrawVoteForm(Form):
    """No field: the form carries the CSRF token."""


@dataclass(frozen=True)
class KindFieldset:
    """The fields only one kind of contribution has, shown together under their legend."""

    kind: str
    legend: str
    fields: list


class ContributionForm(PublicForm):
    """A contribution on an article. The kinds' own requirements are checked by the service.

    Without JavaScript the form shows every kind's own fields, each kind's in a fieldset whose
    legend names it (`kind_fieldsets`, read from `participation.kinds`); with it, only the
    chosen kind's. No field has a `maxlength`: a too long text is refused with a message and
    given back whole."""

    kind = RadioField(
        _l("Type de contribution"),
        choices=[SelectChoice(k.value, k.label) for k in ContributionKind],
        validators=[InputRequired(_l("Choisissez un type de contribution."))],
        validate_choice=False,  # the service names the kinds in French
    )
    paragraph = SelectField(
        _l("Alinéa concerné"), choices=[], validate_choice=False, validators=[Optional()]
    )
    position = RadioField(
        _l("Pour ou contre l'article ?"),
        choices=[SelectChoice("for", _l("Pour")), SelectChoice("against", _l("Contre"))],
        validators=[Optional()],
        validate_choice=False,
    )
    proposed_text = TextAreaField(
        _l("Rédaction proposée"),
        description=_l(
            "Le texte actuel de l'article, ou de l'alinéa choisi, y est recopié : "
            "modifiez-le. %(n)s caractères au maximum.",
            n=NumberWhenShown(lambda: limits.BODY_MAX),
        ),
        validators=[Optional(), MaxChars(BODY_MAX)],
        render_kw={"rows": 8, "data-max-length": BODY_MAX},
    )
    new_article_text = TextAreaField(
        _l("Texte de l'article nouveau"),
        description=_l(
            "Il prendrait place après cet article. %(n)s caractères au maximum.",
            n=NumberWhenShown(lambda: limits.BODY_MAX),
        ),
        validators=[Optional(), MaxChars(BODY_MAX)],
        render_kw={"rows": 6, "data-max-length": BODY_MAX},
    )
    url = StringField(
        _l("Adresse de la source (http:// ou https://)"),
        validators=[Optional(), MaxChars(URL_MAX)],
        render_kw={"type": "url", "spellcheck": "false"},
    )
    title = StringField(
        _l("Titre"),
        description=_l(
            "Obligatoire pour une source, facultatif sinon. %(n)s caractères au maximum.",
            n=NumberWhenShown(lambda: limits.TITLE_MAX),
        ),
        validators=[Optional(), MaxChars(TITLE_MAX)],
    )
    body = TextAreaField(
        _l("Votre contribution"),
        description=_l(
            "Votre argument, les motifs de votre proposition, ce qu'apporte la source "
            "ou votre commentaire. %(n)s caractères au maximum.",
            n=NumberWhenShown(lambda: limits.BODY_MAX),
        ),
        validators=[InputRequired(_l("Écrivez votre contribution.")), MaxChars(BODY_MAX)],
        render_kw={"rows": 6, "data-max-length": BODY_MAX},
    )

    paper = FileField(
        _l("Contribution écrite (PDF, facultatif)"),
        description=_l("Organisations : joignez votre contribution écrite (PDF)."),
    )

    def validate(self, extra_validators=None) -> bool:
        """Check the common fields and the chosen kind's own: the other kinds' fields, hidden
        or left as they were shown (a prefilled wording), are not sent to the service."""
        super().validate(extra_validators)
        chosen = self._chosen_kind()
        for spec in specs():
            if spec is not chosen:
                for name in spec.form_fields:
                    getattr(self, name).errors = []
        return not self.errors

    def for_article(self, article) -> ContributionForm:
        self._article = article
        self.paragraph.choices = [SelectChoice("", _("L'article entier"))] + [
            SelectChoice(str(p.number), _("Alinéa %(number)s", number=p.number))
            for p in article.paragraphs
        ]
        return self

    def preselect(self, kind: str | None, paragraph: str | None) -> ContributionForm:
        """On first display, choose the kind and the alinéa the address names (`?type=` and
        `?alinea=`, from the links beside each alinéa) when they exist, and prefill the
        proposed wording with the current text of that alinéa, or of the whole article."""
        if kind in KINDS:
            self.kind.data = kind
        number = _paragraph_number(paragraph)
        if number is not None and not self._article.consulted_wording(number):
            number = None
        self.paragraph.data = str(number) if number is not None else ""
        self.proposed_text.data = self._article.consulted_wording(number)
        return self

    def kind_fieldsets(self) -> list[KindFieldset]:
        """The fieldset of each kind that has fields of its own (`KindSpec.form_fields`)."""
        return [
            KindFieldset(spec.value, spec.legend, [getattr(self, n) for n in spec.form_fields])
            for spec in specs()
            if spec.legend is not None and spec.form_fields
        ]

    @staticmethod
    def paragraph_actions() -> list[tuple[str, str]]:
        """The links beside each alinéa of an article page that open this form on a kind."""
        return kinds.paragraph_actions()

    def _chosen_kind(self) -> KindSpec | None:
        return KINDS.get(self.kind.data) if isinstance(self.kind.data, str) else None

    def error_fields(self) -> dict[str, str]:
        """Which field shows the service's error on each of its names."""
        chosen = self._chosen_kind()
        wording = (chosen.wording_field if chosen else None) or "proposed_text"
        return {"article_id": "paragraph", "proposed_text": wording}

    def values(self) -> dict:
        """The service's arguments: the chosen kind's own fields only, line breaks as typed
        (one character each)."""
        spec = self._chosen_kind()
        wording = getattr(self, spec.wording_field).data if spec and spec.wording_field else None
        return {
            "kind": self.kind.data,
            "position": (self.position.data or None) if spec and spec.takes_position else None,
            "paragraph": _paragraph_number(self.paragraph.data),
            "title": self.title.data or "",
            "body": _one_line_break(self.body.data),
            "proposed_text": _one_line_break(wording),
            "url": (self.url.data or "") if spec and spec.has_url else "",
        }


def _paragraph_number(value: str | None) -> int | None:
    text = value or ""
    return int(text) if text.isdecimal() and len(text) < 6 else None


def _one_line_break(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n")


class OfflineObservationForm(Form):
    channel = SelectField(
        _l("Reçue par"),
        choices=[
            SelectChoice(c.value, LazyText(lambda c=c: c.label.capitalize()))
            for c in OfflineChannel
        ],
        validators=[InputRequired(_l("Indiquez comment l'observation a été reçue."))],
    )
    author_name = StringField(
        _l("Nom de l'auteur, tel qu'il sera publié"),
        description=_l("Laissez vide pour « Anonyme »."),
        validators=[Optional(), MaxChars(OFFLINE_AUTHOR_MAX)],
    )
    received_at = DateTimeLocalField(
        _l("Reçue le (heure de Paris)"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Indiquez la date de réception."))],
    )
    article = SelectField(
        _l("Article concerné"), choices=[], validate_choice=False, validators=[Optional()]
    )
    body = TextAreaField(
        _l("Texte de l'observation"),
        validators=[InputRequired(_l("Saisissez le texte de l'observation.")), MaxChars(BODY_MAX)],
    )

    def for_articles(self, articles) -> OfflineObservationForm:
        self.article.choices = [SelectChoice("", _("Le texte entier"))] + [
            SelectChoice(str(a.id), a.label) for a in articles
        ]
        return self

    def values(self) -> dict:
        received = self.received_at.data
        return {
            "channel": self.channel.data,
            "author_name": self.author_name.data or "",
            "received_at": clock.paris_wall_clock(received.date(), received.time())
            if received
            else None,
            "article_id": int(self.article.data)
            if (self.article.data or "").isdecimal() and len(self.article.data) < 10
            else None,
            "body": self.body.data or "",
        }


class CommentForm(PublicForm):
    """A comment on the whole text, or a reply to a comment."""

    body = TextAreaField(
        _l("Votre commentaire"),
        description=_l("%(n)s caractères au maximum.", n=NumberWhenShown(lambda: limits.BODY_MAX)),
        validators=[InputRequired(_l("Écrivez votre commentaire.")), MaxChars(BODY_MAX)],
        render_kw={"rows": 4, "data-max-length": BODY_MAX},
    )


class WholeTextCommentForm(CommentForm):
    """A comment on the whole text, which may carry a position paper (a reply carries none)."""

    paper = FileField(
        _l("Contribution écrite (PDF, facultatif)"),
        description=_l("Organisations : joignez votre contribution écrite (PDF)."),
    )

    def paper_values(self) -> dict[str, Any]:
        """The service's arguments about the paper: the file sent, if any."""
        return _sent_paper(self.paper)


def _sent_paper(field: FileField) -> dict[str, Any]:
    upload = field.data
    return {"paper": upload or None, "paper_filename": getattr(upload, "filename", None)}


class EraseAccountForm(Form):
    password = PasswordField(
        _l("Votre mot de passe"), validators=[InputRequired(_l("Saisissez votre mot de passe."))]
    )
    confirm = BooleanField(
        _l("Je comprends que la suppression est définitive"),
        validators=[InputRequired(_l("Cochez la case pour confirmer la suppression."))],
    )


class ContributionVoteForm(Form):
    """An opinion on a contribution; `retour` is the page to go back to."""

    value = RadioField(
        _l("Votre avis sur cette contribution"),
        choices=[SelectChoice(o.value, o.label) for o in Opinion],
        validators=[InputRequired(_l("Choisissez un avis : d'accord, mitigé ou pas d'accord."))],
        validate_choice=False,  # the service names the opinions in French
    )
    retour = HiddenField()


class ReturnForm(Form):
    """A form with no field of its own (withdrawing a vote or a contribution): it carries the
    CSRF token and the page to go back to."""

    retour = HiddenField()


class EditContributionForm(Form):
    """The author's new wording; only the fields of the contribution's kind are used."""

    position = RadioField(
        _l("Pour ou contre l'article ?"),
        choices=[SelectChoice("for", _l("Pour")), SelectChoice("against", _l("Contre"))],
        validators=[Optional()],
        validate_choice=False,
    )
    # No maxlength (it would cut a pasted text): MaxChars refuses it and gives it back whole.
    title = StringField(_l("Titre"), validators=[Optional(), MaxChars(TITLE_MAX)])
    body = TextAreaField(
        _l("Votre contribution"),
        description=_l("%(n)s caractères au maximum.", n=NumberWhenShown(lambda: limits.BODY_MAX)),
        validators=[InputRequired(_l("Écrivez votre contribution.")), MaxChars(BODY_MAX)],
        render_kw={"rows": 8, "data-max-length": BODY_MAX},
    )
    proposed_text = TextAreaField(
        _l("Rédaction proposée"),
        validators=[Optional(), MaxChars(BODY_MAX)],
        render_kw={"rows": 6, "data-max-length": BODY_MAX},
    )
    url = StringField(
        _l("Adresse de la source (http:// ou https://)"),
        validators=[Optional(), MaxChars(URL_MAX)],
        render_kw={"type": "url", "spellcheck": "false"},
    )
    paper = FileField(_l("Joindre une contribution écrite (PDF, facultatif)"))
    remove_paper = BooleanField(_l("Retirer la contribution écrite jointe"))

    def for_paper(self, has_paper: bool) -> EditContributionForm:
        """Name the file field for what it does: attach a paper, or replace the one attached."""
        if has_paper:
            self.paper.label.text = _("Remplacer par un autre PDF (facultatif)")
        return self

    def paper_values(self) -> dict[str, Any]:
        """The service's arguments about the paper: the file sent, if any, or its removal."""
        return _sent_paper(self.paper) | {"remove_paper": bool(self.remove_paper.data)}

    def fill(self, contribution) -> EditContributionForm:
        """Show the contribution's current wording (on first display)."""
        self.position.data = contribution.position.value if contribution.position else None
        self.title.data = contribution.title
        self.body.data = contribution.body
        self.proposed_text.data = contribution.proposed_text
        self.url.data = contribution.url
        return self

    def fields_for(self, kind: ContributionKind) -> list:
        """The fields its author may change besides the body (`KindSpec.edit_fields`)."""
        return [getattr(self, name) for name in spec_of(kind).edit_fields]

    def changes(self, kind: ContributionKind) -> dict:
        changes: dict[str, Any] = {"body": _one_line_break(self.body.data)}
        for name in spec_of(kind).edit_fields:
            changes[name] = getattr(self, name).data or ("" if name != "position" else None)
        if "proposed_text" in changes:
            changes["proposed_text"] = _one_line_break(changes["proposed_text"])
        return changes

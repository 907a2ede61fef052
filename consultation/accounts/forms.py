"""Account forms: shape only (required, length, e-mail syntax). Rules live in services."""

# SelectChoice is WTForms 3.3's; types-wtforms (3.2) does not know it yet.
from wtforms import (  # type: ignore[attr-defined]
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo

from consultation.accounts import limits
from consultation.accounts.limits import (
    API_TOKEN_NAME_MAX,
    DISPLAY_NAME_MAX,
    EMAIL_MAX,
    HATVP_NUMBER_MAX,
    ORGANISATION_NAME_MAX,
)
from consultation.accounts.models import OrganisationCategory, ProfileType
from consultation.core.forms import Form, MaxChars, PublicForm
from consultation.core.i18n import NumberWhenShown, _l

REQUIRED = _l("Ce champ est obligatoire.")


class RegistrationForm(PublicForm):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            DataRequired(REQUIRED),
            Email(_l("Adresse e-mail invalide.")),
            MaxChars(EMAIL_MAX),
        ],
    )
    display_name = StringField(
        _l("Nom d'affichage"),
        description=_l("Publié avec vos contributions. Un pseudonyme est admis."),
        validators=[DataRequired(REQUIRED), MaxChars(DISPLAY_NAME_MAX)],
    )
    password = PasswordField(
        _l("Mot de passe"),
        description=_l(
            "%(n)s caractères au moins. Une phrase de passe est idéale.",
            n=NumberWhenShown(lambda: limits.PASSWORD_MIN),
        ),
        validators=[DataRequired(REQUIRED)],
    )
    accept_terms = BooleanField(
        _l("J'ai lu les conditions d'utilisation et la charte de modération"),
        validators=[DataRequired(_l("Vous devez accepter les conditions d'utilisation."))],
    )


class LoginForm(Form):
    email = EmailField(_l("Adresse e-mail"), validators=[DataRequired(REQUIRED)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(REQUIRED)])
    remember = BooleanField(_l("Rester connecté sur cet appareil"))


class ForgotPasswordForm(Form):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[DataRequired(REQUIRED), Email(_l("Adresse e-mail invalide."))],
    )


REVOKE_TOKENS_LABEL = _l("Révoquer aussi mes jetons d'accès à l'API")


class ResetPasswordForm(Form):
    password = PasswordField(
        _l("Nouveau mot de passe"),
        description=_l(
            "%(n)s caractères au moins.", n=NumberWhenShown(lambda: limits.PASSWORD_MIN)
        ),
        validators=[DataRequired(REQUIRED)],
    )
    confirm = PasswordField(
        _l("Confirmation du mot de passe"),
        validators=[
            DataRequired(REQUIRED),
            EqualTo("password", _l("Les deux mots de passe diffèrent.")),
        ],
    )
    # Checked by default: a password is often changed because it may have leaked, and a token
    # created meanwhile would otherwise outlive the change. Shown only when there are tokens.
    revoke_api_tokens = BooleanField(
        REVOKE_TOKENS_LABEL,
        description=(
            _l(
                "Les programmes qui s'en servent ne pourront plus agir en votre nom ; "
                "vous pourrez créer de nouveaux jetons."
            )
        ),
        default=True,
    )
    offers_token_revocation = False

    def offer_token_revocation(self, count: int) -> None:
        """Show the checkbox if the account has `count` > 0 tokens in force, with their number."""
        self.offers_token_revocation = count > 0
        self.revoke_api_tokens.label.text = f"{REVOKE_TOKENS_LABEL} ({count})"


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(REQUIRED)])


class ApiTokenForm(Form):
    name = StringField(
        _l("Nom du jeton"),
        description=_l("Pour le reconnaître, par exemple « script de suivi »."),
        validators=[DataRequired(REQUIRED), MaxChars(API_TOKEN_NAME_MAX)],
    )


class ProfileForm(Form):
    display_name = StringField(
        _l("Nom d'affichage"),
        description=_l("Publié avec vos contributions. Un pseudonyme est admis."),
        validators=[DataRequired(REQUIRED), MaxChars(DISPLAY_NAME_MAX)],
    )
    profile_type = RadioField(
        _l("Vous participez"),
        choices=[
            SelectChoice(ProfileType.individual.value, _l("À titre individuel")),
            SelectChoice(ProfileType.organisation.value, _l("Au nom d'une organisation")),
        ],
        validators=[DataRequired(REQUIRED)],
    )
    organisation_category = SelectField(
        _l("Catégorie de l'organisation"),
        choices=[SelectChoice("", _l("— Choisir —"))]
        + [SelectChoice(c.value, c.label) for c in OrganisationCategory],
        validate_choice=False,
    )
    organisation_name = StringField(
        _l("Nom de l'organisation"), validators=[MaxChars(ORGANISATION_NAME_MAX)]
    )
    hatvp_number = StringField(
        _l("Numéro au répertoire des représentants d'intérêts (HATVP)"),
        description=_l("Facultatif. Affiché à côté de vos contributions."),
        validators=[MaxChars(HATVP_NUMBER_MAX)],
    )

    def fill_from(self, user) -> None:
        self.display_name.data = user.display_name
        self.profile_type.data = user.profile_type.value
        self.organisation_category.data = (
            user.organisation_category.value if user.organisation_category else ""
        )
        self.organisation_name.data = user.organisation_name
        self.hatvp_number.data = user.hatvp_number

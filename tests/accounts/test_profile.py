"""The public profile: individual or organisation, with category, name and HATVP number."""

import pytest
import sqlalchemy as sa

from consultation.accounts import services
from consultation.accounts.models import OrganisationCategory, ProfileType, User
from consultation.core.errors import ValidationFailed


def test_an_organisation_gives_its_category_and_name(db, make_user):
    user = make_user()
    services.update_profile(
        user,
        display_name="Eau Secours",
        profile_type="organisation",
        organisation_category="association",
        organisation_name="Association Eau Secours",
        hatvp_number="h 123 456 789",
    )
    db.session.commit()
    assert (user.profile_type, user.organisation_category, user.hatvp_number) == (
        ProfileType.organisation,
        OrganisationCategory.association,
        "H123456789",
    )
    services.update_profile(
        user, display_name="Moi", profile_type="individual", organisation_name="ignoré"
    )
    assert (user.organisation_category, user.organisation_name, user.hatvp_number) == (None, "", "")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"profile_type": "organisation", "organisation_name": "X"}, "organisation_category"),
        ({"profile_type": "organisation", "organisation_category": "company"}, "organisation_name"),
        (
            {
                "profile_type": "organisation",
                "organisation_category": "company",
                "organisation_name": "X",
                "hatvp_number": "<b>",
            },
            "hatvp_number",
        ),
        ({"profile_type": "robot"}, "profile_type"),
    ],
)
def test_incomplete_or_malformed_profiles_are_refused(db, make_user, values, field):
    with pytest.raises(ValidationFailed) as refused:
        services.update_profile(make_user(), display_name="X", **values)
    assert field in refused.value.fields


def test_the_database_refuses_an_undescribed_organisation(db, make_user):
    user = make_user()
    db.session.execute(
        sa.update(User).where(User.id == user.id).values(profile_type=ProfileType.individual)
    )
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(
            sa.update(User).where(User.id == user.id).values(profile_type=ProfileType.organisation)
        )
        db.session.flush()
    db.session.rollback()


def test_profile_form_keeps_input_and_shows_errors(client, login_as, make_user):
    login_as(make_user())
    response = client.post(
        "/compte/profil",
        data={
            "display_name": "Collectif",
            "profile_type": "organisation",
            "organisation_name": "Collectif vélo",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert (
        "Choisissez la catégorie de l&#39;organisation." in page
        and 'value="Collectif vélo"' in page
    )
    saved = client.post(
        "/compte/profil",
        data={
            "display_name": "Collectif",
            "profile_type": "organisation",
            "organisation_category": "association",
            "organisation_name": "Collectif vélo",
            "hatvp_number": "H987654321",
        },
    )
    assert saved.status_code == 302
    assert "Collectif vélo (Association ou ONG), HATVP H987654321" in client.get(
        "/compte"
    ).get_data(as_text=True)

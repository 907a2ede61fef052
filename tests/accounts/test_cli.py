"""The CLI of SPEC §7: institutions create, users create, users token."""

from consultation.accounts import services
from consultation.accounts.models import Role


def test_institutions_create(runner, db):
    result = runner.invoke(
        args=["institutions", "create", "min-culture", "Ministère de la Culture"]
    )
    assert result.exit_code == 0, result.output
    assert services.get_institution("min-culture").name == "Ministère de la Culture"
    again = runner.invoke(args=["institutions", "create", "min-culture", "Autre"])
    assert again.exit_code != 0 and "existe déjà" in again.output


def test_users_create_with_password_from_stdin(runner, db, institution):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Agent@Example.org",
            "--role",
            "organiser",
            "--institution",
            institution.slug,
            "--name",
            "Agent public",
            "--password-stdin",
            "--verified",
        ],
        input="une phrase de passe solide\n",
    )
    assert result.exit_code == 0, result.output
    user = services.authenticate("agent@example.org", "une phrase de passe solide")
    assert (user.role, user.institution_id, user.display_name, user.is_verified) == (
        Role.organiser,
        institution.id,
        "Agent public",
        True,
    )


def test_users_create_refuses_organiser_without_institution(runner, db):
    result = runner.invoke(args=["users", "create", "x@example.org", "--role", "organiser"])
    assert result.exit_code != 0
    assert services.find_user("x@example.org") is None


def test_users_token_prints_a_working_token(runner, db, make_user):
    user = make_user(email="api@example.org")
    result = runner.invoke(args=["users", "token", "api@example.org"])
    assert result.exit_code == 0
    assert services.user_for_api_token(result.output.strip()) == user
    assert runner.invoke(args=["users", "token", "nobody@example.org"]).exit_code != 0


def test_users_tokens_lists_and_revoke_token_revokes(runner, db, make_user):
    make_user(email="api@example.org")
    other = make_user(email="autre@example.org")
    secret = runner.invoke(args=["users", "token", "api@example.org", "--name", "Script"])
    secret = secret.output.strip()
    other_token, other_secret = services.create_api_token(other, "Autre")
    db.session.commit()

    listed = runner.invoke(args=["users", "tokens", "api@example.org"])
    assert listed.exit_code == 0
    [line] = listed.output.strip().splitlines()
    token_id, prefix, name, *_rest = line.split("\t")
    assert (prefix, name) == (secret[:10] + "…", "Script") and "jamais utilisé" in line
    assert secret not in listed.output  # shown once, at creation only

    refused = runner.invoke(args=["users", "revoke-token", "api@example.org", str(other_token.id)])
    assert refused.exit_code != 0 and "introuvable" in refused.output
    assert services.user_for_api_token(other_secret) == other

    revoked = runner.invoke(args=["users", "revoke-token", "api@example.org", token_id])
    assert revoked.exit_code == 0
    assert services.user_for_api_token(secret) is None
    assert runner.invoke(args=["users", "tokens", "api@example.org"]).output.strip() == ""

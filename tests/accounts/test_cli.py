"""The account commands an administrator runs."""

from accounts.models import Membership, Role
from accounts.services import find_user
from extensions import db


def test_create_user_reads_password_from_stdin(runner, client):
    result = runner.invoke(
        args=["create-user", "Ada@Example.com", "--name", "Ada", "--password-stdin"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = find_user("ada@example.com")
    assert user.email == "ada@example.com" and user.name == "Ada"
    assert user.password_hash.startswith("pbkdf2:")  # TestConfig's method; scrypt in production
    login = client.post(
        "/login", data={"email": "ada@example.com", "password": "a long enough password"}
    )
    assert login.status_code == 302


def test_create_user_prompts_for_password(runner):
    result = runner.invoke(
        args=["create-user", "bo@example.com", "--name", "Bo"],
        input="password123\npassword123\n",
    )
    assert result.exit_code == 0, result.output
    assert find_user("bo@example.com") is not None


def test_short_or_long_password_is_refused(runner):
    short = runner.invoke(
        args=["create-user", "c@example.com", "--name", "C", "--password-stdin"], input="short\n"
    )
    assert short.exit_code != 0 and "8 to 128 characters" in short.output
    long = runner.invoke(
        args=["create-user", "c@example.com", "--name", "C", "--password-stdin"],
        input="x" * 129 + "\n",
    )
    assert long.exit_code != 0
    assert find_user("c@example.com") is None


def test_duplicate_email_is_refused_whatever_the_case(runner, world):
    result = runner.invoke(
        args=["create-user", "OWNER@example.com", "--name", "X", "--password-stdin"],
        input="password123\n",
    )
    assert result.exit_code != 0 and "already exists" in result.output


def test_create_workspace_with_owner(runner, world):
    result = runner.invoke(args=["create-workspace", "Field Ops", "--owner", world.viewer.email])
    assert result.exit_code == 0, result.output
    membership = db.session.execute(
        db.select(Membership).filter_by(user_id=world.viewer.id, role=Role.OWNER)
    ).scalar_one()
    assert membership.workspace.name == "Field Ops"


def test_create_workspace_needs_existing_owner(runner, app):
    result = runner.invoke(args=["create-workspace", "X", "--owner", "ghost@example.com"])
    assert result.exit_code != 0 and "create-user first" in result.output


def test_scrypt_is_the_production_hash(app):
    from werkzeug.security import check_password_hash, generate_password_hash

    from config import Config

    hashed = generate_password_hash("password123", method=Config.PASSWORD_HASH_METHOD)
    assert hashed.startswith("scrypt:") and check_password_hash(hashed, "password123")


def test_commands_pick_a_workspace_by_its_creator_when_names_repeat(runner, world, tmp_path):
    from tests import factories

    factories.make_workspace("Acme Support", world.outsider)  # a second team, the same name
    factories.commit()
    ambiguous = runner.invoke(args=["add-member", "Acme Support", world.viewer.email])
    assert ambiguous.exit_code != 0
    assert "Several workspaces are called 'Acme Support'" in ambiguous.output
    assert "created by owner@example.com" in ambiguous.output
    assert "created by outsider@example.com" in ambiguous.output
    picked = runner.invoke(
        args=["add-member", "Acme Support", world.viewer.email, "--creator", world.outsider.email]
    )
    assert picked.exit_code == 0, picked.output
    theirs = db.session.execute(
        db.select(Membership).filter_by(user_id=world.viewer.id, role=Role.EDITOR)
    ).scalar_one()
    assert theirs.workspace.created_by_id == world.outsider.id
    out = tmp_path / "plan.xlsx"
    export = runner.invoke(
        args=["export-plan", "--workspace", "Acme Support", "--creator", "OWNER@example.com"]
        + ["--out", str(out)]
    )
    assert export.exit_code == 0, export.output
    assert out.stat().st_size > 0
    backup = runner.invoke(args=["export-workspace", "Acme Support", "--out", str(tmp_path / "b")])
    assert backup.exit_code != 0 and "Add --creator EMAIL" in backup.output

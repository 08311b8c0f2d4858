"""Verbs that change accounts. Each adds and flushes; the view or command commits once."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from accounts.models import FailedLogin, Membership, Role, User, UserSession, Workspace
from dbtypes import same_name, utcnow
from extensions import db

PASSWORD_MIN, PASSWORD_MAX = 8, 128


class AccountError(ValueError):
    """A rule of the accounts domain was broken; `field` names the form field to blame."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class LoginThrottled(AccountError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise AccountError(
            f"Passwords are {PASSWORD_MIN} to {PASSWORD_MAX} characters long.", "password"
        )


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user(email: str) -> User | None:
    return db.session.execute(
        select(User).where(User.email == normalise_email(email))
    ).scalar_one_or_none()


def create_user(email: str, name: str, password: str) -> User:
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError("Enter an e-mail address.", "email")
    if not name.strip():
        raise AccountError("Enter a name.", "name")
    check_password_rules(password)
    if find_user(email) is not None:
        raise AccountError(f"A user with the e-mail {email} already exists.", "email")
    user = User(email=email, name=name.strip(), password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    check_password_rules(password)
    user.password_hash = hash_password(password)
    end_all_sessions(user)


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))


def set_active(user: User, active: bool) -> None:
    """Disabling a user ends every session they have at once."""
    user.active = active
    if not active:
        end_all_sessions(user)
    db.session.flush()


def create_workspace(name: str, owner: User) -> Workspace:
    name = name.strip()
    if not name:
        raise AccountError("Enter a name for the workspace.", "name")
    if db.session.execute(select(Workspace.id).where(same_name(Workspace.name, name))).first():
        raise AccountError(f"A workspace called {name!r} already exists.", "name")
    workspace = Workspace(name=name)
    db.session.add(workspace)
    db.session.flush()
    db.session.add(Membership(user_id=owner.id, workspace_id=workspace.id, role=Role.OWNER))
    db.session.flush()
    return workspace


def add_member(workspace: Workspace, email: str, role: Role) -> Membership:
    user = find_user(email)
    if user is None:
        raise AccountError(
            f"No Rootline user has the e-mail {normalise_email(email)}. "
            "Ask an administrator to create the account first.",
            "email",
        )
    existing = db.session.execute(
        select(Membership).where(
            Membership.workspace_id == workspace.id, Membership.user_id == user.id
        )
    ).scalar_one_or_none()
    if existing is not None:
        raise AccountError(f"{user.email} is already a member of this workspace.", "email")
    membership = Membership(user_id=user.id, workspace_id=workspace.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def _owner_count(workspace_id: int) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .where(Membership.workspace_id == workspace_id, Membership.role == Role.OWNER)
    ).scalar_one()


def change_role(membership: Membership, role: Role) -> Membership:
    if (
        membership.role is Role.OWNER
        and role is not Role.OWNER
        and _owner_count(membership.workspace_id) <= 1
    ):
        raise AccountError(
            "This is the workspace's last owner. Make someone else an owner first.", "role"
        )
    membership.role = role
    db.session.flush()
    return membership


def remove_member(membership: Membership) -> None:
    if membership.role is Role.OWNER and _owner_count(membership.workspace_id) <= 1:
        raise AccountError(
            "The last owner cannot be removed. Make someone else an owner first.", None
        )
    db.session.delete(membership)
    db.session.flush()


def forget_expired_logins() -> None:
    """Login sessions past their lifetime and failed logins past the throttling window (the
    job engine's sweep runs this every minute)."""
    now = utcnow()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    window = current_app.config["LOGIN_FAILURE_WINDOW"]
    db.session.execute(delete(UserSession).where(UserSession.created_at < now - lifetime))
    db.session.execute(delete(FailedLogin).where(FailedLogin.at < now - window))

"""Verbs that change accounts. Each adds and flushes; the view or command commits once."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from werkzeug.security import generate_password_hash

from accounts.models import FailedLogin, Membership, Role, User, UserSession, Workspace
from clock import utcnow
from database import same_name
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
            _(
                "Passwords are %(min)s to %(max)s characters long.",
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
            ),
            "password",
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
        raise AccountError(_("Enter an e-mail address."), "email")
    if not name.strip():
        raise AccountError(_("Enter a name."), "name")
    check_password_rules(password)
    if find_user(email) is not None:
        raise AccountError(
            _("A user with the e-mail %(email)s already exists.", email=email), "email"
        )
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
    """A new workspace with `owner` as its owner. Its name must differ from the other
    workspaces `owner` created (only those: the answer tells nothing of other teams')."""
    name = name.strip()
    if not name:
        raise AccountError(_("Enter a name for the workspace."), "name")
    mine = select(Workspace.id).where(
        Workspace.created_by_id == owner.id, same_name(Workspace.name, name)
    )
    if db.session.execute(mine).first():
        raise AccountError(
            _("You already have a workspace called %(name)s.", name=repr(name)), "name"
        )
    workspace = Workspace(name=name, created_by_id=owner.id)
    db.session.add(workspace)
    db.session.flush()
    db.session.add(
        Membership(
            user_id=owner.id, workspace_id=workspace.id, role=Role.OWNER, last_used_at=utcnow()
        )
    )
    db.session.flush()
    return workspace


def add_member(workspace: Workspace, email: str, role: Role) -> Membership:
    """Make an existing user a member at once, without asking them: for an administrator's
    command line (and test fixtures) only. The app invites (accounts.invitations)."""
    user = find_user(email)
    if user is None:
        raise AccountError(
            _("No Rootline user has the e-mail %(email)s.", email=normalise_email(email)),
            "email",
        )
    if _membership_of(workspace.id, user.id) is not None:
        raise AccountError(
            _("%(email)s is already a member of this workspace.", email=user.email), "email"
        )
    membership = Membership(user_id=user.id, workspace_id=workspace.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def _membership_of(workspace_id: int, user_id: int) -> Membership | None:
    return db.session.execute(
        select(Membership)
        .where(Membership.workspace_id == workspace_id, Membership.user_id == user_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def lock_workspace(workspace_id: int) -> None:
    """Take the workspace's row for this transaction before reading its owners, so two
    owners changing each other at once are served one after the other: SELECT … FOR UPDATE
    on PostgreSQL; on SQLite, writing the row first takes the database's write lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            select(Workspace.id).where(Workspace.id == workspace_id).with_for_update()
        )
    else:
        table = Workspace.__table__
        db.session.execute(
            table.update().where(table.c.id == workspace_id).values(name=table.c.name)
        )


def _other_owners(membership: Membership) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.workspace_id == membership.workspace_id,
            Membership.role == Role.OWNER,
            Membership.id != membership.id,
        )
    ).scalar_one()


def _locked(membership: Membership, actor: User | None) -> Membership:
    """The membership as it is now, read under the workspace's lock; the actor must still be
    an owner (another owner may have removed them a moment ago)."""
    lock_workspace(membership.workspace_id)
    if actor is not None:
        mine = _membership_of(membership.workspace_id, actor.id)
        if mine is None or mine.role is not Role.OWNER:
            raise AccountError(_("You are no longer an owner of this workspace."), None)
    fresh = _membership_of(membership.workspace_id, membership.user_id)
    if fresh is None:
        raise AccountError(_("This person is no longer a member of the workspace."), None)
    return fresh


def change_role(membership: Membership, role: Role, actor: User | None = None) -> Membership:
    membership = _locked(membership, actor)
    if role is not Role.OWNER and _other_owners(membership) == 0:
        raise AccountError(
            _("This is the workspace's last owner. Make someone else an owner first."), "role"
        )
    membership.role = role
    db.session.flush()
    return membership


def remove_member(membership: Membership, actor: User | None = None) -> None:
    membership = _locked(membership, actor)
    if _other_owners(membership) == 0:
        raise AccountError(
            _("The last owner cannot be removed. Make someone else an owner first."), None
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


def leave(membership: Membership) -> None:
    """The member leaves the workspace; its last owner cannot."""
    membership = _locked(membership, None)
    if _other_owners(membership) == 0:
        raise AccountError(
            _(
                "You are the last owner of this workspace, so you cannot leave it. "
                "Make someone else an owner first."
            ),
            None,
        )
    db.session.delete(membership)
    db.session.flush()


def use_workspace(user: User, workspace_id: int) -> None:
    """Remember `workspace_id` as the one `user` last used: their next login lands there."""
    db.session.execute(
        Membership.__table__.update()
        .where(Membership.user_id == user.id, Membership.workspace_id == workspace_id)
        .values(last_used_at=utcnow())
    )


def change_preferences(user: User, language: str | None, time_zone: str | None) -> User:
    """The user's language (None: as their browser asks) and the zone their times are shown
    in (None: UTC). The form has checked both against the lists."""
    user.language = language or None
    user.time_zone = None if time_zone in (None, "", "UTC") else time_zone
    db.session.flush()
    return user

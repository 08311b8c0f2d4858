"""Login, the current workspace, and lookups scoped to the current user's memberships.

Every object Rootline shows belongs to one workspace (it has `workspace_id`). Views never
query by id alone: they call `get_scoped_or_404`, which finds the object only inside a
workspace the user belongs to (404 otherwise) and refuses changes by viewers (403).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from flask import Flask, abort, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from accounts.audit import record_refusal
from accounts.models import Invitation, Membership, Role, User, UserSession, Workspace
from clock import utcnow
from extensions import db, login_manager

# accounts.join: an invitation's setup link, for people who have no account yet;
# accounts.choose_language: the login page's language switch
PUBLIC_ENDPOINTS = frozenset(
    {
        "accounts.login",
        "accounts.join",
        "accounts.choose_language",
        "healthz",
        "static",
        "bootstrap.static",
    }
)
# shared: the pages a share link opens (blueprint/routes/share.py); the link is the key
PUBLIC_BLUEPRINTS = frozenset({"shared"})

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Log in to continue.")
login_manager.localize_callback = str  # the lazy message, in the reader's language
login_manager.login_message_category = "info"

T = TypeVar("T")


def register_login_guard(app: Flask) -> None:
    """Deny by default: every endpoint needs a login unless it is listed as public.

    Registered before CSRF so an anonymous POST is sent to the login page, not a 400.
    """
    app.before_request(require_login_unless_public)


def require_login_unless_public():
    """Deny by default (a before_request hook): new routes need a login automatically."""
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if request.blueprint in PUBLIC_BLUEPRINTS:
        return None
    if current_user.is_authenticated:
        return None
    return login_manager.unauthorized()


def session_expired(created_at: datetime) -> bool:
    return utcnow() - created_at > current_app.config["PERMANENT_SESSION_LIFETIME"]


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The cookie carries a login token, not the user id: a deleted token is a dead cookie."""
    invited = (
        select(func.count())
        .where(Invitation.email == User.email, Invitation.expires_at > utcnow())
        .scalar_subquery()
    )
    row = db.session.execute(
        select(UserSession, User, invited)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token == token)
    ).first()
    if row is None:
        return None
    user_session, user, user.invitations_waiting = row  # in the same query: pages stay lean
    if not user.active or session_expired(user_session.created_at):
        return None
    user.session_token = token
    return user


def my_workspaces() -> list[tuple[Workspace, Role]]:
    """Every workspace the current user belongs to, by name, with the user's role in it."""
    if "my_workspaces" not in g:
        rows = db.session.execute(
            select(Workspace, Membership.role)
            .join(Membership, Membership.workspace_id == Workspace.id)
            .where(Membership.user_id == current_user.id)
            .order_by(Workspace.name, Workspace.id)
        ).all()
        g.my_workspaces = [(w, r) for w, r in rows]
    return g.my_workspaces


def landing_workspace_id(user_id: int) -> int | None:
    """Where a fresh login lands: the workspace the user last switched to or joined (then
    the one they joined first), never one they were only invited to."""
    return db.session.scalar(
        select(Membership.workspace_id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.last_used_at.desc().nulls_last(), Membership.id)
        .limit(1)
    )


def current_workspace() -> tuple[Workspace, Role] | None:
    """The workspace chosen in the switcher (after login: the one last used), with the
    user's role."""
    if "current_workspace" in g:
        return g.current_workspace
    rows = my_workspaces()
    chosen = next((r for r in rows if r[0].id == session.get("workspace_id")), None)
    if chosen is None and rows:
        last = landing_workspace_id(current_user.id)
        chosen = next((r for r in rows if r[0].id == last), rows[0])
        session["workspace_id"] = chosen[0].id
    g.current_workspace = (chosen[0], chosen[1]) if chosen else None
    return g.current_workspace


def require_current_workspace(*, edit: bool = False) -> Workspace:
    """The current workspace or a 404 page that says to choose one; 403 for a viewer's edit."""
    found = current_workspace()
    if found is None:
        abort(404)
    workspace, role = found
    if edit and not role.can_edit:
        record_refusal(workspace.id, "workspace", workspace.id)
        abort(403)
    g.role = role
    return workspace


def role_in(workspace_id: int) -> Role | None:
    return db.session.execute(
        select(Membership.role).where(
            Membership.workspace_id == workspace_id, Membership.user_id == current_user.id
        )
    ).scalar_one_or_none()


def require_role(workspace_id: int, *, edit: bool = False, owner: bool = False) -> Role:
    """404 if the user is not a member, 403 if the role is too low for what is asked."""
    role = role_in(workspace_id)
    if role is None:
        abort(404)
    if (owner and role is not Role.OWNER) or (edit and not role.can_edit):
        record_refusal(workspace_id, "workspace", workspace_id)
        abort(403)
    g.role = role
    return role


def get_scoped_or_404(model: type[T], obj_id: int, *, edit: bool = False) -> T:
    """Load `model` by id inside the current user's workspaces, in one query."""
    row = db.session.execute(
        select(model, Membership.role)
        .join(Membership, Membership.workspace_id == model.workspace_id)
        .where(model.id == obj_id, Membership.user_id == current_user.id)
    ).first()
    if row is None:
        abort(404)
    obj, role = row
    if edit and not role.can_edit:
        record_refusal(obj.workspace_id, model.__tablename__, obj_id)
        abort(403)
    g.role = role
    return obj


def can_edit() -> bool:
    """For templates: whether the page's workspace role allows changes."""
    role = g.get("role")
    return bool(role and role.can_edit)

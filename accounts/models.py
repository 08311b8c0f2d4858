"""Who may see and change what: users, workspaces and the roles that join them."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clock import utcnow
from dbtypes import UTCDateTime, enum_column
from extensions import db


class Role(enum.StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"

    @property
    def can_edit(self) -> bool:
        return self in (Role.OWNER, Role.EDITOR)

    @property
    def label(self) -> str:
        """In words, in the reader's language (a lazy string: made when shown)."""
        return _ROLE_LABELS[self.value]


_ROLE_LABELS = {"owner": _l("Owner"), "editor": _l("Editor"), "viewer": _l("Viewer")}


class User(UserMixin, db.Model):
    """A person who can log in. The e-mail is stored lower-cased, so it is unique regardless of
    case."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The profile page's settings (web/i18n.py reads them): None follows the browser's
    # language, and shows times in UTC.
    language: Mapped[str | None] = mapped_column(String(8))
    time_zone: Mapped[str | None] = mapped_column(String(64))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Set by the user loader: the login token the session cookie carries, and how many
    # invitations wait for the user's answer.
    session_token = None
    invitations_waiting = 0

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str | None:
        return self.session_token

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserSession(db.Model):
    """One login. Its random token is what the session cookie carries, so logging out (or
    disabling the user) deletes the row and any replay of the old cookie is refused."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class FailedLogin(db.Model):
    """A failed login attempt (or one being checked), kept in the database so throttling
    holds across workers: the e-mail tried and the client address it came from."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(45), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_failed_login_email_at", "email", "at"),
        Index("ix_failed_login_address_at", "address", "at"),
    )


class Workspace(db.Model):
    """A team's space: everything else (blueprints, catalog, backlog) belongs to one.

    Names are unique among the workspaces one person created, not across the database: a
    refusal must not tell anyone the names of other teams' workspaces."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Changes with every change to the workspace's dependency graph or its pain points, so
    # a worker tells with one query whether its copy is current (blueprint/graph_cache.py).
    # Born random, as every later value; bookkeeping, never history.
    graph_version: Mapped[int] = mapped_column(
        BigInteger, default=lambda: secrets.randbits(63), server_default="0"
    )

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="workspace", cascade="all, delete-orphan"
    )
    created_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("created_by_id", "name"),)

    def __repr__(self) -> str:
        return f"<Workspace {self.name}>"


class Membership(db.Model):
    """A user's role in one workspace. Made only by creating the workspace or by accepting
    an invitation (and by an administrator's command line)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    # When the user last switched to (or joined) this workspace: where the next login lands.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="memberships")
    workspace: Mapped[Workspace] = relationship(back_populates="memberships")

    __table_args__ = (UniqueConstraint("user_id", "workspace_id"),)


class Invitation(db.Model):
    """An offer to one e-mail address to join a workspace in a role. Only the invitee's
    acceptance makes a membership; declining, withdrawing or expiry ends it. Its setup link
    carries a random token that is stored only as its SHA-256, and works once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    workspace: Mapped[Workspace] = relationship()
    invited_by: Mapped[User | None] = relationship()

    __table_args__ = (UniqueConstraint("workspace_id", "email"),)

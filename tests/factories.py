"""Small helpers that make rows for tests. They flush; tests commit when a request must see
the data."""

from __future__ import annotations

from accounts import services as accounts
from accounts.models import Role, User, Workspace
from extensions import db

PASSWORD = "correct horse battery"


def make_user(email: str, name: str | None = None, password: str = PASSWORD) -> User:
    return accounts.create_user(email, name or email.split("@")[0].title(), password)


def make_workspace(name: str, owner: User, **members: Role) -> Workspace:
    """`members` maps e-mails of existing users to their role."""
    workspace = accounts.create_workspace(name, owner)
    for email, role in members.items():
        accounts.add_member(workspace, email, role)
    return workspace


def commit() -> None:
    db.session.commit()

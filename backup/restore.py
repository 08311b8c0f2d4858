"""Restoring a workspace backup from the app: an uploaded file becomes a NEW workspace whose
only member is the owner who restored it.

What differs from the administrator's `import-workspace` (backup/workspace.py), and why:

- **Nobody joins without consent.** The other members in the file become invitations from
  the restorer, in the roles they had (accounts/invitations.py): each joins only by
  accepting, as when an owner invites someone.
- **An uploaded file creates no accounts and tells nothing about them.** A person in the file
  is matched to an account by e-mail only when the restorer already shares a workspace with
  them (the one backed up, most often); anyone else is left out, so the rows they owned,
  wrote or changed keep no name, as after a deleted account. Otherwise a made-up file could
  show whether an e-mail has an account and under which name, or take an e-mail address
  before its owner signs up.
- **The file is checked before any job starts** (`read_upload`): JSON of the workspace
  format, with the shape every part must have; what only the writing can find out (a
  reference to a row the file does not hold) fails the job, which then changes nothing.

Adds and flushes; the job that runs it commits once, with its own "done", or nothing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Connection, select, update

from accounts import audit, invitations
from accounts.models import Membership, Role, User, Workspace
from accounts.services import AccountError, normalise_email
from backup.workspace import BackupError, Progress, check_format, import_document, table_names
from database import same_name
from extensions import db

MAX_MEMBERS = 500  # invitations one restore may send; a larger team restores from the CLI
NAME_MAX = 120  # as a workspace's name column
ROLES = {None, *(role.value for role in Role)}
# a NUL character, written as JSON writes it (an even number of backslashes before it is
# text, not an escape): PostgreSQL cannot store one
_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000")


def read_upload(content: bytes) -> dict[str, Any]:
    """The backup document in an uploaded file, or a BackupError saying why the file is not
    one (quick: one parse and a look at the document's shape, no database)."""
    if not content.strip():
        raise BackupError(_("The file is empty."))
    if content[:4] == b"PK\x03\x04":
        raise BackupError(
            _(
                "This is a zip file (a workbook?), not a workspace backup: choose the .json "
                "file that “Download a backup” made."
            )
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BackupError(_("This is not a workspace backup: it is not UTF-8 text.")) from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise BackupError(_("This is not a workspace backup: it is nested too deeply.")) from None
    except ValueError as exc:  # JSONDecodeError, or a number too long to read
        raise BackupError(
            _("This is not a workspace backup: it is not valid JSON (%(error)s).", error=exc)
        ) from None
    check_format(document)
    problems = _shape_problems(document)
    if _NUL.search(text):
        problems.append(_("a text holds a NUL character, which Rootline cannot store"))
    if problems:
        raise BackupError(
            _("The backup file is damaged: %(problems)s.", problems="; ".join(problems[:5]))
        )
    return document


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON knows")


def _shape_problems(document: dict[str, Any]) -> list[str]:
    problems = []
    workspace = document.get("workspace")
    if not isinstance(workspace, dict):
        return [_("it has no workspace")]
    name = workspace.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > NAME_MAX:
        problems.append(_("the workspace's name must be 1 to %(max)s characters", max=NAME_MAX))
    try:
        datetime.fromisoformat(workspace.get("created_at"))
    except (TypeError, ValueError):
        problems.append(_("the workspace's created_at is not a time"))
    people = document.get("people")
    if not isinstance(people, list) or not all(isinstance(p, dict) for p in people):
        problems.append(_("its people are not a list of people"))
        people = []
    for person in people:
        email, role = person.get("email"), person.get("role")
        if not isinstance(email, str) or "@" not in email or len(email) > 254:
            problems.append(_("%(email)s is not an e-mail address", email=repr(str(email)[:60])))
        elif role not in ROLES:
            problems.append(
                _(
                    "%(email)s has the role %(role)s, not owner, editor or viewer",
                    email=email,
                    role=repr(str(role)[:20]),
                )
            )
        if len(problems) > 5:
            break
    if sum(1 for p in people if p.get("role")) > MAX_MEMBERS:
        problems.append(
            _(
                "it has more than %(max)s members; an administrator restores it with "
                "`flask import-workspace`",
                max=MAX_MEMBERS,
            )
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        return [*problems, _("it has no tables")]
    if unknown := sorted(set(tables) - table_names()):
        problems.append(
            _(
                "it has tables this Rootline does not know: %(tables)s",
                tables=", ".join(unknown)[:200],
            )
        )
    for table, rows in tables.items():
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            problems.append(_("the table %(table)s is not a list of rows", table=str(table)[:40]))
    return problems


def name_taken(owner: User, name: str) -> bool:
    """Whether `owner` created a workspace of this name already (names are unique per
    creator, as when creating one)."""
    mine = select(Workspace.id).where(
        Workspace.created_by_id == owner.id, same_name(Workspace.name, name)
    )
    return db.session.execute(mine).first() is not None


def taken_message(name: str) -> str:
    return _(
        "You already have a workspace called %(name)s; give the restored one another name.",
        name=repr(name),
    )


def known_people(user: User) -> set[str]:
    """E-mails of everyone who shares a workspace with `user`, `user` included."""
    shared = select(Membership.workspace_id).where(Membership.user_id == user.id)
    return set(
        db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id.in_(shared))
        )
    ) | {user.email}


@dataclass
class Restored:
    workspace: Workspace
    invited: list[str] = field(default_factory=list)  # e-mails of the members in the file
    left_out: list[str] = field(default_factory=list)  # people the file names, matched to nobody


def restore_as_new(
    document: dict[str, Any],
    owner: User,
    name: str | None = None,
    source: str = "",
    progress: Progress | None = None,
) -> Restored:
    """A new workspace from a checked document (`read_upload`), named `name` (else as in the
    file), created by `owner` and theirs alone; the file's other members invited. `source`
    (the file's name) goes into the history's record of the restore."""
    name = (name or document["workspace"]["name"]).strip()
    if name_taken(owner, name):
        raise BackupError(taken_message(name))
    known = known_people(owner)
    left_out: list[str] = []

    def people(conn: Connection, doc: dict[str, Any], workspace_id: int) -> dict[str, int | None]:
        conn.execute(
            update(Workspace).where(Workspace.id == workspace_id).values(created_by_id=owner.id)
        )
        found: dict[str, int | None] = {}
        for person in doc["people"]:
            email = normalise_email(person["email"])
            found[person["email"]] = (
                conn.scalar(select(User.id).where(User.email == email)) if email in known else None
            )
            if found[person["email"]] is None:
                left_out.append(email)
        return found

    workspace = import_document(
        document, name, progress, creator=lambda _doc: owner.email, people=people
    )
    restored = Restored(workspace, left_out=sorted(set(left_out)))
    # after the file's history, so it keeps its order; audited as the restorer's
    db.session.add(Membership(user_id=owner.id, workspace_id=workspace.id, role=Role.OWNER))
    db.session.flush()
    for person in document["people"]:
        email = normalise_email(person["email"])
        if person["role"] and email != owner.email and email not in restored.invited:
            try:
                invitations.invite(workspace, email, Role(person["role"]), owner)
            except AccountError as exc:
                raise BackupError(
                    _("%(email)s cannot be invited: %(problem)s", email=email, problem=exc.message)
                ) from None
            restored.invited.append(email)
    label = f"{workspace.name}, restored from {source}" if source else workspace.name
    audit.record(workspace.id, "restore", "workspace", workspace.id, label)
    return restored

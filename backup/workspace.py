"""A whole workspace as one JSON document, and back: backup, restore, and the move from the
embedded SQLite to PostgreSQL.

The document is independent of the database's ids. Every row of every workspace table gets a
`key`, its place in id order (1, 2, 3 ...) within its table, and references between rows use
those keys; references to users use their e-mail. So importing into any database (one that
already holds other workspaces included) rebuilds the same workspace, and exporting it again
gives the same document. Rows are inserted in key order, so keys stay in id order.

What it carries: the workspace; the people it references (members with their role, and
anyone named as owner, author or in the history) by e-mail, name and active flag, never a
password hash; and every table with a `workspace_id` column (personas, blueprints, stages,
elements and the people-and-systems catalog, links, insights, confirmed causes, why-chains,
tasks and their links, backlog settings, the audit history), found from the models' metadata
so that a new table is carried without changing this module. Pending workbook uploads are
left out: they are half-finished work of one session; so are open invitations and share
links (see SKIPPED).

Format version 1; see docs/workspace-backup.md.
"""

from __future__ import annotations

import enum
import json
import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Connection, Date, Enum, Table, func, insert, select, update
from sqlalchemy.exc import StatementError
from werkzeug.security import generate_password_hash

from accounts.models import Membership, User, Workspace
from dbtypes import UTCDateTime
from extensions import db

FORMAT = "rootline-workspace"
VERSION = 1
# membership: carried as the people's roles; pending imports, pending evidence files,
# pending blueprint updates and jobs are work in progress; invitations are open offers whose
# links only the people invited hold, and share links keys that only their holders have (a
# restored copy must not open to them); board changes are the last day's undo, of the rows
# as they are here
SKIPPED = {
    "pending_import",
    "pending_evidence",
    "pending_blueprint_update",
    "membership",
    "job",
    "invitation",
    "share_link",
    "board_change",
}
AUDIT = "audit_event"
Progress = Callable[[str, int, int, int], None]  # table, tables done, tables, its rows
# (connection, document, new workspace's id) → every person's e-mail → their user id here (None:
# left out); also records who created the workspace and, if it does so, its memberships
People = Callable[[Connection, dict[str, Any], int], dict[str, int | None]]


class BackupError(Exception):
    """A document that cannot be imported; nothing has been written."""


def _tables() -> list[Table]:
    """Workspace tables in an order where every row's references come before it; the
    history last, since its events name rows of every other table."""
    tables = [
        t
        for t in db.metadata.sorted_tables
        if t.name not in SKIPPED and t.name != "workspace" and _scoped(t)
    ]
    return sorted(tables, key=lambda t: t.name == AUDIT)


def table_names() -> set[str]:
    """The tables a backup may hold."""
    return {t.name for t in _tables()}


def _scoped(table: Table) -> bool:
    """Has a workspace_id, or links two rows that have one (task_insight, task_target)."""
    if "workspace_id" in table.c:
        return True
    targets = {fk.column.table for col in table.c for fk in col.foreign_keys}
    return bool(targets) and all("workspace_id" in t.c for t in targets)


def _references(table: Table) -> dict[str, str]:
    """Column name → name of the table it refers to."""
    return {col.name: fk.column.table.name for col in table.c for fk in col.foreign_keys}


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


# --- export ------------------------------------------------------------------------------


def export_workspace(workspace: Workspace, progress: Progress | None = None) -> dict[str, Any]:
    """The workspace as a document. `progress(table, done, tables, rows)` hears after each
    table is read."""
    conn = db.session.connection()
    tables = _tables()
    rows_of: dict[str, list[dict[str, Any]]] = {}
    keys: dict[str, dict[int, int]] = {}
    for table in tables:
        stmt = select(*(c for c in table.c if not _derived(table, c.name)))
        if "workspace_id" in table.c:
            stmt = stmt.where(table.c.workspace_id == workspace.id)
        else:  # a link table: rows whose first reference is in the workspace
            column, target_name = next(iter(_references(table).items()))
            target = db.metadata.tables[target_name]
            stmt = stmt.join(target, table.c[column] == target.c.id).where(
                target.c.workspace_id == workspace.id
            )
        if "id" in table.c:
            stmt = stmt.order_by(table.c.id)
        else:
            stmt = stmt.order_by(*table.primary_key.columns)
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
        if "id" in table.c:
            keys[table.name] = {row["id"]: n for n, row in enumerate(rows, 1)}
        rows_of[table.name] = rows
        if progress:
            progress(table.name, len(rows_of), len(tables), len(rows))

    user_ids: set[int] = set()
    for table in tables:
        for column, target in _references(table).items():
            if target == "user":
                user_ids |= {r[column] for r in rows_of[table.name] if r[column] is not None}
    roles = dict(
        conn.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.workspace_id == workspace.id
            )
        ).all()
    )
    user_ids |= set(roles)
    if workspace.created_by_id is not None:
        user_ids.add(workspace.created_by_id)
    user_ids |= {
        r["entity_id"] for r in rows_of.get(AUDIT, []) if r["entity"] == "user" and r["entity_id"]
    }
    users = conn.execute(
        select(User.id, User.email, User.name, User.active).where(User.id.in_(user_ids))
    ).all()
    email = {u.id: u.email for u in users}

    out_tables: dict[str, list[dict[str, Any]]] = {}
    for table in tables:
        refs = _references(table)
        out: list[dict[str, Any]] = []
        for row in rows_of[table.name]:
            item: dict[str, Any] = {}
            if "id" in row:
                item["key"] = keys[table.name][row["id"]]
            for column, value in row.items():
                if column in ("id", "workspace_id"):
                    continue
                target = refs.get(column)
                if table.name == AUDIT and column == "entity_id":
                    value = _event_entity_key(row["entity"], value, keys, email)
                elif table.name == AUDIT and column == "blueprint_id":
                    value = keys["service_blueprint"].get(value)
                elif target == "user":
                    value = email.get(value)
                elif target is not None and value is not None:
                    value = keys[target][value]
                item[column] = _plain(value)
            out.append(item)
        out_tables[table.name] = out

    return {
        "format": FORMAT,
        "version": VERSION,
        "workspace": {
            "name": workspace.name,
            "created_at": _plain(workspace.created_at),
            "created_by": email.get(workspace.created_by_id),
        },
        "people": sorted(
            (
                {
                    "email": u.email,
                    "name": u.name,
                    "active": u.active,
                    "role": _plain(roles.get(u.id)),
                }
                for u in users
            ),
            key=lambda p: p["email"],
        ),
        "tables": out_tables,
    }


def to_bytes(document: dict[str, Any]) -> bytes:
    """The document as the file `export-workspace` writes (and the backup page hands out)."""
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _event_entity_key(entity: str, entity_id, keys, email) -> Any:
    """What a history event is about, in the document's terms: a key of its table, the
    e-mail of a user, 1 for the workspace; None for rows that are gone (the event's label
    still names them)."""
    if entity == "workspace":
        return 1
    if entity == "user":
        return email.get(entity_id)
    return keys[entity].get(entity_id) if entity in keys else None


# --- import ------------------------------------------------------------------------------


def _derived(table: Table, column: str) -> bool:
    """Columns worked out from others (`info={"derived": ...}`, the elements' search key):
    never written to a file, and worked out again when one is read."""
    return column in table.c and bool(table.c[column].info.get("derived"))


def _value(table: Table, column: str, value: Any) -> Any:
    if value is None:
        return None
    kind = table.c[column].type
    if isinstance(kind, UTCDateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    return value


def check_format(document: Any) -> None:
    """A BackupError unless `document` says it is a workspace file this Rootline reads."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(_("This is not a Rootline workspace file."))
    if document.get("version") != VERSION:
        raise BackupError(
            _(
                "This file has format version %(found)s; this Rootline reads version %(version)s.",
                found=document.get("version"),
                version=VERSION,
            )
        )


def import_workspace(
    document: dict[str, Any], name: str | None = None, progress: Progress | None = None
) -> Workspace:
    """Create the workspace the document describes, as a new workspace (under `name` if
    given). Users are matched by e-mail; people missing from this database are created
    without a usable password. `progress(table, done, tables, rows)` hears as each table is
    written. Adds and flushes; the caller commits."""
    check_format(document)
    return import_document(document, name, progress, creator=_creator, people=_people_as_they_were)


def import_document(
    document: dict[str, Any],
    name: str | None,
    progress: Progress | None,
    *,
    creator: Callable[[dict[str, Any]], str | None],
    people: People,
) -> Workspace:
    """The import, with who created the workspace (`creator(document)`: an e-mail, whose
    workspace names the new one must not repeat) and how the people are found (`people`)
    given by the caller; every damage to the document is a BackupError."""
    try:
        return _import(document, name, progress, creator(document), people)
    except BackupError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, StatementError) as exc:
        message = getattr(exc, "orig", None) or exc
        raise BackupError(
            _(
                "The workspace file is damaged (%(error)s: %(message)s).",
                error=exc.__class__.__name__,
                message=message,
            )
        ) from exc


def _creator(document: dict[str, Any]) -> str | None:
    """Names are unique per creator; files from before creators were kept: the first owner."""
    return document["workspace"].get("created_by") or next(
        (p["email"] for p in document["people"] if p["role"] == "owner"), None
    )


def _people_as_they_were(
    conn: Connection, document: dict[str, Any], workspace_id: int
) -> dict[str, int | None]:
    """Everyone matched by e-mail or created without a usable password, the creator recorded,
    members with their roles (an administrator's restore, from the command line)."""
    creator = _creator(document)
    user_id: dict[str, int | None] = {}
    for person in document["people"]:
        found = conn.scalar(select(User.id).where(User.email == person["email"]))
        if found is None:
            found = conn.execute(
                insert(User).returning(User.id),
                {
                    "email": person["email"],
                    "name": person["name"],
                    "active": person["active"],
                    # nobody knows this password: set one with `flask set-password`
                    "password_hash": generate_password_hash(secrets.token_urlsafe(32)),
                },
            ).scalar_one()
        user_id[person["email"]] = found
        if person["email"] == creator:
            conn.execute(
                update(Workspace).where(Workspace.id == workspace_id).values(created_by_id=found)
            )
        if person["role"]:
            conn.execute(
                insert(Membership),
                {"user_id": found, "workspace_id": workspace_id, "role": person["role"]},
            )
    return user_id


def _import(
    document: dict[str, Any],
    name: str | None,
    progress: Progress | None,
    creator: str | None,
    people: People,
) -> Workspace:
    conn = db.session.connection()
    name = name or document["workspace"]["name"]
    taken = (
        select(func.count())
        .select_from(Workspace)
        .join(User, User.id == Workspace.created_by_id)
        .where(Workspace.name == name, User.email == creator)
    )
    if creator and conn.scalar(taken):
        raise BackupError(
            f"{creator} already has a workspace called {name!r}; choose another name (--name)."
        )
    workspace_id = conn.execute(
        insert(Workspace).returning(Workspace.id),
        {
            "name": name,
            "created_at": datetime.fromisoformat(document["workspace"]["created_at"]),
        },
    ).scalar_one()

    user_id = people(conn, document, workspace_id)

    tables = {t.name: t for t in _tables()}
    unknown = set(document["tables"]) - set(tables)
    if unknown:
        raise BackupError(
            _(
                "The file has tables this Rootline does not know: %(tables)s.",
                tables=sorted(unknown),
            )
        )
    ids: dict[str, dict[int, int]] = {}
    for done, table in enumerate(tables.values(), 1):
        if progress:
            progress(table.name, done, len(tables), len(document["tables"].get(table.name, [])))
        refs = _references(table)
        rows = document["tables"].get(table.name, [])
        later: list[tuple[int, str, int]] = []  # (key, column, key it refers to) in its table
        values = []
        for row in rows:
            item: dict[str, Any] = {}
            if "workspace_id" in table.c:
                item["workspace_id"] = workspace_id
            for column, value in row.items():
                if column == "key" or _derived(table, column):
                    continue
                target = refs.get(column)
                if table.name == AUDIT and column == "entity_id":
                    value = _event_entity_id(row["entity"], value, ids, user_id, workspace_id)
                elif table.name == AUDIT and column == "blueprint_id":
                    value = ids["service_blueprint"].get(value) if value else None
                elif target == "user":
                    value = user_id[value] if value is not None else None
                elif target == table.name and value is not None:
                    later.append((row["key"], column, value))  # itself: once all exist
                    value = None
                elif target is not None and value is not None:
                    value = ids[target][value]
                item[column] = _value(table, column, value)
            values.append(item)
        if not values:
            ids[table.name] = {}
            continue
        if "id" in table.c:
            new_ids = conn.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), values
            ).scalars()
            ids[table.name] = {row["key"]: new for row, new in zip(rows, new_ids, strict=True)}
        else:
            conn.execute(insert(table), values)
        for key, column, refers_to in later:
            conn.execute(
                update(table)
                .where(table.c.id == ids[table.name][key])
                .values({column: ids[table.name][refers_to]})
            )
    db.session.flush()
    return db.session.get(Workspace, workspace_id)


def _event_entity_id(entity: str, value, ids, user_id, workspace_id) -> int | None:
    if value is None:
        return None
    if entity == "workspace":
        return workspace_id
    if entity == "user":
        return user_id.get(value)
    return ids.get(entity, {}).get(value)

"""The audit trail: every create, update and delete of a workspace's rows, written in the
same transaction as the change itself.

A session hook (`after_flush`) looks at what the ORM is about to commit and writes one
`AuditEvent` per changed row of any model that has a `workspace_id`: who (the logged-in
user, or nobody for command-line work), when (UTC), what (table and id), and for updates the
changed fields with old and new values. Long texts are truncated; secrets are never
recorded. Bulk statements (`insert()`/`delete()` executed directly) bypass the ORM and are
not seen by the hook: services that use them call `record` for what they changed. Rows that
the database deletes by cascade (a blueprint's stages and elements, say) are covered by the
event of the row whose deletion cascaded.

The trail sits in `accounts`, below the packages whose rows it records, and imports none of
them: a model says it is machinery, not history, with `__audited__ = False`; a row finds its
blueprint by its `blueprint_id` column or by a finder its package registers at app creation
(`register_blueprint_of`); the packages name the rows the activity feed filters by
(`register_activity_filter`), the fields it shows changed and the words of their coded
values (`accounts.audit_words`, which says a change in the reader's words). See
wsgi.register_audit_trail.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from flask import Flask, current_app, g, has_app_context, has_request_context
from sqlalchemy import ForeignKey, Index, String, Text, event, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from accounts.audit_words import LABEL_COLUMNS, remember_references
from clock import utcnow
from dbtypes import UTCDateTime
from extensions import db

SECRET_FIELDS = {"password_hash", "token", "token_hash", "version"}
# Bookkeeping, not a change anyone made to the workspace: never history.
UNTRACKED_FIELDS = SECRET_FIELDS | {"last_used_at", "graph_version"}
MAX_TEXT = 200


class AuditEvent(db.Model):
    """One change to one row of a workspace, by one user (or the command line), at one time."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # create / update / delete; refused, login_failed (security events)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))  # the table name
    entity_id: Mapped[int | None]
    # The blueprint the row belongs to (the blueprint itself, its stages, elements, links and
    # insights), so a blueprint's history survives the deletion of its parts. No foreign key:
    # the history outlives what it describes.
    blueprint_id: Mapped[int | None]
    label: Mapped[str] = mapped_column(String(200), default="")
    changes: Mapped[str] = mapped_column(Text, default="{}")  # JSON: field → [old, new]

    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id"),
        Index("ix_audit_event_workspace_at", "workspace_id", "at"),
        Index("ix_audit_event_blueprint", "blueprint_id"),
    )

    @property
    def changed(self) -> dict[str, list[Any]]:
        return json.loads(self.changes or "{}")


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + "…"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _label(obj) -> str:
    for name in LABEL_COLUMNS:
        value = getattr(obj, name, None)
        if isinstance(value, str):
            return value[:MAX_TEXT]
    return ""


def _workspace_id(obj) -> int | None:
    if obj.__tablename__ == "workspace":
        return obj.id
    return getattr(obj, "workspace_id", None)


BlueprintOf = Callable[[Session, Any], int | None]
_BLUEPRINT_OF, _FILTERS = "rootline.audit_blueprint_of", "rootline.audit_filters"


def register_blueprint_of(app: Flask, model: type, find: BlueprintOf) -> None:
    """How a `model` row finds the blueprint it belongs to, for rows without a
    `blueprint_id` column: `find(session, row)`, run inside the flush."""
    app.extensions.setdefault(_BLUEPRINT_OF, {})[model] = find


def register_activity_filter(app: Flask, *models: type) -> None:
    """The kinds of row the activity feed offers to filter by, in this order."""
    app.extensions.setdefault(_FILTERS, []).extend(model.__tablename__ for model in models)


def activity_filters() -> list[str]:
    """The table names the activity feed filters by (registered at app creation)."""
    return list(current_app.extensions.get(_FILTERS, []))


def _blueprint_id(session: Session, obj) -> int | None:
    finders = current_app.extensions.get(_BLUEPRINT_OF, {}) if has_app_context() else {}
    find = finders.get(type(obj))
    if find is not None:
        return find(session, obj)
    return getattr(obj, "blueprint_id", None)


def _audited(obj) -> bool:
    return (
        not isinstance(obj, AuditEvent)
        and getattr(obj, "__audited__", True)
        and (hasattr(obj, "workspace_id") or obj.__tablename__ == "workspace")
    )


def _user_id() -> int | None:
    if not has_request_context():  # a job acts for the user who started it (jobs.runner)
        return g.get("acting_user_id") if has_app_context() else None
    from flask_login import current_user

    return current_user.id if current_user and current_user.is_authenticated else None


@event.listens_for(Session, "after_flush")
def record_changes(session: Session, _flush_context) -> None:
    rows = []
    now = utcnow()
    user_id = _user_id()
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not _audited(obj):
                continue
            state = inspect(obj)
            changes: dict[str, list[Any]] = {}
            for attr in state.mapper.column_attrs:
                key = attr.key
                if key in UNTRACKED_FIELDS or any(c.info.get("derived") for c in attr.columns):
                    continue  # worked out from other columns, which the event already shows
                history = state.attrs[key].history
                if action == "create":
                    value = getattr(obj, key, None)
                    if value not in (None, "") and key not in ("id", "workspace_id"):
                        changes[key] = [None, _plain(value)]
                elif action == "update" and history.has_changes():
                    old = history.deleted[0] if history.deleted else None
                    new = history.added[0] if history.added else None
                    if _plain(old) != _plain(new):
                        changes[key] = [_plain(old), _plain(new)]
            if action == "update" and not changes:
                continue
            workspace_id = _workspace_id(obj)
            if workspace_id is None:
                continue
            rows.append(
                {
                    "workspace_id": workspace_id,
                    "user_id": user_id,
                    "at": now,
                    "action": action,
                    "entity": obj.__tablename__,
                    "entity_id": state.identity[0] if state.identity else getattr(obj, "id", None),
                    "blueprint_id": _blueprint_id(session, obj),
                    "label": _label(obj),
                    "changes": json.dumps(changes, ensure_ascii=False),
                }
            )
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)


def _event_row(
    workspace_id: int,
    action: str,
    entity: str,
    entity_id: int | None,
    label: str = "",
    changes: dict[str, list[Any]] | None = None,
    blueprint_id: int | None = None,
    user_id: int | None = None,
) -> dict[str, Any]:
    """One audit_event row made outside the session hook, by `user_id` or whoever is logged
    in, now."""
    return {
        "workspace_id": workspace_id,
        "user_id": user_id if user_id is not None else _user_id(),
        "at": utcnow(),
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "blueprint_id": blueprint_id,
        "label": label[:MAX_TEXT],
        "changes": json.dumps(
            {k: [_plain(o), _plain(n)] for k, (o, n) in (changes or {}).items()},
            ensure_ascii=False,
        ),
    }


def record(
    workspace_id: int,
    action: str,
    entity: str,
    entity_id: int | None,
    label: str = "",
    changes: dict[str, list[Any]] | None = None,
    blueprint_id: int | None = None,
    user_id: int | None = None,
) -> None:
    """An event the session hook cannot see (bulk statements), in the same transaction."""
    db.session.connection().execute(
        insert(AuditEvent.__table__),
        [
            _event_row(
                workspace_id, action, entity, entity_id, label, changes, blueprint_id, user_id
            )
        ],
    )


def record_failed_login(user) -> None:
    """A security event in each workspace of `user`: someone failed to log in as them."""
    from accounts.models import Membership

    for workspace_id in db.session.scalars(
        select(Membership.workspace_id).where(Membership.user_id == user.id)
    ).all():
        record(workspace_id, "login_failed", "user", user.id, user.name)


def _newest_first(*where, limit: int) -> list[tuple[AuditEvent, str | None]]:
    """Events matching `where`, newest first, each with the name of who made it; the rows
    their changes refer to are named for the request (`audit_words.value_word`)."""
    from accounts.models import User

    events = list(
        db.session.execute(
            select(AuditEvent, User.name)
            .outerjoin(User, User.id == AuditEvent.user_id)
            .where(*where)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        ).all()
    )
    remember_references(event for event, _who in events)  # the rows their changes name
    return events


def history(entity: str, entity_id: int, limit: int = 100) -> list[tuple[AuditEvent, str | None]]:
    """The events of one row, newest first, with the name of who made them."""
    return _newest_first(
        AuditEvent.entity == entity, AuditEvent.entity_id == entity_id, limit=limit
    )


def blueprint_history(blueprint_id: int, limit: int = 200) -> list[tuple[AuditEvent, str | None]]:
    """The events of a blueprint and everything in it (stages, elements, links, insights),
    newest first."""
    return _newest_first(AuditEvent.blueprint_id == blueprint_id, limit=limit)


def record_refusal(workspace_id: int, entity: str, entity_id: int | None) -> None:
    """A security event: a member tried a change their role does not allow. Written in a
    transaction of its own, so it stays even though the request ends in a 403."""
    with db.engine.begin() as connection:
        connection.execute(
            insert(AuditEvent.__table__), [_event_row(workspace_id, "refused", entity, entity_id)]
        )


def activity(
    workspace_id: int,
    *,
    user_id: int | None = None,
    entity: str | None = None,
    since: date | None = None,
    zone: tzinfo = UTC,
    limit: int = 200,
) -> list[tuple[AuditEvent, str | None]]:
    """The workspace's events, newest first; `since` a day, from its midnight in `zone`
    (the reader's)."""
    where = [AuditEvent.workspace_id == workspace_id]
    if user_id:
        where.append(AuditEvent.user_id == user_id)
    if entity:
        where.append(AuditEvent.entity == entity)
    if since:
        start = datetime.combine(since, time.min, tzinfo=zone)
        where.append(AuditEvent.at >= start)
    return _newest_first(*where, limit=limit)

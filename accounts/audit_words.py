"""How the activity feed and the histories say a recorded change: a field by the name its
form gives it, each old and new value as the reader's pages write it.

The packages above name their fields (`register_field_words`: "Due date" for `due_on`) and
the words of their coded values (`register_value_words`: "In progress" for a task's
`in_progress`) at app creation. Everything else is read off the models' columns, collected
once per app the first time a value is said: a date column's value reads as a day in the
reader's language ("15 gru 2026"), a time column's as a moment in their zone, a decimal
column's as a number as their language writes it ("2,5"), and a reference (a foreign key)
as the name of the row it points at, "#12" when that row is gone. The column's type
decides, never the look of the text: a title someone typed as "2026-12-01" stays as typed.

A reference is named only by a row of the event's own workspace (a person: a member now,
or one who made a change in the workspace). The history queries (`accounts.audit`) hand
the events they load to `remember_references`, which loads every name those events refer
to in one query per table and keeps them for the request, so a page of events costs the
same few queries however many it shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import Flask, current_app, g
from flask_babel import gettext
from sqlalchemy import Select, Table, or_, select
from sqlalchemy.types import TypeDecorator, TypeEngine

from extensions import db
from web.i18n import format_day, format_number, format_when


def N_(message: str) -> str:
    """Marks `message` for the catalog; it is translated where it is shown."""
    return message


# The fields of this package's rows as the activity feed names them (the packages above
# register theirs the same way, `register_field_words`).
FIELD_WORDS = {
    "name": N_("Name"),
    "email": N_("E-mail"),
    "role": N_("Role"),
    "user_id": N_("User"),
    "membership.user_id": N_("Member"),
    "created_by_id": N_("Created by"),
    "invited_by_id": N_("Invited by"),
    "expires_at": N_("Expires"),
}

# The coded values of this package's rows as the pages say them (the packages above register
# theirs the same way, `register_value_words`), and any yes-or-no field's two values.
VALUE_WORDS = {"role": {"owner": N_("Owner"), "editor": N_("Editor"), "viewer": N_("Viewer")}}
YES_NO = {True: N_("yes"), False: N_("no")}
NOTHING = "—"

_FIELD_WORDS, _VALUE_WORDS = "rootline.audit_field_words", "rootline.audit_value_words"
_COLUMNS, _NAMES = "rootline.audit_columns", "rootline_audit_names"
# What a column holds, as far as saying its recorded values goes.
DAY, MOMENT, NUMBER, REFERENCE = "day", "moment", "number", "reference"
# The columns a row is named by, as its audit label is (`accounts.audit._label`).
LABEL_COLUMNS = ("title", "name", "answer")


def register_field_words(app: Flask, words: Mapping[str, str]) -> None:
    """What the activity feed calls a changed field: its English name (marked `N_` for the
    catalog, translated when shown) by column name (`due_on`), or by `table.column` where
    one kind of row means something of its own by it (`membership.user_id`)."""
    app.extensions.setdefault(_FIELD_WORDS, {}).update(words)
    app.add_template_global(field_word)


def field_word(entity: str, field: str) -> str:
    """A changed field in the reader's language ("Due date", "Termin"); a field nobody named
    reads as words ("review_cadence_days" -> "Review cadence days", "owner_id" -> "Owner")."""
    words = current_app.extensions.get(_FIELD_WORDS, {})
    english = words.get(f"{entity}.{field}") or words.get(field)
    if english:
        return gettext(english)
    plain = field.removesuffix("_id").replace("_", " ").strip() or field
    return plain[:1].upper() + plain[1:]


def register_value_words(app: Flask, words: Mapping[str, Mapping[str, str]]) -> None:
    """What the activity feed calls the stored values of a coded field (an enum's): for each
    column name (`horizon`), or `table.column` where kinds of row code a column each their
    own way (`element.kind`), the English word of each value as the pages say it (marked
    `N_` for the catalog, translated when shown)."""
    app.extensions.setdefault(_VALUE_WORDS, {}).update(words)
    app.add_template_global(value_word)


def value_word(entity: str, field: str, value: Any, workspace_id: int | None = None) -> str:
    """A recorded old or new value of `entity`'s (a table name) `field` as the reader's pages
    say it: a coded value in their words ("W toku" for a task's `in_progress`), yes or no
    for a yes-or-no field, a day, a moment or a number as their language writes it, the row
    a reference points at by its name (among the rows of `workspace_id`, the event's), "—"
    for none or an empty text; what people wrote as they wrote it."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return gettext(YES_NO[value])
    words = current_app.extensions.get(_VALUE_WORDS, {})
    coded = words.get(f"{entity}.{field}") or words.get(field) or {}
    english = coded.get(value) if isinstance(value, str) else None
    if english:
        return gettext(english)
    kind, target = _columns().get((entity, field), (None, None))
    if kind == REFERENCE and isinstance(value, int):
        return _reference_word(workspace_id, target, value)
    return _formatted(kind, value)


def _formatted(kind: str | None, value: Any) -> str:
    try:
        if kind == DAY and isinstance(value, str):
            return format_day(date.fromisoformat(value))
        if kind == MOMENT and isinstance(value, str):
            moment = datetime.fromisoformat(value)
            return format_when(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    except ValueError:  # not what the column holds now (recorded before it changed type)
        return str(value)
    if kind == NUMBER and isinstance(value, int | float | str):
        return str(format_number(value))
    return str(value)


# --- the columns ------------------------------------------------------------------------------


def _python_type(kind: TypeEngine) -> type:
    # A TypeDecorator (dbtypes.UTCDateTime) says `object` itself; the type it stores as knows.
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return object


def _column_kind(column) -> tuple[str, str | None] | None:
    targets = {key.column.table.name for key in getattr(column, "foreign_keys", ())}
    if len(targets) == 1:
        return REFERENCE, targets.pop()
    held = _python_type(column.type)
    if issubclass(held, datetime):  # before date: a datetime is a date too
        return MOMENT, None
    if issubclass(held, date):
        return DAY, None
    if issubclass(held, float | Decimal):
        return NUMBER, None
    return None


def _columns() -> dict[tuple[str, str], tuple[str, str | None]]:
    """(table, field) -> what its values are, for every mapped column that is a day, a
    moment, a decimal number or a reference; collected from the models once per app."""
    found = current_app.extensions.get(_COLUMNS)
    if found is None:
        found = {}
        for mapper in db.Model.registry.mappers:
            table = getattr(mapper.class_, "__tablename__", None)
            for attr in mapper.column_attrs if table else ():
                kind = _column_kind(attr.columns[0])
                if kind:
                    found[(table, attr.key)] = kind
        current_app.extensions[_COLUMNS] = found
    return found


# --- the rows references point at ----------------------------------------------------------


def _names() -> dict[tuple[int | None, str, int], str | None]:
    """(workspace, table, id) -> the row's name, None when it is gone or not the
    workspace's: what this request has looked up."""
    return g.setdefault(_NAMES, {})


def remember_references(events: Iterable[Any]) -> None:
    """Load the names of every row that the changes of `events` (AuditEvents) refer to, in
    one query per (workspace, table), for `value_word` to say them."""
    columns = _columns()
    wanted: dict[tuple[int | None, str], set[int]] = defaultdict(set)
    for event in events:
        if event.action != "update":  # the feed and the histories show an update's values
            continue
        for field, values in event.changed.items():
            kind, target = columns.get((event.entity, field), (None, None))
            if kind == REFERENCE and isinstance(values, list):
                wanted[(event.workspace_id, target)].update(
                    v for v in values if isinstance(v, int) and not isinstance(v, bool)
                )
    _load(wanted)


def _reference_word(workspace_id: int | None, table: str, row_id: int) -> str:
    key = (workspace_id, table, row_id)
    if key not in _names():  # an event the history queries did not load: on its own
        _load({(workspace_id, table): {row_id}})
    return _names().get(key) or f"#{row_id}"


def _load(wanted: Mapping[tuple[int | None, str], set[int]]) -> None:
    names = _names()
    for (workspace_id, table), ids in wanted.items():
        ids = {row_id for row_id in ids if (workspace_id, table, row_id) not in names}
        if not ids:
            continue
        names.update(((workspace_id, table, row_id), None) for row_id in ids)
        query = _names_query(table, workspace_id, ids) if workspace_id is not None else None
        if query is not None:
            for row_id, name in db.session.execute(query):
                names[(workspace_id, table, row_id)] = name or None


def _names_query(table_name: str, workspace_id: int, ids: set[int]) -> Select | None:
    """The ids and names of the rows `ids` of `table_name` that belong to the workspace;
    None for a table whose rows have no name or cannot be told to be the workspace's."""
    from accounts.audit import AuditEvent
    from accounts.models import Membership, User

    if table_name == User.__tablename__:  # a member now, or one who changed something here
        return select(User.id, User.name).where(
            User.id.in_(ids),
            or_(
                select(Membership.id)
                .where(Membership.user_id == User.id, Membership.workspace_id == workspace_id)
                .exists(),
                select(AuditEvent.id)
                .where(AuditEvent.user_id == User.id, AuditEvent.workspace_id == workspace_id)
                .exists(),
            ),
        )
    table: Table | None = db.metadata.tables.get(table_name)
    if table is None or "id" not in table.c:
        return None
    label = next((table.c[name] for name in LABEL_COLUMNS if name in table.c), None)
    if label is None:
        return None
    query = select(table.c.id, label).where(table.c.id.in_(ids))
    if table_name == "workspace":
        return query.where(table.c.id == workspace_id)
    if "workspace_id" in table.c:
        return query.where(table.c.workspace_id == workspace_id)
    return None

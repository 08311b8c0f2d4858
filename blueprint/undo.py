"""Undo on the board. Every change made on the board is written down as a `BoardChange`: the
sentence its notice shows, and the steps that undo it, as JSON. The notice's Undo button
and Ctrl+Z (the user's latest change on that board) run those steps, in order, in one
transaction, through the session, so the audit trail records the undoing like any change.

Each step finds its rows as the change left them or refuses (`UndoRefused`, nothing is
undone): a field someone changed since is never overwritten. Positions are the exception:
they are put back as they were without asking, since moving any card renumbers its
neighbours. A step whose goal is already reached (a link to remove that is gone) passes.

A deleted step comes back whole: its row with its own id, its links, its place in the lane,
and what other packages kept at it (insights, task targets, confirmed causes; see
blueprint.extension_points), which is why deleting on the board keeps them detached.

Steps, by their "do":
- ``remove_element`` / ``remove_stage`` / ``remove_link``: undo an add;
- ``remove_catalog``: a person or system created for a link, if nothing else uses it;
- ``fields``: put columns back (`before`) where they still are as the change left them
  (`after`);
- ``positions``: put positions back;
- ``restore_link`` / ``restore_element``: undo an unlink or a delete.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from blueprint.extension_points import restore_dependents, snapshot_dependents
from blueprint.models import BoardChange, Element, Link, ServiceBlueprint, Stage
from blueprint.services import BlueprintError, delete_element
from clock import utcnow
from extensions import db

KEPT_FOR = timedelta(days=1)
MODELS: dict[str, type] = {"element": Element, "stage": Stage, "link": Link}
UNCHECKED = {"position"}  # renumbered by neighbours' moves: put back, never compared


class UndoRefused(BlueprintError):
    """The change cannot be undone as it stands; the message says why."""


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def columns(row: Any, names: Iterable[str] | None = None) -> dict[str, Any]:
    """`row`'s columns as JSON-ready values (enums by value), without its version."""
    wanted = set(names) if names is not None else None
    return {
        c.key: _plain(getattr(row, c.key))
        for c in type(row).__table__.columns
        if c.key != "version" and (wanted is None or c.key in wanted)
    }


def _typed(model: type, values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        enum_class = getattr(model.__table__.columns[key].type, "enum_class", None)
        out[key] = enum_class(value) if enum_class is not None and value is not None else value
    return out


def _name(row: Any) -> str:
    return getattr(row, "title", None) or getattr(row, "name", None) or "it"


# --- writing a change down ---------------------------------------------------------------


def record(
    blueprint: ServiceBlueprint, user_id: int, summary: str, steps: list[dict]
) -> BoardChange:
    change = BoardChange(
        workspace_id=blueprint.workspace_id,
        blueprint_id=blueprint.id,
        user_id=user_id,
        summary=summary[:300],
        steps=json.dumps(steps, ensure_ascii=False),
    )
    db.session.add(change)
    db.session.flush()
    return change


def remove(row: Element | Stage | Link) -> dict:
    """Undo an add of `row` (taken right after the add)."""
    kind = type(row).__tablename__
    return {"do": f"remove_{kind}", "id": row.id, "after": columns(row)}


def remove_catalog(element: Element) -> dict:
    return {"do": "remove_catalog", "id": element.id}


def fields(row: Any, before: dict[str, Any]) -> dict:
    """Undo a change of `row`'s columns: `before` as they were (take it with `columns`
    before the change, build this step after it)."""
    return {
        "do": "fields",
        "model": type(row).__tablename__,
        "id": row.id,
        "before": before,
        "after": columns(row, before),
    }


def positions(rows: Iterable[Element | Stage]) -> dict:
    """The positions of `rows` as they are now (before the change), to put back."""
    rows = list(rows)
    model = type(rows[0]).__tablename__ if rows else "element"
    return {"do": "positions", "model": model, "items": [[r.id, r.position] for r in rows]}


def restore_link(link: Link) -> dict:
    return {"do": "restore_link", "row": columns(link)}


def restore_element(element: Element, lane: list[Element]) -> dict:
    """Undo the delete of `element` (taken before it): its row, links, place in the lane
    and what other packages keep at it."""
    links = db.session.scalars(
        select(Link).where(or_(Link.source_id == element.id, Link.target_id == element.id))
    ).all()
    return {
        "do": "restore_element",
        "row": columns(element),
        "links": [columns(link) for link in links],
        "positions": [[e.id, e.position] for e in lane],
        "dependents": snapshot_dependents([element.id]),
    }


# --- finding and undoing -----------------------------------------------------------------


def latest(blueprint_id: int, user_id: int) -> BoardChange | None:
    """The user's latest change on this board that is not undone yet (within a day)."""
    return db.session.scalar(
        select(BoardChange)
        .where(
            BoardChange.blueprint_id == blueprint_id,
            BoardChange.user_id == user_id,
            BoardChange.undone_at.is_(None),
            BoardChange.created_at > utcnow() - KEPT_FOR,
        )
        .order_by(BoardChange.id.desc())
        .limit(1)
    )


def undo(change: BoardChange) -> None:
    """Run the change's undo steps; `UndoRefused` (and nothing done: the caller rolls back)
    when a row is no longer as the change left it."""
    if change.undone_at is not None:
        raise UndoRefused(_("That change is undone already."))
    for step in json.loads(change.steps):
        _STEPS[step["do"]](change, step)
    change.undone_at = utcnow()
    db.session.flush()


def _get(change: BoardChange, model: type, row_id: int):
    row = db.session.get(model, row_id)
    if row is None or row.workspace_id != change.workspace_id:
        return None
    return row


def _unchanged(row: Any, after: dict[str, Any]) -> None:
    now = columns(row, after)
    changed = [k for k, v in after.items() if k not in UNCHECKED and now.get(k) != v]
    if changed:
        raise UndoRefused(
            _(
                "“%(title)s” was changed since (by you or someone else); undo that first, "
                "or change it back by hand.",
                title=_name(row),
            )
        )


def _remove_element(change: BoardChange, step: dict) -> None:
    element = _get(change, Element, step["id"])
    if element is None:
        return
    _unchanged(element, step["after"])
    linked = db.session.scalar(
        select(Link.id).where(or_(Link.source_id == element.id, Link.target_id == element.id))
    )
    if linked is not None:
        raise UndoRefused(
            _(
                "“%(title)s” has links since it was added; remove them first, or delete "
                "the step from its card.",
                title=element.title,
            )
        )
    delete_element(element, keep_dependents=True)


def _remove_stage(change: BoardChange, step: dict) -> None:
    stage = _get(change, Stage, step["id"])
    if stage is None:
        return
    _unchanged(stage, step["after"])
    if db.session.scalar(select(Element.id).where(Element.stage_id == stage.id)) is not None:
        raise UndoRefused(_("Stage “%(name)s” has steps since it was added.", name=stage.name))
    db.session.delete(stage)  # it was added last: the others keep their places
    db.session.flush()


def _remove_link(change: BoardChange, step: dict) -> None:
    link = _get(change, Link, step["id"])
    if link is None:
        return
    _unchanged(link, step["after"])
    db.session.delete(link)
    db.session.flush()


def _remove_catalog(change: BoardChange, step: dict) -> None:
    element = _get(change, Element, step["id"])
    if element is None:
        return
    linked = db.session.scalar(
        select(Link.id).where(or_(Link.source_id == element.id, Link.target_id == element.id))
    )
    if linked is None:  # used by nothing else since: it goes with the link it was made for
        delete_element(element, keep_dependents=True)


def _fields(change: BoardChange, step: dict) -> None:
    model = MODELS[step["model"]]
    row = _get(change, model, step["id"])
    if row is None:
        raise UndoRefused(_("What that change touched was deleted since."))
    _unchanged(row, step["after"])
    for key, value in _typed(model, step["before"]).items():
        setattr(row, key, value)
    db.session.flush()


def _positions(change: BoardChange, step: dict) -> None:
    model = MODELS[step["model"]]
    for row_id, position in step["items"]:
        row = _get(change, model, row_id)
        if row is not None and row.position != position:
            row.position = position
    db.session.flush()


def _put_link(change: BoardChange, row: dict) -> bool:
    """Recreate a link (its own id where free) unless an end is gone or it exists again."""
    ends = [_get(change, Element, row["source_id"]), _get(change, Element, row["target_id"])]
    if None in ends:
        return False
    again = db.session.scalar(
        select(Link.id).where(
            Link.source_id == row["source_id"],
            Link.target_id == row["target_id"],
            Link.kind == row["kind"],
        )
    )
    if again is None:
        values = _typed(Link, row)
        if db.session.get(Link, row["id"]) is not None:
            values.pop("id")
        db.session.add(Link(**values))
        db.session.flush()
    return True


def _restore_link(change: BoardChange, step: dict) -> None:
    if not _put_link(change, step["row"]):
        raise UndoRefused(_("One end of that link was deleted since."))


def _restore_element(change: BoardChange, step: dict) -> None:
    row = dict(step["row"])
    if db.session.get(Element, row["id"]) is not None:
        return
    if _get(change, Stage, row["stage_id"]) is None:
        raise UndoRefused(_("The stage of “%(title)s” was deleted since.", title=row["title"]))
    if row.get("end_stage_id") and _get(change, Stage, row["end_stage_id"]) is None:
        row["end_stage_id"] = None
    db.session.add(Element(**_typed(Element, row)))
    db.session.flush()
    for link in step["links"]:
        _put_link(change, link)
    _positions(change, {"model": "element", "items": step["positions"]})
    restore_dependents(step["dependents"])


_STEPS = {
    "remove_element": _remove_element,
    "remove_stage": _remove_stage,
    "remove_link": _remove_link,
    "remove_catalog": _remove_catalog,
    "fields": _fields,
    "positions": _positions,
    "restore_link": _restore_link,
    "restore_element": _restore_element,
}


def forget_old_changes() -> None:
    """Changes older than a day can no longer be undone (the sweep, every minute)."""
    db.session.execute(delete(BoardChange).where(BoardChange.created_at < utcnow() - KEPT_FOR))

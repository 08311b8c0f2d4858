"""Import an edited action plan back: preview every change and problem against the
database, apply all or nothing. Reading the file is backlog/plan_file.py's (pure).

Every column a user may change is compared with the app (plan_file.EDITABLE: Task, Status,
Owner, Team, Due, Horizon, MoSCoW, Pinned, Impact, Effort, every framework's inputs and
Description). A value that shows what the app holds is never a change and never a problem,
whatever the spreadsheet did to it on the way: line endings are compared as line feeds
(Excel and LibreOffice turn a carriage return into one), numbers to 15 significant digits
(what LibreOffice keeps), a date cell read as a datetime at midnight is that date, and the
task's current owner is recognised by name or e-mail even after leaving the workspace.
Rules (lengths, ranges, members) are checked on the values that change. Rows are matched by
Task ID; a row whose Version is older than the task's is a conflict (someone changed the task
in the app since the export) and blocks the import.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from accounts.models import Membership, User
from backlog import services
from backlog.models import Horizon, ImprovementTask, MoSCoW, TaskStatus
from backlog.plan_file import (  # noqa: F401 (the reading half, used through this module)
    EDITABLE,
    MAX_COLUMNS,
    MAX_ROWS,
    RowUpdate,
    check_structure,
    from_payload,
    read_rows,
    to_payload,
)
from blueprint.services import BlueprintError, check_title
from extensions import db
from workbooks.problems import Problem

DESCRIPTION_MAX, TEAM_MAX = 10_000, 120  # as the task form allows
YES, NO = {"yes", "y", "true", "1", "x", "pinned"}, {"no", "n", "false", "0", ""}


@dataclass
class TaskChange:
    task: ImprovementTask
    changes: list[tuple[str, Any, Any]]  # field label, old, new
    values: dict[str, Any] = field(default_factory=dict)  # field → new value (typed)


@dataclass
class Preview:
    changes: list[TaskChange]
    problems: list[Problem]
    rows: int

    @property
    def can_apply(self) -> bool:
        return not self.problems and bool(self.changes)


LABELS = {v: k for k, v in EDITABLE.items()}


class Refused(ValueError):
    """A cell that cannot be used; the message says why, in the user's words."""


def _lf(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: Any) -> str:
    """A cell as the text it shows, line endings as line feeds."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    return _lf(str(value))


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise Refused(f"{value} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value).strip()
        try:
            number = float(text)
        except ValueError:
            raise Refused(f"{_shorten(text)!r} is not a number") from None
    if not math.isfinite(number):
        raise Refused("must be a finite number")
    return number


def _choice(enum, value: Any, what: str, required: bool = False):
    text = _text(value).strip().lower()
    if not text and not required:
        return None
    known = {e.label.lower(): e for e in enum} | {e.value: e for e in enum}
    if enum is MoSCoW:
        known["won't"] = known["won’t"] = MoSCoW.WONT
    if text not in known:
        raise Refused(f"{_shorten(_text(value).strip())!r} is not {what}")
    return known[text]


def _due(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        raise Refused(f"{value:%H:%M} is a time of day, not a date")
    if isinstance(value, timedelta):
        raise Refused("is a duration, not a date")
    text = _text(value).strip()
    for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date()):
        try:
            return parse(text)
        except ValueError:
            pass
    raise Refused(f"{_shorten(text)!r} is not a date (use a date cell, or write 2027-01-15)")


def _pinned(value: Any) -> bool:
    text = _text(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise Refused(f"{_shorten(text)!r} is not yes or no")


def _owner(value: Any, current: int | None, people: dict[str, set[int]], members) -> int | None:
    text = _text(value).strip().lower()
    if not text:
        return None
    ids = people.get(text, set())
    if current in ids:
        return current  # still the task's owner (a member or not)
    members = ids & members
    if not members:
        raise Refused(f"{_shorten(_text(value).strip())!r} is not a member of this workspace")
    if len(members) > 1:
        raise Refused(f"{_shorten(_text(value).strip())!r} names several members: use the e-mail")
    return next(iter(members))


def _read(name: str, value: Any, task: ImprovementTask, people, members) -> Any:
    """The cell as the task field's value (types and choices only; rules come later)."""
    if name in ("title", "team", "description"):
        return _text(value)
    if name == "status":
        return _choice(TaskStatus, value, "a status", required=True)
    if name == "horizon":
        return _choice(Horizon, value, "a horizon")
    if name == "moscow":
        return _choice(MoSCoW, value, "a MoSCoW priority (Must, Should, Could, Won't)")
    if name == "owner_id":
        return _owner(value, task.owner_id, people, members)
    if name == "due_on":
        return _due(value)
    if name == "pinned":
        return _pinned(value)
    if name in ("impact", "effort"):
        number = _number(value)
        if not number.is_integer() or not 1 <= number <= 5:
            raise Refused("must be a whole number from 1 to 5")
        return int(number)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _number(value)
    if name.startswith("ice_"):
        if not number.is_integer():
            raise Refused("must be a whole number from 1 to 10")
        return int(number)
    return number


def _same(name: str, old: Any, new: Any) -> bool:
    if name in ("title", "team", "description"):
        old, new = _lf(old), _lf(new)
        return old.strip() == new.strip() if name == "title" else old == new
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-14)
    return old == new


def _check(name: str, value: Any) -> Any:
    """The rules of a changed value (the task form's); returns the value to save."""
    try:
        if name == "title":
            return check_title(value)
    except BlueprintError as exc:
        raise Refused(exc.message) from None
    if name == "team" and len(value) > TEAM_MAX:
        raise Refused(f"at most {TEAM_MAX} characters")
    if name == "description" and len(value) > DESCRIPTION_MAX:
        raise Refused(f"at most {DESCRIPTION_MAX:,} characters")
    return value


def _shown(field_name: str, value, names: dict[int, str]):
    if field_name == "owner_id":
        return names.get(value, value)
    if field_name == "pinned":
        return "yes" if value else "no"
    if hasattr(value, "label"):
        return value.label
    return _shorten(value, 300) if isinstance(value, str) else value


def _whole(value: Any) -> int:
    """A Task ID or Version cell as a whole number (ValueError when it is none)."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    number = value if isinstance(value, int) else float(_text(value).strip() or "x")
    if isinstance(number, float) and not (math.isfinite(number) and number.is_integer()):
        raise ValueError(value)
    number = int(number)
    if not 0 < number < 2**63:
        raise ValueError(value)
    return number


def preview(workspace_id: int, rows: list[RowUpdate]) -> Preview:
    people: dict[str, set[int]] = {}  # a name or e-mail, lower case → users
    names: dict[int, str] = {}

    def know(user_id: int, name: str, email: str) -> None:
        people.setdefault(name.strip().lower(), set()).add(user_id)
        people.setdefault(email.lower(), set()).add(user_id)
        names[user_id] = name

    for user_id, name, email in db.session.execute(
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
    ):
        know(user_id, name, email)
    members = set(names)
    tasks = {
        t.id: t
        for t in db.session.scalars(
            select(ImprovementTask).where(ImprovementTask.workspace_id == workspace_id)
        )
    }
    left = {t.owner_id for t in tasks.values() if t.owner_id and t.owner_id not in members}
    if left:  # owners who left the workspace are still recognised as the task's owner
        for user_id, name, email in db.session.execute(
            select(User.id, User.name, User.email).where(User.id.in_(left))
        ):
            know(user_id, name, email)
    problems: list[Problem] = []
    changes: list[TaskChange] = []
    seen: set[int] = set()
    for update in rows:
        try:
            task_id = _whole(update.task_id)
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    "Action plan",
                    update.row,
                    "Task ID",
                    "no task id: only tasks exported by Rootline can be updated"
                    if update.task_id in (None, "")
                    else f"{_shorten(_text(update.task_id))!r} is not a task id",
                )
            )
            continue
        task = tasks.get(task_id)
        if task is None:
            problems.append(
                Problem("Action plan", update.row, "Task ID", f"unknown task {task_id}")
            )
            continue
        if task_id in seen:
            problems.append(
                Problem("Action plan", update.row, "Task ID", f"task {task_id} appears twice")
            )
            continue
        seen.add(task_id)
        diff: dict[str, Any] = {}
        refused = False
        for name, value in update.values.items():
            try:
                new = _read(name, value, task, people, members)
                if not _same(name, getattr(task, name), new):
                    diff[name] = _check(name, new)
            except Refused as exc:
                problems.append(Problem("Action plan", update.row, LABELS[name], str(exc)))
                refused = True
        if refused or not diff:
            continue
        try:
            version = _whole(update.version)
        except (TypeError, ValueError):
            version = None
        if version != task.version:
            problems.append(
                Problem(
                    "Action plan",
                    update.row,
                    "Version",
                    f"{task.title} was changed in Rootline since the export "
                    "(conflict): export again and redo the change",
                )
            )
            continue
        try:
            services.check_task_inputs(
                {**{f: getattr(task, f) for f in services.TASK_FIELDS}, **diff}
            )
        except services.BacklogError as exc:
            problems.append(
                Problem("Action plan", update.row, LABELS.get(exc.field, exc.field), exc.message)
            )
            continue
        changes.append(
            TaskChange(
                task,
                [
                    (LABELS[f], _shown(f, getattr(task, f), names), _shown(f, v, names))
                    for f, v in diff.items()
                ],
                diff,
            )
        )
    return Preview(changes, problems, len(rows))


def apply(result: Preview) -> int:
    """Write every change; the caller commits only when this returns (all or nothing)."""
    for change in result.changes:
        for field_name, value in change.values.items():
            setattr(change.task, field_name, value)
    db.session.flush()
    return len(result.changes)

"""Import an edited action plan back: read the workbook (pure), preview every change and
problem against the database, apply all or nothing.

Updatable columns: Status, Owner (a member's name or e-mail), Team, Due, Horizon, Impact,
Effort and the framework input columns the export wrote. Rows are matched by Task ID; a
row whose Version is older than the task's is a conflict (someone changed the task in the
app since the export) and blocks the import.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import Membership, User
from backlog import services
from backlog.models import Horizon, ImprovementTask, TaskStatus
from backlog.workbook import INPUT_HEADERS
from blueprint.workbook import Problem
from extensions import db

MAX_ROWS, MAX_COLUMNS = 20_000, 40
HEADER_FIELDS = {
    "Status": "status",
    "Owner": "owner_id",
    "Team": "team",
    "Due": "due_on",
    "Horizon": "horizon",
    "Impact": "impact",
    "Effort": "effort",
}
INPUT_FIELDS = {
    "RICE reach": "reach",
    "RICE impact": "rice_impact",
    "RICE confidence": "confidence",
    "RICE effort (person-months)": "effort_months",
    "ICE impact": "ice_impact",
    "ICE confidence": "ice_confidence",
    "ICE ease": "ice_ease",
    "Business value": "business_value",
    "Time criticality": "time_criticality",
    "Risk reduction": "risk_reduction",
    "Job size": "job_size",
}
assert set(INPUT_FIELDS) == {h for hs in INPUT_HEADERS.values() for h in hs}


@dataclass
class RowUpdate:
    row: int
    task_id: Any
    version: Any
    values: dict[str, Any]  # raw cell values keyed by task field


def check_structure(content: bytes) -> list[Problem]:
    """Pure and quick (the header row only): whether `content` is an action plan at all."""
    return read_rows(content, header_only=True)[1]


def read_rows(
    content: bytes,
    progress: Callable[[int, int, str], None] | None = None,
    header_only: bool = False,
) -> tuple[list[RowUpdate], list[Problem]]:
    """Pure: the Action plan sheet's rows, raw. Problems name sheet, row and column.
    `progress(row, rows, step)` hears as rows are read."""
    try:
        # data_only=False: a formula someone typed is read as its text, never evaluated
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:
        return [], [Problem("workbook", None, None, "the file cannot be read as a workbook")]
    try:
        if "Action plan" not in wb.sheetnames:
            return [], [Problem("Action plan", None, None, "the sheet is missing")]
        rows = wb["Action plan"].iter_rows(
            max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True
        )
        header = [str(h).strip() if h is not None else "" for h in (next(rows, None) or ())]
        missing = [h for h in ("Task ID", "Version") if h not in header]
        if missing:
            return [], [
                Problem(
                    "Action plan",
                    1,
                    None,
                    f"missing column(s): {', '.join(missing)} — import a "
                    "workbook exported by Rootline",
                )
            ]
        if header_only:
            return [], []
        columns = {**HEADER_FIELDS, **INPUT_FIELDS}
        index = {columns[h]: i for i, h in enumerate(header) if h in columns}
        out = []
        # rows below the header, when the file says (Excel and LibreOffice do); else unknown: 0
        total = max(min(wb["Action plan"].max_row or 0, MAX_ROWS + 1) - 1, 0)
        for number, row in enumerate(rows, start=2):
            if progress:
                progress(number - 1, total, "Reading rows")
            if row is None or all(v in (None, "") for v in row):
                continue
            padded = list(row) + [None] * (len(header) - len(row))
            out.append(
                RowUpdate(
                    number,
                    padded[header.index("Task ID")],
                    padded[header.index("Version")],
                    {f: padded[i] for f, i in index.items()},
                )
            )
        return out, []
    finally:
        wb.close()


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


LABELS = {
    "status": "Status",
    "owner_id": "Owner",
    "team": "Team",
    "due_on": "Due",
    "horizon": "Horizon",
    "impact": "Impact",
    "effort": "Effort",
    **{v: k for k, v in INPUT_FIELDS.items()},
}


def _typed(field_name, value, members, row, problems):
    col = LABELS[field_name]
    text = "" if value is None else str(value).strip()
    try:
        if field_name == "status":
            by_label = {s.label.lower(): s for s in TaskStatus} | {s.value: s for s in TaskStatus}
            if text.lower() not in by_label:
                raise ValueError(f"{text!r} is not a status")
            return by_label[text.lower()]
        if field_name == "horizon":
            if not text:
                return None
            by_label = {h.label.lower(): h for h in Horizon} | {h.value: h for h in Horizon}
            if text.lower() not in by_label:
                raise ValueError(f"{text!r} is not a horizon")
            return by_label[text.lower()]
        if field_name == "owner_id":
            if not text:
                return None
            if text.lower() not in members:
                raise ValueError(f"{text!r} is not a member of this workspace")
            return members[text.lower()]
        if field_name == "team":
            if len(text) > 120:
                raise ValueError("at most 120 characters")
            return text
        if field_name == "due_on":
            if value in (None, ""):
                return None
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            return date.fromisoformat(text)
        if field_name in ("impact", "effort"):
            number = float(text)
            if not number.is_integer() or not 1 <= number <= 5:
                raise ValueError("must be a whole number from 1 to 5")
            return int(number)
        if value in (None, ""):
            return None
        number = float(text)
        return int(number) if field_name.startswith("ice_") and number.is_integer() else number
    except ValueError as exc:
        message = (
            str(exc)
            if "is not" in str(exc) or "must" in str(exc) or "at most" in str(exc)
            else f"{text!r} is not valid here"
        )
        problems.append(Problem("Action plan", row, col, message))
        return _INVALID


_INVALID = object()


def _shown(field_name: str, value, names: dict[int, str]):
    if field_name == "owner_id":
        return names.get(value, value)
    return value.label if hasattr(value, "label") else value


def preview(workspace_id: int, rows: list[RowUpdate]) -> Preview:
    members: dict[str, int] = {}
    names: dict[int, str] = {}
    for user_id, name, email in db.session.execute(
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
    ):
        members[name.lower()] = user_id
        members[email.lower()] = user_id
        names[user_id] = name
    tasks = {
        t.id: t
        for t in db.session.scalars(
            select(ImprovementTask).where(ImprovementTask.workspace_id == workspace_id)
        )
    }
    problems: list[Problem] = []
    changes: list[TaskChange] = []
    seen: set[int] = set()
    for update in rows:
        try:
            task_id, version = int(update.task_id), int(update.version)
        except (TypeError, ValueError):
            problems.append(
                Problem(
                    "Action plan",
                    update.row,
                    "Task ID",
                    "no task id: only tasks exported by Rootline can be updated",
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
        values = {f: _typed(f, v, members, update.row, problems) for f, v in update.values.items()}
        if any(v is _INVALID for v in values.values()):
            continue
        diff = {f: v for f, v in values.items() if getattr(task, f) != v}
        if not diff:
            continue
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


def _tagged(value: Any) -> Any:
    """A cell value as JSON that comes back as the same value and type: dates, datetimes,
    times of day and durations are tagged, as are numbers JSON has no word for."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"duration": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, float) and not math.isfinite(value):
        return {"number": repr(value)}  # 'inf', '-inf', 'nan'
    return value


_UNTAG = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "duration": lambda parts: timedelta(*parts),
    "number": float,
}


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        ((tag, plain),) = value.items()
        return _UNTAG[tag](plain)
    return value


def to_payload(rows: list[RowUpdate]) -> str:
    """The rows as read, kept for the preview and the apply: `from_payload` gives back the
    same values with the same types (a date cell stays a datetime, never a string)."""
    return json.dumps(
        [
            {
                "row": r.row,
                "task_id": _tagged(r.task_id),
                "version": _tagged(r.version),
                "values": {k: _tagged(v) for k, v in r.values.items()},
            }
            for r in rows
        ]
    )


def from_payload(payload: str) -> list[RowUpdate]:
    return [
        RowUpdate(
            d["row"],
            _untagged(d["task_id"]),
            _untagged(d["version"]),
            {k: _untagged(v) for k, v in d["values"].items()},
        )
        for d in json.loads(payload)
    ]


def apply(result: Preview) -> int:
    """Write every change; the caller commits only when this returns (all or nothing)."""
    for change in result.changes:
        for field_name, value in change.values.items():
            setattr(change.task, field_name, value)
    db.session.flush()
    return len(result.changes)

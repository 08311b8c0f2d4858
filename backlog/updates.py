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

Headers and words are read in any language Rootline writes, mixed as they come (a plan
exported in Polish and edited in English: "W toku" and "In progress" are both a status);
changes and problems are said in the reader's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.models import Membership, User
from backlog import plan_file, services
from backlog.models import Horizon, ImprovementTask, MoSCoW, TaskStatus
from backlog.plan_file import (  # noqa: F401 (the reading half, used through this module)
    EDITABLE,
    MAX_COLUMNS,
    MAX_ROWS,
    RowUpdate,
    from_payload,
    to_payload,
)
from backlog.workbook import NO as NO_WORD
from backlog.workbook import PLAN_SHEET
from backlog.workbook import YES as YES_WORD
from blueprint.services import BlueprintError, check_title
from extensions import db
from web.workbook_words import workbook_words
from workbooks.problems import Problem
from workbooks.words import Words, fold

DESCRIPTION_MAX, TEAM_MAX = 10_000, 120  # as the task form allows
YES, NO = {"yes", "y", "true", "1", "x", "pinned"}, {"no", "n", "false", "0", ""}


def check_structure(content: bytes) -> list[Problem]:
    """Quick (the header row only): whether `content` is an action plan at all, in any
    language; problems in the user's."""
    return plan_file.check_structure(content, workbook_words())


def read_rows(content: bytes, progress=None) -> tuple[list[RowUpdate], list[Problem]]:
    """The uploaded plan's rows (backlog/plan_file.py), its headers in any language."""
    return plan_file.read_rows(content, progress, words=workbook_words())


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
TASK_ID, VERSION = "Task ID", "Version"  # headers, said in the reader's language


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


def _quoted(text: str) -> str:
    return repr(_shorten(text))


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise Refused(_("%(value)s is not a number", value=value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value).strip()
        try:
            number = float(text)
        except ValueError:
            raise Refused(_("%(value)s is not a number", value=_quoted(text))) from None
    if not math.isfinite(number):
        raise Refused(_("must be a finite number"))
    return number


def _choice(enum, value: Any, words: Words):
    """The member `value` names: its code, or its label in any language, any case."""
    text = fold(_text(value))
    if not text:
        return None
    known = {k: enum(e.value) for e in enum for k in words.lookup([e.english]) if k}
    known |= {e.value: e for e in enum}
    if enum is MoSCoW:
        known["won't"] = known["won’t"] = MoSCoW.WONT
    return known.get(text)


def _choose(enum, value: Any, words: Words, refused: str, required: bool = False):
    found = _choice(enum, value, words)
    if found is None and (required or fold(_text(value))):
        raise Refused(refused % {"value": _quoted(_text(value).strip())})
    return found


def _due(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, time):
        raise Refused(_("%(time)s is a time of day, not a date", time=value.strftime("%H:%M")))
    if isinstance(value, timedelta):
        raise Refused(_("is a duration, not a date"))
    text = _text(value).strip()
    for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date()):
        try:
            return parse(text)
        except ValueError:
            pass
    raise Refused(
        _("%(value)s is not a date (use a date cell, or write 2027-01-15)", value=_quoted(text))
    )


def _pinned(value: Any, words: Words) -> bool:
    text = fold(_text(value))
    if text in YES or text in words.lookup([YES_WORD]):
        return True
    if text in NO or text in words.lookup([NO_WORD]):
        return False
    raise Refused(_("%(value)s is not yes or no", value=_quoted(text)))


def _owner(value: Any, current: int | None, people: dict[str, set[int]], members) -> int | None:
    text = _text(value).strip().lower()
    if not text:
        return None
    ids = people.get(text, set())
    if current in ids:
        return current  # still the task's owner (a member or not)
    members = ids & members
    shown = _quoted(_text(value).strip())
    if not members:
        raise Refused(_("%(value)s is not a member of this workspace", value=shown))
    if len(members) > 1:
        raise Refused(_("%(value)s names several members: use the e-mail", value=shown))
    return next(iter(members))


def _read(name: str, value: Any, task: ImprovementTask, people, members, words: Words) -> Any:
    """The cell as the task field's value (types and choices only; rules come later)."""
    if name in ("title", "team", "description"):
        return _text(value)
    if name == "status":
        return _choose(TaskStatus, value, words, _("%(value)s is not a status"), required=True)
    if name == "horizon":
        return _choose(Horizon, value, words, _("%(value)s is not a horizon"))
    if name == "moscow":
        refused = _("%(value)s is not a MoSCoW priority (Must, Should, Could, Won't)")
        return _choose(MoSCoW, value, words, refused)
    if name == "owner_id":
        return _owner(value, task.owner_id, people, members)
    if name == "due_on":
        return _due(value)
    if name == "pinned":
        return _pinned(value, words)
    if name in ("impact", "effort"):
        number = _number(value)
        if not number.is_integer() or not 1 <= number <= 5:
            raise Refused(_("must be a whole number from 1 to 5"))
        return int(number)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number = _number(value)
    if name.startswith("ice_"):
        if not number.is_integer():
            raise Refused(_("must be a whole number from 1 to 10"))
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
        raise Refused(_("at most %(n)s characters", n=format_decimal(TEAM_MAX)))
    if name == "description" and len(value) > DESCRIPTION_MAX:
        raise Refused(_("at most %(n)s characters", n=format_decimal(DESCRIPTION_MAX)))
    return value


def _shown(field_name: str, value, names: dict[int, str], words: Words):
    if field_name == "owner_id":
        return names.get(value, value)
    if field_name == "pinned":
        return words(YES_WORD if value else NO_WORD)
    if hasattr(value, "label"):
        return words(value.label)
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


def preview(workspace_id: int, rows: list[RowUpdate], words: Words | None = None) -> Preview:
    """Every change and problem of `rows` against the backlog, said in the language of
    `words` (default: the user's, or the job's)."""
    words = words or workbook_words()
    sheet = words(PLAN_SHEET)
    problem = partial(Problem, words=words)  # "row 2, column Status" in the reader's words

    def label(field_name: str) -> str:
        return words(LABELS.get(field_name, field_name))

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
                problem(
                    sheet,
                    update.row,
                    words(TASK_ID),
                    _("no task id: only tasks exported by Rootline can be updated")
                    if update.task_id in (None, "")
                    else _("%(value)s is not a task id", value=_quoted(_text(update.task_id))),
                )
            )
            continue
        task = tasks.get(task_id)
        if task is None:
            problems.append(
                problem(sheet, update.row, words(TASK_ID), _("unknown task %(id)s", id=task_id))
            )
            continue
        if task_id in seen:
            problems.append(
                problem(
                    sheet, update.row, words(TASK_ID), _("task %(id)s appears twice", id=task_id)
                )
            )
            continue
        seen.add(task_id)
        diff: dict[str, Any] = {}
        refused = False
        for name, value in update.values.items():
            try:
                new = _read(name, value, task, people, members, words)
                if not _same(name, getattr(task, name), new):
                    diff[name] = _check(name, new)
            except Refused as exc:
                problems.append(problem(sheet, update.row, label(name), str(exc)))
                refused = True
        if refused or not diff:
            continue
        try:
            version = _whole(update.version)
        except (TypeError, ValueError):
            version = None
        if version != task.version:
            problems.append(
                problem(
                    sheet,
                    update.row,
                    words(VERSION),
                    _(
                        "%(task)s was changed in Rootline since the export (conflict): "
                        "export again and redo the change",
                        task=task.title,
                    ),
                )
            )
            continue
        try:
            services.check_task_inputs(
                {**{f: getattr(task, f) for f in services.TASK_FIELDS}, **diff}
            )
        except services.BacklogError as exc:
            problems.append(problem(sheet, update.row, label(exc.field), exc.message))
            continue
        changes.append(
            TaskChange(
                task,
                [
                    (
                        label(f),
                        _shown(f, getattr(task, f), names, words),
                        _shown(f, v, names, words),
                    )
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

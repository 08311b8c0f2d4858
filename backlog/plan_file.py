"""Reading an uploaded action plan. Pure: bytes in, rows of raw cell values out (no Flask,
no database), and those rows as JSON that gives back the same values with the same types.

A cell is kept as openpyxl reads it (text, number, datetime, time, duration, bool); what a
value means is decided by the preview (backlog/updates.py), never here. Cells openpyxl
itself refuses (a number that is not one, a text reference past the shared strings, a date
that is not one) and sheets longer than the row cap are problems that name sheet and row,
never a server error and never rows dropped in silence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from backlog.scoring import EFFORT, IMPACT, TASK_INPUTS
from workbooks.problems import MAX_ROWS, Problem
from workbooks.reading import NOT_A_WORKBOOK, open_upload

SHEET = "Action plan"
MAX_COLUMNS = 60
# The columns a user may change in the workbook, and the task field each one updates. Rank,
# Quadrant, Score, Pain addressed, Insights addressed and Blueprint elements are worked out
# by Rootline and ignored on import; Task ID and Version say which task, as of when.
EDITABLE = {
    "Task": "title",
    "Status": "status",
    "Owner": "owner_id",
    "Team": "team",
    "Due": "due_on",
    "Horizon": "horizon",
    "MoSCoW": "moscow",
    "Pinned": "pinned",
    **{i.header: i.column for i in (IMPACT, EFFORT, *TASK_INPUTS)},
    "Description": "description",
}
UNREADABLE = (
    "a cell of this row cannot be read (a number, date or text that is not one); "
    "correct the row, or save the file again from Excel or LibreOffice"
)


@dataclass
class RowUpdate:
    row: int
    task_id: Any
    version: Any
    values: dict[str, Any]  # raw cell values keyed by task field


def check_structure(content: bytes) -> list[Problem]:
    """Quick (the header row only): whether `content` is an action plan at all."""
    return read_rows(content, header_only=True)[1]


def read_rows(
    content: bytes,
    progress: Callable[[int, int, str], None] | None = None,
    header_only: bool = False,
) -> tuple[list[RowUpdate], list[Problem]]:
    """The Action plan sheet's rows, raw. Problems name sheet, row and column.
    `progress(row, rows, step)` hears as rows are read."""
    # data_only=False: a formula someone typed is read as its text, never evaluated
    wb = open_upload(content, data_only=False)
    if wb is None:
        return [], [NOT_A_WORKBOOK]
    done = 0  # rows read so far: a cell openpyxl refuses is in row done + 1
    try:
        if SHEET not in wb.sheetnames:
            return [], [Problem(SHEET, None, None, "the sheet is missing")]
        ws = wb[SHEET]
        rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        header = [str(h).strip() if h is not None else "" for h in (next(rows, None) or ())]
        done = 1
        missing = [h for h in ("Task ID", "Version") if h not in header]
        if missing:
            return [], [
                Problem(
                    SHEET,
                    1,
                    None,
                    f"missing column(s): {', '.join(missing)} — import a "
                    "workbook exported by Rootline",
                )
            ]
        if header_only:
            return [], []
        index = {EDITABLE[h]: i for i, h in enumerate(header) if h in EDITABLE}
        task_col, version_col = header.index("Task ID"), header.index("Version")
        out = []
        # rows below the header, when the file says (Excel and LibreOffice do); else unknown: 0
        total = max(min(ws.max_row or 0, MAX_ROWS + 1) - 1, 0)
        for number, row in enumerate(rows, start=2):
            done = number
            if row is None or all(v in (None, "") for v in row):
                continue
            if number > MAX_ROWS + 1:
                return [], [
                    Problem(
                        SHEET,
                        number,
                        None,
                        f"the sheet has more than {MAX_ROWS:,} task rows; import at most "
                        f"{MAX_ROWS:,} at a time (split the file)",
                    )
                ]
            if progress:
                progress(number - 1, total, "Reading rows")
            padded = list(row) + [None] * (len(header) - len(row))
            out.append(
                RowUpdate(
                    number,
                    padded[task_col],
                    padded[version_col],
                    {f: padded[i] for f, i in index.items()},
                )
            )
        return out, []
    except Exception:  # openpyxl refused a cell while parsing the row
        return [], [Problem(SHEET, done + 1, None, UNREADABLE)]
    finally:
        wb.close()


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

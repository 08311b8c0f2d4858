"""Reading an uploaded action plan. Pure: bytes in, rows of raw cell values out (no Flask,
no database), and those rows as JSON that gives back the same values with the same types.

A cell is kept as openpyxl reads it (text, number, datetime, time, duration, bool); what a
value means is decided by the preview (backlog/updates.py), never here. Cells openpyxl
itself refuses (a number that is not one, a text reference past the shared strings, a date
that is not one) and sheets longer than the row cap are problems that name sheet and row,
never a server error and never rows dropped in silence.

The sheet and its headers are read in any language Rootline writes them in, or several
mixed (`words`, workbooks/words.py): a header is known by its English name from here on,
and problems are said in the reader's language.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from backlog.scoring import EFFORT, FRAMEWORKS, IMPACT, TASK_INPUTS
from backlog.workbook import PLAN_SHEET, plan_headers
from workbooks.problems import MAX_ROWS, Problem
from workbooks.reading import open_upload
from workbooks.words import ENGLISH, N_, Words, fold

SHEET = PLAN_SHEET
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
UNREADABLE = N_(
    "a cell of this row cannot be read (a number, date or text that is not one); "
    "correct the row, or save the file again from Excel or LibreOffice"
)
# every header the action plan writes, under any framework
HEADERS = tuple(dict.fromkeys(h for f in FRAMEWORKS for h in plan_headers(f)))


@dataclass
class RowUpdate:
    row: int
    task_id: Any
    version: Any
    values: dict[str, Any]  # raw cell values keyed by task field


def check_structure(content: bytes, words: Words = ENGLISH) -> list[Problem]:
    """Quick (the header row only): whether `content` is an action plan at all."""
    return read_rows(content, header_only=True, words=words)[1]


def plan_sheet(sheetnames, words: Words = ENGLISH) -> str | None:
    """The name of the workbook's Action plan sheet, in whichever language it is."""
    names = {fold(n) for n in words.forms(SHEET)}
    return next((n for n in sheetnames if fold(n) in names), None)


def read_rows(
    content: bytes,
    progress: Callable[[int, int, str], None] | None = None,
    header_only: bool = False,
    words: Words = ENGLISH,
) -> tuple[list[RowUpdate], list[Problem]]:
    """The Action plan sheet's rows, raw, its columns by their English headers (the file
    may say them in any language). Problems name sheet, row and column, in the language of
    `words`. `progress(row, rows, step)` hears as rows are read."""
    problem = partial(Problem, words=words)
    # data_only=False: a formula someone typed is read as its text, never evaluated
    wb = open_upload(content, data_only=False)
    if wb is None:
        return [], [
            problem(words(N_("workbook")), None, None,
                    words(N_("the file cannot be read as a workbook")))
        ]  # fmt: skip
    sheet = words(SHEET)
    done = 0  # rows read so far: a cell openpyxl refuses is in row done + 1
    try:
        found = plan_sheet(wb.sheetnames, words)
        if found is None:
            return [], [problem(sheet, None, None, words(N_("the sheet is missing")))]
        sheet, ws = found, wb[found]
        rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        known = words.lookup(HEADERS)
        header = [
            known.get(fold(h), str(h).strip()) if h is not None else ""
            for h in (next(rows, None) or ())
        ]
        done = 1
        missing = [h for h in ("Task ID", "Version") if h not in header]
        if missing:
            return [], [
                problem(
                    sheet,
                    1,
                    None,
                    words(
                        N_("missing column(s): %(columns)s — import a workbook exported by "
                           "Rootline"),
                        columns=", ".join(words(h) for h in missing),
                    ),
                )
            ]  # fmt: skip
        if header_only:
            return [], []
        index = {EDITABLE[h]: i for i, h in enumerate(header) if h in EDITABLE}
        task_col, version_col = header.index("Task ID"), header.index("Version")
        out = []
        # rows below the header, when the file says (Excel and LibreOffice do); else unknown: 0
        total = max(min(ws.max_row or 0, MAX_ROWS + 1) - 1, 0)
        reading = words(N_("Reading rows"))
        for number, row in enumerate(rows, start=2):
            done = number
            if row is None or all(v in (None, "") for v in row):
                continue
            if number > MAX_ROWS + 1:
                return [], [
                    problem(
                        sheet,
                        number,
                        None,
                        words(
                            N_("the sheet has more than %(rows)s task rows; import at most "
                               "%(rows)s at a time (split the file)"),
                            rows=words.number(MAX_ROWS),
                        ),
                    )
                ]  # fmt: skip
            if progress:
                progress(number - 1, total, reading)
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
        return [], [problem(sheet, done + 1, None, words(UNREADABLE))]
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

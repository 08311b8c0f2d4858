"""Reading cells of an uploaded workbook. Pure.

Readers take a raw cell value (as openpyxl gives it: text, number, bool, date or None) and
return what it means, or append a `Problem` naming sheet, row and column and return a
neutral value, so a reader collects every problem of a workbook before it refuses it.

>>> problems = []
>>> whole_number("12", "Elements", 2, "position", problems, low=0)
12
>>> yes_no("maybe", "Elements", 2, "fail_point", problems)
False
>>> str(problems[0])
"Elements, row 2, column fail_point: 'maybe' is not yes or no"
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Iterator

from openpyxl import load_workbook

from workbooks.problems import Problem
from workbooks.words import ENGLISH, N_, Words, fold

__all__ = [
    "NO",
    "NOT_A_WORKBOOK",
    "YES",
    "Unreadable",
    "cell_text",
    "choice",
    "header_names",
    "long_text",
    "missing_columns",
    "not_a_workbook",
    "open_upload",
    "safe_rows",
    "whole_number",
    "yes_no",
]


NOT_A_WORKBOOK = Problem(N_("workbook"), None, None, N_("the file cannot be read as a workbook"))


def not_a_workbook(words: Words = ENGLISH) -> Problem:
    """NOT_A_WORKBOOK in the reader's language."""
    return Problem(words(NOT_A_WORKBOOK.sheet), None, None, words(NOT_A_WORKBOOK.message), words)


def open_upload(content: bytes, *, data_only: bool):
    """The uploaded workbook in read-only mode (rows stream, memory stays flat), or None
    when openpyxl cannot open it at all (the reader reports NOT_A_WORKBOOK). `data_only`:
    a formula's last computed value instead of its text."""
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=data_only)
    except Exception:  # openpyxl raises many kinds for a file that is no workbook
        return None


def header_names(
    header: Iterable | None, columns: Iterable[str] = (), words: Words = ENGLISH
) -> list[str]:
    """A header row's column names as a reader matches them: trimmed, lower case, and each
    of `columns` said in any language (`words`) read as that column's English name."""
    known = words.lookup(columns)
    names = [str(h).strip().lower() if h is not None else "" for h in (header or ())]
    return [known.get(fold(n), n) for n in names]


def missing_columns(
    sheet: str,
    names: Collection[str],
    columns: Iterable[str],
    optional: Collection[str] = (),
    words: Words = ENGLISH,
) -> Problem | None:
    """The problem of a header row (`names`) without one of `columns` (`optional` aside),
    in the language of `words` (`sheet` as the reader names it)."""
    missing = [c for c in columns if c not in names and c not in optional]
    if not missing:
        return None
    said = ", ".join(words(c) for c in missing)
    return Problem(sheet, 1, None, words(N_("missing column(s): %(columns)s"), columns=said), words)


class Unreadable(Exception):
    """A cell openpyxl itself cannot read; `problem` says which row."""

    def __init__(self, problem: Problem):
        self.problem = problem


def safe_rows(sheet: str, rows: Iterator[tuple], words: Words = ENGLISH) -> Iterator[tuple]:
    """The rows, until a cell openpyxl itself cannot read (a bad shared-string index, an
    invalid date): that ends the sheet with a problem naming the row, never a crash."""
    number = 0
    while True:
        number += 1
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds for a damaged cell
            message = words(N_("a cell of this row cannot be read"))
            raise Unreadable(Problem(sheet, number, None, message, words)) from exc
        yield row


def cell_text(value) -> str:
    """A cell as one line of text, outer spaces removed (None: empty)."""
    return "" if value is None else str(value).strip()


def long_text(value) -> str:
    """Descriptions and notes keep their own spacing; line ends become LF (a CR is never
    kept: the workbook's XML cannot hold it reliably, so reading one back changes nothing)."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def whole_number(
    value, sheet, row, column, problems, *, low=None, high=None, blank=True, words=ENGLISH
):
    """A whole number from `low` to `high` (either bound optional; `12`, `12.0` and "12"
    are 12); blank is None unless `blank` is False."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if not blank:
            problems.append(Problem(sheet, row, column, words(N_("a number is required")), words))
        return None
    if isinstance(value, bool):
        value = str(value)
    try:
        number_f = float(str(value).strip())
        number = int(number_f)
        if number_f != number:
            raise ValueError
    except (ValueError, OverflowError):  # text, nan, inf
        message = words(N_("%(value)s is not a whole number"), value=repr(value))
        problems.append(Problem(sheet, row, column, message, words))
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"{low}..{high}" if high is not None else words(N_("at least %(low)s"), low=low)
        message = words(N_("%(value)s is outside %(bounds)s"), value=number, bounds=bounds)
        problems.append(Problem(sheet, row, column, message, words))
        return None
    return number


YES = ("1", "1.0", "true", "yes", "y", "x")
NO = ("", "0", "0.0", "false", "no", "n")


def yes_no(value, sheet, row, column, problems, words: Words = ENGLISH) -> bool:
    """yes / no, true / false, 1 / 0, x / blank, in any case, or yes and no in any language
    of `words` (tak / nie)."""
    text = cell_text(value).lower()
    if text in NO or fold(text) in words.lookup([N_("no")]):
        return False
    if text in YES or fold(text) in words.lookup([N_("yes")]):
        return True
    message = words(N_("%(value)s is not yes or no"), value=repr(value))
    problems.append(Problem(sheet, row, column, message, words))
    return False


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def choice(
    enum_cls, value, sheet, row, column, problems, *, allowed=None, required=False, words=ENGLISH
):
    """A code or its label, in any case: `Web`, `web`; `Call centre / tickets`,
    `call_centre`; `Customer actions`, `customer action`; or the code said in any language
    of `words` (`działania klienta`). `column` is its name as the reader says it."""
    text = cell_text(value)
    if not text:
        if required:
            message = words(N_("a %(column)s is required"), column=column.replace("_", " "))
            problems.append(Problem(sheet, row, column, message, words))
        return None
    members = list(allowed or enum_cls)
    wanted = _key(text)
    for member in members:
        names = {_key(member.value), _key(member.label), _key(member.label).rstrip("s")}
        names |= {_key(form) for form in words.forms(member.value)}
        if wanted in names or wanted.rstrip("s") in names:
            return member.value
    options = ", ".join(words(m.value) for m in members)
    message = words(N_("%(value)s is not one of %(options)s"), value=repr(text), options=options)
    problems.append(Problem(sheet, row, column, message, words))
    return None

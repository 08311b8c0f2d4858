"""What a workbook reader reports, and how much it reads. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbooks.words import ENGLISH, N_, Words

__all__ = ["MAX_ROWS", "Problem", "WorkbookProblems"]

MAX_ROWS = 20_000  # rows below the header a reader takes from one sheet


@dataclass(frozen=True)
class Problem:
    """One reason a workbook cannot be used, where it is: sheet, row and column (row and
    column None when the problem is the sheet's or the file's)."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    words: Words = field(default=ENGLISH, compare=False, repr=False)  # the reader's language

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += ", " + self.words(N_("row %(row)s"), row=self.row)
        if self.column:
            where += ", " + self.words(N_("column %(column)s"), column=self.column)
        return f"{where}: {self.message}"


class WorkbookProblems(ValueError):
    """A workbook read with problems: nothing of it is used."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems

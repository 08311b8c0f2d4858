"""A quick look at an uploaded blueprint workbook before its rows are read: is it one (its
sheets and their header rows), and does it hold more rows than some limit. Pure: bytes in, a
verdict out.

A sheet's rows are the size it states (`<dimension>`, which Excel and LibreOffice write), or,
when it states none (Rootline's own export streams its sheets and does not), its rows counted
without reading their cells, only until the limit is passed: the time it takes is bounded by
the limit, not the file. Formatted blank rows count, so it may over-count, never under-count.
"""

from __future__ import annotations

from dataclasses import dataclass

from blueprint.workbook import layout
from workbooks.problems import Problem
from workbooks.reading import header_names, missing_columns, not_a_workbook, open_upload
from workbooks.words import ENGLISH, N_, Words

# every sheet the import reads, with the columns it needs (the optional ones aside)
SHEETS = {
    "Blueprint": ("field", "value"),
    "Stages": ("position", "name"),
    "People and systems": layout.CATALOG_COLUMNS,
    "Elements": layout.ELEMENT_COLUMNS,
    "Links": layout.LINK_COLUMNS,
}


@dataclass(frozen=True)
class Size:
    rows: int  # data rows of the sheets read: exact up to the limit, past it some count above
    problems: list[Problem]


def measure(content: bytes, limit: int, words: Words = ENGLISH) -> Size:
    """The workbook's rows below the header rows (counted until past `limit`), or the problems
    that make it no blueprint workbook (a sheet or a column missing), in the words
    `workbook.parse` uses (sheets and columns in any language of `words`)."""
    wb = open_upload(content, data_only=True)
    if wb is None:
        return Size(0, [not_a_workbook(words)])
    problems: list[Problem] = []
    rows = 0
    found = layout.sheet_names(wb.sheetnames, words)
    try:
        for sheet, columns in SHEETS.items():
            if sheet not in found:
                message = words(N_("the sheet is missing"))
                problems.append(Problem(words(sheet), None, None, message, words))
                continue
            ws = wb[found[sheet]]
            try:
                lines = ws.iter_rows(max_col=layout.MAX_COLUMNS, values_only=True)
                header = next(lines, ())
                if rows > limit:
                    pass  # known: the header is all that is left to check
                elif ws.max_row is not None:
                    rows += max(ws.max_row - 1, 0)
                else:
                    for _ in lines:
                        rows += 1
                        if rows > limit:
                            break
            except Exception:  # openpyxl raises many kinds for a damaged cell
                message = words(N_("a cell of this sheet cannot be read"))
                problems.append(Problem(words(sheet), None, None, message, words))
                continue
            names = header_names(header, (*columns, *layout.OPTIONAL), words)
            missing = missing_columns(words(sheet), names, columns, layout.OPTIONAL, words)
            if missing:
                problems.append(missing)
    finally:
        wb.close()
    return Size(rows, problems)

"""Writing cells, rows and sheets of a write-only workbook. Pure.

The rule for user text, the same in every workbook Rootline writes: **no user text ever
becomes a formula.** Every string is written as a text cell (never a formula, whatever it
starts with) and carries Excel's quote prefix, so that editing the cell in Excel keeps it
text too (a title such as `=1+1`, `12` or `1/2` stays that title). Control characters no
cell can hold are stripped as a last guard (safeinput), and an empty string is a blank cell.
The only formulas are the app's own, passed as `Formula`.

Sheets are write-only, so memory stays flat however many rows stream through; what a sheet
writes before its first row (column widths, frozen panes, print set-up, the header's
height) is set by `new_sheet` and the caller before the header row is appended.

>>> from openpyxl import Workbook
>>> wb = Workbook(write_only=True)
>>> ws, count = add_sheet(wb, "Tasks", ["Task", "Score"], [["=1+1", Formula("=2/1")]], [30, 8])
>>> count
1
"""

from __future__ import annotations

import re
import tempfile
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from et_xmlfile.xmlfile import _IncrementalFileWriter
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from workbooks.row_markup import write_row

__all__ = [
    "DATE_FORMAT",
    "workbook_bytes",
    "HEADER_FILL",
    "HEADER_FONT",
    "MAX_TEXT",
    "WRAPPED",
    "cell_text",
    "Formula",
    "RowWriter",
    "add_sheet",
    "add_table",
    "create_sheet",
    "header_row",
    "new_sheet",
    "print_landscape",
    "set_widths",
    "text_cell",
]

HEADER_FILL = PatternFill("solid", fgColor="1F4E5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_WRAPPED = Alignment(wrap_text=True, vertical="top")
WRAPPED = Alignment(wrap_text=True)
DATE_FORMAT = "yyyy-mm-dd"


class Formula(str):
    """One of the app's own formulas (`=J2/K2`): the only text a workbook writes as one."""


def text_cell(ws, text: str) -> WriteOnlyCell:
    """`text` as a text cell with the quote prefix, by the rule above (an empty text too:
    a styled blank cell, for the Board's empty squares)."""
    cell = WriteOnlyCell(ws, value=cell_text(text))
    cell.data_type = "s"  # never a formula, whatever it starts with
    cell.quotePrefix = True
    return cell


def header_row(ws, titles: Sequence[str], *, wrap: bool = False) -> list[WriteOnlyCell]:
    """The header row: white bold titles on the house's dark teal (wrapped, top-aligned,
    when `wrap`)."""
    cells = []
    for title in titles:
        cell = text_cell(ws, title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        if wrap:
            cell.alignment = HEADER_WRAPPED
        cells.append(cell)
    return cells


class _ColumnCell(Cell):
    """A styled cell reused down one column. Its style is set once, when it is made, so
    its style id is looked up once; and its repr is short, because openpyxl formats the
    repr of every cell appended into an error message it raises and catches."""

    __slots__ = ("_style_id",)

    def __init__(self, ws):
        super().__init__(ws, column=1, row=1)
        self._style_id = None

    @property
    def style_id(self) -> int:
        if self._style_id is None:
            self._style_id = Cell.style_id.fget(self)
        return self._style_id

    @property
    def has_style(self) -> bool:
        return True

    def __repr__(self) -> str:
        return "<column cell>"


class RowWriter:
    """Turns rows of plain values into what a write-only sheet appends, by the rule above:
    text becomes a quote-prefixed text cell (empty text: no cell), a `Formula` a formula, a
    date a date in DATE_FORMAT; numbers, booleans and None pass as they are.

    One styled cell per column (and kind of value) is reused row after row: a write-only
    sheet writes each row out as it is appended, so the cell is free again for the next
    one, and a long sheet costs no cell objects. `alignment` and `number_format` map a
    column's index to the style of its text and of its formulas and numbers.
    """

    def __init__(
        self,
        ws,
        alignment: Mapping[int, Alignment] | None = None,
        number_format: Mapping[int, str] | None = None,
    ):
        self.ws = ws
        self.alignment = dict(alignment or {})
        self.number_format = dict(number_format or {})
        self._cells: dict[tuple[int, str], WriteOnlyCell] = {}

    def _cell(self, column: int, kind: str) -> WriteOnlyCell:
        cell = self._cells.get((column, kind))
        if cell is None:
            cell = self._cells[column, kind] = _ColumnCell(self.ws)
            if kind == "text":
                cell.quotePrefix = True
                if column in self.alignment:
                    cell.alignment = self.alignment[column]
            elif kind == "date":
                cell.number_format = DATE_FORMAT
            else:
                cell.number_format = self.number_format[column]
        return cell

    def __call__(self, values: Iterable[Any]) -> list[Any]:
        out: list[Any] = []
        for column, value in enumerate(values):
            if isinstance(value, str):
                if isinstance(value, Formula):
                    if column in self.number_format:
                        cell = self._cell(column, "number")
                        cell.value = str(value)
                        out.append(cell)
                    else:
                        out.append(str(value))  # openpyxl writes text with = as a formula
                    continue
                value = cell_text(value)
                if not value:
                    out.append(None)  # a blank cell, not an empty string (ISBLANK holds)
                    continue
                cell = self._cell(column, "text")
                # what openpyxl's value setter would do with a string, without the type
                # inference that costs more per cell than writing it: always a text cell
                cell._value, cell.data_type = value, "s"
                out.append(cell)
            elif isinstance(value, date):
                cell = self._cell(column, "date")
                cell.value = value
                out.append(cell)
            elif value is not None and column in self.number_format:
                cell = self._cell(column, "number")
                cell.value = value
                out.append(cell)
            else:
                out.append(value)
        return out


MAX_TEXT = 32_767  # the most characters a cell holds (openpyxl cuts there too)
# What no worksheet's XML may hold: the form's control characters and NUL
CELL_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_text(value: str) -> str:
    """`value` as a cell may hold it: without the characters no worksheet's XML may hold
    (the form's control characters and NUL: the last guard), cut to a cell's length."""
    if CELL_CONTROL_CHARACTERS.search(value):
        value = CELL_CONTROL_CHARACTERS.sub("", value)
    return value[:MAX_TEXT]


def set_widths(ws, widths: Sequence[float]) -> None:
    """Column widths from column A on, in characters (before the first row is appended)."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


FOOTER = "&A — page &P"  # the sheet's name and the page's number, in English


def print_landscape(ws, footer: str = FOOTER) -> None:
    """Print on landscape A4 pages, all columns on one page width, the header row repeated
    and the pages numbered by `footer` (the workbook's language; before the first row is
    appended)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = footer


class _Sheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet (3.1), except that a cell appended as a cell, as
    `RowWriter`'s styled ones are, goes to the writer as it is. openpyxl's own
    `_values_to_row` first tries such a cell as a value, which fails by raising and catching
    an error for every cell, and then makes a fresh cell for the next value: a fifth of
    the time a text-heavy sheet takes. Plain values go exactly as openpyxl takes them. And
    each row's XML is spelled out as text (`row_markup`), not serialised element by
    element. (tests/workbooks/test_row_markup.py checks that the XML is openpyxl's own.)"""

    def _write_rows(self):
        """openpyxl's own loop over the appended rows, except that each row's XML is
        written as text by `row_markup.write_row` where the stream takes text (openpyxl
        without lxml); with lxml, openpyxl writes it."""
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        raw = xf._file if isinstance(xf, _IncrementalFileWriter) else None
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    cells = self._values_to_row((yield), row_idx)
                    if raw is None:
                        self._writer.write_row(xf, cells, row_idx)
                    else:
                        write_row(raw, xf, self, row_idx, cells)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def _values_to_row(self, values, row_idx):
        cell = WriteOnlyCell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                value.column, value.row = col_idx, row_idx
                if value.hyperlink is not None:
                    value.hyperlink.ref = value.coordinate
                yield value
                continue
            cell.value = value
            cell.column, cell.row = col_idx, row_idx
            yield cell
            if cell.has_style:  # a date's number format: the next value needs a plain cell
                cell = WriteOnlyCell(self)


def create_sheet(wb, title: str) -> WriteOnlyWorksheet:
    """A write-only sheet at the end of `wb` (a write-only workbook), as
    `wb.create_sheet(title)` makes it but for the faster way with styled cells."""
    ws = _Sheet(parent=wb, title=title)
    wb._add_sheet(ws)
    return ws


def new_sheet(
    wb,
    title: str,
    widths: Sequence[float],
    *,
    freeze: str | None = "A2",
    landscape=False,
    footer: str = FOOTER,
):
    """A write-only sheet with its column widths, the panes frozen at `freeze` (below the
    header by default) and, when `landscape`, printed landscape (`print_landscape`)."""
    ws = create_sheet(wb, title)
    set_widths(ws, widths)
    if freeze:
        ws.freeze_panes = freeze
    if landscape:
        print_landscape(ws, footer)
    return ws


def add_sheet(
    wb,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float],
    *,
    wrap_header: bool = False,
    landscape: bool = False,
    footer: str = FOOTER,
):
    """A sheet of a header row and `rows` (any iterable: rows may stream), written by
    `RowWriter`. Returns the sheet and how many rows it has below the header."""
    ws = new_sheet(wb, title, widths, landscape=landscape, footer=footer)
    ws.append(header_row(ws, headers, wrap=wrap_header))
    write, count = RowWriter(ws), 0
    for row in rows:
        ws.append(write(row))
        count += 1
    return ws, count


def add_table(ws, name: str, headers: Sequence[str], rows: int, style: str) -> None:
    """An Excel Table over the header and `rows` data rows, with stripes."""
    table = Table(displayName=name, ref=f"A1:{get_column_letter(len(headers))}{rows + 1}")
    # write-only mode needs the columns named by hand, and openpyxl warns on every such
    # table even then
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
        ws.add_table(table)


def workbook_bytes(wb) -> bytes:
    """The saved file of `wb`. Saved to a temporary file and read back once, so memory holds
    the file's bytes once: an in-memory buffer grows by copies as the archive is written,
    and handing its bytes on is one more."""
    with tempfile.TemporaryFile() as out:
        wb.save(out)
        out.seek(0)
        return out.read()

"""A write-only sheet's rows as XML text, byte for byte what openpyxl (3.1, without lxml)
writes for them, but built as strings. Pure.

openpyxl serialises every cell by building an element and walking it with a namespace-aware
serializer: most of what writing a long sheet costs (a text-heavy action plan spends two
thirds of its time there). The cells Rootline writes are of a few plain kinds (inline text,
numbers, booleans, dates, the app's own formulas, blanks with a style), so `row_markup`
spells them out directly; any other cell (a comment, a hyperlink, rich text, an array
formula, a date with a time zone, a workbook that writes ISO dates) is left to openpyxl's
own writer, in its place in the row. tests/workbooks/test_row_markup.py compares the two
writers' XML for every kind of value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell._writer import write_cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

__all__ = ["cell_markup", "write_row"]

_TEXT_SPECIAL = re.compile("[&<>]")
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]')
_ATTRIBUTE_ESCAPES = (
    ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
    ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"),
)  # fmt: skip


def _text(value: str) -> str:
    """Character data as the XML serializer escapes it."""
    if _TEXT_SPECIAL.search(value):
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value


def _attribute(value: str) -> str:
    """An attribute's value as the XML serializer escapes it."""
    if _ATTRIBUTE_SPECIAL.search(value):
        for char, escaped in _ATTRIBUTE_ESCAPES:
            value = value.replace(char, escaped)
    return value


def cell_markup(cell: WriteOnlyCell, styled: bool, epoch, iso_dates: bool) -> str | None:
    """The `<c>` element of `cell` (in a workbook of that `epoch`), or None for a cell
    this module leaves to openpyxl."""
    if cell._hyperlink is not None:
        return None
    value, kind = cell._value, cell.data_type
    head = f'<c r="{get_column_letter(cell.column)}{cell.row}"'
    if styled:
        head += f' s="{cell.style_id}"'
    if kind == "s":
        head += ' t="inlineStr"'
    elif kind == "d":
        if iso_dates or getattr(value, "tzinfo", None) is not None:
            return None  # ISO dates, or openpyxl's own refusal of a time zone
        head += ' t="n"'
        value = to_excel(value, epoch)
    elif kind != "f":
        head += f' t="{kind}"'
    if value is None or value == "":
        return head + " />"
    if kind == "f":
        if type(value) is not str:
            return None  # an array or data-table formula
        return f"{head}><f>{_text(value[1:])}</f><v /></c>"
    if kind == "s":
        if type(value) is not str:
            return None  # rich text
        stripped = value.strip()
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f"{head}><is><t{space}>{_text(value)}</t></is></c>"
    text = safe_string(value)  # "" for an infinity or NaN: an empty element
    return f"{head}><v>{_text(text)}</v></c>" if text else f"{head}><v /></c>"


def write_row(raw: Callable[[str], None], xf, ws, row_idx: int, cells: Iterable) -> None:
    """Write the `<row>` of `cells` (the cells openpyxl's `_values_to_row` yields) to the
    stream `raw` writes text to, unescaped, or through `xf`, openpyxl's element writer on
    the same stream, for a cell `cell_markup` leaves to openpyxl. The cells may be one
    object reused for each value, so each is written as it comes."""
    attributes = {"r": f"{row_idx}"}
    attributes.update(ws.row_dimensions.get(row_idx, {}))
    out = ["<row", *(f' {k}="{_attribute(v)}"' for k, v in attributes.items()), ">"]
    wb = ws.parent
    epoch, iso_dates = wb.epoch, wb.iso_dates
    for cell in cells:
        if cell._comment is not None:
            ws._comments.append(CommentRecord.from_cell(cell))
        styled = cell.has_style
        if cell._value is None and not styled and not cell._comment:
            continue
        markup = cell_markup(cell, styled, epoch, iso_dates)
        if markup is None:
            raw("".join(out))
            out.clear()
            write_cell(xf, ws, cell, styled)
        else:
            out.append(markup)
    out.append("</row>")
    raw("".join(out))

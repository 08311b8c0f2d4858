"""Writing the blueprint workbook: plain data in (`BlueprintData`), .xlsx bytes out. Pure.

Text is written by the workbook kit's one rule (workbooks/cells.py): a text cell with the
quote prefix, never a formula. Yes/no columns are written as yes / no, and the coded columns
carry drop-downs (drop_downs.py).

Sheet names, headers, coded values, yes / no and the drop-downs are said in the exporter's
language (`words`, workbooks/words.py): English writes the codes (`customer_action`), Polish
the method's words (`działania klienta`); the reader takes either.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from blueprint.kinds import ALL_STAGES, LANES
from blueprint.workbook.drop_downs import BOOL_COLUMNS, CODED_COLUMNS, add_drop_downs
from blueprint.workbook.layout import (
    BLUEPRINT_FIELDS,
    BOARD_CORNER,
    CATALOG_COLUMNS,
    ELEMENT_COLUMNS,
    EXPORTED_ROWS,
    LINK_COLUMNS,
    ROW_ID_COLUMNS,
    BlueprintData,
)
from workbooks.cells import RowWriter, add_sheet, create_sheet, text_cell, workbook_bytes
from workbooks.words import ENGLISH, N_, Words

__all__ = ["build"]

BOARD_CELL = Alignment(wrap_text=True, vertical="top")


def _ids(data: BlueprintData, sheet: str, count: int) -> list[tuple[int | None, int | None]]:
    return [(m.id, m.version) for m in (data.row_meta(sheet, i) for i in range(count))]


def _cells(row: dict[str, Any], columns: Sequence[str], words: Words) -> list[Any]:
    """A row's cells: yes / no and the coded columns in the workbook's words."""
    out = []
    for c in columns:
        value = row.get(c)
        if c in BOOL_COLUMNS:
            value = words(N_("yes") if value else N_("no"))
        elif c in CODED_COLUMNS and value:
            value = words(value)
        out.append(value)
    return out


def build(data: BlueprintData, words: Words = ENGLISH) -> bytes:
    """The workbook of `data`, in the language of `words`: every sheet of the format, the
    Board, and the hidden Exported rows when `data` came from the database (it has an id)."""
    wb = Workbook(write_only=True)

    def sheet(title, headers, rows, widths):
        return add_sheet(wb, words(title), [words(h) for h in headers], rows, widths)

    sheet(
        "Blueprint",
        ["field", "value"],
        [
            *[(words(f), getattr(data, f)) for f in BLUEPRINT_FIELDS if f != "state"],
            (words("state"), words(data.state)),
            (words("id"), data.id),
            (words("version"), data.version),
        ],
        [12, 80],
    )
    sheet(
        "Stages",
        ["position", "name", *ROW_ID_COLUMNS],
        [
            (i, s, *ids)
            for (i, s), ids in zip(
                enumerate(data.stages, start=1),
                _ids(data, "Stages", len(data.stages)),
                strict=True,
            )
        ],
        [10, 40, 8, 8],
    )
    elements, _ = sheet(
        "Elements",
        [*ELEMENT_COLUMNS, *ROW_ID_COLUMNS],
        [
            [*_cells(e, ELEMENT_COLUMNS, words), *ids]
            for e, ids in zip(
                data.elements, _ids(data, "Elements", len(data.elements)), strict=True
            )
        ],
        [10, 18, 24, 24, 9, 40, 40, 10, 10, 10, 9, 30, 9, 8, 9, 16, 12, 8, 8],
    )
    add_drop_downs(elements, "Elements", ELEMENT_COLUMNS, words)
    catalog, _ = sheet(
        "People and systems",
        [*CATALOG_COLUMNS, *ROW_ID_COLUMNS],
        [
            [*_cells(e, CATALOG_COLUMNS, words), *ids]
            for e, ids in zip(
                data.catalog, _ids(data, "People and systems", len(data.catalog)), strict=True
            )
        ],
        [8, 10, 36, 40, 9, 30, 16, 12, 8, 8],
    )
    add_drop_downs(catalog, "People and systems", CATALOG_COLUMNS, words)
    links, _ = sheet(
        "Links",
        [*LINK_COLUMNS, *ROW_ID_COLUMNS],
        [
            (source, target, words(kind), *ids)
            for (source, target, kind), ids in zip(
                data.links, _ids(data, "Links", len(data.links)), strict=True
            )
        ],
        [14, 14, 14, 8, 8],
    )
    add_drop_downs(links, "Links", LINK_COLUMNS, words)
    _board(wb, data, words)
    if data.id is not None:
        exported = create_sheet(wb, words(EXPORTED_ROWS))
        exported.sheet_state = "hidden"
        write = RowWriter(exported)
        exported.append(write([words(c) for c in ("sheet", "id", "version")]))
        for name in ("Stages", "Elements", "People and systems", "Links"):
            for meta in data.meta.get(name, []):
                if meta.id is not None:
                    exported.append(write((words(name), meta.id, meta.version)))
    return workbook_bytes(wb)


def _board(wb, data: BlueprintData, words: Words) -> None:
    """The read-only Board: a stage × lane grid of titles, for printing (ignored on
    import)."""
    board = create_sheet(wb, words(N_("Board")))
    board.column_dimensions["A"].width = 20
    for i in range(len(data.stages)):
        board.column_dimensions[get_column_letter(i + 2)].width = 32
    corner = text_cell(board, words(BOARD_CORNER))
    board.append([corner, *[text_cell(board, s) for s in data.stages]])
    for lane in LANES:
        cells = [text_cell(board, words(lane.label))]
        for column in range(len(data.stages)):
            titles = [
                e["title"]
                for e in sorted(data.elements, key=lambda e: e["position"])
                if e["kind"] == lane.value and column in _columns(e, data.stages)
            ]
            cell = text_cell(board, "\n".join(titles))
            cell.alignment = BOARD_CELL
            cells.append(cell)
        board.append(cells)


def _columns(element: dict[str, Any], stages: list[str]) -> range:
    """The stage columns a step covers (empty when its stages are not known)."""
    if element["stage"] == ALL_STAGES:
        return range(len(stages))
    if element["stage"] not in stages:
        return range(0)
    start = stages.index(element["stage"])
    end = stages.index(element["end_stage"]) if element.get("end_stage") in stages else start
    return range(min(start, end), max(start, end) + 1)

"""Writing the blueprint workbook: plain data in (`BlueprintData`), .xlsx bytes out. Pure.

Text is written by the workbook kit's one rule (workbooks/cells.py): a text cell with the
quote prefix, never a formula. Yes/no columns are written as yes / no, and the coded columns
carry drop-downs (drop_downs.py).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from blueprint.kinds import ALL_STAGES, LANES
from blueprint.workbook.drop_downs import BOOL_COLUMNS, add_drop_downs
from blueprint.workbook.layout import (
    BLUEPRINT_FIELDS,
    CATALOG_COLUMNS,
    ELEMENT_COLUMNS,
    EXPORTED_ROWS,
    LINK_COLUMNS,
    ROW_ID_COLUMNS,
    BlueprintData,
)
from workbooks.cells import RowWriter, add_sheet, text_cell

__all__ = ["build"]

BOARD_CELL = Alignment(wrap_text=True, vertical="top")


def _ids(data: BlueprintData, sheet: str, count: int) -> list[tuple[int | None, int | None]]:
    return [(m.id, m.version) for m in (data.row_meta(sheet, i) for i in range(count))]


def _yes_no(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    return [("yes" if row.get(c) else "no") if c in BOOL_COLUMNS else row.get(c) for c in columns]


def build(data: BlueprintData) -> bytes:
    """The workbook of `data`: every sheet of the format, the Board, and the hidden
    Exported rows when `data` came from the database (it has an id)."""
    wb = Workbook(write_only=True)
    add_sheet(
        wb,
        "Blueprint",
        ["field", "value"],
        [
            *[(f, getattr(data, f)) for f in BLUEPRINT_FIELDS],
            ("id", data.id),
            ("version", data.version),
        ],
        [12, 80],
    )
    add_sheet(
        wb,
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
    elements, _ = add_sheet(
        wb,
        "Elements",
        [*ELEMENT_COLUMNS, *ROW_ID_COLUMNS],
        [
            [*_yes_no(e, ELEMENT_COLUMNS), *ids]
            for e, ids in zip(
                data.elements, _ids(data, "Elements", len(data.elements)), strict=True
            )
        ],
        [10, 18, 24, 24, 9, 40, 40, 10, 10, 10, 9, 30, 9, 8, 9, 16, 12, 8, 8],
    )
    add_drop_downs(elements, ELEMENT_COLUMNS)
    catalog, _ = add_sheet(
        wb,
        "People and systems",
        [*CATALOG_COLUMNS, *ROW_ID_COLUMNS],
        [
            [*_yes_no(e, CATALOG_COLUMNS), *ids]
            for e, ids in zip(
                data.catalog, _ids(data, "People and systems", len(data.catalog)), strict=True
            )
        ],
        [8, 10, 36, 40, 9, 30, 16, 12, 8, 8],
    )
    add_drop_downs(catalog, CATALOG_COLUMNS)
    links, _ = add_sheet(
        wb,
        "Links",
        [*LINK_COLUMNS, *ROW_ID_COLUMNS],
        [
            (*link, *ids)
            for link, ids in zip(data.links, _ids(data, "Links", len(data.links)), strict=True)
        ],
        [14, 14, 14, 8, 8],
    )
    add_drop_downs(links, LINK_COLUMNS)
    _board(wb, data)
    if data.id is not None:
        exported = wb.create_sheet(EXPORTED_ROWS)
        exported.sheet_state = "hidden"
        write = RowWriter(exported)
        exported.append(write(("sheet", "id", "version")))
        for sheet in ("Stages", "Elements", "People and systems", "Links"):
            for meta in data.meta.get(sheet, []):
                if meta.id is not None:
                    exported.append(write((sheet, meta.id, meta.version)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _board(wb, data: BlueprintData) -> None:
    """The read-only Board: a stage × lane grid of titles, for printing (ignored on
    import)."""
    board = wb.create_sheet("Board")
    board.column_dimensions["A"].width = 20
    for i in range(len(data.stages)):
        board.column_dimensions[get_column_letter(i + 2)].width = 32
    board.append([text_cell(board, "Lane \\ Stage"), *[text_cell(board, s) for s in data.stages]])
    for lane in LANES:
        cells = [text_cell(board, lane.label)]
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

"""The action-plan workbook. Pure: plain values in, .xlsx bytes out (no Flask, no database).

Written with openpyxl's write-only mode, so memory stays flat however long the backlog.
Every string that comes from users is written as a text cell (with Excel's quote prefix,
so a later edit in Excel cannot turn it into a formula either); the only formulas in the
workbook are the score column's, built here from the task's own input cells.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import Reference, ScatterChart, Series
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from backlog.scoring import FRAMEWORKS

# Column headers of each framework's inputs, in the order of FRAMEWORKS[...].inputs.
INPUT_HEADERS = {
    "value_effort": (),  # impact and effort are always there
    "rice": ("RICE reach", "RICE impact", "RICE confidence", "RICE effort (person-months)"),
    "ice": ("ICE impact", "ICE confidence", "ICE ease"),
    "ice_mean": ("ICE impact", "ICE confidence", "ICE ease"),
    "wsjf": ("Business value", "Time criticality", "Risk reduction", "Job size"),
}
HEADER_FILL = PatternFill("solid", fgColor="1F4E5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class PlanRow:
    rank: int | None  # None: unscored under the framework
    title: str
    status: str
    owner: str
    team: str
    due: date | None
    horizon: str
    quadrant: str
    impact: int
    effort: int
    inputs: Sequence[float | None]  # the framework's inputs (empty for value_effort)
    score: float | None
    pain: int
    insights: str
    elements: str
    task_id: int | None = None  # with `version`, lets an edited copy be imported back
    version: int | None = None


@dataclass
class ActionPlan:
    workspace: str
    framework: str
    rows: Iterable[PlanRow]
    insights: Iterable[Sequence[Any]] = ()  # rows of the Insights sheet (may be streamed)
    causes: Iterable[Sequence[Any]] = ()  # rows of the Root causes sheet
    filters: str = "none"
    exported_at: datetime | None = None
    statuses: Sequence[str] = ()
    horizons: Sequence[str] = ()


def text_cell(ws, value: str) -> WriteOnlyCell:
    """A cell that is text, whatever the text starts with."""
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def _value(ws, value):
    """Plain values pass through as the bare writer would take them; only text that a
    spreadsheet could read as a formula gets a text cell with the quote prefix, and dates
    get their number format."""
    if isinstance(value, str):
        if not value:
            return None  # a blank cell, not an empty string (ISBLANK holds, filters show it)
        return text_cell(ws, value) if value.startswith(RISKY_START) else value
    if isinstance(value, date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def _header(ws, titles: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = text_cell(ws, title)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def score_formula(framework: str, row: int, col: dict[str, str]) -> str:
    """The score as an Excel formula over the row's input cells (`col` maps input → letter)."""
    c = {name: f"{letter}{row}" for name, letter in col.items()}
    if framework == "value_effort":
        return f"={c['impact']}/{c['effort']}"
    if framework == "rice":
        return f"={c['reach']}*{c['impact']}*{c['confidence']}/{c['effort']}"
    if framework == "ice":
        return f"={c['impact']}*{c['confidence']}*{c['ease']}"
    if framework == "ice_mean":
        return f"=AVERAGE({c['impact']},{c['confidence']},{c['ease']})"
    return f"=({c['business_value']}+{c['time_criticality']}+{c['risk_reduction']})/{c['job_size']}"


def _table(name: str, headers: Sequence[str], rows: int, style: str) -> Table:
    """An Excel Table over the header and `rows` data rows (write-only mode needs the
    columns named by hand)."""
    table = Table(displayName=name, ref=f"A1:{get_column_letter(len(headers))}{rows + 1}")
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True)
    return table


def _add_table(ws, table: Table) -> None:
    # openpyxl warns on every write-only table; `_table` has named the columns already.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "In write-only mode you must add table columns")
        ws.add_table(table)


def _print_landscape(ws) -> None:
    """Print on landscape pages, all columns on one page width, header row repeated."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _widths(ws, widths: Sequence[float]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def build_action_plan(plan: ActionPlan) -> bytes:
    framework = FRAMEWORKS[plan.framework]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Action plan")
    extra = list(INPUT_HEADERS[plan.framework])
    headers = [
        "Rank",
        "Task",
        "Status",
        "Owner",
        "Team",
        "Due",
        "Horizon",
        "Quadrant",
        "Impact",
        "Effort",
        *extra,
        "Score",
        "Pain addressed",
        "Insights addressed",
        "Blueprint elements",
        "Task ID",
        "Version",
    ]
    letters = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}
    if plan.framework == "value_effort":
        inputs = {"impact": letters["Impact"], "effort": letters["Effort"]}
    else:
        inputs = {name: letters[h] for name, h in zip(framework.inputs, extra, strict=True)}
    _widths(ws, [6, 44, 12, 18, 16, 12, 12, 15, 8, 8, *[12] * len(extra), 10, 10, 40, 40, 8, 8])
    ws.freeze_panes = "C2"
    _print_landscape(ws)
    ws.append(_header(ws, headers))
    written = 0
    # One styled cell per styled column, reused row after row: a write-only sheet writes
    # each row out as it is appended, so the cell is free again for the next one.
    score, due = WriteOnlyCell(ws), WriteOnlyCell(ws)
    score.number_format, due.number_format = "0.00", DATE_FORMAT
    for r, row in enumerate(plan.rows, start=2):  # any iterable: rows may be streamed
        written += 1
        score.value = score_formula(plan.framework, r, inputs) if row.score is not None else None
        due.value = row.due
        ws.append(
            [
                _value(ws, row.rank),
                _value(ws, row.title),
                _value(ws, row.status),
                _value(ws, row.owner),
                _value(ws, row.team),
                due if row.due is not None else None,
                _value(ws, row.horizon),
                _value(ws, row.quadrant),
                _value(ws, row.impact),
                _value(ws, row.effort),
                *[_value(ws, v) for v in row.inputs],
                score,
                _value(ws, row.pain),
                _value(ws, row.insights),
                _value(ws, row.elements),
                _value(ws, row.task_id),
                _value(ws, row.version),
            ]
        )
    last = written + 1
    _add_table(ws, _table("ActionPlan", headers, max(written, 1), "TableStyleMedium2"))

    lists = wb.create_sheet("Lists")
    lists.sheet_state = "hidden"
    for i in range(max(len(plan.statuses), len(plan.horizons))):
        lists.append(
            [
                _value(lists, plan.statuses[i]) if i < len(plan.statuses) else None,
                _value(lists, plan.horizons[i]) if i < len(plan.horizons) else None,
            ]
        )
    body = f"2:{max(last, 2)}"
    first, final = body.split(":")
    for column, count, lst in (
        ("Status", len(plan.statuses), "A"),
        ("Horizon", len(plan.horizons), "B"),
    ):
        dv = DataValidation(
            type="list",
            formula1=f"Lists!${lst}$1:${lst}${max(count, 1)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"Unknown {column.lower()}",
            error=f"Choose a {column.lower()} from the list.",
        )
        dv.add(f"{letters[column]}{first}:{letters[column]}{final}")
        ws.data_validations.append(dv)
    due, status = letters["Due"], letters["Status"]
    ws.conditional_formatting.add(
        f"{due}2:{due}{max(last, 2)}",
        FormulaRule(
            formula=[
                f'AND(ISNUMBER({due}2),{due}2<TODAY(),{status}2<>"Done",{status}2<>"Dropped")'
            ],
            fill=PatternFill("solid", fgColor="F8D7DA"),
            font=Font(color="842029"),
        ),
    )
    score_col = letters["Score"]
    ws.conditional_formatting.add(
        f"{score_col}2:{score_col}{max(last, 2)}",
        ColorScaleRule(start_type="min", start_color="F8F9FA", end_type="max", end_color="63BE7B"),
    )

    _simple_sheet(
        wb,
        "Insights",
        [
            "Kind",
            "Insight",
            "Blueprint",
            "Stage",
            "Element",
            "Severity",
            "Frequency",
            "Source",
            "Reference",
            "Confirmed causes",
        ],
        plan.insights,
        [14, 44, 24, 18, 30, 9, 10, 20, 36, 40],
    )
    _simple_sheet(
        wb,
        "Root causes",
        [
            "Rank",
            "Cause",
            "Kind",
            "Where",
            "Score",
            "Pain points",
            "Customer actions",
            "Blueprints",
        ],
        plan.causes,
        [6, 40, 14, 36, 9, 11, 16, 11],
    )

    matrix = wb.create_sheet("Matrix")
    matrix.append(
        [
            text_cell(
                matrix, "Impact against effort: each marker is a task of the Action plan sheet."
            )
        ]
    )
    chart = ScatterChart()
    chart.title = "Impact / effort"
    chart.style = 13
    chart.x_axis.title = "Effort (1–5)"
    chart.y_axis.title = "Impact (1–5)"
    for axis in (chart.x_axis, chart.y_axis):
        axis.scaling.min, axis.scaling.max = 0, 6
        axis.delete = False
    xs = Reference(ws, min_col=headers.index("Effort") + 1, min_row=2, max_row=max(last, 2))
    ys = Reference(ws, min_col=headers.index("Impact") + 1, min_row=2, max_row=max(last, 2))
    series = Series(ys, xs, title="Tasks")
    series.marker.symbol = "circle"
    series.marker.size = 8
    series.marker.graphicalProperties = GraphicalProperties(solidFill="1F4E5F")
    series.marker.graphicalProperties.line.solidFill = "1F4E5F"
    series.graphicalProperties.line.noFill = True
    chart.series.append(series)
    chart.legend = None
    chart.width, chart.height = 15, 12
    matrix.add_chart(chart, "A3")

    about = wb.create_sheet("About")
    _widths(about, [22, 90])
    exported = (plan.exported_at or datetime.now()).strftime("%Y-%m-%d %H:%M UTC")
    for label, value in [
        ("Workspace", plan.workspace),
        ("Exported", exported),
        ("Filters", plan.filters),
        ("Framework", framework.label),
        ("Score formula", framework.formula),
        (
            "Order",
            "Pinned tasks first, then score (highest first), then pain addressed, "
            "then age. Unscored tasks (missing inputs) come last without a rank.",
        ),
        ("Made by", "Rootline"),
    ]:
        about.append([text_cell(about, label), text_cell(about, value)])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _simple_sheet(wb, title, headers, rows, widths) -> None:
    ws = wb.create_sheet(title)
    _widths(ws, widths)
    _print_landscape(ws)
    ws.freeze_panes = "A2"
    ws.append(_header(ws, headers))
    written = 0
    for row in rows:  # any iterable: rows may be streamed
        written += 1
        ws.append([_value(ws, v) for v in row])
    if written:
        _add_table(ws, _table(title.replace(" ", ""), headers, written, "TableStyleLight9"))

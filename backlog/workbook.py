"""The action-plan workbook. Pure: plain values in, .xlsx bytes out (no Flask, no database).

Written with openpyxl's write-only mode, so memory stays flat however long the backlog,
through the workbook kit (workbooks/cells.py) and its one rule: every string is a text cell
with the quote prefix, never a formula. The only formulas in the workbook are the score
column's, built here from the task's own input cells.

The *Action plan* sheet has every column the update import reads back (see
backlog/plan_file.py), every framework's inputs included: the chosen framework's beside the
score, the others after the printed columns. It prints landscape, one page wide, the header
row on every page and long texts wrapped.

Every word the workbook writes (sheet names, headers, status, horizon and MoSCoW words, the
lists behind the drop-downs, the About sheet, the Matrix) is said in the exporter's language
by `ActionPlan.words` (workbooks/words.py); the code works with the English words marked
`N_` here, and the reader (backlog/plan_file.py) takes them back in any language.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from backlog.scoring import FRAMEWORKS, TASK_INPUTS, rank_label
from backlog.workbook_matrix import MAX_POINTS, Spread, add_matrix
from workbooks.cells import (
    WRAPPED,
    Formula,
    RowWriter,
    add_sheet,
    add_table,
    create_sheet,
    header_row,
    new_sheet,
    workbook_bytes,
)
from workbooks.words import ENGLISH, N_, Words

# The sheets, by their English names (the workbook says them in its language).
PLAN_SHEET, LISTS_SHEET, INSIGHTS_SHEET = N_("Action plan"), N_("Lists"), N_("Insights")
CAUSES_SHEET, MATRIX_SHEET, ABOUT_SHEET = N_("Root causes"), N_("Matrix"), N_("About")
# The words of the coded columns, as the pages label them (TaskStatus, Horizon, MoSCoW and
# the quadrants): the export writes them in its language, the import reads any language's.
STATUS_WORDS = (N_("Idea"), N_("Planned"), N_("In progress"), N_("Done"), N_("Dropped"))
HORIZON_WORDS = (N_("Quick win"), N_("Short term"), N_("Long term"))
MOSCOW_WORDS = (N_("Must"), N_("Should"), N_("Could"), N_("Wont"))
QUADRANT_WORDS = (N_("Quick win"), N_("Major project"), N_("Fill-in"), N_("Thankless task"))
YES, NO = N_("yes"), N_("no")
FOOTER = N_("&A — page &P")  # printed pages: the sheet's name and the page's number
# The scoring frameworks' words as the About sheet and the headers say them
# (backlog/scoring.py keeps them in English).
FRAMEWORK_WORDS = (
    N_("Value ÷ effort"), N_("impact (1–5) divided by effort (1–5)"),
    N_("RICE"), N_("reach × impact (0.25–3) × confidence (0–1) ÷ effort (person-months)"),
    N_("ICE (product)"), N_("impact × confidence × ease, each 1–10"),
    N_("ICE (mean)"), N_("the mean of impact, confidence and ease, each 1–10"),
    N_("WSJF"), N_("(business value + time criticality + risk reduction) ÷ job size"),
)  # fmt: skip
INPUT_WORDS = (
    N_("Impact"), N_("Effort"), N_("ICE impact"), N_("ICE confidence"), N_("ICE ease"),
    N_("RICE reach"), N_("RICE impact"), N_("RICE confidence"),
    N_("RICE effort (person-months)"), N_("Business value"), N_("Time criticality"),
    N_("Risk reduction"), N_("Job size"),
)  # fmt: skip

# Every framework's own inputs' columns (impact and effort aside), in the task's order.
INPUT_COLUMNS = tuple(i.header for i in TASK_INPUTS)


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
    inputs: Sequence[float | None]  # every framework's inputs, in INPUT_COLUMNS order
    score: float | None
    pain: int
    insights: str
    elements: str
    moscow: str = ""
    pinned: bool = False
    description: str = ""
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
    exported_at: datetime | None = None  # aware, in UTC
    time_zone: str = "UTC"  # the exporter's (an IANA name): the About sheet's time is theirs
    statuses: Sequence[str] = ()
    horizons: Sequence[str] = ()
    moscows: Sequence[str] = ()
    threshold: int = 3  # impact or effort at or above it counts as high (the quadrants)
    words: Words = ENGLISH  # the exporter's language (status, horizon and the rest in English)


def exported_in(moment: datetime, time_zone: str) -> str:
    """When the plan was exported, as the exporter's clock said it, the zone named so the
    file says it wherever it is read ("2026-12-02 17:24 Europe/Warsaw")."""
    return f"{moment.astimezone(ZoneInfo(time_zone)):%Y-%m-%d %H:%M} {time_zone}"


def score_formula(framework: str, row: int, col: dict[str, str]) -> Formula:
    """The score as an Excel formula over the row's input cells (`col` maps input → letter)."""
    return Formula(FRAMEWORKS[framework].excel_formula({n: f"{c}{row}" for n, c in col.items()}))


def plan_headers(framework: str) -> list[str]:
    """The Action plan sheet's columns: what a meeting reads (and prints) first, then the
    other frameworks' inputs, the description and the ids."""
    chosen = [i.header for i in FRAMEWORKS[framework].inputs if i.header not in PRINTED_BEFORE]
    return [
        *PRINTED_BEFORE,
        *chosen,
        N_("Score"),
        N_("Pain addressed"),
        N_("Insights addressed"),
        N_("Blueprint elements"),
        *[h for h in INPUT_COLUMNS if h not in chosen],
        N_("Pinned"),
        N_("Description"),
        N_("Task ID"),
        N_("Version"),
    ]


PRINTED_BEFORE = (N_("Rank"), N_("Task"), N_("Status"), N_("Owner"), N_("Team"), N_("Due"),
                  N_("Horizon"), N_("MoSCoW"), N_("Quadrant"), N_("Impact"),
                  N_("Effort"))  # fmt: skip
WIDTHS = {"Rank": 5, "Task": 30, "Status": 10, "Owner": 11, "Team": 11, "Due": 10.5,
          "Horizon": 9.5, "MoSCoW": 8.5, "Quadrant": 12, "Impact": 6.5, "Effort": 6.5,
          "Score": 7, "Pain addressed": 9.5, "Insights addressed": 24, "Blueprint elements": 20,
          "Pinned": 7, "Description": 60, "Task ID": 8, "Version": 8}  # fmt: skip
LINE_HEIGHT, MAX_LINES = 14.5, 8  # points per line of wrapped text; taller rows are cut
WRAPPED_COLUMNS = {"Task", "Owner", "Team", "Insights addressed", "Blueprint elements"}


def _lines(text: str, width: float) -> int:
    """About how many lines `text` takes wrapped at word boundaries in a column `width`
    characters wide (the row height is set from it)."""
    per_line, lines = max(width * 1.15, 1), 0
    if len(text) <= per_line and "\n" not in text and "\r" not in text:
        return 1  # the most common case, and the cheapest to tell
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for paragraph in text.split("\n"):
        lines, used = lines + 1, 0
        for word in paragraph.split(" "):
            if used and used + 1 + len(word) > per_line:
                lines, used = lines + 1, 0
            used += len(word) + (1 if used else 0)
            if used > per_line:  # a word longer than the line breaks where it must
                extra = math.ceil(used / per_line) - 1
                lines, used = lines + extra, used - extra * per_line
        if lines > MAX_LINES:
            break
    return lines


def sheet_reference(name: str) -> str:
    """A sheet's name as a formula names it: as it is when it is plain ASCII letters,
    else quoted, so spaces, apostrophes and any letter (Polish ones) are safe."""
    if name.isascii() and name.isalpha():
        return name
    return "'" + name.replace("'", "''") + "'"


def build_action_plan(plan: ActionPlan) -> bytes:
    words = plan.words
    footer = words(FOOTER)
    wb = Workbook(write_only=True)
    headers = plan_headers(plan.framework)
    letters = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}
    inputs = {i.name: letters[i.header] for i in FRAMEWORKS[plan.framework].inputs}
    ws = new_sheet(wb, words(PLAN_SHEET), [WIDTHS.get(h, 10) for h in headers], freeze="C2",
                   landscape=True, footer=footer)  # fmt: skip
    ws.row_dimensions[1].height = 2 * LINE_HEIGHT + 1  # titles wrap onto two lines
    ws.append(header_row(ws, [words(h) for h in headers], wrap=True))
    position = {h: i for i, h in enumerate(headers)}
    write = RowWriter(
        ws,
        alignment={position[h]: WRAPPED for h in WRAPPED_COLUMNS},
        number_format={position["Score"]: "0.00"},
    )
    at_input = [position[h] for h in INPUT_COLUMNS]
    wrapped = [(position[h], WIDTHS[h]) for h in WRAPPED_COLUMNS]
    at = [position[h] for h in (N_("Score"), N_("Pain addressed"), N_("Insights addressed"),
          N_("Blueprint elements"), N_("Pinned"), N_("Description"), N_("Task ID"),
          N_("Version"))]  # fmt: skip
    said = {"": ""}  # the coded columns' words, each said once (they repeat on every row)

    def say(word: str) -> str:
        found = said.get(word)
        if found is None:
            found = said[word] = words(word)
        return found

    pinned, blank = say(YES), [None] * (len(headers) - len(PRINTED_BEFORE))
    spread, points, written = Spread(), [], 0
    for r, row in enumerate(plan.rows, start=2):  # any iterable: rows may be streamed
        written += 1
        line = [
            row.rank,
            row.title,
            say(row.status),
            row.owner,
            row.team,
            row.due,
            say(row.horizon),
            say(row.moscow),
            say(row.quadrant),
            row.impact,
            row.effort,
            *blank,
        ]
        for i, value in zip(at_input, row.inputs, strict=True):
            line[i] = value
        score = score_formula(plan.framework, r, inputs) if row.score is not None else None
        for i, value in zip(at, (score, row.pain, row.insights, row.elements,
                                 pinned if row.pinned else None, row.description, row.task_id,
                                 row.version), strict=True):  # fmt: skip
            line[i] = value
        lines = max(
            (_lines(line[i], width) for i, width in wrapped if isinstance(line[i], str)),
            default=1,
        )
        if lines > 1:  # spreadsheets do not grow a row for wrapped text they load
            ws.row_dimensions[r].height = LINE_HEIGHT * min(lines, MAX_LINES) + 1
        ws.append(write(line))
        ws.row_dimensions.pop(r, None)  # written: memory stays flat
        if len(points) < MAX_POINTS:
            x, y = spread(row.effort, row.impact)
            points.append((rank_label(row.rank), row.title, row.effort, row.impact, x, y))
    last = written + 1
    ws.print_area = f"A1:{letters['Blueprint elements']}{max(last, 2)}"
    add_table(ws, "ActionPlan", [words(h) for h in headers], max(written, 1),
              "TableStyleMedium2")  # fmt: skip

    lists = create_sheet(wb, words(LISTS_SHEET))
    lists.sheet_state = "hidden"
    choices = [[words(w) for w in c] for c in (plan.statuses, plan.horizons, plan.moscows)]
    write = RowWriter(lists)
    for i in range(max(len(c) for c in choices)):
        lists.append(write([c[i] if i < len(c) else None for c in choices]))
    body = f"2:{max(last, 2)}"
    first, final = body.split(":")
    listed = sheet_reference(words(LISTS_SHEET))
    for column, count, lst in (
        ("Status", len(plan.statuses), "A"),
        ("Horizon", len(plan.horizons), "B"),
        ("MoSCoW", len(plan.moscows), "C"),
    ):
        if not count:
            continue
        dv = DataValidation(
            type="list",
            formula1=f"{listed}!${lst}$1:${lst}${count}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=words(N_("Unknown %(column)s"), column=words(column)),
            error=words(N_("Choose a %(column)s value from the list."), column=words(column)),
        )
        dv.add(f"{letters[column]}{first}:{letters[column]}{final}")
        ws.data_validations.append(dv)
    due, status = letters["Due"], letters["Status"]
    closed = "".join(  # finished tasks are never late, whichever language says so
        f',{status}2<>"{word}"' for w in (N_("Done"), N_("Dropped")) for word in words.forms(w)
    )
    ws.conditional_formatting.add(
        f"{due}2:{due}{max(last, 2)}",
        FormulaRule(
            formula=[f"AND(ISNUMBER({due}2),{due}2<TODAY(){closed})"],
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
        INSIGHTS_SHEET,
        [
            words(N_("Kind")),
            words(N_("Insight")),
            words(N_("Blueprint")),
            words(N_("Stage")),
            words(N_("Element")),
            words(N_("Severity")),
            words(N_("Frequency")),
            words(N_("Source")),
            # the pages' "Reference" is an evidence row's id, said otherwise in Polish
            words.pgettext("what an insight's evidence is found by", "Reference"),
            words(N_("Confirmed causes")),
        ],
        plan.insights,
        [14, 44, 24, 18, 30, 9, 10, 20, 36, 40],
        words,
    )
    _simple_sheet(
        wb,
        CAUSES_SHEET,
        [
            words(N_("Rank")),
            words(N_("Cause")),
            words(N_("Kind")),
            words(N_("Where")),
            words(N_("Status")),
            words(N_("Confirmed by")),
            words(N_("Score")),
            words(N_("Pain points")),
            words(N_("Customer actions")),
            words(N_("Blueprints")),
        ],
        plan.causes,
        [6, 40, 14, 36, 12, 12, 9, 11, 16, 11],
        words,
    )

    add_matrix(wb, points, plan.threshold, words)

    about = new_sheet(wb, words(ABOUT_SHEET), [22, 90], freeze=None)
    exported = exported_in(plan.exported_at or datetime.now(UTC), plan.time_zone)
    write = RowWriter(about)
    for label, value in [
        (N_("Workspace"), plan.workspace),
        (N_("Exported"), exported),
        (N_("Filters"), plan.filters),
        (N_("Framework"), words(FRAMEWORKS[plan.framework].label)),
        (N_("Score formula"), words(FRAMEWORKS[plan.framework].formula)),
        (
            N_("Order"),
            words(
                N_(
                    "Pinned tasks first, then score (highest first), then pain addressed, "
                    "then age. Unscored tasks (missing inputs) come last without a rank."
                )
            ),
        ),
        (N_("Made by"), "Rootline"),
    ]:
        about.append(write([words(label), value]))

    return workbook_bytes(wb)


def _simple_sheet(wb, title, said, rows, widths, words: Words) -> None:
    """A sheet of `rows` under the headers `said` (already in the workbook's language)."""
    ws, written = add_sheet(wb, words(title), said, rows, widths, wrap_header=True,
                            landscape=True, footer=words(FOOTER))  # fmt: skip
    if written:
        add_table(ws, title.replace(" ", ""), said, written, "TableStyleLight9")

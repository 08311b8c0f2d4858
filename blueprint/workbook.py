"""The blueprint workbook: one documented format to download, edit and import.

Pure: plain values in, .xlsx bytes out (`build`), and bytes in, plain values out (`parse`).

Sheets (README, "Blueprint workbook"): **Blueprint** (field, value: name, goal, scope, state,
persona), **Stages** (position, name), **Elements** (key, kind, stage, end stage, position,
title and every annotation; `stage` is `*` for a step of the whole journey), **People and
systems** (key, kind, title, description, fail point, what fails, evidence), **Links**
(source key, target key, kind) and a read-only **Board** (stage × lane grid for printing;
ignored on import). Keys are stable: `S<stage>-<lane letter>-<position>` for steps
(`A-<lane letter>-<n>` for whole-journey ones), `P<n>` and `Y<n>` for people and systems in
title order.

Every row also carries its database `id` and `version` (last columns; blank for new rows),
and the Blueprint sheet the blueprint's own, so a workbook can update the blueprint it came
from (blueprint/workbook_update.py). A hidden **Exported rows** sheet lists the ids and
versions as exported, so a row deleted in the workbook is told from one added in Rootline
since. Yes/no columns are written as yes / no, and the coded columns carry drop-downs.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from blueprint.drop_downs import BOOL_COLUMNS, add_drop_downs
from blueprint.kinds import (
    ALL_STAGES,
    CATALOG_KINDS,
    LANES,
    BlueprintState,
    Channel,
    ElementKind,
    EvidenceSource,
    EvidenceStatus,
    LinkKind,
)
from safeinput import clean_text

ELEMENT_COLUMNS = (
    "key", "kind", "stage", "end_stage", "position", "title", "description", "channel",
    "duration_minutes", "tolerance_minutes", "fail_point", "fail_note", "wait_point",
    "emotion", "moment_of_truth", "evidence_source", "evidence_status",
)  # fmt: skip
CATALOG_COLUMNS = (
    "key", "kind", "title", "description", "fail_point", "fail_note", "evidence_source",
    "evidence_status",
)  # fmt: skip
LINK_COLUMNS = ("source", "target", "kind")
BLUEPRINT_FIELDS = ("name", "goal", "scope", "state", "persona")
LANE_LETTER = {
    ElementKind.PHYSICAL_EVIDENCE: "E", ElementKind.CUSTOMER_ACTION: "C",
    ElementKind.FRONTSTAGE: "F", ElementKind.BACKSTAGE: "B", ElementKind.SUPPORT: "S",
}  # fmt: skip
ROW_ID_COLUMNS = ("id", "version")  # optional on import; blank for new rows
EXPORTED_ROWS = "Exported rows"
MAX_ROWS, MAX_COLUMNS = 20_000, 30
HEAD_FILL, HEAD_FONT = PatternFill("solid", fgColor="1F4E5F"), Font(bold=True, color="FFFFFF")


@dataclass(frozen=True)
class RowMeta:
    """Where a row came from: its row number in the workbook (None when exported from the
    database) and the id and version it carries (None for a new row)."""

    row: int | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class BlueprintData:
    name: str
    goal: str = ""
    scope: str = ""
    state: str = "current"
    persona: str = ""
    stages: list[str] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)  # ELEMENT_COLUMNS keys
    catalog: list[dict[str, Any]] = field(default_factory=list)  # CATALOG_COLUMNS keys
    links: list[tuple[str, str, str]] = field(default_factory=list)
    # The blueprint's own id and version, and each row's (see RowMeta), by sheet name and in
    # the order of that sheet's list above. Not part of equality: a copy has other ids.
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)
    meta: dict[str, list[RowMeta]] = field(default_factory=dict, compare=False)
    # sheet name → {id: version} as exported; None when the workbook does not say
    exported: dict[str, dict[int, int]] | None = field(default=None, compare=False)

    def row_meta(self, sheet: str, index: int) -> RowMeta:
        rows = self.meta.get(sheet, [])
        return rows[index] if index < len(rows) else RowMeta()

    link_rows: list[int] = field(default_factory=list)  # each link's row in Links, if read
    notes: list[int] = field(default_factory=list)  # Links rows read as relies_on, not uses

    def summary(self) -> str:
        """What the import changed while reading, in words (empty: nothing)."""
        if not self.notes:
            return ""
        rows = ", ".join(str(n) for n in self.notes)
        count = len(self.notes)
        return (
            f"{count} 'uses' link{'s' if count != 1 else ''} into something that is not a "
            f"system {'were' if count != 1 else 'was'} imported as 'relies on' "
            f"(Links, row{'s' if count != 1 else ''} {rows})."
        )


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class WorkbookProblems(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


# --- writing -------------------------------------------------------------------------------


def _text(ws, value) -> WriteOnlyCell:
    value = clean_text(value)  # the last guard: no cell can hold a control character
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # user text is text, never a formula
        cell.quotePrefix = True
    return cell


def _sheet(wb, title: str, headers: Sequence[str], rows, widths: Sequence[int]):
    ws = wb.create_sheet(title)
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(65 + i)].width = width
    ws.freeze_panes = "A2"
    head = []
    for h in headers:
        cell = _text(ws, h)
        cell.fill, cell.font = HEAD_FILL, HEAD_FONT
        head.append(cell)
    ws.append(head)
    for row in rows:
        ws.append([_text(ws, v) for v in row])
    return ws


def _ids(data: BlueprintData, sheet: str, count: int) -> list[tuple[int | None, int | None]]:
    return [(m.id, m.version) for m in (data.row_meta(sheet, i) for i in range(count))]


def _yes_no(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    return [("yes" if row.get(c) else "no") if c in BOOL_COLUMNS else row.get(c) for c in columns]


def build(data: BlueprintData) -> bytes:
    wb = Workbook(write_only=True)
    _sheet(
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
    _sheet(
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
    elements = _sheet(
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
    catalog = _sheet(
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
    links = _sheet(
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
    board = wb.create_sheet("Board")
    wrap = Alignment(wrap_text=True, vertical="top")
    board.column_dimensions["A"].width = 20
    for i in range(len(data.stages)):
        board.column_dimensions[_col(i + 2)].width = 32
    board.append([_text(board, "Lane \\ Stage"), *[_text(board, s) for s in data.stages]])
    for lane in LANES:
        cells = [_text(board, lane.label)]
        for column in range(len(data.stages)):
            titles = [
                e["title"]
                for e in sorted(data.elements, key=lambda e: e["position"])
                if e["kind"] == lane.value and column in _columns(e, data.stages)
            ]
            cell = _text(board, "\n".join(titles))
            cell.alignment = wrap
            cells.append(cell)
        board.append(cells)
    if data.id is not None:
        exported = wb.create_sheet(EXPORTED_ROWS)
        exported.sheet_state = "hidden"
        exported.append([_text(exported, h) for h in ("sheet", "id", "version")])
        for sheet in ("Stages", "Elements", "People and systems", "Links"):
            for meta in data.meta.get(sheet, []):
                if meta.id is not None:
                    exported.append([_text(exported, sheet), meta.id, meta.version])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _columns(element: dict[str, Any], stages: list[str]) -> range:
    """The stage columns a step covers (empty when its stages are not known)."""
    if element["stage"] == ALL_STAGES:
        return range(len(stages))
    if element["stage"] not in stages:
        return range(0)
    start = stages.index(element["stage"])
    end = stages.index(element["end_stage"]) if element.get("end_stage") in stages else start
    return range(min(start, end), max(start, end) + 1)


def _col(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# --- reading -------------------------------------------------------------------------------


# Columns added after the first format: a workbook without them still imports.
OPTIONAL = {"end_stage", "evidence_source", "evidence_status", *ROW_ID_COLUMNS}


def _rows(wb, sheet: str, columns: Sequence[str], problems: list[Problem], optional=ROW_ID_COLUMNS):
    """(row number, {column: raw value}) for each non-blank row; OPTIONAL and `optional`
    columns read as None when the sheet has none."""
    if sheet not in wb.sheetnames:
        problems.append(Problem(sheet, None, None, "the sheet is missing"))
        return []
    ws = wb[sheet]
    rows = _safe_rows(
        sheet, ws.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 2, values_only=True)
    )
    try:
        header = next(rows, None)
    except _Unreadable as exc:
        problems.append(exc.problem)
        return []
    names = [str(h).strip().lower() if h is not None else "" for h in (header or ())]
    missing = [c for c in columns if c not in names and c not in OPTIONAL]
    if missing:
        problems.append(Problem(sheet, 1, None, f"missing column(s): {', '.join(missing)}"))
        return []
    index = {
        c: names.index(c) if c in names else len(names) + MAX_COLUMNS for c in (*columns, *optional)
    }
    out = []
    try:
        for number, row in enumerate(rows, start=2):
            if row is None or all(v in (None, "") for v in row):
                continue
            if number > MAX_ROWS + 1:
                problems.append(
                    Problem(
                        sheet, number, None, f"the sheet is too long: at most {MAX_ROWS:,} rows"
                    )
                )
                break
            out.append((number, {c: (row[i] if i < len(row) else None) for c, i in index.items()}))
    except _Unreadable as exc:
        problems.append(exc.problem)
    return out


class _Unreadable(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


def _safe_rows(sheet: str, rows):
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
            raise _Unreadable(
                Problem(sheet, number, None, "a cell of this row cannot be read")
            ) from exc
        yield row


def _meta(row: dict, sheet: str, number: int, problems: list[Problem]) -> RowMeta:
    ids = []
    for column in ROW_ID_COLUMNS:
        value = row.get(column)
        if value in (None, ""):
            ids.append(None)
            continue
        try:
            ids.append(int(str(value).strip()))
        except ValueError:
            problems.append(
                Problem(
                    sheet,
                    number,
                    column,
                    f"{value!r} is not a row {column}: leave it as exported, "
                    "or blank for a new row",
                )
            )
            ids.append(None)
    return RowMeta(number, *ids)


def _exported(wb) -> dict[str, dict[int, int]] | None:
    if EXPORTED_ROWS not in wb.sheetnames:
        return None
    found: dict[str, dict[int, int]] = {}
    rows = wb[EXPORTED_ROWS].iter_rows(max_col=3, max_row=4 * MAX_ROWS + 1, values_only=True)
    next(rows, None)
    for row in rows:
        sheet, row_id, version = (list(row) + [None] * 3)[:3]
        try:
            found.setdefault(str(sheet), {})[int(row_id)] = int(version)
        except (TypeError, ValueError):
            continue  # a row someone mangled is simply not known as exported
    return found


def _str(value) -> str:
    return "" if value is None else str(value).strip()


def _long_text(value) -> str:
    """Descriptions and notes keep their own spacing; line ends become LF (a CR is never
    kept: the workbook's XML cannot hold it reliably, so reading one back changes nothing)."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


MAX_MINUTES = 10_000_000  # as the element form allows


def _int(value, sheet, row, column, problems, *, low=None, high=None, blank=True):
    if value is None or (isinstance(value, str) and not value.strip()):
        if not blank:
            problems.append(Problem(sheet, row, column, "a number is required"))
        return None
    if isinstance(value, bool):
        value = str(value)
    try:
        number_f = float(str(value).strip())
        number = int(number_f)
        if number_f != number:
            raise ValueError
    except (ValueError, OverflowError):  # text, nan, inf
        problems.append(Problem(sheet, row, column, f"{value!r} is not a whole number"))
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"{low}..{high}" if high is not None else f"at least {low}"
        problems.append(Problem(sheet, row, column, f"{number} is outside {bounds}"))
        return None
    return number


YES = ("1", "1.0", "true", "yes", "y", "x")
NO = ("", "0", "0.0", "false", "no", "n")


def _bool(value, sheet, row, column, problems) -> bool:
    text = _str(value).lower()
    if text in NO:
        return False
    if text in YES:
        return True
    problems.append(Problem(sheet, row, column, f"{value!r} is not yes or no"))
    return False


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").lower().split())


def _enum(enum_cls, value, sheet, row, column, problems, *, allowed=None, required=False):
    """A code or its label, in any case: `Web`, `web`; `Call centre / tickets`,
    `call_centre`; `Customer actions`, `customer action`."""
    text = _str(value)
    if not text:
        if required:
            problems.append(
                Problem(sheet, row, column, f"a {column.replace('_', ' ')} is required")
            )
        return None
    members = list(allowed or enum_cls)
    wanted = _key(text)
    for member in members:
        names = {_key(member.value), _key(member.label), _key(member.label).rstrip("s")}
        if wanted in names or wanted.rstrip("s") in names:
            return member.value
    options = ", ".join(m.value for m in members)
    problems.append(Problem(sheet, row, column, f"{text!r} is not one of {options}"))
    return None


def parse(content: bytes) -> BlueprintData:
    """Read a blueprint workbook; every problem names its sheet, row and column."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise WorkbookProblems(
            [Problem("workbook", None, None, "the file cannot be read as a workbook")]
        ) from exc
    problems: list[Problem] = []
    try:
        fields = {
            _str(r["field"]).lower(): (n, r["value"])
            for n, r in _rows(wb, "Blueprint", ("field", "value"), problems, optional=())
        }

        def field_value(name: str):
            return fields.get(name, (None, None))

        name_row, name = field_value("name")
        data = BlueprintData(
            name=_str(name),
            goal=_long_text(field_value("goal")[1]),
            scope=_long_text(field_value("scope")[1]),
            persona=_str(field_value("persona")[1]),
        )
        own = _meta({k: v for k, (_, v) in fields.items()}, "Blueprint", None, problems)
        data.id, data.version = own.id, own.version
        data.exported = _exported(wb)
        if not data.name:
            problems.append(Problem("Blueprint", name_row, "value", "the name is required"))
        if len(data.name) > 200:
            problems.append(
                Problem("Blueprint", name_row, "value", "the name is over 200 characters")
            )
        if len(data.persona) > 200:
            problems.append(
                Problem(
                    "Blueprint",
                    field_value("persona")[0],
                    "value",
                    "the persona's name is over 200 characters",
                )
            )
        state_row, state = field_value("state")
        data.state = (
            _enum(BlueprintState, state or "current", "Blueprint", state_row, "value", problems)
            or "current"
        )
        stage_rows = []
        for number, row in _rows(wb, "Stages", ("position", "name"), problems):
            position = _int(row["position"], "Stages", number, "position", problems, low=0)
            stage_rows.append((position if position is not None else 0, number, row))
        for _, number, row in sorted(stage_rows, key=lambda r: (r[0], r[1])):
            name = _str(row["name"])
            if not name or len(name) > 200:
                problems.append(Problem("Stages", number, "name", "1 to 200 characters"))
            elif name == ALL_STAGES:
                problems.append(
                    Problem("Stages", number, "name", "* stands for all stages; not a stage name")
                )
            elif name in data.stages:
                problems.append(Problem("Stages", number, "name", f"stage {name!r} twice"))
            else:
                data.stages.append(name)
                data.meta.setdefault("Stages", []).append(_meta(row, "Stages", number, problems))
        keys: set[str] = set()
        for number, row in _rows(wb, "People and systems", CATALOG_COLUMNS, problems):
            sheet = "People and systems"
            key, title = _str(row["key"]), _str(row["title"])
            kind = _enum(
                ElementKind,
                row["kind"],
                sheet,
                number,
                "kind",
                problems,
                allowed=CATALOG_KINDS,
                required=True,
            )
            _check_key(key, keys, sheet, number, problems)
            _check_title(title, sheet, number, problems)
            data.catalog.append(
                {
                    "key": key,
                    "kind": kind,
                    "title": title,
                    "description": _long_text(row["description"]),
                    "fail_point": _bool(row["fail_point"], sheet, number, "fail_point", problems),
                    "fail_note": _long_text(row["fail_note"]),
                    "evidence_source": _enum(
                        EvidenceSource,
                        row["evidence_source"],
                        sheet,
                        number,
                        "evidence_source",
                        problems,
                    ),
                    "evidence_status": _enum(
                        EvidenceStatus,
                        row["evidence_status"],
                        sheet,
                        number,
                        "evidence_status",
                        problems,
                    ),
                }
            )
            data.meta.setdefault(sheet, []).append(_meta(row, sheet, number, problems))
        for number, row in _rows(wb, "Elements", ELEMENT_COLUMNS, problems):
            data.elements.append(_element(row, number, data.stages, keys, problems))
            data.meta.setdefault("Elements", []).append(_meta(row, "Elements", number, problems))
        kinds = {e["key"]: e["kind"] for e in data.catalog + data.elements}
        for number, row in _rows(wb, "Links", LINK_COLUMNS, problems):
            link = _link(row, number, kinds, problems, data.notes)
            if link is not None:
                if link in data.links:
                    problems.append(Problem("Links", number, None, "the same link twice"))
                    continue
                data.links.append(link)
                data.link_rows.append(number)
                data.meta.setdefault("Links", []).append(_meta(row, "Links", number, problems))
    finally:
        wb.close()
    if problems:
        raise WorkbookProblems(problems)
    return data


def _link(row, number, kinds, problems, notes) -> tuple[str, str, str] | None:
    """One row of Links, checked against the method's rules. A `uses` link into something
    that is not a system is read as `relies_on` (published blueprints draw their arrows
    looser than our kinds) and noted; every other problem names row and column."""
    sheet = "Links"
    source, target = _str(row["source"]), _str(row["target"])
    kind = _enum(LinkKind, row["kind"], sheet, number, "kind", problems, required=True)
    found = True
    for column, key in (("source", source), ("target", target)):
        if key not in kinds:
            problems.append(Problem(sheet, number, column, f"no element has key {key!r}"))
            found = False
    if not (found and kind):
        return None
    if source == target:
        problems.append(Problem(sheet, number, "target", "a step cannot be linked to itself"))
        return None
    target_kind = kinds[target]
    catalog = (ElementKind.PERSON.value, ElementKind.SYSTEM.value)
    if kind == LinkKind.USES.value and target_kind != ElementKind.SYSTEM.value:
        notes.append(number)
        kind = LinkKind.RELIES_ON.value
    elif kind == LinkKind.PERFORMED_BY.value and target_kind != ElementKind.PERSON.value:
        problems.append(
            Problem(sheet, number, "kind", "'performed by' links point at a person or team")
        )
        return None
    elif kind == LinkKind.NEXT.value and (kinds[source] in catalog or target_kind in catalog):
        problems.append(
            Problem(sheet, number, "kind", "'next' orders steps; people and systems have none")
        )
        return None
    return source, target, kind


def _check_key(key, keys, sheet, number, problems) -> None:
    if not key:
        problems.append(Problem(sheet, number, "key", "a key is required"))
    elif key in keys:
        problems.append(Problem(sheet, number, "key", f"key {key!r} is used twice"))
    keys.add(key)


def _check_title(title, sheet, number, problems) -> None:
    if not title or len(title) > 200:
        problems.append(Problem(sheet, number, "title", "1 to 200 characters"))


def _element(row, number, stages, keys, problems) -> dict[str, Any]:
    sheet = "Elements"
    key, title, stage = _str(row["key"]), _str(row["title"]), _str(row["stage"])
    _check_key(key, keys, sheet, number, problems)
    _check_title(title, sheet, number, problems)
    kind = _enum(
        ElementKind, row["kind"], sheet, number, "kind", problems, allowed=LANES, required=True
    )
    end_stage = _str(row["end_stage"])
    if stage == ALL_STAGES:
        if not stages:
            problems.append(Problem(sheet, number, "stage", "* (all stages) needs a stage"))
        if end_stage:
            problems.append(Problem(sheet, number, "end_stage", "leave it empty with * (all)"))
    elif stage not in stages:
        problems.append(Problem(sheet, number, "stage", f"no stage is called {stage!r}"))
    if end_stage and end_stage not in stages and stage != ALL_STAGES:
        problems.append(Problem(sheet, number, "end_stage", f"no stage is called {end_stage!r}"))
    if end_stage == stage:
        end_stage = ""
    emotion = _int(row["emotion"], sheet, number, "emotion", problems, low=-2, high=2)
    if emotion is not None and kind != ElementKind.CUSTOMER_ACTION.value:
        problems.append(Problem(sheet, number, "emotion", "only customer actions have one"))
    return {
        "key": key,
        "kind": kind,
        "stage": stage,
        "end_stage": end_stage,
        "title": title,
        "position": _int(row["position"], sheet, number, "position", problems, low=0) or 0,
        "description": _long_text(row["description"]),
        "channel": _enum(Channel, row["channel"], sheet, number, "channel", problems),
        "duration_minutes": _int(
            row["duration_minutes"],
            sheet,
            number,
            "duration_minutes",
            problems,
            low=0,
            high=MAX_MINUTES,
        ),
        "tolerance_minutes": _int(
            row["tolerance_minutes"],
            sheet,
            number,
            "tolerance_minutes",
            problems,
            low=0,
            high=MAX_MINUTES,
        ),
        "fail_point": _bool(row["fail_point"], sheet, number, "fail_point", problems),
        "fail_note": _long_text(row["fail_note"]),
        "wait_point": _bool(row["wait_point"], sheet, number, "wait_point", problems),
        "emotion": emotion,
        "moment_of_truth": _bool(
            row["moment_of_truth"], sheet, number, "moment_of_truth", problems
        ),
        "evidence_source": _enum(
            EvidenceSource, row["evidence_source"], sheet, number, "evidence_source", problems
        ),
        "evidence_status": _enum(
            EvidenceStatus, row["evidence_status"], sheet, number, "evidence_status", problems
        ),
    }

"""Reading the blueprint workbook: .xlsx bytes in, plain data out (`BlueprintData`). Pure.

Every problem names its sheet, row and column (workbooks/problems.py), and all of them are
reported at once: a workbook with any problem is refused whole. Codes are read as codes or
their labels, in any case; yes/no columns take yes, no, true, false, 1, 0, x or blank;
descriptions keep their spacing, with line ends read as line feeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
from blueprint.workbook.layout import (
    CATALOG_COLUMNS,
    ELEMENT_COLUMNS,
    EXPORTED_ROWS,
    LINK_COLUMNS,
    MAX_COLUMNS,
    OPTIONAL,
    ROW_ID_COLUMNS,
    BlueprintData,
    RowMeta,
)
from workbooks.problems import MAX_ROWS, Problem, WorkbookProblems
from workbooks.reading import (
    NOT_A_WORKBOOK,
    Unreadable,
    cell_text,
    choice,
    header_names,
    long_text,
    missing_columns,
    open_upload,
    safe_rows,
    whole_number,
    yes_no,
)

__all__ = ["MAX_MINUTES", "parse"]


def _rows(wb, sheet: str, columns: Sequence[str], problems: list[Problem], optional=ROW_ID_COLUMNS):
    """(row number, {column: raw value}) for each non-blank row; OPTIONAL and `optional`
    columns read as None when the sheet has none."""
    if sheet not in wb.sheetnames:
        problems.append(Problem(sheet, None, None, "the sheet is missing"))
        return []
    ws = wb[sheet]
    rows = safe_rows(
        sheet, ws.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 2, values_only=True)
    )
    try:
        header = next(rows, None)
    except Unreadable as exc:
        problems.append(exc.problem)
        return []
    names = header_names(header)
    missing = missing_columns(sheet, names, columns, OPTIONAL)
    if missing:
        problems.append(missing)
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
    except Unreadable as exc:
        problems.append(exc.problem)
    return out


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


MAX_MINUTES = 10_000_000  # as the element form allows


def parse(content: bytes) -> BlueprintData:
    """Read a blueprint workbook; every problem names its sheet, row and column."""
    wb = open_upload(content, data_only=True)
    if wb is None:
        raise WorkbookProblems([NOT_A_WORKBOOK])
    problems: list[Problem] = []
    try:
        fields = {
            cell_text(r["field"]).lower(): (n, r["value"])
            for n, r in _rows(wb, "Blueprint", ("field", "value"), problems, optional=())
        }

        def field_value(name: str):
            return fields.get(name, (None, None))

        name_row, name = field_value("name")
        data = BlueprintData(
            name=cell_text(name),
            goal=long_text(field_value("goal")[1]),
            scope=long_text(field_value("scope")[1]),
            persona=cell_text(field_value("persona")[1]),
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
            choice(BlueprintState, state or "current", "Blueprint", state_row, "value", problems)
            or "current"
        )
        stage_rows = []
        for number, row in _rows(wb, "Stages", ("position", "name"), problems):
            position = whole_number(row["position"], "Stages", number, "position", problems, low=0)
            stage_rows.append((position if position is not None else 0, number, row))
        for _, number, row in sorted(stage_rows, key=lambda r: (r[0], r[1])):
            name = cell_text(row["name"])
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
            key, title = cell_text(row["key"]), cell_text(row["title"])
            kind = choice(
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
                    "description": long_text(row["description"]),
                    "fail_point": yes_no(row["fail_point"], sheet, number, "fail_point", problems),
                    "fail_note": long_text(row["fail_note"]),
                    "evidence_source": choice(
                        EvidenceSource,
                        row["evidence_source"],
                        sheet,
                        number,
                        "evidence_source",
                        problems,
                    ),
                    "evidence_status": choice(
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
    source, target = cell_text(row["source"]), cell_text(row["target"])
    kind = choice(LinkKind, row["kind"], sheet, number, "kind", problems, required=True)
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
    key, title, stage = cell_text(row["key"]), cell_text(row["title"]), cell_text(row["stage"])
    _check_key(key, keys, sheet, number, problems)
    _check_title(title, sheet, number, problems)
    kind = choice(
        ElementKind, row["kind"], sheet, number, "kind", problems, allowed=LANES, required=True
    )
    end_stage = cell_text(row["end_stage"])
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
    emotion = whole_number(row["emotion"], sheet, number, "emotion", problems, low=-2, high=2)
    if emotion is not None and kind != ElementKind.CUSTOMER_ACTION.value:
        problems.append(Problem(sheet, number, "emotion", "only customer actions have one"))
    return {
        "key": key,
        "kind": kind,
        "stage": stage,
        "end_stage": end_stage,
        "title": title,
        "position": whole_number(row["position"], sheet, number, "position", problems, low=0) or 0,
        "description": long_text(row["description"]),
        "channel": choice(Channel, row["channel"], sheet, number, "channel", problems),
        "duration_minutes": whole_number(
            row["duration_minutes"],
            sheet,
            number,
            "duration_minutes",
            problems,
            low=0,
            high=MAX_MINUTES,
        ),
        "tolerance_minutes": whole_number(
            row["tolerance_minutes"],
            sheet,
            number,
            "tolerance_minutes",
            problems,
            low=0,
            high=MAX_MINUTES,
        ),
        "fail_point": yes_no(row["fail_point"], sheet, number, "fail_point", problems),
        "fail_note": long_text(row["fail_note"]),
        "wait_point": yes_no(row["wait_point"], sheet, number, "wait_point", problems),
        "emotion": emotion,
        "moment_of_truth": yes_no(
            row["moment_of_truth"], sheet, number, "moment_of_truth", problems
        ),
        "evidence_source": choice(
            EvidenceSource, row["evidence_source"], sheet, number, "evidence_source", problems
        ),
        "evidence_status": choice(
            EvidenceStatus, row["evidence_status"], sheet, number, "evidence_status", problems
        ),
    }

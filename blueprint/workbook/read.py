"""Reading the blueprint workbook: .xlsx bytes in, plain data out (`BlueprintData`). Pure.

Every problem names its sheet, row and column (workbooks/problems.py), and all of them are
reported at once: a workbook with any problem is refused whole. Codes are read as codes or
their labels, in any case; yes/no columns take yes, no, true, false, 1, 0, x or blank;
descriptions keep their spacing, with line ends read as line feeds.

Sheets, columns and coded values are read in any language Rootline writes them in (a Polish
workbook's "Elementy", "rodzaj", "działania klienta"), or several mixed; problems are said
in the reader's language (`words`, workbooks/words.py), naming sheets and columns so.
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
    BLUEPRINT_WORDS,
    CATALOG_COLUMNS,
    ELEMENT_COLUMNS,
    EXPORTED_ROWS,
    LINK_COLUMNS,
    MAX_COLUMNS,
    OPTIONAL,
    ROW_ID_COLUMNS,
    SHEETS,
    BlueprintData,
    RowMeta,
    sheet_names,
)
from workbooks.problems import MAX_ROWS, Problem, WorkbookProblems
from workbooks.reading import (
    Unreadable,
    cell_text,
    choice,
    header_names,
    long_text,
    missing_columns,
    not_a_workbook,
    open_upload,
    safe_rows,
    whole_number,
    yes_no,
)
from workbooks.words import ENGLISH, N_, Words, fold

__all__ = ["MAX_MINUTES", "parse"]


class _Reading:
    """What every sheet's reader shares: the workbook, its sheets by their English names,
    the reader's words and the problems found so far."""

    def __init__(self, wb, words: Words):
        self.wb, self.words, self.problems = wb, words, []
        self.sheets = sheet_names(wb.sheetnames, words)

    def problem(self, sheet: str, row, column, message: str) -> None:
        """A problem at `sheet` and `column` (English names), said in the reader's words."""
        said = self.words(column) if column else column
        self.problems.append(Problem(self.words(sheet), row, said, message, self.words))

    def say(self, message: str, **values) -> str:
        return self.words(message, **values)


def _rows(
    read: _Reading, sheet: str, columns: Sequence[str], optional=ROW_ID_COLUMNS
) -> list[tuple[int, dict]]:
    """(row number, {column: raw value}) for each non-blank row; OPTIONAL and `optional`
    columns read as None when the sheet has none."""
    problems, words = read.problems, read.words
    if sheet not in read.sheets:
        read.problem(sheet, None, None, read.say(N_("the sheet is missing")))
        return []
    ws = read.wb[read.sheets[sheet]]
    rows = safe_rows(
        words(sheet),
        ws.iter_rows(max_col=MAX_COLUMNS, max_row=MAX_ROWS + 2, values_only=True),
        words,
    )
    try:
        header = next(rows, None)
    except Unreadable as exc:
        problems.append(exc.problem)
        return []
    names = header_names(header, (*columns, *optional, *OPTIONAL), words)
    missing = missing_columns(words(sheet), names, columns, OPTIONAL, words)
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
                message = read.say(
                    N_("the sheet is too long: at most %(rows)s rows"),
                    rows=words.number(MAX_ROWS),
                )
                read.problem(sheet, number, None, message)
                break
            out.append((number, {c: (row[i] if i < len(row) else None) for c, i in index.items()}))
    except Unreadable as exc:
        problems.append(exc.problem)
    return out


NOT_A_ROW_ID = {
    "id": N_("%(value)s is not a row id: leave it as exported, or blank for a new row"),
    "version": N_("%(value)s is not a row version: leave it as exported, or blank for a new row"),
}


def _meta(row: dict, sheet: str, number: int, read: _Reading) -> RowMeta:
    ids = []
    for column in ROW_ID_COLUMNS:
        value = row.get(column)
        if value in (None, ""):
            ids.append(None)
            continue
        try:
            ids.append(int(str(value).strip()))
        except ValueError:
            message = read.say(NOT_A_ROW_ID[column], value=repr(value))
            read.problem(sheet, number, column, message)
            ids.append(None)
    return RowMeta(number, *ids)


def _exported(read: _Reading) -> dict[str, dict[int, int]] | None:
    if EXPORTED_ROWS not in read.sheets:
        return None
    found: dict[str, dict[int, int]] = {}
    known = read.words.lookup(SHEETS)
    rows = read.wb[read.sheets[EXPORTED_ROWS]].iter_rows(
        max_col=3, max_row=4 * MAX_ROWS + 1, values_only=True
    )
    next(rows, None)
    for row in rows:
        sheet, row_id, version = (list(row) + [None] * 3)[:3]
        sheet = known.get(fold(sheet), str(sheet))  # the sheet's English name
        try:
            found.setdefault(sheet, {})[int(row_id)] = int(version)
        except (TypeError, ValueError):
            continue  # a row someone mangled is simply not known as exported
    return found


MAX_MINUTES = 10_000_000  # as the element form allows


def parse(content: bytes, words: Words = ENGLISH) -> BlueprintData:
    """Read a blueprint workbook, in any language of `words`; every problem names its sheet,
    row and column, in the language of `words`."""
    wb = open_upload(content, data_only=True)
    if wb is None:
        raise WorkbookProblems([not_a_workbook(words)])
    read = _Reading(wb, words)
    say, problem, problems = read.say, read.problem, read.problems
    try:
        fields = {
            header_names([r["field"]], BLUEPRINT_WORDS, words)[0]: (n, r["value"])
            for n, r in _rows(read, "Blueprint", ("field", "value"), optional=())
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
        own = _meta({k: v for k, (_, v) in fields.items()}, "Blueprint", None, read)
        data.id, data.version = own.id, own.version
        data.exported = _exported(read)
        if not data.name:
            problem("Blueprint", name_row, "value", say(N_("the name is required")))
        if len(data.name) > 200:
            problem("Blueprint", name_row, "value", say(N_("the name is over 200 characters")))
        if len(data.persona) > 200:
            problem(
                "Blueprint",
                field_value("persona")[0],
                "value",
                say(N_("the persona's name is over 200 characters")),
            )
        state_row, state = field_value("state")
        data.state = (
            choice(
                BlueprintState,
                state or "current",
                words("Blueprint"),
                state_row,
                words("value"),
                problems,
                words=words,
            )
            or "current"
        )
        stage_rows = []
        for number, row in _rows(read, "Stages", ("position", "name")):
            position = whole_number(
                row["position"], words("Stages"), number, words("position"), problems, low=0,
                words=words,
            )  # fmt: skip
            stage_rows.append((position if position is not None else 0, number, row))
        for _, number, row in sorted(stage_rows, key=lambda r: (r[0], r[1])):
            name = cell_text(row["name"])
            if not name or len(name) > 200:
                problem("Stages", number, "name", say(N_("1 to 200 characters")))
            elif name == ALL_STAGES:
                problem(
                    "Stages", number, "name", say(N_("* stands for all stages; not a stage name"))
                )
            elif name in data.stages:
                problem("Stages", number, "name", say(N_("stage %(name)s twice"), name=repr(name)))
            else:
                data.stages.append(name)
                data.meta.setdefault("Stages", []).append(_meta(row, "Stages", number, read))
        keys: set[str] = set()
        sheet = "People and systems"
        at = words(sheet)
        for number, row in _rows(read, sheet, CATALOG_COLUMNS):
            key, title = cell_text(row["key"]), cell_text(row["title"])
            kind = choice(
                ElementKind,
                row["kind"],
                at,
                number,
                words("kind"),
                problems,
                allowed=CATALOG_KINDS,
                required=True,
                words=words,
            )
            _check_key(key, keys, sheet, number, read)
            _check_title(title, sheet, number, read)
            data.catalog.append(
                {
                    "key": key,
                    "kind": kind,
                    "title": title,
                    "description": long_text(row["description"]),
                    "fail_point": yes_no(
                        row["fail_point"], at, number, words("fail_point"), problems, words
                    ),
                    "fail_note": long_text(row["fail_note"]),
                    "evidence_source": choice(
                        EvidenceSource,
                        row["evidence_source"],
                        at,
                        number,
                        words("evidence_source"),
                        problems,
                        words=words,
                    ),
                    "evidence_status": choice(
                        EvidenceStatus,
                        row["evidence_status"],
                        at,
                        number,
                        words("evidence_status"),
                        problems,
                        words=words,
                    ),
                }
            )
            data.meta.setdefault(sheet, []).append(_meta(row, sheet, number, read))
        for number, row in _rows(read, "Elements", ELEMENT_COLUMNS):
            data.elements.append(_element(row, number, data.stages, keys, read))
            data.meta.setdefault("Elements", []).append(_meta(row, "Elements", number, read))
        kinds = {e["key"]: e["kind"] for e in data.catalog + data.elements}
        for number, row in _rows(read, "Links", LINK_COLUMNS):
            link = _link(row, number, kinds, read, data.notes)
            if link is not None:
                if link in data.links:
                    problem("Links", number, None, say(N_("the same link twice")))
                    continue
                data.links.append(link)
                data.link_rows.append(number)
                data.meta.setdefault("Links", []).append(_meta(row, "Links", number, read))
    finally:
        wb.close()
    if problems:
        raise WorkbookProblems(problems)
    return data


def _link(row, number, kinds, read: _Reading, notes) -> tuple[str, str, str] | None:
    """One row of Links, checked against the method's rules. A `uses` link into something
    that is not a system is read as `relies_on` (published blueprints draw their arrows
    looser than our kinds) and noted; every other problem names row and column."""
    sheet, words, say = "Links", read.words, read.say
    source, target = cell_text(row["source"]), cell_text(row["target"])
    kind = choice(
        LinkKind, row["kind"], words(sheet), number, words("kind"), read.problems,
        required=True, words=words,
    )  # fmt: skip
    found = True
    for column, key in (("source", source), ("target", target)):
        if key not in kinds:
            message = say(N_("no element has key %(key)s"), key=repr(key))
            read.problem(sheet, number, column, message)
            found = False
    if not (found and kind):
        return None
    if source == target:
        read.problem(sheet, number, "target", say(N_("a step cannot be linked to itself")))
        return None
    target_kind = kinds[target]
    catalog = (ElementKind.PERSON.value, ElementKind.SYSTEM.value)
    if kind == LinkKind.USES.value and target_kind != ElementKind.SYSTEM.value:
        notes.append(number)
        kind = LinkKind.RELIES_ON.value
    elif kind == LinkKind.PERFORMED_BY.value and target_kind != ElementKind.PERSON.value:
        read.problem(
            sheet, number, "kind", say(N_("'performed by' links point at a person or team"))
        )
        return None
    elif kind == LinkKind.NEXT.value and (kinds[source] in catalog or target_kind in catalog):
        read.problem(
            sheet, number, "kind", say(N_("'next' orders steps; people and systems have none"))
        )
        return None
    return source, target, kind


def _check_key(key, keys, sheet, number, read: _Reading) -> None:
    if not key:
        read.problem(sheet, number, "key", read.say(N_("a key is required")))
    elif key in keys:
        read.problem(sheet, number, "key", read.say(N_("key %(key)s is used twice"), key=repr(key)))
    keys.add(key)


def _check_title(title, sheet, number, read: _Reading) -> None:
    if not title or len(title) > 200:
        read.problem(sheet, number, "title", read.say(N_("1 to 200 characters")))


def _element(row, number, stages, keys, read: _Reading) -> dict[str, Any]:
    sheet, words, say, problems = "Elements", read.words, read.say, read.problems
    at = words(sheet)
    key, title, stage = cell_text(row["key"]), cell_text(row["title"]), cell_text(row["stage"])
    _check_key(key, keys, sheet, number, read)
    _check_title(title, sheet, number, read)
    kind = choice(
        ElementKind, row["kind"], at, number, words("kind"), problems, allowed=LANES,
        required=True, words=words,
    )  # fmt: skip
    end_stage = cell_text(row["end_stage"])
    if stage == ALL_STAGES:
        if not stages:
            read.problem(sheet, number, "stage", say(N_("* (all stages) needs a stage")))
        if end_stage:
            read.problem(sheet, number, "end_stage", say(N_("leave it empty with * (all)")))
    elif stage not in stages:
        read.problem(
            sheet, number, "stage", say(N_("no stage is called %(name)s"), name=repr(stage))
        )
    if end_stage and end_stage not in stages and stage != ALL_STAGES:
        read.problem(
            sheet, number, "end_stage", say(N_("no stage is called %(name)s"), name=repr(end_stage))
        )
    if end_stage == stage:
        end_stage = ""

    def number_of(column: str, **bounds):
        return whole_number(row[column], at, number, words(column), problems, words=words, **bounds)

    def code(enum, column: str):
        return choice(enum, row[column], at, number, words(column), problems, words=words)

    def flag(column: str) -> bool:
        return yes_no(row[column], at, number, words(column), problems, words)

    emotion = number_of("emotion", low=-2, high=2)
    if emotion is not None and kind != ElementKind.CUSTOMER_ACTION.value:
        read.problem(sheet, number, "emotion", say(N_("only customer actions have one")))
    return {
        "key": key,
        "kind": kind,
        "stage": stage,
        "end_stage": end_stage,
        "title": title,
        "position": number_of("position", low=0) or 0,
        "description": long_text(row["description"]),
        "channel": code(Channel, "channel"),
        "duration_minutes": number_of("duration_minutes", low=0, high=MAX_MINUTES),
        "tolerance_minutes": number_of("tolerance_minutes", low=0, high=MAX_MINUTES),
        "fail_point": flag("fail_point"),
        "fail_note": long_text(row["fail_note"]),
        "wait_point": flag("wait_point"),
        "emotion": emotion,
        "moment_of_truth": flag("moment_of_truth"),
        "evidence_source": code(EvidenceSource, "evidence_source"),
        "evidence_status": code(EvidenceStatus, "evidence_status"),
    }

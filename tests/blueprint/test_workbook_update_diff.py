"""The update's diff on tiny hand-built workbooks, without an app (blueprint/workbook/update.py
is pure): rows are matched by id, retyped rows without one are the same rows, rows newer
than the export are kept, and what changed is reported column by column."""

from __future__ import annotations

import copy

from blueprint.workbook import BlueprintData, RowMeta
from blueprint.workbook.update import diff

STEP = {
    "kind": "customer_action",
    "stage": "Order",
    "end_stage": "",
    "position": 1,
    "title": "Orders",
    "description": "",
    "channel": None,
    "duration_minutes": None,
    "tolerance_minutes": None,
    "fail_point": False,
    "fail_note": "",
    "wait_point": False,
    "emotion": None,
    "moment_of_truth": False,
    "evidence_source": None,
    "evidence_status": None,
}
CATALOG = [
    {
        "id": 9,
        "version": 1,
        "kind": "system",
        "title": "ERP",
        "description": "",
        "fail_point": False,
        "fail_note": "",
        "evidence_source": None,
        "evidence_status": None,
    }
]


def current() -> BlueprintData:
    data = BlueprintData(name="B", id=1, version=1, stages=["Order"])
    data.elements = [{**STEP, "key": "S1-C-1"}, {**STEP, "key": "S1-C-2", "title": "Pays"}]
    data.catalog = [{"key": "Y1", **{k: v for k, v in CATALOG[0].items() if k != "version"}}]
    del data.catalog[0]["id"]
    data.links = [("S1-C-1", "Y1", "uses")]
    data.meta = {
        "Stages": [RowMeta(None, 3, 1)],
        "Elements": [RowMeta(None, 5, 1), RowMeta(None, 6, 2)],
        "People and systems": [RowMeta(None, 9, 1)],
        "Links": [RowMeta(None, 7, 1)],
    }
    return data


def as_read(data: BlueprintData, exported=True) -> BlueprintData:
    """What reading the exported workbook gives: rows numbered, the export's rows listed."""
    read = copy.deepcopy(data)
    read.meta = {
        sheet: [RowMeta(i + 2, m.id, m.version) for i, m in enumerate(rows)]
        for sheet, rows in data.meta.items()
    }
    read.exported = (
        {sheet: {m.id: m.version for m in rows} for sheet, rows in data.meta.items()}
        if exported
        else None
    )
    return read


def test_the_unchanged_workbook_changes_nothing():
    plan = diff(current(), as_read(current()), CATALOG)
    assert (plan.count, plan.problems, plan.kept) == (0, [], [])


def test_stage_and_link_rows_retyped_without_ids_are_the_same_rows():
    read = as_read(current())
    read.meta["Stages"] = [RowMeta(2, None, None)]
    read.meta["Links"] = [RowMeta(2, None, None)]
    read.catalog[0]["title"] = "erp"  # matched by kind and name, whatever the case
    read.meta["People and systems"] = [RowMeta(2, None, None)]
    plan = diff(current(), read, CATALOG)
    assert (plan.count, plan.problems) == (0, [])


def test_each_changed_column_is_listed_with_old_and_new():
    read = as_read(current())
    read.elements[1].update(title="Pays online", channel="web", position=2)
    plan = diff(current(), read, CATALOG)
    assert [(c.title, c.fields) for c in plan.steps.changed] == [
        ("Pays", [("position", 1, 2), ("title", "Pays", "Pays online"), ("channel", None, "web")])
    ]
    assert plan.count == 1


def test_texts_differing_only_in_line_endings_and_outer_spaces_are_no_change():
    now = current()
    now.elements[0]["description"] = "one\r\ntwo "
    read = as_read(current())
    read.elements[0]["description"] = "one\ntwo"
    assert diff(now, read, CATALOG).count == 0


def test_rows_missing_from_the_workbook_are_removed_unless_newer_than_the_export():
    read = as_read(current())
    del read.elements[1], read.meta["Elements"][1]
    plan = diff(current(), read, CATALOG)
    assert [c.title for c in plan.steps.removed] == ["Pays"]
    read.exported["Elements"].pop(6)  # not in the exported workbook: added since
    plan = diff(current(), read, CATALOG)
    assert (plan.steps.removed, plan.kept) == ([], ["step Pays"])


def test_a_removed_row_changed_since_the_export_is_a_conflict():
    read = as_read(current())
    read.exported["Elements"][6] = 1  # exported at version 1, it is at 2 now
    del read.elements[1], read.meta["Elements"][1]
    plan = diff(current(), read, CATALOG)
    assert [str(p) for p in plan.problems] == [
        "Elements, column id: Pays (id 6) was changed in Rootline since the export and the "
        "workbook removes it (conflict): download the workbook again"
    ]


def test_ids_of_other_rows_and_twice_used_ids_are_problems():
    read = as_read(current())
    read.meta["Elements"][1] = RowMeta(3, 5, 1)  # the first step's id again
    read.meta["Links"] = [RowMeta(2, 99, 1)]
    problems = [str(p) for p in diff(current(), read, CATALOG).problems]
    assert "Elements, row 3, column id: id 5 is on two rows" in problems
    assert any(p.startswith("Links, row 2, column id: 99 is not a link") for p in problems)

"""Reading a blueprint workbook as people write them: labels beside codes in any case, the
method's looser arrows, and every bad cell named by sheet, row and column (never a 500)."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from blueprint import workbook
from blueprint.models import Element, Link, LinkKind, ServiceBlueprint
from blueprint.workbook import read as workbook_read
from extensions import db
from tests.helpers import element_row, import_workbook, valid_sheets


def book(**sheets_rows) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets_rows.items():
        ws = wb.create_sheet(title.replace("_", " "))
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def problems_of(content: bytes) -> list[str]:
    with pytest.raises(workbook.WorkbookProblems) as caught:
        workbook.parse(content)
    return [str(p) for p in caught.value.problems]


def test_labels_are_read_beside_codes_in_any_case(client, world, login):
    login(world.editor)
    sheets = valid_sheets(
        Blueprint=[("field", "value"), ("name", "Labels"), ("state", "Future")],
        Elements=[
            workbook.ELEMENT_COLUMNS,
            element_row(
                key="S1-C-1",
                kind="Customer actions",
                stage="One",
                position=1,
                title="Step",
                channel="Web",
                evidence_source="Call centre / tickets",
                evidence_status="OBSERVED",
                fail_point="YES",
                wait_point="No",
                moment_of_truth="True",
                emotion=1,
            ),
            element_row(
                key="S1-F-1",
                kind="frontstage",
                stage="One",
                position=1,
                title="Desk",
                channel="e-mail",
                evidence_source="CALL_CENTRE",
            ),
        ],
        People_and_systems=[workbook.CATALOG_COLUMNS, ("P1", "Person / team", "Desk", "", "", "")],
        Links=[
            workbook.LINK_COLUMNS,
            ("S1-C-1", "S1-F-1", "Relies on"),
            ("S1-F-1", "P1", "Performed by"),
        ],
    )
    response = import_workbook(client, book(**sheets))
    assert response.status_code == 302, html.unescape(response.get_data(as_text=True))[-3000:]
    step = db.session.execute(select(Element).filter_by(title="Step")).scalar_one()
    assert (step.channel.value, step.evidence_source.value, step.evidence_status.value) == (
        "web",
        "call_centre",
        "observed",
    )
    assert step.fail_point and step.moment_of_truth and not step.wait_point
    desk = db.session.execute(
        select(Element).filter_by(title="Desk", kind="frontstage")
    ).scalar_one()
    assert desk.channel.value == "email" and desk.evidence_source.value == "call_centre"
    assert db.session.execute(select(ServiceBlueprint)).scalar_one().state.value == "future"
    kinds = {k.value for k in db.session.scalars(select(Link.kind))}
    assert kinds == {"relies_on", "performed_by"}


def test_uses_into_something_not_a_system_is_imported_as_relies_on_and_said_so(
    client, world, login, runner, tmp_path
):
    login(world.editor)
    sheets = valid_sheets(
        Elements=[
            workbook.ELEMENT_COLUMNS,
            element_row(
                key="S1-C-1", kind="customer_action", stage="One", position=1, title="Step"
            ),
            element_row(key="S1-B-1", kind="backstage", stage="One", position=1, title="Back"),
        ],
        Links=[
            workbook.LINK_COLUMNS,
            ("S1-C-1", "P1", "uses"),
            ("S1-C-1", "S1-B-1", "relies_on"),
            ("S1-B-1", "P1", "uses"),
        ],
    )
    response = import_workbook(client, book(**sheets))
    assert response.status_code == 302
    page = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "2 'uses' links into something that is not a system were imported as 'relies on'" in page
    assert "(Links, rows 2, 4)" in page
    kinds = sorted(k.value for k in db.session.scalars(select(Link.kind)))
    assert kinds == ["relies_on", "relies_on", "relies_on"]
    # the CLI says the same
    path = tmp_path / "loose.xlsx"
    path.write_bytes(book(**sheets))
    result = runner.invoke(args=["import-blueprint", str(path), "--workspace", "Acme Support"])
    assert result.exit_code == 0, result.output
    assert "(Links, rows 2, 4)" in result.output


@pytest.mark.parametrize(
    "links, message",
    [
        ([("S1-C-1", "S1-C-1", "relies_on")], "Links, row 2, column target: a step cannot"),
        ([("S1-C-1", "P1", "next")], "Links, row 2, column kind: 'next' orders steps"),
        ([("P1", "S1-C-1", "performed_by")], "Links, row 2, column kind: 'performed by'"),
        ([("S1-C-1", "P1", "")], "Links, row 2, column kind: a kind is required"),
        ([("S1-C-1", "P1", "knows")], "Links, row 2, column kind: 'knows' is not one of"),
        ([("S1-C-1", "Q9", "uses")], "Links, row 2, column target: no element has key 'Q9'"),
        (
            [("S1-C-1", "P1", "performed_by"), ("S1-C-1", "P1", "Performed by")],
            "Links, row 3: the same link twice",
        ),
    ],
)
def test_every_link_problem_names_its_sheet_row_and_column(client, world, login, links, message):
    login(world.editor)
    response = import_workbook(client, book(**valid_sheets(Links=[workbook.LINK_COLUMNS, *links])))
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(ServiceBlueprint)) == 0


def step_with(**values):
    base = dict(key="S1-C-1", kind="customer_action", stage="One", position=1, title="Step")
    base.update(values)
    return {"Elements": [workbook.ELEMENT_COLUMNS, element_row(**base)]}


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"Blueprint": [("field", "value"), ("name", "X"), ("persona", "p" * 201)]},
            "Blueprint, row 3, column value: the persona's name is over 200 characters",
        ),
        (step_with(kind=None), "Elements, row 2, column kind: a kind is required"),
        (step_with(kind="  "), "Elements, row 2, column kind: a kind is required"),
        (
            step_with(duration_minutes=2**31),
            "Elements, row 2, column duration_minutes: 2147483648 is outside 0..10000000",
        ),
        (step_with(tolerance_minutes="inf"), "column tolerance_minutes: 'inf' is not a whole"),
        (step_with(duration_minutes="nan"), "column duration_minutes: 'nan' is not a whole"),
        (step_with(position="x"), "Elements, row 2, column position: 'x' is not a whole number"),
        (
            {"Stages": [("position", "name"), ("x", "One")]},
            "Stages, row 2, column position: 'x' is not a whole number",
        ),
    ],
)
def test_bad_cells_are_named_and_nothing_is_written(client, world, login, overrides, message):
    login(world.editor)
    response = import_workbook(client, book(**valid_sheets(**overrides)))
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Element)) == 0


def test_rows_beyond_the_cap_make_the_file_too_long_instead_of_being_dropped(monkeypatch):
    monkeypatch.setattr(workbook_read, "MAX_ROWS", 3)
    rows = [
        element_row(key=f"S1-C-{n}", kind="customer_action", stage="One", position=n, title="S")
        for n in range(1, 6)
    ]
    found = problems_of(book(**valid_sheets(Elements=[workbook.ELEMENT_COLUMNS, *rows])))
    assert any(p.startswith("Elements, row 5: the sheet is too long") for p in found), found


def _with_sheet_xml(content: bytes, sheet_number: int, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == f"xl/worksheets/sheet{sheet_number}.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="E2" t="s"><v>9999</v></c>',  # a shared string that does not exist
        '<c r="E2" t="d"><v>not a date</v></c>',  # an invalid date cell
        '<c r="E2" t="n"><v>NaN</v></c>',  # numeric NaN
    ],
)
def test_cells_openpyxl_refuses_are_a_problem_of_their_row(client, world, login, cell):
    content = book(**valid_sheets())
    # Elements is the third sheet; its first row's title cell (E2) is replaced
    content = _with_sheet_xml(
        content,
        3,
        lambda xml: re.sub(r'<c r="F2"[^>]*?(/>|>.*?</c>)', cell.replace("E2", "F2"), xml),
    )
    login(world.editor)
    response = import_workbook(client, content)
    assert response.status_code == 422
    text = html.unescape(response.get_data(as_text=True))
    assert "Elements, row 2" in text
    assert db.session.scalar(select(func.count()).select_from(Element)) == 0


def test_a_web_form_keeps_its_stricter_rule_for_uses(client, world, login, bmap):
    login(world.editor)
    response = client.post(
        f"/elements/{bmap.buyer.id}/links",
        data={"target_id": bmap.person.id, "kind": LinkKind.USES.value},
    )
    assert response.status_code == 422
    assert "&#39;Uses&#39; links point at a system." in response.get_data(as_text=True)

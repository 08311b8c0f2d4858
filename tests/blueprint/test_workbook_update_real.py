"""The update through what users really do: the demo's blueprints and a rich one come back
as no-ops, also after LibreOffice opened and saved them, and edits made in that saved file
are exactly what the preview lists; the blank workbook's drop-downs survive LibreOffice and
it imports; no user text ever becomes a formula."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from blueprint import services, transfer, workbook
from blueprint.models import Element, ServiceBlueprint
from blueprint.workbook import BlueprintData, RowMeta
from blueprint.workbook import apply as workbook_apply
from blueprint.workbook import template as workbook_template
from extensions import db
from tests import factories as f
from tests.helpers import cell, edit, preview, words
from tests.libreoffice import convert


def no_op(blueprint) -> workbook_apply.UpdatePreview:
    content = workbook.build(transfer.export_data(blueprint))
    return workbook_apply.preview(blueprint, workbook.parse(content))


def rich(world, bmap):
    """Every exportable field set, spanning and whole-journey steps, awkward text."""
    services.update_blueprint(
        bmap.blueprint, {"name": "Order to cash", "goal": "Line one\r\nline two", "scope": "=1+1"}
    )
    bmap.buyer.channel, bmap.buyer.moment_of_truth, bmap.buyer.emotion = "web", True, -2
    bmap.buyer.description = "x" * 10_000 + " 🚚 Übergabe"
    bmap.desk.duration_minutes, bmap.desk.tolerance_minutes = 30, 10
    bmap.desk.evidence_source, bmap.desk.evidence_status = "call_centre", "observed"
    bmap.desk.fail_note = "  spaces around\r"
    f.make_element(bmap.stages[0], "support", "Privacy policy", all_stages=True)
    span = f.make_element(bmap.stages[0], "frontstage", "Greet and seat")
    services.update_element(span, {"title": "Greet and seat", "end_stage_id": bmap.stages[1].id})
    f.make_element(bmap.stages[1], "customer_action", "+SUM(A1)", wait_point=True)
    f.link(bmap.buyer, bmap.backoffice, "next")
    f.commit()


EXCEL_2007 = "xlsx:Calc MS Excel 2007 XML"  # the filter LibreOffice saves .xlsx with


def test_every_demo_blueprint_comes_back_unchanged(runner, app):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    blueprints = db.session.scalars(select(ServiceBlueprint)).all()
    assert blueprints
    for blueprint in blueprints:
        result = no_op(blueprint)
        assert (result.plan.count, result.problems) == (0, []), blueprint.name


def test_a_rich_blueprint_with_spanning_steps_comes_back_unchanged(app, world, bmap):
    rich(world, bmap)
    result = no_op(bmap.blueprint)
    assert (result.plan.count, result.problems, result.plan.kept) == (0, [], [])


@pytest.mark.libreoffice
def test_through_libreoffice_no_op_then_exactly_the_edits(client, world, login, bmap, tmp_path):
    rich(world, bmap)
    login(world.editor)
    exported = client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx").data
    saved = convert(exported, tmp_path, to=EXCEL_2007, name="blueprint.xlsx")
    _, page, _ = preview(client, bmap.blueprint, saved)
    assert "0 changes." in words(page) and "The workbook changes nothing." in page

    def change(wb):
        cell(wb, "Elements", "S1-C-1", "title").value = "Places order online"
        cell(wb, "Elements", "S1-F-1", "stage").value = "Deliver"
        cell(wb, "Elements", "S1-F-1", "fail_point").value = "no"

    url, page, token = preview(client, bmap.blueprint, edit(saved, change))
    text = words(page)
    assert "2 changes." in text
    assert "changed Places order (row 3) title: Places order → Places order online" in text
    assert "changed Desk confirms (row 4) stage: Order → Deliver" in text
    assert "fail_point: yes → no" in text
    assert client.post(url + "/apply", data={"token": token}).status_code == 303
    db.session.expire_all()
    desk = db.session.get(Element, bmap.desk.id)
    assert (desk.stage_id, desk.fail_point) == (bmap.stages[1].id, False)
    assert no_op(bmap.blueprint).plan.count == 0


def drop_downs(content: bytes) -> dict[str, dict[str, str]]:
    """sheet → {column header: the validation's list or type}."""
    wb = load_workbook(io.BytesIO(content))
    found = {}
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        for dv in ws.data_validations.dataValidation:
            for where in str(dv.sqref).split():
                column = header[ws[where.split(":")[0]].column - 1]
                rule = dv.formula1.strip('"') if dv.type == "list" else dv.type
                found.setdefault(ws.title, {})[column] = rule
    return found


def test_exports_and_the_blank_workbook_have_drop_downs(client, world, login, bmap):
    login(world.viewer)
    for content in (
        client.get("/blueprints/template.xlsx").data,
        client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx").data,
    ):
        found = drop_downs(content)
        elements = found["Elements"]
        assert elements["kind"].split(",")[:2] == ["physical_evidence", "customer_action"]
        assert "in_person" in elements["channel"] and "call_centre" in elements["evidence_source"]
        assert elements["evidence_status"] == "observed,assumed,proposed"
        assert elements["fail_point"] == elements["wait_point"] == "yes,no"
        assert elements["emotion"] == elements["position"] == "whole"
        assert found["People and systems"]["kind"] == "person,system"
        assert found["Links"]["kind"] == "relies_on,performed_by,uses,next"


def test_the_blank_workbook_is_offered_and_imports_as_a_blueprint_of_its_examples(
    client, world, login
):
    login(world.editor)
    assert "download a blank blueprint workbook" in client.get("/blueprints").text
    assert "Download a blank blueprint workbook" in client.get("/blueprints/import").text
    content = client.get("/blueprints/template.xlsx").data
    examples = load_workbook(io.BytesIO(content))["Elements"]
    assert examples.max_row == 3
    assert cell(examples.parent, "Elements", "S1-C-1", "title").value == (
        "Places an order online (example)"
    )
    response = client.post(
        "/blueprints/import",
        data={"file": (io.BytesIO(content), "blank.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    blueprint = db.session.scalars(select(ServiceBlueprint)).one()
    assert blueprint.name == "New blueprint"
    titles = db.session.scalars(select(Element.title).order_by(Element.id)).all()
    assert titles == [
        "Order system (example)",
        "Places an order online (example)",
        "Confirms the order by e-mail (example)",
    ]


@pytest.mark.libreoffice
def test_the_blank_workbooks_drop_downs_survive_libreoffice_and_it_still_imports(
    client, world, login, tmp_path
):
    login(world.editor)
    blank = client.get("/blueprints/template.xlsx").data
    saved = convert(blank, tmp_path, to=EXCEL_2007, name="blank.xlsx")
    assert drop_downs(saved)["Elements"] == drop_downs(blank)["Elements"]
    assert drop_downs(saved)["Links"] == drop_downs(blank)["Links"]
    response = client.post(
        "/blueprints/import",
        data={"file": (io.BytesIO(saved), "blank.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Element)) == 3


HOSTILE = st.one_of(
    st.sampled_from(["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "＝1+1", "=cmd|' /C calc'!A0"]),
    st.text(alphabet=st.sampled_from("=+-@\t\n＝ABC1(),!|'\" "), min_size=1, max_size=20),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(HOSTILE, min_size=4, max_size=8), st.integers(1, 10**9))
def test_no_user_text_ever_becomes_a_formula_ids_and_blank_workbook_included(texts, row_id):
    texts = [t if t.strip() else "=x" for t in texts]  # titles are required
    data = workbook_template.template_data()
    data.id, data.version = row_id, 1
    data.name, data.goal, data.scope, data.persona = texts[:4]
    data.stages = [texts[0].strip() or "S"]
    for entry in data.elements:
        entry.update(title=texts[1], description=texts[2], fail_note=texts[3], stage="S")
    data.stages = ["S"]
    data.catalog[0].update(title=texts[-1], description=texts[-2])
    data.meta = {
        sheet: [RowMeta(None, row_id + i, 1) for i in range(count)]
        for sheet, count in (
            ("Stages", 1),
            ("Elements", 2),
            ("People and systems", 1),
            ("Links", 2),
        )
    }
    for content in (workbook.build(data), workbook_template.template()):
        wb = load_workbook(io.BytesIO(content))
        formulas = [
            (ws.title, c.coordinate)
            for ws in wb.worksheets
            for row in ws.iter_rows()
            for c in row
            if c.data_type == "f"
        ]
        assert formulas == []
    back = workbook.parse(workbook.build(data))
    assert back.id == row_id and back.meta["Elements"][1].id == row_id + 1
    assert [e["title"] for e in back.elements] == [texts[1].strip()] * 2
    assert isinstance(back, BlueprintData)

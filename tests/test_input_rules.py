"""The rules at the door: control characters pasted from Word are removed from every form and
query string (and never reach a workbook), numbers are finite and bounded, download names in
any script reach the browser."""

from __future__ import annotations

import io
import shutil
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from backlog import scoring, services
from backlog.models import ImprovementTask
from extensions import db
from safeinput import strip_control_characters
from tests import factories as f

WORD_PASTE = "Call\x0bback\x07 the \x1bcustomer"

TASK = {"title": "T", "status": "idea", "impact": "3", "effort": "3"}


def test_control_characters_pasted_into_a_form_are_removed_before_saving(
    client, world, login, bmap
):
    login(world.editor)
    response = client.post("/tasks/new", data={**TASK, "title": WORD_PASTE, "team": "A\x0cB"})
    assert response.status_code == 302
    task = db.session.scalars(select(ImprovementTask)).one()
    assert (task.title, task.team) == ("Callback the customer", "AB")
    # tab and line breaks are text, not control characters: they stay
    client.post(
        f"/elements/{bmap.desk.id}/edit",
        data={"title": "Desk", "description": "one\ttwo\r\nthree", "version": bmap.desk.version},
    )
    db.session.expire_all()
    assert bmap.desk.description == "one\ttwo\r\nthree"


def test_every_export_works_after_a_word_paste(client, world, login, bmap):
    login(world.editor)
    client.post("/tasks/new", data={**TASK, "title": WORD_PASTE})
    client.post(
        f"/elements/{bmap.desk.id}/edit",
        data={"title": WORD_PASTE, "version": bmap.desk.version},
    )
    plan = client.get("/backlog/export.xlsx")
    assert plan.status_code == 200
    cells = [c for row in load_workbook(io.BytesIO(plan.data))["Action plan"].values for c in row]
    assert "Callback the customer" in cells
    blueprint = client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx")
    assert blueprint.status_code == 200
    assert client.get(f"/blueprints/{bmap.blueprint.id}/board.svg").status_code == 200


def test_a_control_character_in_the_search_is_no_server_error(client, world, login):
    f.make_task(world.workspace, "Alpha")
    f.commit()
    login(world.viewer)
    for path in ("/backlog/export.xlsx?q=%01", "/backlog?q=%01", "/blueprints?q=%1b"):
        assert client.get(path).status_code == 200, path
    about = load_workbook(io.BytesIO(client.get("/backlog/export.xlsx?q=Al%0bpha").data))["About"]
    assert "Search: Alpha" in str([row for row in about.values])


def test_the_workbook_writers_never_see_a_control_character_stored_before_the_rule(
    client, world, login, bmap
):
    """Rows saved before the door stripped them (or by a path that bypasses forms)."""
    bmap.desk.title = WORD_PASTE
    task = f.make_task(world.workspace, "T")
    task.title = task.team = WORD_PASTE
    world.workspace.name = "Acme\x07"
    f.commit()
    login(world.viewer)
    blueprint = client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx")
    elements = load_workbook(io.BytesIO(blueprint.data))["Elements"]
    assert "Callback the customer" in [c for row in elements.values for c in row]
    plan = load_workbook(io.BytesIO(client.get("/backlog/export.xlsx").data))
    assert "Callback the customer" in [c for row in plan["Action plan"].values for c in row]
    assert "Acme" in [c for row in plan["About"].values for c in row]


def test_strip_control_characters_keeps_text_and_removes_only_what_xml_cannot_carry():
    assert strip_control_characters("a\tb\nc\rd é 注文 \x7f") == "a\tb\nc\rd é 注文 \x7f"
    assert strip_control_characters("".join(map(chr, range(1, 32)))) == "\t\n\r"
    assert strip_control_characters("a\ufffeb\uffff") == "ab"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reach", "1e308", "Reach must be at most 1,000,000,000"),
        ("reach", "1e999999", "Reach must be a finite number"),
        ("reach", "sNaN", "Enter a number."),
        ("reach", "NaN", "Enter a number."),
        ("reach", "-Infinity", "Enter a number."),
        ("effort_months", "1e-320", "Effort months must be at least 0.01"),
        ("business_value", "1e308", "Business value must be at most 1,000,000,000"),
        ("job_size", "1e-320", "Job size must be at least 0.01"),
    ],
)
def test_a_score_input_that_is_not_a_finite_bounded_number_is_refused_next_to_the_field(
    client, world, login, field, value, message
):
    login(world.editor)
    response = client.post("/tasks/new", data={**TASK, field: value})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(ImprovementTask)).all() == []


def test_the_largest_inputs_allowed_still_score_and_show(client, world, login):
    login(world.editor)
    big = {
        "reach": "1000000000",
        "rice_impact": "3",
        "confidence": "1",
        "effort_months": "0.01",
        "business_value": "1000000000",
        "time_criticality": "1000000000",
        "risk_reduction": "1000000000",
        "job_size": "0.01",
    }
    assert client.post("/tasks/new", data={**TASK, **big}).status_code == 302
    task = db.session.scalars(select(ImprovementTask)).one()
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    # RICE and WSJF, grouped in the reader's format, the exact value underneath
    assert page.count("300,000,000,000.00") == 2
    assert page.count('data-score="300000000000.0"') == 2
    for framework in ("rice", "wsjf"):
        assert client.get(f"/backlog?framework={framework}").status_code == 200
    assert client.get("/backlog/export.xlsx?framework=rice").status_code == 200


def test_imports_meet_the_same_bounds_as_forms():
    """The update import checks each changed task through check_task_inputs."""
    for values in ({"reach": 1e308}, {"job_size": 1e-320}, {"business_value": float("inf")}):
        with pytest.raises(services.BacklogError):
            services.check_task_inputs(values)


def test_a_score_saved_before_the_bounds_still_shows(client, world, login):
    task = f.make_task(world.workspace, "Old")
    db.session.flush()
    task.reach, task.rice_impact, task.confidence, task.effort_months = 1e308, 3, 1, 0.5
    f.commit()
    login(world.viewer)
    assert client.get(f"/tasks/{task.id}").status_code == 200
    assert client.get("/backlog?framework=rice").status_code == 200
    assert scoring.format_score(float("inf")) == "inf"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_a_blueprint_named_in_any_script_downloads_under_its_own_name(client, world, login):
    blueprint, _ = f.make_blueprint(world.workspace, "Заказ 注文", ("Этап",))
    f.commit()
    login(world.viewer)
    pdf = client.get(f"/blueprints/{blueprint.id}/summary.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    disposition = pdf.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote('Заказ 注文 - summary.pdf')}" in disposition
    for suffix, name in (
        ("workbook.xlsx", "заказ-注文.xlsx"),
        ("board.svg", "заказ-注文-board.svg"),
    ):
        response = client.get(f"/blueprints/{blueprint.id}/{suffix}")
        assert response.status_code == 200
        assert f"filename*=UTF-8''{quote(name)}" in response.headers["Content-Disposition"]


@pytest.mark.parametrize("bad", [str(2**31), str(2**70), "١", "３"])
def test_an_id_in_a_form_that_no_row_can_have_is_refused_not_a_server_error(
    client, world, login, bmap, bad
):
    login(world.owner)
    task = {"title": "t", "impact": "3", "effort": "3", "status": "idea"}
    for path, data, status in [
        ("/tasks/new", {**task, "target_ids": bad}, 422),
        ("/tasks/new", {**task, "insight_ids": bad}, 422),
        (f"/elements/{bmap.desk.id}/links", {"kind": "relies_on", "target_id": bad}, 422),
        ("/backlog/bulk-status", {"task_ids": bad, "status": "done"}, 422),
        ("/tasks/quick", {"source": "insight", "insight_id": bad}, 404),
        ("/tasks/quick", {"source": "cause", "element_id": bad}, 400),
    ]:
        assert client.post(path, data=data).status_code == status, (path, data)
    assert db.session.scalars(select(ImprovementTask)).all() == []

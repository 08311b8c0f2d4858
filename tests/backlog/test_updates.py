"""Importing an edited action plan: preview, all-or-nothing apply, conflicts, bad rows."""

import html
import io
import math
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backlog import updates
from backlog.models import ImprovementTask, PendingImport, TaskStatus
from extensions import db
from tests import factories as f
from tests.helpers import column, exported, finished_job, row_of, tasks, upload_plan


def test_preview_then_apply_updates_tasks(client, world, login):
    a, b = tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    ws.cell(row_of(ws, "Alpha"), column(ws, "Status")).value = "In progress"
    ws.cell(row_of(ws, "Alpha"), column(ws, "Owner")).value = "editor@example.com"
    ws.cell(row_of(ws, "Alpha"), column(ws, "Due")).value = "2027-02-01"
    ws.cell(row_of(ws, "Beta"), column(ws, "Team")).value = '=HYPERLINK("http://x")'
    ws.cell(row_of(ws, "Beta"), column(ws, "Effort")).value = 5
    response = upload_plan(client, wb)
    assert response.location.startswith("/backlog/import/")
    preview = client.get(response.location)
    text = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200 and "2 tasks would change" in text
    assert re.search(r"Status</td><td>Idea</td><td><strong>In progress", text)
    assert "Ed Editor" in text
    assert db.session.get(ImprovementTask, a.id).status is TaskStatus.IDEA  # nothing yet
    applied = finished_job(client, client.post(response.location + "/apply"))
    assert applied["status"] == "done", applied
    assert applied["message"] == "2 tasks updated from the workbook."
    assert applied["next"] == "/backlog" and applied["next_label"] == "Back to the backlog"
    alpha, beta = db.session.get(ImprovementTask, a.id), db.session.get(ImprovementTask, b.id)
    assert alpha.status is TaskStatus.IN_PROGRESS and alpha.owner_id == world.editor.id
    assert alpha.due_on.isoformat() == "2027-02-01"
    assert beta.effort == 5 and beta.team == '=HYPERLINK("http://x")'  # text, not a formula
    assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 0


def test_one_bad_row_and_nothing_changes(client, world, login):
    a, b = tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    ws.cell(row_of(ws, "Alpha"), column(ws, "Status")).value = "Done"
    beta = row_of(ws, "Beta")
    ws.cell(beta, column(ws, "Status")).value = "Finished"
    ws.cell(beta, column(ws, "Owner")).value = "nobody@example.com"
    ws.cell(beta, column(ws, "Due")).value = "next week"
    ws.cell(beta, column(ws, "Impact")).value = 9
    extra = ws.max_row + 1
    ws.cell(extra, 2).value = "Ghost"
    ws.cell(extra, column(ws, "Task ID")).value = 999999
    ws.cell(extra, column(ws, "Version")).value = 1
    response = upload_plan(client, wb)
    preview = client.get(response.location)
    text = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 422
    for expected in (
        "Status: 'Finished' is not a status",
        "column Owner: 'nobody@example.com' is not a member",
        "column Due: 'next week' is not a date",
        "column Impact: must be a whole number from 1 to 5",
        "unknown task 999999",
    ):
        assert expected in text, expected
    assert "disabled" in text
    refused = finished_job(client, client.post(response.location + "/apply"))
    assert refused["status"] == "failed"
    assert "nothing was changed" in refused["message"]
    assert "unknown task 999999" in " ".join(refused["problems"])
    assert refused["next"] == response.location  # look at the preview again
    assert db.session.get(ImprovementTask, a.id).status is TaskStatus.IDEA


def test_a_task_changed_since_the_export_is_a_conflict(client, world, login):
    a, _ = tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    ws.cell(row_of(ws, "Alpha"), column(ws, "Impact")).value = 5
    client.post(
        f"/tasks/{a.id}/edit",
        data={
            "title": "Alpha",
            "status": "planned",
            "impact": "3",
            "effort": "3",
            "version": a.version,
        },
    )
    response = upload_plan(client, wb)
    text = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "Alpha was changed in Rootline since the export (conflict)" in text
    assert db.session.get(ImprovementTask, a.id).impact == 3


def test_scoring_input_out_of_range_is_a_row_problem(client, world, login):
    f.make_task(world.workspace, "Rice", reach=10, rice_impact=1, confidence=0.5, effort_months=1)
    f.commit()
    login(world.editor)
    wb = exported(client, "/backlog/export.xlsx?framework=rice")
    ws = wb["Action plan"]
    ws.cell(row_of(ws, "Rice"), column(ws, "RICE confidence")).value = 1.5
    text = html.unescape(client.get(upload_plan(client, wb).location).get_data(as_text=True))
    assert "column RICE confidence: Confidence must be between 0 and 1." in text


def test_uploads_that_are_not_action_plans(client, world, login):
    login(world.editor)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Something else"
    response = upload_plan(client, wb)
    assert response.status_code == 422
    assert "Action plan: the sheet is missing" in response.get_data(as_text=True)
    renamed = client.post(
        "/backlog/import",
        data={"file": (io.BytesIO(b"a,b\n"), "x.xlsx")},
        content_type="multipart/form-data",
    )
    assert renamed.status_code == 422


def test_someone_elses_pending_import_is_404(client, world, login):
    tasks(world)
    login(world.editor)
    response = upload_plan(client, exported(client))
    client.post("/logout")
    login(world.owner)
    assert client.get(response.location).status_code == 404
    assert client.post(response.location + "/apply").status_code == 404


def test_the_demos_action_plan_uploaded_unchanged_changes_nothing(client, app):
    """The meeting loop's first step: export, upload the same file. Due dates come back as
    real date cells (read as datetimes), as they do from Excel and LibreOffice."""
    from demo import DEMO_PASSWORD, seed_demo

    seed_demo()
    f.commit()
    client.post("/login", data={"email": "demo@example.com", "password": DEMO_PASSWORD})
    wb = exported(client)
    ws = wb["Action plan"]
    due = column(ws, "Due")
    assert any(ws.cell(r, due).is_date for r in range(2, ws.max_row + 1))
    response = upload_plan(client, wb)
    preview = client.get(response.location)
    text = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200, text
    assert "problem" not in text and "The workbook changes nothing." in text


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # inf and nan included: a cell may hold them
    st.text(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(CELL_VALUES, CELL_VALUES, CELL_VALUES), max_size=5))
def test_rows_kept_for_the_preview_come_back_with_the_same_types(cells):
    """Between reading the upload and the preview, rows wait in the database as JSON: every
    value an openpyxl cell can hold comes back equal and of the same type."""
    rows = [
        updates.RowUpdate(n, a, b, {"due_on": c, "team": a}) for n, (a, b, c) in enumerate(cells)
    ]
    back = updates.from_payload(updates.to_payload(rows))
    for before, after in zip(rows, back, strict=True):
        for x, y in (
            (before.task_id, after.task_id),
            (before.values["due_on"], after.values["due_on"]),
        ):
            assert type(x) is type(y)
            assert x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y))


def test_every_column_a_user_may_change_is_read_back(client, world, login):
    """Title, MoSCoW, pin, description and the inputs of frameworks other than the one the
    plan was exported for are compared and applied like status and owner."""
    a, b = tasks(world)
    login(world.editor)
    wb = exported(client)  # value ÷ effort: the other frameworks' inputs are there too
    ws = wb["Action plan"]
    alpha = row_of(ws, "Alpha")
    ws.cell(alpha, column(ws, "Task")).value = "Alpha, renamed"
    ws.cell(alpha, column(ws, "MoSCoW")).value = "Must"
    ws.cell(alpha, column(ws, "Pinned")).value = "yes"
    ws.cell(alpha, column(ws, "Description")).value = "Why: line one\nline two"
    ws.cell(alpha, column(ws, "ICE ease")).value = 7
    ws.cell(alpha, column(ws, "RICE confidence")).value = 0.75
    response = upload_plan(client, wb)
    text = html.unescape(client.get(response.location).get_data(as_text=True))
    assert "1 task would change" in text
    shown = re.findall(r"<td>([^<]+)</td><td>[^<]*</td><td><strong>([^<]*)</strong>", text)
    assert shown == [
        ("Task", "Alpha, renamed"),
        ("MoSCoW", "Must"),
        ("RICE confidence", "0.75"),
        ("ICE ease", "7"),
        ("Pinned", "yes"),
        ("Description", "Why: line one\nline two"),
    ]
    applied = finished_job(client, client.post(response.location + "/apply"))
    assert applied["status"] == "done", applied
    task = db.session.get(ImprovementTask, a.id)
    assert (task.title, task.moscow.value, task.pinned) == ("Alpha, renamed", "must", True)
    assert (task.ice_ease, task.confidence) == (7, 0.75)
    assert task.description == "Why: line one\nline two"


def test_changed_values_keep_the_task_forms_rules(client, world, login):
    a, b = tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    alpha, beta = row_of(ws, "Alpha"), row_of(ws, "Beta")
    ws.cell(alpha, column(ws, "Task")).value = "   "
    ws.cell(alpha, column(ws, "Team")).value = "t" * 121
    ws.cell(alpha, column(ws, "Description")).value = "d" * 10_001
    ws.cell(beta, column(ws, "MoSCoW")).value = "Maybe"
    ws.cell(beta, column(ws, "Pinned")).value = "perhaps"
    ws.cell(beta, column(ws, "ICE impact")).value = 7.5
    response = upload_plan(client, wb)
    preview = client.get(response.location)
    text = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 422
    for expected in (
        f"row {alpha}, column Task: This field is required.",
        f"row {alpha}, column Team: at most 120 characters",
        f"row {alpha}, column Description: at most 10,000 characters",
        f"row {beta}, column MoSCoW: 'Maybe' is not a MoSCoW priority",
        f"row {beta}, column Pinned: 'perhaps' is not yes or no",
        f"row {beta}, column ICE impact: must be a whole number from 1 to 10",
    ):
        assert expected in text, expected
    assert db.session.get(ImprovementTask, a.id).title == "Alpha"

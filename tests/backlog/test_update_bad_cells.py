"""An edited action plan with cells that cannot be used answers with the sheet, row and
column, never a server error and never rows dropped in silence."""

import html
import io
import re
import zipfile
from datetime import time

from backlog import plan_file
from tests import factories as f
from tests.helpers import column, exported, finished_job, row_of, tasks


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_cell(content: bytes, ref: str, xml: str) -> bytes:
    """`content` with the sheet XML of the Action plan's cell `ref` replaced by `xml`, as a
    hand-edited or broken file would have it."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(
                    rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', xml, data.decode(), count=1
                )
                if not count:  # a blank cell is not written: add it at the row's end
                    row = re.sub(r"\D", "", ref)
                    text = re.sub(rf'(<row r="{row}"[^>]*>.*?)(</row>)', rf"\1{xml}\2", text)
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def post(client, content: bytes):
    return client.post(
        "/backlog/import",
        data={"file": (io.BytesIO(content), "plan.xlsx")},
        content_type="multipart/form-data",
    )


def read_job(client, content: bytes) -> dict:
    """Upload `content`; the state of the job that read it."""
    response = post(client, content)
    assert response.status_code == 303, response.get_data(as_text=True)
    return finished_job(client, response)


def preview_text(client, content: bytes) -> tuple[int, str]:
    state = read_job(client, content)
    assert state["status"] == "done", state
    page = client.get(state["next"])
    return page.status_code, html.unescape(page.get_data(as_text=True))


def letter(ws, name: str) -> str:
    return ws.cell(1, column(ws, name)).column_letter


def test_infinite_and_nan_inputs_are_cell_problems(client, world, login):
    tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    alpha, beta = row_of(ws, "Alpha"), row_of(ws, "Beta")
    ws.cell(alpha, column(ws, "RICE reach")).value = "inf"
    ws.cell(alpha, column(ws, "Job size")).value = "-Infinity"
    ws.cell(beta, column(ws, "ICE ease")).value = "NaN"
    ws.cell(beta, column(ws, "Impact")).value = "nan"
    status, text = preview_text(client, saved(wb))
    assert status == 422
    for expected in (
        f"row {alpha}, column RICE reach: must be a finite number",
        f"row {alpha}, column Job size: must be a finite number",
        f"row {beta}, column ICE ease: must be a finite number",
        f"row {beta}, column Impact: must be a finite number",
    ):
        assert expected in text, expected


def test_a_numeric_infinite_input_cell_is_a_problem_not_an_error(client, world, login):
    tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    ref = f"{letter(ws, 'Business value')}{row_of(ws, 'Alpha')}"
    status, text = preview_text(client, with_cell(saved(wb), ref, f'<c r="{ref}"><v>1e999</v></c>'))
    assert status == 422
    assert "column Business value: must be a finite number" in text


def test_cells_openpyxl_refuses_name_their_row(client, world, login):
    tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    alpha = row_of(ws, "Alpha")
    content = saved(wb)
    for name, cell in (
        ("Impact", '<c r="{ref}" t="n"><v>NaN</v></c>'),  # a number that is not one
        ("Task", '<c r="{ref}" t="s"><v>99999</v></c>'),  # past the shared strings
        ("Due", '<c r="{ref}" t="d"><v>the 15th</v></c>'),  # a date that is not one
    ):
        ref = f"{letter(ws, name)}{alpha}"
        state = read_job(client, with_cell(content, ref, cell.format(ref=ref)))
        assert state["status"] == "failed", (name, state)
        assert "nothing was changed" in state["message"]
        assert state["problems"] == [f"Action plan, row {alpha}: {plan_file.UNREADABLE}"], name


def test_a_refused_cell_in_the_header_is_answered_next_to_the_field(client, world, login):
    tasks(world)
    login(world.editor)
    content = with_cell(saved(exported(client)), "C1", '<c r="C1" t="s"><v>99999</v></c>')
    response = post(client, content)
    assert response.status_code == 422
    assert f"Action plan, row 1: {plan_file.UNREADABLE}" in html.unescape(
        response.get_data(as_text=True)
    )


def test_a_time_of_day_in_due_is_a_cell_problem(client, world, login):
    tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    cell = ws.cell(row_of(ws, "Alpha"), column(ws, "Due"))
    cell.value, cell.number_format = time(12, 30), "hh:mm"
    status, text = preview_text(client, saved(wb))
    assert status == 422
    assert "column Due: 12:30 is a time of day, not a date" in text


def test_a_task_id_of_1e999_is_a_cell_problem(client, world, login):
    tasks(world)
    login(world.editor)
    wb = exported(client)
    ws = wb["Action plan"]
    alpha = row_of(ws, "Alpha")
    ws.cell(alpha, column(ws, "Status")).value = "Done"
    ref = f"{letter(ws, 'Task ID')}{alpha}"
    content = with_cell(saved(wb), ref, f'<c r="{ref}" t="n"><v>1e999</v></c>')
    status, text = preview_text(client, content)
    assert status == 422
    assert f"row {alpha}, column Task ID: 'inf' is not a task id" in text
    version = f"{letter(ws, 'Version')}{alpha}"
    content = with_cell(saved(wb), version, f'<c r="{version}" t="n"><v>1e999</v></c>')
    status, text = preview_text(client, content)
    assert status == 422 and "(conflict)" in text  # an unreadable version is never current


def test_a_file_longer_than_the_row_cap_says_so_instead_of_dropping_rows(
    client, world, login, monkeypatch
):
    tasks(world)
    f.make_task(world.workspace, "Gamma")
    f.commit()
    monkeypatch.setattr(plan_file, "MAX_ROWS", 2)
    login(world.editor)
    state = read_job(client, saved(exported(client)))
    assert state["status"] == "failed", state
    assert state["problems"] == [
        "Action plan, row 4: the sheet has more than 2 task rows; import at most 2 at a "
        "time (split the file)"
    ]
    monkeypatch.setattr(plan_file, "MAX_ROWS", 3)  # exactly at the cap: read whole
    assert read_job(client, saved(exported(client)))["status"] == "done"

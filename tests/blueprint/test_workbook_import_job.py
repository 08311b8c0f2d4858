"""A large blueprint workbook is imported by a job (more rows than IMPORT_JOB_ROWS): the same
blueprint as the direct import of a small one, its structure still checked at once, and a
failure saves nothing."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from blueprint import transfer, workbook
from blueprint.models import ServiceBlueprint
from blueprint.workbook import size as workbook_size
from extensions import db
from jobs.models import Job, JobStatus
from tests import factories as f
from tests.helpers import edit, import_workbook, without_ids


def _sheets(content: bytes) -> dict[str, list[tuple]]:
    wb = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _client(app, user):
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": f.PASSWORD})
    return client


def _exported(client, blueprint_id) -> bytes:
    response = client.get(f"/blueprints/{blueprint_id}/workbook.xlsx")
    assert response.status_code == 200
    return response.data


def _newest_blueprint() -> ServiceBlueprint:
    db.session.expire_all()
    return db.session.scalars(select(ServiceBlueprint).order_by(ServiceBlueprint.id.desc())).first()


def test_the_size_check_counts_the_rows_without_reading_them(app, world, bmap):
    content = workbook.build(transfer.export_data(bmap.blueprint))
    rows = _sheets(content)
    expected = sum(len(rows[s]) - 1 for s in workbook_size.SHEETS)
    assert workbook_size.measure(content, 500) == workbook_size.Size(expected, [])
    assert workbook_size.measure(content, 3).rows == 4  # counting stops past the limit
    saved = edit(content, lambda wb: None)  # as a spreadsheet saves it: sizes stated
    assert load_workbook(io.BytesIO(saved), read_only=True)["Elements"].max_row == 4
    assert workbook_size.measure(saved, 500).rows == expected
    assert workbook_size.measure(saved, 3).rows > 3
    broken = workbook_size.measure(edit(content, lambda wb: wb.remove(wb["Links"])), 500)
    assert [str(p) for p in broken.problems] == ["Links: the sheet is missing"]
    assert workbook_size.measure(b"not a workbook", 500).problems


def test_a_large_workbook_is_imported_by_a_job_into_the_same_blueprint_as_a_small_one(
    app, make_app, world, bmap
):
    direct = _client(app, world.editor)
    content = _exported(direct, bmap.blueprint.id)
    assert import_workbook(direct, content).status_code == 302  # 10 rows: in the request
    assert _count(Job) == 0
    copy = _newest_blueprint()

    small_limit = make_app(IMPORT_JOB_ROWS=5)
    client = _client(small_limit, world.editor)
    started = import_workbook(client, content)
    assert started.status_code == 303 and started.location.startswith("/jobs/")
    job = db.session.get(Job, int(started.location.rsplit("/", 1)[1]))
    assert (job.kind, job.status) == ("blueprint_import", JobStatus.DONE), job.message
    assert job.input is None  # the upload goes with the job's end
    rows = _sheets(content)
    written = sum(len(rows[s]) - 1 for s in ("People and systems", "Elements", "Links"))
    if db.engine.dialect.name == "postgresql":  # row by row, while it writes
        assert job.done == job.total == written
    else:  # SQLite has one writer, the job itself: its page shows the step
        assert job.total == 0
    by_job = _newest_blueprint()
    assert by_job.id != copy.id and by_job.workspace_id == world.workspace.id
    page = client.get(started.location).get_data(as_text=True)
    assert f"/blueprints/{by_job.id}" in page and f"Open {by_job.name}" in page
    assert "imported" in job.message
    assert without_ids(_sheets(_exported(client, by_job.id))) == without_ids(
        _sheets(_exported(client, copy.id))
    )


def test_a_large_workbook_that_is_no_blueprint_workbook_is_refused_at_once(make_app, world, bmap):
    client = _client(make_app(IMPORT_JOB_ROWS=5), world.editor)
    content = _exported(client, bmap.blueprint.id)

    def drop_kind(wb):
        ws = wb["Links"]
        ws.cell(1, [c.value for c in ws[1]].index("kind") + 1).value = "type"

    response = import_workbook(client, edit(content, drop_kind))
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "Links, row 1: missing column(s): kind" in text
    assert "invalid-feedback" in text
    assert _count(Job) == 0


def test_a_large_import_that_fails_saves_nothing(make_app, world, bmap):
    client = _client(make_app(IMPORT_JOB_ROWS=5), world.editor)
    content = _exported(client, bmap.blueprint.id)
    before = _count(ServiceBlueprint)

    def link_to_nowhere(wb):
        wb["Links"].append(("S1-C-1", "S9-Z-9", "relies_on"))

    started = import_workbook(client, edit(content, link_to_nowhere))
    assert started.status_code == 303
    state = client.get(started.location + ".json").get_json()
    assert state["status"] == "failed" and "nothing was saved" in state["message"]
    assert any("S9-Z-9" in p for p in state["problems"])
    assert state["next"] == "/blueprints/import"
    assert _count(ServiceBlueprint) == before

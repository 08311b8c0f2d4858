"""Long work as jobs: started by a request, run off it, reporting how far it is to any page
that asks, handing out its file only to the user who started it."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

import jobs
from backlog.models import ImprovementTask, TaskStatus
from clock import utcnow
from extensions import db
from jobs.models import Job, JobStatus
from tests import factories as f
from tests.helpers import upload_plan


@pytest.fixture
def test_kinds(consumer):
    """Kinds of job the tests control: one that waits for the test between two reports of
    progress, and one that changes data and then breaks."""
    gate, reached = threading.Event(), threading.Event()

    def slow(job, progress):
        progress(0, 400, "Counting sheep")
        progress(100, 400, "Counting sheep")
        reached.set()
        assert gate.wait(30)
        progress(400, 400, "Counting sheep")
        return jobs.FileResult(b"400 sheep", "sheep.txt", "text/plain", "All sheep counted.")

    def broken(job, progress):
        db.session.add(ImprovementTask(workspace_id=job.workspace_id, title="Half-written"))
        db.session.flush()
        raise RuntimeError("the disk is on fire")

    jobs.KINDS.update(test_slow=slow, test_broken=broken)
    yield gate, reached
    gate.set()
    jobs.wait_all()
    for name in ("test_slow", "test_broken"):
        jobs.KINDS.pop(name)


def _start(app, world, user, kind_name, label="Test job"):
    with app.test_request_context():
        job = jobs.start(world.workspace.id, user.id, kind_name, label)
        db.session.commit()
        jobs.launch(job.id)
    return job.id


def test_a_running_job_reports_how_far_it_is_to_every_request(
    app, client, world, login, test_kinds
):
    gate, reached = test_kinds
    login(world.editor)
    job_id = _start(app, world, world.editor, "test_slow", "Counting")
    assert reached.wait(30)
    running = client.get(f"/jobs/{job_id}.json").get_json()
    assert (running["status"], running["step"], running["done"], running["total"]) == (
        "running",
        "Counting sheep",
        100,
        400,
    )
    assert running["percent"] == 25 and running["download"] is None
    page = client.get(f"/jobs/{job_id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<title>Counting · Rootline</title>" in text
    assert 'aria-valuenow="25"' in text and "100 of 400" in text
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in text
    assert client.get(f"/jobs/{job_id}/download").status_code == 404  # not made yet

    gate.set()
    jobs.wait_all()
    done = client.get(f"/jobs/{job_id}.json").get_json()
    assert (done["status"], done["percent"], done["message"]) == ("done", 100, "All sheep counted.")
    assert done["download"] == f"/jobs/{job_id}/download"
    download = client.get(done["download"])
    assert download.data == b"400 sheep"
    assert download.headers["Content-Disposition"] == "attachment; filename=sheep.txt"
    assert "refresh" not in client.get(f"/jobs/{job_id}").get_data(as_text=True)


def test_a_job_and_its_file_belong_to_the_user_who_started_it(
    app, client, world, login, test_kinds
):
    gate, _ = test_kinds
    gate.set()
    job_id = _start(app, world, world.editor, "test_slow")
    jobs.wait_all()
    for user in (world.owner, world.outsider):  # same workspace, and another one
        login(user)
        for url in (f"/jobs/{job_id}", f"/jobs/{job_id}.json", f"/jobs/{job_id}/download"):
            assert client.get(url).status_code == 404, (user.email, url)
        client.post("/logout")
    login(world.editor)
    assert client.get(f"/jobs/{job_id}/download").status_code == 200


def test_a_job_that_breaks_changes_nothing_and_says_so_without_a_trace(
    app, client, world, login, test_kinds
):
    login(world.editor)
    job_id = _start(app, world, world.editor, "test_broken")
    jobs.wait_all()
    state = client.get(f"/jobs/{job_id}.json").get_json()
    assert state["status"] == "failed"
    assert state["message"].startswith("Something went wrong on the server; nothing was changed.")
    assert db.session.scalar(select(func.count()).select_from(ImprovementTask)) == 0
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "nothing was changed" in page and "Traceback" not in page and "fire" not in page


def test_a_job_whose_server_stopped_is_not_shown_as_running_forever(client, world, login):
    login(world.editor)
    job = f.make_job(
        world.workspace,
        world.editor,
        status=JobStatus.RUNNING,
        heartbeat_at=utcnow() - timedelta(minutes=10),
    )
    f.commit()
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert state["status"] == "failed"
    assert state["message"].startswith("The server stopped before this finished")


def test_export_from_the_backlog_runs_as_a_job_with_the_page_filters(client, world, login):
    for i in range(2500):  # three chunks of the export: progress is reported as it goes
        f.make_task(world.workspace, f"Task {i}", status="done" if i % 5 == 0 else "idea")
    f.commit()
    login(world.viewer)  # reading is enough to export
    started = client.post("/backlog/export", data={"status": "done", "page": "3"})
    assert started.status_code == 303
    jobs.wait_all()
    state = client.get(started.location + ".json").get_json()
    assert state["status"] == "done", state
    assert (state["done"], state["total"]) == (500, 500)  # the filtered tasks, counted
    download = client.get(state["download"])
    assert download.status_code == 200
    assert "filename=action-plan-" in download.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(download.data), read_only=True)
    statuses = [row[2] for row in wb["Action plan"].iter_rows(min_row=2, values_only=True)]
    assert len(statuses) == 500 and set(statuses) == {"Done"}
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert "Status: done" in str(about.values())


def test_old_jobs_and_their_files_are_removed_when_a_new_one_starts(app, client, world, login):
    f.make_job(
        world.workspace,
        world.editor,
        label="Old export",
        status=JobStatus.DONE,
        result=b"x" * 1000,
        created_at=utcnow() - timedelta(days=2),
    )
    f.commit()
    login(world.editor)
    assert client.post("/backlog/export").status_code == 303
    jobs.wait_all()
    db.session.expire_all()
    labels = db.session.scalars(select(Job.label)).all()
    assert labels == ["Action plan export"]  # (SQLite may give the new job the old one's id)


def test_applying_an_update_after_the_backlog_changed_is_refused_by_the_job(client, world, login):
    task = f.make_task(world.workspace, "Alpha")
    f.commit()
    login(world.editor)
    wb = load_workbook(io.BytesIO(client.get("/backlog/export.xlsx").data))
    ws = wb["Action plan"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Status") + 1).value = "Planned"
    preview = upload_plan(client, wb).location
    assert client.get(preview).status_code == 200  # the preview could apply
    client.post(  # then someone changes the task
        f"/tasks/{task.id}/edit",
        data={
            "title": "Alpha",
            "status": "done",
            "impact": "3",
            "effort": "3",
            "version": task.version,
        },
    )
    started = client.post(preview + "/apply")
    jobs.wait_all()
    state = client.get(started.location + ".json").get_json()
    assert state["status"] == "failed" and "nothing was" in state["message"]
    assert any("changed in Rootline since the export" in p for p in state["problems"])
    db.session.expire_all()
    assert db.session.get(ImprovementTask, task.id).status is TaskStatus.DONE


def test_reading_an_uploaded_plan_counts_its_rows_and_leads_to_the_preview(client, world, login):
    for i in range(1500):
        f.make_task(world.workspace, f"Task {i}")
    f.commit()
    login(world.editor)
    wb = load_workbook(io.BytesIO(client.get("/backlog/export.xlsx").data))
    out = io.BytesIO()
    wb.save(out)  # as a spreadsheet program saves it: the sheet says how many rows it has
    content = out.getvalue()
    reading = client.post(
        "/backlog/import",
        data={"file": (io.BytesIO(content), "plan.xlsx")},
        content_type="multipart/form-data",
    )
    assert reading.status_code == 303 and reading.location.startswith("/jobs/")
    jobs.wait_all()
    state = client.get(reading.location + ".json").get_json()
    assert (state["status"], state["done"], state["total"]) == ("done", 1500, 1500)
    assert state["next"].startswith("/backlog/import/") and state["message"] == ""
    preview = client.get(state["next"]).get_data(as_text=True)
    assert "The workbook changes nothing." in preview
    job = db.session.get(Job, int(reading.location.rsplit("/", 1)[-1]))
    assert job.input is None  # the upload is not kept once read


@pytest.mark.parametrize("total", [10_000, 0])
def test_progress_reported_for_every_row_writes_a_bounded_number_of_times(app, world, total):
    job = f.make_job(world.workspace, world.editor)
    f.commit()
    writes = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("UPDATE JOB"):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        progress = jobs.Progress(job.id)
        for row in range(1, 10_001):
            progress(row, total, "Reading rows")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # a hundredth at a time (and a timer) when the total is known; the timer alone when not
    assert 1 <= len(writes) <= (101 if total else 1) + 10
    db.session.expire_all()
    assert db.session.get(Job, job.id).step == "Reading rows"
    if total:
        assert db.session.get(Job, job.id).done == 10_000


def test_the_backlog_lists_my_recent_jobs_so_i_can_come_back_to_them(client, world, login):
    login(world.editor)
    started = client.post("/backlog/export")
    jobs.wait_all()
    job_id = int(started.location.rsplit("/", 1)[-1])
    text = client.get("/backlog").get_data(as_text=True)
    assert f'<a href="/jobs/{job_id}">Action plan export</a>' in text
    assert "finished</span>" in text and f'href="/jobs/{job_id}/download"' in text
    client.post("/logout")
    login(world.owner)  # someone else's jobs are not listed
    assert f"/jobs/{job_id}" not in client.get("/backlog").get_data(as_text=True)

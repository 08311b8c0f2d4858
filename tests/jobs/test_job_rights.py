"""A job acts with its starter's rights, checked again when it writes, and a job that meets
someone else's save at the same moment fails with a message, not a crash."""

from __future__ import annotations

import io
import threading

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

import jobs
from accounts.audit import AuditEvent
from accounts.models import Membership, Role
from backlog import updates
from backlog.models import ImprovementTask, TaskStatus
from extensions import db
from jobs.models import Job, JobStatus
from tests import factories as f
from tests.helpers import upload_plan


def _preview(client, status: str) -> str:
    """Upload the backlog's own export with every task set to `status`: the preview URL."""
    wb = load_workbook(io.BytesIO(client.get("/backlog/export.xlsx").data))
    ws = wb["Action plan"]
    column = [c.value for c in ws[1]].index("Status") + 1
    for row in range(2, ws.max_row + 1):
        ws.cell(row, column).value = status
    preview = upload_plan(client, wb).location
    assert client.get(preview).status_code == 200  # it could be applied
    return preview


@pytest.fixture
def paused_jobs(monkeypatch, consumer):
    """Jobs stop after their check of the update and before they save it, until the test
    lets them go: `reached` counts the jobs that got there."""
    gate, reached, lock = threading.Event(), [], threading.Lock()
    arrived = threading.Condition(lock)
    real = updates.preview

    def paused(*args, **kwargs):
        result = real(*args, **kwargs)
        if threading.current_thread() is not threading.main_thread():  # a job, not a page
            with arrived:
                reached.append(1)
                arrived.notify_all()
            assert gate.wait(30)
        return result

    def wait_for(count: int) -> None:
        with arrived:
            assert arrived.wait_for(lambda: len(reached) >= count, timeout=30)

    monkeypatch.setattr(updates, "preview", paused)
    yield gate, wait_for
    gate.set()


def _job(location: str) -> Job:
    db.session.expire_all()
    return db.session.get(Job, int(location.rsplit("/", 1)[-1]))


def _membership(world, user) -> Membership:
    return db.session.scalars(
        select(Membership).filter_by(workspace_id=world.workspace.id, user_id=user.id)
    ).one()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("removed", "no longer a member of this workspace"),
        ("demoted", "Your role in this workspace is now viewer"),
        ("disabled", "Your account was disabled"),
    ],
)
def test_an_editor_who_loses_their_role_during_an_apply_writes_nothing(
    client, world, login, paused_jobs, change, message
):
    gate, wait_for = paused_jobs
    tasks = [f.make_task(world.workspace, f"Task {i}") for i in range(3)]
    f.commit()
    login(world.editor)
    started = client.post(_preview(client, "Planned") + "/apply")
    wait_for(1)  # the job has checked the update and is about to save it
    since = db.session.scalar(select(db.func.max(AuditEvent.id)))
    membership = _membership(world, world.editor)
    if change == "removed":
        db.session.delete(membership)
    elif change == "demoted":
        membership.role = Role.VIEWER
    else:
        world.editor.active = False
    f.commit()
    gate.set()
    jobs.wait_all()
    job = _job(started.location)
    if change == "removed":  # a member who leaves takes their jobs along
        assert job is None
    else:
        assert job.status is JobStatus.FAILED
        assert message in job.message and "nothing was changed" in job.message
    db.session.expire_all()
    assert {db.session.get(ImprovementTask, t.id).status for t in tasks} == {TaskStatus.IDEA}
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > since)).all()
    assert [e for e in events if e.entity == "improvement_task"] == []


def test_an_editor_who_stays_an_editor_still_applies(client, world, login, paused_jobs):
    gate, wait_for = paused_jobs
    task = f.make_task(world.workspace, "Alpha")
    f.commit()
    login(world.editor)
    started = client.post(_preview(client, "Planned") + "/apply")
    wait_for(1)
    world.owner.name = "Olive Renamed"  # something else changes meanwhile: no matter
    f.commit()
    gate.set()
    jobs.wait_all()
    assert _job(started.location).status is JobStatus.DONE
    db.session.expire_all()
    assert db.session.get(ImprovementTask, task.id).status is TaskStatus.PLANNED


def test_a_member_removed_during_an_export_gets_no_file(
    app, client, world, login, monkeypatch, consumer
):
    gate, reached = threading.Event(), threading.Event()
    import backlog.jobs

    real = backlog.jobs.action_plan_bytes

    def paused(*args, **kwargs):
        reached.set()
        assert gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(backlog.jobs, "action_plan_bytes", paused)
    f.make_task(world.workspace, "Alpha")
    f.commit()
    login(world.viewer)
    started = client.post("/backlog/export")
    assert reached.wait(30)
    db.session.delete(_membership(world, world.viewer))
    f.commit()
    gate.set()
    jobs.wait_all()
    job = _job(started.location)
    assert job is None or (job.status is JobStatus.FAILED and job.result is None)


def test_two_applies_of_the_same_tasks_at_once_save_one_and_fail_the_other_with_a_message(
    client, world, login, paused_jobs
):
    gate, wait_for = paused_jobs
    task = f.make_task(world.workspace, "Alpha")
    f.commit()
    login(world.editor)
    first, second = _preview(client, "Planned"), _preview(client, "In progress")
    started = [client.post(first + "/apply"), client.post(second + "/apply")]
    wait_for(2)  # both checked the update against the same backlog; now both save
    gate.set()
    jobs.wait_all()
    states = [client.get(s.location + ".json").get_json() for s in started]
    assert sorted(s["status"] for s in states) == ["done", "failed"], states
    failed = next(s for s in states if s["status"] == "failed")
    preview = (first, second)[states.index(failed)]
    assert "at the same moment" in failed["message"]
    assert "nothing was changed" in failed["message"]
    assert failed["next"] == preview and failed["next_label"] == "Open the preview"
    page = client.get(started[states.index(failed)].location).get_data(as_text=True)
    assert "at the same moment" in page and "Working" not in page
    db.session.expire_all()
    winner = ("Planned", "In progress")[1 - states.index(failed)]
    assert db.session.get(ImprovementTask, task.id).status.label == winner
    # the preview now shows why the other one cannot be applied as it stands
    assert "changed in Rootline since the export" in client.get(preview).get_data(as_text=True)

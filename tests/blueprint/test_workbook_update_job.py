"""A large workbook's update (more rows than IMPORT_JOB_ROWS) is applied by a job: the same
changes as in the request, with progress, all or nothing, and a second run never applies it
again. Jobs run through Huey in immediate mode."""

from __future__ import annotations

import html
import re
from collections import Counter

from sqlalchemy import func, select

import jobs
from accounts.audit import AuditEvent
from blueprint.models import Element, PendingBlueprintUpdate, ServiceBlueprint, Stage
from extensions import db
from jobs.models import Job, JobStatus
from jobs.runner import Progress
from tests import factories as f
from tests.helpers import cell, edit, finished_job, preview


def _client(app, user):
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": f.PASSWORD})
    return client


def _snapshot(workspace_id: int):
    db.session.expire_all()
    return {
        model.__tablename__: sorted(
            db.session.execute(
                select(model.id, model.version).where(model.workspace_id == workspace_id)
            ).all()
        )
        for model in (ServiceBlueprint, Stage, Element)
    }


def _since(event_id):
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > (event_id or 0)))
    return Counter((e.action, e.entity) for e in events)


def _renamed(wb):
    cell(wb, "Elements", "S1-C-1", "title").value = "Places order online"


def _prepared(make_app, world, bmap):
    """An app that applies updates of more than 3 rows by a job, the editor's client, and
    the preview of a renamed step: (client, its URL, its token)."""
    app = make_app(IMPORT_JOB_ROWS=3)
    client = _client(app, world.editor)
    content = client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx").data
    url, page, token = preview(client, bmap.blueprint, edit(content, _renamed))
    assert "1 change." in html.unescape(page)
    return client, url, token


def test_a_large_update_is_applied_by_a_job_with_progress(make_app, world, bmap, monkeypatch):
    reported = []
    real_call = Progress.__call__

    def spy(self, done, total, step=None):
        reported.append(step)
        return real_call(self, done, total, step)

    monkeypatch.setattr(Progress, "__call__", spy)

    def writes(self, done, total, step=None):
        reported.append((done, total))

    monkeypatch.setattr(Progress, "after_writes", writes)
    client, url, token = _prepared(make_app, world, bmap)
    since = db.session.scalar(select(func.max(AuditEvent.id)))
    started = client.post(url + "/apply", data={"token": token})
    job = finished_job(client, started)
    assert job["status"] == "done", job
    assert "Order to cash updated from the workbook: 1 change." in job["message"]
    assert job["next"] == f"/blueprints/{bmap.blueprint.id}"
    assert db.session.scalar(select(Job.kind).order_by(Job.id.desc())) == "blueprint_update"
    assert db.session.get(Element, bmap.buyer.id).title == "Places order online"
    assert _since(since) == {("update", "element"): 1}
    assert db.session.scalar(select(func.count()).select_from(PendingBlueprintUpdate)) == 0
    assert "Reading the workbook's rows" in reported
    assert "Checking the workbook against the blueprint" in reported
    assert [r for r in reported if isinstance(r, tuple)] == [(n, 6) for n in range(1, 7)]


def test_a_second_run_of_the_same_update_applies_nothing(make_app, world, bmap):
    """A retry, a second click or a message delivered twice: the kept upload goes with the
    changes, so the second job finds nothing to apply."""
    client, url, token = _prepared(make_app, world, bmap)
    update_id = int(url.rsplit("/", 1)[1])
    params = {"blueprint_id": bmap.blueprint.id, "update_id": update_id, "token": token}
    twice = [
        jobs.start(world.workspace.id, world.editor.id, "blueprint_update", "Update", params)
        for _ in range(2)
    ]
    db.session.commit()
    since = db.session.scalar(select(func.max(AuditEvent.id)))
    for job in twice:
        jobs.launch(job.id)
    jobs.wait_all()
    db.session.expire_all()
    first, second = (db.session.get(Job, j.id) for j in twice)
    assert first.status is JobStatus.DONE, first.message
    assert second.status is JobStatus.FAILED
    assert second.message == "This update was already applied or discarded; nothing was changed."
    assert _since(since) == {("update", "element"): 1}  # applied once
    again = client.post(url + "/apply", data={"token": token})  # the preview is gone too
    assert again.status_code == 404
    assert _since(since) == {("update", "element"): 1}


def test_an_update_whose_blueprint_changed_since_the_preview_changes_nothing(make_app, world, bmap):
    client, url, token = _prepared(make_app, world, bmap)
    f.make_element(bmap.stages[1], "support", "Added after the preview")
    f.commit()  # someone else, after the preview
    before = _snapshot(world.workspace.id)
    job = finished_job(client, client.post(url + "/apply", data={"token": token}))
    assert job["status"] == "failed"
    assert "The blueprint changed since the preview; nothing was changed." in job["message"]
    assert job["next"] == url  # back to the preview, which is kept
    assert _snapshot(world.workspace.id) == before
    page = html.unescape(client.get(url).get_data(as_text=True))
    fresh = re.search(r'name="token" value="([^"]*)"', page).group(1)
    assert finished_job(client, client.post(url + "/apply", data={"token": fresh}))["status"] == (
        "done"
    )
    assert db.session.get(Element, bmap.buyer.id).title == "Places order online"


def test_a_small_update_is_still_applied_in_the_request(client, world, login, bmap):
    login(world.editor)
    content = client.get(f"/blueprints/{bmap.blueprint.id}/workbook.xlsx").data
    url, _, token = preview(client, bmap.blueprint, edit(content, _renamed))
    response = client.post(url + "/apply", data={"token": token})
    assert response.status_code == 303 and response.location == f"/blueprints/{bmap.blueprint.id}"
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0

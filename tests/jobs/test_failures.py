"""The engine's failure rules, in the test process: a job runs once however often its message
arrives, a job whose worker died is started again once and then failed with a message, a
member removed from the workspace loses their jobs (a running one stops, changing nothing),
and the sweep removes old work."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

import jobs
from accounts.models import FailedLogin, Invitation, Membership, Role, UserSession
from backlog.models import ImprovementTask, PendingImport
from blueprint.models import PendingBlueprintUpdate
from clock import utcnow
from extensions import db
from jobs import sweep
from jobs.engine import engine_of
from jobs.models import Job, JobStatus
from tests import factories as f


@pytest.fixture
def counting_kind():
    """A kind that adds one task per run, named after its job."""
    runs = []

    def count(job, progress):
        runs.append(job.id)
        db.session.add(ImprovementTask(workspace_id=job.workspace_id, title=f"job {job.id}"))
        db.session.flush()
        return jobs.GoTo("backlog.index", message="counted")

    jobs.KINDS["test_count"] = count
    yield runs
    jobs.KINDS.pop("test_count")


def _tasks() -> int:
    return db.session.scalar(select(func.count()).select_from(ImprovementTask))


def _sweep(app) -> None:
    sweep.run_all(app, engine_of(app))
    db.session.expire_all()


def test_a_job_whose_message_arrives_twice_runs_once(app, client, world, login, counting_kind):
    login(world.editor)
    with app.test_request_context():
        job = jobs.start(world.workspace.id, world.editor.id, "test_count", "Counting")
        db.session.commit()
        jobs.launch(job.id)
        jobs.launch(job.id)  # a second delivery: the claim finds it no longer queued
    jobs.run(app, job.id)
    assert counting_kind == [job.id] and _tasks() == 1
    assert client.get(f"/jobs/{job.id}.json").get_json()["message"] == "counted"


def test_a_job_whose_worker_died_runs_again_once_then_fails_with_a_message(
    app, client, world, login, counting_kind
):
    long_ago = utcnow() - timedelta(minutes=5)
    first = f.make_job(
        world.workspace,
        world.editor,
        kind="test_count",
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=long_ago,
    )
    second = f.make_job(
        world.workspace,
        world.editor,
        kind="test_count",
        status=JobStatus.RUNNING,
        attempts=2,
        heartbeat_at=long_ago,
    )
    f.commit()
    _sweep(app)  # in immediate mode the job queued again runs at once
    assert counting_kind == [first.id]
    assert db.session.get(Job, first.id).status is JobStatus.DONE
    assert db.session.get(Job, first.id).attempts == 2
    login(world.editor)
    state = client.get(f"/jobs/{second.id}.json").get_json()
    assert state["status"] == "failed"
    assert state["message"].startswith("The job stopped twice because the worker running it")
    assert "nothing was changed. Start it again" in state["message"]
    assert _tasks() == 1


def test_a_job_silent_for_less_than_the_limit_is_left_alone(app, world, counting_kind):
    job = f.make_job(
        world.workspace,
        world.editor,
        kind="test_count",
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=utcnow() - timedelta(seconds=5),
    )
    f.commit()
    _sweep(app)
    assert db.session.get(Job, job.id).status is JobStatus.RUNNING and counting_kind == []


def test_a_job_waiting_without_a_worker_says_so_and_is_queued_again(
    app, client, world, login, counting_kind
):
    job = f.make_job(
        world.workspace,
        world.editor,
        kind="test_count",
        created_at=utcnow() - timedelta(minutes=10),
        heartbeat_at=utcnow() - timedelta(minutes=10),
    )
    f.commit()
    login(world.editor)
    state = client.get(f"/jobs/{job.id}.json").get_json()
    assert state["status"] == "queued" and state["state"] == "Waiting to start"
    assert "no job worker is running" in state["message"]
    _sweep(app)  # its message may have been lost: sent again, and (immediate mode) run
    assert client.get(f"/jobs/{job.id}.json").get_json()["status"] == "done"
    assert counting_kind == [job.id]


def test_a_member_removed_from_the_workspace_loses_their_jobs_and_a_running_one_stops(
    app, client, world, login, consumer
):
    gate, reached = threading.Event(), threading.Event()

    def waits_then_writes(job, progress):
        progress(1, 2, "Halfway")
        reached.set()
        assert gate.wait(30)
        progress(2, 2, "Writing")  # the job is gone: this stops it
        db.session.add(ImprovementTask(workspace_id=job.workspace_id, title="Half-written"))
        db.session.flush()
        return jobs.FileResult(b"x", "x.txt", "text/plain")

    jobs.KINDS["test_waits"] = waits_then_writes
    try:
        done = f.make_job(world.workspace, world.editor, status=JobStatus.DONE, result=b"plan")
        kept = f.make_job(world.other_workspace, world.outsider, status=JobStatus.DONE)
        f.commit()
        done_id, kept_id = done.id, kept.id
        with app.test_request_context():
            running = jobs.start(world.workspace.id, world.editor.id, "test_waits", "Waiting")
            db.session.commit()
            jobs.launch(running.id)
        assert reached.wait(30)
        login(world.owner)
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == world.editor.id,
                Membership.workspace_id == world.workspace.id,
            )
        )
        removed = client.post(f"/workspaces/{world.workspace.id}/members/{membership.id}/remove")
        assert removed.status_code == 302
        gate.set()
        jobs.wait_all()
        db.session.expire_all()
        assert db.session.scalars(select(Job.id)).all() == [kept_id]  # files gone with them
        assert db.session.get(Job, done_id) is None
        assert db.session.scalar(select(func.count()).select_from(ImprovementTask)) == 0
    finally:
        gate.set()
        jobs.KINDS.pop("test_waits")


def test_the_sweep_removes_old_jobs_unapplied_imports_and_expired_logins(app, world):
    day_ago = utcnow() - timedelta(days=1, minutes=1)
    f.make_job(world.workspace, world.editor, status=JobStatus.DONE, created_at=day_ago)
    fresh = f.make_job(world.workspace, world.editor, status=JobStatus.DONE)
    running = f.make_job(world.workspace, world.editor, status=JobStatus.RUNNING)
    for created in (day_ago, utcnow()):
        db.session.add(
            PendingImport(
                workspace_id=world.workspace.id,
                user_id=world.editor.id,
                payload="[]",
                created_at=created,
            )
        )
    db.session.add(UserSession(token="old", user_id=world.editor.id, created_at=day_ago))
    db.session.add(UserSession(token="new", user_id=world.editor.id))
    db.session.add(FailedLogin(email="x@example.com", at=day_ago))
    db.session.add(FailedLogin(email="x@example.com"))
    f.commit()
    kept = sorted([fresh.id, running.id])
    _sweep(app)
    assert sorted(db.session.scalars(select(Job.id))) == kept
    assert db.session.scalar(select(func.count()).select_from(PendingImport)) == 1
    assert db.session.scalars(select(UserSession.token)).all() == ["new"]
    assert db.session.scalar(select(func.count()).select_from(FailedLogin)) == 1


def test_the_sweep_removes_expired_invitations_and_unapplied_blueprint_updates(app, world, bmap):
    now = utcnow()
    for email, expires in (("gone@example.com", now - timedelta(minutes=1)),
                           ("open@example.com", now + timedelta(hours=1))):  # fmt: skip
        db.session.add(
            Invitation(
                workspace_id=world.workspace.id,
                email=email,
                role=Role.VIEWER,
                invited_by_id=world.owner.id,
                token_hash=email.ljust(64, "x"),
                expires_at=expires,
            )
        )
    for created in (now - timedelta(days=1, minutes=1), now):
        db.session.add(
            PendingBlueprintUpdate(
                workspace_id=world.workspace.id,
                blueprint_id=bmap.blueprint.id,
                user_id=world.editor.id,
                created_at=created,
                content=b"PK",
            )
        )
    f.commit()
    _sweep(app)
    db.session.expire_all()
    assert db.session.scalars(select(Invitation.email)).all() == ["open@example.com"]
    kept = db.session.scalars(select(PendingBlueprintUpdate.created_at)).all()
    assert len(kept) == 1 and kept[0] > now - timedelta(minutes=1)

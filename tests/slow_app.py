"""Rootline for the tests that run real servers and job workers (tests/jobs/test_gunicorn_jobs.py,
tests/jobs/test_workers.py): the app plus test-only kinds of job and routes — work that
takes longer than gunicorn's worker timeout, once as a job and once inside its request; a
job that writes and then waits (to be killed mid-job); a job that counts its runs."""

from __future__ import annotations

import os
import time

from flask import redirect, request, url_for
from flask_login import current_user

import jobs
from accounts.security import require_current_workspace
from backlog.models import ImprovementTask
from extensions import csrf, db
from wsgi import create_app

SECONDS = 5


def _sleepy(job, progress):
    for second in range(SECONDS):
        progress(second, SECONDS, "Sleeping")
        time.sleep(1)
    return jobs.FileResult(b"slept", "slept.txt", "text/plain")


def _writes_then_waits(job, progress):
    """Reports, then writes a task and, on its first run, waits with the write uncommitted
    (a worker killed now must leave nothing behind), then finishes."""
    progress(0, 2, "Writing a task")
    db.session.add(ImprovementTask(workspace_id=job.workspace_id, title=f"written by {job.id}"))
    db.session.flush()
    if job.attempts == 1:
        time.sleep(float(job.params.get("seconds", SECONDS)))
    return jobs.FileResult(f"pid {os.getpid()}".encode(), "written.txt", "text/plain")


def _counts(job, progress):
    """One task per run, named after the job; says which worker process ran it."""
    db.session.add(ImprovementTask(workspace_id=job.workspace_id, title=f"run of {job.id}"))
    db.session.flush()
    time.sleep(0.05)
    return jobs.GoTo("backlog.index", message=f"pid {os.getpid()}")


KINDS = {"test_sleep": _sleepy, "test_writes": _writes_then_waits, "test_count": _counts}


def create():
    app = create_app()
    jobs.register(KINDS)

    @app.post("/test/slow-job")
    @csrf.exempt
    def slow_job():
        workspace = require_current_workspace()
        kind = request.args.get("kind", "test_sleep")
        params = {"seconds": request.args.get("seconds", SECONDS)}
        job = jobs.start(workspace.id, current_user.id, kind, "Sleeping", params)
        db.session.commit()
        jobs.launch(job.id)
        return redirect(url_for("jobs.job", job_id=job.id), code=303)

    @app.post("/test/slow-request")
    @csrf.exempt
    def slow_request():
        time.sleep(SECONDS)
        return "slept"

    return app

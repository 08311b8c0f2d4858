"""Rootline for tests/test_gunicorn_jobs.py: the app plus work that takes longer than
gunicorn's worker timeout, once as a job and once inside its request (test-only routes)."""

from __future__ import annotations

import time

from flask import redirect, url_for
from flask_login import current_user

import jobs
from accounts.security import require_current_workspace
from extensions import csrf, db
from wsgi import create_app

SECONDS = 5


def _sleepy(job, progress):
    for second in range(SECONDS):
        progress(second, SECONDS, "Sleeping")
        time.sleep(1)
    return jobs.FileResult(b"slept", "slept.txt", "text/plain")


def create():
    app = create_app()
    jobs.KINDS["test_sleep"] = _sleepy

    @app.post("/test/slow-job")
    @csrf.exempt
    def slow_job():
        workspace = require_current_workspace()
        job = jobs.start(workspace.id, current_user.id, "test_sleep", "Sleeping")
        db.session.commit()
        jobs.launch(job.id)
        return redirect(url_for("jobs.job", job_id=job.id), code=303)

    @app.post("/test/slow-request")
    @csrf.exempt
    def slow_request():
        time.sleep(SECONDS)
        return "slept"

    return app

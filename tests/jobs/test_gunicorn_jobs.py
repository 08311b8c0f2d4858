"""Under gunicorn, whose sync workers are killed when one request takes longer than the
timeout: work done as a job (run by a job worker process beside gunicorn) outlives the
timeout many times over, while the same work inside a request is killed (which shows the
timeout is real in this run).

Marked slow (real processes): skip it locally with `-m 'not slow'`; `make test` and CI run it."""

from __future__ import annotations

import json
import time

import pytest

from devsupport import load, servers

pytestmark = pytest.mark.slow


def test_a_job_outlives_the_worker_timeout_that_kills_a_slow_request(tmp_path):
    log = tmp_path / "gunicorn.log"
    with load.database("sqlite", tmp_path) as url:
        load.seed(url, 1)
        app = "tests.slow_app:create()"
        jobs_url = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
        with (
            servers.gunicorn(
                url, 1, log, app=app, extra=("--timeout", "2"), jobs_url=jobs_url
            ) as base,
            servers.jobs_worker(url, jobs_url, tmp_path / "worker.log", app=app),
        ):
            user = load.User(base, 0, load.Stats(), [], [])
            user.login()
            status, _ = user.request("job", "/test/slow-job", [])
            assert status == 303
            states = []
            for _ in range(120):  # the job sleeps 5 s, in 1 s steps, reporting each
                status, body = user.request("poll", "/jobs/1.json")
                assert status == 200, body
                states.append(json.loads(body))
                if states[-1]["status"] in ("done", "failed"):
                    break
                time.sleep(0.25)
            assert states[-1]["status"] == "done", states[-1]
            assert any(s["status"] == "running" and s["done"] >= 2 for s in states)
            assert user.request("file", "/jobs/1/download")[1] == "slept"
            assert "WORKER TIMEOUT" not in log.read_text()

            try:
                status, _ = user.request("slow", "/test/slow-request", [])
            except OSError:  # the worker was killed mid-request: the connection dropped
                status = None
            assert status in (None, 500, 502)
            for _ in range(50):
                if "WORKER TIMEOUT" in log.read_text():
                    break
                time.sleep(0.1)
            assert "WORKER TIMEOUT" in log.read_text()

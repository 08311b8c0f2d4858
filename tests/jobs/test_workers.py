"""Jobs with real processes: gunicorn, job workers (`flask jobs-worker`) and `make run`'s
`run-with-worker`, some of them killed mid-job by PID. Marked slow: skip them locally with
`-m 'not slow'`; `make test` and CI run them."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from devsupport import load, servers
from devsupport.databases import LOCAL_POSTGRES, LOCAL_REDIS
from tests.helpers import require_postgres, require_redis

pytestmark = pytest.mark.slow

APP = "tests.slow_app:create()"
ROOT = Path(__file__).resolve().parents[2]


def _token(user, path: str) -> str:
    _, page = user.request("page", path)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]


def _job(user, job_id: int) -> dict:
    status, body = user.request("poll", f"/jobs/{job_id}.json")
    assert status == 200, body
    return json.loads(body)


def _until_finished(user, job_id: int, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = _job(user, job_id)
        if state["status"] in ("done", "failed"):
            return state
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} did not finish: {state}")


def _rows(url: str, sql: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).all()
    finally:
        engine.dispose()


def _wait_for_row(url: str, sql: str, seconds: float = 30) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := _rows(url, sql):
            return found
        time.sleep(0.1)
    raise AssertionError(f"nothing for {sql}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_jobs_outlive_the_web_server_killed_while_they_run(tmp_path):
    with load.database("sqlite", tmp_path) as url:
        load.seed(url, 1)
        jobs_url = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
        port, web = servers.free_port(), []
        with servers.jobs_worker(url, jobs_url, tmp_path / "worker.log", app=APP, workers=2):
            with servers.gunicorn(
                url, 1, tmp_path / "web1.log", app=APP, jobs_url=jobs_url, port=port, processes=web
            ) as base:
                user = load.User(base, 0, load.Stats(), [], [])
                user.login()
                assert user.request("slow", "/test/slow-job?seconds=4", [])[0] == 303
                token = _token(user, "/backlog")
                assert user.request("export", "/backlog/export", [("csrf_token", token)])[0] == 303
                _wait_for_row(url, "SELECT id FROM job WHERE id = 1 AND status = 'running'")
                os.killpg(web[0].pid, signal.SIGKILL)  # the web server, and only it, dies
                web[0].wait()
            with servers.gunicorn(
                url, 1, tmp_path / "web2.log", app=APP, jobs_url=jobs_url, port=port
            ) as base:
                slow, export = _until_finished(user, 1), _until_finished(user, 2)
                assert (slow["status"], export["status"]) == ("done", "done"), (slow, export)
                assert user.request("file", slow["download"])[1] == "slept"
                status, _ = user.request("file", export["download"])
                assert status == 200 and export["download"].endswith("/jobs/2/download")
                assert export["step"].startswith("action-plan-")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_worker_killed_mid_job_leaves_nothing_and_another_worker_finishes_it(tmp_path, kind):
    if kind == "postgresql":
        require_postgres(LOCAL_POSTGRES)
    with load.database(kind, tmp_path) as url:
        load.seed(url, 1)
        jobs_url = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
        quick = {"ROOTLINE_JOBS_LOST_AFTER": "2"}  # the sweep counts a worker gone after 2 s
        with servers.gunicorn(url, 1, tmp_path / "web.log", app=APP, jobs_url=jobs_url) as base:
            user = load.User(base, 0, load.Stats(), [], [])
            user.login()
            with servers.jobs_worker(url, jobs_url, tmp_path / "w1.log", app=APP, env=quick) as w1:
                started = user.request("job", "/test/slow-job?kind=test_writes&seconds=60", [])
                assert started[0] == 303
                _wait_for_row(url, "SELECT id FROM job WHERE step = 'Writing a task'")
                time.sleep(1)  # the task is written, not committed
                os.kill(w1.pid, signal.SIGKILL)
                w1.wait()
            assert (
                _rows(url, "SELECT count(*) FROM improvement_task WHERE title LIKE 'written%'")[0][
                    0
                ]
                == 0
            )
            assert _job(user, 1)["status"] == "running"  # for now: nobody has noticed yet
            time.sleep(2.5)
            with servers.jobs_worker(url, jobs_url, tmp_path / "w2.log", app=APP, env=quick) as w2:
                state = _until_finished(user, 1)
                assert state["status"] == "done", state
                assert user.request("file", state["download"])[1] == f"pid {w2.pid}"
            _, page = user.request("page", "/jobs/1")
            assert "Finished" in page
            written = _rows(url, "SELECT title FROM improvement_task WHERE title LIKE 'written%'")
            assert written == [("written by 1",)]  # the second run's, once
            assert _rows(url, "SELECT attempts FROM job WHERE id = 1") == [(2,)]


@pytest.mark.parametrize("queue", ["postgresql", "redis"])
def test_two_workers_on_one_queue_run_each_of_50_jobs_exactly_once(tmp_path, queue):
    from flask import g

    import jobs
    from extensions import db
    from jobs.engine import engine_of
    from jobs.models import Job, JobStatus
    from tests import slow_app
    from wsgi import create_app

    name = f"test-{uuid.uuid4().hex[:8]}"
    if queue == "postgresql":
        require_postgres(LOCAL_POSTGRES)
        database = load.database("postgresql", tmp_path)
    else:
        require_redis(LOCAL_REDIS)
        database = load.database("sqlite", tmp_path)
    with database as url:
        load.seed(url, 1)
        jobs_url = url if queue == "postgresql" else LOCAL_REDIS
        env = {"ROOTLINE_JOBS_QUEUE": name}
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "JOBS_URL": jobs_url, "JOBS_QUEUE": name})
        jobs.register(slow_app.KINDS)
        huey = engine_of(app).huey
        try:
            with (
                servers.jobs_worker(
                    url, jobs_url, tmp_path / "w1.log", APP, workers=2, env=env
                ) as w1,
                servers.jobs_worker(
                    url, jobs_url, tmp_path / "w2.log", APP, workers=2, env=env
                ) as w2,
                app.app_context(),
            ):
                workspace_id, user_id = db.session.execute(
                    text("SELECT workspace_id, user_id FROM membership LIMIT 1")
                ).one()
                g.acting_user_id = user_id
                ids = []
                for n in range(50):
                    ids.append(jobs.start(workspace_id, user_id, "test_count", f"Count {n}").id)
                db.session.commit()
                for job_id in ids + ids:  # every message twice: a duplicate delivery
                    jobs.launch(job_id)
                deadline = time.monotonic() + 120
                while time.monotonic() < deadline:
                    db.session.expire_all()
                    finished = db.session.scalar(
                        select(func.count()).where(Job.status == JobStatus.DONE)
                    )
                    if finished == 50:
                        break
                    time.sleep(0.25)
                assert finished == 50
                runs = db.session.execute(
                    text(
                        "SELECT title, count(*) FROM improvement_task"
                        " WHERE title LIKE 'run of %' GROUP BY title"
                    )
                ).all()
                assert sorted(runs) == sorted((f"run of {i}", 1) for i in ids)
                done = db.session.scalars(select(Job).where(Job.id.in_(ids))).all()
                assert {job.attempts for job in done} == {1}
                pids = {job.message for job in done}
                assert pids == {f"pid {w1.pid}", f"pid {w2.pid}"}  # both took their share
        finally:
            if queue == "redis":
                huey.storage.flush_all()
            huey.storage.close()
            for kind in slow_app.KINDS:
                jobs.KINDS.pop(kind, None)
            with app.app_context():
                db.engine.dispose()


def test_make_run_serves_runs_jobs_and_ctrl_c_stops_both(tmp_path):
    env = {
        **os.environ,
        "ROOTLINE_INSTANCE": str(tmp_path),  # the embedded default: database and queue here
        "SECRET_KEY": "make-run-test",
    }
    for name in ("DATABASE_URL", "ROOTLINE_JOBS_URL", "ROOTLINE_ENV"):
        env.pop(name, None)
    flask = [str(Path(sys.executable).with_name("flask")), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["seed-demo", "--if-empty"]):
        subprocess.run([*flask, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    port = servers.free_port()
    log = tmp_path / "run.log"
    with log.open("w") as out:
        parent = subprocess.Popen(
            [*flask, "run-with-worker", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, as a terminal gives it
        )
    try:
        base = f"http://127.0.0.1:{port}"
        user = load.User(base, 0, load.Stats(), [], [])
        for _ in range(300):
            try:
                if user.request("health", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        token = _token(user, "/login")
        login = [
            ("csrf_token", token),
            ("email", "demo@example.com"),
            ("password", "rootline-demo"),
        ]
        assert user.request("login", "/login", login)[0] == 302
        token = _token(user, "/backlog")
        assert user.request("export", "/backlog/export", [("csrf_token", token)])[0] == 303
        state = _until_finished(user, 1)
        assert state["status"] == "done", state
        status, _ = user.request("file", state["download"])
        assert status == 200
        assert (tmp_path / "jobs.sqlite").exists()  # the queue of the embedded default
        web_pid, worker_pid = map(
            int,
            re.search(r"web server: pid (\d+); job worker: pid (\d+)", log.read_text()).groups(),
        )
        os.killpg(parent.pid, signal.SIGINT)  # Ctrl+C in the terminal
        assert parent.wait(timeout=30) == 0 or parent.returncode is not None
        for pid in (web_pid, worker_pid):
            for _ in range(100):
                if not _alive(pid):
                    break
                time.sleep(0.1)
            assert not _alive(pid), log.read_text()
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
            parent.wait()

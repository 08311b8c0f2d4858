"""Real processes for the tests and the load benchmark: gunicorn and job workers
(`flask jobs-worker`) on loopback, started in their own process group and stopped (or
killed) by it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(url: str, jobs_url: str, extra: dict | None = None) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "ROOTLINE_JOBS_URL": jobs_url,
        "SECRET_KEY": "load-test-secret",
        "ROOTLINE_ENV": "development",
        **(extra or {}),
    }


@contextmanager
def gunicorn(
    url: str,
    workers: int,
    log: Path,
    app: str = "wsgi:create_app()",
    extra=(),
    jobs_url: str | None = None,
    port: int | None = None,
    env: dict | None = None,
    processes: list | None = None,
):
    """gunicorn on loopback; its job queue is `jobs_url` (a SQLite file beside `log`). The
    process is appended to `processes` (to kill it)."""
    port = port or free_port()
    env = server_env(url, jobs_url or f"sqlite:///{log.parent / 'jobs.sqlite'}", env)
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--chdir",
                str(ROOT),
                *extra,
                app,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if processes is not None:
            processes.append(process)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=2).read()
                    break
                except OSError as exc:
                    if process.poll() is not None:
                        raise RuntimeError("gunicorn stopped: " + log.read_text()[-2000:]) from exc
                    time.sleep(0.1)
            else:
                raise RuntimeError("gunicorn did not answer within 30 s")
            yield base
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)


@contextmanager
def jobs_worker(
    url: str,
    jobs_url: str,
    log: Path,
    app: str = "wsgi",
    workers: int = 1,
    env: dict | None = None,
):
    """A job consumer process (`flask jobs-worker`) on the queue `jobs_url`; yields it once
    it has started."""
    flask = str(Path(sys.executable).with_name("flask"))
    with log.open("a") as out:
        process = subprocess.Popen(
            [flask, "--app", app, "jobs-worker", "--workers", str(workers)],
            env=server_env(url, jobs_url, env),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            for _ in range(300):
                if "Huey consumer started" in log.read_text():
                    break
                if process.poll() is not None:
                    raise RuntimeError("the job worker stopped: " + log.read_text()[-2000:])
                time.sleep(0.1)
            else:
                raise RuntimeError("the job worker did not start within 30 s")
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

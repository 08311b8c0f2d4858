"""`flask jobs-worker`: a consumer of the job queue (production runs it as its own service).
`flask run-with-worker`: the development server and one consumer together (`make run`)."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time

import click
from flask import Flask, current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import make_url

from jobs.engine import consumer
from web.commands import command, option


def _where(url: str) -> str:
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("://", 1)[0] + "://…"


@command(
    "jobs-worker",
    help=_l(
        "Run jobs from the queue until stopped (Ctrl+C or SIGINT waits for running jobs to "
        "finish; SIGTERM stops at once, and the sweep of another consumer takes them up). "
        "Each job works in the language of the person who started it."
    ),
)
@option(
    "--workers", default=2, show_default=True, help=_l("How many jobs this consumer runs at once.")
)
def jobs_worker(workers: int) -> None:
    app = current_app._get_current_object()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    click.echo(
        _(
            "Job worker (pid %(pid)s) with %(workers)s at once, queue %(queue)s",
            pid=os.getpid(),
            workers=workers,
            queue=_where(app.config["JOBS_URL"]),
        ),
        err=True,
    )
    consumer(app, workers).run()


@command(
    "run-with-worker",
    help=_l("The development web server and one job worker in one command; Ctrl+C stops both."),
)
@option("--host", default="127.0.0.1", show_default=True, help=_l("The address to listen on."))
@option("--port", default=5000, show_default=True, help=_l("The port to listen on."))
def run_with_worker(host: str, port: int) -> None:
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    web = subprocess.Popen([*flask, "run", "--host", host, "--port", str(port)])
    worker = subprocess.Popen([*flask, "jobs-worker"])
    click.echo(
        _("web server: pid %(web)s; job worker: pid %(worker)s", web=web.pid, worker=worker.pid),
        err=True,
    )

    def stop(*_args) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        while web.poll() is None and worker.poll() is None:
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        _stop_both(web, worker)
    sys.exit(web.returncode or worker.returncode or 0)


def _stop_both(web: subprocess.Popen, worker: subprocess.Popen) -> None:
    """The worker gets SIGINT (it lets a running job finish, for a few seconds), the server
    SIGTERM; whatever still runs after that is killed."""
    for child, sig in ((worker, signal.SIGINT), (web, signal.SIGTERM)):
        if child.poll() is None:
            child.send_signal(sig)
    for child in (worker, web):
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def register(app: Flask) -> None:
    app.cli.add_command(jobs_worker)
    app.cli.add_command(run_with_worker)

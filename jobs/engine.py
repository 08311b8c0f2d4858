"""The engine that runs jobs: Huey, with its queue wherever ROOTLINE_JOBS_URL says.

- unset, or `sqlite:///FILE`: `SqliteHuey` in `instance/jobs.sqlite` — the embedded default,
  no extra service (`make run` starts one consumer beside the web server);
- `redis://…`: `RedisHuey`;
- `postgresql://…`: `PostgresHuey` (Huey's own storage on psycopg 3: `FOR UPDATE SKIP
  LOCKED` to take a message, LISTEN/NOTIFY to wake consumers; tables `huey_*`, made by Huey).

Any number of consumers (`flask --app wsgi jobs-worker`) on any number of machines can share
a Redis or PostgreSQL queue. The queue carries only a job's id: the `job` table stays the
record users see, and a job is claimed there (queued → running, one conditional UPDATE), so a
message delivered twice runs the job once.

Each app gets its own Huey (`init_app`), with the task that runs a job and the periodic
sweeps bound to that app; tests use Huey's immediate mode, which runs a job inside the
`enqueue` call.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from huey import Huey, PostgresHuey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer

log = logging.getLogger("rootline.jobs")

SWEEP_EVERY_MINUTES = 1


@dataclass
class Engine:
    huey: Huey
    run_job: Callable  # the Huey task: its message is the job's id
    sweeps: list[Callable[[], None]] = field(default_factory=list)


def make_huey(url: str, name: str = "rootline", immediate: bool = False) -> Huey:
    """A Huey on the queue `url` names (see the module's docstring)."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey: Huey = RedisHuey(name, url=url, immediate=immediate, results=False)
    elif url.startswith(("postgresql", "postgres://")):
        dsn = "postgresql://" + url.split("://", 1)[1]  # libpq's form, whatever the driver
        huey = PostgresHuey(name, dsn=dsn, immediate=immediate, results=False)
    elif url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=str(path), immediate=immediate, results=False)
    else:
        raise RuntimeError(
            f"ROOTLINE_JOBS_URL must start with sqlite:///, redis:// or postgresql://, not {url!r}"
        )
    return huey


def init_app(app: Flask) -> Engine:
    """Give `app` its Huey, the task that runs a job, and the sweeps on the scheduler."""
    from jobs import runner, sweep

    huey = make_huey(
        app.config["JOBS_URL"],
        app.config.get("JOBS_QUEUE", "rootline"),
        immediate=app.config.get("JOBS_IMMEDIATE", False),
    )

    @huey.task(name="run_job")
    def run_job(job_id: int) -> None:
        runner.run(app, job_id)

    engine = Engine(huey, run_job)

    @huey.periodic_task(crontab(minute=f"*/{SWEEP_EVERY_MINUTES}"), name="sweep")
    def periodic_sweep() -> None:
        sweep.run_all(app, engine)

    app.extensions["rootline.jobs"] = engine
    return engine


def engine_of(app: Flask | None = None) -> Engine:
    return (app or current_app).extensions["rootline.jobs"]


def enqueue(job_id: int) -> None:
    """Put a committed job on the queue. In immediate mode it runs now, in a context of its
    own (not inside the request that started it: its audit events are its starter's)."""
    engine = engine_of()
    try:
        contextvars.Context().run(engine.run_job, job_id)
    except Exception:  # the queue is down: the job waits, and the sweep enqueues it again
        if engine.huey.immediate:
            raise
        log.exception("could not enqueue job %s; the sweep will try again", job_id)


def consumer(app: Flask, workers: int = 2, periodic: bool = True, cls=Consumer) -> Consumer:
    """A Huey consumer of `app`'s queue: `workers` threads, and the scheduler that runs the
    sweeps. Threads, not processes: a job waits mostly on the database, and the app's
    connection pool must not be shared across a fork."""
    huey = engine_of(app).huey
    huey.immediate = False
    return cls(
        huey,
        workers=workers,
        periodic=periodic,
        worker_type="thread",
        initial_delay=0.05,
        backoff=1.5,
        max_delay=1.0,
    )


class _QuietConsumer(Consumer):
    """Leaves signals alone: it runs inside another program (the tests)."""

    def _set_signal_handlers(self) -> None:
        pass


_local: list[Consumer] = []


def start_local_consumer(app: Flask, workers: int = 2, periodic: bool = False) -> Consumer:
    """A consumer in threads of this process (tests that need a job to run beside them)."""
    started = consumer(app, workers, periodic, cls=_QuietConsumer)
    started.start()
    _local.append(started)
    return started


def stop_local_consumers() -> None:
    while _local:
        _local.pop().stop(graceful=True)


def wait_for_local_consumers(timeout: float = 60) -> None:
    """Until the local consumers' queues are empty and no job runs in this process (seen
    twice in a row: a message between the queue and its run is neither)."""
    from jobs.runner import active_runs

    deadline = time.monotonic() + timeout
    idle_once = False
    while time.monotonic() < deadline:
        idle = active_runs() == 0 and all(c.huey.pending_count() == 0 for c in _local)
        if idle and idle_once:
            return
        idle_once = idle
        time.sleep(0.05)

"""Long work off the request: large exports and imports run as jobs that say how far they are.

A view starts a job (`start`, then commits, then `launch`) and sends the user to the job's
page, which polls its progress. The job runs in a thread of the process that started it, in
its own app context and session, so no request waits on it and gunicorn's worker timeout
never kills it. Everything about a job (how far, the file it made, where to go next) is in
the `job` table, so any worker can answer for it; a job whose heartbeat stops (its process
ended) is reported as stopped, never as running forever.

Kinds of job belong to the packages that own the work and are registered by name in
`create_app` (`register({"action_plan": ...})`), so this package knows nothing about
backlogs or blueprints. A kind gets the job and a `Progress`
and returns a `FileResult` or a `GoTo`; it changes data through services (add and flush) and
the runner commits once, with the job's own "done", or rolls everything back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, current_app, g
from sqlalchemy import case, delete, select, update

from dbtypes import utcnow
from extensions import db
from jobs.models import Job, JobStatus

log = logging.getLogger("rootline.jobs")

STALE_AFTER = timedelta(seconds=120)  # no sign of life for this long: the job has stopped
KEEP_FOR = timedelta(days=1)  # finished jobs (and their files) are removed after this
_REPORT_EVERY = 0.25  # seconds between progress writes


@dataclass
class FileResult:
    content: bytes
    name: str
    mimetype: str
    message: str = ""


@dataclass
class GoTo:
    endpoint: str
    args: dict = field(default_factory=dict)
    message: str = ""
    label: str = ""  # the link's words on the job's page ("Continue" when empty)


class JobProblems(Exception):
    """The user's input cannot be used: the job ends with these messages, nothing changed."""

    def __init__(self, message: str, problems: list[str] | None = None, back: GoTo | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []
        self.back = back  # where the user can look again (the preview of an import, say)


Kind = Callable[[Job, "Progress"], FileResult | GoTo]
KINDS: dict[str, Kind] = {}
_threads: set[threading.Thread] = set()


def register(kinds: dict[str, Kind]) -> None:
    """Make kinds of job known by name (create_app does it for every package's kinds)."""
    KINDS.update(kinds)


def start(
    workspace_id: int,
    user_id: int,
    kind_name: str,
    label: str,
    params: dict | None = None,
    input: bytes | None = None,
) -> Job:
    """A new queued job (added and flushed; the caller commits, then calls `launch`). The
    user's finished jobs older than a day are removed on the way."""
    if kind_name not in KINDS:
        raise ValueError(f"unknown kind of job: {kind_name}")
    db.session.execute(
        delete(Job).where(Job.user_id == user_id, Job.created_at < utcnow() - KEEP_FOR)
    )
    job = Job(
        workspace_id=workspace_id,
        user_id=user_id,
        kind=kind_name,
        label=label,
        params=params or {},
        input=input,
    )
    db.session.add(job)
    db.session.flush()
    return job


def launch(job_id: int) -> threading.Thread:
    """Run a committed job in a thread of this process."""
    app = current_app._get_current_object()
    thread = threading.Thread(target=run, args=(app, job_id), name=f"job-{job_id}", daemon=True)
    _threads.add(thread)
    thread.start()
    return thread


def wait_all(timeout: float = 60) -> None:
    """Wait for every job this process started (tests, and a clean shutdown)."""
    for thread in list(_threads):
        thread.join(timeout)
        if not thread.is_alive():
            _threads.discard(thread)


class Progress:
    """Reports how far a job is, on a connection of its own so pages see it at once.

    Call it only while the job has written nothing yet: on SQLite a second writer waits for
    the job's transaction. Work that writes reports its step first (`progress.step(...)`).
    """

    def __init__(self, job_id: int):
        self.job_id = job_id
        self._last = 0.0
        self._step = ""
        self._done = 0

    def __call__(self, done: int, total: int, step: str | None = None) -> None:
        """Written when the step changes, the work is complete, a hundredth more is done, or
        a quarter of a second has passed: a loop may call this for every row. A total of 0
        means "not known": the count is shown without one."""
        now = time.monotonic()
        worth_it = (
            (step is not None and step != self._step)
            or (total > 0 and (done >= total or (done - self._done) * 100 >= total))
            or now - self._last >= _REPORT_EVERY
        )
        if not worth_it:
            return
        self._last, self._done = now, done
        values = {"done": done, "total": total, "heartbeat_at": utcnow()}
        if step is not None:
            self._step = values["step"] = step[:200]
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == self.job_id).values(**values))

    def step(self, step: str) -> None:
        self(0, 0, step)


def run(app: Flask, job_id: int) -> None:
    with app.app_context():
        job = db.session.get(Job, job_id)
        if job is None or job.status is not JobStatus.QUEUED:
            return
        g.acting_user_id = job.user_id  # the audit trail records the job's changes as theirs
        job.status, job.heartbeat_at = JobStatus.RUNNING, utcnow()
        db.session.commit()
        try:
            outcome = KINDS[job.kind](job, Progress(job_id))
        except JobProblems as exc:
            db.session.rollback()
            back = _outcome(exc.back) if exc.back else {}
            _finish(
                job_id, JobStatus.FAILED, message=exc.message, problems=exc.problems, outcome=back
            )
        except Exception:
            log.exception("job %s (%s) failed", job_id, job.kind)
            db.session.rollback()
            _finish(
                job_id,
                JobStatus.FAILED,
                message="Something went wrong on the server; nothing was changed. "
                "Try again, and tell your administrator if it happens again.",
            )
        else:
            values: dict = {"message": outcome.message, "input": None}
            if isinstance(outcome, FileResult):
                values |= dict(
                    result=outcome.content,
                    result_name=outcome.name,
                    result_type=outcome.mimetype,
                )
            else:
                values["outcome"] = _outcome(outcome)
            job = db.session.get(Job, job_id)
            for name, value in values.items():
                setattr(job, name, value)
            job.status, job.finished_at = JobStatus.DONE, utcnow()
            # in SQL: the progress was written on another connection since `job` was read
            job.done = case((Job.total > 0, Job.total), else_=Job.done)
            job.step = f"{outcome.name} is ready" if isinstance(outcome, FileResult) else "Done"
            db.session.commit()  # the job's own changes and its "done", together
        finally:
            db.session.remove()


def _outcome(goto: GoTo) -> dict:
    return {"endpoint": goto.endpoint, "args": goto.args, "label": goto.label}


def _finish(job_id: int, status: JobStatus, **values) -> None:
    job = db.session.get(Job, job_id)
    for name, value in values.items():
        setattr(job, name, value)
    job.status, job.finished_at, job.input = status, utcnow(), None
    db.session.commit()


def recent(workspace_id: int, user_id: int, limit: int = 3) -> list[Job]:
    """The user's latest jobs in the workspace (what they started and may come back to)."""
    return db.session.scalars(
        select(Job)
        .where(Job.workspace_id == workspace_id, Job.user_id == user_id)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(limit)
    ).all()


def state(job: Job) -> JobStatus:
    """The job's status as a user should see it: a queued or running job with no sign of
    life for `STALE_AFTER` has stopped (its server process ended)."""
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        if utcnow() - job.heartbeat_at > STALE_AFTER:
            return JobStatus.FAILED
    return job.status


def percent(job: Job) -> int | None:
    """How far, 0-100, or None when the job does not know its total yet."""
    if job.status is JobStatus.DONE:
        return 100
    if not job.total:
        return None
    return min(100, int(job.done * 100 / job.total))

"""The sweep, run every minute on the consumers' scheduler: nothing is left "running" after
its consumer died, nothing waits on a lost message, and old work is removed.

- a running job silent for `JOBS_LOST_AFTER` (45 s) lost its consumer (killed, out of
  memory, machine gone). It changed nothing (its work commits only with its "done"), so it
  is queued again, once; a second loss marks it failed with a message the user can act on;
- a job waiting longer than `WAITING_TOO_LONG` is put on the queue again (its message may
  have been lost with the process that sent it); the claim makes a second message harmless;
- finished jobs and their files go after `KEEP_FOR` (a day), and so do jobs whose starter is
  no longer a member of the workspace;
- then each package's own sweeps (action-plan and blueprint uploads nobody applied, expired
  invitations and logins, share links expired or revoked a day ago), registered
  in create_app.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, current_app
from sqlalchemy import delete, not_, or_, select, update

from clock import utcnow
from extensions import db
from jobs.models import Job, JobStatus
from jobs.runner import KEEP_FOR, MAX_ATTEMPTS, N_, WAITING_TOO_LONG, _member

log = logging.getLogger("rootline.jobs")

GAVE_UP = N_(
    "The job stopped twice because the worker running it ended (restarted, or out of "
    "memory); nothing was changed. Start it again; if it happens again, tell your "
    "administrator."
)


def run_all(app: Flask, engine) -> None:
    with app.app_context():
        to_enqueue: list[int] = []
        for sweep in (_reap, _requeue_waiting, _remove_old, *engine.sweeps):
            try:
                found = sweep()
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("sweep %s failed", getattr(sweep, "__name__", sweep))
            else:
                to_enqueue += found or []
        for job_id in to_enqueue:  # after the commit, so a consumer finds them queued
            engine.run_job(job_id)
        db.session.remove()


def _reap() -> list[int]:
    now = utcnow()
    lost_after = current_app.config["JOBS_LOST_AFTER"]
    stale = db.session.execute(
        select(Job.id, Job.attempts).where(
            Job.status == JobStatus.RUNNING, Job.heartbeat_at < now - lost_after
        )
    ).all()
    again = []
    for job_id, attempts in stale:
        still = [
            Job.id == job_id,
            Job.status == JobStatus.RUNNING,
            Job.attempts == attempts,
            Job.heartbeat_at < now - lost_after,
        ]
        if attempts < MAX_ATTEMPTS:
            values = dict(status=JobStatus.QUEUED, heartbeat_at=now, step=N_("Starting again"))
        else:
            values = dict(status=JobStatus.FAILED, finished_at=now, input=None, message=GAVE_UP)
        taken = db.session.execute(
            update(Job).where(*still).values(**values).execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:
            log.warning("job %s lost its consumer (attempt %s)", job_id, attempts)
            if values["status"] is JobStatus.QUEUED:
                again.append(job_id)
    return again


def _requeue_waiting() -> list[int]:
    now = utcnow()
    waiting = db.session.scalars(
        select(Job.id).where(
            Job.status == JobStatus.QUEUED, Job.heartbeat_at < now - WAITING_TOO_LONG
        )
    ).all()
    if waiting:
        db.session.execute(
            update(Job)
            .where(Job.id.in_(waiting), Job.status == JobStatus.QUEUED)
            .values(heartbeat_at=now)
            .execution_options(synchronize_session=False)
        )
    return list(waiting)


def _remove_old() -> None:
    old = utcnow() - KEEP_FOR
    db.session.execute(
        delete(Job)
        .where(
            or_(
                Job.status.in_((JobStatus.DONE, JobStatus.FAILED)) & (Job.created_at < old),
                not_(_member()),
            )
        )
        .execution_options(synchronize_session=False)
    )


def add(app: Flask, sweep: Callable[[], None]) -> None:
    """Run `sweep` (it adds and flushes; the sweep commits) on every round of the sweep."""
    app.extensions["rootline.jobs"].sweeps.append(sweep)

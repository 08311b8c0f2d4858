"""Long work off the request: large exports and imports run as jobs that say how far they are.

A view starts a job (`start`, then commits, then `launch`, which puts its id on the queue)
and sends the user to the job's page, which polls its progress. A job worker (a Huey
consumer, see `jobs.engine`) runs it in its own app context and session, so no request waits
on it, gunicorn's worker timeout never kills it and a restarted web server loses nothing.
Everything about a job (how far, the file it made, where to go next) is in the `job` table,
so any web worker can answer for it. A run claims its job (queued → running) before doing
anything, and everything it writes afterwards is conditional on still holding it; a job
whose heartbeat stops (its worker died) is started again by the sweep (`jobs.sweep`), and
shown as stopped if nobody does, never as running forever.

Kinds of job belong to the packages that own the work and are registered by name in
`create_app` (`register({"action_plan": ...})`), so this package knows nothing about
backlogs or blueprints. A kind gets the job and a `Progress` and returns a `FileResult` or
a `GoTo`; it changes data through services (add and flush) and the runner commits once,
with the job's own "done", or rolls everything back.

A job acts with its starter's rights, checked again whenever it writes (its progress, its
heartbeat and its "done" are conditional on them): an active member of the workspace, and
an editor or owner for kinds registered as writing (`register(..., writes=...)`), an owner
for kinds registered as the owners' (`register(..., owners=...)`). A
starter removed, demoted or disabled while the job runs gets a stopped job and nothing of
its changes. A save that meets someone else's save of the same rows (`StaleDataError`)
fails the job with a message that says so; a kind that knows where to look again raises
`JobProblems(CONCURRENT_SAVE, back=...)` itself.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask, g, has_request_context
from flask_babel import force_locale, get_timezone, pgettext
from flask_babel import gettext as _
from pytz import timezone
from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.orm.exc import StaleDataError

from accounts.models import Membership, Role, User
from clock import utcnow
from extensions import db
from jobs.models import Job, JobStatus
from web.i18n import DEFAULT_LANGUAGE
from web.workbook_words import current_language

log = logging.getLogger("rootline.jobs")

STALE_AFTER = timedelta(seconds=120)  # pages: running, no sign of life this long → stopped
WAITING_TOO_LONG = timedelta(minutes=2)  # the sweep enqueues a job waiting this long again
MAX_ATTEMPTS = 2  # runs of a job whose consumer died, before it is marked failed
HEARTBEAT_EVERY = 5  # seconds, at most (and a quarter of JOBS_LOST_AFTER, at least)
KEEP_FOR = timedelta(days=1)  # finished jobs (and their files) are removed after this
# The starter's language and time zone ride in the job's params under these keys, so the
# work runs in their language (steps, messages, the files it writes) wherever it runs.
LANGUAGE, TIME_ZONE = "language", "time_zone"
_REPORT_EVERY = 0.25  # seconds between progress writes


def N_(text: str) -> str:
    """Marks a text kept in English in a job's row and translated when shown (the sweep's
    words, the runner's constants): `make translations` collects it."""
    return text


@contextmanager
def in_starters_language(job: Job):
    """Run the job's work in the language (and time zone) of the request that started it:
    its steps, messages and files say what they say in the starter's words."""
    params = job.params or {}
    with force_locale(params.get(LANGUAGE) or DEFAULT_LANGUAGE):
        zone = params.get(TIME_ZONE)
        if zone and "_flask_babel" in g:
            g._flask_babel.babel_tzinfo = timezone(zone)  # as Flask-Babel keeps it
        try:
            yield
        finally:
            if "_flask_babel" in g:
                g._flask_babel.__dict__.pop("babel_tzinfo", None)


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
WRITERS: set[str] = set()  # kinds that change the workspace's data: an editor's work
OWNERS: set[str] = set()  # kinds only the workspace's owners may run (its backups)

CONCURRENT_SAVE = N_(
    "Someone else saved changes to the same rows at the same moment, so nothing was "
    "changed by this one."
)


def register(
    kinds: dict[str, Kind],
    writes: set[str] | frozenset[str] = frozenset(),
    owners: set[str] | frozenset[str] = frozenset(),
) -> None:
    """Make kinds of job known by name (create_app does it for every package's kinds);
    those in `writes` change data and need an editor's role all the way through, those in
    `owners` an owner's."""
    KINDS.update(kinds)
    WRITERS.update(writes)
    OWNERS.update(owners)


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
    # the starter's language (and time zone), which the job works in: its files, steps and
    # messages
    params = {LANGUAGE: current_language(), **(params or {})}
    if has_request_context():
        zone = str(get_timezone() or "")
        if zone and zone != "UTC":
            params.setdefault(TIME_ZONE, zone)
    job = Job(
        workspace_id=workspace_id,
        user_id=user_id,
        kind=kind_name,
        label=label,
        params=params,
        input=input,
    )
    db.session.add(job)
    db.session.flush()
    return job


def launch(job_id: int) -> None:
    """Put a committed job on the queue; a consumer runs it (in tests, at once)."""
    from jobs.engine import enqueue

    enqueue(job_id)


def wait_all(timeout: float = 60) -> None:
    """Wait until the consumers running inside this process are idle (tests)."""
    from jobs.engine import wait_for_local_consumers

    wait_for_local_consumers(timeout)


class JobStopped(Exception):
    """The job was taken from this run: its starter lost access to the workspace, or the
    sweep gave it to another consumer after this one fell silent."""


def _member():
    """The job's starter may still do what it does: an active member of its workspace, with
    an editor's or owner's role for a kind that writes and an owner's for an owners' kind
    (in SQL, beside the job's row)."""
    return (
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.user_id == Job.user_id,
            Membership.workspace_id == Job.workspace_id,
            User.active.is_(True),
            or_(Job.kind.not_in(sorted(WRITERS)), Membership.role.in_([Role.OWNER, Role.EDITOR])),
            or_(Job.kind.not_in(sorted(OWNERS)), Membership.role == Role.OWNER),
        )
        .exists()
    )


def _mine(job_id: int, attempt: int | None) -> list:
    """Rows this run may still write: its job, running, in this attempt, whose starter is
    still a member of the workspace."""
    if attempt is None:  # a Progress outside a run (tests)
        return [Job.id == job_id]
    return [Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt, _member()]


class _Heartbeat(threading.Thread):
    """Says the job is alive every few seconds, on a connection of its own, even while the
    job works through a long step without reporting; notices when the job was taken away."""

    def __init__(self, engine, job_id: int, attempt: int, every: float):
        super().__init__(name=f"job-{job_id}-heartbeat", daemon=True)
        self.engine, self.job_id, self.attempt, self.every = engine, job_id, attempt, every
        self.stopped = threading.Event()
        self.lost = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                with self.engine.begin() as connection:
                    beat = connection.execute(
                        update(Job)
                        .where(*_mine(self.job_id, self.attempt))
                        .values(heartbeat_at=utcnow())
                    )
                if beat.rowcount == 0:
                    self.lost.set()
                    return
            except Exception:  # e.g. SQLite busy while the job writes: try again soon
                log.debug("heartbeat of job %s skipped", self.job_id, exc_info=True)


class Progress:
    """Reports how far a job is, on a connection of its own so pages see it at once.

    Call it only while the job has written nothing yet: on SQLite a second writer waits for
    the job's transaction. Work that writes reports its step first (`progress.step(...)`).
    """

    def __init__(self, job_id: int, attempt: int | None = None, lost=None):
        self.job_id, self.attempt, self._lost = job_id, attempt, lost
        self._last = 0.0
        self._step = ""
        self._done = 0

    def __call__(self, done: int, total: int, step: str | None = None) -> None:
        """Written when the step changes, the work is complete, a hundredth more is done, or
        a quarter of a second has passed: a loop may call this for every row. A total of 0
        means "not known": the count is shown without one."""
        if self._lost is not None and self._lost.is_set():
            raise JobStopped
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
            written = connection.execute(
                update(Job).where(*_mine(self.job_id, self.attempt)).values(**values)
            )
        if written.rowcount == 0:
            raise JobStopped

    def step(self, step: str) -> None:
        self(0, 0, step)

    def after_writes(self, done: int, total: int, step: str | None = None) -> None:
        """A report from work that has written already: kept where another connection may
        write beside the job's transaction (PostgreSQL, which locks rows, not the job's);
        skipped on SQLite, whose one writer is the job itself until it commits."""
        if db.engine.dialect.name != "sqlite":
            self(done, total, step)
        elif self._lost is not None and self._lost.is_set():
            raise JobStopped


def run(app: Flask, job_id: int) -> None:
    """Run one job if it is still queued: claim it (queued → running, one conditional
    UPDATE, so a message delivered twice or two consumers never run it twice), run its kind
    with a heartbeat beside it, and commit the kind's changes together with the job's
    "done", or nothing."""
    with app.app_context(), _active():
        attempt = _claim(job_id)
        if attempt is None:
            return
        job = db.session.get(Job, job_id)
        with in_starters_language(job):
            g.acting_user_id = job.user_id  # the audit trail records the job's changes as theirs
            lost_after = app.config["JOBS_LOST_AFTER"].total_seconds()
            heartbeat = _Heartbeat(db.engine, job_id, attempt, min(HEARTBEAT_EVERY, lost_after / 4))
            heartbeat.start()
            try:
                if not db.session.scalar(select(_member()).where(Job.id == job_id)):
                    raise JobStopped
                outcome = KINDS[job.kind](job, Progress(job_id, attempt, heartbeat.lost))
            except JobStopped:
                db.session.rollback()
                _stopped(job_id, attempt)
            except StaleDataError:
                db.session.rollback()
                _finish(job_id, attempt, JobStatus.FAILED, message=_(CONCURRENT_SAVE))
            except JobProblems as exc:
                db.session.rollback()
                back = _outcome(exc.back) if exc.back else {}
                _finish(
                    job_id,
                    attempt,
                    JobStatus.FAILED,
                    message=exc.message,
                    problems=exc.problems,
                    outcome=back,
                )
            except Exception:
                log.exception("job %s (%s) failed", job_id, job.kind)
                db.session.rollback()
                _finish(
                    job_id,
                    attempt,
                    JobStatus.FAILED,
                    message=_(
                        "Something went wrong on the server; nothing was changed. "
                        "Try again, and tell your administrator if it happens again."
                    ),
                )
            else:
                values: dict = {"message": outcome.message}
                if isinstance(outcome, FileResult):
                    values |= dict(
                        result=outcome.content,
                        result_name=outcome.name,
                        result_type=outcome.mimetype,
                        step=_("%(file)s is ready", file=outcome.name),
                    )
                else:
                    values |= dict(outcome=_outcome(outcome), step=pgettext("job step", "Done"))
                # in SQL: the progress was written on another connection since `job` was read
                values["done"] = case((Job.total > 0, Job.total), else_=Job.done)
                if _finish(job_id, attempt, JobStatus.DONE, commit=False, **values):
                    db.session.commit()  # the job's own changes and its "done", together
                else:  # taken away while it worked: none of its changes are kept
                    db.session.rollback()
                    _stopped(job_id, attempt)
            finally:
                heartbeat.stopped.set()
                db.session.remove()


def _claim(job_id: int) -> int | None:
    """Take a queued job for this run; its attempt number, or None when it is not queued
    (done already, or another consumer has it)."""
    with db.engine.begin() as connection:
        claimed = connection.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, heartbeat_at=utcnow())
        )
        if claimed.rowcount != 1:
            return None
        return connection.scalar(select(Job.attempts).where(Job.id == job_id))


def _outcome(goto: GoTo) -> dict:
    return {"endpoint": goto.endpoint, "args": goto.args, "label": goto.label}


def _finish(job_id: int, attempt: int, status: JobStatus, commit: bool = True, **values) -> bool:
    """End this run's job with `status` unless it was taken away; whether it was ours."""
    ours = [Job.id == job_id, Job.status == JobStatus.RUNNING, Job.attempts == attempt]
    if status is JobStatus.DONE:
        ours.append(_member())
    finished = db.session.execute(
        update(Job)
        .where(*ours)
        .values(status=status, finished_at=utcnow(), input=None, **values)
        .execution_options(synchronize_session=False)
    )
    if commit:
        db.session.commit()
    return finished.rowcount == 1


def _stopped(job_id: int, attempt: int) -> None:
    """The run lost its job. If that is because its starter may no longer do what it does,
    the job ends without a file, saying why; if another run has it now, it is left to that."""
    _finish(
        job_id,
        attempt,
        JobStatus.FAILED,
        message=_why_stopped(job_id),
        result=None,
        result_name=None,
    )


def _why_stopped(job_id: int) -> str:
    row = db.session.execute(
        select(Membership.role, User.active, Job.kind)
        .join(User, User.id == Membership.user_id)
        .join(
            Job, (Job.user_id == Membership.user_id) & (Job.workspace_id == Membership.workspace_id)
        )
        .where(Job.id == job_id)
    ).first()
    if row is not None and not row.active:
        return _("Your account was disabled, so the job stopped; nothing was changed.")
    if row is not None and row.kind in OWNERS and row.role is not Role.OWNER:
        return _(
            "Your role in this workspace is now %(role)s, and only its owners may do this, so "
            "the job stopped; nothing was changed.",
            role=str(row.role.label).lower(),
        )
    if row is not None and not row.role.can_edit:
        return _(
            "Your role in this workspace is now %(role)s, which cannot change it, so the job "
            "stopped; nothing was changed.",
            role=str(row.role.label).lower(),
        )
    return _(
        "You are no longer a member of this workspace, so the job stopped; nothing was changed."
    )


_active_runs = 0
_active_lock = threading.Lock()


@contextmanager
def _active():
    """Counts the runs in this process (for `wait_all`)."""
    global _active_runs
    with _active_lock:
        _active_runs += 1
    try:
        yield
    finally:
        with _active_lock:
            _active_runs -= 1


def active_runs() -> int:
    return _active_runs


def recent(
    workspace_id: int, user_id: int, limit: int = 3, kinds: frozenset[str] | None = None
) -> list[Job]:
    """The user's latest jobs in the workspace (what they started and may come back to),
    of these `kinds` if given."""
    where = [Job.workspace_id == workspace_id, Job.user_id == user_id]
    if kinds is not None:
        where.append(Job.kind.in_(sorted(kinds)))
    return db.session.scalars(
        select(Job).where(*where).order_by(Job.created_at.desc(), Job.id.desc()).limit(limit)
    ).all()


def state(job: Job) -> JobStatus:
    """The job's status as a user should see it: a running job with no sign of life for
    `STALE_AFTER` has stopped (its consumer ended and no other has taken it up)."""
    if job.status is JobStatus.RUNNING:
        if utcnow() - job.heartbeat_at > STALE_AFTER:
            return JobStatus.FAILED
    return job.status


def waiting_long(job: Job) -> bool:
    """Queued for longer than a worker should take to start it (none may be running)."""
    return job.status is JobStatus.QUEUED and utcnow() - job.created_at > STALE_AFTER


def percent(job: Job) -> int | None:
    """How far, 0-100, or None when the job does not know its total yet."""
    if job.status is JobStatus.DONE:
        return 100
    if not job.total:
        return None
    return min(100, int(job.done * 100 / job.total))

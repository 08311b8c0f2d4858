"""The job row: what users see of long work (how far it is, the file it made, where to go
next, whose it is). The queue carries only its id."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, Text, delete, event
from sqlalchemy.orm import Mapped, mapped_column

from accounts.models import Membership
from clock import utcnow
from dbtypes import UTCDateTime, enum_column
from extensions import db


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """In words, for pages (a job that lost its process is shown as FAILED: stopped)."""
        if self is JobStatus.QUEUED:
            return _("Waiting to start")
        if self is JobStatus.RUNNING:
            return _("Working")
        if self is JobStatus.DONE:
            return _("Finished")
        return _("Stopped")

    @property
    def css(self) -> str:
        return {"queued": "secondary", "running": "info", "done": "success"}.get(
            self.value, "danger"
        )


class Job(db.Model):
    """Long work (a large export or import) done off the request, with how far it is.

    Its state lives here, not in the process that runs it, so any worker can answer "how
    far is it" and hand out the result: `input` is the file it was given (an upload, until
    it is read), `result` the file it made, `outcome` where to go next (after an import, or to
    look again when it failed).
    """

    __audited__ = False  # a job's progress and files are machinery, not history

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus, "job_status"), default=JobStatus.QUEUED
    )
    # kept in English until the job reports (translated when shown: the label's words)
    step: Mapped[str] = mapped_column(String(200), default="Waiting to start")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[list] = mapped_column(JSON, default=list)
    outcome: Mapped[dict] = mapped_column(JSON, default=dict)
    input: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    result: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    result_name: Mapped[str | None] = mapped_column(String(200))
    result_type: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


@event.listens_for(Membership, "after_delete")
def _forget_jobs_of_former_member(_mapper, connection, membership: Membership) -> None:
    """Someone removed from a workspace loses their jobs there with it, files included; a
    job still running notices at its next report or heartbeat and stops, changing nothing."""
    connection.execute(
        delete(Job).where(
            Job.user_id == membership.user_id, Job.workspace_id == membership.workspace_id
        )
    )

"""The pages of long jobs: how far one is, as a page and as JSON, and the file it made.
A job and its file are only its starter's, inside a workspace they are still a member of."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import format_decimal, pgettext
from flask_babel import gettext as _
from flask_login import current_user

from accounts.security import get_scoped_or_404
from downloads import attachment
from extensions import db
from jobs import runner as jobs
from jobs.models import Job, JobStatus

bp = Blueprint("jobs", __name__)


def start_and_follow(
    workspace_id: int,
    kind_name: str,
    label: str,
    params: dict | None = None,
    input: bytes | None = None,
):
    """The answer of a view that hands its work to a job: the job started by the user,
    committed, queued, and its page (303), which shows how far it is."""
    job = jobs.start(workspace_id, current_user.id, kind_name, label, params, input=input)
    db.session.commit()
    jobs.launch(job.id)
    return redirect(url_for("jobs.job", job_id=job.id), code=303)


def _my_job(job_id: int) -> Job:
    job = get_scoped_or_404(Job, job_id)
    if job.user_id != current_user.id:  # a job (and the file it made) is its starter's
        abort(404)
    return job


def _shown(text: str | None) -> str:
    """A text from the job's row in the reader's language: the job wrote its own words in
    its starter's language; the words kept in English (the sweep's, a new job's step) are
    translated here, and any other text is shown as it is."""
    return _(text) if text else ""


def _shown_step(text: str | None) -> str:
    """A step from the job's row: a step word kept in English ("Done", a job of an English
    starter) in the step's own sense ("Gotowe", not a task's "Zrobione"), else `_shown`."""
    step = pgettext("job step", text) if text else ""
    return step if step != text else _shown(text)


def _message(job: Job, status: JobStatus) -> str:
    if status is JobStatus.FAILED and job.status is not JobStatus.FAILED:
        return _("The server stopped before this finished; nothing was changed. Start it again.")
    if jobs.waiting_long(job):
        return _(
            "No job worker has taken this up yet. It starts as soon as one is free; if it "
            "keeps waiting, tell your administrator that no job worker is running."
        )
    return _shown(job.message)


def _count(status: JobStatus, done: int, total: int) -> str:
    """How far, in words beside the step: " — 1,200 of 5,000" (or "so far" without a total)."""
    if status is JobStatus.DONE:
        return ""
    if total:
        return _(" — %(done)s of %(total)s", done=format_decimal(done), total=format_decimal(total))
    if done:
        return _(" — %(done)s so far", done=format_decimal(done))
    return ""


def _job_view(job: Job) -> dict:
    status = jobs.state(job)
    done = status is JobStatus.DONE
    percent = jobs.percent(job)
    return {
        "status": status.value,
        "state": status.label,
        "label": _shown(job.label),
        "step": _shown_step(job.step),
        "done": job.done,
        "total": job.total,
        "count": _count(status, job.done, job.total),
        "percent": percent,
        "progress": _("%(percent)s percent", percent=percent)
        if percent is not None
        else _("counting"),
        "message": _message(job, status),
        "problems": [_shown(p) for p in job.problems or []],
        "download": url_for(".job_download", job_id=job.id) if done and job.result_name else None,
        "next": url_for(job.outcome["endpoint"], **job.outcome.get("args", {}))
        if job.outcome and status in (JobStatus.DONE, JobStatus.FAILED)
        else None,
        "next_label": _shown((job.outcome or {}).get("label"))
        or (_("Look again") if status is JobStatus.FAILED else _("Continue")),
    }


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    job = _my_job(job_id)
    return render_template("jobs/job.html", job=job, view=_job_view(job))


@bp.get("/jobs/<int:job_id>.json")
def job_status(job_id: int):
    return _job_view(_my_job(job_id))


@bp.get("/jobs/<int:job_id>/download")
def job_download(job_id: int):
    job = _my_job(job_id)
    if jobs.state(job) is not JobStatus.DONE or job.result is None:
        abort(404)
    return attachment(job.result, job.result_name, job.result_type)

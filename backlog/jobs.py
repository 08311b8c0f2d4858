"""The backlog's long work, run as jobs with progress (see jobs.runner): exporting the
action plan of a large workspace, reading an edited one back, applying the update, and
printing a blueprint's summary to PDF."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.orm.exc import StaleDataError

from accounts.models import Workspace
from backlog import updates
from backlog.evidence import services as evidence_services
from backlog.evidence.models import PendingEvidence
from backlog.export import action_plan_bytes
from backlog.models import Horizon, PendingImport, TaskStatus
from backlog.summary_page import NO_PDF_ADVICE, pdf_name, summary_page
from blueprint.models import ServiceBlueprint
from clock import utcnow
from extensions import db
from jobs import FileResult, GoTo, JobProblems, Progress
from jobs.models import Job
from jobs.runner import CONCURRENT_SAVE
from pdfprint import PdfUnavailable, print_to_pdf
from web.i18n import file_stamp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_params(framework: str, filters: dict, described: str) -> dict:
    """The export's settings as JSON for the job (enums by value)."""
    plain = {k: (v.value if isinstance(v, TaskStatus | Horizon) else v) for k, v in filters.items()}
    return {"framework": framework, "filters": plain, "described": described}


def _filters(plain: dict) -> dict:
    return plain | {
        "status": TaskStatus(plain["status"]) if plain.get("status") else None,
        "horizon": Horizon(plain["horizon"]) if plain.get("horizon") else None,
    }


def export_action_plan(job: Job, progress: Progress) -> FileResult:
    workspace = db.session.get(Workspace, job.workspace_id)
    params = job.params
    content = action_plan_bytes(
        workspace,
        params["framework"],
        _filters(params["filters"]),
        params["described"],
        progress=progress,
    )
    return FileResult(content, f"action-plan-{file_stamp()}.xlsx", XLSX)


def read_plan_update(job: Job, progress: Progress) -> GoTo:
    """Read the uploaded workbook's rows and keep them for the preview."""
    rows, problems = updates.read_rows(job.input, progress)
    if problems:
        raise JobProblems(
            _("The workbook cannot be used; nothing was changed."),
            [str(p) for p in problems][:50],
            back=GoTo("backlog.import_updates", label=_("Upload another file")),
        )
    pending = PendingImport(
        workspace_id=job.workspace_id, user_id=job.user_id, payload=updates.to_payload(rows)
    )
    db.session.add(pending)
    db.session.flush()
    return GoTo("backlog.import_preview", {"import_id": pending.id})


def apply_plan_update(job: Job, progress: Progress) -> GoTo:
    """Check the previewed update again (the backlog may have changed since) and apply all
    of it, or nothing."""
    pending = db.session.get(PendingImport, job.params["import_id"])
    if pending is None or pending.workspace_id != job.workspace_id:
        raise JobProblems(_("This import was already applied or discarded; nothing was changed."))
    rows = updates.from_payload(pending.payload)
    progress.step(
        ngettext(
            "Checking %(rows)s row against the backlog",
            "Checking %(rows)s rows against the backlog",
            len(rows),
            rows=format_number(len(rows)),
        )
    )
    result = updates.preview(pending.workspace_id, rows)
    if not result.can_apply:
        raise JobProblems(
            _(
                "The backlog changed since the preview, or a row cannot be used; nothing was "
                "changed. Open the preview again to see why."
            ),
            [str(p) for p in result.problems][:50],
            back=GoTo(
                "backlog.import_preview", {"import_id": pending.id}, label=_("Open the preview")
            ),
        )
    progress.step(
        ngettext(
            "Saving %(changes)s change, all or nothing",
            "Saving %(changes)s changes, all or nothing",
            len(result.changes),
            changes=format_number(len(result.changes)),
        )
    )
    back = GoTo("backlog.import_preview", {"import_id": pending.id}, label=_("Open the preview"))
    try:
        count = updates.apply(result)
        db.session.delete(pending)
        db.session.flush()
    except StaleDataError:  # another apply saved the same tasks between our check and now
        raise JobProblems(
            _(CONCURRENT_SAVE) + " " + _("Open the preview again to see the backlog as it is now."),
            back=back,
        ) from None
    return GoTo(
        "backlog.index",
        label=_("Back to the backlog"),
        message=ngettext(
            "%(num)d task updated from the workbook.",
            "%(num)d tasks updated from the workbook.",
            count,
        ),
    )


def apply_evidence(job: Job, progress: Progress) -> GoTo:
    """Match a large evidence file's rows and write them with their insights, all or
    nothing (a small one is applied in the request: backlog/routes/evidence.py)."""
    pending = db.session.get(PendingEvidence, job.params["pending_id"])
    if pending is None or pending.workspace_id != job.workspace_id:
        raise JobProblems(_("This import was already applied or discarded; nothing was changed."))
    back = GoTo("backlog.evidence_preview", {"pending_id": pending.id}, label=_("Open the preview"))
    settings = evidence_services.Settings.from_json(pending.settings)
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    progress.step(_("Reading the file"))
    table = evidence_services.pending_table(pending)
    try:
        result = evidence_services.apply(
            blueprint,
            job.user_id,
            pending.file_name,
            table,
            settings,
            progress=progress,
            after_writes=progress.after_writes,
        )
    except evidence_services.EvidenceProblems as exc:
        raise JobProblems(
            str(exc), evidence_services.problem_lines(exc.problems[:50]), back=back
        ) from None
    db.session.delete(pending)
    db.session.flush()
    return GoTo(
        "backlog.insights",
        label=_("Open the insights"),
        message=_(
            "Imported %(rows)s new rows: %(created)s insights created, %(updated)s updated.",
            rows=result.rows,
            created=len(result.created),
            updated=len(result.updated),
        ),
    )


def print_summary(job: Job, progress: Progress) -> FileResult:
    """The one-page summary of a blueprint, printed by Chromium headless."""
    blueprint = db.session.get(ServiceBlueprint, job.params["blueprint_id"])
    if blueprint is None or blueprint.workspace_id != job.workspace_id:
        raise JobProblems(
            _("This blueprint was deleted in the meantime; there is nothing to print.")
        )
    back = GoTo(
        "backlog.blueprint_summary_page",
        {"blueprint_id": blueprint.id},
        label=_("Open the summary"),
    )
    progress.step(_("Printing the summary with Chromium"))
    try:
        content = print_to_pdf(summary_page(blueprint, standalone=True))
    except PdfUnavailable as exc:
        raise JobProblems(f"{_(exc.message)} {_(NO_PDF_ADVICE)}", back=back) from None
    return FileResult(content, pdf_name(blueprint), "application/pdf")


# Registered by create_app (wsgi.register_jobs): the name is what the job row records.
WRITERS = frozenset({"plan_read", "plan_update", "evidence_apply"})  # an editor's work
KINDS = {
    "evidence_apply": apply_evidence,
    "action_plan": export_action_plan,
    "plan_read": read_plan_update,
    "plan_update": apply_plan_update,
    "summary_pdf": print_summary,
}

UNAPPLIED_KEPT_FOR = timedelta(days=1)


def forget_unapplied_imports() -> None:
    """Uploaded updates and evidence files nobody applied or discarded within a day (the
    sweep, every minute)."""
    db.session.execute(
        delete(PendingImport).where(PendingImport.created_at < utcnow() - UNAPPLIED_KEPT_FOR)
    )
    db.session.execute(
        delete(PendingEvidence).where(PendingEvidence.created_at < utcnow() - UNAPPLIED_KEPT_FOR)
    )

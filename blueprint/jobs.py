"""The blueprint's long work, run as jobs with progress (see jobs.runner): importing a large
blueprint workbook as a new blueprint, applying a large workbook's update to its blueprint,
and printing a board to PDF. A small workbook is imported or applied in the request
(blueprint/routes/transfer.py, update.py); where the line lies is `IMPORT_JOB_ROWS`."""

from __future__ import annotations

from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from blueprint import transfer, workbook
from blueprint.board_print_page import NO_PDF_ADVICE, board_pdf, pdf_name
from blueprint.models import PendingBlueprintUpdate, ServiceBlueprint
from blueprint.workbook import apply as workbook_apply
from extensions import db
from jobs import FileResult, GoTo, JobProblems, Progress
from jobs.models import Job
from jobs.runner import CONCURRENT_SAVE
from pdfprint import PdfUnavailable
from web.workbook_words import workbook_words


def import_workbook(job: Job, progress: Progress) -> GoTo:
    """Read the uploaded workbook's rows and write the new blueprint, all or nothing."""
    back = GoTo("service_blueprints.import_workbook", label=_("Upload another workbook"))
    progress.step(_("Reading the workbook's rows"))
    try:
        data = workbook.parse(job.input or b"", workbook_words())
        progress.step(
            _(
                "Writing %(steps)s, %(links)s and %(catalog)s, all or nothing",
                steps=ngettext(
                    "%(count)s step",
                    "%(count)s steps",
                    len(data.elements),
                    count=format_number(len(data.elements)),
                ),
                links=ngettext(
                    "%(count)s link",
                    "%(count)s links",
                    len(data.links),
                    count=format_number(len(data.links)),
                ),
                catalog=ngettext(
                    "%(count)s person or system",
                    "%(count)s people and systems",
                    len(data.catalog),
                    count=format_number(len(data.catalog)),
                ),
            )
        )
        blueprint = transfer.import_data(
            job.workspace_id,
            data,
            lambda done, total: progress.after_writes(done, total, _("Writing rows")),
        )
    except workbook.WorkbookProblems as exc:
        raise JobProblems(
            _("The workbook cannot be imported; nothing was saved."),
            [str(p) for p in exc.problems[:50]],
            back=back,
        ) from None
    return GoTo(
        "service_blueprints.board",
        {"blueprint_id": blueprint.id},
        label=_("Open %(name)s", name=blueprint.name),
        message=(
            _("Blueprint %(name)s imported.", name=blueprint.name)
            + " "
            + data.summary(workbook_words())
        ).strip(),
    )


def apply_workbook_update(job: Job, progress: Progress) -> GoTo:
    """Check the previewed update again and write all of it, or nothing. The kept upload
    goes in the same transaction as the changes, so a second run (a retry, a second click)
    finds nothing to apply and changes nothing."""
    pending = db.session.get(PendingBlueprintUpdate, job.params["update_id"])
    if (
        pending is None
        or pending.workspace_id != job.workspace_id
        or pending.user_id != job.user_id
        or pending.blueprint_id != job.params["blueprint_id"]
    ):
        raise JobProblems(_("This update was already applied or discarded; nothing was changed."))
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    preview = GoTo(
        "service_blueprints.update_preview",
        {"blueprint_id": blueprint.id, "update_id": pending.id},
        label=_("Open the preview"),
    )
    progress.step(_("Reading the workbook's rows"))
    try:
        data = workbook.parse(pending.content, workbook_words())
        progress.step(_("Checking the workbook against the blueprint"))
        result = workbook_apply.apply(
            blueprint,
            data,
            job.params.get("token") or "",
            lambda done, total: progress.after_writes(done, total, _("Saving the changes")),
        )
        db.session.delete(pending)
        db.session.flush()
    except workbook_apply.StalePreview:
        raise JobProblems(
            _(
                "The blueprint changed since the preview; nothing was changed. Open the preview "
                "again to see the changes as they are now."
            ),  # fmt: skip
            back=preview,
        ) from None
    except workbook.WorkbookProblems as exc:
        raise JobProblems(
            _("The workbook cannot be applied; nothing was changed."),
            [str(p) for p in exc.problems[:50]],
            back=preview,
        ) from None
    except StaleDataError:  # someone saved the same rows between the check and now
        raise JobProblems(CONCURRENT_SAVE, back=preview) from None
    count = result.plan.count
    return GoTo(
        "service_blueprints.board",
        {"blueprint_id": blueprint.id},
        label=_("Open %(name)s", name=blueprint.name),
        message=ngettext(
            "%(name)s updated from the workbook: %(num)d change.",
            "%(name)s updated from the workbook: %(num)d changes.",
            count,
            name=blueprint.name,
        ),
    )


def print_board(job: Job, progress: Progress) -> FileResult:
    """The board on A3 landscape (one page, or its tiles), printed by Chromium headless."""
    blueprint = db.session.get(ServiceBlueprint, job.params["blueprint_id"])
    if blueprint is None or blueprint.workspace_id != job.workspace_id:
        raise JobProblems(
            _("This blueprint was deleted in the meantime; there is nothing to print.")
        )
    back = GoTo(
        "service_blueprints.board", {"blueprint_id": blueprint.id}, label=_("Open the board")
    )
    progress.step(_("Printing the board with Chromium"))
    try:
        content = board_pdf(blueprint)
    except PdfUnavailable as exc:
        raise JobProblems(f"{exc.message} {_(NO_PDF_ADVICE)}", back=back) from None
    return FileResult(content, pdf_name(blueprint), "application/pdf")


# Registered by create_app (wsgi.register_jobs): the name is what the job row records.
WRITERS = frozenset({"blueprint_import", "blueprint_update"})  # they change data: an editor's
KINDS = {
    "blueprint_import": import_workbook,
    "blueprint_update": apply_workbook_update,
    "board_pdf": print_board,
}

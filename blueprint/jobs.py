"""The blueprint's long work, run as jobs with progress (see jobs.runner): importing a large
blueprint workbook as a new blueprint, and printing a board to PDF. A small workbook is
imported in the request (blueprint/routes/transfer.py); where the line lies is
`IMPORT_JOB_ROWS`."""

from __future__ import annotations

from blueprint import transfer, workbook
from blueprint.board_print_page import NO_PDF_ADVICE, board_pdf, pdf_name
from blueprint.models import ServiceBlueprint
from extensions import db
from jobs import FileResult, GoTo, JobProblems, Progress
from jobs.models import Job
from pdfprint import PdfUnavailable


def import_workbook(job: Job, progress: Progress) -> GoTo:
    """Read the uploaded workbook's rows and write the new blueprint, all or nothing."""
    back = GoTo("service_blueprints.import_workbook", label="Upload another workbook")
    progress.step("Reading the workbook's rows")
    try:
        data = workbook.parse(job.input or b"")
        progress.step(
            f"Writing {len(data.elements):,} steps, {len(data.links):,} links and "
            f"{len(data.catalog):,} people and systems, all or nothing"
        )
        blueprint = transfer.import_data(
            job.workspace_id,
            data,
            lambda done, total: progress.after_writes(done, total, "Writing rows"),
        )
    except workbook.WorkbookProblems as exc:
        raise JobProblems(
            "The workbook cannot be imported; nothing was saved.",
            [str(p) for p in exc.problems[:50]],
            back=back,
        ) from None
    return GoTo(
        "service_blueprints.board",
        {"blueprint_id": blueprint.id},
        label=f"Open {blueprint.name}",
        message=f"Blueprint {blueprint.name} imported. {data.summary()}".strip(),
    )


def print_board(job: Job, progress: Progress) -> FileResult:
    """The board on A3 landscape (one page, or its tiles), printed by Chromium headless."""
    blueprint = db.session.get(ServiceBlueprint, job.params["blueprint_id"])
    if blueprint is None or blueprint.workspace_id != job.workspace_id:
        raise JobProblems("This blueprint was deleted in the meantime; there is nothing to print.")
    back = GoTo("service_blueprints.board", {"blueprint_id": blueprint.id}, label="Open the board")
    progress.step("Printing the board with Chromium")
    try:
        content = board_pdf(blueprint)
    except PdfUnavailable as exc:
        raise JobProblems(f"{exc.message} {NO_PDF_ADVICE}", back=back) from None
    return FileResult(content, pdf_name(blueprint), "application/pdf")


# Registered by create_app (wsgi.register_jobs): the name is what the job row records.
WRITERS = frozenset({"blueprint_import"})  # it adds a blueprint: an editor's work
KINDS = {"blueprint_import": import_workbook, "board_pdf": print_board}

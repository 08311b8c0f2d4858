"""The one-page summary of a blueprint for leadership, as a page and as a PDF (made by a job
from the page's button; `summary.pdf` still answers directly, for scripts)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from werkzeug.exceptions import ServiceUnavailable

import jobs
from accounts.security import get_scoped_or_404
from backlog.routes import bp
from backlog.summary_page import NO_PDF_ADVICE, pdf_name, summary_page
from blueprint.models import ServiceBlueprint
from downloads import attachment
from pdfprint import PdfUnavailable, print_to_pdf


def _unavailable(message: str) -> ServiceUnavailable:
    error = ServiceUnavailable(message)
    error.rootline_message = True
    return error


@bp.get("/blueprints/<int:blueprint_id>/summary")
def blueprint_summary_page(blueprint_id: int):
    return summary_page(get_scoped_or_404(ServiceBlueprint, blueprint_id))


@bp.get("/blueprints/<int:blueprint_id>/summary.pdf")
def blueprint_summary_pdf(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    try:
        content = print_to_pdf(summary_page(blueprint, standalone=True))
    except PdfUnavailable as exc:
        current_app.logger.warning("summary PDF: %s", exc.__cause__ or exc.message)
        raise _unavailable(f"{_(exc.message)} {_(NO_PDF_ADVICE)}") from None
    return attachment(content, pdf_name(blueprint), "application/pdf")


@bp.post("/blueprints/<int:blueprint_id>/summary/pdf")
def start_summary_pdf(blueprint_id: int):
    """The PDF printed by a job, with its page: Chromium never holds up a web worker."""
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    return jobs.start_and_follow(
        blueprint.workspace_id,
        "summary_pdf",
        _("Summary of %(name)s as PDF", name=blueprint.name)[:200],
        {"blueprint_id": blueprint.id},
    )

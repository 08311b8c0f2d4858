"""The one-page summary of a blueprint for leadership, as a page and as a PDF."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import current_app, render_template
from werkzeug.exceptions import ServiceUnavailable

from accounts.security import get_scoped_or_404
from backlog import scoring
from backlog.pdf import PdfUnavailable, print_to_pdf
from backlog.routes import bp
from backlog.summary import blueprint_summary
from blueprint.models import ServiceBlueprint
from downloads import attachment


def _unavailable(message: str) -> ServiceUnavailable:
    error = ServiceUnavailable(message)
    error.rootline_message = True
    return error


def _page(blueprint: ServiceBlueprint, standalone: bool = False) -> str:
    return render_template(
        "backlog/summary.html",
        s=blueprint_summary(blueprint),
        quadrants=scoring.QUADRANTS,
        frameworks=scoring.FRAMEWORKS,
        standalone=standalone,
        today=date.today(),
        stylesheets=_stylesheets() if standalone else [],
    )


def _stylesheets() -> list[str]:
    """file:// addresses of the app's stylesheets, for Chromium reading a file on disk."""
    bootstrap = (
        Path(current_app.blueprints["bootstrap"].static_folder) / "css" / "bootstrap.min.css"
    )
    ours = Path(current_app.static_folder) / "css"
    return [p.resolve().as_uri() for p in (bootstrap, ours / "app.css", ours / "summary.css")]


@bp.get("/blueprints/<int:blueprint_id>/summary")
def blueprint_summary_page(blueprint_id: int):
    return _page(get_scoped_or_404(ServiceBlueprint, blueprint_id))


@bp.get("/blueprints/<int:blueprint_id>/summary.pdf")
def blueprint_summary_pdf(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    try:
        content = print_to_pdf(_page(blueprint, standalone=True))
    except PdfUnavailable as exc:
        current_app.logger.warning("summary PDF: %s", exc.__cause__ or exc.message)
        raise _unavailable(
            f"{exc.message} Print the summary page to PDF from your browser instead (it fits "
            "on one A4 page)."
        ) from None
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in blueprint.name).strip()
    return attachment(content, f"{safe or 'blueprint'} - summary.pdf", "application/pdf")

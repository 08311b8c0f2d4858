"""The one-page summary of a blueprint for leadership, as a page and as a PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from flask import Response, current_app, render_template
from werkzeug.exceptions import ServiceUnavailable

from accounts.security import get_scoped_or_404
from backlog import scoring
from backlog.routes import bp
from backlog.summary import blueprint_summary
from blueprint.models import ServiceBlueprint

PDF_TIMEOUT = 25  # seconds: a one-page summary prints in one or two; stay inside gunicorn's 30


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


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@bp.get("/blueprints/<int:blueprint_id>/summary.pdf")
def blueprint_summary_pdf(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    html = _page(blueprint, standalone=True)
    browser = chromium()
    if browser is None:
        raise _unavailable(
            "Making a PDF needs Chromium on the server. Print the summary page to PDF from "
            "your browser instead (it fits on one A4 page)."
        )
    with tempfile.TemporaryDirectory() as tmp:
        page, pdf = Path(tmp) / "summary.html", Path(tmp) / "summary.pdf"
        page.write_text(html, encoding="utf-8")
        try:
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--no-first-run",
                    f"--user-data-dir={Path(tmp) / 'profile'}",
                    "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}",
                    page.as_uri(),
                ],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT,
            )
        except (subprocess.SubprocessError, OSError):
            current_app.logger.exception("Chromium could not print the summary")
            raise _unavailable(
                "The PDF could not be made just now. Print the summary page from your browser "
                "instead (it fits on one A4 page)."
            ) from None
        if not pdf.exists():
            raise _unavailable("The PDF could not be made just now.")
        content = pdf.read_bytes()
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in blueprint.name).strip()
    filename = f"{safe or 'blueprint'} - summary.pdf"
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )

"""The summary page of a blueprint as HTML, for the browser and for printing to PDF (by the
page's view, or by a job outside any request)."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, has_request_context, render_template

from backlog import scoring
from backlog.kinds import N_
from backlog.summary import blueprint_summary
from blueprint.models import ServiceBlueprint
from web.i18n import local_today

NO_PDF_ADVICE = N_(
    "Print the summary page to PDF from your browser instead (it fits on one A4 page)."
)


def summary_page(blueprint: ServiceBlueprint, standalone: bool = False, shared=None) -> str:
    """The page; `standalone` for Chromium reading it from a file (no menus, stylesheets as
    file:// addresses); `shared`, the share link it is opened through (no links into the
    workspace). Outside a request (a job) it is rendered in a request context of its own,
    for the template's `url_for`."""
    if not has_request_context():
        with current_app.test_request_context():
            return summary_page(blueprint, standalone, shared)
    return render_template(
        "backlog/summary.html",
        s=blueprint_summary(blueprint),
        quadrants=scoring.QUADRANTS,
        frameworks=scoring.FRAMEWORKS,
        standalone=standalone,
        shared=shared,
        today=local_today(),
        stylesheets=_stylesheets() if standalone else [],
    )


def _stylesheets() -> list[str]:
    """file:// addresses of the app's stylesheets, for Chromium reading a file on disk."""
    bootstrap = (
        Path(current_app.blueprints["bootstrap"].static_folder) / "css" / "bootstrap.min.css"
    )
    ours = Path(current_app.static_folder) / "css"
    return [p.resolve().as_uri() for p in (bootstrap, ours / "app.css", ours / "summary.css")]


def pdf_name(blueprint: ServiceBlueprint) -> str:
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in blueprint.name).strip()
    return f"{safe or 'blueprint'} - summary.pdf"

"""The board on paper: the drawing its print shows (also through a share link, whose board
page prints the same way), and its PDF (made by a job from the board's button, like the
summary's; `board.pdf` still answers directly, for scripts)."""

from __future__ import annotations

from flask import Response, current_app
from flask_babel import gettext as _
from werkzeug.exceptions import ServiceUnavailable

import jobs
from accounts.security import get_scoped_or_404
from blueprint import board_print, queries
from blueprint.board_print_page import NO_PDF_ADVICE, board_pdf, pdf_name, print_plan
from blueprint.models import ServiceBlueprint
from blueprint.routes import bp
from blueprint.routes.share import shared, shared_blueprint, viewed
from blueprint.sharing.pages import only_this_board
from downloads import attachment
from pdfprint import PdfUnavailable

# The drawing is shown as an image: it may use its own styles and embedded font, nothing else.
DRAWING_POLICY = "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:"


def _drawing(plan: board_print.Plan) -> Response:
    response = Response(board_print.draw(plan), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = DRAWING_POLICY
    return response


@bp.get("/blueprints/<int:blueprint_id>/board-print.svg")
def board_print_svg(blueprint_id: int):
    """The drawing the board page's print shows (whole, or a part on each tile)."""
    return _drawing(print_plan(get_scoped_or_404(ServiceBlueprint, blueprint_id)))


@shared.get("/board-print.svg", endpoint="board_print_svg")
def shared_board_print_svg():
    """The same, for the board page opened through a share link (a view of the link)."""
    link, blueprint = shared_blueprint()
    board = only_this_board(queries.board(blueprint))
    return viewed(link, "board print", _drawing(print_plan(blueprint, board)))


@bp.get("/blueprints/<int:blueprint_id>/board.pdf")
def board_pdf_file(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    try:
        content = board_pdf(blueprint)
    except PdfUnavailable as exc:
        current_app.logger.warning("board PDF: %s", exc.__cause__ or exc.message)
        error = ServiceUnavailable(f"{exc.message} {_(NO_PDF_ADVICE)}")
        error.rootline_message = True
        raise error from None
    return attachment(content, pdf_name(blueprint), "application/pdf")


@bp.post("/blueprints/<int:blueprint_id>/board/pdf")
def start_board_pdf(blueprint_id: int):
    """The PDF printed by a job, with its page: Chromium never holds up a web worker."""
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    return jobs.start_and_follow(
        blueprint.workspace_id,
        "board_pdf",
        _("Board of %(name)s as PDF", name=blueprint.name)[:200],
        {"blueprint_id": blueprint.id},
    )

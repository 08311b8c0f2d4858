"""The board on paper, for the board page's print and for its PDF (made by a job from the
page's button; `board.pdf` still answers directly, for scripts). Both draw the sheets that
`blueprint.board_print` plans, from one SVG drawing: the page fetches it from
`board-print.svg`, the PDF finds it beside the page Chromium prints."""

from __future__ import annotations

from pathlib import Path

import flask_babel
from flask import current_app, has_request_context, render_template
from flask_babel import force_locale, get_locale

from blueprint import board_print, board_svg, queries
from blueprint.board import Board
from blueprint.models import ServiceBlueprint
from blueprint.words import N_
from downloads import file_name
from pdfprint import print_to_pdf
from web.i18n import format_day, local_today

NO_PDF_ADVICE = N_(
    "Print the board from your browser instead (Print, then Save as PDF): it prints on A3 "
    "landscape the same way."
)
DRAWING = "board.svg"  # the drawing's name beside the page Chromium prints


def print_plan(
    blueprint: ServiceBlueprint, board: Board | None = None, people: tuple | None = None
) -> board_print.Plan:
    """How the board prints; `board` and `people` (its persona and owner) when the caller
    has them already."""
    persona, owner = people or queries.blueprint_header(blueprint.id)[:2]
    header = board_svg.header_for(
        blueprint, persona, owner, format_day(local_today()), made="Printed", words=flask_babel
    )
    return board_print.plan(board or queries.board(blueprint), header, flask_babel)


def print_context(
    blueprint: ServiceBlueprint, board: Board, people: tuple | None, svg_url: str
) -> dict:
    """What the board page's print needs: the plan, what it says about itself, and where its
    drawing is (`svg_url`); nothing for a board without stages."""
    if not board.stages:
        return {"print_plan": None, "print_summary": "", "print_svg_url": ""}
    plan = print_plan(blueprint, board, people)
    return {"print_plan": plan, "print_summary": plan.summary, "print_svg_url": svg_url}


def board_pdf(blueprint: ServiceBlueprint) -> bytes:
    """The board printed by Chromium headless: one A3 landscape page, or its tiles. Raises
    `pdfprint.PdfUnavailable` when it cannot be made. Outside a request (a job) the page is
    rendered in a request context of its own, for the template's `url_for`."""
    if not has_request_context():  # in the job's language (flask_babel.force_locale)
        with current_app.test_request_context(), force_locale(str(get_locale() or "en")):
            return board_pdf(blueprint)
    plan = print_plan(blueprint)
    stylesheet = Path(current_app.static_folder, "css", "board-print.css").resolve().as_uri()
    html = render_template(
        "service_blueprints/board_print.html",
        blueprint=blueprint,
        print_plan=plan,
        print_svg_url=DRAWING,
        stylesheets=[stylesheet],
    )
    return print_to_pdf(html, {DRAWING: board_print.draw(plan).encode("utf-8")})


def pdf_name(blueprint: ServiceBlueprint) -> str:
    return file_name(blueprint.name, "-board.pdf", "blueprint")

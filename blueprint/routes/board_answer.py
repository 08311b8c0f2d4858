"""How the board's changes answer. The board's script posts with `X-Rootline-Board: 1` and
gets the board back as the server draws it after the change (cards, lines' routes, the
emotion curve), with the notice that offers Undo, a message on the card a refused change was
meant for, and the side panel when one is open; it swaps them in without loading the page.
Without the script (a plain form post) the answer is a redirect to the board, whose notice
offers the same Undo, or an error page.

`board_change` is the edit handshake of every board control: validate, refuse a change
read at another version of its row (409, the message on the card, the card as it is now),
run the verb, roll back on its complaint (422) or commit once.
"""

from __future__ import annotations

from collections.abc import Callable

import flask_babel
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from accounts.security import can_edit
from blueprint import queries
from blueprint.analysis.health import FINDING_KINDS
from blueprint.board_print_page import print_context
from blueprint.extension_points import annotations
from blueprint.map_health import blueprint_health
from blueprint.models import BoardChange, ServiceBlueprint
from blueprint.services import BlueprintError
from blueprint.sharing.pages import only_this_board
from blueprint.words import N_
from extensions import db
from web.edits import form_error, stale

HEADER = "X-Rootline-Board"
STALE = N_(
    "“%(title)s” was changed by someone else since you opened the board, so this was not "
    "saved. The card now shows it as it is: try again if you still want it."
)
KEPT = N_("Your values are still in the panel: Save puts them over the other change.")


def from_board() -> bool:
    """Whether the board's script sent the request (it swaps the answer in)."""
    return request.headers.get(HEADER) == "1"


def live_context(blueprint: ServiceBlueprint, shared=None, people: tuple | None = None) -> dict:
    """What the board's live part draws: the grid, its badges and health marks, the stamp,
    and the sheets its print shows (`people`: the persona and owner, when the caller has
    them). Through a share link (`shared`), only what is on this board."""
    board = queries.board(blueprint)
    if shared is not None:
        board = only_this_board(board)
    stamp = queries.board_stamp(blueprint.id) if can_edit() and not shared else None
    if shared is not None:
        drawing = url_for("shared.board_print_svg")
    else:  # after a change on the board, its drawing at the new stamp (not the one cached)
        drawing = url_for("service_blueprints.board_print_svg", blueprint_id=blueprint.id, v=stamp)
    cards = [card.id for lane in board.lanes for cell in lane.cells for card in cell] + [
        s.card.id for lane in board.lanes for row in lane.span_rows for s in row if s.card
    ]
    health = blueprint_health(blueprint).board
    return {
        **print_context(blueprint, board, people, drawing),
        "blueprint": blueprint,
        "board": board,
        "notes": annotations(cards),
        # each finding once on the page (`board_findings`), cards refer to it by number
        "findings": health.marks,
        "all_findings": health.findings,
        "board_findings": health.on(cards),
        "finding_labels": {kind: _(label) for kind, label in FINDING_KINDS.items()},
        "finding_text": lambda finding: finding.text(flask_babel),
        "elements_with_findings": len(health),
        # for editors' "the board changed since you opened it" (viewers change nothing)
        "stamp": stamp,
    }


def answer(
    blueprint: ServiceBlueprint,
    change: BoardChange | None = None,
    *,
    message: str | None = None,
    status: int = 200,
    card_id: int | None = None,
    panel: str | None = None,
    anchor: str | None = None,
):
    """The board after a change (or a refusal): a fragment for the board's script, else a
    redirect to the board (an error page for a refusal)."""
    text = change.summary if change is not None else message
    if not from_board():
        if status >= 400:
            return render_template(
                "errors.html", code=status, title=_("Not saved"), message=text or ""
            ), status
        if text and change is None:  # a change's words are in the board's notice, with Undo
            flash(text, "success")
        done = {"done": change.id} if change is not None else {}
        return redirect(url_for(".board", blueprint_id=blueprint.id, _anchor=anchor, **done))
    return render_template(
        "service_blueprints/_board_answer.html",
        **live_context(blueprint),
        notice={"text": text, "change": change, "error": status >= 400},
        card_messages={card_id: text} if card_id is not None and status >= 400 else {},
        panel=panel,
    ), status


def first_error(form: FlaskForm) -> str:
    for name, errors in form.errors.items():
        if errors:
            label = form[name].label.text if name in form else name
            return _("%(label)s: %(errors)s", label=label, errors=errors[0])
    return _("Some of what was sent is not valid.")


def board_change(
    blueprint: ServiceBlueprint,
    form: FlaskForm,
    act: Callable[[], BoardChange | None],
    *,
    row=None,
    card_id: int | None = None,
    nothing: str | None = None,
    anchor: str | None = None,
    panel: Callable[[FlaskForm | None], str] | None = None,
):
    """The handshake of a board control (see the module docstring). `panel(form)` draws
    the side panel the change came from: with the user's values and their errors when it
    is refused (after a conflict, at the current version, so that saving again applies them
    over the other change), and afresh (`panel(None)`) after the change."""
    show = panel or (lambda _form: None)
    if not form.validate_on_submit():
        return answer(
            blueprint, message=first_error(form), status=422, card_id=card_id, panel=show(form)
        )
    if row is not None and stale(form, row):
        title = getattr(row, "title", None) or getattr(row, "name", "")
        if "version" in form:
            form.version.data = str(row.version)
        return answer(
            blueprint,
            message=_(STALE, title=title) + (" " + _(KEPT) if panel else ""),
            status=409,
            card_id=card_id,
            panel=show(form),
        )
    try:
        change = act()
    except BlueprintError as exc:
        db.session.rollback()
        form_error(form, exc)
        return answer(blueprint, message=exc.message, status=422, card_id=card_id, panel=show(form))
    db.session.commit()
    return answer(
        blueprint,
        change,
        message=None if change else (nothing or _("Nothing changed.")),
        anchor=anchor,
        panel=show(None),
    )

"""The board as the editor: quick add, the side panel, placing cards and stages, deleting a
step, undo, and what the board's script asks to stay current. The verbs are in
blueprint/board_edits.py; every answer comes from blueprint/routes/board_answer.py."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.security import get_scoped_or_404
from blueprint import board_edits, queries, undo
from blueprint.board_forms import (
    DeleteStepForm,
    PlaceForm,
    PlaceStageForm,
    QuickStepForm,
    UndoForm,
)
from blueprint.forms import ElementForm
from blueprint.models import BoardChange, Element, ElementKind, ServiceBlueprint, Stage
from blueprint.routes import bp
from blueprint.routes.board_answer import answer, board_change, from_board, live_context
from extensions import db


def board_of(row: Element | Stage) -> ServiceBlueprint:
    """The blueprint whose board shows `row` (404 for people and systems: no board)."""
    if getattr(row, "blueprint_id", None) is None:
        abort(404)
    return db.session.get(ServiceBlueprint, row.blueprint_id)


def on_board(blueprint: ServiceBlueprint, model: type, row_id: int | None):
    """A stage or step of this board named by a form (404 for any other)."""
    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None or row.blueprint_id != blueprint.id:
        abort(404)
    return row


@bp.post("/blueprints/<int:blueprint_id>/board/steps")
def board_add_step(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = QuickStepForm()

    def act():
        stage = on_board(blueprint, Stage, form.stage_id.data)
        return board_edits.add_step(
            blueprint, stage, form.kind.data, form.title.data, current_user.id
        )[1]

    return board_change(blueprint, form, act)


def _panel_form(element: Element) -> ElementForm:
    form = ElementForm(obj=element)
    del form.description, form.span, form.submit
    if element.kind is not ElementKind.CUSTOMER_ACTION:
        del form.emotion
    return form


def _panel(element: Element):
    def draw(form: ElementForm | None) -> str:
        if form is None:
            db.session.refresh(element)
            form = _panel_form(element)
            form.version.data = str(element.version)
        return render_template("service_blueprints/_board_panel.html", element=element, form=form)

    return draw


@bp.route("/elements/<int:element_id>/panel", methods=["GET", "POST"])
def element_panel(element_id: int):
    """The side panel of a card: its title and marks, saved without leaving the board. The
    full form (description, span) stays one link away, and is where a browser without the
    board's script goes."""
    element = get_scoped_or_404(Element, element_id, edit=True)
    blueprint = board_of(element)
    form = _panel_form(element)
    draw = _panel(element)
    if not form.is_submitted():
        if not from_board():
            return redirect(url_for(".edit_element", element_id=element.id))
        return draw(None)
    return board_change(
        blueprint,
        form,
        lambda: board_edits.edit_step(blueprint, element, form.values(), current_user.id),
        row=element,
        card_id=element.id,
        nothing=_("“%(title)s”: nothing changed.", title=element.title),
        panel=draw,
    )


@bp.post("/elements/<int:element_id>/place")
def place_element(element_id: int):
    """Drag and drop, and the keyboard's Move: a card to a cell, before a card or last."""
    element = get_scoped_or_404(Element, element_id, edit=True)
    blueprint = board_of(element)
    form = PlaceForm()

    def act():
        stage = on_board(blueprint, Stage, form.stage_id.data)
        before = on_board(blueprint, Element, form.before_id.data) if form.before_id.data else None
        return board_edits.place_step(
            blueprint, element, stage, form.kind.data, before, current_user.id
        )

    return board_change(
        blueprint,
        form,
        act,
        row=element,
        card_id=element.id,
        nothing=_("“%(title)s” is already there.", title=element.title),
        anchor=f"el-{element.id}",
    )


@bp.post("/stages/<int:stage_id>/place")
def place_stage(stage_id: int):
    """A stage header dragged before another stage (or to the end)."""
    stage = get_scoped_or_404(Stage, stage_id, edit=True)
    blueprint = board_of(stage)
    form = PlaceStageForm()

    def act():
        before = on_board(blueprint, Stage, form.before_id.data) if form.before_id.data else None
        return board_edits.place_stage(blueprint, stage, before, current_user.id)

    return board_change(
        blueprint,
        form,
        act,
        row=stage,
        nothing=_("Stage “%(name)s” is already there.", name=stage.name),
    )


@bp.post("/elements/<int:element_id>/board-delete")
def board_delete_element(element_id: int):
    """Delete from the card: at once, with Undo (what is recorded at the step stays on the
    blueprint and comes back with it). The delete page, which asks, stays for the rest."""
    element = get_scoped_or_404(Element, element_id, edit=True)
    blueprint = board_of(element)
    return board_change(
        blueprint,
        DeleteStepForm(),
        lambda: board_edits.delete_step(blueprint, element, current_user.id),
        row=element,
        card_id=element.id,
    )


def _undo(blueprint: ServiceBlueprint, change: BoardChange | None):
    if not UndoForm().validate_on_submit():
        abort(400)
    if change is None:
        return answer(blueprint, message=_("Nothing left to undo on this board."))
    try:
        undo.undo(change)
    except undo.UndoRefused as exc:
        db.session.rollback()
        return answer(
            blueprint, message=_("Not undone: %(message)s", message=exc.message), status=409
        )
    db.session.commit()
    return answer(blueprint, message=_("Undone: %(summary)s", summary=change.summary))


@bp.post("/board-changes/<int:change_id>/undo")
def undo_change(change_id: int):
    """The notice's Undo: one's own change, on a board of one's workspace."""
    change = get_scoped_or_404(BoardChange, change_id, edit=True)
    if change.user_id != current_user.id:
        abort(404)
    return _undo(db.session.get(ServiceBlueprint, change.blueprint_id), change)


@bp.post("/blueprints/<int:blueprint_id>/board/undo")
def undo_latest(blueprint_id: int):
    """Ctrl+Z on the board: the user's latest change there that is not undone yet."""
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    return _undo(blueprint, undo.latest(blueprint.id, current_user.id))


@bp.get("/blueprints/<int:blueprint_id>/board/stamp")
def board_stamp(blueprint_id: int):
    """Cheap: whether the board changed since a page drew it (the page compares stamps)."""
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    return jsonify(stamp=queries.board_stamp(blueprint.id))


@bp.get("/blueprints/<int:blueprint_id>/board/live")
def board_live(blueprint_id: int):
    """The board's live part as it is now, for the script's Refresh (the page itself for
    anything else)."""
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    if not from_board():
        return redirect(url_for(".board", blueprint_id=blueprint.id))
    return render_template(
        "service_blueprints/_board_answer.html",
        **live_context(blueprint),
        notice=None,
        card_messages={},
        panel=None,
    )

"""Stages: add, rename, reorder, delete (moving or deleting their elements)."""

from __future__ import annotations

from flask import abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.security import get_scoped_or_404
from blueprint import board_edits, queries, services
from blueprint.extension_points import dependents_of
from blueprint.forms import DeleteStageForm, MoveForm, StageForm
from blueprint.models import ServiceBlueprint, Stage
from blueprint.routes import bp
from blueprint.routes.board_answer import board_change, from_board
from extensions import db
from web.edits import form_page, submit
from web.forms import pairs_to_choices


def _board(blueprint_id: int) -> str:
    return url_for(".board", blueprint_id=blueprint_id)


@bp.post("/blueprints/<int:blueprint_id>/stages")
def add_stage(blueprint_id: int):
    """A stage at the end: from the board's header row (quick add) or the form under it."""
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = StageForm()
    if from_board():
        return board_change(
            blueprint,
            form,
            lambda: board_edits.add_stage(blueprint, form.name.data, current_user.id)[1],
        )
    return submit(  # the form under the board, without the board's script
        form,
        lambda: board_edits.add_stage(blueprint, form.name.data, current_user.id)[1],
        saved=lambda change: (None, url_for(".board", blueprint_id=blueprint.id, done=change.id)),
        page=lambda: form_page(
            form, _("Add a stage to %(name)s", name=blueprint.name), blueprint=blueprint
        ),
        refuses=services.BlueprintError,
    )


@bp.route("/stages/<int:stage_id>/rename", methods=["GET", "POST"])
def rename_stage(stage_id: int):
    stage = get_scoped_or_404(Stage, stage_id, edit=True)
    form = StageForm(obj=stage)
    return submit(
        form,
        lambda: services.rename_stage(stage, form.name.data),
        row=stage,
        reload_url=url_for(".rename_stage", stage_id=stage.id),
        saved=lambda _saved: (None, _board(stage.blueprint_id)),
        page=lambda: form_page(form, _("Rename stage")),
        refuses=services.BlueprintError,
    )


@bp.post("/stages/<int:stage_id>/move")
def move_stage(stage_id: int):
    """A stage header's ← or → button: `offset` places earlier or later, within the board."""
    stage = get_scoped_or_404(Stage, stage_id, edit=True)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    blueprint = db.session.get(ServiceBlueprint, stage.blueprint_id)

    def act():
        stages = services.ordered_stages(blueprint.id)
        rest = [s for s in stages if s.id != stage.id]
        target = max(0, min(len(rest), stages.index(stage) + form.offset.data))
        before = rest[target] if target < len(rest) else None
        return board_edits.place_stage(blueprint, stage, before, current_user.id)

    return board_change(
        blueprint,
        form,
        act,
        row=stage,
        nothing=_("Stage “%(name)s” cannot go further.", name=stage.name),
    )


@bp.route("/stages/<int:stage_id>/delete", methods=["GET", "POST"])
def delete_stage(stage_id: int):
    stage = get_scoped_or_404(Stage, stage_id, edit=True)
    elements = services.elements_in_stage(stage)
    found = dependents_of([e.id for e in services.elements_deleted_with(stage)])
    form = DeleteStageForm()
    others = [
        (sid, name) for sid, name in queries.stage_choices(stage.blueprint_id) if sid != stage.id
    ]
    form.move_to.choices = pairs_to_choices(others, _("— choose —"))

    def delete() -> None:
        if elements and form.elements.data == "move":
            services.delete_stage(stage, _taking_over(stage, form.move_to.data))
        else:
            services.delete_stage(stage, keep_dependents=form.keep_dependents(found))

    return submit(
        form,
        delete,
        saved=lambda _saved: (
            _("Stage %(name)s deleted.", name=stage.name),
            _board(stage.blueprint_id),
        ),
        page=lambda: _delete_page(form, stage, elements, found),
        refuses=services.BlueprintError,
    )


def _taking_over(stage: Stage, stage_id: int | None) -> Stage:
    """The stage of the same blueprint that takes a deleted stage's elements."""
    move_to = db.session.get(Stage, stage_id) if stage_id else None
    if move_to is None or move_to.blueprint_id != stage.blueprint_id:
        raise services.BlueprintError(_("Choose the stage that takes its elements."), "move_to")
    return move_to


def _delete_page(form: DeleteStageForm, stage: Stage, elements: list, found: list):
    if not elements:
        form.elements.render_kw = {"disabled": True}
    return render_template(
        "service_blueprints/delete_stage.html",
        form=form,
        stage=stage,
        count=len(elements),
        reaching=sum(1 for e in elements if e.spans),
        dependents=found,
    ), 422 if form.errors else 200

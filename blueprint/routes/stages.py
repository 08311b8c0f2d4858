"""Stages: add, rename, reorder, delete (moving or deleting their elements)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for

from accounts.security import get_scoped_or_404
from blueprint import queries, services
from blueprint.extension_points import dependents_of
from blueprint.forms import DeleteStageForm, MoveForm, StageForm, pairs_to_choices
from blueprint.models import ServiceBlueprint, Stage
from blueprint.routes import bp
from blueprint.routes.helpers import (
    conflict_page,
    form_error,
    form_page,
    keep_dependents,
    stale,
)
from extensions import db


def _to_board(blueprint_id: int):
    return redirect(url_for(".board", blueprint_id=blueprint_id))


@bp.post("/blueprints/<int:blueprint_id>/stages")
def add_stage(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = StageForm()
    if form.validate_on_submit():
        try:
            stage = services.add_stage(blueprint, form.name.data)
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"Stage {stage.name} added.", "success")
            return _to_board(blueprint.id)
    return form_page(form, f"Add a stage to {blueprint.name}", blueprint=blueprint)


@bp.route("/stages/<int:stage_id>/rename", methods=["GET", "POST"])
def rename_stage(stage_id: int):
    stage = get_scoped_or_404(Stage, stage_id, edit=True)
    form = StageForm(obj=stage)
    if form.validate_on_submit():
        if stale(form, stage):
            return conflict_page(form, stage, url_for(".rename_stage", stage_id=stage.id))
        try:
            services.rename_stage(stage, form.name.data)
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            return _to_board(stage.blueprint_id)
    return form_page(form, "Rename stage")


@bp.post("/stages/<int:stage_id>/move")
def move_stage(stage_id: int):
    stage = get_scoped_or_404(Stage, stage_id, edit=True)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    if stale(form, stage):
        abort(409)  # moved or renamed by someone else since the board was drawn
    services.move_stage(stage, form.offset.data)
    db.session.commit()
    return _to_board(stage.blueprint_id)


@bp.route("/stages/<int:stage_id>/delete", methods=["GET", "POST"])
def delete_stage(stage_id: int):
    stage = get_scoped_or_404(Stage, stage_id, edit=True)
    elements = services.elements_in_stage(stage)
    count, reaching = len(elements), sum(1 for e in elements if e.spans)
    found = dependents_of([e.id for e in services.elements_deleted_with(stage)])
    form = DeleteStageForm()
    others = [
        (sid, name) for sid, name in queries.stage_choices(stage.blueprint_id) if sid != stage.id
    ]
    form.move_to.choices = pairs_to_choices(others, "— choose —")
    if form.validate_on_submit():
        move_to, keep = None, True
        if count and form.elements.data == "move":
            move_to = db.session.get(Stage, form.move_to.data) if form.move_to.data else None
            if move_to is None or move_to.blueprint_id != stage.blueprint_id:
                form.move_to.errors = ["Choose the stage that takes its elements."]
        else:
            keep = keep_dependents(form, found)
        if not form.errors:
            try:
                services.delete_stage(stage, move_to, keep_dependents=bool(keep))
            except services.BlueprintError as exc:
                form_error(form, exc)
            else:
                db.session.commit()
                flash(f"Stage {stage.name} deleted.", "success")
                return _to_board(stage.blueprint_id)
    if not count:
        form.elements.render_kw = {"disabled": True}
    return render_template(
        "service_blueprints/delete_stage.html",
        form=form,
        stage=stage,
        count=count,
        reaching=reaching,
        dependents=found,
    ), 422 if form.errors else 200

"""Lane elements: add into a stage and lane, the element page, edit, move, delete, links."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from wtforms import SelectChoice

from accounts.audit import history
from accounts.security import get_scoped_or_404
from blueprint import queries, services
from blueprint.extension_points import annotations, dependents_of
from blueprint.forms import (
    DeleteElementForm,
    ElementForm,
    LinkForm,
    MoveForm,
    MoveToStageForm,
    NewElementForm,
    pairs_to_choices,
)
from blueprint.models import Element, ElementKind, Link, ServiceBlueprint, Stage
from blueprint.routes import bp
from blueprint.routes.helpers import (
    conflict_page,
    form_error,
    form_page,
    keep_dependents,
    stale,
)
from extensions import db
from safeinput import id_or_none


def _back_to(element: Element):
    if element.blueprint_id is None:
        return redirect(url_for(".element", element_id=element.id))
    return redirect(
        url_for(".board", blueprint_id=element.blueprint_id, _anchor=f"el-{element.id}")
    )


@bp.route("/blueprints/<int:blueprint_id>/elements/new", methods=["GET", "POST"])
def new_element(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = NewElementForm(request.form if request.method == "POST" else request.args)
    stages = queries.stage_choices(blueprint.id)
    form.stage_id.choices = pairs_to_choices(stages)
    form.set_span_choices(stages)
    if not form.stage_id.choices:
        flash("Add a stage first: every step sits in a stage.", "warning")
        return redirect(url_for(".board", blueprint_id=blueprint.id))
    if request.method == "POST" and form.validate():
        stage = db.session.get(Stage, form.stage_id.data)
        try:
            element = services.add_element(stage, ElementKind(form.kind.data), form.values())
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"{element.title} added to {stage.name}.", "success")
            return _back_to(element)
    status = 422 if request.method == "POST" else 200
    return form_page(form, f"Add a step to {blueprint.name}", status, blueprint=blueprint)


@bp.get("/elements/<int:element_id>")
def element(element_id: int):
    element = get_scoped_or_404(Element, element_id)
    return _element_page(element, _link_form(element))


def _element_page(element: Element, link_form: LinkForm, status: int = 200):
    outgoing, incoming = queries.element_links(element)
    blueprint = (
        db.session.get(ServiceBlueprint, element.blueprint_id) if element.blueprint_id else None
    )
    return render_template(
        "service_blueprints/element.html",
        element=element,
        outgoing=outgoing,
        incoming=incoming,
        link_form=link_form,
        move_form=_move_form(element),
        notes=annotations([element.id]).get(element.id, []),
        events=history("element", element.id),
        blueprint=blueprint,
        stage=db.session.get(Stage, element.stage_id) if element.stage_id else None,
        end_stage=db.session.get(Stage, element.end_stage_id) if element.end_stage_id else None,
    ), status


def _link_form(element: Element, formdata=None) -> LinkForm:
    form = LinkForm(formdata)
    form.target_id.choices = [
        SelectChoice(
            target.id, f"{target.title} ({stage})" if stage else target.title, optgroup=kind.label
        )
        for kind, targets in queries.link_targets(element).items()
        for target, stage in targets
    ]
    return form


def _move_form(element: Element) -> MoveToStageForm | None:
    if element.blueprint_id is None:
        return None
    form = MoveToStageForm(stage_id=element.stage_id, version=element.version)
    form.stage_id.choices = pairs_to_choices(queries.stage_choices(element.blueprint_id))
    return form


@bp.route("/elements/<int:element_id>/edit", methods=["GET", "POST"])
def edit_element(element_id: int):
    element = get_scoped_or_404(Element, element_id, edit=True)
    form = ElementForm(obj=element)
    if element.kind is not ElementKind.CUSTOMER_ACTION:
        del form.emotion
    if element.blueprint_id is None:
        del form.span
    else:
        form.set_span_choices(queries.stage_choices(element.blueprint_id), element)
    if form.validate_on_submit():
        if stale(form, element):
            return conflict_page(form, element, url_for(".edit_element", element_id=element.id))
        try:
            services.update_element(element, form.values())
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"{element.title} saved.", "success")
            return _back_to(element)
    return form_page(form, f"Edit {element.kind.label.lower()}: {element.title}", element=element)


@bp.post("/elements/<int:element_id>/move")
def move_element(element_id: int):
    element = get_scoped_or_404(Element, element_id, edit=True)
    if not element.kind.is_lane:
        abort(404)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    if stale(form, element):
        abort(409)  # moved or changed by someone else since the board was drawn
    services.move_element(element, form.offset.data)
    db.session.commit()
    return _back_to(element)


@bp.post("/elements/<int:element_id>/stage")
def move_element_to_stage(element_id: int):
    element = get_scoped_or_404(Element, element_id, edit=True)
    form = _move_form(element)
    if form is None:
        abort(404)
    if form.validate_on_submit():
        if stale(form, element):
            abort(409)  # changed or moved by someone else since the page was drawn
        stage = db.session.get(Stage, form.stage_id.data)
        services.move_element_to_stage(element, stage)
        db.session.commit()
        flash(f"{element.title} moved to {stage.name}.", "success")
        return _back_to(element)
    return form_page(form, f"Move {element.title}", 422)


@bp.route("/elements/<int:element_id>/delete", methods=["GET", "POST"])
def delete_element(element_id: int):
    element = get_scoped_or_404(Element, element_id, edit=True)
    found, form = dependents_of([element.id]), DeleteElementForm()
    if form.validate_on_submit() and (keep := keep_dependents(form, found)) is not None:
        blueprint_id, title = element.blueprint_id, element.title
        services.delete_element(element, keep_dependents=keep)
        db.session.commit()
        flash(f"{title} deleted with its links.", "success")
        if blueprint_id is None:
            return redirect(url_for(".catalog"))
        return redirect(url_for(".board", blueprint_id=blueprint_id))
    outgoing, incoming = queries.element_links(element)
    return render_template(
        "service_blueprints/delete_element.html",
        element=element,
        outgoing=outgoing,
        incoming=incoming,
        dependents=found,
        form=form,
        cancel=url_for(".element", element_id=element.id),
    ), 422 if form.errors else 200


@bp.post("/elements/<int:element_id>/links")
def add_link(element_id: int):
    element = get_scoped_or_404(Element, element_id, edit=True)
    form = _link_form(element, request.form)
    if form.validate_on_submit():
        target = db.session.get(Element, form.target_id.data)
        if target is None or target.workspace_id != element.workspace_id:
            abort(404)
        try:
            services.link_elements(element, target, form.kind.data)
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"{element.title} {form.kind.data.label} {target.title}.", "success")
            return redirect(url_for(".element", element_id=element.id))
    return _element_page(element, form, 422)


@bp.post("/links/<int:link_id>/delete")
def delete_link(link_id: int):
    link = get_scoped_or_404(Link, link_id, edit=True)
    back = id_or_none(request.form.get("back_to"))
    services.delete_link(link)
    db.session.commit()
    flash("Link removed.", "success")
    element_id = back if back in (link.source_id, link.target_id) else link.source_id
    return redirect(url_for(".element", element_id=element_id))

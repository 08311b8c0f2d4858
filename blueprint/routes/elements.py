"""Lane elements: add into a stage and lane, the element page, edit, move, delete, links."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.audit import history
from accounts.security import get_scoped_or_404
from blueprint import board_edits, queries, services
from blueprint.extension_points import annotations, dependents_of
from blueprint.forms import (
    DeleteElementForm,
    ElementForm,
    LinkForm,
    MoveForm,
    MoveToStageForm,
    NewElementForm,
)
from blueprint.models import Element, ElementKind, Link, ServiceBlueprint, Stage
from blueprint.pickers import link_suggestions, offer
from blueprint.routes import bp
from blueprint.routes.board_answer import board_change
from blueprint.routes.board_edit import board_of
from extensions import db
from safeinput import id_or_none
from web.edits import finding, form_page, submit
from web.forms import pairs_to_choices


def _back_to(element: Element) -> str:
    """Where a saved element sends the user: its card on the board, or its own page."""
    if element.blueprint_id is None:
        return url_for(".element", element_id=element.id)
    return url_for(".board", blueprint_id=element.blueprint_id, _anchor=f"el-{element.id}")


@bp.route("/blueprints/<int:blueprint_id>/elements/new", methods=["GET", "POST"])
def new_element(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = NewElementForm(request.form if request.method == "POST" else request.args)
    stages = queries.stage_choices(blueprint.id)
    form.stage_id.choices = pairs_to_choices(stages)
    form.set_span_choices(stages)
    if not form.stage_id.choices:
        flash(_("Add a stage first: every step sits in a stage."), "warning")
        return redirect(url_for(".board", blueprint_id=blueprint.id))

    def add() -> tuple[Element, Stage]:
        stage = db.session.get(Stage, form.stage_id.data)
        return services.add_element(stage, ElementKind(form.kind.data), form.values()), stage

    return submit(
        form,
        add,
        saved=lambda new: (
            _("%(title)s added to %(name)s.", title=new[0].title, name=new[1].name),
            _back_to(new[0]),
        ),
        page=lambda: form_page(
            form, _("Add a step to %(name)s", name=blueprint.name), blueprint=blueprint
        ),
        refuses=services.BlueprintError,
    )


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
    form.target_id.exclude = (element.id,)
    offer(
        form.target_id,
        element.workspace_id,
        blank=_("— choose —"),
        suggested=link_suggestions(element),
        home_blueprint_id=element.blueprint_id,
    )
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
    return submit(
        form,
        lambda: services.update_element(element, form.values()),
        row=element,
        reload_url=url_for(".edit_element", element_id=element.id),
        saved=lambda _saved: (_("%(title)s saved.", title=element.title), _back_to(element)),
        page=lambda: form_page(
            form,
            _("Edit %(kind)s: %(title)s", kind=element.kind.label.lower(), title=element.title),
            element=element,
        ),
        refuses=services.BlueprintError,
    )


@bp.post("/elements/<int:element_id>/move")
def move_element(element_id: int):
    """A card's ← or → button: one place earlier or later in the journey, into the stage
    before or after from the end of its cell (blueprint.board.hop names where)."""
    element = get_scoped_or_404(Element, element_id, edit=True)
    if not element.kind.is_lane:
        abort(404)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    blueprint = board_of(element)

    def act():
        found = board_edits.hop(element, 1 if form.offset.data > 0 else -1)
        if found is None or not form.offset.data:
            return None
        stage, before, _words = found
        return board_edits.place_step(
            blueprint, element, stage, element.kind, before, current_user.id
        )

    return board_change(
        blueprint,
        form,
        act,
        row=element,
        card_id=element.id,
        nothing=_("“%(title)s” cannot go further that way.", title=element.title),
        anchor=f"el-{element.id}",
    )


@bp.post("/elements/<int:element_id>/stage")
def move_element_to_stage(element_id: int):
    element = get_scoped_or_404(Element, element_id, edit=True)
    form = _move_form(element)
    if form is None:
        abort(404)

    def move() -> Stage:
        stage = db.session.get(Stage, form.stage_id.data)
        services.move_element_to_stage(element, stage)
        return stage

    return submit(
        form,
        move,
        row=element,  # changed or moved by someone else since the page was drawn: 409
        saved=lambda stage: (
            _("%(title)s moved to %(name)s.", title=element.title, name=stage.name),
            _back_to(element),
        ),
        page=lambda: form_page(form, _("Move %(title)s", title=element.title), 422),
        refuses=services.BlueprintError,
    )


@bp.route("/elements/<int:element_id>/delete", methods=["GET", "POST"])
def delete_element(element_id: int):
    element = get_scoped_or_404(Element, element_id, edit=True)
    found, form = dependents_of([element.id]), DeleteElementForm()
    blueprint_id, title = element.blueprint_id, element.title
    return submit(
        form,
        lambda: services.delete_element(element, keep_dependents=form.keep_dependents(found)),
        saved=lambda _saved: (
            _("%(title)s deleted with its links.", title=title),
            url_for(".catalog")
            if blueprint_id is None
            else url_for(".board", blueprint_id=blueprint_id),
        ),
        page=lambda: _delete_page(element, found, form),
        refuses=services.BlueprintError,
    )


def _delete_page(element: Element, found: list, form: DeleteElementForm):
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

    def link() -> Element:
        target = db.session.get(Element, form.target_id.data)
        if target is None or target.workspace_id != element.workspace_id:
            abort(404)
        services.link_elements(element, target, form.kind.data)
        return target

    return submit(
        form,
        link,
        saved=lambda target: (
            _(
                "%(title)s %(link)s %(other)s.",
                title=element.title,
                link=form.kind.data.label,
                other=target.title,
            ),
            url_for(".element", element_id=element.id),
        ),
        page=lambda: _element_page(element, form, 200 if finding(form) else 422),
        refuses=services.BlueprintError,
    )


@bp.post("/links/<int:link_id>/delete")
def delete_link(link_id: int):
    link = get_scoped_or_404(Link, link_id, edit=True)
    back = id_or_none(request.form.get("back_to"))
    services.delete_link(link)
    db.session.commit()
    flash(_("Link removed."), "success")
    element_id = back if back in (link.source_id, link.target_id) else link.source_id
    return redirect(url_for(".element", element_id=element_id))

"""The workspace catalog of people and systems, and personas."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint import queries, services
from blueprint.forms import CatalogForm, PersonaForm
from blueprint.models import Element, ElementKind, Persona
from blueprint.routes import bp
from blueprint.routes.helpers import conflict_page, form_error, form_page, stale
from extensions import db


@bp.get("/catalog")
def catalog():
    workspace = require_current_workspace()
    return render_template(
        "service_blueprints/catalog.html",
        entries=queries.catalog(workspace.id),
        usage=services.catalog_usage(workspace.id),
    )


@bp.route("/catalog/new", methods=["GET", "POST"])
def new_catalog_entry():
    workspace = require_current_workspace(edit=True)
    form = CatalogForm(request.form if request.method == "POST" else request.args)
    if request.method == "POST" and form.validate_on_submit():
        try:
            entry = services.add_catalog_element(
                workspace.id, ElementKind(form.kind.data), form.values()
            )
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"{entry.title} added to the catalog.", "success")
            return redirect(url_for(".catalog"))
    return form_page(form, "Add a person, team or system", 422 if request.method == "POST" else 200)


@bp.route("/catalog/<int:element_id>/edit", methods=["GET", "POST"])
def edit_catalog_entry(element_id: int):
    entry = get_scoped_or_404(Element, element_id, edit=True)
    if entry.kind.is_lane:
        return redirect(url_for(".edit_element", element_id=entry.id))
    form = CatalogForm(obj=entry)
    del form.kind
    if form.validate_on_submit():
        if stale(form, entry):
            return conflict_page(form, entry, url_for(".edit_catalog_entry", element_id=entry.id))
        try:
            services.update_element(entry, form.values())
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"{entry.title} saved.", "success")
            return redirect(url_for(".catalog"))
    return form_page(form, f"Edit {entry.title}", element=entry)


@bp.get("/personas")
def personas():
    workspace = require_current_workspace()
    return render_template(
        "service_blueprints/personas.html", personas=queries.personas(workspace.id)
    )


@bp.route("/personas/new", methods=["GET", "POST"])
def new_persona():
    workspace = require_current_workspace(edit=True)
    form = PersonaForm()
    if form.validate_on_submit():
        try:
            persona = services.save_persona(Persona(workspace_id=workspace.id), form.data)
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"Persona {persona.name} created.", "success")
            return redirect(url_for(".personas"))
    return form_page(form, "New persona")


@bp.route("/personas/<int:persona_id>/edit", methods=["GET", "POST"])
def edit_persona(persona_id: int):
    persona = get_scoped_or_404(Persona, persona_id, edit=True)
    form = PersonaForm(obj=persona)
    if form.validate_on_submit():
        if stale(form, persona):
            return conflict_page(form, persona, url_for(".edit_persona", persona_id=persona.id))
        try:
            services.save_persona(persona, form.data)
        except services.BlueprintError as exc:
            form_error(form, exc)
        else:
            db.session.commit()
            flash(f"Persona {persona.name} saved.", "success")
            return redirect(url_for(".personas"))
    return form_page(form, f"Edit persona {persona.name}")


@bp.post("/personas/<int:persona_id>/delete")
def delete_persona(persona_id: int):
    persona = get_scoped_or_404(Persona, persona_id, edit=True)
    try:
        services.delete_persona(persona)
    except services.BlueprintError as exc:
        flash(exc.message, "danger")
        return render_template(
            "service_blueprints/personas.html",
            personas=queries.personas(persona.workspace_id),
        ), 409
    db.session.commit()
    flash("Persona deleted.", "success")
    return redirect(url_for(".personas"))

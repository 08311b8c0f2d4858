"""The workspace catalog of people and systems, and personas."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint import queries, services
from blueprint.forms import CatalogForm, PersonaForm
from blueprint.models import Element, ElementKind, Persona
from blueprint.routes import bp
from extensions import db
from web.edits import form_page, submit


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
    return submit(
        form,
        lambda: services.add_catalog_element(
            workspace.id, ElementKind(form.kind.data), form.values()
        ),
        saved=lambda entry: (
            _("%(title)s added to the catalog.", title=entry.title),
            url_for(".catalog"),
        ),
        page=lambda: form_page(form, _("Add a person, team or system")),
        refuses=services.BlueprintError,
    )


@bp.route("/catalog/<int:element_id>/edit", methods=["GET", "POST"])
def edit_catalog_entry(element_id: int):
    entry = get_scoped_or_404(Element, element_id, edit=True)
    if entry.kind.is_lane:
        return redirect(url_for(".edit_element", element_id=entry.id))
    form = CatalogForm(obj=entry)
    del form.kind
    return submit(
        form,
        lambda: services.update_element(entry, form.values()),
        row=entry,
        reload_url=url_for(".edit_catalog_entry", element_id=entry.id),
        saved=lambda _saved: (_("%(title)s saved.", title=entry.title), url_for(".catalog")),
        page=lambda: form_page(form, _("Edit %(title)s", title=entry.title), element=entry),
        refuses=services.BlueprintError,
    )


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
    return _save_persona(form, Persona(workspace_id=workspace.id), _("New persona"))


@bp.route("/personas/<int:persona_id>/edit", methods=["GET", "POST"])
def edit_persona(persona_id: int):
    persona = get_scoped_or_404(Persona, persona_id, edit=True)
    form = PersonaForm(obj=persona)
    return _save_persona(form, persona, _("Edit persona %(name)s", name=persona.name))


def _save_persona(form: PersonaForm, persona: Persona, title: str):
    new = persona.id is None
    return submit(
        form,
        lambda: services.save_persona(persona, form.data),
        row=persona,
        reload_url=None if new else url_for(".edit_persona", persona_id=persona.id),
        saved=lambda _saved: (
            _("Persona %(name)s created.", name=persona.name)
            if new
            else _("Persona %(name)s saved.", name=persona.name),
            url_for(".personas"),
        ),
        page=lambda: form_page(form, title),
        refuses=services.BlueprintError,
    )


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
    flash(_("Persona deleted."), "success")
    return redirect(url_for(".personas"))

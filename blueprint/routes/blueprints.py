"""Blueprint list, create/edit/delete, review, duplicate as future state, the board and its
history."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.audit import blueprint_history
from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint import queries, services
from blueprint.forms import BlueprintForm, SearchForm, StageForm
from blueprint.models import BoardChange, ServiceBlueprint
from blueprint.routes import bp
from blueprint.routes.board_answer import live_context
from blueprint.sharing.models import ShareLink
from extensions import db
from safeinput import id_or_none
from web.edits import form_page, submit
from web.forms import field_values, pairs_to_choices
from web.i18n import local_today


@bp.get("/blueprints")
def index():
    workspace = require_current_workspace()
    search = SearchForm(request.args)
    search.validate()  # a bad filter value is ignored, not an error page
    rows = queries.blueprint_rows(
        workspace.id,
        None if search.q.errors else search.q.data,
        None if search.state.errors else search.state.data,
    )
    return render_template(
        "service_blueprints/index.html",
        rows=rows,
        search=search,
        workspace=workspace,
    )


def _blueprint_form(workspace_id: int, obj=None) -> BlueprintForm:
    form = BlueprintForm(obj=obj)
    form.persona_id.choices = pairs_to_choices(queries.persona_choices(workspace_id), _("— none —"))
    form.owner_id.choices = pairs_to_choices(queries.member_choices(workspace_id), _("— nobody —"))
    return form


@bp.route("/blueprints/new", methods=["GET", "POST"])
def create():
    workspace = require_current_workspace(edit=True)
    form = _blueprint_form(workspace.id)
    return submit(
        form,
        lambda: services.create_blueprint(workspace.id, field_values(form)),
        saved=lambda blueprint: (
            _("Blueprint %(name)s created. Add its first stage.", name=blueprint.name),
            url_for(".board", blueprint_id=blueprint.id),
        ),
        page=lambda: form_page(form, _("New service blueprint")),
        refuses=services.BlueprintError,
    )


@bp.route("/blueprints/<int:blueprint_id>/edit", methods=["GET", "POST"])
def edit(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = _blueprint_form(blueprint.workspace_id, blueprint)
    return submit(
        form,
        lambda: services.update_blueprint(blueprint, field_values(form)),
        row=blueprint,
        reload_url=url_for(".edit", blueprint_id=blueprint.id),
        saved=lambda _saved: (_("Blueprint saved."), url_for(".board", blueprint_id=blueprint.id)),
        page=lambda: form_page(form, _("Edit %(name)s", name=blueprint.name), blueprint=blueprint),
        refuses=services.BlueprintError,
    )


@bp.route("/blueprints/<int:blueprint_id>/delete", methods=["GET", "POST"])
def delete(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    if request.method == "POST":
        name = blueprint.name
        services.delete_blueprint(blueprint)
        db.session.commit()
        flash(_("Blueprint %(name)s deleted.", name=name), "success")
        return redirect(url_for(".index"))
    return render_template(
        "service_blueprints/confirm.html",
        title=_("Delete %(name)s?", name=blueprint.name),
        message=_(
            "Its stages, elements and their links are deleted. People and systems in the "
            "catalog stay."
        ),
        cancel=url_for(".board", blueprint_id=blueprint.id),
    )


@bp.post("/blueprints/<int:blueprint_id>/reviewed")
def mark_reviewed(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    services.mark_reviewed(blueprint, local_today())
    db.session.commit()
    flash(_("%(name)s marked as reviewed today.", name=blueprint.name), "success")
    return redirect(url_for(".board", blueprint_id=blueprint.id))


@bp.post("/blueprints/<int:blueprint_id>/duplicate")
def duplicate(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    copy = services.duplicate_as_future_state(blueprint)
    db.session.commit()
    flash(_("Future state created from %(name)s.", name=blueprint.name), "success")
    return redirect(url_for(".board", blueprint_id=copy.id))


@bp.get("/blueprints/<int:blueprint_id>")
def board(blueprint_id: int):
    return board_page(get_scoped_or_404(ServiceBlueprint, blueprint_id))


def board_page(blueprint: ServiceBlueprint, shared: ShareLink | None = None) -> str:
    """The board page; `shared` (the share link it is opened through) leaves out what a
    link does not open: editing, navigation, other blueprints."""
    persona, owner, based_on_name = queries.blueprint_header(blueprint.id)
    done = None if shared else _own_change(blueprint, request.args.get("done"))
    return render_template(
        "service_blueprints/board.html",
        **live_context(blueprint, shared, (persona, owner)),
        persona=persona,
        owner=owner,
        based_on_name=None if shared else based_on_name,
        stage_form=StageForm(),
        review_overdue=blueprint.review_overdue(local_today()),
        shared=shared,
        notice={"text": done.summary, "change": done, "error": False} if done else None,
        card_messages={},
    )


def _own_change(blueprint: ServiceBlueprint, done: str | None):
    """The change a plain form post just made on this board (?done=ID after its redirect),
    for the notice's Undo; only one's own, not undone yet."""
    change = db.session.get(BoardChange, id_or_none(done)) if id_or_none(done) else None
    if change is None or change.blueprint_id != blueprint.id or change.undone_at is not None:
        return None
    return change if change.user_id == current_user.id else None


@bp.get("/blueprints/<int:blueprint_id>/history")
def history(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    return render_template(
        "service_blueprints/history.html",
        blueprint=blueprint,
        events=blueprint_history(blueprint.id),
    )

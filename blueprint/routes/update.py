"""Update a blueprint from its own workbook: upload, preview every change, apply all or
nothing; and the blank blueprint workbook to start from."""

from __future__ import annotations

import io

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import delete

import jobs
from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint import workbook
from blueprint.models import PendingBlueprintUpdate, ServiceBlueprint
from blueprint.routes import bp
from blueprint.routes.transfer import XLSX, ImportForm
from blueprint.workbook import apply as workbook_apply
from blueprint.workbook import size as workbook_size
from blueprint.workbook import template as workbook_template
from extensions import db
from web.workbook_words import workbook_words
from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx


class ApplyForm(FlaskForm):
    """The CSRF token; the preview's state token travels as a plain hidden field."""


@bp.get("/blueprints/template.xlsx")
def download_template():
    require_current_workspace()
    return send_file(
        io.BytesIO(workbook_template.template(workbook_words())),
        as_attachment=True,
        mimetype=XLSX,
        download_name="blank-blueprint.xlsx",
    )


@bp.route("/blueprints/<int:blueprint_id>/update", methods=["GET", "POST"])
def update_from_workbook(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id, edit=True)
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        try:
            check_xlsx(content, words=workbook_words())
            problem = workbook_apply.source_problem(
                blueprint, workbook.parse(content, workbook_words())
            )
        except UnsafeWorkbook as exc:
            form.file.errors = [str(exc)]
        except workbook.WorkbookProblems as exc:
            form.file.errors = [str(p) for p in exc.problems[:50]]
        else:
            if problem:
                form.file.errors = [str(problem)]
            else:
                pending = _keep(blueprint, form.file.data.filename or "", content)
                db.session.commit()
                return redirect(
                    url_for(".update_preview", blueprint_id=blueprint.id, update_id=pending.id),
                    code=303,
                )
    status = 422 if form.errors else 200
    return render_template("service_blueprints/update.html", form=form, blueprint=blueprint), status


def _keep(blueprint: ServiceBlueprint, name: str, content: bytes) -> PendingBlueprintUpdate:
    """The upload until it is applied; an earlier one of the same user and blueprint goes."""
    db.session.execute(
        delete(PendingBlueprintUpdate).where(
            PendingBlueprintUpdate.blueprint_id == blueprint.id,
            PendingBlueprintUpdate.user_id == current_user.id,
        )
    )
    pending = PendingBlueprintUpdate(
        workspace_id=blueprint.workspace_id,
        blueprint_id=blueprint.id,
        user_id=current_user.id,
        file_name=name[:200],
        content=content,
    )
    db.session.add(pending)
    db.session.flush()
    return pending


def _pending(blueprint_id: int, update_id: int):
    pending = get_scoped_or_404(PendingBlueprintUpdate, update_id, edit=True)
    if pending.user_id != current_user.id or pending.blueprint_id != blueprint_id:
        abort(404)
    return db.session.get(ServiceBlueprint, blueprint_id), pending


def _read(blueprint, pending):
    """The kept upload as read now, or a preview of why it cannot be read any more."""
    try:
        return workbook.parse(pending.content, workbook_words()), None
    except workbook.WorkbookProblems as exc:
        return None, workbook_apply.UpdatePreview(workbook_apply.Plan(problems=exc.problems))


@bp.get("/blueprints/<int:blueprint_id>/update/<int:update_id>")
def update_preview(blueprint_id: int, update_id: int):
    blueprint, pending = _pending(blueprint_id, update_id)
    data, unreadable = _read(blueprint, pending)
    return _preview_page(blueprint, pending, unreadable or workbook_apply.preview(blueprint, data))


def _preview_page(blueprint, pending, result, status=None, stale=False):
    return render_template(
        "service_blueprints/update_preview.html",
        blueprint=blueprint,
        pending=pending,
        result=result,
        form=ApplyForm(),
        stale=stale,
    ), status or (422 if result.problems else 200)


@bp.post("/blueprints/<int:blueprint_id>/update/<int:update_id>/apply")
def update_apply(blueprint_id: int, update_id: int):
    """Applied in the request, or by a job (which shows how far it is) when the workbook
    has more rows than IMPORT_JOB_ROWS."""
    blueprint, pending = _pending(blueprint_id, update_id)
    limit = current_app.config["IMPORT_JOB_ROWS"]
    if workbook_size.measure(pending.content, limit, workbook_words()).rows > limit:
        return jobs.start_and_follow(
            blueprint.workspace_id,
            "blueprint_update",
            _("Updating %(name)s from the workbook", name=blueprint.name),
            {
                "blueprint_id": blueprint.id,
                "update_id": pending.id,
                "token": request.form.get("token", ""),
            },
        )
    data, unreadable = _read(blueprint, pending)
    if unreadable:
        return _preview_page(blueprint, pending, unreadable)
    try:
        result = workbook_apply.apply(blueprint, data, request.form.get("token", ""))
    except workbook_apply.StalePreview:
        db.session.rollback()
        return _preview_page(blueprint, pending, workbook_apply.preview(blueprint, data), 409, True)
    except workbook.WorkbookProblems as exc:
        db.session.rollback()
        result = workbook_apply.preview(blueprint, data)
        result.problems.extend(p for p in exc.problems if p not in result.problems)
        return _preview_page(blueprint, pending, result)
    db.session.delete(pending)
    db.session.commit()
    count = result.plan.count
    flash(
        ngettext(
            "%(name)s updated from the workbook: %(num)d change.",
            "%(name)s updated from the workbook: %(num)d changes.",
            count,
            name=blueprint.name,
        ),
        "success",
    )
    return redirect(url_for(".board", blueprint_id=blueprint.id), code=303)

"""Upload an edited action plan, preview every change and problem, apply all or nothing."""

from __future__ import annotations

from flask import abort, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

import jobs
from accounts.security import get_scoped_or_404, require_current_workspace
from backlog import updates
from backlog.models import PendingImport
from backlog.routes import bp
from web.workbook_words import workbook_words
from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx


class UploadForm(FlaskForm):
    file = FileField(
        _l("Edited action plan (.xlsx)"),
        validators=[FileRequired(_l("Choose the workbook to upload."))],
    )


class ApplyForm(FlaskForm):
    """Carries only the CSRF token."""


@bp.route("/backlog/import", methods=["GET", "POST"])
def import_updates():
    workspace = require_current_workspace(edit=True)
    form = UploadForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        try:
            check_xlsx(content, words=workbook_words())
        except UnsafeWorkbook as exc:
            form.file.errors = [str(exc)]
        else:
            problems = updates.check_structure(content)  # quick: an answer next to the field
            if problems:
                form.file.errors = [str(p) for p in problems]
            else:  # the rows are read by a job, which shows how far it is
                return jobs.start_and_follow(
                    workspace.id,
                    "plan_read",
                    _("Reading the edited action plan"),
                    input=content,
                )
    return render_template("backlog/import.html", form=form), 422 if form.errors else 200


def _pending(import_id: int) -> PendingImport:
    pending = get_scoped_or_404(PendingImport, import_id, edit=True)
    if pending.user_id != current_user.id:
        abort(404)
    return pending


@bp.get("/backlog/import/<int:import_id>")
def import_preview(import_id: int):
    pending = _pending(import_id)
    result = updates.preview(pending.workspace_id, updates.from_payload(pending.payload))
    return render_template(
        "backlog/import_preview.html", pending=pending, result=result, form=ApplyForm()
    ), 200 if not result.problems else 422


@bp.post("/backlog/import/<int:import_id>/apply")
def import_apply(import_id: int):
    """Checked again and applied all or nothing by a job, which shows how far it is."""
    pending = _pending(import_id)
    return jobs.start_and_follow(
        pending.workspace_id,
        "plan_update",
        _("Updating the backlog from the workbook"),
        {"import_id": pending.id},
    )

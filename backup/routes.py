"""The owners' backup page of a workspace: download a backup of it, restore a backup as a new
workspace. Both run as jobs; editors and viewers get 403, everyone else 404."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length

import jobs
from accounts.models import Workspace
from accounts.security import require_role
from backup import restore
from backup.jobs import KINDS
from backup.workspace import BackupError
from extensions import db
from safeinput import strip_control_characters

bp = Blueprint("backup", __name__)


class BackupForm(FlaskForm):
    """Carries only the CSRF token."""


class RestoreForm(FlaskForm):
    file = FileField(
        _l("Backup file (.json)"),
        validators=[FileRequired(_l("Choose the backup file to upload."))],
    )
    name = StringField(
        _l("Name of the new workspace"),
        validators=[Length(max=restore.NAME_MAX)],
        description=_l("Leave it empty to use the name in the file."),
    )


def _page(workspace_id: int, restore_form: RestoreForm | None = None, status: int = 200):
    workspace = db.session.get(Workspace, workspace_id)
    restore_form = restore_form or RestoreForm()
    max_mb = current_app.config["BACKUP_MAX_BYTES"] / (1024 * 1024)
    restore_form.file.description = _(
        "A file made by “Download a backup” (or flask export-workspace), at most %(size)s MB.",
        size=format_decimal(float(f"{max_mb:g}")),
    )
    mine = jobs.recent(workspace_id, current_user.id, limit=5, kinds=frozenset(KINDS))
    return render_template(
        "backup/backup.html",
        workspace=workspace,
        backup_form=BackupForm(),
        restore_form=restore_form,
        my_jobs=[(job, jobs.state(job)) for job in mine],
    ), status


@bp.get("/workspaces/<int:workspace_id>/backup")
def page(workspace_id: int):
    require_role(workspace_id, owner=True)
    return _page(workspace_id)


@bp.post("/workspaces/<int:workspace_id>/backup")
def start_backup(workspace_id: int):
    require_role(workspace_id, owner=True)
    if not BackupForm().validate_on_submit():
        return _page(workspace_id, status=400)
    name = db.session.get(Workspace, workspace_id).name
    return jobs.start_and_follow(
        workspace_id, "workspace_backup", _("Backup of %(workspace)s", workspace=name)
    )


@bp.post("/workspaces/<int:workspace_id>/restore")
def start_restore(workspace_id: int):
    """Checked at once (an answer next to the field), written by a job."""
    require_role(workspace_id, owner=True)
    form = RestoreForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        try:
            document = restore.read_upload(content)
        except BackupError as exc:
            form.file.errors = [str(exc)]
        else:
            name = (form.name.data or "").strip() or document["workspace"]["name"].strip()
            if restore.name_taken(current_user, name):
                form.name.errors = [restore.taken_message(name)]
            else:
                source = strip_control_characters(form.file.data.filename or "backup")[:200]
                return jobs.start_and_follow(
                    workspace_id,
                    "workspace_restore",
                    _("Restoring %(workspace)s from a backup", workspace=name),
                    {"name": name, "file": source},
                    input=content,
                )
    return _page(workspace_id, form, 422)


# a backup may be larger than other uploads (wsgi.register_upload_limits)
start_restore.upload_limit = "BACKUP_MAX_BYTES"

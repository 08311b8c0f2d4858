"""Workspace backups as jobs with progress (see jobs.runner), started from the owners' backup
page: writing the backup file, and restoring one as a new workspace."""

from __future__ import annotations

from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from accounts import audit
from accounts.models import User, Workspace
from backup import restore
from backup.workspace import BackupError, export_workspace, to_bytes
from downloads import file_name
from extensions import db
from jobs import FileResult, GoTo, JobProblems, Progress
from jobs.models import Job
from web.i18n import file_stamp


def _table(name: str) -> str:
    return name.replace("_", " ")


def export_backup(job: Job, progress: Progress) -> FileResult:
    """The workspace as the file `flask export-workspace` writes, read table by table."""
    workspace = db.session.get(Workspace, job.workspace_id)

    def report(table: str, done: int, tables: int, rows: int) -> None:
        step = ngettext(
            "Read %(table)s: %(count)s row",
            "Read %(table)s: %(count)s rows",
            rows,
            table=_table(table),
            count=format_decimal(rows),
        )
        progress(done, tables, step)

    document = export_workspace(workspace, report)
    # who took a copy of everything, after the reading (the file does not hold it)
    audit.record(workspace.id, "backup", "workspace", workspace.id, workspace.name)
    rows = sum(len(rows) for rows in document["tables"].values())
    return FileResult(
        to_bytes(document),
        file_name(workspace.name, f"-backup-{file_stamp()}.json", "workspace"),
        "application/json",
        _(
            "The backup holds %(rows)s and %(people)s.",
            rows=ngettext("%(count)s row", "%(count)s rows", rows, count=format_decimal(rows)),
            people=_people(len(document["people"])),
        ),
    )


def _people(count: int) -> str:
    return ngettext("%(count)s person", "%(count)s people", count, count=format_decimal(count))


def restore_backup(job: Job, progress: Progress) -> GoTo:
    """A new workspace from the uploaded backup, the starter its owner; all or nothing."""
    back = GoTo("backup.page", {"workspace_id": job.workspace_id}, label=_("Back to backups"))
    progress.step(_("Reading the backup file"))
    owner = db.session.get(User, job.user_id)

    def report(table: str, done: int, tables: int, rows: int) -> None:
        step = ngettext(
            "Writing %(table)s: %(count)s row",
            "Writing %(table)s: %(count)s rows",
            rows,
            table=_table(table),
            count=format_decimal(rows),
        )
        progress.after_writes(done, tables, step)

    try:
        document = restore.read_upload(job.input or b"")
        rows = sum(len(rows) for rows in document["tables"].values())
        progress.step(
            ngettext(
                "Writing %(count)s row, all or nothing",
                "Writing %(count)s rows, all or nothing",
                rows,
                count=format_decimal(rows),
            )
        )
        restored = restore.restore_as_new(
            document, owner, job.params.get("name"), job.params.get("file", ""), report
        )
    except BackupError as exc:
        raise JobProblems(_("%(problem)s Nothing was restored.", problem=exc), back=back) from None
    return GoTo(
        "accounts.members",
        {"workspace_id": restored.workspace.id},
        label=_("Open %(workspace)s", workspace=restored.workspace.name),
        message=_told(restored, document),
    )


def _told(restored: restore.Restored, document: dict) -> str:
    tables = document["tables"]

    def count(table: str) -> int:
        return len(tables.get(table, []))

    blueprints, insights, tasks = (
        count("service_blueprint"),
        count("insight"),
        count("improvement_task"),
    )
    counts = ", ".join(
        (
            ngettext(
                "%(count)s blueprint",
                "%(count)s blueprints",
                blueprints,
                count=format_decimal(blueprints),
            ),
            ngettext(
                "%(count)s insight", "%(count)s insights", insights, count=format_decimal(insights)
            ),
            ngettext("%(count)s task", "%(count)s tasks", tasks, count=format_decimal(tasks)),
        )
    )
    told = [
        _(
            "%(workspace)s is restored (%(counts)s), with you as its only owner.",
            workspace=restored.workspace.name,
            counts=counts,
        )
    ]
    if restored.invited:
        told.append(
            ngettext(
                "The backup's %(num)d other member is invited in their role and join when they "
                "accept; to send someone a setup link, invite them again on its Members page.",
                "The backup's %(num)d other members are invited in their roles and join when "
                "they accept; to send someone a setup link, invite them again on its Members "
                "page.",
                len(restored.invited),
            )
        )
    if restored.left_out:
        names = ", ".join(restored.left_out[:10])
        if len(restored.left_out) > 10:
            names = ngettext(
                "%(names)s and %(num)d more",
                "%(names)s and %(num)d more",
                len(restored.left_out) - 10,
                names=names,
            )
        told.append(
            _(
                "People who share no workspace with you keep no name on the rows they owned, "
                "wrote or changed: %(names)s.",
                names=names,
            )
        )
    return " ".join(told)


# Registered by create_app (wsgi.register_jobs): owners' work all the way through.
KINDS = {"workspace_backup": export_backup, "workspace_restore": restore_backup}
OWNERS = frozenset(KINDS)

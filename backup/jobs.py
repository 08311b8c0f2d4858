"""Workspace backups as jobs with progress (see jobs.runner), started from the owners' backup
page: writing the backup file, and restoring one as a new workspace."""

from __future__ import annotations

from accounts import audit
from accounts.models import User, Workspace
from backup import restore
from backup.workspace import BackupError, export_workspace, to_bytes
from clock import utcnow
from downloads import file_name
from extensions import db
from jobs import FileResult, GoTo, JobProblems, Progress
from jobs.models import Job


def _table(name: str) -> str:
    return name.replace("_", " ")


def export_backup(job: Job, progress: Progress) -> FileResult:
    """The workspace as the file `flask export-workspace` writes, read table by table."""
    workspace = db.session.get(Workspace, job.workspace_id)

    def report(table: str, done: int, tables: int, rows: int) -> None:
        progress(done, tables, f"Read {_table(table)}: {rows:,} rows")

    document = export_workspace(workspace, report)
    # who took a copy of everything, after the reading (the file does not hold it)
    audit.record(workspace.id, "backup", "workspace", workspace.id, workspace.name)
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    rows = sum(len(rows) for rows in document["tables"].values())
    return FileResult(
        to_bytes(document),
        file_name(workspace.name, f"-backup-{stamp}.json", "workspace"),
        "application/json",
        f"The backup holds {rows:,} rows and {len(document['people'])} people.",
    )


def restore_backup(job: Job, progress: Progress) -> GoTo:
    """A new workspace from the uploaded backup, the starter its owner; all or nothing."""
    back = GoTo("backup.page", {"workspace_id": job.workspace_id}, label="Back to backups")
    progress.step("Reading the backup file")
    owner = db.session.get(User, job.user_id)

    def report(table: str, done: int, tables: int, rows: int) -> None:
        progress.after_writes(done, tables, f"Writing {_table(table)}: {rows:,} rows")

    try:
        document = restore.read_upload(job.input or b"")
        rows = sum(len(rows) for rows in document["tables"].values())
        progress.step(f"Writing {rows:,} rows, all or nothing")
        restored = restore.restore_as_new(
            document, owner, job.params.get("name"), job.params.get("file", ""), report
        )
    except BackupError as exc:
        raise JobProblems(f"{exc} Nothing was restored.", back=back) from None
    return GoTo(
        "accounts.members",
        {"workspace_id": restored.workspace.id},
        label=f"Open {restored.workspace.name}",
        message=_told(restored, document),
    )


def _told(restored: restore.Restored, document: dict) -> str:
    tables = document["tables"]
    counts = ", ".join(
        f"{len(tables.get(table, [])):,} {what}"
        for table, what in (
            ("service_blueprint", "blueprints"),
            ("insight", "insights"),
            ("improvement_task", "tasks"),
        )
    )
    told = [f"{restored.workspace.name} is restored ({counts}), with you as its only owner."]
    if restored.invited:
        count = len(restored.invited)
        told.append(
            f"The backup's {count} other member{'s are' if count > 1 else ' is'} invited in "
            f"{'their roles' if count > 1 else 'their role'} and join when they accept; to "
            "send someone a setup link, invite them again on its Members page."
        )
    if restored.left_out:
        names = ", ".join(restored.left_out[:10])
        more = f" and {len(restored.left_out) - 10} more" if len(restored.left_out) > 10 else ""
        told.append(
            f"People who share no workspace with you keep no name on the rows they owned, wrote "
            f"or changed: {names}{more}."
        )
    return " ".join(told)


# Registered by create_app (wsgi.register_jobs): owners' work all the way through.
KINDS = {"workspace_backup": export_backup, "workspace_restore": restore_backup}
OWNERS = frozenset(KINDS)

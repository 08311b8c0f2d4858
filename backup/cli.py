"""`flask export-workspace` and `flask import-workspace`: a workspace as one JSON file."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from accounts.cli import creator_option, pick_workspace
from accounts.models import User
from backup.workspace import BackupError, export_workspace, import_workspace, to_bytes
from extensions import db
from web.commands import command, option


@command(
    "export-workspace",
    help=_l("Write the workspace NAME, with everything in it, to a JSON file."),
)
@click.argument("name")
@option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=_l("Where to write the .json file."),
)
@creator_option
def export_workspace_command(name: str, out: Path, creator_email: str | None) -> None:
    workspace = pick_workspace(name, creator_email)
    document = export_workspace(workspace, _report(_("read")))
    out.write_bytes(to_bytes(document))
    counts = ", ".join(f"{len(rows)} {table}" for table, rows in document["tables"].items() if rows)
    people = len(document["people"])
    click.echo(
        ngettext(
            "Wrote %(name)s to %(out)s: %(num)d person, %(counts)s.",
            "Wrote %(name)s to %(out)s: %(num)d people, %(counts)s.",
            people,
            name=name,
            out=out,
            counts=counts,
        )
    )


@command(
    "import-workspace",
    help=_l("Create a workspace from a JSON file made by export-workspace (all or nothing)."),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--name", default=None, help=_l("Import under this name instead of the file's."))
def import_workspace_command(file: Path, name: str | None) -> None:
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise click.ClickException(
            _("%(file)s is not a JSON file (%(error)s).", file=file, error=exc)
        ) from exc
    known = set(db.session.scalars(select(User.email)))
    try:
        workspace = import_workspace(document, name, _report(_("writing")))
    except BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        _(
            "Imported workspace %(workspace)s (id %(id)s).",
            workspace=workspace.name,
            id=workspace.id,
        )
    )
    new = [p["email"] for p in document["people"] if p["email"] not in known]
    if new:
        click.echo(
            _(
                "New users, who need a password before they can log in "
                "(flask --app wsgi set-password EMAIL): %(emails)s",
                emails=", ".join(new),
            )
        )


def _report(verb: str):
    """How far a long export or import is, on stderr (stdout keeps the result)."""

    def report(table: str, done: int, tables: int, rows: int) -> None:
        count = ngettext("%(count)s row", "%(count)s rows", rows, count=format(rows, ","))
        click.echo(f"[{done:>2}/{tables}] {verb} {table}: {count}", err=True)

    return report


def register(app: Flask) -> None:
    app.cli.add_command(export_workspace_command)
    app.cli.add_command(import_workspace_command)

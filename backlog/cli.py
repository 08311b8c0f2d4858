"""`flask --app wsgi export-plan --workspace NAME --out FILE [--framework F]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.cli import creator_option, pick_workspace
from backlog.export import action_plan_bytes
from backlog.scoring import FRAMEWORKS
from web.commands import command, option


@command(
    "export-plan",
    help=_l("Export the whole backlog as the action-plan workbook, in the language of the shell."),
)
@option("--workspace", "workspace_name", required=True, help=_l("The workspace's name."))
@option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=_l("Where to write the .xlsx file."),
)
@creator_option
@option(
    "--framework",
    type=click.Choice(sorted(FRAMEWORKS)),
    default=None,
    help=_l("Order by this framework (default: the workspace's)."),
)
def export_plan_command(
    workspace_name: str, out: Path, creator_email: str | None, framework: str | None
) -> None:
    workspace = pick_workspace(workspace_name, creator_email)
    out.write_bytes(action_plan_bytes(workspace, framework))
    click.echo(
        _("Wrote the action plan of %(workspace)s to %(path)s.", workspace=workspace.name, path=out)
    )


def register(app: Flask) -> None:
    from backlog.evidence.cli import import_evidence_command

    app.cli.add_command(export_plan_command)
    app.cli.add_command(import_evidence_command)

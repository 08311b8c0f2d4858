"""`flask --app wsgi export-blueprint ID --out FILE` and `import-blueprint FILE --workspace`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from accounts.models import Workspace
from blueprint import transfer, workbook
from blueprint.models import ServiceBlueprint
from extensions import db
from xlsxsafe import UnsafeWorkbook, check_xlsx


@click.command("export-blueprint")
@click.argument("blueprint_id", type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_blueprint_command(blueprint_id: int, out: Path) -> None:
    """Write a blueprint as a workbook."""
    blueprint = db.session.get(ServiceBlueprint, blueprint_id)
    if blueprint is None:
        raise click.ClickException(f"No blueprint has the id {blueprint_id}.")
    out.write_bytes(workbook.build(transfer.export_data(blueprint)))
    click.echo(f"Wrote {blueprint.name} to {out}.")


@click.command("import-blueprint")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workspace", "workspace_name", required=True)
def import_blueprint_command(file: Path, workspace_name: str) -> None:
    """Create a blueprint from a workbook (all or nothing)."""
    workspace = db.session.execute(
        select(Workspace).where(Workspace.name == workspace_name)
    ).scalar_one_or_none()
    if workspace is None:
        raise click.ClickException(f"No workspace is called {workspace_name!r}.")
    content = file.read_bytes()
    try:
        check_xlsx(content)
        data = workbook.parse(content)
        blueprint = transfer.import_data(workspace.id, data)
    except (UnsafeWorkbook, workbook.WorkbookProblems) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Imported {blueprint.name} (id {blueprint.id}). {data.summary()}".strip())


def register(app: Flask) -> None:
    app.cli.add_command(export_blueprint_command)
    app.cli.add_command(import_blueprint_command)

"""`flask --app wsgi export-blueprint ID --out FILE`, `import-blueprint FILE --workspace NAME`
(a new blueprint) and `import-blueprint FILE --into ID [--apply]` (update one from its own
workbook: the preview, and with --apply the change, all or nothing)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from accounts.cli import creator_option, pick_workspace
from blueprint import transfer, workbook
from blueprint.models import ServiceBlueprint
from blueprint.workbook import apply as workbook_apply
from extensions import db
from web.workbook_words import workbook_words
from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx


@click.command("export-blueprint")
@click.argument("blueprint_id", type=int)
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_blueprint_command(blueprint_id: int, out: Path) -> None:
    """Write a blueprint as a workbook."""
    blueprint = db.session.get(ServiceBlueprint, blueprint_id)
    if blueprint is None:
        raise click.ClickException(f"No blueprint has the id {blueprint_id}.")
    out.write_bytes(workbook.build(transfer.export_data(blueprint), workbook_words()))
    click.echo(f"Wrote {blueprint.name} to {out}.")


@click.command("import-blueprint")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workspace", "workspace_name", help="Create a new blueprint in this workspace.")
@creator_option
@click.option("--into", "into", type=int, help="Update the blueprint with this id instead.")
@click.option("--apply", "do_apply", is_flag=True, help="With --into: apply the previewed update.")
def import_blueprint_command(
    file: Path,
    workspace_name: str | None,
    creator_email: str | None,
    into: int | None,
    do_apply: bool,
) -> None:
    """Create a blueprint from a workbook, or update one from its own (all or nothing)."""
    if (workspace_name is None) == (into is None):
        raise click.UsageError("Give either --workspace NAME (a new blueprint) or --into ID.")
    if do_apply and into is None:
        raise click.UsageError("--apply goes with --into.")
    content = file.read_bytes()
    try:
        check_xlsx(content, words=workbook_words())
        data = workbook.parse(content, workbook_words())
    except (UnsafeWorkbook, workbook.WorkbookProblems) as exc:
        raise click.ClickException(str(exc)) from exc
    if into is not None:
        _update(into, data, do_apply)
        return
    workspace = pick_workspace(workspace_name, creator_email)
    try:
        blueprint = transfer.import_data(workspace.id, data)
    except workbook.WorkbookProblems as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(
        f"Imported {blueprint.name} (id {blueprint.id}). {data.summary(workbook_words())}".strip()
    )


def _update(blueprint_id: int, data: workbook.BlueprintData, do_apply: bool) -> None:
    blueprint = db.session.get(ServiceBlueprint, blueprint_id)
    if blueprint is None:
        raise click.ClickException(f"No blueprint has the id {blueprint_id}.")
    result = workbook_apply.preview(blueprint, data)
    for line in workbook_apply.preview_lines(result):
        click.echo(line)
    if result.problems:
        raise click.ClickException(
            f"{len(result.problems)} problem(s); nothing was changed: "
            + "; ".join(str(p) for p in result.problems[:50])
        )
    if not do_apply:
        if result.plan.count:
            click.echo("Nothing was changed: run again with --apply to apply these changes.")
        return
    try:
        workbook_apply.apply(blueprint, data, result.token)
    except workbook.WorkbookProblems as exc:
        db.session.rollback()
        raise click.ClickException(f"Nothing was changed: {exc}") from exc
    db.session.commit()
    click.echo(f"Updated {blueprint.name} (id {blueprint.id}): {result.plan.count} change(s).")


def register(app: Flask) -> None:
    app.cli.add_command(export_blueprint_command)
    app.cli.add_command(import_blueprint_command)

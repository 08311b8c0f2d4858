"""`flask --app wsgi export-blueprint ID --out FILE`, `import-blueprint FILE --workspace NAME`
(a new blueprint) and `import-blueprint FILE --into ID [--apply]` (update one from its own
workbook: the preview, and with --apply the change, all or nothing)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from accounts.cli import creator_option, pick_workspace
from blueprint import transfer, workbook
from blueprint.models import ServiceBlueprint
from blueprint.workbook import apply as workbook_apply
from extensions import db
from web.commands import command, option
from web.workbook_words import workbook_words
from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx


@command(
    "export-blueprint", help=_l("Write a blueprint as a workbook, in the language of the shell.")
)
@click.argument("blueprint_id", type=int)
@option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=_l("Where to write the .xlsx file."),
)
def export_blueprint_command(blueprint_id: int, out: Path) -> None:
    blueprint = db.session.get(ServiceBlueprint, blueprint_id)
    if blueprint is None:
        raise click.ClickException(
            _("No blueprint has the id %(blueprint_id)s.", blueprint_id=blueprint_id)
        )
    out.write_bytes(workbook.build(transfer.export_data(blueprint), workbook_words()))
    click.echo(_("Wrote %(name)s to %(out)s.", name=blueprint.name, out=out))


@command(
    "import-blueprint",
    help=_l("Create a blueprint from a workbook, or update one from its own (all or nothing)."),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--workspace", "workspace_name", help=_l("Create a new blueprint in this workspace."))
@creator_option
@option("--into", "into", type=int, help=_l("Update the blueprint with this id instead."))
@option("--apply", "do_apply", is_flag=True, help=_l("With --into: apply the previewed update."))
def import_blueprint_command(
    file: Path,
    workspace_name: str | None,
    creator_email: str | None,
    into: int | None,
    do_apply: bool,
) -> None:
    if (workspace_name is None) == (into is None):
        raise click.UsageError(_("Give either --workspace NAME (a new blueprint) or --into ID."))
    if do_apply and into is None:
        raise click.UsageError(_("--apply goes with --into."))
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
        _(
            "Imported %(name)s (id %(id)s). %(summary)s",
            name=blueprint.name,
            id=blueprint.id,
            summary=data.summary(workbook_words()),
        ).strip()
    )


def _update(blueprint_id: int, data: workbook.BlueprintData, do_apply: bool) -> None:
    blueprint = db.session.get(ServiceBlueprint, blueprint_id)
    if blueprint is None:
        raise click.ClickException(
            _("No blueprint has the id %(blueprint_id)s.", blueprint_id=blueprint_id)
        )
    result = workbook_apply.preview(blueprint, data)
    for line in workbook_apply.preview_lines(result):
        click.echo(line)
    if result.problems:
        raise click.ClickException(
            ngettext(
                "%(num)d problem(s); nothing was changed: ",
                "%(num)d problem(s); nothing was changed: ",
                len(result.problems),
            )
            + "; ".join(str(p) for p in result.problems[:50])
        )
    if not do_apply:
        if result.plan.count:
            click.echo(_("Nothing was changed: run again with --apply to apply these changes."))
        return
    try:
        workbook_apply.apply(blueprint, data, result.token)
    except workbook.WorkbookProblems as exc:
        db.session.rollback()
        raise click.ClickException(_("Nothing was changed: %(exc)s", exc=exc)) from exc
    db.session.commit()
    click.echo(
        ngettext(
            "Updated %(name)s (id %(id)s): %(num)d change(s).",
            "Updated %(name)s (id %(id)s): %(num)d change(s).",
            result.plan.count,
            name=blueprint.name,
            id=blueprint.id,
        )
    )


def register(app: Flask) -> None:
    app.cli.add_command(export_blueprint_command)
    app.cli.add_command(import_blueprint_command)

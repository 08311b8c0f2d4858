"""`flask --app wsgi import-evidence FILE --workspace NAME --blueprint ID --text COLUMN
[--ref COLUMN] [--date COLUMN] [--category COLUMN] [--step COLUMN] [--score COLUMN]
[--channel COLUMN] [--source SOURCE] [--customers N] [--json] [--apply]`: the preview of an
evidence file matched to a blueprint's steps, and with --apply the insights, all or
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import click

from accounts.cli import creator_option, pick_workspace
from backlog.evidence import services
from blueprint.evidence.files import EvidenceFileError, read_file
from blueprint.evidence.rows import ColumnMapping
from blueprint.kinds import EvidenceSource
from blueprint.models import ServiceBlueprint
from extensions import db


@click.command("import-evidence")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workspace", "workspace_name", required=True, help="The workspace's name.")
@creator_option
@click.option("--blueprint", "blueprint_id", required=True, type=int, help="The blueprint's id.")
@click.option("--text", "text", required=True, help="The column holding the text.")
@click.option("--ref", "reference", default="", help="The column holding the reference.")
@click.option("--date", "date_", default="", help="The column holding the date.")
@click.option("--category", default="", help="The column holding the category.")
@click.option("--step", default="", help="The column naming the step.")
@click.option("--score", default="", help="The column holding a survey score.")
@click.option("--channel", default="", help="The column holding the channel.")
@click.option(
    "--source",
    type=click.Choice([s.value for s in EvidenceSource]),
    default=EvidenceSource.CALL_CENTRE.value,
    show_default=True,
    help="Where the evidence comes from.",
)
@click.option("--customers", type=click.IntRange(min=1), help="Customers the file covers.")
@click.option("--json", "as_json", is_flag=True, help="Print the preview as JSON.")
@click.option("--apply", "do_apply", is_flag=True, help="Create or update the insights.")
def import_evidence_command(
    file: Path,
    workspace_name: str,
    creator_email: str | None,
    blueprint_id: int,
    text: str,
    reference: str,
    date_: str,
    category: str,
    step: str,
    score: str,
    channel: str,
    source: str,
    customers: int | None,
    as_json: bool,
    do_apply: bool,
) -> None:
    """Match an evidence file to a blueprint's steps: the preview, or with --apply the
    insights (all or nothing; rows imported before are never counted twice)."""
    workspace = pick_workspace(workspace_name, creator_email)
    blueprint = db.session.get(ServiceBlueprint, blueprint_id)
    if blueprint is None or blueprint.workspace_id != workspace.id:
        raise click.ClickException(f"No blueprint of {workspace.name} has the id {blueprint_id}.")
    try:
        table = read_file(file.read_bytes(), file.name)
    except EvidenceFileError as exc:
        raise click.ClickException(str(exc)) from None
    settings = services.Settings(
        mapping=ColumnMapping(
            text=text,
            reference=reference,
            date=date_,
            category=category,
            step=step,
            channel=channel,
            score=score,
        ),
        source=EvidenceSource(source),
        customers=customers,
    )
    try:
        result = services.preview(blueprint, table, settings)
        if result.problems:
            raise services.EvidenceProblems(
                f"{len(result.problems)} row(s) cannot be used; nothing was imported.",
                result.problems,
            )
        if do_apply:
            applied = services.apply(blueprint, None, file.name, table, settings)
    except services.EvidenceProblems as exc:
        db.session.rollback()
        lines = services.problem_lines(exc.problems[:50])
        raise click.ClickException("; ".join([str(exc), *lines])) from None
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        for line in preview_lines(result):
            click.echo(line)
    if do_apply:
        db.session.commit()
        click.echo(
            f"Imported {applied.rows} new rows: {len(applied.created)} insights created, "
            f"{len(applied.updated)} updated (import {applied.evidence_import.id}).",
            err=as_json,
        )


def preview_lines(result: services.Preview) -> list[str]:
    table = result.table
    read = f"{table.kind}" + (
        f", {table.encoding}, {table.delimiter_name}" if table.kind == "csv" else ""
    )
    lines = [
        f"{result.file_rows} rows ({read}): {result.matched} matched, "
        f"{len(result.unmatched_rows)} unmatched, {result.known} imported before."
    ]
    for p in result.proposals:
        days = f", {p.first_day} – {p.last_day}" if p.first_day else ""
        lines.append(
            f"  {p.title} (id {p.element_id}): {p.rows} rows ({p.share:.0%}){days}; "
            f"{p.kind.replace('_', ' ')}, frequency {p.frequency}, severity {p.severity}"
        )
        lines.extend(f"    “{q}”" for q in p.examples)
    unmatched = [str(r.number) for r, _m in result.unmatched_rows]
    if unmatched:
        lines.append(f"Unmatched rows: {', '.join(unmatched[:200])}")
    return lines

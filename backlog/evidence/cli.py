"""`flask --app wsgi import-evidence FILE --workspace NAME --blueprint ID --text COLUMN
[--ref COLUMN] [--date COLUMN] [--category COLUMN] [--step COLUMN] [--score COLUMN]
[--channel COLUMN] [--source SOURCE] [--customers N] [--json] [--apply]`: the preview of an
evidence file matched to a blueprint's steps, and with --apply the insights, all or
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import click
import flask_babel
from flask_babel import format_date, format_percent, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.cli import creator_option, pick_workspace
from backlog.evidence import services
from backlog.kinds import InsightKind
from blueprint.evidence.files import EvidenceFileError, read_file
from blueprint.evidence.rows import ColumnMapping
from blueprint.kinds import EvidenceSource
from blueprint.models import ServiceBlueprint
from extensions import db
from web.commands import command, option


@command(
    "import-evidence",
    help=_l(
        "Match an evidence file to a blueprint's steps: the preview, or with --apply the "
        "insights (all or nothing; rows imported before are never counted twice)."
    ),
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option("--workspace", "workspace_name", required=True, help=_l("The workspace's name."))
@creator_option
@option("--blueprint", "blueprint_id", required=True, type=int, help=_l("The blueprint's id."))
@option("--text", "text", required=True, help=_l("The column holding the text."))
@option("--ref", "reference", default="", help=_l("The column holding the reference."))
@option("--date", "date_", default="", help=_l("The column holding the date."))
@option("--category", default="", help=_l("The column holding the category."))
@option("--step", default="", help=_l("The column naming the step."))
@option("--score", default="", help=_l("The column holding a survey score."))
@option("--channel", default="", help=_l("The column holding the channel."))
@option(
    "--source",
    type=click.Choice([s.value for s in EvidenceSource]),
    default=EvidenceSource.CALL_CENTRE.value,
    show_default=True,
    help=_l("Where the evidence comes from."),
)
@option("--customers", type=click.IntRange(min=1), help=_l("Customers the file covers."))
@option("--json", "as_json", is_flag=True, help=_l("Print the preview as JSON."))
@option("--apply", "do_apply", is_flag=True, help=_l("Create or update the insights."))
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
    workspace = pick_workspace(workspace_name, creator_email)
    blueprint = db.session.get(ServiceBlueprint, blueprint_id)
    if blueprint is None or blueprint.workspace_id != workspace.id:
        raise click.ClickException(
            _(
                "No blueprint of %(workspace)s has the id %(id)s.",
                workspace=workspace.name,
                id=blueprint_id,
            )
        )
    try:
        table = read_file(file.read_bytes(), file.name)
    except EvidenceFileError as exc:
        raise click.ClickException(exc.said(flask_babel, flask_babel.format_decimal)) from None
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
                _("%(n)s rows cannot be used; nothing was imported.", n=len(result.problems)),
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
            _(
                "Imported %(rows)s new rows: %(created)s insights created, %(updated)s "
                "updated (import %(id)s).",
                rows=applied.rows,
                created=len(applied.created),
                updated=len(applied.updated),
                id=applied.evidence_import.id,
            ),
            err=as_json,
        )


def preview_lines(result: services.Preview) -> list[str]:
    """The preview for people, in the shell's language (--json is for programs)."""
    table = result.table
    read = table.kind
    if table.kind == "csv":
        delimiters = {"comma": _("comma"), "semicolon": _("semicolon"), "tab": _("tab")}
        read += f", {table.encoding}, {delimiters.get(table.delimiter_name, '')}"
    lines = [
        ngettext(
            "%(num)d row (%(read)s): %(matched)s matched, %(unmatched)s unmatched, "
            "%(known)s imported before.",
            "%(num)d rows (%(read)s): %(matched)s matched, %(unmatched)s unmatched, "
            "%(known)s imported before.",
            result.file_rows,
            read=read,
            matched=result.matched,
            unmatched=len(result.unmatched_rows),
            known=result.known,
        )
    ]
    for p in result.proposals:
        days = ""
        if p.first_day:
            days = f", {format_date(p.first_day)} – {format_date(p.last_day)}"
        lines.append(
            "  "
            + ngettext(
                "%(title)s (id %(id)s): %(num)d row (%(share)s)%(days)s; %(kind)s, "
                "frequency %(frequency)s, severity %(severity)s",
                "%(title)s (id %(id)s): %(num)d rows (%(share)s)%(days)s; %(kind)s, "
                "frequency %(frequency)s, severity %(severity)s",
                p.rows,
                title=p.title,
                id=p.element_id,
                share=format_percent(p.share),
                days=days,
                kind=str(InsightKind(p.kind).label).lower(),
                frequency=p.frequency,
                severity=p.severity,
            )
        )
        lines.extend(f"    “{q}”" for q in p.examples)
    unmatched = [str(r.number) for r, _m in result.unmatched_rows]
    if unmatched:
        lines.append(_("Unmatched rows: %(rows)s", rows=", ".join(unmatched[:200])))
    return lines

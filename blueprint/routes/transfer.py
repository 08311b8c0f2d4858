"""Download a blueprint as a workbook or its board as SVG; import a workbook as a new
blueprint."""

from __future__ import annotations

import flask_babel
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired

import jobs
from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint import board_svg, queries, transfer, workbook
from blueprint.board_svg import Options
from blueprint.models import ServiceBlueprint
from blueprint.routes import bp
from blueprint.workbook import size as workbook_size
from downloads import attachment, file_name
from extensions import db
from web.i18n import format_day, local_today
from web.workbook_words import workbook_words
from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(FlaskForm):
    file = FileField(
        _l("Blueprint workbook (.xlsx)"),
        validators=[FileRequired(_l("Choose a workbook to upload."))],
    )


@bp.get("/blueprints/<int:blueprint_id>/workbook.xlsx")
def download_workbook(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    content = workbook.build(transfer.export_data(blueprint), workbook_words())
    return attachment(content, file_name(blueprint.name, ".xlsx", "blueprint"), XLSX)


@bp.get("/blueprints/<int:blueprint_id>/board.svg")
def download_board_svg(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    persona, owner, _stamp = queries.blueprint_header(blueprint.id)
    header = board_svg.header_for(
        blueprint, persona, owner, format_day(local_today()), words=flask_babel
    )
    svg = board_svg.render(queries.board(blueprint), header, Options(words=flask_babel))
    return attachment(svg, file_name(blueprint.name, "-board.svg", "blueprint"), "image/svg+xml")


@bp.route("/blueprints/import", methods=["GET", "POST"])
def import_workbook():
    workspace = require_current_workspace(edit=True)
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read()
        try:
            check_xlsx(content, words=workbook_words())
            limit = current_app.config["IMPORT_JOB_ROWS"]
            size = workbook_size.measure(
                content, limit, workbook_words()
            )  # quick: an answer next to the field
            if size.problems:
                raise workbook.WorkbookProblems(size.problems)
            if size.rows > limit:
                return jobs.start_and_follow(  # the rows are read by a job
                    workspace.id,
                    "blueprint_import",
                    _("Importing a blueprint workbook"),
                    input=content,
                )
            data = workbook.parse(content, workbook_words())
            blueprint = transfer.import_data(workspace.id, data)
        except UnsafeWorkbook as exc:
            form.file.errors = [str(exc)]
        except workbook.WorkbookProblems as exc:
            db.session.rollback()
            form.file.errors = [str(p) for p in exc.problems[:50]]
        else:
            db.session.commit()
            flash(
                (
                    _("Blueprint %(name)s imported.", name=blueprint.name)
                    + " "
                    + data.summary(workbook_words())
                ).strip(),
                "success",
            )
            return redirect(url_for(".board", blueprint_id=blueprint.id))
    status = 422 if form.errors else 200
    return render_template("service_blueprints/import.html", form=form), status

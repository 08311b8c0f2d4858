"""Import evidence: upload a file, map its columns, preview per step (the category → step
mapping and the proposed insights edited there), apply all or nothing. Editors only; a
large file is applied by a job (`EVIDENCE_JOB_ROWS`)."""

from __future__ import annotations

import flask_babel
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

import jobs
from accounts.security import get_scoped_or_404, require_current_workspace
from backlog.evidence import forms, services
from backlog.evidence.models import PendingEvidence
from backlog.routes import bp
from blueprint.evidence.files import EvidenceFileError, read_file
from blueprint.evidence.rows import FIELDS, ColumnMapping, guess_mapping
from blueprint.kinds import EvidenceSource
from blueprint.models import ServiceBlueprint
from extensions import db


def file_message(exc: EvidenceFileError) -> str:
    """The reason a file cannot be read, in the user's language."""
    return exc.said(flask_babel, flask_babel.format_decimal)


def _pending(pending_id: int) -> PendingEvidence:
    pending = get_scoped_or_404(PendingEvidence, pending_id, edit=True)
    if pending.user_id != current_user.id:  # an upload is its uploader's until applied
        abort(404)
    return pending


def _table(pending: PendingEvidence):
    try:
        return services.pending_table(pending)
    except EvidenceFileError:  # it was read at the upload; the file cannot have changed
        abort(404)


@bp.route("/evidence/import", methods=["GET", "POST"])
def evidence_upload():
    workspace = require_current_workspace(edit=True)
    form = forms.UploadForm()
    blueprints = db.session.execute(
        select(ServiceBlueprint.id, ServiceBlueprint.name)
        .where(ServiceBlueprint.workspace_id == workspace.id)
        .order_by(ServiceBlueprint.name, ServiceBlueprint.id)
    ).all()
    form.blueprint_id.choices = [SelectChoice(b.id, b.name) for b in blueprints]
    if not form.is_submitted() and request.args.get("blueprint_id", "").isdigit():
        form.blueprint_id.data = int(request.args["blueprint_id"])
    if form.validate_on_submit():
        content = form.file.data.read()
        name = (form.file.data.filename or "evidence.csv")[:200]
        try:
            table = read_file(content, name)
        except EvidenceFileError as exc:
            form.file.errors = [file_message(exc)]
        else:
            pending = PendingEvidence(
                workspace_id=workspace.id,
                blueprint_id=form.blueprint_id.data,
                user_id=current_user.id,
                file_name=name,
                content=content,
            )
            db.session.add(pending)
            db.session.commit()
            flash(
                ngettext("Read %(num)d row.", "Read %(num)d rows.", len(table.rows)),
                "info",
            )
            return redirect(url_for(".evidence_columns", pending_id=pending.id), code=303)
    status = 422 if form.errors else 200
    return render_template(
        "backlog/evidence_upload.html", form=form, has_blueprints=bool(blueprints)
    ), status


@bp.route("/evidence/import/<int:pending_id>/columns", methods=["GET", "POST"])
def evidence_columns(pending_id: int):
    pending = _pending(pending_id)
    table = _table(pending)
    settings = services.Settings.from_json(pending.settings)
    if settings is None:
        found = services.remembered(pending.workspace_id, table.headers)
        mapping, source = found if found else (guess_mapping(table.headers), "")
        customers = None
    else:
        mapping, source, customers = settings.mapping, settings.source.value, settings.customers
    initial = mapping.as_dict() | {"source": source or EvidenceSource.CALL_CENTRE.value}
    initial["customers"] = customers
    form = forms.columns_form(
        table.headers, request.form if request.method == "POST" else None, **initial
    )
    if form.validate_on_submit():
        chosen = ColumnMapping.from_dict({f: form[f].data for f in FIELDS})
        wrong = chosen.problems(table.headers)
        for field_name in wrong:
            form[field_name].errors = [_("The file has no such column.")]
        if not wrong:
            old = settings or services.Settings(chosen)
            old.mapping = chosen
            old.source = EvidenceSource(form.source.data)
            old.customers = form.customers.data
            pending.settings = old.to_json()
            db.session.commit()
            return redirect(url_for(".evidence_preview", pending_id=pending.id), code=303)
    remembered = settings is None and services.remembered(pending.workspace_id, table.headers)
    sample = table.rows[:5]
    return render_template(
        "backlog/evidence_columns.html",
        pending=pending,
        table=table,
        sample=sample,
        form=form,
        fields=FIELDS,
        remembered=bool(remembered),
    ), 422 if form.errors else 200


def _preview_page(
    pending,
    table,
    settings,
    *,
    categories_form=None,
    proposals_form=None,
    alias_form=None,
    status=200,
):
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    result = services.preview(blueprint, table, settings)
    return render_template(
        "backlog/evidence_preview.html",
        pending=pending,
        blueprint=blueprint,
        result=result,
        settings=settings,
        problems=services.problem_lines(result.problems[:50]),
        categories_form=categories_form or forms.categories_form(result.categories, result.steps),
        proposals_form=proposals_form
        or forms.proposals_form(result.proposals, result.steps, settings),
        alias_form=alias_form or forms.alias_form(result.steps),
        apply_form=forms.ApplyForm(),
        by_job=result.file_rows > current_app.config["EVIDENCE_JOB_ROWS"],
    ), status if not result.problems else 422


def _settings(pending):
    settings = services.Settings.from_json(pending.settings)
    if settings is None:
        return None, redirect(url_for(".evidence_columns", pending_id=pending.id), code=303)
    return settings, None


@bp.get("/evidence/import/<int:pending_id>")
def evidence_preview(pending_id: int):
    pending = _pending(pending_id)
    settings, away = _settings(pending)
    if away:
        return away
    try:
        return _preview_page(pending, _table(pending), settings)
    except services.EvidenceProblems:  # the mapping no longer fits: choose it again
        return redirect(url_for(".evidence_columns", pending_id=pending.id), code=303)


@bp.post("/evidence/import/<int:pending_id>/categories")
def evidence_categories(pending_id: int):
    """Save the category → step mapping for the blueprint (kept for later imports)."""
    pending = _pending(pending_id)
    settings, away = _settings(pending)
    if away:
        return away
    table = _table(pending)
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    result = services.preview(blueprint, table, settings)
    form = forms.categories_form(result.categories, result.steps, request.form)
    if not form.validate_on_submit():
        return _preview_page(pending, table, settings, categories_form=form, status=422)
    for n, (category, _rows, _mapped) in enumerate(result.categories):
        value = form[f"category_{n}"].data
        services.save_category(blueprint, category, int(value) if value else None)
    db.session.commit()
    flash(_("Category mapping saved; the rows are matched again."), "success")
    return redirect(url_for(".evidence_preview", pending_id=pending.id), code=303)


@bp.post("/evidence/import/<int:pending_id>/alias")
def evidence_alias(pending_id: int):
    """Save another name for a step (kept per workspace); the rows are matched again."""
    pending = _pending(pending_id)
    settings, away = _settings(pending)
    if away:
        return away
    table = _table(pending)
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    steps = {s.element_id: s.title for s in services.blueprint_steps(blueprint)}
    form = forms.alias_form(steps, request.form)
    if form.validate_on_submit():
        try:
            services.save_alias(blueprint, int(form.element_id.data), form.alias.data)
        except services.EvidenceProblems as exc:
            db.session.rollback()
            form.alias.errors = [str(exc)]
        else:
            db.session.commit()
            flash(_("Alias saved; the rows are matched again."), "success")
            return redirect(url_for(".evidence_preview", pending_id=pending.id), code=303)
    return _preview_page(pending, table, settings, alias_form=form, status=422)


@bp.post("/evidence/import/<int:pending_id>/proposals")
def evidence_proposals(pending_id: int):
    """Rename, drop or merge the proposed insights and choose their severity."""
    pending = _pending(pending_id)
    settings, away = _settings(pending)
    if away:
        return away
    table = _table(pending)
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    result = services.preview(blueprint, table, settings)
    form = forms.proposals_form(result.proposals, result.steps, settings, request.form)
    if not form.validate_on_submit():
        return _preview_page(pending, table, settings, proposals_form=form, status=422)
    for p in result.proposals:
        e = p.element_id
        action = form[f"action_{e}"].data
        settings.choose(
            e,
            title=(form[f"title_{e}"].data or "").strip(),
            severity=int(form[f"severity_{e}"].data),
            proposed_severity=p.severity,
            drop=action == forms.DROP,
            merge_into=int(action.split(":", 1)[1]) if action.startswith("merge:") else None,
        )
    pending.settings = settings.to_json()
    db.session.commit()
    flash(_("Proposed insights updated."), "success")
    return redirect(url_for(".evidence_preview", pending_id=pending.id), code=303)


@bp.post("/evidence/import/<int:pending_id>/apply")
def evidence_apply(pending_id: int):
    pending = _pending(pending_id)
    settings, away = _settings(pending)
    if away:
        return away
    table = _table(pending)
    if len(table.rows) > current_app.config["EVIDENCE_JOB_ROWS"]:
        return jobs.start_and_follow(
            pending.workspace_id,
            "evidence_apply",
            _("Importing evidence from %(name)s", name=pending.file_name),
            {"pending_id": pending.id},
        )
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    try:
        result = services.apply(blueprint, current_user.id, pending.file_name, table, settings)
    except services.EvidenceProblems:
        db.session.rollback()
        return _preview_page(pending, table, settings, status=422)
    db.session.delete(pending)
    db.session.commit()
    flash(applied_message(result), "success")
    return redirect(url_for(".insights"), code=303)


def applied_message(result: services.ApplyResult) -> str:
    return _(
        "Imported %(rows)s new rows: %(created)s insights created, %(updated)s updated.",
        rows=result.rows,
        created=len(result.created),
        updated=len(result.updated),
    )

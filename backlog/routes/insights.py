"""Insights: list, create (from an element or the board), edit, delete, confirm causes from
the cause trace, and the why-chain."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from accounts.audit import history
from accounts.security import get_scoped_or_404, require_current_workspace
from backlog import queries, services
from backlog.evidence import services as evidence_services
from backlog.forms import CausesForm, InsightFilterForm, InsightForm, WhyForm
from backlog.models import ConfirmedCause, ImprovementTask, Insight, WhyStep, task_insight
from backlog.routes import bp
from backlog.routes.choices import blueprint_choices
from blueprint.analysis.trace import trace
from blueprint.element_search import elements_by_id
from blueprint.graph import workspace_graph
from blueprint.models import Element, ElementKind, ServiceBlueprint
from blueprint.pickers import offer
from extensions import db
from safeinput import id_or_none
from web.edits import finding, form_page, submit

WHY_SUGGESTIONS = 20  # the insight's element and the first candidates of its cause trace


@bp.get("/insights")
def insights():
    workspace = require_current_workspace()
    filters = InsightFilterForm(request.args)
    filters.blueprint_id.choices = blueprint_choices(workspace.id, _("Any blueprint"))
    filters.validate()
    data = {name: (None if field.errors else field.data) for name, field in filters._fields.items()}
    rows = queries.insight_rows(
        workspace.id,
        kind=data["kind"],
        min_severity=data["min_severity"],
        source=data["source"],
        blueprint_id=data["blueprint_id"],
        has_cause={"yes": True, "no": False}.get(data["has_cause"] or ""),
    )
    if data["element_id"]:
        rows = [r for r in rows if r.insight.element_id == data["element_id"]]
    return render_template("backlog/insights.html", rows=rows, filters=filters)


def _insight_form(workspace_id: int, **kwargs) -> InsightForm:
    form = InsightForm(**kwargs)
    offer(form.element_id, workspace_id, blank=_("— the blueprint as a whole —"))
    form.blueprint_id.choices = blueprint_choices(workspace_id, _("— none —"))
    return form


@bp.route("/insights/new", methods=["GET", "POST"])
def new_insight():
    workspace = require_current_workspace(edit=True)
    prefill = {}
    if request.method == "GET":
        prefill = {k: id_or_none(request.args.get(k)) for k in ("element_id", "blueprint_id")}
    form = _insight_form(workspace.id, **{k: v for k, v in prefill.items() if v})
    insight = Insight(workspace_id=workspace.id, author_id=current_user.id)
    return _save_insight(form, insight, _("Record an insight"))


def _save_insight(form: InsightForm, insight: Insight, title: str):
    new = insight.id is None
    return submit(
        form,
        lambda: services.save_insight(insight, form.values()),
        row=insight,
        reload_url=None if new else url_for(".edit_insight", insight_id=insight.id),
        saved=lambda _saved: (
            _("Insight %(title)s recorded.", title=insight.title) if new else _("Insight saved."),
            url_for(".insight", insight_id=insight.id),
        ),
        page=lambda: form_page(form, title),
        refuses=services.BacklogError,
    )


def _candidates(insight: Insight):
    """The cause trace of the insight's element: (graph, trace) or (None, None)."""
    if insight.element_id is None:
        return None, None
    G = workspace_graph(insight.workspace_id)
    return G, trace(G, insight.element_id)


@bp.get("/insights/<int:insight_id>")
def insight(insight_id: int):
    insight = get_scoped_or_404(Insight, insight_id)
    return _insight_page(insight)


def _kind_label(value: str) -> str:
    """An element kind's name (a graph node keeps its value) in the user's language."""
    kind = ElementKind(value)
    return _(getattr(kind, "english", None) or kind.label)


def _insight_page(insight: Insight, causes_form=None, why_form=None, status=200):
    G, cause_trace = _candidates(insight)
    confirmed = set(
        db.session.scalars(
            select(ConfirmedCause.element_id).where(ConfirmedCause.insight_id == insight.id)
        )
    )
    whys = db.session.execute(
        select(WhyStep, Element.title)
        .outerjoin(Element, Element.id == WhyStep.element_id)
        .where(WhyStep.insight_id == insight.id)
        .order_by(WhyStep.position)
    ).all()
    tasks = db.session.scalars(
        select(ImprovementTask)
        .join(task_insight, task_insight.c.task_id == ImprovementTask.id)
        .where(task_insight.c.insight_id == insight.id)
        .order_by(ImprovementTask.id)
    ).all()
    element = db.session.get(Element, insight.element_id) if insight.element_id else None
    blueprint = (
        db.session.get(ServiceBlueprint, insight.blueprint_id) if (insight.blueprint_id) else None
    )
    why_form = why_form or WhyForm()
    suggested = [insight.element_id, *(cause_trace.candidates if cause_trace else ())]
    offer(
        why_form.element_id,
        insight.workspace_id,
        blank=_("— no element —"),
        suggested=elements_by_id(insight.workspace_id, suggested[:WHY_SUGGESTIONS]),
    )
    evidence_count, evidence_rows, evidence_imports = evidence_services.insight_evidence(insight)
    return render_template(
        "backlog/insight.html",
        insight=insight,
        evidence_count=evidence_count,
        evidence_rows=evidence_rows,
        evidence_imports=evidence_imports,
        evidence_steps=evidence_services.element_titles(evidence_rows),
        element=element,
        blueprint=blueprint,
        G=G,
        trace=cause_trace,
        confirmed=confirmed,
        whys=whys,
        tasks=tasks,
        causes_form=causes_form or CausesForm(),
        kind_label=_kind_label,
        events=history("insight", insight.id),
        why_form=why_form,
    ), status


@bp.route("/insights/<int:insight_id>/edit", methods=["GET", "POST"])
def edit_insight(insight_id: int):
    insight = get_scoped_or_404(Insight, insight_id, edit=True)
    form = _insight_form(insight.workspace_id, obj=insight)
    return _save_insight(form, insight, _("Edit %(title)s", title=insight.title))


@bp.route("/insights/<int:insight_id>/delete", methods=["GET", "POST"])
def delete_insight(insight_id: int):
    """Asks first (GET), deletes on the answer (POST)."""
    insight = get_scoped_or_404(Insight, insight_id, edit=True)
    if request.method == "GET":
        return render_template(
            "service_blueprints/confirm.html",
            title=_("Delete the insight “%(title)s”?", title=insight.title),
            message=_(
                "The insight, its why-chain and its confirmed causes are deleted; the "
                "tasks that address it stay, without it."
            ),
            cancel=url_for(".insight", insight_id=insight.id),
        )
    services.delete_insight(insight)
    db.session.commit()
    flash(_("Insight deleted."), "success")
    return redirect(url_for(".insights"))


@bp.post("/insights/<int:insight_id>/causes")
def confirm_causes(insight_id: int):
    insight = get_scoped_or_404(Insight, insight_id, edit=True)
    form = CausesForm()
    _graph, cause_trace = _candidates(insight)
    if cause_trace is None:
        abort(404)
    return submit(
        form,
        lambda: services.set_confirmed_causes(
            insight, form.causes.data or [], cause_trace.candidates
        ),
        saved=lambda _saved: (
            _("Confirmed causes saved."),
            url_for(".insight", insight_id=insight.id),
        ),
        page=lambda: _insight_page(insight, causes_form=form, status=422),
        refuses=services.BacklogError,
    )


@bp.post("/insights/<int:insight_id>/whys")
def add_why(insight_id: int):
    insight = get_scoped_or_404(Insight, insight_id, edit=True)
    form = WhyForm()
    return submit(
        form,
        lambda: services.add_why(insight, form.answer.data, form.element_id.data),
        saved=lambda _saved: (None, url_for(".insight", insight_id=insight.id, _anchor="whys")),
        page=lambda: _insight_page(insight, why_form=form, status=200 if finding(form) else 422),
        refuses=services.BacklogError,
    )


@bp.post("/whys/<int:why_id>/delete")
def delete_why(why_id: int):
    step = get_scoped_or_404(WhyStep, why_id, edit=True)
    insight_id = step.insight_id
    services.delete_why(step)
    db.session.commit()
    return redirect(url_for(".insight", insight_id=insight_id, _anchor="whys"))

"""Improvement tasks: the prioritised backlog, the impact/effort matrix, settings, the task
page, one-click creation from insights, causes and findings."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

import jobs
from accounts.audit import history
from accounts.models import User
from accounts.security import get_scoped_or_404, require_current_workspace
from backlog import queries, scoring, services
from backlog.export import action_plan_bytes
from backlog.forms import (
    AcceptImpactForm,
    BacklogFilterForm,
    BulkStatusForm,
    SettingsForm,
    TaskForm,
)
from backlog.impact import render
from backlog.jobs import XLSX, plan_params
from backlog.matrix import matrix_points
from backlog.models import ImprovementTask, Insight
from backlog.pickers import offer_insights
from backlog.routes import bp
from backlog.routes.choices import blueprint_choices
from blueprint.analysis.health import FINDING_KINDS
from blueprint.models import Element
from blueprint.pickers import offer
from blueprint.queries import member_choices
from downloads import attachment
from extensions import db
from safeinput import id_or_none
from web.edits import form_page, stale_version, submit
from web.forms import pairs_to_choices
from web.i18n import file_stamp

PAGE_SIZE = 50


def _filter_state(workspace, args):
    """The backlog's filters read from `args` (bad values are ignored, not errors; a blank
    one, spaces included, is no filter)."""
    settings = services.settings_for(workspace.id)
    filters = BacklogFilterForm(MultiDict((k, v) for k, v in args.items(multi=True) if v.strip()))
    anyone = pgettext("whoever owns a task", "Anyone")
    filters.owner_id.choices = pairs_to_choices(member_choices(workspace.id), anyone)
    filters.blueprint_id.choices = blueprint_choices(workspace.id, _("Any blueprint"))
    filters.validate()
    data = {n: (None if f.errors else f.data) for n, f in filters._fields.items()}
    framework = data["framework"] if data["framework"] in scoring.FRAMEWORKS else None
    return filters, data, settings, framework or settings.framework


def _described(filters, data, args) -> str:
    """The filters in words, for the workbook's About sheet."""
    return "; ".join(
        f"{f.label.text}: {args[n]}"
        for n, f in filters._fields.items()
        if n not in ("page", "framework") and args.get(n) and data[n] is not None
    ) or _("none")


def _filter_args(filters: BacklogFilterForm) -> dict[str, str]:
    """The query's filters, for links that keep them: only the filter form's own fields
    (anything else, `endpoint` say, would be taken by url_for as its own argument)."""
    return {n: request.args[n] for n in filters._fields if n != "page" and request.args.get(n)}


def _filter_kwargs(data: dict) -> dict:
    return {
        "status": data["status"],
        "owner_id": data["owner_id"],
        "blueprint_id": data["blueprint_id"],
        "quadrant": data["quadrant"] or None,
        "horizon": data["horizon"],
        "overdue": bool(data["overdue"]),
        "q": data["q"],
    }


@bp.get("/backlog")
def index():
    return _backlog_page(require_current_workspace())


def _backlog_page(workspace, bulk: BulkStatusForm | None = None, status: int = 200):
    filters, data, settings, framework = _filter_state(workspace, request.args)
    found = queries.backlog_page(
        workspace.id,
        framework,
        settings.quadrant_threshold,
        data["page"] or 1,
        PAGE_SIZE,
        **_filter_kwargs(data),
    )
    return render_template(
        "backlog/index.html",
        found=found,
        page_links=page_links(found.page, found.pages),
        filters=filters,
        framework=scoring.FRAMEWORKS[framework],
        settings=settings,
        args=_filter_args(filters),
        bulk=bulk or BulkStatusForm(),
        format_score=scoring.format_score,
        quadrants=scoring.QUADRANTS,
        my_jobs=[(job, jobs.state(job)) for job in jobs.recent(workspace.id, current_user.id)],
    ), status


def page_links(page: int, pages: int, around: int = 3) -> list[int | None]:
    """The pages the pager links to: the first, the last and `around` on each side of
    `page`, None where it skips some (a backlog of 1,000 pages gets a dozen links)."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    links: list[int | None] = []
    for p in shown:
        if links and p - links[-1] > 1:
            links.append(None)
        links.append(p)
    return links


@bp.get("/backlog/export.xlsx")
def export_plan():
    """The action plan as an Excel workbook, with the backlog's current filters."""
    workspace = require_current_workspace()
    filters, data, _settings, framework = _filter_state(workspace, request.args)
    described = _described(filters, data, request.args)
    content = action_plan_bytes(workspace, framework, _filter_kwargs(data), described)
    return attachment(content, f"action-plan-{file_stamp()}.xlsx", XLSX)


@bp.post("/backlog/export")
def start_export():
    """The action plan made off the request, with progress: the way the page exports, so a
    large workspace's export never meets the server's request timeout."""
    workspace = require_current_workspace()
    filters, data, _settings, framework = _filter_state(workspace, request.form)
    params = plan_params(framework, _filter_kwargs(data), _described(filters, data, request.form))
    return jobs.start_and_follow(workspace.id, "action_plan", _("Action plan export"), params)


@bp.post("/backlog/bulk-status")
def bulk_status():
    """One status for the ticked tasks: all or nothing, and nothing when any of them changed
    since the backlog was drawn (each row posts its `version-<id>`)."""
    workspace = require_current_workspace(edit=True)
    form = BulkStatusForm()
    if not form.validate_on_submit():
        return _backlog_page(workspace, form, 422)
    tasks = _tasks_of(workspace.id, form.task_ids.data)
    changed_since = sorted(t.title for t in tasks if stale_version(request.form, t))
    if changed_since:
        flash(
            _(
                "Someone else changed %(titles)s since you opened the backlog; nothing was "
                "changed. Check them and try again.",
                titles=", ".join(changed_since),
            ),
            "danger",
        )
        return _backlog_page(workspace, form, 409)
    changed = services.set_status(tasks, form.status.data)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d task set to %(status)s.",
            "%(num)d tasks set to %(status)s.",
            changed,
            status=_(form.status.data.english),
        ),
        "success",
    )
    back = request.form.get("back") or ""
    return redirect(back if back.startswith("/backlog") else url_for(".index"))


def _tasks_of(workspace_id: int, task_ids: list[int]) -> list[ImprovementTask]:
    """The tasks `task_ids` names, all of this workspace, or 404."""
    tasks = db.session.scalars(
        select(ImprovementTask).where(
            ImprovementTask.id.in_(task_ids), ImprovementTask.workspace_id == workspace_id
        )
    ).all()
    if len(tasks) != len(set(task_ids)):
        abort(404)
    return list(tasks)


@bp.get("/backlog/matrix")
def matrix():
    workspace = require_current_workspace()
    filters, data, settings, framework = _filter_state(workspace, request.args)
    rows = queries.matrix_rows(
        workspace.id, framework, settings.quadrant_threshold, **_filter_kwargs(data)
    )
    return render_template(
        "backlog/matrix.html",
        chart=matrix_points(rows.ranked, rows.unscored, settings.quadrant_threshold, gettext=_),
        drawn=len(rows.ranked) + len(rows.unscored),
        total=rows.total,
        filters=filters,
        settings=settings,
        quadrants=scoring.QUADRANTS,
        args=_filter_args(filters),
    )


@bp.route("/backlog/settings", methods=["GET", "POST"])
def settings():
    workspace = require_current_workspace(edit=request.method == "POST")
    current = services.settings_for(workspace.id)
    form = SettingsForm(obj=current)
    return submit(
        form,
        lambda: services.save_settings(
            workspace.id, form.framework.data, form.quadrant_threshold.data
        ),
        row=current,
        reload_url=url_for(".settings"),
        saved=lambda _saved: (_("Backlog settings saved."), url_for(".index")),
        page=lambda: form_page(form, _("Backlog settings"), frameworks=scoring.FRAMEWORKS),
        refuses=services.BacklogError,
    )


def _task_form(workspace_id: int, **kwargs) -> TaskForm:
    form = TaskForm(**kwargs)
    form.owner_id.choices = pairs_to_choices(member_choices(workspace_id), _("— nobody —"))
    return form


def _save(form: TaskForm, task: ImprovementTask, title: str):
    offer(form.target_ids, task.workspace_id)
    offer_insights(form.insight_ids, task.workspace_id, form.target_ids.chosen_ids())
    return submit(
        form,
        lambda: services.save_task(
            task, form.values(), form.insight_ids.data or [], form.target_ids.data or []
        ),
        row=task,
        reload_url=url_for(".edit_task", task_id=task.id) if task.id else None,
        saved=lambda _saved: (
            _("Task %(title)s saved.", title=task.title),
            url_for(".task", task_id=task.id),
        ),
        page=lambda: form_page(form, title, template="backlog/task_form.html"),
        refuses=services.BacklogError,
    )


@bp.route("/tasks/new", methods=["GET", "POST"])
def new_task():
    workspace = require_current_workspace(edit=True)
    form = _task_form(workspace.id)
    return _save(form, ImprovementTask(workspace_id=workspace.id), _("New improvement task"))


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
def edit_task(task_id: int):
    task = get_scoped_or_404(ImprovementTask, task_id, edit=True)
    insights, targets = queries.addressed(task)
    form = _task_form(task.workspace_id, obj=task)
    if request.method == "GET":
        form.insight_ids.data = [i.id for i in insights]
        form.target_ids.data = [e.id for e in targets]
    return _save(form, task, _("Edit %(title)s", title=task.title))


def explain(suggestion) -> str:
    """The suggestion's explanation in the reader's language."""
    return " ".join(render(message, _, ngettext) for message in suggestion.reason)


def _suggestion(task: ImprovementTask):
    """(insights it addresses, elements it changes, the suggested impact from the graph)."""
    insights, targets = queries.addressed(task)
    suggestion = queries.suggestion_for(
        task.workspace_id, [i.id for i in insights], [e.id for e in targets]
    )
    return insights, targets, suggestion


@bp.get("/tasks/<int:task_id>")
def task(task_id: int):
    task = get_scoped_or_404(ImprovementTask, task_id)
    insights, targets, suggestion = _suggestion(task)
    settings = services.settings_for(task.workspace_id)
    scores = [(f, services.task_score(task, name)) for name, f in scoring.FRAMEWORKS.items()]
    return render_template(
        "backlog/task.html",
        task=task,
        insights=insights,
        targets=targets,
        suggestion=suggestion,
        explanation=explain(suggestion),
        scores=scores,
        format_score=scoring.format_score,
        quadrant=scoring.QUADRANTS[
            scoring.quadrant(task.impact, task.effort, settings.quadrant_threshold)
        ],
        owner_name=db.session.get(User, task.owner_id).name if task.owner_id else None,
        events=history("improvement_task", task.id),
    )


@bp.post("/tasks/<int:task_id>/accept-impact")
def accept_impact(task_id: int):
    """The task's impact becomes the graph's suggestion, if the task is still as the page
    showed it (the button posts the version it was drawn at; otherwise 409)."""
    task = get_scoped_or_404(ImprovementTask, task_id, edit=True)

    def accept() -> ImprovementTask:
        *_rest, suggestion = _suggestion(task)
        if suggestion.impact is None:  # nothing to accept: the page showed no button
            abort(409)
        return services.set_impact(task, suggestion.impact)

    return submit(
        AcceptImpactForm(),
        accept,
        row=task,
        saved=lambda _saved: (
            _("Impact set to the suggested %(impact)s.", impact=task.impact),
            url_for(".task", task_id=task.id),
        ),
        page=lambda: abort(400),
    )


@bp.route("/tasks/<int:task_id>/delete", methods=["GET", "POST"])
def delete_task(task_id: int):
    """Asks first (GET), deletes on the answer (POST)."""
    task = get_scoped_or_404(ImprovementTask, task_id, edit=True)
    if request.method == "GET":
        return render_template(
            "service_blueprints/confirm.html",
            title=_("Delete the task “%(title)s”?", title=task.title),
            message=_(
                "The task, its scores and its links to insights and steps are deleted; "
                "the insights and steps stay."
            ),
            cancel=url_for(".task", task_id=task.id),
        )
    services.delete_task(task)
    db.session.commit()
    flash(_("Task deleted."), "success")
    return redirect(url_for(".index"))


@bp.post("/tasks/quick")
def quick_task():
    """One click: a task prefilled from an insight, a root cause or a health finding, with
    the insights it addresses and the suggested impact."""
    workspace = require_current_workspace(edit=True)
    title, insight_ids, targets = _quick_source(workspace.id, request.form.get("source"))
    suggestion = queries.suggestion_for(workspace.id, insight_ids, targets)
    task = services.save_task(
        ImprovementTask(workspace_id=workspace.id),
        # no pain addressed: the form's middle impact, for the team to set
        {"title": title[:200], "impact": suggestion.impact or 3, "effort": 3},
        insight_ids or list(suggestion.insights),  # a cause addresses every pain above it
        targets,
    )
    db.session.commit()
    if suggestion.impact is None:
        message = _(
            "Task created. %(explanation)s Set its impact and effort next.",
            explanation=explain(suggestion),
        )
    else:
        message = _(
            "Task created with the suggested impact %(impact)s: %(explanation)s Set its "
            "effort next.",
            impact=suggestion.impact,
            explanation=explain(suggestion),
        )
    flash(message, "success")
    return redirect(url_for(".edit_task", task_id=task.id))


def _quick_source(workspace_id: int, source: str | None) -> tuple[str, list[int], list[int]]:
    """(title, insights addressed, targets) of a one-click task, from the posted source."""
    if source == "insight":
        insight = get_scoped_or_404(
            Insight, id_or_none(request.form.get("insight_id")) or 0, edit=True
        )
        targets = queries.confirmed_cause_ids(insight.id) or (
            [insight.element_id] if insight.element_id else []
        )
        return _("Fix: %(title)s", title=insight.title), [insight.id], targets
    if source not in ("cause", "finding"):
        abort(400)
    ids = [i for i in map(id_or_none, request.form.getlist("element_id")) if i][:20]
    if not ids:
        abort(400)
    elements = db.session.scalars(
        select(Element).where(Element.id.in_(ids), Element.workspace_id == workspace_id)
    ).all()
    if len(elements) != len(set(ids)):
        abort(404)
    names = ", ".join(e.title for e in elements)
    kind = FINDING_KINDS.get(request.form.get("kind", ""))
    if source == "cause":
        title = _("Fix %(names)s", names=names)
    else:
        finding = _(kind) if kind else _("Finding")
        title = _("%(finding)s: %(names)s", finding=finding, names=names)
    return title, [], [e.id for e in elements]

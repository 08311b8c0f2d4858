"""Verbs that change insights, tasks and backlog settings. Flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, insert, select

from accounts import audit
from backlog import scoring
from backlog.models import (
    BacklogSettings,
    ConfirmedCause,
    ImprovementTask,
    Insight,
    TaskStatus,
    WhyStep,
    task_insight,
    task_target,
)
from blueprint.models import Element, ServiceBlueprint
from blueprint.services import BlueprintError, check_title
from extensions import db


class BacklogError(BlueprintError):
    """A rule of the backlog was broken; `field` names the form field to blame."""


def _title(value: str | None, field: str = "title") -> str:
    return check_title(value, field)


def _in_workspace(model, ids: Iterable[int], workspace_id: int, field: str) -> list[int]:
    ids = sorted(set(ids))
    if not ids:
        return []
    found = set(
        db.session.scalars(
            select(model.id).where(model.id.in_(ids), model.workspace_id == workspace_id)
        )
    )
    if found != set(ids):
        raise BacklogError(_("Choose from this workspace only."), field)
    return ids


# --- insights ------------------------------------------------------------------------------

INSIGHT_FIELDS = (
    "kind",
    "title",
    "description",
    "severity",
    "frequency",
    "evidence_source",
    "evidence_reference",
    "observed_on",
    "blueprint_id",
    "element_id",
)


def save_insight(insight: Insight, values: Mapping[str, Any]) -> Insight:
    """Create or update an insight. An element fixes the blueprint (the element's own)."""
    values = dict(values)
    values["title"] = _title(values.get("title"))
    for field in ("severity", "frequency"):
        if values.get(field) is None or not 1 <= values[field] <= 5:
            raise BacklogError(_("Choose 1 to 5."), field)
    if values.get("element_id"):
        element = db.session.get(Element, values["element_id"])
        if element is None or element.workspace_id != insight.workspace_id:
            raise BacklogError(_("Choose an element of this workspace."), "element_id")
        if element.blueprint_id is not None:
            values["blueprint_id"] = element.blueprint_id
    if values.get("blueprint_id"):
        _in_workspace(
            ServiceBlueprint, [values["blueprint_id"]], insight.workspace_id, "blueprint_id"
        )
    for field in INSIGHT_FIELDS:
        if field in values:
            value = values[field]
            if field in ("description", "evidence_reference") and value is None:
                value = ""
            setattr(insight, field, value)
    db.session.add(insight)
    db.session.flush()
    return insight


def delete_insight(insight: Insight) -> None:
    db.session.delete(insight)
    db.session.flush()


def record_confirmed_causes(insight: Insight, before: list[str], after: list[str]) -> None:
    """The audit event of an insight whose confirmed causes went from `before` to `after`
    (element titles, sorted)."""
    audit.record(
        insight.workspace_id,
        "update",
        "insight",
        insight.id,
        insight.title,
        {"confirmed_causes": ["; ".join(before), "; ".join(after)]},
        blueprint_id=insight.blueprint_id,
    )


def set_confirmed_causes(
    insight: Insight, element_ids: Iterable[int], candidates: Iterable[int]
) -> None:
    """Confirm exactly `element_ids` as causes; each must be a candidate of the trace."""
    chosen, allowed = set(element_ids), set(candidates)
    if not chosen <= allowed:
        raise BacklogError(_("Confirm only elements the insight's element relies on."), "causes")
    before = _titles(
        select(ConfirmedCause.element_id).where(ConfirmedCause.insight_id == insight.id)
    )
    db.session.execute(delete(ConfirmedCause).where(ConfirmedCause.insight_id == insight.id))
    after = _titles(chosen)
    if before != after:
        record_confirmed_causes(insight, before, after)
    if chosen:
        db.session.execute(
            insert(ConfirmedCause),
            [
                {"workspace_id": insight.workspace_id, "insight_id": insight.id, "element_id": e}
                for e in sorted(chosen)
            ],
        )
    db.session.flush()


def add_why(insight: Insight, answer: str, element_id: int | None) -> WhyStep:
    answer = (answer or "").strip()
    if not answer:
        raise BacklogError(_("Write the answer to 'why?'."), "answer")
    if len(answer) > 500:
        raise BacklogError(_("At most 500 characters."), "answer")
    if element_id:
        _in_workspace(Element, [element_id], insight.workspace_id, "element_id")
    last = db.session.scalar(
        select(func.max(WhyStep.position)).where(WhyStep.insight_id == insight.id)
    )
    step = WhyStep(
        workspace_id=insight.workspace_id,
        insight_id=insight.id,
        answer=answer,
        element_id=element_id or None,
        position=(last or 0) + 1,
    )
    db.session.add(step)
    db.session.flush()
    return step


def delete_why(step: WhyStep) -> None:
    db.session.delete(step)
    db.session.flush()


# --- tasks -----------------------------------------------------------------------------------

TASK_FIELDS = (
    "title", "description", "status", "owner_id", "team", "due_on", "horizon", "moscow",
    "pinned", "impact", "effort", *scoring.TASK_INPUT_COLUMNS,
)  # fmt: skip


def framework_inputs(task: Any, framework: str) -> dict[str, Any] | None:
    """The task's inputs for `framework`, or None when any is missing (unscored)."""
    inputs = {i.name: getattr(task, i.column) for i in scoring.FRAMEWORKS[framework].inputs}
    return None if any(v is None for v in inputs.values()) else inputs


def task_score(task: Any, framework: str) -> float | None:
    """The task's exact score, or None (unscored) when an input is missing or no longer
    fits the framework's rules (a row saved before the inputs were bounded)."""
    inputs = framework_inputs(task, framework)
    if inputs is None:
        return None
    try:
        return scoring.score(framework, inputs)
    except scoring.ScoringError:
        return None


def check_task_inputs(values: dict[str, Any]) -> None:
    """Every given input must be valid for the framework it feeds; the error names the form
    field (the task column)."""
    for framework in scoring.FRAMEWORKS.values():
        for entry in framework.inputs:
            if values.get(entry.column) is None:
                continue
            try:
                entry.check(values[entry.column])
            except scoring.ScoringError as exc:
                raise BacklogError(scoring_message(entry.column, exc), entry.column) from exc


# The task columns as a scoring rule's message names them ("Ice ease must be …").
INPUT_NAMES = {
    "impact": _l("Impact"),
    "effort": _l("Effort"),
    "reach": _l("Reach"),
    "rice_impact": _l("Rice impact"),
    "confidence": _l("Confidence"),
    "effort_months": _l("Effort months"),
    "ice_impact": _l("Ice impact"),
    "ice_confidence": _l("Ice confidence"),
    "ice_ease": _l("Ice ease"),
    "business_value": _l("Business value"),
    "time_criticality": _l("Time criticality"),
    "risk_reduction": _l("Risk reduction"),
    "job_size": _l("Job size"),
}


def scoring_message(column: str, exc: scoring.ScoringError) -> str:
    """A scoring rule's message in the user's language, naming the column's input."""
    name = INPUT_NAMES.get(column) or column.replace("_", " ").capitalize()
    params = {
        k: format_decimal(v) if isinstance(v, int | float) else v for k, v in exc.params.items()
    }
    return _("%(field)s %(problem)s.", field=name, problem=_(exc.template, **params))


def save_task(
    task: ImprovementTask,
    values: Mapping[str, Any],
    insight_ids: Iterable[int] | None = None,
    target_ids: Iterable[int] | None = None,
) -> ImprovementTask:
    values = dict(values)
    values["title"] = _title(values.get("title"))
    check_task_inputs({**{f: getattr(task, f, None) for f in TASK_FIELDS}, **values})
    for field in TASK_FIELDS:
        if field in values:
            value = values[field]
            if field in ("description", "team") and value is None:
                value = ""
            setattr(task, field, value)
    if task.impact is None:
        task.impact = 3
    if task.effort is None:
        task.effort = 3
    db.session.add(task)
    db.session.flush()
    links: dict[str, list[str]] = {}
    if insight_ids is not None:
        ids = _in_workspace(Insight, insight_ids, task.workspace_id, "insight_ids")
        old = _titles(select(task_insight.c.insight_id).where(task_insight.c.task_id == task.id),
                      Insight)  # fmt: skip
        db.session.execute(delete(task_insight).where(task_insight.c.task_id == task.id))
        if ids:
            db.session.execute(
                insert(task_insight), [{"task_id": task.id, "insight_id": i} for i in ids]
            )
        if old != (new := _titles(ids, Insight)):
            links["insights"] = ["; ".join(old), "; ".join(new)]
    if target_ids is not None:
        ids = _in_workspace(Element, target_ids, task.workspace_id, "target_ids")
        old = _titles(select(task_target.c.element_id).where(task_target.c.task_id == task.id))
        db.session.execute(delete(task_target).where(task_target.c.task_id == task.id))
        if ids:
            db.session.execute(
                insert(task_target), [{"task_id": task.id, "element_id": e} for e in ids]
            )
        if old != (new := _titles(ids)):
            links["targets"] = ["; ".join(old), "; ".join(new)]
    if links:  # link tables are written in bulk, which the audit hook does not see
        audit.record(task.workspace_id, "update", "improvement_task", task.id, task.title, links)
    db.session.flush()
    return task


def set_impact(task: ImprovementTask, impact: int) -> ImprovementTask:
    """Set the task's impact (1–5): the suggestion from the graph, accepted."""
    if not 1 <= impact <= 5:
        raise BacklogError(_("Choose 1 to 5."), "impact")
    task.impact = impact
    db.session.flush()
    return task


def _titles(ids, model=Element) -> list[str]:
    """Sorted titles of the rows `ids` (a collection or a select of ids) names."""
    if not isinstance(ids, Select) and not ids:
        return []
    return sorted(db.session.scalars(select(model.title).where(model.id.in_(ids))))


def delete_task(task: ImprovementTask) -> None:
    db.session.delete(task)
    db.session.flush()


def set_status(tasks: Iterable[ImprovementTask], status: TaskStatus) -> int:
    changed = 0
    for task in tasks:
        if task.status is not status:
            task.status = status
            changed += 1
    db.session.flush()
    return changed


def settings_for(workspace_id: int) -> BacklogSettings:
    settings = db.session.get(BacklogSettings, workspace_id)
    if settings is None:
        settings = BacklogSettings(
            workspace_id=workspace_id, framework="value_effort", quadrant_threshold=3
        )
    return settings


def save_settings(workspace_id: int, framework: str, threshold: int) -> BacklogSettings:
    if framework not in scoring.FRAMEWORKS:
        raise BacklogError(_("Choose one of the frameworks."), "framework")
    if not 1 <= threshold <= 5:
        raise BacklogError(_("Choose 1 to 5."), "quadrant_threshold")
    settings = settings_for(workspace_id)
    settings.framework = framework
    settings.quadrant_threshold = threshold
    db.session.add(settings)
    db.session.flush()
    return settings

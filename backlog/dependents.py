"""What the backlog keeps at elements, for the blueprint's delete pages (blueprint.dependents):
the insights seen there, with their why-chains, confirmed causes and the tasks addressing
them. Deleting elements detaches those insights (they stay on the blueprint, no longer at
the step) or deletes them, and records in the audit trail what the database's cascades
would otherwise remove unseen: task links, confirmed causes, why answers."""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from sqlalchemy import func, select

from accounts import audit
from backlog.models import (
    ConfirmedCause,
    ImprovementTask,
    Insight,
    WhyStep,
    task_insight,
    task_target,
)
from blueprint.dependents import Dependent
from blueprint.models import Element
from extensions import db


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def find(element_ids: list[int]) -> list[Dependent]:
    """The insights at these elements, each with what goes or stays with it (4 queries)."""
    insights = db.session.scalars(
        select(Insight)
        .where(Insight.element_id.in_(element_ids))
        .order_by(Insight.title, Insight.id)
    ).all()
    if not insights:
        return []
    ids = [i.id for i in insights]
    whys = dict(
        db.session.execute(
            select(WhyStep.insight_id, func.count())
            .where(WhyStep.insight_id.in_(ids))
            .group_by(WhyStep.insight_id)
        ).all()
    )
    causes = dict(
        db.session.execute(
            select(ConfirmedCause.insight_id, func.count())
            .where(ConfirmedCause.insight_id.in_(ids))
            .group_by(ConfirmedCause.insight_id)
        ).all()
    )
    tasks: dict[int, list[str]] = defaultdict(list)
    for insight_id, title in db.session.execute(
        select(task_insight.c.insight_id, ImprovementTask.title)
        .join(ImprovementTask, ImprovementTask.id == task_insight.c.task_id)
        .where(task_insight.c.insight_id.in_(ids))
        .order_by(ImprovementTask.title)
    ):
        tasks[insight_id].append(title)
    found = []
    for insight in insights:
        details = []
        if whys.get(insight.id):
            details.append(_plural(whys[insight.id], "why answer"))
        if causes.get(insight.id):
            details.append(_plural(causes[insight.id], "confirmed cause"))
        if tasks[insight.id]:
            details.append("addressed by " + ", ".join(tasks[insight.id]))
        found.append(
            Dependent(
                f"{insight.kind.label}: {insight.title}",
                url_for("backlog.insight", insight_id=insight.id),
                tuple(details),
            )
        )
    return found


def release(element_ids: list[int], keep: bool) -> None:
    """Before `element_ids` are deleted: detach their insights (`keep`) or delete them, and
    record every task link and confirmed cause that goes with the elements or the insights.
    Called inside the deleting transaction; flushes, never commits."""
    ids = set(element_ids)
    insights = db.session.scalars(select(Insight).where(Insight.element_id.in_(ids))).all()
    doomed = set() if keep else {i.id for i in insights}
    _record_task_links(ids, doomed)
    _record_confirmed_causes(ids, doomed)
    for step in db.session.scalars(
        select(WhyStep).where(WhyStep.element_id.in_(ids), WhyStep.insight_id.not_in(doomed))
    ):
        step.element_id = None  # the answer stays; what it pointed at goes
    if keep:
        for insight in insights:
            insight.element_id = None  # stays on its blueprint, no longer at the step
    else:
        for step in db.session.scalars(select(WhyStep).where(WhyStep.insight_id.in_(doomed))):
            db.session.delete(step)
        db.session.flush()
        for insight in insights:
            db.session.delete(insight)
    db.session.flush()


def _titles(model, ids) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.title).where(model.id.in_(ids))).all())


def _record_task_links(element_ids: set[int], insight_ids: set[int]) -> None:
    """One update event per task whose insights or targets lose rows."""
    addressed = (
        db.session.execute(
            select(task_insight.c.task_id, task_insight.c.insight_id).where(
                task_insight.c.task_id.in_(
                    select(task_insight.c.task_id).where(task_insight.c.insight_id.in_(insight_ids))
                )
            )
        ).all()
        if insight_ids
        else []
    )
    targeted = db.session.execute(
        select(task_target.c.task_id, task_target.c.element_id).where(
            task_target.c.task_id.in_(
                select(task_target.c.task_id).where(task_target.c.element_id.in_(element_ids))
            )
        )
    ).all()
    insight_titles = _titles(Insight, {i for _, i in addressed})
    element_titles = _titles(Element, {e for _, e in targeted})
    before: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"insights": [], "targets": []})
    after: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"insights": [], "targets": []})
    for task_id, insight_id in addressed:
        before[task_id]["insights"].append(insight_titles[insight_id])
        if insight_id not in insight_ids:
            after[task_id]["insights"].append(insight_titles[insight_id])
    for task_id, element_id in targeted:
        before[task_id]["targets"].append(element_titles[element_id])
        if element_id not in element_ids:
            after[task_id]["targets"].append(element_titles[element_id])
    tasks = db.session.scalars(select(ImprovementTask).where(ImprovementTask.id.in_(before))).all()
    for task in tasks:
        changes = {}
        for name in ("insights", "targets"):
            old, new = sorted(before[task.id][name]), sorted(after[task.id][name])
            if old != new:
                changes[name] = ["; ".join(old), "; ".join(new)]
        if changes:
            audit.record(
                task.workspace_id, "update", "improvement_task", task.id, task.title, changes
            )


def _record_confirmed_causes(element_ids: set[int], insight_ids: set[int]) -> None:
    """One update event per insight whose confirmed causes lose rows: the deleted insights'
    own, and other insights' causes among the deleted elements."""
    rows = db.session.execute(
        select(ConfirmedCause.insight_id, ConfirmedCause.element_id).where(
            ConfirmedCause.insight_id.in_(
                select(ConfirmedCause.insight_id).where(
                    ConfirmedCause.element_id.in_(element_ids)
                    | ConfirmedCause.insight_id.in_(insight_ids)
                )
            )
        )
    ).all()
    if not rows:
        return
    titles = _titles(Element, {e for _, e in rows})
    before: dict[int, list[str]] = defaultdict(list)
    after: dict[int, list[str]] = defaultdict(list)
    for insight_id, element_id in rows:
        before[insight_id].append(titles[element_id])
        if element_id not in element_ids and insight_id not in insight_ids:
            after[insight_id].append(titles[element_id])
    for insight in db.session.scalars(select(Insight).where(Insight.id.in_(before))).all():
        old, new = sorted(before[insight.id]), sorted(after[insight.id])
        if old != new:
            audit.record(
                insight.workspace_id,
                "update",
                "insight",
                insight.id,
                insight.title,
                {"confirmed_causes": ["; ".join(old), "; ".join(new)]},
                blueprint_id=insight.blueprint_id,
            )

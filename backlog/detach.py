"""What a workbook update that removes steps lets go of, so nothing else goes with them:
insights at a removed step stay on its blueprint without a step, tasks lose it as a target,
insights lose it as a confirmed cause. Registered as a detacher (blueprint.pains)."""

from __future__ import annotations

from sqlalchemy import delete, select

from accounts import audit
from backlog.models import ConfirmedCause, ImprovementTask, Insight, task_target
from blueprint.models import Element
from extensions import db


def describe(element_ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for element_id, title in db.session.execute(
        select(Insight.element_id, Insight.title)
        .where(Insight.element_id.in_(element_ids))
        .order_by(Insight.id)
    ):
        out.setdefault(element_id, []).append(
            f"insight “{title}” stays on the blueprint, without a step"
        )
    for element_id, title in db.session.execute(
        select(task_target.c.element_id, ImprovementTask.title)
        .join(ImprovementTask, ImprovementTask.id == task_target.c.task_id)
        .where(task_target.c.element_id.in_(element_ids))
        .order_by(ImprovementTask.id)
    ):
        out.setdefault(element_id, []).append(f"task “{title}” no longer targets it")
    for element_id, title in db.session.execute(
        select(ConfirmedCause.element_id, Insight.title)
        .join(Insight, Insight.id == ConfirmedCause.insight_id)
        .where(ConfirmedCause.element_id.in_(element_ids))
        .order_by(Insight.id)
    ):
        out.setdefault(element_id, []).append(
            f"insight “{title}” no longer has it as a confirmed cause"
        )
    return out


def detach(blueprint_id: int, element_ids: list[int]) -> None:
    """Through the session where the audit hook sees it; link rows are bulk, so recorded."""
    for insight in db.session.scalars(select(Insight).where(Insight.element_id.in_(element_ids))):
        insight.element_id = None
        insight.blueprint_id = blueprint_id
    titles = {
        element_id: title
        for element_id, title in db.session.execute(
            select(Element.id, Element.title).where(Element.id.in_(element_ids))
        )
    }
    _unlink(task_target, task_target.c.task_id, task_target.c.element_id, element_ids, titles)
    for cause in db.session.scalars(
        select(ConfirmedCause).where(ConfirmedCause.element_id.in_(element_ids))
    ):
        insight = db.session.get(Insight, cause.insight_id)
        audit.record(
            insight.workspace_id,
            "update",
            "insight",
            insight.id,
            insight.title,
            {"causes": [titles.get(cause.element_id, ""), ""]},
            insight.blueprint_id,
        )
    db.session.execute(delete(ConfirmedCause).where(ConfirmedCause.element_id.in_(element_ids)))
    db.session.flush()


def _unlink(table, owner_column, element_column, element_ids, titles) -> None:
    rows = db.session.execute(
        select(owner_column, element_column).where(element_column.in_(element_ids))
    ).all()
    for task_id, element_id in rows:
        task = db.session.get(ImprovementTask, task_id)
        audit.record(
            task.workspace_id,
            "update",
            "improvement_task",
            task.id,
            task.title,
            {"targets": [titles.get(element_id, ""), ""]},
        )
    db.session.execute(delete(table).where(element_column.in_(element_ids)))

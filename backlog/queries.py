"""Read-side queries of the backlog pages: a fixed number of SQL statements each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Bundle

from accounts.models import User
from backlog import scoring
from backlog.impact import Suggestion, suggest
from backlog.models import (
    ConfirmedCause,
    ImprovementTask,
    Insight,
    InsightKind,
    TaskStatus,
    task_insight,
    task_target,
)
from backlog.services import task_score
from blueprint.models import BlueprintState, Element, ServiceBlueprint
from blueprint.root_causes import workspace_root_causes
from extensions import db

OPEN_STATUSES = (TaskStatus.IDEA, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


def _pain_of_insight():
    return func.coalesce(
        func.sum(Insight.severity * Insight.frequency).filter(
            Insight.kind == InsightKind.PAIN_POINT
        ),
        0,
    )


@dataclass
class TaskRow:
    task: ImprovementTask
    owner_name: str | None
    pain: int
    score: float | None
    quadrant: str

    @property
    def overdue(self) -> bool:
        return (
            self.task.due_on is not None
            and self.task.due_on < date.today()
            and self.task.status in OPEN_STATUSES
        )


def task_rows(
    workspace_id: int,
    framework: str,
    threshold: int,
    *,
    status: TaskStatus | None = None,
    owner_id: int | None = None,
    blueprint_id: int | None = None,
    quadrant: str | None = None,
    horizon: Any = None,
    overdue: bool = False,
    q: str | None = None,
    today: date | None = None,
    light: bool = False,
) -> tuple[list[TaskRow], list[TaskRow]]:
    """(ranked, unscored) for the backlog, in priority order: pinned tasks first, then the
    exact score under `framework`, then the pain addressed, then age (oldest first).
    Tasks without the framework's inputs are listed apart as unscored, never ranked as 0.

    `light`: each row's `task` is a plain row holding only what the order needs (id,
    pinned, age, impact, effort and the framework's inputs), for callers that fetch the
    rest in chunks and must not hold every task in memory (the Excel export)."""
    pain = (
        select(task_insight.c.task_id, _pain_of_insight().label("pain"))
        .join(Insight, Insight.id == task_insight.c.insight_id)
        .group_by(task_insight.c.task_id)
        .subquery()
    )
    entity = (
        Bundle("task", *(getattr(ImprovementTask, c) for c in ORDER_COLUMNS[framework]))
        if light
        else ImprovementTask
    )
    stmt = (
        select(entity, User.name, pain.c.pain)
        .outerjoin(User, User.id == ImprovementTask.owner_id)
        .outerjoin(pain, pain.c.task_id == ImprovementTask.id)
        .where(ImprovementTask.workspace_id == workspace_id)
    )
    if status:
        stmt = stmt.where(ImprovementTask.status == status)
    if owner_id:
        stmt = stmt.where(ImprovementTask.owner_id == owner_id)
    if horizon:
        stmt = stmt.where(ImprovementTask.horizon == horizon)
    if overdue:
        stmt = stmt.where(
            ImprovementTask.due_on < (today or date.today()),
            ImprovementTask.status.in_(OPEN_STATUSES),
        )
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(ImprovementTask.title.ilike(f"%{escaped}%", escape="\\"))
    if blueprint_id:
        in_targets = exists().where(
            task_target.c.task_id == ImprovementTask.id,
            task_target.c.element_id == Element.id,
            Element.blueprint_id == blueprint_id,
        )
        in_insights = exists().where(
            task_insight.c.task_id == ImprovementTask.id,
            task_insight.c.insight_id == Insight.id,
            Insight.blueprint_id == blueprint_id,
        )
        stmt = stmt.where(or_(in_targets, in_insights))
    ranked, unscored = [], []
    for task, owner_name, task_pain in db.session.execute(stmt):
        row = TaskRow(
            task,
            owner_name,
            int(task_pain or 0),
            task_score(task, framework),
            scoring.quadrant(task.impact, task.effort, threshold),
        )
        if quadrant and row.quadrant != quadrant:
            continue
        (unscored if row.score is None else ranked).append(row)
    ranked.sort(key=priority_key)
    unscored.sort(key=lambda r: (not r.task.pinned, -r.pain, r.task.created_at, r.task.id))
    return ranked, unscored


ORDER_COLUMNS = {
    f.name: ("id", "pinned", "created_at", "impact", "effort")
    + tuple(c for c in f.columns if c not in ("impact", "effort"))
    for f in scoring.FRAMEWORKS.values()
}


def priority_key(row: TaskRow):
    return (not row.task.pinned, -row.score, -row.pain, row.task.created_at, row.task.id)


@dataclass
class InsightRow:
    insight: Insight
    element_title: str | None
    blueprint_name: str | None
    causes: int


def insight_rows(
    workspace_id: int,
    *,
    kind: InsightKind | None = None,
    min_severity: int | None = None,
    source: Any = None,
    blueprint_id: int | None = None,
    has_cause: bool | None = None,
) -> list[InsightRow]:
    causes = (
        select(ConfirmedCause.insight_id, func.count().label("n"))
        .group_by(ConfirmedCause.insight_id)
        .subquery()
    )
    stmt = (
        select(Insight, Element.title, ServiceBlueprint.name, causes.c.n)
        .outerjoin(Element, Element.id == Insight.element_id)
        .outerjoin(ServiceBlueprint, ServiceBlueprint.id == Insight.blueprint_id)
        .outerjoin(causes, causes.c.insight_id == Insight.id)
        .where(Insight.workspace_id == workspace_id)
        .order_by(
            (Insight.severity * Insight.frequency).desc(), Insight.created_at.desc(), Insight.id
        )
    )
    if kind:
        stmt = stmt.where(Insight.kind == kind)
    if min_severity:
        stmt = stmt.where(Insight.severity >= min_severity)
    if source:
        stmt = stmt.where(Insight.evidence_source == source)
    if blueprint_id:
        stmt = stmt.where(Insight.blueprint_id == blueprint_id)
    if has_cause is True:
        stmt = stmt.where(causes.c.n > 0)
    elif has_cause is False:
        stmt = stmt.where(causes.c.n.is_(None))
    return [InsightRow(i, e, b, n or 0) for i, e, b, n in db.session.execute(stmt)]


def addressed(task: ImprovementTask) -> tuple[list[Insight], list[Element]]:
    insights = list(
        db.session.scalars(
            select(Insight)
            .join(task_insight, task_insight.c.insight_id == Insight.id)
            .where(task_insight.c.task_id == task.id)
            .order_by(Insight.id)
        )
    )
    targets = list(
        db.session.scalars(
            select(Element)
            .join(task_target, task_target.c.element_id == Element.id)
            .where(task_target.c.task_id == task.id)
            .order_by(Element.id)
        )
    )
    return insights, targets


def pain_insights(workspace_id: int) -> list[tuple[int, int | None, int | None, int]]:
    """(insight id, element id, blueprint id, weight) of every current pain-point insight."""
    return [
        tuple(r)
        for r in db.session.execute(
            select(
                Insight.id,
                Insight.element_id,
                Insight.blueprint_id,
                Insight.severity * Insight.frequency,
            )
            .outerjoin(ServiceBlueprint, ServiceBlueprint.id == Insight.blueprint_id)
            .where(
                Insight.workspace_id == workspace_id,
                Insight.kind == InsightKind.PAIN_POINT,
                or_(
                    ServiceBlueprint.state.is_(None),
                    ServiceBlueprint.state != BlueprintState.FUTURE,
                ),
            )
        )
    ]


def suggestion_for(workspace_id: int, insight_ids, target_ids) -> Suggestion:
    """The suggested impact of a task addressing `insight_ids` and changing `target_ids`."""
    causes = workspace_root_causes(workspace_id)
    largest = causes.ranking[0].score if causes.ranking else 0.0
    return suggest(causes.graph, pain_insights(workspace_id), insight_ids, target_ids, largest)


def confirmed_cause_ids(insight_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ConfirmedCause.element_id).where(ConfirmedCause.insight_id == insight_id)
        )
    )


def member_choices_all() -> list[tuple[int, str]]:
    """Every user's id and name (owners may have left the workspace since)."""
    return [(uid, name) for uid, name in db.session.execute(select(User.id, User.name))]

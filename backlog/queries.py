"""Read-side queries of the backlog pages: a fixed number of SQL statements each."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Bundle

from accounts.models import User
from backlog import ordering, scoring
from backlog.impact import PainIndex, Suggestion, suggest
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
from blueprint.graph_cache import derived
from blueprint.models import BlueprintState, Element, ServiceBlueprint
from blueprint.root_causes import workspace_root_causes
from extensions import db
from web.i18n import local_today

OPEN_STATUSES = (TaskStatus.IDEA, TaskStatus.PLANNED, TaskStatus.IN_PROGRESS)


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
            and self.task.due_on < local_today()
            and self.task.status in OPEN_STATUSES
        )


@dataclass
class BacklogPage:
    """One page of the backlog: the ranked tasks, then the unscored ones after them, in one
    order of `ranked_total + unscored_total` positions cut into pages."""

    ranked: list[TaskRow]  # the ranked tasks on this page, best first
    unscored: list[TaskRow]  # the unscored tasks on this page
    first_rank: int  # the rank of `ranked[0]`
    page: int
    pages: int
    ranked_total: int
    unscored_total: int


def _pain(workspace_id: int):
    """Task id → the pain it addresses (Σ severity × frequency of its pain-point insights),
    read from the workspace's own insights only."""
    return (
        select(task_insight.c.task_id, func.sum(Insight.severity * Insight.frequency).label("pain"))
        .join(Insight, Insight.id == task_insight.c.insight_id)
        .where(Insight.workspace_id == workspace_id, Insight.kind == InsightKind.PAIN_POINT)
        .group_by(task_insight.c.task_id)
        .subquery()
    )


def _conditions(
    workspace_id: int,
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
) -> list:
    """The backlog's filters as WHERE conditions, the workspace first."""
    where = [ImprovementTask.workspace_id == workspace_id]
    if status:
        where.append(ImprovementTask.status == status)
    if owner_id:
        where.append(ImprovementTask.owner_id == owner_id)
    if horizon:
        where.append(ImprovementTask.horizon == horizon)
    if quadrant:
        where.append(ordering.in_quadrant(quadrant, threshold))
    if overdue:
        where.append(ImprovementTask.due_on < (today or local_today()))
        where.append(ImprovementTask.status.in_(OPEN_STATUSES))
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(ImprovementTask.title.ilike(f"%{escaped}%", escape="\\"))
    if blueprint_id:
        in_targets = exists().where(
            task_target.c.task_id == ImprovementTask.id,
            task_target.c.element_id == Element.id,
            Element.blueprint_id == blueprint_id,
            Element.workspace_id == workspace_id,
        )
        in_insights = exists().where(
            task_insight.c.task_id == ImprovementTask.id,
            task_insight.c.insight_id == Insight.id,
            Insight.blueprint_id == blueprint_id,
            Insight.workspace_id == workspace_id,
        )
        where.append(or_(in_targets, in_insights))
    return where


def _in_order(workspace_id: int, framework: str, entity, where: list):
    """SELECT entity, pain, score in backlog order: the ranked tasks (pinned
    first, then the exact score, the pain addressed, age), then the unscored ones (pinned
    first, then pain and age); ties end at the id."""
    pain = _pain(workspace_id)
    score = ordering.score(framework).label("score")
    pain_of = func.coalesce(pain.c.pain, 0)
    return (
        select(entity, pain_of, score)
        .outerjoin(pain, pain.c.task_id == ImprovementTask.id)
        .where(*where)
        .order_by(
            score.is_(None),
            ImprovementTask.pinned.desc(),
            score.desc(),
            pain_of.desc(),
            ImprovementTask.created_at,
            ImprovementTask.id,
        )
    )


def _rows(result, framework: str, threshold: int, *, names: bool = True) -> list[TaskRow]:
    """TaskRows of (task, pain, score) rows; with `names`, the owners' names in one query
    (not joined into the ordering query, which would read every user to sort the tasks)."""
    found = result.all()
    owners = {}
    if names:
        ids = {task.owner_id for task, _pain, _score in found if task.owner_id}
        owners = (
            dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
            if ids
            else {}
        )
    return [
        TaskRow(
            task,
            owners.get(getattr(task, "owner_id", None)),
            int(pain or 0),
            task_score(task, framework),
            scoring.quadrant(task.impact, task.effort, threshold),
        )
        for task, pain, _score in found
    ]


def task_rows(
    workspace_id: int, framework: str, threshold: int, *, light: bool = False, **filters
) -> tuple[list[TaskRow], list[TaskRow]]:
    """(ranked, unscored): every task of the backlog that passes `filters` (those of
    `_conditions`), in priority order: pinned tasks first, then the exact score under
    `framework`, then the pain addressed, then age (oldest first). Tasks without the
    framework's inputs are listed apart as unscored, never ranked as 0. One query, ordered
    by the database. Pages use `backlog_page`, which makes objects of one page only.

    `light`: each row's `task` is a plain row holding only what the order needs (id,
    pinned, age, impact, effort and the framework's inputs), for callers that fetch the
    rest in chunks and must not hold every task in memory (the Excel export)."""
    entity = (
        Bundle("task", *(getattr(ImprovementTask, c) for c in ORDER_COLUMNS[framework]))
        if light
        else ImprovementTask
    )
    where = _conditions(workspace_id, threshold, **filters)
    rows = _rows(
        db.session.execute(_in_order(workspace_id, framework, entity, where)),
        framework,
        threshold,
        names=not light,
    )
    ranked = [r for r in rows if r.score is not None]
    return ranked, rows[len(ranked) :]


def task_stream(
    workspace_id: int,
    framework: str,
    threshold: int,
    columns: Sequence[str],
    *,
    chunk: int = 1000,
    **filters,
) -> tuple[int, Iterator[tuple[tuple, int, float | None, str]]]:
    """`task_rows`' order streamed: (how many tasks, the rows), the ranked first. Each
    row is (the task's `columns` as a plain tuple, pain addressed, exact score or None,
    quadrant), fetched `chunk` rows at a time by one query ordered by the database, and no
    row is kept: the Excel export holds one chunk, never the backlog. Two queries."""
    where = _conditions(workspace_id, threshold, **filters)
    total = db.session.scalar(select(func.count()).where(*where)) or 0
    needed = list(dict.fromkeys((*columns, *ORDER_COLUMNS[framework])))
    entity = Bundle("task", *(getattr(ImprovementTask, c) for c in needed))
    stmt = _in_order(workspace_id, framework, entity, where).execution_options(yield_per=chunk)
    shown = len(columns)

    def rows():
        for task, pain, _score in db.session.execute(stmt):
            yield (
                tuple(task)[:shown],
                int(pain or 0),
                task_score(task, framework),
                scoring.quadrant(task.impact, task.effort, threshold),
            )

    return total, rows()


def backlog_page(
    workspace_id: int, framework: str, threshold: int, page: int, size: int, **filters
) -> BacklogPage:
    """Page `page` (from 1; past the end, the last) of `task_rows`' order, ranked tasks
    then unscored ones: two queries (how many of each, then the page), and only the page's
    tasks become objects."""
    where = _conditions(workspace_id, threshold, **filters)
    score = ordering.score(framework)
    ranked_total, unscored_total = db.session.execute(
        select(func.count().filter(score.is_not(None)), func.count().filter(score.is_(None))).where(
            *where
        )
    ).one()
    ranked_total, unscored_total = ranked_total or 0, unscored_total or 0
    pages = max(1, math.ceil((ranked_total + unscored_total) / size))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    stmt = _in_order(workspace_id, framework, ImprovementTask, where).limit(size).offset(start)
    rows = _rows(db.session.execute(stmt), framework, threshold)
    ranked = [r for r in rows if r.score is not None]
    return BacklogPage(
        ranked,
        rows[len(ranked) :],
        start + 1,
        page,
        pages,
        ranked_total,
        unscored_total,
    )


MATRIX_POINTS = 500  # the matrix draws the first tasks of the order, and says how many more


@dataclass(frozen=True)
class MatrixRows:
    ranked: list[Any]
    unscored: list[Any]
    total: int  # every task that passes the filters, drawn or not


def matrix_rows(
    workspace_id: int, framework: str, threshold: int, limit: int | None = None, **filters
) -> MatrixRows:
    """The first `limit` (MATRIX_POINTS) tasks as `task_rows` orders them (ranked, then
    unscored), for the impact/effort matrix, and how many pass the filters: plain rows whose
    `task` holds id, title, impact and effort (no objects; two queries, the order's rows
    past `limit` never leave the database)."""
    task = Bundle(
        "task",
        ImprovementTask.id,
        ImprovementTask.title,
        ImprovementTask.impact,
        ImprovementTask.effort,
    )
    where = _conditions(workspace_id, threshold, **filters)
    total = db.session.scalar(select(func.count()).where(*where)) or 0
    stmt = _in_order(workspace_id, framework, task, where).limit(limit or MATRIX_POINTS)
    rows = db.session.execute(stmt).all()
    ranked = [r for r in rows if r.score is not None]
    return MatrixRows(ranked, rows[len(ranked) :], total)


ORDER_COLUMNS = {
    f.name: ("id", "pinned", "created_at", "impact", "effort")
    + tuple(c for c in f.columns if c not in ("impact", "effort"))
    for f in scoring.FRAMEWORKS.values()
}


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
        .where(ConfirmedCause.workspace_id == workspace_id)
        .group_by(ConfirmedCause.insight_id)
        .subquery()
    )
    stmt = (
        select(Insight, Element.title, ServiceBlueprint.name, causes.c.n)
        .outerjoin(
            Element, and_(Element.id == Insight.element_id, Element.workspace_id == workspace_id)
        )
        .outerjoin(
            ServiceBlueprint,
            and_(
                ServiceBlueprint.id == Insight.blueprint_id,
                ServiceBlueprint.workspace_id == workspace_id,
            ),
        )
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
            .outerjoin(
                ServiceBlueprint,
                and_(
                    ServiceBlueprint.id == Insight.blueprint_id,
                    ServiceBlueprint.workspace_id == workspace_id,
                ),
            )
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


def pain_index(workspace_id: int) -> PainIndex:
    """`pain_insights` indexed, built once per change of the workspace (insights are graph
    inputs: their changes change the graph version)."""
    return derived(
        workspace_id, "backlog.pain_index", lambda: PainIndex.of(pain_insights(workspace_id))
    )


def suggestion_for(workspace_id: int, insight_ids, target_ids) -> Suggestion:
    """The suggested impact of a task addressing `insight_ids` and changing `target_ids`."""
    causes = workspace_root_causes(workspace_id)
    # the largest cause by score (confirmed causes come first, whatever their scores)
    largest = max((cause.score for cause in causes.ranking), default=0.0)
    reached = causes.pains_reached(target_ids)
    return suggest(pain_index(workspace_id), insight_ids, reached, largest)


def confirmed_cause_ids(insight_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ConfirmedCause.element_id).where(ConfirmedCause.insight_id == insight_id)
        )
    )


def task_owner_names(workspace_id: int) -> list[tuple[int, str]]:
    """The id and name of everyone who owns a task of the workspace (owners may have left
    it since, so not only its members)."""
    owners = select(ImprovementTask.owner_id).where(ImprovementTask.workspace_id == workspace_id)
    return [
        (uid, name)
        for uid, name in db.session.execute(select(User.id, User.name).where(User.id.in_(owners)))
    ]

"""Synthetic insights and tasks in bulk, for benchmarks and scale tests. Deterministic."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, insert, select

from backlog.models import (
    Horizon,
    ImprovementTask,
    Insight,
    InsightKind,
    TaskStatus,
    task_insight,
    task_target,
)
from blueprint.models import Element
from extensions import db


def build_backlog(workspace_id: int, tasks: int, insights: int, *, seed: int = 1) -> None:
    """`insights` insights on the workspace's lane elements and `tasks` tasks, each
    addressing two insights and targeting one element. Flushes; the caller commits."""
    rng = random.Random(seed)
    elements = db.session.execute(
        select(Element.id, Element.blueprint_id).where(
            Element.workspace_id == workspace_id, Element.blueprint_id.is_not(None)
        )
    ).all()
    kinds = list(InsightKind)
    first_insight = (db.session.scalar(select(func.max(Insight.id))) or 0) + 1
    first_task = (db.session.scalar(select(func.max(ImprovementTask.id))) or 0) + 1
    db.session.execute(
        insert(Insight),
        [
            {
                "workspace_id": workspace_id,
                "element_id": e,
                "blueprint_id": b,
                "kind": kinds[i % 4] if i % 3 else InsightKind.PAIN_POINT,
                "title": f"Insight {i}",
                "severity": rng.randint(1, 5),
                "frequency": rng.randint(1, 5),
            }
            for i, (e, b) in enumerate(rng.choice(elements) for _ in range(insights))
        ],
    )
    insight_ids = list(db.session.scalars(select(Insight.id).where(Insight.id >= first_insight)))
    statuses, horizons = list(TaskStatus), list(Horizon)
    today = date.today()
    db.session.execute(
        insert(ImprovementTask),
        [
            {
                "workspace_id": workspace_id,
                "title": f"Task {i}",
                "status": statuses[i % 5],
                "horizon": horizons[i % 3],
                "impact": rng.randint(1, 5),
                "effort": rng.randint(1, 5),
                "due_on": today + timedelta(days=rng.randint(-30, 90)),
                "pinned": False,
                "reach": float(rng.randint(0, 5000)) if i % 2 else None,
                "rice_impact": 1.0 if i % 2 else None,
                "confidence": 0.8 if i % 2 else None,
                "effort_months": float(rng.randint(1, 12)) if i % 2 else None,
                "team": "",
                "description": "",
            }
            for i in range(tasks)
        ],
    )
    task_ids = list(
        db.session.scalars(select(ImprovementTask.id).where(ImprovementTask.id >= first_task))
    )
    pairs = (
        {(t, rng.choice(insight_ids)) for t in task_ids for _ in range(2)}
        if (insight_ids)
        else set()
    )
    if pairs:
        db.session.execute(
            insert(task_insight), [{"task_id": t, "insight_id": i} for t, i in pairs]
        )
    if elements and task_ids:
        db.session.execute(
            insert(task_target),
            [{"task_id": t, "element_id": rng.choice(elements)[0]} for t in task_ids],
        )
    db.session.flush()

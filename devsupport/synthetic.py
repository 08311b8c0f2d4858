"""Synthetic workspaces of any size, for benchmarks and scale tests: blueprints
(`build_blueprint`) and backlogs of insights and tasks on them (`build_backlog`).

Rows are inserted in bulk (not through the services' one-by-one checks) but obey the same
rules: lane elements in stages, dependency links pointing down the lanes or at people and
systems, no self-links, no duplicates; each task addresses insights and targets elements of
its own workspace. Deterministic for a given seed.
"""

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
from blueprint.models import (
    CATALOG_KINDS,
    LANES,
    Element,
    ElementKind,
    Link,
    LinkKind,
    ServiceBlueprint,
    Stage,
)
from extensions import db


def build_blueprint(
    workspace_id: int,
    elements: int,
    links: int,
    *,
    stages: int = 8,
    catalog: int = 20,
    seed: int = 1,
    name: str | None = None,
) -> ServiceBlueprint:
    """A blueprint of `elements` lane elements and about `links` links, plus `catalog`
    people and systems of the workspace. Flushes; the caller commits."""
    rng = random.Random(seed)
    blueprint = ServiceBlueprint(workspace_id=workspace_id, name=name or f"Synthetic {elements}")
    db.session.add(blueprint)
    db.session.flush()
    db.session.execute(
        insert(Stage),  # stages > 0 always
        [
            {
                "workspace_id": workspace_id,
                "blueprint_id": blueprint.id,
                "name": f"Stage {i + 1}",
                "position": i,
            }
            for i in range(stages)
        ],
    )
    stage_ids = list(
        db.session.scalars(
            select(Stage.id).where(Stage.blueprint_id == blueprint.id).order_by(Stage.position)
        )
    )
    rows = []
    for i in range(elements):
        kind = LANES[i % len(LANES)]
        rows.append(
            {
                "workspace_id": workspace_id,
                "blueprint_id": blueprint.id,
                "stage_id": stage_ids[(i // len(LANES)) % stages],
                "kind": kind,
                "title": f"{kind.label} {i}",
                "position": i,
                "fail_point": rng.random() < 0.05,
                "emotion": rng.randint(-2, 2) if kind is ElementKind.CUSTOMER_ACTION else None,
                "duration_minutes": rng.randint(1, 60),
                "tolerance_minutes": rng.randint(1, 60),
            }
        )
    rows += [
        {
            "workspace_id": workspace_id,
            "kind": CATALOG_KINDS[i % 2],
            "title": f"Catalog {i}",
            "position": 0,
        }
        for i in range(catalog)
    ]
    if rows:
        db.session.execute(insert(Element), rows)
    ids_by_kind: dict[ElementKind, list[int]] = {}
    for element_id, kind in db.session.execute(
        select(Element.id, Element.kind).where(
            (Element.blueprint_id == blueprint.id)
            | ((Element.workspace_id == workspace_id) & Element.kind.in_(CATALOG_KINDS))
        )
    ):
        ids_by_kind.setdefault(kind, []).append(element_id)

    seen: set[tuple[int, int, LinkKind]] = set()
    link_rows = []
    lane_order = [k for k in LANES if ids_by_kind.get(k)]
    attempts = 0
    while len(link_rows) < links and attempts < links * 10:
        attempts += 1
        source_kind = rng.choice(lane_order)
        source = rng.choice(ids_by_kind[source_kind])
        roll = rng.random()
        if roll < 0.15 and ids_by_kind.get(ElementKind.PERSON):
            target, kind = rng.choice(ids_by_kind[ElementKind.PERSON]), LinkKind.PERFORMED_BY
        elif roll < 0.3 and ids_by_kind.get(ElementKind.SYSTEM):
            target, kind = rng.choice(ids_by_kind[ElementKind.SYSTEM]), LinkKind.USES
        elif roll < 0.4:
            target, kind = rng.choice(ids_by_kind[source_kind]), LinkKind.NEXT
        else:
            lower = [k for k in lane_order if k.depth >= source_kind.depth]
            target, kind = rng.choice(ids_by_kind[rng.choice(lower)]), LinkKind.RELIES_ON
        if target == source or (source, target, kind) in seen:
            continue
        seen.add((source, target, kind))
        link_rows.append(
            {"workspace_id": workspace_id, "source_id": source, "target_id": target, "kind": kind}
        )
    if link_rows:
        db.session.execute(insert(Link), link_rows)
    db.session.flush()
    return blueprint


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

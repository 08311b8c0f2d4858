"""Synthetic blueprints of any size, for benchmarks and scale tests.

Rows are inserted in bulk (not through the services' one-by-one checks) but obey the same
rules: lane elements in stages, dependency links pointing down the lanes or at people and
systems, no self-links, no duplicates. Deterministic for a given seed.
"""

from __future__ import annotations

import random

from sqlalchemy import insert, select

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

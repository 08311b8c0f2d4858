"""The one-page summary of a blueprint, for people who were not in the workshop: goal and
persona, the emotion curve, the worst pain points with their evidence, the top root causes
with their blast radius, the top tasks and the impact/effort matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext

from backlog import queries, scoring, services
from backlog.matrix import COMPACT, Chart, matrix_points
from backlog.models import InsightKind
from blueprint import queries as blueprint_queries
from blueprint.analysis.blast_radius import blast_radius
from blueprint.analysis.ranking import RankedCause
from blueprint.board import EmotionCurve
from blueprint.models import ServiceBlueprint
from blueprint.root_causes import workspace_root_causes

PAINS, CAUSES, TASKS = 5, 5, 10


@dataclass
class Cause:
    ranked: RankedCause
    title: str
    kind: str
    where: str  # its blueprint and stage, or "catalog"
    customer_actions: int  # blast radius: customer actions that rely on it, anywhere
    blueprint_id: int | None = None  # its blueprint (None: people and systems)


@dataclass
class Summary:
    blueprint: ServiceBlueprint
    persona: Any
    owner: Any
    emotion: EmotionCurve
    pains: list[queries.InsightRow]
    pain_count: int
    causes: list[Cause]
    tasks: list[tuple[str, queries.TaskRow]]  # (backlog rank, row), the first TASKS
    task_count: int
    chart: Chart  # the listed tasks, by the same numbers
    framework: str
    quadrant_threshold: int


def blueprint_summary(blueprint: ServiceBlueprint) -> Summary:
    persona, owner, _based_on = blueprint_queries.blueprint_header(blueprint.id)
    board = blueprint_queries.board(blueprint)
    pain_rows = queries.insight_rows(
        blueprint.workspace_id, kind=InsightKind.PAIN_POINT, blueprint_id=blueprint.id
    )

    found = workspace_root_causes(blueprint.workspace_id, blueprint_id=blueprint.id)
    G = found.graph
    causes = []
    for ranked in found.ranking[:CAUSES]:
        data = G.nodes[ranked.id]
        where = " · ".join(x for x in (data.get("blueprint"), data.get("stage")) if x)
        causes.append(
            Cause(
                ranked,
                data.get("title", ""),
                data.get("kind", ""),
                where or gettext("people and systems"),
                len(blast_radius(G, ranked.id).customer_actions),
                data.get("blueprint_id"),
            )
        )

    settings = services.settings_for(blueprint.workspace_id)
    ranked, unscored = queries.task_rows(
        blueprint.workspace_id,
        settings.framework,
        settings.quadrant_threshold,
        blueprint_id=blueprint.id,
    )
    return Summary(
        blueprint=blueprint,
        persona=persona,
        owner=owner,
        emotion=board.emotion,
        pains=pain_rows[:PAINS],
        pain_count=len(pain_rows),
        causes=causes,
        tasks=[
            (scoring.rank_label(scoring.rank(i, len(ranked))), row)
            for i, row in enumerate((ranked + unscored)[:TASKS])
        ],
        task_count=len(ranked) + len(unscored),
        chart=matrix_points(
            ranked, unscored, settings.quadrant_threshold, COMPACT, TASKS, gettext=gettext
        ),
        framework=settings.framework,
        quadrant_threshold=settings.quadrant_threshold,
    )

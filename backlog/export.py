"""Collect what the action-plan workbook shows (a fixed number of queries) and build it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from backlog import queries, scoring, services
from backlog.models import (
    ConfirmedCause,
    Horizon,
    ImprovementTask,
    Insight,
    TaskStatus,
    task_insight,
    task_target,
)
from backlog.workbook import ActionPlan, PlanRow, build_action_plan
from blueprint.analysis import rank_root_causes
from blueprint.graph import workspace_graph
from blueprint.models import Element, ServiceBlueprint, Stage
from blueprint.pains import pain_weights, pains
from dbtypes import utcnow
from extensions import db


def _names_by_task(table, column, model, task_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for task_id, title in db.session.execute(
        select(table.c.task_id, model.title)
        .join(model, model.id == table.c[column])
        .where(table.c.task_id.in_(task_ids))
        .order_by(model.title)
    ):
        names[task_id].append(title)
    return names


CHUNK = 1000
CHUNK_COLUMNS = (
    "id",
    "title",
    "status",
    "owner_id",
    "team",
    "due_on",
    "horizon",
    "impact",
    "effort",
    "version",
)


def action_plan_bytes(
    workspace,
    framework: str | None = None,
    filters: dict | None = None,
    filters_text: str = "none",
) -> bytes:
    """The action-plan workbook. Tasks are ordered from one query, then fetched and written
    in chunks, so memory holds the order (a few numbers per task), not every task."""
    settings = services.settings_for(workspace.id)
    framework = framework or settings.framework
    ranked, unscored = queries.task_rows(
        workspace.id, framework, settings.quadrant_threshold, **(filters or {})
    )
    order = [(i, r.task.id, r.score, r.pain, r.quadrant) for i, r in enumerate(ranked, start=1)]
    order += [(None, r.task.id, r.score, r.pain, r.quadrant) for r in unscored]
    del ranked, unscored
    db.session.expunge_all()  # the ordering query's objects are not needed any more
    owners = dict(queries.member_choices_all())
    extra = (
        [] if framework == "value_effort" else list(services.FRAMEWORK_COLUMNS[framework].values())
    )

    def rows():
        for start in range(0, len(order), CHUNK):
            chunk = order[start : start + CHUNK]
            ids = [task_id for _, task_id, *_ in chunk]
            # plain rows, not models: an export reads, it never changes a task
            tasks = {
                t.id: t
                for t in db.session.execute(
                    select(
                        *(getattr(ImprovementTask, c) for c in CHUNK_COLUMNS + tuple(extra))
                    ).where(ImprovementTask.id.in_(ids))
                )
            }
            insight_names = _names_by_task(task_insight, "insight_id", Insight, ids)
            element_names = _names_by_task(task_target, "element_id", Element, ids)
            for rank, task_id, score, pain, quadrant in chunk:
                t = tasks[task_id]
                yield PlanRow(
                    rank=rank,
                    title=t.title,
                    status=t.status.label,
                    owner=owners.get(t.owner_id, ""),
                    team=t.team,
                    due=t.due_on,
                    horizon=t.horizon.label if t.horizon else "",
                    quadrant=scoring.QUADRANTS[quadrant],
                    impact=t.impact,
                    effort=t.effort,
                    inputs=[getattr(t, c) for c in extra],
                    score=score,
                    pain=pain,
                    insights="; ".join(insight_names.get(task_id, [])),
                    elements="; ".join(element_names.get(task_id, [])),
                    task_id=t.id,
                    version=t.version,
                )
            db.session.expunge_all()

    return build_action_plan(
        ActionPlan(
            workspace=workspace.name,
            framework=framework,
            rows=rows(),
            insights=insight_sheet(workspace.id),
            causes=cause_sheet(workspace.id),
            filters=filters_text,
            exported_at=utcnow(),
            statuses=[s.label for s in TaskStatus],
            horizons=[h.label for h in Horizon],
        )
    )


def insight_sheet(workspace_id: int) -> list[list[Any]]:
    causes: dict[int, list[str]] = defaultdict(list)
    for insight_id, title in db.session.execute(
        select(ConfirmedCause.insight_id, Element.title)
        .join(Element, Element.id == ConfirmedCause.element_id)
        .where(ConfirmedCause.workspace_id == workspace_id)
        .order_by(Element.title)
    ):
        causes[insight_id].append(title)
    rows = db.session.execute(
        select(Insight, ServiceBlueprint.name, Stage.name, Element.title)
        .outerjoin(ServiceBlueprint, ServiceBlueprint.id == Insight.blueprint_id)
        .outerjoin(Element, Element.id == Insight.element_id)
        .outerjoin(Stage, Stage.id == Element.stage_id)
        .where(Insight.workspace_id == workspace_id)
        .order_by((Insight.severity * Insight.frequency).desc(), Insight.id)
    )
    return [
        [
            i.kind.label,
            i.title,
            bp or "",
            stage or "",
            element or "",
            i.severity,
            i.frequency,
            i.evidence_source.label if i.evidence_source else "",
            i.evidence_reference,
            "; ".join(causes.get(i.id, [])),
        ]
        for i, bp, stage, element in rows
    ]


def cause_sheet(workspace_id: int, limit: int = 100) -> list[list[Any]]:
    G = workspace_graph(workspace_id)
    ranking = rank_root_causes(G, pain_weights(pains(workspace_id, G)))
    out = []
    for rank, cause in enumerate(ranking[:limit], start=1):
        data = G.nodes[cause.id]
        where = (
            f"{data['blueprint']} · {data['stage']}"
            if data.get("blueprint")
            else ("Workspace catalog")
        )
        out.append(
            [
                rank,
                data["title"],
                data["kind"].replace("_", " "),
                where,
                cause.score,
                cause.pain_points,
                cause.customer_actions,
                cause.blueprints,
            ]
        )
    return out

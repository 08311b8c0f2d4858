"""Collect what the action-plan workbook shows (a fixed number of queries) and build it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select

from backlog import queries, scoring, services
from backlog.models import ConfirmedCause, Horizon, Insight, TaskStatus, task_insight, task_target
from backlog.workbook import ActionPlan, PlanRow, build_action_plan
from blueprint.analysis import rank_root_causes
from blueprint.graph import workspace_graph
from blueprint.models import Element, ServiceBlueprint, Stage
from blueprint.pains import pain_weights, pains
from dbtypes import utcnow
from extensions import db


def _names_by_task(table, column, model, task_ids: set[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for task_id, title in db.session.execute(
        select(table.c.task_id, model.title)
        .join(model, model.id == table.c[column])
        .order_by(model.title)
    ):
        if task_id in task_ids:
            names[task_id].append(title)
    return names


def action_plan_bytes(
    workspace, framework: str | None = None, filters: dict | None = None, filters_text: str = "none"
) -> bytes:
    settings = services.settings_for(workspace.id)
    framework = framework or settings.framework
    ranked, unscored = queries.task_rows(
        workspace.id, framework, settings.quadrant_threshold, **(filters or {})
    )
    owners = dict(queries.member_choices_all())
    task_ids = {r.task.id for r in ranked + unscored}
    insight_names = _names_by_task(task_insight, "insight_id", Insight, task_ids)
    element_names = _names_by_task(task_target, "element_id", Element, task_ids)
    columns = services.FRAMEWORK_COLUMNS[framework]
    extra = [] if framework == "value_effort" else list(columns.values())
    rows = []
    for rank, row in [(i, r) for i, r in enumerate(ranked, start=1)] + [
        (None, r) for r in unscored
    ]:
        t = row.task
        rows.append(
            PlanRow(
                rank=rank,
                title=t.title,
                status=t.status.label,
                owner=owners.get(t.owner_id, ""),
                team=t.team,
                due=t.due_on,
                horizon=t.horizon.label if t.horizon else "",
                quadrant=scoring.QUADRANTS[row.quadrant],
                impact=t.impact,
                effort=t.effort,
                inputs=[getattr(t, c) for c in extra],
                score=row.score,
                pain=row.pain,
                insights="; ".join(insight_names.get(t.id, [])),
                elements="; ".join(element_names.get(t.id, [])),
                task_id=t.id,
                version=t.version,
            )
        )
    return build_action_plan(
        ActionPlan(
            workspace=workspace.name,
            framework=framework,
            rows=rows,
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

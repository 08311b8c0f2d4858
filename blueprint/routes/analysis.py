"""Read-only analysis pages, each with a JSON twin at the same URL (Accept: application/json):
cause trace, root-cause ranking, blast radius, blueprint health."""

from __future__ import annotations

from flask import jsonify, render_template, request

from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint.analysis.blast_radius import blast_radius as radius_of
from blueprint.analysis.handoffs import handoffs
from blueprint.analysis.health import FINDING_KINDS, findings
from blueprint.analysis.trace import trace as cause_trace
from blueprint.diagrams import trace_diagram
from blueprint.graph import blueprint_graph, workspace_graph
from blueprint.models import Element, ServiceBlueprint
from blueprint.root_causes import workspace_root_causes
from blueprint.routes import bp

RANKING_ROWS = 100


def wants_json() -> bool:
    """The JSON twin when the client prefers JSON; browsers (and */*) get the page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def node_json(G, node) -> dict:
    data = G.nodes[node]
    return {
        "id": node,
        "title": data.get("title"),
        "kind": data.get("kind"),
        "blueprint_id": data.get("blueprint_id"),
        "blueprint": data.get("blueprint"),
        "stage": data.get("stage"),
        "fail_point": bool(data.get("fail_point")),
    }


@bp.get("/elements/<int:element_id>/trace")
def trace(element_id: int):
    element = get_scoped_or_404(Element, element_id)
    G = workspace_graph(element.workspace_id)
    result = cause_trace(G, element.id)
    if wants_json():
        return jsonify(
            element=node_json(G, element.id),
            cyclic=result.cyclic,
            levels=[
                [
                    {
                        **node_json(G, n),
                        "depth": result.nodes[n].depth,
                        "parent": result.nodes[n].parent,
                        "also_under": result.nodes[n].also_under,
                        "deepest": result.nodes[n].deepest,
                    }
                    for n in level
                ]
                for level in result.levels
            ],
            deepest=result.deepest,
            fail_points=result.fail_points,
        )
    return render_template(
        "service_blueprints/trace.html",
        element=element,
        G=G,
        trace=result,
        diagram=trace_diagram(result, G.nodes),
    )


@bp.get("/root-causes")
def root_causes():
    workspace = require_current_workspace()
    causes = workspace_root_causes(workspace.id)
    G, ranking = causes.graph, causes.ranking
    rows = ranking[:RANKING_ROWS]
    if wants_json():
        return jsonify(
            workspace=workspace.name,
            pain_points=len(causes.weights),
            candidates=len(ranking),
            ranking=[
                {
                    **node_json(G, r.id),
                    "rank": i,
                    "score": r.score,
                    "pain_points": r.pain_points,
                    "customer_actions": r.customer_actions,
                    "blueprints": r.blueprints,
                    "deepest": r.deepest,
                    "pains": ranking.pains_of(r),
                    "pain_labels": [p.label for p in causes.pains_under(r)],
                }
                for i, r in enumerate(rows, start=1)
            ],
        )
    return render_template(
        "service_blueprints/root_causes.html",
        G=G,
        rows=rows,
        total=len(ranking),
        pain_count=len(causes.weights),
        top_score=rows[0].score if rows else 0,
        labels={r.id: causes.pains_under(r) for r in rows},
    )


@bp.get("/elements/<int:element_id>/blast-radius")
def blast_radius(element_id: int):
    element = get_scoped_or_404(Element, element_id)
    G = workspace_graph(element.workspace_id)
    radius = radius_of(G, element.id)
    blueprint_names = {
        G.nodes[a].get("blueprint_id"): G.nodes[a].get("blueprint") for a in radius.customer_actions
    }
    if wants_json():
        return jsonify(
            element=node_json(G, element.id),
            dependents=len(radius.dependents),
            customer_actions=[node_json(G, n) for n in radius.customer_actions],
            by_blueprint=[
                {
                    "blueprint_id": bid,
                    "blueprint": blueprint_names[bid],
                    "stages": [
                        {"stage": stage, "customer_actions": [node_json(G, n) for n in actions]}
                        for stage, actions in stages.items()
                    ],
                }
                for bid, stages in radius.by_blueprint.items()
            ],
        )
    return render_template(
        "service_blueprints/blast_radius.html",
        element=element,
        G=G,
        radius=radius,
        blueprint_names=blueprint_names,
    )


@bp.get("/blueprints/<int:blueprint_id>/health")
def health(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    G = blueprint_graph(blueprint.id)
    found = findings(G, blueprint.id)
    chains = handoffs(G, blueprint.id)
    if wants_json():
        return jsonify(
            blueprint={"id": blueprint.id, "name": blueprint.name},
            findings=[
                {
                    "kind": f.kind,
                    "label": FINDING_KINDS[f.kind],
                    "message": f.message,
                    "elements": [node_json(G, n) for n in f.elements],
                }
                for f in found
            ],
            handoffs=[
                {
                    "customer_action": node_json(G, h.action),
                    "max_handoffs": h.max_handoffs,
                    "chains": [
                        {"steps": c.steps, "performers": c.performers, "handoffs": c.handoffs}
                        for c in h.chains
                    ],
                    "truncated": h.truncated,
                }
                for h in chains
            ],
        )
    grouped: dict[str, list] = {}
    for finding in found:
        grouped.setdefault(finding.kind, []).append(finding)
    return render_template(
        "service_blueprints/health.html",
        blueprint=blueprint,
        G=G,
        grouped=grouped,
        labels=FINDING_KINDS,
        chains=chains,
    )

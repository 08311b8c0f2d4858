"""Read-only analysis pages, each with a JSON twin at the same URL (Accept: application/json):
cause trace, root-cause ranking, blast radius, blueprint health. The views fetch and pick;
blueprint.analysis_json builds the JSON, blueprint.analysis_rows what the templates show."""

from __future__ import annotations

from flask import jsonify, render_template, request

from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint import analysis_json, analysis_rows
from blueprint.analysis.blast_radius import blast_radius as radius_of
from blueprint.analysis.trace import trace as cause_trace
from blueprint.graph import workspace_graph
from blueprint.map_health import blueprint_health
from blueprint.models import Element, ServiceBlueprint
from blueprint.root_causes import workspace_root_causes
from blueprint.routes import bp

RANKING_ROWS = 100


def wants_json() -> bool:
    """The JSON twin when the client prefers JSON; browsers (and */*) get the page."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


@bp.get("/elements/<int:element_id>/trace")
def trace(element_id: int):
    element = get_scoped_or_404(Element, element_id)
    G = workspace_graph(element.workspace_id)
    result = cause_trace(G, element.id)
    if wants_json():
        return jsonify(analysis_json.trace_json(G, result))
    page = analysis_rows.trace_page(G, result)
    return render_template("service_blueprints/trace.html", element=element, page=page)


@bp.get("/root-causes")
def root_causes():
    workspace = require_current_workspace()
    causes = workspace_root_causes(workspace.id)
    if wants_json():
        return jsonify(analysis_json.ranking_json(workspace.name, causes, RANKING_ROWS))
    page = analysis_rows.ranking_page(causes, RANKING_ROWS)
    return render_template("service_blueprints/root_causes.html", page=page)


@bp.get("/elements/<int:element_id>/blast-radius")
def blast_radius(element_id: int):
    element = get_scoped_or_404(Element, element_id)
    G = workspace_graph(element.workspace_id)
    radius = radius_of(G, element.id)
    if wants_json():
        return jsonify(analysis_json.blast_radius_json(G, radius))
    page = analysis_rows.blast_radius_page(G, radius)
    return render_template("service_blueprints/blast_radius.html", element=element, page=page)


@bp.get("/blueprints/<int:blueprint_id>/health")
def health(blueprint_id: int):
    blueprint = get_scoped_or_404(ServiceBlueprint, blueprint_id)
    health = blueprint_health(blueprint)  # built once per change of the workspace
    G, found, chains = health.graph, health.findings, health.handoffs
    if wants_json():
        named = (blueprint.id, blueprint.name)
        return jsonify(analysis_json.health_json(G, named, found, chains))
    page = analysis_rows.health_page(G, found, chains)
    return render_template("service_blueprints/health.html", blueprint=blueprint, page=page)

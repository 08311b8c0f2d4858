"""Read-only analysis pages, each with a JSON twin at the same URL (Accept: application/json):
cause trace, root-cause ranking, blast radius, blueprint health. The views fetch and pick;
blueprint.analysis_json builds the JSON, blueprint.analysis_rows what the templates show."""

from __future__ import annotations

import flask_babel
from flask import jsonify, render_template, request, url_for
from flask_babel import gettext as _

from accounts.security import get_scoped_or_404, require_current_workspace
from blueprint import analysis_json, analysis_rows, services
from blueprint.analysis.blast_radius import blast_radius as radius_of
from blueprint.analysis.trace import trace as cause_trace
from blueprint.forms import RankingSettingsForm
from blueprint.graph import workspace_graph
from blueprint.map_health import blueprint_health
from blueprint.models import Element, ServiceBlueprint
from blueprint.root_causes import workspace_root_causes
from blueprint.routes import bp
from web.edits import submit

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
    current = services.ranking_settings(workspace.id)
    return _ranking_page(causes, RankingSettingsForm(obj=current, formdata=None))


def _ranking_page(causes, form: RankingSettingsForm, status: int = 200):
    page = analysis_rows.ranking_page(causes, RANKING_ROWS, flask_babel)
    return render_template("service_blueprints/root_causes.html", page=page, form=form), status


@bp.post("/root-causes/settings")
def ranking_settings():
    """Whether the map's pain signals weigh in the ranking (editors; versioned)."""
    workspace = require_current_workspace(edit=True)
    current = services.ranking_settings(workspace.id)
    form = RankingSettingsForm()
    return submit(
        form,
        lambda: services.save_ranking_settings(workspace.id, form.pain_signals.data),
        row=current,
        reload_url=url_for(".root_causes"),
        saved=lambda found: (
            _("Pain signals now weigh in the ranking.")
            if found.pain_signals
            else _("Pain signals no longer weigh in the ranking."),
            url_for(".root_causes"),
        ),
        page=lambda: _ranking_page(workspace_root_causes(workspace.id), form, 422),
    )


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
    page = analysis_rows.health_page(G, found, chains, flask_babel)
    return render_template("service_blueprints/health.html", blueprint=blueprint, page=page)

"""The search over the current workspace's insights, as JSON for the task form's type-ahead
(static/js/combobox.js). Without JavaScript the form searches through its Find button."""

from __future__ import annotations

from flask import jsonify, request

from accounts.security import require_current_workspace
from backlog.insight_search import search_insights
from backlog.routes import bp
from blueprint.folding import KEY_LENGTH
from safeinput import id_or_none

MAX_EXCLUDED = 100


@bp.get("/search/insights")
def search_insights_json():
    """`?q=` text, `exclude=` ids to leave out (comma-separated or repeated): up to 30
    insights of the current workspace, grouped by kind, and whether there were more."""
    workspace_id = require_current_workspace().id
    exclude = [
        id_or_none(value)
        for raw in request.args.getlist("exclude")[:MAX_EXCLUDED]
        for value in raw.split(",")[:MAX_EXCLUDED]
    ]
    query = request.args.get("q", "")[:KEY_LENGTH]
    return jsonify(search_insights(workspace_id, query, exclude).as_json())

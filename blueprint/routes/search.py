"""The type-ahead search over the current workspace's elements, as JSON for the combobox
(static/js/combobox.js). Without JavaScript the forms search through their Find button."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _

from accounts.security import require_current_workspace, require_role
from blueprint.element_search import parse_kinds, search_elements
from blueprint.folding import KEY_LENGTH
from blueprint.routes import bp
from safeinput import id_or_none

MAX_EXCLUDED = 100


@bp.get("/search/elements")
def search():
    """`?q=` text, `kinds=` lanes, person, system (comma-separated or repeated; "lanes" for
    all five), `exclude=` ids to leave out: up to 20 elements of the current workspace (or
    of `workspace=`, one of the user's: a board opened from a link searches its own),
    grouped by blueprint and lane, and whether there were more."""
    workspace_id = id_or_none(request.args.get("workspace"))
    if workspace_id is not None:
        require_role(workspace_id)  # 404 for a workspace the user is not a member of
    else:
        workspace_id = require_current_workspace().id
    try:
        kinds = parse_kinds(request.args.getlist("kinds"))
    except ValueError as exc:
        return jsonify(error=_("Bad request"), message=str(exc)), 400
    exclude = [
        id_or_none(value)
        for raw in request.args.getlist("exclude")[:MAX_EXCLUDED]
        for value in raw.split(",")[:MAX_EXCLUDED]
    ]
    query = request.args.get("q", "")[:KEY_LENGTH]
    return jsonify(search_elements(workspace_id, query, kinds, exclude).as_json())

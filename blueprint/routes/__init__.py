"""The `service_blueprints` Flask blueprint: list, board, editor, catalog and personas; the
`shared` Flask blueprint (routes/share.py): pages opened through a share link."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("service_blueprints", __name__)

# (endpoint, label) in the navigation bar (accounts/navigation.py)
NAV_LINKS = [
    ("service_blueprints.index", _l("Blueprints")),
    ("service_blueprints.catalog", _l("People & systems")),
    ("service_blueprints.personas", _l("Personas")),
    ("service_blueprints.root_causes", _l("Root causes")),
]

from blueprint.routes import (  # noqa: E402, F401
    analysis,
    blueprints,
    board_edit,
    board_links,
    board_pdf,
    catalog,
    elements,
    search,
    share,
    stages,
    transfer,
    update,
)

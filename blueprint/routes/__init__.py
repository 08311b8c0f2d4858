"""The `service_blueprints` Flask blueprint: list, board, editor, catalog and personas."""

from flask import Blueprint

bp = Blueprint("service_blueprints", __name__)

from blueprint.routes import (  # noqa: E402, F401
    analysis,
    blueprints,
    catalog,
    elements,
    stages,
    transfer,
    update,
)

"""The `backlog` Flask blueprint: insights, improvement tasks, matrix and settings."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("backlog", __name__)

# (endpoint, label) in the navigation bar (accounts/navigation.py)
NAV_LINKS = [("backlog.index", _l("Backlog")), ("backlog.insights", _l("Insights"))]

from backlog.routes import (  # noqa: E402, F401
    evidence,
    insights,
    search,
    share,
    summary,
    tasks,
    updates,
)

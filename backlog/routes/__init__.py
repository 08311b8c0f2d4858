"""The `backlog` Flask blueprint: insights, improvement tasks, matrix and settings."""

from flask import Blueprint

bp = Blueprint("backlog", __name__)

# (endpoint, label) in the navigation bar (accounts/navigation.py)
NAV_LINKS = [("backlog.index", "Backlog"), ("backlog.insights", "Insights")]

from backlog.routes import evidence, insights, share, summary, tasks, updates  # noqa: E402, F401

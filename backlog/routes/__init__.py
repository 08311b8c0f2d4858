"""The `backlog` Flask blueprint: insights, improvement tasks, matrix and settings."""

from flask import Blueprint

bp = Blueprint("backlog", __name__)

from backlog.routes import insights, summary, tasks, updates  # noqa: E402, F401

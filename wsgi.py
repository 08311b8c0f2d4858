"""The composition root: `create_app()` builds Rootline from named steps.

Production: `gunicorn 'wsgi:create_app()'` with ROOTLINE_ENV=production, SECRET_KEY and
DATABASE_URL set, and `flask --app wsgi jobs-worker` beside it. Development: `flask --app
wsgi run-with-worker` (what `make run` does: the web server and one job consumer).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask, jsonify, render_template, request
from flask.wrappers import Request
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import BadRequest, Conflict, HTTPException
from werkzeug.formparser import FormDataParser
from werkzeug.utils import cached_property

from config import Config, config_from_environment
from extensions import bootstrap, csrf, db, login_manager, migrate
from safeinput import RecordIdConverter, strip_control_characters

ERROR_MESSAGES = {
    400: ("Bad request", "The request could not be understood. Reload the page and try again."),
    403: ("Not allowed", "Your role in this workspace does not allow this."),
    404: ("Not found", "There is nothing here, or it is not in one of your workspaces."),
    405: ("Not allowed", "That action is not available here."),
    409: ("Conflict", "Someone else changed this in the meantime. Reload and try again."),
    413: ("Too large", "What you sent is larger than Rootline accepts."),
    422: ("Cannot process", "Some of what you sent is not valid."),
    429: ("Too many attempts", "Too many attempts. Wait a few minutes and try again."),
    500: ("Something went wrong", "Nothing was saved. Try again; if it persists, tell us."),
    503: ("Not available", "This is not available just now. Try again in a moment."),
}


def create_app(config: type[Config] | Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    configure(app, config)
    register_proxy_fix(app)
    register_input_rules(app)
    register_security_guard(app)
    register_extensions(app)
    register_jobs(app)
    register_blueprints(app)
    register_audit_trail(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security_headers(app)
    register_health(app)
    register_template_context(app)
    return app


def configure(app: Flask, config: type[Config] | Mapping[str, Any] | None) -> None:
    base = config_from_environment()
    if config is None:
        app.config.from_object(base)
    elif isinstance(config, Mapping):
        app.config.from_object(base)
        app.config.update(config)
    else:
        base = config
        app.config.from_object(config)
    base.finalise(app.config)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers and one writer share the file; the busy timeout waits out locks."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        from flask import current_app

        try:
            timeout = int(current_app.config.get("SQLITE_BUSY_TIMEOUT_MS", 5000))
        except RuntimeError:  # outside an app context (e.g. alembic offline tooling)
            timeout = 5000
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={timeout}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def register_proxy_fix(app: Flask) -> None:
    """Behind a TLS-terminating proxy (ROOTLINE_TRUSTED_PROXIES=1): take scheme, host and
    client address from its X-Forwarded-* headers, so HSTS, secure cookies and the login
    throttle's per-address count see the real request. Off by default: without a proxy
    those headers are whatever the client says."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)


class CleanFormDataParser(FormDataParser):
    """Every submitted form value loses the control characters no form keeps (safeinput)."""

    def parse(self, *args, **kwargs):
        stream, form, files = super().parse(*args, **kwargs)
        cleaned = self.cls((k, strip_control_characters(v)) for k, v in form.items(multi=True))
        return stream, cleaned, files


class RootlineRequest(Request):
    form_data_parser_class = CleanFormDataParser

    @cached_property
    def args(self):
        """The query string, parsed as werkzeug does, without control characters."""
        return self.parameter_storage_class(
            (k, strip_control_characters(v))
            for k, v in parse_qsl(
                self.query_string.decode(), keep_blank_values=True, errors="werkzeug.url_quote"
            )
        )


def register_input_rules(app: Flask) -> None:
    """At the door, for every route and form: ids in URLs are ASCII digits that fit the
    database (anything else is a 404), and text arrives without control characters."""
    app.url_map.converters["int"] = RecordIdConverter
    app.request_class = RootlineRequest


def register_security_guard(app: Flask) -> None:
    """Deny by default: every endpoint needs a login unless it is listed as public.

    Registered before CSRF so an anonymous POST is sent to the login page, not a 400.
    """
    from accounts.security import require_login_unless_public

    app.before_request(refuse_nul_characters)
    app.before_request(require_login_unless_public)


def refuse_nul_characters():
    """No text anywhere holds a NUL character (PostgreSQL cannot store one): refuse it with
    a clear 400 before any view sees it."""
    values = [*request.args.values(), *(request.form.values() if request.form else [])]
    if any("\x00" in value for value in values):
        error = BadRequest("Text cannot contain NUL characters; remove them and try again.")
        error.rootline_message = True
        raise error


def register_extensions(app: Flask) -> None:
    import accounts.audit  # noqa: F401  (the audit trail's session hook and table)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)


def register_jobs(app: Flask) -> None:
    """The job engine (Huey), every kind of long work by the name its job rows record, and
    the packages' sweeps on its scheduler."""
    import jobs
    from accounts.invitations import forget_expired_invitations
    from accounts.services import forget_expired_logins
    from backlog.jobs import KINDS as backlog_kinds
    from backlog.jobs import WRITERS as backlog_writers
    from backlog.jobs import forget_unapplied_imports
    from blueprint.workbook_apply import forget_unapplied_updates
    from jobs import engine, sweep

    engine.init_app(app)
    jobs.register(backlog_kinds, writes=backlog_writers)
    sweep.add(app, forget_unapplied_imports)
    sweep.add(app, forget_expired_logins)
    sweep.add(app, forget_expired_invitations)
    sweep.add(app, forget_unapplied_updates)


def register_blueprints(app: Flask) -> None:
    from accounts.routes import bp as accounts_bp
    from backlog.routes import bp as backlog_bp
    from blueprint.routes import bp as service_blueprints_bp
    from jobs.routes import bp as jobs_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(service_blueprints_bp)
    app.register_blueprint(backlog_bp)
    register_extension_points(app)


def register_extension_points(app: Flask) -> None:
    """The backlog feeds the blueprint pages (pain weights, card badges, what a deletion or a
    workbook update takes with it) through hooks, so `blueprint` never imports `backlog`."""
    from backlog import dependents, detach
    from backlog.queries import element_annotations, insight_pains
    from blueprint.dependents import register_dependents
    from blueprint.pains import (
        register_annotation_provider,
        register_detacher,
        register_pain_provider,
    )

    register_pain_provider(app, insight_pains)
    register_annotation_provider(app, element_annotations)
    register_detacher(app, detach.describe, detach.detach)
    register_dependents(app, dependents.find, dependents.release)


def register_audit_trail(app: Flask) -> None:
    """The audit trail (accounts) records the rows of the packages above it without
    importing them: they tell it how a row finds its blueprint, and which kinds of row the
    activity feed filters by."""
    from accounts.audit import register_activity_filter, register_blueprint_of
    from accounts.models import Membership, Workspace
    from backlog.models import ImprovementTask, Insight
    from blueprint.history import blueprint_of_blueprint, blueprint_of_link
    from blueprint.models import Element, Link, Persona, ServiceBlueprint, Stage

    register_blueprint_of(app, ServiceBlueprint, blueprint_of_blueprint)
    register_blueprint_of(app, Link, blueprint_of_link)
    register_activity_filter(app, ServiceBlueprint, Stage, Element, Link, Persona)
    register_activity_filter(app, Insight, ImprovementTask)
    register_activity_filter(app, Membership, Workspace)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error: Exception):
        code = error.code if isinstance(error, HTTPException) and error.code else 500
        if code >= 500:
            db.session.rollback()
        title, default_message = ERROR_MESSAGES.get(code, (f"Error {code}", ""))
        description = getattr(error, "description", None)
        # Our own aborts carry a friendly description; werkzeug's stock texts do not help.
        message = description if getattr(error, "rootline_message", False) else default_message
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=title, message=message), code
        return render_template("errors.html", code=code, title=title, message=message), code

    # Unhandled exceptions reach the 500 handler as InternalServerError (and propagate
    # in tests, so the suite sees the traceback rather than a page).
    app.register_error_handler(HTTPException, render_error)

    def stale(_error: StaleDataError):
        # Someone saved the same row between our read and our write: never overwrite.
        db.session.rollback()
        return render_error(Conflict())

    app.register_error_handler(StaleDataError, stale)


def register_commands(app: Flask) -> None:
    from accounts.cli import register as register_accounts_cli
    from backlog.cli import register as register_backlog_cli
    from backup.cli import register as register_backup_cli
    from blueprint.cli import register as register_blueprint_cli
    from demo import seed_demo_command
    from jobs.cli import register as register_jobs_cli

    register_accounts_cli(app)
    register_blueprint_cli(app)
    register_backlog_cli(app)
    register_backup_cli(app)
    register_jobs_cli(app)
    app.cli.add_command(seed_demo_command)


def register_security_headers(app: Flask) -> None:
    csp = (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "frame-ancestors 'none'; form-action 'self'"
    )

    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint not in ("static", "bootstrap.static"):
            # pages and downloads hold a user's data: no browser or proxy keeps a copy
            response.headers["Cache-Control"] = "no-store"
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def register_health(app: Flask) -> None:
    @app.get("/healthz")
    def healthz():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            db.session.rollback()
            return jsonify(status="error", database="unreachable"), 503
        return jsonify(status="ok")


NAV_LINKS = [
    ("service_blueprints.index", "Blueprints"),
    ("service_blueprints.catalog", "People & systems"),
    ("service_blueprints.personas", "Personas"),
    ("service_blueprints.root_causes", "Root causes"),
    ("backlog.index", "Backlog"),
    ("backlog.insights", "Insights"),
]


def register_template_context(app: Flask) -> None:
    from flask_login import current_user

    from accounts.security import can_edit, current_workspace

    nav_links = [(e, label) for e, label in NAV_LINKS if e in app.view_functions]

    @app.context_processor
    def navigation():
        found = current_workspace() if current_user.is_authenticated else None
        return {
            "has_endpoint": app.view_functions.__contains__,
            "nav_links": nav_links if found else [],
            "nav_workspace": found[0] if found else None,
            "can_edit": can_edit,
        }

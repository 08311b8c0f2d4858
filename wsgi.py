"""The composition root: `create_app()` builds Rootline from named steps. Each step is
defined where its rules live (config.py, web/, accounts/, database.py); the steps defined
here only wire the packages together: extensions, jobs, Flask blueprints, the hooks through
which a package feeds one below it, commands and the navigation bar.

Production: `gunicorn 'wsgi:create_app()'` with ROOTLINE_ENV=production, SECRET_KEY and
DATABASE_URL set, and `flask --app wsgi jobs-worker` beside it. Development: `flask --app
wsgi run-with-worker` (what `make run` does: the web server and one job consumer).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from accounts.security import register_login_guard
from blueprint.graph_cache import register_graph_cache
from config import Config, configure
from database import register_sqlite_pragmas
from extensions import bootstrap, csrf, db, login_manager, migrate
from web.errors import register_errorhandlers
from web.health import register_health
from web.i18n import register_i18n
from web.input import register_input_rules
from web.security import register_proxy_fix, register_security_headers


def create_app(config: type[Config] | Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    configure(app, config)
    register_proxy_fix(app)
    register_input_rules(app)  # the NUL guard first,
    register_login_guard(app)  # then the login guard, before CSRF (an extension)
    register_extensions(app)
    register_i18n(app)
    register_sqlite_pragmas(app)
    register_graph_cache(app)
    register_jobs(app)
    register_blueprints(app)
    register_audit_trail(app)
    register_errorhandlers(app)
    register_commands(app)
    register_security_headers(app)
    register_health(app)
    register_template_context(app)
    return app


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
    from backup.jobs import KINDS as backup_kinds
    from backup.jobs import OWNERS as backup_owners
    from blueprint.jobs import KINDS as blueprint_kinds
    from blueprint.jobs import WRITERS as blueprint_writers
    from blueprint.sharing.services import forget_old_share_links
    from blueprint.undo import forget_old_changes
    from blueprint.workbook.apply import forget_unapplied_updates
    from jobs import engine, sweep

    engine.init_app(app)
    jobs.register(backlog_kinds, writes=backlog_writers)
    jobs.register(blueprint_kinds, writes=blueprint_writers)
    jobs.register(backup_kinds, owners=backup_owners)
    sweep.add(app, forget_unapplied_imports)
    sweep.add(app, forget_expired_logins)
    sweep.add(app, forget_expired_invitations)
    sweep.add(app, forget_unapplied_updates)
    sweep.add(app, forget_old_share_links)
    sweep.add(app, forget_old_changes)


def register_blueprints(app: Flask) -> None:
    from accounts.routes import bp as accounts_bp
    from backlog.routes import bp as backlog_bp
    from backup.routes import bp as backup_bp
    from blueprint.routes import bp as service_blueprints_bp
    from blueprint.routes.share import shared as shared_bp
    from blueprint.sharing import redact
    from jobs.routes import bp as jobs_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(backup_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(service_blueprints_bp)
    app.register_blueprint(backlog_bp)
    app.register_blueprint(shared_bp)  # after the backlog's routes joined it (the summary)
    redact.install(app)  # share links' tokens never reach a log line
    register_extension_points(app)
    register_labels()


def register_labels() -> None:
    """The method's words (lanes, link kinds, states, the backlog's statuses) are shown in
    the reader's language: their labels go through Flask-Babel (English outside a request,
    unless a job or command forces a language with flask_babel.force_locale)."""
    from flask_babel import gettext

    from blueprint.kinds import set_translator

    def translate(message: str) -> str:
        try:
            return gettext(message)
        except RuntimeError:  # no request and no forced language: the source language
            return message

    set_translator(translate)


def register_extension_points(app: Flask) -> None:
    """The backlog feeds the blueprint pages (pain weights, card badges, what a deletion or a
    workbook update takes with it) through blueprint.extension_points, so `blueprint` never
    imports `backlog`."""
    from backlog import contributions
    from blueprint.extension_points import register_contributor

    register_contributor(app, contributions)


def register_audit_trail(app: Flask) -> None:
    """The audit trail (accounts) records the rows of the packages above it without
    importing them: they tell it how a row finds its blueprint, which kinds of row the
    activity feed filters by, what it calls their fields and their coded values."""
    from accounts import audit_words
    from accounts.audit import register_activity_filter, register_blueprint_of
    from accounts.models import Membership, Workspace
    from backlog import kinds as backlog_kinds
    from backlog import scoring
    from backlog.models import ImprovementTask, Insight
    from blueprint import kinds as blueprint_kinds
    from blueprint.history import blueprint_of_blueprint, blueprint_of_link
    from blueprint.models import Element, Link, Persona, ServiceBlueprint, Stage
    from blueprint.sharing.models import ShareLink

    register_blueprint_of(app, ServiceBlueprint, blueprint_of_blueprint)
    register_blueprint_of(app, Link, blueprint_of_link)
    register_activity_filter(app, ServiceBlueprint, Stage, Element, Link, Persona, ShareLink)
    register_activity_filter(app, Insight, ImprovementTask)
    register_activity_filter(app, Membership, Workspace)
    for words in (
        audit_words.FIELD_WORDS,
        blueprint_kinds.FIELD_WORDS,
        backlog_kinds.FIELD_WORDS,
    ):
        audit_words.register_field_words(app, words)
    for values in (
        audit_words.VALUE_WORDS,
        blueprint_kinds.VALUE_WORDS,
        backlog_kinds.VALUE_WORDS,
        scoring.VALUE_WORDS,
    ):
        audit_words.register_value_words(app, values)


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


def register_template_context(app: Flask) -> None:
    """The navigation bar: the blueprint pages, then the backlog's."""
    from accounts.navigation import register_navigation
    from backlog.routes import NAV_LINKS as backlog_links
    from blueprint.routes import NAV_LINKS as blueprint_links

    register_navigation(app, [*blueprint_links, *backlog_links])

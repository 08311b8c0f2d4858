"""Fixtures: `app`, `client`, `runner`, `world` (a workspace with an owner, an editor, a
viewer, and an outsider who owns another workspace), `login` and `shell_language` (the
language commands speak: English for every test, whatever the machine's, unless it asks).

The schema is created once per run in a throwaway database (SQLite by default, PostgreSQL
when TEST_DATABASE_URL is set); every test starts with empty tables.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

import jobs
from accounts.models import Role, User, Workspace
from blueprint.models import Element, ServiceBlueprint, Stage
from devsupport.databases import throwaway_database
from extensions import db
from jobs.engine import start_local_consumer, stop_local_consumers
from tests import factories
from tests.helpers import settings_for_tests
from web.i18n import SHELL_LANGUAGE_VARIABLES
from wsgi import create_app


@pytest.fixture(autouse=True)
def english_shell(monkeypatch):
    """Commands speak the shell's language (web.i18n.shell_language); the suite's is English
    on any machine. Only LANGUAGE is set (it comes first), so the locale that subprocesses
    read their text encoding from stays the machine's."""
    monkeypatch.setenv("LANGUAGE", "en")


@pytest.fixture
def shell_language(monkeypatch):
    """`shell_language("pl_PL.UTF-8")`: the shell says LANG=pl_PL.UTF-8 and nothing else."""

    def speak(lang: str) -> None:
        for variable in SHELL_LANGUAGE_VARIABLES:
            monkeypatch.delenv(variable, raising=False)
        monkeypatch.setenv("LANG", lang)

    return speak


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with throwaway_database(tmp_path_factory.mktemp("db")) as url:
        app = create_app({**settings_for_tests(), "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            db.engine.dispose()
        yield url


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as a real server would, instead of inside the
    test's app context (where `g` and the session would leak from one request to the next).

    The test's own session is committed before each request, so what the test set up is
    visible, and after it, so the test reads what the request wrote.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            if has_app_context():
                db.session.commit()


def _empty_all_tables() -> None:
    tables = [t.name for t in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        quoted = ", ".join(f'"{t}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(text(f'DELETE FROM "{table}"'))
    db.session.commit()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build an app on the test database with extra settings (e.g. CSRF on). Jobs run in
    Huey's immediate mode unless a test starts a `consumer`."""
    built = []

    def build(**overrides):
        settings = {
            **settings_for_tests(),
            "SQLALCHEMY_DATABASE_URI": database_url,
            "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite'}",
            **overrides,
        }
        app = create_app(settings)
        app.test_client_class = IsolatedClient
        built.append(app)
        return app

    yield build
    jobs.wait_all()  # a job still running would write into the next test's tables
    stop_local_consumers()
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        jobs.wait_all()
        db.session.rollback()
        _empty_all_tables()
        db.session.remove()


@pytest.fixture
def consumer(app):
    """A Huey consumer in threads of the test process, for jobs that run beside the test."""
    start_local_consumer(app)
    yield
    jobs.wait_all()
    stop_local_consumers()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@dataclass
class World:
    workspace: Workspace
    other_workspace: Workspace
    owner: User
    editor: User
    viewer: User
    outsider: User


@pytest.fixture
def world(app) -> World:
    owner = factories.make_user("owner@example.com", "Olive Owner")
    editor = factories.make_user("editor@example.com", "Ed Editor")
    viewer = factories.make_user("viewer@example.com", "Vera Viewer")
    outsider = factories.make_user("outsider@example.com", "Otto Outsider")
    workspace = factories.make_workspace(
        "Acme Support",
        owner,
        **{"editor@example.com": Role.EDITOR, "viewer@example.com": Role.VIEWER},
    )
    other = factories.make_workspace("Elsewhere Ltd", outsider)
    factories.commit()
    return World(workspace, other, owner, editor, viewer, outsider)


@pytest.fixture
def login(client):
    """`login(user)` logs the test client in; returns the response of the login POST."""

    def do_login(user: User, password: str = factories.PASSWORD):
        return client.post("/login", data={"email": user.email, "password": password})

    return do_login


@dataclass
class Map:
    blueprint: ServiceBlueprint
    stages: list[Stage]
    buyer: Element  # customer action in stage 0
    desk: Element  # frontstage in stage 0
    backoffice: Element  # backstage in stage 1
    person: Element
    system: Element
    foreign: Element  # a customer action in another workspace


@pytest.fixture
def bmap(world) -> Map:
    blueprint, stages = factories.make_blueprint(
        world.workspace, "Order to cash", ("Order", "Deliver")
    )
    buyer = factories.make_element(stages[0], "customer_action", "Places order", emotion=1)
    desk = factories.make_element(stages[0], "frontstage", "Desk confirms", fail_point=True)
    backoffice = factories.make_element(stages[1], "backstage", "Allocate stock")
    person = factories.make_catalog(world.workspace, "person", "Service desk")
    system = factories.make_catalog(world.workspace, "system", "ERP")
    factories.link(buyer, desk)
    factories.link(desk, person, "performed_by")
    factories.link(desk, system, "uses")
    _, other_stages = factories.make_blueprint(world.other_workspace, "Theirs", ("X",))
    foreign = factories.make_element(other_stages[0], "customer_action", "Their step")
    factories.commit()
    return Map(blueprint, stages, buyer, desk, backoffice, person, system, foreign)

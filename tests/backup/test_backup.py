"""Backup and restore of a whole workspace as JSON, and the move from SQLite to PostgreSQL."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from accounts.audit import AuditEvent
from accounts.models import User, Workspace
from backlog.models import ImprovementTask, Insight
from backup.workspace import export_workspace, import_workspace
from blueprint.models import Element, Link, ServiceBlueprint
from demo import DEMO_WORKSPACE, seed_demo
from devsupport.databases import LOCAL_POSTGRES, server_url, throwaway_database
from extensions import db
from tests import factories as f
from tests import roundtrip
from tests.helpers import require_postgres, settings_for_tests
from wsgi import create_app

POSTGRES = server_url() or os.environ.get("ROOTLINE_POSTGRES_URL", LOCAL_POSTGRES)


def _app(url):
    return create_app({**settings_for_tests(), "SQLALCHEMY_DATABASE_URI": url})


def _demo_with_history(app) -> None:
    """The demo workspace, plus history made by people through the app: an edit, a delete,
    a refused change and a failed login."""
    with app.app_context():
        db.create_all()
        seed_demo()
        db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": "viewer@example.com", "password": "not-the-one"})
    client.post("/login", data={"email": "demo@example.com", "password": "rootline-demo"})
    with app.app_context():
        task_id = db.session.scalar(select(func.min(ImprovementTask.id)))
        element_id = db.session.scalar(
            select(Element.id).where(Element.stage_id.is_not(None)).order_by(Element.id.desc())
        )
        link_id = db.session.scalar(select(func.max(Link.id)))
    client.post(f"/tasks/{task_id}/edit", data={"title": "Edited", "impact": "5", "effort": "2"})
    client.post(f"/links/{link_id}/delete")
    client.post(f"/elements/{element_id}/delete")


def _cli(app, *args, input=None):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args), input=input)
        db.session.remove()
    return result


def _document(app, name=DEMO_WORKSPACE):
    with app.app_context():
        workspace = db.session.scalar(select(Workspace).where(Workspace.name == name))
        return json.loads(json.dumps(export_workspace(workspace)))


def test_a_workspace_moves_from_sqlite_to_postgresql_unchanged(tmp_path):
    require_postgres(POSTGRES)
    source = _app(f"sqlite:///{tmp_path / 'source.sqlite'}")
    _demo_with_history(source)
    exported = tmp_path / "demo.json"
    result = _cli(source, "export-workspace", DEMO_WORKSPACE, "--out", str(exported))
    assert result.exit_code == 0, result.output
    first = json.loads(exported.read_text(encoding="utf-8"))
    assert first == _document(source)
    tasks = len(first["tables"]["improvement_task"])
    assert f"read improvement_task: {tasks:,} rows" in result.stderr  # how far, as it goes
    with source.app_context():
        db.engine.dispose()

    tables = first["tables"]
    for table in ("service_blueprint", "stage", "element", "link", "persona", "insight"):
        assert tables[table], f"the demo has no {table}: the comparison would prove little"
    assert tables["improvement_task"] and tables["task_insight"] and tables["audit_event"]
    assert any(b["based_on_id"] for b in tables["service_blueprint"])  # refers to its table
    actions = {e["action"] for e in tables["audit_event"]}
    assert {"create", "update", "delete", "login_failed"} <= actions
    assert {p["email"]: p["role"] for p in first["people"]}["viewer@example.com"] == "viewer"
    assert "password" not in exported.read_text(encoding="utf-8")

    with throwaway_database(tmp_path, server=POSTGRES) as url:
        target = _app(url)
        with target.app_context():
            db.create_all()
            # someone is there already, so every id in the target differs from the source
            other = f.accounts.create_workspace("Already here", f.make_user("a@example.com"))
            blueprint, stages = f.make_blueprint(other, "Theirs", ("One",))
            f.make_element(stages[0], "customer_action", "Step")
            f.make_user("editor@example.com", "Eli Editor")  # matched by e-mail, not created
            db.session.commit()
        result = _cli(target, "import-workspace", str(exported))
        assert result.exit_code == 0, result.output
        blueprints = len(first["tables"]["service_blueprint"])
        assert f"writing service_blueprint: {blueprints:,} rows" in result.stderr
        assert "demo@example.com" in result.output and "editor@example.com" not in result.output
        assert _document(target) == first

        again = _cli(target, "import-workspace", str(exported))
        assert again.exit_code != 0 and "already has a workspace called" in again.output
        copy = _cli(target, "import-workspace", str(exported), "--name", "Restored")
        assert copy.exit_code == 0, copy.output
        assert {**_document(target, "Restored"), "workspace": first["workspace"]} == first

        with target.app_context():
            # the restored workspace works in the app: its people log in and see it
            assert db.session.scalar(select(func.count()).select_from(User)) == 4
            users = {u.email: u for u in db.session.scalars(select(User))}
            assert users["editor@example.com"].name == "Eli Editor"
            restored = db.session.scalar(select(Workspace).where(Workspace.name == "Restored"))
            assert db.session.scalar(
                select(func.count()).where(Insight.workspace_id == restored.id)
            ) == len(tables["insight"])
            events = db.session.scalars(
                select(AuditEvent).where(AuditEvent.workspace_id == restored.id)
            ).all()
            assert len(events) == len(tables["audit_event"])
            future = db.session.scalars(
                select(ServiceBlueprint).where(
                    ServiceBlueprint.workspace_id == restored.id,
                    ServiceBlueprint.based_on_id.is_not(None),
                )
            ).first()
            assert db.session.get(ServiceBlueprint, future.based_on_id).workspace_id == restored.id
            db.session.remove()
            db.engine.dispose()
        result = _cli(
            target, "set-password", "demo@example.com", "--password-stdin", input="new-password\n"
        )
        assert result.exit_code == 0, result.output
        client = target.test_client()
        client.post("/login", data={"email": "demo@example.com", "password": "new-password"})
        home = client.get("/", follow_redirects=True).get_data(as_text=True)
        assert DEMO_WORKSPACE in home or "Restored" in home
        with target.app_context():
            db.session.remove()
            db.engine.dispose()


def test_importing_a_file_that_is_not_a_workspace_changes_nothing(runner, tmp_path):
    broken = tmp_path / "broken.json"
    for content, message in (
        ("{not json", "is not a JSON file"),
        ('{"format": "something else"}', "not a Rootline workspace file"),
        ('{"format": "rootline-workspace", "version": 99}', "format version 99"),
        (
            '{"format": "rootline-workspace", "version": 1, "workspace": {"name": "W",'
            ' "created_at": "2026-01-01T00:00:00+00:00"}, "people": [],'
            ' "tables": {"stage": [{"key": 1, "blueprint_id": 7, "name": "S"}]}}',
            "damaged",
        ),
    ):
        broken.write_text(content, encoding="utf-8")
        result = runner.invoke(args=["import-workspace", str(broken)])
        assert result.exit_code != 0 and message in result.output, result.output
        assert db.session.scalar(select(func.count()).select_from(Workspace)) == 0


def test_export_of_an_unknown_workspace_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(args=["export-workspace", "Nope", "--out", str(tmp_path / "x.json")])
    assert result.exit_code != 0 and "No workspace is called 'Nope'" in result.output


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # each example rolls its rows back
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(spec=roundtrip.workspaces())
def test_a_generated_workspace_survives_export_and_import_whole(app, spec):
    """Export, import under another name, export again: the same document, for workspaces
    with every field set (ids aside, which the document never holds)."""
    try:
        workspace = roundtrip.build(spec)
        first = json.loads(json.dumps(export_workspace(workspace)))
        copy = import_workspace(first, name=f"{spec.name} (restored)")
        second = json.loads(json.dumps(export_workspace(copy)))
        assert second["workspace"]["name"] == f"{spec.name} (restored)"
        assert {**second, "workspace": first["workspace"]} == first
        assert len(first["tables"]["improvement_task"]) == len(spec.tasks)
    finally:
        db.session.rollback()

"""Every service-blueprint and backlog route: outsiders get 404 for ids of another
workspace, viewers read but every change answers 403. New routes are covered automatically:
a route must either be a read page listed here or refuse viewers."""

import pytest
from sqlalchemy import func, select

from backlog.models import ImprovementTask, Insight, PendingImport
from blueprint.models import Element, Link, Persona, ServiceBlueprint, Stage
from extensions import db
from tests import factories as f

READ_PAGES = {
    "service_blueprints": {
        "index",
        "board",
        "element",
        "catalog",
        "personas",
        "trace",
        "root_causes",
        "download_workbook",
        "blast_radius",
        "health",
    },
    "backlog": {"insights", "insight", "index", "matrix", "task", "settings", "export_plan"},
}


# Enough valid-looking data that a route which wrongly let a viewer through would act on it.
FORM = {
    "name": "x",
    "title": "x",
    "kind": "pain_point",
    "severity": "3",
    "frequency": "3",
    "impact": "3",
    "effort": "3",
    "status": "done",
    "answer": "x",
    "offset": "1",
    "source": "cause",
    "framework": "ice",
    "quadrant_threshold": "3",
}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in READ_PAGES:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def _ids(world, bmap):
    persona = f.bp_services.save_persona(Persona(workspace_id=world.workspace.id), {"name": "P"})
    insight = f.make_insight(world.workspace, "I", bmap.buyer)
    why = f.backlog_services.add_why(insight, "because", None)
    task = f.make_task(world.workspace, "T", insights=[insight], targets=[bmap.desk])
    pending = PendingImport(workspace_id=world.workspace.id, user_id=world.viewer.id, payload="[]")
    db.session.add(pending)
    f.commit()
    link_id = db.session.scalar(select(Link.id).filter_by(source_id=bmap.buyer.id))
    return {
        "blueprint_id": bmap.blueprint.id,
        "stage_id": bmap.stages[0].id,
        "element_id": bmap.desk.id,
        "link_id": link_id,
        "persona_id": persona.id,
        "insight_id": insight.id,
        "why_id": why.id,
        "task_id": task.id,
        "import_id": pending.id,
    }


def _snapshot(workspace_id):
    """Rows and versions of the workspace under attack: any change shows."""
    return tuple(
        db.session.execute(
            select(func.count(), func.sum(m.version)).where(m.workspace_id == workspace_id)
        ).one()
        for m in (ServiceBlueprint, Stage, Element, Link, Persona, Insight, ImprovementTask)
    )


@pytest.mark.parametrize("who", ["viewer", "outsider"])
def test_role_and_workspace_isolation_on_every_route(app, client, world, login, bmap, who):
    ids = _ids(world, bmap)
    login(getattr(world, who))
    before = _snapshot(world.workspace.id)
    checked = 0
    for rule, method in _routes(app):
        args = {name: ids[name] for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **args)
        response = client.open(url, method=method, data=FORM)
        package, endpoint = rule.endpoint.split(".", 1)
        if who == "outsider" and args:
            expected = {404}
        elif method == "GET" and endpoint in READ_PAGES[package]:
            expected = {200}
        elif who == "outsider":  # pages of their own (empty) workspace
            expected = {200, 302, 400, 422}
        else:
            expected = {403}
        assert response.status_code in expected, (who, method, rule.rule, response.status_code)
        checked += 1
    assert checked >= 45
    assert _snapshot(world.workspace.id) == before  # nothing changed


def test_viewer_sees_no_edit_controls_on_the_board(client, world, login, bmap):
    login(world.viewer)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert "Places order" in page
    for control in ("+ Add", "Edit blueprint", "Add a stage", "Mark reviewed", "Rename"):
        assert control not in page
    assert 'name="csrf_token"' in page  # only the logout form
    assert page.count('name="csrf_token"') == 1


def test_editor_sees_add_in_every_cell(client, world, login, bmap):
    login(world.editor)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert page.count('class="cell-add"') == 5 * 2  # five lanes × two stages


@pytest.mark.parametrize("who", ["editor", "owner"])
def test_editors_and_owners_open_every_page(app, client, world, login, bmap, who):
    """Every GET route of the two packages answers 200 for an editor or owner: no edit form
    or page is refused to the roles that may change things."""
    ids = _ids(world, bmap)
    db.session.get(PendingImport, ids["import_id"]).user_id = getattr(world, who).id
    f.commit()
    login(getattr(world, who))
    checked = 0
    for rule, method in _routes(app):
        if method != "GET":
            continue
        with app.test_request_context():
            from flask import url_for

            args = {name: ids[name] for name in rule.arguments}
            if rule.endpoint == "service_blueprints.edit_catalog_entry":
                args["element_id"] = bmap.person.id  # lane elements redirect to their form
            url = url_for(rule.endpoint, **args)
        assert client.get(url).status_code == 200, (who, rule.rule)
        checked += 1
    assert checked >= 30

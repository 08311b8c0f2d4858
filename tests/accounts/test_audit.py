"""The audit trail: creates, updates and deletes are recorded with who, when and what."""

from sqlalchemy import select

from accounts.audit import AuditEvent
from extensions import db
from tests import factories as f


def events(entity, entity_id=None):
    stmt = select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return db.session.scalars(stmt).all()


def test_task_history_records_who_changed_what(client, world, login):
    login(world.editor)
    client.post(
        "/tasks/new",
        data={"title": "Faster refunds", "status": "idea", "impact": "3", "effort": "3"},
    )
    created = events("improvement_task")
    assert [e.action for e in created] == ["create"]
    task_id = created[0].entity_id
    assert created[0].user_id == world.editor.id and created[0].workspace_id == world.workspace.id
    assert created[0].changed["title"] == [None, "Faster refunds"]
    assert created[0].at.tzinfo is not None  # UTC

    client.post(
        f"/tasks/{task_id}/edit",
        data={
            "title": "Faster refunds",
            "status": "planned",
            "impact": "5",
            "effort": "3",
            "version": "1",  # as created
        },
    )
    update = events("improvement_task", task_id)[-1]
    assert update.action == "update"
    assert update.changed == {"status": ["idea", "planned"], "impact": [3, 5]}
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "History" in page and "Ed Editor" in page and "Idea</del> → Planned" in page

    client.post(f"/tasks/{task_id}/delete")
    assert events("improvement_task", task_id)[-1].action == "delete"


def test_element_and_insight_pages_show_history(client, world, login, bmap):
    login(world.editor)
    client.post(
        f"/elements/{bmap.desk.id}/edit",
        data={"title": "Desk confirms fast", "version": bmap.desk.version},
    )
    page = client.get(f"/elements/{bmap.desk.id}").get_data(as_text=True)
    assert "Desk confirms → Desk confirms fast" in page.replace("<del>", "").replace("</del>", "")
    insight = f.make_insight(world.workspace, "Slow", bmap.buyer)
    f.commit()
    assert "command line" in client.get(f"/insights/{insight.id}").get_data(as_text=True)


def test_long_texts_are_truncated_and_secrets_never_recorded(client, world, login):
    login(world.editor)
    client.post("/personas/new", data={"name": "P", "goals": "x" * 5000})
    [event] = events("persona")
    assert len(event.changed["goals"][1]) == 201  # 200 characters and an ellipsis
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.changes.like("%password%"))
    ).all()


def test_a_refused_change_changes_nothing_and_is_logged_as_refused(client, world, login, bmap):
    login(world.viewer)
    before = len(events("element"))
    assert client.post(f"/elements/{bmap.desk.id}/edit", data={"title": "X"}).status_code == 403
    login_again = client.post("/tasks/new", data={"title": "T", "impact": "3", "effort": "3"})
    assert login_again.status_code == 403
    after = events("element")
    assert len(after) == before + 1 and after[-1].action == "refused"
    assert [e.action for e in events("workspace")][-1] == "refused"  # the task form
    assert events("improvement_task") == []


def test_refused_changes_are_security_events_in_the_activity_feed(client, world, login, bmap):
    login(world.viewer)
    assert client.post(f"/elements/{bmap.desk.id}/edit", data={"title": "X"}).status_code == 403
    refused = db.session.scalars(select(AuditEvent).filter_by(action="refused")).all()
    assert [(e.user_id, e.entity, e.entity_id) for e in refused] == [
        (world.viewer.id, "element", bmap.desk.id)
    ]
    client.post("/logout")
    login(world.owner)
    client.post(
        f"/elements/{bmap.buyer.id}/edit",
        data={"title": "Places the order", "version": bmap.buyer.version},
    )
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    assert "refused (403)" in feed and "Places order → Places the order" in feed
    only_owner = client.get(
        f"/workspaces/{world.workspace.id}/activity?user_id={world.owner.id}"
    ).get_data(as_text=True)
    assert "refused (403)" not in only_owner and "Places the order" in only_owner
    tasks_only = client.get(
        f"/workspaces/{world.workspace.id}/activity?entity=improvement_task"
    ).get_data(as_text=True)
    assert "Places the order" not in tasks_only
    future = client.get(f"/workspaces/{world.workspace.id}/activity?since=2999-01-01").get_data(
        as_text=True
    )
    assert "No activity." in future
    assert (
        client.get(f"/workspaces/{world.workspace.id}/activity?since=yesterday").status_code == 200
    )


def test_outsiders_cannot_read_the_activity_feed(client, world, login):
    login(world.outsider)
    assert client.get(f"/workspaces/{world.workspace.id}/activity").status_code == 404


def test_confirmed_causes_and_task_links_are_recorded(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Slow desk", bmap.buyer)
    f.commit()
    login(world.editor)
    client.post(f"/insights/{insight.id}/causes", data={"causes": [bmap.person.id]})
    [event] = [e for e in events("insight", insight.id) if "confirmed_causes" in e.changed]
    assert event.action == "update" and event.user_id == world.editor.id
    assert event.changed["confirmed_causes"] == ["", "Service desk"]

    client.post(
        "/tasks/new",
        data={
            "title": "Train the desk",
            "status": "idea",
            "impact": "3",
            "effort": "2",
            "insight_ids": [insight.id],
            "target_ids": [bmap.desk.id],
        },
    )
    task_events = events("improvement_task")
    assert [e.action for e in task_events] == ["create", "update"]
    assert task_events[1].changed == {
        "insights": ["", "Slow desk"],
        "targets": ["", "Desk confirms"],
    }
    page = client.get(f"/tasks/{task_events[0].entity_id}").get_data(as_text=True)
    assert "Elements it changes: <del>—</del> → Desk confirms" in page


def test_deleting_a_stage_with_its_elements_records_each_one(client, world, login, bmap):
    login(world.editor)
    stage_id, in_stage = bmap.stages[0].id, {bmap.buyer.id, bmap.desk.id}
    response = client.post(f"/stages/{stage_id}/delete", data={"elements": "delete"})
    assert response.status_code == 302
    assert {e.entity_id for e in events("element") if e.action == "delete"} == in_stage
    deleted_links = [e for e in events("link") if e.action == "delete"]
    assert len(deleted_links) == 3  # buyer→desk, desk→person, desk→system
    assert [e.action for e in events("stage", stage_id)][-1] == "delete"


def test_failed_logins_are_security_events(client, world, login, bmap):
    response = client.post("/login", data={"email": world.viewer.email, "password": "wrong-pass"})
    assert response.status_code == 401
    [event] = db.session.scalars(select(AuditEvent).filter_by(action="login_failed")).all()
    assert (event.entity, event.entity_id, event.workspace_id) == (
        "user",
        world.viewer.id,
        world.workspace.id,
    )
    client.post("/login", data={"email": "nobody@example.com", "password": "wrong-pass"})
    assert len(db.session.scalars(select(AuditEvent).filter_by(action="login_failed")).all()) == 1
    login(world.owner)
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    assert "failed login" in feed and f"someone, as {world.viewer.name}" in feed


def test_a_refused_change_shows_in_the_elements_history(client, world, login, bmap):
    login(world.viewer)
    client.post(f"/elements/{bmap.desk.id}/edit", data={"title": "X"})
    page = client.get(f"/elements/{bmap.desk.id}")
    assert page.status_code == 200
    assert "was refused a change (403)" in page.get_data(as_text=True)


def test_blueprint_history_covers_its_parts_even_deleted_ones(client, world, login, bmap):
    login(world.editor)
    client.post(f"/blueprints/{bmap.blueprint.id}/reviewed")
    client.post(
        f"/elements/{bmap.backoffice.id}/edit",
        data={"title": "Allocate stock early", "version": bmap.backoffice.version},
    )
    client.post(f"/elements/{bmap.buyer.id}/delete")
    insight = f.make_insight(world.workspace, "Slow desk", bmap.desk)
    f.commit()
    client.post(f"/insights/{insight.id}/causes", data={"causes": [bmap.person.id]})
    client.post(f"/elements/{bmap.foreign.id}/edit", data={"title": "Not mine"})  # 404

    page = client.get(f"/blueprints/{bmap.blueprint.id}/history")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "History of Order to cash" in text
    assert "Last reviewed: " in text  # the blueprint itself
    assert "Allocate stock → Allocate stock early" in text  # an element
    assert "element #" in text and "Places order" in text  # deleted, still there
    assert "link #" in text  # its link went with it
    assert "Confirmed causes: — → Service desk" in text  # an insight, through the service
    assert "Their step" not in text and "Not mine" not in text
    events_here = db.session.scalars(
        select(AuditEvent).where(AuditEvent.blueprint_id == bmap.blueprint.id)
    ).all()
    assert {e.entity for e in events_here} >= {"service_blueprint", "element", "link", "insight"}
    assert "History" in client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    client.post("/logout")
    login(world.outsider)
    assert client.get(f"/blueprints/{bmap.blueprint.id}/history").status_code == 404

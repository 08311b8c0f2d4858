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
        data={"title": "Faster refunds", "status": "planned", "impact": "5", "effort": "3"},
    )
    update = events("improvement_task", task_id)[-1]
    assert update.action == "update"
    assert update.changed == {"status": ["idea", "planned"], "impact": [3, 5]}
    page = client.get(f"/tasks/{task_id}").get_data(as_text=True)
    assert "History" in page and "Ed Editor" in page and "→ planned" in page

    client.post(f"/tasks/{task_id}/delete")
    assert events("improvement_task", task_id)[-1].action == "delete"


def test_element_and_insight_pages_show_history(client, world, login, bmap):
    login(world.editor)
    client.post(f"/elements/{bmap.desk.id}/edit", data={"title": "Desk confirms fast"})
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


def test_a_refused_change_leaves_no_audit_row(client, world, login, bmap):
    login(world.viewer)
    before = len(events("element"))
    assert client.post(f"/elements/{bmap.desk.id}/edit", data={"title": "X"}).status_code == 403
    login_again = client.post("/tasks/new", data={"title": "T", "impact": "3", "effort": "3"})
    assert login_again.status_code == 403
    assert len(events("element")) == before and events("improvement_task") == []

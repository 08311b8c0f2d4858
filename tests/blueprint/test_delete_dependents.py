"""Deleting a step or a stage says what is recorded at its steps (insights, with their
why-chains, confirmed causes and tasks) and lets the user keep it on the blueprint or delete
it; either way the audit trail records every row that changes."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from accounts.audit import AuditEvent
from backlog import services as backlog_services
from backlog.models import ConfirmedCause, ImprovementTask, Insight, WhyStep, task_insight
from blueprint.models import Element, Stage
from extensions import db
from tests import factories as f


def _world(world, bmap):
    """A pain point at the desk with a why-chain, a confirmed cause and a task; another
    insight elsewhere that confirmed the desk as its cause."""
    pain = f.make_insight(world.workspace, "Nobody confirms", bmap.desk, severity=5)
    f.backlog_services.add_why(pain, "The desk is short-staffed", None)
    f.backlog_services.add_why(pain, "Hiring froze", bmap.person.id)
    backlog_services.set_confirmed_causes(pain, [bmap.person.id], [bmap.person.id])
    other = f.make_insight(world.workspace, "Orders wait", bmap.buyer)
    backlog_services.set_confirmed_causes(other, [bmap.desk.id], [bmap.desk.id])
    task = f.make_task(
        world.workspace, "Staff the desk", insights=[pain, other], targets=[bmap.desk]
    )
    f.commit()
    return pain, other, task


def _events_since(since: int) -> Counter:
    db.session.expire_all()
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.id > since)).all()
    return Counter((e.action, e.entity) for e in rows)


def _last_event() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def test_the_delete_page_lists_the_insights_at_the_step_and_what_hangs_on_them(
    client, world, login, bmap
):
    pain, _, _ = _world(world, bmap)
    login(world.editor)
    page = client.get(f"/elements/{bmap.desk.id}/delete").get_data(as_text=True)
    listed = page.split('id="dependents"')[1].split("</ul>")[0]
    assert f'href="/insights/{pain.id}">Pain point: Nobody confirms</a>' in listed
    assert "2 why answers; 1 confirmed cause; addressed by Staff the desk" in listed
    assert "Orders wait" not in listed  # it is seen elsewhere: it stays where it is
    assert 'value="keep"' in page and 'value="delete"' in page


def test_deleting_a_step_with_insights_needs_a_choice(client, world, login, bmap):
    _world(world, bmap)
    login(world.editor)
    response = client.post(f"/elements/{bmap.desk.id}/delete")
    assert response.status_code == 422
    assert "Choose to keep or to delete it." in response.get_data(as_text=True)
    assert db.session.get(Element, bmap.desk.id) is not None


def test_a_step_without_insights_is_deleted_without_a_question(client, world, login, bmap):
    element_id = bmap.backoffice.id
    login(world.editor)
    assert client.post(f"/elements/{element_id}/delete").status_code == 302
    assert db.session.get(Element, element_id) is None


def test_keeping_the_insights_detaches_them_onto_the_blueprint(client, world, login, bmap):
    pain, other, task = _world(world, bmap)
    since = _last_event()
    login(world.editor)
    assert (
        client.post(f"/elements/{bmap.desk.id}/delete", data={"dependents": "keep"}).status_code
        == 302
    )
    db.session.expire_all()
    kept = db.session.get(Insight, pain.id)
    assert (kept.element_id, kept.blueprint_id) == (None, bmap.blueprint.id)
    assert [
        w.answer for w in db.session.scalars(select(WhyStep).filter_by(insight_id=pain.id))
    ] == [
        "The desk is short-staffed",
        "Hiring froze",
    ]
    assert db.session.scalars(
        select(ConfirmedCause.element_id).filter_by(insight_id=pain.id)
    ).all() == [bmap.person.id]
    assert db.session.scalars(select(task_insight.c.insight_id).filter_by(task_id=task.id)).all()
    assert _events_since(since) == Counter(
        {
            ("delete", "element"): 1,
            ("delete", "link"): 3,  # buyer relies on it; it is performed by and uses
            ("update", "insight"): 2,  # the pain detached; the other loses its cause
            ("update", "improvement_task"): 1,  # its target goes
        }
    )
    task_event = db.session.scalars(
        select(AuditEvent).filter_by(entity="improvement_task", entity_id=task.id)
    ).all()[-1]
    assert task_event.changed == {"targets": ["Desk confirms", ""]}
    cause_event = db.session.scalars(
        select(AuditEvent).filter_by(entity="insight", entity_id=other.id)
    ).all()[-1]
    assert cause_event.changed == {"confirmed_causes": ["Desk confirms", ""]}


def test_deleting_the_insights_takes_their_why_chains_and_says_so(client, world, login, bmap):
    pain, other, task = _world(world, bmap)
    pain_id = pain.id
    since = _last_event()
    login(world.editor)
    response = client.post(f"/elements/{bmap.desk.id}/delete", data={"dependents": "delete"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Insight, pain_id) is None
    assert db.session.scalars(select(WhyStep).filter_by(insight_id=pain_id)).all() == []
    assert db.session.scalars(
        select(task_insight.c.insight_id).filter_by(task_id=task.id)
    ).all() == [other.id]
    assert db.session.get(ImprovementTask, task.id) is not None  # the task stays
    assert _events_since(since) == Counter(
        {
            ("delete", "element"): 1,
            ("delete", "link"): 3,
            ("delete", "insight"): 1,
            ("delete", "why_step"): 2,
            # the deleted pain's confirmed cause, and the other's cause at the desk
            ("update", "insight"): 2,
            ("update", "improvement_task"): 1,  # its insight and its target go
        }
    )
    task_event = db.session.scalars(
        select(AuditEvent).filter_by(entity="improvement_task", entity_id=task.id)
    ).all()[-1]
    assert task_event.changed == {
        "insights": ["Nobody confirms; Orders wait", "Orders wait"],
        "targets": ["Desk confirms", ""],
    }


def test_deleting_a_stage_with_its_steps_asks_about_their_insights(client, world, login, bmap):
    pain, _, _ = _world(world, bmap)
    stage_id = bmap.stages[0].id
    login(world.editor)
    page = client.get(f"/stages/{stage_id}/delete").get_data(as_text=True)
    assert "Pain point: Nobody confirms" in page and "Observation: Orders wait" not in page
    assert "Pain point: Orders wait" in page  # the customer action is in the stage too
    refused = client.post(f"/stages/{stage_id}/delete", data={"elements": "delete"})
    assert refused.status_code == 422 and db.session.get(Stage, stage_id) is not None
    done = client.post(
        f"/stages/{stage_id}/delete", data={"elements": "delete", "dependents": "keep"}
    )
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Stage, stage_id) is None
    assert db.session.get(Insight, pain.id).element_id is None


def test_moving_a_stages_steps_asks_nothing_about_their_insights(client, world, login, bmap):
    pain, _, _ = _world(world, bmap)
    stage, other = bmap.stages
    login(world.editor)
    response = client.post(
        f"/stages/{stage.id}/delete", data={"elements": "move", "move_to": other.id}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Insight, pain.id).element_id == bmap.desk.id


def test_the_blueprint_package_never_imports_the_backlog():
    root = Path(__file__).resolve().parents[2] / "blueprint"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "backlog" or n.startswith("backlog.") for n in names), path

"""Deleting a task or an insight asks first: the page's Delete opens a confirmation that says
what goes with it, and only its own Delete (a POST) deletes."""

from __future__ import annotations

from backlog.models import ImprovementTask, Insight
from extensions import db
from tests import factories as f


def test_deleting_a_task_asks_first(client, world, login):
    task = f.make_task(world.workspace, "Shorter hold times")
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert f'href="/tasks/{task.id}/delete">Delete</a>' in page  # a link to the question
    question = client.get(f"/tasks/{task.id}/delete")
    assert question.status_code == 200
    text = question.get_data(as_text=True)
    assert "Delete the task “Shorter hold times”?" in text
    assert "the insights and steps stay" in text and f'href="/tasks/{task.id}"' in text
    assert db.session.get(ImprovementTask, task.id) is not None
    task_id = task.id
    assert client.post(f"/tasks/{task_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(ImprovementTask, task_id) is None


def test_deleting_an_insight_asks_first(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Confirmation late", bmap.desk)
    f.commit()
    login(world.editor)
    page = client.get(f"/insights/{insight.id}").get_data(as_text=True)
    assert f'href="/insights/{insight.id}/delete">Delete</a>' in page
    text = client.get(f"/insights/{insight.id}/delete").get_data(as_text=True)
    assert "Delete the insight “Confirmation late”?" in text and "its why-chain" in text
    assert db.session.get(Insight, insight.id) is not None
    client.post("/logout")
    login(world.viewer)
    assert client.get(f"/insights/{insight.id}/delete").status_code == 403

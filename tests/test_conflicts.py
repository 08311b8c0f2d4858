"""No lost updates: two people edit the same row; one wins, the other sees the conflict."""

import re

from backlog.models import ImprovementTask
from blueprint.models import Element
from extensions import db
from tests import factories as f


def version_in(page: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def second_client(app, user):
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": f.PASSWORD})
    return other


def test_two_editors_save_the_same_task(app, client, world, login):
    task = f.make_task(world.workspace, "Shared", impact=3, effort=3)
    f.commit()
    login(world.editor)
    other = second_client(app, world.owner)
    mine = version_in(client.get(f"/tasks/{task.id}/edit").get_data(as_text=True))
    theirs = version_in(other.get(f"/tasks/{task.id}/edit").get_data(as_text=True))
    base = {"title": "Shared", "status": "idea", "effort": "3"}

    first = other.post(f"/tasks/{task.id}/edit", data={**base, "impact": "5", "version": theirs})
    assert first.status_code == 302
    second = client.post(
        f"/tasks/{task.id}/edit", data={**base, "impact": "1", "team": "Ops", "version": mine}
    )
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "Someone else changed this in the meantime" in page
    assert re.search(r"Impact \(1–5\)</th><td>1</td><td>5", page)  # mine beside theirs
    db.session.expire_all()
    assert db.session.get(ImprovementTask, task.id).impact == 5  # the first save stands

    # re-apply on top: the page carries the current version
    current = version_in(page)
    again = client.post(
        f"/tasks/{task.id}/edit", data={**base, "impact": "1", "team": "Ops", "version": current}
    )
    assert again.status_code == 302
    db.session.expire_all()
    saved = db.session.get(ImprovementTask, task.id)
    assert (saved.impact, saved.team) == (1, "Ops")


def test_two_editors_save_the_same_element(app, client, world, login, bmap):
    login(world.editor)
    other = second_client(app, world.owner)
    mine = version_in(client.get(f"/elements/{bmap.desk.id}/edit").get_data(as_text=True))
    theirs = version_in(other.get(f"/elements/{bmap.desk.id}/edit").get_data(as_text=True))
    assert (
        other.post(
            f"/elements/{bmap.desk.id}/edit", data={"title": "Theirs", "version": theirs}
        ).status_code
        == 302
    )
    response = client.post(
        f"/elements/{bmap.desk.id}/edit", data={"title": "Mine", "version": mine}
    )
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Element, bmap.desk.id).title == "Theirs"
    assert "Reload the current version" in response.get_data(as_text=True)

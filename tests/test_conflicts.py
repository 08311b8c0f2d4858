"""No lost updates: two people edit the same row; one wins, the other sees the conflict."""

import html
import re

from werkzeug.datastructures import MultiDict

from backlog.models import ImprovementTask, task_insight
from blueprint.models import Element, Stage
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


def test_bulk_status_over_a_task_changed_since_changes_nothing(app, client, world, login):
    a = f.make_task(world.workspace, "Alpha", impact=3, effort=3)
    b = f.make_task(world.workspace, "Beta", impact=2, effort=3)
    f.commit()
    login(world.editor)
    page = client.get("/backlog").get_data(as_text=True)
    sent = {t.id: re.search(rf'name="version-{t.id}" value="(\d+)"', page).group(1) for t in (a, b)}
    other = second_client(app, world.owner)
    edit = {
        "title": "Beta",
        "status": "planned",
        "impact": "2",
        "effort": "3",
        "version": b.version,
    }
    assert other.post(f"/tasks/{b.id}/edit", data=edit).status_code == 302

    data = {"task_ids": [a.id, b.id], "status": "done"}
    data |= {f"version-{i}": v for i, v in sent.items()}
    response = client.post("/backlog/bulk-status", data=data)
    assert response.status_code == 409
    assert "Someone else changed Beta since you opened the backlog" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    statuses = {t.title: t.status.value for t in db.session.scalars(db.select(ImprovementTask))}
    assert statuses == {"Alpha": "idea", "Beta": "planned"}  # all or nothing

    fresh = client.get("/backlog").get_data(as_text=True)
    data |= {f"version-{b.id}": re.search(rf'name="version-{b.id}" value="(\d+)"', fresh)[1]}
    assert client.post("/backlog/bulk-status", data=data).status_code == 302
    db.session.expire_all()
    assert {t.status.value for t in db.session.scalars(db.select(ImprovementTask))} == {"done"}


def test_moving_a_card_or_stage_changed_since_is_refused(app, client, world, login, bmap):
    login(world.editor)
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    move = rf'/elements/{bmap.desk.id}/move".*?name="version" value="(\d+)"'
    card_version = re.search(move, board, re.S)[1]
    stage_move = rf'/stages/{bmap.stages[0].id}/move".*?name="version" value="(\d+)"'
    stage_version = re.search(stage_move, board, re.S)[1]

    other = second_client(app, world.owner)
    other.post(
        f"/elements/{bmap.desk.id}/edit",
        data={"title": "Desk confirms quickly", "version": card_version},
    )
    other.post(
        f"/stages/{bmap.stages[0].id}/rename", data={"name": "Ordering", "version": stage_version}
    )
    late = client.post(
        f"/elements/{bmap.desk.id}/move", data={"offset": "1", "version": card_version}
    )
    assert late.status_code == 409
    late = client.post(
        f"/stages/{bmap.stages[0].id}/move", data={"offset": "1", "version": stage_version}
    )
    assert late.status_code == 409
    db.session.expire_all()
    assert db.session.get(Stage, bmap.stages[0].id).position == 0
    assert db.session.get(Element, bmap.desk.id).title == "Desk confirms quickly"

    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    stage_version = re.search(stage_move, board, re.S)[1]
    moved = client.post(
        f"/stages/{bmap.stages[0].id}/move", data={"offset": "1", "version": stage_version}
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Stage, bmap.stages[0].id).position == 1


def _reapply_form(page: str) -> list[tuple[str, str]]:
    """The hidden fields of the conflict page's "Apply my values on top" form."""
    form = re.search(r'<form method="post" class="d-flex gap-2">(.*?)</form>', page, re.S)[1]
    return [
        (name, html.unescape(value))
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)
    ]


def test_applying_my_values_on_top_saves_what_i_posted(app, client, world, login, bmap):
    one = f.make_insight(world.workspace, "One", bmap.desk)
    two = f.make_insight(world.workspace, "Two", bmap.buyer)
    task = f.make_task(world.workspace, "Shared", impact=3, effort=3)
    f.commit()
    login(world.editor)
    mine = version_in(client.get(f"/tasks/{task.id}/edit").get_data(as_text=True))
    other = second_client(app, world.owner)
    theirs = {"title": "Theirs", "status": "idea", "impact": "5", "effort": "3", "version": mine}
    assert other.post(f"/tasks/{task.id}/edit", data=theirs).status_code == 302

    posted = {
        "title": 'Mine, "quoted" <b>',
        "status": "planned",
        "impact": "1",
        "effort": "3",
        "team": "Ops & Co",
        "pinned": "y",
        "reach": "1.50",
        "insight_ids": [str(one.id), str(two.id)],
        "version": mine,
    }
    conflict = client.post(f"/tasks/{task.id}/edit", data=posted)
    assert conflict.status_code == 409
    sent = _reapply_form(conflict.get_data(as_text=True))
    assert ("version", mine) not in sent  # re-applying saves on top of the current version
    assert ("title", posted["title"]) in sent and ("insight_ids", str(two.id)) in sent

    assert client.post(f"/tasks/{task.id}/edit", data=MultiDict(sent)).status_code == 302
    db.session.expire_all()
    saved = db.session.get(ImprovementTask, task.id)
    assert (saved.title, saved.status.value, saved.impact, saved.team, saved.pinned) == (
        posted["title"],
        "planned",
        1,
        "Ops & Co",
        True,
    )
    assert saved.reach == 1.5
    insights = db.session.scalars(
        db.select(task_insight.c.insight_id).where(task_insight.c.task_id == task.id)
    )
    assert set(insights) == {one.id, two.id}

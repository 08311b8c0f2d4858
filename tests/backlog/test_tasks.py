"""Improvement tasks: create, validate, rank, unscored, quadrants, matrix, suggested impact,
one-click creation, bulk status, settings."""

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from backlog.models import BacklogSettings, ImprovementTask, TaskStatus, task_insight, task_target
from extensions import db
from tests import factories as f


def count(model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def backlog_titles(client, url="/backlog"):
    page = client.get(url).get_data(as_text=True)
    scored = page.split("Unscored under")[0]
    return re.findall(r'<a href="/tasks/\d+">([^<]+)</a>', scored), page


def test_create_task_with_links_and_every_input(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Late", bmap.buyer)
    f.commit()
    login(world.editor)
    response = client.post(
        "/tasks/new",
        data={
            "title": "Confirm same hour",
            "status": "planned",
            "owner_id": world.editor.id,
            "team": "E-commerce",
            "due_on": "2026-12-01",
            "horizon": "short_term",
            "moscow": "must",
            "impact": "4",
            "effort": "2",
            "reach": "2000",
            "rice_impact": "2",
            "confidence": "0.8",
            "effort_months": "4",
            "ice_impact": "8",
            "ice_confidence": "7",
            "ice_ease": "5",
            "business_value": "8",
            "time_criticality": "5",
            "risk_reduction": "3",
            "job_size": "4",
            "insight_ids": [insight.id],
            "target_ids": [bmap.desk.id],
        },
    )
    assert response.status_code == 302
    task = db.session.execute(select(ImprovementTask)).scalar_one()
    assert (task.status, task.horizon.value, task.moscow.value) == (
        TaskStatus.PLANNED,
        "short_term",
        "must",
    )
    assert count(task_insight) == 1 and count(task_target) == 1
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    for label, shown in [
        ("Value ÷ effort", "2.00"),
        ("RICE", "800.00"),
        ("ICE (product)", "280.00"),
        ("WSJF", "4.00"),
    ]:
        assert re.search(
            rf"{re.escape(label)}</th>.*?<strong>{re.escape(shown)}</strong>", page, re.S
        ), label
    assert "Late" in page and "Desk confirms" in page


def test_task_validation_names_the_field(client, world, login, bmap):
    login(world.editor)
    base = {"title": "T", "status": "idea", "impact": "3", "effort": "3"}
    cases = [
        ({"effort": "0"}, "Number must be between 1 and 5"),
        ({"impact": "9"}, "Number must be between 1 and 5"),
        ({"confidence": "1.5"}, "Confidence must be between 0 and 1."),
        ({"reach": "-3"}, "Reach cannot be negative."),
        ({"effort_months": "0"}, "Effort months must be greater than 0."),
        ({"ice_ease": "11"}, "Ice ease must be between 1 and 10."),
        ({"job_size": "0"}, "Job size must be greater than 0."),
        ({"rice_impact": "1.5"}, "Not a valid choice"),
        ({"title": ""}, "This field is required."),
        ({"insight_ids": [999999]}, "Choose from this workspace only."),
        ({"target_ids": [bmap.foreign.id]}, "Choose from this workspace only."),
    ]
    for data, message in cases:
        response = client.post("/tasks/new", data={**base, **data})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), (data, message)
    assert count(ImprovementTask) == 0


def test_backlog_orders_by_score_then_pain_then_age(client, world, login, bmap):
    big_pain = f.make_insight(world.workspace, "Big", bmap.buyer, severity=5, frequency=5)
    f.make_task(world.workspace, "Older tie", impact=4, effort=2)
    f.make_task(world.workspace, "Best", impact=5, effort=1)
    f.make_task(world.workspace, "Tie with pain", insights=[big_pain], impact=2, effort=1)
    f.make_task(world.workspace, "Worst", impact=1, effort=5)
    f.make_task(world.workspace, "Pinned", impact=1, effort=5, pinned=True)
    f.commit()
    login(world.viewer)
    titles, page = backlog_titles(client)
    assert titles == ["Pinned", "Best", "Tie with pain", "Older tie", "Worst"]
    assert "quadrant-quick_win" in page


def test_backlog_by_another_framework_lists_unscored_apart(client, world, login, bmap):
    f.make_task(
        world.workspace, "Has RICE", reach=100, rice_impact=1, confidence=1, effort_months=1
    )
    f.make_task(
        world.workspace, "Big RICE", reach=1000, rice_impact=3, confidence=0.5, effort_months=2
    )
    f.make_task(world.workspace, "No RICE inputs", impact=5, effort=1)
    f.commit()
    login(world.viewer)
    titles, page = backlog_titles(client, "/backlog?framework=rice")
    assert titles == ["Big RICE", "Has RICE"]
    unscored = page.split("Unscored under")[1]
    assert "No RICE inputs" in unscored
    assert "never ranked as zero" in unscored


def test_workspace_default_framework_and_threshold(client, world, login, bmap):
    f.make_task(
        world.workspace, "ICE only", ice_impact=2, ice_confidence=2, ice_ease=2, impact=3, effort=3
    )
    f.commit()
    login(world.owner)
    response = client.post(
        "/backlog/settings", data={"framework": "ice", "quadrant_threshold": "4"}
    )
    assert response.status_code == 302
    settings = db.session.get(BacklogSettings, world.workspace.id)
    assert (settings.framework, settings.quadrant_threshold) == ("ice", 4)
    titles, page = backlog_titles(client)
    assert titles == ["ICE only"] and "Fill-in" in page  # 3/3 is low at threshold 4
    bad = client.post("/backlog/settings", data={"framework": "ice", "quadrant_threshold": "9"})
    assert bad.status_code == 422


def test_filters_and_pagination_keep_order(client, world, login, bmap):
    for i in range(55):
        f.make_task(
            world.workspace,
            f"Task {i:02d}",
            impact=1 + i % 5,
            effort=1 + (i * 3) % 5,
            status="done" if i % 11 == 0 else "idea",
        )
    f.make_task(
        world.workspace,
        "Late one",
        impact=3,
        effort=3,
        due_on=date.today() - timedelta(days=1),
        owner_id=world.editor.id,
        horizon="quick_win",
    )
    f.commit()
    login(world.viewer)
    first, _ = backlog_titles(client, "/backlog?page=1")
    second, _ = backlog_titles(client, "/backlog?page=2")
    assert len(first) == 50 and len(second) == 6 and not set(first) & set(second)
    assert backlog_titles(client, "/backlog?overdue=y")[0] == ["Late one"]
    assert backlog_titles(client, f"/backlog?owner_id={world.editor.id}")[0] == ["Late one"]
    assert backlog_titles(client, "/backlog?horizon=quick_win")[0] == ["Late one"]
    assert backlog_titles(client, "/backlog?q=late")[0] == ["Late one"]
    done = backlog_titles(client, "/backlog?status=done")[0]
    assert len(done) == 5 and all(t.startswith("Task") for t in done)
    quick = backlog_titles(client, "/backlog?quadrant=quick_win")[0]
    assert quick and all(t.startswith("Task") for t in quick)


def test_blueprint_filter_uses_targets_and_insights(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "On the map", bmap.buyer)
    f.make_task(world.workspace, "Via insight", insights=[insight])
    f.make_task(world.workspace, "Via target", targets=[bmap.desk])
    f.make_task(world.workspace, "Elsewhere")
    f.commit()
    login(world.viewer)
    titles, _ = backlog_titles(client, f"/backlog?blueprint_id={bmap.blueprint.id}")
    assert sorted(titles) == ["Via insight", "Via target"]


def test_bulk_status_change(client, world, login, bmap):
    a = f.make_task(world.workspace, "A")
    b = f.make_task(world.workspace, "B")
    f.make_task(world.workspace, "C")
    f.commit()
    login(world.editor)
    response = client.post(
        "/backlog/bulk-status",
        data={
            "task_ids": [a.id, b.id],
            "status": "in_progress",
            **{f"version-{t.id}": t.version for t in (a, b)},
        },
    )
    assert response.status_code == 302
    statuses = dict(db.session.execute(select(ImprovementTask.title, ImprovementTask.status)).all())
    assert statuses == {
        "A": TaskStatus.IN_PROGRESS,
        "B": TaskStatus.IN_PROGRESS,
        "C": TaskStatus.IDEA,
    }
    empty = client.post("/backlog/bulk-status", data={"status": "done"})
    assert empty.status_code == 422
    assert "Tick at least one task." in empty.get_data(as_text=True)


def test_bulk_status_refuses_tasks_of_another_workspace(client, world, login, bmap):
    mine = f.make_task(world.workspace, "Mine")
    theirs = f.make_task(world.other_workspace, "Theirs")
    f.commit()
    login(world.editor)
    response = client.post(
        "/backlog/bulk-status", data={"task_ids": [mine.id, theirs.id], "status": "done"}
    )
    assert response.status_code == 404
    assert db.session.get(ImprovementTask, mine.id).status is TaskStatus.IDEA


def test_matrix_places_tasks_in_their_quadrants(client, world, login, bmap):
    win = f.make_task(world.workspace, "Win", impact=5, effort=1)
    slog = f.make_task(world.workspace, "Slog", impact=1, effort=5)
    twin = f.make_task(world.workspace, "Twin", impact=5, effort=1)
    f.commit()
    login(world.viewer)
    page = client.get("/backlog/matrix").get_data(as_text=True)
    for task, quadrant in [(win, "quick_win"), (slog, "thankless"), (twin, "quick_win")]:
        assert re.search(
            rf'href="/tasks/{task.id}">\s*<g class="point quadrant-{quadrant}">', page
        ), task.title
    points = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="7">', page)
    assert len(set(points)) == 3  # the two tasks in one cell do not overlap
    for label in ("Quick win", "Major project", "Fill-in", "Thankless task"):
        assert label in page


def test_suggested_impact_on_a_known_graph(client, world, login, bmap):
    # buyer relies on desk; pains: 5×4 = 20 at the buyer, 1×2 = 2 at the desk
    f.make_insight(world.workspace, "Big", bmap.buyer, severity=5, frequency=4)
    small = f.make_insight(world.workspace, "Small", bmap.desk, severity=1, frequency=2)
    task = f.make_task(
        world.workspace, "Fix the desk", insights=[small], targets=[bmap.desk], impact=1
    )
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    # both insights sit on or above the desk: pain 22; the largest cause (the service desk
    # person, under both insights and the desk's fail point) scores 23 → 1 + round(4·22/23) = 5
    assert "Suggested impact from the graph: <strong>5</strong>" in page
    assert "It sits under 2 pain points. They are in 1 journey." in page
    assert "Their pain is 22 against the largest cause&#39;s 23." in page
    accept = {"version": re.search(r'accept-impact".*?name="version" value="(\d+)"', page, re.S)[1]}
    assert client.post(f"/tasks/{task.id}/accept-impact", data=accept).status_code == 302
    assert db.session.get(ImprovementTask, task.id).impact == 5


def test_accepting_the_suggested_impact_of_a_task_changed_meanwhile_is_a_conflict(
    client, world, login, bmap
):
    small = f.make_insight(world.workspace, "Small", bmap.desk, severity=5, frequency=4)
    task = f.make_task(world.workspace, "Fix the desk", insights=[small], impact=1, effort=3)
    f.commit()
    login(world.editor)
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    seen = re.search(r'accept-impact".*?name="version" value="(\d+)"', page, re.S)[1]
    edit = {"title": "Fix the desk", "status": "planned", "impact": "2", "effort": "3",
            "insight_ids": str(small.id)}  # fmt: skip
    assert client.post(f"/tasks/{task.id}/edit", data={**edit, "version": seen}).status_code == 302

    for stale in ({"version": seen}, {}):  # read before the edit, or not saying when
        response = client.post(f"/tasks/{task.id}/accept-impact", data=stale)
        assert response.status_code == 409
        assert "Someone else changed this in the meantime" in response.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(ImprovementTask, task.id)
    assert (saved.impact, saved.status.value) == (2, "planned")  # the edit stands

    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    fresh = re.search(r'accept-impact".*?name="version" value="(\d+)"', page, re.S)[1]
    suggested = int(re.search(r"Suggested impact from the graph: <strong>(\d)</strong>", page)[1])
    assert (
        client.post(f"/tasks/{task.id}/accept-impact", data={"version": fresh}).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(ImprovementTask, task.id).impact == suggested != 2


def test_one_click_task_from_an_insight(client, world, login, bmap):
    insight = f.make_insight(
        world.workspace, "Never confirmed", bmap.buyer, severity=4, frequency=5
    )
    f.commit()
    login(world.editor)
    response = client.post("/tasks/quick", data={"source": "insight", "insight_id": insight.id})
    assert response.status_code == 302
    task = db.session.execute(select(ImprovementTask)).scalar_one()
    assert task.title == "Fix: Never confirmed" and task.impact == 5
    assert set(db.session.scalars(select(task_insight.c.insight_id))) == {insight.id}
    assert set(db.session.scalars(select(task_target.c.element_id))) == {bmap.buyer.id}


def test_one_click_task_from_a_root_cause_and_a_finding(client, world, login, bmap):
    insight = f.make_insight(world.workspace, "Never confirmed", bmap.buyer)
    f.commit()
    login(world.editor)
    ranking = client.get("/root-causes").get_data(as_text=True)
    assert 'name="source" value="cause"' in ranking
    client.post("/tasks/quick", data={"source": "cause", "element_id": bmap.person.id})
    task = db.session.execute(select(ImprovementTask)).scalar_one()
    assert task.title == "Fix Service desk"
    assert set(db.session.scalars(select(task_insight.c.insight_id))) == {insight.id}
    health = client.get(f"/blueprints/{bmap.blueprint.id}/health").get_data(as_text=True)
    assert 'name="source" value="finding"' in health
    client.post(
        "/tasks/quick",
        data={"source": "finding", "kind": "unused_backstage", "element_id": bmap.backoffice.id},
    )
    titles = set(db.session.scalars(select(ImprovementTask.title)))
    assert "Nothing relies on it: Allocate stock" in titles
    foreign = client.post("/tasks/quick", data={"source": "cause", "element_id": bmap.foreign.id})
    assert foreign.status_code == 404


def test_board_and_element_page_show_targeting_tasks(client, world, login, bmap):
    f.make_task(world.workspace, "Speed up the desk", targets=[bmap.desk], status="planned")
    f.commit()
    login(world.viewer)
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    card = board[board.index(f'id="el-{bmap.desk.id}"') :]
    assert "Task: Speed up the desk (planned)" in card[: card.index("</article>")]
    assert "Task: Speed up the desk" in client.get(f"/elements/{bmap.desk.id}").get_data(
        as_text=True
    )


def test_delete_and_edit_task(client, world, login, bmap):
    task = f.make_task(world.workspace, "Old", targets=[bmap.desk])
    f.commit()
    login(world.editor)
    form = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert f'<option selected value="{bmap.desk.id}">' in form
    client.post(
        f"/tasks/{task.id}/edit",
        data={
            "title": "New",
            "status": "done",
            "impact": "2",
            "effort": "2",
            "version": task.version,
        },
    )
    task = db.session.get(ImprovementTask, task.id)
    assert task.title == "New" and task.status is TaskStatus.DONE
    assert count(task_target) == 0  # the edit form sent no targets
    task_id = task.id
    client.post(f"/tasks/{task_id}/delete")
    assert db.session.get(ImprovementTask, task_id) is None

"""The activity feed and the histories say a changed day, moment, number or reference as the
pages do, in the reader's language and zone: "1 gru 2026", not 2026-12-01; "0,75", not 0.75;
"Ed Editor → Vera Viewer" and "Order → Deliver", not "2 → 3"; a row that is gone as "#12".
The column's type decides, never the look of the text; a reference is named only by a row of
the workspace shown; the feed's queries do not grow with the changes it shows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, select

from accounts import audit
from accounts import services as accounts
from accounts.models import Membership, Role
from backlog.models import ImprovementTask
from blueprint import services as blueprint_services
from blueprint.models import Element, Stage
from blueprint.sharing import services as sharing
from blueprint.sharing.models import ShareLink
from extensions import db
from tests import factories as f
from tests.helpers import count_queries

NOW = datetime(2026, 12, 2, 16, 40, 6, tzinfo=UTC)  # 17:40 in Warsaw
EN_MOMENT = "Dec 2, 2026, 5:40\u202fPM"  # a narrow no-break space before PM, as CLDR has it
TASK = {"status": "idea", "impact": "3", "effort": "2"}


def _settings(client, language: str, time_zone: str = "Europe/Warsaw") -> None:
    saved = client.post("/account", data={"language": language, "time_zone": time_zone})
    assert saved.status_code == 302


def _page(client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.get_data(as_text=True).replace("<del>", "").replace("</del>", "")


@pytest.fixture
def edited(client, world, login, bmap, monkeypatch):
    """Through the pages, by the editor: a task made and then retitled with what looks like
    a date, given a later due date, another owner and new RICE inputs; the desk moved from
    Order to Deliver; a share link revoked at NOW."""
    login(world.editor)
    made = client.post(
        "/tasks/new",
        data={
            **TASK,
            "title": "Call the courier",
            "owner_id": world.editor.id,
            "due_on": "2026-12-01",
            "confidence": "0.5",
            "effort_months": "2",
        },
    )
    assert made.status_code == 302
    task = db.session.scalars(select(ImprovementTask)).one()
    edit = {
        **TASK,
        "title": "2026-12-01",
        "owner_id": world.viewer.id,
        "due_on": "2026-12-15",
        "confidence": "0.75",
        "effort_months": "2.5",
        "version": task.version,
    }
    assert client.post(f"/tasks/{task.id}/edit", data=edit).status_code == 302
    desk = db.session.get(Element, bmap.desk.id)
    move = {"stage_id": bmap.stages[1].id, "version": desk.version}
    assert client.post(f"/elements/{desk.id}/stage", data=move).status_code == 302
    link, _token = sharing.create(bmap.blueprint, world.owner)
    f.commit()
    monkeypatch.setattr(sharing, "utcnow", lambda: NOW)
    revoked = client.post(f"/blueprints/{bmap.blueprint.id}/share/{link.id}/revoke")
    assert revoked.status_code == 303
    assert db.session.get(ShareLink, link.id).revoked_at == NOW
    db.session.expire_all()
    return db.session.get(ImprovementTask, task.id)


@pytest.mark.parametrize(
    "language, days, numbers, moment",
    [
        ("en", "Dec 1, 2026 → Dec 15, 2026", ("0.5 → 0.75", "2 → 2.5"), EN_MOMENT),
        ("pl", "1 gru 2026 → 15 gru 2026", ("0,5 → 0,75", "2 → 2,5"), "2 gru 2026, 17:40"),
    ],
)
def test_days_numbers_moments_and_references_read_as_the_pages_write_them(
    client, world, bmap, edited, language, days, numbers, moment
):
    _settings(client, language)
    feed = _page(client, f"/workspaces/{world.workspace.id}/activity")
    history = _page(client, f"/tasks/{edited.id}")
    for page in (feed, history):
        assert days in page and "2026-12-15" not in page
        assert "Ed Editor → Vera Viewer" in page
        assert f"{world.editor.id} → {world.viewer.id}" not in page
        for number in numbers:
            assert number in page
        assert ": Call the courier → 2026-12-01" in page  # typed, so as typed
    assert f"— → {moment}" in feed and "T16:40" not in feed and "+00:00" not in feed
    assert "Order → Deliver" in feed
    assert f"{bmap.stages[0].id} → {bmap.stages[1].id}" not in feed
    assert "Order → Deliver" in _page(client, f"/elements/{bmap.desk.id}")
    if language == "pl":
        assert "0.75" not in feed and "2.5" not in feed


def test_a_row_that_is_gone_reads_as_its_number(client, world, bmap, edited):
    order, deliver = (stage.id for stage in bmap.stages)
    form = {"elements": "move", "move_to": deliver}
    assert client.post(f"/stages/{order}/delete", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Stage, order) is None
    feed = _page(client, f"/workspaces/{world.workspace.id}/activity")
    assert f"#{order} → Deliver" in feed and "Order → Deliver" not in feed
    assert f"#{order} → Deliver" in _page(client, f"/elements/{bmap.desk.id}")
    assert f"#{order} → Deliver" in _page(client, f"/blueprints/{bmap.blueprint.id}/history")


def test_a_former_member_is_named_and_nobody_of_another_workspace_is(
    client, world, login, bmap, edited
):
    db.session.execute(
        delete(Membership).where(
            Membership.workspace_id == world.workspace.id, Membership.user_id == world.editor.id
        )
    )
    (their_stage,) = db.session.scalars(
        select(Stage).where(Stage.workspace_id == world.other_workspace.id)
    ).all()
    # recorded as if the rows had pointed elsewhere: what a workspace's history says of rows
    # that are not its own
    audit.record(
        world.workspace.id, "update", "improvement_task", edited.id, "Call the courier",
        {"owner_id": [world.outsider.id, world.owner.id]},
    )  # fmt: skip
    audit.record(
        world.workspace.id, "update", "element", bmap.buyer.id, "Places order",
        {"stage_id": [their_stage.id, bmap.stages[0].id]},
    )  # fmt: skip
    audit.record(
        world.workspace.id, "update", "link", 1, "",
        {"target_id": [bmap.foreign.id, bmap.desk.id]},
    )  # fmt: skip
    f.commit()
    client.post("/logout")
    login(world.owner)
    feed = _page(client, f"/workspaces/{world.workspace.id}/activity")
    assert "Ed Editor → Vera Viewer" in feed  # who made changes here, though gone since
    assert f"#{world.outsider.id} → Olive Owner" in feed and "Otto Outsider" not in feed
    assert f"#{their_stage.id} → Order" in feed
    assert f"#{bmap.foreign.id} → Desk confirms" in feed and "Their step" not in feed


def _changes(world, bmap, task_id: int, rounds: int, start: int = 0) -> None:
    """`rounds` times: a new member and a new stage; a task handed to that member with its
    due date moved, the steps moved to that stage. Each change names rows of its own."""
    task = db.session.get(ImprovementTask, task_id)
    blueprint = db.session.merge(bmap.blueprint)
    for turn in range(start, start + rounds):
        member = f.make_user(f"member{turn}@example.com", f"Member {turn}")
        accounts.add_member(world.workspace, member.email, Role.EDITOR)
        stage = blueprint_services.add_stage(blueprint, f"Stage {turn}")
        f.commit()
        assert task.owner_id != member.id  # loaded, as a page's edit loads it
        task.owner_id, task.due_on = member.id, date(2026, 1 + turn % 12, 1)
        for step in (bmap.buyer, bmap.desk, bmap.backoffice):
            blueprint_services.move_element_to_stage(db.session.merge(step), stage)
        f.commit()


def test_the_feed_asks_as_many_queries_for_many_changes_as_for_few(client, world, login, bmap):
    task_id = f.make_task(world.workspace, "Courier", owner_id=world.owner.id).id
    f.commit()
    login(world.owner)
    _changes(world, bmap, task_id, 1)
    urls = (
        f"/workspaces/{world.workspace.id}/activity",
        f"/blueprints/{bmap.blueprint.id}/history",
        f"/elements/{bmap.desk.id}",
        f"/tasks/{task_id}",
    )
    few = [count_queries(client, url) for url in urls]
    _changes(world, bmap, task_id, 8, start=1)
    feed = _page(client, urls[0])
    assert "Member 3 → Member 4" in feed and "Stage 3 → Stage 4" in feed
    assert [count_queries(client, url) for url in urls] == few


def test_a_number_too_large_for_a_pattern_reads_as_it_is(app):
    from flask_babel import force_locale

    from web.i18n import format_number

    with app.test_request_context(), force_locale("pl"):
        assert format_number(1e308) == "1e+308"
        assert format_number(2.5) == "2,5"

"""The activity feed and a row's history in the reader's words: a changed field by its name
for people ("Due date", "Termin"), not its column; a field nobody named still reads as
words; the "since" filter starts at the reader's midnight."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from accounts import audit
from accounts.audit import AuditEvent
from backlog.models import ImprovementTask
from blueprint.models import ServiceBlueprint
from extensions import db
from tests import factories as f


def _settings(client, language: str, time_zone: str = "UTC") -> None:
    saved = client.post("/account", data={"language": language, "time_zone": time_zone})
    assert saved.status_code == 302


def _changes(page: str) -> str:
    return page.replace("<del>", "").replace("</del>", "")


@pytest.fixture
def changed_task(world, bmap):
    task = f.make_task(world.workspace, "Call the courier", due_on=date(2026, 3, 1))
    f.commit()
    assert task.due_on == date(2026, 3, 1)  # loaded, as a page's edit loads it
    task.due_on, task.team = date(2026, 4, 1), "Logistics"
    blueprint = db.session.get(ServiceBlueprint, bmap.blueprint.id)
    blueprint.review_cadence_days = 30
    f.commit()
    return task


@pytest.mark.parametrize(
    "language, due, team, cadence",
    [
        ("en", "Due date", "Team", "Review every (days)"),
        ("pl", "Termin", "Zespół", "Przegląd co (dni)"),
    ],
)
def test_changed_fields_are_named_in_the_readers_language(
    client, world, login, changed_task, language, due, team, cadence
):
    login(world.owner)
    _settings(client, language)
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    assert f"{due}: 2026-03-01 → 2026-04-01" in feed
    assert re.search(rf"{team}: [^;<]*→ Logistics", feed) and f"{cadence}: — → 30" in feed
    assert "due on" not in feed and "due_on" not in feed and "review cadence" not in feed
    history = _changes(client.get(f"/tasks/{changed_task.id}").get_data(as_text=True))
    assert f"{due}: 2026-03-01 → 2026-04-01" in history


def test_what_the_backlog_records_itself_is_named_too(client, world, login, bmap):
    login(world.editor)
    _settings(client, "pl")
    client.post(
        "/tasks/new",
        data={"title": "Faster desk", "status": "idea", "impact": "3", "effort": "2"},
    )
    task = db.session.scalars(select(ImprovementTask)).one()
    client.post(
        f"/tasks/{task.id}/edit",
        data={
            "title": "Faster desk",
            "status": "idea",
            "impact": "3",
            "effort": "2",
            "target_ids": [bmap.desk.id],
            "version": task.version,
        },
    )
    page = _changes(client.get(f"/tasks/{task.id}").get_data(as_text=True))
    assert "Elementy, które zmienia:  → Desk confirms" in page


def test_a_field_nobody_named_reads_as_words(client, world, login):
    audit.record(
        world.workspace.id, "update", "step_alias", 1, "Billing", {"match_key": ["bill", "billing"]}
    )
    audit.record(world.workspace.id, "update", "gadget", 1, "X", {"widget_owner_id": [1, 2]})
    f.commit()
    login(world.owner)
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    assert "Match key: bill → billing" in feed and "Widget owner: 1 → 2" in feed


def test_since_starts_at_the_readers_midnight(client, world, login):
    login(world.owner)
    client.post("/workspaces", data={"name": "Late night"})
    newest = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    made = db.session.scalars(
        select(AuditEvent).where(AuditEvent.workspace_id == newest.workspace_id)
    ).all()
    for event in made:  # the workspace and its first membership
        event.at = datetime(2026, 2, 28, 23, 30, tzinfo=UTC)  # 00:30 on 1 March in Warsaw
    db.session.commit()
    url = f"/workspaces/{newest.workspace_id}/activity?since=2026-03-01"
    _settings(client, "en", "UTC")
    assert "No activity." in client.get(url).get_data(as_text=True)
    _settings(client, "en", "Europe/Warsaw")
    page = client.get(url).get_data(as_text=True)
    assert "No activity." not in page and "Mar 1, 2026, 12:30" in page

"""The activity feed and a row's history in the reader's words: a changed field by its name
for people ("Due date", "Termin"), not its column; a field nobody named still reads as
words; the "since" filter starts at the reader's midnight."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from accounts import audit, audit_words
from accounts.audit import AuditEvent
from accounts.models import Membership, Role
from backlog import services
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
    "language, due, team, cadence, days",
    [
        ("en", "Due date", "Team", "Review every (days)", "Mar 1, 2026 → Apr 1, 2026"),
        ("pl", "Termin", "Zespół", "Przegląd co (dni)", "1 mar 2026 → 1 kwi 2026"),
    ],
)
def test_changed_fields_are_named_in_the_readers_language(
    client, world, login, changed_task, language, due, team, cadence, days
):
    login(world.owner)
    _settings(client, language)
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    assert f"{due}: {days}" in feed
    assert re.search(rf"{team}: [^;<]*→ Logistics", feed) and f"{cadence}: — → 30" in feed
    assert "due on" not in feed and "due_on" not in feed and "review cadence" not in feed
    history = _changes(client.get(f"/tasks/{changed_task.id}").get_data(as_text=True))
    assert f"{due}: {days}" in history


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
    assert "Elementy, które zmienia: — → Desk confirms" in page


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


@pytest.fixture
def coded_changes(world, bmap):
    """A task moved on (status, horizon, pinned) and its team renamed to a word that looks
    like a code; the desk step moved to the backstage and given a channel."""
    task = f.make_task(world.workspace, "Call the courier", status="idea", team="Ops")
    f.commit()
    assert task.status.value == "idea"  # loaded, as a page's edit loads it
    task.status, task.horizon, task.pinned, task.team = "in_progress", "quick_win", True, "done"
    desk = db.session.merge(bmap.desk)
    assert desk.kind.value == "frontstage" and desk.channel is None
    desk.kind, desk.channel = "backstage", "email"
    f.commit()
    return task


@pytest.mark.parametrize(
    "language, changes",
    [
        (
            "en",
            [
                "Status: Idea → In progress",
                "Horizon: — → Quick win",
                "Pinned: no → yes",
                "Team: Ops → done",  # what people write stays as they wrote it
                "Kind: Frontstage → Backstage",
                "Channel: — → E-mail",
            ],
        ),
        (
            "pl",
            [
                "Status: Pomysł → W toku",
                "Horyzont: — → Szybka wygrana",
                "Przypięte: nie → tak",
                "Zespół: Ops → done",
                "Rodzaj: Front → Zaplecze",
                "Kanał: — → E-mail",
            ],
        ),
    ],
)
def test_changed_coded_values_are_said_in_the_readers_words(
    client, world, login, coded_changes, language, changes
):
    login(world.owner)
    _settings(client, language)
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    history = _changes(client.get(f"/tasks/{coded_changes.id}").get_data(as_text=True))
    for change in changes:
        assert change in feed
    for change in changes[:4]:  # the task's own
        assert change in history
    for raw in ("in_progress", "quick_win", "True", "frontstage", "backstage", "email"):
        assert f": {raw}" not in feed and f"→ {raw}" not in feed
        assert f"→ {raw}" not in history and f"{raw}</del>" not in history


def test_a_role_and_a_default_framework_are_said_in_the_readers_words(client, world, login):
    services.save_settings(world.workspace.id, "value_effort", 3)
    f.commit()
    membership = db.session.scalars(
        select(Membership).where(Membership.user_id == world.viewer.id)
    ).one()
    settings = services.settings_for(world.workspace.id)
    assert (membership.role, settings.framework) == (Role.VIEWER, "value_effort")  # loaded
    settings.framework, membership.role = "rice", Role.EDITOR
    f.commit()
    login(world.owner)
    _settings(client, "pl")
    feed = client.get(f"/workspaces/{world.workspace.id}/activity").get_data(as_text=True)
    assert "Rola: Obserwator → Edytor" in feed
    assert "Domyślna metoda oceny: Wartość ÷ nakład pracy → RICE" in feed
    assert "value_effort" not in feed and "→ editor" not in feed


def test_every_coded_column_of_the_history_has_its_words(app):
    """A new enum column of an audited row fails here until its package registers its
    values' words (`VALUE_WORDS`): the feed says each stored value as the pages label it."""
    coded = []
    for mapper in db.Model.registry.mappers:
        model = mapper.class_
        if not getattr(model, "__audited__", True) or not hasattr(model, "workspace_id"):
            continue
        for column in mapper.columns:
            kind = getattr(column.type, "enum_class", None)
            coded += [(model.__tablename__, column.name, member) for member in kind or ()]
    assert len(coded) > 40
    for language in ("en", "pl"):
        with app.test_request_context(), force_locale(language):
            unsaid = [
                (table, name, member.value, audit_words.value_word(table, name, member.value))
                for table, name, member in coded
                if audit_words.value_word(table, name, member.value) != str(member.label)
            ]
        assert unsaid == [], language

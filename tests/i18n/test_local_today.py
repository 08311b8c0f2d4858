"""Today is the reader's: what is due or overdue, and the date a downloaded board says,
follow the user's time zone, not the server's UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

import clock
from tests import factories as f

# 10:30 on 2 Dec in UTC: 23:30 on 1 Dec in Pago Pago (UTC-11), 00:30 on 3 Dec in Kiritimati
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


def _settings(client, language, time_zone):
    saved = client.post("/account", data={"language": language, "time_zone": time_zone})
    assert saved.status_code == 302


def _overdue_titles(client) -> str:
    return client.get("/backlog?overdue=y").get_data(as_text=True)


@pytest.mark.parametrize(
    "time_zone, due_on, overdue",
    [
        ("UTC", date(2026, 12, 1), True),
        ("Pacific/Pago_Pago", date(2026, 12, 1), False),  # still the 1st there: due today
        ("UTC", date(2026, 12, 2), False),
        ("Pacific/Kiritimati", date(2026, 12, 2), True),  # already the 3rd there
    ],
)
def test_overdue_follows_the_users_time_zone(
    client, world, login, monkeypatch, time_zone, due_on, overdue
):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    f.make_task(world.workspace, "Send the invoices", due_on=due_on)
    f.commit()
    login(world.viewer)
    _settings(client, "en", time_zone)
    backlog = client.get("/backlog").get_data(as_text=True)
    assert ("Overdue</span>" in backlog) is overdue
    assert ("Send the invoices" in _overdue_titles(client)) is overdue


def test_the_downloaded_board_is_dated_in_the_readers_language_and_zone(
    client, world, login, bmap, monkeypatch
):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    login(world.viewer)
    _settings(client, "pl", "Pacific/Kiritimati")
    svg = client.get(f"/blueprints/{bmap.blueprint.id}/board.svg").get_data(as_text=True)
    assert "3 gru 2026" in svg and "2026-12-0" not in svg
    _settings(client, "en", "Pacific/Pago_Pago")
    svg = client.get(f"/blueprints/{bmap.blueprint.id}/board.svg").get_data(as_text=True)
    assert "Exported from Rootline on Dec 1, 2026" in svg

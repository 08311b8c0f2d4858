"""Today is the reader's: what is due or overdue, a review's due date and the day "Mark
reviewed" records, and the date a summary, a downloaded or a printed board says, follow the
user's time zone, not the server's UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace as NS

import pytest

import clock
from blueprint import board_svg
from blueprint.models import ServiceBlueprint
from extensions import db
from tests import factories as f

# 10:30 on 2 Dec in UTC: 23:30 on 1 Dec in Pago Pago (UTC-11), 00:30 on 3 Dec in Kiritimati
NOW = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)


def _settings(client, language, time_zone):
    saved = client.post("/account", data={"language": language, "time_zone": time_zone})
    assert saved.status_code == 302


def _seen_as(client, language: str, time_zone: str, url: str) -> str:
    """The page at `url` for a reader who chose `language` and `time_zone`."""
    _settings(client, language, time_zone)
    return client.get(url).get_data(as_text=True)


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
    svg = _seen_as(client, "pl", "Pacific/Kiritimati", f"/blueprints/{bmap.blueprint.id}/board.svg")
    assert "3 gru 2026" in svg and "2026-12-0" not in svg
    svg = _seen_as(client, "en", "Pacific/Pago_Pago", f"/blueprints/{bmap.blueprint.id}/board.svg")
    assert "Exported from Rootline on Dec 1, 2026" in svg


def test_a_review_falls_due_and_is_recorded_on_the_readers_day(
    client, world, login, bmap, monkeypatch
):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    blueprint = db.session.get(ServiceBlueprint, bmap.blueprint.id)
    blueprint.review_cadence_days, blueprint.last_reviewed_on = 7, date(2026, 11, 25)
    f.commit()
    login(world.editor)
    board_url = f"/blueprints/{blueprint.id}"

    _settings(client, "en", "UTC")  # the 2nd: 7 days after the review, due but not late
    assert "Review overdue" not in client.get(board_url).get_data(as_text=True)
    assert "Review overdue" not in client.get("/blueprints").get_data(as_text=True)

    _settings(client, "en", "Pacific/Kiritimati")  # already the 3rd: 8 days, late
    assert "Review overdue" in client.get(board_url).get_data(as_text=True)
    assert "Review overdue" in client.get("/blueprints").get_data(as_text=True)

    assert client.post(f"{board_url}/reviewed").status_code == 302
    db.session.expire_all()
    assert db.session.get(ServiceBlueprint, blueprint.id).last_reviewed_on == date(2026, 12, 3)


def test_the_summary_is_dated_by_the_readers_day(client, world, login, bmap, monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    login(world.viewer)
    page = _seen_as(client, "pl", "Pacific/Pago_Pago", f"/blueprints/{bmap.blueprint.id}/summary")
    assert "podsumowanie z 1 gru 2026" in page
    page = _seen_as(client, "en", "UTC", f"/blueprints/{bmap.blueprint.id}/summary")
    assert "summary of Dec 2, 2026" in page


def test_the_printed_board_is_dated_in_the_readers_language_and_zone(
    client, world, login, bmap, monkeypatch
):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    login(world.viewer)
    print_url = f"/blueprints/{bmap.blueprint.id}/board-print.svg"
    _settings(client, "en", "UTC")
    assert "Printed from Rootline on Dec 2, 2026" in client.get(print_url).get_data(as_text=True)
    _settings(client, "pl", "Pacific/Kiritimati")
    printed = client.get(print_url).get_data(as_text=True)
    assert "Wydrukowano z Rootline 3 gru 2026" in printed and "2026-12-0" not in printed


def test_the_svg_header_takes_the_day_as_the_reader_writes_it():
    blueprint = NS(name="Order to cash", state=NS(value="current"), goal="")
    header = board_svg.header_for(blueprint, None, None, "5 mar 2026")
    assert header.lines[-1] == "Exported from Rootline on 5 mar 2026"
    printed = board_svg.header_for(blueprint, None, None, "Mar 5, 2026", made="Printed")
    assert printed.lines[-1] == "Printed from Rootline on Mar 5, 2026"

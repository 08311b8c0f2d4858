"""Times and dates as the reader reads them: a stored UTC time in the user's own time zone,
dates in their language on the board and the backlog."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from blueprint.models import ServiceBlueprint
from extensions import db
from jobs.models import JobStatus
from tests import factories as f


def _settings(client, language, time_zone):
    saved = client.post("/account", data={"language": language, "time_zone": time_zone})
    assert saved.status_code == 302


@pytest.mark.parametrize(
    "language, time_zone, started, shown",
    [
        ("pl", "Europe/Warsaw", datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "15 sty 2026, 13:00"),
        ("pl", "Europe/Warsaw", datetime(2026, 7, 15, 12, 0, tzinfo=UTC), "15 lip 2026, 14:00"),
        ("en", "Europe/Warsaw", datetime(2026, 1, 15, 23, 30, tzinfo=UTC), "Jan 16, 2026, 12:30"),
        ("en", "UTC", datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "Jan 15, 2026, 12:00"),
        ("en", "America/New_York", datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "Jan 15, 2026, 7:00"),
    ],
)
def test_a_stored_time_is_shown_in_the_users_time_zone(
    client, world, login, language, time_zone, started, shown
):
    job = f.make_job(world.workspace, world.editor, status=JobStatus.RUNNING, created_at=started)
    f.commit()
    login(world.editor)
    _settings(client, language, time_zone)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert shown in page


def test_the_activity_feed_shows_times_in_warsaw_for_a_user_who_set_it(client, world, login):
    login(world.owner)
    _settings(client, "pl", "Europe/Warsaw")
    client.post("/workspaces", data={"name": "Nowa"})  # something happens, now
    from accounts.audit import AuditEvent

    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    event.at = datetime(2026, 3, 1, 22, 15, tzinfo=UTC)  # 23:15 in Warsaw (winter time)
    db.session.commit()
    page = client.get(f"/workspaces/{event.workspace_id}/activity").get_data(as_text=True)
    assert "1 mar 2026, 23:15" in page and "22:15" not in page


def test_the_board_and_the_backlog_show_polish_dates(client, world, login, bmap):
    blueprint = db.session.get(ServiceBlueprint, bmap.blueprint.id)
    blueprint.last_reviewed_on = date(2026, 3, 5)
    f.make_task(world.workspace, "Faktury na czas", due_on=date(2026, 12, 1))
    f.commit()
    login(world.viewer)
    board = client.get(f"/blueprints/{blueprint.id}").get_data(as_text=True)
    backlog = client.get("/backlog").get_data(as_text=True)
    assert "Mar 5, 2026" in board and "Dec 1, 2026" in backlog  # English before

    _settings(client, "pl", "Europe/Warsaw")
    board = client.get(f"/blueprints/{blueprint.id}").get_data(as_text=True)
    backlog = client.get("/backlog").get_data(as_text=True)
    assert "5 mar 2026" in board and "2026-03-05" not in board
    assert "1 gru 2026" in backlog and "2026-12-01" not in backlog
    listed = client.get("/blueprints").get_data(as_text=True)
    assert "5 mar 2026" in listed


def test_shared_links_follow_the_viewers_browser(client, world, bmap):
    from blueprint.sharing import services as sharing

    link, token = sharing.create(bmap.blueprint, world.owner, 30, "Zarząd")
    f.commit()
    polish = client.get(f"/s/{token}/", headers={"Accept-Language": "pl-PL,pl;q=0.9"})
    assert polish.status_code == 200
    text = polish.get_data(as_text=True)
    assert '<html lang="pl">' in text
    expires = link.expires_at.date()
    assert f"{expires.day} " in text and str(expires.year) in text
    assert expires.isoformat() not in text
    english = client.get(f"/s/{token}/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    client.set_cookie("rootline_lang", "pl")
    assert '<html lang="pl">' in client.get(f"/s/{token}/").get_data(as_text=True)


def test_scores_show_their_decimals_in_the_readers_language(client, world, login):
    task = f.make_task(world.workspace, "Szybsze fakturowanie", impact=5, effort=2)
    f.commit()
    login(world.editor)
    english = client.get("/backlog").get_data(as_text=True)
    assert "<strong>2.50</strong>" in english
    _settings(client, "pl", "UTC")
    polish = client.get("/backlog").get_data(as_text=True)
    assert "<strong>2,50</strong>" in polish and "<strong>2.50</strong>" not in polish
    assert "<strong>2,50</strong>" in client.get(f"/tasks/{task.id}").get_data(as_text=True)


def test_the_number_filter_keeps_what_is_not_a_plain_number(app):
    from flask_babel import refresh

    from web.i18n import format_number

    with app.test_request_context(headers={"Accept-Language": "pl"}):
        assert format_number("2.68") == "2,68" and format_number("2.00") == "2,00"
        assert format_number("12345") == "12\xa0345"
        assert format_number(1234.5) == "1\xa0234,5"
        assert [format_number(v) for v in ("—", "inf", "1e+15", None)] == [
            "—",
            "inf",
            "1e+15",
            None,
        ]
    with app.test_request_context():
        refresh()  # the app context keeps the language it found first
        assert format_number("2.68") == "2.68" and format_number(1234.5) == "1,234.5"

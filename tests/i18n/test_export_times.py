"""An exported file says when it was made by the exporter's clock: the action plan's About
sheet writes the time in their time zone, and names the zone, whether the plan is downloaded
at once or made by a job, and the action plan's and a backup's file names carry the time
they saw; a user who chose no zone reads UTC."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

import clock
from backlog.workbook import ActionPlan, build_action_plan
from tests import factories as f
from tests.helpers import finished_job

# 23:30 on 2 Dec in UTC is already 00:30 on 3 Dec in Warsaw (UTC+1 in winter)
NOW = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)


@pytest.fixture
def at_now(monkeypatch):
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)


def _settings(client, language: str, time_zone: str) -> None:
    saved = client.post("/account", data={"language": language, "time_zone": time_zone})
    assert saved.status_code == 302


def _about(content: bytes) -> dict[str, str]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    return {label: value for label, value in wb.worksheets[-1].iter_rows(values_only=True)}


def _exported(client, how: str) -> bytes:
    if how == "download":
        response = client.get("/backlog/export.xlsx")
        assert response.status_code == 200
        return response.data
    state = finished_job(client, client.post("/backlog/export"))
    assert state["status"] == "done", state
    return client.get(state["download"]).data


@pytest.mark.parametrize("how", ["download", "job"])
def test_the_about_sheet_says_the_export_time_in_the_exporters_zone(
    client, world, login, at_now, how
):
    f.make_task(world.workspace, "Call the courier")
    f.commit()
    login(world.viewer)
    _settings(client, "en", "Europe/Warsaw")
    assert _about(_exported(client, how))["Exported"] == "2026-12-03 00:30 Europe/Warsaw"
    _settings(client, "pl", "America/New_York")
    assert _about(_exported(client, how))["Wyeksportowano"] == "2026-12-02 18:30 America/New_York"


@pytest.mark.parametrize("how", ["download", "job"])
def test_a_user_without_a_zone_reads_the_export_time_in_utc(client, world, login, at_now, how):
    login(world.viewer)  # never chose a zone
    assert _about(_exported(client, how))["Exported"] == "2026-12-02 23:30 UTC"


def test_the_plan_keeps_the_moment_in_utc_and_writes_it_in_the_zone_given():
    plan = ActionPlan("W", "value_effort", [], exported_at=NOW, time_zone="Asia/Tokyo")
    assert _about(build_action_plan(plan))["Exported"] == "2026-12-03 08:30 Asia/Tokyo"
    assert (
        _about(build_action_plan(ActionPlan("W", "value_effort", [], exported_at=NOW)))["Exported"]
        == "2026-12-02 23:30 UTC"
    )


# --- the exported files' names --------------------------------------------------------------


def _download_name(client, how: str, url: str) -> str:
    if how == "download":
        response = client.get(url)
    else:
        state = finished_job(client, client.post(url))
        assert state["status"] == "done", state
        response = client.get(state["download"])
    assert response.status_code == 200
    return response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    "time_zone, stamp", [("Europe/Warsaw", "20261203-0030"), ("UTC", "20261202-2330")]
)
@pytest.mark.parametrize(
    "how, url, name",
    [
        ("download", "/backlog/export.xlsx", "action-plan-{stamp}.xlsx"),
        ("job", "/backlog/export", "action-plan-{stamp}.xlsx"),
        ("job", "/workspaces/{workspace}/backup", "acme-support-backup-{stamp}.json"),
    ],
)
def test_an_exported_file_is_named_for_the_exporters_time(
    client, world, login, at_now, time_zone, stamp, how, url, name
):
    login(world.owner)
    _settings(client, "en", time_zone)
    disposition = _download_name(client, how, url.format(workspace=world.workspace.id))
    assert disposition == f"attachment; filename={name.format(stamp=stamp)}"


def test_an_exporter_without_a_zone_gets_file_names_in_utc(client, world, login, at_now):
    login(world.owner)  # never chose a zone
    disposition = _download_name(client, "download", "/backlog/export.xlsx")
    assert disposition == "attachment; filename=action-plan-20261202-2330.xlsx"

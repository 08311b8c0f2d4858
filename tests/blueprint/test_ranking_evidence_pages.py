"""The evidence rules as users meet them: after the team confirms a cause it ranks first on
the root-cause page, its JSON, the leadership summary and the action plan, each saying which
causes are confirmed and by how many pain points; a fail point is a candidate even with
nothing above it; the map's pain signals weigh when the workspace says so (the setting on
the ranking page, editors only, with its CSRF token and its version)."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from accounts.models import Workspace
from backlog import services as backlog_services
from blueprint.models import RankingSettings
from extensions import db
from tests import factories as f

JSON = {"Accept": "application/json"}


@pytest.fixture
def support(world):
    """The reported case: a pain at 'Answers the ticket', which uses the data import tool
    and is performed by the L1 support agent, so both tie under it."""
    blueprint, stages = f.make_blueprint(world.workspace, "Support", ("Ask", "Answer"))
    ask = f.make_element(stages[0], "customer_action", "Asks for help")
    answer = f.make_element(stages[1], "frontstage", "Answers the ticket")
    tool = f.make_catalog(world.workspace, "system", "Data import tool")
    agent = f.make_catalog(world.workspace, "person", "Support agent (L1)")
    f.link(ask, answer)
    f.link(answer, tool, "uses")
    f.link(answer, agent, "performed_by")
    insight = f.make_insight(world.workspace, "Wrong data in the answer", answer, severity=4,
                             frequency=3)  # fmt: skip
    f.commit()
    return blueprint, ask, answer, tool, agent, insight


def _confirm(insight, *elements):
    backlog_services.set_confirmed_causes(
        insight, [e.id for e in elements], [e.id for e in elements]
    )
    f.commit()


def test_a_confirmed_cause_no_longer_ties_the_candidate_at_the_top(client, world, login, support):
    blueprint, _, _, tool, agent, insight = support
    login(world.viewer)
    before = client.get("/root-causes", headers=JSON).get_json()["ranking"]
    # tied at 12 (the step itself is a candidate under the same pain too)
    assert {r["title"]: r["score"] for r in before[:2]} == {
        "Data import tool": 12,
        "Support agent (L1)": 12,
    }
    assert {r["status"] for r in before} == {"candidate"}

    _confirm(insight, tool)
    data = client.get("/root-causes", headers=JSON).get_json()
    top, second = data["ranking"][:2]
    assert (top["title"], top["status"], top["confirmed_by"], top["score"]) == (
        "Data import tool", "confirmed", 1, 12,
    )  # fmt: skip
    assert (second["title"], second["status"], second["confirmed_by"]) == (
        "Support agent (L1)", "candidate", 0,
    )  # fmt: skip
    assert data["confirmed"] == 1

    page = client.get("/root-causes").get_data(as_text=True)
    assert page.index("Data import tool") < page.index("Support agent (L1)")
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "Data import tool" in first_row and "Confirmed" in first_row
    assert "by 1 pain point" in first_row
    assert "1 confirmed, " in page and "Candidate" in page

    summary = client.get(f"/blueprints/{blueprint.id}/summary").get_data(as_text=True)
    causes = summary.split('id="sum-causes"')[1].split("</section>")[0]
    first = causes.split("<li>")[1]
    assert "Data import tool" in first and "Confirmed" in first
    assert "confirmed by 1 pain point" in first
    assert "Support agent (L1)" in causes.split("<li>")[2]
    assert "Candidate" in causes.split("<li>")[2]


def test_the_action_plan_says_which_causes_are_confirmed(client, world, login, support):
    *_, tool, agent, insight = support
    _confirm(insight, tool)
    login(world.viewer)
    response = client.get("/backlog/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data))["Root causes"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:6] == ("Rank", "Cause", "Kind", "Where", "Status", "Confirmed by")
    by_cause = {row[1]: row for row in rows[1:]}
    assert rows[1][1] == "Data import tool"
    assert by_cause["Data import tool"][4:7] == ("Confirmed", 1, 12)
    assert by_cause["Support agent (L1)"][4:7] == ("Candidate", 0, 12)


def test_confirmations_count_the_pain_points_that_made_them(client, world, login, support):
    *_, answer, tool, _agent, insight = support
    again = f.make_insight(world.workspace, "Answer missing fields", answer)
    opportunity = f.make_insight(world.workspace, "Could prefill", answer, kind="opportunity")
    _confirm(insight, tool)
    _confirm(again, tool)
    _confirm(opportunity, tool)  # no pain: confirms nothing in the ranking
    login(world.viewer)
    top = client.get("/root-causes", headers=JSON).get_json()["ranking"][0]
    assert (top["title"], top["confirmed_by"]) == ("Data import tool", 2)


def test_a_fail_point_with_nothing_above_it_is_a_candidate(client, world, login):
    crm = f.make_catalog(world.workspace, "system", "CRM", fail_point=True)
    f.commit()
    login(world.viewer)
    data = client.get("/root-causes", headers=JSON).get_json()
    [row] = data["ranking"]
    assert (row["id"], row["status"], row["breaks"], row["score"], row["pain_points"]) == (
        crm.id, "candidate", True, 1, 1,
    )  # fmt: skip
    assert row["pain_labels"] == ["Fail point: CRM"]
    page = client.get("/root-causes").get_data(as_text=True)
    assert "CRM" in page and "Fail point: CRM" in page


def test_a_fail_point_lists_its_own_fail_point_not_the_insights_felt_there(
    client, world, login, support
):
    _, _, answer, *_ = support
    from blueprint import services

    services.update_element(answer, {"title": answer.title, "fail_point": True})
    f.commit()
    login(world.viewer)
    rows = {r["title"]: r for r in client.get("/root-causes", headers=JSON).get_json()["ranking"]}
    # the step: its own fail point only (the insight at it is felt there, caused below)
    assert rows["Answers the ticket"]["pain_labels"] == ["Fail point: Answers the ticket"]
    assert rows["Answers the ticket"]["score"] == 1
    # what it relies on: the insight (12) and the fail point (1)
    assert rows["Data import tool"]["score"] == 13


# --- pain signals ------------------------------------------------------------------------


@pytest.fixture
def signals(world):
    blueprint, stages = f.make_blueprint(world.workspace, "Delivery", ("Wait",))
    wait = f.make_element(stages[0], "customer_action", "Waits for the parcel", emotion=-2,
                          duration_minutes=4320, tolerance_minutes=1440)  # fmt: skip
    courier = f.make_catalog(world.workspace, "system", "Courier portal")
    f.link(wait, courier, "uses")
    f.commit()
    return wait, courier


def _box(page: str) -> str:
    return re.search(r'<input[^>]*name="pain_signals"[^>]*>', page)[0]


def _settings_version(workspace_id):
    db.session.expire_all()
    found = db.session.get(RankingSettings, workspace_id)
    return "" if found is None else str(found.version)


def test_pain_signals_are_off_until_an_editor_turns_them_on(client, world, login, signals):
    wait, courier = signals
    login(world.editor)
    data = client.get("/root-causes", headers=JSON).get_json()
    assert data["pain_signals"] is False and data["ranking"] == []
    page = client.get("/root-causes").get_data(as_text=True)
    assert "checked" not in _box(page)

    response = client.post("/root-causes/settings", data={"pain_signals": "y", "version": ""})
    assert response.status_code == 302
    assert db.session.get(RankingSettings, world.workspace.id).pain_signals is True
    data = client.get("/root-causes", headers=JSON).get_json()
    assert data["pain_signals"] is True
    [row] = data["ranking"]
    # feels it at −2 (weight 2), three days against a tolerance of one (twice or more: 2):
    # one step above it, with two pains
    assert (row["title"], row["score"], row["pain_points"]) == ("Courier portal", 4, 1)
    assert sorted(row["pain_labels"]) == [
        "Slower than the customer's tolerance (4320 min, tolerance 1440 min): Waits for the parcel",
        "The customer feels it badly (-2): Waits for the parcel",
    ]
    page = client.get("/root-causes").get_data(as_text=True)
    assert "checked" in _box(page)

    off = {"version": _settings_version(world.workspace.id)}  # an unticked box posts nothing
    assert client.post("/root-causes/settings", data=off).status_code == 302
    assert client.get("/root-causes", headers=JSON).get_json()["ranking"] == []


def test_a_viewer_sees_the_setting_but_cannot_change_it(client, world, login, signals):
    login(world.viewer)
    page = client.get("/root-causes").get_data(as_text=True)
    assert 'name="pain_signals"' not in page and "pain signals" in page
    response = client.post("/root-causes/settings", data={"pain_signals": "y", "version": ""})
    assert response.status_code == 403
    assert db.session.get(RankingSettings, world.workspace.id) is None


def test_an_outsider_changes_only_their_own_workspace(client, world, login, signals):
    login(world.outsider)
    assert client.post("/root-causes/settings", data={"pain_signals": "y"}).status_code == 302
    assert db.session.get(RankingSettings, world.workspace.id) is None
    assert db.session.get(RankingSettings, world.other_workspace.id).pain_signals is True


def test_a_setting_changed_meanwhile_is_a_conflict(client, world, login, signals):
    login(world.editor)
    assert client.post("/root-causes/settings", data={"pain_signals": "y"}).status_code == 302
    read_at = _settings_version(world.workspace.id)
    assert client.post("/root-causes/settings", data={"version": read_at}).status_code == 302
    response = client.post("/root-causes/settings", data={"pain_signals": "y", "version": read_at})
    assert response.status_code == 409
    assert db.session.get(RankingSettings, world.workspace.id).pain_signals is False
    for sent in ({}, {"version": "x"}):  # a saved row must be posted with its version
        assert (
            client.post("/root-causes/settings", data={"pain_signals": "y", **sent}).status_code
            == 409
        )


def test_the_setting_needs_its_csrf_token(make_app, world, signals):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    login = {"email": world.editor.email, "password": f.PASSWORD, "csrf_token": token}
    assert client.post("/login", data=login).status_code == 302
    assert client.post("/root-causes/settings", data={"pain_signals": "y"}).status_code == 400
    with app.app_context():
        assert db.session.get(RankingSettings, world.workspace.id) is None
        page = client.get("/root-causes").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    sent = {"pain_signals": "y", "version": "", "csrf_token": token}
    assert client.post("/root-causes/settings", data=sent).status_code == 302


def test_changing_the_setting_changes_the_graph_version(client, world, login, signals):
    def version():
        db.session.expire_all()
        return db.session.scalar(
            select(Workspace.graph_version).where(Workspace.id == world.workspace.id)
        )

    login(world.editor)
    before = version()
    client.post("/root-causes/settings", data={"pain_signals": "y", "version": ""})
    assert version() != before

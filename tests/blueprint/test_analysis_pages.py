"""Trace, root causes, blast radius and health: pages and their JSON twins."""

from sqlalchemy import event

from blueprint.graph import blueprint_graph, build_workspace_graph, workspace_graph
from devsupport.synthetic import build_blueprint
from extensions import db
from tests import factories as f

JSON = {"Accept": "application/json"}


def test_graph_carries_attributes_and_collapses_next_under_dependency(app, world, bmap):
    f.link(bmap.buyer, bmap.desk, "next")
    f.commit()
    G = workspace_graph(world.workspace.id)
    assert G.nodes[bmap.desk.id]["kind"] == "frontstage"
    assert G.nodes[bmap.desk.id]["blueprint"] == "Order to cash"
    assert G.nodes[bmap.desk.id]["stage"] == "Order"
    assert G.nodes[bmap.desk.id]["fail_point"] is True
    assert G.edges[bmap.buyer.id, bmap.desk.id]["kind"] == "relies_on"
    assert G.edges[bmap.desk.id, bmap.person.id]["kind"] == "performed_by"
    assert bmap.foreign.id not in G
    B = blueprint_graph(bmap.blueprint.id)
    assert set(B) == {
        bmap.buyer.id,
        bmap.desk.id,
        bmap.backoffice.id,
        bmap.person.id,
        bmap.system.id,
    }


def test_graph_builds_in_a_constant_number_of_queries(app, world):
    statements = []

    def record(*_):
        statements.append(1)

    counts = []
    for size in (20, 400):
        build_blueprint(world.workspace.id, elements=size, links=size * 3, seed=size)
        f.commit()
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", record)
        G = build_workspace_graph(world.workspace.id)
        event.remove(db.engine, "before_cursor_execute", record)
        counts.append(len(statements))
        assert G.number_of_nodes() >= size
    assert counts[0] == counts[1] <= 3


def test_trace_page_and_json(client, world, login, bmap):
    f.link(bmap.desk, bmap.backoffice)
    f.commit()
    login(world.viewer)
    page = client.get(f"/elements/{bmap.buyer.id}/trace")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "What Places order relies on" in text
    assert '<svg class="trace-diagram"' in text and "Deepest cause" in text
    data = client.get(f"/elements/{bmap.buyer.id}/trace", headers=JSON).get_json()
    assert [[n["title"] for n in level] for level in data["levels"]] == [
        ["Places order"],
        ["Desk confirms"],
        ["Allocate stock", "ERP", "Service desk"],
    ]
    assert {n for n in data["deepest"]} == {bmap.backoffice.id, bmap.person.id, bmap.system.id}
    assert data["fail_points"] == [bmap.desk.id]


def test_root_causes_ranks_across_blueprints(client, world, login, bmap):
    _, stages = f.make_blueprint(world.workspace, "Returns", ("Report",))
    report = f.make_element(stages[0], "customer_action", "Reports damage", fail_point=True)
    logs = f.make_element(stages[0], "frontstage", "Logs the return", fail_point=True)
    f.link(report, logs)
    f.link(logs, bmap.person, "performed_by")
    f.commit()
    login(world.viewer)
    data = client.get("/root-causes", headers=JSON).get_json()
    top = data["ranking"][0]
    # the service desk sits under the desk fail point here and both fail points of Returns
    assert (top["title"], top["score"], top["pain_points"], top["blueprints"]) == (
        "Service desk",
        3,
        3,
        2,
    )
    assert sorted(top["pains"]) == sorted([bmap.desk.id, report.id, logs.id])
    assert data["pain_points"] == 3
    page = client.get("/root-causes").get_data(as_text=True)
    assert page.index("Service desk") < page.index("ERP")
    assert "Blast radius" in page


def test_root_causes_page_answers_in_a_bounded_number_of_queries(client, world, login):
    from tests.helpers import count_queries

    build_blueprint(world.workspace.id, elements=30, links=90, seed=3)
    f.commit()
    login(world.viewer)
    small = count_queries(client, "/root-causes")
    build_blueprint(world.workspace.id, elements=900, links=2700, seed=4)
    f.commit()
    assert count_queries(client, "/root-causes") == small <= 10


def test_blast_radius_groups_customer_actions_by_blueprint_and_stage(client, world, login, bmap):
    _, stages = f.make_blueprint(world.workspace, "Returns", ("Report",))
    report = f.make_element(stages[0], "customer_action", "Reports damage")
    f.link(report, bmap.person, "performed_by")
    f.commit()
    login(world.viewer)
    data = client.get(f"/elements/{bmap.person.id}/blast-radius", headers=JSON).get_json()
    assert data["dependents"] == 3  # desk, buyer, report
    grouped = {
        (b["blueprint"], s["stage"]): [a["title"] for a in s["customer_actions"]]
        for b in data["by_blueprint"]
        for s in b["stages"]
    }
    assert grouped == {
        ("Order to cash", "Order"): ["Places order"],
        ("Returns", "Report"): ["Reports damage"],
    }
    page = client.get(f"/elements/{bmap.person.id}/blast-radius").get_data(as_text=True)
    assert "If Service desk fails" in page and "2 customer actions" in page


def test_health_page_lists_findings_and_board_marks_them(client, world, login, bmap):
    login(world.viewer)
    data = client.get(f"/blueprints/{bmap.blueprint.id}/health", headers=JSON).get_json()
    kinds = {(f["kind"], tuple(e["id"] for e in f["elements"])) for f in data["findings"]}
    assert ("unused_backstage", (bmap.backoffice.id,)) in kinds
    assert ("no_evidence", (bmap.buyer.id,)) in kinds
    page = client.get(f"/blueprints/{bmap.blueprint.id}/health").get_data(as_text=True)
    assert "Nothing relies on Allocate stock" in page
    assert f'href="/elements/{bmap.backoffice.id}"' in page  # a link to fix it
    board = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    card = board[board.index(f'id="el-{bmap.backoffice.id}"') :]
    assert "1 finding" in card[: card.index("</article>")]


def test_analysis_json_is_scoped_to_the_workspace(client, world, login, bmap):
    login(world.outsider)
    for url in (
        f"/elements/{bmap.desk.id}/trace",
        f"/elements/{bmap.person.id}/blast-radius",
        f"/blueprints/{bmap.blueprint.id}/health",
    ):
        assert client.get(url, headers=JSON).status_code == 404
    data = client.get("/root-causes", headers=JSON).get_json()
    assert data["ranking"] == []  # their own workspace has no pain

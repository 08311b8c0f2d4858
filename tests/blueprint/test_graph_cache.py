"""The graph and its ranking are built once per change: every kind of change to a
workspace's graph or pain points changes its graph version in the same transaction, and a
worker that kept the graph and ranking of the version before builds them again. Two apps
on one database stand for two workers (or two servers): the change goes through one and is
read through the other, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import networkx as nx
import pytest
from sqlalchemy import delete, event, insert, select

from accounts.models import Workspace
from backlog import services as backlog_services
from backlog.models import ConfirmedCause
from blueprint import services
from blueprint.graph import workspace_graph
from blueprint.graph_cache import graph_version
from blueprint.models import BlueprintState, Element, ElementKind, Link, LinkKind
from blueprint.root_causes import workspace_root_causes
from devsupport.synthetic import build_blueprint
from extensions import db
from tests import factories as f


def _version(workspace_id: int) -> int:
    return db.session.scalar(select(Workspace.graph_version).where(Workspace.id == workspace_id))


class Reader:
    """The other app's view of the root causes, and whether it built them to answer."""

    def __init__(self, app, user):
        self.app = app
        self.client = app.test_client()
        with app.app_context():
            self.engine = db.engine
        response = self.client.post("/login", data={"email": user.email, "password": f.PASSWORD})
        assert response.status_code == 302

    def read(self) -> tuple[list[tuple[str, float]], bool]:
        """((title, score) of each ranked cause, whether the graph was built for it)."""
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(self.engine, "before_cursor_execute", record)
        try:
            response = self.client.get("/root-causes", headers={"Accept": "application/json"})
        finally:
            event.remove(self.engine, "before_cursor_execute", record)
        assert response.status_code == 200
        built = any("FROM link" in s for s in statements)
        return [(r["title"], r["score"]) for r in response.get_json()["ranking"]], built


def _rename_system(world, bmap):
    services.update_element(bmap.system, {"title": "SAP"})


def _link_to_backoffice(world, bmap):
    services.link_elements(bmap.desk, bmap.backoffice, LinkKind.RELIES_ON)


def _pain_insight(world, bmap):
    f.make_insight(world.workspace, "Nobody calls back", bmap.buyer, severity=5, frequency=5)


def _fail_point(world, bmap):
    services.update_element(bmap.buyer, {"title": bmap.buyer.title, "fail_point": True})


def _confirmed_cause(world, bmap):
    insight = f.make_insight(world.workspace, "Slow desk", bmap.desk, kind="observation")
    backlog_services.set_confirmed_causes(insight, [bmap.system.id], [bmap.system.id])


def _delete_system(world, bmap):
    services.delete_element(bmap.system)


def _future_state(world, bmap):
    services.update_blueprint(
        bmap.blueprint, {"name": "Order to cash", "state": BlueprintState.FUTURE}
    )


def _rename_stage(world, bmap):
    services.rename_stage(bmap.stages[0], "Ordering")


def _bulk_insert(world, bmap):
    """Rows inserted in bulk through the session (as the synthetic workspaces are)."""
    db.session.execute(
        insert(Element),
        [
            {
                "workspace_id": world.workspace.id,
                "blueprint_id": bmap.blueprint.id,
                "stage_id": bmap.stages[1].id,
                "kind": ElementKind.SUPPORT,
                "title": "Bulk step",
                "position": 5,
            }
        ],
    )
    step = db.session.scalar(select(Element.id).where(Element.title == "Bulk step"))
    db.session.execute(
        insert(Link),
        [
            {
                "workspace_id": world.workspace.id,
                "source_id": bmap.desk.id,
                "target_id": step,
                "kind": LinkKind.RELIES_ON,
            }
        ],
    )


def _delete_blueprint(world, bmap):
    services.delete_blueprint(bmap.blueprint)


def _confirmed_cause_of_a_pain(world, bmap):
    insight = f.make_insight(world.workspace, "Slow desk", bmap.desk)  # 3×3 = 9
    backlog_services.set_confirmed_causes(insight, [bmap.system.id], [bmap.system.id])


def _pain_signals(world, bmap):
    """The workspace's ranking setting: a row of its own, a graph input like the others."""
    services.save_ranking_settings(world.workspace.id, True)


# (change, what the other app's ranking shows afterwards; None: the same as before). The
# desk is a fail point: a cause of its own (1) beside what it relies on.
BEFORE = [("Desk confirms", 1.0), ("Service desk", 1.0), ("ERP", 1.0)]
CHANGES = {
    "element": (_rename_system, [("Desk confirms", 1.0), ("Service desk", 1.0), ("SAP", 1.0)]),
    "link": (
        _link_to_backoffice,
        [("Desk confirms", 1.0), ("Allocate stock", 1.0), ("Service desk", 1.0), ("ERP", 1.0)],
    ),
    "insight": (
        _pain_insight,
        [("Desk confirms", 26.0), ("Service desk", 26.0), ("ERP", 26.0)],
    ),
    "fail point": (
        _fail_point,
        [("Desk confirms", 2.0), ("Service desk", 2.0), ("ERP", 2.0), ("Places order", 1.0)],
    ),
    "confirmed cause": (_confirmed_cause, None),  # of an observation: it weighs nothing
    # confirmed for a pain: first, though the service desk scores as much
    "confirmed cause of a pain": (
        _confirmed_cause_of_a_pain,
        [("ERP", 10.0), ("Service desk", 10.0), ("Desk confirms", 1.0)],
    ),
    "ranking setting": (_pain_signals, None),  # the buyer is happy: no signal, new version
    "delete": (_delete_system, [("Desk confirms", 1.0), ("Service desk", 1.0)]),
    "blueprint": (_future_state, []),
    "stage": (_rename_stage, None),
    "bulk insert": (
        _bulk_insert,
        [("Desk confirms", 1.0), ("Service desk", 1.0), ("ERP", 1.0), ("Bulk step", 1.0)],
    ),
    "deleting a blueprint": (_delete_blueprint, []),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_every_kind_of_change_through_one_app_is_read_through_the_other(
    make_app, world, bmap, kind
):
    reader = Reader(make_app(), world.viewer)
    before, built = reader.read()
    assert built and before == BEFORE
    assert reader.read() == (before, False)  # current: no graph built, one version query
    version = _version(world.workspace.id)

    change, expected = CHANGES[kind]
    change(world, bmap)
    f.commit()

    assert _version(world.workspace.id) != version
    after, built = reader.read()
    assert built
    assert after == (before if expected is None else expected)
    assert reader.read() == (after, False)


def test_a_change_in_another_workspace_leaves_this_one_current(make_app, world, bmap):
    reader = Reader(make_app(), world.viewer)
    reader.read()
    version = _version(world.workspace.id)
    services.update_element(bmap.foreign, {"title": "Theirs, renamed"})
    build_blueprint(world.other_workspace.id, elements=10, links=20, seed=4)
    f.commit()
    assert _version(world.workspace.id) == version
    assert reader.read()[1] is False


def test_a_bulk_delete_changes_the_version_of_the_workspaces_it_touches_only(app, world, bmap):
    insight = f.make_insight(world.workspace, "Slow desk", bmap.desk)
    backlog_services.set_confirmed_causes(insight, [bmap.system.id], [bmap.system.id])
    f.commit()
    mine, theirs = _version(world.workspace.id), _version(world.other_workspace.id)
    db.session.execute(delete(ConfirmedCause).where(ConfirmedCause.insight_id == insight.id))
    f.commit()
    assert _version(world.workspace.id) != mine
    assert _version(world.other_workspace.id) == theirs


def test_a_change_rolled_back_changes_nothing(app, world, bmap):
    causes = workspace_root_causes(world.workspace.id)
    version = _version(world.workspace.id)
    services.update_element(bmap.system, {"title": "SAP"})
    # the transaction sees its own change, built afresh and kept from everyone else
    assert graph_version(world.workspace.id) is None
    mid = workspace_root_causes(world.workspace.id)
    assert "SAP" in [mid.graph.nodes[c.id]["title"] for c in mid.ranking]
    db.session.rollback()
    assert _version(world.workspace.id) == version
    assert workspace_root_causes(world.workspace.id) is causes


def test_the_cache_keeps_as_many_workspaces_as_the_setting_says(make_app, world, bmap):
    app = make_app(GRAPH_CACHE_SIZE=1)
    with app.app_context():
        first = workspace_graph(world.workspace.id)
        assert workspace_graph(world.workspace.id) is first
        workspace_graph(world.other_workspace.id)  # the least recently used goes
        again = workspace_graph(world.workspace.id)
        assert again is not first and set(again) == set(first)
    with make_app(GRAPH_CACHE_SIZE=0).app_context():
        assert workspace_graph(world.workspace.id) is not workspace_graph(world.workspace.id)


def test_a_current_graph_costs_one_query(app, world, bmap):
    workspace_id = world.workspace.id
    workspace_root_causes(workspace_id)
    db.session.commit()
    statements = []

    def record(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        workspace_root_causes(workspace_id)
        workspace_graph(workspace_id)  # the same transaction: the version is known
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 1


def test_what_is_cached_cannot_be_changed_by_its_readers(app, world, bmap):
    causes = workspace_root_causes(world.workspace.id)
    G = causes.graph
    assert nx.is_frozen(G)
    with pytest.raises(nx.NetworkXError):
        G.add_node("intruder")
    with pytest.raises(TypeError):
        G.nodes[bmap.system.id]["title"] = "changed"
    with pytest.raises(TypeError):
        G.edges[bmap.desk.id, bmap.system.id]["kind"] = "next"
    with pytest.raises(TypeError):
        causes.ranking.append(causes.ranking[0])
    with pytest.raises(TypeError):
        causes.ranking.sort(key=lambda c: c.score)
    with pytest.raises(TypeError):
        causes.weights[bmap.buyer.id] = 99
    with pytest.raises(AttributeError):
        causes.pains.append(causes.pains[0])
    # a copy is the caller's own
    copy = nx.DiGraph(G)
    copy.nodes[bmap.system.id]["title"] = "changed"
    copy.add_edge(bmap.buyer.id, bmap.system.id, kind=LinkKind.USES.value)
    assert workspace_graph(world.workspace.id).nodes[bmap.system.id]["title"] == "ERP"
    assert list(causes.ranking) == list(workspace_root_causes(world.workspace.id).ranking)


def test_pains_keep_their_links_whoever_built_them(make_app, world, bmap):
    """Built outside any request (a job, say), the ranking's pains still link to their
    insights when a page shows them."""
    insight = f.make_insight(world.workspace, "Nobody calls back", bmap.buyer)
    f.commit()
    app = make_app()
    with app.app_context():
        workspace_root_causes(world.workspace.id)  # no request: as a job builds it
    client = app.test_client()
    client.post("/login", data={"email": world.viewer.email, "password": f.PASSWORD})
    page = client.get("/root-causes").get_data(as_text=True)
    assert f'href="/insights/{insight.id}"' in page


def test_catalog_elements_added_by_any_service_change_the_version(app, world):
    version = _version(world.workspace.id)
    services.add_catalog_element(world.workspace.id, ElementKind.SYSTEM, {"title": "CRM"})
    f.commit()
    assert _version(world.workspace.id) != version


def test_a_blueprints_health_is_built_once_per_change_for_its_page_and_board(
    client, world, login, bmap
):
    """The health page, its JSON twin and the board's badges share one built health per
    graph version: a second request reads no link; a change is seen at once."""
    login(world.editor)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    def get(url, **kw) -> tuple[str, bool]:
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get(url, **kw)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert response.status_code == 200
        return response.get_data(as_text=True), any("FROM link" in s for s in statements)

    health = f"/blueprints/{bmap.blueprint.id}/health"
    page, built = get(health)
    assert built and "Nothing relies on Allocate stock" in page
    for url, kw in ((health, {}), (health, {"headers": {"Accept": "application/json"}})):
        page, built = get(url, **kw)
        assert not built and "Nothing relies on Allocate stock" in page
    f.link(bmap.desk, bmap.backoffice)
    f.commit()
    page, built = get(health)
    assert built and "Nothing relies on Allocate stock" not in page

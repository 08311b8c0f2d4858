"""Small hand-built blueprints with known answers for trace, handoffs and every finding."""

import networkx as nx

from blueprint.analysis.handoffs import handoffs
from blueprint.analysis.health import findings
from blueprint.analysis.ranking import rank_root_causes
from blueprint.analysis.trace import trace


def bp(*nodes, edges=()):
    """nodes: (id, kind[, extra attrs]); edges: (source, target[, kind])."""
    G = nx.DiGraph()
    for node in nodes:
        nid, kind, *extra = node
        G.add_node(
            nid,
            kind=kind,
            title=nid,
            blueprint_id=None if kind in ("person", "system") else 1,
            **(extra[0] if extra else {}),
        )
    for edge in edges:
        s, t, *k = edge
        G.add_edge(s, t, kind=k[0] if k else "relies_on")
    return G


def order_map():
    return bp(
        ("wait", "customer_action", {"fail_point": False, "evidence_source": "survey"}),
        ("send", "frontstage", {"fail_point": True}),
        ("promise", "backstage"),
        ("allocate", "backstage", {"fail_point": True}),
        ("sync", "support"),
        ("desk", "person"),
        ("planner", "person"),
        ("erp", "system"),
        edges=[
            ("wait", "send"),
            ("send", "promise"),
            ("send", "desk", "performed_by"),
            ("promise", "allocate"),
            ("promise", "planner", "performed_by"),
            ("allocate", "sync"),
            ("allocate", "erp", "uses"),
            ("sync", "erp", "uses"),
            ("allocate", "desk", "performed_by"),
        ],
    )


def test_trace_levels_deepest_and_fail_points():
    result = trace(order_map(), "wait")
    assert result.levels == [
        ["wait"],
        ["send"],
        ["promise", "desk"],
        ["allocate", "planner"],
        ["sync", "erp"],
    ]
    assert set(result.deepest) == {"desk", "planner", "erp"}
    assert result.fail_points == ["send", "allocate"]
    assert result.nodes["erp"].parent == "allocate" and result.nodes["erp"].depth == 4
    assert result.nodes["desk"].depth == 2  # its shortest depth, though also reached later
    assert not result.cyclic
    assert [n for _, n in result.preorder()][:3] == ["wait", "send", "promise"]


def test_trace_terminates_on_cycles_and_reports_them():
    G = bp(
        ("a", "customer_action"),
        ("b", "backstage"),
        ("c", "backstage"),
        edges=[("a", "b"), ("b", "c"), ("c", "b")],
    )
    result = trace(G, "a")
    assert result.levels == [["a"], ["b"], ["c"]]
    assert result.cyclic
    assert result.deepest == []  # on a loop nothing relies on nothing


def test_trace_skips_next_links():
    G = bp(
        ("a", "customer_action"),
        ("b", "customer_action"),
        ("f", "frontstage"),
        edges=[("a", "b", "next"), ("b", "f")],
    )
    assert trace(G, "a").levels == [["a"]]


def test_rank_on_a_known_blueprint():
    G = order_map()
    ranking = rank_root_causes(G, {"wait": 4, "send": 1, "allocate": 1})
    scores = {r.id: r.score for r in ranking}
    # erp is under all three pains (4 + 1 + 1); sync under wait, send and allocate too
    assert scores == {
        "send": 4,
        "promise": 5,
        "desk": 6,
        "allocate": 5,
        "planner": 5,
        "sync": 6,
        "erp": 6,
    }
    assert [r.id for r in ranking][:3] == ["desk", "erp", "sync"]  # ties break by id
    top = ranking[0]
    assert (top.pain_points, top.customer_actions, top.blueprints) == (3, 1, 1)
    assert set(ranking.pains_of(top)) == {"wait", "send", "allocate"}


def test_handoffs_count_changes_of_performer():
    G = order_map()
    [result] = handoffs(G, 1)
    assert result.action == "wait"
    chains = {tuple(c.steps): c for c in result.chains}
    assert set(chains) == {("wait", "send", "promise", "allocate", "sync")}
    chain = chains[("wait", "send", "promise", "allocate", "sync")]
    # desk → planner → desk: two handoffs; wait and sync have no performer
    assert chain.performers == [(), ("desk",), ("planner",), ("desk",), ()]
    assert chain.handoffs == 2 and result.max_handoffs == 2


def test_handoffs_branching_and_shared_performers():
    G = bp(
        ("a", "customer_action"),
        ("f1", "frontstage"),
        ("f2", "frontstage"),
        ("b", "backstage"),
        ("p", "person"),
        ("q", "person"),
        edges=[
            ("a", "f1"),
            ("a", "f2"),
            ("f1", "b"),
            ("f1", "p", "performed_by"),
            ("f2", "q", "performed_by"),
            ("b", "p", "performed_by"),
            ("b", "q", "performed_by"),
        ],
    )
    [result] = handoffs(G, 1)
    counts = {tuple(c.steps): c.handoffs for c in result.chains}
    assert counts == {("a", "f1", "b"): 0, ("a", "f2"): 0}  # b shares p with f1


def kinds_of(found):
    return [(f.kind, f.elements) for f in found]


def test_every_kind_of_finding():
    G = bp(
        ("lonely", "customer_action"),  # relies on nothing, no evidence
        ("a1", "customer_action", {"evidence_source": "survey"}),
        ("a2", "customer_action", {"evidence_source": "survey"}),
        ("a3", "customer_action", {"evidence_source": "survey", "duration": 30, "tolerance": 10}),
        ("f", "frontstage"),
        ("b1", "backstage"),
        ("b2", "backstage"),
        ("unused", "support"),
        ("crm", "system"),
        edges=[
            ("a1", "f"),
            ("a2", "f"),
            ("a3", "f"),
            ("f", "crm", "uses"),
            ("f", "b1"),
            ("b1", "b2"),
            ("b2", "b1"),  # a cycle
            ("b2", "f"),  # backstage relying on frontstage: inverted
        ],
    )
    found = findings(G, 1)
    kinds = kinds_of(found)
    assert ("cycle", ("f", "b1", "b2")) in kinds
    assert ("action_relies_on_nothing", ("lonely",)) in kinds
    assert ("unused_backstage", ("unused",)) in kinds
    assert ("single_point_of_failure", ("crm",)) in kinds
    assert ("inverted_dependency", ("b2", "f")) in kinds
    assert ("over_tolerance", ("a3",)) in kinds
    assert ("no_evidence", ("lonely",)) in kinds
    assert len([k for k, _ in kinds if k == "no_evidence"]) == 1
    order = [f.kind for f in found]
    assert order == sorted(
        order,
        key=[
            "cycle",
            "action_relies_on_nothing",
            "unused_backstage",
            "single_point_of_failure",
            "inverted_dependency",
            "over_tolerance",
            "no_evidence",
        ].index,
    )
    spof = next(f for f in found if f.kind == "single_point_of_failure")
    assert spof.message == "3 of 4 customer actions rely on crm."


def test_a_healthy_map_has_no_findings():
    G = bp(
        ("a", "customer_action", {"evidence_source": "interview"}),
        ("f", "frontstage"),
        ("b", "backstage"),
        ("p", "person"),
        edges=[("a", "f"), ("f", "b"), ("b", "p", "performed_by")],
    )
    assert findings(G, 1) == []


def test_evidence_relied_on_from_below_is_not_inverted_but_a_person_on_a_step_is():
    G = bp(
        ("a", "customer_action", {"evidence_source": "crm"}),
        ("e", "physical_evidence"),
        ("b", "backstage"),
        ("p", "person"),
        edges=[("a", "e"), ("e", "b"), ("b", "e"), ("a", "b"), ("p", "b")],
    )
    inverted = [f.elements for f in findings(G, 1) if f.kind == "inverted_dependency"]
    assert inverted == [("p", "b")]


def test_future_state_fail_points_are_designs_not_pain():
    from blueprint.analysis.ranking import fail_point_pains

    G = bp(
        ("now", "frontstage", {"fail_point": True, "blueprint_state": "current"}),
        ("later", "frontstage", {"fail_point": True, "blueprint_state": "future"}),
        ("crm", "system", {"fail_point": True}),
    )
    assert fail_point_pains(G) == {"now": 1.0, "crm": 1.0}

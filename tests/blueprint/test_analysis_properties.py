"""Property tests on random graphs, cyclic ones included: the fast one-pass ranking agrees
exactly with a naive per-pain-point reference, and `next` links are never followed."""

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from blueprint.analysis.blast_radius import blast_radius
from blueprint.analysis.dependencies import dependency_graph
from blueprint.analysis.ranking import rank_root_causes

KINDS = [
    "physical_evidence",
    "customer_action",
    "frontstage",
    "backstage",
    "support",
    "person",
    "system",
]
LINK_KINDS = ["relies_on", "performed_by", "uses", "next"]


@st.composite
def graphs(draw, max_nodes=18):
    n = draw(st.integers(min_value=1, max_value=max_nodes))
    G = nx.DiGraph()
    for node in range(n):
        G.add_node(
            node,
            kind=draw(st.sampled_from(KINDS)),
            title=f"n{node}",
            blueprint_id=draw(st.integers(0, 2)),
        )
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    for u, v in draw(st.lists(pairs, max_size=n * 3)):
        if u != v:
            G.add_edge(u, v, kind=draw(st.sampled_from(LINK_KINDS)))
    pains = draw(st.dictionaries(st.integers(0, n - 1), st.integers(1, 25), max_size=n))
    return G, pains


def naive_ranking(G, pains):
    D = dependency_graph(G)
    score, count, blueprints = {}, {}, {}
    for p, w in pains.items():
        for v in nx.descendants(D, p):
            score[v] = score.get(v, 0) + w
            count[v] = count.get(v, 0) + 1
            if G.nodes[p]["blueprint_id"] is not None:
                blueprints.setdefault(v, set()).add(G.nodes[p]["blueprint_id"])
    actions = [n for n, k in G.nodes(data="kind") if k == "customer_action"]
    under_actions = {v: sum(1 for a in actions if v in nx.descendants(D, a)) for v in score}
    return {v: (score[v], count[v], under_actions[v], len(blueprints.get(v, ()))) for v in score}


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_ranking_agrees_with_naive_descendants(case):
    G, pains = case
    ranking = rank_root_causes(G, pains)
    fast = {r.id: (r.score, r.pain_points, r.customer_actions, r.blueprints) for r in ranking}
    assert fast == naive_ranking(G, pains)
    D = dependency_graph(G)
    for r in ranking:
        assert set(ranking.pains_of(r)) == {p for p in pains if r.id in nx.descendants(D, p)}
        assert r.deepest == (D.out_degree(r.id) == 0)


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_ranking_is_ordered_and_deterministic(case):
    G, pains = case
    ranking = rank_root_causes(G, pains)
    keys = [(-r.score, -r.pain_points, -r.customer_actions, str(r.id)) for r in ranking]
    assert keys == sorted(keys)
    assert [r.id for r in rank_root_causes(G.copy(), dict(reversed(pains.items())))] == [
        r.id for r in ranking
    ]


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_blast_radius_is_the_dependency_ancestors(case):
    G, _ = case
    D = dependency_graph(G)
    for node in G:
        radius = blast_radius(G, node)
        assert radius.dependents == nx.ancestors(D, node)
        assert set(radius.customer_actions) == {
            n for n in nx.ancestors(D, node) if G.nodes[n]["kind"] == "customer_action"
        }


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_analysis_never_mutates_the_graph(case):
    G, pains = case
    before = (sorted(G.nodes(data=True), key=str), sorted(G.edges(data=True), key=str))
    rank_root_causes(G, pains)
    for node in G:
        blast_radius(G, node)
    assert (sorted(G.nodes(data=True), key=str), sorted(G.edges(data=True), key=str)) == before


def test_next_links_are_never_followed():
    G = nx.DiGraph()
    G.add_node("a", kind="customer_action", blueprint_id=1)
    G.add_node("b", kind="customer_action", blueprint_id=1)
    G.add_node("c", kind="system", blueprint_id=None)
    G.add_edge("a", "b", kind="next")
    G.add_edge("b", "c", kind="uses")
    ranking = rank_root_causes(G, {"a": 5, "b": 2})
    assert [(r.id, r.score) for r in ranking] == [("c", 2)]
    assert blast_radius(G, "b").dependents == set()


# --- the evidence rules: confirmed causes first, fail points as causes of their own ------


@st.composite
def evidenced(draw):
    """A random graph with pains, fail points (pains of their own, some with insights at
    them too) and confirmed causes, as `blueprint.root_causes` passes them."""
    G, pains = draw(graphs())
    n = G.number_of_nodes()
    fail = draw(st.sets(st.integers(0, n - 1), max_size=n))
    weights = dict(pains)
    for node in fail:
        weights[node] = weights.get(node, 0) + 1  # the fail point weighs 1 where it is
    confirmed = draw(st.dictionaries(st.integers(0, n - 1), st.integers(1, 3), max_size=4))
    return G, weights, {node: 1 for node in fail}, confirmed


def naive_evidence_ranking(G, pains, breaks, confirmed):
    """The rules by brute force: a node's pains are those with it among their descendants,
    plus itself when it breaks (weighing what its fail point weighs, not what else is
    recorded there); listed when it has pain, breaks, or is confirmed."""
    D = dependency_graph(G)
    actions = [n for n, k in G.nodes(data="kind") if k == "customer_action"]
    found = {}
    for v in G:
        above = [p for p in pains if v in nx.descendants(D, p)]
        score = sum(pains[p] for p in above) + breaks.get(v, 0)
        count = len(above) + (v in breaks)
        if not (above or v in breaks or v in confirmed):
            continue
        journeys = {G.nodes[p]["blueprint_id"] for p in above}
        if v in breaks:
            journeys.add(G.nodes[v]["blueprint_id"])
        found[v] = (
            score,
            count,
            sum(1 for a in actions if v in nx.descendants(D, a)),
            len(journeys - {None}),
            confirmed.get(v, 0),
            v in breaks,
        )
    return found


@settings(max_examples=300, deadline=None)
@given(evidenced())
def test_ranking_with_evidence_agrees_with_naive_descendants(case):
    G, pains, breaks, confirmed = case
    ranking = rank_root_causes(G, pains, breaks=breaks, confirmed=confirmed)
    fast = {
        r.id: (r.score, r.pain_points, r.customer_actions, r.blueprints, r.confirmed_by, r.breaks)
        for r in ranking
    }
    assert fast == naive_evidence_ranking(G, pains, breaks, confirmed)
    D = dependency_graph(G)
    for r in ranking:
        expected = {p for p in pains if r.id in nx.descendants(D, p)} | (
            {r.id} if r.id in breaks else set()
        )
        assert set(ranking.pains_of(r)) == expected


@settings(max_examples=200, deadline=None)
@given(evidenced())
def test_confirmed_causes_come_first_then_candidates_each_by_score(case):
    G, pains, breaks, confirmed = case
    ranking = rank_root_causes(G, pains, breaks=breaks, confirmed=confirmed)
    keys = [
        (not r.confirmed, -r.score, -r.pain_points, -r.customer_actions, str(r.id)) for r in ranking
    ]
    assert keys == sorted(keys)
    assert [r.id for r in ranking if r.confirmed] == [
        r.id for r in ranking[: sum(1 for r in ranking if r.confirmed)]
    ]
    # evidence never changes a score: only the order between the two groups
    plain = {r.id: r.score for r in rank_root_causes(G, pains)}
    for r in ranking:
        assert r.score == plain.get(r.id, 0) + breaks.get(r.id, 0)

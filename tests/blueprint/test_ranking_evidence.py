"""The evidence rules of the root-cause ranking on tiny hand-built graphs, each answer
worked out by hand (the random graphs against networkx are in test_analysis_properties)."""

import networkx as nx

from blueprint.analysis.ranking import emotion_pains, rank_root_causes, slow_step_pains


def support_map():
    """Two pains on one step, which relies on an import tool and on an agent equally.

    late (insight 3×4 = 12) ──relies_on──> answer ──uses──> import tool
                                                  └─performed_by─> agent
    """
    G = nx.DiGraph()
    G.add_node("late", kind="customer_action", blueprint_id=1)
    G.add_node("answer", kind="frontstage", blueprint_id=1)
    G.add_node("import", kind="system", blueprint_id=None)
    G.add_node("agent", kind="person", blueprint_id=None)
    G.add_edge("late", "answer", kind="relies_on")
    G.add_edge("answer", "import", kind="uses")
    G.add_edge("answer", "agent", kind="performed_by")
    return G


def test_a_confirmed_cause_ranks_above_a_candidate_it_ties():
    G = support_map()
    # without a confirmation the two tie at 12 (1 pain each) and the id breaks the tie
    assert [(r.id, r.score) for r in rank_root_causes(G, {"late": 12})] == [
        ("agent", 12.0),
        ("answer", 12.0),
        ("import", 12.0),
    ]
    # the team confirmed the import tool for the one pain: it comes first, same score
    ranking = rank_root_causes(G, {"late": 12}, confirmed={"import": 1})
    assert [(r.id, r.score, r.confirmed_by) for r in ranking] == [
        ("import", 12.0, 1),
        ("agent", 12.0, 0),
        ("answer", 12.0, 0),
    ]


def test_a_confirmed_cause_ranks_above_a_candidate_under_more_pain():
    G = support_map()
    G.add_node("wait", kind="customer_action", blueprint_id=1)
    G.add_edge("wait", "agent", kind="performed_by")  # the agent alone: 12 + 20 = 32
    ranking = rank_root_causes(G, {"late": 12, "wait": 20}, confirmed={"import": 2})
    assert [(r.id, r.score, r.confirmed) for r in ranking] == [
        ("import", 12.0, True),
        ("agent", 32.0, False),
        ("answer", 12.0, False),
    ]


def test_a_confirmed_cause_with_no_pain_above_it_is_still_listed():
    G = support_map()
    G.add_node("mail", kind="system", blueprint_id=None)  # nothing relies on it any more
    ranking = rank_root_causes(G, {"late": 12}, confirmed={"mail": 1, "elsewhere": 1})
    assert (ranking[0].id, ranking[0].score, ranking[0].pain_points) == ("mail", 0.0, 0)
    assert "elsewhere" not in ranking.by_id  # not in the graph: ignored


def test_a_fail_point_with_nothing_above_it_is_a_candidate_of_its_own():
    G = support_map()
    # the import tool is marked as a fail point; no insight sits above anything
    ranking = rank_root_causes(G, {"import": 1}, breaks={"import": 1})
    assert [(r.id, r.score, r.pain_points, r.breaks) for r in ranking] == [("import", 1.0, 1, True)]
    assert ranking.pains_of(ranking[0]) == ["import"]
    assert ranking[0].blueprints == 0  # a catalog system belongs to no journey


def test_a_fail_point_adds_its_own_weight_to_the_pain_above_it():
    G = support_map()
    # answer is a fail point (1) with an insight at it too (6): what relies on answer gets
    # 12 + 1 + 6; answer itself gets the 12 above it and its own fail point, not the 6
    pains = {"late": 12, "answer": 1 + 6}
    ranking = rank_root_causes(G, pains, breaks={"answer": 1})
    scores = {r.id: (r.score, r.pain_points, r.breaks) for r in ranking}
    assert scores == {
        "answer": (13.0, 2, True),
        "import": (19.0, 2, False),
        "agent": (19.0, 2, False),
    }
    assert [r.id for r in ranking] == ["agent", "import", "answer"]


def test_a_fail_point_on_a_loop_counts_itself_once():
    G = nx.DiGraph()
    G.add_node("a", kind="backstage", blueprint_id=1)
    G.add_node("b", kind="backstage", blueprint_id=1)
    G.add_edge("a", "b", kind="relies_on")
    G.add_edge("b", "a", kind="relies_on")
    ranking = rank_root_causes(G, {"a": 1}, breaks={"a": 1})
    # a relies on b and b on a, yet a pain is never its own ancestor: a has its own fail
    # point only (1, once), b the pain of a above it (1)
    assert {r.id: (r.score, r.pain_points) for r in ranking} == {"a": (1.0, 1), "b": (1.0, 1)}


def test_pain_signals_weigh_how_bad_and_how_slow():
    G = nx.DiGraph()
    G.add_node("pay", kind="customer_action", emotion=-2, duration=30, tolerance=10)
    G.add_node("track", kind="customer_action", emotion=-1, duration=15, tolerance=10)
    G.add_node("happy", kind="customer_action", emotion=2, duration=5, tolerance=10)
    G.add_node("pack", kind="backstage", duration=20, tolerance=None)
    G.add_node("later", kind="customer_action", emotion=-2, blueprint_state="future")
    assert emotion_pains(G) == {"pay": 2.0, "track": 1.0}
    # 30 min against 10: at least twice the tolerance, 2; 15 against 10: 1
    assert slow_step_pains(G) == {"pay": 2.0, "track": 1.0}

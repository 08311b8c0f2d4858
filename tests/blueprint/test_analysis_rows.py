"""What the analysis templates receive: rows with their labels worked out, on tiny graphs."""

import networkx as nx

from blueprint.analysis.ranking import rank_root_causes
from blueprint.analysis.trace import trace
from blueprint.analysis_rows import ranking_page, trace_page
from blueprint.extension_points import Pain
from blueprint.root_causes import RootCauses, pain_weights


def journey():
    G = nx.DiGraph()
    G.add_node("wait", kind="customer_action", title="Wait", blueprint_id=1, blueprint="Order")
    G.add_node("send", kind="frontstage", title="Send", blueprint_id=1, blueprint="Order")
    G.add_node("ship", kind="backstage", title="Ship", blueprint_id=2, blueprint="Delivery")
    G.add_node("crm", kind="system", title="CRM", blueprint_id=None, blueprint=None)
    for node in ("wait", "send", "ship"):
        G.nodes[node]["stage"] = "Ask"
    G.add_edge("wait", "send", kind="relies_on")
    G.add_edge("send", "ship", kind="relies_on")
    G.add_edge("ship", "crm", kind="uses")
    return G


def test_trace_rows_name_the_blueprint_of_steps_in_another_journey():
    G = journey()
    page = trace_page(G, trace(G, "wait"))
    assert [(i.indent, i.element.title, i.elsewhere, i.deepest) for i in page.items] == [
        (0, "Wait", None, False),
        (1, "Send", None, False),
        (2, "Ship", "Delivery", False),
        (3, "CRM", None, True),
    ]
    assert [box.kind_label for box in page.diagram.boxes] == [
        "customer action",
        "frontstage",
        "backstage",
        "system",
    ]
    assert (page.candidates, page.deepest, page.fail_points) == (3, 1, 0)


def test_ranking_rows_say_where_each_cause_is_and_which_pains_it_is_under():
    G = journey()
    pains = [Pain("wait", 4.0, "Insight: slow"), Pain("send", 1.0, "Fail point: Send")]
    weights = pain_weights(pains)
    page = ranking_page(RootCauses(G, pains, weights, rank_root_causes(G, weights)), 2)
    rows = [(r.element.title, r.where, r.bar, [p.label for p in r.pains_shown]) for r in page.rows]
    assert rows == [
        ("CRM", "Workspace catalog", 80.0, ["Insight: slow", "Fail point: Send"]),
        ("Ship", "Delivery · Ask", 80.0, ["Insight: slow", "Fail point: Send"]),
    ]
    assert (page.pain_count, page.total) == (2, 3)

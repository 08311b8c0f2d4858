"""What every analysis shares: which edges count as dependencies, the depth of each lane, and
the order in which a blueprint reads (lane, then stage, then position).

Pure: no Flask, no database; the input graph is never modified.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

from blueprint.words import N_

__all__ = [
    "CATALOG",
    "LANE_DEPTH",
    "NEXT",
    "PROCESS_LANES",
    "dependency_graph",
    "kind_label",
    "reading_key",
]

LANE_DEPTH = {
    "physical_evidence": 0,
    "customer_action": 1,
    "frontstage": 2,
    "backstage": 3,
    "support": 4,
    "person": 5,
    "system": 5,
}
PROCESS_LANES = ("customer_action", "frontstage", "backstage", "support")
CATALOG = ("person", "system")
NEXT = "next"  # the link kind that orders steps in time; never followed when tracing


def dependency_graph(G: nx.DiGraph) -> nx.DiGraph:
    """A new graph with G's nodes and only its dependency edges.

    Parameters
    ----------
    G : nx.DiGraph
        Edges carry `kind`; those of kind ``"next"`` are left out.

    Returns
    -------
    nx.DiGraph
        The same nodes (without their data) and every edge that is not ``"next"``.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b", {"kind": "next"}), ("b", "c", {"kind": "uses"})])
    >>> list(dependency_graph(G).edges)
    [('b', 'c')]
    """
    D = nx.DiGraph()
    D.add_nodes_from(G)
    D.add_edges_from((u, v) for u, v, kind in G.edges(data="kind") if kind != NEXT)
    return D


def kind_label(kind: str) -> str:
    """An element kind as the analysis writes it in sentences and tags.

    Examples
    --------
    >>> kind_label("customer_action")
    'customer action'
    """
    return KIND_WORDS.get(kind) or kind.replace("_", " ")


# The kinds as words in sentences and tags, in English (N_): translated where shown.
KIND_WORDS = {
    "physical_evidence": N_("physical evidence"),
    "customer_action": N_("customer action"),
    "frontstage": N_("frontstage"),
    "backstage": N_("backstage"),
    "support": N_("support"),
    "person": N_("person"),
    "system": N_("system"),
}


def reading_key(G: nx.DiGraph, node: Hashable) -> tuple:
    """Sort key that orders nodes as the blueprint reads: by lane (top to bottom), then
    stage and position (left to right), then title and id (so the order is total).

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("erp", kind="system", title="ERP")
    >>> G.add_node("ask", kind="customer_action", title="Ask", stage_position=0)
    >>> sorted(G, key=lambda n: reading_key(G, n))
    ['ask', 'erp']
    """
    data = G.nodes[node]
    return (
        LANE_DEPTH.get(data.get("kind"), 9),
        data.get("stage_position") if data.get("stage_position") is not None else 1 << 30,
        data.get("position") or 0,
        str(data.get("title", "")).lower(),
        str(node),
    )

"""The blast radius of an element: everything that relies on it, and the customer actions
among them (its customer-visible impact, across blueprints).

Pure: no Flask, no database; the input graph is never modified.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from blueprint.analysis.dependencies import NEXT, reading_key

__all__ = ["BlastRadius", "blast_radius"]


@dataclass
class BlastRadius:
    element: Hashable
    dependents: set[Hashable]  # everything that relies on it, directly or transitively
    customer_actions: list[Hashable]  # the customer-visible impact, in journey order
    by_blueprint: dict[Hashable, dict[str | None, list[Hashable]]]  # blueprint → stage → actions


def blast_radius(G: nx.DiGraph, element: Hashable) -> BlastRadius:
    """Everything that relies on `element`, the customer actions among them, grouped by
    blueprint and stage.

    The dependents are `element`'s ancestors along dependency edges (as
    ``nx.ancestors(dependency_graph(G), element)``), found in one breadth-first pass.

    Parameters
    ----------
    G : nx.DiGraph
        The dependency graph (``next`` edges are not followed).
    element : node
        The element that fails.

    Returns
    -------
    BlastRadius
        The dependents; the customer actions among them, ordered by blueprint name and
        reading order; and those actions grouped by blueprint id, then stage name.

    Raises
    ------
    KeyError
        If `element` is not in `G`.

    Examples
    --------
    >>> G = nx.DiGraph([("wait", "send", {"kind": "relies_on"}), ("send", "crm", {"kind": "uses"})])
    >>> G.nodes["wait"]["kind"] = "customer_action"
    >>> radius = blast_radius(G, "crm")
    >>> sorted(radius.dependents), radius.customer_actions
    (['send', 'wait'], ['wait'])
    """
    if element not in G:
        raise KeyError(element)
    seen = {element}
    queue = deque([element])
    while queue:
        node = queue.popleft()
        for pred, data in G.pred[node].items():
            if data.get("kind") != NEXT and pred not in seen:
                seen.add(pred)
                queue.append(pred)
    seen.discard(element)
    actions = sorted(
        (n for n in seen if G.nodes[n].get("kind") == "customer_action"),
        key=lambda n: (str(G.nodes[n].get("blueprint", "")), *reading_key(G, n)),
    )
    grouped: dict[Hashable, dict[str | None, list[Hashable]]] = {}
    for action in actions:
        data = G.nodes[action]
        grouped.setdefault(data.get("blueprint_id"), {}).setdefault(data.get("stage"), []).append(
            action
        )
    return BlastRadius(element, seen, actions, grouped)

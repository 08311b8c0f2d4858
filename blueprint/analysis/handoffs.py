"""Handoffs beneath each customer action of a blueprint: the chains of lane steps it relies
on, and how often the person or team performing the work changes along each (the table on
the health page).

Pure: no Flask, no database; the input graph is never modified.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from blueprint.analysis.dependencies import CATALOG, LANE_DEPTH, NEXT, reading_key

__all__ = ["ActionHandoffs", "Chain", "handoffs"]


@dataclass
class Chain:
    steps: list[Hashable]  # lane elements from the customer action down
    performers: list[tuple[Hashable, ...]]  # the people/teams performing each step
    handoffs: int  # how often the performing person/team changes along the chain


@dataclass
class ActionHandoffs:
    action: Hashable
    chains: list[Chain]
    truncated: bool  # more chains exist than were listed

    @property
    def max_handoffs(self) -> int:
        return max((c.handoffs for c in self.chains), default=0)


def handoffs(
    G: nx.DiGraph, blueprint: Hashable, *, max_chains: int = 50, max_depth: int = 12
) -> list[ActionHandoffs]:
    """For each customer action of `blueprint`, the dependency chains of lane steps beneath
    it and the handoffs along each.

    A chain is a simple path of lane steps from the action to a step that relies on no
    further step. A handoff is a change of the performing person or team (``performed_by``
    a person) between consecutive steps. Steps without a performer do not break the count;
    a step performed by several people hands off unless the next step shares one of them.

    Parameters
    ----------
    G : nx.DiGraph
        The dependency graph.
    blueprint : blueprint id
        Whose customer actions (node attribute ``blueprint_id``) to follow.
    max_chains : int, optional
        At most this many chains per action; `truncated` says when more exist.
    max_depth : int, optional
        A chain ends after this many steps.

    Returns
    -------
    list of ActionHandoffs
        One per customer action, in reading order.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("ask", kind="customer_action", blueprint_id=1)
    >>> G.add_node("quote", kind="frontstage", blueprint_id=1)
    >>> G.add_node("price", kind="backstage", blueprint_id=1)
    >>> G.add_nodes_from(["sales", "finance"], kind="person")
    >>> G.add_edges_from([("ask", "quote"), ("quote", "price")], kind="relies_on")
    >>> G.add_edges_from([("quote", "sales"), ("price", "finance")], kind="performed_by")
    >>> [chain.handoffs for chain in handoffs(G, 1)[0].chains]
    [1]
    """

    def performers(node) -> tuple[Hashable, ...]:
        return tuple(
            sorted(
                (
                    v
                    for v, d in G.succ[node].items()
                    if d.get("kind") == "performed_by" and G.nodes[v].get("kind") == "person"
                ),
                key=str,
            )
        )

    def lane_steps(node):
        return sorted(
            (
                v
                for v, d in G.succ[node].items()
                if d.get("kind") != NEXT
                and G.nodes[v].get("kind") in LANE_DEPTH
                and G.nodes[v].get("kind") not in CATALOG
            ),
            key=lambda v: reading_key(G, v),
        )

    result = []
    actions = sorted(
        (
            n
            for n, d in G.nodes(data=True)
            if d.get("kind") == "customer_action" and d.get("blueprint_id") == blueprint
        ),
        key=lambda n: reading_key(G, n),
    )
    for action in actions:
        chains: list[Chain] = []
        truncated = False
        stack = [(action, [action])]
        while stack:
            node, path = stack.pop()
            nexts = [v for v in lane_steps(node) if v not in path]
            if not nexts or len(path) >= max_depth:
                if len(chains) >= max_chains:
                    truncated = True
                    break
                who = [performers(s) for s in path]
                chains.append(Chain(path, who, _count_handoffs(who)))
                continue
            stack.extend((v, [*path, v]) for v in reversed(nexts))
        result.append(ActionHandoffs(action, chains, truncated))
    return result


def _count_handoffs(chain_performers: list[tuple[Hashable, ...]]) -> int:
    changes, current = 0, None
    for who in chain_performers:
        if not who:
            continue
        if current is not None and not set(who) & set(current):
            changes += 1
        current = who
    return changes

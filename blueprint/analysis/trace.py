"""The cause tree of one element: everything it relies on, level by level, with the deepest
candidates and the fail points on the way marked (the trace page, the why-chain's choices).

Pure: no Flask, no database; the input graph is never modified.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from dataclasses import dataclass, field

import networkx as nx

from blueprint.analysis.dependencies import NEXT, dependency_graph, reading_key

__all__ = ["Trace", "TraceNode", "trace"]


@dataclass
class TraceNode:
    id: Hashable
    depth: int  # shortest number of links from the traced element
    parent: Hashable | None  # the node it was first reached from (the tree's edge)
    also_under: list[Hashable]  # other nodes at depth-1 that rely on it too
    deepest: bool  # relies on nothing further: a root-cause candidate at the bottom
    fail_point: bool
    children: list[Hashable] = field(default_factory=list)


@dataclass
class Trace:
    root: Hashable
    nodes: dict[Hashable, TraceNode]  # the root included, at depth 0
    levels: list[list[Hashable]]  # node ids by depth
    cyclic: bool  # the root's dependencies contain a cycle

    @property
    def candidates(self) -> list[Hashable]:
        return [n for level in self.levels[1:] for n in level]

    @property
    def deepest(self) -> list[Hashable]:
        return [n for n in self.candidates if self.nodes[n].deepest]

    @property
    def fail_points(self) -> list[Hashable]:
        return [n for n in self.candidates if self.nodes[n].fail_point]

    def preorder(self) -> list[tuple[int, Hashable]]:
        """(indent, node) pairs of the breadth-first tree, for an indented list."""
        out: list[tuple[int, Hashable]] = []
        stack = [(0, self.root)]
        while stack:
            indent, node = stack.pop()
            out.append((indent, node))
            stack.extend((indent + 1, c) for c in reversed(self.nodes[node].children))
        return out


def trace(G: nx.DiGraph, element: Hashable) -> Trace:
    """The cause tree of `element`: everything it relies on, level by level.

    Breadth first, so each node sits at its shortest depth; a node reached again at the
    same depth records the other parent in `also_under`. Children are ordered as the
    blueprint reads (`reading_key`), so the tree reads top to bottom like the board.

    Parameters
    ----------
    G : nx.DiGraph
        The dependency graph (``next`` edges are not followed).
    element : node
        The traced element.

    Returns
    -------
    Trace
        Levels by depth, the tree, the deepest candidates (nodes that rely on nothing
        further), the fail points, and whether the dependencies beneath contain a cycle.

    Raises
    ------
    KeyError
        If `element` is not in `G`.

    Examples
    --------
    >>> G = nx.DiGraph([("wait", "send", {"kind": "relies_on"}), ("send", "crm", {"kind": "uses"})])
    >>> result = trace(G, "wait")
    >>> result.levels, result.deepest
    ([['wait'], ['send'], ['crm']], ['crm'])
    """
    if element not in G:
        raise KeyError(element)
    nodes: dict[Hashable, TraceNode] = {}

    def dependencies(node):
        deps = [v for v, kind in G.succ[node].items() if kind.get("kind") != NEXT]
        return sorted(deps, key=lambda v: reading_key(G, v))

    def make(node, depth, parent):
        return TraceNode(
            id=node,
            depth=depth,
            parent=parent,
            also_under=[],
            deepest=not dependencies(node),
            fail_point=bool(G.nodes[node].get("fail_point")),
        )

    nodes[element] = make(element, 0, None)
    levels = [[element]]
    queue = deque([element])
    while queue:
        node = queue.popleft()
        depth = nodes[node].depth
        for dep in dependencies(node):
            if dep not in nodes:
                nodes[dep] = make(dep, depth + 1, node)
                nodes[node].children.append(dep)
                if len(levels) <= depth + 1:
                    levels.append([])
                levels[depth + 1].append(dep)
                queue.append(dep)
            elif nodes[dep].depth == depth + 1:
                nodes[dep].also_under.append(node)
    within = dependency_graph(G.subgraph(nodes))
    cyclic = any(len(c) > 1 for c in nx.strongly_connected_components(within))
    return Trace(element, nodes, levels, cyclic)

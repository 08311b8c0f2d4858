"""Root-cause ranking: which elements sit under most of the pain, across every blueprint
of the workspace. Pain points (with weights) come in as plain data; where they come from is
blueprint.root_causes.

Pure: no Flask, no database; the input graph is never modified.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping
from functools import cached_property
from operator import mul
from types import MappingProxyType
from typing import NamedTuple

import networkx as nx

from blueprint.analysis.dependencies import NEXT

__all__ = [
    "RankedCause",
    "Ranking",
    "ancestor_bits",
    "emotion_pains",
    "fail_point_pains",
    "rank_root_causes",
    "slow_step_pains",
]


class RankedCause(NamedTuple):
    """One cause, immutable (a tuple: a ranking makes thousands of them, and a frozen
    dataclass costs several times as much to build): **confirmed** when at least one pain
    point's team confirmed it as that pain's cause, else a **candidate**."""

    id: Hashable
    score: float  # sum of the weights of the pain points that rely on it (its own fail point too)
    pain_points: int  # how many pain points rely on it (its own fail point counts as one)
    customer_actions: int  # how many customer actions rely on it
    deepest: bool  # it relies on nothing further
    pain_bits: int = 0  # see Ranking.pains_of
    # per blueprint, the bits of its pain points (shared by every cause of one ranking)
    journeys: tuple[int, ...] = ()
    confirmed_by: int = 0  # how many pain points confirmed it as their cause
    breaks: bool = False  # a fail point itself: evidence that it breaks, a pain of its own

    @property
    def confirmed(self) -> bool:
        """Confirmed by at least one pain point (else a candidate)."""
        return self.confirmed_by > 0

    @property
    def blueprints(self) -> int:
        """In how many blueprints the pain points above it are (catalog pains: none);
        counted when asked, since only the causes shown need it."""
        return sum([1 for mask in self.journeys if self.pain_bits & mask])

    def __repr__(self) -> str:  # the bits are long and say nothing to a reader
        return (
            f"RankedCause(id={self.id!r}, score={self.score!r}, "
            f"pain_points={self.pain_points!r}, customer_actions={self.customer_actions!r}, "
            f"deepest={self.deepest!r}, confirmed_by={self.confirmed_by!r}, "
            f"breaks={self.breaks!r})"
        )


class Ranking(list[RankedCause]):
    """The ranked causes, plus what is needed to list the pain points above any of them
    (decoded on demand: listing them for every candidate would cost candidates × pains).

    Read-only: a ranking is built once per change of the workspace and shared by every
    request (blueprint.graph_cache), so the list's mutating methods raise TypeError; a
    caller that must change it works on ``list(ranking)``."""

    def __init__(self, causes: Iterable[RankedCause], tracked: list[Hashable]):
        super().__init__(causes)
        self._tracked = tracked

    def _read_only(self, *args, **kwargs):
        raise TypeError("a Ranking is shared and read-only: change list(ranking) instead")

    append = extend = insert = remove = pop = clear = sort = reverse = _read_only
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _read_only

    def iter_pains_of(self, cause: RankedCause) -> Iterator[Hashable]:
        """The pain points that rely on `cause`, in the order they were passed in, one at
        a time (taking the first few costs only those)."""
        bits = cause.pain_bits
        while bits:
            low = bits & -bits
            yield self._tracked[low.bit_length() - 1]
            bits ^= low

    def pains_of(self, cause: RankedCause) -> list[Hashable]:
        """The pain points that rely on `cause`, in the order they were passed in."""
        return list(self.iter_pains_of(cause))

    def count_planes(self, counts: Mapping[Hashable, int]) -> list[tuple[int, int]]:
        """(multiplier, mask) pairs over the pain bits for `counts` (pain point → a whole
        number), so that `total` sums them under a cause without decoding its pains."""
        position = {node: i for i, node in enumerate(self._tracked)}
        planes = []
        top = max(counts.values(), default=0)
        for k in range(int(top).bit_length()):
            mask = 0
            for node, count in counts.items():
                if node in position and int(count) >> k & 1:
                    mask |= 1 << position[node]
            planes.append((1 << k, mask))
        return planes

    @staticmethod
    def total(cause: RankedCause, planes: list[tuple[int, int]]) -> int:
        """Σ counts[p] over the pain points p above `cause` (`planes` from `count_planes`)."""
        return sum([m * (cause.pain_bits & mask).bit_count() for m, mask in planes])

    @cached_property
    def by_id(self) -> Mapping[Hashable, RankedCause]:
        """Each ranked node's entry (nodes without pain above them have none)."""
        return MappingProxyType({cause.id: cause for cause in self})


def ancestor_bits(G: nx.DiGraph, bit: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """For every node, the OR of `bit[a]` over the nodes `a` that rely on it directly or
    transitively (its strict ancestors along dependency edges; a node is never its own
    ancestor, even on a cycle).

    One iterative Tarjan pass over the reversed dependency edges (G's predecessor lists,
    `next` skipped). Tarjan finishes a strongly connected component only after every
    component it reaches, and in the reversed graph those are exactly the components that
    rely on it, so each component's inheritance is complete when it is popped: this is the
    topological order of the condensation, with no condensation graph built.

    Parameters
    ----------
    G : nx.DiGraph
        Every edge carries `kind`; ``next`` edges are skipped.
    bit : mapping of node to int
        The bits each node passes down (nodes not in it pass none).

    Returns
    -------
    dict of node to int
        Every node of `G`, with the OR of the bits of the nodes above it.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b", {"kind": "relies_on"}), ("b", "c", {"kind": "uses"})])
    >>> sorted(ancestor_bits(G, {"a": 0b01, "b": 0b10}).items())
    [('a', 0), ('b', 1), ('c', 3)]
    """
    return dict(zip(*_ancestor_bits(G, bit), strict=True))


def _ancestor_bits(G: nx.DiGraph, bit: Mapping[Hashable, int]) -> tuple[list, list[int]]:
    """`ancestor_bits` as (nodes, their bits), two lists in one order."""
    # Nodes become positions 0..n-1 and the reversed dependency edges lists of positions:
    # list indexing, not dict lookups and iterators, keeps the pass near the cost of a plain
    # strongly-connected-components pass (benchmarks/root_causes.py).
    nodes = list(G)
    position = {node: i for i, node in enumerate(nodes)}
    pred = G._pred  # networkx's own dicts, read only: its views cost a wrapper per call
    dependants = [
        [position[u] for u, data in pred[node].items() if data["kind"] != NEXT] for node in nodes
    ]
    n = len(nodes)
    own = [bit.get(node, 0) for node in nodes]
    index = [-1] * n
    low = [0] * n
    acc = [0] * n  # what a node inherits from finished components above it
    full = [0] * n  # per finished node: its component's above | own bits
    on_stack = [False] * n
    next_edge = [0] * n
    result = [0] * n
    stack: list[int] = []
    counter = 0
    for start in range(n):
        if index[start] >= 0:
            continue
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack[start] = True
        work = [start]
        while work:
            node = work[-1]
            edges = dependants[node]
            i, end = next_edge[node], len(edges)
            descended = False
            while i < end:
                other = edges[i]
                i += 1
                if index[other] < 0:
                    next_edge[node] = i
                    index[other] = low[other] = counter
                    counter += 1
                    stack.append(other)
                    on_stack[other] = True
                    work.append(other)
                    descended = True
                    break
                if on_stack[other]:
                    if index[other] < low[node]:
                        low[node] = index[other]
                else:
                    acc[node] |= full[other]
            if descended:
                continue
            work.pop()
            if low[node] == index[node]:
                member = stack.pop()
                on_stack[member] = False
                if member == node:  # a component of one node, as most are
                    full[node] = acc[node] | own[node]
                    result[node] = acc[node]
                else:
                    members = [member]
                    while member != node:
                        member = stack.pop()
                        on_stack[member] = False
                        members.append(member)
                    above = mine = 0
                    for member in members:
                        above |= acc[member]
                        mine |= own[member]
                    total = above | mine
                    for member in members:
                        full[member] = total
                        result[member] = above | (mine & ~own[member])
            if work:
                parent = work[-1]
                if on_stack[node]:
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                else:
                    acc[parent] |= full[node]
    return nodes, result


def rank_root_causes(
    G: nx.DiGraph,
    pains: Mapping[Hashable, float],
    *,
    breaks: Mapping[Hashable, float] | None = None,
    confirmed: Mapping[Hashable, int] | None = None,
) -> Ranking:
    """Root causes of all pain points, confirmed ones first, then the candidates.

    A node's score is the sum of the weights of the distinct pain points that rely on it
    directly or transitively (a pain point is not its own cause, as in `nx.descendants`),
    plus, for a node in `breaks` (a fail point: evidence that it breaks), its own weight
    there, counted as one more pain point. Returned: every node with a positive score,
    every node of `breaks` and every node of `confirmed`, even with no pain above it.

    One pass in topological order of the condensation (`ancestor_bits`): each component
    inherits, as a bitset, the pain points and customer actions above it. Scores are summed
    per bit-plane of the weights with `int.bit_count`, so the cost is linear in the graph
    plus bitset operations — never one traversal per pain point.

    Order: confirmed causes first (confirmed by at least one pain point), then candidates;
    within each, score, then number of pain points, then customer actions (all
    descending), then node id ascending (as a string, so mixed id types sort) —
    deterministic. Confirmation puts a cause in the first group without changing its score:
    the score still says how much pain relies on it.

    Parameters
    ----------
    G : nx.DiGraph
        The dependency graph (``next`` edges are not followed).
    pains : mapping of node to float
        Pain point → weight (an insight weighs severity × frequency, a fail point 1; see
        blueprint.root_causes). Nodes not in `G` and weights ≤ 0 are ignored.
    breaks : mapping of node to float, optional
        Nodes that are pain points of their own (fail points) → the weight they add to
        their own score (weights ≤ 0 and nodes not in `G` ignored).
    confirmed : mapping of node to int, optional
        Node → how many pain points confirmed it as their cause (≤ 0 and nodes not in `G`
        ignored).

    Returns
    -------
    Ranking
        A list of `RankedCause`, which also lists the pain points above each
        (`Ranking.pains_of`; a node of `breaks` is among its own).

    Examples
    --------
    >>> G = nx.DiGraph([("wait", "send", {"kind": "relies_on"}), ("send", "crm", {"kind": "uses"})])
    >>> ranking = rank_root_causes(G, {"wait": 4, "send": 1})
    >>> [(cause.id, cause.score) for cause in ranking]
    [('crm', 5.0), ('send', 4.0)]
    >>> ranking.pains_of(ranking[0])
    ['wait', 'send']
    >>> confirmed = rank_root_causes(G, {"wait": 4, "send": 1}, confirmed={"send": 1})
    >>> [(cause.id, cause.score, cause.confirmed) for cause in confirmed]
    [('send', 4.0, True), ('crm', 5.0, False)]
    >>> G.add_edge("crm", "db", kind="uses")
    >>> broken = rank_root_causes(G, {"db": 1}, breaks={"db": 1})
    >>> [(cause.id, cause.score, cause.pain_points, cause.breaks) for cause in broken]
    [('db', 1.0, 1, True)]
    """
    pains = {p: float(w) for p, w in pains.items() if p in G and w > 0}
    own = {n: float(w) for n, w in (breaks or {}).items() if n in G and w > 0}
    sure = {n: int(c) for n, c in (confirmed or {}).items() if n in G and c > 0}
    customer = [n for n, kind in G.nodes(data="kind") if kind == "customer_action"]
    tracked = list(dict.fromkeys([*pains, *own, *customer]))
    bit = {node: 1 << i for i, node in enumerate(tracked)}
    pain_mask = (1 << len(pains)) - 1  # pains come first in `tracked`
    customer_mask = 0
    for node in customer:
        customer_mask |= bit[node]
    planes = _weight_planes(pains, bit)
    blueprint_masks: dict[Hashable, int] = defaultdict(int)
    for p in dict.fromkeys([*pains, *own]):
        if G.nodes[p].get("blueprint_id") is not None:  # catalog pains belong to no journey
            blueprint_masks[G.nodes[p]["blueprint_id"]] |= bit[p]

    journeys = tuple(blueprint_masks.values())
    weights, masks = [w for w, _ in planes], [m for _, m in planes]
    succ = G._succ  # networkx's own dicts, read only
    ranked = []
    for node, bits in zip(*_ancestor_bits(G, bit), strict=True):
        pain_bits = bits & pain_mask
        breaks_here = node in own
        if not (pain_bits or breaks_here or node in sure):
            continue
        deepest = True
        for data in succ[node].values():
            if data["kind"] != NEXT:
                deepest = False
                break
        score = sum(map(mul, weights, map(int.bit_count, map(pain_bits.__and__, masks))))
        count = pain_bits.bit_count()
        if breaks_here:  # never among its own ancestors' bits, even on a cycle
            score += own[node]
            count += 1
            pain_bits |= bit[node]
        ranked.append(
            RankedCause(
                node,
                score,
                count,
                (bits & customer_mask).bit_count(),
                deepest,
                pain_bits,
                journeys,
                sure.get(node, 0),
                breaks_here,
            )
        )
    # by id as a string, then (stable) by confirmation, score, pain points, customer
    # actions, descending
    ranked.sort(key=lambda r: str(r.id))
    ranked.sort(key=_order, reverse=True)
    return Ranking(ranked, tracked)


def _order(cause: RankedCause) -> tuple:
    return (cause.confirmed_by > 0, cause.score, cause.pain_points, cause.customer_actions)


def _weight_planes(pains: Mapping[Hashable, float], bit: Mapping[Hashable, int]):
    """(weight, mask) pairs whose Σ weight × popcount(bits & mask) is the weighted sum.
    Whole-number weights are split into binary planes (5 planes cover 1..25); any other
    weights get one mask per distinct value."""
    if all(float(w).is_integer() for w in pains.values()):
        top = int(max(pains.values(), default=0))
        planes = []
        for k in range(top.bit_length()):
            mask = 0
            for p, w in pains.items():
                if int(w) >> k & 1:
                    mask |= bit[p]
            planes.append((float(1 << k), mask))
        return planes
    by_weight: dict[float, int] = defaultdict(int)
    for p, w in pains.items():
        by_weight[w] |= bit[p]
    return list(by_weight.items())


def fail_point_pains(G: nx.DiGraph) -> dict[Hashable, float]:
    """Fail points as pain points of weight 1.

    Fail points of future-state blueprints (node attribute ``blueprint_state``) are
    designs, not pain anyone feels today, so they are left out.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("send", fail_point=True, blueprint_state="current")
    >>> G.add_node("later", fail_point=True, blueprint_state="future")
    >>> fail_point_pains(G)
    {'send': 1.0}
    """
    return {
        n: 1.0
        for n, data in G.nodes(data=True)
        if data.get("fail_point") and data.get("blueprint_state") != "future"
    }


def _current(data) -> bool:
    return data.get("blueprint_state") != "future"


def emotion_pains(G: nx.DiGraph) -> dict[Hashable, float]:
    """Customer actions the customer feels badly (emotion below zero, on the −2…2 scale) as
    pain points weighing how badly: 1 at −1, 2 at −2. A pain signal: counted only where the
    workspace weighs pain signals (blueprint.root_causes). Future-state blueprints left out.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("pay", kind="customer_action", emotion=-2)
    >>> G.add_node("wait", kind="customer_action", emotion=-1, blueprint_state="future")
    >>> G.add_node("smile", kind="customer_action", emotion=1)
    >>> emotion_pains(G)
    {'pay': 2.0}
    """
    return {
        n: float(-data["emotion"])
        for n, data in G.nodes(data=True)
        if data.get("kind") == "customer_action"
        and data.get("emotion") is not None
        and data["emotion"] < 0
        and _current(data)
    }


def slow_step_pains(G: nx.DiGraph) -> dict[Hashable, float]:
    """Steps that take longer than the customer's tolerance (both recorded, in minutes) as
    pain points: weight 1, or 2 when the step takes at least twice the tolerance. A pain
    signal, like `emotion_pains`. Future-state blueprints left out.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("ship", duration=90, tolerance=60)
    >>> G.add_node("refund", duration=120, tolerance=60)
    >>> G.add_node("quick", duration=5, tolerance=60)
    >>> G.add_node("unknown", duration=5, tolerance=None)
    >>> slow_step_pains(G)
    {'ship': 1.0, 'refund': 2.0}
    """
    found = {}
    for n, data in G.nodes(data=True):
        duration, tolerance = data.get("duration"), data.get("tolerance")
        if duration is None or tolerance is None or duration <= tolerance or not _current(data):
            continue
        found[n] = 2.0 if duration >= 2 * tolerance else 1.0
    return found

"""Root-cause analysis on the dependency graph. Pure: graphs and plain values in, plain
values out; no Flask, no database; the input graph is never modified.

Assumptions shared by every function (ARCHITECTURE.md section 5):

- `G` is a `networkx.DiGraph` whose nodes carry at least `kind` (an ElementKind value) and
  `title`, and optionally `blueprint_id`, `stage`, `stage_position`, `position`,
  `fail_point`, `duration`, `tolerance`, `evidence_source`, `emotion`.
- An edge A → B with `kind` in relies_on / performed_by / uses means "A relies on B"; edges
  of kind `next` order steps in time and are never followed.
- Cycles are legal. Functions terminate on them (they work on the condensation) and report
  them where that is a finding.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

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
NEXT = "next"


def dependency_graph(G: nx.DiGraph) -> nx.DiGraph:
    """A new graph with G's nodes and only its dependency edges (no data copied)."""
    D = nx.DiGraph()
    D.add_nodes_from(G)
    D.add_edges_from((u, v) for u, v, kind in G.edges(data="kind") if kind != NEXT)
    return D


# --- trace -------------------------------------------------------------------------------


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


def _sort_key(G: nx.DiGraph, node: Hashable):
    data = G.nodes[node]
    return (
        LANE_DEPTH.get(data.get("kind"), 9),
        data.get("stage_position") if data.get("stage_position") is not None else 1 << 30,
        data.get("position") or 0,
        str(data.get("title", "")).lower(),
        str(node),
    )


def trace(G: nx.DiGraph, element: Hashable) -> Trace:
    """The cause tree of `element`: everything it relies on, level by level (breadth
    first, so each node sits at its shortest depth), with the deepest candidates (nodes
    that rely on nothing further) and fail points marked. Children are ordered by lane,
    then stage and position, so the tree reads top to bottom like the blueprint."""
    if element not in G:
        raise KeyError(element)
    nodes: dict[Hashable, TraceNode] = {}

    def dependencies(node):
        deps = [v for v, kind in G.succ[node].items() if kind.get("kind") != NEXT]
        return sorted(deps, key=lambda v: _sort_key(G, v))

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


# --- ranking -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedCause:
    id: Hashable
    score: float  # sum of the weights of the pain points that rely on it
    pain_points: int  # how many pain points rely on it
    customer_actions: int  # how many customer actions rely on it
    blueprints: int  # in how many blueprints those pain points are (catalog pains: none)
    deepest: bool  # it relies on nothing further
    pain_bits: int = field(default=0, repr=False, compare=False)  # see Ranking.pains_of


class Ranking(list[RankedCause]):
    """The ranked causes, plus what is needed to list the pain points above any of them
    (decoded on demand: listing them for every candidate would cost candidates × pains)."""

    def __init__(self, causes: Iterable[RankedCause], tracked: list[Hashable]):
        super().__init__(causes)
        self._tracked = tracked

    def pains_of(self, cause: RankedCause) -> list[Hashable]:
        found, bits = [], cause.pain_bits
        while bits:
            low = bits & -bits
            found.append(self._tracked[low.bit_length() - 1])
            bits ^= low
        return found


def ancestor_bits(G: nx.DiGraph, bit: Mapping[Hashable, int]) -> dict[Hashable, int]:
    """For every node, the OR of `bit[a]` over the nodes `a` that rely on it directly or
    transitively (its strict ancestors along dependency edges; a node is never its own
    ancestor, even on a cycle).

    One iterative Tarjan pass over the reversed dependency edges (G's predecessor lists,
    `next` skipped). Tarjan finishes a strongly connected component only after every
    component it reaches, and in the reversed graph those are exactly the components that
    rely on it, so each component's inheritance is complete when it is popped: this is the
    topological order of the condensation, with no condensation graph built.
    """
    pred = G._pred
    index: dict[Hashable, int] = {}
    low: dict[Hashable, int] = {}
    acc: dict[Hashable, int] = {}  # what a node inherits from finished components above it
    full: dict[Hashable, int] = {}  # per finished node: its component's above | own bits
    on_stack: set[Hashable] = set()
    stack: list[Hashable] = []
    result: dict[Hashable, int] = {}
    counter = 0

    def dependants(node):
        return iter([u for u, data in pred[node].items() if data["kind"] != NEXT])

    for start in G:
        if start in index:
            continue
        index[start] = low[start] = counter
        counter += 1
        acc[start] = 0
        stack.append(start)
        on_stack.add(start)
        work = [(start, dependants(start))]
        while work:
            node, it = work[-1]
            descended = False
            for other in it:
                if other not in index:
                    index[other] = low[other] = counter
                    counter += 1
                    acc[other] = 0
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, dependants(other)))
                    descended = True
                    break
                if other in on_stack:
                    if index[other] < low[node]:
                        low[node] = index[other]
                else:
                    acc[node] |= full[other]
            if descended:
                continue
            work.pop()
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                above = own = 0
                for member in members:
                    above |= acc.pop(member)
                    own |= bit.get(member, 0)
                total = above | own
                for member in members:
                    full[member] = total
                    result[member] = above | (own & ~bit.get(member, 0))
            if work:
                parent = work[-1][0]
                if node in on_stack:
                    if low[node] < low[parent]:
                        low[parent] = low[node]
                else:
                    acc[parent] |= full[node]
    return result


def rank_root_causes(G: nx.DiGraph, pains: Mapping[Hashable, float]) -> Ranking:
    """Root-cause candidates of all pain points, best first.

    `pains` maps element id → weight (severity × frequency; fail points weigh 1). A node's
    score is the sum of the weights of the distinct pain points that rely on it directly or
    transitively (a pain point is not its own cause, as in `nx.descendants`). Only nodes
    with a positive score are returned.

    One pass in topological order of the condensation (`ancestor_bits`): each component
    inherits, as a bitset, the pain points and customer actions above it. Scores are summed
    per bit-plane of the weights with `int.bit_count`, so the cost is linear in the graph
    plus bitset operations — never one traversal per pain point.

    Order: score, then number of pain points, then customer actions (all descending), then
    node id ascending (as a string, so mixed id types sort) — deterministic.
    """
    pains = {p: float(w) for p, w in pains.items() if p in G and w > 0}
    customer = [n for n, kind in G.nodes(data="kind") if kind == "customer_action"]
    tracked = list(dict.fromkeys([*pains, *customer]))
    bit = {node: 1 << i for i, node in enumerate(tracked)}
    pain_mask = (1 << len(pains)) - 1  # pains come first in `tracked`
    customer_mask = 0
    for node in customer:
        customer_mask |= bit[node]
    planes = _weight_planes(pains, bit)
    blueprint_masks: dict[Hashable, int] = defaultdict(int)
    for p in pains:
        if G.nodes[p].get("blueprint_id") is not None:  # catalog pains belong to no journey
            blueprint_masks[G.nodes[p]["blueprint_id"]] |= bit[p]

    relies = {u for u, _, kind in G.edges(data="kind") if kind != NEXT}
    shift = len(pains)  # customer actions that are not pains sit above the pain bits
    customer_only = customer_mask >> shift
    ranked = []
    for node, bits in ancestor_bits(G, bit).items():
        pain_bits = bits & pain_mask
        if not pain_bits:
            continue
        ranked.append(
            RankedCause(
                id=node,
                score=sum([w * (pain_bits & m).bit_count() for w, m in planes]),
                pain_points=pain_bits.bit_count(),
                customer_actions=(pain_bits & customer_mask).bit_count()
                + ((bits >> shift) & customer_only).bit_count(),
                blueprints=sum([1 for m in blueprint_masks.values() if pain_bits & m]),
                deepest=node not in relies,
                pain_bits=pain_bits,
            )
        )
    ranked.sort(key=lambda r: (-r.score, -r.pain_points, -r.customer_actions, str(r.id)))
    return Ranking(ranked, tracked)


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
    """Fail points as pain points of weight 1. Fail points of future-state blueprints are
    designs, not pain anyone feels today, so they are left out."""
    return {
        n: 1.0
        for n, data in G.nodes(data=True)
        if data.get("fail_point") and data.get("blueprint_state") != "future"
    }


# --- blast radius ------------------------------------------------------------------------


@dataclass
class BlastRadius:
    element: Hashable
    dependents: set[Hashable]  # everything that relies on it, directly or transitively
    customer_actions: list[Hashable]  # the customer-visible impact, in journey order
    by_blueprint: dict[Hashable, dict[str | None, list[Hashable]]]  # blueprint → stage → actions


def blast_radius(G: nx.DiGraph, element: Hashable) -> BlastRadius:
    """Everything that relies on `element` (its ancestors along dependency edges), the
    customer actions among them, grouped by blueprint and stage."""
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
        key=lambda n: (str(G.nodes[n].get("blueprint", "")), *_sort_key(G, n)),
    )
    grouped: dict[Hashable, dict[str | None, list[Hashable]]] = {}
    for action in actions:
        data = G.nodes[action]
        grouped.setdefault(data.get("blueprint_id"), {}).setdefault(data.get("stage"), []).append(
            action
        )
    return BlastRadius(element, seen, actions, grouped)


# --- handoffs ----------------------------------------------------------------------------


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
    """For each customer action of `blueprint`: the dependency chains of lane steps
    beneath it (simple paths to a step that relies on no further step) and, on each, how
    many times the performing person or team changes. Steps without a performer do not
    break the count; a step performed by several people hands off unless the next step
    shares one of them. At most `max_chains` chains per action, `max_depth` steps deep."""

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
            key=lambda v: _sort_key(G, v),
        )

    def count(chain_performers: list[tuple[Hashable, ...]]) -> int:
        changes, current = 0, None
        for who in chain_performers:
            if not who:
                continue
            if current is not None and not set(who) & set(current):
                changes += 1
            current = who
        return changes

    result = []
    actions = sorted(
        (
            n
            for n, d in G.nodes(data=True)
            if d.get("kind") == "customer_action" and d.get("blueprint_id") == blueprint
        ),
        key=lambda n: _sort_key(G, n),
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
                chains.append(Chain(path, who, count(who)))
                continue
            stack.extend((v, [*path, v]) for v in reversed(nexts))
        result.append(ActionHandoffs(action, chains, truncated))
    return result


# --- findings ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str  # one of FINDING_KINDS
    elements: tuple[Hashable, ...]
    message: str


FINDING_KINDS = {
    "cycle": "Dependency cycle",
    "action_relies_on_nothing": "Customer action relies on nothing",
    "unused_backstage": "Nothing relies on it",
    "single_point_of_failure": "Single point of failure",
    "inverted_dependency": "Inverted dependency",
    "over_tolerance": "Takes longer than the customer tolerates",
    "no_evidence": "No evidence recorded",
}


def findings(G: nx.DiGraph, blueprint: Hashable, *, spof_min: int = 3) -> list[Finding]:
    """The health of one blueprint's map, as findings in a fixed order of kinds.

    A person or system is a single point of failure when at least `spof_min` customer
    actions of the blueprint rely on it (and at least a third of them, on large maps).
    A dependency is inverted when a process lane relies on a lane above it (customer
    actions → frontstage → backstage → support is the downward direction; physical
    evidence may be relied on from anywhere), or when a person or system relies on a
    lane step."""
    D = dependency_graph(G)
    mine = [n for n, d in G.nodes(data=True) if d.get("blueprint_id") == blueprint]
    mine_set = set(mine)
    kind = {n: G.nodes[n].get("kind") for n in G}
    title = {n: G.nodes[n].get("title", str(n)) for n in G}
    order = sorted(mine, key=lambda n: _sort_key(G, n))
    out: list[Finding] = []

    for component in nx.strongly_connected_components(D):
        if len(component) > 1 and component & mine_set:
            cycle = tuple(sorted(component, key=lambda n: _sort_key(G, n)))
            names = " → ".join(title[n] for n in cycle)
            out.append(
                Finding("cycle", cycle, f"These steps rely on each other in a loop: {names}.")
            )
    for n in order:
        if kind[n] == "customer_action" and D.out_degree(n) == 0:
            out.append(
                Finding(
                    "action_relies_on_nothing",
                    (n,),
                    f"{title[n]} relies on nothing: what makes it possible?",
                )
            )
    for n in order:
        if kind[n] in ("backstage", "support") and D.in_degree(n) == 0:
            out.append(
                Finding(
                    "unused_backstage",
                    (n,),
                    f"Nothing relies on {title[n]}: link it to what it serves, or remove it.",
                )
            )
    actions = [n for n in order if kind[n] == "customer_action"]
    threshold = max(spof_min, -(-len(actions) // 3))
    action_bits = {a: 1 << i for i, a in enumerate(actions)}
    under = {
        n: bits.bit_count()
        for n, bits in ancestor_bits(G, action_bits).items()
        if kind[n] in CATALOG and bits
    }
    for n in sorted(under, key=lambda n: (-under[n], str(title[n]))):
        if under[n] >= threshold:
            out.append(
                Finding(
                    "single_point_of_failure",
                    (n,),
                    f"{under[n]} of {len(actions)} customer actions rely on {title[n]}.",
                )
            )
    for u, v in sorted(D.edges, key=lambda e: (_sort_key(G, e[0]), _sort_key(G, e[1]))):
        if u not in mine_set and v not in mine_set:
            continue
        ku, kv = kind[u], kind[v]
        upward = ku in PROCESS_LANES and kv in PROCESS_LANES and (LANE_DEPTH[ku] > LANE_DEPTH[kv])
        catalog_on_lane = ku in CATALOG and kv in LANE_DEPTH and kv not in CATALOG
        if upward or catalog_on_lane:
            out.append(
                Finding(
                    "inverted_dependency",
                    (u, v),
                    f"{title[u]} ({ku.replace('_', ' ')}) relies on {title[v]} "
                    f"({kv.replace('_', ' ')}), a lane above it.",
                )
            )
    for n in order:
        data = G.nodes[n]
        if (
            data.get("duration") is not None
            and data.get("tolerance") is not None
            and (data["duration"] > data["tolerance"])
        ):
            out.append(
                Finding(
                    "over_tolerance",
                    (n,),
                    f"{title[n]} takes {data['duration']} min; the customer "
                    f"tolerates {data['tolerance']}.",
                )
            )
    for n in actions:
        if not G.nodes[n].get("evidence_source"):
            out.append(
                Finding(
                    "no_evidence",
                    (n,),
                    f"No evidence recorded for {title[n]}: observed, or assumed?",
                )
            )
    return out


def elements_with_findings(found: Iterable[Finding]) -> dict[Hashable, list[Finding]]:
    marked: dict[Hashable, list[Finding]] = defaultdict(list)
    for finding in found:
        for element in finding.elements:
            marked[element].append(finding)
    return dict(marked)

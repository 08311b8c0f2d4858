"""The health of one blueprint's map: seven checks, each a small function that returns its
findings, run in a fixed order by `findings` (the health page, its badges on the board).

Pure: no Flask, no database; the input graph is never modified. A finding's `message` is
in English; its `template` (an English message id, marked with N_) and `values` let the
page say it in the reader's language (`Finding.text`, with blueprint.words)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx

from blueprint.analysis.dependencies import (
    CATALOG,
    LANE_DEPTH,
    PROCESS_LANES,
    dependency_graph,
    kind_label,
    reading_key,
)
from blueprint.analysis.ranking import ancestor_bits
from blueprint.words import ENGLISH, N_, Words

__all__ = [
    "FINDING_KINDS",
    "Finding",
    "MapScope",
    "actions_relying_on_nothing",
    "cycles",
    "elements_with_findings",
    "findings",
    "inverted_dependencies",
    "missing_evidence",
    "over_tolerance",
    "single_points_of_failure",
    "unused_backstage",
]


@dataclass(frozen=True)
class Finding:
    kind: str  # one of FINDING_KINDS
    elements: tuple[Hashable, ...]
    message: str  # in English
    template: str = ""  # the message's id in the catalog, with named placeholders
    values: tuple[tuple[str, object], ...] = ()  # (placeholder, value); *_kind: a kind word

    def text(self, words: Words = ENGLISH) -> str:
        """The message in the language of `words` (flask_babel in a request)."""
        if not self.template:
            return self.message
        values = {
            name: words.gettext(value) if name.endswith("_kind") else value
            for name, value in self.values
        }
        return words.gettext(self.template, **values)


def _finding(kind: str, elements: tuple[Hashable, ...], template: str, **values) -> Finding:
    return Finding(kind, elements, template % values, template, tuple(values.items()))


FINDING_KINDS = {
    "cycle": N_("Dependency cycle"),
    "action_relies_on_nothing": N_("Customer action relies on nothing"),
    "unused_backstage": N_("Nothing relies on it"),
    "single_point_of_failure": N_("Single point of failure"),
    "inverted_dependency": N_("Inverted dependency"),
    "over_tolerance": N_("Takes longer than the customer tolerates"),
    "no_evidence": N_("No evidence recorded"),
}


@dataclass(frozen=True)
class MapScope:
    """One blueprint's part of the graph, as every check reads it."""

    G: nx.DiGraph
    D: nx.DiGraph  # G's dependency edges only
    mine: frozenset  # the blueprint's own elements
    order: list  # those elements in reading order
    actions: list  # its customer actions in reading order
    kind: dict  # node → kind, for every node of G
    title: dict  # node → title, for every node of G

    @classmethod
    def of(cls, G: nx.DiGraph, blueprint: Hashable) -> MapScope:
        mine = [n for n, d in G.nodes(data=True) if d.get("blueprint_id") == blueprint]
        kind = {n: G.nodes[n].get("kind") for n in G}
        order = sorted(mine, key=lambda n: reading_key(G, n))
        return cls(
            G=G,
            D=dependency_graph(G),
            mine=frozenset(mine),
            order=order,
            actions=[n for n in order if kind[n] == "customer_action"],
            kind=kind,
            title={n: G.nodes[n].get("title", str(n)) for n in G},
        )


def findings(G: nx.DiGraph, blueprint: Hashable, *, spof_min: int = 3) -> list[Finding]:
    """The health of one blueprint's map, as findings in the order of `FINDING_KINDS`.

    Parameters
    ----------
    G : nx.DiGraph
        The blueprint's graph (its elements and the people and systems they link to).
    blueprint : blueprint id
        Whose elements (node attribute ``blueprint_id``) are checked.
    spof_min : int, optional
        See `single_points_of_failure`.

    Returns
    -------
    list of Finding
        Cycles, then customer actions relying on nothing, unused backstage steps, single
        points of failure, inverted dependencies, steps over the customer's tolerance and
        customer actions without evidence.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("ask", kind="customer_action", title="Ask", blueprint_id=1)
    >>> [f.kind for f in findings(G, 1)]
    ['action_relies_on_nothing', 'no_evidence']
    """
    scope = MapScope.of(G, blueprint)
    return [
        *cycles(scope),
        *actions_relying_on_nothing(scope),
        *unused_backstage(scope),
        *single_points_of_failure(scope, spof_min=spof_min),
        *inverted_dependencies(scope),
        *over_tolerance(scope),
        *missing_evidence(scope),
    ]


def cycles(scope: MapScope) -> list[Finding]:
    """Steps that rely on each other in a loop (a strongly connected component with more
    than one node that touches the blueprint), each listed in reading order."""
    out = []
    for component in nx.strongly_connected_components(scope.D):
        if len(component) > 1 and component & scope.mine:
            cycle = tuple(sorted(component, key=lambda n: reading_key(scope.G, n)))
            names = " → ".join(scope.title[n] for n in cycle)
            out.append(
                _finding(
                    "cycle",
                    cycle,
                    N_("These steps rely on each other in a loop: %(names)s."),
                    names=names,
                )
            )
    return out


def actions_relying_on_nothing(scope: MapScope) -> list[Finding]:
    """Customer actions with no dependency at all: what makes them possible is missing."""
    return [
        _finding(
            "action_relies_on_nothing",
            (n,),
            N_("%(title)s relies on nothing: what makes it possible?"),
            title=scope.title[n],
        )
        for n in scope.order
        if scope.kind[n] == "customer_action" and scope.D.out_degree(n) == 0
    ]


def unused_backstage(scope: MapScope) -> list[Finding]:
    """Backstage and support steps that nothing relies on."""
    return [
        _finding(
            "unused_backstage",
            (n,),
            N_("Nothing relies on %(title)s: link it to what it serves, or remove it."),
            title=scope.title[n],
        )
        for n in scope.order
        if scope.kind[n] in ("backstage", "support") and scope.D.in_degree(n) == 0
    ]


def single_points_of_failure(scope: MapScope, *, spof_min: int = 3) -> list[Finding]:
    """People and systems that at least `spof_min` of the blueprint's customer actions rely
    on (and at least a third of them, on large maps), most relied on first."""
    actions = scope.actions
    threshold = max(spof_min, -(-len(actions) // 3))
    action_bits = {a: 1 << i for i, a in enumerate(actions)}
    under = {
        n: bits.bit_count()
        for n, bits in ancestor_bits(scope.G, action_bits).items()
        if scope.kind[n] in CATALOG and bits
    }
    return [
        _finding(
            "single_point_of_failure",
            (n,),
            N_("%(count)s of %(total)s customer actions rely on %(title)s."),
            count=under[n],
            total=len(actions),
            title=scope.title[n],
        )
        for n in sorted(under, key=lambda n: (-under[n], str(scope.title[n])))
        if under[n] >= threshold
    ]


def inverted_dependencies(scope: MapScope) -> list[Finding]:
    """Dependencies that point up the map: a process lane relying on a lane above it
    (customer actions → frontstage → backstage → support is the downward direction;
    physical evidence may be relied on from anywhere), or a person or system relying on a
    lane step."""
    G, kind, title = scope.G, scope.kind, scope.title
    out = []
    for u, v in sorted(scope.D.edges, key=lambda e: (reading_key(G, e[0]), reading_key(G, e[1]))):
        if u not in scope.mine and v not in scope.mine:
            continue
        ku, kv = kind[u], kind[v]
        upward = ku in PROCESS_LANES and kv in PROCESS_LANES and (LANE_DEPTH[ku] > LANE_DEPTH[kv])
        catalog_on_lane = ku in CATALOG and kv in LANE_DEPTH and kv not in CATALOG
        if upward or catalog_on_lane:
            out.append(
                _finding(
                    "inverted_dependency",
                    (u, v),
                    N_(
                        "%(title)s (%(title_kind)s) relies on %(other)s (%(other_kind)s), "
                        "a lane above it."
                    ),
                    title=title[u],
                    title_kind=kind_label(ku),
                    other=title[v],
                    other_kind=kind_label(kv),
                )
            )
    return out


def over_tolerance(scope: MapScope) -> list[Finding]:
    """Steps whose duration exceeds what the customer tolerates (both in minutes)."""
    out = []
    for n in scope.order:
        data = scope.G.nodes[n]
        if (
            data.get("duration") is not None
            and data.get("tolerance") is not None
            and (data["duration"] > data["tolerance"])
        ):
            out.append(
                _finding(
                    "over_tolerance",
                    (n,),
                    N_("%(title)s takes %(duration)s min; the customer tolerates %(tolerance)s."),
                    title=scope.title[n],
                    duration=data["duration"],
                    tolerance=data["tolerance"],
                )
            )
    return out


def missing_evidence(scope: MapScope) -> list[Finding]:
    """Customer actions with no evidence source recorded: observed, or assumed?"""
    return [
        _finding(
            "no_evidence",
            (n,),
            N_("No evidence recorded for %(title)s: observed, or assumed?"),
            title=scope.title[n],
        )
        for n in scope.actions
        if not scope.G.nodes[n].get("evidence_source")
    ]


def elements_with_findings(found: Iterable[Finding]) -> dict[Hashable, list[Finding]]:
    """Each element named by a finding, with the findings that name it (board badges).

    Examples
    --------
    >>> found = [Finding("cycle", ("a", "b"), "…"), Finding("no_evidence", ("a",), "…")]
    >>> {n: [f.kind for f in fs] for n, fs in elements_with_findings(found).items()}
    {'a': ['cycle', 'no_evidence'], 'b': ['cycle']}
    """
    marked: dict[Hashable, list[Finding]] = defaultdict(list)
    for finding in found:
        for element in finding.elements:
            marked[element].append(finding)
    return dict(marked)

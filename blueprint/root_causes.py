"""The root-cause pipeline, in one place: a workspace id in; its graph, pain points, weights
and ranking out. Every page that ranks causes (the root-cause page and its JSON, the
backlog's suggested impact, the action plan's cause sheet, a blueprint's one-page summary)
calls `workspace_root_causes`.

The steps: `blueprint.graph.workspace_graph` builds the workspace's dependency graph (two
queries); `pain_points` collects its pain points, the fail points of current-state
blueprints at weight 1 and what contributors add (`blueprint.extension_points`: the
backlog's pain-point insights at severity × frequency); `pain_weights` sums them per
element; the pure `blueprint.analysis.ranking.rank_root_causes` ranks the causes beneath.

All of it is built once per change of the workspace in each worker and shared
(`blueprint.graph_cache`): a `RootCauses` is read-only, its graph frozen, its ranking
immutable, its pains a tuple and its weights a read-only mapping.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

import networkx as nx

from blueprint.analysis.ranking import RankedCause, Ranking, fail_point_pains, rank_root_causes
from blueprint.extension_points import Pain, contributed_pains
from blueprint.graph import workspace_graph
from blueprint.graph_cache import derived


@dataclass(frozen=True)
class RootCauses:
    graph: nx.DiGraph  # the workspace's dependency graph (blueprint.graph), read-only
    pains: tuple[Pain, ...]  # every pain point that was weighed, labelled
    weights: Mapping[Hashable, float]  # element → the summed weight of its pain points
    ranking: Ranking  # the causes beneath those pain points, best first

    @cached_property
    def _pains_by_element(self) -> dict[Hashable, list[Pain]]:
        by_element: dict[Hashable, list[Pain]] = {}
        for pain in self.pains:
            by_element.setdefault(pain.element_id, []).append(pain)
        return by_element

    @cached_property
    def _pain_count_planes(self) -> list[tuple[int, int]]:
        return self.ranking.count_planes({e: len(p) for e, p in self._pains_by_element.items()})

    def pains_under(self, cause: RankedCause, limit: int | None = None) -> list[Pain]:
        """The pain points that rely on `cause`, with their labels and links (the first
        `limit` of them: the rest are never decoded)."""
        found: list[Pain] = []
        for element in self.ranking.iter_pains_of(cause):
            found.extend(self._pains_by_element.get(element, ()))
            if limit is not None and len(found) >= limit:
                return found[:limit]
        return found

    def pains_reached(self, targets: Iterable[Hashable]) -> set[Hashable]:
        """The targets and the pain points that rely on any of them (what fixing the
        targets helps), from the ranking's bits instead of a search of the graph."""
        found: set[Hashable] = set()
        for target in targets:
            if target in self.graph:
                found.add(target)
                cause = self.ranking.by_id.get(target)
                if cause is not None:
                    found.update(self.ranking.iter_pains_of(cause))
        return found

    def pain_count_under(self, cause: RankedCause) -> int:
        """How many pain points rely on `cause` (as ``len(pains_under(cause))``, without
        listing them)."""
        return self.ranking.total(cause, self._pain_count_planes)


def pain_points(workspace_id: int, G: nx.DiGraph) -> list[Pain]:
    """Every pain point of the workspace: fail points (weight 1), then what contributors
    add, at elements of `G` only."""
    found = [
        Pain(n, w, f"Fail point: {G.nodes[n].get('title')}") for n, w in fail_point_pains(G).items()
    ]
    found.extend(p for p in contributed_pains(workspace_id) if p.element_id in G)
    return found


def pain_weights(found: Iterable[Pain]) -> dict[Hashable, float]:
    """Element → the sum of the weights of its pain points."""
    weights: dict[Hashable, float] = {}
    for pain in found:
        weights[pain.element_id] = weights.get(pain.element_id, 0.0) + pain.weight
    return weights


def workspace_root_causes(workspace_id: int, *, blueprint_id: int | None = None) -> RootCauses:
    """The root causes of a workspace's pain points, ranked across all its blueprints;
    built once per change of the workspace in this worker (`blueprint.graph_cache`).

    With `blueprint_id`, only the pain points at that blueprint's elements are weighed (a
    blueprint's summary); their causes are still found anywhere in the workspace.
    """
    return derived(
        workspace_id,
        ("root_causes", blueprint_id),
        lambda: build_root_causes(workspace_graph(workspace_id), workspace_id, blueprint_id),
    )


def build_root_causes(
    G: nx.DiGraph, workspace_id: int, blueprint_id: int | None = None
) -> RootCauses:
    """`workspace_root_causes` on the graph `G`, built now (one query for the pains)."""
    found = pain_points(workspace_id, G)
    if blueprint_id is not None:
        found = [p for p in found if G.nodes[p.element_id].get("blueprint_id") == blueprint_id]
    weights = pain_weights(found)
    return RootCauses(G, tuple(found), MappingProxyType(weights), rank_root_causes(G, weights))

"""The root-cause pipeline, in one place: a workspace id in; its graph, pain points, weights
and ranking out. Every page that ranks causes (the root-cause page and its JSON, the
backlog's suggested impact, the action plan's cause sheet, a blueprint's one-page summary)
calls `workspace_root_causes`.

The steps: `blueprint.graph.workspace_graph` builds the workspace's dependency graph (two
queries); `pain_points` collects its pain points: the fail points of current-state
blueprints at weight 1, the map's pain signals when the workspace weighs them
(`RankingSettings.pain_signals`: customer actions felt badly, at 1 or 2; steps slower than
the customer's tolerance, at 1 or 2) and what contributors add (`blueprint.extension_points`:
the backlog's pain-point insights at severity × frequency, each with the causes the team
confirmed for it); `pain_weights` sums them per element and `confirmations` counts, per
element, the pain points that confirmed it; the pure
`blueprint.analysis.ranking.rank_root_causes` ranks the causes beneath: confirmed causes
first, then candidates, with every fail point among them (a fail point is evidence that its
element breaks: a pain of its own, even with nothing above it).

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
from flask_babel import lazy_gettext as _l

from blueprint.analysis.ranking import (
    RankedCause,
    Ranking,
    emotion_pains,
    fail_point_pains,
    rank_root_causes,
    slow_step_pains,
)
from blueprint.extension_points import Pain, contributed_pains
from blueprint.graph import workspace_graph
from blueprint.graph_cache import derived
from blueprint.services import ranking_settings


@dataclass(frozen=True)
class RootCauses:
    graph: nx.DiGraph  # the workspace's dependency graph (blueprint.graph), read-only
    pains: tuple[Pain, ...]  # every pain point that was weighed, labelled
    weights: Mapping[Hashable, float]  # element → the summed weight of its pain points
    ranking: Ranking  # the causes beneath those pain points, confirmed first, best first
    pain_signals: bool = False  # whether the map's pain signals were weighed

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
        `limit` of them: the rest are never decoded). A fail point is among its own, first;
        what else was recorded at it is not (it is felt there, caused further down)."""
        found: list[Pain] = []
        for element in self.ranking.iter_pains_of(cause):
            at = self._pains_by_element.get(element, ())
            if element == cause.id:
                found[:0] = [p for p in at if p.kind == "fail_point"]
            else:
                found.extend(at)
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
        total = self.ranking.total(cause, self._pain_count_planes)
        if cause.breaks:  # only its fail point of what was recorded at it
            total -= len(self._pains_by_element.get(cause.id, ())) - 1
        return total

    @property
    def confirmed(self) -> int:
        """How many causes are confirmed (they come first in the ranking)."""
        count = 0
        for cause in self.ranking:
            if not cause.confirmed:
                break
            count += 1
        return count


def pain_points(workspace_id: int, G: nx.DiGraph, signals: bool = False) -> list[Pain]:
    """Every pain point of the workspace: fail points (weight 1), the pain signals when
    `signals`, then what contributors add, at elements of `G` only."""
    nodes = G.nodes
    found = [
        Pain(n, w, _l("Fail point: %(title)s", title=nodes[n].get("title")), kind="fail_point")
        for n, w in fail_point_pains(G).items()
    ]
    if signals:
        found.extend(
            Pain(
                n,
                w,
                _l(
                    "The customer feels it badly (%(emotion)s): %(title)s",
                    emotion=nodes[n].get("emotion"),
                    title=nodes[n].get("title"),
                ),
                kind="emotion",
            )
            for n, w in emotion_pains(G).items()
        )
        found.extend(
            Pain(
                n,
                w,
                _l(
                    "Slower than the customer's tolerance (%(duration)s min, tolerance "
                    "%(tolerance)s min): %(title)s",
                    duration=nodes[n].get("duration"),
                    tolerance=nodes[n].get("tolerance"),
                    title=nodes[n].get("title"),
                ),
                kind="slow",
            )
            for n, w in slow_step_pains(G).items()
        )
    found.extend(p for p in contributed_pains(workspace_id) if p.element_id in G)
    return found


def pain_weights(found: Iterable[Pain]) -> dict[Hashable, float]:
    """Element → the sum of the weights of its pain points."""
    weights: dict[Hashable, float] = {}
    for pain in found:
        weights[pain.element_id] = weights.get(pain.element_id, 0.0) + pain.weight
    return weights


def confirmations(found: Iterable[Pain], G: nx.DiGraph) -> dict[Hashable, int]:
    """Element → how many of the pain points `found` confirmed it as their cause."""
    counts: dict[Hashable, int] = {}
    for pain in found:
        for element in set(pain.confirms):
            if element in G:
                counts[element] = counts.get(element, 0) + 1
    return counts


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
    """`workspace_root_causes` on the graph `G`, built now (two queries: the settings and
    the pains)."""
    signals = ranking_settings(workspace_id).pain_signals
    found = pain_points(workspace_id, G, signals)
    if blueprint_id is not None:
        found = [p for p in found if G.nodes[p.element_id].get("blueprint_id") == blueprint_id]
    weights = pain_weights(found)
    breaks = {p.element_id: p.weight for p in found if p.kind == "fail_point"}
    ranking = rank_root_causes(G, weights, breaks=breaks, confirmed=confirmations(found, G))
    return RootCauses(G, tuple(found), MappingProxyType(weights), ranking, signals)

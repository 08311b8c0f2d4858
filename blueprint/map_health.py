"""A blueprint's health (its graph, its findings and its handoffs), built once per change of
the workspace in each worker (`blueprint.graph_cache`) and shared read-only by the health
page, its JSON twin and the board's badges.

`BoardFindings` is what the board draws: the findings numbered once, and each element with
the numbers of the findings that name it, so a long message (a cycle naming every step in
it) is written once on the page and the cards refer to it.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from types import MappingProxyType

import networkx as nx

from blueprint.analysis.handoffs import ActionHandoffs, handoffs
from blueprint.analysis.health import Finding, findings
from blueprint.graph import blueprint_graph, read_only
from blueprint.graph_cache import derived
from blueprint.models import ServiceBlueprint

__all__ = ["BoardFindings", "Health", "blueprint_health"]


@dataclass(frozen=True)
class BoardFindings:
    findings: tuple[Finding, ...]  # numbered by position
    marks: MappingProxyType  # element id → tuple of positions in `findings`

    @classmethod
    def of(cls, found: Iterable[Finding]) -> BoardFindings:
        found = tuple(found)
        marks: dict[Hashable, list[int]] = {}
        for number, finding in enumerate(found):
            for element in finding.elements:
                marks.setdefault(element, []).append(number)
        return cls(found, MappingProxyType({e: tuple(n) for e, n in marks.items()}))

    def __len__(self) -> int:  # elements with findings (the board's Health button)
        return len(self.marks)

    def on(self, element_ids: Iterable[Hashable]) -> list[tuple[int, Finding]]:
        """The findings naming any of `element_ids` (the cards shown), numbered, in order."""
        numbers = {n for e in element_ids for n in self.marks.get(e, ())}
        return [(n, self.findings[n]) for n in sorted(numbers)]


@dataclass(frozen=True)
class Health:
    graph: nx.DiGraph  # read-only
    findings: tuple[Finding, ...]
    handoffs: tuple[ActionHandoffs, ...]
    board: BoardFindings


def _build(blueprint_id: int, workspace_id: int) -> Health:
    G = read_only(blueprint_graph(blueprint_id, workspace_id))
    found = tuple(findings(G, blueprint_id))
    return Health(G, found, tuple(handoffs(G, blueprint_id)), BoardFindings.of(found))


def blueprint_health(blueprint: ServiceBlueprint) -> Health:
    """The blueprint's health as it is now: built once per graph version of its workspace
    in this worker (one query when it is current)."""
    return derived(
        blueprint.workspace_id,
        ("blueprint.health", blueprint.id),
        lambda: _build(blueprint.id, blueprint.workspace_id),
    )

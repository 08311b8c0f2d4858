"""Suggested impact of a task from the graph. Pure: graph and plain values in.

The pain a task addresses is the severity × frequency of the insights it addresses plus
those whose element relies on one of the task's targets (or sits on one): fixing a cause
helps every pain above it. Mapped onto 1–5 against the workspace's largest cause.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx

from backlog.scoring import suggested_impact
from blueprint.analysis.blast_radius import blast_radius


@dataclass(frozen=True)
class Suggestion:
    impact: int
    pain: float
    pain_points: int
    journeys: int
    largest: float
    insights: tuple[Hashable, ...] = ()  # the pain insights counted, addressed or reached

    @property
    def explanation(self) -> str:
        if not self.pain_points:
            return "No recorded pain sits above it yet."
        points = f"{self.pain_points} pain point{'s' if self.pain_points != 1 else ''}"
        journeys = f"{self.journeys} journey{'s' if self.journeys != 1 else ''}"
        return (
            f"Sits under {points} in {journeys} (pain {self.pain:g} against the "
            f"largest cause's {self.largest:g})."
        )


def suggest(
    G: nx.DiGraph,
    pains: Iterable[tuple[Hashable, Hashable | None, Hashable | None, float]],
    addressed: Iterable[Hashable],
    targets: Iterable[Hashable],
    largest: float,
) -> Suggestion:
    """`pains` holds (insight id, element id, blueprint id, weight) of pain insights."""
    reached: set[Hashable] = set()
    for target in targets:
        if target in G:
            reached.add(target)
            reached |= blast_radius(G, target).dependents
    addressed = set(addressed)
    chosen = [p for p in pains if p[0] in addressed or (p[1] is not None and p[1] in reached)]
    pain = float(sum(p[3] for p in chosen))
    journeys = len({p[2] for p in chosen if p[2] is not None})
    return Suggestion(
        suggested_impact(pain, largest),
        pain,
        len(chosen),
        journeys,
        largest,
        tuple(p[0] for p in chosen),
    )

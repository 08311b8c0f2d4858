"""Suggested impact of a task from the graph. Pure: plain values in.

The pain a task addresses is the severity × frequency of the insights it addresses plus
those whose element relies on one of the task's targets (or sits on one): fixing a cause
helps every pain above it. Mapped onto 1–5 against the workspace's largest cause.

What relies on the targets comes from the root-cause ranking, which already knows the pain
points above every element (`blueprint.root_causes.RootCauses.pains_reached`), so a
suggestion costs what it counts, not a search of the graph.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from backlog.scoring import suggested_impact

PainRow = tuple[Hashable, Hashable | None, Hashable | None, float]


@dataclass(frozen=True)
class PainIndex:
    """The workspace's pain-point insights as (insight id, element id, blueprint id,
    weight), by insight and by element. Read-only: it is shared (blueprint.graph_cache)."""

    by_insight: Mapping[Hashable, PainRow] = field(default_factory=dict)
    by_element: Mapping[Hashable, tuple[PainRow, ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: Iterable[PainRow]) -> PainIndex:
        by_insight: dict[Hashable, PainRow] = {}
        by_element: dict[Hashable, list[PainRow]] = {}
        for row in rows:
            by_insight[row[0]] = row
            if row[1] is not None:
                by_element.setdefault(row[1], []).append(row)
        return cls(
            MappingProxyType(by_insight),
            MappingProxyType({e: tuple(found) for e, found in by_element.items()}),
        )


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
    pains: PainIndex,
    addressed: Iterable[Hashable],
    reached: Iterable[Hashable],
    largest: float,
) -> Suggestion:
    """The suggestion for a task addressing the insights `addressed` whose targets are
    relied on by the elements `reached` (the targets themselves among them)."""
    chosen = {pains.by_insight[i] for i in addressed if i in pains.by_insight}
    for element in reached:
        chosen.update(pains.by_element.get(element, ()))
    ordered = sorted(chosen, key=lambda p: p[0])  # by insight id
    pain = float(sum(p[3] for p in ordered))
    journeys = len({p[2] for p in ordered if p[2] is not None})
    return Suggestion(
        suggested_impact(pain, largest),
        pain,
        len(ordered),
        journeys,
        largest,
        tuple(p[0] for p in ordered),
    )

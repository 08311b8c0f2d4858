"""What the four analysis templates show, as plain rows with their labels already worked
out: the templates only lay them out (and never see the graph). Words for people come in
the language of `words` (blueprint.words: flask_babel from a view, English by default);
kind labels stay English words (`kind_label`), which the templates translate.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from blueprint.analysis.blast_radius import BlastRadius
from blueprint.analysis.dependencies import kind_label
from blueprint.analysis.handoffs import ActionHandoffs
from blueprint.analysis.health import FINDING_KINDS, Finding
from blueprint.analysis.trace import Trace
from blueprint.diagrams import TraceDiagram, trace_diagram
from blueprint.words import ENGLISH, Words

if TYPE_CHECKING:  # both load Flask or the database; only their types are needed here
    from blueprint.extension_points import Pain
    from blueprint.root_causes import RootCauses

__all__ = [
    "BlastRadiusPage",
    "BlueprintActions",
    "CauseRow",
    "ElementRow",
    "FindingGroup",
    "FindingRow",
    "HandoffRow",
    "HealthPage",
    "RankingPage",
    "StageActions",
    "TraceItem",
    "TracePage",
    "blast_radius_page",
    "health_page",
    "ranking_page",
    "trace_page",
]

BAR_WIDTH = 80  # px: the score bar of the top cause


@dataclass(frozen=True)
class ElementRow:
    """An element as the analysis pages show it."""

    id: Hashable
    title: str
    kind: str  # for the CSS class kind-…
    kind_label: str
    blueprint_id: Hashable | None
    blueprint: str | None
    stage: str | None
    fail_point: bool
    emotion: int | None

    @classmethod
    def of(cls, G: nx.DiGraph, node: Hashable) -> ElementRow:
        data = G.nodes[node]
        return cls(
            id=node,
            title=data.get("title"),
            kind=data.get("kind"),
            kind_label=kind_label(data.get("kind")),
            blueprint_id=data.get("blueprint_id"),
            blueprint=data.get("blueprint"),
            stage=data.get("stage"),
            fail_point=bool(data.get("fail_point")),
            emotion=data.get("emotion"),
        )

    @property
    def unhappy(self) -> bool:
        """The customer feels this step badly (emotion below zero)."""
        return self.emotion is not None and self.emotion < 0


# --- trace -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TraceItem:
    indent: int  # depth in the indented list (the CSS class stops at 10)
    element: ElementRow
    elsewhere: str | None  # its blueprint, when it is not the traced element's
    fail_point: bool
    deepest: bool  # a deepest cause (the traced element itself never is one)
    also_under: int  # how many other steps at the level above rely on it too


@dataclass(frozen=True)
class TracePage:
    candidates: int
    deepest: int
    fail_points: int
    cyclic: bool
    diagram: TraceDiagram
    items: list[TraceItem]  # the cause tree as an indented list


def trace_page(G: nx.DiGraph, result: Trace) -> TracePage:
    home = G.nodes[result.root].get("blueprint_id")
    items = []
    for indent, node in result.preorder():
        row, info = ElementRow.of(G, node), result.nodes[node]
        items.append(
            TraceItem(
                indent=min(indent, 10),
                element=row,
                elsewhere=row.blueprint if row.blueprint and row.blueprint_id != home else None,
                fail_point=info.fail_point,
                deepest=info.deepest and indent > 0,
                also_under=len(info.also_under),
            )
        )
    return TracePage(
        candidates=len(result.candidates),
        deepest=len(result.deepest),
        fail_points=len(result.fail_points),
        cyclic=result.cyclic,
        diagram=trace_diagram(result, G.nodes),
        items=items,
    )


# --- root causes -------------------------------------------------------------------------


@dataclass(frozen=True)
class CauseRow:
    element: ElementRow
    where: str  # "Blueprint · Stage", or "Workspace catalog" for people and systems
    deepest: bool
    score: float
    bar: float  # the score bar's width, the top cause's being BAR_WIDTH
    pain_points: int
    customer_actions: int
    blueprints: int
    pains_shown: list[Pain]  # the first three pain points above it (all, when fewer)
    pains_more: int  # how many more there are
    confirmed_by: int = 0  # pain points that confirmed it as their cause (0: a candidate)
    breaks: bool = False  # a fail point: a pain of its own

    @property
    def confirmed(self) -> bool:
        return self.confirmed_by > 0


@dataclass(frozen=True)
class RankingPage:
    pain_count: int
    total: int  # causes, of which `rows` are the top
    rows: list[CauseRow]
    confirmed: int = 0  # how many causes are confirmed (the first rows)
    pain_signals: bool = False  # whether the map's pain signals were weighed


def ranking_page(causes: RootCauses, limit: int, words: Words = ENGLISH) -> RankingPage:
    G, top = causes.graph, causes.ranking[:limit]
    best = max((cause.score for cause in top), default=0.0)  # confirmed first: not top[0]
    rows = []
    for cause in top:
        row = ElementRow.of(G, cause.id)
        shown = causes.pains_under(cause, limit=3)
        rows.append(
            CauseRow(
                element=row,
                where=(
                    f"{row.blueprint} · {row.stage}"
                    if row.blueprint
                    else words.gettext("Workspace catalog")
                ),
                deepest=cause.deepest,
                score=cause.score,
                bar=round(BAR_WIDTH * cause.score / best, 1) if best else 0.0,
                pain_points=cause.pain_points,
                customer_actions=cause.customer_actions,
                blueprints=cause.blueprints,
                pains_shown=shown,
                pains_more=max(causes.pain_count_under(cause) - len(shown), 0),
                confirmed_by=cause.confirmed_by,
                breaks=cause.breaks,
            )
        )
    return RankingPage(
        len(causes.weights), len(causes.ranking), rows, causes.confirmed, causes.pain_signals
    )


# --- blast radius ------------------------------------------------------------------------


@dataclass(frozen=True)
class StageActions:
    stage: str | None
    actions: list[ElementRow]


@dataclass(frozen=True)
class BlueprintActions:
    blueprint_id: Hashable
    blueprint: str | None
    stages: list[StageActions]


@dataclass(frozen=True)
class BlastRadiusPage:
    dependents: int
    customer_actions: int
    blueprints: list[BlueprintActions]  # the customer actions, by blueprint and stage


def blast_radius_page(G: nx.DiGraph, radius: BlastRadius) -> BlastRadiusPage:
    blueprints = []
    for blueprint_id, stages in radius.by_blueprint.items():
        grouped = [
            StageActions(stage, [ElementRow.of(G, n) for n in actions])
            for stage, actions in stages.items()
        ]
        blueprints.append(BlueprintActions(blueprint_id, grouped[0].actions[0].blueprint, grouped))
    return BlastRadiusPage(len(radius.dependents), len(radius.customer_actions), blueprints)


# --- health ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingRow:
    kind: str
    message: str
    to_fix: list[ElementRow]  # links to the first four elements it names
    element_ids: list[Hashable]  # the first twenty, for a task created from it


@dataclass(frozen=True)
class FindingGroup:
    kind: str
    label: str
    findings: list[FindingRow]


@dataclass(frozen=True)
class HandoffRow:
    action: ElementRow
    chains: int
    truncated: bool  # more chains exist than were counted
    max_handoffs: int


@dataclass(frozen=True)
class HealthPage:
    groups: list[FindingGroup]  # by kind, in the order the checks run
    handoffs: list[HandoffRow]


def health_page(
    G: nx.DiGraph,
    found: Sequence[Finding],
    chains: Sequence[ActionHandoffs],
    words: Words = ENGLISH,
) -> HealthPage:
    grouped: dict[str, list[FindingRow]] = {}
    for f in found:
        grouped.setdefault(f.kind, []).append(
            FindingRow(
                f.kind,
                f.text(words),
                [ElementRow.of(G, n) for n in f.elements[:4]],
                list(f.elements[:20]),
            )
        )
    return HealthPage(
        groups=[
            FindingGroup(kind, words.gettext(FINDING_KINDS[kind]), rows)
            for kind, rows in grouped.items()
        ],
        handoffs=[
            HandoffRow(ElementRow.of(G, h.action), len(h.chains), h.truncated, h.max_handoffs)
            for h in chains
        ],
    )

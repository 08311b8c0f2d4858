"""The JSON twins of the four analysis pages (same URL, ``Accept: application/json``):
plain dicts built from the graph and the analysis results, in the shapes README's table
documents.

Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING

import networkx as nx

from blueprint.analysis.blast_radius import BlastRadius
from blueprint.analysis.handoffs import ActionHandoffs
from blueprint.analysis.health import FINDING_KINDS, Finding
from blueprint.analysis.trace import Trace

if TYPE_CHECKING:  # the pipeline reads the database; only its result's type is needed here
    from blueprint.root_causes import RootCauses

__all__ = ["blast_radius_json", "health_json", "node_json", "ranking_json", "trace_json"]


def node_json(G: nx.DiGraph, node: Hashable) -> dict:
    """An element as every analysis answer shows it."""
    data = G.nodes[node]
    return {
        "id": node,
        "title": data.get("title"),
        "kind": data.get("kind"),
        "blueprint_id": data.get("blueprint_id"),
        "blueprint": data.get("blueprint"),
        "stage": data.get("stage"),
        "fail_point": bool(data.get("fail_point")),
    }


def trace_json(G: nx.DiGraph, result: Trace) -> dict:
    return {
        "element": node_json(G, result.root),
        "cyclic": result.cyclic,
        "levels": [
            [
                {
                    **node_json(G, n),
                    "depth": result.nodes[n].depth,
                    "parent": result.nodes[n].parent,
                    "also_under": result.nodes[n].also_under,
                    "deepest": result.nodes[n].deepest,
                }
                for n in level
            ]
            for level in result.levels
        ],
        "deepest": result.deepest,
        "fail_points": result.fail_points,
    }


def ranking_json(workspace: str, causes: RootCauses, limit: int) -> dict:
    """The workspace's ranking, its top `limit` causes listed: the confirmed causes first
    (``"status": "confirmed"``, with how many pain points confirmed each), then the
    candidates. `candidates` counts every cause listed or not, confirmed or not (its name
    predates confirmation); `confirmed` how many of them are confirmed."""
    ranking = causes.ranking
    return {
        "workspace": workspace,
        "pain_points": len(causes.weights),
        "pain_signals": causes.pain_signals,
        "candidates": len(ranking),
        "confirmed": causes.confirmed,
        "ranking": [
            {
                **node_json(causes.graph, r.id),
                "rank": i,
                "status": "confirmed" if r.confirmed else "candidate",
                "confirmed_by": r.confirmed_by,
                "breaks": r.breaks,
                "score": r.score,
                "pain_points": r.pain_points,
                "customer_actions": r.customer_actions,
                "blueprints": r.blueprints,
                "deepest": r.deepest,
                "pains": ranking.pains_of(r),
                "pain_labels": [str(p.label) for p in causes.pains_under(r)],
            }
            for i, r in enumerate(ranking[:limit], start=1)
        ],
    }


def blast_radius_json(G: nx.DiGraph, radius: BlastRadius) -> dict:
    return {
        "element": node_json(G, radius.element),
        "dependents": len(radius.dependents),
        "customer_actions": [node_json(G, n) for n in radius.customer_actions],
        "by_blueprint": [
            {
                "blueprint_id": blueprint_id,
                "blueprint": _blueprint_name(G, stages),
                "stages": [
                    {"stage": stage, "customer_actions": [node_json(G, n) for n in actions]}
                    for stage, actions in stages.items()
                ],
            }
            for blueprint_id, stages in radius.by_blueprint.items()
        ],
    }


def _blueprint_name(G: nx.DiGraph, stages: dict[str | None, list[Hashable]]) -> str | None:
    """The name of the blueprint these grouped customer actions belong to."""
    first = next(iter(stages.values()))[0]
    return G.nodes[first].get("blueprint")


def health_json(
    G: nx.DiGraph,
    blueprint: tuple[int, str],
    found: Sequence[Finding],
    chains: Sequence[ActionHandoffs],
) -> dict:
    """`blueprint` is its (id, name)."""
    blueprint_id, name = blueprint
    return {
        "blueprint": {"id": blueprint_id, "name": name},
        "findings": [
            {
                "kind": f.kind,
                "label": FINDING_KINDS[f.kind],
                "message": f.message,
                "elements": [node_json(G, n) for n in f.elements],
            }
            for f in found
        ],
        "handoffs": [
            {
                "customer_action": node_json(G, h.action),
                "max_handoffs": h.max_handoffs,
                "chains": [
                    {"steps": c.steps, "performers": c.performers, "handoffs": c.handoffs}
                    for c in h.chains
                ],
                "truncated": h.truncated,
            }
            for h in chains
        ],
    }

"""The dependency graph of a workspace (or of one blueprint), built in a constant number of
queries.

Nodes are element ids. Node attributes: kind (ElementKind value), title, blueprint_id,
blueprint (name), blueprint_state (current / future), stage_id, stage (name),
stage_position, position, fail_point, fail_note, wait_point, emotion, moment_of_truth,
duration, tolerance, evidence_source, evidence_status. Edge A → B means A relies on B (or,
for kind "next", A comes before B); attribute `kind` is the link kind. A DiGraph holds one
edge per pair: when a pair has both a dependency and a "next" link, the dependency kind is
kept, since only dependencies are followed when tracing causes.
"""

from __future__ import annotations

import networkx as nx
from sqlalchemy import or_, select

from blueprint.models import CATALOG_KINDS, Element, Link, LinkKind, ServiceBlueprint, Stage
from extensions import db

_COLUMNS = (
    Element.id, Element.kind, Element.title, Element.blueprint_id, ServiceBlueprint.name,
    ServiceBlueprint.state,
    Element.stage_id, Stage.name, Stage.position, Element.position, Element.fail_point,
    Element.fail_note, Element.wait_point, Element.emotion, Element.moment_of_truth,
    Element.duration_minutes, Element.tolerance_minutes, Element.evidence_source,
    Element.evidence_status,
)  # fmt: skip
_ATTRS = (
    "kind", "title", "blueprint_id", "blueprint", "blueprint_state", "stage_id", "stage",
    "stage_position", "position", "fail_point", "fail_note", "wait_point", "emotion",
    "moment_of_truth", "duration", "tolerance", "evidence_source", "evidence_status",
)  # fmt: skip


def _element_rows(condition):
    return db.session.execute(
        select(*_COLUMNS)
        .outerjoin(ServiceBlueprint, ServiceBlueprint.id == Element.blueprint_id)
        .outerjoin(Stage, Stage.id == Element.stage_id)
        .where(condition)
    )


def _add_nodes(G: nx.DiGraph, rows) -> None:
    for row in rows:
        values = dict(zip(_ATTRS, row[1:], strict=True))
        for key in ("kind", "blueprint_state", "evidence_source", "evidence_status"):
            if values[key] is not None:
                values[key] = values[key].value
        G.add_node(row[0], **values)


def _add_edges(G: nx.DiGraph, rows) -> None:
    for source, target, kind in rows:
        if source not in G or target not in G:
            continue
        existing = G.get_edge_data(source, target)
        if existing is None or existing["kind"] == LinkKind.NEXT.value:
            G.add_edge(source, target, kind=kind.value)


def workspace_graph(workspace_id: int) -> nx.DiGraph:
    """Every element and link of a workspace: two queries."""
    G = nx.DiGraph(workspace_id=workspace_id)
    _add_nodes(G, _element_rows(Element.workspace_id == workspace_id))
    _add_edges(
        G,
        db.session.execute(
            select(Link.source_id, Link.target_id, Link.kind).where(
                Link.workspace_id == workspace_id
            )
        ),
    )
    return G


def blueprint_graph(blueprint_id: int) -> nx.DiGraph:
    """One blueprint's elements plus the people and systems it links to: two queries."""
    ids = select(Element.id).where(Element.blueprint_id == blueprint_id).scalar_subquery()
    touched = select(Link.target_id).where(Link.source_id.in_(ids))
    G = nx.DiGraph(blueprint_id=blueprint_id)
    _add_nodes(
        G,
        _element_rows(
            or_(
                Element.blueprint_id == blueprint_id,
                Element.kind.in_(CATALOG_KINDS) & Element.id.in_(touched),
            )
        ),
    )
    _add_edges(
        G,
        db.session.execute(
            select(Link.source_id, Link.target_id, Link.kind).where(
                or_(Link.source_id.in_(ids), Link.target_id.in_(ids))
            )
        ),
    )
    return G

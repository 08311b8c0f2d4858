"""The dependency graph of a workspace (or of one blueprint), built in a constant number of
queries.

Nodes are element ids. Node attributes: kind (ElementKind value), title, blueprint_id,
blueprint (name), blueprint_state (current / future), stage_id, stage (name),
stage_position, position, fail_point, fail_note, wait_point, emotion, moment_of_truth,
duration, tolerance, evidence_source, evidence_status. Edge A → B means A relies on B (or,
for kind "next", A comes before B); attribute `kind` is the link kind. A DiGraph holds one
edge per pair: when a pair has both a dependency and a "next" link, the dependency kind is
kept, since only dependencies are followed when tracing causes.

`workspace_graph` is built once per change of the workspace and shared by every request of
the worker (`blueprint.graph_cache`): it comes frozen, its node and edge attributes
read-only (`read_only`). A caller that must change it works on ``nx.DiGraph(G)``, a copy.
"""

from __future__ import annotations

from types import MappingProxyType

import networkx as nx
from sqlalchemy import and_, or_, select

from blueprint.graph_cache import derived
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


def _element_rows(condition, workspace_id: int | None = None):
    """Elements with their blueprint's and stage's names; with `workspace_id`, the joins
    keep to the workspace too, so no other workspace's blueprint or stage is read."""
    in_blueprint = ServiceBlueprint.id == Element.blueprint_id
    in_stage = Stage.id == Element.stage_id
    if workspace_id is not None:
        in_blueprint = and_(in_blueprint, ServiceBlueprint.workspace_id == workspace_id)
        in_stage = and_(in_stage, Stage.workspace_id == workspace_id)
    return db.session.execute(
        select(*_COLUMNS)
        .outerjoin(ServiceBlueprint, in_blueprint)
        .outerjoin(Stage, in_stage)
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


def build_workspace_graph(workspace_id: int) -> nx.DiGraph:
    """Every element and link of a workspace, from the database: two queries. Pages use
    `workspace_graph`, built once per change."""
    G = nx.DiGraph(workspace_id=workspace_id)
    _add_nodes(G, _element_rows(Element.workspace_id == workspace_id, workspace_id))
    _add_edges(
        G,
        db.session.execute(
            select(Link.source_id, Link.target_id, Link.kind).where(
                Link.workspace_id == workspace_id
            )
        ),
    )
    return G


def workspace_graph(workspace_id: int) -> nx.DiGraph:
    """The workspace's graph as it is now, read-only: built once per change of the
    workspace in this worker (one query when it is current, `blueprint.graph_cache`)."""
    return derived(workspace_id, "graph", lambda: read_only(build_workspace_graph(workspace_id)))


_EDGE_DATA: dict[str, MappingProxyType] = {}


def read_only(G: nx.DiGraph) -> nx.DiGraph:
    """`G` frozen (no node or edge can be added or removed) with read-only node, edge and
    graph attributes, so that it can be shared. Edges of one kind share one attribute
    mapping (most of a large graph's memory is edge attribute dicts)."""
    for node, data in G._node.items():
        G._node[node] = MappingProxyType(data)
    for source, targets in G._succ.items():
        for target, data in targets.items():
            if data.keys() == {"kind"}:
                kind = data["kind"]
                shared = _EDGE_DATA.setdefault(kind, MappingProxyType({"kind": kind}))
            else:
                shared = MappingProxyType(dict(data))
            targets[target] = G._pred[target][source] = shared
    G.graph = MappingProxyType(dict(G.graph))
    return nx.freeze(G)


def blueprint_graph(blueprint_id: int, workspace_id: int | None = None) -> nx.DiGraph:
    """One blueprint's elements plus the people and systems it links to: two queries (three
    without `workspace_id`, its workspace, which every query and join keeps to)."""
    if workspace_id is None:
        workspace_id = db.session.scalar(
            select(ServiceBlueprint.workspace_id).where(ServiceBlueprint.id == blueprint_id)
        )
    ids = (
        select(Element.id)
        .where(Element.workspace_id == workspace_id, Element.blueprint_id == blueprint_id)
        .scalar_subquery()
    )
    touched = select(Link.target_id).where(
        Link.workspace_id == workspace_id, Link.source_id.in_(ids)
    )
    G = nx.DiGraph(blueprint_id=blueprint_id)
    _add_nodes(
        G,
        _element_rows(
            (Element.workspace_id == workspace_id)
            & or_(
                Element.blueprint_id == blueprint_id,
                Element.kind.in_(CATALOG_KINDS) & Element.id.in_(touched),
            ),
            workspace_id,
        ),
    )
    _add_edges(
        G,
        db.session.execute(
            select(Link.source_id, Link.target_id, Link.kind).where(
                Link.workspace_id == workspace_id,
                or_(Link.source_id.in_(ids), Link.target_id.in_(ids)),
            )
        ),
    )
    return G

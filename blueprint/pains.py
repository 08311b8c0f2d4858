"""Extension points through which other packages feed the blueprint pages, so `blueprint`
never imports `backlog`:

- pain providers: pain points with weights (the backlog's insights weigh severity ×
  frequency); fail points are built in and weigh 1;
- element annotations: small badges for the board and element pages (insight markers,
  the tasks that target an element);
- detachers: what points at steps a workbook update removes (insights, tasks), described
  for the preview and detached before the steps go, so those rows stay.

Providers are registered on the app at creation (see wsgi.register_extension_points).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import networkx as nx
from flask import Flask, current_app

from blueprint.analysis.ranking import fail_point_pains


@dataclass(frozen=True)
class Pain:
    element_id: Hashable
    weight: float
    label: str
    url: str | None = None


@dataclass(frozen=True)
class Annotation:
    label: str
    css: str = "text-bg-light border"
    url: str | None = None
    title: str | None = None


PainProvider = Callable[[int], Iterable[Pain]]
AnnotationProvider = Callable[[list[int]], dict[int, list[Annotation]]]
Describe = Callable[[list[int]], dict[int, list[str]]]
Detach = Callable[[int, list[int]], None]
_PAINS, _ANNOTATIONS = "rootline.pain_providers", "rootline.annotation_providers"
_DETACHERS = "rootline.detachers"


def register_pain_provider(app: Flask, provider: PainProvider) -> None:
    app.extensions.setdefault(_PAINS, []).append(provider)


def register_annotation_provider(app: Flask, provider: AnnotationProvider) -> None:
    app.extensions.setdefault(_ANNOTATIONS, []).append(provider)


def pains(workspace_id: int, G: nx.DiGraph) -> list[Pain]:
    """Every pain point of the workspace: fail points (weight 1) and the providers' pains."""
    found = [
        Pain(n, w, f"Fail point: {G.nodes[n].get('title')}") for n, w in fail_point_pains(G).items()
    ]
    for provider in current_app.extensions.get(_PAINS, []):
        found.extend(p for p in provider(workspace_id) if p.element_id in G)
    return found


def pain_weights(found: Iterable[Pain]) -> dict[Hashable, float]:
    weights: dict[Hashable, float] = {}
    for pain in found:
        weights[pain.element_id] = weights.get(pain.element_id, 0.0) + pain.weight
    return weights


def annotations(element_ids: list[int]) -> dict[int, list[Annotation]]:
    merged: dict[int, list[Annotation]] = {}
    if not element_ids:
        return merged
    for provider in current_app.extensions.get(_ANNOTATIONS, []):
        for element_id, items in provider(element_ids).items():
            merged.setdefault(element_id, []).extend(items)
    return merged


def register_detacher(app: Flask, describe: Describe, detach: Detach) -> None:
    """`describe(element_ids)`: per element, what removing it detaches, in words;
    `detach(blueprint_id, element_ids)`: let go of them (flush, never commit)."""
    app.extensions.setdefault(_DETACHERS, []).append((describe, detach))


def what_removal_detaches(element_ids: list[int]) -> dict[int, list[str]]:
    merged: dict[int, list[str]] = {}
    if not element_ids:
        return merged
    for describe, _ in current_app.extensions.get(_DETACHERS, []):
        for element_id, items in describe(element_ids).items():
            merged.setdefault(element_id, []).extend(items)
    return merged


def detach(blueprint_id: int, element_ids: list[int]) -> None:
    if element_ids:
        for _, do_detach in current_app.extensions.get(_DETACHERS, []):
            do_detach(blueprint_id, element_ids)

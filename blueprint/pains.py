"""Where pain weights come from. Fail points weigh 1; other packages (the backlog's
insights) add their own weights through providers registered at app creation, so
`blueprint` never imports `backlog`."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import networkx as nx
from flask import Flask, current_app

from blueprint.analysis import fail_point_pains

PainProvider = Callable[[int], dict[Hashable, float]]
_KEY = "rootline.pain_providers"


def register_pain_provider(app: Flask, provider: PainProvider) -> None:
    app.extensions.setdefault(_KEY, []).append(provider)


def pain_weights(workspace_id: int, G: nx.DiGraph) -> dict[Hashable, float]:
    """Element id → weight: fail points (1 each) plus every registered provider's weights."""
    weights = fail_point_pains(G)
    for provider in current_app.extensions.get(_KEY, []):
        for element, weight in provider(workspace_id).items():
            if element in G:
                weights[element] = weights.get(element, 0.0) + weight
    return weights

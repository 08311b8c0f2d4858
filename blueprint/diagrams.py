"""Layouts for server-rendered SVG diagrams. Pure: plain values in, coordinates out."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from blueprint.analysis.dependencies import kind_label
from blueprint.analysis.trace import Trace

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 210, 54, 70, 14, 16


@dataclass
class Box:
    id: Hashable
    x: float
    y: float
    title: str
    kind: str
    deepest: bool
    fail_point: bool
    root: bool

    @property
    def kind_label(self) -> str:
        """The kind as the box's tag writes it: "customer action"."""
        return kind_label(self.kind)

    @property
    def lines(self) -> list[str]:
        """The title wrapped into at most two lines of ~28 characters."""
        words, lines, current = self.title.split(), [], ""
        for word in words:
            if len(current) + len(word) + 1 > 28 and current:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        lines.append(current)
        if len(lines) > 2:
            lines = [lines[0], (lines[1] + "…")[:28]]
        return lines


@dataclass
class Edge:
    path: str
    tree: bool  # part of the breadth-first tree (others: "also relies on")


@dataclass
class TraceDiagram:
    width: int
    height: int
    boxes: list[Box]
    edges: list[Edge]
    box_w: int = BOX_W
    box_h: int = BOX_H


def trace_diagram(trace: Trace, nodes: Mapping[Hashable, Mapping]) -> TraceDiagram:
    """Levels of the cause tree as columns, left (what the customer feels) to right (the
    deepest causes); `nodes` maps ids to their attributes (kind, title)."""
    boxes: dict[Hashable, Box] = {}
    tallest = max((len(level) for level in trace.levels), default=1)
    for depth, level in enumerate(trace.levels):
        offset = (tallest - len(level)) * (BOX_H + GAP_Y) / 2
        for row, node in enumerate(level):
            info = trace.nodes[node]
            data = nodes[node]
            boxes[node] = Box(
                id=node,
                x=PAD + depth * (BOX_W + GAP_X),
                y=PAD + offset + row * (BOX_H + GAP_Y),
                title=str(data.get("title", node)),
                kind=str(data.get("kind", "")),
                deepest=info.deepest and depth > 0,
                fail_point=info.fail_point,
                root=depth == 0,
            )
    edges = []
    for node, info in trace.nodes.items():
        for parent, tree in [(info.parent, True)] + [(p, False) for p in info.also_under]:
            if parent is None:
                continue
            a, b = boxes[parent], boxes[node]
            x1, y1 = a.x + BOX_W, a.y + BOX_H / 2
            x2, y2 = b.x, b.y + BOX_H / 2
            mid = (x1 + x2) / 2
            edges.append(
                Edge(
                    f"M {x1:.0f} {y1:.0f} C {mid:.0f} {y1:.0f}, {mid:.0f} {y2:.0f}, "
                    f"{x2:.0f} {y2:.0f}",
                    tree,
                )
            )
    width = int(PAD * 2 + len(trace.levels) * (BOX_W + GAP_X) - GAP_X)
    height = int(PAD * 2 + tallest * (BOX_H + GAP_Y) - GAP_Y)
    return TraceDiagram(width, height, list(boxes.values()), edges)

"""The impact/effort matrix as SVG coordinates. Pure: rows in, points out.

Effort runs left (low) to right (high), impact bottom (low) to top (high). Each point is
labelled with the task's backlog rank (`scoring.rank`, the number the backlog, the summary
and the action plan's Matrix chart give it) and carries a tooltip with its title, shown on
hover and focus by CSS alone. Tasks sharing a cell are laid out in a small grid centred in
it (two columns, rows as needed, tighter when crowded) so every point and its label stays
visible and clickable.

Sizes are in the SVG's own units; the chart scales to its box. `PAGE` is the matrix page's
geometry; `COMPACT` draws a smaller grid with the same text, so that a chart half a printed
A4 page wide (the summary) or a phone wide keeps its text readable (8 pt at least in print).

Its words are English unless the caller passes its `gettext` (Flask-Babel's, on a page):
they are translated before the tooltips are measured, so a Polish tooltip fits its box.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from backlog.kinds import english_gettext
from backlog.scoring import QUADRANTS, quadrant, rank, rank_label
from blueprint.svgfont import text_width, wrap

TIP_EMS = 20  # a tooltip's line, at most (measured with the board's font, DejaVu Sans)
TIP_LINES = 3  # of the title; longer titles end in "…"


@dataclass(frozen=True)
class Geometry:
    size: int  # the 5×5 grid's side
    pad: int  # room left of and below the grid, for the ticks and the axes' names
    edge: int  # room above and right of it
    font: int  # ticks, axes' names, tooltips
    label: int  # a point's rank (bold)
    region: int  # the quadrants' names (bold)
    dot: int  # a point's radius
    inside: bool  # the rank drawn inside the dot (else beside it)
    col_gap: float  # between the two columns of tasks sharing a cell
    row_gap: float  # at most, between their rows

    @property
    def cell(self) -> float:
        return self.size / 5

    @property
    def view(self) -> int:  # width and height
        return self.pad + self.size + self.edge


PAGE = Geometry(
    size=560, pad=48, edge=48, font=12, label=12, region=14, dot=7, inside=False,
    col_gap=46, row_gap=22,
)  # fmt: skip
COMPACT = Geometry(
    size=320, pad=48, edge=8, font=14, label=14, region=14, dot=11, inside=True,
    col_gap=25, row_gap=24,
)  # fmt: skip


@dataclass
class Tip:
    """The tooltip box of a point: where it is drawn and its lines of text."""

    x: float
    y: float
    width: float
    height: float
    lines: list[str]


@dataclass
class Point:
    task_id: int
    title: str
    x: float
    y: float
    quadrant: str
    label: str  # the rank drawn next to the point ("–" for an unscored task)
    name: str  # what a screen reader says: "3. Title — impact 4, effort 2"
    tip: Tip


@dataclass
class Chart:
    size: int
    pad: int
    points: list[Point]
    threshold_x: float  # where high effort starts
    threshold_y: float  # where high impact starts
    # key, label, x, y, w, h, the label's font size
    regions: list[tuple[str, str, float, float, float, float, float]]
    geometry: Geometry = PAGE

    @property
    def view(self) -> int:
        return self.geometry.view


def _tip(
    g: Geometry,
    label: str,
    title: str,
    impact: int,
    effort: int,
    x: float,
    y: float,
    gettext=english_gettext,
):
    if label == rank_label(None):
        head = gettext("%(title)s (unscored)", title=title)
    else:
        head = gettext("%(rank)s. %(title)s", rank=label, title=title)
    lines = [*wrap(head, TIP_EMS * g.font, g.font, max_lines=TIP_LINES)]
    lines.append(gettext("Impact %(impact)s · effort %(effort)s", impact=impact, effort=effort))
    width = max(text_width(line, g.font) for line in lines) + g.font
    height = len(lines) * g.font * 1.3 + g.font * 0.6
    top = y - g.dot - 4 - height  # above the point, below it at the top edge
    if top < 2:
        top = y + g.dot + 4
    left = min(max(2.0, x - width / 2), g.view - width - 2)
    return Tip(round(left, 1), round(top, 1), round(width, 1), round(height, 1), lines)


REGION_SHRINK = 0.75  # a quadrant's name is set smaller to fit its region, down to this


def _region_size(g: Geometry, label: str, width: float) -> float:
    """The font size of a quadrant's name: the geometry's, or smaller (not below
    REGION_SHRINK of it) where the name, in the reader's language, is wider than its region."""
    room = width - 12  # 6 on either side
    natural = text_width(label, g.region, bold=True)
    if natural <= room:
        return g.region
    return round(max(g.region * REGION_SHRINK, g.region * room / natural), 1)


def matrix_points(
    ranked: Sequence[Any],
    unscored: Sequence[Any],
    threshold: int,
    geometry: Geometry = PAGE,
    limit: int | None = None,
    gettext=english_gettext,
) -> Chart:
    """The chart of the backlog's `ranked` then `unscored` rows (each with `.task`: id,
    title, impact, effort), each point numbered with its backlog rank; `limit`: only the
    first tasks of that order; `gettext`: the words' language (English by default)."""
    g = geometry
    order = [*ranked, *unscored][:limit]
    groups: dict[tuple[int, int], list[tuple[int, Any]]] = defaultdict(list)
    for position, row in enumerate(order):
        groups[(row.task.impact, row.task.effort)].append((position, row.task))

    def x_of(effort: float) -> float:
        return g.pad + (effort - 0.5) * g.cell

    def y_of(impact: float) -> float:
        return g.edge + g.size - (impact - 0.5) * g.cell

    placed: list[tuple[int, Point]] = []
    for (impact, effort), tasks in groups.items():
        cols = 1 if len(tasks) == 1 else 2
        rows = math.ceil(len(tasks) / cols)
        step_y = min(g.row_gap, (g.cell - 2 * g.dot - 2) / max(rows - 1, 1))
        for i, (position, task) in enumerate(tasks):
            col, row = i % cols, i // cols
            dx = 0.0 if cols == 1 else (col - 0.5) * g.col_gap
            dy = (row - (rows - 1) / 2) * step_y
            beside = 0.0 if g.inside else g.label * 0.6  # centre the dot and its label
            x, y = x_of(effort) - beside + dx, y_of(impact) + dy
            label = rank_label(rank(position, len(ranked)))
            ranked_task = label != rank_label(None)
            if ranked_task:
                name = gettext("%(rank)s. %(title)s", rank=label, title=task.title)
            else:
                name = gettext("Unscored: %(title)s", title=task.title)
            point = Point(
                task.id,
                task.title,
                x,
                y,
                quadrant(impact, effort, threshold),
                label,
                gettext(
                    "%(name)s — impact %(impact)s, effort %(effort)s",
                    name=name,
                    impact=impact,
                    effort=effort,
                ),
                _tip(g, label, task.title, impact, effort, x, y, gettext),
            )
            placed.append((position, point))
    # backlog order: the keyboard and a screen reader meet the tasks by rank
    points = [p for _, p in sorted(placed, key=lambda pair: pair[0])]
    tx, ty = x_of(threshold - 0.5), y_of(threshold - 0.5)
    left, right, top, bottom = g.pad, g.pad + g.size, g.edge, g.edge + g.size
    boxes = [
        ("quick_win", left, top, tx - left, ty - top),
        ("major_project", tx, top, right - tx, ty - top),
        ("fill_in", left, ty, tx - left, bottom - ty),
        ("thankless", tx, ty, right - tx, bottom - ty),
    ]
    regions = []
    for key, x, y, w, h in boxes:
        label = gettext(QUADRANTS[key])
        regions.append((key, label, x, y, w, h, _region_size(g, label, w)))
    return Chart(g.size, g.pad, points, tx, ty, regions, g)

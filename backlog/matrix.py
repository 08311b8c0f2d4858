"""The impact/effort matrix as SVG coordinates. Pure: rows in, points out.

Effort runs left (low) to right (high), impact bottom (low) to top (high). Tasks sharing a
cell are laid out in a small grid centred in it (two columns, rows as needed, tighter
when crowded) so every point and its label stays visible and clickable."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from backlog.scoring import QUADRANTS, quadrant

SIZE, PAD = 560, 48
CELL = SIZE / 5


@dataclass
class Point:
    task_id: int
    title: str
    x: float
    y: float
    quadrant: str
    label: str  # short label drawn next to the point


@dataclass
class Chart:
    size: int
    pad: int
    points: list[Point]
    threshold_x: float  # where high effort starts
    threshold_y: float  # where high impact starts
    regions: list[tuple[str, str, float, float, float, float]]  # key, label, x, y, w, h


def _x(effort: float) -> float:
    return PAD + (effort - 0.5) * CELL


def _y(impact: float) -> float:
    return PAD + SIZE - (impact - 0.5) * CELL


def matrix_points(rows: Iterable[Any], threshold: int) -> Chart:
    """`rows` have `.task` with id, title, impact, effort."""
    groups: dict[tuple[int, int], list[Any]] = defaultdict(list)
    for row in rows:
        groups[(row.task.impact, row.task.effort)].append(row.task)
    points = []
    for (impact, effort), tasks in sorted(groups.items()):
        cols = 1 if len(tasks) == 1 else 2
        rows = math.ceil(len(tasks) / cols)
        step_y = min(22.0, (CELL - 16) / max(rows - 1, 1))
        for i, task in enumerate(sorted(tasks, key=lambda t: t.id)):
            col, row = i % cols, i // cols
            dx = 0.0 if cols == 1 else (col - 0.5) * 46
            dy = (row - (rows - 1) / 2) * step_y
            points.append(
                Point(
                    task.id,
                    task.title,
                    _x(effort) - 8 + dx,
                    _y(impact) + dy,
                    quadrant(impact, effort, threshold),
                    f"#{task.id}",
                )
            )
    tx, ty = _x(threshold - 0.5), _y(threshold - 0.5)
    left, right, top, bottom = PAD, PAD + SIZE, PAD, PAD + SIZE
    regions = [
        ("quick_win", QUADRANTS["quick_win"], left, top, tx - left, ty - top),
        ("major_project", QUADRANTS["major_project"], tx, top, right - tx, ty - top),
        ("fill_in", QUADRANTS["fill_in"], left, ty, tx - left, bottom - ty),
        ("thankless", QUADRANTS["thankless"], tx, ty, right - tx, bottom - ty),
    ]
    return Chart(SIZE, PAD, points, tx, ty, regions)

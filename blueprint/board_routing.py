"""Routing the board's dependency lines so they never cross a card and never run along
each other. Pure: no Flask, no database, no drawing; works on laid-out cards (anything with
`card`, `lane`, `stage`, `x`, `y` and `height`).

Routing: a line leaves the step that relies on something from its left edge, runs down (or
up) its column's gutter to the gap below (or above) its lane, along that gap to the target's
column and into the target from the left, ending in an arrow. Every line gets its own track in a
gutter or gap wherever it would otherwise run along another (tracks are shared only where
lines do not meet); gutters and gaps grow with the number of tracks they hold, so a busy
board gets wider rather than ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass
class Line:
    source: Any
    target: Any
    gap: int | None  # the gap above lane `gap` (one past the last lane: below it); None: same cell
    source_track: int = 0
    target_track: int = 0
    gap_track: int = 0


def lines(placed: dict[int, Any]) -> list[Line]:
    lines = []
    for source in sorted(placed.values(), key=lambda p: (p.lane, p.stage, p.card.id)):
        for target_id in sorted(source.card.relies_on):
            target = placed.get(target_id)
            if target is None or target is source:
                continue
            if (source.lane, source.stage) == (target.lane, target.stage):
                gap = None
            elif target.lane < source.lane:
                gap = source.lane
            else:
                gap = source.lane + 1
            lines.append(Line(source, target, gap))
    return lines


def _assign(intervals: Sequence[tuple[float, float, Line, str]]) -> int:
    """Greedy interval colouring: each interval gets the lowest track free over its span.
    Returns how many tracks were used."""
    ends: list[float] = []
    for start, end, line, attr in sorted(intervals, key=lambda i: (i[0], i[1])):
        for track, last in enumerate(ends):
            if last < start:
                ends[track] = end
                setattr(line, attr, track)
                break
        else:
            setattr(line, attr, len(ends))
            ends.append(end)
    return len(ends)


def column_tracks(lines: list[Line]) -> dict[int, int]:
    """Tracks in each column's gutter. Rows are counted in half-lanes (lane i at 2i+1, the
    gap above it at 2i), enough to know which vertical runs would share a stretch."""
    spans: dict[int, list] = defaultdict(list)
    for line in lines:
        s, t = line.source, line.target
        if line.gap is None:
            spans[s.stage].append((2 * s.lane + 1, 2 * s.lane + 1, line, "source_track"))
            continue
        gap_row = 2 * line.gap
        spans[s.stage].append(
            (min(2 * s.lane + 1, gap_row), max(2 * s.lane + 1, gap_row), line, "source_track")
        )
        spans[t.stage].append(
            (min(2 * t.lane + 1, gap_row), max(2 * t.lane + 1, gap_row), line, "target_track")
        )
    tracks = {column: _assign(items) for column, items in spans.items()}
    for line in lines:  # a line in one cell's gutter uses one track for both ends
        if line.gap is None:
            line.target_track = line.source_track
    return tracks


def gap_tracks(lines: list[Line]) -> dict[int, int]:
    spans: dict[int, list] = defaultdict(list)
    for line in lines:
        if line.gap is not None:
            a, b = sorted((line.source.stage, line.target.stage))
            spans[line.gap].append((a, b, line, "gap_track"))
    return {gap: _assign(items) for gap, items in spans.items()}


def path(line: Line, col_x: list[float], gap_y: dict[int, float], track: float, n: Callable) -> str:
    """The line as SVG path data: out of the source's left edge into its column's gutter,
    along its gap, down or up the target's gutter and into the target's left edge. `col_x`
    is where each column starts, `gap_y` where each gap starts, `track` the distance between
    tracks, `n` formats a number."""
    s, t = line.source, line.target
    sy, ty = s.y + min(s.height / 2, 18), t.y + min(t.height / 2, 18)
    sx = col_x[s.stage] + 6 + track * line.source_track
    if line.gap is None:
        return f"M{n(s.x)},{n(sy)} H{n(sx)} V{n(ty)} H{n(t.x)}"
    tx = col_x[t.stage] + 6 + track * line.target_track
    gy = gap_y[line.gap] + 8 + track * line.gap_track
    return f"M{n(s.x)},{n(sy)} H{n(sx)} V{n(gy)} H{n(tx)} V{n(ty)} H{n(t.x)}"

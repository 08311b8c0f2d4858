"""Routing the board's dependency lines so they never cross a card and never run along
each other. Pure: no Flask, no database, no drawing; works on laid-out cards (anything with
`card`, `lane`, `stage`, `end`, `row`, and for drawing `x`, `y` and `height`).

Routing: a line leaves the step that relies on something from its left edge, runs down (or
up) its column's gutter to the gap below (or above) its lane, along that gap to the target's
column and into the target from the left, ending in an arrow. Every line gets its own track in a
gutter or gap wherever it would otherwise run along another (tracks are shared only where
lines do not meet); gutters and gaps grow with the number of tracks they hold, so a busy
board gets wider rather than ambiguous.

Steps that span stages sit in rows of their own at the top of their lane and cover the
gutters of the columns after their first. A line whose run down a gutter would cross such a
step takes another gap (one nearer the target, or the other side of its lane) where one is
free. The board page draws the same routes: `routes` hands them to board-connectors.js.
"""

from __future__ import annotations

import heapq
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
    # Round a span: from `gap` along to column `via`, down or up its gutter to `gap2`, and
    # along that to the target's column (None: straight from `gap` to the target's column).
    via: int | None = None
    gap2: int | None = None
    via_track: int = 0
    gap2_track: int = 0


LANE = 100  # levels per lane: the gap above lane i is at i * LANE, its rows after it


def level(slot: Any) -> int:
    return slot.lane * LANE + 1 + slot.row


def _blocked(column: int, a: int, b: int, covers: list[tuple[int, int, int]]) -> bool:
    """Would a run down `column`'s gutter between levels a and b cross a spanning step?"""
    low, high = min(a, b), max(a, b)
    return any(start < column <= end and low <= at <= high for at, start, end in covers)


def _choose(source: Any, target: Any, covers, columns: int) -> tuple:
    """(gap, via, gap2) for a line: the plain route through one gap if one is free of
    spanning steps, else round them through another column's gutter (column 0's is always
    free: nothing spans into the first column)."""
    s, t = level(source), level(target)
    same_cell = (source.lane, source.stage) == (target.lane, target.stage)
    if same_cell and not _blocked(source.stage, s, t, covers):
        return None, None, None
    if target.lane < source.lane:
        gaps = list(range(source.lane, target.lane, -1))
    elif target.lane > source.lane:
        gaps = list(range(source.lane + 1, target.lane + 1))
    else:
        gaps = [source.lane + 1, source.lane]
    for gap in gaps:
        g = gap * LANE
        if not _blocked(source.stage, s, g, covers) and not _blocked(target.stage, g, t, covers):
            return gap, None, None
    out = [
        g for g in (source.lane + 1, source.lane) if not _blocked(source.stage, s, g * LANE, covers)
    ]
    into = [
        g for g in (target.lane + 1, target.lane) if not _blocked(target.stage, g * LANE, t, covers)
    ]
    for via in sorted(range(columns), key=lambda c: (abs(c - target.stage), c)):
        for g1 in out:
            for g2 in into:
                if g1 != g2 and not _blocked(via, g1 * LANE, g2 * LANE, covers):
                    return g1, via, g2
    return gaps[0], None, None


def lines(placed: dict[int, Any]) -> list[Line]:
    covers = [(level(p), p.stage, p.end) for p in placed.values() if p.end > p.stage]
    columns = max((p.end for p in placed.values()), default=0) + 1
    lines = []
    for source in sorted(placed.values(), key=lambda p: (p.lane, p.row, p.stage, p.card.id)):
        for target_id in sorted(source.card.relies_on):
            target = placed.get(target_id)
            if target is None or target is source:
                continue
            gap, via, gap2 = _choose(source, target, covers, columns)
            lines.append(Line(source, target, gap, via=via, gap2=gap2))
    return lines


def _assign(intervals: Sequence[tuple[float, float, Line, str]]) -> int:
    """Greedy interval colouring: each interval gets the lowest track free over its span
    (a track is free once its last interval ended before this one starts). Returns how many
    tracks were used. O(n log n): the free tracks and the busy ones' ends are heaps."""
    free: list[int] = []  # tracks whose last interval has ended
    busy: list[tuple[float, int]] = []  # (end, track) of the tracks in use
    used = 0
    for start, end, line, attr in sorted(intervals, key=lambda i: (i[0], i[1])):
        while busy and busy[0][0] < start:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            track = heapq.heappop(free)
        else:
            track, used = used, used + 1
        setattr(line, attr, track)
        heapq.heappush(busy, (end, track))
    return used


def column_tracks(lines: list[Line]) -> dict[int, int]:
    """Tracks in each column's gutter, from the levels each vertical run covers (a card's
    row, the gap it runs to): enough to know which runs would share a stretch."""
    spans: dict[int, list] = defaultdict(list)
    for line in lines:
        s, t = line.source, line.target
        if line.gap is None:
            a, b = sorted((level(s), level(t)))
            spans[s.stage].append((a, b, line, "source_track"))
            continue
        g = line.gap * LANE
        spans[s.stage].append((min(level(s), g), max(level(s), g), line, "source_track"))
        if line.via is not None:
            g2 = line.gap2 * LANE
            spans[line.via].append((min(g, g2), max(g, g2), line, "via_track"))
            g = g2
        spans[t.stage].append((min(level(t), g), max(level(t), g), line, "target_track"))
    tracks = {column: _assign(items) for column, items in spans.items()}
    for line in lines:  # a line in one cell's gutter uses one track for both ends
        if line.gap is None:
            line.target_track = line.source_track
    return tracks


def gap_tracks(lines: list[Line]) -> dict[int, int]:
    spans: dict[int, list] = defaultdict(list)
    for line in lines:
        if line.gap is None:
            continue
        if line.via is None:
            a, b = sorted((line.source.stage, line.target.stage))
            spans[line.gap].append((a, b, line, "gap_track"))
            continue
        a, b = sorted((line.source.stage, line.via))
        spans[line.gap].append((a, b, line, "gap_track"))
        a, b = sorted((line.via, line.target.stage))
        spans[line.gap2].append((a, b, line, "gap2_track"))
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
    if line.via is not None:
        vx = col_x[line.via] + 6 + track * line.via_track
        gy2 = gap_y[line.gap2] + 8 + track * line.gap2_track
        return f"M{n(s.x)},{n(sy)} H{n(sx)} V{n(gy)} H{n(vx)} V{n(gy2)} H{n(tx)} V{n(ty)} H{n(t.x)}"
    return f"M{n(s.x)},{n(sy)} H{n(sx)} V{n(gy)} H{n(tx)} V{n(ty)} H{n(t.x)}"


def routes(placed: dict[int, Any]) -> dict[str, Any]:
    """The lines as plain data for the board page's script, which measures the page and
    draws them: which gap and track each line takes, and how many tracks each gutter and
    gap holds."""
    found = lines(placed)
    columns, gaps = column_tracks(found), gap_tracks(found)
    return {
        "lines": [
            {
                "source": line.source.card.id,
                "target": line.target.card.id,
                "gap": line.gap,
                "sourceTrack": line.source_track,
                "targetTrack": line.target_track,
                "gapTrack": line.gap_track,
                "via": line.via,
                "gap2": line.gap2,
                "viaTrack": line.via_track,
                "gap2Track": line.gap2_track,
            }
            for line in found
        ],
        "columnTracks": {str(c): n for c, n in sorted(columns.items())},
        "gapTracks": {str(g): n for g, n in sorted(gaps.items())},
    }

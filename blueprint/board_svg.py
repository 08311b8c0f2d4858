"""The board as one standalone SVG file, for a wall, a slide, a vector editor or the print.

Pure: no Flask, no database. `layout` places the stage × lane grid that `build_board`
returns, wraps text with the font's real widths and routes every dependency between cards
through the gutters left of the cards and the gaps between lanes (never across a card);
`draw` turns that into SVG text with its styles and a subset of its font embedded, so the
file needs nothing else. `render` does both. The lines' routing is in
`blueprint.board_routing`, the pieces drawn in `blueprint.board_svg_parts`.

The print (`blueprint.board_print`) lays the same drawing out with `Options`: a stage may be
split into several columns side by side (a crowded cell's cards then sit next to each other
instead of in one tall stack, so the board fits a landscape page), and titles wrap in full.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from blueprint import board_routing as routing
from blueprint import board_svg_parts as parts
from blueprint.board import Board
from blueprint.board_svg_parts import (
    CARD_GAP,
    CARD_W,
    EMOTION_H,
    LANE_FILL,
    SCREEN,
    STAGE_HEAD_H,
    STYLE,
    Frame,
    Placed,
)
from blueprint.kinds import LANES, LINES, ElementKind
from blueprint.svgfont import clean, font_face_css, wrap
from blueprint.words import ENGLISH, Words

__all__ = ["Header", "Layout", "Options", "draw", "header_for", "layout", "render"]


@dataclass
class Header:
    name: str
    lines: list[str]  # state, goal, persona, when exported: shown under the name


def header_for(
    blueprint: Any,
    persona: Any,
    owner: Any,
    day: str,
    made: str = "Exported",
    words: Words = ENGLISH,
) -> Header:
    """What the file says above the board: name, state and owner, goal, persona, date;
    `made` is "Exported" or "Printed", `day` the date as the reader writes it; in the
    language of `words`."""
    _ = words.gettext
    state = _("Future state") if blueprint.state.value == "future" else _("Current state")
    lines = [state + (" · " + _("Owner: %(name)s", name=owner.name) if owner else "")]
    if blueprint.goal:
        lines.append(_("Goal: %(goal)s", goal=blueprint.goal))
    if persona:
        lines.append(
            _("Persona: %(name)s", name=persona.name)
            + (f" · {persona.segment}" if persona.segment else "")
        )
    if made == "Printed":
        lines.append(_("Printed from Rootline on %(date)s", date=day))
    else:
        lines.append(_("Exported from Rootline on %(date)s", date=day))
    return Header(blueprint.name, lines)


@dataclass(frozen=True)
class Options:
    """How the drawing is laid out: `splits[s]` columns for stage s (missing: one), how
    many lines a card's title may take before it ends with an ellipsis, its spacing, and
    habits of paper: `compact_top` (the lines under the name run on in one paragraph and
    the legend sits beside them instead of at the bottom: height is scarce), `in_columns`
    (the people and systems sit one to a column) and `narrow_spans` (a step over several
    stages keeps its text in its first column), so that cutting between columns cuts no
    text."""

    splits: tuple[int, ...] = ()
    title_lines: int = 3
    frame: Frame = SCREEN
    compact_top: bool = False
    in_columns: bool = False
    narrow_spans: bool = False
    words: Words = field(default=ENGLISH, compare=False)  # the language of its text


@dataclass
class Layout:
    """Where everything goes, in SVG units; `draw` makes the file from it."""

    board: Board
    header: Header
    options: Options
    placed: dict[int, Placed]
    lines: list[routing.Line]
    stage_columns: list[range]  # the columns each stage covers
    col_x: list[float]
    col_w: list[float]
    gap_y: dict[int, float]
    lane_y: list[tuple[float, float]]  # each lane's top and bottom
    header_lines: list[str]
    heading_bottom: float  # where the heading (and a legend beside it) ends
    emotion_top: float | None
    stage_top: float
    grid_bottom: float
    catalog: list[tuple] = field(default_factory=list)
    catalog_bottom: float = 0
    legend_at: tuple[float, float, float] = (0, 0, 0)  # left, top, right
    width: float = 0
    height: float = 0

    def stage_x(self, stage: int) -> tuple[float, float]:
        """Left and right edge of a stage's columns."""
        cols = self.stage_columns[stage]
        return self.col_x[cols[0]], self.col_x[cols[-1]] + self.col_w[cols[-1]]


def render(board: Board, header: Header, options: Options | None = None) -> str:
    """The whole board as SVG text."""
    return draw(layout(board, header, options or Options()))


def _stage_columns(board: Board, splits: tuple[int, ...]) -> list[range]:
    out, first = [], 0
    for s in range(len(board.stages)):
        count = max(1, splits[s] if s < len(splits) else 1)
        out.append(range(first, first + count))
        first += count
    return out


def _place_cards(board: Board, columns: list[range]) -> dict[int, Placed]:
    """Cards in their columns: a step over stages from its first stage's first column to its
    last stage's last; the cards of a cell in a split stage in runs, top to bottom, first
    column first (so reading order stays top to bottom, then left to right)."""
    slots = board.slots()
    order: dict[int, tuple[int, int]] = {}  # card id -> (index in its cell, cards in it)
    for lane in board.lanes:
        for cell in lane.cells:
            for i, c in enumerate(cell):
                order[c.id] = (i, len(cell))
    placed = {}
    for card_id, slot in slots.items():
        cols = columns[slot.stage]
        if slot.end > slot.stage:
            first, last = cols[0], columns[slot.end][-1]
        else:
            i, count = order[card_id]
            run = math.ceil(count / len(cols))
            first = last = cols[0] + i // run
        placed[card_id] = Placed(slot.card, slot.lane, first, last, slot.row)
    return placed


def layout(board: Board, header: Header, options: Options, measured: dict | None = None) -> Layout:
    """Where everything goes. `measured` keeps cards' wrapped text and heights between
    layouts of one board (a card of the same width wraps the same way)."""
    frame = options.frame
    pad = frame.pad
    columns_of = _stage_columns(board, options.splits)
    placed = _place_cards(board, columns_of)
    lines = routing.lines(placed)
    columns = columns_of[-1][-1] + 1 if columns_of else 0
    col_tracks = routing.column_tracks(lines)
    gap_tracks = routing.gap_tracks(lines)
    col_w = [CARD_W + 18 + frame.track * col_tracks.get(c, 0) for c in range(columns)]
    col_x = [pad + frame.lane_head_w + sum(col_w[:c]) for c in range(columns)]
    width = col_x[-1] + col_w[-1] + pad if columns else pad * 2 + frame.lane_head_w + CARD_W
    lane_cards = defaultdict(list)
    for p in placed.values():
        if p.end > p.stage:
            p.x = col_x[p.stage] + col_w[p.stage] - CARD_W - 8
            p.width = col_x[p.end] + col_w[p.end] - 8 - p.x
        key = (p.card.id, p.width, options.title_lines, options.narrow_spans)
        if measured is not None and key in measured:
            p.inner, p.title, p.chips, p.deps, p.height = measured[key]
        else:
            parts.measure(p, options.title_lines, narrow=options.narrow_spans, words=options.words)
            if measured is not None:
                measured[key] = (p.inner, p.title, p.chips, p.deps, p.height)
        lane_cards[p.lane].append(p)

    header_lines, legend_at, y = heading(header, options, width)
    heading_bottom = y
    customer_lane = LANES.index(ElementKind.CUSTOMER_ACTION)
    emotion_top = None
    if any(p.card.element.emotion is not None for p in lane_cards[customer_lane]):
        emotion_top = y
        y += EMOTION_H + 10
    stage_top = y
    y += STAGE_HEAD_H
    gap_y: dict[int, float] = {}
    lane_y: list[tuple[float, float]] = []
    for lane_index in range(len(LANES) + 1):
        gap_h = max(16, 10 + frame.track * gap_tracks.get(lane_index, 0))
        if _method_line(lane_index):
            gap_h = max(gap_h, 24)
        gap_y[lane_index] = y
        y += gap_h
        if lane_index == len(LANES):
            break
        top = y
        y += CARD_GAP
        y += max(_lane_height(lane_cards[lane_index], col_x, col_w, y), 48)
        lane_y.append((top, y))
    grid_bottom = y
    left = col_x[0] if columns else pad + frame.lane_head_w
    slots = [x + w - CARD_W - 8 for x, w in zip(col_x, col_w, strict=True)]
    catalog = parts.place_catalog(
        board.catalog_row, left, width - pad, y, slots if options.in_columns else [], options.words
    )
    if catalog:
        y = max(c[1] + c[3] for c in catalog) + CARD_GAP
    if legend_at is None:
        legend_at = (pad, y + 24, width - pad)
        height = parts.legend_bottom(*legend_at, options.words) + pad
    else:
        height = y + pad
    return Layout(
        board=board,
        header=header,
        options=options,
        placed=placed,
        lines=lines,
        stage_columns=columns_of,
        col_x=col_x,
        col_w=col_w,
        gap_y=gap_y,
        lane_y=lane_y,
        header_lines=header_lines,
        heading_bottom=heading_bottom,
        emotion_top=emotion_top,
        stage_top=stage_top,
        grid_bottom=grid_bottom,
        catalog=catalog,
        catalog_bottom=y,
        legend_at=legend_at,
        width=width,
        height=height,
    )


def heading(
    header: Header, options: Options, width: float
) -> tuple[list[str], tuple[float, float, float] | None, float]:
    """The lines under the name, wrapped; where the legend goes when it sits beside them
    (else None); and where the heading ends."""
    pad = options.frame.pad
    y, lines, right, legend_at = pad + 22, [], width - pad, None
    paragraphs = header.lines
    if options.compact_top:  # the heading on the left, the legend on the right
        right = pad + (width - 2 * pad) * 0.42
        legend_at = (right + 24, pad + 4, width - pad)
        paragraphs = ["  ·  ".join(header.lines)]
    for paragraph in paragraphs:
        for part in wrap(paragraph, right - pad, 12, max_lines=2 * max(1, len(header.lines))):
            y += 17
            lines.append(part)
    if legend_at is not None:
        y = max(y, parts.legend_bottom(*legend_at, options.words))
    return lines, legend_at, y + 18


def _method_line(gap: int) -> str | None:
    for name, above in LINES:
        if gap == LANES.index(above) + 1:
            return name
    return None


def _lane_height(cards: list[Placed], col_x, col_w, top) -> float:
    """Spanning steps in their rows at the top of the lane, then each column's cards."""
    by_row = defaultdict(list)
    for p in cards:
        if p.end > p.stage:
            by_row[p.row].append(p)
    for row in sorted(by_row):
        for p in by_row[row]:
            p.y = top
        top += max(p.height for p in by_row[row]) + CARD_GAP
    tallest = 0.0
    by_column = defaultdict(list)
    for p in cards:
        if p.end == p.stage:
            by_column[p.stage].append(p)
    for column, cell in by_column.items():
        y = top
        for p in cell:  # already in position order
            p.x = col_x[column] + col_w[column] - CARD_W - 8
            p.y = y
            y += p.height + CARD_GAP
        tallest = max(tallest, y - top)
    return tallest + sum(max(p.height for p in r) + CARD_GAP for r in by_row.values())


def draw(at: Layout) -> str:
    """The laid-out board as SVG text, with its styles and font subset."""
    board, width = at.board, at.width
    frame = at.options.frame
    pad, head_w = frame.pad, frame.lane_head_w
    svg = ET.Element(
        "svg", {"xmlns": "http://www.w3.org/2000/svg", "version": "1.1", "role": "img"}
    )
    words = at.options.words
    ET.SubElement(svg, "title").text = clean(
        words.gettext("Service blueprint: %(name)s", name=at.header.name)
    )
    counts = ", ".join(
        (
            words.ngettext("%(num)d stage", "%(num)d stages", len(board.stages)),
            words.ngettext("%(num)d step", "%(num)d steps", board.card_count),
            words.ngettext("%(num)d dependency", "%(num)d dependencies", len(at.lines)),
        )
    )
    ET.SubElement(svg, "desc").text = clean(f"{counts}. " + " ".join(at.header.lines))
    style = ET.SubElement(svg, "style")
    defs = ET.SubElement(svg, "defs")
    arrow = dict(viewBox="0 0 10 10", refX=9, refY=5, markerWidth=7, markerHeight=7)
    marker = parts.shape(defs, "marker", id="arrow", orient="auto-start-reverse", **arrow)
    ET.SubElement(marker, "path", {"class": "connector-tip", "d": "M0,0 L10,5 L0,10 z"})

    y = pad + 22
    parts.text(svg, pad, y, at.header.name, "title")
    for line in at.header_lines:
        y += 17
        parts.text(svg, pad, y, line, "meta")

    grid = ET.SubElement(svg, "g", {"class": "grid-layer"})
    for lane_index, (top, bottom) in enumerate(at.lane_y):
        kind = LANES[lane_index]
        box = dict(x=pad, y=top, width=width - 2 * pad, height=bottom - top)
        parts.shape(grid, "rect", fill=LANE_FILL[kind], **box)
        for i, part in enumerate(wrap(kind.label, head_w - 16, 12, True, 2)):
            parts.text(grid, pad + 8, top + 18 + i * 15, part, "lane-name")
    for lane_index, top in at.gap_y.items():
        name = _method_line(lane_index)
        if name:
            parts.shape(grid, "line", "method-line", x1=pad, x2=width - pad, y1=top + 2, y2=top + 2)
            parts.text(grid, pad + 8, top + 14, words.gettext(name).upper(), "method-label")
    for s, stage in enumerate(board.stages):
        x, right = at.stage_x(s)
        head = ET.SubElement(grid, "g", {"class": "stage-head"})
        parts.shape(head, "rect", x=x, y=at.stage_top, width=right - x - 2, height=STAGE_HEAD_H)
        name = wrap(stage.name, right - x - 20, 13, True, 1)[0]
        parts.text(head, x + 10, at.stage_top + 20, name, None)
        parts.shape(grid, "line", "grid", x1=x, x2=x, y1=at.stage_top, y2=at.grid_bottom)
    if at.catalog:
        top, bottom = at.grid_bottom, at.catalog_bottom
        box = dict(x=pad, y=top, width=width - 2 * pad, height=bottom - top)
        parts.shape(grid, "rect", fill=parts.CATALOG_FILL, **box)
        catalog_name = words.gettext("People and systems")
        for i, part in enumerate(wrap(catalog_name, head_w - 16, 12, True, 2)):
            parts.text(grid, pad + 8, at.grid_bottom + 18 + i * 15, part, "lane-name")

    if at.emotion_top is not None:
        customer_lane = LANES.index(ElementKind.CUSTOMER_ACTION)
        customers = [p for p in at.placed.values() if p.lane == customer_lane]
        parts.emotion(svg, customers, at.emotion_top, width, frame, words)
    connectors = ET.SubElement(svg, "g", {"class": "connectors"})
    for line in at.lines:
        parts.connector(connectors, line, at.col_x, at.gap_y, frame.track, words)
    cards = ET.SubElement(svg, "g", {"class": "cards"})
    for p in sorted(at.placed.values(), key=lambda p: (p.lane, p.stage, p.y)):
        parts.card(cards, p)
    catalog = ET.SubElement(svg, "g", {"class": "catalog"})
    for entry in at.catalog:
        parts.catalog_card(catalog, *entry)
    parts.legend(svg, *at.legend_at, words)

    style.text = STYLE + font_face_css(parts.characters(svg))
    svg.set("width", parts.n(width))
    svg.set("height", parts.n(at.height))
    svg.set("viewBox", f"0 0 {parts.n(width)} {parts.n(at.height)}")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode")

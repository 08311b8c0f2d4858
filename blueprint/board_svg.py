"""The board as one standalone SVG file, for a wall, a slide or a vector editor.

Pure: no Flask, no database. `render` lays out the stage × lane grid that `build_board`
returns, wraps text with the font's real widths, draws every dependency between cards as a
line routed through the gutters left of the cards and the gaps between lanes (never across a
card), and embeds its styles and a subset of its font, so the file needs nothing else.
The lines' routing is in `blueprint.board_routing`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from blueprint import board_routing as routing
from blueprint.board import Board, Card, smooth_path
from blueprint.kinds import LANES, LINES, ElementKind
from blueprint.svgfont import FAMILY, clean, font_face_css, text_width, wrap

PAD = 24
LANE_HEAD_W = 150
CARD_W = 196
CARD_GAP = 8
TRACK = 4
TITLE_SIZE, TEXT_SIZE, CHIP_SIZE = 12.5, 10.5, 10
STAGE_HEAD_H = 30
EMOTION_H = 120

LANE_FILL = {
    ElementKind.PHYSICAL_EVIDENCE: "#f3f0ff",
    ElementKind.CUSTOMER_ACTION: "#e7f1ff",
    ElementKind.FRONTSTAGE: "#e8f6ee",
    ElementKind.BACKSTAGE: "#fff4e0",
    ElementKind.SUPPORT: "#f4f4f4",
}
STYLE = f"""
svg {{ font-family: "{FAMILY}", "DejaVu Sans", Verdana, sans-serif; }}
text {{ fill: #212529; }}
.title {{ font-size: 22px; font-weight: 700; fill: #1f4e5f; }}
.meta {{ font-size: 12px; fill: #495057; }}
.stage-head rect {{ fill: #1f4e5f; }}
.stage-head text {{ fill: #fff; font-size: 13px; font-weight: 700; }}
.lane-name {{ font-size: 12px; font-weight: 700; }}
.grid {{ stroke: #dee2e6; stroke-width: 1; fill: none; }}
.method-line {{ stroke: #1f4e5f; stroke-width: 1.5; stroke-dasharray: 6 4; }}
.method-label {{ font-size: 9px; font-weight: 700; fill: #1f4e5f; letter-spacing: .04em; }}
.card rect.body, .catalog-card rect.body {{ fill: #fff; stroke: #ced4da; }}
.card.fail rect.body {{ stroke: #dc3545; stroke-width: 1.5; }}
.card-title {{ font-size: {TITLE_SIZE}px; font-weight: 700; }}
.dep {{ font-size: {TEXT_SIZE}px; fill: #495057; }}
.chip rect {{ fill: #f8f9fa; stroke: #ced4da; }}
.chip text {{ font-size: {CHIP_SIZE}px; }}
.chip.danger rect {{ fill: #dc3545; stroke: #dc3545; }}
.chip.danger text, .chip.primary text {{ fill: #fff; }}
.chip.warning rect {{ fill: #ffc107; stroke: #ffc107; }}
.chip.primary rect {{ fill: #0d6efd; stroke: #0d6efd; }}
.connector {{ fill: none; stroke: #1f4e5f; stroke-width: 1.2; stroke-opacity: .75; }}
.connector-tip {{ fill: #1f4e5f; }}
.emotion .zero {{ stroke: #adb5bd; stroke-dasharray: 4 4; }}
.emotion .curve {{ fill: none; stroke: #1f4e5f; stroke-width: 2.5; }}
.emotion .point {{ fill: #1f4e5f; }}
.emotion .point.neg {{ fill: #dc3545; }}
.emotion .point.pos {{ fill: #198754; }}
.emotion .mot {{ fill: #0d6efd; font-size: 13px; text-anchor: middle; }}
.emotion .axis {{ font-size: 10px; fill: #495057; }}
.legend {{ font-size: 11px; fill: #495057; }}
"""
ACCENT = {
    ElementKind.PHYSICAL_EVIDENCE: "#6f42c1",
    ElementKind.CUSTOMER_ACTION: "#0d6efd",
    ElementKind.FRONTSTAGE: "#198754",
    ElementKind.BACKSTAGE: "#fd7e14",
    ElementKind.SUPPORT: "#6c757d",
}


@dataclass
class Header:
    name: str
    lines: list[str]  # state, goal, persona, when exported: shown under the name


def header_for(blueprint: Any, persona: Any, owner: Any, today: date) -> Header:
    """What the file says above the board: name, state and owner, goal, persona, date."""
    lines = [f"{blueprint.state.label} state" + (f" · Owner: {owner.name}" if owner else "")]
    if blueprint.goal:
        lines.append(f"Goal: {blueprint.goal}")
    if persona:
        lines.append(
            f"Persona: {persona.name}" + (f" · {persona.segment}" if persona.segment else "")
        )
    lines.append(f"Exported from Rootline on {today.isoformat()}")
    return Header(blueprint.name, lines)


@dataclass
class _Placed:
    card: Card
    lane: int
    stage: int
    end: int
    row: int
    x: float = 0
    y: float = 0
    height: float = 0
    width: float = CARD_W
    title: list[str] | None = None
    chips: list[tuple[str, str, float, float]] | None = None  # text, style, x, y (relative)
    deps: list[str] | None = None


def render(board: Board, header: Header) -> str:
    """The whole board as SVG text."""
    placed = _place_cards(board)
    lines = routing.lines(placed)
    columns = len(board.stages)
    col_tracks = routing.column_tracks(lines)
    gap_tracks = routing.gap_tracks(lines)
    col_w = [CARD_W + 18 + TRACK * col_tracks.get(c, 0) for c in range(columns)]
    col_x = [PAD + LANE_HEAD_W + sum(col_w[:c]) for c in range(columns)]
    width = col_x[-1] + col_w[-1] + PAD if columns else PAD * 2 + LANE_HEAD_W + CARD_W
    lane_cards = defaultdict(list)
    for p in placed.values():
        if p.end > p.stage:
            p.x = col_x[p.stage] + col_w[p.stage] - CARD_W - 8
            p.width = col_x[p.end] + col_w[p.end] - 8 - p.x
        _measure(p)
        lane_cards[p.lane].append(p)

    svg = ET.Element(
        "svg", {"xmlns": "http://www.w3.org/2000/svg", "version": "1.1", "role": "img"}
    )
    ET.SubElement(svg, "title").text = clean(f"Service blueprint: {header.name}")
    ET.SubElement(svg, "desc").text = clean(
        f"{len(board.stages)} stages, {board.card_count} steps, {len(lines)} dependencies. "
        + " ".join(header.lines)
    )
    style = ET.SubElement(svg, "style")
    defs = ET.SubElement(svg, "defs")
    arrow = dict(viewBox="0 0 10 10", refX=9, refY=5, markerWidth=7, markerHeight=7)
    marker = _shape(defs, "marker", id="arrow", orient="auto-start-reverse", **arrow)
    ET.SubElement(marker, "path", {"class": "connector-tip", "d": "M0,0 L10,5 L0,10 z"})

    y = PAD + 22
    _text(svg, PAD, y, header.name, "title")
    for line in header.lines:
        for part in wrap(line, width - 2 * PAD, 12, max_lines=2):
            y += 17
            _text(svg, PAD, y, part, "meta")
    y += 18
    customers = [p for p in placed.values() if p.lane == LANES.index(ElementKind.CUSTOMER_ACTION)]
    emotion_top = y
    if any(p.card.element.emotion is not None for p in customers):
        y += EMOTION_H + 10
    stage_top = y
    y += STAGE_HEAD_H
    gap_y: dict[int, float] = {}
    lane_y: list[tuple[float, float]] = []
    for lane_index in range(len(LANES) + 1):
        gap_h = max(16, 10 + TRACK * gap_tracks.get(lane_index, 0))
        if _method_line(lane_index):
            gap_h = max(gap_h, 24)
        gap_y[lane_index] = y
        y += gap_h
        if lane_index == len(LANES):
            break
        top = y
        y += CARD_GAP
        height = _lane_height(board, lane_index, lane_cards[lane_index], col_x, col_w, y)
        y += max(height, 48)
        lane_y.append((top, y))
    grid_bottom = y
    catalog_top = y
    catalog_cards = _place_catalog(board, col_x[0] if columns else PAD + LANE_HEAD_W, width, y)
    if catalog_cards:
        y = max(c[1] + c[3] for c in catalog_cards) + CARD_GAP
    catalog_bottom = y

    grid = ET.SubElement(svg, "g", {"class": "grid-layer"})
    for lane_index, (top, bottom) in enumerate(lane_y):
        kind = LANES[lane_index]
        box = dict(x=PAD, y=top, width=width - 2 * PAD, height=bottom - top)
        _shape(grid, "rect", fill=LANE_FILL[kind], **box)
        for i, part in enumerate(wrap(kind.label, LANE_HEAD_W - 16, 12, True, 2)):
            _text(grid, PAD + 8, top + 18 + i * 15, part, "lane-name")
    for lane_index, top in gap_y.items():
        name = _method_line(lane_index)
        if name:
            _shape(grid, "line", "method-line", x1=PAD, x2=width - PAD, y1=top + 2, y2=top + 2)
            _text(grid, PAD + 8, top + 14, name.upper(), "method-label")
    for c, x in enumerate(col_x):
        head = ET.SubElement(grid, "g", {"class": "stage-head"})
        _shape(head, "rect", x=x, y=stage_top, width=col_w[c] - 2, height=STAGE_HEAD_H)
        name = wrap(board.stages[c].name, col_w[c] - 20, 13, True, 1)[0]
        _text(head, x + 10, stage_top + 20, name, None)
        _shape(grid, "line", "grid", x1=x, x2=x, y1=stage_top, y2=grid_bottom)
    if catalog_cards:
        box = dict(x=PAD, y=catalog_top, width=width - 2 * PAD, height=catalog_bottom - catalog_top)
        _shape(grid, "rect", fill=CATALOG_FILL, **box)
        for i, part in enumerate(wrap("People and systems", LANE_HEAD_W - 16, 12, True, 2)):
            _text(grid, PAD + 8, catalog_top + 18 + i * 15, part, "lane-name")

    if emotion_top != stage_top:
        _emotion(svg, customers, emotion_top, width)
    connectors = ET.SubElement(svg, "g", {"class": "connectors"})
    for line in lines:
        _connector(connectors, line, col_x, gap_y)
    cards = ET.SubElement(svg, "g", {"class": "cards"})
    for p in sorted(placed.values(), key=lambda p: (p.lane, p.stage, p.y)):
        _card(cards, p)
    catalog = ET.SubElement(svg, "g", {"class": "catalog"})
    for entry in catalog_cards:
        _catalog_card(catalog, *entry)
    height = _legend(svg, catalog_bottom + 24, width)

    style.text = STYLE + font_face_css(_characters(svg))
    svg.set("width", _n(width))
    svg.set("height", _n(height))
    svg.set("viewBox", f"0 0 {_n(width)} {_n(height)}")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(svg, encoding="unicode")


def _n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _shape(parent: ET.Element, tag: str, cls: str | None = None, **attrs) -> ET.Element:
    """A child element; numbers are written short, `stroke_width` becomes `stroke-width`."""
    values = {
        k.replace("_", "-"): _n(v) if isinstance(v, int | float) else v for k, v in attrs.items()
    }
    if cls:
        values["class"] = cls
    return ET.SubElement(parent, tag, values)


def _text(parent: ET.Element, x: float, y: float, text: str, cls: str | None) -> ET.Element:
    attrs = {"x": _n(x), "y": _n(y)}
    if cls:
        attrs["class"] = cls
    node = ET.SubElement(parent, "text", attrs)
    node.text = clean(text)
    return node


def _method_line(gap: int) -> str | None:
    for name, above in LINES:
        if gap == LANES.index(above) + 1:
            return name
    return None


# -- cards -------------------------------------------------------------------------------


def _place_cards(board: Board) -> dict[int, _Placed]:
    return {
        card_id: _Placed(slot.card, slot.lane, slot.stage, slot.end, slot.row)
        for card_id, slot in board.slots().items()
    }


def _chips(card: Card) -> list[tuple[str, str]]:
    el = card.element
    chips = []
    if el.fail_point:
        chips.append(("⚠ Fail point", "danger"))
    if el.wait_point:
        chips.append(("Wait", "warning"))
    if el.moment_of_truth:
        chips.append(("★ Moment of truth", "primary"))
    if el.channel:
        chips.append((el.channel.label, "light"))
    if el.duration_minutes is not None:
        text = f"{el.duration_minutes}"
        if el.tolerance_minutes is not None:
            text += f"/{el.tolerance_minutes}"
        chips.append((text + " min", "danger" if card.over_tolerance else "light"))
        if card.over_tolerance:
            chips.append(("over tolerance", "danger"))
    if el.emotion is not None:
        face = "☺" if el.emotion > 0 else ("☹" if el.emotion < 0 else "·")
        chips.append((f"{el.emotion:+d} {face}", "light"))
    if el.evidence_status:
        chips.append((el.evidence_status.label, "light"))
    if card.spans:
        chips.append(("↔ " + card.span_label.capitalize(), "light"))
    return chips


def _measure(p: _Placed) -> None:
    inner = p.width - 18
    p.title = wrap(p.card.title, inner, TITLE_SIZE, True, 3)
    y = 10 + len(p.title) * 15
    p.chips = []
    x = 0.0
    for text, kind in _chips(p.card):
        w = min(text_width(text, CHIP_SIZE, kind != "light") + 10, inner)
        if x and x + w > inner:
            x, y = 0.0, y + 18
        p.chips.append((text, kind, x, y))
        x += w + 4
    if p.chips:
        y += 18
    people = [f"Person · {c.title}" + (" ⚠" if c.fail_point else "") for c in p.card.people]
    systems = [f"System · {c.title}" + (" ⚠" if c.fail_point else "") for c in p.card.systems]
    deps = people + systems
    if len(deps) > 4:
        deps = [*deps[:3], f"and {len(deps) - 3} more"]
    p.deps = [wrap(d, inner, TEXT_SIZE, max_lines=1)[0] for d in deps]
    p.height = y + 4 + len(p.deps) * 13 + 4


def _chip(
    parent: ET.Element, x: float, top: float, text: str, style: str, max_w: float | None = None
) -> float:
    """A badge: text on a filled rounded box, bold unless it is a plain (light) one. Returns
    its width."""
    w = text_width(text, CHIP_SIZE, style != "light") + 10
    w = min(w, max_w) if max_w else w
    chip = _shape(parent, "g", f"chip {style}")
    _shape(chip, "rect", x=x, y=top, width=w, height=15, rx=3)
    label = _text(chip, x + 5, top + 11, text, None)
    if style != "light":
        label.set("font-weight", "700")
    return w


def _lane_height(board, lane_index, cards, col_x, col_w, top) -> float:
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
    by_stage = defaultdict(list)
    for p in cards:
        if p.end == p.stage:
            by_stage[p.stage].append(p)
    for stage, cell in by_stage.items():
        y = top
        for p in cell:  # already in position order
            p.x = col_x[stage] + col_w[stage] - CARD_W - 8
            p.y = y
            y += p.height + CARD_GAP
        tallest = max(tallest, y - top)
    return tallest + sum(max(p.height for p in r) + CARD_GAP for r in by_row.values())


def _card(parent: ET.Element, p: _Placed) -> None:
    el = p.card.element
    cls = "card" + (" fail" if el.fail_point else "")
    g = ET.SubElement(parent, "g", {"class": cls, "id": f"el-{p.card.id}"})
    ET.SubElement(g, "title").text = clean(p.card.title)
    _shape(g, "rect", "body", x=p.x, y=p.y, width=p.width, height=p.height, rx=4)
    _shape(g, "rect", x=p.x, y=p.y, width=4, height=p.height, fill=ACCENT[LANES[p.lane]])
    for i, line in enumerate(p.title or []):
        _text(g, p.x + 10, p.y + 20 + i * 15, line, "card-title")
    for text, kind, cx, cy in p.chips or []:
        _chip(g, p.x + 10 + cx, p.y + cy + 2, text, kind, p.width - 18)
    dep_top = p.y + p.height - 4 - len(p.deps or []) * 13
    for i, dep in enumerate(p.deps or []):
        _text(g, p.x + 10, dep_top + 10 + i * 13, dep, "dep")


def _connector(parent: ET.Element, line: routing.Line, col_x: list[float], gap_y: dict) -> None:
    s, t = line.source, line.target
    attrs = {
        "class": "connector",
        "d": routing.path(line, col_x, gap_y, TRACK, _n),
        "marker-end": "url(#arrow)",
        "data-source": str(s.card.id),
        "data-target": str(t.card.id),
    }
    path = ET.SubElement(parent, "path", attrs)
    ET.SubElement(path, "title").text = clean(f"{s.card.title} relies on {t.card.title}")


# -- people and systems ------------------------------------------------------------------

CATALOG_FILL = "#eef2f4"
CatalogBox = tuple  # (x, y, width, height, title lines, detail lines, entry)


def _place_catalog(board: Board, left: float, width: float, top: float) -> list[CatalogBox]:
    """The people and systems this blueprint reaches, left to right, wrapping at the edge."""
    boxes = []
    x, y, row_h = left + 10, top + CARD_GAP, 0.0
    inner = CARD_W - 18
    for entry in board.catalog_row:
        el = entry.element
        title = wrap(f"{el.kind.label} · {el.title}", inner, TITLE_SIZE, True, 2)
        details = [f"⚠ {el.fail_note or 'Fail point'}"] if el.fail_point else []
        details += [f"{words} {target.title}" for words, target in entry.links]
        details.append(_direct_words(entry.direct))
        if len(details) > 6:
            details = [*details[:5], f"and {len(details) - 5} more"]
        details = [wrap(d, inner, TEXT_SIZE, max_lines=1)[0] for d in details]
        height = 10 + len(title) * 15 + len(details) * 13 + 8
        if x > left + 10 and x + CARD_W > width - PAD:
            x, y, row_h = left + 10, y + row_h + CARD_GAP, 0.0
        boxes.append((x, y, CARD_W, height, title, details, entry))
        x += CARD_W + CARD_GAP * 2
        row_h = max(row_h, height)
    return boxes


def _direct_words(count: int) -> str:
    if count == 0:
        return "no step here relies on it directly"
    return "1 step here relies on it" if count == 1 else f"{count} steps here rely on it"


def _catalog_card(parent, x, y, w, h, title, details, entry) -> None:
    el = entry.element
    g = ET.SubElement(parent, "g", {"class": "catalog-card", "id": f"cat-{el.id}"})
    ET.SubElement(g, "title").text = clean(el.title)
    _shape(g, "rect", "body", x=x, y=y, width=w, height=h, rx=4)
    for i, line in enumerate(title):
        _text(g, x + 10, y + 20 + i * 15, line, "card-title")
    for i, line in enumerate(details):
        _text(g, x + 10, y + 10 + len(title) * 15 + 10 + i * 13, line, "dep")


# -- emotion curve and legend ------------------------------------------------------------


def _emotion(parent: ET.Element, customers: list[_Placed], top: float, width: float) -> None:
    g = ET.SubElement(parent, "g", {"class": "emotion"})
    _text(g, PAD, top + 14, "Emotion curve", "lane-name")

    def y_of(emotion: int) -> float:
        return top + 24 + (2 - emotion) / 4 * (EMOTION_H - 34)

    for value in (2, 0, -2):
        _text(g, PAD + LANE_HEAD_W - 24, y_of(value) + 4, f"{value:+d}", "axis")
    zero = y_of(0)
    _shape(g, "line", "zero", x1=PAD + LANE_HEAD_W, x2=width - PAD, y1=zero, y2=zero)
    by_cell = defaultdict(list)
    for p in customers:
        by_cell[p.stage].append(p)
    points = []
    for stage in sorted(by_cell):
        cell = sorted(by_cell[stage], key=lambda p: p.y)
        for i, p in enumerate(cell):
            if p.card.element.emotion is None:
                continue
            x = p.x + CARD_W * (i + 1) / (len(cell) + 1)
            points.append((x, y_of(p.card.element.emotion), p))
    ET.SubElement(g, "path", {"class": "curve", "d": smooth_path([(x, y) for x, y, _ in points])})
    for x, y, p in points:
        emotion = p.card.element.emotion
        cls = "point" + (" neg" if emotion < 0 else " pos" if emotion > 0 else "")
        dot = _shape(g, "circle", cls, cx=x, cy=y, r=4.5)
        ET.SubElement(dot, "title").text = clean(f"{p.card.title}: {emotion:+d}")
        if p.card.element.moment_of_truth:
            _text(g, x, y - 9, "★", "mot")


def _legend(parent: ET.Element, top: float, width: float) -> float:
    g = ET.SubElement(parent, "g", {"class": "legend"})
    _text(g, PAD, top, "Legend", "lane-name")
    items = [
        ("chip:danger", "⚠ Fail point", "where the service breaks"),
        ("chip:warning", "Wait", "the customer waits"),
        ("chip:primary", "★ Moment of truth", "decides the relationship"),
        ("chip:light", "20/30 min", "duration / customer tolerance"),
        ("chip:light", "+1 ☺", "emotion, -2 to +2"),
        ("line:connector", "", "a step relies on the step the arrow points to"),
        ("line:method-line", "", "the method's lines between lanes"),
        ("text", "Person · / System ·", "who and what a step relies on"),
    ]
    x, y = PAD, top + 20
    for kind, sample, meaning in items:
        item_w = 40 + text_width(sample, CHIP_SIZE, True) + text_width(meaning, 11) + 24
        if x > PAD and x + item_w > width - PAD:
            x, y = PAD, y + 24
        if kind.startswith("chip:"):
            x += _chip(g, x, y - 11, sample, kind.split(":")[1]) + 6
        elif kind.startswith("line:"):
            style = kind.split(":")[1]
            line = _shape(g, "line", style, x1=x, x2=x + 34, y1=y - 4, y2=y - 4)
            if style == "connector":
                line.set("marker-end", "url(#arrow)")
            x += 40
        else:
            _text(g, x, y, sample, "dep")
            x += text_width(sample, TEXT_SIZE) + 6
        _text(g, x, y, meaning, None)
        x += text_width(meaning, 11) + 24
    return y + PAD


def _characters(svg: ET.Element) -> dict[int, str]:
    """Every character drawn, by font weight, for subsetting the embedded font."""
    bold_classes = {"title", "lane-name", "card-title", "method-label"}
    regular, bold = [], []
    for parent in svg.iter():
        for node in parent:
            if node.tag != "text" or not node.text:
                continue
            heavy = (
                node.get("class") in bold_classes
                or node.get("font-weight") == "700"
                or "stage-head" in (parent.get("class") or "")
            )
            (bold if heavy else regular).append(node.text)
    return {400: "".join(regular), 700: "".join(bold)}

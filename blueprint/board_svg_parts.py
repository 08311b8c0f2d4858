"""The pieces of the board's SVG (`blueprint.board_svg` lays them out): styles, cards with
their badges, the lines, the people and systems, the emotion curve and the legend.

Pure: no Flask, no database. Sizes are SVG user units (CSS pixels at 100 %).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from blueprint import board_routing as routing
from blueprint.board import Card, smooth_path
from blueprint.kinds import LANES, ElementKind
from blueprint.svgfont import FAMILY, clean, text_width, wrap
from blueprint.words import ENGLISH, N_, Words

PAD = 24
LANE_HEAD_W = 150
CARD_W = 196
CARD_GAP = 8
TRACK = 4
TITLE_SIZE, TEXT_SIZE, CHIP_SIZE = 12.5, 10.5, 10
LABEL_SIZE = 10  # the method's lines and the curve's axis: the smallest text drawn
SMALLEST_TEXT = min(TEXT_SIZE, CHIP_SIZE, LABEL_SIZE)
STAGE_HEAD_H = 30
EMOTION_H = 120
CATALOG_FILL = "#eef2f4"


@dataclass(frozen=True)
class Frame:
    """The drawing's spacing: its outer padding, the lane names' column, the distance
    between the tracks of lines that share a gutter or gap."""

    pad: float = PAD
    lane_head_w: float = LANE_HEAD_W
    track: float = TRACK


SCREEN = Frame()
PAPER = Frame(pad=12, lane_head_w=116, track=3)  # tighter: every millimetre of A3 counts

LANE_FILL = {
    ElementKind.PHYSICAL_EVIDENCE: "#f3f0ff",
    ElementKind.CUSTOMER_ACTION: "#e7f1ff",
    ElementKind.FRONTSTAGE: "#e8f6ee",
    ElementKind.BACKSTAGE: "#fff4e0",
    ElementKind.SUPPORT: "#f4f4f4",
}
# Ligatures off: a PDF printed from the file keeps "fi" and "ff" as letters in its text.
STYLE = f"""
svg {{ font-family: "{FAMILY}", "DejaVu Sans", Verdana, sans-serif; }}
text {{ fill: #212529; font-variant-ligatures: none; }}
.title {{ font-size: 22px; font-weight: 700; fill: #1f4e5f; }}
.meta {{ font-size: 12px; fill: #495057; }}
.stage-head rect {{ fill: #1f4e5f; }}
.stage-head text {{ fill: #fff; font-size: 13px; font-weight: 700; }}
.lane-name {{ font-size: 12px; font-weight: 700; }}
.grid {{ stroke: #dee2e6; stroke-width: 1; fill: none; }}
.method-line {{ stroke: #1f4e5f; stroke-width: 1.5; stroke-dasharray: 6 4; }}
.method-label {{ font-size: {LABEL_SIZE}px; font-weight: 700; fill: #1f4e5f;
  letter-spacing: .04em; }}
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
.emotion .axis {{ font-size: {LABEL_SIZE}px; fill: #495057; }}
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
class Placed:
    """A card where it is drawn: its lane, its columns (first and last) and row for the
    lines' routing, and its box and wrapped text."""

    card: Card
    lane: int
    stage: int  # its first column (a stage, or a part of one when stages are split)
    end: int
    row: int
    x: float = 0
    y: float = 0
    height: float = 0
    width: float = CARD_W
    inner: float = CARD_W - 18  # how wide its text runs
    title: list[str] | None = None
    chips: list[tuple[str, str, float, float]] | None = None  # text, style, x, y (relative)
    deps: list[str] | None = None


def n(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def shape(parent: ET.Element, tag: str, cls: str | None = None, **attrs) -> ET.Element:
    """A child element; numbers are written short, `stroke_width` becomes `stroke-width`."""
    values = {
        k.replace("_", "-"): n(v) if isinstance(v, int | float) else v for k, v in attrs.items()
    }
    if cls:
        values["class"] = cls
    return ET.SubElement(parent, tag, values)


def text(parent: ET.Element, x: float, y: float, words: str, cls: str | None) -> ET.Element:
    attrs = {"x": n(x), "y": n(y)}
    if cls:
        attrs["class"] = cls
    node = ET.SubElement(parent, "text", attrs)
    node.text = clean(words)
    return node


# -- cards -------------------------------------------------------------------------------


def _chips(card: Card, words: Words = ENGLISH) -> list[tuple[str, str]]:
    _ = words.gettext
    el = card.element
    chips = []
    if el.fail_point:
        chips.append(("⚠ " + _("Fail point"), "danger"))
    if el.wait_point:
        chips.append((_("Wait"), "warning"))
    if el.moment_of_truth:
        chips.append(("★ " + _("Moment of truth"), "primary"))
    if el.channel:
        chips.append((el.channel.label, "light"))
    if el.duration_minutes is not None:
        minutes = f"{el.duration_minutes}"
        if el.tolerance_minutes is not None:
            minutes += f"/{el.tolerance_minutes}"
        chips.append((minutes + " " + _("min"), "danger" if card.over_tolerance else "light"))
        if card.over_tolerance:
            chips.append((_("over tolerance"), "danger"))
    if el.emotion is not None:
        face = "☺" if el.emotion > 0 else ("☹" if el.emotion < 0 else "·")
        chips.append((f"{el.emotion:+d} {face}", "light"))
    if el.evidence_status:
        chips.append((el.evidence_status.label, "light"))
    if card.spans:
        chips.append(("↔ " + _(card.span_label), "light"))
    return chips


def measure(p: Placed, title_lines: int = 3, narrow: bool = False, words: Words = ENGLISH) -> None:
    """Wrap the card's text to its width (`narrow`: to one column's, even on a step over
    several stages, so a print cut between columns keeps its text whole) and work out its
    height."""
    p.inner = inner = (CARD_W if narrow else p.width) - 18
    p.title = wrap(p.card.title, inner, TITLE_SIZE, True, title_lines)
    y = 10 + len(p.title) * 15
    p.chips = []
    x = 0.0
    for chip_words, kind in _chips(p.card, words):
        w = min(text_width(chip_words, CHIP_SIZE, kind != "light") + 10, inner)
        if x and x + w > inner:
            x, y = 0.0, y + 18
        p.chips.append((chip_words, kind, x, y))
        x += w + 4
    if p.chips:
        y += 18
    person, system = words.gettext("Person"), words.gettext("System")
    people = [f"{person} · {c.title}" + (" ⚠" if c.fail_point else "") for c in p.card.people]
    systems = [f"{system} · {c.title}" + (" ⚠" if c.fail_point else "") for c in p.card.systems]
    deps = people + systems
    if len(deps) > 4:
        deps = [*deps[:3], words.gettext("and %(num)d more", num=len(deps) - 3)]
    p.deps = [wrap(d, inner, TEXT_SIZE, max_lines=1)[0] for d in deps]
    p.height = y + 4 + len(p.deps) * 13 + 4


def chip(
    parent: ET.Element, x: float, top: float, words: str, style: str, max_w: float | None = None
) -> float:
    """A badge: text on a filled rounded box, bold unless it is a plain (light) one. Returns
    its width."""
    w = text_width(words, CHIP_SIZE, style != "light") + 10
    w = min(w, max_w) if max_w else w
    g = shape(parent, "g", f"chip {style}")
    shape(g, "rect", x=x, y=top, width=w, height=15, rx=3)
    label = text(g, x + 5, top + 11, words, None)
    if style != "light":
        label.set("font-weight", "700")
    return w


def card(parent: ET.Element, p: Placed) -> None:
    el = p.card.element
    cls = "card" + (" fail" if el.fail_point else "")
    g = ET.SubElement(parent, "g", {"class": cls, "id": f"el-{p.card.id}"})
    ET.SubElement(g, "title").text = clean(p.card.title)
    shape(g, "rect", "body", x=p.x, y=p.y, width=p.width, height=p.height, rx=4)
    shape(g, "rect", x=p.x, y=p.y, width=4, height=p.height, fill=ACCENT[LANES[p.lane]])
    for i, line in enumerate(p.title or []):
        text(g, p.x + 10, p.y + 20 + i * 15, line, "card-title")
    for words, kind, cx, cy in p.chips or []:
        chip(g, p.x + 10 + cx, p.y + cy + 2, words, kind, p.inner)
    dep_top = p.y + p.height - 4 - len(p.deps or []) * 13
    for i, dep in enumerate(p.deps or []):
        text(g, p.x + 10, dep_top + 10 + i * 13, dep, "dep")


def connector(
    parent: ET.Element,
    line: routing.Line,
    col_x: list[float],
    gap_y: dict,
    track: float,
    words: Words = ENGLISH,
) -> None:
    s, t = line.source, line.target
    attrs = {
        "class": "connector",
        "d": routing.path(line, col_x, gap_y, track, n),
        "marker-end": "url(#arrow)",
        "data-source": str(s.card.id),
        "data-target": str(t.card.id),
    }
    path = ET.SubElement(parent, "path", attrs)
    ET.SubElement(path, "title").text = clean(
        words.gettext("%(title)s relies on %(other)s", title=s.card.title, other=t.card.title)
    )


# -- people and systems ------------------------------------------------------------------

CatalogBox = tuple  # (x, y, width, height, title lines, detail lines, entry)


def place_catalog(
    catalog_row: list[Any],
    left: float,
    right: float,
    top: float,
    slots: list[float] = (),
    words: Words = ENGLISH,
) -> list:
    """The people and systems this blueprint reaches, left to right, wrapping at the edge;
    with `slots`, one in each (the columns' x, so a print cut between columns cuts none)."""
    boxes = []
    x, y, row_h = left + 10, top + CARD_GAP, 0.0
    inner = CARD_W - 18
    for n, entry in enumerate(catalog_row):
        el = entry.element
        title = wrap(f"{el.kind.label} · {el.title}", inner, TITLE_SIZE, True, 2)
        details = [f"⚠ {el.fail_note or words.gettext('Fail point')}"] if el.fail_point else []
        details += [f"{link} {target.title}" for link, target in entry.links]
        details.append(_direct_words(entry.direct, words))
        if len(details) > 6:
            details = [*details[:5], words.gettext("and %(num)d more", num=len(details) - 5)]
        details = [wrap(d, inner, TEXT_SIZE, max_lines=1)[0] for d in details]
        height = 10 + len(title) * 15 + len(details) * 13 + 8
        if slots:
            if n and n % len(slots) == 0:
                y, row_h = y + row_h + CARD_GAP, 0.0
            x = slots[n % len(slots)]
        elif x > left + 10 and x + CARD_W > right:
            x, y, row_h = left + 10, y + row_h + CARD_GAP, 0.0
        boxes.append((x, y, CARD_W, height, title, details, entry))
        x += CARD_W + CARD_GAP * 2
        row_h = max(row_h, height)
    return boxes


def _direct_words(count: int, words: Words = ENGLISH) -> str:
    if count == 0:
        return words.gettext("no step here relies on it directly")
    return words.ngettext("%(num)d step here relies on it", "%(num)d steps here rely on it", count)


def catalog_card(parent, x, y, w, h, title, details, entry) -> None:
    el = entry.element
    g = ET.SubElement(parent, "g", {"class": "catalog-card", "id": f"cat-{el.id}"})
    ET.SubElement(g, "title").text = clean(el.title)
    shape(g, "rect", "body", x=x, y=y, width=w, height=h, rx=4)
    for i, line in enumerate(title):
        text(g, x + 10, y + 20 + i * 15, line, "card-title")
    for i, line in enumerate(details):
        text(g, x + 10, y + 10 + len(title) * 15 + 10 + i * 13, line, "dep")


# -- emotion curve and legend ------------------------------------------------------------


def emotion(
    parent: ET.Element,
    customers: list[Placed],
    top: float,
    width: float,
    frame: Frame,
    words: Words = ENGLISH,
) -> None:
    """The curve over the customer actions, each point above its own card."""
    g = ET.SubElement(parent, "g", {"class": "emotion"})
    pad, head = frame.pad, frame.lane_head_w
    text(g, pad, top + 14, words.gettext("Emotion curve"), "lane-name")

    def y_of(value: int) -> float:
        return top + 24 + (2 - value) / 4 * (EMOTION_H - 34)

    for value in (2, 0, -2):
        text(g, pad + head - 24, y_of(value) + 4, f"{value:+d}", "axis")
    zero = y_of(0)
    shape(g, "line", "zero", x1=pad + head, x2=width - pad, y1=zero, y2=zero)
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
        value = p.card.element.emotion
        cls = "point" + (" neg" if value < 0 else " pos" if value > 0 else "")
        dot = shape(g, "circle", cls, cx=x, cy=y, r=4.5)
        ET.SubElement(dot, "title").text = clean(f"{p.card.title}: {value:+d}")
        if p.card.element.moment_of_truth:
            text(g, x, y - 9, "★", "mot")


# (how it is drawn, its sample, what it means): English (N_), drawn in the reader's language
LEGEND = [
    ("chip:danger", N_("⚠ Fail point"), N_("where the service breaks")),
    ("chip:warning", N_("Wait"), N_("the customer waits")),
    ("chip:primary", N_("★ Moment of truth"), N_("decides the relationship")),
    ("chip:light", N_("20/30 min"), N_("duration / customer tolerance")),
    ("chip:light", "+1 ☺", N_("emotion, -2 to +2")),
    ("line:connector", "", N_("a step relies on the step the arrow points to")),
    ("line:method-line", "", N_("the method's lines between lanes")),
    ("text", N_("Person · / System ·"), N_("who and what a step relies on")),
]


def _legend_rows(
    left: float, top: float, right: float, words: Words = ENGLISH
) -> list[tuple[float, float, tuple]]:
    """Where each legend item starts (x, baseline), wrapping at the right edge."""
    out = []
    x, y = left, top + 20
    for kind, sample, meaning in LEGEND:
        sample = words.gettext(sample) if sample else ""
        meaning = words.gettext(meaning)
        item = (kind, sample, meaning)
        item_w = 40 + text_width(sample, CHIP_SIZE, True) + text_width(meaning, 11) + 24
        if x > left and x + item_w > right:
            x, y = left, y + 24
        out.append((x, y, item))
        if kind.startswith("chip:"):
            x += text_width(sample, CHIP_SIZE, kind != "chip:light") + 10 + 6
        elif kind.startswith("line:"):
            x += 40
        else:
            x += text_width(sample, TEXT_SIZE) + 6
        x += text_width(meaning, 11) + 24
    return out


def legend_bottom(left: float, top: float, right: float, words: Words = ENGLISH) -> float:
    """The last row's baseline when the legend starts at `top` between `left` and `right`."""
    return _legend_rows(left, top, right, words)[-1][1]


def legend(
    parent: ET.Element, left: float, top: float, right: float, words: Words = ENGLISH
) -> None:
    g = ET.SubElement(parent, "g", {"class": "legend"})
    text(g, left, top, words.gettext("Legend"), "lane-name")
    for x, y, (kind, sample, meaning) in _legend_rows(left, top, right, words):
        if kind.startswith("chip:"):
            x += chip(g, x, y - 11, sample, kind.split(":")[1]) + 6
        elif kind.startswith("line:"):
            style = kind.split(":")[1]
            line = shape(g, "line", style, x1=x, x2=x + 34, y1=y - 4, y2=y - 4)
            if style == "connector":
                line.set("marker-end", "url(#arrow)")
            x += 40
        else:
            text(g, x, y, sample, "dep")
            x += text_width(sample, TEXT_SIZE) + 6
        text(g, x, y, meaning, None)


def characters(svg: ET.Element) -> dict[int, str]:
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

"""The board: a blueprint laid out as a stage × lane grid, built from plain rows.

Pure: no Flask, no database. `build_board` takes the stages, lane elements, links and the
catalog entries they point at (any objects with the attributes used below) and returns
what the template draws, so the template computes nothing and tests need no app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from blueprint import board_routing as routing
from blueprint.kinds import LANES, LINES, ElementKind, LinkKind
from blueprint.words import ENGLISH, N_, Words


@dataclass
class Card:
    id: int
    kind: ElementKind
    title: str
    element: Any
    people: list[Any] = field(default_factory=list)
    systems: list[Any] = field(default_factory=list)
    linked: set[int] = field(default_factory=set)  # everything it is linked to, both ways
    relies_on: set[int] = field(default_factory=set)  # cards on the board it depends on
    start: int = 0  # the stage columns it covers, first and last (equal: one stage)
    end: int = 0
    earlier: str | None = None  # where its ← button takes it ("before “Quote”"), see `hop`
    later: str | None = None  # and its → button; None: the button is not there

    @property
    def spans(self) -> bool:
        return self.end > self.start

    @property
    def span_label(self) -> str:
        """In English (N_): the page and the SVG translate it."""
        return (
            N_("All stages") if getattr(self.element, "all_stages", False) else N_("Spans stages")
        )

    @property
    def over_tolerance(self) -> bool:
        return self.element.over_tolerance

    @property
    def linked_attr(self) -> str:
        return " ".join(str(i) for i in sorted(self.linked))

    @property
    def relies_on_attr(self) -> str:
        return " ".join(str(i) for i in sorted(self.relies_on))


@dataclass
class Segment:
    """A piece of a row of spanning steps: one card over its columns, or one empty column."""

    start: int
    colspan: int
    card: Card | None = None


@dataclass
class LaneRow:
    kind: ElementKind
    cells: list[list[Card]]  # one list of cards per stage, in position order
    line_below: str | None  # the method's line drawn under this lane, if any
    span_rows: list[list[Segment]] = field(default_factory=list)  # above the cells

    @property
    def row_count(self) -> int:
        return len(self.span_rows) + 1


@dataclass
class CatalogCard:
    """A person or system this blueprint reaches, with the links it has itself."""

    element: Any
    links: list[tuple[str, Any]]  # (link kind's words, the person or system it points at)
    direct: int  # steps of this blueprint that rely on it directly


@dataclass
class EmotionPoint:
    x: float
    y: float
    emotion: int
    title: str
    element_id: int
    moment_of_truth: bool


@dataclass
class EmotionCurve:
    width: int
    height: int
    points: list[EmotionPoint]
    path: str  # a smooth SVG path through the points
    stage_marks: list[tuple[float, str]]  # x where each stage starts, and its name
    zero_y: float


@dataclass
class StagePoint:
    x: float  # percent of its stage column's width
    point: EmotionPoint


@dataclass
class StageCurve:
    """The part of the emotion curve under one stage column of the board page: its points
    where the stage's customer actions are (as in the SVG download), and the curve through
    them as path data in a box 100 wide and `HEIGHT` high that the page stretches to the
    column's width, so it stays under its column however wide the browser draws it."""

    stage: Any
    points: list[StagePoint]
    path: str


@dataclass
class Board:
    stages: list[Any]
    lanes: list[LaneRow]
    emotion: EmotionCurve
    card_count: int
    catalog: list[Any]
    catalog_row: list[CatalogCard] = field(default_factory=list)
    routes: dict[str, Any] = field(default_factory=dict)  # the lines, for board-connectors.js
    emotion_columns: list[StageCurve] = field(default_factory=list)  # the curve, by stage

    def slots(self) -> dict[int, Slot]:
        return slots(self)


@dataclass
class Slot:
    """Where a card sits, in the terms line routing needs (`blueprint.board_routing`)."""

    card: Card
    lane: int
    stage: int  # its first column
    end: int  # its last column
    row: int  # its row within the lane: spanning rows first, the cells last


def slots(board: Board) -> dict[int, Slot]:
    out: dict[int, Slot] = {}
    for lane_index, lane in enumerate(board.lanes):
        for row, segments in enumerate(lane.span_rows):
            for segment in segments:
                if segment.card is not None:
                    card = segment.card
                    out[card.id] = Slot(card, lane_index, card.start, card.end, row)
        for stage_index, cell in enumerate(lane.cells):
            for card in cell:
                out[card.id] = Slot(card, lane_index, stage_index, stage_index, len(lane.span_rows))
    return out


def build_board(
    stages: Sequence[Any],
    elements: Iterable[Any],
    links: Iterable[tuple[int, int, LinkKind]],
    catalog: Iterable[Any],
    words: Words = ENGLISH,
) -> Board:
    """Lay elements out by lane and stage, attach the people and systems each relies on,
    and collect every element's link partners for highlighting. `words`: the language of
    the cards' buttons (blueprint.words)."""
    stage_index = {stage.id: i for i, stage in enumerate(stages)}
    catalog_by_id = {c.id: c for c in catalog}
    cards: dict[int, Card] = {}
    grid: dict[ElementKind, list[list[Card]]] = {k: [[] for _ in stages] for k in LANES}
    spanning: dict[ElementKind, list[Card]] = {k: [] for k in LANES}
    for element in sorted(elements, key=lambda e: (e.position, e.id)):
        if element.stage_id not in stage_index or element.kind not in grid:
            continue
        card = Card(element.id, element.kind, element.title, element)
        card.start = card.end = stage_index[element.stage_id]
        if getattr(element, "all_stages", False):
            card.start, card.end = 0, len(stages) - 1
        elif getattr(element, "end_stage_id", None) in stage_index:
            ends = (card.start, stage_index[element.end_stage_id])
            card.start, card.end = min(ends), max(ends)
        cards[element.id] = card
        if card.spans:
            spanning[element.kind].append(card)
        else:
            grid[element.kind][card.start].append(card)

    links = list(links)
    for source, target, kind in links:
        if source in cards:
            cards[source].linked.add(target)
            partner = catalog_by_id.get(target)
            if partner is not None and kind.is_dependency:
                bucket = (
                    cards[source].people
                    if partner.kind is ElementKind.PERSON
                    else (cards[source].systems)
                )
                bucket.append(partner)
        if target in cards:
            cards[target].linked.add(source)
            if source in cards and kind.is_dependency:
                cards[source].relies_on.add(target)
    for card in cards.values():
        card.people.sort(key=lambda c: c.title.lower())
        card.systems.sort(key=lambda c: c.title.lower())

    names = [stage.name for stage in stages]
    for cells in grid.values():
        for s, cell in enumerate(cells):
            for i, card in enumerate(cell):
                card.earlier = (hop(cells, names, s, i, -1, words) or (None, None, None))[2]
                card.later = (hop(cells, names, s, i, 1, words) or (None, None, None))[2]

    lines = {lane: name for name, lane in LINES}
    lanes = [
        LaneRow(kind, grid[kind], lines.get(kind), _span_rows(spanning[kind], len(stages)))
        for kind in LANES
    ]
    customers = _with_spanning(grid, spanning, ElementKind.CUSTOMER_ACTION)
    board = Board(
        stages=list(stages),
        lanes=lanes,
        emotion=emotion_curve(stages, customers),
        card_count=len(cards),
        catalog=sorted(catalog_by_id.values(), key=lambda c: (c.kind, c.title.lower())),
        emotion_columns=emotion_columns(stages, customers),
    )
    board.catalog_row = _catalog_row(board.catalog, links, cards)
    board.routes = routing.routes(board.slots())
    return board


def hop(
    cells: Sequence[Sequence[Any]],
    stage_names: Sequence[str],
    stage: int,
    index: int,
    direction: int,
    words: Words = ENGLISH,
) -> tuple[int, Any | None, str] | None:
    """Where a card's ← (`direction` -1) or → (+1) button takes it, in the journey's order:
    one place earlier or later in its cell, and from the first (last) place of its cell to
    the end (start) of the same lane in the stage before (after). `cells` are one lane's
    cards (anything with a `title`) per stage, spanning steps aside; the card is
    `cells[stage][index]`. Returns (the stage it goes to, the card it goes before there or
    None for the end, the words for its button), or None where it cannot go. The board's
    buttons and the move they post (blueprint.board_edits) both ask this."""
    cell = cells[stage]
    if 0 <= index + direction < len(cell):
        other = cell[index + direction]
        if direction < 0:
            return stage, other, words.gettext("before “%(title)s”", title=other.title)
        after = cell[index + 2] if index + 2 < len(cell) else None
        return stage, after, words.gettext("after “%(title)s”", title=other.title)
    target = stage + direction
    if not 0 <= target < len(cells):
        return None
    if direction < 0:
        return target, None, words.gettext("at the end of %(stage)s", stage=stage_names[target])
    there = cells[target]
    return (
        target,
        (there[0] if there else None),
        words.gettext("at the start of %(stage)s", stage=stage_names[target]),
    )


def _with_spanning(grid, spanning, kind: ElementKind) -> list[list[Card]]:
    """A lane's cells with its spanning steps first in their first column."""
    cells = [list(cell) for cell in grid[kind]]
    for card in reversed(spanning[kind]):
        cells[card.start].insert(0, card)
    return cells


def _span_rows(cards: list[Card], columns: int) -> list[list[Segment]]:
    """Spanning steps packed into as few rows as fit (no two overlap in a row), widest
    first within a start column; each row filled out with one empty segment per column."""
    rows: list[list[Card]] = []
    for card in sorted(cards, key=lambda c: (c.start, -c.end, c.element.position, c.id)):
        for row in rows:
            if row[-1].end < card.start:
                row.append(card)
                break
        else:
            rows.append([card])
    out = []
    for row in rows:
        segments, column = [], 0
        for card in row:
            segments += [Segment(c, 1) for c in range(column, card.start)]
            segments.append(Segment(card.start, card.end - card.start + 1, card))
            column = card.end + 1
        segments += [Segment(c, 1) for c in range(column, columns)]
        out.append(segments)
    return out


def _catalog_row(
    catalog: list[Any], links: list[tuple[int, int, LinkKind]], cards: dict[int, Card]
) -> list[CatalogCard]:
    by_id = {c.id: c for c in catalog}
    outgoing: dict[int, list[tuple[str, Any]]] = {c.id: [] for c in catalog}
    direct: dict[int, int] = dict.fromkeys(by_id, 0)
    for source, target, kind in links:
        if not kind.is_dependency or target not in by_id:
            continue
        if source in by_id:
            outgoing[source].append((kind.label, by_id[target]))
        elif source in cards:
            direct[target] += 1
    return [
        CatalogCard(
            c, sorted(outgoing[c.id], key=lambda p: (p[0], p[1].title.lower())), direct[c.id]
        )
        for c in catalog
    ]


STEP = 110
MARGIN = 40
HEIGHT = 140


def emotion_curve(stages: Sequence[Any], customer_cells: Sequence[Sequence[Card]]) -> EmotionCurve:
    """Customer actions in journey order, plotted by emotion (-2 at the bottom, +2 at the
    top). Actions without an emotion are left out of the line."""
    points: list[EmotionPoint] = []
    marks: list[tuple[float, str]] = []
    slot = 0
    for stage, cell in zip(stages, customer_cells, strict=True):
        marks.append((MARGIN + slot * STEP, stage.name))
        for card in cell or []:
            emotion = card.element.emotion
            if emotion is not None:
                x = MARGIN + slot * STEP + STEP / 2
                y = _emotion_y(emotion)
                points.append(
                    EmotionPoint(
                        x, y, emotion, card.title, card.id, bool(card.element.moment_of_truth)
                    )
                )
            slot += 1
        if not cell:
            slot += 1
    width = int(MARGIN * 2 + max(slot, 1) * STEP)
    return EmotionCurve(
        width, HEIGHT, points, smooth_path([(p.x, p.y) for p in points]), marks, _emotion_y(0)
    )


def _emotion_y(emotion: int) -> float:
    top, bottom = 20, HEIGHT - 20
    return bottom - (emotion + 2) / 4 * (bottom - top)


def _segments(points: Sequence[tuple[float, float]]):
    """The Catmull-Rom spline through `points` as cubic Bézier segments (p1, c1, c2, p2)."""
    for i in range(len(points) - 1):
        p0 = points[i - 1] if i > 0 else points[i]
        p1, p2 = points[i], points[i + 1]
        p3 = points[i + 2] if i + 2 < len(points) else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        yield p1, c1, c2, p2


def smooth_path(points: Sequence[tuple[float, float]]) -> str:
    """A Catmull-Rom spline through `points` as SVG cubic Bézier segments."""
    if not points:
        return ""
    d = [f"M {points[0][0]:.1f} {points[0][1]:.1f}"]
    for _, c1, c2, p2 in _segments(points):
        d.append(f"C {c1[0]:.1f} {c1[1]:.1f}, {c2[0]:.1f} {c2[1]:.1f}, {p2[0]:.1f} {p2[1]:.1f}")
    return " ".join(d)


SAMPLES = 16  # points per Bézier segment when the curve is cut into stage columns


def emotion_columns(
    stages: Sequence[Any], customer_cells: Sequence[Sequence[Card]]
) -> list[StageCurve]:
    """The emotion curve cut into the board's stage columns. A point sits where its card
    is among the stage's customer actions (the i-th of n at (i + 1) / (n + 1) of the
    column's width), as in the SVG download; the curve is worked out in column widths and
    each column gets the part that crosses it."""
    located: list[tuple[float, int, EmotionPoint]] = []
    for s, cell in enumerate(customer_cells):
        for i, card in enumerate(cell):
            emotion = card.element.emotion
            if emotion is None:
                continue
            x = s + (i + 1) / (len(cell) + 1)
            mot = bool(card.element.moment_of_truth)
            point = EmotionPoint(x, _emotion_y(emotion), emotion, card.title, card.id, mot)
            located.append((x, s, point))
    curve = [(x, p.y) for x, _, p in located]
    samples = curve[:1]
    for p1, c1, c2, p2 in _segments(curve):
        for k in range(1, SAMPLES + 1):
            samples.append(_bezier(p1, c1, c2, p2, k / SAMPLES))
    return [
        StageCurve(
            stage,
            [StagePoint(round((x - s) * 100, 2), p) for x, at, p in located if at == s],
            _clipped_path(samples, s),
        )
        for s, stage in enumerate(stages)
    ]


def _bezier(p1, c1, c2, p2, t: float) -> tuple[float, float]:
    u = 1 - t
    return tuple(
        u**3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t**3 * d
        for a, b, c, d in zip(p1, c1, c2, p2, strict=True)
    )


def _clipped_path(samples: list[tuple[float, float]], column: int) -> str:
    """The part of the sampled curve between x = column and column + 1, as path data with
    x in percent of the column."""
    out: list[tuple[float, float]] = []
    for (x1, y1), (x2, y2) in zip(samples, samples[1:], strict=False):
        low, high = max(min(x1, x2), column), min(max(x1, x2), column + 1)
        if low > high or x1 == x2:
            continue
        for x in (low, high) if x1 < x2 else (high, low):
            y = y1 + (y2 - y1) * (x - x1) / (x2 - x1)
            if not out or out[-1] != (x, y):
                out.append((x, y))
    if len(out) < 2:
        return ""
    return "M " + " L ".join(f"{(x - column) * 100:.2f} {y:.1f}" for x, y in out)

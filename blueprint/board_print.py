"""The board on paper: A3 landscape, one sheet when it fits legibly, tiles when it does not.

Pure: no Flask, no database. `plan` lays the board's SVG drawing (`blueprint.board_svg`) out
for the page — a stage whose cells hold tall stacks of cards is split into columns side by
side until the drawing's shape suits a landscape sheet — and decides how it is printed:

- on **one sheet** when the drawing, scaled to fit the sheet, keeps its smallest text (the
  badges, the people and systems, the method's line names: 10 units in the drawing) at
  `MIN_TEXT_PT` or more;
- otherwise on **tiles**: as few A3 sheets as hold the drawing at that size or larger, laid out
  in a grid that overlaps by `OVERLAP_MM`; each sheet says which stages and lanes it shows,
  and carries cut marks halfway through each overlap, so cutting along them and butting the
  sheets together gives the board back.

The sheets are drawn by the board page's print stylesheet (no script needed) and by the
board's PDF job, from the same plan; the drawing itself is one SVG file each sheet shows a
part of.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from blueprint import board_svg
from blueprint.board import Board
from blueprint.board_svg import Header, Layout, Options
from blueprint.board_svg_parts import CARD_GAP, CARD_W, PAPER, SMALLEST_TEXT, place_catalog
from blueprint.kinds import LANES
from blueprint.words import ENGLISH, Words

MM = 96 / 25.4  # CSS pixels (SVG units at 100 %) per millimetre
PT = 96 / 72  # CSS pixels per point
PAGE_MM = (420, 297)  # A3 landscape
MARGIN_MM = 7  # inside what printers can print; the print stylesheet's @page says the same
LABEL_MM = 9  # a tile's label, above its part of the drawing (one sheet needs none)
FIGURE_MM = (PAGE_MM[0] - 2 * MARGIN_MM - 2, PAGE_MM[1] - 2 * MARGIN_MM - 2)  # one sheet
TILE_MM = (FIGURE_MM[0], FIGURE_MM[1] - LABEL_MM)
MIN_TEXT_PT = 5.0  # the smallest text on paper (badges; titles are 1.25 times as large)
MAX_SCALE = 1.5  # a small board is enlarged to fill the sheet, but not beyond this
OVERLAP_MM = 12
MAX_SHEETS = 48  # 8 × 6 A3 pages, 3.4 × 1.8 m: a larger board is printed smaller than legible
TITLE_LINES = 12  # on paper a card's title is printed whole (200 characters at most)

MIN_SCALE = MIN_TEXT_PT * PT / SMALLEST_TEXT


@dataclass
class Mark:
    """A cut mark on a tile, halfway through its overlap with the next tile: a dashed line
    across the drawing with solid ticks at its ends, and which page joins there. Numbers
    are in drawing units, as text for the template."""

    x1: str
    y1: str
    x2: str
    y2: str
    ticks: list[tuple[str, str, str, str]]
    words: str  # "page 2 →"
    text_x: str
    text_y: str
    anchor: str  # text-anchor: the words sit on the side of the page they name


@dataclass
class Sheet:
    number: int
    label: str  # on a tile: which page, which stages and lanes it shows
    box: tuple[float, float, float, float]  # x, y, width, height of the drawing shown
    band: tuple[float, float, float, float] = (0, 0, 0, 0)  # the part between its cut marks
    view_box: str = ""
    width_mm: str = ""
    height_mm: str = ""
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Plan:
    layout: Layout
    scale: float  # drawing units to CSS pixels on paper
    sheets: list[Sheet]
    across: int = 1
    down: int = 1
    note: str = ""  # what a tiled print says about itself, on its first page
    drawing_width: str = ""
    drawing_height: str = ""
    mark_stroke: str = ""  # a 0.3 mm line, in drawing units
    mark_dash: str = ""
    mark_font: str = ""  # `MIN_TEXT_PT`, in drawing units

    @property
    def tiled(self) -> bool:
        return len(self.sheets) > 1

    @property
    def smallest_pt(self) -> float:
        return SMALLEST_TEXT * self.scale / PT

    @property
    def summary(self) -> str:
        """What printing does with this board, for the page (in the layout's language)."""
        words = self.layout.options.words
        smallest = _decimal(words, self.smallest_pt)
        if not self.tiled:
            return words.gettext(
                "Printing puts the whole board on one A3 landscape page with the legend "
                "(smallest text %(smallest)s pt).",
                smallest=smallest,
            )
        return words.ngettext(
            "Printing puts this board on %(num)d A3 landscape page, "
            "%(across)d across and %(down)d down, so its smallest text stays at "
            "%(smallest)s pt (at least %(least)s pt); the pages overlap "
            "and carry cut marks and labels.",
            "Printing puts this board on %(num)d A3 landscape pages, "
            "%(across)d across and %(down)d down, so its smallest text stays at "
            "%(smallest)s pt (at least %(least)s pt); the pages overlap "
            "and carry cut marks and labels.",
            len(self.sheets),
            across=self.across,
            down=self.down,
            smallest=smallest,
            least=f"{MIN_TEXT_PT:g}",
        )


def _decimal(words: Words, value: float) -> str:
    """One decimal place, with the reader's decimal mark where `words` can format numbers
    (flask_babel: 5,2 in Polish), else 5.2."""
    fmt = getattr(words, "format_decimal", None)
    return fmt(round(value, 1), format="0.0") if fmt else f"{value:.1f}"


def _n(value: float, places: int = 1) -> str:
    words = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if words in ("", "-0") else words


def plan(board: Board, header: Header, words: Words = ENGLISH) -> Plan:
    """How `board` prints on A3 landscape (see the module's docstring), its text in the
    language of `words`."""
    measured: dict = {}  # cards wrap the same way in every layout below

    def lay_out(options: Options) -> Layout:
        return board_svg.layout(board, header, options, measured)

    base = lay_out(paper_options((), words))
    splits, predicted = choose_splits(board, header, base)
    could_fit = predicted >= MIN_SCALE * 0.97  # the model is right to a percent or two
    at = base
    if splits and could_fit:  # keep the split only if it really prints larger
        split = lay_out(paper_options(splits, words))
        if _fit(split.width, split.height) > _fit(base.width, base.height):
            at = split
    fit = min(_fit(at.width, at.height), MAX_SCALE)
    if fit >= MIN_SCALE:
        box = (0.0, 0.0, at.width, at.height)
        label = words.gettext("%(name)s: the whole board on one A3 page", name=header.name)
        sheet = Sheet(1, label, box, box)
        return _finish(Plan(at, fit, [sheet]))
    # tiles, with the split unless laying it out showed it prints smaller; they are cut
    # between columns, so a step over stages keeps its text in its first one
    keep = splits if (at is not base or not could_fit) else ()
    tiled = replace(paper_options(keep, words), narrow_spans=True)
    return _finish(_tiles(lay_out(tiled), header))


def _finish(p: Plan) -> Plan:
    """The numbers the template writes, as text."""
    p.drawing_width, p.drawing_height = _n(p.layout.width), _n(p.layout.height)
    unit = MM / p.scale  # a millimetre on paper, in drawing units
    p.mark_stroke, p.mark_dash = _n(0.3 * unit, 2), f"{_n(2 * unit, 2)} {_n(1.5 * unit, 2)}"
    p.mark_font = _n(MIN_TEXT_PT * PT / p.scale, 2)
    for sheet in p.sheets:
        x, y, w, h = sheet.box
        sheet.view_box = " ".join(_n(v) for v in sheet.box)
        sheet.width_mm, sheet.height_mm = _n(w * p.scale / MM, 2), _n(h * p.scale / MM, 2)
    return p


def paper_options(splits: tuple[int, ...], words: Words = ENGLISH) -> Options:
    return Options(splits, TITLE_LINES, PAPER, compact_top=True, in_columns=True, words=words)


def _fit(width: float, height: float) -> float:
    return min(FIGURE_MM[0] * MM / width, FIGURE_MM[1] * MM / height)


# -- splitting stages so the drawing suits the sheet --------------------------------------


def choose_splits(
    board: Board, header: Header, base: Layout | None = None
) -> tuple[tuple[int, ...], float]:
    """How many columns each stage gets on paper: first the best cap on how many cards a
    column stacks (the same for every stage), then greedily one more column for the stage
    that gains the print most, while the drawing grows larger on the sheet. Worked out on
    a model of the drawing (card heights from the layout without splits, `base`), so it
    stays quick. Returns the splits (empty: none) and the scale the model expects."""
    if not board.stages:
        return (), 0.0
    base = base or board_svg.layout(board, header, paper_options(()))
    model = _Model(board, header, base)
    splits = [1] * len(board.stages)
    best = model.scale(splits)
    tried = {tuple(splits)}
    for cap in range(1, max(model.tallest_stack) + 1):
        uniform = [max(1, math.ceil(t / cap)) for t in model.tallest_stack]
        if tuple(uniform) in tried:
            continue
        tried.add(tuple(uniform))
        scale = model.scale(uniform)
        if scale > best:
            best, splits = scale, uniform
    for _ in range(4 * len(board.stages)):
        tries = []
        for s in range(len(splits)):
            if splits[s] < model.tallest_stack[s]:
                splits[s] += 1
                tries.append((model.scale(splits), -s))
                splits[s] -= 1
        if not tries:
            break
        scale, minus_s = max(tries)
        if scale <= best * 1.001:
            break
        best = scale
        splits[-minus_s] += 1
    return (tuple(splits) if any(k > 1 for k in splits) else ()), best


class _Model:
    """The drawing's width and height for given splits, from a layout without any."""

    def __init__(self, board: Board, header: Header, base: Layout):
        self.board, self.header, self.base = board, header, base
        stages = len(board.stages)
        # a stage's lines keep their tracks when it is split, among its columns
        self.tracks = [base.col_w[base.stage_columns[s][0]] - CARD_W - 18 for s in range(stages)]
        self.cells: dict[tuple[int, int], list[float]] = {}
        self.spans = [0.0] * len(LANES)
        rows: dict[tuple[int, int], float] = {}
        for p in base.placed.values():
            if p.end > p.stage:
                key = (p.lane, p.row)
                rows[key] = max(rows.get(key, 0.0), p.height + CARD_GAP)
            else:
                self.cells.setdefault((p.lane, p.stage), []).append(p.height)
        for (lane, _), h in rows.items():
            self.spans[lane] += h
        self.tallest_stack = [
            max((len(self.cells.get((lane, s), [])) for lane in range(len(LANES))), default=1)
            for s in range(stages)
        ]
        lanes = sum(bottom - top for top, bottom in base.lane_y)
        # the curve, the stage heads and the gaps between lanes, as in the layout
        self.between = base.grid_bottom - base.heading_bottom - lanes
        self.right = base.width - (base.col_x[-1] + base.col_w[-1])

    def size(self, splits: list[int]) -> tuple[float, float]:
        base = self.base
        width = base.col_x[0] + sum(
            k * (CARD_W + 18) + t for t, k in zip(self.tracks, splits, strict=True)
        )
        width += self.right
        y = board_svg.heading(self.header, base.options, width)[2] + self.between
        for lane in range(len(LANES)):
            tallest = 0.0
            for s, k in enumerate(splits):
                heights = self.cells.get((lane, s), [])
                run = max(1, math.ceil(len(heights) / k))
                for i in range(0, len(heights), run):
                    chunk = heights[i : i + run]
                    tallest = max(tallest, sum(chunk) + CARD_GAP * len(chunk))
            y += CARD_GAP + max(tallest + self.spans[lane], 48)
        pad = base.options.frame.pad
        columns = list(range(sum(splits)))  # one person or system to a column
        catalog = place_catalog(self.board.catalog_row, base.col_x[0], width - pad, y, columns)
        if catalog:
            y = max(c[1] + c[3] for c in catalog) + CARD_GAP
        return width, y + pad

    def scale(self, splits: list[int]) -> float:
        return _fit(*self.size(splits))


# -- tiles ------------------------------------------------------------------------------


def _tiles(at: Layout, header: Header) -> Plan:
    """As few sheets as hold the drawing at the smallest legible size, then as large as the
    same number of sheets allows. Pages are cut between stage columns and between lanes, so
    every step is whole on one page; each page also shows `OVERLAP_MM` of its neighbours."""
    words = at.options.words
    xs = at.col_x[1:]  # between columns
    ys = [at.stage_top, *(at.gap_y[i] for i in range(1, len(LANES))), at.grid_bottom]
    catalog_rows = sorted({box[1] for box in at.catalog})
    ys += [top - CARD_GAP / 2 for top in catalog_rows[1:]]  # between rows of people and systems

    def bands(scale: float) -> tuple[list, list]:
        view_w, view_h = TILE_MM[0] * MM / scale, TILE_MM[1] * MM / scale
        overlap = OVERLAP_MM * MM / scale
        return _bands(xs, at.width, view_w, overlap), _bands(ys, at.height, view_h, overlap)

    def pages(scale: float) -> int:
        columns, rows = bands(scale)
        return len(columns) * len(rows)

    least = MIN_SCALE
    if pages(least) > MAX_SHEETS:  # too large to print legibly: as legible as 48 pages allow
        low, high = 0.01, MIN_SCALE
        for _ in range(30):
            middle = (low + high) / 2
            low, high = (middle, high) if pages(middle) <= MAX_SHEETS else (low, middle)
        least = low
    across, down = (len(b) for b in bands(least))
    low, high = least, MAX_SCALE
    for _ in range(30):  # the largest scale that still needs no more pages
        middle = (low + high) / 2
        if tuple(len(b) for b in bands(middle)) == (across, down):
            low = middle
        else:
            high = middle
    scale = low
    columns, rows = bands(scale)
    view_w, view_h = TILE_MM[0] * MM / scale, TILE_MM[1] * MM / scale
    overlap = OVERLAP_MM * MM / scale
    unit = MM / scale
    total = across * down
    sheets = []
    for row, (top, bottom) in enumerate(rows):
        for col, (left, right) in enumerate(columns):
            number = row * across + col + 1
            box = (max(0.0, left - overlap), max(0.0, top - overlap), view_w, view_h)
            marks = []
            if col > 0:
                marks.append(_mark(box, True, left, number - 1, False, unit, words))
            if col < across - 1:
                marks.append(_mark(box, True, right, number + 1, True, unit, words))
            if row > 0:
                marks.append(_mark(box, False, top, number - across, False, unit, words))
            if row < down - 1:
                marks.append(_mark(box, False, bottom, number + across, True, unit, words))
            band = (left, top, right - left, bottom - top)
            label = _label(at, header, number, total, band)
            sheets.append(Sheet(number, label, box, band, marks=marks))
    join = words.gettext(
        "%(across)d across and %(down)d down: cut each page along its dashed cut marks and "
        "butt the pages together (each shows %(overlap)s mm of its neighbours beyond the "
        "marks).",
        across=across,
        down=down,
        overlap=OVERLAP_MM,
    )
    if least < MIN_SCALE:
        smallest = SMALLEST_TEXT * scale / PT
        note = words.gettext(
            "This board is too large to print legibly on %(most)d A3 pages: it prints on "
            "%(total)d pages with its smallest text at %(smallest)s pt, under "
            "%(least)s pt (Download SVG to zoom into it instead), %(join)s",
            most=MAX_SHEETS,
            total=total,
            smallest=_decimal(words, smallest),
            least=f"{MIN_TEXT_PT:g}",
            join=join,
        )
    else:
        note = words.gettext(
            "This board is too large for one A3 page with its smallest text at "
            "%(least)s pt, so it prints on %(total)d pages, %(join)s",
            least=f"{MIN_TEXT_PT:g}",
            total=total,
            join=join,
        )
    return Plan(at, scale, sheets, across, down, note)


def _bands(cuts: list[float], length: float, view: float, overlap: float) -> list:
    """Split [0, length] at some of `cuts` into bands that each fit a view of `view` with
    `overlap` beyond every inner cut, as few as possible (greedy: each band as long as it
    can be). Where no cut fits, the band is cut through whatever is there."""
    out, start = [], 0.0
    while True:
        room = view - (overlap if start > 0 else 0.0)  # the overlap before the band
        if length - start <= room:
            out.append((start, length))
            return out
        fitting = [c for c in cuts if start < c <= start + room - overlap]
        end = max(fitting) if fitting else start + room - overlap
        out.append((start, end))
        start = end


def _mark(
    box,
    vertical: bool,
    at: float,
    neighbour: int,
    after: bool,
    unit: float,
    words: Words = ENGLISH,
) -> Mark:
    """A cut mark at `at` on the tile `box`, the `neighbour` page after it (right or below)
    or before it; `unit` is a millimetre on paper."""
    x, y, w, h = box
    tick = 6 * unit
    if vertical:
        ends = (at, y, at, y + h)
        ticks = [(at, y, at, y + tick), (at, y + h - tick, at, y + h)]
        page = words.gettext("page %(num)d", num=neighbour)
        text = f"{page} →" if after else f"← {page}"
        tx, ty = at + (1.5 * unit if after else -1.5 * unit), y + tick + 4 * unit
        anchor = "start" if after else "end"
    else:
        ends = (x, at, x + w, at)
        ticks = [(x, at, x + tick, at), (x + w - tick, at, x + w, at)]
        page = words.gettext("page %(num)d", num=neighbour)
        text = f"{page} ↓" if after else f"{page} ↑"
        tx, ty = x + tick + 2 * unit, at + (4 * unit if after else -1.5 * unit)
        anchor = "start"
    return Mark(
        *(_n(v) for v in ends),
        ticks=[tuple(_n(v) for v in t) for t in ticks],
        words=text,
        text_x=_n(tx),
        text_y=_n(ty),
        anchor=anchor,
    )


def _label(at: Layout, header: Header, number: int, total: int, band) -> str:
    """What a page shows, from its part of the drawing between the cut marks."""
    _ = at.options.words.gettext
    x, y, w, h = band
    stages = [s for s in range(len(at.board.stages)) if _shows(at.stage_x(s), (x, x + w))]
    lanes = [i for i, span in enumerate(at.lane_y) if _shows(span, (y, y + h))]
    parts = [
        _("%(name)s: page %(number)d of %(total)d", name=header.name, number=number, total=total)
    ]
    if stages:
        first, last = stages[0], stages[-1]
        if first == last:
            parts.append(
                _("stage %(number)d (%(name)s)", number=first + 1, name=at.board.stages[first].name)
            )
        else:
            parts.append(
                _(
                    "stages %(first)d–%(last)d (%(name)s to %(other)s)",
                    first=first + 1,
                    last=last + 1,
                    name=at.board.stages[first].name,
                    other=at.board.stages[last].name,
                )
            )
    if lanes:
        if lanes[-1] != lanes[0]:
            lane_words = _(
                "lanes %(first)s to %(last)s",
                first=LANES[lanes[0]].label,
                last=LANES[lanes[-1]].label,
            )
        else:
            lane_words = _("lane %(name)s", name=LANES[lanes[0]].label)
        parts.append(lane_words)
    elif y + h <= at.stage_top:
        parts.append(_("the heading and the emotion curve"))
    if at.catalog and y + h > at.grid_bottom + 20:
        parts.append(_("people and systems"))
    return parts[0] + (": " + ", ".join(parts[1:]) if parts[1:] else "")


def _shows(span: tuple[float, float], window: tuple[float, float]) -> bool:
    """Is a fair part of `span` (a third, or 40 units) inside `window`?"""
    inside = min(span[1], window[1]) - max(span[0], window[0])
    return inside > min(40.0, (span[1] - span[0]) / 3)


def draw(p: Plan) -> str:
    """The drawing every sheet shows a part of, as SVG text."""
    return board_svg.draw(p.layout)

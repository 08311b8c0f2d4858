"""The board on paper (blueprint/board_print.py) and the emotion curve under the board's
stage columns: pure, no app."""

from __future__ import annotations

import re
from types import SimpleNamespace as NS

import pytest

from blueprint import board_print, board_svg
from blueprint.board import build_board
from blueprint.models import LANES, ElementKind, LinkKind
from tests.helpers import SVG, busy_board, card_boxes, crosses, parse, segments, step

HEADER = board_svg.Header("Busy", ["Current state", "Goal: fewer calls"])
MM = 96 / 25.4


def big_board(stages=12, per_cell=3):
    """Every cell of `stages` stages holds `per_cell` steps, each relying on the one below."""
    columns = [NS(id=100 + i, name=f"Stage {i + 1}") for i in range(stages)]
    elements, links = [], []
    for kind in LANES:
        for stage in columns:
            for position in range(per_cell):
                n = len(elements) + 1
                elements.append(step(n, stage.id, kind, f"{kind.label} step {n}", position))
                if kind is not LANES[0]:
                    links.append((n, n - stages * per_cell, LinkKind.RELIES_ON))
    return build_board(columns, elements, links, []), elements


def test_a_small_board_prints_whole_on_one_sheet_at_a_legible_size():
    stages = [NS(id=1, name="Order"), NS(id=2, name="Deliver")]
    board = build_board(stages, [step(1, 1, ElementKind.CUSTOMER_ACTION, "Orders")], [], [])
    plan = board_print.plan(board, HEADER)
    assert not plan.tiled and len(plan.sheets) == 1
    (sheet,) = plan.sheets
    assert sheet.box == (0, 0, plan.layout.width, plan.layout.height)
    assert plan.smallest_pt >= board_print.MIN_TEXT_PT
    assert plan.scale <= board_print.MAX_SCALE  # a tiny board is not blown up without end
    width, height = float(sheet.width_mm), float(sheet.height_mm)
    assert width <= board_print.FIGURE_MM[0] + 0.01 and height <= board_print.FIGURE_MM[1] + 0.01
    assert "one A3 landscape page" in plan.summary


def test_a_tall_stack_is_split_into_columns_so_the_board_prints_larger():
    board, _, _ = busy_board(per_cell=(4, 5, 6))
    plan = board_print.plan(board, HEADER)
    assert any(k > 1 for k in plan.layout.options.splits)
    unsplit = board_svg.layout(board, HEADER, board_print.paper_options(()))
    assert plan.scale > board_print._fit(unsplit.width, unsplit.height) * 1.1


@pytest.mark.parametrize(
    "per_cell, spans", [((1, 2, 3), True), ((4, 5, 6), False)], ids=["spans", "tall stacks"]
)
@pytest.mark.parametrize("splits", [None, (2, 2, 2, 2, 2), (3, 1, 2, 1, 3)])
def test_split_stages_keep_every_card_and_line_and_no_line_crosses_a_card(per_cell, spans, splits):
    board, elements, links = busy_board(per_cell=per_cell, spans=spans)
    if splits is None:  # what the print chooses
        splits, _ = board_print.choose_splits(board, HEADER)
        assert splits
    root = parse(board_svg.render(board, HEADER, board_svg.Options(splits)))
    boxes = card_boxes(root)
    assert set(boxes) == {e.id for e in elements}
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == "connector"]
    assert {(int(p.get("data-source")), int(p.get("data-target"))) for p in paths} == {
        (s, t) for s, t, _ in links
    }
    for path in paths:
        for segment in segments(path.get("d")):
            assert [i for i, box in boxes.items() if crosses(segment, box)] == []


@pytest.mark.parametrize("splits", [(2, 1, 3, 1, 2), (3, 3, 3, 3, 3)])
def test_cards_of_a_split_stage_stay_inside_its_columns_in_reading_order(splits):
    board, _, _ = busy_board(per_cell=(3, 5))
    at = board_svg.layout(board, HEADER, board_svg.Options(splits))
    for lane in board.lanes:
        for s, cell in enumerate(lane.cells):
            left, right = at.stage_x(s)
            placed = [at.placed[c.id] for c in cell]
            assert all(left <= p.x and p.x + p.width <= right for p in placed)
            # top to bottom, then the next column to the right
            assert placed == sorted(placed, key=lambda p: (p.x, p.y))
    heads = [t for t in parse(board_svg.draw(at)).iter(f"{SVG}g") if t.get("class") == "stage-head"]
    assert len(heads) == len(board.stages)  # one head over each stage's columns


def test_titles_print_whole_where_the_download_shortens_them():
    stages = [NS(id=1, name="A")]
    title = "Reconcile the supplier's invoices against the delivery notes " * 3
    board = build_board(stages, [step(1, 1, ElementKind.BACKSTAGE, title)], [], [])
    root = parse(board_print.draw(board_print.plan(board, HEADER)))
    card = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "el-1")
    lines = [t.text for t in card.iter(f"{SVG}text") if t.get("class") == "card-title"]
    assert " ".join(lines) == title.strip() and not lines[-1].endswith("…")


def test_a_board_too_large_for_one_sheet_is_tiled_with_labels_overlaps_and_cut_marks():
    board, _ = big_board()
    plan = board_print.plan(board, HEADER)
    at = plan.layout
    assert plan.tiled and len(plan.sheets) == plan.across * plan.down > 1
    assert plan.smallest_pt >= board_print.MIN_TEXT_PT  # that is why it is tiled
    assert board_print._fit(at.width, at.height) < board_print.MIN_SCALE
    total = len(plan.sheets)
    overlap = board_print.OVERLAP_MM * MM / plan.scale
    # the parts between the cut marks make up the drawing, each page showing its part and
    # at least OVERLAP_MM of its neighbours beyond its marks
    lefts = sorted({s.band[0] for s in plan.sheets})
    tops = sorted({s.band[1] for s in plan.sheets})
    assert lefts[0] == 0 and tops[0] == 0
    for sheet in plan.sheets:
        x, y, w, h = sheet.band
        bx, by, bw, bh = sheet.box
        assert bx <= max(0, x - overlap) + 0.01 and by <= max(0, y - overlap) + 0.01
        assert x + w + (overlap if x + w < at.width - 0.01 else 0) <= bx + bw + 0.01
        assert y + h + (overlap if y + h < at.height - 0.01 else 0) <= by + bh + 0.01
        assert x + w in [*lefts[1:], at.width] and y + h in [*tops[1:], at.height]
        assert float(sheet.width_mm) <= board_print.TILE_MM[0] + 0.01
        assert float(sheet.height_mm) <= board_print.TILE_MM[1] + 0.01
    # cut between stage columns and between lanes: every step is whole on one page
    for p in at.placed.values():
        holding = [
            s.number
            for s in plan.sheets
            if s.band[0] <= p.x
            and p.x + p.width <= s.band[0] + s.band[2]
            and s.band[1] <= p.y
            and p.y + p.height <= s.band[1] + s.band[3]
        ]
        assert len(holding) == 1, (p.card.title, holding)
    for sheet in plan.sheets:
        assert re.match(rf"Busy: page {sheet.number} of {total}: stages? \d+", sheet.label)
        assert re.search(r"stages \d+–\d+ \(Stage \d+ to Stage \d+\)", sheet.label)
        assert "lane" in sheet.label or "heading" in sheet.label
        x, y, w, h = sheet.band
        row, col = divmod(sheet.number - 1, plan.across)
        expected = {
            (f"← page {sheet.number - 1}", str(x)) if col > 0 else None,
            (f"page {sheet.number + 1} →", str(x + w)) if col < plan.across - 1 else None,
            (f"page {sheet.number - plan.across} ↑", str(y)) if row > 0 else None,
            (f"page {sheet.number + plan.across} ↓", str(y + h)) if row < plan.down - 1 else None,
        } - {None}
        marks = {(m.words, str(float(m.x1) if m.x1 == m.x2 else float(m.y1))) for m in sheet.marks}
        assert {w for w, _ in marks} == {w for w, _ in expected}
        for (words, at_mark), (_, at_band) in zip(sorted(marks), sorted(expected), strict=True):
            assert float(at_mark) == pytest.approx(float(at_band), abs=0.06), words
    assert f"on {total} pages" in plan.note and f"{board_print.MIN_TEXT_PT:g} pt" in plan.note
    assert f"{total} A3 landscape pages" in plan.summary


def test_butting_the_tiles_at_their_cut_marks_gives_the_board_back():
    board, _ = big_board(stages=16)
    plan = board_print.plan(board, HEADER)
    across = [s for s in plan.sheets if s.number <= plan.across]
    cuts = []
    for left, right in zip(across, across[1:], strict=False):
        (a,) = [float(m.x1) for m in left.marks if m.x1 == m.x2 and m.words.endswith("→")]
        (b,) = [float(m.x1) for m in right.marks if m.x1 == m.x2 and m.words.startswith("←")]
        assert a == b  # both pages mark the same cut
        assert a in [pytest.approx(x, abs=0.06) for x in plan.layout.col_x]  # between columns
        cuts.append(a)
    assert cuts == sorted(cuts) and len(cuts) == plan.across - 1


# -- the emotion curve under the stage columns ---------------------------------------------


def test_emotion_points_sit_in_their_own_stage_column_where_their_cards_are():
    C = ElementKind.CUSTOMER_ACTION
    stages = [NS(id=1, name="A"), NS(id=2, name="B"), NS(id=3, name="C")]
    elements = [
        step(1, 1, C, "first", 0, emotion=2),
        step(2, 1, C, "no feeling", 1),
        step(3, 1, C, "third", 2, emotion=-1),
        step(4, 3, C, "late", 0, emotion=-2, moment_of_truth=True),
    ]
    columns = build_board(stages, elements, [], []).emotion_columns
    assert [c.stage.name for c in columns] == ["A", "B", "C"]
    assert [(p.point.title, p.x) for p in columns[0].points] == [("first", 25), ("third", 75)]
    assert columns[1].points == []
    assert [(p.point.title, p.x) for p in columns[2].points] == [("late", 50)]
    assert columns[2].points[0].point.moment_of_truth
    # the curve runs on through the column without points, and joins at each border
    ends = []
    for column in columns:
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", column.path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert all(0 <= x <= 100 for x in xs)
        ends.append((xs[0], ys[0], xs[-1], ys[-1]))
    assert ends[0][2] == 100 and ends[1][0] == 0 and ends[1][2] == 100 and ends[2][0] == 0
    assert ends[0][3] == pytest.approx(ends[1][1], abs=0.1)
    assert ends[1][3] == pytest.approx(ends[2][1], abs=0.1)
    assert ends[0][0] == 25 and ends[2][2] == 50  # from the first point to the last


def test_without_emotions_there_is_no_curve():
    stages = [NS(id=1, name="A")]
    board = build_board(stages, [step(1, 1, ElementKind.CUSTOMER_ACTION, "calm")], [], [])
    assert [(c.points, c.path) for c in board.emotion_columns] == [([], "")]

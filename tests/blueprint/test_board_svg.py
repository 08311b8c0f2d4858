"""The board as a standalone SVG: what a user opens in a browser or a vector editor."""

from __future__ import annotations

import base64
import io
import re
from types import SimpleNamespace as NS

import pytest
from fontTools.ttLib import TTFont

from blueprint import board_svg
from blueprint.board import build_board
from blueprint.models import ElementKind, LinkKind
from tests import factories as f
from tests.helpers import SVG, busy_board, card_boxes, crosses, parse, segments, step


@pytest.mark.parametrize("spans", [False, True], ids=["one stage each", "spanning steps"])
def test_a_busy_board_draws_every_dependency_without_crossing_a_card(spans):
    board, elements, links = busy_board(spans=spans)
    if spans:  # spanning steps are drawn over their columns
        wide = [s for s in board.slots().values() if s.end > s.stage]
        assert len(wide) >= 8 and any(s.end - s.stage == 4 for s in wide)
    assert board.card_count >= 40
    root = parse(board_svg.render(board, board_svg.Header("Busy", ["Current state"])))
    boxes = card_boxes(root)
    assert set(boxes) == {e.id for e in elements}
    paths = [p for p in root.iter(f"{SVG}path") if p.get("class") == "connector"]
    drawn = {(int(p.get("data-source")), int(p.get("data-target"))) for p in paths}
    assert drawn == {(s, t) for s, t, _ in links}
    assert len(paths) == len(drawn)
    for path in paths:
        ends = {int(path.get("data-source")), int(path.get("data-target"))}
        for segment in segments(path.get("d")):
            hit = [i for i, box in boxes.items() if crosses(segment, box)]
            assert hit == [], f"{path.get('d')} crosses cards {hit} (ends {ends})"
        assert path.get("marker-end") == "url(#arrow)"


@pytest.mark.parametrize("spans", [False, True], ids=["one stage each", "spanning steps"])
def test_lines_on_a_busy_board_each_keep_their_own_track(spans):
    """Between leaving one card and entering another, no two lines run along each other."""
    board, _, _ = busy_board(spans=spans)
    root = parse(board_svg.render(board, board_svg.Header("Busy", [])))
    runs = []  # (line, orientation, fixed coordinate, start, end)
    for n, path in enumerate(p for p in root.iter(f"{SVG}path") if p.get("class") == "connector"):
        for (x1, y1), (x2, y2) in segments(path.get("d"))[1:-1]:
            if y1 == y2:
                runs.append((n, "h", y1, min(x1, x2), max(x1, x2)))
            else:
                runs.append((n, "v", x1, min(y1, y2), max(y1, y2)))
    assert len(runs) > 60
    shared = [
        (a, b)
        for i, a in enumerate(runs)
        for b in runs[i + 1 :]
        if a[0] != b[0]
        and a[1] == b[1]
        and abs(a[2] - b[2]) < 1
        and min(a[4], b[4]) - max(a[3], b[3]) > 1
    ]
    assert shared == []


def test_user_text_is_escaped_and_characters_xml_cannot_hold_are_dropped():
    stages = [NS(id=1, name='Order <b> & "quote"')]
    evil = step(1, 1, ElementKind.CUSTOMER_ACTION, '=HYPERLINK("x") <script>\x01alert(1)</script>')
    svg = board_svg.render(build_board(stages, [evil], [], []), board_svg.Header("A & B", []))
    root = parse(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert 'Order <b> & "quote"' in texts
    assert "A & B" in texts
    card = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "el-1")
    assert card.find(f"{SVG}title").text == '=HYPERLINK("x") <script>alert(1)</script>'
    assert "&lt;script&gt;" in svg
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))


def test_long_titles_wrap_inside_the_card_and_end_with_an_ellipsis():
    stages = [NS(id=1, name="A")]
    long = step(1, 1, ElementKind.BACKSTAGE, "Reconcile " * 30)
    root = parse(board_svg.render(build_board(stages, [long], [], []), board_svg.Header("X", [])))
    card = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "el-1")
    lines = [t.text for t in card.iter(f"{SVG}text") if t.get("class") == "card-title"]
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert card.find(f"{SVG}title").text.strip() == ("Reconcile " * 30).strip()


def test_download_svg_is_standalone_with_its_styles_and_font(client, world, login, bmap):
    login(world.viewer)
    f.link(bmap.desk, bmap.backoffice)  # a dependency between two cards on the board
    f.commit()
    response = client.get(f"/blueprints/{bmap.blueprint.id}/board.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Disposition"] == "attachment; filename=order-to-cash-board.svg"
    svg = response.get_data(as_text=True)
    root = parse(svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    for title in ("Order to cash", "Order", "Deliver", "Places order", "Desk confirms"):
        assert title in texts
    assert "Person · Service desk" in texts and "System · ERP" in texts
    assert "⚠ Fail point" in texts
    connectors = [p for p in root.iter(f"{SVG}path") if p.get("class") == "connector"]
    pairs = {(int(p.get("data-source")), int(p.get("data-target"))) for p in connectors}
    assert pairs == {(bmap.buyer.id, bmap.desk.id), (bmap.desk.id, bmap.backoffice.id)}

    # nothing outside the file: no links, images or scripts, and no address but the namespace
    assert not [e for e in root.iter() if any("href" in a for a in e.attrib)]
    assert re.findall(r"https?://[^\s\"')]+", svg) == ["http://www.w3.org/2000/svg"]
    style = root.find(f"{SVG}style").text
    assert ".connector" in style and ".card-title" in style
    fonts = re.findall(
        r"font-weight:(\d+);font-style:normal;src:url\(data:font/ttf;base64,([^)]+)\)", style
    )
    assert {w for w, _ in fonts} == {"400", "700"}
    drawn_in = {"700": "Places order Desk confirms ⚠ Fail point", "400": "Person · Service desk"}
    for weight, data in fonts:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        cmap = font.getBestCmap()
        assert all(ord(ch) in cmap for ch in drawn_in[weight])
        assert len(cmap) < 120  # a subset of what is drawn, not the whole font
        assert "DejaVu" in font["name"].getDebugName(1)
        assert "Bitstream" in font["name"].getDebugName(0)  # the licence's notice travels


def test_board_svg_of_another_workspace_is_not_found(client, world, login, bmap):
    login(world.outsider)
    assert client.get(f"/blueprints/{bmap.blueprint.id}/board.svg").status_code == 404


def test_a_spanning_card_is_as_wide_as_its_stages_and_the_catalog_row_lists_what_it_reaches():
    stages = [NS(id=1, name="Arrive"), NS(id=2, name="Order"), NS(id=3, name="Eat")]
    greet = step(1, 1, ElementKind.FRONTSTAGE, "Greet and seat", end_stage_id=2)
    policy = step(2, 3, ElementKind.SUPPORT, "Food safety policy", all_stages=True)
    walk = step(3, 1, ElementKind.CUSTOMER_ACTION, "Walks in")
    pos = NS(id=50, kind=ElementKind.SYSTEM, title="Till", fail_point=False, fail_note="")
    db = NS(id=51, kind=ElementKind.SYSTEM, title="Stock database", fail_point=True, fail_note="")
    links = [
        (3, 1, LinkKind.RELIES_ON),
        (1, 2, LinkKind.RELIES_ON),
        (1, 50, LinkKind.USES),
        (50, 51, LinkKind.USES),
    ]
    board = build_board(stages, [greet, policy, walk], links, [pos, db])
    root = parse(board_svg.render(board, board_svg.Header("Dinner", [])))
    boxes = card_boxes(root)
    assert boxes[1][2] > 2 * boxes[3][2]  # greet covers two columns, a one-stage step one
    assert boxes[2][2] > 2.5 * boxes[3][2]  # the policy covers all three
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "People and systems" in " ".join(texts)
    assert "System · Stock database" in texts and "no step here relies on it directly" in texts
    assert "uses Stock database" in texts and "1 step here relies on it" in texts
    assert "↔ Spans stages" in texts and "↔ All stages" in texts

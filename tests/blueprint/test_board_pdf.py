"""The board on paper: the page's print of the server-drawn board, its drawing, and the
board's PDF (a job from the button, like the summary's; `board.pdf` directly, for scripts)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from blueprint.sharing import services as sharing
from devsupport.synthetic import build_blueprint
from extensions import db
from tests import factories as f

needs_chromium = pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium")
A3_LANDSCAPE = (1191, 842)  # points


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def pdf_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text with every run of white space one space (titles wrap in cards)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    path = tmp_path / "board.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True)
    return " ".join(out.stdout.split())


def page_size(pdf: bytes) -> tuple[int, int]:
    box = re.search(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    return round(float(box.group(1))), round(float(box.group(2)))


def test_the_board_prints_its_server_drawn_board_and_offers_a_pdf(client, world, login, bmap):
    login(world.viewer)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert f'action="/blueprints/{bmap.blueprint.id}/board/pdf"' in page and "Download PDF" in page
    printed = page.split('<div class="board-print"')[1]
    assert printed.count('<section class="print-sheet') == 1
    assert f'<image href="/blueprints/{bmap.blueprint.id}/board-print.svg"' in printed
    assert "Printing puts the whole board on one A3 landscape page" in page
    assert 'class="list-inline-item no-print">Hover or focus a step' in page  # a working note


def test_a_change_on_the_board_answers_with_its_print_drawn_anew(client, world, login, bmap):
    login(world.editor)
    first = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    before = re.search(r'<image href="([^"]+)"', first).group(1)
    response = client.post(
        f"/blueprints/{bmap.blueprint.id}/board/steps",
        data={"stage_id": bmap.stages[0].id, "kind": "customer_action", "title": "Signs it"},
        headers={"X-Rootline-Board": "1"},
    )
    assert response.status_code == 200
    answer = response.get_data(as_text=True)
    printed = answer.split('<div class="board-print" id="board-print"')[1]  # the script swaps it
    after = re.search(r'<image href="([^"]+)"', printed).group(1)
    assert after != before and after.startswith(
        f"/blueprints/{bmap.blueprint.id}/board-print.svg?v="
    )
    assert ">Signs it<" in client.get(after).get_data(as_text=True)


def test_the_print_drawing_is_an_image_with_every_card_and_its_own_policy(
    client, world, login, bmap
):
    login(world.viewer)
    response = client.get(f"/blueprints/{bmap.blueprint.id}/board-print.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "Content-Disposition" not in response.headers  # shown, not downloaded
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    svg = response.get_data(as_text=True)
    for title in ("Order to cash", "Places order", "Desk confirms", "Allocate stock", "Legend"):
        assert f">{title}<" in svg
    assert "Printed from Rootline on" in svg


def test_a_board_opened_through_a_share_link_prints_its_drawing_through_the_link(
    client, world, bmap
):
    _, token = sharing.create(bmap.blueprint, world.owner, 30, "")
    f.commit()
    page = client.get(f"/s/{token}/").get_data(as_text=True)  # nobody logged in
    printed = page.split('<div class="board-print"')[1]
    assert f'<image href="/s/{token}/board-print.svg"' in printed
    assert "/blueprints/" not in printed and "Download PDF" not in page.split("<main")[1]
    response = client.get(f"/s/{token}/board-print.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert ">Places order<" in response.get_data(as_text=True)


def test_a_board_too_large_for_one_page_prints_on_labelled_tiles(client, world, login):
    blueprint = build_blueprint(world.workspace.id, 160, 240, stages=12, seed=5, name="Big")
    db.session.commit()
    login(world.viewer)
    page = client.get(f"/blueprints/{blueprint.id}").get_data(as_text=True)
    sheets = page.split('<div class="board-print"')[1].split('<section class="print-sheet is-tile"')
    total = len(sheets) - 1
    assert total > 1
    for number, sheet in enumerate(sheets[1:], start=1):
        assert re.search(rf"Big: page {number} of {total}: stages? \d+", sheet)
        assert 'class="cut-mark"' in sheet and "✂ page " in sheet
    assert f"so it prints on {total} pages" in sheets[1]  # the print says so, on page 1
    assert f"Printing puts this board on {total} A3 landscape pages" in page


@needs_chromium
def test_board_pdf_is_one_a3_landscape_page_with_every_card(client, world, login, bmap, tmp_path):
    login(world.viewer)
    response = client.get(f"/blueprints/{bmap.blueprint.id}/board.pdf")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "order-to-cash-board.pdf" in response.headers["Content-Disposition"]
    assert pdf_pages(response.data) == 1 and page_size(response.data) == A3_LANDSCAPE
    text = pdf_text(response.data, tmp_path)
    for title in ("Order to cash", "Places order", "Desk confirms", "Allocate stock", "Legend"):
        assert title in text


def test_without_chromium_the_board_pdf_is_a_503_with_advice(
    client, world, login, bmap, monkeypatch
):
    monkeypatch.setattr("pdfprint.chromium", lambda: None)
    login(world.viewer)
    response = client.get(f"/blueprints/{bmap.blueprint.id}/board.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "needs Chromium on the server" in page and "Print the board from your browser" in page


@needs_chromium
def test_the_board_prints_its_pdf_as_a_job_with_every_card_title(
    client, world, login, bmap, tmp_path
):
    titles = [f"Step {n} of the order, with a longer title to wrap" for n in range(12)]
    for n, title in enumerate(titles):
        f.make_element(bmap.stages[n % 2], ["frontstage", "backstage"][n % 3 % 2], title)
    f.commit()
    login(world.viewer)  # reading is enough
    started = client.post(f"/blueprints/{bmap.blueprint.id}/board/pdf")
    assert started.status_code == 303 and started.location.startswith("/jobs/")
    assert "Download" in client.get(started.location).get_data(as_text=True)
    state = client.get(started.location + ".json").get_json()
    assert state["status"] == "done", state
    assert state["step"] == "order-to-cash-board.pdf is ready"
    download = client.get(state["download"])
    assert download.mimetype == "application/pdf" and download.data.startswith(b"%PDF")
    assert "order-to-cash-board.pdf" in download.headers["Content-Disposition"]
    assert pdf_pages(download.data) == 1 and page_size(download.data) == A3_LANDSCAPE
    text = pdf_text(download.data, tmp_path)
    for title in [*titles, "Places order", "Desk confirms", "Allocate stock"]:
        assert title in text, title
    assert "Hover or focus" not in text


def test_without_chromium_the_board_pdf_job_fails_with_advice_and_a_way_back(
    client, world, login, bmap, monkeypatch
):
    monkeypatch.setattr("pdfprint.chromium", lambda: None)
    login(world.viewer)
    started = client.post(f"/blueprints/{bmap.blueprint.id}/board/pdf")
    state = client.get(started.location + ".json").get_json()
    assert state["status"] == "failed" and state["download"] is None
    assert "needs Chromium on the server" in state["message"]
    assert "Print the board from your browser" in state["message"]
    assert state["next"] == f"/blueprints/{bmap.blueprint.id}"


def test_outsiders_cannot_print_a_board(client, world, login, bmap):
    login(world.outsider)
    blueprint_id = bmap.blueprint.id
    assert client.post(f"/blueprints/{blueprint_id}/board/pdf").status_code == 404
    assert client.get(f"/blueprints/{blueprint_id}/board.pdf").status_code == 404
    assert client.get(f"/blueprints/{blueprint_id}/board-print.svg").status_code == 404

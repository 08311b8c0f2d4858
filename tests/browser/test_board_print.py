"""Printing the board as a user's Print → Save as PDF does (print media, A3 landscape), with
JavaScript and without; and the emotion curve under the board's stage columns."""

from __future__ import annotations

import re
import shutil
import subprocess
from types import SimpleNamespace as NS

import pytest
from sqlalchemy import select

from accounts.models import Workspace
from blueprint.kinds import LANES
from blueprint.models import Element, ServiceBlueprint
from demo import DEMO_PASSWORD, DEMO_WORKSPACE, seed_demo
from devsupport.synthetic import build_blueprint
from extensions import db
from tests import factories as f
from tests.helpers import log_in

A3_LANDSCAPE = (1191, 842)  # points


def pdftotext(pdf: bytes, tmp_path, page: int | None = None) -> str:
    """The PDF's text (of one page), every run of white space one space."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    path = tmp_path / "print.pdf"
    path.write_bytes(pdf)
    pages = ["-f", str(page), "-l", str(page)] if page else []
    out = subprocess.run(
        ["pdftotext", "-raw", *pages, str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(out.stdout.split())


def pages_of(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def is_a3_landscape(pdf: bytes) -> bool:
    """Every page 420 × 297 mm, to a point (browsers round A3's 841.9 pt either way)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)", pdf)
    sizes = {(float(w), float(h)) for w, h in boxes}
    return bool(sizes) and all(
        abs(w - A3_LANDSCAPE[0]) <= 1 and abs(h - A3_LANDSCAPE[1]) <= 1 for w, h in sizes
    )


def save_as_pdf(tab, url: str) -> bytes:
    """What Print → Save as PDF on A3 landscape gives for the page at `url`."""
    drawings = []
    tab.on("response", lambda r: drawings.append(r.status) if "board-print.svg" in r.url else None)
    tab.goto(url)
    tab.emulate_media(media="print")
    tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # a no-op without script
    pdf = tab.pdf(format="A3", landscape=True)
    tab.emulate_media(media="screen")
    assert drawings == [200]  # one drawing, fetched once, however many sheets show it
    return pdf


def without_javascript(page):
    """A tab of the same browser and session with JavaScript disabled."""
    context = page.context.browser.new_context(
        viewport={"width": 1400, "height": 900}, java_script_enabled=False
    )
    context.add_cookies(page.context.cookies())
    tab = context.new_page()
    tab.base = page.base
    return context, tab


def card_titles(blueprint_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(Element.title).where(
                Element.blueprint_id == blueprint_id, Element.kind.in_(LANES)
            )
        )
    )


def demo_board() -> ServiceBlueprint:
    """The demo's current-state board (the demo seeded into the test's database)."""
    seed_demo()
    return db.session.scalar(
        select(ServiceBlueprint)
        .join(Workspace, Workspace.id == ServiceBlueprint.workspace_id)
        .where(Workspace.name == DEMO_WORKSPACE, ServiceBlueprint.name == "Order to delivery")
    )


def log_in_demo(page) -> None:
    log_in(page, NS(email="demo@example.com"), DEMO_PASSWORD)


def fifty_step_board(workspace_id: int) -> ServiceBlueprint:
    """50 steps over 8 stages with titles of a real board's length, 80 links."""
    blueprint = build_blueprint(workspace_id, 50, 80, stages=8, catalog=12, seed=5, name="Fifty")
    words = ["checks the order status", "confirms the delivery slot", "updates the record"]
    elements = db.session.scalars(select(Element).where(Element.blueprint_id == blueprint.id))
    for n, element in enumerate(elements):
        element.title = f"{element.title}: {words[n % len(words)]}"
    return blueprint


def check_one_page(pdf: bytes, titles: list[str], tmp_path) -> None:
    assert pages_of(pdf) == 1 and is_a3_landscape(pdf)
    text = pdftotext(pdf, tmp_path)
    missing = [t for t in titles if " ".join(t.split()) not in text]
    assert missing == []
    assert "Legend" in text and "Emotion curve" in text
    assert "Hover or focus" not in text and "Zoom to fit" not in text  # working notes, buttons


@pytest.mark.parametrize("javascript", [True, False], ids=["with script", "without script"])
def test_the_demo_and_a_fifty_step_board_each_print_on_one_a3_page(
    page, world, tmp_path, javascript
):
    demo = demo_board()
    fifty = fifty_step_board(demo.workspace_id)
    f.commit()
    log_in_demo(page)
    tab, context = page, None
    if not javascript:
        context, tab = without_javascript(page)
    try:
        for board in (demo, fifty):
            pdf = save_as_pdf(tab, f"{page.base}/blueprints/{board.id}")
            check_one_page(pdf, card_titles(board.id), tmp_path)
    finally:
        if context:
            context.close()
    page.goto(f"{page.base}/blueprints/{demo.id}")


@pytest.mark.parametrize("javascript", [True, False], ids=["with script", "without script"])
def test_a_board_too_large_for_one_page_prints_on_labelled_tiles(page, world, tmp_path, javascript):
    big = build_blueprint(world.workspace.id, 160, 240, stages=12, seed=5, name="Big")
    f.commit()
    log_in(page, world.viewer)
    tab, context = page, None
    if not javascript:
        context, tab = without_javascript(page)
    try:
        pdf = save_as_pdf(tab, f"{page.base}/blueprints/{big.id}")
    finally:
        if context:
            context.close()
    total = pages_of(pdf)
    assert total > 1 and is_a3_landscape(pdf)
    for number in range(1, total + 1):
        text = pdftotext(pdf, tmp_path, number)
        assert re.match(rf"Big: page {number} of {total}: stages? \d+", text), text[:200]
        assert "✂ page" in text  # its cut marks name the pages that join there
    assert f"it prints on {total} pages" in pdftotext(pdf, tmp_path, 1)
    everything = pdftotext(pdf, tmp_path)
    assert [t for t in card_titles(big.id) if t not in everything] == []
    page.goto(f"{page.base}/blueprints/{big.id}")


def test_the_emotion_curve_sits_under_the_stage_columns_it_belongs_to(page, world):
    demo = demo_board()
    f.commit()
    log_in_demo(page)
    page.goto(f"{page.base}/blueprints/{demo.id}")
    measure = """() => {
      const heads = Object.fromEntries([...document.querySelectorAll('th.stage-head')]
        .map((th) => [th.dataset.stageId, th.getBoundingClientRect()]));
      return [...document.querySelectorAll('.emotion-cell[data-stage]')].flatMap((td) =>
        [...td.querySelectorAll('circle.dot')].map((dot) => {
          const r = dot.getBoundingClientRect(), head = heads[td.dataset.stage];
          return {stage: td.dataset.stage, left: head.left, right: head.right,
                  x: (r.left + r.right) / 2, element: dot.closest('g').dataset.element};
        }));
    }"""
    points = page.evaluate(measure)
    with_emotion = db.session.scalars(
        select(Element.id).where(Element.blueprint_id == demo.id, Element.emotion.is_not(None))
    ).all()
    assert sorted(int(p["element"]) for p in points) == sorted(with_emotion)
    stage_of = dict(
        db.session.execute(
            select(Element.id, Element.stage_id).where(Element.blueprint_id == demo.id)
        ).all()
    )
    for p in points:
        assert str(stage_of[int(p["element"])]) == p["stage"]  # its own card's stage
        assert p["left"] < p["x"] < p["right"], p
    # still so when the board is zoomed to fit and when the window is narrow
    page.click("[data-board-fit]")
    assert all(p["left"] < p["x"] < p["right"] for p in page.evaluate(measure))
    page.set_viewport_size({"width": 700, "height": 800})
    assert all(p["left"] < p["x"] < p["right"] for p in page.evaluate(measure))

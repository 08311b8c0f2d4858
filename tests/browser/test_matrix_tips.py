"""The matrix's points say which task they are: the keyboard reaches each point in backlog
order, and the point under the pointer or the focus shows its tooltip (CSS alone)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.helpers import log_in

pytestmark = pytest.mark.browser

SHOWN = """() => [...document.querySelectorAll('.matrix .tip')]
  .filter(tip => getComputedStyle(tip).visibility === 'visible')
  .map(tip => [...tip.querySelectorAll('text')].map(line => line.textContent).join(' '))"""


def test_focus_and_hover_show_the_points_title(page, world):
    f.make_task(world.workspace, "Shorter hold times", impact=4, effort=2)
    f.make_task(world.workspace, "Callback when the queue is long", impact=5, effort=1)
    f.commit()
    log_in(page, world.viewer)
    page.goto(page.base + "/backlog/matrix")
    assert page.evaluate(SHOWN) == []  # nothing until asked
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('point-link')"):
            break
    name = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name == "1. Callback when the queue is long — impact 5, effort 1"
    assert page.evaluate(SHOWN) == ["1. Callback when the queue is long Impact 5 · effort 1"]
    page.keyboard.press("Tab")
    assert page.evaluate(SHOWN) == ["2. Shorter hold times Impact 4 · effort 2"]
    page.evaluate("document.activeElement.blur()")
    page.hover(".matrix .point-link >> nth=0")
    assert page.evaluate(SHOWN) == ["1. Callback when the queue is long Impact 5 · effort 1"]

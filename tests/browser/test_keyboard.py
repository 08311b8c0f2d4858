"""Keyboard users see where they are: every element Tab reaches shows a focus ring."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.helpers import log_in

pytestmark = pytest.mark.browser

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {tag: el.tagName, text: (el.innerText || el.value || el.name || "").slice(0, 40),
          shown: ring || style.boxShadow !== "none"};
}"""


def test_every_stop_of_the_tab_key_shows_focus(page, world, bmap):
    f.make_task(world.workspace, "Shorter hold times", impact=4, effort=2)
    f.commit()
    log_in(page, world.editor)
    for path in (f"/blueprints/{bmap.blueprint.id}", "/backlog", "/tasks/new"):
        page.goto(page.base + path)
        seen = []
        for _ in range(25):
            page.keyboard.press("Tab")
            seen.append(page.evaluate(FOCUS_SHOWN))
        assert seen[0]["text"] == "Skip to content"  # the first stop skips the menus
        hidden = [s for s in seen if not s["shown"]]
        assert hidden == [], (path, hidden)

"""On a phone (390 × 844 CSS pixels): no page is wider than the screen. Every GET page of the
app is visited as the workspace's owner (every route, with rows of the demo workspace where
a route takes only a blueprint, element, task, insight or persona, and fresh rows of each
kind otherwise, so a new page is checked without being listed here), and the login page as
a visitor. The board is wider than a phone by nature: it scrolls inside its own frame,
beside a lane column that leaves the screen to the cards."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import func, or_, select

from accounts.models import User, Workspace
from backlog.models import ImprovementTask, Insight
from blueprint.models import Element, Link, Persona, ServiceBlueprint
from demo import DEMO_PASSWORD, DEMO_WORKSPACE, seed_demo
from extensions import db
from tests import factories as f
from tests.browser.conftest import ARTIFACTS
from tests.helpers import every_route, fresh_ids, log_in, route_url

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NOT_PAGES = {"static", "bootstrap.static", "healthz"}
LANE_SHARE = 0.30  # of the screen, at most, for the board's lane names

WIDTH = """() => {
  const view = window.innerWidth, wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right <= view + 1 || box.width === 0) continue;
    // inside something that scrolls or clips, it does not widen the page (unless positioned
    // outside it: an absolute element escapes a frame that is not its containing block)
    let framed = false;
    const escapes = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    for (let up = el.parentElement; up && up !== document.body && !escapes; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') { framed = true; break; }
    }
    const name = `${el.tagName.toLowerCase()}.${el.className}`;
    if (!framed) wide.push(`${name} to ${Math.round(box.right)}px`);
  }
  return {page: document.documentElement.scrollWidth, view, wide: wide.slice(0, 5)};
}"""

BOARD = """() => {
  const frame = document.querySelector('.board-wrap');
  const lane = document.querySelector('.board .lane-head');
  return {overflow: getComputedStyle(frame).overflowX, inner: frame.scrollWidth,
          frame: frame.clientWidth, right: frame.getBoundingClientRect().right,
          lane: lane.getBoundingClientRect().width, view: window.innerWidth};
}"""


def demo_ids(workspace_id: int) -> dict[str, int]:
    """The demo's richest rows: its first blueprint, the step with most links, the top
    task (first in the backlog's order of ids), the worst insight, the first persona."""
    blueprint = db.session.scalar(
        select(ServiceBlueprint.id).filter_by(workspace_id=workspace_id).order_by("id")
    )
    links = func.count(Link.id)
    element = db.session.execute(
        select(Element.id, links)
        .join(Link, or_(Link.source_id == Element.id, Link.target_id == Element.id))
        .where(Element.blueprint_id == blueprint)
        .group_by(Element.id)
        .order_by(links.desc(), Element.id)
    ).first()[0]
    return {
        "blueprint_id": blueprint,
        "element_id": element,
        "task_id": db.session.scalar(
            select(ImprovementTask.id).filter_by(workspace_id=workspace_id).order_by("id")
        ),
        "insight_id": db.session.scalar(
            select(Insight.id)
            .filter_by(workspace_id=workspace_id)
            .order_by((Insight.severity * Insight.frequency).desc(), Insight.id)
        ),
        "persona_id": db.session.scalar(
            select(Persona.id).filter_by(workspace_id=workspace_id).order_by("id")
        ),
    }


def test_no_page_is_wider_than_a_phone_and_the_board_scrolls_in_its_frame(app, page, world):
    seed_demo()
    f.commit()
    workspace = db.session.scalar(select(Workspace).filter_by(name=DEMO_WORKSPACE))
    owner = db.session.scalar(select(User).filter_by(email="demo@example.com"))
    ids = fresh_ids(SimpleNamespace(workspace=workspace), owner)
    demo = demo_ids(workspace.id)
    page.set_viewport_size(PHONE)
    log_in(page, owner, DEMO_PASSWORD)

    visited, boards, failures = [], 0, {}

    def check(url: str) -> None:
        nonlocal boards
        page.goto(page.base + url)
        found = page.evaluate(WIDTH)
        if found["page"] > found["view"]:
            failures[url] = found
        if page.locator(".board-wrap").count():  # a board: the owner's, or a shared one
            frame = page.evaluate(BOARD)
            if not (
                frame["overflow"] in ("auto", "scroll")
                and frame["inner"] > frame["frame"]  # the demo's board is wider than a phone
                and frame["right"] <= frame["view"]
                and frame["lane"] <= LANE_SHARE * frame["view"]
            ):
                failures[f"{url} (board frame)"] = frame
            boards += 1
        if url in failures:
            ARTIFACTS.mkdir(exist_ok=True)
            name = url.strip("/").replace("/", "_") or "home"
            page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
        visited.append(url)

    for rule, method in every_route(app):
        if method != "GET" or rule.endpoint in NOT_PAGES:
            continue
        rows = {**ids, **demo} if set(rule.arguments) <= set(demo) else ids
        url = route_url(app, rule, rows)
        answer = page.request.get(page.base + url, max_redirects=0)
        if answer.status != 200 or not answer.headers["content-type"].startswith("text/html"):
            continue  # downloads, redirects and answers for other roles
        check(url)
    page.context.clear_cookies()
    check("/login")  # as a visitor
    assert failures == {}
    assert len(visited) >= 40 and boards >= 2, visited  # the board, and as shared

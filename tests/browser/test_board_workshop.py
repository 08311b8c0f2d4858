"""A workshop on the board alone, in Chromium: a 5-stage B2B journey with 20 steps over all
five lanes, 4 people, 4 systems and 30 links is mapped without a single page load, once with
the mouse and once with the keyboard only; the database then holds exactly what was
entered. The interactions one step with two links takes are counted and printed."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from blueprint.models import Element, Link, ServiceBlueprint, Stage
from extensions import db
from tests import factories as f
from tests.helpers import log_in

pytestmark = pytest.mark.browser

STAGES = ("Discover", "Quote", "Order", "Deliver", "Invoice")
PEOPLE = ("Sales rep", "Credit team", "Warehouse crew", "Billing clerk")
SYSTEMS = ("CRM", "ERP", "Warehouse system", "Billing system")
LANE_LABELS = {
    "physical_evidence": "Physical evidence",
    "customer_action": "Customer actions",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support processes",
}
KIND_OF = {"person": "performed_by", "system": "uses", "step": "relies_on"}
WORDS = {"performed_by": "performed by", "uses": "uses", "relies_on": "relies on"}


@dataclass
class Step:
    stage: str
    lane: str
    title: str
    relies_on: list[str] = field(default_factory=list)  # steps, people and systems


# in the order the team maps them: what a step relies on is there before it
JOURNEY = [
    Step("Discover", "backstage", "Lead qualification", ["Sales rep", "CRM"]),
    Step("Discover", "frontstage", "Sales call", ["Lead qualification", "Sales rep"]),
    Step("Discover", "customer_action", "Reads the offer", ["Sales call"]),
    Step("Quote", "support", "Price list upkeep", ["ERP"]),
    Step("Discover", "physical_evidence", "Brochure", ["Price list upkeep"]),
    Step("Quote", "backstage", "Credit check", ["Credit team", "ERP"]),
    Step("Quote", "frontstage", "Quote sent", ["Credit check", "Price list upkeep", "CRM"]),
    Step("Quote", "customer_action", "Asks for a quote", ["Quote sent"]),
    Step("Order", "backstage", "Stock allocation", ["Warehouse crew", "Warehouse system"]),
    Step("Order", "frontstage", "Order desk", ["Credit check", "CRM"]),  # counted
    Step("Order", "customer_action", "Places the order", ["Order desk"]),
    Step("Order", "physical_evidence", "Order confirmation", ["Order desk"]),
    Step("Deliver", "support", "Carrier contract"),
    Step(
        "Deliver",
        "backstage",
        "Picking and packing",
        ["Stock allocation", "Warehouse crew", "Warehouse system"],
    ),
    Step(
        "Deliver",
        "customer_action",
        "Receives the goods",
        ["Picking and packing", "Carrier contract"],
    ),
    Step("Deliver", "physical_evidence", "Delivery note", ["Picking and packing"]),
    Step("Invoice", "support", "Dunning policy", ["Billing clerk"]),
    Step("Invoice", "frontstage", "Billing support", ["Billing clerk", "Billing system"]),
    Step("Invoice", "customer_action", "Pays the invoice", ["Billing support"]),
    Step("Invoice", "physical_evidence", "Invoice", ["Billing system"]),
]
COUNTED = "Order desk"


def kind_of(title: str) -> str:
    return "person" if title in PEOPLE else "system" if title in SYSTEMS else "step"


def test_the_journey_is_what_the_issue_asks_for():
    assert len(STAGES) == 5 and len(JOURNEY) == 20
    assert {s.lane for s in JOURNEY} == set(LANE_LABELS)
    assert sum(len(s.relies_on) for s in JOURNEY) == 30
    used = {t for s in JOURNEY for t in s.relies_on}
    assert set(PEOPLE) | set(SYSTEMS) <= used


def expected_links() -> set[tuple[str, str, str]]:
    return {(s.title, t, KIND_OF[kind_of(t)]) for s in JOURNEY for t in s.relies_on}


def assert_database_holds_the_journey(workspace_id: int) -> None:
    db.session.expire_all()
    blueprint = db.session.scalar(select(ServiceBlueprint).filter_by(name="Workshop"))
    stages = db.session.scalars(
        select(Stage).filter_by(blueprint_id=blueprint.id).order_by(Stage.position)
    ).all()
    assert [s.name for s in stages] == list(STAGES)
    names = {s.id: s.name for s in stages}
    steps = db.session.scalars(select(Element).filter_by(blueprint_id=blueprint.id)).all()
    assert sorted((names[e.stage_id], e.kind.value, e.title, e.position) for e in steps) == sorted(
        (s.stage, s.lane, s.title, 0)
        for s in JOURNEY  # one step per cell
    )
    catalog = db.session.scalars(
        select(Element).where(Element.workspace_id == workspace_id, Element.blueprint_id.is_(None))
    ).all()
    assert sorted((e.kind.value, e.title) for e in catalog) == sorted(
        [("person", p) for p in PEOPLE] + [("system", s) for s in SYSTEMS]
    )
    source, target = aliased(Element), aliased(Element)
    links = db.session.execute(
        select(source.title, target.title, Link.kind)
        .join(source, source.id == Link.source_id)
        .join(target, target.id == Link.target_id)
        .where(Link.workspace_id == workspace_id)
    ).all()
    assert len(links) == 30
    assert {(s, t, k.value) for s, t, k in links} == expected_links()


def open_empty_board(page, world):
    blueprint, _ = f.make_blueprint(world.workspace, "Workshop", ())
    f.commit()
    log_in(page, world.editor)
    page.set_viewport_size({"width": 1600, "height": 1200})
    page.goto(f"{page.base}/blueprints/{blueprint.id}")
    loads: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )
    return loads


def notice(page, text: str) -> None:
    page.locator("#board-notice").get_by_text(text, exact=False).wait_for()


class Counter:
    """Counts what the user does: each click, text typed, key pressed or drag is one."""

    def __init__(self):
        self.n = 0

    def __call__(self, action, *args, **kwargs):
        self.n += 1
        return action(*args, **kwargs)


# --- with the mouse ------------------------------------------------------------------------


def test_a_workshop_maps_a_journey_on_the_board_with_the_mouse(page, world):
    loads = open_empty_board(page, world)
    do = Counter()
    do(page.get_by_role("button", name="Add a stage").click)
    for name in STAGES:
        do(page.get_by_role("textbox", name="Name of the new stage").fill, name)
        do(page.keyboard.press, "Enter")
        notice(page, f"Stage “{name}” added.")
    do(page.keyboard.press, "Escape")

    counted = None
    open_cell = None
    for step in JOURNEY:
        before = do.n
        cell = (step.stage, step.lane)
        field = page.get_by_role("textbox", name="Title of the new step")
        if open_cell != cell:
            do(
                page.get_by_role(
                    "button", name=f"Add a step to {LANE_LABELS[step.lane]} in {step.stage}"
                ).click
            )
            open_cell = cell
        do(field.fill, step.title)
        do(field.press, "Enter")
        notice(page, f"“{step.title}” added to")
        for target in step.relies_on:
            link_by_mouse(page, do, step.title, target)
        if step.title == COUNTED:
            counted = do.n - before
    print(f"\ninteractions for one step with two links (mouse): {counted}")
    assert counted <= 6
    assert loads == []
    assert_database_holds_the_journey(world.workspace.id)


def link_by_mouse(page, do, title, target):
    kind = KIND_OF[kind_of(target)]
    handle = page.get_by_role("button", name=f"Link {title}", exact=True)
    on_board = page.locator(f".bp-card[data-title='{target}'], .bp-catalog[data-title='{target}']")
    if on_board.count():  # drag the card's handle onto it (its title: not a person on it)
        do(handle.drag_to, on_board.first, target_position={"x": 24, "y": 12})
        made = ""
    else:  # a person or system the workspace does not have yet: search, and create it
        do(handle.click)
        do(page.get_by_role("combobox", name="Relies on").fill, target)
        label = "person or team" if kind_of(target) == "person" else "system"
        do(page.get_by_role("option", name=f"Create {label} “{target}”").click)
        made = " (new)"
    notice(page, f"“{title}” {WORDS[kind]} “{target}”{made}.")
    if made:
        do(page.keyboard.press, "Escape")  # the panel, kept open for more links, closes


# --- with the keyboard only ----------------------------------------------------------------

FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]'
)].filter((el) => !el.disabled && el.tabIndex >= 0 && !el.closest('[hidden]')
      && el.getClientRects().length > 0)"""


def tab_to(page, locator, do) -> None:
    """Press Tab (or Shift+Tab) as often as it takes to reach `locator`, as a keyboard user
    who sees the page would: the presses are counted one by one."""
    target = locator.element_handle()
    steps = page.evaluate(
        f"""(target) => {{
      const order = ({FOCUSABLE})();
      const here = order.indexOf(document.activeElement);
      return order.indexOf(target) - here;
    }}""",
        target,
    )
    key = "Tab" if steps > 0 else "Shift+Tab"
    for _ in range(abs(steps)):
        do(page.keyboard.press, key)
    assert page.evaluate("(t) => t === document.activeElement", target), locator


def test_the_same_workshop_with_the_keyboard_only(page, world):
    loads = open_empty_board(page, world)
    do = Counter()
    page.locator("main").focus()  # where a keyboard user starts: the page's content
    tab_to(page, page.get_by_role("button", name="Add a stage"), do)
    do(page.keyboard.press, "Enter")
    for name in STAGES:
        do(page.keyboard.type, name)
        do(page.keyboard.press, "Enter")
        notice(page, f"Stage “{name}” added.")
    do(page.keyboard.press, "Escape")

    counted = None
    open_cell = None
    for step in JOURNEY:
        before = do.n
        cell = (step.stage, step.lane)
        if open_cell != cell:
            add = page.get_by_role(
                "button", name=f"Add a step to {LANE_LABELS[step.lane]} in {step.stage}"
            )
            tab_to(page, add, do)
            do(page.keyboard.press, "Enter")
            open_cell = cell
        else:
            tab_to(page, page.get_by_role("textbox", name="Title of the new step"), do)
        do(page.keyboard.type, step.title)
        do(page.keyboard.press, "Enter")
        notice(page, f"“{step.title}” added to")
        if step.relies_on:
            tab_to(page, page.get_by_role("button", name=f"Link {step.title}", exact=True), do)
            do(page.keyboard.press, "Enter")
            search = page.get_by_role("combobox", name="Relies on")
            search.wait_for()
            for target in step.relies_on:
                link_by_keyboard(page, do, step.title, target)
            do(page.keyboard.press, "Escape")  # the empty search: the panel closes
            assert page.locator("#board-panel").is_hidden()
        if step.title == COUNTED:
            counted = do.n - before
    print(f"\nkey presses for one step with two links (keyboard, Tab presses included): {counted}")
    print(f"key presses for the whole workshop: {do.n}")
    assert loads == []
    assert_database_holds_the_journey(world.workspace.id)


def link_by_keyboard(page, do, title, target):
    kind = KIND_OF[kind_of(target)]
    search = page.get_by_role("combobox", name="Relies on")
    assert search.evaluate("el => el === document.activeElement")
    do(page.keyboard.type, target)
    exists = page.locator(
        f".bp-card[data-title='{target}'], .bp-catalog[data-title='{target}']"
    ).count()
    if exists:
        page.get_by_role("option", name=target).first.wait_for()
        do(page.keyboard.press, "Enter")  # the first match is the active option
        made = ""
    else:
        label = "person or team" if kind_of(target) == "person" else "system"
        page.get_by_role("option", name=f"Create {label} “{target}”").wait_for()
        if kind_of(target) == "system":
            do(page.keyboard.press, "ArrowDown")  # past "Create person or team"
        do(page.keyboard.press, "Enter")
        made = " (new)"
    notice(page, f"“{title}” {WORDS[kind]} “{target}”{made}.")

"""The board as the editor, in Chromium: quick add, the side panel, moving, linking and undo
without a page load."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from blueprint.models import Element, Link, Stage
from extensions import db
from tests import factories as f
from tests.helpers import log_in

pytestmark = pytest.mark.browser


def navigations(page) -> list[str]:
    seen: list[str] = []
    page.on(
        "framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None
    )
    return seen


def test_quick_add_steps_and_stages(page, world):
    blueprint, _ = f.make_blueprint(world.workspace, "Workshop", ())
    f.commit()
    log_in(page, world.editor)
    page.goto(f"{page.base}/blueprints/{blueprint.id}")
    seen = navigations(page)
    page.get_by_role("button", name="Add a stage").click()
    field = page.get_by_role("textbox", name="Name of the new stage")
    field.fill("Discover")
    field.press("Enter")
    page.get_by_role("textbox", name="Name of the new stage").fill("Quote")
    page.get_by_role("textbox", name="Name of the new stage").press("Enter")
    page.locator(".stage-name", has_text="Quote").wait_for()
    page.get_by_role("button", name="Add a step to Customer actions in Discover").click()
    for title in ("Reads the offer", "Asks for a quote"):
        step = page.get_by_role("textbox", name="Title of the new step")
        step.fill(title)
        step.press("Enter")
        page.locator(".bp-card", has_text=title).wait_for()
    assert page.get_by_role("textbox", name="Title of the new step").evaluate(
        "el => el === document.activeElement"
    )
    page.keyboard.press("Escape")
    assert seen == []
    db.session.expire_all()
    stages = db.session.scalars(select(Stage.name).order_by(Stage.position)).all()
    assert stages == ["Discover", "Quote"]
    titles = db.session.scalars(select(Element.title).order_by(Element.position)).all()
    assert titles == ["Reads the offer", "Asks for a quote"]


def card(page, title):
    return page.locator(".bp-card", has_text=title)


def test_edit_in_the_side_panel_move_by_drag_and_keys_delete_and_undo(page, world, bmap):
    log_in(page, world.editor)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    seen = navigations(page)

    page.get_by_role("link", name="Edit Desk confirms").click()
    title = page.get_by_role("textbox", name="Title")
    assert title.evaluate("el => el === document.activeElement")
    title.fill("Desk confirms by phone")
    page.get_by_role("checkbox", name="Wait point (the customer waits here)").check()
    page.get_by_role("button", name="Save").click()
    card(page, "Desk confirms by phone").get_by_text("Wait").wait_for()
    page.keyboard.press("Escape")
    assert page.locator("#board-panel").is_hidden()

    # drag the backstage step into the frontstage cell of the first stage, above the desk
    target = page.locator("td.cell[data-lane='frontstage']").first
    card(page, "Allocate stock").drag_to(
        card(page, "Desk confirms by phone"), target_position={"x": 20, "y": 4}
    )
    target.locator(".bp-card", has_text="Allocate stock").wait_for()
    assert target.locator(".bp-card").all_inner_texts()[0].startswith("Allocate stock")

    # the keyboard's Move: → to the next stage, ↓ to backstage, Enter
    page.get_by_role("button", name="Move Allocate stock", exact=True).focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("td.cell[data-lane='backstage']").nth(1).locator(
        ".bp-card", has_text="Allocate stock"
    ).wait_for()
    assert page.get_by_role("button", name="Move Allocate stock", exact=True).evaluate(
        "el => el === document.activeElement"
    )

    page.get_by_role("link", name="Delete Places order").click()
    page.get_by_text("“Places order” deleted with its 1 link.").wait_for()
    assert card(page, "Places order").count() == 0
    page.get_by_role("button", name="Undo").click()
    card(page, "Places order").wait_for()
    page.locator("#board-live").focus()
    page.keyboard.press("Control+z")  # the move by keyboard
    page.get_by_text("Undone: “Allocate stock” moved").wait_for()
    assert seen == []
    db.session.expire_all()
    moved = db.session.get(Element, bmap.backoffice.id)
    assert (moved.kind.value, moved.stage_id) == ("frontstage", bmap.stages[0].id)
    assert db.session.get(Element, bmap.desk.id).wait_point


def _links(source_id) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Element.title, Link.kind)
        .join(Element, Element.id == Link.target_id)
        .where(Link.source_id == source_id)
    ).all()
    return {title: kind.value for title, kind in rows}


def test_link_by_drag_and_by_search_change_the_kind_remove_and_undo(page, world, bmap):
    log_in(page, world.editor)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    seen = navigations(page)
    handle = page.get_by_role("button", name="Link Allocate stock", exact=True)
    handle.drag_to(card(page, "Desk confirms"))
    page.get_by_text("“Allocate stock” relies on “Desk confirms”.").wait_for()
    # the lines follow: the page draws the routes the server sent with the redrawn board
    drawn = page.evaluate("""() => ({
      routes: JSON.parse(document.getElementById("board-routes").textContent).lines
        .map((l) => `${l.source}>${l.target}`).sort(),
      paths: [...document.querySelectorAll(".board-connectors path.connector")]
        .map((p) => `${p.dataset.source}>${p.dataset.target}`).sort(),
    })""")
    assert drawn["paths"] == drawn["routes"]
    assert f"{bmap.backoffice.id}>{bmap.desk.id}" in drawn["paths"]

    handle = page.get_by_role("button", name="Link Allocate stock", exact=True)
    handle.click()
    search = page.get_by_role("combobox", name="Relies on")
    assert search.evaluate("el => el === document.activeElement")
    search.fill("erp")
    page.get_by_role("option", name="ERP").click()
    page.get_by_text("“Allocate stock” uses “ERP”.").wait_for()
    search = page.get_by_role("combobox", name="Relies on")
    assert search.evaluate("el => el === document.activeElement")  # ready for the next one
    search.fill("Warehouse crew")
    page.get_by_role("option", name="Create person or team “Warehouse crew”").click()
    page.get_by_text("“Allocate stock” performed by “Warehouse crew” (new).").wait_for()
    assert _links(bmap.backoffice.id) == {
        "Desk confirms": "relies_on",
        "ERP": "uses",
        "Warehouse crew": "performed_by",
    }
    page.get_by_role("combobox", name="Kind of the link to Desk confirms").select_option("next")
    page.get_by_text("“Allocate stock” now next “Desk confirms”.").wait_for()
    page.get_by_role("button", name="Remove the link to ERP").click()
    page.get_by_text("“Allocate stock” no longer uses “ERP”.").wait_for()
    assert _links(bmap.backoffice.id) == {"Desk confirms": "next", "Warehouse crew": "performed_by"}
    page.get_by_role("button", name="Undo").click()
    page.get_by_text("Undone: “Allocate stock” no longer uses “ERP”.").wait_for()
    assert _links(bmap.backoffice.id)["ERP"] == "uses"
    assert seen == []


def board_state(workspace_id):
    """Stages, steps, people, systems and links of the workspace, without versions."""
    db.session.expire_all()
    columns = [c for c in Element.__table__.columns if c.key != "version"]
    return (
        sorted(db.session.execute(select(Stage.id, Stage.name, Stage.position)).all()),
        sorted(
            db.session.execute(select(*columns).where(Element.workspace_id == workspace_id)).all()
        ),
        sorted(
            db.session.execute(select(Link.id, Link.source_id, Link.target_id, Link.kind)).all()
        ),
    )


def test_undo_of_add_move_link_and_delete_returns_the_database_to_where_it_was(page, world, bmap):
    before = board_state(world.workspace.id)
    log_in(page, world.editor)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    page.get_by_role("button", name="Add a step to Support processes in Order").click()
    page.get_by_role("textbox", name="Title of the new step").fill("Credit policy")
    page.keyboard.press("Enter")
    page.get_by_text("“Credit policy” added to Support processes in Order.").wait_for()
    page.keyboard.press("Escape")
    deliver = page.locator("td.cell[data-lane='customer_action']").nth(1)
    card(page, "Places order").drag_to(deliver)
    page.get_by_text("“Places order” moved from Customer actions in Order").wait_for()
    page.get_by_role("button", name="Link Allocate stock", exact=True).drag_to(
        card(page, "Credit policy"), target_position={"x": 20, "y": 10}
    )
    page.get_by_text("“Allocate stock” relies on “Credit policy”.").wait_for()
    page.get_by_role("link", name="Delete Desk confirms").click()
    page.get_by_text("“Desk confirms” deleted with its 3 links.").wait_for()
    assert board_state(world.workspace.id) != before
    for undone in (
        "“Desk confirms” deleted",
        "“Allocate stock” relies on",
        "“Places order” moved",
        "“Credit policy” added",
    ):
        page.locator("#board-live").focus()
        page.keyboard.press("Control+z")
        page.locator("#board-notice").get_by_text(f"Undone: {undone}").wait_for()
    assert board_state(world.workspace.id) == before
    assert card(page, "Desk confirms").get_by_text("Service desk").is_visible()  # its links too


def test_two_people_move_and_rename_the_same_card_and_nothing_is_lost(page, world, bmap):
    log_in(page, world.editor)
    board = f"{page.base}/blueprints/{bmap.blueprint.id}"
    page.goto(board)
    other_context = page.context.browser.new_context(viewport={"width": 1400, "height": 900})
    other = other_context.new_page()
    errors: list[str] = []
    other.on("pageerror", lambda error: errors.append(str(error)))
    other.base = page.base
    log_in(other, world.owner)
    other.goto(board)

    # the owner opens the panel, the editor moves the card meanwhile
    other.get_by_role("link", name="Edit Desk confirms").click()
    other.get_by_role("textbox", name="Title").fill("Desk confirms by phone")
    deliver = page.locator("td.cell[data-lane='frontstage']").nth(1)
    card(page, "Desk confirms").drag_to(deliver)
    page.get_by_text(
        "“Desk confirms” moved from Frontstage in Order to Frontstage in Deliver."
    ).wait_for()

    other.get_by_role("button", name="Save").click()
    message = other.locator(".bp-card .card-message")
    message.wait_for()
    assert (
        "“Desk confirms” was changed by someone else since you opened the board"
        in message.inner_text()
    )
    moved = (
        other.locator("td.cell[data-lane='frontstage']")
        .nth(1)
        .locator(".bp-card", has_text="Desk confirms")
    )
    assert moved.is_visible()  # the card as it is now: in its new place
    assert other.get_by_role("textbox", name="Title").input_value() == "Desk confirms by phone"
    other.get_by_role("button", name="Save").click()  # again, on top of the move
    other.get_by_text("“Desk confirms by phone” saved.").wait_for()
    db.session.expire_all()
    desk = db.session.get(Element, bmap.desk.id)
    assert (desk.title, desk.stage_id) == ("Desk confirms by phone", bmap.stages[1].id)

    # the editor's page learns of it when it next asks
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.get_by_text("The board changed since you opened it").wait_for()
    page.get_by_role("button", name="Refresh").click()
    card(page, "Desk confirms by phone").wait_for()
    other_context.close()
    assert errors == []


NAMELESS = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [role=combobox], [role=option]'
)].filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden]')).filter((el) => {
  const by = (el.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
    .map((id) => (document.getElementById(id) || {}).textContent || '').join(' ');
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  const name = el.getAttribute('aria-label') || by || label || el.textContent || el.title || '';
  return !name.trim();
}).map((el) => el.outerHTML.slice(0, 120))"""

FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  return {html: el.outerHTML.slice(0, 100), shown: ring || style.boxShadow !== "none",
          body: el === document.body};
}"""


def test_every_control_of_the_board_in_edit_mode_has_a_name_and_shows_focus(page, world, bmap):
    log_in(page, world.editor)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    page.get_by_role("button", name="Add a step to Backstage in Order").click()
    page.get_by_role("button", name="Add a stage").click()
    page.get_by_role("button", name="Link Desk confirms", exact=True).click()
    page.get_by_role("combobox", name="Relies on").fill("e")
    page.get_by_role("option").first.wait_for()
    assert page.evaluate(NAMELESS) == []
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Edit Places order").click()
    page.get_by_role("textbox", name="Title").wait_for()
    assert page.evaluate(NAMELESS) == []
    for name in ("Move Places order", "Link Places order", "Undo"):
        assert page.get_by_role("button", name=name, exact=True).count() <= 1
    hidden = []
    page.locator("#board-live").focus()
    for _ in range(150):  # the board's controls and the panel's, by the Tab key
        page.keyboard.press("Tab")
        seen = page.evaluate(FOCUS_SHOWN)
        if seen["body"]:  # past the last control of the page
            break
        if not seen["shown"]:
            hidden.append(seen["html"])
    assert hidden == []


def test_dragging_a_stage_header_reorders_the_stages(page, world, bmap):
    log_in(page, world.editor)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    deliver = page.locator("th.stage-head", has_text="Deliver").locator(".stage-name")
    order = page.locator("th.stage-head", has_text="Order")
    deliver.drag_to(order, target_position={"x": 10, "y": 10})
    page.get_by_text("Stage “Deliver” moved before “Order”.").wait_for()
    assert page.locator(".stage-name").all_inner_texts() == ["Deliver", "Order"]


def test_without_javascript_the_board_keeps_its_forms_and_its_undo(scriptless, world, bmap):
    plain = scriptless
    log_in(plain, world.editor)
    plain.goto(f"{plain.base}/blueprints/{bmap.blueprint.id}")
    assert plain.get_by_role("button", name="Move Desk confirms", exact=True).is_hidden()
    with plain.expect_navigation():
        plain.get_by_role("button", name="Put Desk confirms at the start of Deliver").click()
    plain.get_by_text(
        "“Desk confirms” moved from Frontstage in Order to Frontstage in Deliver."
    ).wait_for()
    with plain.expect_navigation():
        plain.get_by_role("button", name="Undo").click()
    plain.get_by_text("Undone: “Desk confirms” moved").wait_for()
    db.session.expire_all()
    assert db.session.get(Element, bmap.desk.id).stage_id == bmap.stages[0].id
    with plain.expect_navigation():
        plain.get_by_role("link", name="Add a step to Backstage in Order").click()
    assert "/elements/new" in plain.url  # the full form, as before

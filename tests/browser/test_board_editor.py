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

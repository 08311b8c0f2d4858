"""The type-ahead fields in Chromium: a task's targets picked by typing, with the mouse and
with the keyboard alone, and without JavaScript through the Find button."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backlog.models import ImprovementTask, task_insight, task_target
from blueprint.models import Link
from extensions import db
from tests import factories as f
from tests.browser.conftest import ARTIFACTS
from tests.helpers import log_in, submit

pytestmark = pytest.mark.browser


def targets_of(title: str) -> set[int]:
    db.session.expire_all()
    task = db.session.scalar(select(ImprovementTask).where(ImprovementTask.title == title))
    assert task is not None, title
    rows = select(task_target.c.element_id).where(task_target.c.task_id == task.id)
    return set(db.session.scalars(rows))


def test_a_task_target_is_found_by_typing_and_saved(page, world, bmap):
    log_in(page, world.editor)
    page.goto(page.base + "/tasks/new")
    page.fill("#title", "Confirm orders at once")
    box = page.get_by_role("combobox", name="Elements it changes")
    box.press_sequentially("déSK", delay=30)  # accents and case do not matter
    listbox = page.get_by_role("listbox")
    listbox.get_by_role("option", name="Desk confirms, Order").wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    groups = listbox.get_by_role("group")
    assert [g.get_attribute("aria-labelledby") is not None for g in groups.all()] == [True, True]
    assert groups.first.text_content().startswith("Order to cash · Frontstage")
    page.screenshot(path=str(ARTIFACTS / "type-ahead-open.png"))
    listbox.get_by_role("option", name="Service desk").click()
    assert box.input_value() == ""  # ready for the next one
    box.press_sequentially("erp", delay=30)
    page.get_by_role("option", name="ERP").click()
    chosen = page.get_by_role("list", name="Elements it changes: chosen")
    assert chosen.locator(".picker-chip-label").all_inner_texts() == [
        "Service desk (Person / team)",
        "ERP (System)",
    ]
    page.get_by_role("button", name="Remove ERP (System)").click()
    submit(page, "button.btn-primary:has-text('Save')")
    assert page.get_by_role("heading", name="Confirm orders at once").is_visible()
    assert targets_of("Confirm orders at once") == {bmap.person.id}


def test_a_task_target_is_picked_and_saved_with_the_keyboard_alone(page, world, bmap):
    task = f.make_task(world.workspace, "Faster stock", targets=[bmap.system])
    f.commit()
    log_in(page, world.editor)
    page.goto(f"{page.base}/tasks/{task.id}/edit")
    box = page.get_by_role("combobox", name="Elements it changes")
    chosen = page.get_by_role("list", name="Elements it changes: chosen")
    labels = chosen.locator(".picker-chip-label")
    assert labels.all_inner_texts() == ["ERP (System)"]  # the current target, by name
    page.focus("#impact")
    for _ in range(6):  # Tab on from the impact field (past the Remove button) to the field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "target_ids-q":
            break
    assert page.evaluate("document.activeElement.getAttribute('role')") == "combobox"
    page.keyboard.type("s", delay=30)
    page.get_by_role("listbox").get_by_role("option").first.wait_for()

    def active() -> str:
        return page.evaluate(
            "document.getElementById(document.activeElement"
            ".getAttribute('aria-activedescendant')).getAttribute('aria-label')"
        )

    # in board order: Places order, Desk confirms, Allocate stock, then Service desk
    assert active() == "Places order, Order"  # the first match is active at once
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert active() == "Desk confirms, Order"
    page.keyboard.press("Enter")  # picks, and does not submit the form
    assert labels.all_inner_texts() == ["ERP (System)", "Desk confirms (Frontstage, Order)"]
    assert page.url.endswith(f"/tasks/{task.id}/edit")
    page.keyboard.type("stock", delay=30)
    page.get_by_role("listbox").get_by_role("option").first.wait_for()
    page.keyboard.press("Escape")  # closes the list
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Escape")  # empties the field
    assert box.input_value() == ""
    page.keyboard.type("alloc", delay=10)
    page.keyboard.press("Enter")  # before the list came: the first match, once it does
    chosen.get_by_text("Allocate stock (Backstage, Deliver)").wait_for()
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the field is empty and the list closed: saves
    assert targets_of("Faster stock") == {bmap.system.id, bmap.desk.id, bmap.backoffice.id}


def test_without_javascript_the_find_button_offers_targets(scriptless, world, bmap):
    tab = scriptless
    log_in(tab, world.editor)
    tab.goto(tab.base + "/tasks/new")
    tab.fill("#title", "Without scripts")
    tab.fill("#target_ids-q", "stock")
    submit(tab, "button:has-text('Find')")
    assert tab.input_value("#title") == "Without scripts"
    tab.check("text=Allocate stock (Backstage, Deliver)")
    tab.fill("#target_ids-q", "desk")
    submit(tab, "button:has-text('Find')")
    assert tab.locator("#target_ids option").all_inner_texts() == [
        "Allocate stock (Backstage, Deliver)"
    ]
    tab.check("text=Service desk (Person / team)")
    tab.screenshot(path=str(ARTIFACTS / "type-ahead-without-javascript.png"), full_page=True)
    with tab.expect_navigation():
        tab.press("#title", "Enter")  # Enter saves, as in every form: not the Find button
    assert targets_of("Without scripts") == {bmap.backoffice.id, bmap.person.id}


def test_a_link_target_is_suggested_nearby_or_found_anywhere(page, world, bmap):
    _, stages = f.make_blueprint(world.workspace, "Returns", ("Report",))
    elsewhere = f.make_element(stages[0], "backstage", "Check the return")
    f.commit()
    log_in(page, world.editor)
    page.goto(f"{page.base}/elements/{bmap.desk.id}")
    box = page.get_by_role("combobox", name="Target")
    box.focus()
    page.keyboard.press("ArrowDown")  # an empty field lists the steps nearby
    suggested = page.get_by_role("group", name="Suggested: Backstage")
    suggested.get_by_role("option", name="Allocate stock, Deliver").click()
    assert box.input_value() == "Allocate stock (Backstage, Deliver)"
    submit(page, "button.btn-primary:has-text('Add link')")
    assert "Desk confirms relies on Allocate stock." in page.inner_text("main")
    page.get_by_role("combobox", name="Target").press_sequentially("return", delay=30)
    page.get_by_role("option", name="Check the return, Report").wait_for()
    page.keyboard.press("Enter")
    submit(page, "button.btn-primary:has-text('Add link')")
    assert "Desk confirms relies on Check the return." in page.inner_text("main")
    db.session.expire_all()
    targets = set(db.session.scalars(select(Link.target_id).where(Link.source_id == bmap.desk.id)))
    assert {bmap.backoffice.id, elsewhere.id} <= targets


def insights_of(title: str) -> set[int]:
    db.session.expire_all()
    task = db.session.scalar(select(ImprovementTask).where(ImprovementTask.title == title))
    assert task is not None, title
    rows = select(task_insight.c.insight_id).where(task_insight.c.task_id == task.id)
    return set(db.session.scalars(rows))


def test_an_insight_is_found_by_typing_and_ticked(page, world, bmap):
    heavy = f.make_insight(world.workspace, "Orders lost", severity=5, frequency=5)
    rare = f.make_insight(world.workspace, "Łódź invoices late", kind="observation")
    task = f.make_task(world.workspace, "Fix invoicing", insights=[heavy])
    f.commit()
    log_in(page, world.editor)
    page.goto(f"{page.base}/tasks/{task.id}/edit")
    assert page.get_by_label("Orders lost (pain point, 5×5)").is_checked()
    assert page.locator("button[name='insight_ids-find']").count() == 0  # the type-ahead's
    box = page.get_by_role("combobox", name="Find insights for Insights it addresses")
    box.press_sequentially("lodz", delay=30)  # accents and case do not matter
    listbox = page.get_by_role(
        "listbox", name="Find insights for Insights it addresses: suggestions"
    )
    listbox.get_by_role("group", name="Observation").wait_for()
    page.screenshot(path=str(ARTIFACTS / "insight-type-ahead-open.png"))
    page.keyboard.press("Enter")
    assert box.input_value() == ""
    assert page.get_by_label("Łódź invoices late (observation, 3×3)").is_checked()
    box.press_sequentially("orders", delay=30)  # a ticked one is not offered again
    page.get_by_text("No insight matches “orders”.").first.wait_for()
    page.keyboard.press("Escape")
    submit(page, "button.btn-primary:has-text('Save')")
    assert insights_of("Fix invoicing") == {heavy.id, rare.id}


def test_without_javascript_the_find_button_offers_insights(scriptless, world, bmap):
    wanted = f.make_insight(world.workspace, "Invoices arrive late", severity=1, frequency=1)
    f.commit()
    tab = scriptless
    log_in(tab, world.editor)
    tab.goto(tab.base + "/tasks/new")
    tab.fill("#title", "Send invoices on time")
    tab.fill("#insight_ids-q", "invoice")
    submit(tab, "button[name='insight_ids-find']")
    assert tab.input_value("#title") == "Send invoices on time"
    tab.check("text=Invoices arrive late (pain point, 1×1)")
    tab.screenshot(path=str(ARTIFACTS / "insight-picker-without-javascript.png"), full_page=True)
    with tab.expect_navigation():
        tab.press("#title", "Enter")  # Enter saves: not the Find button
    assert insights_of("Send invoices on time") == {wanted.id}

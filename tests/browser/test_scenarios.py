"""End-to-end scenarios in Chromium, as a person would go through them."""

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from backlog.models import ImprovementTask
from extensions import db
from tests import factories as f
from tests.helpers import log_in, pick, submit

pytestmark = pytest.mark.browser


def test_newcomer_maps_a_blueprint_and_sees_it_on_the_board(page, world):
    log_in(page, world.owner)
    page.click("text=New blueprint")
    page.fill("#name", "Onboarding")
    submit(page, "button:has-text('Save')")
    page.get_by_role("button", name="Add a stage").click()  # on the board, at its header row
    for stage in ("Sign up", "Set up", "First value"):
        page.get_by_role("textbox", name="Name of the new stage").fill(stage)
        page.keyboard.press("Enter")
        page.locator(".stage-name", has_text=stage).wait_for()
    assert page.locator(".stage-name").all_inner_texts() == ["Sign up", "Set up", "First value"]

    steps = [
        ("physical_evidence", "Welcome e-mail"),
        ("customer_action", "Creates an account"),
        ("frontstage", "Signup form"),
        ("backstage", "Provision tenant"),
        ("support", "Identity service upkeep"),
    ]
    for lane, title in steps:  # each added in its cell, and the emotion in the side panel
        page.click(f"td[data-lane='{lane}'] >> nth=0 >> text=+ Add")
        page.get_by_role("textbox", name="Title of the new step").fill(title)
        page.keyboard.press("Enter")
        page.locator(".bp-card", has_text=title).wait_for()
        page.keyboard.press("Escape")
        if lane == "customer_action":
            page.get_by_role("link", name=f"Edit {title}").click()
            page.fill("#emotion", "-1")
            page.get_by_role("button", name="Save").click()
            page.locator(".bp-card", has_text=title).locator(".emotion--1").wait_for()
            page.keyboard.press("Escape")
    page.click("text=People & systems")
    page.click("text=Add person / team")
    page.fill("#title", "Onboarding team")
    submit(page, "button:has-text('Save')")
    page.click("text=Add system")
    page.fill("#title", "Identity provider")
    submit(page, "button:has-text('Save')")

    page.click("text=Blueprints")
    page.click("text=Onboarding")
    page.click("text=Creates an account")
    page.select_option("#kind", "relies_on")
    pick(page, "Target", "Signup form")
    submit(page, "button:has-text('Add link')")
    page.click("text=Onboarding")  # breadcrumb back to the board
    page.click("text=Provision tenant")
    page.select_option("#kind", "performed_by")
    pick(page, "Target", "Onboarding team")
    submit(page, "button:has-text('Add link')")
    page.select_option("#kind", "uses")
    pick(page, "Target", "Identity provider")
    submit(page, "button:has-text('Add link')")
    page.click("nav[aria-label=breadcrumb] >> text=Onboarding")

    first = page.locator("th.stage-head").first.inner_text()
    assert "Sign up" in first
    for lane, title in steps:
        cell = page.locator(f"td[data-lane='{lane}']").first
        assert title in cell.inner_text(), (lane, title)
    backstage = page.locator("td[data-lane='backstage']").first.inner_text()
    assert "Onboarding team" in backstage and "Identity provider" in backstage


def test_pain_point_to_cause_to_task_at_the_top_of_the_backlog(page, world, bmap):
    f.make_task(world.workspace, "Something else", impact=2, effort=4)
    f.commit()
    log_in(page, world.editor)
    page.goto(f"{page.base}/elements/{bmap.buyer.id}")
    page.click("text=Record an insight")
    page.fill("#title", "Order confirmations arrive a day late")
    page.select_option("#severity", "5")
    page.select_option("#frequency", "4")
    submit(page, "button:has-text('Save')")
    page.click("text=See the cause tree")
    assert page.locator("svg.trace-diagram").is_visible()
    assert "Service desk" in page.inner_text(".trace-list")
    page.go_back()
    page.check(f"#cause-{bmap.person.id}")
    page.click("text=Save confirmed causes")
    assert page.is_checked(f"#cause-{bmap.person.id}")
    page.click("text=Create a task from it")
    submit(page, "button:has-text('Save')")  # the prefilled edit form, effort left at 3
    assert "Suggested impact from the graph: 5" in page.inner_text("main")
    page.click("nav >> text=Backlog")
    first = page.locator("table.backlog-table tbody tr").first.inner_text()
    assert "Fix: Order confirmations arrive a day late" in first


def test_rescore_and_see_the_matrix(page, world):
    task = f.make_task(world.workspace, "Self-service reset", impact=2, effort=4)
    f.make_task(world.workspace, "Bigger fish", impact=3, effort=2)
    f.commit()
    log_in(page, world.editor)
    page.goto(page.base + "/backlog")
    assert page.locator("table.backlog-table tbody tr").first.inner_text().count("Bigger fish")
    page.click("text=Self-service reset")
    page.click("main a.btn:has-text('Edit')")
    page.fill("#impact", "5")
    page.fill("#effort", "1")
    submit(page, "button:has-text('Save')")
    page.goto(page.base + "/backlog")
    assert "Self-service reset" in page.locator("table.backlog-table tbody tr").first.inner_text()
    page.click("text=Impact / effort matrix")
    point = page.locator(f"a[href='/tasks/{task.id}'] g.point")
    assert "quadrant-quick_win" in point.get_attribute("class")


def test_export_and_reimport_the_action_plan(page, world, tmp_path):
    task = f.make_task(world.workspace, "Shorter hold times", impact=4, effort=2)
    f.commit()
    log_in(page, world.editor)
    page.goto(page.base + "/backlog")
    with page.expect_download() as download:
        page.click("text=Export to Excel")  # a job: its page starts the download when done
    assert page.url.startswith(page.base + "/jobs/")
    assert download.value.suggested_filename.startswith("action-plan-")
    page.wait_for_selector("text=Download again")
    assert page.locator("[data-job-state]").inner_text() == "Finished"
    path = tmp_path / "plan.xlsx"
    download.value.save_as(path)
    wb = load_workbook(path)
    ws = wb["Action plan"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Status") + 1).value = "Planned"
    out = io.BytesIO()
    wb.save(out)
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(out.getvalue())
    page.goto(page.base + "/backlog")
    page.click("text=Import updates")
    page.set_input_files("#file", str(edited))
    submit(page, "button:has-text('Preview changes')")
    assert re.search(r"Status\s+Idea\s+Planned", page.inner_text("table"))
    page.click("text=Apply all changes")  # applied by a job: its page shows how far it is
    page.wait_for_selector("text=1 task updated from the workbook.")
    assert page.locator("[data-job-bar]").get_attribute("aria-valuenow") == "100"
    page.click("text=Back to the backlog")
    page.wait_for_url(page.base + "/backlog")
    db.session.expire_all()
    assert db.session.get(ImprovementTask, task.id).status.value == "planned"

    page.goto(page.base + "/blueprints")
    _, stages = f.make_blueprint(world.workspace, "Hold times", ("Call",))
    f.commit()
    page.goto(page.base + "/blueprints")
    page.click("text=Hold times")
    with page.expect_download() as blueprint_download:
        page.click("text=Download workbook")
    assert blueprint_download.value.suggested_filename == "hold-times.xlsx"


def test_viewer_sees_no_edit_controls_and_keyboard_reaches_the_highlighting(page, world, bmap):
    log_in(page, world.viewer)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    for control in ("+ Add", "Edit blueprint", "Add stage", "Mark reviewed"):
        assert page.locator(f"text={control}").count() == 0, control
    # Tab from the top of the page until the buyer's card title has focus
    page.locator("body").click(position={"x": 5, "y": 300})
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('.bp-card')?.id || ''")
        if focused == f"el-{bmap.buyer.id}":
            break
    else:
        raise AssertionError("the keyboard never reached the card")
    assert "is-active" in page.get_attribute(f"#el-{bmap.buyer.id}", "class")
    assert "is-linked" in page.get_attribute(f"#el-{bmap.desk.id}", "class")
    page.keyboard.press("Escape")
    assert "is-active" not in page.get_attribute(f"#el-{bmap.buyer.id}", "class")


def test_every_main_page_loads_without_script_or_csp_errors(page, world, bmap):
    f.make_insight(world.workspace, "Slow", bmap.buyer)
    task = f.make_task(world.workspace, "Speed up", targets=[bmap.desk])
    f.commit()
    log_in(page, world.owner)
    for path in (
        "/blueprints",
        f"/blueprints/{bmap.blueprint.id}",
        f"/elements/{bmap.desk.id}",
        f"/elements/{bmap.buyer.id}/trace",
        "/root-causes",
        "/backlog",
        "/backlog/matrix",
        "/insights",
        f"/tasks/{task.id}",
        f"/blueprints/{bmap.blueprint.id}/health",
        f"/blueprints/{bmap.blueprint.id}/history",
        f"/blueprints/{bmap.blueprint.id}/summary",
        f"/workspaces/{world.workspace.id}/activity",
        "/catalog",
        "/personas",
        f"/workspaces/{world.workspace.id}/members",
    ):
        response = page.goto(page.base + path)
        assert response.status == 200, path
        assert page.title().endswith("· Rootline"), path
    assert db.session.execute(select(ImprovementTask)).first() is not None


def test_board_draws_connectors_fits_and_prints(page, world, bmap):
    f.link(bmap.desk, bmap.backoffice)  # a second dependency between cards, across stages
    f.commit()
    log_in(page, world.viewer)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    connectors = page.locator(".board-connectors .connector")
    assert connectors.count() == 2  # buyer → desk, desk → allocate stock
    pairs = {
        (c.get_attribute("data-source"), c.get_attribute("data-target")) for c in connectors.all()
    }
    assert pairs == {
        (str(bmap.buyer.id), str(bmap.desk.id)),
        (str(bmap.desk.id), str(bmap.backoffice.id)),
    }
    # every line stays inside the board
    inside = page.evaluate(
        """() => {
          const svg = document.querySelector('.board-connectors').getBoundingClientRect();
          return [...document.querySelectorAll('.board-connectors .connector')].every((p) => {
            const r = p.getBoundingClientRect();
            return r.left >= svg.left - 1 && r.right <= svg.right + 1
                && r.top >= svg.top - 1 && r.bottom <= svg.bottom + 1;
          });
        }"""
    )
    assert inside
    page.hover(f"#el-{bmap.desk.id}")
    assert page.locator(".board-connectors .connector.is-linked").count() == 2

    page.set_viewport_size({"width": 700, "height": 600})
    fit = page.locator("[data-board-fit]")
    fit.click()
    assert fit.get_attribute("aria-pressed") == "true" and fit.inner_text() == "Actual size"
    fits = page.evaluate(
        "document.querySelector('.board').getBoundingClientRect().width"
        " <= document.querySelector('.board-wrap').clientWidth"
    )
    assert fits
    fit.click()
    assert fit.get_attribute("aria-pressed") == "false"
    pdf = page.pdf(format="A3", landscape=True)
    assert pdf.startswith(b"%PDF")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()  # printed: the board, not the app
    assert not page.locator("[data-board-fit]").is_visible()
    # the board is printed as the server draws it, with its legend (board-print.css)
    assert not page.locator(".board-wrap").is_visible()
    assert page.locator(".board-print .print-sheet").count() == 1
    drawing = page.locator(".board-print image").get_attribute("href")
    assert "Legend" in page.request.get(page.base + drawing).text()
    assert page.locator(".board-print .print-figure").is_visible()


def test_board_downloads_as_an_svg_that_opens_on_its_own(page, world, bmap, tmp_path):
    f.link(bmap.desk, bmap.backoffice)
    f.commit()
    log_in(page, world.viewer)
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")
    with page.expect_download() as download:
        page.click("text=Download SVG")
    assert download.value.suggested_filename == "order-to-cash-board.svg"
    saved = tmp_path / "board.svg"
    download.value.save_as(saved)

    page.goto(saved.as_uri())  # opened as a file, away from the app: it needs nothing else
    fonts = page.evaluate(
        """async () => { await document.fonts.ready;
                         return [...document.fonts].map((f) => [f.weight, f.status]); }"""
    )
    assert sorted(fonts) == [["400", "loaded"], ["700", "loaded"]]
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('path.connector')].map((p) => {
                 const r = p.getBoundingClientRect(); return r.width + r.height; })"""
    )
    assert len(drawn) == 2 and all(size > 10 for size in drawn)
    card = page.locator(f"#el-{bmap.desk.id} text.card-title").first
    family = card.evaluate("(t) => getComputedStyle(t).fontFamily")
    assert family.startswith('"Rootline DejaVu Sans"')
    page.goto(f"{page.base}/blueprints/{bmap.blueprint.id}")  # the artefact: the board


CROSSINGS = """() => {
  const cards = [...document.querySelectorAll('.bp-card')].map((c) => c.getBoundingClientRect());
  const svg = document.querySelector('.board-connectors').getBoundingClientRect();
  const out = {crossings: [], shared: 0, lines: 0};
  const runs = [];
  document.querySelectorAll('.board-connectors .connector').forEach((p, n) => {
    out.lines += 1;
    const nums = p.getAttribute('d').match(/[MHV]|-?[0-9.]+/g);
    let x = 0, y = 0; const segs = [];
    for (let i = 0; i < nums.length;) {
      const op = nums[i];
      if (op === 'M') { x = +nums[i + 1]; y = +nums[i + 2]; i += 3; continue; }
      const v = +nums[i + 1]; const end = op === 'H' ? [v, y] : [x, v];
      segs.push([[x, y], end]); [x, y] = end; i += 2;
    }
    segs.forEach(([[x1, y1], [x2, y2]], k) => {
      cards.forEach((r) => {
        const l = r.left - svg.left + 1, rt = r.right - svg.left - 1;
        const t = r.top - svg.top + 1, b = r.bottom - svg.top - 1;
        const hit = y1 === y2 ? (t < y1 && y1 < b && Math.min(x1, x2) < rt && Math.max(x1, x2) > l)
                              : (l < x1 && x1 < rt && Math.min(y1, y2) < b && Math.max(y1, y2) > t);
        if (hit) out.crossings.push(p.getAttribute('d'));
      });
      if (k > 0 && k < segs.length - 1) {
        runs.push(y1 === y2 ? [n, 'h', y1, Math.min(x1, x2), Math.max(x1, x2)]
                            : [n, 'v', x1, Math.min(y1, y2), Math.max(y1, y2)]);
      }
    });
  });
  for (let i = 0; i < runs.length; i++) for (let j = i + 1; j < runs.length; j++) {
    const a = runs[i], b = runs[j];
    if (a[0] !== b[0] && a[1] === b[1] && Math.abs(a[2] - b[2]) < 1
        && Math.min(a[4], b[4]) - Math.max(a[3], b[3]) > 1) out.shared += 1;
  }
  return out;
}"""


def test_a_busy_board_keeps_every_line_off_the_cards_and_on_its_own_track(page, world):
    import random

    rng = random.Random(5)
    blueprint, stages = f.make_blueprint(world.workspace, "Busy", [f"Stage {i}" for i in range(5)])
    kinds = ["physical_evidence", "customer_action", "frontstage", "backstage", "support"]
    steps = [
        f.make_element(stage, kind, f"{kind} {n} in {stage.name}")
        for kind in kinds
        for stage in stages
        for n in range(2)
    ]
    for step in steps:
        for target in rng.sample(steps, 2):
            if target is not step:
                f.link(step, target)
    f.commit()
    log_in(page, world.viewer)
    page.goto(f"{page.base}/blueprints/{blueprint.id}")
    found = page.evaluate(CROSSINGS)
    assert found["lines"] >= 90
    assert found["crossings"] == [] and found["shared"] == 0
    page.locator("[data-board-fit]").click()  # zoomed out, still true
    found = page.evaluate(CROSSINGS)
    assert found["crossings"] == [] and found["shared"] == 0


def test_spanning_steps_span_their_columns_and_lines_go_round_them(page, world):
    """Steps over several stages and over the whole journey, on a busy board: each spans
    its columns, and no line crosses a card; the People and systems row lists what the
    blueprint reaches, a system behind a system included."""
    import random

    rng = random.Random(11)
    blueprint, stages = f.make_blueprint(world.workspace, "Spans", [f"Stage {i}" for i in range(4)])
    kinds = ["physical_evidence", "customer_action", "frontstage", "backstage", "support"]
    steps = [
        f.make_element(stage, kind, f"{kind} {n} in {stage.name}")
        for kind in kinds
        for stage in stages
        for n in range(2)
    ]
    greet = f.make_element(stages[0], "frontstage", "Greet and seat", end_stage_id=stages[1].id)
    policy = f.make_element(stages[1], "support", "Food safety policy", all_stages=True)
    wide = f.make_element(stages[1], "backstage", "Kitchen runs", end_stage_id=stages[3].id)
    steps += [greet, policy, wide]
    for step in steps:
        for target in rng.sample(steps, 2):
            if target is not step:
                f.link(step, target)
    till = f.make_catalog(world.workspace, "system", "Till")
    stock = f.make_catalog(world.workspace, "system", "Stock database")
    f.link(greet, till, "uses")
    f.link(till, stock, "uses")
    f.commit()
    log_in(page, world.viewer)
    page.goto(f"{page.base}/blueprints/{blueprint.id}")
    width = page.evaluate(
        "(id) => document.getElementById(id).getBoundingClientRect().width", f"el-{policy.id}"
    )
    one = page.evaluate(
        "(id) => document.getElementById(id).getBoundingClientRect().width", f"el-{steps[0].id}"
    )
    assert width > 3.5 * one
    found = page.evaluate(CROSSINGS)
    assert found["lines"] >= 40
    assert found["crossings"] == [] and found["shared"] == 0
    page.locator("[data-board-fit]").click()
    found = page.evaluate(CROSSINGS)
    assert found["crossings"] == [] and found["shared"] == 0
    row = page.locator("tr.catalog-row")
    assert "Stock database" in row.inner_text() and "uses Stock database" in row.inner_text()
    assert "no step here relies on it directly" in row.inner_text()

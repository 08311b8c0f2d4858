"""Helpers that several test modules share (a test module never imports another): the
settings of the test app, servers a test needs, every route with rows to point at, query
counts, action-plan and blueprint workbooks as a user edits and uploads them, and the
browser's log-in. Rows are made by tests/factories.py; throwaway databases and real
servers come from devsupport/.
"""

from __future__ import annotations

import html
import io
import itertools
import os
import random
import re
from types import SimpleNamespace

import defusedxml.ElementTree as DET
from flask import url_for
from openpyxl import load_workbook
from sqlalchemy import event, select

import jobs
from accounts import invitations
from accounts.models import Role
from backlog.evidence.models import PendingEvidence
from backlog.models import PendingImport
from blueprint import transfer, undo, workbook
from blueprint.board import build_board
from blueprint.kinds import LANES, LinkKind
from blueprint.models import Link, PendingBlueprintUpdate, Persona
from blueprint.sharing import services as sharing
from config import TestConfig
from devsupport.databases import LOCAL_REDIS, postgres_reachable
from extensions import db
from jobs.models import JobStatus
from tests import factories as f
from workbooks.words import ENGLISH


def settings_for_tests() -> dict:
    """The settings of TestConfig, as a dict to extend (the app under test is built on them)."""
    return {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}


# --- servers a test needs ---------------------------------------------------------------------


def require_postgres(url: str) -> None:
    """Skip a test that needs PostgreSQL when none answers, naming it; in CI, fail instead
    (CI always has PostgreSQL, so a skip there would hide a gap)."""
    import pytest

    if postgres_reachable(url):
        return
    message = f"no PostgreSQL server answers at {url}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_redis(url: str = LOCAL_REDIS) -> None:
    """Skip a test that needs Redis when none answers; in CI, fail instead (CI starts it)."""
    import pytest
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return
    except redis.RedisError:
        pass
    message = f"no Redis server answers at {url}"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


# --- every route, with rows to point at ---------------------------------------------------


def every_route(app):
    """(rule, method) for every route of the app, HEAD and OPTIONS aside."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def post_routes(app):
    """Every rule that takes a POST, by endpoint."""
    return sorted(
        (rule for rule in app.url_map.iter_rules() if "POST" in rule.methods),
        key=lambda rule: rule.endpoint,
    )


_serial = itertools.count()


def fresh_ids(world, user) -> dict[str, object]:
    """Fresh rows of the workspace under test, one of each kind a route takes."""
    blueprint, stages = f.make_blueprint(world.workspace, "Matrix", ("One", "Two"))
    step = f.make_element(stages[0], "customer_action", "Step")
    desk = f.make_element(stages[0], "frontstage", "Desk")
    person = f.make_catalog(world.workspace, "person", f"Person {next(_serial)}")
    f.link(step, desk)
    persona = f.bp_services.save_persona(Persona(workspace_id=world.workspace.id), {"name": "P"})
    insight = f.make_insight(world.workspace, "I", step)
    why = f.backlog_services.add_why(insight, "because", None)
    task = f.make_task(world.workspace, "T", insights=[insight], targets=[desk])
    pending = PendingImport(workspace_id=world.workspace.id, user_id=user.id, payload="[]")
    n = next(_serial)
    spare = f.make_user(f"spare{n}@example.com")
    membership = f.accounts.add_member(world.workspace, spare.email, Role.VIEWER)
    # an invitation to the user under test, from a workspace of someone else's
    host = f.make_user(f"host{n}@example.com")
    elsewhere = f.make_workspace(f"Inviting {n}", host)
    invitation, token = invitations.invite(elsewhere, user.email, Role.EDITOR, host)
    sent, _ = invitations.invite(world.workspace, f"invited{n}@example.com", Role.VIEWER, host)
    job = f.make_job(
        world.workspace,
        user,
        status=JobStatus.DONE,
        result=b"PK",
        result_name="plan.xlsx",
        result_type="application/octet-stream",
    )
    db.session.add(pending)
    evidence = PendingEvidence(
        workspace_id=world.workspace.id,
        blueprint_id=blueprint.id,
        user_id=user.id,
        file_name="tickets.csv",
        content=b"id;category;text\nT-1;Billing;Step is slow\n",
        settings='{"mapping": {"text": "text", "reference": "id", "category": "category"}}',
    )
    db.session.add(evidence)
    share_link, share_token = sharing.create(blueprint, user, 30, "the route walk")
    update = PendingBlueprintUpdate(
        workspace_id=world.workspace.id,
        blueprint_id=blueprint.id,
        user_id=user.id,
        content=workbook.build(transfer.export_data(blueprint)),
    )
    db.session.add(update)
    # a change on the board by the user under test, for its Undo (nothing to undo in it)
    change = undo.record(blueprint, user.id, "Nothing to undo", [])
    f.commit()
    return {
        "blueprint_id": blueprint.id,
        "stage_id": stages[0].id,
        "element_id": desk.id,
        "link_id": db.session.scalar(select(Link.id).filter_by(source_id=step.id)),
        "persona_id": persona.id,
        "insight_id": insight.id,
        "why_id": why.id,
        "task_id": task.id,
        "import_id": pending.id,
        "pending_id": evidence.id,
        "update_id": update.id,
        "job_id": job.id,
        "workspace_id": world.workspace.id,
        "membership_id": membership.id,
        "invitation_id": invitation.id,
        "token": token,
        "sent_invitation_id": sent.id,
        "filename": "css/app.css",
        "person_id": person.id,
        "share_token": share_token,
        "share_link_id": share_link.id,
        "change_id": change.id,
    }


def route_args(rule, ids) -> dict[str, object]:
    """The arguments of `rule` from the ids `fresh_ids` made (each argument by its name)."""
    args = {name: ids[name] for name in rule.arguments}
    if rule.endpoint == "bootstrap.static":
        args["filename"] = "css/bootstrap.min.css"
    if rule.endpoint == "service_blueprints.edit_catalog_entry":
        args["element_id"] = ids["person_id"]  # lane elements redirect to their own form
    return args


def route_url(app, rule, ids) -> str:
    """The URL of `rule` with the ids `fresh_ids` made."""
    with app.test_request_context():
        return url_for(rule.endpoint, **route_args(rule, ids))


# --- queries ----------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    """How many SQL statements a GET of `url` runs (it must answer 200)."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


# --- the action plan, exported, edited and uploaded again -----------------------------------


def exported(client, url="/backlog/export.xlsx"):
    return load_workbook(io.BytesIO(client.get(url).data))


def column(ws, name):
    header = [c.value for c in ws[1]]
    return header.index(name) + 1


def row_of(ws, title):
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 2).value == title:
            return row
    raise AssertionError(title)


def finished_job(client, started):
    """Follow a started job to its end and return what its page reports."""
    assert started.status_code == 303 and started.location.startswith("/jobs/")
    jobs.wait_all()
    return client.get(started.location + ".json").get_json()


def upload_plan(client, wb):
    """Upload `wb`; a workbook that is an action plan is read by a job, followed here to its
    end, and the answer's `location` is where the job leads (the preview)."""
    out = io.BytesIO()
    wb.save(out)
    response = client.post(
        "/backlog/import",
        data={"file": (io.BytesIO(out.getvalue()), "p.xlsx")},
        content_type="multipart/form-data",
    )
    if response.status_code != 303:
        return response
    state = finished_job(client, response)
    assert state["status"] == "done", state
    return SimpleNamespace(status_code=303, location=state["next"], job=state)


def tasks(world):
    """Two tasks of the workspace, Alpha and Beta (committed)."""
    a = f.make_task(world.workspace, "Alpha", impact=3, effort=3)
    b = f.make_task(world.workspace, "Beta", impact=2, effort=2, team="Ops")
    f.commit()
    return a, b


# --- blueprint workbooks: crafted, imported, updated -----------------------------------------


def without_ids(found: dict[str, list[tuple]], words=ENGLISH) -> dict[str, list[tuple]]:
    """The sheets without the database's ids and versions (a copy has its own), of a
    workbook written in the language of `words`."""
    out = {}
    ids = tuple(words(c) for c in workbook.ROW_ID_COLUMNS)
    for title, rows in found.items():
        if title == words(workbook.EXPORTED_ROWS):
            continue
        if title == words("Blueprint"):
            out[title] = [r for r in rows if r[0] not in ids]
        elif rows and rows[0][-2:] == ids:
            out[title] = [r[:-2] for r in rows]
        else:
            out[title] = rows
    return out


def element_row(**values):
    return tuple(values.get(c) for c in workbook.ELEMENT_COLUMNS)


def valid_sheets(**overrides):
    base = {
        "Blueprint": [("field", "value"), ("name", "Imported"), ("state", "current")],
        "Stages": [("position", "name"), (1, "One")],
        "Elements": [
            workbook.ELEMENT_COLUMNS,
            element_row(
                key="S1-C-1",
                kind="customer_action",
                stage="One",
                position=1,
                title="Step",
                emotion=1,
            ),
        ],
        "People_and_systems": [workbook.CATALOG_COLUMNS, ("P1", "person", "Desk", "", "", "")],
        "Links": [workbook.LINK_COLUMNS, ("S1-C-1", "P1", "performed_by")],
    }
    base.update(overrides)
    return base


def import_workbook(client, content: bytes, name="x.xlsx"):
    """Import `content` as a new blueprint."""
    return client.post(
        "/blueprints/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def edit(content: bytes, change) -> bytes:
    """The workbook after `change(wb)`: cells edited as a user would, by column name."""
    wb = load_workbook(io.BytesIO(content))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cell(wb, sheet: str, key: str, column: str):
    """The cell of `column` in the row whose first column is `key`."""
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == key:
            return row[header.index(column)]
    raise KeyError(key)


def upload_update(client, blueprint, content: bytes):
    """Upload `content` as an update of `blueprint` (its preview is where it leads)."""
    return client.post(
        f"/blueprints/{blueprint.id}/update",
        data={"file": (io.BytesIO(content), "edited.xlsx")},
        content_type="multipart/form-data",
    )


def preview(client, blueprint, content: bytes) -> tuple[str, str, str]:
    """Upload and open the preview: (its URL, its text, the apply form's token)."""
    response = upload_update(client, blueprint, content)
    assert response.status_code == 303, response.get_data(as_text=True)
    page = client.get(response.location)
    text = html.unescape(page.get_data(as_text=True))
    token = re.search(r'name="token" value="([^"]*)"', text).group(1)
    return response.location, text, token


def words(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


# --- in the browser -------------------------------------------------------------------------


def log_in(page, user, password="correct horse battery"):
    page.goto(page.base + "/login")
    page.fill("#email", user.email)
    page.fill("#password", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()


def pick(page, field: str, title: str) -> None:
    """Choose an element in a type-ahead field (static/js/combobox.js) by typing its title
    and clicking the option that shows it. Waits for the page's scripts first: before
    combobox.js has enhanced it, the field is still the plain select of the no-JS form."""
    page.wait_for_load_state()
    page.get_by_role("combobox", name=field, exact=True).fill(title)
    option = page.get_by_role("option", name=re.compile("^" + re.escape(title) + "(,|$)"))
    option.first.click()


def submit(page, selector: str) -> None:
    """Click a submit button and wait for the page it leads to, so the next step never acts
    on the page being left."""
    with page.expect_navigation():
        page.click(selector)


# -- boards drawn as SVG (the board's download and its print) ------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def step(id, stage_id, kind, title, position=0, **extra):
    values = dict(
        fail_point=False,
        wait_point=False,
        moment_of_truth=False,
        channel=None,
        duration_minutes=None,
        tolerance_minutes=None,
        emotion=None,
        evidence_status=None,
        over_tolerance=False,
    )
    values.update(extra)
    return SimpleNamespace(
        id=id, stage_id=stage_id, kind=kind, title=title, position=position, **values
    )


def busy_board(seed=7, per_cell=(1, 2, 3), spans=False):
    """Five stages, every lane filled, 45+ steps, each relying on one to three others; with
    `spans`, some steps cover several stages and one in each lane the whole journey."""
    rng = random.Random(seed)
    stages = [SimpleNamespace(id=100 + i, name=f"Stage {i + 1}") for i in range(5)]
    elements, next_id = [], 1
    for kind in LANES:
        for stage in stages:
            for position in range(rng.choice(per_cell)):
                title = f"{kind.label} step {next_id} " + "with words " * rng.randint(0, 4)
                extra = {}
                if spans and rng.random() < 0.25:
                    extra["end_stage_id"] = rng.choice(stages).id
                elements.append(
                    step(
                        next_id,
                        stage.id,
                        kind,
                        title,
                        position,
                        emotion=rng.choice([-2, 1]),
                        **extra,
                    )
                )
                next_id += 1
        if spans:
            elements.append(
                step(next_id, stages[2].id, kind, f"{kind.label} policy", 9, all_stages=True)
            )
            next_id += 1
    links = []
    for e in elements:
        for target in rng.sample(elements, rng.randint(1, 3)):
            if target.id != e.id:
                links.append((e.id, target.id, LinkKind.RELIES_ON))
    return build_board(stages, elements, links, []), elements, links


def parse(svg_text):
    return DET.fromstring(svg_text.encode("utf-8"))


def segments(d):
    """The straight segments of an M/H/V path: ((x1, y1), (x2, y2)) each."""
    tokens = re.findall(r"[MHV]|-?\d+(?:\.\d+)?", d)
    x = y = 0.0
    out, i = [], 0
    while i < len(tokens):
        op = tokens[i]
        if op == "M":
            x, y = float(tokens[i + 1].rstrip(",")), float(tokens[i + 2])
            i += 3
            continue
        value = float(tokens[i + 1])
        end = (value, y) if op == "H" else (x, value)
        out.append(((x, y), end))
        x, y = end
        i += 2
    return out


def card_boxes(root):
    boxes = {}
    for g in root.iter(f"{SVG}g"):
        if "card" in (g.get("class") or "").split():
            r = g.find(f"{SVG}rect")
            boxes[int(g.get("id").removeprefix("el-"))] = tuple(
                float(r.get(a)) for a in ("x", "y", "width", "height")
            )
    return boxes


def crosses(segment, box):
    (x1, y1), (x2, y2) = segment
    bx, by, bw, bh = box
    left, right, top, bottom = bx + 0.5, bx + bw - 0.5, by + 0.5, by + bh - 0.5
    if y1 == y2:
        return top < y1 < bottom and min(x1, x2) < right and max(x1, x2) > left
    return left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top

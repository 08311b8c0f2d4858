"""Every state-changing route leaves exactly the audit rows its change calls for.

CASES lists each POST route with a valid request and the events it must write, counted by
(action, entity). A POST route missing from CASES fails the suite, so every future route has
to say what it records. Each case runs on fresh rows (see `tests.helpers.fresh_ids`).
"""

from __future__ import annotations

import io
import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl import load_workbook
from sqlalchemy import func, select

import jobs
from accounts import invitations
from accounts.audit import AuditEvent
from accounts.models import Role
from backlog.models import ImprovementTask, Insight
from blueprint import transfer, workbook
from blueprint.models import Element, Link, Persona, ServiceBlueprint, Stage
from extensions import db
from tests import factories as f
from tests.helpers import fresh_ids, post_routes, route_url

_serial = itertools.count()


@dataclass
class Ctx:
    client: object
    world: object
    ids: dict


@dataclass
class Case:
    expected: dict[tuple[str, str], int]
    data: Callable[[Ctx], dict] = lambda ctx: {}
    status: int = 302
    files: bool = field(default=False)  # multipart upload


def _n() -> int:
    return next(_serial)


def _blueprint_file(ctx: Ctx):
    blueprint = db.session.get(ServiceBlueprint, ctx.ids["blueprint_id"])
    content = workbook.build(transfer.export_data(blueprint))
    return {"file": (io.BytesIO(content), "blueprint.xlsx")}


def _blueprint_update(ctx: Ctx):
    """An upload of the blueprint's workbook with one step renamed, previewed."""
    blueprint = db.session.get(ServiceBlueprint, ctx.ids["blueprint_id"])
    wb = load_workbook(io.BytesIO(workbook.build(transfer.export_data(blueprint))))
    ws = wb["Elements"]
    ws.cell(2, [c.value for c in ws[1]].index("title") + 1).value = f"Renamed {_n()}"
    out = io.BytesIO()
    wb.save(out)
    response = ctx.client.post(
        f"/blueprints/{blueprint.id}/update",
        data={"file": (io.BytesIO(out.getvalue()), "blueprint.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    ctx.ids["update_id"] = int(response.location.rsplit("/", 1)[-1])
    page = ctx.client.get(response.location).get_data(as_text=True)
    return {"token": page.split('name="token" value="')[1].split('"')[0]}


def _plan_with_a_change(ctx: Ctx):
    wb = load_workbook(io.BytesIO(ctx.client.get("/backlog/export.xlsx").data))
    ws = wb["Action plan"]
    header = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):  # earlier cases left other tasks: change ours only
        if ws.cell(row, header.index("Task ID") + 1).value == ctx.ids["task_id"]:
            ws.cell(row, header.index("Team") + 1).value = f"Team {_n()}"
    out = io.BytesIO()
    wb.save(out)
    return {"file": (io.BytesIO(out.getvalue()), "plan.xlsx")}


def _pending_import(ctx: Ctx):
    response = ctx.client.post(
        "/backlog/import", data=_plan_with_a_change(ctx), content_type="multipart/form-data"
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    jobs.wait_all()  # the job reads the rows and keeps them for the preview
    preview = ctx.client.get(response.location + ".json").get_json()["next"]
    ctx.ids["import_id"] = int(preview.rsplit("/", 1)[-1])
    return {}


def _version(model, key) -> int:
    """The row's version now: what the page that edits it sends back."""
    db.session.expire_all()
    return db.session.get(model, key).version


def _second_frontstage(ctx: Ctx):
    from blueprint.models import Stage

    f.make_element(db.session.get(Stage, ctx.ids["stage_id"]), "frontstage", "Desk two")
    f.commit()
    return {"offset": "1", "version": _version(Element, ctx.ids["element_id"])}


def _a_step_added(ctx: Ctx):
    """A step the owner added on the board just now: its undo is the latest change."""
    from blueprint import board_edits
    from blueprint.models import ElementKind

    stage = db.session.get(Stage, ctx.ids["stage_id"])
    blueprint = db.session.get(ServiceBlueprint, stage.blueprint_id)
    _, change = board_edits.add_step(
        blueprint, stage, ElementKind.SUPPORT, f"Spare {_n()}", ctx.world.owner.id
    )
    f.commit()
    ctx.ids["change_id"] = change.id
    return {}


def _new_member(ctx: Ctx):
    user = f.make_user(f"new{_n()}@example.com")
    f.commit()
    return {"email": user.email, "role": "editor"}


def _setup_link_of_a_newcomer(ctx: Ctx):
    """Log out, and open the setup link of an invitation to someone with no account."""
    ctx.client.post("/logout")
    workspace = db.session.get(f.Workspace, ctx.ids["workspace_id"])
    _, ctx.ids["token"] = invitations.invite(
        workspace, f"newcomer{_n()}@example.com", Role.EDITOR, ctx.world.owner
    )
    f.commit()
    return {"name": "Newcomer", "password": "a good password", "confirm": "a good password"}


def _a_workspace_i_may_leave(ctx: Ctx):
    host = f.make_user(f"host-leave{_n()}@example.com")
    workspace = f.make_workspace(f"Leavable {_n()}", host, **{ctx.world.owner.email: Role.EDITOR})
    f.commit()
    ctx.ids["workspace_id"] = workspace.id
    return {"confirm": "leave"}


EVIDENCE_CSV = b"id;category;text\nT-1;Billing;Step is slow\nT-2;Billing;Step is slow again\n"


def _evidence_preview(ctx: Ctx):
    """The preview of the upload in progress (see `fresh_ids`), of rows new to the workspace."""
    from backlog.evidence import services as evidence
    from backlog.evidence.models import PendingEvidence

    pending = db.session.get(PendingEvidence, ctx.ids["pending_id"])
    # rows no earlier import brought (an import skips the rows it has seen)
    n = _n()
    pending.content = f"id;category;text\nE-{n};Billing;Step is slow, case {n}\n".encode()
    f.commit()
    blueprint = db.session.get(ServiceBlueprint, pending.blueprint_id)
    settings = evidence.Settings.from_json(pending.settings)
    return evidence.preview(blueprint, evidence.pending_table(pending), settings)


def _evidence_proposals(ctx: Ctx):
    """Every proposed insight kept, the first renamed and made more severe."""
    proposals = _evidence_preview(ctx).proposals
    assert proposals, "the upload in progress proposes an insight"
    data = {}
    for n, p in enumerate(proposals):
        e = p.element_id
        data |= {f"title_{e}": f"Slow step {_n()}" if n == 0 else "", f"action_{e}": "keep"}
        data[f"severity_{e}"] = str(5 if n == 0 else p.severity)
    return data


def _evidence_to_apply(ctx: Ctx):
    assert _evidence_preview(ctx).proposals, "applying it creates an insight"
    return {}


TASK = {"title": "T2", "status": "planned", "impact": "4", "effort": "2"}
INSIGHT = {"kind": "pain_point", "title": "I2", "severity": "4", "frequency": "2"}

CASES: dict[str, Case] = {
    # accounts
    "accounts.login": Case({}, lambda ctx: {"email": "x@example.com", "password": "wrongpass1"}),
    "accounts.logout": Case({}),
    # a password is no workspace's data; it changes to itself so the next cases log in
    "accounts.change_password": Case(
        {},
        lambda ctx: {
            "current_password": f.PASSWORD,
            "new_password": f.PASSWORD,
            "confirm": f.PASSWORD,
        },
    ),
    # your own settings are no workspace's data
    "accounts.profile": Case({}, lambda ctx: {"language": "en", "time_zone": "Europe/Warsaw"}),
    "accounts.choose_language": Case({}, lambda ctx: {"language": "pl"}),
    "accounts.create_workspace": Case(
        {("create", "workspace"): 1, ("create", "membership"): 1},
        lambda ctx: {"name": f"Workspace {_n()}"},
    ),
    "accounts.switch_workspace": Case({}),
    # adding someone invites them: the page shows the setup link to send
    "accounts.add_member": Case({("create", "invitation"): 1}, _new_member, status=200),
    "accounts.withdraw_invitation": Case({("delete", "invitation"): 1}),
    "accounts.answer_invitation": Case(
        {("create", "membership"): 1, ("delete", "invitation"): 1}, lambda ctx: {"answer": "accept"}
    ),
    # by the newcomer the link makes: their account, then their membership
    "accounts.join": Case(
        {("create", "membership"): 1, ("delete", "invitation"): 1}, _setup_link_of_a_newcomer
    ),
    "accounts.leave_workspace": Case({("delete", "membership"): 1}, _a_workspace_i_may_leave),
    "accounts.change_role": Case({("update", "membership"): 1}, lambda ctx: {"role": "editor"}),
    "accounts.remove_member": Case({("delete", "membership"): 1}),
    # blueprints
    "service_blueprints.create": Case(
        {("create", "service_blueprint"): 1}, lambda ctx: {"name": "New", "state": "current"}
    ),
    "service_blueprints.edit": Case(
        {("update", "service_blueprint"): 1},
        lambda ctx: {
            "name": "Renamed",
            "state": "current",
            "version": _version(ServiceBlueprint, ctx.ids["blueprint_id"]),
        },
    ),
    # its stages, elements and links go by the database's cascade, under this one event
    "service_blueprints.delete": Case({("delete", "service_blueprint"): 1}),
    "service_blueprints.duplicate": Case(
        {
            ("create", "service_blueprint"): 1,
            ("create", "stage"): 2,
            ("create", "element"): 2,
            ("create", "link"): 1,
        }
    ),
    "service_blueprints.mark_reviewed": Case({("update", "service_blueprint"): 1}),
    "service_blueprints.import_workbook": Case(
        {
            ("create", "service_blueprint"): 1,
            ("create", "stage"): 2,
            ("create", "element"): 2,
            ("create", "link"): 1,
        },
        _blueprint_file,
        files=True,
    ),
    # the upload waits for its preview in a table that is machinery, not history
    "service_blueprints.update_from_workbook": Case({}, _blueprint_file, status=303, files=True),
    "service_blueprints.update_apply": Case(
        {("update", "element"): 1}, _blueprint_update, status=303
    ),
    "service_blueprints.add_stage": Case({("create", "stage"): 1}, lambda ctx: {"name": "Three"}),
    "service_blueprints.rename_stage": Case(
        {("update", "stage"): 1},
        lambda ctx: {"name": "Uno", "version": _version(Stage, ctx.ids["stage_id"])},
    ),
    "service_blueprints.move_stage": Case(
        {("update", "stage"): 2},
        lambda ctx: {"offset": "1", "version": _version(Stage, ctx.ids["stage_id"])},
    ),
    "service_blueprints.delete_stage": Case(
        {
            ("delete", "stage"): 1,
            ("delete", "element"): 2,
            ("delete", "link"): 1,
            ("update", "stage"): 1,  # the stage after it closes the gap
            # the insight at its step goes with its why answer, as the user chose; the
            # task loses that insight and its target (the stage's other step)
            ("delete", "insight"): 1,
            ("delete", "why_step"): 1,
            ("update", "improvement_task"): 1,
        },
        lambda ctx: {"elements": "delete", "dependents": "delete"},
    ),
    "service_blueprints.new_element": Case(
        {("create", "element"): 1},
        lambda ctx: {"title": "New", "kind": "backstage", "stage_id": ctx.ids["stage_id"]},
    ),
    "service_blueprints.edit_element": Case(
        {("update", "element"): 1},
        lambda ctx: {"title": "Desk renamed", "version": _version(Element, ctx.ids["element_id"])},
    ),
    "service_blueprints.delete_element": Case(  # the task that targets it loses the target
        {("delete", "element"): 1, ("delete", "link"): 1, ("update", "improvement_task"): 1}
    ),
    "service_blueprints.move_element": Case({("update", "element"): 2}, _second_frontstage),
    "service_blueprints.move_element_to_stage": Case(
        {("update", "element"): 1},
        lambda ctx: {
            "stage_id": ctx.ids["stage_id"] + 1,
            "version": _version(Element, ctx.ids["element_id"]),
        },
    ),
    "service_blueprints.add_link": Case(
        {("create", "link"): 1},
        lambda ctx: {"kind": "performed_by", "target_id": ctx.ids["person_id"]},
    ),
    "service_blueprints.delete_link": Case({("delete", "link"): 1}),
    # the board as the editor (its undo records are machinery, not history)
    "service_blueprints.board_add_step": Case(
        {("create", "element"): 1},
        lambda ctx: {"stage_id": ctx.ids["stage_id"], "kind": "backstage", "title": "Quick"},
    ),
    "service_blueprints.element_panel": Case(
        {("update", "element"): 1},
        lambda ctx: {"title": "Desk, edited", "version": _version(Element, ctx.ids["element_id"])},
    ),
    "service_blueprints.place_element": Case(  # the desk, alone in its cell, to stage Two
        {("update", "element"): 1},
        lambda ctx: {
            "stage_id": ctx.ids["stage_id"] + 1,
            "kind": "frontstage",
            "version": _version(Element, ctx.ids["element_id"]),
        },
    ),
    "service_blueprints.place_stage": Case(  # stage One to the end: both stages move
        {("update", "stage"): 2},
        lambda ctx: {"before_id": "", "version": _version(Stage, ctx.ids["stage_id"])},
    ),
    "service_blueprints.board_delete_element": Case(  # its insights stay, detached; the task
        {("delete", "element"): 1, ("delete", "link"): 1, ("update", "improvement_task"): 1},
        lambda ctx: {"version": _version(Element, ctx.ids["element_id"])},
    ),
    "service_blueprints.board_links": Case(
        {("create", "link"): 1}, lambda ctx: {"target_id": ctx.ids["person_id"]}
    ),
    "service_blueprints.change_link_kind": Case(
        {("update", "link"): 1},
        lambda ctx: {"kind": "next", "version": _version(Link, ctx.ids["link_id"])},
    ),
    "service_blueprints.unlink": Case(
        {("delete", "link"): 1}, lambda ctx: {"version": _version(Link, ctx.ids["link_id"])}
    ),
    # undoing a step added on the board deletes it again
    "service_blueprints.undo_change": Case({("delete", "element"): 1}, _a_step_added),
    "service_blueprints.undo_latest": Case({("delete", "element"): 1}, _a_step_added),
    "service_blueprints.new_catalog_entry": Case(
        {("create", "element"): 1}, lambda ctx: {"kind": "system", "title": f"CRM {_n()}"}
    ),
    "service_blueprints.edit_catalog_entry": Case(
        {("update", "element"): 1},
        lambda ctx: {
            "kind": "person",
            "title": f"Clerk {_n()}",
            "version": _version(Element, ctx.ids["person_id"]),
        },
    ),
    "service_blueprints.new_persona": Case({("create", "persona"): 1}, lambda ctx: {"name": "P2"}),
    "service_blueprints.edit_persona": Case(
        {("update", "persona"): 1},
        lambda ctx: {"name": "P3", "version": _version(Persona, ctx.ids["persona_id"])},
    ),
    "service_blueprints.delete_persona": Case({("delete", "persona"): 1}),
    # the new link is shown on the page that answers (its token is never kept)
    "service_blueprints.create_share_link": Case(
        {("create", "share_link"): 1}, lambda ctx: {"days": "7", "label": "steering"}, status=200
    ),
    "service_blueprints.revoke_share_link": Case({("update", "share_link"): 1}, status=303),
    # backlog
    "backlog.settings": Case(
        {("create", "backlog_settings"): 1},  # the workspace had the defaults until now
        lambda ctx: {"framework": "ice", "quadrant_threshold": "4"},
    ),
    "backlog.new_insight": Case(
        {("create", "insight"): 1},
        lambda ctx: {**INSIGHT, "element_id": ctx.ids["element_id"]},
    ),
    "backlog.edit_insight": Case(
        {("update", "insight"): 1},
        lambda ctx: {
            **INSIGHT,
            "element_id": ctx.ids["element_id"] - 1,
            "version": _version(Insight, ctx.ids["insight_id"]),
        },
    ),
    "backlog.delete_insight": Case({("delete", "insight"): 1}),
    "backlog.confirm_causes": Case(
        {("update", "insight"): 1}, lambda ctx: {"causes": [ctx.ids["element_id"]]}
    ),
    "backlog.add_why": Case({("create", "why_step"): 1}, lambda ctx: {"answer": "Because"}),
    "backlog.delete_why": Case({("delete", "why_step"): 1}),
    "backlog.new_task": Case({("create", "improvement_task"): 1}, lambda ctx: TASK),
    # its links are sent unchanged, so they add no event
    "backlog.edit_task": Case(
        {("update", "improvement_task"): 1},
        lambda ctx: {
            **TASK,
            "insight_ids": [ctx.ids["insight_id"]],
            "target_ids": [ctx.ids["element_id"]],
            "version": _version(ImprovementTask, ctx.ids["task_id"]),
        },
    ),
    "backlog.delete_task": Case({("delete", "improvement_task"): 1}),
    "backlog.accept_impact": Case(
        {("update", "improvement_task"): 1},
        lambda ctx: {"version": _version(ImprovementTask, ctx.ids["task_id"])},
    ),
    "backlog.quick_task": Case(
        # created, then its insight and target links recorded
        {("create", "improvement_task"): 1, ("update", "improvement_task"): 1},
        lambda ctx: {"source": "insight", "insight_id": ctx.ids["insight_id"]},
    ),
    "backlog.bulk_status": Case(
        {("update", "improvement_task"): 1},
        lambda ctx: {
            "task_ids": [ctx.ids["task_id"]],
            "status": "done",
            f"version-{ctx.ids['task_id']}": _version(ImprovementTask, ctx.ids["task_id"]),
        },
    ),
    "backlog.import_updates": Case(  # the rows are read, and kept, by a job
        {("create", "pending_import"): 1}, _plan_with_a_change, status=303, files=True
    ),
    "backlog.import_apply": Case(  # applied by a job, as the user who started it
        {("update", "improvement_task"): 1, ("delete", "pending_import"): 1},
        _pending_import,
        status=303,
    ),
    # evidence: the upload and its choices wait in machinery until applied; what the
    # workspace keeps for later imports (category → step, a step's other name) is history
    "backlog.evidence_upload": Case(
        {},
        lambda ctx: {
            "blueprint_id": str(ctx.ids["blueprint_id"]),
            "file": (io.BytesIO(EVIDENCE_CSV), "tickets.csv"),
        },
        status=303,
        files=True,
    ),
    "backlog.evidence_columns": Case(
        {},
        lambda ctx: {
            "text": "text",
            "reference": "id",
            "category": "category",
            "source": "call_centre",
        },
        status=303,
    ),
    "backlog.evidence_categories": Case(
        {("create", "category_step"): 1},
        lambda ctx: {"category_0": str(ctx.ids["element_id"] - 1)},  # Billing → the step
        status=303,
    ),
    "backlog.evidence_alias": Case(
        {("create", "step_alias"): 1},
        lambda ctx: {"element_id": str(ctx.ids["element_id"]), "alias": f"Counter {_n()}"},
        status=303,
    ),
    "backlog.evidence_proposals": Case({}, _evidence_proposals, status=303),
    # the import and the insight it creates, then that insight's evidence reference and
    # date, written once its rows are saved (the rows themselves are machinery)
    "backlog.evidence_apply": Case(
        {("create", "evidence_import"): 1, ("create", "insight"): 1, ("update", "insight"): 1},
        _evidence_to_apply,
        status=303,
    ),
    "backlog.start_export": Case({}, status=303),  # an export reads; its job is not history
    "backlog.start_summary_pdf": Case({}, status=303),  # printing reads, too
    # who took a copy of everything; a restore's own events in the new workspace
    "backup.start_backup": Case({("backup", "workspace"): 1}, status=303),
    "backup.start_restore": Case(
        {("create", "membership"): 1, ("create", "invitation"): 1, ("restore", "workspace"): 1},
        lambda ctx: _backup_file(ctx),
        status=303,
        files=True,
    ),
    # the workspace had no ranking settings until now (no version to send back yet)
    "service_blueprints.ranking_settings": Case(
        {("create", "ranking_settings"): 1}, lambda ctx: {"pain_signals": "y", "version": ""}
    ),
    "service_blueprints.start_board_pdf": Case({}, status=303),  # so does the board's
}


def _backup_file(ctx: Ctx):
    """The workspace's backup without its history (which a restore copies as it was), one
    member besides the owner."""
    from accounts.models import Workspace
    from backup.workspace import export_workspace, to_bytes

    document = export_workspace(db.session.get(Workspace, ctx.ids["workspace_id"]))
    document["tables"]["audit_event"] = []
    owner = ctx.world.owner.email
    document["people"] = [
        {**p, "role": "owner" if p["email"] == owner else None} for p in document["people"]
    ] + [{"email": f"restored{_n()}@example.com", "name": "R", "active": True, "role": "viewer"}]
    return {"file": (io.BytesIO(to_bytes(document)), "backup.json"), "name": f"Restored {_n()}"}


def test_every_state_changing_route_says_what_it_records(app):
    endpoints = {rule.endpoint for rule in post_routes(app)}
    assert endpoints - set(CASES) == set(), "say in CASES what these routes record"
    assert set(CASES) - endpoints == set(), "these routes are gone: remove them from CASES"


def _last_event_id() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def test_each_change_leaves_exactly_the_expected_audit_rows(app, client, world, login):
    login(world.owner)
    for rule in post_routes(app):
        case = CASES[rule.endpoint]
        ctx = Ctx(client, world, fresh_ids(world, world.owner))
        data = case.data(ctx)
        url = route_url(app, rule, ctx.ids)
        since = _last_event_id()
        kwargs = {"content_type": "multipart/form-data"} if case.files else {}
        response = client.post(url, data=data, **kwargs)
        jobs.wait_all()  # what a started job changes belongs to the route that started it
        assert response.status_code == case.status, (
            rule.endpoint,
            response.status_code,
            response.get_data(as_text=True)[-2000:],
        )
        db.session.expire_all()
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > since)).all()
        got = Counter((e.action, e.entity) for e in events)
        assert got == Counter(case.expected), rule.endpoint
        for event in events:
            who = world.owner.id
            if rule.endpoint == "accounts.login":
                who = None
            elif rule.endpoint == "accounts.join":
                who = db.session.scalar(select(func.max(f.User.id)))  # the newcomer
            assert event.user_id == who, (rule.endpoint, event.entity)
            assert event.workspace_id is not None
            if event.action == "update" and event.entity != "membership":
                assert event.changed, (rule.endpoint, "an update with no changed fields")
        if rule.endpoint in ("accounts.logout", "accounts.join"):
            client.post("/logout")
            login(world.owner)


def test_a_failed_login_as_a_member_is_recorded_once_per_workspace(app, world):
    anonymous = app.test_client()
    since = _last_event_id()
    response = anonymous.post(
        "/login", data={"email": world.viewer.email, "password": "wrongpass1"}
    )
    assert response.status_code == 401
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.id > since)).all()
    assert [(e.action, e.entity, e.entity_id) for e in events] == [
        ("login_failed", "user", world.viewer.id)
    ]

"""The role × route matrix: every registered route and method, for an anonymous visitor, an
outsider (member of another workspace only), a viewer, an editor and an owner.

Each route is classified in ACCESS; a route missing from the table fails the suite, so every
future route has to be classified. Ids of the workspace under test are used on every route
that takes one, so for the outsider they are ids of another workspace. Routes that may change
something get fresh rows for each request, so a delete cannot starve the routes after it.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from accounts.models import Membership
from backlog.models import ImprovementTask, Insight
from blueprint.models import (
    Element,
    Link,
    Persona,
    ServiceBlueprint,
    Stage,
)
from extensions import db
from tests.helpers import every_route, fresh_ids, route_url

PUBLIC = "public"  # anyone, logged in or not
USER = "user"  # any logged-in user, whatever their workspaces
READ = "read"  # members of the workspace, any role
EDIT = "edit"  # editors and owners of the workspace
OWNER = "owner"  # owners of the workspace
MEMBER = "member"  # members of the workspace, any role; the form may refuse what it is sent
INVITEE = "invitee"  # the logged-in user an invitation is addressed to (others: 404)
SHARED = "shared"  # whoever holds the blueprint's share link, logged in or not, any workspace

ACCESS: dict[tuple[str, str], str] = {
    ("static", "GET"): PUBLIC,
    ("bootstrap.static", "GET"): PUBLIC,
    ("healthz", "GET"): PUBLIC,
    ("accounts.login", "GET"): PUBLIC,
    ("accounts.login", "POST"): PUBLIC,
    ("accounts.join", "GET"): PUBLIC,  # an invitation's setup link: no account needed
    ("accounts.join", "POST"): PUBLIC,
    ("accounts.home", "GET"): USER,
    ("accounts.logout", "POST"): USER,
    ("accounts.change_password", "GET"): USER,
    ("accounts.change_password", "POST"): USER,
    ("accounts.profile", "GET"): USER,  # your language and time zone
    ("accounts.profile", "POST"): USER,
    ("accounts.choose_language", "POST"): PUBLIC,  # the login page's language switch
    ("accounts.workspaces", "GET"): USER,
    ("accounts.create_workspace", "POST"): USER,
    ("accounts.switch_workspace", "POST"): READ,
    ("accounts.members", "GET"): READ,
    ("accounts.activity", "GET"): READ,
    ("accounts.add_member", "POST"): OWNER,
    ("accounts.change_role", "POST"): OWNER,
    ("accounts.remove_member", "POST"): OWNER,
    ("accounts.withdraw_invitation", "POST"): OWNER,
    ("accounts.answer_invitation", "POST"): INVITEE,
    ("accounts.leave_workspace", "GET"): READ,
    ("accounts.leave_workspace", "POST"): MEMBER,
    # the owners' backup page: download a backup, restore one as a new workspace (jobs)
    ("backup.page", "GET"): OWNER,
    ("backup.start_backup", "POST"): OWNER,
    ("backup.start_restore", "POST"): OWNER,
    # service blueprints: pages
    ("service_blueprints.index", "GET"): READ,
    ("service_blueprints.board", "GET"): READ,
    ("service_blueprints.element", "GET"): READ,
    ("service_blueprints.catalog", "GET"): READ,
    ("service_blueprints.personas", "GET"): READ,
    ("service_blueprints.trace", "GET"): READ,
    ("service_blueprints.root_causes", "GET"): READ,
    ("service_blueprints.ranking_settings", "POST"): EDIT,
    ("service_blueprints.blast_radius", "GET"): READ,
    ("service_blueprints.health", "GET"): READ,
    ("service_blueprints.history", "GET"): READ,
    ("backlog.blueprint_summary_page", "GET"): READ,
    ("backlog.blueprint_summary_pdf", "GET"): READ,
    ("backlog.start_summary_pdf", "POST"): READ,
    ("service_blueprints.download_workbook", "GET"): READ,
    ("service_blueprints.download_board_svg", "GET"): READ,
    ("service_blueprints.board_print_svg", "GET"): READ,
    ("service_blueprints.board_pdf_file", "GET"): READ,
    ("service_blueprints.start_board_pdf", "POST"): READ,
    ("service_blueprints.download_template", "GET"): READ,
    ("service_blueprints.search", "GET"): READ,  # the type-ahead's JSON
    ("backlog.search_insights_json", "GET"): READ,  # the task form's insight type-ahead
    # service blueprints: forms and changes
    ("service_blueprints.create", "GET"): EDIT,
    ("service_blueprints.create", "POST"): EDIT,
    ("service_blueprints.edit", "GET"): EDIT,
    ("service_blueprints.edit", "POST"): EDIT,
    ("service_blueprints.delete", "GET"): EDIT,
    ("service_blueprints.delete", "POST"): EDIT,
    ("service_blueprints.duplicate", "POST"): EDIT,
    ("service_blueprints.mark_reviewed", "POST"): EDIT,
    ("service_blueprints.import_workbook", "GET"): EDIT,
    ("service_blueprints.import_workbook", "POST"): EDIT,
    ("service_blueprints.update_from_workbook", "GET"): EDIT,
    ("service_blueprints.update_from_workbook", "POST"): EDIT,
    ("service_blueprints.update_preview", "GET"): EDIT,
    ("service_blueprints.update_apply", "POST"): EDIT,
    ("service_blueprints.add_stage", "POST"): EDIT,
    ("service_blueprints.rename_stage", "GET"): EDIT,
    ("service_blueprints.rename_stage", "POST"): EDIT,
    ("service_blueprints.move_stage", "POST"): EDIT,
    ("service_blueprints.delete_stage", "GET"): EDIT,
    ("service_blueprints.delete_stage", "POST"): EDIT,
    ("service_blueprints.new_element", "GET"): EDIT,
    ("service_blueprints.new_element", "POST"): EDIT,
    ("service_blueprints.edit_element", "GET"): EDIT,
    ("service_blueprints.edit_element", "POST"): EDIT,
    ("service_blueprints.delete_element", "GET"): EDIT,
    ("service_blueprints.delete_element", "POST"): EDIT,
    ("service_blueprints.move_element", "POST"): EDIT,
    ("service_blueprints.move_element_to_stage", "POST"): EDIT,
    ("service_blueprints.add_link", "POST"): EDIT,
    ("service_blueprints.delete_link", "POST"): EDIT,
    # the board as the editor
    ("service_blueprints.board_stamp", "GET"): READ,
    ("service_blueprints.board_live", "GET"): READ,
    ("service_blueprints.board_add_step", "POST"): EDIT,
    ("service_blueprints.element_panel", "GET"): EDIT,
    ("service_blueprints.element_panel", "POST"): EDIT,
    ("service_blueprints.place_element", "POST"): EDIT,
    ("service_blueprints.place_stage", "POST"): EDIT,
    ("service_blueprints.board_delete_element", "POST"): EDIT,
    ("service_blueprints.board_links", "GET"): EDIT,
    ("service_blueprints.board_links", "POST"): EDIT,
    ("service_blueprints.change_link_kind", "POST"): EDIT,
    ("service_blueprints.unlink", "POST"): EDIT,
    ("service_blueprints.undo_change", "POST"): EDIT,
    ("service_blueprints.undo_latest", "POST"): EDIT,
    ("service_blueprints.new_catalog_entry", "GET"): EDIT,
    ("service_blueprints.new_catalog_entry", "POST"): EDIT,
    ("service_blueprints.edit_catalog_entry", "GET"): EDIT,
    ("service_blueprints.edit_catalog_entry", "POST"): EDIT,
    ("service_blueprints.new_persona", "GET"): EDIT,
    ("service_blueprints.new_persona", "POST"): EDIT,
    ("service_blueprints.edit_persona", "GET"): EDIT,
    ("service_blueprints.edit_persona", "POST"): EDIT,
    ("service_blueprints.delete_persona", "POST"): EDIT,
    # backlog: pages
    ("backlog.index", "GET"): READ,
    ("backlog.matrix", "GET"): READ,
    ("backlog.export_plan", "GET"): READ,
    ("backlog.insights", "GET"): READ,
    ("backlog.insight", "GET"): READ,
    ("backlog.task", "GET"): READ,
    ("backlog.settings", "GET"): READ,
    # backlog: forms and changes
    ("backlog.settings", "POST"): EDIT,
    ("backlog.new_insight", "GET"): EDIT,
    ("backlog.new_insight", "POST"): EDIT,
    ("backlog.edit_insight", "GET"): EDIT,
    ("backlog.edit_insight", "POST"): EDIT,
    ("backlog.delete_insight", "GET"): EDIT,  # asks first
    ("backlog.delete_insight", "POST"): EDIT,
    ("backlog.confirm_causes", "POST"): EDIT,
    ("backlog.add_why", "POST"): EDIT,
    ("backlog.delete_why", "POST"): EDIT,
    ("backlog.new_task", "GET"): EDIT,
    ("backlog.new_task", "POST"): EDIT,
    ("backlog.edit_task", "GET"): EDIT,
    ("backlog.edit_task", "POST"): EDIT,
    ("backlog.delete_task", "GET"): EDIT,  # asks first
    ("backlog.delete_task", "POST"): EDIT,
    ("backlog.accept_impact", "POST"): EDIT,
    ("backlog.quick_task", "POST"): EDIT,
    ("backlog.bulk_status", "POST"): EDIT,
    ("backlog.import_updates", "GET"): EDIT,
    ("backlog.import_updates", "POST"): EDIT,
    ("backlog.import_preview", "GET"): EDIT,
    ("backlog.import_apply", "POST"): EDIT,
    ("backlog.start_export", "POST"): READ,
    # importing evidence: the uploader's until applied
    ("backlog.evidence_upload", "GET"): EDIT,
    ("backlog.evidence_upload", "POST"): EDIT,
    ("backlog.evidence_columns", "GET"): EDIT,
    ("backlog.evidence_columns", "POST"): EDIT,
    ("backlog.evidence_preview", "GET"): EDIT,
    ("backlog.evidence_categories", "POST"): EDIT,
    ("backlog.evidence_proposals", "POST"): EDIT,
    ("backlog.evidence_alias", "POST"): EDIT,
    ("backlog.evidence_apply", "POST"): EDIT,
    # long jobs: their starter's, inside the workspace
    ("jobs.job", "GET"): READ,
    ("jobs.job_status", "GET"): READ,
    ("jobs.job_download", "GET"): READ,
    # share links: made on the blueprint's Share page, opened by anyone holding one
    ("service_blueprints.share_links", "GET"): EDIT,
    ("service_blueprints.create_share_link", "POST"): EDIT,
    ("service_blueprints.revoke_share_link", "POST"): EDIT,
    ("shared.board", "GET"): SHARED,
    ("shared.board_svg_file", "GET"): SHARED,
    ("shared.board_print_svg", "GET"): SHARED,
    ("shared.summary", "GET"): SHARED,
    ("shared.summary_pdf", "GET"): SHARED,
}

# Enough valid-looking data that a route which wrongly let someone through would act on it.
FORM = {
    "name": "x",
    "title": "x",
    "kind": "pain_point",
    "severity": "3",
    "frequency": "3",
    "impact": "3",
    "effort": "3",
    "status": "done",
    "answer": "x",
    "offset": "1",
    "source": "cause",
    "framework": "ice",
    "quadrant_threshold": "3",
    "email": "nobody@example.com",
    "role": "viewer",
}
# Statuses that mean "the route let this role in": a page, a redirect after a change, or a
# form refused for its content (the generic FORM does not fit every form).
LET_IN = {200, 302, 303, 400, 409, 413, 422}


def test_every_route_is_classified(app):
    routes = {(rule.endpoint, method) for rule, method in every_route(app)}
    assert routes - set(ACCESS) == set(), "classify these routes in ACCESS"
    assert set(ACCESS) - routes == set(), "these routes are gone: remove them from ACCESS"


def _expected(who: str, access: str, rule, method: str) -> set[int]:
    takes_object = bool(set(rule.arguments) - {"filename"})
    if access == SHARED:
        return {200}  # the link is the key: who holds it does not matter
    if access == PUBLIC:
        if method == "POST":  # a refused login is a 400 with the form again
            return {200, 302, 400, 422}
        return {200} if who == "anonymous" else {200, 302}  # the login page sends users home
    if who == "anonymous":
        return {302}  # to the login page
    if access in (USER, INVITEE):
        return LET_IN
    if who == "outsider":
        # ids of a workspace they are not in do not exist for them; pages without ids show
        # the outsider's own (empty) workspace
        return {404} if takes_object else LET_IN
    if access == READ:
        return {200, 302, 303}  # 303: to the page of a job the request started
    if access == MEMBER:
        return LET_IN
    if access == EDIT:
        return {403} if who == "viewer" else LET_IN
    return LET_IN if who == "owner" else {403}


def _snapshot(workspace_id):
    """Rows and versions of the workspace under test: any change shows."""
    counts = tuple(
        db.session.execute(
            select(func.count(), func.sum(m.version)).where(m.workspace_id == workspace_id)
        ).one()
        for m in (ServiceBlueprint, Stage, Element, Link, Persona, Insight, ImprovementTask)
    )
    members = db.session.execute(
        select(Membership.user_id, Membership.role).where(Membership.workspace_id == workspace_id)
    ).all()
    return counts, sorted(members)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "viewer", "editor", "owner"])
def test_role_route_matrix(app, client, world, login, who):
    user = None if who == "anonymous" else getattr(world, who)
    ids = fresh_ids(world, user or world.owner)
    if user:
        login(user)
    may_change = who in ("editor", "owner")
    before = _snapshot(world.workspace.id)
    checked = 0
    for rule, method in every_route(app):
        access = ACCESS[(rule.endpoint, method)]
        if may_change and method == "POST":
            ids = fresh_ids(world, user)
        response = client.open(route_url(app, rule, ids), method=method, data=FORM)
        response.close()  # static files answer with an open file
        expected = _expected(who, access, rule, method)
        assert response.status_code in expected, (who, method, rule.rule, response.status_code)
        if who == "anonymous" and access not in (PUBLIC, SHARED):
            assert "/login" in response.headers["Location"]
        if rule.endpoint == "accounts.logout" and user:
            login(user)
        checked += 1
    assert checked == len(ACCESS)
    if not may_change:
        # nothing a refused request tried landed (the outsider's own workspace aside)
        assert _snapshot(world.workspace.id) == before


def test_viewer_sees_no_edit_controls_on_the_board(client, world, login, bmap):
    login(world.viewer)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert "Places order" in page
    for control in ("+ Add", "Edit blueprint", "Add a stage", "Mark reviewed", "Rename"):
        assert control not in page
    # the only forms: logging out, and printing the board to PDF (a job, which only reads)
    actions = re.findall(r'<form method="post" action="([^"]+)"', page)
    assert sorted(actions) == sorted(["/logout", f"/blueprints/{bmap.blueprint.id}/board/pdf"])
    assert page.count('name="csrf_token"') == 2


def test_editor_sees_add_in_every_cell(client, world, login, bmap):
    login(world.editor)
    page = client.get(f"/blueprints/{bmap.blueprint.id}").get_data(as_text=True)
    assert page.count('class="cell-add"') == 5 * 2  # five lanes × two stages

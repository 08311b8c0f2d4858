"""The workspace-capture attack, end to end in Chromium: an account with no workspace names
one like the victim's and invites the victim. The victim lands in their own workspace,
sees the invitation, declines it, and their work never reaches the attacker."""

import pytest
from sqlalchemy import func, select

from accounts.models import Membership, Workspace
from backlog.models import ImprovementTask
from extensions import db
from tests import factories as f
from tests.helpers import log_in, submit

pytestmark = pytest.mark.browser

LOOKALIKE = "!! Acme Support (IT notice)"


def test_a_lookalike_workspace_cannot_capture_the_victim_or_their_work(page, world):
    attacker = f.make_user("mallory@example.com", "Mallory Mole")
    f.commit()
    victim = world.editor  # a member of Acme Support

    log_in(page, attacker)
    page.fill("#name", LOOKALIKE)
    submit(page, "input[value='Create workspace']")
    lookalike = db.session.scalar(select(Workspace).where(Workspace.name == LOOKALIKE))
    page.goto(f"{page.base}/workspaces/{lookalike.id}/members")
    page.fill("#email", victim.email)
    page.select_option("#role", "editor")
    submit(page, "input[value='Invite']")
    told = page.locator("#invitation-link").inner_text()
    assert "They join only if they accept" in told
    submit(page, "button:has-text('Log out')")

    # nothing happened to the victim yet: no membership without their consent
    assert (
        db.session.scalar(
            select(func.count()).where(
                Membership.workspace_id == lookalike.id, Membership.user_id == victim.id
            )
        )
        == 0
    )

    log_in(page, victim)
    header = page.locator(".current-workspace").inner_text()
    assert header == "Workspace: Acme Support"  # their own, not the lookalike
    notice = page.locator("#invitation-notice").inner_text()
    assert "Mallory Mole (mallory@example.com) invites you to join" in notice
    assert LOOKALIKE in notice
    page.click("#invitation-notice >> text=Answer")
    page.wait_for_load_state()
    submit(page, "#invitations >> button:has-text('Decline')")
    assert "You declined the invitation" in page.content()
    assert page.locator("#invitation-notice").count() == 0

    page.goto(f"{page.base}/tasks/new")
    page.fill("#title", "Renegotiate the courier contract")
    submit(page, "button:has-text('Save')")
    assert page.locator(".current-workspace").inner_text() == "Workspace: Acme Support"
    submit(page, "button:has-text('Log out')")

    db.session.expire_all()
    task = db.session.scalar(
        select(ImprovementTask).where(ImprovementTask.title == "Renegotiate the courier contract")
    )
    assert task.workspace_id == world.workspace.id
    assert (
        db.session.scalar(select(func.count()).where(Membership.workspace_id == lookalike.id)) == 1
    )  # the attacker alone

    log_in(page, attacker)
    page.goto(f"{page.base}/backlog")
    assert page.locator(".current-workspace").inner_text() == f"Workspace: {LOOKALIKE}"
    assert "Renegotiate the courier contract" not in page.content()
    members = page.goto(f"{page.base}/workspaces/{lookalike.id}/members")
    assert members.status == 200
    assert victim.email not in page.content()  # declined: not a member, nor still invited
    assert page.request.get(f"{page.base}/tasks/{task.id}").status == 404  # not theirs to see

"""The workspace switcher and member management, with the last-owner rule."""

from sqlalchemy import func, select

from accounts.models import Membership, Role, Workspace
from extensions import db
from tests import factories


def _membership(workspace, user) -> Membership:
    return db.session.execute(
        select(Membership).filter_by(workspace_id=workspace.id, user_id=user.id)
    ).scalar_one()


def test_switcher_lists_only_my_workspaces(client, world, login):
    login(world.editor)
    page = client.get("/workspaces").get_data(as_text=True)
    assert "Acme Support" in page
    assert "Elsewhere Ltd" not in page


def test_create_workspace_makes_me_owner_and_current(client, world, login):
    login(world.viewer)
    response = client.post("/workspaces", data={"name": "Night Shift"})
    assert response.status_code == 302
    page = client.get("/workspaces").get_data(as_text=True)
    assert "Night Shift" in page
    assert "Workspace: <strong>Night Shift</strong>" in page


def test_a_name_i_already_gave_one_of_my_workspaces_is_refused(client, world, login):
    login(world.owner)
    response = client.post("/workspaces", data={"name": "acme support"})
    assert response.status_code == 422
    assert "You already have a workspace called" in response.get_data(as_text=True)


def test_another_teams_workspace_name_is_free_and_its_name_never_told(client, world, login):
    # the outsider may call theirs like ours: names are unique per creator, so a refusal
    # can never tell anyone which names other teams use
    login(world.outsider)
    response = client.post("/workspaces", data={"name": "Acme Support"})
    assert response.status_code == 302
    names = db.session.scalars(select(Workspace.name).where(Workspace.name == "Acme Support"))
    assert len(names.all()) == 2
    # the outsider's own name again is refused, and the answer names only what they typed
    refused = client.post("/workspaces", data={"name": "ACME support"})
    assert refused.status_code == 422
    assert "You already have a workspace called &#39;ACME support&#39;" in refused.get_data(
        as_text=True
    )


def test_duplicate_name_beyond_ascii_is_refused_not_a_server_error(client, world, login):
    # SQLite's lower() leaves È as it is, so a case-insensitive check alone missed this
    login(world.owner)
    assert client.post("/workspaces", data={"name": "Équipe È"}).status_code == 302
    for name in ("Équipe È", "  Équipe È "):
        response = client.post("/workspaces", data={"name": name})
        assert response.status_code == 422
        assert "You already have a workspace called" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(Workspace.name == "Équipe È")) == 1


def test_switch_to_a_workspace_i_am_not_in_is_404(client, world, login):
    login(world.owner)
    response = client.post(f"/workspaces/{world.other_workspace.id}/switch")
    assert response.status_code == 404


def test_switch_changes_the_current_workspace(client, world, login):
    factories.make_workspace("Second", world.owner)
    login(world.owner)
    second = [w for w, _ in _my(world.owner) if w.name == "Second"][0]
    client.post(f"/workspaces/{second.id}/switch")
    assert "Workspace: <strong>Second</strong>" in client.get("/workspaces").get_data(as_text=True)


def _my(user):
    from accounts.models import Workspace

    return db.session.execute(
        select(Workspace, Membership.role).join(Membership).where(Membership.user_id == user.id)
    ).all()


def test_owner_changes_a_role(client, world, login):
    login(world.owner)
    membership = _membership(world.workspace, world.editor)
    response = client.post(
        f"/workspaces/{world.workspace.id}/members/{membership.id}/role", data={"role": "viewer"}
    )
    assert response.status_code == 302
    db.session.refresh(membership)
    assert membership.role is Role.VIEWER


def test_owner_removes_a_member(client, world, login):
    login(world.owner)
    membership_id = _membership(world.workspace, world.viewer).id
    response = client.post(f"/workspaces/{world.workspace.id}/members/{membership_id}/remove")
    assert response.status_code == 302
    assert db.session.get(Membership, membership_id) is None


def test_last_owner_cannot_be_demoted_or_removed(client, world, login):
    login(world.owner)
    membership = _membership(world.workspace, world.owner)
    demote = client.post(
        f"/workspaces/{world.workspace.id}/members/{membership.id}/role", data={"role": "editor"}
    )
    assert demote.status_code == 409
    assert "last owner" in demote.get_data(as_text=True)
    remove = client.post(f"/workspaces/{world.workspace.id}/members/{membership.id}/remove")
    assert remove.status_code == 409
    db.session.refresh(membership)
    assert membership.role is Role.OWNER


def test_an_owner_can_step_down_once_there_is_another(client, world, login):
    login(world.owner)
    editor = _membership(world.workspace, world.editor)
    client.post(
        f"/workspaces/{world.workspace.id}/members/{editor.id}/role", data={"role": "owner"}
    )
    me = _membership(world.workspace, world.owner)
    response = client.post(
        f"/workspaces/{world.workspace.id}/members/{me.id}/role", data={"role": "viewer"}
    )
    assert response.status_code == 302
    db.session.refresh(me)
    assert me.role is Role.VIEWER


def test_editor_and_viewer_cannot_manage_members(client, world, login):
    target = _membership(world.workspace, world.viewer)
    for user in (world.editor, world.viewer):
        login(user)
        base = f"/workspaces/{world.workspace.id}/members"
        assert client.get(base).status_code == 200
        assert "Only owners can" in client.get(base).get_data(as_text=True)
        assert (
            client.post(base, data={"email": "x@example.com", "role": "viewer"}).status_code == 403
        )
        assert client.post(f"{base}/{target.id}/remove").status_code == 403
        assert client.post(f"{base}/{target.id}/role", data={"role": "owner"}).status_code == 403
        client.post("/logout")
    assert db.session.get(Membership, target.id) is not None


def test_outsider_gets_404_for_another_workspace(client, world, login):
    login(world.outsider)
    base = f"/workspaces/{world.workspace.id}/members"
    assert client.get(base).status_code == 404
    assert client.post(base, data={"email": "x@example.com", "role": "viewer"}).status_code == 404
    membership = _membership(world.workspace, world.viewer)
    assert client.post(f"{base}/{membership.id}/remove").status_code == 404


def test_membership_id_from_another_workspace_is_404(client, world, login):
    login(world.owner)
    foreign = _membership(world.other_workspace, world.outsider)
    response = client.post(f"/workspaces/{world.workspace.id}/members/{foreign.id}/remove")
    assert response.status_code == 404
    assert db.session.get(Membership, foreign.id) is not None

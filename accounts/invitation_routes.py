"""Answering invitations, the setup link for people without an account, withdrawing an
invitation, and leaving a workspace. Views of the `accounts` Flask blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from accounts import invitations, logins, services
from accounts.forms import ActionForm, AnswerForm, JoinForm, LeaveForm, WorkspaceForm
from accounts.models import Invitation, Membership, Workspace
from accounts.routes import _render_workspaces, bp
from accounts.security import require_role
from extensions import db
from web.edits import submit


@bp.app_context_processor
def invitation_notice():
    """Every page tells a logged-in user about invitations waiting for their answer."""
    if not current_user.is_authenticated or not current_user.invitations_waiting:
        return {"pending_invitations": []}
    return {"pending_invitations": invitations.pending_for(current_user)}


def _joined(membership: Membership, workspace_name: str) -> tuple[str, str]:
    """What someone who just joined is told, and where they go: into that workspace."""
    session["workspace_id"] = membership.workspace_id
    message = _(
        "You joined %(workspace)s as %(role)s.",
        workspace=workspace_name,
        role=str(membership.role.label).lower(),
    )
    return message, url_for("accounts.home")


@bp.post("/invitations/<int:invitation_id>")
def answer_invitation(invitation_id: int):
    """Accept or decline an invitation addressed to me (anyone else: 404)."""
    invitation = invitations.mine_or_none(invitation_id, current_user)
    if invitation is None:
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Choose to accept or to decline the invitation."), "danger")
        return _render_workspaces(WorkspaceForm(), 422)
    name = invitation.workspace.name
    try:
        if form.answer.data == "accept":
            membership = invitations.accept(invitation, current_user)
        else:
            invitations.decline(invitation)
    except invitations.InvitationGone as exc:
        flash(exc.message, "warning")
        return redirect(url_for("accounts.workspaces"))
    db.session.commit()
    if form.answer.data == "accept":
        message, home = _joined(membership, name)
        flash(message, "success")
        return redirect(home)
    flash(_("You declined the invitation to %(workspace)s.", workspace=name), "info")
    return redirect(url_for("accounts.workspaces"))


@bp.post("/workspaces/<int:workspace_id>/invitations/<int:sent_invitation_id>/withdraw")
def withdraw_invitation(workspace_id: int, sent_invitation_id: int):
    require_role(workspace_id, owner=True)
    invitation = db.session.get(Invitation, sent_invitation_id)
    if invitation is None or invitation.workspace_id != workspace_id:
        abort(404)
    email = invitation.email
    try:
        invitations.withdraw(invitation)
    except invitations.InvitationGone as exc:
        flash(exc.message, "warning")
    else:
        db.session.commit()
        flash(
            _("The invitation for %(email)s is withdrawn; its link no longer works.", email=email),
            "info",
        )
    return redirect(url_for("accounts.members", workspace_id=workspace_id))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """The setup link (public on purpose: its holder may have no account). Without an
    account: choose a name and password, which accepts. With one: log in and answer."""
    invitation = invitations.by_token(token)
    if invitation is None:
        return render_template("accounts/join.html", invitation=None), 404
    workspace = db.session.get(Workspace, invitation.workspace_id)
    if current_user.is_authenticated:
        if request.method == "POST":
            return redirect(url_for("accounts.join", token=token))
        return render_template(
            "accounts/join.html",
            invitation=invitation,
            workspace=workspace,
            answer_form=ActionForm(),
        )
    if request.method == "POST" and request.form.get("answer") == "decline":
        return _decline(invitation, workspace)
    form, name = JoinForm(), workspace.name
    return submit(
        form,
        lambda: _start_account(invitation, form),
        saved=lambda membership: _joined(membership, name),
        page=lambda: _join_page(invitation, workspace, form),
        refuses=services.AccountError,
    )


def _start_account(invitation: Invitation, form: JoinForm) -> Membership:
    """The invited newcomer's account, logged in, and their membership."""
    user, claimed = invitations.start_invited_account(
        invitation, form.name.data, form.password.data
    )
    session.clear()
    logins.start_session(user)
    login_user(user)  # from here on the audit trail knows who joined
    return invitations.join_as(claimed, user)


def _decline(invitation: Invitation, workspace: Workspace):
    if not ActionForm().validate_on_submit():
        return _join_page(invitation, workspace, JoinForm())
    invitations.decline(invitation)
    db.session.commit()
    return render_template("accounts/join.html", invitation=None, declined=True)


def _join_page(invitation: Invitation, workspace: Workspace, form: JoinForm):
    return render_template(
        "accounts/join.html",
        invitation=invitation,
        workspace=workspace,
        form=form,
        decline_form=ActionForm(),
    ), 422 if form.is_submitted() else 200


@bp.route("/workspaces/<int:workspace_id>/leave", methods=["GET", "POST"])
def leave_workspace(workspace_id: int):
    """Leave a workspace (asks first); its last owner is told to name another owner."""
    require_role(workspace_id)
    workspace = db.session.get(Workspace, workspace_id)
    form = LeaveForm()
    if request.method == "GET":
        return render_template("accounts/leave.html", workspace=workspace, form=form)
    if not form.validate_on_submit():
        flash(_("Confirm that you want to leave with the button below."), "danger")
        return render_template("accounts/leave.html", workspace=workspace, form=form), 422
    membership = db.session.execute(
        db.select(Membership).filter_by(workspace_id=workspace_id, user_id=current_user.id)
    ).scalar_one()
    try:
        services.leave(membership)
    except services.AccountError as exc:
        flash(exc.message, "danger")
        return render_template("accounts/leave.html", workspace=workspace, form=form), 409
    db.session.commit()
    session.pop("workspace_id", None)
    flash(_("You left %(workspace)s.", workspace=workspace.name), "info")
    return redirect(url_for("accounts.workspaces"))

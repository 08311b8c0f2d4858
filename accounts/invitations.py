"""Invitations: how someone comes into a workspace with their consent.

An owner invites an e-mail address; nothing changes for the invitee until they accept (on
their workspaces page, after logging in) or, without an account yet, open the setup link,
choose a name and a password, and so accept. Inviting answers the same whether the address
has an account or not, so it tells nobody who uses Rootline.

Every invitation has a setup link: a random token (`secrets.token_urlsafe(32)`) stored only
as its SHA-256, compared in constant time, valid for `INVITATION_LIFETIME`, used once.
Adds and flushes; the view commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from accounts import audit
from accounts.models import Invitation, Membership, Role, User, Workspace
from accounts.services import (
    AccountError,
    check_password_rules,
    create_user,
    find_user,
    normalise_email,
    use_workspace,
)
from clock import utcnow
from extensions import db
from tokens import digest, row_by_token


class InvitationGone(AccountError):
    """Answered, withdrawn or expired: nothing to act on any more."""


def invite(workspace: Workspace, email: str, role: Role, by: User) -> tuple[Invitation, str]:
    """Invite `email` to `workspace` as `role`; the token of its setup link is returned, and
    only its hash kept. Inviting again renews the invitation (a new link, a new expiry)."""
    email = normalise_email(email)
    if not email or "@" not in email:
        raise AccountError(_("Enter an e-mail address."), "email")
    member = db.session.execute(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace.id, User.email == email)
    ).first()
    if member is not None:  # the owner sees the members anyway: this tells nothing new
        raise AccountError(
            _("%(email)s is already a member of this workspace.", email=email), "email"
        )
    token = secrets.token_urlsafe(32)
    invitation = db.session.execute(
        select(Invitation).where(Invitation.workspace_id == workspace.id, Invitation.email == email)
    ).scalar_one_or_none()
    values = {
        "role": role,
        "invited_by_id": by.id,
        "token_hash": digest(token),
        "expires_at": utcnow() + current_app.config["INVITATION_LIFETIME"],
    }
    if invitation is None:
        invitation = Invitation(workspace_id=workspace.id, email=email, **values)
        db.session.add(invitation)
    else:
        for key, value in values.items():
            setattr(invitation, key, value)
    db.session.flush()
    return invitation, token


def by_token(token: str) -> Invitation | None:
    """The open invitation whose setup link carries `token`, or None."""
    invitation = row_by_token(Invitation, token)
    if invitation is None:
        return None
    return invitation if invitation.expires_at > utcnow() else None


@dataclass(frozen=True)
class Pending:
    invitation: Invitation
    workspace_name: str
    inviter: str  # "Name (e-mail)", so the invitee can tell who asks


def pending_for(user: User) -> list[Pending]:
    """The open invitations addressed to `user`'s e-mail, newest first."""
    rows = db.session.execute(
        select(Invitation, Workspace.name, User.name, User.email)
        .join(Workspace, Workspace.id == Invitation.workspace_id)
        .outerjoin(User, User.id == Invitation.invited_by_id)
        .where(Invitation.email == user.email, Invitation.expires_at > utcnow())
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    return [
        Pending(inv, ws, f"{name} ({email})" if name else _("a former member"))
        for inv, ws, name, email in rows
    ]


def sent_by(workspace_id: int) -> list[Invitation]:
    """The workspace's open invitations, for its owners."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.workspace_id == workspace_id, Invitation.expires_at > utcnow())
            .order_by(Invitation.email)
        )
    )


def mine_or_none(invitation_id: int, user: User) -> Invitation | None:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.email != user.email or invitation.expires_at <= utcnow():
        return None
    return invitation


@dataclass(frozen=True)
class Claimed:
    """An invitation taken out of the table by its answer: what the answer acts on."""

    workspace_id: int
    invitation_id: int
    email: str
    role: Role


def _claim(invitation: Invitation) -> Claimed:
    """End the invitation, once: of two answers at the same moment only one finds it (the
    delete waits for the other's transaction and then finds no row)."""
    claimed = Claimed(invitation.workspace_id, invitation.id, invitation.email, invitation.role)
    gone = db.session.execute(delete(Invitation).where(Invitation.id == claimed.invitation_id))
    if gone.rowcount != 1:
        raise InvitationGone(_("This invitation has already been answered or withdrawn."), None)
    db.session.expunge(invitation)
    return claimed


def _record_end(claimed: Claimed, how: str, user_id: int | None = None) -> None:
    audit.record(
        claimed.workspace_id,
        "delete",
        "invitation",
        claimed.invitation_id,
        claimed.email,
        {"answer": [None, how]},
        user_id=user_id,
    )


def _end(invitation: Invitation, how: str) -> None:
    _record_end(_claim(invitation), how)


def join_as(claimed: Claimed, user: User) -> Membership:
    """The membership an accepted invitation makes (the one there is, if any)."""
    membership = db.session.execute(
        select(Membership).where(
            Membership.workspace_id == claimed.workspace_id, Membership.user_id == user.id
        )
    ).scalar_one_or_none()
    if membership is None:
        membership = Membership(
            user_id=user.id, workspace_id=claimed.workspace_id, role=claimed.role
        )
        db.session.add(membership)
        db.session.flush()
    use_workspace(user, claimed.workspace_id)
    return membership


def accept(invitation: Invitation, user: User) -> Membership:
    """`user` (whose e-mail it is addressed to) joins the workspace in the invited role."""
    if invitation.email != user.email:
        raise InvitationGone(_("This invitation is for someone else."), None)
    claimed = _claim(invitation)
    _record_end(claimed, "accepted")
    return join_as(claimed, user)


def decline(invitation: Invitation) -> None:
    _end(invitation, "declined")


def withdraw(invitation: Invitation) -> None:
    _end(invitation, "withdrawn")


def start_invited_account(invitation: Invitation, name: str, password: str) -> tuple[User, Claimed]:
    """The account of someone who opened their setup link and has none yet; the invitation
    is used up by it. The caller logs the user in, then makes the membership (`join_as`)."""
    if find_user(invitation.email) is not None:
        raise AccountError(
            _(
                "There is an account for %(email)s already. Log in, and accept the "
                "invitation from your workspaces page.",
                email=invitation.email,
            ),
            "name",
        )
    if not name.strip():
        raise AccountError(_("Enter your name."), "name")
    check_password_rules(password)
    claimed = _claim(invitation)
    user = create_user(claimed.email, name, password)
    _record_end(claimed, "accepted", user.id)
    return user, claimed


def forget_expired_invitations() -> None:
    """Invitations past their expiry, with their setup links: they can no longer be
    accepted, and the owner invites again for a new one (the sweep, every minute)."""
    db.session.execute(delete(Invitation).where(Invitation.expires_at < utcnow()))

"""Login, logout, the workspace switcher and member management."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from accounts import audit, invitations, logins, mail, services
from accounts.forms import (
    ActionForm,
    AddMemberForm,
    LoginForm,
    PasswordForm,
    RoleForm,
    WorkspaceForm,
)
from accounts.models import Membership, Role, User, Workspace
from accounts.security import (
    current_workspace,
    landing_workspace_id,
    my_workspaces,
    require_role,
)
from extensions import db
from safeinput import id_or_none
from web.edits import submit
from web.i18n import LANGUAGE_COOKIE, local_zone

bp = Blueprint("accounts", __name__)
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: an open redirect would make the login page a phishing tool."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return default


def remember_language(response, language: str):
    """Keep `language` for the visitor in a cookie (the login page's switch, and a user who
    logs out keeps reading it in their language)."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure,
        httponly=True,
    )
    return response


@bp.get("/")
def home():
    if current_workspace() is None:
        return redirect(url_for("accounts.workspaces"))
    return redirect(url_for("service_blueprints.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template(
            "accounts/login.html", form=form
        ), 400 if form.is_submitted() else 200
    try:
        user = logins.authenticate(form.email.data, form.password.data, request.remote_addr or "")
    except services.LoginThrottled as exc:
        form.email.errors.append(exc.message)
        return render_template("accounts/login.html", form=form), 429
    if user is None:
        db.session.commit()  # the failure must outlive the request, for throttling
        form.password.errors.append(_("E-mail or password is not right."))
        return render_template("accounts/login.html", form=form), 401
    session.clear()  # rotate: nothing from before the login survives it
    logins.start_session(user)
    login_user(user)
    landing = landing_workspace_id(user.id)
    if landing is not None:
        session["workspace_id"] = landing
    db.session.commit()
    return redirect(safe_next(request.args.get("next"), url_for("accounts.home")))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Your own password: the current one is asked for; your other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            logins.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                request.remote_addr or "",
            )
        except services.LoginThrottled as exc:
            form.current_password.errors.append(exc.message)
            return render_template("accounts/password.html", form=form), 429
        except services.AccountError as exc:
            field = form.current_password if exc.field == "current_password" else form.new_password
            field.errors.append(exc.message)
        else:
            db.session.commit()
            flash(_("Your password is changed; your other sessions are logged out."), "success")
            return redirect(url_for("accounts.home"))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


@bp.post("/logout")
def logout():
    told = _("You are logged out.")  # in the user's own language, while it is known
    language = current_user.language
    logins.end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash(told, "info")
    response = redirect(url_for("accounts.login"))
    if language:  # the login page stays in the language the user chose
        remember_language(response, language)
    return response


def _render_workspaces(form: WorkspaceForm, status: int = 200):
    current = current_workspace()
    return render_template(
        "accounts/workspaces.html",
        rows=my_workspaces(),
        current_id=current[0].id if current else None,
        form=form,
        action_form=ActionForm(),
    ), status


@bp.get("/workspaces")
def workspaces():
    return _render_workspaces(WorkspaceForm())


@bp.post("/workspaces")
def create_workspace():
    form = WorkspaceForm()
    return submit(
        form,
        lambda: services.create_workspace(form.name.data, current_user),
        saved=_entered,
        page=lambda: _render_workspaces(form, 422),
        refuses=services.AccountError,
    )


def _entered(workspace: Workspace) -> tuple[str, str]:
    session["workspace_id"] = workspace.id
    message = _("Workspace %(workspace)s created; you are its owner.", workspace=workspace.name)
    return message, url_for("accounts.home")


@bp.post("/workspaces/<int:workspace_id>/switch")
def switch_workspace(workspace_id: int):
    require_role(workspace_id)
    session["workspace_id"] = workspace_id
    services.use_workspace(current_user, workspace_id)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("accounts.home")))


def _members_page(
    workspace_id: int,
    add_form: AddMemberForm | None = None,
    status: int = 200,
    link: dict | None = None,
):
    workspace = db.get_or_404(Workspace, workspace_id)
    is_owner = g.role is Role.OWNER
    members = db.session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(User.name, User.email)
    ).all()
    return render_template(
        "accounts/members.html",
        workspace=workspace,
        members=members,
        is_owner=is_owner,
        invitations=invitations.sent_by(workspace_id) if is_owner else [],
        link=link,
        add_form=add_form or AddMemberForm(),
        role_form=RoleForm(),
        action_form=ActionForm(),
    ), status


@bp.get("/workspaces/<int:workspace_id>/members")
def members(workspace_id: int):
    require_role(workspace_id)
    return _members_page(workspace_id)


@bp.post("/workspaces/<int:workspace_id>/members")
def add_member(workspace_id: int):
    """Invite someone. The answer is the same whether the e-mail has an account or not."""
    require_role(workspace_id, owner=True)
    form = AddMemberForm()
    if form.validate_on_submit():
        workspace = db.session.get(Workspace, workspace_id)
        try:
            invitation, token = invitations.invite(
                workspace, form.email.data, Role(form.role.data), current_user
            )
        except services.AccountError as exc:
            form.email.errors.append(exc.message)
        else:
            db.session.commit()
            link = url_for("accounts.join", token=token, _external=True)
            return _members_page(workspace_id, link=_send_invitation(invitation, workspace, link))
    return _members_page(workspace_id, form, 422)


def _send_invitation(invitation, workspace: Workspace, link: str) -> dict:
    """What the owner is told: the link to send, and whether it was also e-mailed."""
    told = {"email": invitation.email, "role": invitation.role, "url": link, "mailed": None}
    if mail.configured():
        message = mail.invitation_message(
            invitation.email,
            workspace.name,
            f"{current_user.name} ({current_user.email})",
            invitation.role,
            link,
            invitation.expires_at,
            services.find_user(invitation.email),
        )
        told["mailed"] = mail.send(message) or True
    return told


def _membership_or_404(workspace_id: int, membership_id: int) -> Membership:
    require_role(workspace_id, owner=True)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.workspace_id != workspace_id:
        abort(404)
    return membership


@bp.post("/workspaces/<int:workspace_id>/members/<int:membership_id>/role")
def change_role(workspace_id: int, membership_id: int):
    membership = _membership_or_404(workspace_id, membership_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.change_role(membership, Role(form.role.data), actor=current_user)
        except services.AccountError as exc:
            flash(exc.message, "danger")
            return _members_page(workspace_id, status=409)
        db.session.commit()
        flash(
            _(
                "%(name)s is now %(role)s.",
                name=membership.user.name,
                role=str(membership.role.label).lower(),
            ),
            "success",
        )
        return redirect(url_for("accounts.members", workspace_id=workspace_id))
    flash(_("Choose one of the roles owner, editor or viewer."), "danger")
    return _members_page(workspace_id, status=422)


@bp.post("/workspaces/<int:workspace_id>/members/<int:membership_id>/remove")
def remove_member(workspace_id: int, membership_id: int):
    membership = _membership_or_404(workspace_id, membership_id)
    name = membership.user.name
    try:
        services.remove_member(membership, actor=current_user)
    except services.AccountError as exc:
        flash(exc.message, "danger")
        return _members_page(workspace_id, status=409)
    db.session.commit()
    flash(_("%(name)s removed from the workspace.", name=name), "success")
    return redirect(url_for("accounts.members", workspace_id=workspace_id))


@bp.get("/workspaces/<int:workspace_id>/activity")
def activity(workspace_id: int):
    """The workspace's activity feed, filterable by user, kind of entity and date."""
    require_role(workspace_id)
    workspace = db.session.get(Workspace, workspace_id)
    user_id = id_or_none(request.args.get("user_id"))
    entity = request.args.get("entity") or None
    try:
        since = date.fromisoformat(request.args["since"]) if request.args.get("since") else None
    except ValueError:
        since = None
        flash(_("Give the date as YYYY-MM-DD."), "warning")
    members = db.session.execute(
        select(User.id, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.workspace_id == workspace_id)
        .order_by(User.name)
    ).all()
    return render_template(
        "accounts/activity.html",
        workspace=workspace,
        members=members,
        events=audit.activity(
            workspace_id, user_id=user_id, entity=entity, since=since, zone=local_zone()
        ),
        entities=audit.activity_filters(),
        chosen={"user_id": user_id, "entity": entity, "since": since},
    )


# their views join this blueprint: invitations; the profile and the login page's language switch
from accounts import invitation_routes, profile_routes  # noqa: E402,F401

"""`flask --app wsgi create-user / set-password / create-workspace / add-member /
disable-user`, and how every command finds a workspace by name."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts import services
from accounts.models import Role, User, Workspace
from extensions import db
from web.commands import command, option

creator_option = option(
    "--creator",
    "creator_email",
    default=None,
    help=_l("When several workspaces have this name: the e-mail of the one who created it."),
)


def pick_workspace(name: str, creator_email: str | None = None) -> Workspace:
    """The workspace called `name` (created by `creator_email`, if given). Names are unique
    only per creator, so a name that several workspaces share is refused with their ids and
    creators, for the administrator to add --creator."""
    query = select(Workspace).where(Workspace.name == name).order_by(Workspace.id)
    if creator_email:
        query = query.join(User, User.id == Workspace.created_by_id).where(
            User.email == services.normalise_email(creator_email)
        )
    found = db.session.scalars(query).all()
    if not found:
        if creator_email:
            raise click.ClickException(
                _(
                    "No workspace is called %(name)s created by %(email)s.",
                    name=repr(name),
                    email=creator_email,
                )
            )
        raise click.ClickException(_("No workspace is called %(name)s.", name=repr(name)))
    if len(found) > 1:
        listing = "; ".join(
            _(
                "id %(id)s, created by %(email)s",
                id=w.id,
                email=w.created_by.email if w.created_by else _("nobody known"),
            )
            for w in found
        )
        raise click.ClickException(
            _(
                "Several workspaces are called %(name)s (%(listing)s). "
                "Add --creator EMAIL to say which one.",
                name=repr(name),
                listing=listing,
            )
        )
    return found[0]


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)


@command("create-user", help=_l("Create a user who can log in."))
@click.argument("email")
@option("--name", required=True, help=_l("The person's name as the app shows it."))
@option("--password-stdin", is_flag=True, help=_l("Read the password from standard input."))
def create_user_command(email: str, name: str, password_stdin: bool) -> None:
    password = _read_password(password_stdin)
    try:
        user = services.create_user(email, name, password)
    except services.AccountError as exc:
        db.session.rollback()
        _fail(exc.message)
    db.session.commit()
    click.echo(_("Created user %(email)s.", email=user.email))


def _user(email: str):
    user = services.find_user(email)
    if user is None:
        _fail(_("No user has the e-mail %(email)s.", email=email))
    return user


@command("set-password", help=_l("Give a user a new password (ends their open sessions)."))
@click.argument("email")
@option("--password-stdin", is_flag=True, help=_l("Read the password from standard input."))
def set_password_command(email: str, password_stdin: bool) -> None:
    user = _user(email)
    try:
        services.set_password(user, _read_password(password_stdin))
    except services.AccountError as exc:
        db.session.rollback()
        _fail(exc.message)
    db.session.commit()
    click.echo(_("New password set for %(email)s.", email=user.email))


@command("create-workspace", help=_l("Create a workspace with an existing user as its owner."))
@click.argument("name")
@option("--owner", "owner_email", required=True, help=_l("E-mail of the first owner."))
def create_workspace_command(name: str, owner_email: str) -> None:
    owner = services.find_user(owner_email)
    if owner is None:
        _fail(
            _(
                "No user has the e-mail %(email)s; create it with create-user first.",
                email=owner_email,
            )
        )
    try:
        workspace = services.create_workspace(name, owner)
    except services.AccountError as exc:
        db.session.rollback()
        _fail(exc.message)
    db.session.commit()
    click.echo(
        _(
            "Created workspace %(workspace)s owned by %(email)s.",
            workspace=workspace.name,
            email=owner.email,
        )
    )


@command(
    "add-member",
    help=_l(
        "Add an existing user to a workspace at once (an administrator's shortcut: in the "
        "app, owners invite and the person accepts)."
    ),
)
@click.argument("workspace_name")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.EDITOR.value)
@creator_option
def add_member_command(
    workspace_name: str, email: str, role: str, creator_email: str | None
) -> None:
    workspace = pick_workspace(workspace_name, creator_email)
    try:
        services.add_member(workspace, email, Role(role))
    except services.AccountError as exc:
        db.session.rollback()
        _fail(exc.message)
    db.session.commit()
    click.echo(
        _(
            "Added %(email)s to %(workspace)s as %(role)s.",
            email=email,
            workspace=workspace.name,
            role=str(Role(role).label).lower(),
        )
    )


@command("disable-user", help=_l("Stop a user from logging in; their open sessions end at once."))
@click.argument("email")
@option("--enable", is_flag=True, help=_l("Allow the user to log in again."))
def disable_user_command(email: str, enable: bool) -> None:
    user = _user(email)
    services.set_active(user, enable)
    db.session.commit()
    if enable:
        click.echo(_("%(email)s is enabled.", email=user.email))
    else:
        click.echo(_("%(email)s is disabled.", email=user.email))


def register(app: Flask) -> None:
    for each in (
        create_user_command,
        set_password_command,
        create_workspace_command,
        add_member_command,
        disable_user_command,
    ):
        app.cli.add_command(each)

"""`flask --app wsgi seed-demo`: a realistic B2B workspace that shows all Rootline does.

Demo only: the passwords below are published in README.
"""

from __future__ import annotations

import click
from sqlalchemy import select

from accounts import invitations
from accounts import services as accounts
from accounts.models import Role, User, Workspace
from blueprint.services import save_ranking_settings
from demo.backlog import seed_backlog
from demo.blueprints import seed_blueprints
from demo.sharing import seed_share_link
from extensions import db

DEMO_PASSWORD = "rootline-demo"
DEMO_WORKSPACE = "Northwind Wholesale"
# Eli runs a second workspace and has invited Dana to it: the notice shows on Dana's pages
# until she accepts or declines.
INVITING_WORKSPACE = "Northwind Field Service"
DEMO_USERS = [
    ("demo@example.com", "Dana Demo", Role.OWNER),
    ("editor@example.com", "Eli Editor", Role.EDITOR),
    ("viewer@example.com", "Vic Viewer", Role.VIEWER),
]


def seed_demo() -> Workspace:
    """Create the demo users and workspace. The caller commits."""
    users: dict[str, User] = {}
    for email, name, _role in DEMO_USERS:
        users[email] = accounts.find_user(email) or accounts.create_user(email, name, DEMO_PASSWORD)
    workspace = accounts.create_workspace(DEMO_WORKSPACE, users["demo@example.com"])
    for email, _name, role in DEMO_USERS[1:]:
        accounts.add_member(workspace, email, role)
    blueprints = seed_blueprints(workspace.id, users["demo@example.com"].id)
    seed_backlog(workspace.id, blueprints, {email: user.id for email, user in users.items()})
    seed_share_link(blueprints["current"], users["demo@example.com"].id)
    # the ranking weighs the map's pain signals too (emotions, steps slower than tolerated)
    save_ranking_settings(workspace.id, pain_signals=True)
    field = accounts.create_workspace(INVITING_WORKSPACE, users["editor@example.com"])
    invitations.invite(field, "demo@example.com", Role.EDITOR, users["editor@example.com"])
    return workspace


def demo_exists() -> bool:
    return (
        db.session.execute(select(Workspace.id).filter_by(name=DEMO_WORKSPACE)).first() is not None
    )


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo workspace exists.")
def seed_demo_command(if_empty: bool) -> None:
    """Create the demo workspace (owner demo@example.com, password rootline-demo)."""
    if demo_exists():
        if if_empty:
            click.echo("Demo workspace already there; leaving it as it is.")
            return
        raise click.ClickException(
            f"The workspace {DEMO_WORKSPACE!r} exists already; delete the database to reseed."
        )
    seed_demo()
    db.session.commit()
    click.echo(f"Seeded {DEMO_WORKSPACE}: log in as demo@example.com / {DEMO_PASSWORD}")

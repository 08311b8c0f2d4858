"""`flask --app wsgi seed-demo`: a realistic B2B workspace that shows all Rootline does;
`seed-demo --lang pl`: a Polish one of its own beside it (demo/polish.py).

Demo only: the passwords below are published in README.
"""

from __future__ import annotations

import click
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from accounts import invitations
from accounts import services as accounts
from accounts.models import Role, User, Workspace
from blueprint.services import save_ranking_settings
from demo.backlog import seed_backlog
from demo.blueprints import seed_blueprints
from demo.polish import POLISH_USER, POLISH_WORKSPACE, seed_polish_demo
from demo.sharing import seed_share_link
from extensions import db
from web.commands import command, option

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
    from demo.evidence import seed_evidence  # here: `python -m demo.evidence_files` stays quiet

    seed_evidence(blueprints["current"], users["editor@example.com"].id)
    seed_share_link(blueprints["current"], users["demo@example.com"].id)
    # the ranking weighs the map's pain signals too (emotions, steps slower than tolerated)
    save_ranking_settings(workspace.id, pain_signals=True)
    field = accounts.create_workspace(INVITING_WORKSPACE, users["editor@example.com"])
    invitations.invite(field, "demo@example.com", Role.EDITOR, users["editor@example.com"])
    return workspace


def demo_exists(name: str = DEMO_WORKSPACE) -> bool:
    return db.session.execute(select(Workspace.id).filter_by(name=name)).first() is not None


@command(
    "seed-demo",
    help=_l(
        "Create the demo workspace (owner demo@example.com, password rootline-demo), or with "
        "--lang pl the Polish one (owner agnieszka@example.com, same password)."
    ),
)
@option("--if-empty", is_flag=True, help=_l("Do nothing when the demo workspace exists."))
@option(
    "--lang",
    type=click.Choice(["en", "pl"]),
    default="en",
    show_default=True,
    help=_l("en: the English demo; pl: the Polish demo workspace, beside it."),
)
def seed_demo_command(if_empty: bool, lang: str) -> None:
    # --lang chooses the demo's content; the shell's language, what the command says
    name = POLISH_WORKSPACE if lang == "pl" else DEMO_WORKSPACE
    if demo_exists(name):
        if if_empty:
            click.echo(_("Demo workspace %(name)s already there; leaving it as it is.", name=name))
            return
        raise click.ClickException(
            _(
                "The workspace %(name)s exists already; delete the database to reseed.",
                name=repr(name),
            )
        )
    with force_locale(lang):  # the words the app writes itself (imported insights…)
        if lang == "pl":
            seed_polish_demo(DEMO_PASSWORD)
            login = POLISH_USER[0]
        else:
            seed_demo()
            login = "demo@example.com"
    db.session.commit()
    click.echo(
        _(
            "Seeded %(name)s: log in as %(login)s / %(password)s",
            name=name,
            login=login,
            password=DEMO_PASSWORD,
        )
    )

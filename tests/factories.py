"""Small helpers that make rows for tests. They flush; tests commit when a request must see
the data."""

from __future__ import annotations

from accounts import services as accounts
from accounts.models import Role, User, Workspace
from extensions import db
from jobs.models import Job

PASSWORD = "correct horse battery"


def make_user(email: str, name: str | None = None, password: str = PASSWORD) -> User:
    return accounts.create_user(email, name or email.split("@")[0].title(), password)


def make_workspace(name: str, owner: User, **members: Role) -> Workspace:
    """`members` maps e-mails of existing users to their role."""
    workspace = accounts.create_workspace(name, owner)
    for email, role in members.items():
        accounts.add_member(workspace, email, role)
    return workspace


def commit() -> None:
    db.session.commit()


# --- service blueprints ------------------------------------------------------------------

from blueprint import services as bp_services  # noqa: E402
from blueprint.models import Element, ElementKind, LinkKind, ServiceBlueprint, Stage  # noqa: E402


def make_blueprint(
    workspace: Workspace, name: str = "Onboarding", stages=("Sign up", "Set up"), **values
) -> tuple[ServiceBlueprint, list[Stage]]:
    blueprint = bp_services.create_blueprint(workspace.id, {"name": name, **values})
    return blueprint, [bp_services.add_stage(blueprint, s) for s in stages]


def make_element(stage: Stage, kind: ElementKind | str, title: str, **values) -> Element:
    return bp_services.add_element(stage, ElementKind(kind), {"title": title, **values})


def make_catalog(workspace: Workspace, kind: ElementKind | str, title: str, **values) -> Element:
    return bp_services.add_catalog_element(
        workspace.id, ElementKind(kind), {"title": title, **values}
    )


def link(source: Element, target: Element, kind: LinkKind | str = "relies_on"):
    return bp_services.link_elements(source, target, LinkKind(kind))


# --- backlog ---------------------------------------------------------------------------------

from backlog import services as backlog_services  # noqa: E402
from backlog.models import ImprovementTask, Insight  # noqa: E402


def make_insight(workspace: Workspace, title: str, element=None, **values) -> Insight:
    defaults = {"kind": "pain_point", "severity": 3, "frequency": 3}
    values = {**defaults, **values, "title": title}
    from backlog.models import InsightKind

    values["kind"] = InsightKind(values["kind"])
    if element is not None:
        values["element_id"] = element.id
    return backlog_services.save_insight(Insight(workspace_id=workspace.id), values)


def make_job(workspace: Workspace, user: User, **values) -> Job:
    """A job row as a run would leave it (an action plan export unless told otherwise)."""
    job = Job(
        workspace_id=workspace.id,
        user_id=user.id,
        **{"kind": "action_plan", "label": "Action plan export", **values},
    )
    db.session.add(job)
    db.session.flush()
    return job


def make_task(workspace: Workspace, title: str, insights=(), targets=(), **values):
    return backlog_services.save_task(
        ImprovementTask(workspace_id=workspace.id),
        {"title": title, **values},
        [i.id for i in insights],
        [t.id for t in targets],
    )

"""Read-side queries of the blueprint pages: each a fixed number of SQL statements,
whatever the size of the blueprint."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import flask_babel
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from accounts.audit import AuditEvent
from accounts.models import Membership, User
from blueprint.board import Board, build_board
from blueprint.models import (
    CATALOG_KINDS,
    BlueprintState,
    Element,
    Link,
    LinkKind,
    Persona,
    ServiceBlueprint,
    Stage,
)
from extensions import db
from web.i18n import local_today


@dataclass
class BlueprintRow:
    blueprint: ServiceBlueprint
    persona_name: str | None
    owner_name: str | None
    element_count: int
    fail_point_count: int
    review_overdue: bool


def blueprint_rows(
    workspace_id: int,
    q: str | None = None,
    state: BlueprintState | None = None,
    today: date | None = None,
) -> list[BlueprintRow]:
    counts = (
        select(
            Element.blueprint_id.label("bid"),
            func.count(Element.id).label("elements"),
            func.sum(func.cast(Element.fail_point, db.Integer)).label("fails"),
        )
        .where(Element.workspace_id == workspace_id, Element.blueprint_id.is_not(None))
        .group_by(Element.blueprint_id)
        .subquery()
    )
    stmt = (
        select(ServiceBlueprint, Persona.name, User.name, counts.c.elements, counts.c.fails)
        .outerjoin(Persona, Persona.id == ServiceBlueprint.persona_id)
        .outerjoin(User, User.id == ServiceBlueprint.owner_id)
        .outerjoin(counts, counts.c.bid == ServiceBlueprint.id)
        .where(ServiceBlueprint.workspace_id == workspace_id)
        .order_by(func.lower(ServiceBlueprint.name), ServiceBlueprint.id)
    )
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(ServiceBlueprint.name.ilike(f"%{escaped}%", escape="\\"))
    if state:
        stmt = stmt.where(ServiceBlueprint.state == state)
    return [
        BlueprintRow(
            bp,
            persona,
            owner,
            elements or 0,
            int(fails or 0),
            bp.review_overdue(today or local_today()),
        )
        for bp, persona, owner, elements, fails in db.session.execute(stmt)
    ]


def blueprint_header(blueprint_id: int) -> tuple[Persona | None, User | None, str | None]:
    """The persona, owner and based-on name of a blueprint, in one query."""
    based = aliased(ServiceBlueprint)
    row = db.session.execute(
        select(Persona, User, based.name)
        .select_from(ServiceBlueprint)
        .outerjoin(Persona, Persona.id == ServiceBlueprint.persona_id)
        .outerjoin(User, User.id == ServiceBlueprint.owner_id)
        .outerjoin(based, based.id == ServiceBlueprint.based_on_id)
        .where(ServiceBlueprint.id == blueprint_id)
    ).one()
    return row[0], row[1], row[2]


def _blueprint_element_ids(blueprint_id: int):
    return select(Element.id).where(Element.blueprint_id == blueprint_id).scalar_subquery()


def reached_catalog_ids(blueprint_id: int, workspace_id: int | None = None):
    """The people and systems a blueprint reaches: those its steps rely on, and those they
    rely on in turn (a system behind a system, a team's tools), as one recursive query
    (UNION, so cycles end). A subquery of ids. Given the blueprint's `workspace_id`, only
    the workspace's people and systems are reached (no other workspace's row is read)."""
    catalog = aliased(Element)
    step_ids = _blueprint_element_ids(blueprint_id)
    further = aliased(Element)
    # the workspace is asked of the people and systems reached (found by primary key), so
    # the links are found by their source (an index of its own), never by workspace
    first = [] if workspace_id is None else [catalog.workspace_id == workspace_id]
    then = [] if workspace_id is None else [further.workspace_id == workspace_id]
    reach = (
        select(Link.target_id.label("id"))
        .join(catalog, catalog.id == Link.target_id)
        .where(
            Link.source_id.in_(step_ids),
            Link.kind != LinkKind.NEXT,
            catalog.kind.in_(CATALOG_KINDS),
            *first,
        )
        .cte("reach", recursive=True)
    )
    reach = reach.union(
        select(Link.target_id)
        .join(reach, Link.source_id == reach.c.id)
        .join(further, further.id == Link.target_id)
        .where(Link.kind != LinkKind.NEXT, further.kind.in_(CATALOG_KINDS), *then)
    )
    return select(reach.c.id)


def reached_catalog(blueprint_id: int) -> tuple[list[Element], list[tuple[int, int, LinkKind]]]:
    """(the people and systems a blueprint reaches, every link that starts at one of
    them), in two queries."""
    ids = reached_catalog_ids(blueprint_id)
    catalog = db.session.scalars(select(Element).where(Element.id.in_(ids))).all()
    links = db.session.execute(
        select(Link.source_id, Link.target_id, Link.kind)
        .where(Link.source_id.in_(ids))
        .order_by(Link.id)
    ).all()
    return list(catalog), [tuple(r) for r in links]


def board(blueprint: ServiceBlueprint) -> Board:
    """Everything the board draws, in five queries."""
    stages = db.session.scalars(
        select(Stage).where(Stage.blueprint_id == blueprint.id).order_by(Stage.position, Stage.id)
    ).all()
    elements = db.session.scalars(select(Element).where(Element.blueprint_id == blueprint.id)).all()
    ids = _blueprint_element_ids(blueprint.id)
    reached = reached_catalog_ids(blueprint.id, blueprint.workspace_id)
    links = db.session.execute(
        select(Link.source_id, Link.target_id, Link.kind).where(
            Link.workspace_id == blueprint.workspace_id,
            or_(Link.source_id.in_(ids), Link.target_id.in_(ids), Link.source_id.in_(reached)),
        )
    ).all()
    catalog = db.session.scalars(select(Element).where(Element.id.in_(reached))).all()
    return build_board(stages, elements, [tuple(r) for r in links], catalog, flask_babel)


def board_stamp(blueprint_id: int) -> int:
    """Where the board's history stands: its latest audit event (one indexed lookup). Any
    change to the board's stages, steps, links or insights moves it, so a page that drew
    the board at another stamp knows the board changed since."""
    return db.session.scalar(
        select(func.coalesce(func.max(AuditEvent.id), 0)).where(
            AuditEvent.blueprint_id == blueprint_id
        )
    )


@dataclass
class LinkView:
    link: Link
    partner: Element
    partner_blueprint: str | None
    partner_stage: str | None


def element_links(element: Element) -> tuple[list[LinkView], list[LinkView]]:
    """(what `element` links to, what links to it), with the partner's blueprint and stage."""
    partner = aliased(Element)
    rows = db.session.execute(
        select(Link, partner, ServiceBlueprint.name, Stage.name)
        .join(
            partner,
            or_(
                and_(Link.source_id == element.id, partner.id == Link.target_id),
                and_(Link.target_id == element.id, partner.id == Link.source_id),
            ),
        )
        .outerjoin(ServiceBlueprint, ServiceBlueprint.id == partner.blueprint_id)
        .outerjoin(Stage, Stage.id == partner.stage_id)
        .where(or_(Link.source_id == element.id, Link.target_id == element.id))
        .order_by(Link.kind, partner.kind, func.lower(partner.title))
    ).all()
    outgoing = [LinkView(*r) for r in rows if r[0].source_id == element.id]
    incoming = [LinkView(*r) for r in rows if r[0].target_id == element.id]
    return outgoing, incoming


def catalog(workspace_id: int) -> list[Element]:
    return list(
        db.session.scalars(
            select(Element)
            .where(Element.workspace_id == workspace_id, Element.kind.in_(CATALOG_KINDS))
            .order_by(Element.kind, func.lower(Element.title))
        )
    )


def personas(workspace_id: int) -> list[tuple[Persona, int]]:
    used = (
        select(ServiceBlueprint.persona_id, func.count().label("n"))
        .group_by(ServiceBlueprint.persona_id)
        .subquery()
    )
    return [
        (persona, n or 0)
        for persona, n in db.session.execute(
            select(Persona, used.c.n)
            .outerjoin(used, used.c.persona_id == Persona.id)
            .where(Persona.workspace_id == workspace_id)
            .order_by(func.lower(Persona.name))
        )
    ]


def member_choices(workspace_id: int) -> list[tuple[int, str]]:
    return [
        (user_id, name)
        for user_id, name in db.session.execute(
            select(User.id, User.name)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == workspace_id)
            .order_by(User.name)
        )
    ]


def persona_choices(workspace_id: int) -> list[tuple[int, str]]:
    return [
        (pid, name)
        for pid, name in db.session.execute(
            select(Persona.id, Persona.name)
            .where(Persona.workspace_id == workspace_id)
            .order_by(func.lower(Persona.name))
        )
    ]


def stage_choices(blueprint_id: int) -> list[tuple[int, str]]:
    return [
        (sid, name)
        for sid, name in db.session.execute(
            select(Stage.id, Stage.name)
            .where(Stage.blueprint_id == blueprint_id)
            .order_by(Stage.position, Stage.id)
        )
    ]

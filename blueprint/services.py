"""Verbs that change service blueprints. Each flushes and never commits; the view or command
commits once. Rules of the method that the database cannot express are checked here and
raised as `BlueprintError`, naming the form field to blame."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from blueprint.extension_points import release_dependents
from blueprint.models import (
    ALL_STAGES,
    CATALOG_KINDS,
    LANES,
    BlueprintState,
    Element,
    ElementKind,
    Link,
    LinkKind,
    Persona,
    RankingSettings,
    ServiceBlueprint,
    Stage,
)
from database import reserve_ids
from extensions import db

TITLE_MAX = 200


class BlueprintError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- blueprints ------------------------------------------------------------------------


BLUEPRINT_FIELDS = (
    "name", "goal", "scope", "persona_id", "state", "owner_id",
    "review_cadence_days", "last_reviewed_on",
)  # fmt: skip


def check_title(value: str | None, field: str = "title") -> str:
    value = (value or "").strip()
    if not value:
        raise BlueprintError(_("This field is required."), field)
    if len(value) > TITLE_MAX:
        raise BlueprintError(_("At most %(max)d characters.", max=TITLE_MAX), field)
    return value


def _check_persona(workspace_id: int, persona_id: int | None) -> None:
    if persona_id is None:
        return
    found = db.session.execute(
        select(Persona.id).where(Persona.id == persona_id, Persona.workspace_id == workspace_id)
    ).first()
    if found is None:
        raise BlueprintError(_("Choose a persona of this workspace."), "persona_id")


def create_blueprint(workspace_id: int, values: Mapping[str, Any]) -> ServiceBlueprint:
    blueprint = ServiceBlueprint(workspace_id=workspace_id)
    return update_blueprint(blueprint, values)


def update_blueprint(blueprint: ServiceBlueprint, values: Mapping[str, Any]) -> ServiceBlueprint:
    values = dict(values)
    values["name"] = check_title(values.get("name"), "name")
    _check_persona(blueprint.workspace_id, values.get("persona_id"))
    for field in BLUEPRINT_FIELDS:
        if field in values:
            setattr(blueprint, field, values[field])
    db.session.add(blueprint)
    db.session.flush()
    return blueprint


def mark_reviewed(blueprint: ServiceBlueprint, today: date) -> ServiceBlueprint:
    blueprint.last_reviewed_on = today
    db.session.flush()
    return blueprint


def delete_blueprint(blueprint: ServiceBlueprint) -> None:
    # Links die with their elements (ON DELETE CASCADE); future states keep their content
    # and lose only the based_on pointer.
    db.session.delete(blueprint)
    db.session.flush()


ELEMENT_COPY_FIELDS = (
    "kind", "all_stages", "title", "description", "position", "channel", "duration_minutes",
    "tolerance_minutes", "fail_point", "fail_note", "wait_point", "emotion",
    "moment_of_truth", "evidence_source", "evidence_status",
)  # fmt: skip


def duplicate_as_future_state(blueprint: ServiceBlueprint) -> ServiceBlueprint:
    """A deep copy (stages, elements and their links) in state future, based on `blueprint`.

    Links between copied elements are rewired to the copies; links to people and systems
    still point at the shared catalog. Constant number of queries.
    """
    copy = ServiceBlueprint(
        workspace_id=blueprint.workspace_id,
        name=_("%(name)s (future state)", name=blueprint.name)[:TITLE_MAX],
        goal=blueprint.goal,
        scope=blueprint.scope,
        persona_id=blueprint.persona_id,
        state=BlueprintState.FUTURE,
        based_on_id=blueprint.id,
        owner_id=blueprint.owner_id,
        review_cadence_days=blueprint.review_cadence_days,
    )
    db.session.add(copy)
    db.session.flush()

    stages = db.session.scalars(select(Stage).where(Stage.blueprint_id == blueprint.id)).all()
    stage_map: dict[int, Stage] = {}
    for stage in stages:
        stage_map[stage.id] = Stage(
            workspace_id=copy.workspace_id,
            blueprint_id=copy.id,
            name=stage.name,
            position=stage.position,
        )
    db.session.add_all(stage_map.values())
    db.session.flush()

    elements = db.session.scalars(select(Element).where(Element.blueprint_id == blueprint.id))
    element_map: dict[int, Element] = {}
    for element in elements:
        end = stage_map.get(element.end_stage_id) if element.end_stage_id else None
        clone = Element(
            workspace_id=copy.workspace_id,
            blueprint_id=copy.id,
            stage_id=stage_map[element.stage_id].id,
            end_stage_id=end.id if end else None,
        )
        for field in ELEMENT_COPY_FIELDS:
            setattr(clone, field, getattr(element, field))
        element_map[element.id] = clone
    db.session.add_all(element_map.values())
    db.session.flush()

    old_ids = list(element_map)
    links = (
        db.session.scalars(
            select(Link).where(or_(Link.source_id.in_(old_ids), Link.target_id.in_(old_ids)))
        ).all()
        if old_ids
        else []
    )
    for link in links:
        source = element_map.get(link.source_id)
        target = element_map.get(link.target_id)
        if source is None and target is None:
            continue
        db.session.add(
            Link(
                workspace_id=copy.workspace_id,
                source_id=source.id if source else link.source_id,
                target_id=target.id if target else link.target_id,
                kind=link.kind,
            )
        )
    db.session.flush()
    return copy


# --- personas --------------------------------------------------------------------------

PERSONA_FIELDS = ("name", "segment", "buying_role", "goals", "needs", "pains", "jobs_to_be_done")


def save_persona(persona: Persona, values: Mapping[str, Any]) -> Persona:
    values = dict(values)
    values["name"] = check_title(values.get("name"), "name")
    if len(values.get("segment") or "") > TITLE_MAX:
        raise BlueprintError(_("At most %(max)d characters.", max=TITLE_MAX), "segment")
    for field in PERSONA_FIELDS:
        if field in values:
            setattr(persona, field, values[field] if values[field] is not None else "")
    if persona.buying_role == "":
        persona.buying_role = None
    db.session.add(persona)
    db.session.flush()
    return persona


def blueprints_using_persona(persona: Persona) -> list[str]:
    return list(
        db.session.scalars(
            select(ServiceBlueprint.name)
            .where(ServiceBlueprint.persona_id == persona.id)
            .order_by(ServiceBlueprint.name)
        )
    )


def delete_persona(persona: Persona) -> None:
    used_by = blueprints_using_persona(persona)
    if used_by:
        raise BlueprintError(
            _(
                "%(name)s is the persona of %(blueprints)s. Choose another persona there first.",
                name=persona.name,
                blueprints=", ".join(used_by),
            )
        )
    db.session.delete(persona)
    db.session.flush()


# --- stages ----------------------------------------------------------------------------


def ordered_stages(blueprint_id: int) -> list[Stage]:
    return list(
        db.session.scalars(
            select(Stage)
            .where(Stage.blueprint_id == blueprint_id)
            .order_by(Stage.position, Stage.id)
        )
    )


def check_stage_name(name: str | None) -> str:
    name = check_title(name, "name")
    if name == ALL_STAGES:
        raise BlueprintError(_("* stands for all stages; choose another name."), "name")
    return name


def add_stage(blueprint: ServiceBlueprint, name: str) -> Stage:
    return add_stages(blueprint, [name])[0]


def add_stages(blueprint: ServiceBlueprint, names: Iterable[str]) -> list[Stage]:
    """New stages at the end of the journey, in the order given: one query and one flush
    for any number of them."""
    names = [check_stage_name(name) for name in names]
    last = db.session.scalar(
        select(func.max(Stage.position)).where(Stage.blueprint_id == blueprint.id)
    )
    start = (last if last is not None else -1) + 1
    ids = reserve_ids(Stage, len(names)) if len(names) > 1 else [None]
    stages = [
        Stage(
            id=ids[i],
            workspace_id=blueprint.workspace_id,
            blueprint_id=blueprint.id,
            name=name,
            position=start + i,
        )
        for i, name in enumerate(names)
    ]
    db.session.add_all(stages)
    db.session.flush()
    return stages


def rename_stage(stage: Stage, name: str) -> Stage:
    stage.name = check_stage_name(name)
    db.session.flush()
    return stage


def renumber(items: Iterable[Stage | Element]) -> None:
    for index, item in enumerate(items):
        if item.position != index:
            item.position = index


def move_stage(stage: Stage, offset: int) -> Stage:
    """Move a stage `offset` places left (negative) or right, within its blueprint."""
    stages = ordered_stages(stage.blueprint_id)
    index = stages.index(stage)
    new_index = max(0, min(len(stages) - 1, index + offset))
    stages.insert(new_index, stages.pop(index))
    renumber(stages)
    db.session.flush()
    return stage


def elements_in_stage(stage: Stage) -> list[Element]:
    return list(db.session.scalars(select(Element).where(Element.stage_id == stage.id)))


def elements_deleted_with(stage: Stage) -> list[Element]:
    """The elements that go when `stage` is deleted with its elements: those in it, except
    steps reaching beyond it (they stay, see `delete_stage`)."""
    several = len(ordered_stages(stage.blueprint_id)) > 1
    return [
        e
        for e in elements_in_stage(stage)
        if not ((e.all_stages and several) or e.end_stage_id is not None)
    ]


def delete_stage(stage: Stage, move_to: Stage | None = None, keep_dependents: bool = True) -> None:
    """Delete a stage. Its elements move to the end of their lanes in `move_to`, or are
    deleted with their links when `move_to` is None; steps that reach beyond it are not
    deleted with it: a step spanning on keeps the rest of its span, a whole-journey step
    moves to another stage. What other packages keep at the deleted elements (insights) is
    detached, or deleted when `keep_dependents` is False (see blueprint.extension_points)."""
    if move_to is None:
        stages = ordered_stages(stage.blueprint_id)
        here = stages.index(stage)
        for element in elements_in_stage(stage):
            if element.all_stages and len(stages) > 1:
                move_element_to_stage(element, stages[1 if here == 0 else 0])
            elif element.end_stage_id is not None:
                end = [s.id for s in stages].index(element.end_stage_id)
                move_element_to_stage(element, stages[here + (1 if end > here else -1)])
    if move_to is not None:
        if move_to.id == stage.id or move_to.blueprint_id != stage.blueprint_id:
            raise BlueprintError(_("Choose another stage of this blueprint."), "move_to")
        ends = _lane_ends(move_to.id)
        for element in sorted(elements_in_stage(stage), key=lambda e: (e.position, e.id)):
            ends[element.kind] = ends.get(element.kind, -1) + 1
            element.stage_id = move_to.id
            element.position = ends[element.kind]
            if element.end_stage_id == move_to.id:
                element.end_stage_id = None
        db.session.flush()
    # Steps that end in this stage now end in `move_to` (or in their own stage).
    for element in db.session.scalars(select(Element).where(Element.end_stage_id == stage.id)):
        keep = move_to is not None and move_to.id != element.stage_id
        element.end_stage_id = move_to.id if keep else None
    db.session.flush()
    doomed = elements_in_stage(stage)
    release_dependents([e.id for e in doomed], keep_dependents)
    for element in doomed:  # one by one, so each lands in the audit trail
        _delete_links_of(element)
        db.session.delete(element)
    db.session.flush()  # before the stage goes, or the database's cascade would race the ORM
    blueprint_id = stage.blueprint_id
    db.session.delete(stage)
    db.session.flush()
    renumber(ordered_stages(blueprint_id))
    db.session.flush()


def _lane_ends(stage_id: int) -> dict[ElementKind, int]:
    rows = db.session.execute(
        select(Element.kind, func.max(Element.position))
        .where(Element.stage_id == stage_id)
        .group_by(Element.kind)
    ).all()
    return {kind: position for kind, position in rows}


# --- elements --------------------------------------------------------------------------

ELEMENT_FIELDS = (
    "title", "description", "channel", "duration_minutes", "tolerance_minutes",
    "fail_point", "fail_note", "wait_point", "emotion", "moment_of_truth",
    "evidence_source", "evidence_status",
)  # fmt: skip


def _check_span(element: Element, values: dict[str, Any]) -> None:
    """`end_stage_id` (a stage of the step's blueprint, or None) and `all_stages`, checked
    and normalised: ending where it starts is no span, the whole journey needs no end."""
    if "end_stage_id" not in values and "all_stages" not in values:
        return
    if not element.kind.is_lane:
        values["end_stage_id"], values["all_stages"] = None, False
        return
    all_stages = bool(values.get("all_stages", element.all_stages))
    end_id = values.get("end_stage_id", element.end_stage_id)
    if all_stages or end_id == element.stage_id:
        end_id = None
    if end_id is not None:
        end = db.session.get(Stage, end_id)
        if end is None or end.blueprint_id != element.blueprint_id:
            raise BlueprintError(_("Choose a stage of this blueprint."), "span")
    values["end_stage_id"], values["all_stages"] = end_id, all_stages


def _check_element_values(kind: ElementKind, values: dict[str, Any]) -> None:
    values["title"] = check_title(values.get("title"))
    emotion = values.get("emotion")
    if emotion is not None:
        if kind is not ElementKind.CUSTOMER_ACTION:
            raise BlueprintError(_("Emotion is recorded on customer actions only."), "emotion")
        if not -2 <= emotion <= 2:
            raise BlueprintError(_("Emotion runs from -2 (very negative) to +2."), "emotion")
    for field in ("duration_minutes", "tolerance_minutes"):
        if values.get(field) is not None and values[field] < 0:
            raise BlueprintError(_("Minutes cannot be negative."), field)
    if kind in CATALOG_KINDS:
        # The method's step annotations describe steps, not people or systems.
        for field in ("duration_minutes", "tolerance_minutes", "emotion", "channel"):
            values[field] = None
        values["wait_point"] = values["moment_of_truth"] = False


def add_element(stage: Stage, kind: ElementKind, values: Mapping[str, Any]) -> Element:
    """A new lane element at the end of its lane in `stage`."""
    return add_elements([(stage, kind, values)])[0]


def add_elements(
    items: Iterable[tuple[Stage, ElementKind, Mapping[str, Any]]],
) -> list[Element]:
    """New lane elements, each at the end of its lane in its stage, in the order given and
    checked as `add_element` checks one: one query and one flush for any number of them."""
    items = list(items)
    ends: dict[tuple[int, ElementKind], int] = {
        (stage_id, kind): position
        for stage_id, kind, position in db.session.execute(
            select(Element.stage_id, Element.kind, func.max(Element.position))
            .where(Element.stage_id.in_({stage.id for stage, _, _ in items}))
            .group_by(Element.stage_id, Element.kind)
        )
    }
    ids = iter(reserve_ids(Element, len(items)))
    elements = []
    for stage, kind, values in items:
        if kind not in LANES:
            raise BlueprintError(_("Choose one of the five lanes."), "kind")
        values = dict(values)
        _check_element_values(kind, values)
        end = ends.get((stage.id, kind))
        ends[stage.id, kind] = position = (end if end is not None else -1) + 1
        element = Element(
            id=next(ids),
            workspace_id=stage.workspace_id,
            blueprint_id=stage.blueprint_id,
            stage_id=stage.id,
            kind=kind,
            position=position,
        )
        _check_span(element, values)
        elements.append(_apply_element(element, values, flush=False))
    db.session.flush()
    return elements


def add_catalog_element(
    workspace_id: int, kind: ElementKind, values: Mapping[str, Any], *, flush: bool = True
) -> Element:
    """A new person or system of the workspace (`flush=False`: the caller flushes, once for
    many)."""
    if kind not in CATALOG_KINDS:
        raise BlueprintError(_("Choose person / team or system."), "kind")
    values = dict(values)
    _check_element_values(kind, values)
    return _apply_element(Element(workspace_id=workspace_id, kind=kind), values, flush=flush)


def update_element(element: Element, values: Mapping[str, Any]) -> Element:
    values = dict(values)
    _check_element_values(element.kind, values)
    _check_span(element, values)
    return _apply_element(element, values)


SPAN_FIELDS = ("end_stage_id", "all_stages")


def _apply_element(element: Element, values: Mapping[str, Any], flush: bool = True) -> Element:
    for field in (*ELEMENT_FIELDS, *SPAN_FIELDS):
        if field in values:
            value = values[field]
            if field in ("description", "fail_note") and value is None:
                value = ""
            setattr(element, field, value)
    if not flush:
        _fill_scalar_defaults(element)
    db.session.add(element)
    if flush:
        db.session.flush()
    return element


def _fill_scalar_defaults(element: Element) -> None:
    """Column defaults written in, as the insert would: rows that are flushed together then
    send the same columns and go out as one executemany (the ORM groups rows by the set of
    columns they send), with the same values and audit events."""
    for column in Element.__table__.columns:
        default = column.default
        if default is not None and default.is_scalar and getattr(element, column.key) is None:
            setattr(element, column.key, default.arg)


def _lane(element: Element) -> list[Element]:
    return list(
        db.session.scalars(
            select(Element)
            .where(Element.stage_id == element.stage_id, Element.kind == element.kind)
            .order_by(Element.position, Element.id)
        )
    )


def move_element(element: Element, offset: int) -> Element:
    """Move a lane element `offset` places left (negative) or right within its lane and
    stage; past the end of the stage it stays where it is."""
    lane = _lane(element)
    index = lane.index(element)
    new_index = max(0, min(len(lane) - 1, index + offset))
    lane.insert(new_index, lane.pop(index))
    renumber(lane)
    db.session.flush()
    return element


def move_element_to_stage(element: Element, stage: Stage) -> Element:
    if stage.blueprint_id != element.blueprint_id:
        raise BlueprintError(_("Choose a stage of this blueprint."), "stage_id")
    if stage.id == element.stage_id:
        return element
    old_lane = [e for e in _lane(element) if e.id != element.id]
    end = _lane_ends(stage.id).get(element.kind)
    if element.end_stage_id == stage.id:
        element.end_stage_id = None
    element.stage_id = stage.id
    element.position = (end if end is not None else -1) + 1
    renumber(old_lane)
    db.session.flush()
    return element


def delete_element(element: Element, keep_dependents: bool = True) -> None:
    """Delete an element and its links; the rest of its lane closes the gap. What other
    packages keep at it (insights) is detached, or deleted when `keep_dependents` is False."""
    rest = [e for e in _lane(element) if e.id != element.id] if element.kind.is_lane else []
    release_dependents([element.id], keep_dependents)
    _delete_links_of(element)
    db.session.delete(element)
    db.session.flush()
    renumber(rest)
    db.session.flush()


def _delete_links_of(element: Element) -> None:
    """Through the session, not in bulk: every deleted link lands in the audit trail."""
    for link in db.session.scalars(
        select(Link).where(or_(Link.source_id == element.id, Link.target_id == element.id))
    ).all():
        db.session.delete(link)


# --- links -----------------------------------------------------------------------------


def link_elements(source: Element, target: Element, kind: LinkKind) -> Link:
    """Record that `source` relies on `target` (or follows it in time). The caller commits."""
    check_link(source, target, kind)
    exists = db.session.execute(
        select(Link.id).where(
            Link.source_id == source.id, Link.target_id == target.id, Link.kind == kind
        )
    ).first()
    if exists:
        raise already_linked(source, target, kind)
    return new_link(source, target, kind)


def already_linked(source: Element, target: Element, kind: LinkKind) -> BlueprintError:
    return BlueprintError(
        _(
            "%(title)s already %(link)s %(other)s.",
            title=source.title,
            link=kind.label,
            other=target.title,
        ),
        "target_id",
    )


def new_link(source: Element, target: Element, kind: LinkKind, *, flush: bool = True) -> Link:
    """The link itself, checked by the caller (`check_link`, and not there already)."""
    link = Link(
        workspace_id=source.workspace_id, source_id=source.id, target_id=target.id, kind=kind
    )
    db.session.add(link)
    if flush:
        db.session.flush()
    return link


def check_link(source: Element, target: Element, kind: LinkKind) -> None:
    """The method's rules for a link, which need no query."""
    if source.workspace_id != target.workspace_id:
        raise BlueprintError(_("Both ends of a link must be in the same workspace."), "target_id")
    if source.id == target.id:
        raise BlueprintError(_("An element cannot be linked to itself."), "target_id")
    if kind is LinkKind.PERFORMED_BY and target.kind is not ElementKind.PERSON:
        raise BlueprintError(_("'Performed by' links point at a person or team."), "target_id")
    if kind is LinkKind.USES and target.kind is not ElementKind.SYSTEM:
        raise BlueprintError(_("'Uses' links point at a system."), "target_id")
    if kind is LinkKind.NEXT and not (source.kind.is_lane and target.kind.is_lane):
        raise BlueprintError(
            _("'Next' orders steps in time; people and systems have none."), "target_id"
        )


def delete_link(link: Link) -> None:
    db.session.delete(link)
    db.session.flush()


def catalog_usage(workspace_id: int) -> dict[int, tuple[int, int]]:
    """For each person/system: (elements relying on it, blueprints those are in)."""
    rows = db.session.execute(
        select(
            Link.target_id,
            func.count(func.distinct(Link.source_id)),
            func.count(func.distinct(Element.blueprint_id)),
        )
        .join(Element, Element.id == Link.source_id)
        .where(Link.workspace_id == workspace_id, Link.kind != LinkKind.NEXT)
        .group_by(Link.target_id)
    ).all()
    return {target: (elements, blueprints) for target, elements, blueprints in rows}


def ranking_settings(workspace_id: int) -> RankingSettings:
    """The workspace's ranking settings (unsaved defaults when it has none: no pain
    signals)."""
    found = db.session.get(RankingSettings, workspace_id)
    if found is None:
        found = RankingSettings(workspace_id=workspace_id, pain_signals=False)
    return found


def save_ranking_settings(workspace_id: int, pain_signals: bool) -> RankingSettings:
    """Whether the map's pain signals weigh in the workspace's ranking. The caller commits
    (the graph version changes with it: the row is a graph input)."""
    found = ranking_settings(workspace_id)
    found.pain_signals = bool(pain_signals)
    db.session.add(found)
    db.session.flush()
    return found

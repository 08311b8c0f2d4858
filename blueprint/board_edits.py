"""What the board editor does, one verb per gesture: add a step or a stage, edit a card's
marks, place a card or a stage, link, unlink, re-kind a link, delete a step. Each verb
changes the rows through blueprint.services (the method's rules stay there), writes the
change down with the steps that undo it (blueprint/undo.py) and returns that record; like
every service it flushes and never commits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import flask_babel
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from blueprint import board, services, undo
from blueprint.models import (
    CATALOG_KINDS,
    LANES,
    BoardChange,
    Element,
    ElementKind,
    Link,
    LinkKind,
    ServiceBlueprint,
    Stage,
)
from blueprint.services import BlueprintError
from extensions import db

# what a link to each kind of target is, unless the user says otherwise
INFERRED_KIND = {ElementKind.PERSON: LinkKind.PERFORMED_BY, ElementKind.SYSTEM: LinkKind.USES}


def kinds_for(target: Element) -> list[LinkKind]:
    """The kinds a link to `target` may have, the inferred one first."""
    if target.kind is ElementKind.PERSON:
        return [LinkKind.PERFORMED_BY, LinkKind.RELIES_ON]
    if target.kind is ElementKind.SYSTEM:
        return [LinkKind.USES, LinkKind.RELIES_ON]
    return [LinkKind.RELIES_ON, LinkKind.NEXT]


def _where(kind: ElementKind, stage: Stage) -> str:
    return _("%(lane)s in %(stage)s", lane=kind.label, stage=stage.name)


# --- adding ------------------------------------------------------------------------------


def add_step(
    blueprint: ServiceBlueprint, stage: Stage, kind: ElementKind, title: str, user_id: int
) -> tuple[Element, BoardChange]:
    """A new step at the end of its cell."""
    if stage.blueprint_id != blueprint.id:
        raise BlueprintError(_("Choose a stage of this blueprint."), "stage_id")
    element = services.add_element(stage, kind, {"title": title})
    change = undo.record(
        blueprint,
        user_id,
        _("“%(title)s” added to %(where)s.", title=element.title, where=_where(kind, stage)),
        [undo.remove(element)],
    )
    return element, change


def add_stage(blueprint: ServiceBlueprint, name: str, user_id: int) -> tuple[Stage, BoardChange]:
    """A new stage at the end of the journey."""
    stage = services.add_stage(blueprint, name)
    return stage, undo.record(
        blueprint, user_id, _("Stage “%(name)s” added.", name=stage.name), [undo.remove(stage)]
    )


# --- editing -----------------------------------------------------------------------------


def edit_step(
    blueprint: ServiceBlueprint, element: Element, values: Mapping[str, Any], user_id: int
) -> BoardChange | None:
    """Save the card's title and marks; None when nothing changed."""
    before = undo.columns(element, values)
    services.update_element(element, values)
    after = undo.columns(element, values)
    changed = {k: v for k, v in before.items() if after.get(k) != v}
    if not changed:
        return None
    return undo.record(
        blueprint,
        user_id,
        _("“%(title)s” saved.", title=element.title),
        [undo.fields(element, changed)],
    )


# --- placing -----------------------------------------------------------------------------


def _lane(stage_id: int, kind: ElementKind) -> list[Element]:
    return list(
        db.session.scalars(
            select(Element)
            .where(Element.stage_id == stage_id, Element.kind == kind)
            .order_by(Element.position, Element.id)
        )
    )


def place_step(
    blueprint: ServiceBlueprint,
    element: Element,
    stage: Stage,
    kind: ElementKind,
    before: Element | None,
    user_id: int,
) -> BoardChange | None:
    """Put a card in the cell of `stage` and lane `kind`, before `before` (a card of that
    cell) or at its end. Another lane takes the step as that lane's (a customer action's
    emotion goes: only customer actions have one; the notice says so and undo brings it
    back). None when the card is where it was asked to go."""
    if not element.kind.is_lane or element.blueprint_id != blueprint.id:
        raise BlueprintError(_("Only the steps of this board move on it."))
    if stage.blueprint_id != blueprint.id:
        raise BlueprintError(_("Choose a stage of this blueprint."), "stage_id")
    if kind not in LANES:
        raise BlueprintError(_("Choose one of the five lanes."), "kind")
    if before is not None and (before.stage_id, before.kind) != (stage.id, kind):
        before = None
    if before is not None and before.id == element.id:
        return None
    old = _lane(element.stage_id, element.kind)
    new = old if (stage.id, kind) == (element.stage_id, element.kind) else _lane(stage.id, kind)
    rest = [e for e in new if e.id != element.id]
    at = rest.index(before) if before is not None else len(rest)
    if new is old and old.index(element) == at:
        return None
    saved = undo.columns(element, ("stage_id", "kind", "position", "end_stage_id", "emotion"))
    steps_back = [undo.positions([e for e in old if e.id != element.id])]
    if new is not old:
        steps_back.append(undo.positions(rest))
    words = []
    if kind is not ElementKind.CUSTOMER_ACTION and element.emotion is not None:
        words.append(
            _(
                "its emotion (%(emotion)s) was cleared: only customer actions have one",
                emotion=f"{element.emotion:+d}",
            )
        )
        element.emotion = None
    if element.end_stage_id == stage.id:
        element.end_stage_id = None
    old_cell = _where(element.kind, db.session.get(Stage, element.stage_id))
    element.stage_id, element.kind = stage.id, kind
    rest.insert(at, element)
    services.renumber(rest)
    if new is not old:
        services.renumber([e for e in old if e.id != element.id])
    db.session.flush()
    where = _where(kind, stage)
    if before is not None:
        summary = _(
            "“%(title)s” moved before “%(other)s” in %(where)s",
            title=element.title,
            other=before.title,
            where=where,
        )
    elif new is old:
        summary = _("“%(title)s” moved to the end of %(where)s", title=element.title, where=where)
    else:
        summary = _(
            "“%(title)s” moved from %(old)s to %(where)s",
            title=element.title,
            old=old_cell,
            where=where,
        )
    summary += "; " + "; ".join(words) + "." if words else "."
    return undo.record(blueprint, user_id, summary, [undo.fields(element, saved), *steps_back])


def hop(element: Element, direction: int) -> tuple[Stage, Element | None, str] | None:
    """Where the card's ← (-1) or → (+1) button takes it (blueprint.board.hop, the rule the
    board's buttons are labelled by): (stage, the card it goes before or None, words)."""
    if element.spans or not element.kind.is_lane:
        return None
    stages = services.ordered_stages(element.blueprint_id)
    steps = db.session.scalars(
        select(Element)
        .where(Element.blueprint_id == element.blueprint_id, Element.kind == element.kind)
        .order_by(Element.position, Element.id)
    ).all()
    cells: list[list[Element]] = [[] for _ in stages]
    at = {s.id: i for i, s in enumerate(stages)}
    for step in steps:
        if not step.spans and step.stage_id in at:
            cells[at[step.stage_id]].append(step)
    stage = at[element.stage_id]
    found = board.hop(
        cells, [s.name for s in stages], stage, cells[stage].index(element), direction, flask_babel
    )
    if found is None:
        return None
    target, before, words = found
    return stages[target], before, words


def place_stage(
    blueprint: ServiceBlueprint, stage: Stage, before: Stage | None, user_id: int
) -> BoardChange | None:
    """Put a stage before `before` (another stage of the board) or at the end."""
    if stage.blueprint_id != blueprint.id:
        raise BlueprintError(_("Only the stages of this board move on it."))
    stages = services.ordered_stages(blueprint.id)
    if before is not None and before.blueprint_id != blueprint.id:
        before = None
    if before is not None and before.id == stage.id:
        return None
    rest = [s for s in stages if s.id != stage.id]
    at = rest.index(before) if before is not None else len(rest)
    if stages.index(stage) == at:
        return None
    back = undo.positions(stages)
    rest.insert(at, stage)
    services.renumber(rest)
    db.session.flush()
    if before is not None:
        summary = _(
            "Stage “%(name)s” moved before “%(other)s”.", name=stage.name, other=before.name
        )
    else:
        summary = _("Stage “%(name)s” moved to the end.", name=stage.name)
    return undo.record(blueprint, user_id, summary, [back])


# --- linking -----------------------------------------------------------------------------


def link_step(
    blueprint: ServiceBlueprint,
    element: Element,
    target: Element | None,
    user_id: int,
    kind: LinkKind | None = None,
    new_title: str | None = None,
    new_kind: ElementKind | None = None,
) -> tuple[Link, BoardChange]:
    """Link a card to `target`, or to a person or system made for it (`new_title`,
    `new_kind`) when the search found none; the kind follows the target (a person: performed
    by, a system: uses, a step: relies on) unless `kind` says otherwise."""
    if element.blueprint_id != blueprint.id:
        raise BlueprintError(_("Only the steps of this board are linked on it."))
    steps = []
    if target is None:
        if new_kind not in CATALOG_KINDS:
            raise BlueprintError(_("Choose a step, person or system to link to."), "target_id")
        title = services.check_title(new_title, "new_title")
        target = services.add_catalog_element(element.workspace_id, new_kind, {"title": title})
        steps.append(undo.remove_catalog(target))
    kind = kind or INFERRED_KIND.get(target.kind, LinkKind.RELIES_ON)
    if kind not in kinds_for(target):
        raise BlueprintError(
            _(
                "A link to %(kind)s “%(title)s” cannot be “%(link)s”.",
                kind=target.kind.label.lower(),
                title=target.title,
                link=kind.label,
            ),
            "kind",
        )
    link = services.link_elements(element, target, kind)
    summary = (
        _(
            "“%(title)s” %(link)s “%(other)s” (new).",
            title=element.title,
            link=kind.label,
            other=target.title,
        )
        if steps
        else _(
            "“%(title)s” %(link)s “%(other)s”.",
            title=element.title,
            link=kind.label,
            other=target.title,
        )
    )
    return link, undo.record(
        blueprint,
        user_id,
        summary,
        [undo.remove(link), *steps],
    )


def _ends(link: Link) -> tuple[Element, Element]:
    return db.session.get(Element, link.source_id), db.session.get(Element, link.target_id)


def rekind_link(
    blueprint: ServiceBlueprint, link: Link, kind: LinkKind, user_id: int
) -> BoardChange | None:
    source, target = _ends(link)
    if kind is link.kind:
        return None
    if kind not in kinds_for(target):
        raise BlueprintError(
            _(
                "A link to %(kind)s “%(title)s” cannot be “%(link)s”.",
                kind=target.kind.label.lower(),
                title=target.title,
                link=kind.label,
            ),
            "kind",
        )
    twin = db.session.scalar(
        select(func.count()).where(
            Link.source_id == link.source_id, Link.target_id == link.target_id, Link.kind == kind
        )
    )
    if twin:
        raise BlueprintError(
            _(
                "“%(title)s” already %(link)s “%(other)s”.",
                title=source.title,
                link=kind.label,
                other=target.title,
            ),
            "kind",
        )
    before = undo.columns(link, ("kind",))
    link.kind = kind
    db.session.flush()
    return undo.record(
        blueprint,
        user_id,
        _(
            "“%(title)s” now %(link)s “%(other)s”.",
            title=source.title,
            link=kind.label,
            other=target.title,
        ),
        [undo.fields(link, before)],
    )


def unlink(blueprint: ServiceBlueprint, link: Link, user_id: int) -> BoardChange:
    source, target = _ends(link)
    step = undo.restore_link(link)
    services.delete_link(link)
    return undo.record(
        blueprint,
        user_id,
        _(
            "“%(title)s” no longer %(link)s “%(other)s”.",
            title=source.title,
            link=link.kind.label,
            other=target.title,
        ),
        [step],
    )


# --- deleting ----------------------------------------------------------------------------


def delete_step(blueprint: ServiceBlueprint, element: Element, user_id: int) -> BoardChange:
    """Delete a step with its links; what is recorded at it (insights) stays on the
    blueprint, detached, so that undo brings the step back whole."""
    if not element.kind.is_lane or element.blueprint_id != blueprint.id:
        raise BlueprintError(_("Only the steps of this board are deleted on it."))
    lane = _lane(element.stage_id, element.kind)
    step = undo.restore_element(element, lane)
    links = len(step["links"])
    title = element.title
    services.delete_element(element, keep_dependents=True)
    kept = step["dependents"]
    insights = sum(len(d.get("insights", [])) for d in kept if isinstance(d, dict))
    if links:
        summary = ngettext(
            "“%(title)s” deleted with its %(num)d link",
            "“%(title)s” deleted with its %(num)d links",
            links,
            title=title,
        )
    else:
        summary = _("“%(title)s” deleted", title=title)
    if insights:
        summary += ngettext(
            "; %(num)d insight stays on the blueprint without a step",
            "; %(num)d insights stay on the blueprint without a step",
            insights,
        )
    return undo.record(blueprint, user_id, summary + ".", [step])

"""Update a blueprint from its workbook: check where the workbook came from, preview the
plan (update.py, changes.py) with what removed steps detach, and apply it all or nothing.
The database half of the blueprint workbook: services flush and never commit; the view or
command commits once.

A preview carries a token of the blueprint's state (every row's id and version): applying
with a token that no longer matches changes nothing, because someone changed the blueprint
since the preview was shown.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from blueprint import extension_points, services, transfer
from blueprint.models import (
    ALL_STAGES,
    CATALOG_KINDS,
    Element,
    ElementKind,
    Link,
    LinkKind,
    PendingBlueprintUpdate,
    Persona,
    ServiceBlueprint,
    Stage,
)
from blueprint.workbook.layout import BlueprintData
from blueprint.workbook.update import CATALOG_FIELDS, Plan, diff
from clock import utcnow
from database import same_name
from extensions import db
from web.workbook_words import workbook_words
from workbooks.problems import Problem, WorkbookProblems

STEP_FIELDS = ("title", *transfer.ANNOTATIONS)


class StalePreview(Exception):
    """The blueprint changed since the preview was shown; nothing was changed."""


@dataclass
class UpdatePreview:
    plan: Plan
    detaches: dict[int, list[str]] = field(default_factory=dict)  # removed step → words
    token: str = ""
    notes: str = ""  # what reading the workbook changed (uses read as relies on)

    @property
    def problems(self) -> list[Problem]:
        return self.plan.problems

    @property
    def can_apply(self) -> bool:
        return not self.plan.problems and self.plan.count > 0


def source_problem(blueprint: ServiceBlueprint, data: BlueprintData) -> Problem | None:
    """Why this workbook cannot update `blueprint`, if it cannot: it must be its own."""
    words = workbook_words()
    if data.id is None:
        return Problem(
            words("Blueprint"),
            None,
            words("id"),
            _(
                "the workbook carries no blueprint id, so it was not downloaded from this "
                "blueprint: download this blueprint's workbook and edit that, or import this "
                "one as a new blueprint"
            ),
            words,
        )
    if data.id != blueprint.id:
        return Problem(
            words("Blueprint"),
            None,
            words("id"),
            _(
                "the workbook was exported from another blueprint (id %(other)s), not from "
                "%(name)s (id %(id)s); import it as a new blueprint instead",
                other=data.id,
                name=blueprint.name,
                id=blueprint.id,
            ),
            words,
        )
    return None


def _catalog(workspace_id: int) -> list[dict]:
    return [
        {"id": e.id, "version": e.version, **{f: _plain(getattr(e, f)) for f in CATALOG_FIELDS}}
        for e in db.session.scalars(
            select(Element).where(
                Element.workspace_id == workspace_id, Element.kind.in_(CATALOG_KINDS)
            )
        )
    ]


def _plain(value):
    return value.value if hasattr(value, "value") else value


def state_token(blueprint: ServiceBlueprint) -> str:
    """Changes whenever a row the update reads changes (a constant number of queries)."""
    element_ids = select(Element.id).where(Element.blueprint_id == blueprint.id)
    parts = [("b", blueprint.id, blueprint.version)]
    parts += [("s", *r) for r in db.session.execute(
        select(Stage.id, Stage.version).where(Stage.blueprint_id == blueprint.id)
    )]  # fmt: skip
    parts += [("e", *r) for r in db.session.execute(
        select(Element.id, Element.version).where(
            or_(
                Element.blueprint_id == blueprint.id,
                (Element.workspace_id == blueprint.workspace_id)
                & Element.kind.in_(CATALOG_KINDS),
            )
        )
    )]  # fmt: skip
    parts += [("l", *r) for r in db.session.execute(
        select(Link.id, Link.version).where(
            or_(Link.source_id.in_(element_ids), Link.target_id.in_(element_ids))
        )
    )]  # fmt: skip
    return hashlib.sha256(repr(sorted(parts)).encode()).hexdigest()[:24]


def preview(blueprint: ServiceBlueprint, data: BlueprintData) -> UpdatePreview:
    problem = source_problem(blueprint, data)
    if problem:
        return UpdatePreview(Plan(problems=[problem]), token=state_token(blueprint))
    current = transfer.export_data(blueprint)
    plan = diff(current, data, _catalog(blueprint.workspace_id), workbook_words())
    removed = [c.id for c in plan.steps.removed]
    return UpdatePreview(
        plan,
        extension_points.what_removal_detaches(removed),
        state_token(blueprint),
        data.summary(workbook_words()),
    )


def apply(
    blueprint: ServiceBlueprint,
    data: BlueprintData,
    token: str | None,
    progress: Callable[[int, int], None] | None = None,
) -> UpdatePreview:
    """Check again and write every change; raises StalePreview when `token` is not the
    blueprint's state now, WorkbookProblems when any row cannot be used (the caller rolls
    back: all or nothing). `progress(done, total)` hears of each part written (a job's)."""
    result = preview(blueprint, data)
    if token is not None and token != result.token:
        raise StalePreview()
    if result.problems:
        raise WorkbookProblems(result.problems)
    try:
        _Apply(blueprint, data, result.plan).run(progress)
    except IntegrityError as exc:  # e.g. a changed link that now equals one kept beside it
        raise WorkbookProblems(
            [Problem(workbook_words()("Links"), None, None,
                     _("the update would make two rows the same; nothing was changed: "
                       "download the workbook again and redo the change"))]
        ) from exc  # fmt: skip
    return result


class _Apply:
    def __init__(self, blueprint: ServiceBlueprint, data: BlueprintData, plan: Plan):
        self.blueprint, self.data, self.plan = blueprint, data, plan
        self.stages: dict[str, Stage] = {}
        self.elements: dict[str, Element] = {}  # workbook key → element
        self.loaded: dict[int, Element] = {}
        self.left: set[tuple[int, ElementKind]] = set()  # lanes a step moved out of

    def run(self, progress: Callable[[int, int], None] | None = None) -> None:
        parts = (self.blueprint_fields, self.stage_rows, self.catalog_rows, self.step_rows,
                 self.link_rows, self.order)  # fmt: skip
        try:
            for done, part in enumerate(parts, start=1):
                part()
                if progress is not None:
                    progress(done, len(parts))
        except services.BlueprintError as exc:
            raise WorkbookProblems([Problem("workbook", None, exc.field, exc.message)]) from exc

    def blueprint_fields(self) -> None:
        if not self.plan.blueprint:
            return
        values = {f: new for f, _, new in self.plan.blueprint}
        if "persona" in values:
            values["persona_id"] = _persona(self.blueprint.workspace_id, values.pop("persona"))
        values.setdefault("name", self.blueprint.name)
        services.update_blueprint(self.blueprint, values)

    def stage_rows(self) -> None:
        by_id = {s.id: s for s in services.ordered_stages(self.blueprint.id)}
        for change in self.plan.stages.changed:
            services.rename_stage(by_id[change.id], change.entry)
        for name, (how, value) in self.plan.stage_refs.items():
            self.stages[name] = (
                by_id[value] if how == "id" else services.add_stage(self.blueprint, value)
            )

    def catalog_rows(self) -> None:
        changed = {c.id: c for c in self.plan.catalog.changed}
        ids = [v for how, v in self.plan.refs.values() if how == "id"]
        loaded = {e.id: e for e in db.session.scalars(select(Element).where(Element.id.in_(ids)))}
        for entry in self.data.catalog:
            how, value = self.plan.refs[entry["key"]]
            if how == "new":
                self.elements[entry["key"]] = services.add_catalog_element(
                    self.blueprint.workspace_id,
                    ElementKind(entry["kind"]),
                    {k: entry.get(k) for k in transfer.CATALOG_VALUES},
                )
                continue
            element = loaded[value]
            if value in changed:
                services.update_element(element, {k: entry.get(k) for k in transfer.CATALOG_VALUES})
            self.elements[entry["key"]] = element
        self.loaded = loaded

    def step_rows(self) -> None:
        changed = {c.id for c in self.plan.steps.changed}
        first = self.stages[self.data.stages[0]] if self.data.stages else None
        for entry in self.data.elements:
            how, value = self.plan.refs[entry["key"]]
            whole = entry["stage"] == ALL_STAGES
            kind = ElementKind(entry["kind"])
            values = {f: entry[f] for f in STEP_FIELDS}
            end = entry.get("end_stage")
            values["all_stages"] = whole
            values["end_stage_id"] = self.stages[end].id if end and not whole else None
            if how == "new":
                stage = first if whole else self.stages[entry["stage"]]
                self.elements[entry["key"]] = services.add_element(stage, kind, values)
                continue
            element = self.loaded[value]
            if value in changed:
                # a whole-journey step keeps the stage it is anchored in
                stage_id = element.stage_id if whole else self.stages[entry["stage"]].id
                if (element.stage_id, element.kind) != (stage_id, kind):
                    self.left.add((element.stage_id, element.kind))  # closes its gap
                    element.stage_id, element.kind = stage_id, kind
                services.update_element(element, values)
            self.elements[entry["key"]] = element
        removed = [c.id for c in self.plan.steps.removed]
        extension_points.detach(self.blueprint.id, removed)
        for link in self.plan.links.removed:
            found = db.session.get(Link, link.id)
            if found is not None:
                services.delete_link(found)
        for element_id in removed:
            services.delete_element(db.session.get(Element, element_id))

    def link_rows(self) -> None:
        def element(ref):
            how, value = ref
            if how == "new":
                return self.elements[value]
            return self.loaded.get(value) or db.session.get(Element, value)

        for change in self.plan.links.changed:
            link = db.session.get(Link, change.id)
            source, target, kind = change.entry
            link.source_id, link.target_id = element(source).id, element(target).id
            link.kind = LinkKind(kind)
        db.session.flush()
        for change in self.plan.links.added:
            source, target, kind = change.entry
            services.link_elements(element(source), element(target), LinkKind(kind))
        for change in self.plan.stages.removed:
            services.delete_stage(db.session.get(Stage, change.id))

    def order(self) -> None:
        """Stages in the workbook's order (those added in Rootline since the export after
        them); each lane touched by the update in the order of its position column."""
        stages = services.ordered_stages(self.blueprint.id)
        rank = {self.stages[name].id: i for i, name in enumerate(self.data.stages)}
        stages.sort(key=lambda s: (rank.get(s.id, len(rank)), s.position))
        for i, stage in enumerate(stages):
            if stage.position != i:
                stage.position = i
        touched = {c.id for c in self.plan.steps.changed} | {
            self.elements[c.entry["key"]].id for c in self.plan.steps.added
        }
        wanted = {}  # element id → (position in the workbook, row)
        for i, entry in enumerate(self.data.elements):
            wanted[self.elements[entry["key"]].id] = (entry["position"], i)
        lanes: dict[tuple[int, ElementKind], list[Element]] = {}
        for element in db.session.scalars(
            select(Element).where(Element.blueprint_id == self.blueprint.id)
        ):
            lanes.setdefault((element.stage_id, element.kind), []).append(element)
        for lane, members in lanes.items():
            if not (lane in self.left or any(e.id in touched for e in members)):
                continue
            members.sort(key=lambda e: (*wanted.get(e.id, (e.position + 1, -1)), e.id))
            for i, element in enumerate(members):
                if element.position != i:
                    element.position = i
        db.session.flush()


def _persona(workspace_id: int, name: str) -> int | None:
    if not name:
        return None
    persona = db.session.scalars(
        select(Persona).where(Persona.workspace_id == workspace_id, same_name(Persona.name, name))
    ).first()
    if persona is None:
        persona = services.save_persona(Persona(workspace_id=workspace_id), {"name": name})
    return persona.id


def preview_lines(result: UpdatePreview) -> list[str]:
    """The preview in words, one line each, in the user's language (the command line: the
    shell's). Columns and coded values as the workbook says them (`Plan.say_fields`)."""
    plan = result.plan

    def shown(value) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return repr(value) if isinstance(value, str) else str(value)

    def fields(said) -> str:
        return "; ".join(f"{column}: {shown(old)} → {shown(new)}" for column, old, new in said)

    count = ngettext("%(num)d change.", "%(num)d changes.", plan.count)
    lines = [f"{count} {result.notes}".strip()]
    if plan.blueprint_said:
        lines.append("  " + _("blueprint: %(fields)s", fields=fields(plan.blueprint_said)))
    if plan.stage_order:
        lines.append(
            "  "
            + _(
                "order of the stages: %(old)s → %(new)s",
                old=plan.stage_order[0],
                new=plan.stage_order[1],
            )
        )
    for what, bucket in (
        (_("stage"), plan.stages),
        (_("step"), plan.steps),
        (_("person or system"), plan.catalog),
        (_("link"), plan.links),
    ):
        lines += [f"  + {what} {c.title}" for c in bucket.added]
        lines += [f"  ~ {what} {c.title} ({fields(c.said)})" for c in bucket.changed]
        for c in bucket.removed:
            detached = "; ".join(result.detaches.get(c.id, [])) if bucket is plan.steps else ""
            gone = f"  - {what} {c.title}"
            lines.append(gone + (" " + _("(detaches %(what)s)", what=detached) if detached else ""))
    if plan.kept:
        lines.append(
            "  "
            + _("kept (added in Rootline since the export): %(names)s", names="; ".join(plan.kept))
        )
    return lines


UNAPPLIED_KEPT_FOR = timedelta(days=1)


def forget_unapplied_updates() -> None:
    """Uploaded workbooks nobody applied within a day, with their files (the sweep, every
    minute)."""
    db.session.execute(
        delete(PendingBlueprintUpdate).where(
            PendingBlueprintUpdate.created_at < utcnow() - UNAPPLIED_KEPT_FOR
        )
    )

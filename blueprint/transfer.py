"""Blueprint ↔ workbook: gather a blueprint as plain data, and create one from plain data.

A blueprint's workbook holds its steps, the people and systems it reaches (those its steps
rely on, and what those rely on in turn, through any number of people and systems) and every
link starting at one of them whose other end is in the workbook. A person or system no step
reaches is not part of any blueprint's workbook (it stays in the catalog).

Import creates a new blueprint; people and systems are matched to the workspace catalog by
kind and name (case-insensitive) and created when missing; a link between two of them that
the catalog has already is kept, not doubled. Like every service it flushes and
never commits, so a caller that meets an error rolls everything back: all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import or_, select

from blueprint import queries, services
from blueprint.models import (
    ALL_STAGES,
    Element,
    ElementKind,
    Link,
    LinkKind,
    Persona,
    ServiceBlueprint,
)
from blueprint.workbook.layout import LANE_LETTER, BlueprintData, RowMeta
from database import same_name
from extensions import db
from workbooks.problems import Problem, WorkbookProblems

ANNOTATIONS = (
    "description",
    "channel",
    "duration_minutes",
    "tolerance_minutes",
    "fail_point",
    "fail_note",
    "wait_point",
    "emotion",
    "moment_of_truth",
    "evidence_source",
    "evidence_status",
)


CATALOG_VALUES = (
    "title", "description", "fail_point", "fail_note", "evidence_source", "evidence_status",
)  # fmt: skip


def _value(v):
    return v.value if hasattr(v, "value") else v


def export_data(blueprint: ServiceBlueprint) -> BlueprintData:
    persona = db.session.get(Persona, blueprint.persona_id) if blueprint.persona_id else None
    data = BlueprintData(
        name=blueprint.name,
        goal=blueprint.goal,
        scope=blueprint.scope,
        state=_value(blueprint.state),
        persona=persona.name if persona else "",
        id=blueprint.id,
        version=blueprint.version,
    )
    stages = services.ordered_stages(blueprint.id)
    data.stages = [s.name for s in stages]
    data.meta["Stages"] = [RowMeta(None, s.id, s.version) for s in stages]
    stage_index = {s.id: i for i, s in enumerate(stages, start=1)}
    elements = db.session.scalars(select(Element).where(Element.blueprint_id == blueprint.id)).all()
    keys: dict[int, str] = {}
    lanes: dict[tuple[int, ElementKind], int] = {}
    for element in sorted(
        elements,
        key=lambda e: (
            0 if e.all_stages else stage_index[e.stage_id],
            e.kind.depth,
            e.position,
            e.id,
        ),
    ):
        # Whole-journey steps are numbered on their own: where they are anchored is not
        # part of the workbook.
        lane = (0 if element.all_stages else stage_index[element.stage_id], element.kind)
        lanes[lane] = lanes.get(lane, 0) + 1
        letter = LANE_LETTER[element.kind]
        keys[element.id] = (
            f"A-{letter}-{lanes[lane]}" if lane[0] == 0 else f"S{lane[0]}-{letter}-{lanes[lane]}"
        )
        end = stage_index.get(element.end_stage_id)
        data.elements.append(
            {
                "key": keys[element.id],
                "kind": element.kind.value,
                "stage": ALL_STAGES if lane[0] == 0 else stages[lane[0] - 1].name,
                "end_stage": stages[end - 1].name if end else "",
                "position": lanes[lane],
                "title": element.title,
                **{a: _value(getattr(element, a)) for a in ANNOTATIONS},
            }
        )
        data.meta.setdefault("Elements", []).append(RowMeta(None, element.id, element.version))
    reached = queries.reached_catalog_ids(blueprint.id)
    links = db.session.scalars(
        select(Link)
        .where(or_(Link.source_id.in_(list(keys) or [0]), Link.source_id.in_(reached)))
        .order_by(Link.id)
    ).all()
    catalog = db.session.scalars(select(Element).where(Element.id.in_(reached))).all()
    counters = {ElementKind.PERSON: 0, ElementKind.SYSTEM: 0}
    for entry in sorted(catalog, key=lambda e: (e.kind.value, e.title.lower(), e.id)):
        counters[entry.kind] += 1
        keys[entry.id] = f"{'P' if entry.kind is ElementKind.PERSON else 'Y'}{counters[entry.kind]}"
        data.catalog.append(
            {
                "key": keys[entry.id],
                "kind": entry.kind.value,
                "title": entry.title,
                "description": entry.description,
                "fail_point": entry.fail_point,
                "fail_note": entry.fail_note,
                "evidence_source": _value(entry.evidence_source),
                "evidence_status": _value(entry.evidence_status),
            }
        )
        data.meta.setdefault("People and systems", []).append(
            RowMeta(None, entry.id, entry.version)
        )
    kept = sorted(
        (
            ((keys[link.source_id], keys[link.target_id], link.kind.value), link)
            for link in links
            if link.target_id in keys  # links into other blueprints stay out
        ),
        key=lambda pair: pair[0],
    )
    data.links = [row for row, _ in kept]
    data.meta["Links"] = [RowMeta(None, link.id, link.version) for _, link in kept]
    return data


def _linked(source: Element, target: Element, kind: LinkKind) -> bool:
    return (
        db.session.execute(
            select(Link.id).where(
                Link.source_id == source.id, Link.target_id == target.id, Link.kind == kind
            )
        ).first()
        is not None
    )


def import_data(
    workspace_id: int, data: BlueprintData, progress: Callable[[int, int], None] | None = None
) -> ServiceBlueprint:
    """`progress(rows written, rows)` hears as people and systems, steps and links are
    written (a large workbook's import runs as a job: blueprint/jobs.py)."""
    total = len(data.catalog) + len(data.elements) + len(data.links)
    done = 0

    def wrote_one() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    persona_id = None
    if data.persona:
        persona = (
            db.session.execute(
                select(Persona).where(
                    Persona.workspace_id == workspace_id,
                    same_name(Persona.name, data.persona),
                )
            )
            .scalars()
            .first()
        )
        if persona is None:
            persona = services.save_persona(
                Persona(workspace_id=workspace_id), {"name": data.persona}
            )
        persona_id = persona.id
    blueprint = services.create_blueprint(
        workspace_id,
        {
            "name": data.name,
            "goal": data.goal,
            "scope": data.scope,
            "state": data.state,
            "persona_id": persona_id,
        },
    )
    stages = {name: services.add_stage(blueprint, name) for name in data.stages}
    elements: dict[str, Element] = {}
    for entry in data.catalog:
        existing = (
            db.session.execute(
                select(Element).where(
                    Element.workspace_id == workspace_id,
                    Element.kind == ElementKind(entry["kind"]),
                    same_name(Element.title, entry["title"]),
                )
            )
            .scalars()
            .first()
        )
        elements[entry["key"]] = existing or services.add_catalog_element(
            workspace_id,
            ElementKind(entry["kind"]),
            {k: entry.get(k) for k in CATALOG_VALUES},
        )
        wrote_one()

    def stage_order(entry) -> int:
        return -1 if entry["stage"] == ALL_STAGES else data.stages.index(entry["stage"])

    order = sorted(data.elements, key=lambda e: (stage_order(e), e["kind"], e["position"]))
    first = data.stages[0] if data.stages else None
    for entry in order:
        values = {a: entry[a] for a in ("title", *ANNOTATIONS)}
        whole = entry["stage"] == ALL_STAGES
        values["all_stages"] = whole
        end = entry.get("end_stage")
        values["end_stage_id"] = stages[end].id if end and not whole else None
        elements[entry["key"]] = services.add_element(
            stages[first if whole else entry["stage"]], ElementKind(entry["kind"]), values
        )
        wrote_one()
    problems = []
    rows = data.link_rows or [None] * len(data.links)
    for (source, target, kind), row in zip(data.links, rows, strict=True):
        wrote_one()
        a, b = elements[source], elements[target]
        if a.blueprint_id is None and b.blueprint_id is None and _linked(a, b, LinkKind(kind)):
            continue  # the shared catalog has it already
        try:
            services.link_elements(a, b, LinkKind(kind))
        except services.BlueprintError as exc:
            problems.append(Problem("Links", row, "target", f"{source} → {target}: {exc.message}"))
    if problems:
        raise WorkbookProblems(problems)
    return blueprint

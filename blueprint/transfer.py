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

import string
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import func, or_, select

from blueprint import queries, services
from blueprint.models import (
    ALL_STAGES,
    CATALOG_KINDS,
    Element,
    ElementKind,
    Link,
    LinkKind,
    Persona,
    ServiceBlueprint,
)
from blueprint.workbook.layout import LANE_LETTER, BlueprintData, RowMeta
from database import reserve_ids, same_name
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
    elements = db.session.scalars(
        select(Element).where(
            Element.workspace_id == blueprint.workspace_id, Element.blueprint_id == blueprint.id
        )
    ).all()
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
    reached = queries.reached_catalog_ids(blueprint.id, blueprint.workspace_id)
    links = db.session.scalars(
        select(Link)
        .where(
            Link.workspace_id == blueprint.workspace_id,
            or_(Link.source_id.in_(list(keys) or [0]), Link.source_id.in_(reached)),
        )
        .order_by(Link.id)
    ).all()
    catalog = db.session.scalars(
        select(Element).where(
            Element.workspace_id == blueprint.workspace_id, Element.id.in_(reached)
        )
    ).all()
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
    stages = dict(zip(data.stages, services.add_stages(blueprint, data.stages), strict=True))
    elements: dict[str, Element] = {}
    for entry, element in zip(data.catalog, _catalog(workspace_id, data.catalog), strict=True):
        elements[entry["key"]] = element
        wrote_one()

    def stage_order(entry) -> int:
        return -1 if entry["stage"] == ALL_STAGES else data.stages.index(entry["stage"])

    order = sorted(data.elements, key=lambda e: (stage_order(e), e["kind"], e["position"]))
    first = data.stages[0] if data.stages else None
    items = []
    for entry in order:
        values = {a: entry[a] for a in ("title", *ANNOTATIONS)}
        whole = entry["stage"] == ALL_STAGES
        values["all_stages"] = whole
        end = entry.get("end_stage")
        values["end_stage_id"] = stages[end].id if end and not whole else None
        stage = stages[first if whole else entry["stage"]]
        items.append((stage, ElementKind(entry["kind"]), values))
    for entry, element in zip(order, services.add_elements(items), strict=True):
        elements[entry["key"]] = element
        wrote_one()
    problems, links = [], []
    present = _links_among([e for e in elements.values() if e.blueprint_id is None])
    rows = data.link_rows or [None] * len(data.links)
    for (source, target, kind), row in zip(data.links, rows, strict=True):
        wrote_one()
        a, b, kind = elements[source], elements[target], LinkKind(kind)
        if a.blueprint_id is None and b.blueprint_id is None and (a.id, b.id, kind) in present:
            continue  # the shared catalog has it already
        try:
            services.check_link(a, b, kind)
            if (a.id, b.id, kind) in present:
                raise services.already_linked(a, b, kind)
        except services.BlueprintError as exc:
            problems.append(Problem("Links", row, "target", f"{source} → {target}: {exc.message}"))
            continue
        links.append(services.new_link(a, b, kind, flush=False))
        present.add((a.id, b.id, kind))
    for link, link_id in zip(links, reserve_ids(Link, len(links)), strict=True):
        link.id = link_id
    db.session.flush()
    if problems:
        raise WorkbookProblems(problems)
    return blueprint


def _catalog(workspace_id: int, entries: list[dict]) -> list[Element]:
    """Each catalog entry's element: the workspace's person or system of that kind and name
    (`same_name`: exact, or equal once the database lowers it), else a new one. One query
    finds every candidate and one flush writes the new ones; a row naming a person or system
    an earlier row created finds that one, as the one-by-one import did after its flush.
    Where several match, the oldest wins."""
    titles = {entry["title"] for entry in entries}
    exact: dict[tuple[ElementKind, str], list[Element]] = defaultdict(list)
    lowered: dict[tuple[ElementKind, str], list[Element]] = defaultdict(list)
    if titles:
        for element, folded in db.session.execute(
            select(Element, func.lower(Element.title)).where(
                Element.workspace_id == workspace_id,
                Element.kind.in_(CATALOG_KINDS),
                or_(
                    Element.title.in_(titles),
                    func.lower(Element.title).in_({t.lower() for t in titles}),
                ),
            )
        ):
            exact[element.kind, element.title].append(element)
            lowered[element.kind, folded].append(element)
    out: list[Element] = []
    fresh: list[Element] = []
    made: dict[Element, int] = {}
    lower = _database_lower()
    for entry in entries:
        kind, title = ElementKind(entry["kind"]), entry["title"]
        found = exact.get((kind, title), []) + lowered.get((kind, title.lower()), [])
        if found:
            out.append(min(found, key=lambda e: e.id if e.id is not None else made[e]))
            continue
        new = services.add_catalog_element(
            workspace_id, kind, {k: entry.get(k) for k in CATALOG_VALUES}, flush=False
        )
        out.append(new)
        fresh.append(new)
        made[new] = 1 << 62 | len(fresh)  # after every row there is, in the order made
        # a later row naming the same person or system finds this one, as the database would
        exact[kind, new.title].append(new)
        lowered[kind, lower(new.title)].append(new)
    for element, element_id in zip(fresh, reserve_ids(Element, len(fresh)), strict=True):
        element.id = element_id
    db.session.flush()
    return out


def _links_among(catalog: list[Element]) -> set[tuple[int, int, LinkKind]]:
    """The links the workspace already has between `catalog` (people and systems that
    existed before this import): one query."""
    ids = {element.id for element in catalog if element.id is not None}
    if not ids:
        return set()
    return {
        (source, target, kind)
        for source, target, kind in db.session.execute(
            select(Link.source_id, Link.target_id, Link.kind).where(
                Link.source_id.in_(ids), Link.target_id.in_(ids)
            )
        )
    }


def _database_lower() -> Callable[[str], str]:
    """Python's twin of the database's lower(), for names not written yet: SQLite folds
    ASCII letters only, PostgreSQL every letter."""
    if db.engine.dialect.name == "postgresql":
        return str.lower
    ascii_only = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
    return lambda text: text.translate(ascii_only)

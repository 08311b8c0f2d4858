"""Hypothesis strategies for blueprint-shaped workspaces: stages, steps in every lane (some
spanning stages, some for the whole journey), people and systems reached only through other
people and systems, links between them, and text that is hard for a workbook (unicode,
emoji, newlines, formula- and number-looking text).

`blueprints()` draws a plain spec; `build(spec, workspace)` writes it through the services,
so what a test exports is what the app itself would have stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from blueprint import services
from blueprint.models import (
    LANES,
    Channel,
    Element,
    ElementKind,
    EvidenceSource,
    EvidenceStatus,
    LinkKind,
    Persona,
    ServiceBlueprint,
)

# Characters a user can type or paste: no control characters but the line feed (a CR is
# normalised to LF on import, see blueprint.workbook), no surrogates.
TEXT = st.characters(
    exclude_categories=("Cc", "Cs"), include_characters="\n", exclude_characters="\r"
)
TRICKY = st.sampled_from(
    ["=1+1", "+A1", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0", "0012", "1e5", "2026-01-15", "TRUE",
     "Crème brûlée 🍮", "多语言", "line one\nline two", "  spaced  ", "*"]
)  # fmt: skip


def free_text(max_size: int = 60) -> st.SearchStrategy[str]:
    return st.one_of(st.text(TEXT, max_size=max_size), TRICKY)


def title() -> st.SearchStrategy[str]:
    """As the services store a title: stripped, 1 to 200 characters."""
    return (
        st.one_of(st.text(TEXT, min_size=1, max_size=40), TRICKY)
        .map(lambda t: t.strip()[:200])
        .filter(bool)
    )


@dataclass
class Spec:
    name: str
    goal: str
    persona: str | None
    stages: list[str]
    steps: list[dict[str, Any]] = field(default_factory=list)
    catalog: list[dict[str, Any]] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)  # indexes into nodes


def _annotations(draw, kind: ElementKind) -> dict[str, Any]:
    values: dict[str, Any] = {
        "description": draw(free_text()),
        "fail_point": draw(st.booleans()),
        "fail_note": draw(free_text(30)),
        "evidence_source": draw(st.none() | st.sampled_from(list(EvidenceSource))),
        "evidence_status": draw(st.none() | st.sampled_from(list(EvidenceStatus))),
    }
    if kind.is_lane:
        values |= {
            "channel": draw(st.none() | st.sampled_from(list(Channel))),
            "duration_minutes": draw(st.none() | st.integers(0, 10_000_000)),
            "tolerance_minutes": draw(st.none() | st.integers(0, 10_000_000)),
            "wait_point": draw(st.booleans()),
            "moment_of_truth": draw(st.booleans()),
            "emotion": draw(st.none() | st.integers(-2, 2))
            if kind is ElementKind.CUSTOMER_ACTION
            else None,
        }
    return values


@st.composite
def blueprints(draw, max_steps: int = 10) -> Spec:
    stages = draw(st.lists(title().filter(lambda t: t != "*"), min_size=1, max_size=4, unique=True))
    spec = Spec(
        name=draw(title()),
        goal=draw(free_text()),
        persona=draw(st.none() | title()),
        stages=stages,
    )
    for _ in range(draw(st.integers(1, max_steps))):
        kind = draw(st.sampled_from(LANES))
        stage = draw(st.integers(0, len(stages) - 1))
        span = draw(st.sampled_from(["one", "one", "end", "all"]))
        step = {"kind": kind, "stage": stage, "title": draw(title()), **_annotations(draw, kind)}
        if span == "end" and len(stages) > 1:
            others = [s for s in range(len(stages)) if s != stage]
            step["end_stage"] = draw(st.sampled_from(others))
        step["all_stages"] = span == "all"
        spec.steps.append(step)
    # people and systems: names unique without regard to case (the import matches by name)
    for n in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from([ElementKind.PERSON, ElementKind.SYSTEM]))
        spec.catalog.append(
            {"kind": kind, "title": f"{draw(title())[:180]} #{n}", **_annotations(draw, kind)}
        )
    nodes = [s["kind"] for s in spec.steps] + [c["kind"] for c in spec.catalog]
    steps = len(spec.steps)
    links: set[tuple[int, int, str]] = set()
    for i, entry in enumerate(spec.catalog):
        # every person and system is reached: from a step, or from one reached before it
        source = draw(st.integers(0, steps + i - 1))
        links.add((source, steps + i, _dependency(nodes[source], entry["kind"])))
    for _ in range(draw(st.integers(0, 2 * len(nodes)))):
        a = draw(st.integers(0, len(nodes) - 1))
        b = draw(st.integers(0, len(nodes) - 1))
        if a == b:
            continue
        if nodes[a].is_lane and nodes[b].is_lane:
            kind = draw(st.sampled_from(["relies_on", "next"]))
        elif not nodes[a].is_lane and nodes[b].is_lane:
            continue  # a person or system relying on a step is outside any blueprint's map
        else:
            kind = _dependency(nodes[a], nodes[b])
        links.add((a, b, kind))
    spec.links = sorted(links)
    return spec


def _dependency(source: ElementKind, target: ElementKind) -> str:
    if target is ElementKind.SYSTEM:
        return LinkKind.USES.value
    if target is ElementKind.PERSON and source.is_lane:
        return LinkKind.PERFORMED_BY.value
    return LinkKind.RELIES_ON.value


def build(spec: Spec, workspace_id: int, tag: str = "") -> ServiceBlueprint:
    """The spec written through the services (flushed, not committed). `tag` keeps names of
    people, systems and personas apart from earlier examples in the same workspace."""
    persona_id = None
    if spec.persona:
        persona = services.save_persona(
            Persona(workspace_id=workspace_id), {"name": f"{spec.persona[:180]}{tag}"}
        )
        persona_id = persona.id
    blueprint = services.create_blueprint(
        workspace_id, {"name": spec.name, "goal": spec.goal, "persona_id": persona_id}
    )
    stages = [services.add_stage(blueprint, name) for name in spec.stages]
    nodes: list[Element] = []
    for step in spec.steps:
        values = {k: v for k, v in step.items() if k not in ("kind", "stage", "end_stage")}
        if "end_stage" in step:
            values["end_stage_id"] = stages[step["end_stage"]].id
        nodes.append(services.add_element(stages[step["stage"]], step["kind"], values))
    for entry in spec.catalog:
        values = {k: v for k, v in entry.items() if k != "kind"}
        values["title"] = f"{entry['title']}{tag}"
        nodes.append(services.add_catalog_element(workspace_id, entry["kind"], values))
    for a, b, kind in spec.links:
        services.link_elements(nodes[a], nodes[b], LinkKind(kind))
    return blueprint

"""Generated workspaces for the round-trip properties: export → (a real reader) → import
must lose nothing and find nothing changed.

`workspaces()` is a Hypothesis strategy of plain specs; `build(spec)` writes one through the
services (flushes, never commits) and returns the workspace. Every exportable field is set
somewhere: every status, horizon and MoSCoW, owners (members, one who left the workspace,
two members of the same name), teams, due dates in the past and the future, every
framework's inputs including fractions, and texts with unicode and emoji, line feeds,
carriage returns, tabs, 10,000 characters, or that look like a formula, a number or a date.
Blueprints carry stages, every lane, people and systems, links of every kind, insights with
confirmed causes and why-chains, so the workspace backup and the blueprint workbook can use
the same generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from accounts.models import Membership, Role, User, Workspace
from backlog import services as backlog
from backlog.models import (
    BacklogSettings,
    Horizon,
    ImprovementTask,
    Insight,
    InsightKind,
    MoSCoW,
    TaskStatus,
)
from backlog.scoring import FRAMEWORKS, MIN_DIVISOR, RICE_IMPACTS
from blueprint import services as blueprints
from blueprint.analysis.trace import trace
from blueprint.graph import workspace_graph
from blueprint.models import (
    LANES,
    BlueprintState,
    BuyingRole,
    Channel,
    ElementKind,
    EvidenceSource,
    EvidenceStatus,
    LinkKind,
    Persona,
)
from extensions import db

# Text a spreadsheet or a JSON file could get wrong.
TRICKY = [
    "=1+1",
    "+SUM(A1)",
    "-2+3",
    "@cmd",
    '=HYPERLINK("http://x")',
    "＝1+1",
    "42",
    "0042",
    "3.14",
    "1e5",
    "-7",
    "TRUE",
    "2027-01-15",
    "15/01/2027",
    "12:30",
    "Ünïcödé straße Ωμέγα 日本語",
    "emoji 🚚📦✅ and 👩🏽‍💻",
    "line one\nline two",
    "windows\r\nline ends",
    "old mac\rline end",
    "tab\tinside",
    "  padded  ",
    "'quoted",
    "<b>not html</b> & ampersand",
]
# Every character XML 1.0 and openpyxl accept (no control characters but tab, LF and CR;
# no surrogates or non-characters).
CHARS = st.characters(
    blacklist_categories=("Cs", "Cc", "Cn", "Co"), blacklist_characters="\ufeff"
) | st.sampled_from("\t\n\r")
FREE = st.text(CHARS, max_size=30)


def texts(max_size: int = 200, blank: bool = True) -> st.SearchStrategy[str]:
    """Free or tricky text of at most `max_size` characters; `blank=False`: something
    that is not only white space (a title)."""
    strategy = st.one_of(FREE, st.sampled_from(TRICKY)).map(lambda t: t[:max_size])
    if not blank:
        strategy = strategy.filter(lambda t: t.strip())
    return strategy


LONG = st.builds(lambda t: (t * 10_000)[:10_000], st.sampled_from(TRICKY))
DESCRIPTIONS = st.one_of(texts(10_000), LONG)
FRACTIONS = st.sampled_from([1 / 3, 2 / 3, 0.1 + 0.2, 0.25, 2.5, 1.75, 0.001])


def numbers(low: float, high: float) -> st.SearchStrategy[float]:
    return st.one_of(
        st.floats(low, high, allow_nan=False, allow_infinity=False),
        FRACTIONS.filter(lambda v: low <= v <= high),
        st.integers(int(low), int(min(high, 10_000))).map(float),
    )


def positive(high: float) -> st.SearchStrategy[float]:
    """A divisor the scoring rules accept: at least MIN_DIVISOR, so every score is finite."""
    return numbers(MIN_DIVISOR, high).filter(lambda v: v >= MIN_DIVISOR)


def optional(strategy):
    return st.one_of(st.none(), strategy)


# --- specs: plain data a test can print when it fails -----------------------------------


@dataclass
class PersonSpec:
    name: str
    email: str
    member: bool  # False: named as an owner but has left the workspace


@dataclass
class ElementSpec:
    kind: ElementKind
    stage: int  # index into the blueprint's stages (lane elements)
    values: dict[str, Any]


@dataclass
class BlueprintSpec:
    values: dict[str, Any]
    stages: list[str]
    elements: list[ElementSpec]


@dataclass
class WorkspaceSpec:
    name: str
    people: list[PersonSpec]
    personas: list[dict[str, Any]]
    blueprints: list[BlueprintSpec]
    catalog: list[ElementSpec]
    links: list[tuple[int, int, LinkKind]]  # indexes into all elements (steps, then catalog)
    insights: list[dict[str, Any]]  # "element": an index, "causes", "whys"
    tasks: list[dict[str, Any]]  # "owner": a person index, "insights", "targets"
    framework: str = "value_effort"
    threshold: int = 3
    extra: dict[str, Any] = field(default_factory=dict)


PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(["Sam Lee", "Zoë Ñúñez", "李小龍", "Ops 🚀", "O'Brien"]), st.booleans()
    ),
    min_size=1,
    max_size=4,
).map(
    lambda people: [
        PersonSpec(name, f"person{n}@example.com", member or n == 0)
        for n, (name, member) in enumerate(people)
    ]
)
PERSONAS = st.lists(
    st.fixed_dictionaries(
        {
            "name": texts(200, blank=False),
            "segment": texts(200),
            "buying_role": optional(st.sampled_from(BuyingRole)),
            "goals": texts(500),
            "needs": texts(500),
            "pains": texts(500),
            "jobs_to_be_done": texts(500),
        }
    ),
    max_size=2,
)
STEP_VALUES = {
    "title": texts(200, blank=False),
    "description": texts(2_000),
    "channel": optional(st.sampled_from(Channel)),
    "duration_minutes": optional(st.integers(0, 10_000)),
    "tolerance_minutes": optional(st.integers(0, 10_000)),
    "fail_point": st.booleans(),
    "fail_note": texts(500),
    "wait_point": st.booleans(),
    "moment_of_truth": st.booleans(),
    "evidence_source": optional(st.sampled_from(EvidenceSource)),
    "evidence_status": optional(st.sampled_from(EvidenceStatus)),
}


@st.composite
def _blueprint(draw) -> BlueprintSpec:
    stages = draw(st.lists(texts(200, blank=False), min_size=1, max_size=3))
    elements = []
    for kind in draw(st.lists(st.sampled_from(LANES), min_size=1, max_size=6)):
        values = draw(st.fixed_dictionaries(STEP_VALUES))
        if kind is ElementKind.CUSTOMER_ACTION:
            values["emotion"] = draw(optional(st.integers(-2, 2)))
        elements.append(ElementSpec(kind, draw(st.integers(0, len(stages) - 1)), values))
    values = draw(
        st.fixed_dictionaries(
            {
                "name": texts(200, blank=False),
                "goal": texts(1_000),
                "scope": texts(1_000),
                "state": st.sampled_from(BlueprintState),
                "review_cadence_days": optional(st.integers(1, 365)),
                "last_reviewed_on": optional(st.dates(date(2000, 1, 1), date(2100, 1, 1))),
            }
        )
    )
    return BlueprintSpec(values, stages, elements)


def _task_values(people: int, insights: int, elements: int):
    rice = st.fixed_dictionaries(
        {
            "reach": numbers(0, 1e7),
            "rice_impact": st.sampled_from(RICE_IMPACTS),
            "confidence": numbers(0, 1),
            "effort_months": positive(1_000),
        }
    )
    ice = st.fixed_dictionaries(
        {
            "ice_impact": st.integers(1, 10),
            "ice_confidence": st.integers(1, 10),
            "ice_ease": st.integers(1, 10),
        }
    )
    wsjf = st.fixed_dictionaries(
        {
            "business_value": numbers(0, 1e4),
            "time_criticality": numbers(0, 1e4),
            "risk_reduction": numbers(0, 1e4),
            "job_size": positive(1e4),
        }
    )
    today = date.today()
    return st.tuples(
        st.fixed_dictionaries(
            {
                "title": texts(200, blank=False),
                "description": DESCRIPTIONS,
                "status": st.sampled_from(TaskStatus),
                "team": texts(120),
                "due_on": optional(
                    st.integers(-3_000, 3_000).map(lambda days: today + timedelta(days=days))
                ),
                "horizon": optional(st.sampled_from(Horizon)),
                "moscow": optional(st.sampled_from(MoSCoW)),
                "pinned": st.booleans(),
                "impact": st.integers(1, 5),
                "effort": st.integers(1, 5),
                "owner": optional(st.integers(0, people - 1)),
                "insights": st.lists(st.integers(0, max(insights - 1, 0)), max_size=insights and 3),
                "targets": st.lists(st.integers(0, max(elements - 1, 0)), max_size=elements and 3),
            }
        ),
        optional(rice),
        optional(ice),
        optional(wsjf),
    ).map(lambda parts: {k: v for part in parts if part for k, v in part.items()})


@st.composite
def workspaces(draw, max_tasks: int = 8) -> WorkspaceSpec:
    people = draw(PEOPLE)
    plans = draw(st.lists(_blueprint(), min_size=0, max_size=2))
    catalog = [
        ElementSpec(kind, 0, draw(st.fixed_dictionaries(STEP_VALUES)))
        for kind in draw(
            st.lists(st.sampled_from([ElementKind.PERSON, ElementKind.SYSTEM]), max_size=3)
        )
    ]
    steps = sum(len(b.elements) for b in plans)
    elements = steps + len(catalog)
    links = []
    if elements >= 2:
        links = draw(
            st.lists(
                st.tuples(
                    st.integers(0, elements - 1),
                    st.integers(0, elements - 1),
                    st.sampled_from(LinkKind),
                ).filter(lambda t: t[0] != t[1]),
                max_size=6,
                unique_by=lambda t: (t[0], t[1], t[2]),
            )
        )
    insights = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "kind": st.sampled_from(InsightKind),
                    "title": texts(200, blank=False),
                    "description": texts(2_000),
                    "severity": st.integers(1, 5),
                    "frequency": st.integers(1, 5),
                    "evidence_source": optional(st.sampled_from(EvidenceSource)),
                    "evidence_reference": texts(500),
                    "observed_on": optional(st.dates(date(2000, 1, 1), date(2100, 1, 1))),
                    "element": optional(st.integers(0, max(steps - 1, 0))) if steps else st.none(),
                    "whys": st.lists(texts(500, blank=False), max_size=2),
                }
            ),
            max_size=4,
        )
    )
    tasks = draw(st.lists(_task_values(len(people), len(insights), elements), max_size=max_tasks))
    return WorkspaceSpec(
        name=draw(texts(100, blank=False)).strip() + " workspace",
        people=people,
        personas=draw(PERSONAS),
        blueprints=plans,
        catalog=catalog,
        links=links,
        insights=insights,
        tasks=tasks,
        framework=draw(st.sampled_from(sorted(FRAMEWORKS))),
        threshold=draw(st.integers(1, 5)),
    )


# --- building a spec -----------------------------------------------------------------------


def build(spec: WorkspaceSpec) -> Workspace:
    """Write the spec's workspace through the services. Flushes; the caller commits."""
    users = []
    for person in spec.people:
        user = db.session.query(User).filter_by(email=person.email).one_or_none()
        if user is None:
            # a stand-in hash: these people never log in, and hashing is slow
            user = User(email=person.email, name=person.name, password_hash="!")
            db.session.add(user)
            db.session.flush()
        users.append(user)
    workspace = Workspace(name=spec.name)
    db.session.add(workspace)
    db.session.flush()
    for n, (person, user) in enumerate(zip(spec.people, users, strict=True)):
        if person.member:
            role = Role.OWNER if n == 0 else Role.EDITOR
            db.session.add(Membership(user_id=user.id, workspace_id=workspace.id, role=role))
    db.session.flush()
    personas = [
        blueprints.save_persona(Persona(workspace_id=workspace.id), values)
        for values in spec.personas
    ]
    elements = []
    for plan in spec.blueprints:
        values = dict(plan.values)
        values["persona_id"] = personas[0].id if personas else None
        values["owner_id"] = users[0].id
        blueprint = blueprints.create_blueprint(workspace.id, values)
        stages = [blueprints.add_stage(blueprint, name) for name in plan.stages]
        for element in plan.elements:
            elements.append(
                blueprints.add_element(stages[element.stage], element.kind, element.values)
            )
    steps = list(elements)
    for element in spec.catalog:
        elements.append(blueprints.add_catalog_element(workspace.id, element.kind, element.values))
    for source, target, kind in spec.links:
        try:
            blueprints.link_elements(elements[source], elements[target], kind)
        except blueprints.BlueprintError:
            pass  # a link the method does not allow (uses into a step, say): not made
    insights = []
    for values in spec.insights:
        values = dict(values)
        at = values.pop("element")
        whys = values.pop("whys")
        if at is not None and at < len(steps):
            values["element_id"] = steps[at].id
        elif spec.blueprints:
            values["blueprint_id"] = steps[0].blueprint_id if steps else None
        insight = backlog.save_insight(
            Insight(workspace_id=workspace.id, author_id=users[0].id), values
        )
        insights.append(insight)
        if insight.element_id is not None:  # confirm causes from the step's trace
            candidates = trace(workspace_graph(workspace.id), insight.element_id).candidates
            chosen = sorted(candidates)[:2]
            backlog.set_confirmed_causes(insight, chosen, candidates)
        for answer in whys:
            backlog.add_why(insight, answer, steps[0].id if steps else None)
    for values in spec.tasks:
        values = dict(values)
        owner = values.pop("owner")
        values["owner_id"] = users[owner].id if owner is not None else None
        backlog.save_task(
            ImprovementTask(workspace_id=workspace.id),
            values,
            sorted({insights[i].id for i in values.pop("insights") if i < len(insights)}),
            sorted({elements[i].id for i in values.pop("targets") if i < len(elements)}),
        )
    db.session.add(
        BacklogSettings(
            workspace_id=workspace.id,
            framework=spec.framework,
            quadrant_threshold=spec.threshold,
        )
    )
    db.session.flush()
    return workspace

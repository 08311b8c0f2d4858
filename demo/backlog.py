"""The demo's insights and improvement tasks: real voices from interviews, tickets and
surveys on the order-to-delivery and returns journeys, some traced to confirmed causes, and
a backlog that spans every status, quadrant and horizon."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from backlog import services
from backlog.models import (
    BacklogSettings,
    Horizon,
    ImprovementTask,
    Insight,
    InsightKind,
    MoSCoW,
    TaskStatus,
)
from blueprint.analysis.trace import trace
from blueprint.graph import workspace_graph
from blueprint.models import Element, EvidenceSource, ServiceBlueprint
from extensions import db

P, OPP, OB, C = (
    InsightKind.PAIN_POINT,
    InsightKind.OPPORTUNITY,
    InsightKind.OBSERVATION,
    InsightKind.COMPLIMENT,
)
S = EvidenceSource


@dataclass(frozen=True)
class DemoInsight:
    """An insight of the demo, seen at an element of one of its blueprints."""

    key: str  # how CAUSES, WHYS and the tasks name it
    blueprint: str  # "current", "returns" or "future"
    element: str | None  # the title of the element it was seen at; None: the whole journey
    kind: InsightKind
    title: str
    severity: int
    frequency: int
    source: EvidenceSource
    reference: str


INSIGHTS = [
    DemoInsight(
        key="stale_stock",
        blueprint="current",
        element="Checks price and stock online",
        kind=P,
        title="Ordered items shown in stock that were not",
        severity=4,
        frequency=4,
        source=S.CALL_CENTRE,
        reference="Tickets #4411, #4420, #4472",
    ),
    DemoInsight(
        key="no_confirmation",
        blueprint="current",
        element="Waits for the order confirmation",
        kind=P,
        title="No confirmation until the next morning",
        severity=4,
        frequency=5,
        source=S.SURVEY,
        reference="Q3 buyer survey, 61% of comments",
    ),
    DemoInsight(
        key="wrong_date",
        blueprint="current",
        element="Waits for the order confirmation",
        kind=P,
        title="Confirmed delivery date turns out wrong",
        severity=5,
        frequency=3,
        source=S.INTERVIEW,
        reference="“I plan my Saturday staff around that date.” — garden centre owner",
    ),
    DemoInsight(
        key="chasing",
        blueprint="current",
        element="Chases the confirmation by phone",
        kind=P,
        title="Buyers call to ask if the order went through",
        severity=3,
        frequency=4,
        source=S.CALL_CENTRE,
        reference="1,240 calls last quarter",
    ),
    DemoInsight(
        key="hold_queue",
        blueprint="current",
        element="Chases the confirmation by phone",
        kind=P,
        title="Ten minutes on hold to reach the desk",
        severity=3,
        frequency=4,
        source=S.CALL_CENTRE,
        reference="ACD report week 38",
    ),
    DemoInsight(
        key="short_delivery",
        blueprint="current",
        element="Reports a short delivery",
        kind=P,
        title="Short deliveries found on Saturday morning",
        severity=5,
        frequency=3,
        source=S.INTERVIEW,
        reference="Interview 7, DIY chain buyer",
    ),
    DemoInsight(
        key="case_lost",
        blueprint="current",
        element="Reports a short delivery",
        kind=P,
        title="Shortage case never called back",
        severity=4,
        frequency=2,
        source=S.CRM,
        reference="Cases without follow-up: 18%",
    ),
    DemoInsight(
        key="invoice_mismatch",
        blueprint="current",
        element="Matches the invoice to the PO",
        kind=P,
        title="Invoice lists goods that never arrived",
        severity=4,
        frequency=3,
        source=S.INTERVIEW,
        reference="Finance controller, interview 3",
    ),
    DemoInsight(
        key="invoice_wait",
        blueprint="current",
        element="Matches the invoice to the PO",
        kind=P,
        title="Invoice questions wait days for an answer",
        severity=3,
        frequency=3,
        source=S.SURVEY,
        reference="Survey free text",
    ),
    DemoInsight(
        key="change_by_phone",
        blueprint="current",
        element="Calls to change quantities",
        kind=P,
        title="Quantity changes only possible by phone",
        severity=3,
        frequency=3,
        source=S.WEB_ANALYTICS,
        reference="Exit rate on order page",
    ),
    DemoInsight(
        key="quote_slow",
        blueprint="current",
        element="Asks for a quote on a large order",
        kind=P,
        title="Quotes take most of a working day",
        severity=3,
        frequency=2,
        source=S.INTERVIEW,
        reference="Interview 2",
    ),
    DemoInsight(
        key="price_confusing",
        blueprint="current",
        element="Checks price and stock online",
        kind=P,
        title="Customer-specific prices hard to find",
        severity=2,
        frequency=3,
        source=S.WEB_MONITORING,
        reference="Session recordings",
    ),
    DemoInsight(
        key="tracking_gap",
        blueprint="current",
        element="Receives and checks the goods",
        kind=P,
        title="No arrival window on the tracking e-mail",
        severity=2,
        frequency=4,
        source=S.SOCIAL_MEDIA,
        reference="LinkedIn comments",
    ),
    DemoInsight(
        key="driver_praise",
        blueprint="current",
        element="Receives and checks the goods",
        kind=C,
        title="Drivers praised for careful unloading",
        severity=2,
        frequency=3,
        source=S.SURVEY,
        reference="NPS promoters' comments",
    ),
    DemoInsight(
        key="self_service",
        blueprint="current",
        element="Places the order in the web shop",
        kind=OPP,
        title="Buyers would reorder from last month's order",
        severity=3,
        frequency=3,
        source=S.WORKSHOP,
        reference="Workshop 12 May",
    ),
    DemoInsight(
        key="mobile",
        blueprint="current",
        element="Places the order in the web shop",
        kind=OB,
        title="A third of orders placed from phones in the store",
        severity=2,
        frequency=4,
        source=S.WEB_ANALYTICS,
        reference="Device report",
    ),
    DemoInsight(
        key="statement_ok",
        blueprint="current",
        element="Pays the invoice",
        kind=C,
        title="Monthly statement is clear",
        severity=1,
        frequency=3,
        source=S.SURVEY,
        reference="Survey",
    ),
    DemoInsight(
        key="damage_report",
        blueprint="returns",
        element="Reports damaged goods",
        kind=P,
        title="Reporting damage takes a 20-minute call",
        severity=3,
        frequency=3,
        source=S.CALL_CENTRE,
        reference="Call logs",
    ),
    DemoInsight(
        key="photos",
        blueprint="returns",
        element="Reports damaged goods",
        kind=P,
        title="Asked for photos only after the goods were collected",
        severity=3,
        frequency=2,
        source=S.INTERVIEW,
        reference="Interview 5",
    ),
    DemoInsight(
        key="pickup_slow",
        blueprint="returns",
        element="Hands the goods to the driver",
        kind=P,
        title="Pickup takes three days to arrange",
        severity=3,
        frequency=3,
        source=S.CRM,
        reference="Case timestamps",
    ),
    DemoInsight(
        key="credit_wait",
        blueprint="returns",
        element="Waits for the credit note",
        kind=P,
        title="Credit notes take two weeks",
        severity=4,
        frequency=4,
        source=S.SURVEY,
        reference="Q3 survey",
    ),
    DemoInsight(
        key="credit_unknown",
        blueprint="returns",
        element="Chases the credit note",
        kind=P,
        title="Desk cannot say when the credit comes",
        severity=4,
        frequency=3,
        source=S.CALL_CENTRE,
        reference="Tickets tagged 'credit'",
    ),
    DemoInsight(
        key="desk_staffing",
        blueprint="current",
        element="Service desk answers 'where is my confirmation?'",
        kind=OB,
        title="Two of five desk seats vacant since spring",
        severity=3,
        frequency=5,
        source=S.WORKSHOP,
        reference="Ops workshop",
    ),
    DemoInsight(
        key="returns_policy",
        blueprint="returns",
        element="Reports damaged goods",
        kind=OB,
        title="Returns policy unclear on who pays the pickup",
        severity=2,
        frequency=2,
        source=S.WEB_MONITORING,
        reference="FAQ searches",
    ),
    DemoInsight(
        key="kam_relationship",
        blueprint="current",
        element="Asks for a quote on a large order",
        kind=C,
        title="Key accounts value their named contact",
        severity=2,
        frequency=2,
        source=S.INTERVIEW,
        reference="Interviews 1, 4",
    ),
    DemoInsight(
        key="whole_journey",
        blueprint="current",
        element=None,
        kind=P,
        title="Buyers say ordering 'takes too many phone calls'",
        severity=4,
        frequency=3,
        source=S.SURVEY,
        reference="Survey headline",
    ),
]

# insight key → titles of the elements confirmed as causes
CAUSES = {
    "stale_stock": ["Stock synchronisation ERP ↔ WMS", "ERP–WMS stock interface"],
    "no_confirmation": ["Allocate stock to the order", "ERP–WMS stock interface"],
    "wrong_date": ["Allocate stock to the order", "Delivery slot planning"],
    "short_delivery": ["Pick and pack", "ERP–WMS stock interface"],
    "chasing": ["Customer service desk"],
    "credit_unknown": ["Customer service desk"],
}

WHYS = {
    "short_delivery": [
        ("Why was the delivery short? The picker could not find the goods.", "Pick and pack"),
        (
            "Why? The order had been allocated stock that was already sold.",
            "Allocate stock to the order",
        ),
        ("Why? The ERP's stock figures are up to a day old.", "ERP–WMS stock interface"),
        (
            "Why? Stock is copied from the warehouse system in a nightly batch.",
            "Stock synchronisation ERP ↔ WMS",
        ),
        (
            "Why? The interface was built in 2011 and nobody owns it since the integration "
            "team was cut.",
            "IT integration team",
        ),
    ],
    "chasing": [
        ("Why do buyers call? They get no confirmation the same day.", None),
        (
            "Why? Confirmations wait for the nightly stock allocation.",
            "Allocate stock to the order",
        ),
        ("Why do calls wait so long? Two of five desk seats are vacant.", "Customer service desk"),
    ],
}


@dataclass(frozen=True)
class DemoTask:
    """An improvement task of the demo backlog."""

    title: str
    status: TaskStatus
    owner: str | None  # the e-mail of a demo user; None: nobody yet
    team: str
    due_in_days: int | None  # from the day the demo is seeded; None: no due date
    horizon: Horizon
    moscow: MoSCoW
    impact: int
    effort: int
    addresses: list[str]  # keys of the insights it addresses
    targets: list[str]  # titles of the elements it changes
    inputs: dict = field(default_factory=dict)  # the other frameworks' scoring inputs
    description: str = ""  # what the team wrote down (the action plan's Description)
    pinned: bool = False


TASKS = [
    DemoTask(
        title="Real-time stock events from WMS to ERP",
        description=(
            "Replace the nightly stock file with events for every pick, receipt and adjustment.\n"
            "Done when the web shop shows stock no older than five minutes."
        ),
        status=TaskStatus.IN_PROGRESS,
        owner="demo@example.com",
        team="IT integration",
        due_in_days=45,
        horizon=Horizon.LONG_TERM,
        moscow=MoSCoW.MUST,
        impact=5,
        effort=4,
        inputs={
            "reach": 1800,
            "rice_impact": 3,
            "confidence": 0.8,
            "effort_months": 6,
            "business_value": 13,
            "time_criticality": 8,
            "risk_reduction": 8,
            "job_size": 13,
        },
        addresses=["stale_stock", "no_confirmation", "short_delivery"],
        targets=["ERP–WMS stock interface"],
        pinned=True,
    ),
    DemoTask(
        title="Same-hour order confirmation with a provisional date",
        description=(
            "Send the confirmation as soon as the order is accepted, with the date we expect; "
            "a second mail only if allocation moves it."
        ),
        status=TaskStatus.PLANNED,
        owner="editor@example.com",
        team="E-commerce",
        due_in_days=30,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.MUST,
        impact=5,
        effort=2,
        inputs={
            "reach": 2400,
            "rice_impact": 2,
            "confidence": 0.8,
            "effort_months": 1.5,
            "ice_impact": 8,
            "ice_confidence": 7,
            "ice_ease": 7,
        },
        addresses=["no_confirmation", "chasing"],
        targets=["Confirmation with delivery date sent"],
    ),
    DemoTask(
        title="Fill the two vacant service desk seats",
        description="Two temporary seats until the hires start.",
        status=TaskStatus.PLANNED,
        owner="demo@example.com",
        team="Customer service",
        due_in_days=20,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.MUST,
        impact=4,
        effort=2,
        inputs={"ice_impact": 7, "ice_confidence": 9, "ice_ease": 6},
        addresses=["hold_queue", "chasing", "credit_unknown"],
        targets=["Customer service desk"],
    ),
    DemoTask(
        title="Show the stock timestamp next to availability",
        status=TaskStatus.DONE,
        owner="editor@example.com",
        team="E-commerce",
        due_in_days=-10,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.SHOULD,
        impact=3,
        effort=1,
        inputs={"reach": 3000, "rice_impact": 1, "confidence": 1, "effort_months": 0.25},
        addresses=["stale_stock"],
        targets=["Web shop shows availability"],
    ),
    DemoTask(
        title="Invoice from delivered, not ordered, quantities",
        status=TaskStatus.IN_PROGRESS,
        owner="viewer@example.com",
        team="Finance",
        due_in_days=-5,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.MUST,
        impact=4,
        effort=3,
        inputs={"business_value": 8, "time_criticality": 5, "risk_reduction": 5, "job_size": 5},
        addresses=["invoice_mismatch"],
        targets=["Create invoice from delivered quantities"],
    ),
    DemoTask(
        title="Shortage cases routed to the warehouse with an owner",
        status=TaskStatus.IDEA,
        owner=None,
        team="Customer service",
        due_in_days=60,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.SHOULD,
        impact=4,
        effort=2,
        addresses=["case_lost", "short_delivery"],
        targets=["Service desk opens a shortage case"],
    ),
    DemoTask(
        title="Change quantities online until picking starts",
        status=TaskStatus.IDEA,
        owner="editor@example.com",
        team="E-commerce",
        due_in_days=120,
        horizon=Horizon.LONG_TERM,
        moscow=MoSCoW.COULD,
        impact=3,
        effort=4,
        inputs={"reach": 900, "rice_impact": 1, "confidence": 0.5, "effort_months": 3},
        addresses=["change_by_phone"],
        targets=["Service desk takes the change by phone"],
    ),
    DemoTask(
        title="Quote calculator for inside sales",
        status=TaskStatus.PLANNED,
        owner="editor@example.com",
        team="Sales",
        due_in_days=75,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.COULD,
        impact=2,
        effort=3,
        inputs={"ice_impact": 5, "ice_confidence": 6, "ice_ease": 4},
        addresses=["quote_slow"],
        targets=["Calculate customer price"],
    ),
    DemoTask(
        title="Customer price on every product page",
        status=TaskStatus.IDEA,
        owner=None,
        team="E-commerce",
        due_in_days=None,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.COULD,
        impact=2,
        effort=1,
        addresses=["price_confusing"],
        targets=["Web shop shows availability"],
    ),
    DemoTask(
        title="Arrival window in the tracking e-mail",
        status=TaskStatus.DONE,
        owner="demo@example.com",
        team="Logistics",
        due_in_days=-20,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.SHOULD,
        impact=2,
        effort=2,
        inputs={"reach": 2500, "rice_impact": 0.5, "confidence": 0.8, "effort_months": 0.5},
        addresses=["tracking_gap"],
        targets=["Tracking e-mail"],
    ),
    DemoTask(
        title="Reorder from last month's order",
        status=TaskStatus.IDEA,
        owner=None,
        team="E-commerce",
        due_in_days=None,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.SHOULD,
        impact=3,
        effort=2,
        inputs={"ice_impact": 6, "ice_confidence": 5, "ice_ease": 7},
        addresses=["self_service"],
        targets=["Web shop checkout"],
    ),
    DemoTask(
        title="Mobile-friendly checkout",
        status=TaskStatus.PLANNED,
        owner="editor@example.com",
        team="E-commerce",
        due_in_days=90,
        horizon=Horizon.LONG_TERM,
        moscow=MoSCoW.SHOULD,
        impact=3,
        effort=4,
        addresses=["mobile"],
        targets=["Web shop checkout"],
    ),
    DemoTask(
        title="Photos and damage form in the web shop",
        status=TaskStatus.PLANNED,
        owner="editor@example.com",
        team="Customer service",
        due_in_days=40,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.MUST,
        impact=4,
        effort=2,
        inputs={"business_value": 5, "time_criticality": 3, "risk_reduction": 2, "job_size": 3},
        addresses=["damage_report", "photos"],
        targets=["Service desk logs the return"],
    ),
    DemoTask(
        title="Next-day pickup slots for returns",
        status=TaskStatus.IDEA,
        owner=None,
        team="Logistics",
        due_in_days=100,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.COULD,
        impact=3,
        effort=3,
        addresses=["pickup_slow"],
        targets=["Plan the pickup"],
    ),
    DemoTask(
        title="Credit notes issued on receipt, not at month end",
        status=TaskStatus.PLANNED,
        owner="demo@example.com",
        team="Finance",
        due_in_days=50,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.MUST,
        impact=4,
        effort=3,
        inputs={"business_value": 8, "time_criticality": 8, "risk_reduction": 3, "job_size": 5},
        addresses=["credit_wait"],
        targets=["Credit approval at month end"],
    ),
    DemoTask(
        title="Credit status visible to the service desk",
        status=TaskStatus.IDEA,
        owner=None,
        team="Customer service",
        due_in_days=None,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.SHOULD,
        impact=4,
        effort=1,
        addresses=["credit_unknown"],
        targets=["Service desk replies about the credit"],
    ),
    DemoTask(
        title="Rewrite the returns policy page",
        status=TaskStatus.DONE,
        owner="viewer@example.com",
        team="Marketing",
        due_in_days=-30,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.COULD,
        impact=1,
        effort=1,
        addresses=["returns_policy"],
        targets=["Returns form on the web shop"],
    ),
    DemoTask(
        title="Replace the ERP",
        status=TaskStatus.DROPPED,
        owner="demo@example.com",
        team="IT",
        due_in_days=None,
        horizon=Horizon.LONG_TERM,
        moscow=MoSCoW.WONT,
        impact=2,
        effort=5,
        inputs={"business_value": 5, "time_criticality": 1, "risk_reduction": 8, "job_size": 40},
        addresses=[],
        targets=["ERP"],
    ),
    DemoTask(
        title="Weekly cycle count of fast movers",
        status=TaskStatus.IN_PROGRESS,
        owner="viewer@example.com",
        team="Warehouse",
        due_in_days=-3,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.SHOULD,
        impact=2,
        effort=3,
        addresses=["short_delivery"],
        targets=["Weekly cycle count"],
    ),
    DemoTask(
        title="Second transport planner for peak weeks",
        status=TaskStatus.IDEA,
        owner=None,
        team="Logistics",
        due_in_days=None,
        horizon=Horizon.SHORT_TERM,
        moscow=MoSCoW.COULD,
        impact=2,
        effort=4,
        addresses=["wrong_date"],
        targets=["Transport planner"],
    ),
    DemoTask(
        title="Named contact for every key account",
        status=TaskStatus.DONE,
        owner="editor@example.com",
        team="Sales",
        due_in_days=-60,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.COULD,
        impact=1,
        effort=2,
        addresses=["kam_relationship"],
        targets=["Key account manager"],
    ),
    DemoTask(
        title="Document the stock interface and give it an owner",
        status=TaskStatus.PLANNED,
        owner="demo@example.com",
        team="IT integration",
        due_in_days=14,
        horizon=Horizon.QUICK_WIN,
        moscow=MoSCoW.MUST,
        impact=3,
        effort=1,
        inputs={"ice_impact": 6, "ice_confidence": 9, "ice_ease": 9},
        addresses=["stale_stock"],
        targets=["IT integration team"],
    ),
]


def seed_backlog(
    workspace_id: int, blueprints: dict[str, ServiceBlueprint], users: dict[str, int]
) -> None:
    elements: dict[tuple[str, str], Element] = {}
    ids = {key: bp.id for key, bp in blueprints.items()}
    for element in db.session.scalars(select(Element).where(Element.workspace_id == workspace_id)):
        owner = next((k for k, v in ids.items() if v == element.blueprint_id), "catalog")
        elements.setdefault((owner, element.title), element)

    def find(title: str, blueprint: str = "current") -> Element:
        return (
            elements.get((blueprint, title))
            or elements.get(("catalog", title))
            or elements[("returns", title)]
        )

    today = date.today()
    insights: dict[str, Insight] = {}
    for n, seen in enumerate(INSIGHTS):
        values = {
            "kind": seen.kind,
            "title": seen.title,
            "severity": seen.severity,
            "frequency": seen.frequency,
            "evidence_source": seen.source,
            "evidence_reference": seen.reference,
            "observed_on": today - timedelta(days=5 + 3 * n),
            "blueprint_id": blueprints[seen.blueprint].id,
        }
        if seen.element:
            values["element_id"] = find(seen.element, seen.blueprint).id
        insights[seen.key] = services.save_insight(
            Insight(workspace_id=workspace_id, author_id=users["demo@example.com"]), values
        )

    G = workspace_graph(workspace_id)
    for key, titles in CAUSES.items():
        insight = insights[key]
        candidates = trace(G, insight.element_id).candidates
        chosen = [find(t).id for t in titles]
        services.set_confirmed_causes(insight, chosen, candidates)
    for key, steps in WHYS.items():
        for answer, title in steps:
            services.add_why(insights[key], answer, find(title).id if title else None)

    for task in TASKS:
        services.save_task(
            ImprovementTask(workspace_id=workspace_id),
            {
                "title": task.title,
                "description": task.description,
                "status": task.status,
                "owner_id": users.get(task.owner),
                "team": task.team,
                "due_on": today + timedelta(days=task.due_in_days)
                if task.due_in_days is not None
                else None,
                "horizon": task.horizon,
                "moscow": task.moscow,
                "impact": task.impact,
                "effort": task.effort,
                "pinned": task.pinned,
                **task.inputs,
            },
            [insights[k].id for k in task.addresses],
            [find(t).id for t in task.targets],
        )
    db.session.add(
        BacklogSettings(workspace_id=workspace_id, framework="value_effort", quadrant_threshold=3)
    )
    db.session.flush()

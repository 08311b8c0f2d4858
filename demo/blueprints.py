"""The demo's service blueprints: a wholesale supplier's order-to-delivery journey (current
and future state) and its returns journey, over one shared catalog of people and systems.

The pain is concentrated on purpose: most fail points trace down to the ERP–WMS stock
interface and an overloaded customer service desk, so the root-cause ranking tells a story.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from blueprint import services
from blueprint.models import (
    BlueprintState,
    BuyingRole,
    Channel,
    Element,
    ElementKind,
    EvidenceSource,
    EvidenceStatus,
    LinkKind,
    Persona,
    ServiceBlueprint,
)

E, C, F, B, S = (
    ElementKind.PHYSICAL_EVIDENCE,
    ElementKind.CUSTOMER_ACTION,
    ElementKind.FRONTSTAGE,
    ElementKind.BACKSTAGE,
    ElementKind.SUPPORT,
)
OBS, ASS, PRO = EvidenceStatus.OBSERVED, EvidenceStatus.ASSUMED, EvidenceStatus.PROPOSED
SRC = EvidenceSource


@dataclass(frozen=True)
class CatalogEntry:
    """A person or system of the workspace's catalog, shared by every blueprint."""

    key: str  # how the blueprints' links name it
    kind: ElementKind
    title: str
    description: str
    fail_note: str = ""  # set: it is a fail point, and this says how it fails


@dataclass(frozen=True)
class Step:
    """A lane element of a demo blueprint."""

    key: str  # how the blueprint's links name it
    stage: int  # the index of its stage in the blueprint's "stages"
    lane: ElementKind
    title: str
    # the method's annotations, as the element form takes them; "end_stage" is the index
    # of the last stage a step over several stages reaches
    notes: dict = field(default_factory=dict)


CATALOG = [
    CatalogEntry(
        key="inside_sales",
        kind=ElementKind.PERSON,
        title="Inside sales team",
        description="Four people answering quotes.",
    ),
    CatalogEntry(
        key="service_desk",
        kind=ElementKind.PERSON,
        title="Customer service desk",
        description="Handles order questions, changes and returns; two of five seats vacant.",
        fail_note="Overloaded: 40% of calls wait more than 10 minutes",
    ),
    CatalogEntry(
        key="warehouse",
        kind=ElementKind.PERSON,
        title="Warehouse team",
        description="Picking, packing, loading.",
    ),
    CatalogEntry(
        key="transport_planner",
        kind=ElementKind.PERSON,
        title="Transport planner",
        description="One planner schedules all routes.",
    ),
    CatalogEntry(
        key="ar_team",
        kind=ElementKind.PERSON,
        title="Accounts receivable",
        description="Invoices, dunning, credit notes.",
    ),
    CatalogEntry(
        key="kam",
        kind=ElementKind.PERSON,
        title="Key account manager",
        description="Owns the top 50 accounts.",
    ),
    CatalogEntry(
        key="it_integration",
        kind=ElementKind.PERSON,
        title="IT integration team",
        description="Maintains interfaces between ERP, WMS and web shop.",
    ),
    CatalogEntry(
        key="webshop",
        kind=ElementKind.SYSTEM,
        title="B2B web shop",
        description="Customer-facing ordering portal.",
    ),
    CatalogEntry(
        key="erp", kind=ElementKind.SYSTEM, title="ERP", description="Orders, pricing, invoicing."
    ),
    CatalogEntry(
        key="erp_wms",
        kind=ElementKind.SYSTEM,
        title="ERP–WMS stock interface",
        description=(
            "Nightly batch that copies stock levels from the warehouse system into the ERP."
        ),
        fail_note="Stock in the ERP is up to 24 hours old",
    ),
    CatalogEntry(
        key="wms",
        kind=ElementKind.SYSTEM,
        title="Warehouse management system",
        description="Stock, picking lists.",
    ),
    CatalogEntry(
        key="tms",
        kind=ElementKind.SYSTEM,
        title="Transport planning system",
        description="Routes and delivery slots.",
    ),
    CatalogEntry(
        key="crm", kind=ElementKind.SYSTEM, title="CRM", description="Accounts, contacts, cases."
    ),
    CatalogEntry(
        key="mailer",
        kind=ElementKind.SYSTEM,
        title="Notification service",
        description="Sends order and delivery e-mails.",
    ),
    CatalogEntry(
        key="scanners",
        kind=ElementKind.SYSTEM,
        title="Hand-held scanners",
        description=(
            "Pickers scan every line; the warehouse system relies on them, no step does directly."
        ),
    ),
    CatalogEntry(
        key="label_printer",
        kind=ElementKind.SYSTEM,
        title="Parcel label printer",
        description=(
            "Prints the carriers' labels at the packing bench; not yet linked to the steps that "
            "use it, yet marked as a fail point, so it is a root-cause candidate of its own."
        ),
        fail_note="Jams most mornings; labels are then written by hand",
    ),
]
# Links between people and systems themselves: the catalog's own dependencies.
CATALOG_LINKS = [
    ("erp_wms", "wms", "uses"),  # the interface copies from the warehouse system
    ("wms", "scanners", "uses"),  # a system nothing relies on directly
    ("warehouse", "wms", "uses"),  # a team that uses a system
]

ORDER_TO_DELIVERY = {
    "name": "Order to delivery",
    "goal": "Find out why repeat orders from regional retailers fell 12% and where "
    "confirmation and delivery promises break.",
    "scope": "From the buyer checking price and stock to the paid invoice.",
    "stages": ["Discover & quote", "Place order", "Confirmation", "Delivery", "Invoice & payment"],
    "elements": [
        Step(
            key="e_pricelist",
            stage=0,
            lane=E,
            title="Online price list",
            notes={"channel": Channel.WEB},
        ),
        Step(
            key="e_quote_pdf", stage=0, lane=E, title="Quote PDF", notes={"channel": Channel.EMAIL}
        ),
        Step(
            key="c_check_stock",
            stage=0,
            lane=C,
            title="Checks price and stock online",
            notes={
                "emotion": 0,
                "channel": Channel.WEB,
                "duration_minutes": 10,
                "tolerance_minutes": 15,
                "evidence_source": SRC.WEB_ANALYTICS,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="c_request_quote",
            stage=0,
            lane=C,
            title="Asks for a quote on a large order",
            notes={
                "emotion": 1,
                "channel": Channel.EMAIL,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="f_stock_display",
            stage=0,
            lane=F,
            title="Web shop shows availability",
            notes={
                "fail_point": True,
                "fail_note": "Shows stock that was sold yesterday",
                "channel": Channel.WEB,
            },
        ),
        Step(
            key="f_quote_reply",
            stage=0,
            lane=F,
            title="Inside sales replies with a quote",
            notes={
                "duration_minutes": 480,
                "tolerance_minutes": 240,
                "wait_point": True,
                "channel": Channel.EMAIL,
            },
        ),
        Step(key="b_price_calc", stage=0, lane=B, title="Calculate customer price"),
        Step(key="s_price_master", stage=0, lane=S, title="Price master data upkeep"),
        Step(
            key="e_cart",
            stage=1,
            lane=E,
            title="Basket and order summary page",
            notes={"channel": Channel.WEB},
        ),
        Step(
            key="c_place_order",
            stage=1,
            lane=C,
            title="Places the order in the web shop",
            notes={
                "emotion": 1,
                "channel": Channel.WEB,
                "moment_of_truth": True,
                "evidence_source": SRC.WEB_ANALYTICS,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="c_call_change",
            stage=1,
            lane=C,
            title="Calls to change quantities",
            notes={
                "emotion": -1,
                "channel": Channel.PHONE,
                "wait_point": True,
                "duration_minutes": 18,
                "tolerance_minutes": 5,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="f_checkout",
            stage=1,
            lane=F,
            title="Web shop checkout",
            notes={"channel": Channel.WEB},
        ),
        Step(
            key="f_account_care",
            stage=1,
            lane=F,
            title="Key account manager keeps the buyer posted",
            notes={"end_stage": 3, "channel": Channel.PHONE, "evidence_status": ASS},
        ),
        Step(
            key="f_phone_change",
            stage=1,
            lane=F,
            title="Service desk takes the change by phone",
            notes={"channel": Channel.PHONE, "wait_point": True},
        ),
        Step(key="b_order_entry", stage=1, lane=B, title="Order created in ERP"),
        Step(key="b_credit_check", stage=1, lane=B, title="Credit limit check"),
        Step(
            key="s_stock_sync",
            stage=1,
            lane=S,
            title="Stock synchronisation ERP ↔ WMS",
            notes={
                "fail_point": True,
                "fail_note": "Nightly batch; fails silently about twice a month",
            },
        ),
        Step(
            key="e_confirmation_mail",
            stage=2,
            lane=E,
            title="Order confirmation e-mail",
            notes={"channel": Channel.EMAIL},
        ),
        Step(
            key="c_wait_confirmation",
            stage=2,
            lane=C,
            title="Waits for the order confirmation",
            notes={
                "emotion": -1,
                "wait_point": True,
                "duration_minutes": 1440,
                "tolerance_minutes": 120,
                "evidence_source": SRC.SURVEY,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="c_chase_confirmation",
            stage=2,
            lane=C,
            title="Chases the confirmation by phone",
            notes={
                "emotion": -2,
                "channel": Channel.PHONE,
                "moment_of_truth": True,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="f_send_confirmation",
            stage=2,
            lane=F,
            title="Confirmation with delivery date sent",
            notes={
                "fail_point": True,
                "fail_note": "Promised dates are wrong for 1 order in 8",
                "channel": Channel.EMAIL,
            },
        ),
        Step(
            key="f_answer_chase",
            stage=2,
            lane=F,
            title="Service desk answers 'where is my confirmation?'",
            notes={"channel": Channel.PHONE, "duration_minutes": 12, "tolerance_minutes": 5},
        ),
        Step(
            key="b_allocate_stock",
            stage=2,
            lane=B,
            title="Allocate stock to the order",
            notes={"fail_point": True, "fail_note": "Allocates stock that is no longer there"},
        ),
        Step(key="b_promise_date", stage=2, lane=B, title="Calculate delivery promise"),
        Step(
            key="s_slot_planning",
            stage=2,
            lane=S,
            title="Delivery slot planning",
            notes={"evidence_status": ASS},
        ),
        Step(
            key="e_delivery_note",
            stage=3,
            lane=E,
            title="Delivery note and pallet labels",
            notes={"channel": Channel.POST},
        ),
        Step(
            key="e_tracking_mail",
            stage=3,
            lane=E,
            title="Tracking e-mail",
            notes={"channel": Channel.EMAIL},
        ),
        Step(
            key="c_receive_goods",
            stage=3,
            lane=C,
            title="Receives and checks the goods",
            notes={
                "emotion": 1,
                "channel": Channel.IN_PERSON,
                "moment_of_truth": True,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="c_report_shortage",
            stage=3,
            lane=C,
            title="Reports a short delivery",
            notes={
                "emotion": -2,
                "channel": Channel.PHONE,
                "wait_point": True,
                "duration_minutes": 25,
                "tolerance_minutes": 10,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="f_driver_handover",
            stage=3,
            lane=F,
            title="Driver hands over and gets a signature",
            notes={"channel": Channel.IN_PERSON},
        ),
        Step(
            key="f_shortage_case",
            stage=3,
            lane=F,
            title="Service desk opens a shortage case",
            notes={
                "fail_point": True,
                "fail_note": "Case often lost between desk and warehouse",
                "channel": Channel.PHONE,
            },
        ),
        Step(
            key="b_pick_pack",
            stage=3,
            lane=B,
            title="Pick and pack",
            notes={"fail_point": True, "fail_note": "Short picks when allocated stock is missing"},
        ),
        Step(key="b_load_route", stage=3, lane=B, title="Load truck and plan the route"),
        Step(key="s_fleet", stage=3, lane=S, title="Fleet and carrier contracts"),
        Step(
            key="c_track",
            stage=3,
            lane=C,
            title="Looks up the delivery on the tracking page",
            notes={"emotion": 0, "channel": Channel.WEB},
        ),
        Step(
            key="b_stock_count",
            stage=3,
            lane=B,
            title="Weekly cycle count",
            notes={"evidence_status": ASS},
        ),
        Step(
            key="e_invoice", stage=4, lane=E, title="Invoice PDF", notes={"channel": Channel.EMAIL}
        ),
        Step(
            key="e_statement",
            stage=4,
            lane=E,
            title="Monthly statement",
            notes={"channel": Channel.POST},
        ),
        Step(
            key="c_match_invoice",
            stage=4,
            lane=C,
            title="Matches the invoice to the PO",
            notes={
                "emotion": -1,
                "duration_minutes": 30,
                "tolerance_minutes": 10,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="c_pay",
            stage=4,
            lane=C,
            title="Pays the invoice",
            notes={"emotion": 0, "evidence_source": SRC.CRM, "evidence_status": ASS},
        ),
        Step(
            key="f_invoice_query",
            stage=4,
            lane=F,
            title="Accounts receivable answers invoice queries",
            notes={"channel": Channel.EMAIL, "wait_point": True},
        ),
        Step(
            key="b_create_invoice",
            stage=4,
            lane=B,
            title="Create invoice from delivered quantities",
            notes={"fail_point": True, "fail_note": "Invoices ordered, not delivered, quantities"},
        ),
        Step(key="b_dunning", stage=4, lane=B, title="Payment reminders"),
        Step(key="s_month_end", stage=4, lane=S, title="Month-end close"),
        Step(
            key="s_data_policy",
            stage=0,
            lane=S,
            title="Customer data protection policy (GDPR)",
            notes={"all_stages": True, "evidence_status": OBS},
        ),
        Step(
            key="s_credit_policy",
            stage=4,
            lane=S,
            title="Credit policy",
            notes={"evidence_status": ASS},
        ),
    ],
    "links": [
        # time order of the customer's steps
        ("c_check_stock", "c_request_quote", "next"),
        ("c_request_quote", "c_place_order", "next"),
        ("c_place_order", "c_call_change", "next"),
        ("c_call_change", "c_wait_confirmation", "next"),
        ("c_wait_confirmation", "c_chase_confirmation", "next"),
        ("c_chase_confirmation", "c_receive_goods", "next"),
        ("c_receive_goods", "c_report_shortage", "next"),
        ("c_report_shortage", "c_match_invoice", "next"),
        ("c_match_invoice", "c_pay", "next"),
        # dependencies, top to bottom
        ("c_check_stock", "e_pricelist", "relies_on"),
        ("c_check_stock", "f_stock_display", "relies_on"),
        ("f_stock_display", "webshop", "uses"),
        ("f_stock_display", "s_stock_sync", "relies_on"),
        ("c_request_quote", "f_quote_reply", "relies_on"),
        ("f_quote_reply", "e_quote_pdf", "relies_on"),
        ("f_quote_reply", "inside_sales", "performed_by"),
        ("f_quote_reply", "b_price_calc", "relies_on"),
        ("b_price_calc", "erp", "uses"),
        ("b_price_calc", "s_price_master", "relies_on"),
        ("s_price_master", "kam", "performed_by"),
        ("f_account_care", "kam", "performed_by"),
        ("f_account_care", "crm", "uses"),
        ("f_account_care", "s_data_policy", "relies_on"),
        ("c_place_order", "e_cart", "relies_on"),
        ("c_place_order", "f_checkout", "relies_on"),
        ("f_checkout", "webshop", "uses"),
        ("f_checkout", "b_order_entry", "relies_on"),
        ("b_order_entry", "erp", "uses"),
        ("b_order_entry", "b_credit_check", "relies_on"),
        ("b_credit_check", "s_credit_policy", "relies_on"),
        ("b_credit_check", "ar_team", "performed_by"),
        ("c_call_change", "f_phone_change", "relies_on"),
        ("f_phone_change", "service_desk", "performed_by"),
        ("f_phone_change", "crm", "uses"),
        ("f_phone_change", "b_order_entry", "relies_on"),
        ("s_stock_sync", "erp_wms", "uses"),
        ("s_stock_sync", "it_integration", "performed_by"),
        ("c_wait_confirmation", "e_confirmation_mail", "relies_on"),
        ("c_wait_confirmation", "f_send_confirmation", "relies_on"),
        ("f_send_confirmation", "mailer", "uses"),
        ("f_send_confirmation", "b_promise_date", "relies_on"),
        ("b_promise_date", "b_allocate_stock", "relies_on"),
        ("b_promise_date", "s_slot_planning", "relies_on"),
        ("b_allocate_stock", "s_stock_sync", "relies_on"),
        ("b_allocate_stock", "erp", "uses"),
        ("s_slot_planning", "transport_planner", "performed_by"),
        ("s_slot_planning", "tms", "uses"),
        ("c_chase_confirmation", "f_answer_chase", "relies_on"),
        ("f_answer_chase", "service_desk", "performed_by"),
        ("f_answer_chase", "crm", "uses"),
        ("f_answer_chase", "b_promise_date", "relies_on"),
        ("c_receive_goods", "e_delivery_note", "relies_on"),
        ("c_receive_goods", "e_tracking_mail", "relies_on"),
        ("c_receive_goods", "f_driver_handover", "relies_on"),
        ("e_tracking_mail", "mailer", "uses"),
        ("f_driver_handover", "b_load_route", "relies_on"),
        ("b_load_route", "b_pick_pack", "relies_on"),
        ("b_load_route", "tms", "uses"),
        ("b_load_route", "transport_planner", "performed_by"),
        ("b_load_route", "s_fleet", "relies_on"),
        ("b_pick_pack", "warehouse", "performed_by"),
        ("b_pick_pack", "wms", "uses"),
        ("b_pick_pack", "b_allocate_stock", "relies_on"),
        ("c_report_shortage", "f_shortage_case", "relies_on"),
        ("f_shortage_case", "service_desk", "performed_by"),
        ("f_shortage_case", "crm", "uses"),
        ("f_shortage_case", "b_pick_pack", "relies_on"),
        ("c_match_invoice", "e_invoice", "relies_on"),
        ("c_match_invoice", "f_invoice_query", "relies_on"),
        ("e_invoice", "b_create_invoice", "relies_on"),
        ("f_invoice_query", "ar_team", "performed_by"),
        ("f_invoice_query", "b_create_invoice", "relies_on"),
        ("b_create_invoice", "erp", "uses"),
        ("b_create_invoice", "b_pick_pack", "relies_on"),
        ("b_create_invoice", "ar_team", "performed_by"),
        ("c_pay", "e_statement", "relies_on"),
        ("c_pay", "b_dunning", "relies_on"),
        ("b_dunning", "ar_team", "performed_by"),
        ("b_dunning", "s_month_end", "relies_on"),
        ("b_dunning", "f_invoice_query", "relies_on"),
        ("e_statement", "erp", "uses"),
    ],
}

RETURNS = {
    "name": "Returns and credit notes",
    "goal": "Cut the time from a damaged-goods report to the credit note.",
    "scope": "From the buyer reporting damaged or wrong goods to the credit note booked.",
    "stages": ["Report", "Collect", "Credit"],
    "elements": [
        Step(
            key="e_return_form",
            stage=0,
            lane=E,
            title="Returns form on the web shop",
            notes={"channel": Channel.WEB},
        ),
        Step(
            key="c_report_damage",
            stage=0,
            lane=C,
            title="Reports damaged goods",
            notes={
                "emotion": -1,
                "channel": Channel.PHONE,
                "wait_point": True,
                "duration_minutes": 20,
                "tolerance_minutes": 5,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="f_log_return",
            stage=0,
            lane=F,
            title="Service desk logs the return",
            notes={
                "channel": Channel.PHONE,
                "fail_point": True,
                "fail_note": "Return logged without photos; warehouse rejects it later",
            },
        ),
        Step(key="b_check_stock_record", stage=0, lane=B, title="Check delivered quantities"),
        Step(
            key="s_returns_policy",
            stage=0,
            lane=S,
            title="Returns policy",
            notes={"evidence_status": ASS},
        ),
        Step(
            key="e_pickup_label",
            stage=1,
            lane=E,
            title="Pickup label",
            notes={"channel": Channel.EMAIL},
        ),
        Step(
            key="c_hand_over_return",
            stage=1,
            lane=C,
            title="Hands the goods to the driver",
            notes={
                "emotion": 0,
                "channel": Channel.IN_PERSON,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="f_pickup",
            stage=1,
            lane=F,
            title="Driver collects the return",
            notes={"channel": Channel.IN_PERSON},
        ),
        Step(
            key="b_plan_pickup",
            stage=1,
            lane=B,
            title="Plan the pickup",
            notes={"wait_point": True, "duration_minutes": 4320, "tolerance_minutes": 1440},
        ),
        Step(key="b_receive_return", stage=1, lane=B, title="Receive and inspect the return"),
        Step(
            key="e_credit_note",
            stage=2,
            lane=E,
            title="Credit note PDF",
            notes={"channel": Channel.EMAIL},
        ),
        Step(
            key="c_wait_credit",
            stage=2,
            lane=C,
            title="Waits for the credit note",
            notes={
                "emotion": -2,
                "wait_point": True,
                "moment_of_truth": True,
                "duration_minutes": 14400,
                "tolerance_minutes": 4320,
                "evidence_source": SRC.SURVEY,
                "evidence_status": OBS,
            },
        ),
        Step(
            key="c_chase_credit",
            stage=2,
            lane=C,
            title="Chases the credit note",
            notes={"emotion": -2, "channel": Channel.EMAIL},
        ),
        Step(
            key="f_credit_reply",
            stage=2,
            lane=F,
            title="Service desk replies about the credit",
            notes={
                "channel": Channel.EMAIL,
                "fail_point": True,
                "fail_note": "Desk cannot see credit status; answers 'next week'",
            },
        ),
        Step(key="b_issue_credit", stage=2, lane=B, title="Issue credit note"),
        Step(key="s_month_end_r", stage=2, lane=S, title="Credit approval at month end"),
    ],
    "links": [
        ("c_report_damage", "c_hand_over_return", "next"),
        ("c_hand_over_return", "c_wait_credit", "next"),
        ("c_wait_credit", "c_chase_credit", "next"),
        ("c_report_damage", "e_return_form", "relies_on"),
        ("c_report_damage", "f_log_return", "relies_on"),
        ("f_log_return", "service_desk", "performed_by"),
        ("f_log_return", "crm", "uses"),
        ("f_log_return", "b_check_stock_record", "relies_on"),
        ("f_log_return", "s_returns_policy", "relies_on"),
        ("b_check_stock_record", "erp_wms", "uses"),
        ("b_check_stock_record", "erp", "uses"),
        ("c_hand_over_return", "e_pickup_label", "relies_on"),
        ("c_hand_over_return", "f_pickup", "relies_on"),
        ("f_pickup", "b_plan_pickup", "relies_on"),
        ("b_plan_pickup", "transport_planner", "performed_by"),
        ("b_plan_pickup", "tms", "uses"),
        ("b_receive_return", "warehouse", "performed_by"),
        ("b_receive_return", "wms", "uses"),
        ("c_wait_credit", "e_credit_note", "relies_on"),
        ("e_credit_note", "b_issue_credit", "relies_on"),
        ("b_issue_credit", "b_receive_return", "relies_on"),
        ("b_issue_credit", "ar_team", "performed_by"),
        ("b_issue_credit", "s_month_end_r", "relies_on"),
        ("b_issue_credit", "erp", "uses"),
        ("c_chase_credit", "f_credit_reply", "relies_on"),
        ("f_credit_reply", "service_desk", "performed_by"),
        ("f_credit_reply", "b_issue_credit", "relies_on"),
    ],
}


def _build(
    workspace_id: int, spec: dict, catalog: dict[str, Element], **fields
) -> ServiceBlueprint:
    blueprint = services.create_blueprint(
        workspace_id, {"name": spec["name"], "goal": spec["goal"], "scope": spec["scope"], **fields}
    )
    stages = [services.add_stage(blueprint, name) for name in spec["stages"]]
    keyed: dict[str, Element] = dict(catalog)
    for step in spec["elements"]:
        notes = dict(step.notes)
        if "end_stage" in notes:  # a step over several stages, up to this one
            notes["end_stage_id"] = stages[notes.pop("end_stage")].id
        keyed[step.key] = services.add_element(
            stages[step.stage], step.lane, {"title": step.title, **notes}
        )
    for source, target, kind in spec["links"]:
        services.link_elements(keyed[source], keyed[target], LinkKind(kind))
    return blueprint


def seed_blueprints(workspace_id: int, owner_id: int) -> dict[str, ServiceBlueprint]:
    persona = services.save_persona(
        Persona(workspace_id=workspace_id),
        {
            "name": "Rita, regional retail buyer",
            "segment": "Independent DIY and garden retailers, 5–40 staff",
            "buying_role": BuyingRole.DECISION_MAKER,
            "goals": "Keep shelves full before weekends without tying up cash in stock.",
            "needs": "Reliable delivery dates; invoices that match what arrived.",
            "pains": "Chasing confirmations by phone; short deliveries found on Saturday morning.",
            "jobs_to_be_done": "Reorder best sellers weekly; handle damaged goods quickly.",
        },
    )
    services.save_persona(
        Persona(workspace_id=workspace_id),
        {
            "name": "Frank, finance controller",
            "segment": "Same retailers",
            "buying_role": BuyingRole.BUDGET_HOLDER,
            "pains": "Invoices for goods that never arrived.",
        },
    )
    catalog = {
        entry.key: services.add_catalog_element(
            workspace_id,
            entry.kind,
            {
                "title": entry.title,
                "description": entry.description,
                "fail_point": bool(entry.fail_note),
                "fail_note": entry.fail_note,
            },
        )
        for entry in CATALOG
    }
    for source, target, kind in CATALOG_LINKS:
        services.link_elements(catalog[source], catalog[target], LinkKind(kind))
    today = date.today()
    current = _build(
        workspace_id,
        ORDER_TO_DELIVERY,
        catalog,
        persona_id=persona.id,
        owner_id=owner_id,
        review_cadence_days=90,
        last_reviewed_on=today - timedelta(days=20),
    )
    returns = _build(
        workspace_id,
        RETURNS,
        catalog,
        persona_id=persona.id,
        owner_id=owner_id,
        review_cadence_days=30,
        last_reviewed_on=today - timedelta(days=75),
    )
    future = services.duplicate_as_future_state(current)
    services.update_blueprint(
        future,
        {
            "name": "Order to delivery (future state)",
            "goal": "Live stock and same-hour confirmations: no more chasing.",
            "state": BlueprintState.FUTURE,
        },
    )
    _redesign_future(future)
    return {"current": current, "returns": returns, "future": future}


def _redesign_future(future: ServiceBlueprint) -> None:
    """The future state fixes the stock interface and the confirmation promise."""
    from sqlalchemy import select

    from extensions import db

    elements = {
        e.title: e
        for e in db.session.scalars(select(Element).where(Element.blueprint_id == future.id))
    }
    changes = {
        "Stock synchronisation ERP ↔ WMS": {
            "title": "Real-time stock events WMS → ERP",
            "fail_point": False,
            "fail_note": "",
        },
        "Web shop shows availability": {"fail_point": False, "fail_note": ""},
        "Waits for the order confirmation": {"emotion": 1, "duration_minutes": 15},
        "Chases the confirmation by phone": {"emotion": 0},
        "Allocate stock to the order": {"fail_point": False, "fail_note": ""},
        "Confirmation with delivery date sent": {
            "fail_point": False,
            "fail_note": "",
            "duration_minutes": 15,
            "tolerance_minutes": 120,
        },
    }
    for title, values in changes.items():
        element = elements[title]
        services.update_element(element, {"title": element.title, **values, "evidence_status": PRO})

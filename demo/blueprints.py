"""The demo's service blueprints: a wholesale supplier's order-to-delivery journey (current
and future state) and its returns journey, over one shared catalog of people and systems.

The pain is concentrated on purpose: most fail points trace down to the ERP–WMS stock
interface and an overloaded customer service desk, so the root-cause ranking tells a story.
"""

from __future__ import annotations

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

CATALOG = [
    # key, kind, title, description, fail point note
    ("inside_sales", ElementKind.PERSON, "Inside sales team", "Four people answering quotes.", ""),
    (
        "service_desk",
        ElementKind.PERSON,
        "Customer service desk",
        "Handles order questions, changes and returns; two of five seats vacant.",
        "Overloaded: 40% of calls wait more than 10 minutes",
    ),
    ("warehouse", ElementKind.PERSON, "Warehouse team", "Picking, packing, loading.", ""),
    (
        "transport_planner",
        ElementKind.PERSON,
        "Transport planner",
        "One planner schedules all routes.",
        "",
    ),
    ("ar_team", ElementKind.PERSON, "Accounts receivable", "Invoices, dunning, credit notes.", ""),
    ("kam", ElementKind.PERSON, "Key account manager", "Owns the top 50 accounts.", ""),
    (
        "it_integration",
        ElementKind.PERSON,
        "IT integration team",
        "Maintains interfaces between ERP, WMS and web shop.",
        "",
    ),
    ("webshop", ElementKind.SYSTEM, "B2B web shop", "Customer-facing ordering portal.", ""),
    ("erp", ElementKind.SYSTEM, "ERP", "Orders, pricing, invoicing.", ""),
    (
        "erp_wms",
        ElementKind.SYSTEM,
        "ERP–WMS stock interface",
        "Nightly batch that copies stock levels from the warehouse system into the ERP.",
        "Stock in the ERP is up to 24 hours old",
    ),
    ("wms", ElementKind.SYSTEM, "Warehouse management system", "Stock, picking lists.", ""),
    ("tms", ElementKind.SYSTEM, "Transport planning system", "Routes and delivery slots.", ""),
    ("crm", ElementKind.SYSTEM, "CRM", "Accounts, contacts, cases.", ""),
    ("mailer", ElementKind.SYSTEM, "Notification service", "Sends order and delivery e-mails.", ""),
    (
        "scanners",
        ElementKind.SYSTEM,
        "Hand-held scanners",
        "Pickers scan every line; the warehouse system relies on them, no step does directly.",
        "",
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
        # key, stage, lane, title, annotations
        ("e_pricelist", 0, E, "Online price list", {"channel": Channel.WEB}),
        ("e_quote_pdf", 0, E, "Quote PDF", {"channel": Channel.EMAIL}),
        (
            "c_check_stock",
            0,
            C,
            "Checks price and stock online",
            {
                "emotion": 0,
                "channel": Channel.WEB,
                "duration_minutes": 10,
                "tolerance_minutes": 15,
                "evidence_source": SRC.WEB_ANALYTICS,
                "evidence_status": OBS,
            },
        ),
        (
            "c_request_quote",
            0,
            C,
            "Asks for a quote on a large order",
            {
                "emotion": 1,
                "channel": Channel.EMAIL,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        (
            "f_stock_display",
            0,
            F,
            "Web shop shows availability",
            {
                "fail_point": True,
                "fail_note": "Shows stock that was sold yesterday",
                "channel": Channel.WEB,
            },
        ),
        (
            "f_quote_reply",
            0,
            F,
            "Inside sales replies with a quote",
            {
                "duration_minutes": 480,
                "tolerance_minutes": 240,
                "wait_point": True,
                "channel": Channel.EMAIL,
            },
        ),
        ("b_price_calc", 0, B, "Calculate customer price", {}),
        ("s_price_master", 0, S, "Price master data upkeep", {}),
        ("e_cart", 1, E, "Basket and order summary page", {"channel": Channel.WEB}),
        (
            "c_place_order",
            1,
            C,
            "Places the order in the web shop",
            {
                "emotion": 1,
                "channel": Channel.WEB,
                "moment_of_truth": True,
                "evidence_source": SRC.WEB_ANALYTICS,
                "evidence_status": OBS,
            },
        ),
        (
            "c_call_change",
            1,
            C,
            "Calls to change quantities",
            {
                "emotion": -1,
                "channel": Channel.PHONE,
                "wait_point": True,
                "duration_minutes": 18,
                "tolerance_minutes": 5,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        ("f_checkout", 1, F, "Web shop checkout", {"channel": Channel.WEB}),
        (
            "f_account_care",
            1,
            F,
            "Key account manager keeps the buyer posted",
            {"end_stage": 3, "channel": Channel.PHONE, "evidence_status": ASS},
        ),
        (
            "f_phone_change",
            1,
            F,
            "Service desk takes the change by phone",
            {"channel": Channel.PHONE, "wait_point": True},
        ),
        ("b_order_entry", 1, B, "Order created in ERP", {}),
        ("b_credit_check", 1, B, "Credit limit check", {}),
        (
            "s_stock_sync",
            1,
            S,
            "Stock synchronisation ERP ↔ WMS",
            {"fail_point": True, "fail_note": "Nightly batch; fails silently about twice a month"},
        ),
        ("e_confirmation_mail", 2, E, "Order confirmation e-mail", {"channel": Channel.EMAIL}),
        (
            "c_wait_confirmation",
            2,
            C,
            "Waits for the order confirmation",
            {
                "emotion": -1,
                "wait_point": True,
                "duration_minutes": 1440,
                "tolerance_minutes": 120,
                "evidence_source": SRC.SURVEY,
                "evidence_status": OBS,
            },
        ),
        (
            "c_chase_confirmation",
            2,
            C,
            "Chases the confirmation by phone",
            {
                "emotion": -2,
                "channel": Channel.PHONE,
                "moment_of_truth": True,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        (
            "f_send_confirmation",
            2,
            F,
            "Confirmation with delivery date sent",
            {
                "fail_point": True,
                "fail_note": "Promised dates are wrong for 1 order in 8",
                "channel": Channel.EMAIL,
            },
        ),
        (
            "f_answer_chase",
            2,
            F,
            "Service desk answers 'where is my confirmation?'",
            {"channel": Channel.PHONE, "duration_minutes": 12, "tolerance_minutes": 5},
        ),
        (
            "b_allocate_stock",
            2,
            B,
            "Allocate stock to the order",
            {"fail_point": True, "fail_note": "Allocates stock that is no longer there"},
        ),
        ("b_promise_date", 2, B, "Calculate delivery promise", {}),
        ("s_slot_planning", 2, S, "Delivery slot planning", {"evidence_status": ASS}),
        ("e_delivery_note", 3, E, "Delivery note and pallet labels", {"channel": Channel.POST}),
        ("e_tracking_mail", 3, E, "Tracking e-mail", {"channel": Channel.EMAIL}),
        (
            "c_receive_goods",
            3,
            C,
            "Receives and checks the goods",
            {
                "emotion": 1,
                "channel": Channel.IN_PERSON,
                "moment_of_truth": True,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        (
            "c_report_shortage",
            3,
            C,
            "Reports a short delivery",
            {
                "emotion": -2,
                "channel": Channel.PHONE,
                "wait_point": True,
                "duration_minutes": 25,
                "tolerance_minutes": 10,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        (
            "f_driver_handover",
            3,
            F,
            "Driver hands over and gets a signature",
            {"channel": Channel.IN_PERSON},
        ),
        (
            "f_shortage_case",
            3,
            F,
            "Service desk opens a shortage case",
            {
                "fail_point": True,
                "fail_note": "Case often lost between desk and warehouse",
                "channel": Channel.PHONE,
            },
        ),
        (
            "b_pick_pack",
            3,
            B,
            "Pick and pack",
            {"fail_point": True, "fail_note": "Short picks when allocated stock is missing"},
        ),
        ("b_load_route", 3, B, "Load truck and plan the route", {}),
        ("s_fleet", 3, S, "Fleet and carrier contracts", {}),
        (
            "c_track",
            3,
            C,
            "Looks up the delivery on the tracking page",
            {"emotion": 0, "channel": Channel.WEB},
        ),
        ("b_stock_count", 3, B, "Weekly cycle count", {"evidence_status": ASS}),
        ("e_invoice", 4, E, "Invoice PDF", {"channel": Channel.EMAIL}),
        ("e_statement", 4, E, "Monthly statement", {"channel": Channel.POST}),
        (
            "c_match_invoice",
            4,
            C,
            "Matches the invoice to the PO",
            {
                "emotion": -1,
                "duration_minutes": 30,
                "tolerance_minutes": 10,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        (
            "c_pay",
            4,
            C,
            "Pays the invoice",
            {"emotion": 0, "evidence_source": SRC.CRM, "evidence_status": ASS},
        ),
        (
            "f_invoice_query",
            4,
            F,
            "Accounts receivable answers invoice queries",
            {"channel": Channel.EMAIL, "wait_point": True},
        ),
        (
            "b_create_invoice",
            4,
            B,
            "Create invoice from delivered quantities",
            {"fail_point": True, "fail_note": "Invoices ordered, not delivered, quantities"},
        ),
        ("b_dunning", 4, B, "Payment reminders", {}),
        ("s_month_end", 4, S, "Month-end close", {}),
        (
            "s_data_policy",
            0,
            S,
            "Customer data protection policy (GDPR)",
            {"all_stages": True, "evidence_status": OBS},
        ),
        ("s_credit_policy", 4, S, "Credit policy", {"evidence_status": ASS}),
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
        ("e_return_form", 0, E, "Returns form on the web shop", {"channel": Channel.WEB}),
        (
            "c_report_damage",
            0,
            C,
            "Reports damaged goods",
            {
                "emotion": -1,
                "channel": Channel.PHONE,
                "wait_point": True,
                "duration_minutes": 20,
                "tolerance_minutes": 5,
                "evidence_source": SRC.CALL_CENTRE,
                "evidence_status": OBS,
            },
        ),
        (
            "f_log_return",
            0,
            F,
            "Service desk logs the return",
            {
                "channel": Channel.PHONE,
                "fail_point": True,
                "fail_note": "Return logged without photos; warehouse rejects it later",
            },
        ),
        ("b_check_stock_record", 0, B, "Check delivered quantities", {}),
        ("s_returns_policy", 0, S, "Returns policy", {"evidence_status": ASS}),
        ("e_pickup_label", 1, E, "Pickup label", {"channel": Channel.EMAIL}),
        (
            "c_hand_over_return",
            1,
            C,
            "Hands the goods to the driver",
            {
                "emotion": 0,
                "channel": Channel.IN_PERSON,
                "evidence_source": SRC.INTERVIEW,
                "evidence_status": OBS,
            },
        ),
        ("f_pickup", 1, F, "Driver collects the return", {"channel": Channel.IN_PERSON}),
        (
            "b_plan_pickup",
            1,
            B,
            "Plan the pickup",
            {"wait_point": True, "duration_minutes": 4320, "tolerance_minutes": 1440},
        ),
        ("b_receive_return", 1, B, "Receive and inspect the return", {}),
        ("e_credit_note", 2, E, "Credit note PDF", {"channel": Channel.EMAIL}),
        (
            "c_wait_credit",
            2,
            C,
            "Waits for the credit note",
            {
                "emotion": -2,
                "wait_point": True,
                "moment_of_truth": True,
                "duration_minutes": 14400,
                "tolerance_minutes": 4320,
                "evidence_source": SRC.SURVEY,
                "evidence_status": OBS,
            },
        ),
        (
            "c_chase_credit",
            2,
            C,
            "Chases the credit note",
            {"emotion": -2, "channel": Channel.EMAIL},
        ),
        (
            "f_credit_reply",
            2,
            F,
            "Service desk replies about the credit",
            {
                "channel": Channel.EMAIL,
                "fail_point": True,
                "fail_note": "Desk cannot see credit status; answers 'next week'",
            },
        ),
        ("b_issue_credit", 2, B, "Issue credit note", {}),
        ("s_month_end_r", 2, S, "Credit approval at month end", {}),
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
    for key, stage_index, kind, title, notes in spec["elements"]:
        notes = dict(notes)
        if "end_stage" in notes:  # a step over several stages, up to this one
            notes["end_stage_id"] = stages[notes.pop("end_stage")].id
        keyed[key] = services.add_element(stages[stage_index], kind, {"title": title, **notes})
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
        key: services.add_catalog_element(
            workspace_id,
            kind,
            {
                "title": title,
                "description": description,
                "fail_point": bool(note),
                "fail_note": note,
            },
        )
        for key, kind, title, description, note in CATALOG
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

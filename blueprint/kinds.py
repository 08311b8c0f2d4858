"""The words of the service-blueprint method: lanes, link kinds, channels, evidence, with
their labels. Plain enums and constants, no database, so pure modules (the board, its SVG,
the workbooks) use them without loading Flask or SQLAlchemy; `blueprint.models` re-exports
them for the code that works with rows."""

from __future__ import annotations

import enum

__all__ = [
    "ALL_STAGES",
    "CATALOG_KINDS",
    "LABELS",
    "LANES",
    "LINES",
    "BlueprintState",
    "BuyingRole",
    "Channel",
    "ElementKind",
    "EvidenceSource",
    "EvidenceStatus",
    "Labelled",
    "LinkKind",
]


class Labelled(enum.StrEnum):
    @property
    def label(self) -> str:
        return LABELS.get(self.value, self.value.replace("_", " ").capitalize())


class ElementKind(Labelled):
    PHYSICAL_EVIDENCE = "physical_evidence"
    CUSTOMER_ACTION = "customer_action"
    FRONTSTAGE = "frontstage"
    BACKSTAGE = "backstage"
    SUPPORT = "support"
    PERSON = "person"
    SYSTEM = "system"

    @property
    def is_lane(self) -> bool:
        return self in LANES

    @property
    def depth(self) -> int:
        """Top to bottom: evidence 0 … support 4, people and systems 5."""
        return LANES.index(self) if self in LANES else len(LANES)


LANES: tuple[ElementKind, ...] = (
    ElementKind.PHYSICAL_EVIDENCE,
    ElementKind.CUSTOMER_ACTION,
    ElementKind.FRONTSTAGE,
    ElementKind.BACKSTAGE,
    ElementKind.SUPPORT,
)
CATALOG_KINDS: tuple[ElementKind, ...] = (ElementKind.PERSON, ElementKind.SYSTEM)
ALL_STAGES = "*"  # "every stage" in the blueprint workbook, so no stage may be called so

# The three lines of the method, drawn between lanes and never stored: (name, lane above).
LINES: tuple[tuple[str, ElementKind], ...] = (
    ("Line of interaction", ElementKind.CUSTOMER_ACTION),
    ("Line of visibility", ElementKind.FRONTSTAGE),
    ("Line of internal interaction", ElementKind.BACKSTAGE),
)


class LinkKind(Labelled):
    RELIES_ON = "relies_on"
    PERFORMED_BY = "performed_by"
    USES = "uses"
    NEXT = "next"

    @property
    def is_dependency(self) -> bool:
        return self is not LinkKind.NEXT


class BlueprintState(Labelled):
    CURRENT = "current"
    FUTURE = "future"


class BuyingRole(Labelled):
    DECISION_MAKER = "decision_maker"
    BUDGET_HOLDER = "budget_holder"
    INFLUENCER = "influencer"
    END_USER = "end_user"
    OTHER = "other"


class Channel(Labelled):
    EMAIL = "email"
    PHONE = "phone"
    WEB = "web"
    APP = "app"
    CHAT = "chat"
    IN_PERSON = "in_person"
    POST = "post"
    OTHER = "other"


class EvidenceSource(Labelled):
    INTERVIEW = "interview"
    SURVEY = "survey"
    CRM = "crm"
    WEB_ANALYTICS = "web_analytics"
    CALL_CENTRE = "call_centre"
    SOCIAL_MEDIA = "social_media"
    WEB_MONITORING = "web_monitoring"
    WORKSHOP = "workshop"
    OTHER = "other"


class EvidenceStatus(Labelled):
    OBSERVED = "observed"
    ASSUMED = "assumed"
    PROPOSED = "proposed"


LABELS = {
    "physical_evidence": "Physical evidence",
    "customer_action": "Customer actions",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support processes",
    "person": "Person / team",
    "system": "System",
    "relies_on": "relies on",
    "performed_by": "performed by",
    "uses": "uses",
    "next": "next",
    "email": "E-mail",
    "crm": "CRM",
    "call_centre": "Call centre / tickets",
    "in_person": "In person",
}

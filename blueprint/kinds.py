"""The words of the service-blueprint method: lanes, link kinds, channels, evidence, with
their labels. Plain enums and constants, no database, so pure modules (the board, its SVG,
the workbooks) use them without loading Flask or SQLAlchemy; `blueprint.models` re-exports
them for the code that works with rows.

Values (`ElementKind.FRONTSTAGE.value`, stored in the database and written to files) are
English identifiers in every language. A member's `label` is its name for people, in the
reader's language once the app has installed its translator (`set_translator`, at app
creation; English without an app); `english` is the same name in English, for code that
matches what people typed. A label missing from LABELS is made from the value ("in_progress"
-> "In progress"): mark it with `N_` where the enum is defined so the catalog has it."""

from __future__ import annotations

import enum
from collections.abc import Callable

from blueprint.words import N_

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
    "FIELD_WORDS",
    "Labelled",
    "LinkKind",
    "VALUE_WORDS",
    "set_translator",
]

_translate: Callable[[str], str] = N_


def set_translator(translate: Callable[[str], str]) -> None:
    """Show labels in the reader's language from now on (`translate`: gettext)."""
    global _translate
    _translate = translate


class Labelled(enum.StrEnum):
    @property
    def english(self) -> str:
        return LABELS.get(self.value) or self.value.replace("_", " ").capitalize()

    @property
    def label(self) -> str:
        return _translate(self.english)


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
# The names are English (N_), shown through gettext.
LINES: tuple[tuple[str, ElementKind], ...] = (
    (N_("Line of interaction"), ElementKind.CUSTOMER_ACTION),
    (N_("Line of visibility"), ElementKind.FRONTSTAGE),
    (N_("Line of internal interaction"), ElementKind.BACKSTAGE),
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
    "physical_evidence": N_("Physical evidence"),
    "customer_action": N_("Customer actions"),
    "frontstage": N_("Frontstage"),
    "backstage": N_("Backstage"),
    "support": N_("Support processes"),
    "person": N_("Person / team"),
    "system": N_("System"),
    "relies_on": N_("relies on"),
    "performed_by": N_("performed by"),
    "uses": N_("uses"),
    "next": N_("next"),
    "current": N_("Current"),
    "future": N_("Future"),
    "decision_maker": N_("Decision maker"),
    "budget_holder": N_("Budget holder"),
    "influencer": N_("Influencer"),
    "end_user": N_("End user"),
    "other": N_("Other"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "web": N_("Web"),
    "app": N_("App"),
    "chat": N_("Chat"),
    "in_person": N_("In person"),
    "post": N_("Post"),
    "interview": N_("Interview"),
    "survey": N_("Survey"),
    "crm": N_("CRM"),
    "web_analytics": N_("Web analytics"),
    "call_centre": N_("Call centre / tickets"),
    "social_media": N_("Social media"),
    "web_monitoring": N_("Web monitoring"),
    "workshop": N_("Workshop"),
    "observed": N_("Observed"),
    "assumed": N_("Assumed"),
    "proposed": N_("Proposed"),
}

# The fields of the blueprint's rows as the activity feed names them when they change
# (accounts.audit_words.register_field_words, at app creation).
FIELD_WORDS = {
    "blueprint_id": N_("Blueprint"),
    "goal": N_("Goal"),
    "scope": N_("Scope"),
    "persona_id": N_("Persona"),
    "state": N_("State"),
    "based_on_id": N_("Based on"),
    "owner_id": N_("Owner"),
    "review_cadence_days": N_("Review every (days)"),
    "last_reviewed_on": N_("Last reviewed"),
    "position": N_("Position"),
    "stage_id": N_("Stage"),
    "end_stage_id": N_("Last stage"),
    "all_stages": N_("Spans every stage"),
    "kind": N_("Kind"),
    "title": N_("Title"),
    "description": N_("Description"),
    "channel": N_("Channel"),
    "duration_minutes": N_("Duration (minutes)"),
    "tolerance_minutes": N_("Customer tolerance (minutes)"),
    "fail_point": N_("Fail point"),
    "fail_note": N_("What fails"),
    "wait_point": N_("Wait point"),
    "emotion": N_("Emotion"),
    "moment_of_truth": N_("Moment of truth"),
    "evidence_source": N_("Evidence source"),
    "evidence_status": N_("Evidence status"),
    "link.source_id": N_("Element that relies"),
    "link.target_id": N_("What it relies on"),
    "segment": N_("Segment"),
    "buying_role": N_("Buying role"),
    "goals": N_("Goals"),
    "needs": N_("Needs"),
    "pains": N_("Pains"),
    "jobs_to_be_done": N_("Jobs to be done"),
    "share_link.label": N_("Label"),
    "revoked_at": N_("Revoked on"),
    "pain_signals": N_("Pain signals"),
}


def _words(*enums: type[Labelled]) -> dict[str, str]:
    return {member.value: member.english for enum_ in enums for member in enum_}


# The stored values of the blueprint's coded fields as the activity feed says them when
# they change: the pages' labels (accounts.audit_words.register_value_words, at app creation).
VALUE_WORDS = {
    "element.kind": _words(ElementKind),
    "link.kind": _words(LinkKind),
    "service_blueprint.state": _words(BlueprintState),
    "buying_role": _words(BuyingRole),
    "channel": _words(Channel),
    "evidence_source": _words(EvidenceSource),
    "evidence_import.source": _words(EvidenceSource),
    "evidence_status": _words(EvidenceStatus),
}

"""The demo's evidence: the ticket export and the NPS survey (demo/evidence_files.py)
imported onto the current blueprint, with the category mapping and the aliases a team
would have saved, so the demo's insights list the rows they came from."""

from __future__ import annotations

from sqlalchemy import select

from backlog.evidence import services
from blueprint.evidence.files import read_file
from blueprint.evidence.rows import ColumnMapping
from blueprint.kinds import EvidenceSource
from blueprint.models import Element, ServiceBlueprint
from demo.evidence_files import survey_csv, tickets_csv
from extensions import db

CATEGORIES = {
    "Potwierdzenia": "Chases the confirmation by phone",
    "Dostawa": "Reports a short delivery",
    "Faktury": "Matches the invoice to the PO",
    "Śledzenie": "Looks up the delivery on the tracking page",
    "Sklep internetowy": "Checks price and stock online",
}
ALIASES = {
    "Driver hands over and gets a signature": ["kierowca", "driver"],
    "Waits for the order confirmation": ["potwierdzenie zamówienia", "order confirmation"],
    "Reports a short delivery": ["niepełna dostawa", "short delivery"],
}


def seed_evidence(blueprint: ServiceBlueprint, user_id: int) -> None:
    steps = dict(
        db.session.execute(
            select(Element.title, Element.id).where(Element.blueprint_id == blueprint.id)
        ).all()
    )
    for category, title in CATEGORIES.items():
        services.save_category(blueprint, category, steps[title])
    for title, aliases in ALIASES.items():
        for alias in aliases:
            services.save_alias(blueprint, steps[title], alias)
    tickets = services.Settings(
        ColumnMapping(
            text="Treść",
            reference="Nr zgłoszenia",
            date="Utworzono",
            category="Kategoria",
            channel="Kanał",
        ),
        source=EvidenceSource.CALL_CENTRE,
        customers=400,
    )
    name = "northwind-tickets.csv"
    services.apply(blueprint, user_id, name, read_file(tickets_csv(), name), tickets)
    survey = services.Settings(
        ColumnMapping(
            text="Verbatim", reference="Response ID", date="Submitted", score="NPS score"
        ),
        source=EvidenceSource.SURVEY,
    )
    name = "northwind-nps.csv"
    services.apply(blueprint, user_id, name, read_file(survey_csv(), name), survey)

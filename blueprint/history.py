"""What the audit trail (accounts/audit.py) needs to know about blueprint rows it cannot
see for itself: which blueprint a row belongs to when it has no `blueprint_id` column.
Registered at app creation (wsgi.register_audit_trail)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from blueprint.models import Element, Link, ServiceBlueprint


def blueprint_of_blueprint(_session: Session, blueprint: ServiceBlueprint) -> int | None:
    return blueprint.id


def blueprint_of_link(session: Session, link: Link) -> int | None:
    """A link belongs to the blueprint of its ends; one of them may be in the catalog.
    Runs inside the flush: an end already loaded is read from the session."""
    for element_id in (link.source_id, link.target_id):
        loaded = session.identity_map.get(session.identity_key(Element, element_id))
        if loaded is not None:
            found = loaded.blueprint_id
        else:
            found = session.connection().scalar(
                select(Element.blueprint_id).where(Element.id == element_id)
            )
        if found is not None:
            return found
    return None

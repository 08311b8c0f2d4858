"""Select choices shared by the backlog forms (one query each)."""

from __future__ import annotations

from sqlalchemy import func, select
from wtforms import SelectChoice

from blueprint.models import ServiceBlueprint
from extensions import db


def blueprint_choices(workspace_id: int, blank: str) -> list[SelectChoice]:
    rows = db.session.execute(
        select(ServiceBlueprint.id, ServiceBlueprint.name)
        .where(ServiceBlueprint.workspace_id == workspace_id)
        .order_by(func.lower(ServiceBlueprint.name))
    )
    return [SelectChoice("", blank), *[SelectChoice(i, n) for i, n in rows]]

"""Select choices shared by the backlog forms (one query each)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms import SelectChoice

from backlog.models import Insight
from blueprint.models import ServiceBlueprint
from extensions import db


def blueprint_choices(workspace_id: int, blank: str) -> list[SelectChoice]:
    rows = db.session.execute(
        select(ServiceBlueprint.id, ServiceBlueprint.name)
        .where(ServiceBlueprint.workspace_id == workspace_id)
        .order_by(func.lower(ServiceBlueprint.name))
    )
    return [SelectChoice("", blank), *[SelectChoice(i, n) for i, n in rows]]


def insight_choices(workspace_id: int) -> list[SelectChoice]:
    rows = db.session.execute(
        select(Insight.id, Insight.title, Insight.kind, Insight.severity, Insight.frequency)
        .where(Insight.workspace_id == workspace_id)
        .order_by((Insight.severity * Insight.frequency).desc(), Insight.id)
    )
    return [
        SelectChoice(
            i,
            _(
                "%(title)s (%(kind)s, %(severity)s×%(frequency)s)",
                title=t,
                kind=_(k.english).lower(),
                severity=s,
                frequency=f,
            ),
        )
        for i, t, k, s, f in rows
    ]

"""Select choices shared by the backlog forms (one query each)."""

from __future__ import annotations

from sqlalchemy import func, select
from wtforms import SelectChoice

from backlog.models import Insight
from blueprint.models import CATALOG_KINDS, Element, ServiceBlueprint, Stage
from extensions import db


def element_choices(workspace_id: int, blank: str | None = None) -> list[SelectChoice]:
    """Every element of the workspace, grouped by blueprint (catalog last)."""
    rows = db.session.execute(
        select(Element.id, Element.title, Element.kind, ServiceBlueprint.name, Stage.name)
        .outerjoin(ServiceBlueprint, ServiceBlueprint.id == Element.blueprint_id)
        .outerjoin(Stage, Stage.id == Element.stage_id)
        .where(Element.workspace_id == workspace_id)
        .order_by(
            ServiceBlueprint.name.is_(None),
            ServiceBlueprint.name,
            Stage.position,
            Element.kind,
            Element.position,
            func.lower(Element.title),
        )
    ).all()
    choices = [SelectChoice("", blank)] if blank is not None else []
    for element_id, title, kind, blueprint, stage in rows:
        group = "People and systems" if kind in CATALOG_KINDS else blueprint
        label = f"{title} ({kind.label}, {stage})" if stage else f"{title} ({kind.label})"
        choices.append(SelectChoice(element_id, label, optgroup=group))
    return choices


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
    return [SelectChoice(i, f"{t} ({k.label.lower()}, {s}×{f})") for i, t, k, s, f in rows]

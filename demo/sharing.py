"""The demo's share link: the steering group's view of the current-state map, listed on its
Share page with its label and its last use. Its token is thrown away at once, so nobody
(README readers included) can open it; a new link is one click on the Share page."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta

from sqlalchemy import update

from accounts.audit import AuditEvent
from blueprint.models import ServiceBlueprint
from blueprint.sharing import services as sharing
from blueprint.sharing.models import ShareLink
from clock import utcnow
from extensions import db

LABEL = "For the steering group"


def seed_share_link(blueprint: ServiceBlueprint, owner_id: int, label: str = LABEL) -> ShareLink:
    """Made by `owner_id` six days ago for 30 days, last opened yesterday (that view in the
    history too). The caller commits."""
    now = utcnow()
    made = now - timedelta(days=6)
    link = ShareLink(
        workspace_id=blueprint.workspace_id,
        blueprint_id=blueprint.id,
        token_hash=sharing.digest(secrets.token_urlsafe(32)),
        label=label,
        created_by_id=owner_id,
        created_at=made,
        expires_at=made + timedelta(days=sharing.DEFAULT_DAYS),
        last_used_at=now - timedelta(days=1, hours=3),
    )
    db.session.add(link)
    db.session.flush()
    # the history tells it as it would have happened: made six days ago, opened yesterday
    db.session.execute(
        update(AuditEvent)
        .where(AuditEvent.entity == "share_link", AuditEvent.entity_id == link.id)
        .values(at=made)
    )
    db.session.add(
        AuditEvent(
            workspace_id=blueprint.workspace_id,
            at=link.last_used_at,
            action="share_view",
            entity="share_link",
            entity_id=link.id,
            blueprint_id=blueprint.id,
            label=label,
            changes=json.dumps({"page": [None, "summary"]}),
        )
    )
    db.session.flush()
    return link

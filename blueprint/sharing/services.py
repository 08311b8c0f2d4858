"""Making, revoking and opening share links. Services add and flush; the view commits."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, or_, select

from accounts import audit
from accounts.models import User
from blueprint.models import ServiceBlueprint
from blueprint.sharing.models import ShareLink, ShareLinkMiss
from clock import utcnow
from extensions import db
from tokens import digest, row_by_token

DEFAULT_DAYS, MAX_DAYS = 30, 365
MAX_LABEL = 120
# an expired or revoked link stays listed (and in the history) this long, then the sweep
# removes it
KEEP_DEAD_FOR = timedelta(days=1)
PAGES = ("board", "summary", "board SVG", "summary PDF", "board print")


class ShareLinkError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def create(
    blueprint: ServiceBlueprint, by: User, days: int = DEFAULT_DAYS, label: str = ""
) -> tuple[ShareLink, str]:
    """A new link to `blueprint` for `days` days; returns it with its token, which is shown
    once and never kept (only its hash is)."""
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ShareLinkError(_("Choose from 1 to %(max)d days.", max=MAX_DAYS), "days")
    label = (label or "").strip()
    if len(label) > MAX_LABEL:
        raise ShareLinkError(_("Keep the label to %(max)d characters.", max=MAX_LABEL), "label")
    token = secrets.token_urlsafe(32)
    link = ShareLink(
        workspace_id=blueprint.workspace_id,
        blueprint_id=blueprint.id,
        token_hash=digest(token),
        label=label,
        created_by_id=by.id,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def revoke(link: ShareLink) -> bool:
    """The link stops working at once; False if it was revoked already."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = utcnow()
    db.session.flush()
    return True


def resolve(token: str) -> ShareLink | None:
    """The working link whose token is `token`: None for an unknown, expired or revoked one
    alike."""
    if not token or len(token) > 200:
        return None
    link = row_by_token(ShareLink, token)
    if link is None:
        return None
    if link.revoked_at is not None or link.expires_at <= utcnow():
        return None
    return link


def of_blueprint(blueprint_id: int) -> list[tuple[ShareLink, str | None]]:
    """The blueprint's links (working, and dead ones the sweep has not removed yet), newest
    first, each with the name of who made it."""
    return list(
        db.session.execute(
            select(ShareLink, User.name)
            .outerjoin(User, User.id == ShareLink.created_by_id)
            .where(ShareLink.blueprint_id == blueprint_id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
        ).all()
    )


def link_of(blueprint: ServiceBlueprint, link_id: int) -> ShareLink | None:
    link = db.session.get(ShareLink, link_id)
    return link if link is not None and link.blueprint_id == blueprint.id else None


def record_view(link: ShareLink, page: str) -> None:
    """A view through the link, in the audit trail (never the token) and as its last use."""
    link.last_used_at = utcnow()
    audit.record(
        link.workspace_id,
        "share_view",
        "share_link",
        link.id,
        link.label,
        {"page": [None, page]},
        blueprint_id=link.blueprint_id,
    )
    db.session.flush()


def forget_old_share_links() -> None:
    """Links expired or revoked more than a day ago, and unknown-token counts past their
    window (the job engine's sweep, every minute). Their history stays."""
    now = utcnow()
    db.session.execute(
        delete(ShareLink).where(
            or_(
                ShareLink.expires_at < now - KEEP_DEAD_FOR,
                ShareLink.revoked_at < now - KEEP_DEAD_FOR,
            )
        )
    )
    window = current_app.config["SHARE_LINK_MISS_WINDOW"]
    db.session.execute(delete(ShareLinkMiss).where(ShareLinkMiss.at < now - window))

"""The tables of share links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from clock import utcnow
from dbtypes import UTCDateTime
from extensions import db


class ShareLink(db.Model):
    """A read-only link to one blueprint, for people without an account. Its token is kept
    only as a SHA-256 (`token_hash`); the link works until `expires_at` unless revoked."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120), default="")  # who it is for
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def title(self) -> str:
        """What the audit trail calls the link (its label)."""
        return self.label

    def state(self, now: datetime) -> str:
        """active, revoked or expired."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.expires_at > now else "expired"


class ShareLinkMiss(db.Model):
    """A request with a token that opens nothing (unknown, expired or revoked), from one
    client address: counted so that guessing is throttled across workers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(45), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_share_link_miss_address_at", "address", "at"),)

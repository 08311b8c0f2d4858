"""The tables of evidence imports: what was imported and where each row went, and what the
team taught the matcher (aliases, categories, column mappings)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from blueprint.kinds import EvidenceSource
from clock import utcnow
from dbtypes import UTCDateTime, enum_column
from extensions import db


class EvidenceImport(db.Model):
    """One applied file of evidence: who imported it when, onto which blueprint, how its
    columns were read, and how many of its rows were new."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[EvidenceSource] = mapped_column(
        enum_column(EvidenceSource, "evidence_import_source")
    )
    shape: Mapped[str] = mapped_column(String(64), default="")
    mapping: Mapped[str] = mapped_column(Text, default="{}")  # JSON: field → column
    encoding: Mapped[str] = mapped_column(String(20), default="")
    delimiter: Mapped[str] = mapped_column(String(10), default="")
    customers: Mapped[int | None]
    file_rows: Mapped[int] = mapped_column(default=0)
    new_rows: Mapped[int] = mapped_column(default=0)


class EvidenceRow(db.Model):
    """One row of an imported file, where it went and why: the step it matched (or none),
    by which path and with what score, and the insight it supports. Remembered by its
    content hash (its reference, else its text and date) so that no row counts twice in a
    workspace. Written in bulk, one per row of a file: the import itself is the history."""

    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    import_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_import.id", ondelete="CASCADE"), index=True
    )
    insight_id: Mapped[int | None] = mapped_column(
        ForeignKey("insight.id", ondelete="SET NULL"), index=True
    )
    element_id: Mapped[int | None] = mapped_column(
        ForeignKey("element.id", ondelete="SET NULL"), index=True
    )
    row_number: Mapped[int]
    reference: Mapped[str] = mapped_column(String(120), default="")
    observed_on: Mapped[date | None]
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    match_kind: Mapped[str] = mapped_column(String(10))  # blueprint.evidence.matching.KINDS
    score: Mapped[float | None]
    threshold: Mapped[int | None]
    matched_via: Mapped[str] = mapped_column(String(200), default="")

    __table_args__ = (UniqueConstraint("workspace_id", "content_hash"),)


class StepAlias(db.Model):
    """Another name the team uses for a step ("kurier" for "Delivery"): an evidence row
    whose step column says it, or whose text has it, matches the step."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    element_id: Mapped[int] = mapped_column(
        ForeignKey("element.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(200))
    # matching.key_of(alias); not "key", which a workspace backup gives every row
    match_key: Mapped[str] = mapped_column(String(200))

    __table_args__ = (UniqueConstraint("workspace_id", "match_key"),)


class CategoryStep(db.Model):
    """The team's category → step mapping: evidence rows of this category (as the export
    names it) go to this step of the blueprint. Edited in the import's preview, reused by
    every later import onto the blueprint."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="CASCADE"), index=True
    )
    element_id: Mapped[int] = mapped_column(
        ForeignKey("element.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(200))
    match_key: Mapped[str] = mapped_column(String(200))  # matching.key_of(category)

    __table_args__ = (UniqueConstraint("workspace_id", "blueprint_id", "match_key"),)


class EvidenceColumns(db.Model):
    """The column mapping last chosen for a file of this shape (its column names) in the
    workspace, offered again for the next export of the same report."""

    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    shape: Mapped[str] = mapped_column(String(64))
    mapping: Mapped[str] = mapped_column(Text, default="{}")  # JSON: field → column
    source: Mapped[str] = mapped_column(String(32), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (UniqueConstraint("workspace_id", "shape"),)


class PendingEvidence(db.Model):
    """An uploaded evidence file between its upload and its apply (the mapping and the
    preview): its bytes and the choices made so far. Machinery, not history: not audited,
    not in backups, swept after a day."""

    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    settings: Mapped[str] = mapped_column(Text, default="{}")  # JSON: mapping, source, edits

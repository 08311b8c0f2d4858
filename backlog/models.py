"""What the team learned (insights) and what it will change (improvement tasks)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from backlog.kinds import (  # noqa: F401  (re-exported: the backlog's words live in kinds)
    Horizon,
    InsightKind,
    MoSCoW,
    TaskStatus,
)
from blueprint.folding import fold
from blueprint.kinds import EvidenceSource
from blueprint.models import SEARCH_KEY, search_key_of_title
from clock import utcnow
from dbtypes import UTCDateTime, enum_column
from extensions import db


class Insight(db.Model):
    """Something seen at an element (or on a blueprint as a whole), with its evidence. Pain
    points weigh severity × frequency in the root-cause ranking."""

    __graph_input__ = True  # its changes change the graph version (blueprint/graph_cache)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="CASCADE"), index=True
    )
    element_id: Mapped[int | None] = mapped_column(
        ForeignKey("element.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[InsightKind] = mapped_column(enum_column(InsightKind, "insight_kind"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    severity: Mapped[int] = mapped_column(default=3)
    frequency: Mapped[int] = mapped_column(default=3)
    evidence_source: Mapped[EvidenceSource | None] = mapped_column(
        enum_column(EvidenceSource, "insight_evidence_source")
    )
    evidence_reference: Mapped[str] = mapped_column(String(500), default="")
    observed_on: Mapped[date | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # the title folded (blueprint.folding), for the task form's search; never set by hand
    search_key: Mapped[str] = mapped_column(
        SEARCH_KEY, default=search_key_of_title, info={"derived": "fold(title)"}
    )
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("severity BETWEEN 1 AND 5", name="severity"),
        CheckConstraint("frequency BETWEEN 1 AND 5", name="frequency"),
        Index("ix_insight_workspace_search", "workspace_id", "search_key"),
    )

    @property
    def weight(self) -> int:
        return self.severity * self.frequency if self.kind is InsightKind.PAIN_POINT else 0


@event.listens_for(Insight.title, "set")
def _fold_title(target: Insight, value, _old, _initiator) -> None:
    target.search_key = fold(value or "")


class ConfirmedCause(db.Model):
    """An element the team confirmed as a cause of an insight (from its cause trace)."""

    __graph_input__ = True  # its changes change the graph version (blueprint/graph_cache)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    insight_id: Mapped[int] = mapped_column(ForeignKey("insight.id", ondelete="CASCADE"))
    element_id: Mapped[int] = mapped_column(
        ForeignKey("element.id", ondelete="CASCADE"), index=True
    )

    __table_args__ = (UniqueConstraint("insight_id", "element_id"),)


class WhyStep(db.Model):
    """One answer of an insight's why-chain (the 5 whys), optionally pointing at an element."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    insight_id: Mapped[int] = mapped_column(
        ForeignKey("insight.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    answer: Mapped[str] = mapped_column(String(500))
    element_id: Mapped[int | None] = mapped_column(ForeignKey("element.id", ondelete="SET NULL"))


task_insight = Table(
    "task_insight",
    db.metadata,
    Column("task_id", ForeignKey("improvement_task.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "insight_id", ForeignKey("insight.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

task_target = Table(
    "task_target",
    db.metadata,
    Column("task_id", ForeignKey("improvement_task.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "element_id", ForeignKey("element.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class ImprovementTask(db.Model):
    """What the team will change, with the inputs of every scoring framework it uses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus, "task_status"), default=TaskStatus.IDEA
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    team: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None]
    horizon: Mapped[Horizon | None] = mapped_column(enum_column(Horizon, "horizon"))
    moscow: Mapped[MoSCoW | None] = mapped_column(enum_column(MoSCoW, "moscow"))
    pinned: Mapped[bool] = mapped_column(default=False)
    # the scale every view understands
    impact: Mapped[int] = mapped_column(default=3)
    effort: Mapped[int] = mapped_column(default=3)
    # optional inputs of the other frameworks
    reach: Mapped[float | None] = mapped_column(Float)
    rice_impact: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    effort_months: Mapped[float | None] = mapped_column(Float)
    ice_impact: Mapped[int | None]
    ice_confidence: Mapped[int | None]
    ice_ease: Mapped[int | None]
    business_value: Mapped[float | None] = mapped_column(Float)
    time_criticality: Mapped[float | None] = mapped_column(Float)
    risk_reduction: Mapped[float | None] = mapped_column(Float)
    job_size: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact"),
        CheckConstraint("effort BETWEEN 1 AND 5", name="effort"),
    )


class BacklogSettings(db.Model):
    """A workspace's backlog preferences: default framework and the quadrant threshold."""

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    framework: Mapped[str] = mapped_column(String(20), default="value_effort")
    quadrant_threshold: Mapped[int] = mapped_column(default=3)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("quadrant_threshold BETWEEN 1 AND 5", name="threshold"),)


class PendingImport(db.Model):
    """An uploaded backlog update awaiting the user's go-ahead after the preview."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    payload: Mapped[str] = mapped_column(Text)

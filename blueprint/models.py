"""The service blueprint as the method defines it (ARCHITECTURE.md sections 1, 4 and 5).

Lane elements (evidence, customer actions, frontstage, backstage, support) belong to one
blueprint and stage; people and systems belong to the workspace's catalog and are shared by
all its blueprints, which is why one failing CRM is one node under many journeys.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blueprint.folding import KEY_LENGTH, fold
from blueprint.kinds import (  # noqa: F401  (re-exported: the models' words live in kinds)
    ALL_STAGES,
    CATALOG_KINDS,
    LABELS,
    LANES,
    LINES,
    BlueprintState,
    BuyingRole,
    Channel,
    ElementKind,
    EvidenceSource,
    EvidenceStatus,
    Labelled,
    LinkKind,
)
from clock import utcnow
from dbtypes import UTCDateTime, enum_column
from extensions import db


class Persona(db.Model):
    """Who the journey is for: a segment and, in B2B, the buying role."""

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    segment: Mapped[str] = mapped_column(String(200), default="")
    buying_role: Mapped[BuyingRole | None] = mapped_column(enum_column(BuyingRole, "buying_role"))
    goals: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    pains: Mapped[str] = mapped_column(Text, default="")
    jobs_to_be_done: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ServiceBlueprint(db.Model):
    """One customer journey with everything behind it, as it is (current) or should be."""

    __graph_input__ = True  # its changes change the graph version (blueprint/graph_cache)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str] = mapped_column(Text, default="")
    scope: Mapped[str] = mapped_column(Text, default="")
    persona_id: Mapped[int | None] = mapped_column(
        ForeignKey("persona.id", ondelete="RESTRICT"), index=True
    )
    state: Mapped[BlueprintState] = mapped_column(
        enum_column(BlueprintState, "blueprint_state"), default=BlueprintState.CURRENT
    )
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="SET NULL")
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    review_cadence_days: Mapped[int | None]
    last_reviewed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    persona: Mapped[Persona | None] = relationship(lazy="raise")
    based_on: Mapped[ServiceBlueprint | None] = relationship(remote_side=[id], lazy="raise")
    owner = relationship("User", lazy="raise")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("review_cadence_days IS NULL OR review_cadence_days > 0", name="cadence"),
    )

    def review_overdue(self, today: date) -> bool:
        if not self.review_cadence_days:
            return False
        if self.last_reviewed_on is None:
            return True
        return (today - self.last_reviewed_on).days > self.review_cadence_days


class Stage(db.Model):
    """A column group of one blueprint, in journey order."""

    __graph_input__ = True  # its changes change the graph version (blueprint/graph_cache)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


def search_key_of_title(context) -> str:
    """The column default: rows inserted in bulk (not through the ORM) get their key too."""
    return fold(context.get_current_parameters().get("title") or "")


# PostgreSQL compares in byte order under "C", as SQLite always does: an index range over
# a prefix then holds exactly the keys that start with it
SEARCH_KEY = String(KEY_LENGTH).with_variant(String(KEY_LENGTH, collation="C"), "postgresql")


class Element(db.Model):
    """Every graph node: a step in one of the five lanes, or a person or system of the
    workspace catalog. The method's annotations are its columns.

    A step sits in its stage (`stage_id`, where its place in the lane counts), and may span
    further: up to `end_stage_id` (every stage between the two, in journey order, whichever
    way round they are), or over the whole journey (`all_stages`, also stages added later).
    Either way it stays one node of the graph."""

    __graph_input__ = True  # its changes change the graph version (blueprint/graph_cache)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int | None] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="CASCADE"), index=True
    )
    stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("stage.id", ondelete="CASCADE"), index=True
    )
    end_stage_id: Mapped[int | None] = mapped_column(
        ForeignKey("stage.id", ondelete="SET NULL"), index=True
    )
    all_stages: Mapped[bool] = mapped_column(default=False, server_default=false())
    kind: Mapped[ElementKind] = mapped_column(enum_column(ElementKind, "element_kind"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel, "channel"))
    duration_minutes: Mapped[int | None]
    tolerance_minutes: Mapped[int | None]
    fail_point: Mapped[bool] = mapped_column(default=False)
    fail_note: Mapped[str] = mapped_column(Text, default="")
    wait_point: Mapped[bool] = mapped_column(default=False)
    emotion: Mapped[int | None]
    moment_of_truth: Mapped[bool] = mapped_column(default=False)
    evidence_source: Mapped[EvidenceSource | None] = mapped_column(
        enum_column(EvidenceSource, "evidence_source")
    )
    evidence_status: Mapped[EvidenceStatus | None] = mapped_column(
        enum_column(EvidenceStatus, "evidence_status")
    )
    # the title folded (blueprint.folding), for the type-ahead search; never set by hand
    search_key: Mapped[str] = mapped_column(
        SEARCH_KEY, default=search_key_of_title, info={"derived": "fold(title)"}
    )
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("emotion IS NULL OR (emotion BETWEEN -2 AND 2)", name="emotion_range"),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes >= 0", name="duration"),
        CheckConstraint("tolerance_minutes IS NULL OR tolerance_minutes >= 0", name="tolerance"),
        CheckConstraint(
            "(kind IN ('person', 'system') AND blueprint_id IS NULL AND stage_id IS NULL)"
            " OR (kind NOT IN ('person', 'system') AND blueprint_id IS NOT NULL"
            " AND stage_id IS NOT NULL)",
            name="lane_or_catalog",
        ),
        CheckConstraint(
            "(end_stage_id IS NULL OR (stage_id IS NOT NULL AND end_stage_id <> stage_id))"
            " AND NOT (all_stages AND end_stage_id IS NOT NULL)"
            " AND NOT (all_stages AND stage_id IS NULL)",
            name="span",
        ),
        Index("ix_element_stage_kind_position", "stage_id", "kind", "position"),
        Index("ix_element_workspace_search", "workspace_id", "search_key"),
    )

    @property
    def spans(self) -> bool:
        return self.all_stages or self.end_stage_id is not None

    @property
    def over_tolerance(self) -> bool:
        return (
            self.duration_minutes is not None
            and self.tolerance_minutes is not None
            and self.duration_minutes > self.tolerance_minutes
        )


@event.listens_for(Element.title, "set")
def _fold_title(target: Element, value, _old, _initiator) -> None:
    target.search_key = fold(value or "")


class Link(db.Model):
    """A dependency (source relies on target) or time-order edge between two elements of
    one workspace."""

    __graph_input__ = True  # its changes change the graph version (blueprint/graph_cache)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int] = mapped_column(ForeignKey("element.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("element.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(enum_column(LinkKind, "link_kind"))
    version: Mapped[int] = mapped_column(default=1)

    source: Mapped[Element] = relationship(foreign_keys=[source_id], lazy="raise")
    target: Mapped[Element] = relationship(foreign_keys=[target_id], lazy="raise")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("source_id", "target_id", "kind"),
        CheckConstraint("source_id <> target_id", name="not_self"),
    )


class PendingBlueprintUpdate(db.Model):
    """An uploaded workbook that would update a blueprint, awaiting its uploader's go-ahead
    after the preview (blueprint/workbook/apply.py). Machinery, not history: not audited."""

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


class BoardChange(db.Model):
    """One change someone made on the board, with the steps that undo it (JSON, see
    blueprint/undo.py): the notice after the change and Ctrl+Z undo it. Machinery, not
    history (the change and its undoing are in the audit trail as the rows they touch): not
    audited, and swept after a day."""

    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    blueprint_id: Mapped[int] = mapped_column(
        ForeignKey("service_blueprint.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    summary: Mapped[str] = mapped_column(String(300))
    steps: Mapped[str] = mapped_column(Text, default="[]")
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RankingSettings(db.Model):
    """A workspace's choice for its root-cause ranking: whether the map's pain signals
    (customer actions felt badly, steps slower than the customer's tolerance) weigh as pain
    points. A workspace without a row weighs none (the default)."""

    __graph_input__ = True  # the ranking depends on it (blueprint/graph_cache)

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    pain_signals: Mapped[bool] = mapped_column(default=False, server_default=false())
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

"""Collect what the action-plan workbook shows (a fixed number of queries) and build it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import and_, select

import clock
from backlog import queries, scoring, services
from backlog.models import (
    ConfirmedCause,
    Horizon,
    Insight,
    InsightKind,
    MoSCoW,
    TaskStatus,
    task_insight,
    task_target,
)
from backlog.workbook import ActionPlan, PlanRow, build_action_plan
from blueprint.analysis.dependencies import kind_label
from blueprint.models import Element, EvidenceSource, ServiceBlueprint, Stage
from blueprint.root_causes import workspace_root_causes
from extensions import db
from web.i18n import local_zone
from web.workbook_words import workbook_words
from workbooks.words import N_, Words

# The words of the Insights and Root causes sheets' coded columns, as the pages say them
# (InsightKind's and EvidenceSource's labels, an element's kind as the analysis writes it).
INSIGHT_KIND_WORDS = (N_("Pain point"), N_("Opportunity"), N_("Observation"), N_("Compliment"))
SOURCE_WORDS = (
    N_("Interview"), N_("Survey"), N_("CRM"), N_("Web analytics"), N_("Call centre / tickets"),
    N_("Social media"), N_("Web monitoring"), N_("Workshop"), N_("Other"),
)  # fmt: skip
CAUSE_KIND_WORDS = (
    N_("physical evidence"), N_("customer action"), N_("frontstage"), N_("backstage"),
    N_("support"), N_("person"), N_("system"),
)  # fmt: skip
CATALOG = N_("Workspace catalog")  # where a person or system sits: no blueprint's stage
CONFIRMED, CANDIDATE = N_("Confirmed"), N_("Candidate")  # a root cause's status


def _names_by_task(table, column, model, task_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for task_id, title in db.session.execute(
        select(table.c.task_id, model.title)
        .join(model, model.id == table.c[column])
        .where(table.c.task_id.in_(task_ids))
        .order_by(model.title)
    ):
        names[task_id].append(title)
    return names


CHUNK = 1000
CHUNK_COLUMNS = (
    "id",
    "title",
    "status",
    "owner_id",
    "team",
    "due_on",
    "horizon",
    "impact",
    "effort",
    "moscow",
    "pinned",
    "description",
    "version",
)
# every framework's own inputs, in the workbook's INPUT_COLUMNS order
INPUTS = scoring.TASK_INPUT_COLUMNS


def action_plan_bytes(
    workspace,
    framework: str | None = None,
    filters: dict | None = None,
    filters_text: str = "none",
    progress: Callable[[int, int, str], None] | None = None,
    words: Words | None = None,
) -> bytes:
    """The action-plan workbook. Tasks stream from one query ordered by the database,
    written as they come, their insights' and elements' names fetched a chunk at a time:
    memory holds a chunk, never every task. `progress(done, total, step)` hears
    after each chunk. Written in the language of `words` (default: the user's, or the
    job's)."""
    words = words or workbook_words()
    report = progress or (lambda done, total, step: None)
    report(0, 0, _("Ranking the backlog"))
    settings = services.settings_for(workspace.id)
    framework = framework or settings.framework
    total, stream = queries.task_stream(
        workspace.id,
        framework,
        settings.quadrant_threshold,
        CHUNK_COLUMNS + INPUTS,
        chunk=CHUNK,
        **(filters or {}),
    )
    owners = dict(queries.task_owner_names(workspace.id))
    labels = {e: e.english for e in (*TaskStatus, *Horizon, *MoSCoW)} | {None: ""}
    quadrants = dict(scoring.QUADRANTS)

    def rows():
        writing = _("Writing tasks")
        report(0, total, writing)
        position = 0
        while True:
            # a chunk of the stream at a time (its names fetched together); the chunk
            # written is let go before the next is read, so memory holds one, not two
            block = list(islice(stream, CHUNK))
            if not block:
                break
            if position:
                report(position, total, writing)
            ids = [task[0] for task, *_ in block]
            insight_names = _names_by_task(task_insight, "insight_id", Insight, ids)
            element_names = _names_by_task(task_target, "element_id", Element, ids)
            for task, pain, score, quadrant in block:
                # plain tuples, read by position: a row's lookup by name costs more than
                # writing the cell
                (task_id, title, status, owner_id, team, due_on, horizon, impact, effort,
                 moscow, pinned, description, version, *inputs) = task  # fmt: skip
                position += 1
                yield PlanRow(
                    # as scoring.rank numbers them: the ranked tasks come first in the order
                    rank=position if score is not None else None,
                    title=title,
                    status=labels[status],
                    owner=owners.get(owner_id, ""),
                    team=team,
                    due=due_on,
                    horizon=labels[horizon],
                    quadrant=quadrants[quadrant],
                    impact=impact,
                    effort=effort,
                    inputs=inputs,
                    score=score,
                    pain=pain,
                    insights="; ".join(insight_names.get(task_id, ())),
                    elements="; ".join(element_names.get(task_id, ())),
                    moscow=labels[moscow],
                    pinned=pinned,
                    description=description,
                    task_id=task_id,
                    version=version,
                )
            del block, insight_names, element_names
        report(total, total, _("Writing insights and root causes, packing the workbook"))

    return build_action_plan(
        ActionPlan(
            workspace=workspace.name,
            framework=framework,
            rows=rows(),
            insights=insight_sheet(workspace.id, words),
            causes=cause_sheet(workspace.id, words=words),
            filters=filters_text,
            exported_at=clock.utcnow(),
            time_zone=str(local_zone()),
            statuses=[s.english for s in TaskStatus],
            horizons=[h.english for h in Horizon],
            moscows=[m.english for m in MoSCoW],
            threshold=settings.quadrant_threshold,
            words=words,
        )
    )


def insight_sheet(workspace_id: int, words: Words) -> Iterator[list[Any]]:
    """The Insights sheet's rows, streamed (plain columns, fetched in chunks)."""

    def in_workspace(model, reference):  # joins that keep to the workspace too
        return and_(model.id == reference, model.workspace_id == workspace_id)

    causes: dict[int, list[str]] = defaultdict(list)
    for insight_id, title in db.session.execute(
        select(ConfirmedCause.insight_id, Element.title)
        .join(Element, Element.id == ConfirmedCause.element_id)
        .where(ConfirmedCause.workspace_id == workspace_id, Element.workspace_id == workspace_id)
        .order_by(Element.title)
    ):
        causes[insight_id].append(title)
    rows = db.session.execute(
        select(
            Insight.id,
            Insight.kind,
            Insight.title,
            ServiceBlueprint.name,
            Stage.name,
            Element.title,
            Insight.severity,
            Insight.frequency,
            Insight.evidence_source,
            Insight.evidence_reference,
        )
        .outerjoin(ServiceBlueprint, in_workspace(ServiceBlueprint, Insight.blueprint_id))
        .outerjoin(Element, in_workspace(Element, Insight.element_id))
        .outerjoin(Stage, in_workspace(Stage, Element.stage_id))
        .where(Insight.workspace_id == workspace_id)
        .order_by((Insight.severity * Insight.frequency).desc(), Insight.id)
        .execution_options(yield_per=CHUNK)
    )
    kinds = {kind: words(kind.english) for kind in InsightKind}  # said once, not per row
    sources = {source: words(source.english) for source in EvidenceSource} | {None: ""}
    for id_, kind, title, bp, stage, element, severity, frequency, source, ref in rows:
        yield [
            kinds[kind],
            title,
            bp or "",
            stage or "",
            element or "",
            severity,
            frequency,
            sources[source],
            ref,
            "; ".join(causes.get(id_, [])),
        ]


def cause_sheet(workspace_id: int, limit: int = 100, words: Words | None = None) -> list[list[Any]]:
    """The Root causes sheet's rows: confirmed causes first, saying so and by how many pain
    points, then the candidates."""
    say = words or workbook_words()
    causes = workspace_root_causes(workspace_id)
    G = causes.graph
    out = []
    for rank, cause in enumerate(causes.ranking[:limit], start=1):
        data = G.nodes[cause.id]
        where = f"{data['blueprint']} · {data['stage']}" if data.get("blueprint") else say(CATALOG)
        out.append(
            [
                rank,
                data["title"],
                say(kind_label(data["kind"])),
                where,
                say(CONFIRMED if cause.confirmed else CANDIDATE),
                cause.confirmed_by,
                cause.score,
                cause.pain_points,
                cause.customer_actions,
                cause.blueprints,
            ]
        )
    return out

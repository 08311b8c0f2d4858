"""What the backlog contributes to the blueprint's pages: the module is the backlog's
`blueprint.extension_points.BlueprintContributor`, registered at app creation
(wsgi.register_extension_points), so `blueprint` never imports `backlog`.

- `pains`: pain-point insights weigh severity × frequency in the root-cause ranking;
- `annotations`: insight markers and the tasks that change a step, on board cards;
- `dependents` / `release`: deleting steps or a stage lists the insights seen there, with
  their why-chains, confirmed causes and the tasks addressing them, and detaches those
  insights (they stay on the blueprint, no longer at the step) or deletes them;
- `snapshot` / `restore`: a step deleted on the board comes back whole when the deletion
  is undone: its insights, the tasks' targets, confirmed causes and why answers' steps;
- `detach_notes` / `detach`: a workbook update that removes steps lets go of them, so
  nothing else goes with them: insights at a removed step stay on its blueprint without a
  step, tasks lose it as a target, insights lose it as a confirmed cause.

Either way the audit trail records what the database's cascades would otherwise remove
unseen: task links, confirmed causes, why answers.
"""

from __future__ import annotations

from collections import defaultdict

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, delete, func, or_, select

from accounts import audit
from backlog.models import (
    ConfirmedCause,
    ImprovementTask,
    Insight,
    InsightKind,
    WhyStep,
    task_insight,
    task_target,
)
from backlog.services import record_confirmed_causes
from blueprint.extension_points import Annotation, Dependent, Pain
from blueprint.models import BlueprintState, Element, ServiceBlueprint
from extensions import db

# --- pains and annotations ---------------------------------------------------------------


def pains(workspace_id: int) -> list[Pain]:
    """Pain-point insights at elements, weighing severity × frequency, each with the causes
    the team confirmed for it, for the root-cause ranking (insights of future-state
    blueprints left out). Two queries."""
    confirmed: dict[int, list[int]] = defaultdict(list)
    for insight_id, element_id in db.session.execute(
        select(ConfirmedCause.insight_id, ConfirmedCause.element_id)
        .where(ConfirmedCause.workspace_id == workspace_id)
        .order_by(ConfirmedCause.insight_id, ConfirmedCause.element_id)
    ):
        confirmed[insight_id].append(element_id)
    rows = db.session.execute(
        select(Insight.id, Insight.element_id, Insight.severity * Insight.frequency, Insight.title)
        .outerjoin(
            ServiceBlueprint,
            and_(
                ServiceBlueprint.id == Insight.blueprint_id,
                ServiceBlueprint.workspace_id == workspace_id,
            ),
        )
        .where(
            Insight.workspace_id == workspace_id,
            Insight.kind == InsightKind.PAIN_POINT,
            Insight.element_id.is_not(None),
            or_(ServiceBlueprint.state.is_(None), ServiceBlueprint.state != BlueprintState.FUTURE),
        )
    )
    return [
        Pain(
            element_id,
            float(weight),
            _l("Insight: %(title)s", title=title),
            ("backlog.insight", (("insight_id", insight_id),)),
            tuple(confirmed.get(insight_id, ())),
        )
        for insight_id, element_id, weight, title in rows
    ]


def annotations(element_ids: list[int]) -> dict[int, list[Annotation]]:
    """Insight markers (count, worst severity) and the tasks that target each element."""
    out: dict[int, list[Annotation]] = {}
    for element_id, count, worst in db.session.execute(
        select(Insight.element_id, func.count(), func.max(Insight.severity))
        .where(Insight.element_id.in_(element_ids))
        .group_by(Insight.element_id)
    ):
        out.setdefault(element_id, []).append(
            Annotation(
                ngettext(
                    "%(num)d insight · worst %(worst)s/5",
                    "%(num)d insights · worst %(worst)s/5",
                    count,
                    worst=worst,
                ),
                "text-bg-info" if worst < 4 else "text-bg-danger",
                url_for("backlog.insights", element_id=element_id),
                _("Insights recorded here, with the worst severity"),
            )
        )
    for element_id, task_id, title, status in db.session.execute(
        select(
            task_target.c.element_id,
            ImprovementTask.id,
            ImprovementTask.title,
            ImprovementTask.status,
        )
        .join(ImprovementTask, ImprovementTask.id == task_target.c.task_id)
        .where(task_target.c.element_id.in_(element_ids))
        .order_by(ImprovementTask.id)
    ):
        out.setdefault(element_id, []).append(
            Annotation(
                _(
                    "Task: %(title)s (%(status)s)",
                    title=title[:40],
                    status=_(status.english).lower(),
                ),
                "text-bg-success",
                url_for("backlog.task", task_id=task_id),
                _("An improvement task targets this step"),
            )
        )
    return out


# --- deleting steps (the confirmation page) ----------------------------------------------


def _count_by(column, ids: list[int]) -> dict[int, int]:
    """How many rows carry each of `ids` in `column` (ids with none are absent)."""
    return dict(
        db.session.execute(
            select(column, func.count()).where(column.in_(ids)).group_by(column)
        ).all()
    )


def dependents(element_ids: list[int]) -> list[Dependent]:
    """The insights at these elements, each with what goes or stays with it (4 queries)."""
    insights = db.session.scalars(
        select(Insight)
        .where(Insight.element_id.in_(element_ids))
        .order_by(Insight.title, Insight.id)
    ).all()
    if not insights:
        return []
    ids = [i.id for i in insights]
    whys = _count_by(WhyStep.insight_id, ids)
    causes = _count_by(ConfirmedCause.insight_id, ids)
    tasks: dict[int, list[str]] = defaultdict(list)
    for insight_id, title in db.session.execute(
        select(task_insight.c.insight_id, ImprovementTask.title)
        .join(ImprovementTask, ImprovementTask.id == task_insight.c.task_id)
        .where(task_insight.c.insight_id.in_(ids))
        .order_by(ImprovementTask.title)
    ):
        tasks[insight_id].append(title)
    found = []
    for insight in insights:
        details = []
        if whys.get(insight.id):
            details.append(ngettext("%(num)d why answer", "%(num)d why answers", whys[insight.id]))
        if causes.get(insight.id):
            details.append(
                ngettext("%(num)d confirmed cause", "%(num)d confirmed causes", causes[insight.id])
            )
        if tasks[insight.id]:
            details.append(_("addressed by %(tasks)s", tasks=", ".join(tasks[insight.id])))
        found.append(
            Dependent(
                _("%(kind)s: %(title)s", kind=_(insight.kind.english), title=insight.title),
                url_for("backlog.insight", insight_id=insight.id),
                tuple(details),
            )
        )
    return found


def release(element_ids: list[int], keep: bool) -> None:
    """Before `element_ids` are deleted: detach their insights (`keep`) or delete them, and
    record every task link and confirmed cause that goes with the elements or the insights.
    Called inside the deleting transaction; flushes, never commits."""
    ids = set(element_ids)
    insights = db.session.scalars(select(Insight).where(Insight.element_id.in_(ids))).all()
    doomed = set() if keep else {i.id for i in insights}
    _record_task_links(ids, doomed)
    _record_confirmed_causes(ids, doomed)
    for step in db.session.scalars(
        select(WhyStep).where(WhyStep.element_id.in_(ids), WhyStep.insight_id.not_in(doomed))
    ):
        step.element_id = None  # the answer stays; what it pointed at goes
    if keep:
        for insight in insights:
            insight.element_id = None  # stays on its blueprint, no longer at the step
    else:
        for step in db.session.scalars(select(WhyStep).where(WhyStep.insight_id.in_(doomed))):
            db.session.delete(step)
        db.session.flush()
        for insight in insights:
            db.session.delete(insight)
    db.session.flush()


def _titles(model, ids) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.title).where(model.id.in_(ids))).all())


def _record_task_links(element_ids: set[int], insight_ids: set[int]) -> None:
    """One update event per task whose insights or targets lose rows."""
    addressed = (
        db.session.execute(
            select(task_insight.c.task_id, task_insight.c.insight_id).where(
                task_insight.c.task_id.in_(
                    select(task_insight.c.task_id).where(task_insight.c.insight_id.in_(insight_ids))
                )
            )
        ).all()
        if insight_ids
        else []
    )
    targeted = db.session.execute(
        select(task_target.c.task_id, task_target.c.element_id).where(
            task_target.c.task_id.in_(
                select(task_target.c.task_id).where(task_target.c.element_id.in_(element_ids))
            )
        )
    ).all()
    insight_titles = _titles(Insight, {i for _, i in addressed})
    element_titles = _titles(Element, {e for _, e in targeted})
    before: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"insights": [], "targets": []})
    after: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"insights": [], "targets": []})
    for task_id, insight_id in addressed:
        before[task_id]["insights"].append(insight_titles[insight_id])
        if insight_id not in insight_ids:
            after[task_id]["insights"].append(insight_titles[insight_id])
    for task_id, element_id in targeted:
        before[task_id]["targets"].append(element_titles[element_id])
        if element_id not in element_ids:
            after[task_id]["targets"].append(element_titles[element_id])
    tasks = db.session.scalars(select(ImprovementTask).where(ImprovementTask.id.in_(before))).all()
    for task in tasks:
        changes = {}
        for name in ("insights", "targets"):
            old, new = sorted(before[task.id][name]), sorted(after[task.id][name])
            if old != new:
                changes[name] = ["; ".join(old), "; ".join(new)]
        if changes:
            audit.record(
                task.workspace_id, "update", "improvement_task", task.id, task.title, changes
            )


def _record_confirmed_causes(element_ids: set[int], insight_ids: set[int]) -> None:
    """One update event per insight whose confirmed causes lose rows: the deleted insights'
    own, and other insights' causes among the deleted elements."""
    rows = db.session.execute(
        select(ConfirmedCause.insight_id, ConfirmedCause.element_id).where(
            ConfirmedCause.insight_id.in_(
                select(ConfirmedCause.insight_id).where(
                    ConfirmedCause.element_id.in_(element_ids)
                    | ConfirmedCause.insight_id.in_(insight_ids)
                )
            )
        )
    ).all()
    if not rows:
        return
    titles = _titles(Element, {e for _, e in rows})
    before: dict[int, list[str]] = defaultdict(list)
    after: dict[int, list[str]] = defaultdict(list)
    for insight_id, element_id in rows:
        before[insight_id].append(titles[element_id])
        if element_id not in element_ids and insight_id not in insight_ids:
            after[insight_id].append(titles[element_id])
    for insight in db.session.scalars(select(Insight).where(Insight.id.in_(before))).all():
        old, new = sorted(before[insight.id]), sorted(after[insight.id])
        if old != new:
            record_confirmed_causes(insight, old, new)


# --- a workbook update removing steps ----------------------------------------------------


def detach_notes(element_ids: list[int]) -> dict[int, list[str]]:
    """Per step a workbook update removes, what `detach` does to the rows that point at it."""
    out: dict[int, list[str]] = {}
    for element_id, title in db.session.execute(
        select(Insight.element_id, Insight.title)
        .where(Insight.element_id.in_(element_ids))
        .order_by(Insight.id)
    ):
        out.setdefault(element_id, []).append(
            _("insight “%(title)s” stays on the blueprint, without a step", title=title)
        )
    for element_id, title in db.session.execute(
        select(task_target.c.element_id, ImprovementTask.title)
        .join(ImprovementTask, ImprovementTask.id == task_target.c.task_id)
        .where(task_target.c.element_id.in_(element_ids))
        .order_by(ImprovementTask.id)
    ):
        out.setdefault(element_id, []).append(
            _("task “%(title)s” no longer targets it", title=title)
        )
    for element_id, title in db.session.execute(
        select(ConfirmedCause.element_id, Insight.title)
        .join(Insight, Insight.id == ConfirmedCause.insight_id)
        .where(ConfirmedCause.element_id.in_(element_ids))
        .order_by(Insight.id)
    ):
        out.setdefault(element_id, []).append(
            _("insight “%(title)s” no longer has it as a confirmed cause", title=title)
        )
    return out


def detach(blueprint_id: int, element_ids: list[int]) -> None:
    """Through the session where the audit hook sees it; link rows are bulk, so recorded."""
    for insight in db.session.scalars(select(Insight).where(Insight.element_id.in_(element_ids))):
        insight.element_id = None
        insight.blueprint_id = blueprint_id
    titles = {
        element_id: title
        for element_id, title in db.session.execute(
            select(Element.id, Element.title).where(Element.id.in_(element_ids))
        )
    }
    _unlink(task_target, task_target.c.task_id, task_target.c.element_id, element_ids, titles)
    for cause in db.session.scalars(
        select(ConfirmedCause).where(ConfirmedCause.element_id.in_(element_ids))
    ):
        insight = db.session.get(Insight, cause.insight_id)
        audit.record(
            insight.workspace_id,
            "update",
            "insight",
            insight.id,
            insight.title,
            {"causes": [titles.get(cause.element_id, ""), ""]},
            insight.blueprint_id,
        )
    db.session.execute(delete(ConfirmedCause).where(ConfirmedCause.element_id.in_(element_ids)))
    db.session.flush()


def _unlink(table, owner_column, element_column, element_ids, titles) -> None:
    rows = db.session.execute(
        select(owner_column, element_column).where(element_column.in_(element_ids))
    ).all()
    for task_id, element_id in rows:
        task = db.session.get(ImprovementTask, task_id)
        audit.record(
            task.workspace_id,
            "update",
            "improvement_task",
            task.id,
            task.title,
            {"targets": [titles.get(element_id, ""), ""]},
        )
    db.session.execute(delete(table).where(element_column.in_(element_ids)))


def snapshot(element_ids: list[int]) -> dict:
    """Before a step is deleted on the board (it is kept with `release(ids, keep=True)`):
    which insights are at it, which tasks target it, which insights have it as a confirmed
    cause and which why answers point at it, as plain data for `restore`."""
    ids = list(element_ids)
    return {
        "insights": [
            list(r)
            for r in db.session.execute(
                select(Insight.id, Insight.element_id).where(Insight.element_id.in_(ids))
            )
        ],
        "targets": [
            list(r)
            for r in db.session.execute(
                select(task_target.c.task_id, task_target.c.element_id).where(
                    task_target.c.element_id.in_(ids)
                )
            )
        ],
        "causes": [
            list(r)
            for r in db.session.execute(
                select(
                    ConfirmedCause.id, ConfirmedCause.insight_id, ConfirmedCause.element_id
                ).where(ConfirmedCause.element_id.in_(ids))
            )
        ],
        "whys": [
            list(r)
            for r in db.session.execute(
                select(WhyStep.id, WhyStep.element_id).where(WhyStep.element_id.in_(ids))
            )
        ],
    }


def restore(data: dict) -> None:
    """Put back what `snapshot` wrote down, once the steps exist again: insights at their
    step, tasks' targets (recorded in the audit trail: the link rows are bulk), confirmed
    causes (their own ids where free) and why answers' steps. What was deleted or changed
    since (an insight moved elsewhere, a task gone) is left as it is now."""
    for insight_id, element_id in data.get("insights", []):
        insight = db.session.get(Insight, insight_id)
        if insight is not None and insight.element_id is None:
            insight.element_id = element_id
    targets = [tuple(pair) for pair in data.get("targets", [])]
    if targets:
        tasks = {
            t.id: t
            for t in db.session.scalars(
                select(ImprovementTask).where(ImprovementTask.id.in_({t for t, _ in targets}))
            )
        }
        present = set(
            db.session.execute(
                select(task_target.c.task_id, task_target.c.element_id).where(
                    task_target.c.task_id.in_(tasks)
                )
            ).all()
        )
        titles = _titles(Element, {e for _, e in targets})
        for task_id, element_id in targets:
            task = tasks.get(task_id)
            if task is None or (task_id, element_id) in present:
                continue
            db.session.execute(task_target.insert().values(task_id=task_id, element_id=element_id))
            audit.record(
                task.workspace_id,
                "update",
                "improvement_task",
                task.id,
                task.title,
                {"targets": ["", titles.get(element_id, "")]},
            )
    for cause_id, insight_id, element_id in data.get("causes", []):
        insight = db.session.get(Insight, insight_id)
        taken = db.session.execute(
            select(ConfirmedCause.id).where(
                (ConfirmedCause.id == cause_id)
                | (
                    (ConfirmedCause.insight_id == insight_id)
                    & (ConfirmedCause.element_id == element_id)
                )
            )
        ).first()
        if insight is not None and taken is None:
            db.session.add(
                ConfirmedCause(
                    id=cause_id,
                    workspace_id=insight.workspace_id,
                    insight_id=insight_id,
                    element_id=element_id,
                )
            )
    for why_id, element_id in data.get("whys", []):
        why = db.session.get(WhyStep, why_id)
        if why is not None and why.element_id is None:
            why.element_id = element_id
    db.session.flush()

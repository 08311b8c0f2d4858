"""The search over a workspace's insights, for the task form's insight picker (its Find
button without JavaScript, GET /search/insights with it), the labels of the insights a
form already holds, and a few suggestions.

Matching is on the folded title (`Insight.search_key`, see blueprint.folding), as the
element search does: titles that start with the query first, by a range over the index
(workspace_id, search_key), then titles that contain every word of it. Each part stops at
the limit, so an answer costs at most two statements and `LIMIT + 1` rows whatever the size
of the workspace; so do the suggestions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from backlog.models import Insight, InsightKind
from blueprint.element_search import by_folded_title
from extensions import db

LIMIT = 30
SUGGESTED_PAINS = 20  # the heaviest pain points (severity × frequency)
SUGGESTED_AT_TARGETS = 10  # insights seen at the elements the task changes
_ORDER = {kind: n for n, kind in enumerate(InsightKind)}


@dataclass(frozen=True)
class FoundInsight:
    """One insight as the picker and the search show it."""

    id: int
    title: str
    kind: InsightKind
    severity: int
    frequency: int

    @property
    def label(self) -> str:
        """The title with its kind and severity × frequency, as the task form says it."""
        return _(
            "%(title)s (%(kind)s, %(severity)s×%(frequency)s)",
            title=self.title,
            kind=_(self.kind.english).lower(),
            severity=self.severity,
            frequency=self.frequency,
        )

    @property
    def detail(self) -> str:
        return f"{self.severity}×{self.frequency}"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind.value,
            "kind_label": _(self.kind.english),
            "severity": self.severity,
            "frequency": self.frequency,
            "detail": self.detail,
            "label": self.label,
        }


@dataclass
class InsightGroup:
    kind: InsightKind
    options: list[FoundInsight] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _(self.kind.english)

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "kind": self.kind.value,
            "options": [o.as_json() for o in self.options],
        }


@dataclass
class InsightSearchResult:
    query: str
    found: list[FoundInsight]
    more: bool  # more matched than the limit: typing more narrows them

    @property
    def groups(self) -> list[InsightGroup]:
        return grouped(self.found)

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "limit": LIMIT,
            "count": len(self.found),
            "more": self.more,
            "groups": [g.as_json() for g in self.groups],
        }


def grouped(found: Sequence[FoundInsight]) -> list[InsightGroup]:
    """By kind (pain points first), each in the order found."""
    groups: dict[InsightKind, InsightGroup] = {}
    for item in sorted(found, key=lambda f: _ORDER[f.kind]):  # stable: keeps the order
        groups.setdefault(item.kind, InsightGroup(item.kind)).options.append(item)
    return list(groups.values())


def insight_rows(*where, order_by, limit: int | None = None) -> list[FoundInsight]:
    stmt = (
        select(Insight.id, Insight.title, Insight.kind, Insight.severity, Insight.frequency)
        .where(*where)
        .order_by(*order_by)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [FoundInsight(*row) for row in db.session.execute(stmt)]


def _ids(ids: Iterable[int | None]) -> list[int]:
    return sorted({i for i in ids if isinstance(i, int)})


def search_insights(
    workspace_id: int, query: str, exclude: Iterable[int | None] = (), limit: int = LIMIT
) -> InsightSearchResult:
    """Up to `limit` insights of the workspace whose title matches `query` (all of them, in
    title order, for an empty query), never those in `exclude`."""
    scope = [Insight.workspace_id == workspace_id]
    if exclude := _ids(exclude):
        scope.append(Insight.id.not_in(exclude))
    found, more = by_folded_title(Insight, query, scope, insight_rows, limit)
    return InsightSearchResult(query, found, more=more)


def insights_by_id(workspace_id: int, ids: Iterable[int | None]) -> list[FoundInsight]:
    """The insights of the workspace among `ids` (others are left out, never shown), the
    heaviest first: what a form holds, shown by title."""
    wanted = _ids(ids)
    if not wanted:
        return []
    return insight_rows(
        Insight.workspace_id == workspace_id,
        Insight.id.in_(wanted),
        order_by=((Insight.severity * Insight.frequency).desc(), Insight.id),
    )


def suggested_insights(
    workspace_id: int, exclude: Iterable[int | None] = (), target_ids: Iterable[int | None] = ()
) -> list[FoundInsight]:
    """A few insights a task is likely to address: those seen at the elements it changes,
    then the heaviest pain points of the workspace; never those in `exclude`. Two bounded
    statements, whatever the size of the workspace."""
    scope = [Insight.workspace_id == workspace_id]
    if exclude := _ids(exclude):
        scope.append(Insight.id.not_in(exclude))
    heaviest = ((Insight.severity * Insight.frequency).desc(), Insight.id)
    found: list[FoundInsight] = []
    if targets := _ids(target_ids):
        found += insight_rows(
            *scope, Insight.element_id.in_(targets), order_by=heaviest, limit=SUGGESTED_AT_TARGETS
        )
    seen = {f.id for f in found}
    found += [
        f
        for f in insight_rows(
            *scope,
            Insight.kind == InsightKind.PAIN_POINT,
            order_by=heaviest,
            limit=SUGGESTED_PAINS + len(seen),
        )
        if f.id not in seen
    ][:SUGGESTED_PAINS]
    return found

"""The type-ahead search over a workspace's elements (steps of every blueprint, people and
systems), for the combobox on the forms and the board, and the labels of elements a form
already holds.

Matching is on the folded title (`Element.search_key`, see blueprint.folding): case,
accents and spacing do not matter. Titles that start with the query come first, found by a
range over the index (workspace_id, search_key); then titles that contain every word of it,
from the same index. Both stop at the limit, so an answer costs two statements and at most
`LIMIT + 1` rows whatever the size of the workspace. The answer is grouped by blueprint and
lane (people and systems after every blueprint), as the board lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import not_, select

from blueprint.folding import fold, prefix_bound
from blueprint.kinds import CATALOG_KINDS, LANES, ElementKind
from blueprint.models import Element, ServiceBlueprint, Stage
from extensions import db

LIMIT = 20
_ORDER = {kind: n for n, kind in enumerate((*LANES, *CATALOG_KINDS))}


@dataclass(frozen=True)
class Found:
    """One element as the search and the forms show it."""

    id: int
    title: str
    kind: ElementKind
    blueprint_id: int | None
    blueprint: str | None
    stage: str | None
    stage_position: int
    position: int

    @property
    def label(self) -> str:
        """The title with its lane and stage, as a drop-down's option says it."""
        if self.stage:
            return f"{self.title} ({self.kind.label}, {self.stage})"
        return f"{self.title} ({self.kind.label})"

    @property
    def group(self) -> str:
        return group_label(self.blueprint, self.kind)

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "blueprint_id": self.blueprint_id,
            "blueprint": self.blueprint,
            "stage": self.stage,
            "label": self.label,
        }


@dataclass
class Group:
    label: str
    blueprint_id: int | None
    blueprint: str | None
    kind: ElementKind
    options: list[Found] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "blueprint_id": self.blueprint_id,
            "blueprint": self.blueprint,
            "kind": self.kind.value,
            "lane": self.kind.label,
            "options": [o.as_json() for o in self.options],
        }


@dataclass
class SearchResult:
    query: str
    groups: list[Group]
    more: bool  # there were more matches than the limit: typing more narrows them

    @property
    def count(self) -> int:
        return sum(len(g.options) for g in self.groups)

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "limit": LIMIT,
            "count": self.count,
            "more": self.more,
            "groups": [g.as_json() for g in self.groups],
        }


def group_label(blueprint: str | None, kind: ElementKind) -> str:
    """ "Order to cash · Frontstage"; people and systems, which belong to no blueprint, by
    their kind alone."""
    return f"{blueprint} · {kind.label}" if blueprint else kind.label


def element_rows(*where, order_by, limit: int | None = None) -> list[Found]:
    """Elements matching `where` with their blueprint's and stage's names, in one
    statement (stages and blueprints are joined by primary key)."""
    stmt = (
        select(
            Element.id,
            Element.title,
            Element.kind,
            Element.blueprint_id,
            ServiceBlueprint.name,
            Stage.name,
            Stage.position,
            Element.position,
        )
        .outerjoin(ServiceBlueprint, ServiceBlueprint.id == Element.blueprint_id)
        .outerjoin(Stage, Stage.id == Element.stage_id)
        .where(*where)
        .order_by(*order_by)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        Found(i, t, k, b, bn, sn, sp if sp is not None else 0, p)
        for i, t, k, b, bn, sn, sp, p in db.session.execute(stmt)
    ]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def by_folded_title(model, query: str, scope: Sequence, rows, limit: int) -> tuple[list, bool]:
    """Rows of `model` (which has `search_key` and `id`) within `scope` whose folded title
    matches `query`: those that start with it first, by a range over the index, then those
    that contain every word of it; `rows(*where, order_by=, limit=)` fetches them. Returns
    up to `limit` of them and whether there were more. Two statements at most."""
    key = fold(query)
    column = model.search_key
    starts = [column >= key]
    bound = prefix_bound(key)
    if bound is not None:
        starts.append(column < bound)
    if key:  # the range is the index's; LIKE only confirms it, whatever the collation
        starts.append(column.like(_like(key) + "%", escape="\\"))
    order = (column, model.id)
    found = rows(*scope, *starts, order_by=order, limit=limit + 1)
    if key and len(found) <= limit:
        words = [column.like(f"%{_like(w)}%", escape="\\") for w in key.split()]
        found += rows(
            *scope,
            *words,
            not_(column.like(_like(key) + "%", escape="\\")),
            order_by=order,
            limit=limit + 1 - len(found),
        )
    return found[:limit], len(found) > limit


def search_elements(
    workspace_id: int,
    query: str,
    kinds: Iterable[ElementKind] | None = None,
    exclude: Iterable[int] = (),
    limit: int = LIMIT,
) -> SearchResult:
    """Up to `limit` elements of the workspace whose title matches `query` (all of them,
    in title order, for an empty query), of `kinds` only if given, never those in
    `exclude`; grouped for display."""
    scope = [Element.workspace_id == workspace_id]
    kinds = list(kinds or ())
    if kinds:
        scope.append(Element.kind.in_(kinds))
    exclude = [i for i in exclude if i is not None]
    if exclude:
        scope.append(Element.id.not_in(exclude))
    found, more = by_folded_title(Element, query, scope, element_rows, limit)
    return SearchResult(query, grouped(found), more=more)


def grouped(found: Sequence[Found]) -> list[Group]:
    """Elements by blueprint (by name), then lane in the board's order, people and systems
    last; inside a group in stage and lane order, then by title."""
    groups: dict[tuple[int | None, ElementKind], Group] = {}
    ordered = sorted(
        found,
        key=lambda f: (
            f.blueprint is None,
            (f.blueprint or "").casefold(),
            f.blueprint_id or 0,
            _ORDER[f.kind],
            f.stage_position,
            f.position,
            fold(f.title),
            f.id,
        ),
    )
    for item in ordered:
        group = groups.get((item.blueprint_id, item.kind))
        if group is None:
            group = groups[(item.blueprint_id, item.kind)] = Group(
                item.group, item.blueprint_id, item.blueprint, item.kind
            )
        group.options.append(item)
    return list(groups.values())


def elements_by_id(workspace_id: int, ids: Iterable[int | None]) -> list[Found]:
    """The elements of the workspace among `ids` (others are left out, never shown), in
    display order: what a form holds, shown by name."""
    wanted = sorted({i for i in ids if isinstance(i, int)})
    if not wanted:
        return []
    found = element_rows(
        Element.workspace_id == workspace_id,
        Element.id.in_(wanted),
        order_by=(Element.id,),
    )
    return [item for group in grouped(found) for item in group.options]


def parse_kinds(values: Iterable[str]) -> list[ElementKind]:
    """`kinds=person,system` (or repeated) as element kinds; "lanes" for every lane. An
    unknown word is a ValueError that names it."""
    kinds: list[ElementKind] = []
    for value in values:
        for word in filter(None, (w.strip() for w in value.split(","))):
            if word == "lanes":
                kinds.extend(LANES)
                continue
            try:
                kinds.append(ElementKind(word))
            except ValueError:
                raise ValueError(_("Unknown kind %(kind)s.", kind=repr(word[:40]))) from None
    return kinds

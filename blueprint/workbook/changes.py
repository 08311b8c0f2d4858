"""What updating a blueprint from its workbook would do: the rows it adds, changes and
removes, sheet by sheet, and the problems that block it (`Plan`). Pure; made by
update.diff, shown by the preview and carried out by apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbooks.problems import Problem

__all__ = ["Bucket", "Change", "Plan", "Ref"]

Ref = tuple[str, Any]  # ("id", database id) or ("new", workbook key)


@dataclass
class Change:
    """One row the update adds, changes or removes, as the preview lists it."""

    sheet: str
    title: str
    row: int | None = None  # in the workbook; None for a removed row
    id: int | None = None  # in the database; None for a new row
    fields: list[tuple[str, Any, Any]] = field(default_factory=list)  # column, old, new
    entry: Any = None  # the workbook's row (a dict, a stage name or a link)


@dataclass
class Bucket:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


@dataclass
class Plan:
    blueprint: list[tuple[str, Any, Any]] = field(default_factory=list)
    stages: Bucket = field(default_factory=Bucket)
    stage_order: tuple[str, str] | None = None  # old order, new order (names)
    steps: Bucket = field(default_factory=Bucket)
    catalog: Bucket = field(default_factory=Bucket)  # added = created in the catalog
    links: Bucket = field(default_factory=Bucket)
    kept: list[str] = field(default_factory=list)  # added in Rootline since the export
    problems: list[Problem] = field(default_factory=list)
    # how each workbook key and stage name resolves (for apply)
    refs: dict[str, Ref] = field(default_factory=dict)
    stage_refs: dict[str, Ref] = field(default_factory=dict)

    @property
    def count(self) -> int:
        order = 1 if self.stage_order else 0
        return (
            len(self.blueprint)
            + order
            + sum(map(len, (self.stages, self.steps, self.catalog, self.links)))
        )

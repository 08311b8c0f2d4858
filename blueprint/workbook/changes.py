"""What updating a blueprint from its workbook would do: the rows it adds, changes and
removes, sheet by sheet, and the problems that block it (`Plan`). Pure; made by
update.diff, shown by the preview and carried out by apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbooks.problems import Problem
from workbooks.words import ENGLISH, Words

__all__ = ["CODED_COLUMNS", "Bucket", "Change", "Plan", "Ref", "said_fields"]

Ref = tuple[str, Any]  # ("id", database id) or ("new", workbook key)
Field = tuple[str, Any, Any]  # column, old value, new value
# the columns whose values are codes (a lane, a channel…), which a workbook says in its words
CODED_COLUMNS = frozenset({"kind", "channel", "evidence_source", "evidence_status", "state"})


def said_fields(fields: list[Field], words: Words = ENGLISH) -> list[Field]:
    """Changed columns as a workbook in the language of `words` heads them ("rodzaj" in
    Polish, "kind" in English), coded values as it writes them ("zaplecze", "backstage");
    other values as they are."""

    def value(column: str, v: Any) -> Any:
        return words(v) if column in CODED_COLUMNS and isinstance(v, str) and v else v

    return [(words(column), value(column, old), value(column, new)) for column, old, new in fields]


@dataclass
class Change:
    """One row the update adds, changes or removes, as the preview lists it."""

    sheet: str
    title: str
    row: int | None = None  # in the workbook; None for a removed row
    id: int | None = None  # in the database; None for a new row
    fields: list[Field] = field(default_factory=list)  # column, old, new
    entry: Any = None  # the workbook's row (a dict, a stage name or a link)
    said: list[Field] = field(default_factory=list, compare=False)  # `fields` for people


@dataclass
class Bucket:
    added: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


@dataclass
class Plan:
    blueprint: list[Field] = field(default_factory=list)
    blueprint_said: list[Field] = field(default_factory=list, compare=False)  # for people
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

    def say_fields(self, words: Words = ENGLISH) -> None:
        """Fill in the changed columns as people read them (`said_fields`): the preview
        shows those, apply works with the codes."""
        self.blueprint_said = said_fields(self.blueprint, words)
        for bucket in (self.stages, self.steps, self.catalog, self.links):
            for change in bucket.changed:
                change.said = said_fields(change.fields, words)

    @property
    def count(self) -> int:
        order = 1 if self.stage_order else 0
        return (
            len(self.blueprint)
            + order
            + sum(map(len, (self.stages, self.steps, self.catalog, self.links)))
        )

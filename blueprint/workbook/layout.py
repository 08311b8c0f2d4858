"""The blueprint workbook's layout: its sheets, their columns, the row keys, and the plain
data a workbook holds (`BlueprintData`). Pure; shared by the writer, the reader and the
update's diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blueprint.kinds import ElementKind

__all__ = [
    "BLUEPRINT_FIELDS",
    "CATALOG_COLUMNS",
    "ELEMENT_COLUMNS",
    "EXPORTED_ROWS",
    "LANE_LETTER",
    "LINK_COLUMNS",
    "MAX_COLUMNS",
    "OPTIONAL",
    "ROW_ID_COLUMNS",
    "BlueprintData",
    "RowMeta",
]

ELEMENT_COLUMNS = (
    "key", "kind", "stage", "end_stage", "position", "title", "description", "channel",
    "duration_minutes", "tolerance_minutes", "fail_point", "fail_note", "wait_point",
    "emotion", "moment_of_truth", "evidence_source", "evidence_status",
)  # fmt: skip
CATALOG_COLUMNS = (
    "key", "kind", "title", "description", "fail_point", "fail_note", "evidence_source",
    "evidence_status",
)  # fmt: skip
LINK_COLUMNS = ("source", "target", "kind")
BLUEPRINT_FIELDS = ("name", "goal", "scope", "state", "persona")
LANE_LETTER = {
    ElementKind.PHYSICAL_EVIDENCE: "E", ElementKind.CUSTOMER_ACTION: "C",
    ElementKind.FRONTSTAGE: "F", ElementKind.BACKSTAGE: "B", ElementKind.SUPPORT: "S",
}  # fmt: skip
ROW_ID_COLUMNS = ("id", "version")  # optional on import; blank for new rows
# Columns added after the first format: a workbook without them still imports.
OPTIONAL = {"end_stage", "evidence_source", "evidence_status", *ROW_ID_COLUMNS}
EXPORTED_ROWS = "Exported rows"
MAX_COLUMNS = 30  # the reader looks no further right


@dataclass(frozen=True)
class RowMeta:
    """Where a row came from: its row number in the workbook (None when exported from the
    database) and the id and version it carries (None for a new row)."""

    row: int | None = None
    id: int | None = None
    version: int | None = None


@dataclass
class BlueprintData:
    name: str
    goal: str = ""
    scope: str = ""
    state: str = "current"
    persona: str = ""
    stages: list[str] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)  # ELEMENT_COLUMNS keys
    catalog: list[dict[str, Any]] = field(default_factory=list)  # CATALOG_COLUMNS keys
    links: list[tuple[str, str, str]] = field(default_factory=list)
    # The blueprint's own id and version, and each row's (see RowMeta), by sheet name and in
    # the order of that sheet's list above. Not part of equality: a copy has other ids.
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)
    meta: dict[str, list[RowMeta]] = field(default_factory=dict, compare=False)
    # sheet name → {id: version} as exported; None when the workbook does not say
    exported: dict[str, dict[int, int]] | None = field(default=None, compare=False)

    def row_meta(self, sheet: str, index: int) -> RowMeta:
        rows = self.meta.get(sheet, [])
        return rows[index] if index < len(rows) else RowMeta()

    link_rows: list[int] = field(default_factory=list)  # each link's row in Links, if read
    notes: list[int] = field(default_factory=list)  # Links rows read as relies_on, not uses

    def summary(self) -> str:
        """What the import changed while reading, in words (empty: nothing)."""
        if not self.notes:
            return ""
        rows = ", ".join(str(n) for n in self.notes)
        count = len(self.notes)
        return (
            f"{count} 'uses' link{'s' if count != 1 else ''} into something that is not a "
            f"system {'were' if count != 1 else 'was'} imported as 'relies on' "
            f"(Links, row{'s' if count != 1 else ''} {rows})."
        )

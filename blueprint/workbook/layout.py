"""The blueprint workbook's layout: its sheets, their columns, the row keys, and the plain
data a workbook holds (`BlueprintData`). Pure; shared by the writer, the reader and the
update's diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blueprint.kinds import (
    BlueprintState,
    Channel,
    ElementKind,
    EvidenceSource,
    EvidenceStatus,
    LinkKind,
)
from workbooks.words import ENGLISH, N_, Words, fold

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

# The workbook's words in English, marked for the workbooks catalog: a Polish workbook says
# them in Polish (workbooks/words.py), a reader takes them in any language. In English the
# columns and coded values are the codes themselves, as the format has always written them.
SHEETS = (
    N_("Blueprint"), N_("Stages"), N_("Elements"), N_("People and systems"), N_("Links"),
    N_("Board"), N_("Exported rows"),
)  # fmt: skip
COLUMN_WORDS = (
    # Blueprint: its fields
    N_("field"), N_("value"), N_("name"), N_("goal"), N_("scope"), N_("state"), N_("persona"),
    # Stages, Elements, People and systems, Links; the row ids; Exported rows
    N_("position"), N_("key"), N_("kind"), N_("stage"), N_("end_stage"), N_("title"),
    N_("description"), N_("channel"), N_("duration_minutes"), N_("tolerance_minutes"),
    N_("fail_point"), N_("fail_note"), N_("wait_point"), N_("emotion"),
    N_("moment_of_truth"), N_("evidence_source"), N_("evidence_status"), N_("source"),
    N_("target"), N_("id"), N_("version"), N_("sheet"),
)  # fmt: skip
# Every coded column's codes, said in the workbook's language (a Polish workbook writes the
# method's Polish words, an English one the codes).
CODE_WORDS = (
    N_("physical_evidence"), N_("customer_action"), N_("frontstage"), N_("backstage"),
    N_("support"), N_("person"), N_("system"),
    N_("email"), N_("phone"), N_("web"), N_("app"), N_("chat"), N_("in_person"), N_("post"),
    N_("other"),
    N_("interview"), N_("survey"), N_("crm"), N_("web_analytics"), N_("call_centre"),
    N_("social_media"), N_("web_monitoring"), N_("workshop"),
    N_("observed"), N_("assumed"), N_("proposed"),
    N_("relies_on"), N_("performed_by"), N_("uses"), N_("next"),
    N_("current"), N_("future"),
    N_("yes"), N_("no"),
)  # fmt: skip
CODED = (ElementKind, Channel, EvidenceSource, EvidenceStatus, LinkKind, BlueprintState)
# the Board's words
LANE_WORDS = (
    N_("Physical evidence"), N_("Customer actions"), N_("Frontstage"), N_("Backstage"),
    N_("Support processes"),
)  # fmt: skip
BOARD_CORNER = N_("Lane \\ Stage")
# the Blueprint sheet's field names
BLUEPRINT_WORDS = (*BLUEPRINT_FIELDS, *ROW_ID_COLUMNS)


def sheet_names(names, words: Words = ENGLISH) -> dict[str, str]:
    """The workbook's sheets by their English names: English name → its name in the file
    (which may be any language's)."""
    known = words.lookup(SHEETS)
    found: dict[str, str] = {}
    for name in names:
        english = known.get(fold(name))
        if english is not None:
            found.setdefault(english, name)
    return found


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

    def summary(self, words: Words = ENGLISH) -> str:
        """What the import changed while reading, in words (empty: nothing)."""
        if not self.notes:
            return ""
        return words.ngettext(
            "%(n)s 'uses' link into something that is not a system was imported as "
            "'relies on' (%(sheet)s, row %(rows)s).",
            "%(n)s 'uses' links into something that is not a system were imported as "
            "'relies on' (%(sheet)s, rows %(rows)s).",
            len(self.notes),
            sheet=words("Links"),
            rows=", ".join(str(n) for n in self.notes),
        )

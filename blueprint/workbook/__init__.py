"""The blueprint workbook: one documented format to download, edit and import.

Sheets (README, "Blueprint workbook"): **Blueprint** (field, value: name, goal, scope, state,
persona), **Stages** (position, name), **Elements** (key, kind, stage, end stage, position,
title and every annotation; `stage` is `*` for a step of the whole journey), **People and
systems** (key, kind, title, description, fail point, what fails, evidence), **Links**
(source key, target key, kind) and a read-only **Board** (stage × lane grid for printing;
ignored on import). Keys are stable: `S<stage>-<lane letter>-<position>` for steps
(`A-<lane letter>-<n>` for whole-journey ones), `P<n>` and `Y<n>` for people and systems in
title order.

Every row also carries its database `id` and `version` (last columns; blank for new rows),
and the Blueprint sheet the blueprint's own, so a workbook can update the blueprint it came
from. A hidden **Exported rows** sheet lists the ids and versions as exported, so a row
deleted in the workbook is told from one added in Rootline since.

The rooms, all pure but the last (plain values in, plain values or bytes out):

- `layout` — the sheets, their columns and keys, and `BlueprintData`, what a workbook holds;
- `write` — `build`: BlueprintData in, .xlsx bytes out (`drop_downs`: the coded columns'
  lists); `template` — the blank workbook with one example of each row;
- `read` — `parse`: bytes in, BlueprintData out, or every problem at once; `size` — a
  quick look before that: is it a blueprint workbook, and how many rows does it hold;
- `update` — `diff`: what updating a blueprint from its own workbook would change;
- `apply` — the database half of that update: preview and apply (not imported here).

Cells are written and read with the workbook kit (workbooks/), whose one rule is that no
user text ever becomes a formula.
"""

from blueprint.workbook.layout import (
    BLUEPRINT_FIELDS,
    CATALOG_COLUMNS,
    ELEMENT_COLUMNS,
    EXPORTED_ROWS,
    LANE_LETTER,
    LINK_COLUMNS,
    ROW_ID_COLUMNS,
    BlueprintData,
    RowMeta,
)
from blueprint.workbook.read import parse
from blueprint.workbook.write import build
from workbooks.problems import Problem, WorkbookProblems

__all__ = [
    "BLUEPRINT_FIELDS",
    "CATALOG_COLUMNS",
    "ELEMENT_COLUMNS",
    "EXPORTED_ROWS",
    "LANE_LETTER",
    "LINK_COLUMNS",
    "ROW_ID_COLUMNS",
    "BlueprintData",
    "Problem",
    "RowMeta",
    "WorkbookProblems",
    "build",
    "parse",
]

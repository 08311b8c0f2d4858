"""Drop-downs (data validation) for the blueprint workbook's coded, yes/no and number
columns, so someone filling it by hand picks codes the import accepts. Pure."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from blueprint.kinds import CATALOG_KINDS, LANES, Channel, EvidenceSource, EvidenceStatus, LinkKind
from workbooks.problems import MAX_ROWS
from workbooks.words import ENGLISH, N_, Words

BOOL_COLUMNS = ("fail_point", "wait_point", "moment_of_truth")
# the columns that hold a code (written in the workbook's words)
CODED_COLUMNS = ("kind", "channel", "evidence_source", "evidence_status")
LAST_ROW = MAX_ROWS + 1  # as far down as the import reads

CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "Elements": {
        "kind": tuple(k.value for k in LANES),
        "channel": tuple(c.value for c in Channel),
        "evidence_source": tuple(s.value for s in EvidenceSource),
        "evidence_status": tuple(s.value for s in EvidenceStatus),
        **{c: ("yes", "no") for c in BOOL_COLUMNS},
    },
    "People and systems": {
        "kind": tuple(k.value for k in CATALOG_KINDS),
        "fail_point": ("yes", "no"),
        "evidence_source": tuple(s.value for s in EvidenceSource),
        "evidence_status": tuple(s.value for s in EvidenceStatus),
    },
    "Links": {"kind": tuple(k.value for k in LinkKind)},
}
WHOLE_NUMBERS: dict[str, dict[str, tuple[int, int]]] = {
    "Elements": {
        "position": (0, 10**6),
        "duration_minutes": (0, 10**7),
        "tolerance_minutes": (0, 10**7),
        "emotion": (-2, 2),
    },
}


def add_drop_downs(ws, sheet: str, columns: Sequence[str], words: Words = ENGLISH) -> None:
    """Drop-downs and number checks down to the last row an import reads, so rows a user
    adds get them too. The lists hold the codes the export writes, in the language of
    `words` (`sheet`: the sheet's English name)."""
    choices = CHOICES.get(sheet, {})
    numbers = WHOLE_NUMBERS.get(sheet, {})
    for index, column in enumerate(columns, start=1):
        title = words(N_("Not a %(column)s"), column=words(column))
        if column in choices:
            said = [words(c) for c in choices[column]]
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(said) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=title,
                error=words(N_("Choose one of: %(options)s."), options=", ".join(said)),
            )
        elif column in numbers:
            low, high = numbers[column]
            dv = DataValidation(
                type="whole",
                operator="between",
                formula1=str(low),
                formula2=str(high),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=title,
                error=words(N_("A whole number from %(low)s to %(high)s."), low=low, high=high),
            )
        else:
            continue
        letter = get_column_letter(index)
        dv.add(f"{letter}2:{letter}{LAST_ROW}")
        ws.data_validations.append(dv)

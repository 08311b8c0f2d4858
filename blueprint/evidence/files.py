"""Reading an evidence file: a CSV or an .xlsx export of tickets, complaints, survey answers
or web analytics, as a header and rows of cells. Pure: bytes in, a `Table` out.

CSV: UTF-8 (with or without a byte-order mark) or, when the bytes are not UTF-8,
Windows-1250 as Polish Excel saves it; the delimiter (comma, semicolon or tab) is found from
the first lines and reported with the encoding, so the preview can say what it read.
.xlsx: checked by `workbooks.xlsxsafe.check_xlsx` before any XML is parsed (zip bombs,
hostile XML, macro workbooks), then opened read-only (`workbooks.reading.open_upload`), its
first sheet only, its cells read through `workbooks.reading.safe_rows` so a damaged cell
ends the sheet with a message, never a crash. Date cells stay dates.

At most `MAX_ROWS` data rows and `MAX_COLUMNS` columns are read; a longer file is refused,
never cut silently. A refusal is an `EvidenceFileError` whose message is marked `N_` and said
where it is shown, in the reader's language (`said(words)`: a view passes Flask-Babel).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from blueprint.words import ENGLISH, N_, Words
from workbooks.reading import Unreadable, open_upload, safe_rows
from workbooks.xlsxsafe import UnsafeWorkbook, check_xlsx

__all__ = [
    "DELIMITERS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "EvidenceFileError",
    "Table",
    "decode",
    "detect_delimiter",
    "read_file",
]

MAX_ROWS = 200_000  # data rows of one file (the upload limit usually comes first)
MAX_COLUMNS = 60
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


class EvidenceFileError(ValueError):
    """The file cannot be read as evidence: `code` says which refusal it is, `message` why
    (English, marked `N_`, with `values` to fill in); `said(words)` in the reader's language,
    `str()` in English."""

    def __init__(self, code: str, message: str, **values):
        self.code, self.message, self.values = code, message, values
        super().__init__(self.said())

    def said(self, words: Words = ENGLISH, number: Callable[[int], str] = "{:,}".format) -> str:
        """The message in the language of `words`, its counts written by `number` (a page
        passes the reader's: 200 000 in Polish, 200,000 in English)."""
        values = {
            k: number(v) if isinstance(v, int) and not isinstance(v, bool) else v
            for k, v in self.values.items()
        }
        return words.gettext(self.message, **values)


@dataclass
class Table:
    """A file's header and data rows; `numbers[i]` is the row number of `rows[i]` in the
    file (the header is row 1; blank rows are skipped, so numbers may jump). `encoding` and
    `delimiter` are None for a workbook."""

    kind: str  # "csv" or "xlsx"
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None

    @property
    def delimiter_name(self) -> str | None:
        return DELIMITERS.get(self.delimiter) if self.delimiter else None


def decode(content: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in: UTF-8 with a BOM, UTF-8, or Windows-1250."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return content.decode("cp1250", errors="replace"), "cp1250"


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines (outside quotes) into
    the same number of fields, most fields first; a comma when none does."""
    sample = [line for line in text[:65536].splitlines()[:20] if line.strip()]
    if not sample:
        return ","
    best, best_key = ",", (-1, -1)
    for delimiter in DELIMITERS:
        counts = [len(r) for r in csv.reader(sample, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for c in counts if c == counts[0])
        key = (consistent, counts[0])
        if key > best_key:
            best, best_key = delimiter, key
    return best


def read_file(content: bytes, name: str, *, max_rows: int = MAX_ROWS) -> Table:
    """The file's header and rows; an .xlsx by its name or its zip signature, else CSV.
    Raises `EvidenceFileError` for a file that cannot be read."""
    if not content:
        raise EvidenceFileError("empty", N_("The file is empty."))
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")) or content[:4] == b"PK\x03\x04":
        return _read_xlsx(content, max_rows)
    if content[:2] == b"\xd0\xcf":
        raise EvidenceFileError(
            "xls", N_("This is an old .xls workbook. Save it as .xlsx or CSV and upload again.")
        )
    return _read_csv(content, max_rows)


def _clean_header(headers) -> list[str]:
    names = []
    for n, h in enumerate(headers[:MAX_COLUMNS], 1):
        text = "" if h is None else str(h).strip()
        names.append(text or f"column {n}")
    return names


def _read_csv(content: bytes, max_rows: int) -> Table:
    text, encoding = decode(content)
    if "\x00" in text:
        raise EvidenceFileError("binary", N_("The file is not a text (CSV) file."))
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
        if not header or not any(h.strip() for h in header):
            raise EvidenceFileError("no_header", N_("The first line holds no column names."))
        table = Table("csv", _clean_header(header), encoding=encoding, delimiter=delimiter)
        width = len(table.headers)
        for number, row in enumerate(reader, 2):
            if not any(cell.strip() for cell in row):
                continue
            if len(table.rows) >= max_rows:
                raise _too_long(max_rows)
            cells = [cell.strip() for cell in row[:width]]
            table.rows.append(cells + [""] * (width - len(cells)))
            table.numbers.append(number)
    except csv.Error as exc:
        raise EvidenceFileError(
            "csv", N_("The file cannot be read as CSV: %(reason)s."), reason=str(exc)
        ) from None
    return table


def _too_long(max_rows: int) -> EvidenceFileError:
    return EvidenceFileError(
        "too_long",
        N_("The file has more than %(max)s rows; import at most %(max)s at a time (split it)."),
        max=max_rows,
    )


def _cell(value):
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _read_xlsx(content: bytes, max_rows: int) -> Table:
    try:
        check_xlsx(content)
    except UnsafeWorkbook as exc:  # its message is the workbook kit's, marked there
        raise EvidenceFileError("unsafe", exc.message, **exc.values) from None
    wb = open_upload(content, data_only=True)
    if wb is None:
        raise EvidenceFileError("not_workbook", N_("The file cannot be read as a workbook."))
    try:
        ws = wb.worksheets[0]
        sheet = ws.title
        rows = safe_rows(sheet, ws.iter_rows(max_col=MAX_COLUMNS, values_only=True))
        header = next(rows, None)
        if not header or not any(h not in (None, "") for h in header):
            raise EvidenceFileError("no_header", N_("The first row holds no column names."))
        while header and header[-1] in (None, ""):
            header = header[:-1]
        table = Table("xlsx", _clean_header(list(header)))
        width = len(table.headers)
        for number, row in enumerate(rows, 2):
            cells = [_cell(v) for v in row[:width]]
            if not any(c != "" for c in cells):
                continue
            if len(table.rows) >= max_rows:
                raise _too_long(max_rows)
            table.rows.append(cells + [""] * (width - len(cells)))
            table.numbers.append(number)
    except Unreadable as exc:
        raise EvidenceFileError(
            "cell",
            N_("Row %(row)s of sheet %(sheet)s has a cell that cannot be read."),
            row=str(exc.problem.row),
            sheet=exc.problem.sheet,
        ) from None
    finally:
        wb.close()
    return table

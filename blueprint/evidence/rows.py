"""From a file's cells to evidence rows: which column holds what (the column mapping), the
file's shape (what a mapping is remembered by), and every row's text, reference, date,
category, step, channel and score read from its cells. Pure.

A row the import cannot use (a date or a score it cannot read, no text and nothing else to
match by) is reported as a `RowProblem` with its row number and column; the import then
refuses the whole file, all or nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime

from blueprint.evidence.files import Table
from blueprint.evidence.matching import content_hash, key_of

__all__ = [
    "FIELDS",
    "ColumnMapping",
    "EvidenceRow",
    "RowProblem",
    "guess_mapping",
    "parse_date",
    "read_rows",
    "shape_of",
]

# the mapping's fields, in the order the form shows them; only the text is required
FIELDS = ("text", "reference", "date", "category", "step", "channel", "score")
TEXT_LIMIT = 5000  # characters of a row's text that are kept


@dataclass(frozen=True)
class ColumnMapping:
    """The column (header name) holding each field; "" when the file has none."""

    text: str
    reference: str = ""
    date: str = ""
    category: str = ""
    step: str = ""
    channel: str = ""
    score: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: Mapping[str, str]) -> ColumnMapping:
        return cls(**{f: str(values.get(f) or "") for f in FIELDS})

    def problems(self, headers: Iterable[str]) -> dict[str, str]:
        """field → what is wrong with its column (English; the form translates the codes)."""
        names = set(headers)
        wrong = {}
        if not self.text:
            wrong["text"] = "required"
        for f in FIELDS:
            column = getattr(self, f)
            if column and column not in names:
                wrong[f] = "unknown"
        return wrong


@dataclass(frozen=True)
class EvidenceRow:
    number: int
    text: str
    reference: str = ""
    day: date | None = None
    category: str = ""
    step: str = ""
    channel: str = ""
    score: float | None = None

    @property
    def content_hash(self) -> str:
        return content_hash(self.reference, self.text, self.day)


@dataclass(frozen=True)
class RowProblem:
    number: int
    column: str
    code: str  # "date", "score" or "empty"
    value: str = ""


def shape_of(headers: Iterable[str]) -> str:
    """A file's shape: its column names, folded, in order, hashed (64 hex digits). Two
    exports of the same report have the same shape, so the mapping chosen for one is offered
    for the next."""
    joined = "\x1f".join(key_of(h) for h in headers)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


# header words that suggest a field (folded), for a first mapping of a file never seen
_GUESSES = {
    "text": (
        "text",
        "tresc",
        "opis",
        "description",
        "verbatim",
        "comment",
        "komentarz",
        "message",
        "wiadomosc",
        "body",
        "subject",
        "temat",
        "feedback",
        "uwagi",
    ),
    "reference": ("id", "ticket", "zgloszenie", "number", "numer", "ref", "reference", "nr"),
    "date": ("date", "data", "created", "utworzono", "time", "czas", "day", "dzien"),
    "category": ("category", "kategoria", "type", "typ", "topic", "temat kategorii"),
    "step": ("step", "krok", "etap", "page", "strona", "stage"),
    "channel": ("channel", "kanal", "source", "zrodlo"),
    "score": ("score", "ocena", "nps", "csat", "rating", "wynik"),
}


def guess_mapping(headers: list[str]) -> ColumnMapping:
    """A first mapping for a file never mapped before: the column whose name says it (the
    longest text-like column name wins for the text: "verbatim" over "subject")."""
    keys = [key_of(h) for h in headers]
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for f in ("reference", "date", "score", "category", "step", "channel", "text"):
        for word in _GUESSES[f]:
            hit = next(
                (
                    h
                    for h, k in zip(headers, keys, strict=True)
                    if h not in taken and (k == word or word in k.split())
                ),
                None,
            )
            if hit:
                chosen[f] = hit
                taken.add(hit)
                break
    return ColumnMapping.from_dict(chosen)


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d",
)


_DAY_FIRST = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})(?:[ T].*)?$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


def parse_date(value) -> date | None:
    """A date cell, or text as exports write it (2026-03-05, 2026-03-05 14:02, 05.03.2026,
    05/03/2026, the ISO form with a time zone); None for blank. Raises ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    quick = _ISO_DAY.match(text) or _DAY_FIRST.match(text)  # the usual forms, without strptime
    if quick:
        a, b, c = (int(g) for g in quick.groups())
        try:
            return date(a, b, c) if quick.re is _ISO_DAY else date(c, b, a)
        except ValueError:
            raise ValueError(text) from None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def parse_score(value) -> float | None:
    """A score (7, 4.5, "4,5"); None for blank. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(text)
    return float(text.replace(",", "."))


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())[:TEXT_LIMIT]


def read_rows(table: Table, mapping: ColumnMapping) -> tuple[list[EvidenceRow], list[RowProblem]]:
    """Every row of `table` read by `mapping`, and the problems of those that cannot be used
    (the mapping itself is checked first with `ColumnMapping.problems`)."""
    index = {h: i for i, h in enumerate(table.headers)}
    at = {f: index.get(getattr(mapping, f)) for f in FIELDS}
    rows: list[EvidenceRow] = []
    problems: list[RowProblem] = []

    def cell(cells, f):
        i = at[f]
        return cells[i] if i is not None else ""

    for number, cells in zip(table.numbers, table.rows, strict=True):
        text = _text(cell(cells, "text"))
        step, category = _text(cell(cells, "step")), _text(cell(cells, "category"))
        day = score = None
        try:
            day = parse_date(cell(cells, "date"))
        except ValueError:
            problems.append(RowProblem(number, mapping.date, "date", str(cell(cells, "date"))))
        try:
            score = parse_score(cell(cells, "score"))
        except ValueError:
            problems.append(RowProblem(number, mapping.score, "score", str(cell(cells, "score"))))
        if not text and not step and not category:
            problems.append(RowProblem(number, mapping.text, "empty"))
        rows.append(
            EvidenceRow(
                number=number,
                text=text,
                reference=_text(cell(cells, "reference"))[:120],
                day=day,
                category=category[:200],
                step=step[:200],
                channel=_text(cell(cells, "channel"))[:120],
                score=score,
            )
        )
    return rows, problems

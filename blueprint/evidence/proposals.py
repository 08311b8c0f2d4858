"""What a file of evidence says about each step: the rows matched to it, their share of the
file, their date range, three sample quotes, and the insight proposed for it. Pure.

**Kind.** A pain point, unless the file has scores and the step's rows score high on
average: then a compliment. A score's scale is the file's: 0–10 (NPS) when any score is
above 5, else 1–5 (CSAT). "High" is at least `COMPLIMENT_AT` (0.8) of the way up the scale:
8 of 10, 4.2 of 5.

**Frequency (1–5).** When the user says how many customers (or orders) the file covers,
from the step's rows per customer (`PER_CUSTOMER`):

    at least 1 in 5 customers: 5 · 1 in 20: 4 · 1 in 100: 3 · 1 in 500: 2 · fewer: 1

Otherwise from the step's share of the file's rows (`SHARE`):

    at least 30 %: 5 · 15 %: 4 · 5 %: 3 · 1 %: 2 · less: 1

**Severity (1–5).** From the scores where the step's rows have them: the average's place on
the scale, 0 (lowest) to 1 (highest), gives 5 at the bottom and 1 at the top
(`5 - round(4 × place)`). Without scores it is the user's choice per step (3 unless chosen).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from blueprint.evidence.matching import Match
from blueprint.evidence.rows import EvidenceRow

__all__ = [
    "COMPLIMENT_AT",
    "PER_CUSTOMER",
    "SHARE",
    "Proposal",
    "frequency_from_customers",
    "frequency_from_share",
    "propose",
    "score_scale",
]

PER_CUSTOMER = ((1 / 5, 5), (1 / 20, 4), (1 / 100, 3), (1 / 500, 2))
SHARE = ((0.30, 5), (0.15, 4), (0.05, 3), (0.01, 2))
COMPLIMENT_AT = 0.8
EXAMPLES = 3
DEFAULT_SEVERITY = 3
PAIN, COMPLIMENT = "pain_point", "compliment"


def frequency_from_customers(rows: int, customers: int) -> int:
    rate = rows / customers
    return next((level for at, level in PER_CUSTOMER if rate >= at), 1)


def frequency_from_share(share: float) -> int:
    return next((level for at, level in SHARE if share >= at), 1)


def score_scale(scores: Sequence[float]) -> tuple[float, float] | None:
    """(lowest, highest) of the file's scale, or None when it has no scores."""
    if not scores:
        return None
    return (0.0, 10.0) if max(scores) > 5 else (1.0, 5.0)


@dataclass
class Proposal:
    """The proposed insight for one step, and what it rests on."""

    element_id: int
    title: str  # the step's
    rows: int
    share: float
    first_day: date | None
    last_day: date | None
    examples: list[str]
    references: list[str]
    kind: str
    frequency: int
    severity: int
    severity_from_scores: bool
    average_score: float | None = None
    numbers: list[int] = field(default_factory=list)  # the file's row numbers


def propose(
    rows: Sequence[EvidenceRow],
    matches: Sequence[Match],
    titles: dict[int, str],
    *,
    customers: int | None = None,
    severities: dict[int, int] | None = None,
    file_rows: int | None = None,
) -> list[Proposal]:
    """One proposal per step with rows, most rows first (then by title). `file_rows`: the
    rows the shares are of (all of the file's by default, also those already imported)."""
    total = file_rows if file_rows is not None else len(rows)
    scale = score_scale([r.score for r in rows if r.score is not None])
    grouped: dict[int, list[EvidenceRow]] = {}
    for row, match in zip(rows, matches, strict=True):
        if match.element_id is not None:
            grouped.setdefault(match.element_id, []).append(row)
    out = []
    for element_id, mine in grouped.items():
        share = len(mine) / total if total else 0.0
        if customers:
            frequency = frequency_from_customers(len(mine), customers)
        else:
            frequency = frequency_from_share(share)
        scores = [r.score for r in mine if r.score is not None]
        average = sum(scores) / len(scores) if scores else None
        kind, severity, from_scores = PAIN, (severities or {}).get(element_id), False
        if average is not None and scale is not None:
            low, high = scale
            place = min(max((average - low) / (high - low), 0.0), 1.0)
            if place >= COMPLIMENT_AT:
                kind = COMPLIMENT
            if severity is None:
                severity, from_scores = 5 - round(4 * place), True
        days = [r.day for r in mine if r.day is not None]
        out.append(
            Proposal(
                element_id=element_id,
                title=titles.get(element_id, ""),
                rows=len(mine),
                share=share,
                first_day=min(days) if days else None,
                last_day=max(days) if days else None,
                examples=_examples(mine),
                references=[r.reference for r in mine if r.reference],
                kind=kind,
                frequency=frequency,
                severity=severity if severity is not None else DEFAULT_SEVERITY,
                severity_from_scores=from_scores,
                average_score=round(average, 2) if average is not None else None,
                numbers=[r.number for r in mine],
            )
        )
    out.sort(key=lambda p: (-p.rows, p.title.casefold(), p.element_id))
    return out


def _examples(rows: Sequence[EvidenceRow]) -> list[str]:
    """Three quotes: distinct texts, the longer first of the first fifty (a sentence says
    more than "nie działa"), each at most 240 characters."""
    seen: set[str] = set()
    texts = []
    for row in rows[:50]:
        if row.text and row.text not in seen:
            seen.add(row.text)
            texts.append(row.text)
    texts.sort(key=len, reverse=True)
    return [t if len(t) <= 240 else t[:239] + "…" for t in texts[:EXAMPLES]]

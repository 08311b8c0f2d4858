"""Scoring frameworks for improvement tasks. Pure: no Flask, no database.

`score(framework, inputs)` takes a mapping keyed by exactly the framework's input names:

- `value_effort`: impact 1–5, effort 1–5 → impact ÷ effort
- `rice` (Intercom): reach ≥ 0, impact ∈ {0.25, 0.5, 1, 2, 3}, confidence 0–1,
  effort > 0 person-months → reach × impact × confidence ÷ effort
- `ice`: impact, confidence, ease, each 1–10 → their product
- `ice_mean`: the same inputs → their mean
- `wsjf` (SAFe): business_value, time_criticality, risk_reduction ≥ 0, job_size > 0 →
  (business_value + time_criticality + risk_reduction) ÷ job_size

Inputs out of range raise `ScoringError` naming the field. Every input is finite and
bounded — counts and values at most MAX_INPUT, divisors (RICE effort, WSJF job size) at
least MIN_DIVISOR — so every score is a finite number. Scores are exact floats; only
`format_score` rounds, half up, to two decimals for display.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RICE_IMPACTS = (0.25, 0.5, 1.0, 2.0, 3.0)
MAX_INPUT = 1e9  # a reach of a billion people a quarter, a value of a billion points
MIN_DIVISOR = 0.01  # a hundredth of a person-month, of a job-size point


class ScoringError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Framework:
    name: str
    label: str
    inputs: tuple[str, ...]
    formula: str  # in words, for the workbook's About sheet and the task page


FRAMEWORKS: dict[str, Framework] = {
    f.name: f
    for f in (
        Framework("value_effort", "Value ÷ effort", ("impact", "effort"),
                  "impact (1–5) divided by effort (1–5)"),
        Framework("rice", "RICE", ("reach", "impact", "confidence", "effort"),
                  "reach × impact (0.25–3) × confidence (0–1) ÷ effort (person-months)"),
        Framework("ice", "ICE (product)", ("impact", "confidence", "ease"),
                  "impact × confidence × ease, each 1–10"),
        Framework("ice_mean", "ICE (mean)", ("impact", "confidence", "ease"),
                  "the mean of impact, confidence and ease, each 1–10"),
        Framework("wsjf", "WSJF", ("business_value", "time_criticality", "risk_reduction",
                                   "job_size"),
                  "(business value + time criticality + risk reduction) ÷ job size"),
    )
}  # fmt: skip


# The task's columns that hold the frameworks' own inputs (impact and effort aside), in the
# order forms and the action plan show them.
TASK_INPUT_COLUMNS = (
    "reach", "rice_impact", "confidence", "effort_months",
    "ice_impact", "ice_confidence", "ice_ease",
    "business_value", "time_criticality", "risk_reduction", "job_size",
)  # fmt: skip


def _number(inputs: Mapping[str, object], field: str) -> float:
    value = inputs[field]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScoringError(field, "must be a number")
    value = float(value)
    if not math.isfinite(value):
        raise ScoringError(field, "must be a finite number")
    return value


def _between(inputs, field: str, low: float, high: float, *, whole: bool = False) -> float:
    value = _number(inputs, field)
    if not low <= value <= high:
        raise ScoringError(field, f"must be between {low:g} and {high:g}")
    if whole and not value.is_integer():
        raise ScoringError(field, "must be a whole number")
    return value


def _positive(inputs, field: str) -> float:
    """A divisor: from MIN_DIVISOR to MAX_INPUT, so the quotient stays finite."""
    value = _number(inputs, field)
    if value <= 0:
        raise ScoringError(field, "must be greater than 0")
    if value < MIN_DIVISOR:
        raise ScoringError(field, f"must be at least {MIN_DIVISOR:g}")
    if value > MAX_INPUT:
        raise ScoringError(field, f"must be at most {MAX_INPUT:,.0f}")
    return value


def _not_negative(inputs, field: str) -> float:
    value = _number(inputs, field)
    if value < 0:
        raise ScoringError(field, "cannot be negative")
    if value > MAX_INPUT:
        raise ScoringError(field, f"must be at most {MAX_INPUT:,.0f}")
    return value


def _rice_impact(inputs, field: str) -> float:
    value = _number(inputs, field)
    if value not in RICE_IMPACTS:
        raise ScoringError(field, "must be one of 0.25, 0.5, 1, 2, 3")
    return value


def _scale(low: float, high: float, whole: bool = False):
    return lambda inputs, field: _between(inputs, field, low, high, whole=whole)


# The rule of every input of every framework: it returns the value or raises ScoringError.
RULES = {
    "value_effort": {"impact": _scale(1, 5, True), "effort": _scale(1, 5, True)},
    "rice": {"reach": _not_negative, "impact": _rice_impact, "confidence": _scale(0, 1),
             "effort": _positive},
    "ice": {"impact": _scale(1, 10), "confidence": _scale(1, 10), "ease": _scale(1, 10)},
    "ice_mean": {"impact": _scale(1, 10), "confidence": _scale(1, 10), "ease": _scale(1, 10)},
    "wsjf": {"business_value": _not_negative, "time_criticality": _not_negative,
             "risk_reduction": _not_negative, "job_size": _positive},
}  # fmt: skip


def check_input(framework: str, name: str, value: object) -> float:
    """Validate one input on its own (forms check each field as it is given)."""
    return RULES[framework][name]({name: value}, name)


def score(framework: str, inputs: Mapping[str, object]) -> float:
    """The exact score of `inputs` under `framework` (see the module docstring)."""
    if framework not in FRAMEWORKS:
        raise ScoringError("framework", f"unknown framework {framework!r}")
    expected = set(FRAMEWORKS[framework].inputs)
    if set(inputs) != expected:
        missing, extra = expected - set(inputs), set(inputs) - expected
        field = sorted(missing or extra)[0]
        raise ScoringError(field, "is missing" if missing else "is not an input of " + framework)
    v = {name: rule(inputs, name) for name, rule in RULES[framework].items()}
    if framework == "value_effort":
        return v["impact"] / v["effort"]
    if framework == "rice":
        return v["reach"] * v["impact"] * v["confidence"] / v["effort"]
    if framework == "ice":
        return v["impact"] * v["confidence"] * v["ease"]
    if framework == "ice_mean":
        return (v["impact"] + v["confidence"] + v["ease"]) / 3
    return (v["business_value"] + v["time_criticality"] + v["risk_reduction"]) / v["job_size"]


def format_score(value: float | None) -> str:
    """Two decimals, rounding half up as people expect (2.675 shows as 2.68)."""
    if value is None:
        return "—"
    if not math.isfinite(value) or abs(value) >= 1e15:  # only rows saved before the bounds
        return f"{value:.3g}"
    return str(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


QUADRANTS = {
    "quick_win": "Quick win",
    "major_project": "Major project",
    "fill_in": "Fill-in",
    "thankless": "Thankless task",
}


def quadrant(impact: int, effort: int, threshold: int = 3) -> str:
    """Impact/effort quadrant; a value at or above `threshold` counts as high."""
    high_impact, high_effort = impact >= threshold, effort >= threshold
    if high_impact:
        return "major_project" if high_effort else "quick_win"
    return "thankless" if high_effort else "fill_in"


def suggested_impact(pain: float, largest: float) -> int:
    """Map the pain a task addresses onto 1–5 against the workspace's largest cause."""
    if pain <= 0 or largest <= 0:
        return 1
    return 1 + round(4 * min(1.0, pain / largest))

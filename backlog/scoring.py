"""Scoring frameworks for improvement tasks. Pure: no Flask, no database.

Each framework is one record (`Framework`): its label, its inputs — each with the task
column that holds it, the action plan's column header and its rule — and its formula in
words, as an Excel formula over the inputs' cells, and as a function. Forms, services,
queries and both halves of the action plan take what they need from these records.

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
`round_score` (and `format_score`, its English text) rounds, half up, to two decimals for
display.

Labels, formulas in words, headers, quadrant names and the rules' messages are English and
marked with `N_` for the catalog: pages translate them where they are shown (this module
stays pure), and a `ScoringError` keeps its message's template and values for that.

>>> FRAMEWORKS["rice"].columns
('reach', 'rice_impact', 'confidence', 'effort_months')
>>> FRAMEWORKS["value_effort"].excel_formula({"impact": "J2", "effort": "K2"})
'=J2/K2'
>>> score("wsjf", {"business_value": 8, "time_criticality": 5, "risk_reduction": 3,
...                "job_size": 4})
4.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from backlog.kinds import N_

RICE_IMPACTS = (0.25, 0.5, 1.0, 2.0, 3.0)
MAX_INPUT = 1e9  # a reach of a billion people a quarter, a value of a billion points
MIN_DIVISOR = 0.01  # a hundredth of a person-month, of a job-size point
# A reach, confidence or value this small counts as 0 in a score, so no product or quotient
# is too small for a double (PostgreSQL refuses such an underflow; backlog/ordering.py
# computes the same scores in SQL).
NEGLIGIBLE = 1e-100


def negligible_as_zero(value: float) -> float:
    return 0.0 if value < NEGLIGIBLE else value


def plain_number(value: object) -> str:
    """A rule's bound as the English message prints it (0.01, 5, 1,000,000,000)."""
    if isinstance(value, float | int) and abs(value) >= 1e6:
        return f"{value:,.0f}"
    return f"{value:g}" if isinstance(value, float | int) else str(value)


class ScoringError(ValueError):
    """`message` in English; `template` (marked for the catalog, with %(name)s placeholders)
    and `params` (the values, numbers unformatted) let a page say it in the user's language."""

    def __init__(self, field: str, template: str, **params: object):
        self.field = field
        self.template = template
        self.params = params
        self.message = template % {k: plain_number(v) for k, v in params.items()}
        super().__init__(f"{field}: {self.message}")


def _number(inputs: Mapping[str, object], field: str) -> float:
    value = inputs[field]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScoringError(field, N_("must be a number"))
    value = float(value)
    if not math.isfinite(value):
        raise ScoringError(field, N_("must be a finite number"))
    return value


def _between(inputs, field: str, low: float, high: float, *, whole: bool = False) -> float:
    value = _number(inputs, field)
    if not low <= value <= high:
        raise ScoringError(field, N_("must be between %(low)s and %(high)s"), low=low, high=high)
    if whole and not value.is_integer():
        raise ScoringError(field, N_("must be a whole number"))
    return value


def _positive(inputs, field: str) -> float:
    """A divisor: from MIN_DIVISOR to MAX_INPUT, so the quotient stays finite."""
    value = _number(inputs, field)
    if value <= 0:
        raise ScoringError(field, N_("must be greater than 0"))
    if value < MIN_DIVISOR:
        raise ScoringError(field, N_("must be at least %(low)s"), low=MIN_DIVISOR)
    if value > MAX_INPUT:
        raise ScoringError(field, N_("must be at most %(high)s"), high=MAX_INPUT)
    return value


def _not_negative(inputs, field: str) -> float:
    value = _number(inputs, field)
    if value < 0:
        raise ScoringError(field, N_("cannot be negative"))
    if value > MAX_INPUT:
        raise ScoringError(field, N_("must be at most %(high)s"), high=MAX_INPUT)
    return value


def _rice_impact(inputs, field: str) -> float:
    value = _number(inputs, field)
    if value not in RICE_IMPACTS:
        raise ScoringError(field, N_("must be one of %(values)s"), values="0.25, 0.5, 1, 2, 3")
    return value


def _scale(low: float, high: float, whole: bool = False):
    return lambda inputs, field: _between(inputs, field, low, high, whole=whole)


Rule = Callable[[Mapping[str, object], str], float]  # the value, or ScoringError


@dataclass(frozen=True)
class Input:
    """One input of a framework: its name in the framework's formula, the task column that
    holds it, its column header in the action plan, and its rule."""

    name: str
    column: str
    header: str
    rule: Rule

    def check(self, value: object) -> float:
        """`value` checked on its own (forms check each field as it is given)."""
        return self.rule({self.name: value}, self.name)


@dataclass(frozen=True)
class Framework:
    """A scoring framework: everything the app knows of it, in one place."""

    name: str
    label: str
    inputs: tuple[Input, ...]  # in the order of the formula
    formula: str  # in words, for the workbook's About sheet and the task page
    excel: str  # the Excel formula over the inputs' cells, as {input name} placeholders
    compute: Callable[[Mapping[str, float]], float]  # the score of checked inputs

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)

    @property
    def columns(self) -> tuple[str, ...]:
        """The task columns that hold the inputs, in the inputs' order."""
        return tuple(i.column for i in self.inputs)

    def excel_formula(self, cells: Mapping[str, str]) -> str:
        """The score as an Excel formula; `cells` maps each input name to its cell (`J2`)."""
        return self.excel.format(**cells)


# impact and effort are every task's own (its quadrant needs them); the other inputs are
# the frameworks' own
IMPACT = Input("impact", "impact", N_("Impact"), _scale(1, 5, True))
EFFORT = Input("effort", "effort", N_("Effort"), _scale(1, 5, True))
ICE = (
    Input("impact", "ice_impact", N_("ICE impact"), _scale(1, 10)),
    Input("confidence", "ice_confidence", N_("ICE confidence"), _scale(1, 10)),
    Input("ease", "ice_ease", N_("ICE ease"), _scale(1, 10)),
)

FRAMEWORKS: dict[str, Framework] = {
    f.name: f
    for f in (
        Framework(
            "value_effort",
            N_("Value ÷ effort"),
            (IMPACT, EFFORT),
            N_("impact (1–5) divided by effort (1–5)"),
            "={impact}/{effort}",
            lambda v: v["impact"] / v["effort"],
        ),
        Framework(
            "rice",
            N_("RICE"),
            (
                Input("reach", "reach", N_("RICE reach"), _not_negative),
                Input("impact", "rice_impact", N_("RICE impact"), _rice_impact),
                Input("confidence", "confidence", N_("RICE confidence"), _scale(0, 1)),
                Input("effort", "effort_months", N_("RICE effort (person-months)"), _positive),
            ),
            N_("reach × impact (0.25–3) × confidence (0–1) ÷ effort (person-months)"),
            "={reach}*{impact}*{confidence}/{effort}",
            lambda v: (
                negligible_as_zero(v["reach"])
                * v["impact"]
                * negligible_as_zero(v["confidence"])
                / v["effort"]
            ),
        ),
        Framework(
            "ice",
            N_("ICE (product)"),
            ICE,
            N_("impact × confidence × ease, each 1–10"),
            "={impact}*{confidence}*{ease}",
            lambda v: v["impact"] * v["confidence"] * v["ease"],
        ),
        Framework(
            "ice_mean",
            N_("ICE (mean)"),
            ICE,
            N_("the mean of impact, confidence and ease, each 1–10"),
            "=AVERAGE({impact},{confidence},{ease})",
            lambda v: (v["impact"] + v["confidence"] + v["ease"]) / 3,
        ),
        Framework(
            "wsjf",
            N_("WSJF"),
            (
                Input("business_value", "business_value", N_("Business value"), _not_negative),
                Input(
                    "time_criticality", "time_criticality", N_("Time criticality"), _not_negative
                ),
                Input("risk_reduction", "risk_reduction", N_("Risk reduction"), _not_negative),
                Input("job_size", "job_size", N_("Job size"), _positive),
            ),
            N_("(business value + time criticality + risk reduction) ÷ job size"),
            "=({business_value}+{time_criticality}+{risk_reduction})/{job_size}",
            lambda v: (
                (
                    negligible_as_zero(v["business_value"])
                    + negligible_as_zero(v["time_criticality"])
                    + negligible_as_zero(v["risk_reduction"])
                )
                / v["job_size"]
            ),
        ),
    )
}

# A workspace's default framework as the activity feed says it when it changes
# (accounts.audit_words.register_value_words, at app creation).
VALUE_WORDS = {"backlog_settings.framework": {name: f.label for name, f in FRAMEWORKS.items()}}

# Every framework's own inputs (impact and effort aside), each once, in the order forms and
# the action plan show them, and the task columns that hold them.
TASK_INPUTS: tuple[Input, ...] = tuple(
    {
        i.column: i for f in FRAMEWORKS.values() for i in f.inputs if i not in (IMPACT, EFFORT)
    }.values()
)
TASK_INPUT_COLUMNS = tuple(i.column for i in TASK_INPUTS)


def score(framework: str, inputs: Mapping[str, object]) -> float:
    """The exact score of `inputs` under `framework` (see the module docstring)."""
    if framework not in FRAMEWORKS:
        raise ScoringError("framework", N_("unknown framework %(name)s"), name=repr(framework))
    f = FRAMEWORKS[framework]
    expected = set(f.names)
    if set(inputs) != expected:
        missing, extra = expected - set(inputs), set(inputs) - expected
        field = sorted(missing or extra)[0]
        if missing:
            raise ScoringError(field, N_("is missing"))
        raise ScoringError(field, N_("is not an input of %(name)s"), name=framework)
    return f.compute({i.name: i.rule(inputs, i.name) for i in f.inputs})


def round_score(value: float | None) -> Decimal | None:
    """The score as shown: two decimals, rounding half up as people expect (2.675 shows as
    2.68); None for none, and for a value no two decimals can show (only rows saved before
    the bounds), which `format_score` prints as it is. Pages format it in the reader's
    language (2,68 in Polish)."""
    if value is None or not math.isfinite(value) or abs(value) >= 1e15:
        return None
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_score(value: float | None) -> str:
    """`round_score` as English text ("—" for none)."""
    if value is None:
        return "—"
    rounded = round_score(value)
    return f"{value:.3g}" if rounded is None else str(rounded)


QUADRANTS = {
    "quick_win": N_("Quick win"),
    "major_project": N_("Major project"),
    "fill_in": N_("Fill-in"),
    "thankless": N_("Thankless task"),
}


UNRANKED = "–"  # an unscored task's place in the ranking: after the ranked, without a number


def rank(position: int, ranked: int) -> int | None:
    """The backlog rank of the task at `position` (0-based) of the backlog's order, whose
    first `ranked` tasks are scored: 1..ranked for those, None for the unscored after them.
    The backlog, the matrix, the summary and the action plan all number tasks with it.

    >>> [rank(i, 2) for i in range(3)]
    [1, 2, None]
    """
    return position + 1 if position < ranked else None


def rank_label(value: int | None) -> str:
    """A rank as the pages and the workbook's chart print it ("–" for the unscored)."""
    return UNRANKED if value is None else str(value)


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

"""The backlog's order in SQL, so the database sorts and pages and only the shown page
becomes objects: each framework's score and the rules of its inputs as SQL expressions over
the task's columns, and the quadrant as a condition.

They mirror backlog.scoring exactly: the same bounds (scoring.MAX_INPUT, MIN_DIVISOR,
RICE_IMPACTS), the same operations in the same order on double-precision floats, so the
database's score equals `backlog.services.task_score` to the last bit and both sort alike
(tests/backlog/test_ordering.py checks it on SQLite and PostgreSQL). A task whose inputs
are missing or break a rule (a row saved before the inputs were bounded) has no score:
NULL here, None there.
"""

from __future__ import annotations

from sqlalchemy import Float, and_, case, cast, false, literal
from sqlalchemy.sql.elements import ColumnElement

from backlog.models import ImprovementTask as T
from backlog.scoring import MAX_INPUT, MIN_DIVISOR, NEGLIGIBLE, RICE_IMPACTS

__all__ = ["in_quadrant", "score"]


def _f(column) -> ColumnElement[float]:
    return cast(column, Float)  # REAL on SQLite, double precision on PostgreSQL


def _n(column) -> ColumnElement[float]:  # scoring.negligible_as_zero
    return case((_f(column) < NEGLIGIBLE, literal(0.0)), else_=_f(column))


def _between(column, low: float, high: float) -> ColumnElement[bool]:
    # NULL, and NaN (PostgreSQL sorts it above every number; SQLite stores it as NULL), fail
    return and_(column.is_not(None), column >= low, column <= high)


def _counts(column) -> ColumnElement[bool]:  # scoring._not_negative
    return _between(column, 0, MAX_INPUT)


def _divisor(column) -> ColumnElement[bool]:  # scoring._positive
    return _between(column, MIN_DIVISOR, MAX_INPUT)


def _formula(framework: str) -> tuple[ColumnElement[bool], ColumnElement[float]]:
    """(the inputs follow the framework's rules, its score) as scoring.score computes it."""
    if framework == "value_effort":
        return (
            and_(_between(T.impact, 1, 5), _between(T.effort, 1, 5)),
            _f(T.impact) / _f(T.effort),
        )
    if framework == "rice":
        return (
            and_(
                _counts(T.reach),
                T.rice_impact.in_(RICE_IMPACTS),
                _between(T.confidence, 0, 1),
                _divisor(T.effort_months),
            ),
            _n(T.reach) * _f(T.rice_impact) * _n(T.confidence) / _f(T.effort_months),
        )
    ice = and_(
        _between(T.ice_impact, 1, 10),
        _between(T.ice_confidence, 1, 10),
        _between(T.ice_ease, 1, 10),
    )
    if framework == "ice":
        return ice, _f(T.ice_impact) * _f(T.ice_confidence) * _f(T.ice_ease)
    if framework == "ice_mean":
        return ice, (_f(T.ice_impact) + _f(T.ice_confidence) + _f(T.ice_ease)) / literal(3.0)
    if framework == "wsjf":
        return (
            and_(
                _counts(T.business_value),
                _counts(T.time_criticality),
                _counts(T.risk_reduction),
                _divisor(T.job_size),
            ),
            (_n(T.business_value) + _n(T.time_criticality) + _n(T.risk_reduction)) / _f(T.job_size),
        )
    raise ValueError(f"unknown framework {framework!r}")


def score(framework: str) -> ColumnElement[float | None]:
    """The task's exact score under `framework`, NULL when unscored."""
    valid, formula = _formula(framework)
    return case((valid, formula), else_=None)


def in_quadrant(quadrant: str, threshold: int) -> ColumnElement[bool]:
    """The task is in `quadrant` (scoring.quadrant: at or above `threshold` is high)."""
    high_impact, high_effort = T.impact >= threshold, T.effort >= threshold
    quadrants = {
        "quick_win": and_(high_impact, ~high_effort),
        "major_project": and_(high_impact, high_effort),
        "fill_in": and_(~high_impact, ~high_effort),
        "thankless": and_(~high_impact, high_effort),
    }
    return quadrants.get(quadrant, false())

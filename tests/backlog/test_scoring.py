"""Scoring formulas against published worked examples, validation, rounding, quadrants."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlog.scoring import (
    RICE_IMPACTS,
    ScoringError,
    format_score,
    quadrant,
    score,
    suggested_impact,
)


def test_rice_intercom_three_projects():
    # Intercom's RICE article (Sean McBride, 2016) scores three example projects.
    project_1 = score("rice", {"reach": 450, "impact": 2, "confidence": 1.0, "effort": 1})
    project_2 = score("rice", {"reach": 2000, "impact": 1, "confidence": 0.5, "effort": 3})
    project_3 = score("rice", {"reach": 800, "impact": 3, "confidence": 0.8, "effort": 1})
    assert project_1 == 900
    assert format_score(project_2) == "333.33"
    assert project_3 == pytest.approx(1920)
    assert sorted([project_1, project_2, project_3], reverse=True) == [
        project_3,
        project_1,
        project_2,
    ]


def test_rice_commonly_quoted_example():
    assert score("rice", {"reach": 2000, "impact": 2, "confidence": 0.8, "effort": 4}) == 800


def test_ice_wsjf_and_value_effort():
    assert score("ice", {"impact": 8, "confidence": 7, "ease": 5}) == 280
    assert score("ice_mean", {"impact": 8, "confidence": 7, "ease": 6}) == 7
    # SAFe: cost of delay (BV + TC + RR|OE) divided by job size
    assert (
        score(
            "wsjf", {"business_value": 8, "time_criticality": 5, "risk_reduction": 3, "job_size": 4}
        )
        == 4
    )
    assert score("value_effort", {"impact": 5, "effort": 2}) == 2.5


@pytest.mark.parametrize(
    "framework, inputs, field",
    [
        ("value_effort", {"impact": 5, "effort": 0}, "effort"),
        ("value_effort", {"impact": 6, "effort": 1}, "impact"),
        ("value_effort", {"impact": 2.5, "effort": 1}, "impact"),
        ("rice", {"reach": 10, "impact": 1, "confidence": 1.2, "effort": 1}, "confidence"),
        ("rice", {"reach": -1, "impact": 1, "confidence": 1, "effort": 1}, "reach"),
        ("rice", {"reach": 10, "impact": 1.5, "confidence": 1, "effort": 1}, "impact"),
        ("rice", {"reach": 10, "impact": 1, "confidence": 1, "effort": 0}, "effort"),
        ("ice", {"impact": 11, "confidence": 1, "ease": 1}, "impact"),
        ("ice_mean", {"impact": 1, "confidence": 0, "ease": 1}, "confidence"),
        (
            "wsjf",
            {"business_value": 1, "time_criticality": 1, "risk_reduction": -1, "job_size": 1},
            "risk_reduction",
        ),
        (
            "wsjf",
            {"business_value": 1, "time_criticality": 1, "risk_reduction": 1, "job_size": 0},
            "job_size",
        ),
        ("rice", {"reach": 10, "impact": 1, "confidence": 1}, "effort"),
        ("ice", {"impact": 1, "confidence": 1, "ease": 1, "extra": 1}, "extra"),
        ("ice", {"impact": "high", "confidence": 1, "ease": 1}, "impact"),
    ],
)
def test_out_of_range_inputs_are_refused_naming_the_field(framework, inputs, field):
    with pytest.raises(ScoringError) as raised:
        score(framework, inputs)
    assert raised.value.field == field


def test_unknown_framework():
    with pytest.raises(ScoringError):
        score("moscow", {})


@pytest.mark.parametrize(
    "value, shown",
    [
        (2.675, "2.68"),
        (2.665, "2.67"),
        (1 / 3, "0.33"),
        (2.5, "2.50"),
        (0, "0.00"),
        (1920, "1920.00"),
        (None, "—"),
    ],
)
def test_format_score_rounds_half_up(value, shown):
    assert format_score(value) == shown


@pytest.mark.parametrize(
    "impact, effort, expected",
    [
        (3, 2, "quick_win"),
        (5, 1, "quick_win"),
        (3, 3, "major_project"),
        (5, 5, "major_project"),
        (2, 2, "fill_in"),
        (1, 1, "fill_in"),
        (2, 3, "thankless"),
        (1, 5, "thankless"),
    ],
)
def test_quadrant_boundaries_at_the_default_threshold(impact, effort, expected):
    assert quadrant(impact, effort) == expected


def test_quadrant_threshold_moves_the_boundary():
    assert quadrant(3, 3, threshold=4) == "fill_in"
    assert quadrant(4, 3, threshold=4) == "quick_win"


def test_suggested_impact_maps_onto_one_to_five():
    assert suggested_impact(0, 100) == 1
    assert suggested_impact(100, 100) == 5
    assert suggested_impact(250, 100) == 5
    assert suggested_impact(50, 100) == 3
    assert suggested_impact(10, 0) == 1


whole_1_5 = st.integers(1, 5)
one_ten = st.floats(1, 10)


@given(whole_1_5, whole_1_5, whole_1_5)
def test_value_effort_monotone(impact, effort, other):
    if other >= impact:
        assert score("value_effort", {"impact": other, "effort": effort}) >= score(
            "value_effort", {"impact": impact, "effort": effort}
        )
    if other >= effort:
        assert score("value_effort", {"impact": impact, "effort": other}) <= score(
            "value_effort", {"impact": impact, "effort": effort}
        )


@given(
    st.floats(0, 1e6),
    st.sampled_from(RICE_IMPACTS),
    st.sampled_from(RICE_IMPACTS),
    st.floats(0, 1),
    st.floats(0.01, 1000),
    st.floats(0.01, 1000),
)
def test_rice_more_impact_never_lowers_more_effort_never_raises(reach, i1, i2, conf, e1, e2):
    low_i, high_i = sorted([i1, i2])
    low_e, high_e = sorted([e1, e2])
    base = {"reach": reach, "confidence": conf}
    assert score("rice", {**base, "impact": high_i, "effort": low_e}) >= score(
        "rice", {**base, "impact": low_i, "effort": low_e}
    )
    assert score("rice", {**base, "impact": low_i, "effort": high_e}) <= score(
        "rice", {**base, "impact": low_i, "effort": low_e}
    )


@given(one_ten, one_ten, one_ten, one_ten)
def test_ice_more_impact_or_ease_never_lowers(a, b, c, d):
    for framework in ("ice", "ice_mean"):
        lo, hi = sorted([a, d])
        assert score(framework, {"impact": hi, "confidence": b, "ease": c}) >= score(
            framework, {"impact": lo, "confidence": b, "ease": c}
        )
        assert score(framework, {"impact": b, "confidence": c, "ease": hi}) >= score(
            framework, {"impact": b, "confidence": c, "ease": lo}
        )


@given(
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0, 100),
    st.floats(0.1, 100),
    st.floats(0.1, 100),
)
def test_wsjf_bigger_job_never_raises(bv, tc, rr, j1, j2):
    small, big = sorted([j1, j2])
    base = {"business_value": bv, "time_criticality": tc, "risk_reduction": rr}
    assert score("wsjf", {**base, "job_size": big}) <= score("wsjf", {**base, "job_size": small})

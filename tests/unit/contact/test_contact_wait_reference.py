"""Erlang C staffing against an exact reference: rationals and factorials, no shortcuts.

The results are built without re-validation on a fast path; these tests check that what comes
out is the same model pydantic would build from the same values, and that every number agrees
with the textbook formulas to 1e-9 for small teams (1 to 10 agents) and beyond.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.contact import (
    StaffingResult,
    UnboundedWait,
    WaitEstimate,
    agents_needed,
    estimate_wait,
)
from walletsupport.errors import InvalidInputError


def _p_wait(agents: int, traffic: Fraction) -> Fraction:
    """ERLANG_C_PWAIT, exactly: ``A^N/N! · N/(N−A)`` over ``Σ_{k<N} A^k/k! + that``."""
    top = traffic**agents / math.factorial(agents) * Fraction(agents) / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return top / bottom


def _service_level(agents: int, traffic: Fraction, rate: float) -> float:
    return 1.0 - float(_p_wait(agents, traffic)) * math.exp(-(agents - float(traffic)) * rate)


def _reference_staffing(
    traffic: Fraction, aht: float, target: float, goal: float, max_occ: float, shrink: float
) -> tuple[int, int] | None:
    """(raw, scheduled) agents, or None when the target sits within 1e-12 of a boundary."""
    n = math.floor(traffic) + 1
    while True:
        sl = _service_level(n, traffic, target / aht)
        if abs(sl - goal) < 1e-12:
            return None  # a tie floating point may break either way
        if sl >= goal:
            break
        n += 1
    occ_n = math.ceil(traffic / Fraction(max_occ)) if max_occ < 1 else n
    if occ_n <= traffic:
        occ_n = math.floor(traffic) + 1
    if traffic / n > Fraction(max_occ):
        if (
            abs(float(traffic / Fraction(max_occ)) - round(float(traffic / Fraction(max_occ))))
            < 1e-8
        ):
            return None  # the 1e-9 tolerance of the ceiling decides
        n = max(n, occ_n)
    scheduled = n / (1 - Fraction(shrink))
    if abs(float(scheduled) - round(float(scheduled))) < 1e-8:
        return None
    return n, max(n, math.ceil(scheduled))


def _close(ours: float, exact: float) -> bool:
    return math.isclose(ours, exact, rel_tol=1e-9, abs_tol=1e-12)


def _check_estimate(est: WaitEstimate, traffic: Fraction, aht: float, target: float) -> None:
    n = est.agents
    p = _p_wait(n, traffic)
    a = float(traffic)
    assert _close(est.probability_of_waiting, float(p))
    assert _close(est.answered_immediately, float(1 - p))
    assert _close(est.service_level, _service_level(n, traffic, target / aht))
    assert _close(est.average_speed_of_answer_seconds, float(p * Fraction(aht) / (n - traffic)))
    assert _close(est.occupancy, float(traffic / n))
    assert (est.traffic, est.aht_seconds, est.target_seconds) == (a, aht, target)


def _same_as_validated(result: StaffingResult | WaitEstimate) -> None:
    """The result is exactly the model pydantic validates from its own fields."""
    again = type(result).model_validate(result.model_dump())
    assert again == result
    assert again.model_dump() == result.model_dump()
    assert result.model_fields_set == set(type(result).model_fields)
    assert type(result).model_validate_json(result.model_dump_json()) == result


small_traffic = (
    st.fractions(min_value=Fraction(1, 100), max_value=Fraction(995, 100))
    .map(lambda f: f.limit_denominator(1000))
    .filter(lambda f: f > 0)
)


@settings(max_examples=200)
@given(
    traffic=small_traffic,
    aht=st.sampled_from([30.0, 60.0, 180.0, 240.0, 600.0]),
    target=st.sampled_from([0.0, 10.0, 20.0, 60.0]),
    goal=st.floats(min_value=0.05, max_value=0.99),
    max_occ=st.sampled_from([1.0, 0.95, 0.85, 0.7, 0.5]),
    shrink=st.sampled_from([0.0, 0.1, 0.3, 0.35]),
)
def test_small_team_staffing_equals_the_exact_reference(
    traffic, aht, target, goal, max_occ, shrink
):
    expected = _reference_staffing(traffic, aht, target, goal, max_occ, shrink)
    result = agents_needed(
        traffic=float(traffic),
        aht_seconds=aht,
        target_seconds=target,
        service_level=goal,
        max_occupancy=max_occ,
        shrinkage=shrink,
    )
    if expected is not None:
        assert (result.raw_agents, result.scheduled_agents) == expected
    assert result.shrinkage == shrink
    assert result.estimate.agents == result.raw_agents
    _check_estimate(result.estimate, Fraction(float(traffic)), aht, target)
    _same_as_validated(result)
    _same_as_validated(result.estimate)


@settings(max_examples=100)
@given(
    traffic=small_traffic,
    extra=st.integers(min_value=1, max_value=6),
    aht=st.floats(min_value=1, max_value=3600),
    target=st.floats(min_value=0, max_value=600),
)
def test_small_team_estimate_equals_the_exact_reference(traffic, extra, aht, target):
    n = math.floor(traffic) + extra
    est = estimate_wait(agents=n, traffic=float(traffic), aht_seconds=aht, target_seconds=target)
    assert isinstance(est, WaitEstimate)
    _check_estimate(est, Fraction(float(traffic)), aht, target)
    _same_as_validated(est)


def test_int_arguments_give_the_same_result_as_floats():
    as_int = agents_needed(traffic=4, aht_seconds=180, target_seconds=20)
    as_float = agents_needed(traffic=4.0, aht_seconds=180.0, target_seconds=20.0)
    assert as_int == as_float
    assert type(as_int.estimate.aht_seconds) is float
    assert type(as_int.estimate.traffic) is float


@pytest.mark.parametrize(
    "kwargs",
    [
        {"traffic": math.nan},
        {"traffic": math.inf},
        {"traffic": -1.0},
        {"traffic": True},
        {"traffic": "2.0"},
        {"traffic": 2.0, "aht_seconds": math.nan},
        {"traffic": 2.0, "aht_seconds": 0.0},
        {"traffic": 2.0, "aht_seconds": math.inf},
        {"traffic": 2.0, "target_seconds": -0.0001},
        {"traffic": 2.0, "target_seconds": math.nan},
        {"traffic": 2.0, "service_level": math.nan},
        {"traffic": 2.0, "service_level": 1.0},
        {"traffic": 2.0, "max_occupancy": 1.0000001},
        {"traffic": 2.0, "max_occupancy": math.nan},
        {"traffic": 2.0, "shrinkage": math.nan},
        {"traffic": 2.0, "shrinkage": 1.0},
        {"traffic": 2e6},
    ],
)
def test_bad_float_arguments_are_refused_on_the_fast_path_too(kwargs):
    with pytest.raises(InvalidInputError):
        agents_needed(**{"aht_seconds": 180.0, **kwargs})


def test_unbounded_wait_is_the_validated_model():
    wait = estimate_wait(agents=3, traffic=3.5, aht_seconds=180.0)
    assert isinstance(wait, UnboundedWait)
    assert UnboundedWait.model_validate(wait.model_dump()) == wait

"""Erlang C: worked cases from reference/queueing.md, properties, staffing, time bands."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from walletsupport.contact import (
    QueueBand,
    QueueParameters,
    QueueWait,
    UnboundedWait,
    WaitEstimate,
    agents_needed,
    erlang_b,
    erlang_c,
    estimate_wait,
    offered_traffic,
    wait_at,
)
from walletsupport.errors import InvalidInputError, NaiveDatetimeError

# id, calls, interval, aht, N, t, A, occupancy, P_w, SL, ASA, answered immediately
WORKED_CASES = [
    ("cch_N11", 100, 1800, 180, 11, 20, 10.0, 0.909091, 0.682118, 0.389614, 122.781277, 0.317882),
    ("cch_N12", 100, 1800, 180, 12, 20, 10.0, 0.833333, 0.449388, 0.640158, 40.444940, 0.550612),
    ("cch_N13", 100, 1800, 180, 13, 20, 10.0, 0.769231, 0.285270, 0.795595, 17.116227, 0.714730),
    ("cch_N14", 100, 1800, 180, 14, 20, 10.0, 0.714286, 0.174132, 0.888350, 7.835937, 0.825868),
    ("lucid_N15", 100, 1800, 180, 15, 20, 10.0, 0.666667, 0.102042, 0.941453, 3.673525, 0.897958),
    ("mitan_N55", 360, 1800, 240, 55, 15, 48.0, 0.872727, 0.238701, 0.845883, 8.184032, 0.761299),
]


def _textbook_p_wait(agents: int, traffic: Fraction) -> float:
    """ERLANG_C_PWAIT with exact rationals and factorials."""
    top = traffic**agents / math.factorial(agents) * Fraction(agents) / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents)) + top
    return float(top / bottom)


@pytest.mark.parametrize(
    ("case", "calls", "interval", "aht", "n", "t", "a", "occ", "pw", "sl", "asa", "imm"),
    WORKED_CASES,
    ids=[c[0] for c in WORKED_CASES],
)
def test_estimate_matches_every_worked_case_to_1e_6(
    case, calls, interval, aht, n, t, a, occ, pw, sl, asa, imm
):
    traffic = offered_traffic(calls, interval, aht)
    assert traffic == pytest.approx(a, abs=1e-12)
    est = estimate_wait(agents=n, traffic=traffic, aht_seconds=aht, target_seconds=t)
    assert isinstance(est, WaitEstimate)
    assert est.occupancy == pytest.approx(occ, abs=1e-6)
    assert est.probability_of_waiting == pytest.approx(pw, abs=1e-6)
    assert est.service_level == pytest.approx(sl, abs=1e-6)
    assert est.average_speed_of_answer_seconds == pytest.approx(asa, abs=1e-6)
    assert est.answered_immediately == pytest.approx(imm, abs=1e-6)


def test_published_call_centre_helper_staffing_with_shrinkage_is_twenty():
    result = agents_needed(traffic=10.0, aht_seconds=180, target_seconds=20, shrinkage=0.3)
    assert (result.raw_agents, result.scheduled_agents) == (14, 20)
    assert result.estimate.service_level == pytest.approx(0.888350, abs=1e-6)


@pytest.mark.parametrize(
    ("max_occupancy", "raw", "positions", "sl", "occ", "pw"),
    [
        (0.85, 14, 20, 0.887853, 0.714286, 0.174132),
        (0.70, 15, 22, 0.941127, 0.666667, 0.102042),
    ],
)
def test_staffing_matches_pyworkforce_table_with_max_occupancy(
    max_occupancy, raw, positions, sl, occ, pw
):
    result = agents_needed(
        traffic=10.0,
        aht_seconds=180,
        target_seconds=19.8,
        service_level=0.8,
        max_occupancy=max_occupancy,
        shrinkage=0.3,
    )
    assert (result.raw_agents, result.scheduled_agents) == (raw, positions)
    assert result.estimate.service_level == pytest.approx(sl, abs=1e-6)
    assert result.estimate.occupancy == pytest.approx(occ, abs=1e-6)
    assert result.estimate.probability_of_waiting == pytest.approx(pw, abs=1e-6)


def test_lucid_manager_ninety_percent_needs_fifteen_agents():
    assert agents_needed(traffic=10.0, aht_seconds=180, service_level=0.9).raw_agents == 15


def test_traffic_at_or_above_agents_is_an_unbounded_wait_not_an_error():
    for agents, traffic in [(10, 10.0), (10, 12.5), (0, 0.0), (0, 3.0)]:
        result = estimate_wait(agents=agents, traffic=traffic, aht_seconds=180)
        assert isinstance(result, UnboundedWait)
        assert result.probability_of_waiting == 1.0
    assert erlang_c(10, 10.0) == 1.0


def test_queue_wait_round_trips_through_json_by_kind():
    adapter: TypeAdapter[WaitEstimate | UnboundedWait] = TypeAdapter(QueueWait)
    for value in (
        estimate_wait(agents=14, traffic=10.0, aht_seconds=180),
        estimate_wait(agents=3, traffic=4.0, aht_seconds=180),
    ):
        assert adapter.validate_json(adapter.dump_json(value)) == value


def test_thousands_of_agents_stay_finite_and_sensible():
    est = estimate_wait(agents=5000, traffic=4900.0, aht_seconds=300)
    assert isinstance(est, WaitEstimate)
    assert 0.0 < est.probability_of_waiting < 1.0
    assert math.isfinite(est.average_speed_of_answer_seconds)
    big = agents_needed(traffic=20_000.0, aht_seconds=300)
    assert 20_000 < big.raw_agents < 20_200


def test_zero_traffic_never_waits():
    est = estimate_wait(agents=1, traffic=0.0, aht_seconds=60)
    assert isinstance(est, WaitEstimate)
    assert est.probability_of_waiting == 0.0
    assert est.service_level == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"agents": -1, "traffic": 1.0, "aht_seconds": 60},
        {"agents": True, "traffic": 1.0, "aht_seconds": 60},
        {"agents": 2.0, "traffic": 1.0, "aht_seconds": 60},
        {"agents": 2, "traffic": -1.0, "aht_seconds": 60},
        {"agents": 2, "traffic": math.nan, "aht_seconds": 60},
        {"agents": 2, "traffic": math.inf, "aht_seconds": 60},
        {"agents": 2, "traffic": "1", "aht_seconds": 60},
        {"agents": 2, "traffic": 1.0, "aht_seconds": 0},
        {"agents": 2, "traffic": 1.0, "aht_seconds": 60, "target_seconds": -5},
    ],
)
def test_bad_arguments_raise_invalid_input(kwargs):
    with pytest.raises(InvalidInputError):
        estimate_wait(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"traffic": 0.0},
        {"traffic": 5.0, "service_level": 1.0},
        {"traffic": 5.0, "service_level": 0.0},
        {"traffic": 5.0, "max_occupancy": 0.0},
        {"traffic": 5.0, "max_occupancy": 1.5},
        {"traffic": 5.0, "shrinkage": 1.0},
        {"traffic": 5.0, "shrinkage": -0.1},
    ],
)
def test_staffing_rejects_out_of_range_targets(kwargs):
    with pytest.raises(InvalidInputError):
        agents_needed(aht_seconds=180, **kwargs)


# --- properties -------------------------------------------------------------------------------

traffics = st.floats(min_value=0.01, max_value=3000, allow_nan=False, allow_infinity=False)


@given(agents=st.integers(min_value=0, max_value=4000), traffic=traffics)
def test_probability_of_waiting_is_a_probability(agents, traffic):
    assert 0.0 <= erlang_c(agents, traffic) <= 1.0
    assert 0.0 <= erlang_b(agents, traffic) <= 1.0


@given(traffic=traffics, extra=st.integers(min_value=1, max_value=200))
def test_probability_of_waiting_decreases_with_more_agents(traffic, extra):
    n = math.floor(traffic) + extra
    assert erlang_c(n + 1, traffic) <= erlang_c(n, traffic)
    assert erlang_b(n + 1, traffic) <= erlang_b(n, traffic)


@given(
    traffic=traffics,
    extra=st.integers(min_value=1, max_value=100),
    aht=st.floats(min_value=1, max_value=3600),
    target=st.floats(min_value=0, max_value=600),
)
def test_estimate_is_consistent(traffic, extra, aht, target):
    n = math.floor(traffic) + extra
    est = estimate_wait(agents=n, traffic=traffic, aht_seconds=aht, target_seconds=target)
    assert isinstance(est, WaitEstimate)
    assert est.average_speed_of_answer_seconds >= 0
    assert 1 - est.probability_of_waiting <= est.service_level + 1e-12
    assert est.answered_immediately == pytest.approx(1 - est.probability_of_waiting)
    assert est.occupancy == pytest.approx(traffic / n)


@given(
    agents=st.integers(min_value=1, max_value=40),
    numerator=st.integers(min_value=1, max_value=4000),
)
def test_recursion_agrees_with_textbook_factorial_formula_for_small_n(agents, numerator):
    traffic = Fraction(numerator, 100)
    if traffic >= agents:
        assert erlang_c(agents, float(traffic)) == 1.0
    else:
        expected = _textbook_p_wait(agents, traffic)
        assert erlang_c(agents, float(traffic)) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=30)
@given(
    traffic=st.floats(min_value=0.05, max_value=800),
    aht=st.floats(min_value=10, max_value=1200),
    goal=st.floats(min_value=0.05, max_value=0.99),
)
def test_staffing_is_the_fewest_agents_meeting_the_target(traffic, aht, goal):
    result = agents_needed(traffic=traffic, aht_seconds=aht, service_level=goal)
    n = result.raw_agents
    assert result.estimate.service_level >= goal
    if n - 1 > traffic:
        fewer = estimate_wait(agents=n - 1, traffic=traffic, aht_seconds=aht)
        assert isinstance(fewer, WaitEstimate)
        assert fewer.service_level < goal


# --- time bands -------------------------------------------------------------------------------


def test_overlapping_bands_are_refused():
    with pytest.raises(InvalidInputError, match="overlap"):
        QueueParameters.model_validate(
            {
                "aht_seconds": 180,
                "bands": [
                    {"start": "08:00", "end": "12:00", "agents": 3, "calls_per_hour": 10},
                    {"start": "11:00", "end": "18:00", "agents": 3, "calls_per_hour": 10},
                ],
            }
        )


def test_overnight_band_overlapping_next_morning_is_refused():
    with pytest.raises(InvalidInputError, match="overlap"):
        QueueParameters(
            aht_seconds=180,
            bands=(
                QueueBand(start=time(22), end=time(7), days=("sun",), agents=1, calls_per_hour=1),
                QueueBand(start=time(6), end=time(9), days=("mon",), agents=1, calls_per_hour=1),
            ),
        )


def test_band_times_need_minute_precision():
    with pytest.raises(InvalidInputError):
        QueueBand(start=time(9, 0, 30), end=time(17), agents=1, calls_per_hour=1)


WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]


def test_wait_at_picks_the_band_for_the_local_time():
    params = QueueParameters.model_validate(
        {
            "aht_seconds": 180,
            "bands": [
                {
                    "start": "09:00",
                    "end": "12:00",
                    "days": WEEKDAYS,
                    "agents": 14,
                    "calls_per_hour": 200,
                },
                {
                    "start": "12:00",
                    "end": "17:00",
                    "days": WEEKDAYS,
                    "agents": 11,
                    "calls_per_hour": 200,
                },
                {
                    "start": "10:00",
                    "end": "14:00",
                    "days": ["sat"],
                    "agents": 3,
                    "calls_per_hour": 0,
                },
            ],
        }
    )
    monday_morning = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York
    monday_afternoon = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # 13:00 in New York
    saturday = datetime(2026, 3, 7, 16, 0, tzinfo=UTC)
    morning = wait_at(params, monday_morning, zone="America/New_York")
    afternoon = wait_at(params, monday_afternoon, zone="America/New_York")
    weekend = wait_at(params, saturday, zone="America/New_York")
    assert isinstance(morning, WaitEstimate)
    assert morning.agents == 14
    assert isinstance(afternoon, WaitEstimate)
    assert afternoon.agents == 11
    assert afternoon.average_speed_of_answer_seconds > morning.average_speed_of_answer_seconds
    assert isinstance(weekend, WaitEstimate)
    assert weekend.probability_of_waiting == 0.0
    assert wait_at(params, datetime(2026, 3, 2, 3, 0, tzinfo=UTC), zone="America/New_York") is None


def test_wait_at_rejects_naive_times_bad_zones_and_bad_sources():
    params = QueueParameters(aht_seconds=60)
    with pytest.raises(NaiveDatetimeError):
        wait_at(params, datetime(2026, 3, 2, 9))
    with pytest.raises(InvalidInputError):
        wait_at(params, datetime(2026, 3, 2, 9, tzinfo=UTC), zone="Mars/Olympus_Mons")
    with pytest.raises(InvalidInputError):
        wait_at("line", datetime(2026, 3, 2, 9, tzinfo=UTC))  # type: ignore[arg-type]


def test_wait_at_a_line_uses_the_line_zone_and_its_bands():
    from walletsupport.contact import sample_directory

    line = sample_directory().get("acme-us-main")
    monday_10_ny = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
    est = wait_at(line, monday_10_ny)
    assert isinstance(est, WaitEstimate)
    assert est.agents == 40
    assert wait_at(line, datetime(2026, 1, 5, 3, 0, tzinfo=UTC)) is None  # 22:00 in New York

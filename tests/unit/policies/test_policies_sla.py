"""SLA targets: business time on a schedule, paused while waiting on the customer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.calendars.schedule import Schedule
from walletsupport.errors import InvalidInputError, NaiveDatetimeError
from walletsupport.policies.sla import PRIORITY_SLA, STANDARD_SLA, SlaPolicy, sla_due_at

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday
DESK = Schedule.weekdays("UTC")  # Mon-Fri 09:00-17:00

starts = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
)
targets = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2))


@given(start=starts, target=targets)
def test_without_pauses_a_24_7_target_is_plain_addition(start, target):
    assert sla_due_at(target, start) == start + target


@given(start=starts, target=targets, spans=st.lists(st.tuples(gaps, gaps), max_size=4))
def test_pauses_before_the_deadline_push_it_back_by_their_length(start, target, spans):
    pauses, cursor, paused = [], start, timedelta(0)
    for before, length in spans:
        begin = cursor + before
        if begin - start - paused >= target:
            break  # this pause would start after the deadline
        pauses.append((begin, begin + length))
        cursor, paused = begin + length, paused + length
    assert sla_due_at(target, start, pauses) == start + target + paused


@given(start=starts, target=targets, wait=gaps)
def test_an_open_pause_before_the_deadline_stops_the_clock(start, target, wait):
    result = sla_due_at(target, start, [(start + wait, None)])
    assert result is None if wait < target else result == start + target


@given(start=starts, hours=st.integers(min_value=0, max_value=80))
def test_on_a_schedule_the_deadline_is_exactly_the_target_in_business_time(start, hours):
    target = timedelta(hours=hours)
    due = sla_due_at(target, start, schedule=DESK)
    assert due is not None
    assert DESK.business_time_between(start, due) == target


def test_a_friday_afternoon_ticket_is_due_on_monday():
    friday = datetime(2026, 1, 9, 15, 0, tzinfo=UTC)
    assert sla_due_at(timedelta(hours=4), friday, schedule=DESK) == datetime(
        2026, 1, 12, 11, 0, tzinfo=UTC
    )


def test_the_presets_order_first_reply_before_resolution():
    for preset in (STANDARD_SLA, PRIORITY_SLA):
        assert preset.first_reply <= preset.resolution
    assert PRIORITY_SLA.first_reply < STANDARD_SLA.first_reply


def test_a_policy_uses_its_schedule():
    policy = SlaPolicy(first_reply=timedelta(hours=1), resolution=timedelta(hours=8), schedule=DESK)
    saturday = datetime(2026, 1, 10, 10, 0, tzinfo=UTC)
    assert policy.due_at(policy.first_reply, saturday) == datetime(2026, 1, 12, 10, 0, tzinfo=UTC)


def test_overlapping_pauses_are_invalid():
    pauses = [(T0, T0 + timedelta(hours=2)), (T0 + timedelta(hours=1), T0 + timedelta(hours=3))]
    with pytest.raises(InvalidInputError):
        sla_due_at(timedelta(hours=8), T0, pauses)


def test_a_pause_ending_before_it_starts_is_invalid():
    with pytest.raises(InvalidInputError):
        sla_due_at(timedelta(hours=8), T0, [(T0 + timedelta(hours=2), T0 + timedelta(hours=1))])


def test_a_negative_target_is_invalid():
    with pytest.raises(InvalidInputError):
        sla_due_at(timedelta(hours=-1), T0)


def test_a_naive_start_is_refused():
    with pytest.raises(NaiveDatetimeError):
        sla_due_at(timedelta(hours=1), datetime(2026, 1, 5, 9, 0))

"""A schedule's caches stay bounded, and the arithmetic fast path equals the exact conversion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.calendars._timeline import (
    MAX_CACHED_BLOCKS,
    MAX_CACHED_DAYS,
    MAX_CACHED_YEARS,
)
from walletsupport.calendars._zone import Zone

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Africa/Casablanca",
    "Asia/Shanghai",
    "America/Santiago",
    "Pacific/Apia",
    "Asia/Tehran",
]


def _weekdays() -> Schedule:
    day = [("09:00", "17:00")]
    return Schedule.model_validate(
        {
            "zone": "America/New_York",
            "hours": dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), day),
            "holiday_calendar": HolidayCalendar(country="US"),
        }
    )


def test_a_schedule_asked_about_every_century_keeps_bounded_caches() -> None:
    schedule = _weekdays()
    for year in range(10, 9990, 37):
        at = datetime(year, 6, 15, 12, tzinfo=UTC)
        schedule.next_open(at)
        schedule.add_business_time(at, timedelta(hours=20))
        schedule.is_business_day(at.date())
    timeline = schedule._timeline()
    assert len(timeline._blocks) <= MAX_CACHED_BLOCKS
    assert len(timeline._years) <= MAX_CACHED_YEARS
    assert len(timeline._business_days) <= MAX_CACHED_DAYS


def test_answers_do_not_depend_on_what_was_evicted() -> None:
    schedule = _weekdays()
    at = datetime(2026, 3, 6, 16, tzinfo=UTC)
    first = schedule.add_business_time(at, timedelta(hours=30))
    for year in range(100, 9000, 101):  # push 2026 out of every cache
        schedule.next_open(datetime(year, 1, 5, tzinfo=UTC))
    assert schedule.add_business_time(at, timedelta(hours=30)) == first
    assert first == _weekdays().add_business_time(at, timedelta(hours=30))


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    seconds=st.integers(0, 2 * 86_400 - 1),
)
def test_steady_offsets_convert_exactly_like_the_first_reach_rule(
    zone: str, start: date, seconds: int
) -> None:
    z = Zone(zone)
    last = start + timedelta(days=370)
    steady = z.steady_offsets(start, last)
    epoch = date(1970, 1, 1).toordinal()
    day = start
    while day <= last:
        offset = steady.get(day)
        if offset is not None:
            fast = (day.toordinal() - epoch) * 86_400_000_000 + seconds * 1_000_000 - offset
            assert fast == z.wall_to_us(day, seconds), (zone, day, seconds)
        day += timedelta(days=9)

"""Business-day arithmetic by whole weeks agrees with a day-by-day walk of the same schedule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.errors import NeverOpenError

SCHEDULES = [
    Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar.federal_reserve()),
    Schedule.weekdays("Asia/Shanghai", holiday_calendar=HolidayCalendar(country="CN")),
    Schedule.weekdays(
        "Europe/London", holiday_calendar=HolidayCalendar(country="GB", subdivision="SCT")
    ),
    Schedule.weekdays("Europe/Berlin", "00:00", "24:00", days="mon-sat"),
    # a night shift with a break that crosses midnight, and a DST gap swallowing a short span
    Schedule(
        zone="America/New_York",
        hours={
            "sun": [("02:00", "02:30")],
            "mon": [("22:00", "06:00")],
            "wed": [("09:00", "17:00")],
        },
        breaks={"mon": [("23:00", "01:00")]},
        holidays=[date(2026, 3, 4), date(2027, 3, 3)],
        overrides={date(2026, 3, 7): [("10:00", "12:00")], date(2027, 1, 6): []},
        dated_breaks={date(2026, 3, 11): [("09:00", "17:00")]},
    ),
]


def walked_nth(schedule: Schedule, day: date, n: int) -> date:
    step = timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        day += step
        left -= schedule.is_business_day(day)
    return day


def walked_count(schedule: Schedule, a: date, b: date) -> int:
    return sum(schedule.is_business_day(a + timedelta(days=i)) for i in range((b - a).days))


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2029, 12, 31))


@settings(max_examples=150, deadline=None)
@given(schedule=st.sampled_from(SCHEDULES), day=days, n=st.integers(-300, 300).filter(bool))
def test_nth_business_day_matches_the_walk(schedule, day, n):
    assert schedule.business_days_after(day, n) == walked_nth(schedule, day, n)


@settings(max_examples=150, deadline=None)
@given(schedule=st.sampled_from(SCHEDULES), a=days, length=st.integers(0, 800))
def test_count_matches_the_walk(schedule, a, length):
    b = a + timedelta(days=length)
    assert schedule.count_business_days(a, b) == walked_count(schedule, a, b)
    assert schedule.count_business_days(b, a) == -walked_count(schedule, a, b)


@settings(max_examples=60, deadline=None)
@given(schedule=st.sampled_from(SCHEDULES), day=days, n=st.integers(1, 10_000))
def test_count_inverts_nth(schedule, day, n):
    last = schedule.business_days_after(day, n)
    assert schedule.is_business_day(last)
    assert schedule.count_business_days(day + timedelta(days=1), last + timedelta(days=1)) == n


def test_a_schedule_that_never_opens_raises():
    with pytest.raises(NeverOpenError):
        Schedule(zone="UTC", hours={"mon": [("09:00", "17:00")]}, holidays=[]).business_days_after(
            date(2026, 1, 1), 10**6
        )
    with pytest.raises(NeverOpenError):
        Schedule(zone="UTC").business_days_after(date(2026, 1, 1), 1)

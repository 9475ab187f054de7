"""A block built week-pattern-first equals the block built date by date from each day's plan.

The reference is the plain definition: every local date's own spans and breaks
(``Timeline.day_plan``), each wall time converted by the first-reach rule
(``Zone.wall_to_us``), all merged, the breaks cut out, clipped to the block.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.calendars._timeline import (
    BLOCK_US,
    MAX_CACHED_BLOCKS,
    MAX_CACHED_DAYS,
    MAX_CACHED_YEARS,
    Timeline,
    _merge,
    _subtract,
)
from walletsupport.calendars._zone import to_us
from walletsupport.errors import InvalidScheduleError

ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Africa/Casablanca",
    "Asia/Shanghai",
    "America/Santiago",
    "Pacific/Apia",
    "Asia/Tehran",
    "UTC",
]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _reference_spans(timeline: Timeline, k: int) -> list[tuple[int, int]]:
    lo, hi = k * BLOCK_US, (k + 1) * BLOCK_US
    day = timeline.local_date(lo) - timedelta(days=2)
    last = timeline.local_date(hi - 1)
    wall = timeline.zone.wall_to_us
    opens: list[tuple[int, int]] = []
    cuts: list[tuple[int, int]] = []
    while day <= last:
        spans, brks = timeline.day_plan(day)
        opens += [(wall(day, s), wall(day, e)) for s, e in spans]
        cuts += [(wall(day, s), wall(day, e)) for s, e in brks]
        day += timedelta(days=1)
    opens = [p for p in opens if p[0] < p[1]]
    cuts = [p for p in cuts if p[0] < p[1]]
    clipped = [(max(s, lo), min(e, hi)) for s, e in opens if e > lo and s < hi]
    return _subtract(_merge(clipped), _merge(cuts))


def _hhmm(quarter: int) -> str:
    return f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"


@st.composite
def _spans(draw: st.DrawFn) -> list[tuple[str, str]]:
    count = draw(st.integers(0, 2))
    if count == 0:
        return []
    bounds = sorted(draw(st.sets(st.integers(0, 95), min_size=2 * count, max_size=2 * count)))
    spans = [(_hhmm(bounds[i]), _hhmm(bounds[i + 1])) for i in range(0, 2 * count, 2)]
    if draw(st.booleans()):  # a night shift into the next day
        start = spans[-1][0]
        spans[-1] = (start, _hhmm(draw(st.integers(0, int(start[:2]) * 4))))
    return spans


@st.composite
def _schedules(draw: st.DrawFn) -> tuple[Schedule, int]:
    year = draw(st.integers(1900, 2100))
    around = date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
    dates = st.integers(-200, 600).map(lambda n: around + timedelta(days=n))
    hours = {d: s for d in DAYS if (s := draw(_spans()))} or {"mon": [("09:00", "17:00")]}
    breaks = {}
    for d, spans in hours.items():
        q0, q1 = (int(t[:2]) * 4 + int(t[3:]) // 15 for t in spans[0])
        if q1 - q0 >= 3 and draw(st.booleans()):  # a break inside the first span
            q = draw(st.integers(q0 + 1, q1 - 2))
            breaks[d] = [(_hhmm(q), _hhmm(q + 1))]
    overridden = draw(st.lists(dates, max_size=3))
    data: dict[str, Any] = {
        "zone": draw(st.sampled_from(ZONES)),
        "hours": hours,
        "breaks": breaks,
        "holidays": [d.isoformat() for d in draw(st.lists(dates, max_size=4))],
        "overrides": {d.isoformat(): draw(_spans()) for d in overridden},
        "dated_breaks": {
            d.isoformat(): [(_hhmm(q), _hhmm(q + 2))]
            for d, q in draw(st.lists(st.tuples(dates, st.integers(0, 93)), max_size=3))
            if d not in overridden
        },
    }
    calendar = draw(st.sampled_from([None, "US", "CN", "GB"]))
    if calendar is not None:
        data["holiday_calendar"] = HolidayCalendar(country=calendar)
        if calendar == "CN" and draw(st.booleans()):
            data["makeup_day_hours"] = draw(_spans()) or [("10:00", "16:00")]
    try:
        schedule = Schedule.model_validate(data)
    except InvalidScheduleError:
        assume(False)
    at = datetime(around.year, around.month, around.day, 12, tzinfo=UTC)
    return schedule, to_us(at) // BLOCK_US + draw(st.integers(-1, 1))


@settings(max_examples=150, deadline=None)
@given(case=_schedules())
def test_every_block_equals_the_day_by_day_definition(case: tuple[Schedule, int]) -> None:
    schedule, k = case
    timeline = schedule._timeline()
    block = timeline.block(k)
    expected = _reference_spans(timeline, k)
    assert list(zip(block.starts, block.ends, strict=True)) == expected
    assert block.total == sum(e - s for s, e in expected)


def test_a_schedule_queried_across_its_whole_range_keeps_every_cache_bounded() -> None:
    schedule = Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))
    for year in range(5, 9990, 7):
        at = datetime(year, 3, 10, 12, tzinfo=UTC)
        schedule.next_open(at)
        schedule.add_business_time(at, timedelta(hours=8))
        schedule.is_business_day(at.date())
    timeline = schedule._timeline()
    assert len(timeline._blocks) <= MAX_CACHED_BLOCKS
    assert len(timeline._years) <= MAX_CACHED_YEARS
    assert len(timeline._business_days) <= MAX_CACHED_DAYS
    for cache in vars(timeline).values():  # any cache the timeline holds is bounded too
        if isinstance(cache, dict):
            assert len(cache) <= MAX_CACHED_DAYS


def test_a_block_with_more_listed_dates_than_days_equals_the_definition() -> None:
    start = date(2025, 6, 1)
    many = [start + timedelta(days=n) for n in range(900)]
    schedule = Schedule.model_validate(
        {
            "zone": "Europe/London",
            "hours": {d: [("09:00", "17:00")] for d in ("mon", "tue", "wed", "thu", "fri")},
            "holidays": [d.isoformat() for d in many[::3]],
            "overrides": {d.isoformat(): [("10:00", "12:00")] for d in many[1::3]},
            "dated_breaks": {d.isoformat(): [("13:00", "14:00")] for d in many[2::3]},
        }
    )
    timeline = schedule._timeline()
    for year in (2025, 2026, 2027):
        k = to_us(datetime(year, 7, 1, tzinfo=UTC)) // BLOCK_US
        block = timeline.block(k)
        assert list(zip(block.starts, block.ends, strict=True)) == _reference_spans(timeline, k)


@pytest.mark.parametrize(
    "calendar",
    [
        HolidayCalendar(country="US"),
        HolidayCalendar.federal_reserve(),
        HolidayCalendar(country="US", subdivision="CA"),
        HolidayCalendar(country="CN"),
        HolidayCalendar(country="GB"),
        HolidayCalendar(country="DE", subdivision="BY"),
        HolidayCalendar(country="IN"),
    ],
    ids=lambda c: f"{c.country}-{c.subdivision}-{c.observance}",
)
def test_a_schedule_s_holiday_years_are_the_calendar_s_own_at_every_year(
    calendar: HolidayCalendar,
) -> None:
    """Years the package has no holidays for are answered without asking it: same answer."""
    timeline = Schedule.weekdays("UTC", holiday_calendar=calendar)._timeline()
    span = timeline.holiday_years_span()
    assert span is not None  # these entities generate by the package's own year range
    start, end = span
    years = [3, 4, 5, 1000, 1776, 1777, 1778, 1899, 1900, 1901, 2026, 2099, 2100, 2101, 5000]
    years += [start - 1, start, start + 1, end - 1, end, end + 1, 9996]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # some entities warn about years they barely cover
        for year in sorted(set(years)):
            assert timeline.holiday_year(year) == calendar.year(year), year


def test_years_without_package_holidays_are_not_generated(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    real = HolidayCalendar.year

    def counting(self: HolidayCalendar, year: int) -> Any:
        asked.append(year)
        return real(self, year)

    monkeypatch.setattr(HolidayCalendar, "year", counting)
    schedule = Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))
    schedule.next_open(datetime(5000, 3, 2, 12, tzinfo=UTC))
    assert asked == []
    schedule.next_open(datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert sorted(asked) == [2025, 2026]

"""DST and holidays: gaps, overlaps, night shifts, 24/7, China's holidays and make-up days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from walletsupport.calendars import HolidayCalendar, Schedule

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
LONDON = ZoneInfo("Europe/London")
SHANGHAI = ZoneInfo("Asia/Shanghai")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def same(a: datetime, b: datetime) -> bool:
    """Same instant. (PEP 495: an ambiguous local time never == a datetime in another zone.)"""
    return a.astimezone(UTC) == b.astimezone(UTC)


def local_day(tz: ZoneInfo, day: date) -> tuple[datetime, datetime]:
    nxt = day + timedelta(days=1)
    return (
        datetime(day.year, day.month, day.day, tzinfo=tz),
        datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz),
    )


# --- 24/7 across DST: a day is as long as the wall clock makes it --------------------------


@pytest.mark.parametrize(
    ("tz", "day", "length"),
    [
        (NY, date(2026, 3, 8), timedelta(hours=23)),
        (NY, date(2026, 11, 1), timedelta(hours=25)),
        (LONDON, date(2026, 3, 29), timedelta(hours=23)),
        (LONDON, date(2026, 10, 25), timedelta(hours=25)),
        (LA, date(2026, 3, 8), timedelta(hours=23)),
        (LA, date(2026, 11, 1), timedelta(hours=25)),
        (SHANGHAI, date(2026, 3, 8), timedelta(hours=24)),  # no DST since 1991
        (SHANGHAI, date(1988, 4, 17), timedelta(hours=23)),  # China's DST, 1986-1991
        (SHANGHAI, date(1988, 9, 11), timedelta(hours=25)),
        (LORD_HOWE, date(2026, 4, 5), timedelta(hours=24, minutes=30)),  # 30-minute DST
        (LORD_HOWE, date(2026, 10, 4), timedelta(hours=23, minutes=30)),
    ],
)
def test_a_24_7_day_lasts_as_long_as_the_wall_clock_day(
    tz: ZoneInfo, day: date, length: timedelta
) -> None:
    s = Schedule.always_open(str(tz.key))
    start, end = local_day(tz, day)
    assert s.business_time_between(start, end) == length
    assert s.is_open(start)
    assert s.add_business_time(start, length) == end


def test_a_24_7_schedule_adds_real_time_across_a_transition() -> None:
    s = Schedule.always_open("America/New_York")
    at = datetime(2026, 3, 8, 1, 30, tzinfo=NY)
    assert s.add_business_time(at, timedelta(hours=1)) == datetime(2026, 3, 8, 3, 30, tzinfo=NY)
    assert s.subtract_business_time(
        datetime(2026, 3, 8, 3, 30, tzinfo=NY), timedelta(hours=1)
    ) == datetime(2026, 3, 8, 1, 30, tzinfo=NY)


# --- overnight shifts across DST ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "night", "length"),
    [
        ("America/New_York", date(2026, 3, 7), timedelta(hours=7)),  # Sat 22:00 EST - 06:00 EDT
        ("America/New_York", date(2026, 10, 31), timedelta(hours=9)),
        ("America/Los_Angeles", date(2026, 3, 7), timedelta(hours=7)),
        ("America/Los_Angeles", date(2026, 10, 31), timedelta(hours=9)),
        ("Europe/London", date(2026, 3, 28), timedelta(hours=7)),
        ("Europe/London", date(2026, 10, 24), timedelta(hours=9)),
        ("Australia/Lord_Howe", date(2026, 4, 4), timedelta(hours=8, minutes=30)),
        ("Australia/Lord_Howe", date(2026, 10, 3), timedelta(hours=7, minutes=30)),
        ("Asia/Shanghai", date(2026, 3, 7), timedelta(hours=8)),
    ],
)
def test_a_night_shift_across_a_transition_lasts_real_time(
    zone: str, night: date, length: timedelta
) -> None:
    s = Schedule(zone=zone, hours={"sat": [("22:00", "06:00")]})
    tz = ZoneInfo(zone)
    opens = datetime(night.year, night.month, night.day, 22, tzinfo=tz)
    spans = list(s.periods(opens - timedelta(hours=1), opens + timedelta(hours=12)))
    assert len(spans) == 1
    assert same(spans[0].start, opens)
    assert spans[0].duration == length
    closes = spans[0].end.astimezone(tz)
    assert (closes.hour, closes.minute) == (6, 0)
    assert s.next_close(opens) == spans[0].end


# --- gaps and overlaps: the first-reach rule ----------------------------------------------------


def test_an_opening_inside_a_spring_forward_gap_is_the_transition_instant() -> None:
    s = Schedule(zone="America/New_York", hours={"sun": [("02:30", "04:00")]})
    transition = utc(2026, 3, 8, 7)  # 02:00 EST becomes 03:00 EDT
    assert s.next_open(utc(2026, 3, 8)) == transition
    assert s.is_open(transition)
    assert not s.is_open(transition - timedelta(microseconds=1))
    assert s.business_time_between(utc(2026, 3, 8), utc(2026, 3, 9)) == timedelta(hours=1)


def test_a_closing_inside_a_gap_is_the_transition_instant() -> None:
    s = Schedule(zone="Europe/London", hours={"sun": [("00:30", "01:30")]})
    assert s.next_close(utc(2026, 3, 29)) == utc(2026, 3, 29, 1)
    assert s.business_time_between(utc(2026, 3, 29), utc(2026, 3, 30)) == timedelta(minutes=30)


def test_an_ambiguous_opening_is_its_first_occurrence() -> None:
    s = Schedule(zone="America/New_York", hours={"sun": [("01:30", "03:00")]})
    first = utc(2026, 11, 1, 5, 30)  # 01:30 EDT; 01:30 EST would be 06:30Z
    answer = s.next_open(utc(2026, 11, 1))
    assert same(answer, first)
    assert answer.fold == 0
    assert answer.utcoffset() == timedelta(hours=-4)
    assert same(s.next_close(first), utc(2026, 11, 1, 8))  # 03:00 EST
    assert s.business_time_between(utc(2026, 11, 1), utc(2026, 11, 2)) == timedelta(
        hours=2, minutes=30
    )


def test_lord_howe_half_hour_gap_and_overlap() -> None:
    s = Schedule(zone="Australia/Lord_Howe", hours={"sun": [("01:00", "03:00")]})
    # 2026-10-04: 02:00 +10:30 becomes 02:30 +11, so 01:00-03:00 lasts 90 minutes
    spring = local_day(LORD_HOWE, date(2026, 10, 4))
    assert s.business_time_between(*spring) == timedelta(minutes=90)
    # 2026-04-05: 02:00 +11 becomes 01:30 +10:30, so 01:00-03:00 lasts 150 minutes
    autumn = local_day(LORD_HOWE, date(2026, 4, 5))
    assert s.business_time_between(*autumn) == timedelta(minutes=150)
    gap = Schedule(zone="Australia/Lord_Howe", hours={"sun": [("02:10", "04:00")]})
    assert gap.next_open(spring[0]) == datetime(2026, 10, 4, 2, 30, tzinfo=LORD_HOWE)


def test_weekday_hours_add_across_spring_forward_weekend() -> None:
    s = Schedule.weekdays("America/New_York")
    friday = datetime(2026, 3, 6, 16, tzinfo=NY)
    assert s.add_business_time(friday, timedelta(hours=2)) == datetime(2026, 3, 9, 10, tzinfo=NY)
    assert s.business_time_between(friday, datetime(2026, 3, 9, 10, tzinfo=NY)) == timedelta(
        hours=2
    )


def test_inputs_in_other_zones_are_converted_and_answers_come_back_local() -> None:
    s = Schedule.weekdays("America/Los_Angeles")
    at = datetime(2026, 3, 9, 17, 30, tzinfo=LONDON)  # 10:30 PDT
    assert s.is_open(at)
    answer = s.add_business_time(at, timedelta(minutes=30))
    assert answer == datetime(2026, 3, 9, 11, tzinfo=LA)
    assert answer.utcoffset() == timedelta(hours=-7)


# --- China: holidays and make-up working days, 2024-2026 -------------------------------------


@pytest.fixture(scope="module")
def china() -> Schedule:
    return Schedule(
        zone="Asia/Shanghai",
        hours={d: [("09:00", "18:00")] for d in ("mon", "tue", "wed", "thu", "fri")},
        breaks={d: [("12:00", "13:30")] for d in ("mon", "tue", "wed", "thu", "fri")},
        holiday_calendar=HolidayCalendar(country="CN"),
    )


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_china_business_days_follow_the_holidays_package(china: Schedule, year: int) -> None:
    generated = holidays.country_holidays("CN", years=year)
    workdays = {d for d in generated.weekend_workdays if d.year == year}
    assert workdays, "the package lists make-up days for this year"
    day = date(year, 1, 1)
    while day.year == year:
        expected = day in workdays or (day.weekday() < 5 and day not in generated)
        assert china.is_business_day(day) is expected, day
        assert china.is_holiday(day) is (day in generated), day
        day += timedelta(days=1)


@pytest.mark.parametrize(
    ("day", "is_open_at_ten"),
    [
        (date(2024, 2, 4), True),  # Sunday make-up day before the Spring Festival
        (date(2024, 2, 12), False),  # Spring Festival
        (date(2024, 10, 7), False),  # National Day week
        (date(2024, 10, 12), True),  # Saturday make-up day
        (date(2025, 1, 26), True),  # Sunday make-up day
        (date(2025, 1, 28), False),  # Spring Festival eve
        (date(2025, 10, 11), True),
        (date(2026, 2, 14), True),  # Saturday make-up day
        (date(2026, 2, 17), False),  # Spring Festival
        (date(2026, 10, 10), True),
    ],
)
def test_china_known_dates(china: Schedule, day: date, is_open_at_ten: bool) -> None:
    at = datetime(day.year, day.month, day.day, 10, tzinfo=SHANGHAI)
    assert china.is_open(at) is is_open_at_ten


def test_a_make_up_day_uses_monday_hours_and_breaks_by_default(china: Schedule) -> None:
    sunday = datetime(2025, 1, 26, tzinfo=SHANGHAI)
    spans = list(china.periods(sunday, sunday + timedelta(days=1)))
    assert [(p.start.hour, p.start.minute, p.end.hour, p.end.minute) for p in spans] == [
        (9, 0, 12, 0),
        (13, 30, 18, 0),
    ]


def test_explicit_make_up_hours_replace_monday_hours() -> None:
    s = Schedule(
        zone="Asia/Shanghai",
        hours={"mon": [("09:00", "18:00")]},
        holiday_calendar=HolidayCalendar(country="CN"),
        makeup_day_hours=[("10:00", "12:00")],
    )
    sunday = datetime(2025, 1, 26, tzinfo=SHANGHAI)
    assert s.business_time_between(sunday, sunday + timedelta(days=1)) == timedelta(hours=2)


def test_an_override_reopens_a_generated_holiday() -> None:
    s = Schedule(
        zone="Asia/Shanghai",
        hours={d: [("09:00", "18:00")] for d in ("mon", "tue", "wed", "thu", "fri")},
        holiday_calendar=HolidayCalendar(country="CN"),
        overrides={date(2026, 10, 2): [("10:00", "16:00")]},
    )
    assert s.is_business_day(date(2026, 10, 2))
    assert not s.is_business_day(date(2026, 10, 1))
    assert s.is_holiday(date(2026, 10, 2))


def test_business_time_skips_the_national_day_week(china: Schedule) -> None:
    before = datetime(2025, 9, 30, 17, tzinfo=SHANGHAI)
    # 1 h on Sep 30, then closed Oct 1-8, Saturday Oct 11 is a make-up day
    assert china.add_business_time(before, timedelta(hours=2)) == datetime(
        2025, 10, 9, 10, tzinfo=SHANGHAI
    )
    assert china.business_days_after(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert china.business_days_after(date(2025, 10, 10), 1) == date(2025, 10, 11)


def test_us_federal_holidays_close_the_day() -> None:
    s = Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))
    assert not s.is_business_day(date(2026, 11, 26))  # Thanksgiving
    assert s.count_business_days(date(2026, 11, 23), date(2026, 11, 30)) == 4
    assert s.add_business_days(datetime(2026, 11, 25, 12, tzinfo=NY), 1) == datetime(
        2026, 11, 27, 12, tzinfo=NY
    )


def test_holiday_years_are_generated_lazily_per_instance() -> None:
    s = Schedule.weekdays("Asia/Shanghai", holiday_calendar=HolidayCalendar(country="CN"))
    other = Schedule.weekdays("Asia/Shanghai", holiday_calendar=HolidayCalendar(country="CN"))
    s.is_business_day(date(2026, 5, 1))
    assert set(s._timeline()._years) == {2026}
    assert len(other._timeline()._years) == 0

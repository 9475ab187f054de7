"""Schedule: the data model, validation, and cases transcribed from biz's spec suite.

The biz cases use biz's spec schedule (UTC; Mon/Wed/Fri 09-17, Tue/Thu 10-16, Sat 11-14:30)
and its dates in January 2006 (2006-01-01 is a Sunday). Expected values were worked out from
biz's documented behaviour; where our product rules differ (signed durations, overrides win
over holidays) the test says so.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from walletsupport.calendars import (
    HolidayCalendar,
    Interval,
    NeverClosesError,
    Schedule,
    Weekday,
)
from walletsupport.errors import (
    ConfigurationError,
    InvalidInputError,
    InvalidScheduleError,
    NaiveDatetimeError,
    NeverOpenError,
)

BIZ_HOURS = {
    "mon": [("09:00", "17:00")],
    "tue": [("10:00", "16:00")],
    "wed": [("09:00", "17:00")],
    "thu": [("10:00", "16:00")],
    "fri": [("09:00", "17:00")],
    "sat": [("11:00", "14:30")],
}


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def biz() -> Schedule:
    return Schedule(zone="Etc/UTC", hours=BIZ_HOURS)


# --- the model -----------------------------------------------------------------------------


def test_schedule_accepts_the_documented_data_form() -> None:
    s = Schedule(
        zone="America/New_York",
        hours={"mon": [("09:00", "17:00")], "tue": [(time(9), time(17))]},
        breaks={"mon": [("12:00", "13:00")]},
        dated_breaks={date(2026, 5, 1): [("12:00", "13:00")]},
        holidays=[date(2026, 12, 25), date(2026, 12, 25)],
        holiday_calendar=HolidayCalendar(country="CN", subdivision=None),
        makeup_day_hours=None,
        overrides={date(2026, 12, 24): [("09:00", "13:00")], date(2026, 12, 26): []},
    )
    assert s.hours[Weekday.TUE] == (("09:00", "17:00"),)
    assert s.holidays == (date(2026, 12, 25),)
    assert s.overrides[date(2026, 12, 26)] == ()


def test_plain_data_with_string_dates_validates_and_round_trips_through_json() -> None:
    plain = {
        "zone": "Asia/Shanghai",
        "hours": {"mon": [["9:00", "18:00"]], "sat": [["22:00", "06:00"]]},
        "breaks": {"mon": [["12:00", "13:00"]]},
        "dated_breaks": {"2026-05-01": [["12:00", "13:00"]]},
        "holidays": ["2026-12-25"],
        "holiday_calendar": {"country": "CN"},
        "makeup_day_hours": [["09:00", "17:30"]],
        "overrides": {"2026-12-24": [["09:00", "13:00"]], "2026-12-26": []},
    }
    s = Schedule.model_validate(plain)
    assert s.hours[Weekday.MON] == (("09:00", "18:00"),)
    assert s.dated_breaks == {date(2026, 5, 1): (("12:00", "13:00"),)}
    again = Schedule.model_validate_json(s.model_dump_json())
    assert again == s
    assert hash(again) == hash(s)


def test_json_schema_names_every_field() -> None:
    schema = Schedule.model_json_schema()
    assert set(schema["properties"]) == {
        "zone",
        "hours",
        "breaks",
        "dated_breaks",
        "holidays",
        "holiday_calendar",
        "makeup_day_hours",
        "overrides",
    }


def test_schedule_is_frozen() -> None:
    s = Schedule.always_open()
    with pytest.raises(ValueError, match="frozen"):
        s.zone = "UTC"  # type: ignore[misc]


def test_a_copy_with_another_zone_answers_in_its_own_zone() -> None:
    s = Schedule.weekdays("UTC")
    s.is_open(utc(2026, 1, 5, 9))  # compile and cache
    moved = s.model_copy(update={"zone": "Asia/Tokyo"})
    assert not moved.is_open(utc(2026, 1, 5, 9))  # 18:00 in Tokyo
    assert copy.deepcopy(s) == s


def test_weekdays_constructor_reads_ranges_and_lists() -> None:
    s = Schedule.weekdays("UTC", "08:00", "12:00", days="fri-mon,wed")
    assert sorted(d.value for d in s.hours) == ["fri", "mon", "sat", "sun", "wed"]
    with pytest.raises(InvalidScheduleError, match="weekday"):
        Schedule.weekdays("UTC", days="mon-funday")


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"zone": "Nowhere/Land"}, "unknown IANA time zone"),
        ({"zone": ""}, "unknown IANA time zone"),
        ({"zone": "UTC", "hours": {"mon": [("25:00", "26:00")]}}, "out of range"),
        ({"zone": "UTC", "hours": {"mon": [("9am", "5pm")]}}, "HH:MM"),
        ({"zone": "UTC", "hours": {"mon": [("24:00", "02:00")]}}, "cannot start at 24:00"),
        ({"zone": "UTC", "hours": {"funday": [("09:00", "17:00")]}}, "hours"),
        (
            {"zone": "UTC", "hours": {"mon": [("09:00", "13:00"), ("12:00", "17:00")]}},
            "overlap",
        ),
        (
            {"zone": "UTC", "hours": {"mon": [("20:00", "08:00"), ("21:00", "22:00")]}},
            "overlap",
        ),
        (
            {
                "zone": "UTC",
                "hours": {"mon": [("09:00", "17:00")]},
                "breaks": {"mon": [("18:00", "19:00")]},
            },
            "outside that day's hours",
        ),
        (
            {
                "zone": "UTC",
                "overrides": {date(2026, 1, 5): [("09:00", "10:00")]},
                "dated_breaks": {date(2026, 1, 5): [("12:00", "13:00")]},
            },
            "outside that date's override hours",
        ),
        ({"zone": "UTC", "holiday_calendar": {"country": "XX"}}, "holidays package"),
        (
            {"zone": "UTC", "holiday_calendar": {"country": "US", "subdivision": "ZZ"}},
            "holidays package",
        ),
    ],
)
def test_a_broken_definition_raises_invalid_schedule_error(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidScheduleError, match=message) as info:
        Schedule.model_validate(kwargs)
    assert isinstance(info.value, ConfigurationError)
    assert info.value.__cause__ is None


def test_the_constructor_raises_the_same_typed_error() -> None:
    with pytest.raises(InvalidScheduleError, match="overlap"):
        Schedule(zone="UTC", hours={"tue": [("09:00", "12:00"), ("11:00", "13:00")]})


def test_a_break_that_cuts_the_previous_nights_shift_is_allowed() -> None:
    s = Schedule(
        zone="UTC",
        hours={"mon": [("22:00", "06:00")]},
        breaks={"tue": [("02:00", "02:30")]},
    )
    assert s.is_on_break(utc(2026, 1, 6, 2, 15))
    assert not s.is_open(utc(2026, 1, 6, 2, 15))
    assert s.is_open(utc(2026, 1, 6, 2, 30))


def test_naive_datetimes_are_rejected(biz: Schedule) -> None:
    naive = datetime(2006, 1, 2, 12)
    for call in (
        lambda: biz.is_open(naive),
        lambda: biz.next_open(naive),
        lambda: biz.add_business_time(naive, timedelta(hours=1)),
        lambda: biz.business_time_between(utc(2006, 1, 2), naive),
        lambda: biz.is_holiday(naive),
    ):
        with pytest.raises(NaiveDatetimeError):
            call()


def test_wrong_argument_types_raise_invalid_input_error(biz: Schedule) -> None:
    with pytest.raises(InvalidInputError, match="timedelta"):
        biz.add_business_time(utc(2006, 1, 2), 3600)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="int"):
        biz.add_business_days(utc(2006, 1, 2), 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="date"):
        biz.is_business_day(utc(2006, 1, 2))  # a datetime is a date subclass: refused anyway
    with pytest.raises(InvalidInputError, match="supported years"):
        biz.is_open(datetime(9999, 1, 1, tzinfo=UTC))


# --- biz: in hours, breaks, holidays, shifts -----------------------------------------------


def test_biz_in_hours(biz: Schedule) -> None:
    assert not biz.is_open(utc(2006, 1, 2, 8))
    assert biz.is_open(utc(2006, 1, 2, 12))


def test_biz_on_break_and_on_holiday() -> None:
    s = Schedule(
        zone="Etc/UTC",
        hours=BIZ_HOURS,
        dated_breaks={
            date(2006, 1, 2): [("10:00", "11:30")],
            date(2006, 1, 3): [("14:15", "14:30"), ("15:40", "15:50")],
        },
        holidays=[date(2006, 1, 1), date(2006, 12, 25)],
    )
    assert s.is_on_break(utc(2006, 1, 2, 11))
    assert not s.is_on_break(utc(2006, 1, 2, 13))
    assert s.is_holiday(utc(2006, 12, 25, 12))
    assert not s.is_holiday(utc(2006, 12, 26, 12))
    # biz: Schedule#within(Jan 5 12:00, Jan 6 12:00) is 7 hours
    assert s.business_time_between(utc(2006, 1, 5, 12), utc(2006, 1, 6, 12)) == timedelta(hours=7)
    # the two short breaks on Jan 3 take 25 minutes off Tuesday's 6 hours
    assert s.business_time_between(utc(2006, 1, 3), utc(2006, 1, 4)) == timedelta(
        hours=5, minutes=35
    )


@pytest.fixture
def biz_with_shifts() -> Schedule:
    return Schedule(
        zone="Etc/UTC",
        hours=BIZ_HOURS,
        overrides={
            date(2006, 1, 7): [("09:00", "11:00")],
            date(2006, 1, 10): [("09:00", "11:00")],
            date(2006, 1, 11): [("09:00", "11:00")],
        },
        dated_breaks={
            date(2006, 1, 3): [("05:30", "11:00")],
            date(2006, 1, 10): [("05:30", "11:00")],
        },
        holidays=[date(2006, 1, 4), date(2006, 1, 11)],
    )


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (utc(2006, 1, 1, 6), False),  # neither hours nor shift
        (utc(2006, 1, 3, 6), False),  # a break outside hours
        (utc(2006, 1, 4, 6), False),  # a holiday
        (utc(2006, 1, 2, 12), True),  # weekly hours
        (utc(2006, 1, 3, 10), False),  # weekly hours, during a break
        (utc(2006, 1, 4, 12), False),  # weekly hours, on a holiday
        (utc(2006, 1, 7, 12), False),  # the shift replaces Saturday's hours
        (utc(2006, 1, 7, 10), True),  # inside the shift
        (utc(2006, 1, 10, 10), False),  # a shift cut by a break
    ],
)
def test_biz_active(biz_with_shifts: Schedule, at: datetime, expected: bool) -> None:
    assert biz_with_shifts.is_open(at) is expected


def test_an_override_reopens_a_holiday_unlike_biz(biz_with_shifts: Schedule) -> None:
    # biz keeps Jan 11 closed (holiday beats shift); our product rule: the override wins.
    assert biz_with_shifts.is_open(utc(2006, 1, 11, 10))
    assert not biz_with_shifts.is_open(utc(2006, 1, 11, 12))
    assert biz_with_shifts.is_holiday(date(2006, 1, 11))


# --- biz: durations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "amount", "expected"),
    [
        (utc(2006, 1, 4, 15, 58, 30), timedelta(seconds=90), utc(2006, 1, 4, 16)),
        (utc(2006, 1, 4, 14, 30), timedelta(minutes=90), utc(2006, 1, 4, 16)),
        (utc(2006, 1, 4, 13), timedelta(hours=3), utc(2006, 1, 4, 16)),
        (utc(2006, 1, 3), timedelta(0), utc(2006, 1, 3, 10)),
        (utc(2006, 1, 2, 10), timedelta(hours=1), utc(2006, 1, 2, 11)),
        # used up exactly at Wednesday's close: the answer is Thursday's opening
        (utc(2006, 1, 4, 16), timedelta(hours=1), utc(2006, 1, 5, 10)),
    ],
)
def test_biz_add_business_time(
    biz: Schedule, at: datetime, amount: timedelta, expected: datetime
) -> None:
    assert biz.add_business_time(at, amount) == expected


@pytest.mark.parametrize(
    ("at", "amount", "expected"),
    [
        (utc(2006, 1, 4, 16, 1, 30), timedelta(seconds=90), utc(2006, 1, 4, 16)),
        (utc(2006, 1, 4, 16, 30), timedelta(minutes=90), utc(2006, 1, 4, 15)),
        (utc(2006, 1, 4, 17), timedelta(hours=3), utc(2006, 1, 4, 14)),
        (utc(2006, 1, 3), timedelta(0), utc(2006, 1, 2, 17)),
        # used up exactly at Thursday's opening: the earliest such instant is Wednesday's close
        (utc(2006, 1, 5, 11), timedelta(hours=1), utc(2006, 1, 4, 17)),
    ],
)
def test_biz_subtract_business_time(
    biz: Schedule, at: datetime, amount: timedelta, expected: datetime
) -> None:
    assert biz.subtract_business_time(at, amount) == expected


def test_biz_duration_within_a_week(biz: Schedule) -> None:
    week = (utc(2006, 1, 1), utc(2006, 1, 8))
    assert biz.business_time_between(*week) == timedelta(hours=39, minutes=30)
    assert biz.business_time_between(week[0], week[0]) == timedelta(0)


def test_reversed_ranges_and_negative_durations_are_mirrors(biz: Schedule) -> None:
    # biz returns zero for a reversed range; we return the negative (documented choice)
    assert biz.business_time_between(utc(2006, 1, 8), utc(2006, 1, 1)) == -timedelta(
        hours=39, minutes=30
    )
    at = utc(2006, 1, 4, 17)
    assert biz.add_business_time(at, -timedelta(hours=3)) == biz.subtract_business_time(
        at, timedelta(hours=3)
    )
    assert biz.subtract_business_time(at, -timedelta(hours=3)) == biz.add_business_time(
        at, timedelta(hours=3)
    )
    assert biz.add_business_days(at, -2) == biz.subtract_business_days(at, 2)
    with pytest.raises(InvalidInputError, match="before start"):
        list(biz.periods(utc(2006, 1, 8), utc(2006, 1, 1)))


# --- biz: days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "n", "expected"),
    [
        (utc(2006, 1, 6, 12), 2, utc(2006, 1, 9, 12)),  # Saturday counts: it has hours
        (utc(2006, 1, 3, 8), 2, utc(2006, 1, 5, 10)),  # before the day's opening
        (utc(2006, 1, 3, 18), 2, utc(2006, 1, 6, 9)),  # after the day's close
        (utc(2006, 1, 6, 12, 30, 52), 2, utc(2006, 1, 9, 12, 30, 52)),
        (utc(2006, 1, 2, 13), 0, utc(2006, 1, 2, 13)),
    ],
)
def test_biz_add_business_days(biz: Schedule, at: datetime, n: int, expected: datetime) -> None:
    assert biz.add_business_days(at, n) == expected


@pytest.mark.parametrize(
    ("at", "n", "expected"),
    [
        (utc(2006, 1, 9, 12), 2, utc(2006, 1, 6, 12)),
        (utc(2006, 1, 5, 8), 2, utc(2006, 1, 2, 17)),
        (utc(2006, 1, 5, 18), 2, utc(2006, 1, 3, 16)),
        (utc(2006, 1, 9, 12, 30, 52), 2, utc(2006, 1, 6, 12, 30, 52)),
        (utc(2006, 1, 2, 14), 0, utc(2006, 1, 2, 14)),
    ],
)
def test_biz_subtract_business_days(
    biz: Schedule, at: datetime, n: int, expected: datetime
) -> None:
    assert biz.subtract_business_days(at, n) == expected


def test_biz_business_dates(biz: Schedule) -> None:
    # biz: dates.after(2006-01-01).take(2) are Jan 2 and Jan 3
    assert biz.business_days_after(date(2006, 1, 1), 1) == date(2006, 1, 2)
    assert biz.business_days_after(date(2006, 1, 1), 2) == date(2006, 1, 3)
    assert biz.business_days_after(date(2006, 1, 1), 0) == date(2006, 1, 2)
    assert biz.business_days_after(date(2006, 1, 2), 0) == date(2006, 1, 2)
    assert biz.business_days_after(date(2006, 1, 9), -2) == date(2006, 1, 6)
    assert biz.count_business_days(date(2006, 1, 1), date(2006, 1, 8)) == 6
    assert biz.count_business_days(date(2006, 1, 8), date(2006, 1, 1)) == -6
    assert not biz.is_business_day(date(2006, 1, 1))


def test_biz_periods_after_a_time() -> None:
    s = Schedule(zone="Etc/UTC", hours={"mon": [("01:00", "02:00")]})
    first = next(s.periods(utc(2006, 1, 1), utc(2006, 1, 9)))
    assert first == Interval(start=utc(2006, 1, 2, 1), end=utc(2006, 1, 2, 2))


def test_periods_are_clipped_and_merged_across_midnight() -> None:
    s = Schedule(
        zone="UTC",
        hours={"mon": [("18:00", "24:00")], "tue": [("00:00", "02:00"), ("09:00", "10:00")]},
    )
    spans = list(s.periods(utc(2026, 1, 5, 20), utc(2026, 1, 6, 9, 30)))
    assert [(p.start, p.end) for p in spans] == [
        (utc(2026, 1, 5, 20), utc(2026, 1, 6, 2)),
        (utc(2026, 1, 6, 9), utc(2026, 1, 6, 9, 30)),
    ]
    assert s.next_close(utc(2026, 1, 5, 23)) == utc(2026, 1, 6, 2)


# --- open, close, never ------------------------------------------------------------------------


def test_next_open_is_the_instant_itself_when_open(biz: Schedule) -> None:
    assert biz.next_open(utc(2006, 1, 2, 12)) == utc(2006, 1, 2, 12)
    assert biz.next_open(utc(2006, 1, 2, 17)) == utc(2006, 1, 3, 10)


def test_answers_are_in_the_schedules_zone() -> None:
    s = Schedule.weekdays("Asia/Shanghai")
    answer = s.next_open(utc(2026, 1, 5, 12))  # 20:00 in Shanghai
    assert answer.tzinfo == ZoneInfo("Asia/Shanghai")
    assert answer == datetime(2026, 1, 6, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_schedule_that_never_opens_raises_after_a_bounded_search() -> None:
    never = Schedule(zone="UTC")
    with pytest.raises(NeverOpenError):
        never.next_open(utc(2026, 1, 1))
    with pytest.raises(NeverOpenError):
        never.add_business_time(utc(2026, 1, 1), timedelta(hours=1))
    with pytest.raises(NeverOpenError):
        never.business_days_after(date(2026, 1, 1), 1)


def test_a_schedule_closed_from_now_on_raises_never_open() -> None:
    once = Schedule(zone="UTC", overrides={date(2026, 1, 5): [("09:00", "10:00")]})
    assert once.next_open(utc(2020, 1, 1)) == utc(2026, 1, 5, 9)
    with pytest.raises(NeverOpenError):
        once.next_open(utc(2026, 1, 5, 10))
    # nothing was open before: the earliest answer within the horizon is the opening itself
    assert once.subtract_business_time(utc(2026, 1, 5, 10), timedelta(hours=1)) == utc(
        2026, 1, 5, 9
    )


def test_an_override_far_in_the_future_is_still_found() -> None:
    later = Schedule(zone="UTC", overrides={date(2050, 6, 1): [("09:00", "10:00")]})
    assert later.next_open(utc(2026, 1, 1)) == utc(2050, 6, 1, 9)


def test_a_24_7_schedule_never_closes() -> None:
    s = Schedule.always_open("Europe/London")
    assert s.is_open(utc(2026, 3, 29, 1))
    with pytest.raises(NeverClosesError):
        s.next_close(utc(2026, 1, 1))
    assert s.business_time_between(utc(2026, 1, 1), utc(2026, 1, 8)) == timedelta(days=7)

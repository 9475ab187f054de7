"""Business calendars: a line's hours in a real time zone, and business-time arithmetic on them.

One noun per module, after biz (``lib/biz/``): [Schedule][walletsupport.calendars.Schedule] is
the facade with one method per question; `hours` holds the small values (`Weekday`, `WallTime`,
`TimeSpan`, `Interval`); `holidays` generates public holidays from the `holidays` package;
`_zone` owns wall-clock to instant conversion (DST gaps and overlaps); `_timeline` walks forward
and backward.

Examples:
    >>> from datetime import date, datetime, timedelta
    >>> from zoneinfo import ZoneInfo
    >>> line = Schedule.weekdays("Asia/Shanghai", holiday_calendar=HolidayCalendar(country="CN"))
    >>> line.is_business_day(date(2026, 10, 10))  # a make-up Saturday (调休)
    True
    >>> line.add_business_time(datetime(2026, 9, 30, 16, tzinfo=ZoneInfo("Asia/Shanghai")),
    ...                        timedelta(hours=2))
    datetime.datetime(2026, 10, 8, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Shanghai'))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.calendars.holidays import HolidayCalendar, HolidayYear
    from walletsupport.calendars.hours import Interval, TimeSpan, WallTime, Weekday
    from walletsupport.calendars.schedule import Schedule
    from walletsupport.errors import NeverClosesError

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "HolidayCalendar": ".holidays",
        "HolidayYear": ".holidays",
        "Interval": ".hours",
        "TimeSpan": ".hours",
        "WallTime": ".hours",
        "Weekday": ".hours",
        "Schedule": ".schedule",
        "NeverClosesError": "walletsupport.errors",
    },
)

__all__ = [
    "HolidayCalendar",
    "HolidayYear",
    "Interval",
    "NeverClosesError",
    "Schedule",
    "TimeSpan",
    "WallTime",
    "Weekday",
]

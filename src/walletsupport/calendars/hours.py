"""Small values of a business calendar: weekdays, wall-clock times, time spans, intervals.

A *wall time* is what a clock on the wall of the support centre reads: ``"09:00"``,
``"17:30"``, ``"08:15:30"``, or ``"24:00"`` (the end of the day, allowed as the end of a span).
A *time span* is a ``(start, end)`` pair of wall times; when ``end <= start`` the span runs past
midnight into the next day (``("22:00", "06:00")`` is a night shift, ``("00:00", "24:00")`` and
``("09:00", "09:00")`` are a full 24 hours).

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(WallTime).validate_python("9:00")
    '09:00'
    >>> Weekday.from_date(date(2026, 1, 5))
    <Weekday.MON: 'mon'>
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any, Self

from pydantic import AwareDatetime, BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel

__all__ = ["Interval", "TimeSpan", "WallTime", "Weekday", "span_seconds", "wall_seconds"]

_WALL_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
SECONDS_PER_DAY = 86_400


class Weekday(WalletEnum):
    """A day of the week, keyed as in a schedule's ``hours`` mapping.

    Examples:
        >>> Weekday("sat").number
        5
        >>> [d.value for d in Weekday][:3]
        ['mon', 'tue', 'wed']
    """

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @property
    def number(self) -> int:
        """Monday is 0, Sunday is 6, as in ``datetime.date.weekday()``."""
        return _WEEKDAY_INDEX[self]

    @classmethod
    def from_date(cls, day: date) -> Weekday:
        """The weekday of a date.

        Examples:
            >>> Weekday.from_date(date(2026, 12, 25))
            <Weekday.FRI: 'fri'>
        """
        return _WEEKDAYS[day.weekday()]


_WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)
_WEEKDAY_INDEX: dict[Weekday, int] = {day: i for i, day in enumerate(_WEEKDAYS)}


def _to_wall_time(value: Any) -> str:
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise PydanticCustomError(
                "walletsupport.wall_time", "a wall time carries no time zone; got an aware time"
            )
        if value.microsecond:
            raise PydanticCustomError(
                "walletsupport.wall_time", "wall times have whole-second precision"
            )
        fmt = "%H:%M:%S" if value.second else "%H:%M"
        return value.strftime(fmt)
    if not isinstance(value, str):
        raise PydanticCustomError(
            "walletsupport.wall_time", "a wall time is a string 'HH:MM' or 'HH:MM:SS'"
        )
    match = _WALL_TIME.match(value.strip()) if value.isascii() else None
    if match is None and not value.isascii():
        raise PydanticCustomError(
            "walletsupport.wall_time", "a wall time is 'HH:MM' or 'HH:MM:SS' in ASCII digits"
        )
    if match is None:
        raise PydanticCustomError(
            "walletsupport.wall_time",
            "wall time {value!r} is not of the form 'HH:MM' or 'HH:MM:SS'",
            {"value": value},
        )
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if minute > 59 or second > 59 or hour > 24 or (hour == 24 and (minute or second)):
        raise PydanticCustomError(
            "walletsupport.wall_time",
            "wall time {value!r} is out of range (00:00 to 24:00)",
            {"value": value},
        )
    text = f"{hour:02d}:{minute:02d}"
    return f"{text}:{second:02d}" if second else text


WallTime = Annotated[
    str,
    BeforeValidator(_to_wall_time),
    Field(
        pattern=r"^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$|^24:00$",
        examples=["09:00", "17:30", "24:00"],
    ),
]
"""A wall-clock time ``"HH:MM"`` or ``"HH:MM:SS"``, ``"00:00"`` to ``"24:00"`` (normalised)."""

TimeSpan = tuple[WallTime, WallTime]
"""A ``(start, end)`` pair of wall times; ``end <= start`` runs past midnight."""


def wall_seconds(value: str) -> int:
    """Seconds after midnight of a normalised wall time.

    Examples:
        >>> wall_seconds("24:00"), wall_seconds("08:15:30")
        (86400, 29730)
    """
    parts = value.split(":")
    hour, minute = int(parts[0]), int(parts[1])
    second = int(parts[2]) if len(parts) > 2 else 0
    return hour * 3600 + minute * 60 + second


def span_seconds(span: tuple[str, str]) -> tuple[int, int]:
    """A span as ``(start, end)`` seconds after the midnight that starts its day.

    ``end`` may exceed 86 400 for a span that runs past midnight; a span with ``end <= start``
    is taken to end on the next day (so ``("09:00", "09:00")`` lasts 24 hours).

    Examples:
        >>> span_seconds(("22:00", "06:00"))
        (79200, 108000)
    """
    start, end = wall_seconds(span[0]), wall_seconds(span[1])
    if end <= start:
        end += SECONDS_PER_DAY
    return start, end


class Interval(WalletModel, frozen=True, extra="forbid"):
    """A half-open span of real time ``[start, end)``: ``start`` is inside, ``end`` is not.

    Examples:
        >>> from datetime import timezone
        >>> i = Interval(start=datetime(2026, 1, 5, 9, tzinfo=timezone.utc),
        ...              end=datetime(2026, 1, 5, 17, tzinfo=timezone.utc))
        >>> i.duration
        datetime.timedelta(seconds=28800)
        >>> i.contains(i.end)
        False
    """

    start: AwareDatetime
    end: AwareDatetime

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end.astimezone(UTC) < self.start.astimezone(UTC):
            raise PydanticCustomError(
                "walletsupport.interval_order", "an interval's end cannot precede its start"
            )
        return self

    @property
    def duration(self) -> timedelta:
        """The real time between start and end (not the wall-clock difference).

        Python subtracts two datetimes that share a ``tzinfo`` as wall clocks; going through
        UTC gives the elapsed time across a DST transition.
        """
        return self.end.astimezone(UTC) - self.start.astimezone(UTC)

    def contains(self, at: datetime) -> bool:
        """Whether ``at`` lies in ``[start, end)``.

        Examples:
            >>> from datetime import timezone
            >>> t = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
            >>> Interval(start=t, end=t + timedelta(hours=1)).contains(t)
            True
        """
        from walletsupport.clock import ensure_aware

        moment = ensure_aware(at, "at").astimezone(UTC)
        return self.start.astimezone(UTC) <= moment < self.end.astimezone(UTC)

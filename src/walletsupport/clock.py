"""Clocks: the only place in walletsupport that reads the system time.

Pure code takes ``at: datetime``; services and the CLI hold a [Clock][walletsupport.clock.Clock].
Every public function that accepts a datetime passes it through
[ensure_aware][walletsupport.clock.ensure_aware] first.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> clock = FixedClock(datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc))
    >>> clock.advance(timedelta(minutes=30)).isoformat()
    '2026-01-05T09:30:00+00:00'
    >>> ensure_aware(datetime(2026, 1, 5, 9, 0))
    Traceback (most recent call last):
    ...
    walletsupport.errors.NaiveDatetimeError: at must be timezone-aware, got a naive datetime
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from walletsupport.errors import InvalidInputError, NaiveDatetimeError

__all__ = ["Clock", "FixedClock", "SystemClock", "ensure_aware"]


def ensure_aware(value: object, name: str = "at") -> datetime:
    """Return ``value`` if it is an aware datetime; raise a typed error otherwise.

    Args:
        value: the datetime to check.
        name: the argument's name, used in the error message.

    Raises:
        NaiveDatetimeError: ``value`` is a datetime without a usable UTC offset.
        InvalidInputError: ``value`` is not a datetime at all.

    Examples:
        >>> from datetime import datetime, timezone
        >>> ensure_aware(datetime(2026, 3, 1, tzinfo=timezone.utc)).year
        2026
    """
    if not isinstance(value, datetime):
        raise InvalidInputError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise NaiveDatetimeError(f"{name} must be timezone-aware, got a naive datetime")
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        # Python's datetime ends at years 1 and 9999: arithmetic on an instant at the edge
        # (an expiry, a deadline, a zone conversion) would overflow later, far from the cause.
        raise InvalidInputError(f"{name} must lie in the supported years {MIN_YEAR} to {MAX_YEAR}")
    return value


def _shift(at: datetime, delta: timedelta, name: str = "at") -> datetime:
    """``at + delta``, or an ``InvalidInputError`` when the result leaves Python's range.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> _shift(datetime(2026, 1, 1, tzinfo=timezone.utc), timedelta(days=1)).day
        2
        >>> _shift(datetime(2026, 1, 1, tzinfo=timezone.utc), timedelta.max)
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: at plus the duration is out of range
    """
    try:
        return at + delta
    except OverflowError:
        error = InvalidInputError(f"{name} plus the duration is out of range")
    raise error


#: The years an instant given to the library may lie in (one year short of Python's ends).
MIN_YEAR, MAX_YEAR = 2, 9998


@runtime_checkable
class Clock(Protocol):
    """Something that tells the current instant, as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current instant in UTC."""
        ...


class SystemClock:
    """The real clock.

    Examples:
        >>> SystemClock().now().tzinfo is not None
        True
    """

    def now(self) -> datetime:
        """The current instant in UTC."""
        return datetime.now(UTC)

    def __repr__(self) -> str:
        return "SystemClock()"


class FixedClock:
    """A clock that stands still until told to move: for tests, replays and simulations.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> clock = FixedClock(datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> clock.now() == datetime(2026, 1, 1, tzinfo=timezone.utc)
        True
        >>> clock.advance(timedelta(hours=1)).hour
        1
    """

    def __init__(self, at: datetime) -> None:
        self._now = ensure_aware(at).astimezone(UTC)

    def now(self) -> datetime:
        """The instant the clock is set to, in UTC."""
        return self._now

    def set(self, at: datetime) -> datetime:
        """Move the clock to ``at`` (forward or back) and return the new instant in UTC."""
        self._now = ensure_aware(at).astimezone(UTC)
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move the clock forward by ``delta`` and return the new instant in UTC.

        Raises:
            InvalidInputError: ``delta`` is not a non-negative timedelta.
        """
        if not isinstance(delta, timedelta) or delta < timedelta(0):
            raise InvalidInputError("advance() takes a non-negative timedelta")
        self._now = ensure_aware(_shift(self._now, delta, "the clock"), "the clock")
        return self._now

    def __repr__(self) -> str:
        return f"FixedClock({self._now.isoformat()})"

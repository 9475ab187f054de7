"""Time-zone conversion for calendars: the one place that turns wall clocks into instants.

Instants are integers: microseconds since 1970-01-01T00:00:00Z. Wall times on a date become
instants by the *first reach* rule: the earliest instant at which the zone's wall clock reads
at least that wall time. So an ambiguous wall time (a fall-back overlap) is its first
occurrence, and a wall time that does not exist (a spring-forward gap) is the transition
instant itself. The mapping never runs backwards: a later wall time never gives an earlier
instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from walletsupport._shown import shown

__all__ = ["EPOCH", "US_PER_DAY", "US_PER_SECOND", "Zone", "from_us", "load_zone", "to_us"]

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US_PER_SECOND = 1_000_000
US_PER_DAY = 86_400 * US_PER_SECOND
_ONE_US = timedelta(microseconds=1)
_ONE_DAY = timedelta(days=1)
_MIDNIGHT = time()
#: Offsets are sampled this many days apart when looking for transitions (zones never change
#: offset twice within fewer days).
_SAMPLE_DAYS = 4
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def load_zone(key: str) -> ZoneInfo | None:
    """The ``ZoneInfo`` for an IANA key, or ``None`` when the key is unknown or malformed."""
    if not key or key != key.strip():
        return None
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def to_us(at: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch."""
    return (at - EPOCH) // _ONE_US


def from_us(us: int, tz: ZoneInfo) -> datetime:
    """Integer microseconds since the epoch as an aware datetime in ``tz``."""
    # fromutc on a UTC wall clock labelled with ``tz`` skips astimezone's utcoffset call.
    return tz.fromutc(datetime(1970, 1, 1, tzinfo=tz) + timedelta(0, 0, us))


class Zone:
    """Conversions between wall clocks in one IANA zone and integer instants."""

    __slots__ = ("_epoch", "key", "tz")

    def __init__(self, key: str) -> None:
        tz = load_zone(key)
        if tz is None:  # pragma: no cover - the schedule validates the key first
            raise ValueError(f"unknown time zone {shown(key)}")
        self.key = key
        self.tz = tz
        self._epoch = datetime(1970, 1, 1, tzinfo=tz)

    def local_date(self, us: int) -> date:
        """The wall-clock date at an instant."""
        return from_us(us, self.tz).date()

    def to_local(self, us: int) -> datetime:
        """An instant as an aware datetime in this zone."""
        return self.tz.fromutc(self._epoch + timedelta(0, 0, us))

    def steady_offsets(self, first: date, last: date) -> dict[date, int]:
        """The UTC offset (µs) of each date in ``[first, last]`` far from any transition.

        A date is listed when the zone's offset is the same from two days before it until two
        days after it, so every wall time of that date (and of a shift running past its
        midnight) is ``wall - offset``; dates near a transition are left to ``wall_to_us``.
        Offsets are sampled every few days and bisected where they change, so a block of a
        year costs a few dozen offset look-ups instead of two conversions per span.
        """
        steady = self.steady_ordinals(first.toordinal(), last.toordinal())
        return {date.fromordinal(ordinal): offset for ordinal, offset in steady.items()}

    def steady_ordinals(self, first: int, last: int) -> dict[int, int]:
        """[steady_offsets][..] keyed by the dates' proleptic ordinals (``date.toordinal``)."""
        cache: dict[int, int] = {}
        epoch = self._epoch  # midnight of 1970-01-01 on this zone's wall clock
        epoch_ordinal = _EPOCH_ORDINAL

        def offset(ordinal: int) -> int:
            found = cache.get(ordinal)
            if found is None:
                # aware + timedelta is wall-clock arithmetic: the date's midnight, fold 0
                delta = (epoch + timedelta(ordinal - epoch_ordinal)).utcoffset()
                found = 0 if delta is None else delta // _ONE_US
                cache[ordinal] = found
            return found

        start, end = first - 3, last + 3
        changes: list[int] = []  # ordinals d with offset(d) != offset(d - 1)
        step = _SAMPLE_DAYS
        a = start
        while a < end:
            b = min(a + step, end)
            if offset(a) != offset(b):
                x, y = a, b
                while y - x > 1:
                    mid = (x + y) // 2
                    if offset(mid) != offset(x):
                        y = mid
                    else:
                        x = mid
                changes.append(y)
                # another change may hide between y and b: continue the scan from y
                a = y
                continue
            a = b
        if not changes:
            return dict.fromkeys(range(first, last + 1), offset(first))
        near = {c + k for c in changes for k in range(-3, 3)}
        changed = set(changes)
        out: dict[int, int] = {}
        current = offset(first)
        for ordinal in range(first, last + 1):
            if ordinal in changed:
                current = offset(ordinal)
            if ordinal not in near:
                out[ordinal] = current
        return out

    def wall_to_us(self, day: date, seconds: int) -> int:
        """First reach of ``seconds`` after midnight of ``day`` (may exceed one day)."""
        extra_days, seconds = divmod(seconds, 86_400)
        naive = datetime.combine(day, _MIDNIGHT) + timedelta(days=extra_days, seconds=seconds)
        first = naive.replace(tzinfo=self.tz)
        first_us = to_us(first)
        if from_us(first_us, self.tz).replace(tzinfo=None) == naive:
            return first_us  # exists; fold=0 is the first occurrence of an ambiguous time
        # A gap: fold=0 used the offset before the transition (lands after it), fold=1 the
        # offset after it (lands before it). The transition lies between: bisect on seconds.
        lo = to_us(naive.replace(tzinfo=self.tz, fold=1)) // US_PER_SECOND
        hi = first_us // US_PER_SECOND
        if lo > hi:  # pragma: no cover - defensive: inconsistent zone data
            lo, hi = hi, lo
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if from_us(mid * US_PER_SECOND, self.tz).replace(tzinfo=None) >= naive:
                hi = mid
            else:
                lo = mid
        return hi * US_PER_SECOND

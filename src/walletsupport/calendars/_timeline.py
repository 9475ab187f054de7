"""The compiled form of a schedule and the forward and backward walks on it.

Real time is cut into fixed *blocks* of 52 weeks on the UTC axis. A block, built on first use
and kept on the schedule instance, holds the merged open spans that fall inside it as sorted
integer microseconds, with prefix sums of their lengths. Then:

* ``is_open``, ``next_open``, ``next_close`` are a bisection in one block (or a few);
* ``add``/``subtract``/``between`` use the prefix sums and jump whole blocks by their totals,
  so 2000 business hours cost about what 10 do.

Holiday years from the ``holidays`` package are generated on first use, per schedule instance.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from operator import sub
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from walletsupport.calendars._zone import US_PER_DAY, US_PER_SECOND, Zone, to_us
from walletsupport.calendars.hours import Weekday, span_seconds
from walletsupport.errors import InvalidInputError, NeverClosesError, NeverOpenError

if TYPE_CHECKING:
    from walletsupport.calendars.holidays import HolidayCalendar, HolidayYear

__all__ = ["BLOCK_US", "HORIZON_BLOCKS", "Timeline"]

BLOCK_US = 364 * US_PER_DAY
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
"""Length of one block: 52 weeks."""
HORIZON_BLOCKS = 11
"""A walk gives up after this many consecutive blocks (about 11 years) without open time."""
_MIN_US = to_us(datetime(2, 1, 1, tzinfo=UTC))
_MAX_US = to_us(datetime(9998, 12, 31, tzinfo=UTC))
_ONE_DAY = timedelta(days=1)
FIRST_US = _MIN_US + 2 * BLOCK_US
"""The earliest instant a question may ask about (early in year 3)."""
LAST_US = _MAX_US - 2 * BLOCK_US
"""The latest instant a question may ask about (late in year 9996)."""

Span = tuple[int, int]


class Block:
    """The merged open spans inside ``[lo, hi)``, with prefix sums of their lengths."""

    __slots__ = ("cum", "cum_end", "ends", "hi", "lo", "starts", "total")

    def __init__(self, lo: int, hi: int, spans: Sequence[Span]) -> None:
        self.lo = lo
        self.hi = hi
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.cum_end: list[int] = list(accumulate(map(sub, self.ends, self.starts)))
        self.cum: list[int] = [0, *self.cum_end[:-1]] if spans else []
        self.total = self.cum_end[-1] if spans else 0

    def prefix(self, us: int) -> int:
        """Open time in ``[lo, us)``."""
        if us <= self.lo:
            return 0
        if us >= self.hi:
            return self.total
        i = bisect_right(self.ends, us)
        if i == len(self.ends):
            return self.total
        return self.cum[i] + max(0, us - self.starts[i])

    def point(self, target: int) -> int:
        """An instant at which the prefix reaches ``target`` (0 < target <= total)."""
        j = bisect_left(self.cum_end, target)
        return self.starts[j] + (target - self.cum[j])


def _merge(spans: list[Span]) -> list[Span]:
    spans.sort()
    merged: list[Span] = []
    for s, e in spans:
        if e <= s:
            continue
        if merged and s <= merged[-1][1]:
            if e > merged[-1][1]:
                merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _subtract(opens: list[Span], cuts: list[Span]) -> list[Span]:
    """``opens`` minus ``cuts``; both sorted and merged."""
    if not cuts:
        return opens
    out: list[Span] = []
    j = 0
    for s, e in opens:
        cur = s
        while j < len(cuts) and cuts[j][1] <= cur:
            j += 1
        k = j
        while k < len(cuts) and cuts[k][0] < e:
            cs, ce = cuts[k]
            if cs > cur:
                out.append((cur, cs))
            cur = max(cur, ce)
            if cur >= e:
                break
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


#: Cache bounds per schedule: holiday years, 364-day blocks, business-day answers.
MAX_CACHED_YEARS = 32
MAX_CACHED_BLOCKS = 8
MAX_CACHED_DAYS = 16_384

K = TypeVar("K")
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A dict bounded to ``size`` entries: storing one more evicts the oldest stored.

    Examples:
        >>> cache: Lru[int, str] = Lru(2)
        >>> cache[1], cache[2], cache[3] = "a", "b", "c"
        >>> cache.get(1), cache.get(3), len(cache)
        (None, 'c', 2)
    """

    __slots__ = ("_data", "_size")

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self._data.get(key)

    def __setitem__(self, key: K, value: V) -> None:
        data = self._data
        if key not in data and len(data) >= self._size:
            del data[next(iter(data))]
        data[key] = value

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)


class Timeline:
    """A schedule compiled for fast questions; caches blocks and holiday years per instance."""

    def __init__(self, schedule: Any, *, owner: object) -> None:
        self.owner = owner
        self.zone = Zone(schedule.zone)
        days = list(Weekday)
        hours = schedule.hours
        breaks = schedule.breaks
        self.weekly: list[tuple[Span, ...]] = [
            tuple(span_seconds(s) for s in hours.get(day, ())) for day in days
        ]
        self.weekly_breaks: list[tuple[Span, ...]] = [
            tuple(span_seconds(s) for s in breaks.get(day, ())) for day in days
        ]
        self.dated_breaks: dict[date, tuple[Span, ...]] = {
            d: tuple(span_seconds(s) for s in spans) for d, spans in schedule.dated_breaks.items()
        }
        self.overrides: dict[date, tuple[Span, ...]] = {
            d: tuple(span_seconds(s) for s in spans) for d, spans in schedule.overrides.items()
        }
        self.makeup: tuple[Span, ...] | None = (
            None
            if schedule.makeup_day_hours is None
            else tuple(span_seconds(s) for s in schedule.makeup_day_hours)
        )
        self.holidays: frozenset[date] = frozenset(schedule.holidays)
        self.calendar: HolidayCalendar | None = schedule.holiday_calendar
        # each weekday's spans and breaks as microseconds after midnight, empty ones dropped
        self._weekly_us: list[tuple[tuple[Span, ...], tuple[Span, ...]]] = [
            (
                tuple((s * US_PER_SECOND, e * US_PER_SECOND) for s, e in opens if s < e),
                tuple((s * US_PER_SECOND, e * US_PER_SECOND) for s, e in brks if s < e),
            )
            for opens, brks in zip(self.weekly, self.weekly_breaks, strict=True)
        ]
        special = [*self.overrides, *self.dated_breaks]
        self._first_special = min(special) if special else None
        self._last_special = max(special) if special else None
        self._special_blocks: tuple[int | None, int | None] | None = None
        # Bounded caches (least recently built first out): a schedule asked about every year
        # of its range keeps a few years' worth, not all of them.
        self._years: Lru[int, HolidayYear] = Lru(MAX_CACHED_YEARS)
        self._span: tuple[int, int] | None = None
        self._span_known = False
        self._blocks: Lru[int, Block] = Lru(MAX_CACHED_BLOCKS)
        self._business_days: Lru[date, bool] = Lru(MAX_CACHED_DAYS)

    # --- conversions ---------------------------------------------------------------------------

    def local(self, us: int) -> datetime:
        """An instant as an aware datetime in the schedule's zone."""
        return self.zone.to_local(us)

    def local_date(self, us: int) -> date:
        """The schedule's local date at an instant."""
        return self.zone.local_date(us)

    @staticmethod
    def check(us: int, name: str) -> int:
        """Reject instants outside the supported years."""
        if not FIRST_US <= us <= LAST_US:
            raise InvalidInputError(f"{name} is outside the supported years 4 to 9996")
        return us

    # --- the definition, date by date ----------------------------------------------------------

    def holiday_years_span(self) -> tuple[int, int] | None:
        """The years the holiday calendar can have holidays in, asked once per instance.

        ``None`` when there is no calendar or its entity does not say (then every year is
        generated).
        """
        if self.calendar is None:
            return None
        if not self._span_known:
            self._span = self.calendar._years_span()
            self._span_known = True
        return self._span

    def holiday_year(self, year: int) -> HolidayYear | None:
        """Generated holidays of a year, cached on this instance.

        A year outside the package's range for the calendar is empty without generating it
        (the package would return at once, after building its entity: a tenth of a ms).
        """
        if self.calendar is None:
            return None
        cached = self._years.get(year)
        if cached is None:
            span = self.holiday_years_span()
            if span is not None and not span[0] <= year <= span[1]:
                from walletsupport.calendars.holidays import HolidayYear

                cached = HolidayYear(year=year, holidays=frozenset(), workdays=frozenset())
            else:
                cached = self.calendar.year(year)
            self._years[year] = cached
        return cached

    def is_holiday(self, day: date) -> bool:
        """Listed or generated holiday (overrides do not change the answer)."""
        if day in self.holidays:
            return True
        generated = self.holiday_year(day.year)
        return generated is not None and day in generated.holidays

    def day_plan(self, day: date) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
        """The date's spans and breaks, as seconds after its midnight."""
        dated = self.dated_breaks.get(day, ())
        override = self.overrides.get(day)
        if override is not None:
            return override, dated
        if day in self.holidays:
            return (), ()
        generated = self.holiday_year(day.year)
        if generated is not None:
            if day in generated.holidays:
                return (), ()
            if day in generated.workdays:
                if self.makeup is None:
                    return self.weekly[0], self.weekly_breaks[0] + dated
                return self.makeup, dated
        weekday = day.weekday()
        return self.weekly[weekday], self.weekly_breaks[weekday] + dated

    def day_instants(self, day: date, offset: int | None = None) -> tuple[list[Span], list[Span]]:
        """The date's open spans and breaks as instants (empty spans dropped).

        ``offset`` (from ``Zone.steady_ordinals``) is the date's UTC offset when no transition
        is near, so its wall times convert by arithmetic.
        """
        spans, cuts = self.day_plan(day)
        if offset is None:
            wall = self.zone.wall_to_us
            opens = [(wall(day, s), wall(day, e)) for s, e in spans]
            brks = [(wall(day, s), wall(day, e)) for s, e in cuts]
        else:
            base = (day.toordinal() - _EPOCH_ORDINAL) * US_PER_DAY - offset
            opens = [(base + s * US_PER_SECOND, base + e * US_PER_SECOND) for s, e in spans]
            brks = [(base + s * US_PER_SECOND, base + e * US_PER_SECOND) for s, e in cuts]
        return [p for p in opens if p[0] < p[1]], [p for p in brks if p[0] < p[1]]

    # --- blocks --------------------------------------------------------------------------------

    def block(self, k: int) -> Block:
        """Block ``k`` (instants ``[k * BLOCK_US, (k + 1) * BLOCK_US)``), built on first use.

        Most dates are ordinary: no override, dated break or holiday, and no offset change
        nearby, so their spans are their weekday's, shifted by arithmetic. Only the others go
        through ``day_instants``.
        """
        cached = self._blocks.get(k)
        if cached is not None:
            return cached
        lo, hi = k * BLOCK_US, (k + 1) * BLOCK_US
        if lo < _MIN_US or hi > _MAX_US:
            raise NeverOpenError("the search left the supported years without an answer")
        first = (self.local_date(lo) - 2 * _ONE_DAY).toordinal()
        last = self.local_date(hi - 1).toordinal()
        steady = self.zone.steady_ordinals(first, last)
        special = self._special_days(first, last)
        weekly_us = self._weekly_us
        opens: list[Span] = []
        cuts: list[Span] = []
        weekday = (first + 6) % 7  # date.fromordinal(1) is a Monday
        for ordinal in range(first, last + 1):
            offset = steady.get(ordinal)
            if offset is None or ordinal in special:
                o, c = self.day_instants(date.fromordinal(ordinal), offset)
                opens.extend(o)
                cuts.extend(c)
            else:
                day_opens, day_cuts = weekly_us[weekday]
                if day_opens or day_cuts:
                    base = (ordinal - _EPOCH_ORDINAL) * US_PER_DAY - offset
                    for s, e in day_opens:
                        opens.append((base + s, base + e))
                    for s, e in day_cuts:
                        cuts.append((base + s, base + e))
            weekday = 0 if weekday == 6 else weekday + 1
        clipped = [
            p if lo <= p[0] and p[1] <= hi else (max(p[0], lo), min(p[1], hi))
            for p in opens
            if p[1] > lo and p[0] < hi
        ]
        spans = _subtract(_merge(clipped), _merge(cuts))
        built = Block(lo, hi, spans)
        self._blocks[k] = built
        return built

    def _special_days(self, first: int, last: int) -> set[int]:
        """Ordinals in ``[first, last]`` of dates whose plan is not simply their weekday's."""
        days: set[int] = set()
        for listed in (self.overrides, self.dated_breaks, self.holidays):
            if len(listed) <= last - first:
                days.update(o for d in listed if first <= (o := d.toordinal()) <= last)
            else:  # more listed dates than the block has days: look each day up instead
                days.update(o for o in range(first, last + 1) if date.fromordinal(o) in listed)
        for year in range(date.fromordinal(first).year, date.fromordinal(last).year + 1):
            generated = self.holiday_year(year)
            if generated is not None:
                days.update(d.toordinal() for d in generated.holidays)
                days.update(d.toordinal() for d in generated.workdays)
        return days

    def _special_block(self, *, last: bool) -> int | None:
        """The block of the first (or last) dated override or break: walks never stop before it."""
        if self._special_blocks is None:
            first, final = self._first_special, self._last_special
            self._special_blocks = (
                None if first is None else self.zone.wall_to_us(first - _ONE_DAY, 0) // BLOCK_US,
                None
                if final is None
                else self.zone.wall_to_us(final + 2 * _ONE_DAY, 0) // BLOCK_US,
            )
        return self._special_blocks[1 if last else 0]

    def walk(self, k: int, step: int) -> Iterator[Block]:
        """Blocks ``k, k + step, ...``; raise after ``HORIZON_BLOCKS`` empty ones in a row."""
        special = self._special_block(last=step > 0)
        empty = 0
        while True:
            blk = self.block(k)
            yield blk
            beyond = special is None or (k > special if step > 0 else k < special)
            if blk.total == 0 and beyond:
                empty += 1
                if empty >= HORIZON_BLOCKS:
                    raise NeverOpenError(
                        f"the schedule has no open time in {HORIZON_BLOCKS} consecutive years"
                    )
            else:
                empty = 0
            k += step

    # --- instants ------------------------------------------------------------------------------

    def is_open(self, us: int) -> bool:
        """Whether ``us`` lies in an open span."""
        blk = self.block(us // BLOCK_US)
        i = bisect_right(blk.ends, us)
        return i < len(blk.ends) and blk.starts[i] <= us

    def next_open(self, us: int) -> int:
        """The earliest open instant ``>= us``."""
        for blk in self.walk(us // BLOCK_US, 1):
            i = bisect_right(blk.ends, us)
            if i < len(blk.ends):
                return max(us, blk.starts[i])
        raise AssertionError("unreachable")  # pragma: no cover

    def next_close(self, us: int) -> int:
        """The first closing instant ``> us``."""
        blocks = self.walk(us // BLOCK_US, 1)
        for blk in blocks:
            i = bisect_right(blk.ends, us)
            if i < len(blk.ends):
                end = blk.ends[i]
                run = 0
                while end == blk.hi:  # the span continues into the next block?
                    blk = next(blocks)
                    if not blk.starts or blk.starts[0] != end:
                        break
                    end = blk.ends[0]
                    run += 1
                    if run >= HORIZON_BLOCKS and end == blk.hi:
                        raise NeverClosesError(
                            f"the schedule does not close in {HORIZON_BLOCKS} consecutive years"
                        )
                return end
        raise AssertionError("unreachable")  # pragma: no cover

    def rewind(self, us: int) -> int:
        """The earliest ``t <= us`` with no open time in ``[t, us)``.

        That is ``us`` when ``us`` is inside or at the end of an open span, else the previous
        closing instant; ``us`` itself when nothing was open before it within the horizon.
        """
        blk = self.block(us // BLOCK_US)
        i = bisect_left(blk.ends, us)
        if i < len(blk.ends) and blk.starts[i] < us:
            return us
        if i > 0:
            return blk.ends[i - 1]
        try:
            for prev in self.walk(us // BLOCK_US - 1, -1):
                if prev.ends:
                    return prev.ends[-1]
        except NeverOpenError:
            return us
        raise AssertionError("unreachable")  # pragma: no cover

    def is_on_break(self, us: int) -> bool:
        """Whether ``us`` lies in a break that cuts otherwise open hours."""
        day = self.local_date(us) - 2 * _ONE_DAY
        opens: list[Span] = []
        cuts: list[Span] = []
        for _ in range(4):
            o, c = self.day_instants(day)
            opens.extend(o)
            cuts.extend(c)
            day += _ONE_DAY
        return any(s <= us < e for s, e in cuts) and any(s <= us < e for s, e in opens)

    # --- business time -------------------------------------------------------------------------

    def add(self, us: int, amount: int) -> int:
        """Where ``amount`` (>= 0) of open time after ``us`` is used up; always an open instant."""
        if amount == 0:
            return self.next_open(us)
        k = us // BLOCK_US
        blk = self._blocks.get(k) or self.block(k)
        remaining = amount + blk.prefix(us)  # measured from the block's start
        if remaining > blk.total:
            blk, remaining = self._jump(k, remaining)
        j = bisect_left(blk.cum_end, remaining)
        point = blk.starts[j] + (remaining - blk.cum[j])
        if point < blk.ends[j]:
            return point
        # used up exactly at a closing instant: the answer is the next opening
        return blk.starts[j + 1] if j + 1 < len(blk.starts) else self.next_open(point)

    def _jump(self, k: int, remaining: int) -> tuple[Block, int]:
        """Skip whole blocks until ``remaining`` (counted from block k's start) fits in one."""
        blk = self._blocks.get(k) or self.block(k)
        special = self._special_block(last=True)
        empty = 0
        while remaining > blk.total:
            remaining -= blk.total
            k += 1
            blk = self._blocks.get(k) or self.block(k)
            if blk.total == 0 and (special is None or k > special):
                empty += 1
                if empty >= HORIZON_BLOCKS:
                    raise NeverOpenError(
                        f"the schedule has no open time in {HORIZON_BLOCKS} consecutive years"
                    )
            else:
                empty = 0
        return blk, remaining

    def subtract(self, us: int, amount: int) -> int:
        """The earliest ``t <= us`` with ``amount`` (>= 0) of open time in ``[t, us)``."""
        remaining = amount
        cursor = us
        for blk in self.walk(us // BLOCK_US, -1):
            before = blk.prefix(cursor)
            if remaining <= before:
                target = before - remaining
                if target == 0:
                    landing = min(cursor, blk.starts[0]) if blk.starts else cursor
                else:
                    landing = blk.point(target)
                return self.rewind(landing)
            remaining -= before
            cursor = blk.lo
        raise AssertionError("unreachable")  # pragma: no cover

    def between(self, a: int, b: int) -> int:
        """Open time in ``[a, b)`` for ``a <= b``."""
        ka, kb = a // BLOCK_US, b // BLOCK_US
        if ka == kb:
            blk = self._blocks.get(ka) or self.block(ka)
            return blk.prefix(b) - blk.prefix(a)
        first = self.block(ka)
        total = first.total - first.prefix(a)
        for k in range(ka + 1, kb):
            total += self.block(k).total
        return total + self.block(kb).prefix(b)

    def spans(self, a: int, b: int) -> Iterator[Span]:
        """Merged open spans clipped to ``[a, b)``."""
        pending: Span | None = None
        for k in range(a // BLOCK_US, b // BLOCK_US + 1):
            blk = self.block(k)
            i = bisect_right(blk.ends, a)
            while i < len(blk.starts) and blk.starts[i] < b:
                s, e = max(blk.starts[i], a), min(blk.ends[i], b)
                if pending is not None and pending[1] == s:
                    pending = (pending[0], e)
                else:
                    if pending is not None:
                        yield pending
                    pending = (s, e)
                i += 1
        if pending is not None:
            yield pending

    # --- business days -------------------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        """Whether the date's own spans keep any open time after breaks."""
        cached = self._business_days.get(day)
        if cached is not None:
            return cached
        opens, _ = self.day_instants(day)
        answer = False
        if opens:
            cuts: list[Span] = []
            for near in (day - _ONE_DAY, day, day + _ONE_DAY):
                cuts.extend(self.day_instants(near)[1])
            answer = bool(_subtract(_merge(opens), _merge(cuts)))
        self._business_days[day] = answer
        return answer

    def business_days_after(self, day: date, n: int) -> date:
        """The ``n``-th business day after ``day`` (before, for ``n < 0``); see Schedule."""
        if n == 0:
            if self.is_business_day(day):
                return day
            n = 1
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        left = abs(n)
        idle = 0
        limit = HORIZON_BLOCKS * 366
        try:
            while True:
                day += step
                if self.is_business_day(day):
                    left -= 1
                    idle = 0
                    if left == 0:
                        return day
                else:
                    idle += 1
                    beyond = self._last_special is None or (
                        day > self._last_special if n > 0 else day < self._last_special
                    )
                    if idle >= limit and beyond:
                        raise NeverOpenError(
                            f"no business day in {HORIZON_BLOCKS} consecutive years"
                        )
        except OverflowError:
            raise NeverOpenError("the search left the supported years") from None

    def _same_wall_time(self, us: int, day: date) -> int:
        local = self.local(us)
        seconds = local.hour * 3600 + local.minute * 60 + local.second
        return self.zone.wall_to_us(day, seconds) + local.microsecond

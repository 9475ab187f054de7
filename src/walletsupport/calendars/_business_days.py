"""Business-day arithmetic by whole weeks: the weekly pattern plus a sorted list of exceptions.

A schedule's business days are, on almost every date, its weekly pattern (which weekdays keep
open time after breaks). The dates that may differ are few and known in advance: listed and
generated holidays, official make-up working days, overrides, dated breaks, DST transitions,
and the days next to them (a neighbour's break can spill over midnight). For each calendar year
those candidates are checked against the timeline's own answer, and the differences are kept as
*exceptions* (+1: a business day the pattern does not have; -1: a pattern day that is closed).

Then ``count(a, b)`` is whole weeks times the weekly count, plus a lookup in a 7 x 7 table for
the remainder, plus a prefix sum over the exceptions found by bisection; ``nth_after`` inverts
the weekly count in O(1) and corrects for the exceptions in a few steps. The cost does not grow
with ``n`` (numpy's ``busday_offset`` is the reference for speed; see
``benchmarks/bench_calendars.py``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from walletsupport.calendars._timeline import _merge, _subtract
from walletsupport.errors import NeverOpenError

if TYPE_CHECKING:
    from walletsupport.calendars._timeline import Span, Timeline

__all__ = ["BusinessDays"]

_DAY = 86_400
_FIRST_ORD = date(4, 1, 1).toordinal()
_LAST_ORD = date(9996, 12, 31).toordinal()


def _weekly_mask(tl: Timeline) -> tuple[bool, ...]:
    """Whether each weekday (Monday first) is a business day on an ordinary date."""
    mask = []
    for w in range(7):
        opens: list[Span] = [(s, e) for s, e in tl.weekly[w] if s < e]
        cuts: list[Span] = []
        for shift in (-1, 0, 1):
            cuts.extend(
                (s + shift * _DAY, e + shift * _DAY)
                for s, e in tl.weekly_breaks[(w + shift) % 7]
                if s < e
            )
        mask.append(bool(opens) and bool(_subtract(_merge(opens), _merge(cuts))))
    return tuple(mask)


class BusinessDays:
    """Fast business-day questions for one compiled timeline (cached per schedule instance)."""

    def __init__(self, tl: Timeline) -> None:
        self.timeline = tl
        self.mask = _weekly_mask(tl)
        self.per_week = sum(self.mask)
        # within[w][r]: pattern days among the r days starting on weekday w (r = 0..7)
        self.within = [
            [sum(self.mask[(w + i) % 7] for i in range(r)) for r in range(8)] for w in range(7)
        ]
        self._years: dict[int, list[tuple[int, int]]] = {}
        self._lo: int | None = None
        self._hi: int | None = None
        self._ords: list[int] = []
        self._cum: list[int] = [0]
        self._closed: frozenset[int] = frozenset()
        self._lo_ord = 1
        self._hi_ord = 0

    # --- exceptions, one year at a time -----------------------------------------------------

    def _candidates(self, year: int) -> set[date]:
        tl = self.timeline
        seeds: set[date] = set(tl.holidays) | set(tl.overrides) | set(tl.dated_breaks)
        for y in (year - 1, year, year + 1):
            if 4 <= y <= 9996:
                generated = tl.holiday_year(y)
                if generated is not None:
                    seeds |= generated.holidays | generated.workdays
        tz = tl.zone.tz
        day = date(year, 1, 1) - timedelta(days=1)
        last = date(year, 12, 31) + timedelta(days=1)
        noon = time(12)
        previous = datetime.combine(day, noon, tzinfo=tz).utcoffset()
        while day < last:
            day += timedelta(days=1)
            offset = datetime.combine(day, noon, tzinfo=tz).utcoffset()
            if offset != previous:
                seeds.add(day - timedelta(days=1))
                seeds.add(day)
            previous = offset
        found: set[date] = set()
        for seed in seeds:
            if abs(seed.year - year) <= 1:
                found.update(seed + timedelta(days=k) for k in (-1, 0, 1))
        return {d for d in found if d.year == year}

    def _year(self, year: int) -> list[tuple[int, int]]:
        cached = self._years.get(year)
        if cached is None:
            tl = self.timeline
            cached = []
            for d in sorted(self._candidates(year)):
                actual = tl.is_business_day(d)
                if actual != self.mask[d.weekday()]:
                    cached.append((d.toordinal(), 1 if actual else -1))
            self._years[year] = cached
        return cached

    def _cover(self, first: int, last: int) -> None:
        """Make sure the exceptions of every year from ordinal ``first`` to ``last`` are loaded."""
        if self._lo_ord <= first and last <= self._hi_ord:
            return
        y0 = date.fromordinal(min(max(first, _FIRST_ORD), _LAST_ORD)).year
        y1 = date.fromordinal(min(max(last, _FIRST_ORD), _LAST_ORD)).year
        lo = y0 if self._lo is None else min(self._lo, y0)
        hi = y1 if self._hi is None else max(self._hi, y1)
        ords: list[int] = []
        cum = [0]
        for y in range(lo, hi + 1):
            for ordinal, delta in self._year(y):
                ords.append(ordinal)
                cum.append(cum[-1] + delta)
        self._lo, self._hi, self._ords, self._cum = lo, hi, ords, cum
        self._closed = frozenset(
            o for y in range(lo, hi + 1) for o, delta in self._years[y] if delta < 0
        )
        self._lo_ord = date(lo, 1, 1).toordinal()
        self._hi_ord = date(hi, 12, 31).toordinal()

    # --- questions on ordinals ----------------------------------------------------------------

    def _pattern_count(self, a: int, b: int) -> int:
        """Pattern days ``d`` with ``a <= d < b`` (``a <= b``); ordinal 1 is a Monday."""
        weeks, rest = divmod(b - a, 7)
        return weeks * self.per_week + self.within[(a - 1) % 7][rest]

    def _count(self, a: int, b: int) -> int:
        ords, cum = self._ords, self._cum
        return self._pattern_count(a, b) + cum[bisect_left(ords, b)] - cum[bisect_left(ords, a)]

    def _advance(self, o: int, m: int) -> int:
        """The ``m``-th pattern day strictly after ordinal ``o`` (``m >= 1``)."""
        weeks, rest = divmod(m - 1, self.per_week)
        start = o + 1 + 7 * weeks
        row = self.within[(start - 1) % 7]
        step = 0
        while row[step + 1] <= rest:
            step += 1
        return start + step

    def _retreat(self, o: int, m: int) -> int:
        """The ``m``-th pattern day strictly before ordinal ``o`` (``m >= 1``)."""
        weeks, rest = divmod(m - 1, self.per_week)
        end = o - 1 - 7 * weeks
        step = 0
        while True:
            if self.mask[(end - step - 1) % 7]:
                if rest == 0:
                    return end - step
                rest -= 1
            step += 1

    # --- the API the schedule uses --------------------------------------------------------------

    def count(self, a: date, b: date) -> int:
        """Business days ``d`` with ``a <= d < b`` (``a <= b``)."""
        oa, ob = a.toordinal(), b.toordinal()
        if not (self._lo_ord <= oa and ob <= self._hi_ord):
            self._cover(oa, ob)
        return self._count(oa, ob)

    def nth_after(self, day: date, n: int) -> date:
        """The ``n``-th business day after ``day`` (before it for ``n < 0``; ``n != 0``)."""
        if self.per_week == 0:
            return self.timeline.business_days_after(day, n)
        o = day.toordinal()
        found = self._forward(o, n) if n > 0 else self._backward(o, -n)
        if found is None:  # pathological (almost nothing open): the timeline's own walk
            return self.timeline.business_days_after(day, n)
        return date.fromordinal(found)

    def _forward(self, o: int, n: int) -> int | None:
        # x = the m-th pattern day after o; e = the exceptions in (o, x]; the first x with
        # m + e >= n bounds the answer, found in a few jumps whatever n is.
        m = n
        x = self._advance(o, m)
        for _ in range(64):
            if x > _LAST_ORD:
                raise NeverOpenError("the search left the supported years")
            if not (self._lo_ord <= o and x + 1 <= self._hi_ord):
                self._cover(o, x + 366)
            ords, cum = self._ords, self._cum
            e = cum[bisect_right(ords, x)] - cum[bisect_right(ords, o)]
            if m + e >= n:
                if m + e == n and x not in self._closed:
                    return x
                while self._count(o + 1, x) >= n:
                    x -= 1
                return x
            m = n - e
            x = self._advance(o, m)
        return None

    def _backward(self, o: int, n: int) -> int | None:
        m = n
        x = self._retreat(o, m)
        for _ in range(64):
            if x < _FIRST_ORD:
                raise NeverOpenError("the search left the supported years")
            if not (self._lo_ord <= x - 1 and o <= self._hi_ord):
                self._cover(x - 366, o)
            ords, cum = self._ords, self._cum
            e = cum[bisect_left(ords, o)] - cum[bisect_left(ords, x)]
            if m + e >= n:
                if m + e == n and x not in self._closed:
                    return x
                while self._count(x + 1, o) >= n:
                    x += 1
                return x
            m = n - e
            x = self._retreat(o, m)
        return None

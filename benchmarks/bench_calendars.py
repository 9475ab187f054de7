"""Benchmark: walletsupport.calendars against pandas CustomBusinessHour, in the same run.

Schedule: Mon-Fri 09:00-17:00 America/New_York with US federal holidays (the `holidays`
package). Durations: 10 h, 80 h, 2000 h. Two operations:

* ``add_business_time(t, d)`` vs ``t + CustomBusinessHour(n=d_hours, ...)`` on a tz-aware
  ``Timestamp``;
* ``business_time_between(t, u)`` vs the pandas idiom of counting business hours,
  ``len(pd.date_range(t, u, freq=CustomBusinessHour(...), inclusive="left"))``.

Both sides first agree on the answers (checked below), then each is timed on the same start
instants (spread over 2026, whole hours so pandas' hour-step idiom is exact), warm caches on
both sides (pandas keeps its holiday calendar in the offset object, we keep blocks on the
schedule instance).

Second part: whole business days. ``Schedule.business_days_after(day, n)`` against numpy's
``busday_offset(day, n, roll="forward", busdaycal=...)`` on the same calendar (Mon-Fri, the
Federal Reserve holidays 2020-2075 given to numpy as its holiday list), n = 10, 100, 1000,
10000, from business days spread over 2026 (where both definitions agree). Target: within 2x
numpy's time per call at every n.

Third part: one schedule asked about random instants across its whole range (years 5 to
9990), each in a year not seen before: time per question and memory held (bounded caches).

Run: ``PYTHONPATH=src python benchmarks/bench_calendars.py``. pandas and numpy are
benchmark-only imports (the ``bench`` extra); the library does not depend on them.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import pandas as pd

from walletsupport.calendars import HolidayCalendar, Schedule

NY = ZoneInfo("America/New_York")
HOURS = (10, 80, 2000)
REPEAT = 7


def _starts() -> list[datetime]:
    """Whole-hour instants spread over 2026, open and closed ones."""
    out = []
    day = date(2026, 1, 2)
    while day.year == 2026:
        for hour in (8, 11, 16, 20):
            out.append(datetime(day.year, day.month, day.day, hour, tzinfo=NY))
        day += timedelta(days=9)
    return out


def _time(fn, args) -> float:
    """Best-of-REPEAT mean seconds per call over ``args``."""
    samples = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        for a in args:
            fn(*a)
        samples.append((time.perf_counter() - t0) / len(args))
    return min(samples)


def main() -> int:
    schedule = Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))
    federal = sorted(holidays.country_holidays("US", years=range(2025, 2030)))
    cbh_1 = pd.offsets.CustomBusinessHour(start="09:00", end="17:00", holidays=federal)
    starts = _starts()

    rows = []
    for hours in HOURS:
        d = timedelta(hours=hours)
        cbh = pd.offsets.CustomBusinessHour(n=hours, start="09:00", end="17:00", holidays=federal)
        pd_starts = [pd.Timestamp(t) for t in starts]
        # agreement first (pandas rolls a closing-instant answer to the next opening too)
        ends = []
        for t, pt in zip(starts, pd_starts, strict=True):
            ours = schedule.add_business_time(t, d)
            theirs = (pt + cbh).to_pydatetime()
            assert ours == theirs, (t, ours, theirs)
            ends.append(ours)
        for t, u in list(zip(starts, ends, strict=True))[:5]:
            count = len(pd.date_range(t, u, freq=cbh_1, inclusive="left"))
            assert schedule.business_time_between(t, u) == d == timedelta(hours=count), (t, u)

        add_ours = _time(schedule.add_business_time, [(t, d) for t in starts])
        add_pd = _time(lambda pt, c=cbh: pt + c, [(pt,) for pt in pd_starts])
        pairs = list(zip(starts, ends, strict=True))
        btw_ours = _time(schedule.business_time_between, pairs)
        few = pairs[:20]  # pandas is slow here; fewer calls, same per-call measure
        btw_pd = _time(lambda a, b: len(pd.date_range(a, b, freq=cbh_1, inclusive="left")), few)
        rows.append((hours, add_ours, add_pd, btw_ours, btw_pd))

    print(
        f"walletsupport.calendars vs pandas {pd.__version__} CustomBusinessHour "
        f"(Mon-Fri 09-17 America/New_York, US federal holidays), {len(starts)} starts"
    )
    print(
        f"{'hours':>6} | {'add ours µs':>11} {'add pandas µs':>13} {'ratio':>7} | "
        f"{'between ours µs':>15} {'between pandas µs':>17} {'ratio':>8}"
    )
    for hours, ao, ap, bo, bp in rows:
        print(
            f"{hours:>6} | {ao * 1e6:>11.1f} {ap * 1e6:>13.1f} {ap / ao:>6.0f}x | "
            f"{bo * 1e6:>15.1f} {bp * 1e6:>17.1f} {bp / bo:>7.0f}x"
        )
    add_flat = rows[-1][1] / rows[0][1]
    btw_flat = rows[-1][3] / rows[0][3]
    print(f"cost of 2000 h / cost of 10 h: add {add_flat:.2f}x, between {btw_flat:.2f}x")
    cold = Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))
    t0 = time.perf_counter()
    cold.add_business_time(starts[0], timedelta(hours=2000))
    print(
        f"first call on a fresh schedule (builds 1-2 year blocks): "
        f"{(time.perf_counter() - t0) * 1e3:.1f} ms"
    )
    ok = all(ap / ao >= 20 and bp / bo >= 20 for _, ao, ap, bo, bp in rows)
    ok = ok and add_flat <= 3 and btw_flat <= 3
    print("targets (>= 20x pandas, 2000 h <= 3x 10 h):", "met" if ok else "NOT met")
    return 0 if ok else 1


BUSINESS_DAYS = (10, 100, 1_000, 10_000)


def business_days() -> int:
    """Whole business days: walletsupport vs numpy ``busday_offset``, same calendar, same run."""
    import numpy as np

    fed = HolidayCalendar.federal_reserve()
    schedule = Schedule.weekdays("America/New_York", holiday_calendar=fed)
    closed = sorted(d for y in range(2020, 2076) for d in fed.year(y).holidays)
    cal = np.busdaycalendar(weekmask="1111100", holidays=[np.datetime64(d) for d in closed])
    spread = (date(2026, 1, 2) + timedelta(days=3 * i) for i in range(120))
    starts = [d for d in spread if schedule.is_business_day(d)]
    np_starts = [np.datetime64(d) for d in starts]
    rows = []
    for n in BUSINESS_DAYS:
        for d, nd in zip(starts, np_starts, strict=True):  # agreement first (and warm caches)
            ours = schedule.business_days_after(d, n)
            theirs = np.busday_offset(nd, n, roll="forward", busdaycal=cal).astype(date)
            assert ours == theirs, (d, n, ours, theirs)
        t_ours = _time(schedule.business_days_after, [(d, n) for d in starts])
        t_np = _time(
            lambda nd, k=n: np.busday_offset(nd, k, roll="forward", busdaycal=cal),
            [(nd,) for nd in np_starts],
        )
        rows.append((n, t_ours, t_np))
    print(
        f"\nSchedule.business_days_after vs numpy {np.__version__} busday_offset "
        f"(Mon-Fri, Federal Reserve holidays), {len(starts)} starts"
    )
    print(f"{'n':>6} | {'ours µs':>8} {'numpy µs':>9} {'ours / numpy':>13}")
    for n, t_ours, t_np in rows:
        print(f"{n:>6} | {t_ours * 1e6:>8.2f} {t_np * 1e6:>9.2f} {t_ours / t_np:>12.2f}x")
    ok = all(t_ours <= 2 * t_np for _, t_ours, t_np in rows)
    print("target (within 2x numpy at every n):", "met" if ok else "NOT met")
    return 0 if ok else 1


def whole_range(queries: int = 1000) -> int:
    """One schedule asked about instants spread over its whole range: time and memory held.

    Every question (``next_open`` and ``add_business_time`` at a random instant, years 5 to
    9990) lands in a year not seen before, so each builds a block and its holiday years.
    Targets: <= 2 ms per question, <= 8 MB held afterwards (tracemalloc, a second pass on a
    fresh schedule, since tracing slows the timing).
    """
    import gc
    import random
    import tracemalloc

    def run(schedule: Schedule) -> None:
        rng = random.Random(7)
        for _ in range(queries):
            year = rng.randint(5, 9990)
            at = datetime(year, rng.randint(1, 12), rng.randint(1, 28), 12, tzinfo=UTC)
            schedule.next_open(at)
            schedule.add_business_time(at, timedelta(hours=8))

    def fresh() -> Schedule:
        return Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))

    t0 = time.perf_counter()
    run(fresh())
    per_query = (time.perf_counter() - t0) / queries
    schedule = fresh()
    gc.collect()
    tracemalloc.start()
    run(schedule)
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\nOne schedule over its whole range, {queries} questions in unseen years: "
        f"{per_query * 1e3:.2f} ms per question, {held / 1e6:.1f} MB held (peak {peak / 1e6:.1f})"
    )
    ok = per_query <= 2e-3 and held <= 8e6
    print("targets (<= 2 ms per question, <= 8 MB):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(max(main(), business_days(), whole_range()))

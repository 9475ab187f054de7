"""Properties of business-time arithmetic, and agreement with a slow minute-walking reference.

Schedules are generated on quarter-hour wall times in any zone from ``st.timezones()``,
with night shifts, breaks, holidays and overrides. The reference below shares no code with
the library: it walks real time minute by minute, reads the wall clock with ``astimezone``
and applies the model's rules literally.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from walletsupport.calendars import Schedule
from walletsupport.errors import NeverOpenError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTE = timedelta(minutes=1)


def hhmm(quarter: int) -> str:
    return f"{quarter // 4:02d}:{quarter % 4 * 15:02d}"


@st.composite
def day_spans(draw: st.DrawFn) -> list[tuple[str, str]]:
    """0-2 non-overlapping spans on quarter hours; the last may run past midnight."""
    count = draw(st.integers(0, 2))
    if count == 0:
        return []
    bounds = sorted(draw(st.sets(st.integers(0, 95), min_size=2 * count, max_size=2 * count)))
    spans = [(hhmm(bounds[i]), hhmm(bounds[i + 1])) for i in range(0, 2 * count, 2)]
    if draw(st.booleans()):  # a night shift: the last span ends next day
        start = spans[-1][0]
        spans[-1] = (start, hhmm(draw(st.integers(0, int(start[:2]) * 4))))
    elif draw(st.booleans()) and spans[-1][1] == "23:45":
        spans[-1] = (spans[-1][0], "24:00")
    return spans


@st.composite
def schedule_data(draw: st.DrawFn, around: date) -> dict[str, Any]:
    """Plain data of a schedule that opens at least once a week."""
    zone = str(draw(st.timezones()).key)
    hours = {day: draw(day_spans()) for day in DAYS}
    if not any(hours.values()):
        hours["mon"] = [("09:00", "17:00")]
    hours = {d: s for d, s in hours.items() if s}
    breaks: dict[str, list[tuple[str, str]]] = {}
    for day, spans in hours.items():
        start, end = spans[0]
        if end > start and draw(st.booleans()):  # a break inside the first span
            q0, q1 = (
                int(start[:2]) * 4 + int(start[3:]) // 15,
                int(end[:2]) * 4 + int(end[3:]) // 15,
            )
            if q1 - q0 >= 3:
                a = draw(st.integers(q0 + 1, q1 - 2))
                breaks[day] = [(hhmm(a), hhmm(a + 1))]
    offsets = st.integers(-1, 9).map(lambda n: around + timedelta(days=n))
    holidays = draw(st.lists(offsets, max_size=2))
    overrides = {d.isoformat(): draw(day_spans()) for d in draw(st.lists(offsets, max_size=2))}
    return {
        "zone": zone,
        "hours": hours,
        "breaks": breaks,
        "holidays": [d.isoformat() for d in holidays],
        "overrides": overrides,
    }


@st.composite
def cases(draw: st.DrawFn) -> tuple[Schedule, dict[str, Any], datetime]:
    around = draw(st.dates(date(1995, 1, 1), date(2040, 12, 31)))
    data = draw(schedule_data(around))
    schedule = Schedule.model_validate(data)
    tz = ZoneInfo(data["zone"])
    at = draw(
        st.datetimes(
            datetime(around.year, around.month, around.day),
            datetime(around.year, around.month, around.day) + timedelta(days=2),
            timezones=st.just(tz),
            allow_imaginary=False,
        )
    )
    return schedule, data, at


durations = st.integers(0, 40 * 60).map(lambda m: timedelta(minutes=m)) | st.timedeltas(
    timedelta(0), timedelta(hours=60)
)


# --- properties of the real implementation ----------------------------------------------------


@given(cases(), durations)
def test_business_time_between_t_and_add_is_d(case: Any, d: timedelta) -> None:
    schedule, _, at = case
    try:
        end = schedule.add_business_time(at, d)
    except NeverOpenError:
        return
    assert schedule.business_time_between(at, end) == d
    assert schedule.is_open(end), "add never lands inside a closure"
    assert end.astimezone(UTC) >= at.astimezone(UTC)


@given(cases(), durations)
def test_subtract_mirrors_add(case: Any, d: timedelta) -> None:
    schedule, _, at = case
    try:
        end = schedule.add_business_time(at, d)
    except NeverOpenError:
        return
    back = schedule.subtract_business_time(end, d)
    assert back.astimezone(UTC) <= at.astimezone(UTC)
    assert schedule.business_time_between(back, end) == d
    assert schedule.business_time_between(back, at) == timedelta(0)
    if d:  # a negative duration is the mirror operation
        assert schedule.add_business_time(end, -d) == back


@given(cases())
def test_next_open_is_open_and_next_close_is_later_and_closed(case: Any) -> None:
    schedule, _, at = case
    opening = schedule.next_open(at)
    assert schedule.is_open(opening)
    assert opening.astimezone(UTC) >= at.astimezone(UTC)
    assert schedule.business_time_between(at, opening) == timedelta(0)
    closing = schedule.next_close(at)
    assert closing.astimezone(UTC) > at.astimezone(UTC)
    assert not schedule.is_open(closing)


@given(cases())
def test_generated_schedules_round_trip_through_json(case: Any) -> None:
    schedule, _, _ = case
    assert Schedule.model_validate_json(schedule.model_dump_json()) == schedule


@given(cases(), st.integers(-4, 4))
def test_business_days_after_counts_back(case: Any, n: int) -> None:
    schedule, _, at = case
    day = at.date()
    target = schedule.business_days_after(day, n)
    if n > 0:
        assert (
            schedule.count_business_days(day + timedelta(days=1), target + timedelta(days=1)) == n
        )
    elif n < 0:
        assert schedule.count_business_days(target, day) == -n
    assert schedule.is_business_day(target)


# --- the minute walker ------------------------------------------------------------------------


class MinuteWalker:
    """Open or closed for every minute of ``[t0, t0 + days)``, from the rules, by brute force."""

    def __init__(self, data: dict[str, Any], t0: datetime, days: int) -> None:
        self.tz = ZoneInfo(data["zone"])
        self.t0 = t0
        n = days * 1440
        walls = [(t0 + i * MINUTE).astimezone(self.tz).replace(tzinfo=None) for i in range(n)]
        reached, top = [], walls[0]
        for w in walls:
            top = max(top, w)
            reached.append(top)
        self.reached = reached
        holidays = {date.fromisoformat(d) for d in data["holidays"]}
        overrides = {date.fromisoformat(d): s for d, s in data["overrides"].items()}
        self.open = [False] * n
        cuts = [False] * n
        day = walls[0].date() - timedelta(days=2)
        while day <= walls[-1].date():
            spans: list[tuple[str, str]]
            brks: list[tuple[str, str]]
            if day in overrides:
                spans, brks = overrides[day], []
            elif day in holidays:
                spans, brks = [], []
            else:
                name = DAYS[day.weekday()]
                spans, brks = data["hours"].get(name, []), data["breaks"].get(name, [])
            for spans_, marks in ((spans, self.open), (brks, cuts)):
                for start, end in spans_:
                    a, b = self._wall(day, start), self._wall(day, end)
                    if b <= a:
                        b += timedelta(days=1)
                    for i in range(self._first_reach(a), self._first_reach(b)):
                        marks[i] = True
            day += timedelta(days=1)
        self.open = [o and not c for o, c in zip(self.open, cuts, strict=True)]

    @staticmethod
    def _wall(day: date, text: str) -> datetime:
        h, m = int(text[:2]), int(text[3:])
        return datetime(day.year, day.month, day.day) + timedelta(hours=h, minutes=m)

    def _first_reach(self, wall: datetime) -> int:
        return bisect_left(self.reached, wall)

    def index(self, at: datetime) -> int:
        return (at - self.t0) // MINUTE

    def instant(self, i: int) -> datetime:
        return self.t0 + i * MINUTE

    def add(self, i: int, minutes: int) -> int | None:
        left = minutes
        while i < len(self.open):
            if self.open[i]:
                if left == 0:
                    return i
                left -= 1
            i += 1
        return None


@settings(max_examples=40)
@given(
    cases(),
    st.lists(st.integers(0, 8 * 1440 - 1), min_size=2, max_size=2),
    st.integers(0, 30 * 60),
)
def test_agrees_with_the_minute_walker(case: Any, picks: list[int], minutes: int) -> None:
    schedule, data, at = case
    t0 = at.astimezone(UTC).replace(second=0, microsecond=0) - timedelta(days=1)
    ref = MinuteWalker(data, t0, days=10)
    a, b = sorted(p + 720 for p in picks)  # stay clear of the window's edges
    for i in (a, b):
        assert schedule.is_open(ref.instant(i)) is ref.open[i], ref.instant(i)
    assert schedule.business_time_between(ref.instant(a), ref.instant(b)) == MINUTE * sum(
        ref.open[a:b]
    )
    spans = list(schedule.periods(ref.instant(a), ref.instant(b)))
    assert sum((p.duration for p in spans), timedelta(0)) == MINUTE * sum(ref.open[a:b])
    landed = ref.add(a, minutes)
    assume(landed is not None and landed < len(ref.open) - 1440)
    assert landed is not None
    result = schedule.add_business_time(ref.instant(a), MINUTE * minutes)
    assert result.astimezone(UTC) == ref.instant(landed)

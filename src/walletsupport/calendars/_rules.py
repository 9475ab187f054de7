"""Validation rules of a schedule definition, each a small function (biz ``validation.rb``).

Each rule takes the schedule's plain parts and returns a message, or ``None`` when it holds.
The schedule runs them once at construction and raises ``InvalidScheduleError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from itertools import pairwise
from typing import Any, Protocol

from walletsupport.calendars._zone import load_zone
from walletsupport.calendars.hours import SECONDS_PER_DAY, span_seconds, wall_seconds

__all__ = ["RULES", "check"]

Spans = Sequence[tuple[str, str]]


class _Definition(Protocol):
    @property
    def zone(self) -> str: ...
    @property
    def hours(self) -> Mapping[Any, Spans]: ...
    @property
    def breaks(self) -> Mapping[Any, Spans]: ...
    @property
    def dated_breaks(self) -> Mapping[date, Spans]: ...
    @property
    def overrides(self) -> Mapping[date, Spans]: ...
    @property
    def makeup_day_hours(self) -> Spans | None: ...


def _groups(schedule: _Definition) -> Iterable[tuple[str, Spans]]:
    for day, spans in schedule.hours.items():
        yield f"hours[{day}]", spans
    for day, spans in schedule.breaks.items():
        yield f"breaks[{day}]", spans
    for on, spans in schedule.dated_breaks.items():
        yield f"dated_breaks[{on.isoformat()}]", spans
    for on, spans in schedule.overrides.items():
        yield f"overrides[{on.isoformat()}]", spans
    if schedule.makeup_day_hours is not None:
        yield "makeup_day_hours", schedule.makeup_day_hours


def zone_is_known(schedule: _Definition) -> str | None:
    """The zone is an IANA key the system's tz database knows."""
    if load_zone(schedule.zone) is None:
        return f"unknown IANA time zone {schedule.zone!r}"
    return None


def no_span_starts_at_end_of_day(schedule: _Definition) -> str | None:
    """``"24:00"`` may end a span, never start one (such a span would be empty)."""
    for where, spans in _groups(schedule):
        for start, _ in spans:
            if wall_seconds(start) == SECONDS_PER_DAY:
                return f"{where}: a span cannot start at 24:00"
    return None


def spans_do_not_overlap(schedule: _Definition) -> str | None:
    """Spans listed for one day (or one date) do not overlap each other."""
    for where, spans in _groups(schedule):
        ordered = sorted(span_seconds(s) for s in spans if wall_seconds(s[0]) < SECONDS_PER_DAY)
        for (_, prev_end), (start, _) in pairwise(ordered):
            if start < prev_end:
                return f"{where}: spans overlap"
    return None


def _cuts_something(cut: tuple[int, int], *groups: Iterable[tuple[int, int]]) -> bool:
    return any(start < cut[1] and cut[0] < end for group in groups for start, end in group)


def _spill(spans: Spans) -> list[tuple[int, int]]:
    """The previous day's spans as seen from the next midnight (night shifts reach into it)."""
    return [(s - SECONDS_PER_DAY, e - SECONDS_PER_DAY) for s, e in map(span_seconds, spans)]


def weekly_breaks_cut_hours(schedule: _Definition) -> str | None:
    """A weekly break overlaps that weekday's hours (or the night shift of the day before).

    A break that cuts nothing is almost always a typo; one that sticks out of the hours is
    harmless and allowed.
    """
    order = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    for day, spans in schedule.breaks.items():
        previous = order[(order.index(str(day)) - 1) % 7]
        own = [span_seconds(s) for s in schedule.hours.get(day, ())]
        before = _spill(schedule.hours.get(previous, ()))
        for span in spans:
            if not _cuts_something(span_seconds(span), own, before):
                return f"breaks[{day}]: break {span[0]}-{span[1]} is outside that day's hours"
    return None


def dated_breaks_cut_overrides(schedule: _Definition) -> str | None:
    """A dated break on an overridden date overlaps that date's override spans."""
    for on, spans in schedule.dated_breaks.items():
        if on not in schedule.overrides:
            continue
        own = [span_seconds(s) for s in schedule.overrides[on]]
        for span in spans:
            if not _cuts_something(span_seconds(span), own):
                return (
                    f"dated_breaks[{on.isoformat()}]: break {span[0]}-{span[1]} "
                    "is outside that date's override hours"
                )
    return None


RULES: tuple[Callable[[_Definition], str | None], ...] = (
    zone_is_known,
    no_span_starts_at_end_of_day,
    spans_do_not_overlap,
    weekly_breaks_cut_hours,
    dated_breaks_cut_overrides,
)


def check(schedule: _Definition) -> str | None:
    """The first broken rule's message, or ``None`` when every rule holds."""
    for rule in RULES:
        message = rule(schedule)
        if message is not None:
            return message
    return None

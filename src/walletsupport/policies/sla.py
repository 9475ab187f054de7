"""Service-level targets for support tickets: first reply and resolution, on a `Schedule`.

An SLA target is an amount of *business time* on the support line's
[Schedule][walletsupport.calendars.schedule.Schedule] (24/7 when no schedule is given). The
clock runs only while the case is in a running state; while the ticket waits on the customer
(``pending``) the clock is paused and no deadline is running. These are contractual targets
chosen by the operator, not rules of law: deadlines computed from them carry the source
``"SLA first reply"`` / ``"SLA resolution"``.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    >>> away = (t0 + timedelta(hours=1), t0 + timedelta(hours=3))
    >>> sla_due_at(timedelta(hours=4), t0, pauses=[away])
    datetime.datetime(2026, 1, 5, 15, 0, tzinfo=datetime.timezone.utc)
    >>> STANDARD_SLA.first_reply
    datetime.timedelta(seconds=28800)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import ClassVar, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport.calendars.schedule import Schedule
from walletsupport.clock import _shift, ensure_aware
from walletsupport.errors import ConfigurationError, InvalidInputError, WalletSupportError

__all__ = ["PRIORITY_SLA", "STANDARD_SLA", "SlaPolicy", "sla_due_at"]

#: A pause of the SLA clock: ``(start, end)``; ``end`` is ``None`` while it lasts.
Pause = tuple[datetime, datetime | None]


class SlaPolicy(WalletModel, frozen=True, extra="forbid"):
    """First-reply and resolution targets in business time, on an optional schedule.

    Attributes:
        name: a short preset name, shown in deadline descriptions.
        first_reply: business time from opening to the first agent reply.
        resolution: business time from opening to "solved" (pauses excluded).
        schedule: the line's business hours; ``None`` counts every hour (24/7).

    Examples:
        >>> from datetime import timedelta
        >>> vip = SlaPolicy(name="vip", first_reply=timedelta(minutes=30),
        ...                 resolution=timedelta(hours=4))
        >>> vip.name
        'vip'
        >>> SlaPolicy(name="bad", first_reply=timedelta(hours=9),
        ...           resolution=timedelta(hours=8))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.ConfigurationError: invalid SlaPolicy: the first-reply target ...
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    name: str = Field(default="standard", min_length=1, max_length=64)
    first_reply: timedelta = Field(default=timedelta(hours=8), gt=timedelta(0))
    resolution: timedelta = Field(default=timedelta(hours=40), gt=timedelta(0))
    schedule: Schedule | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.first_reply > self.resolution:
            raise PydanticCustomError(
                "walletsupport.sla_targets",
                "the first-reply target must not exceed the resolution target",
            )
        return self

    def due_at(
        self, target: timedelta, started_at: datetime, pauses: Iterable[Pause] = ()
    ) -> datetime | None:
        """When ``target`` business time has run since ``started_at``, pauses excluded.

        See [sla_due_at][walletsupport.policies.sla.sla_due_at]; uses this policy's schedule.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
            >>> STANDARD_SLA.due_at(STANDARD_SLA.first_reply, t0).isoformat()
            '2026-01-05T17:00:00+00:00'
        """
        return sla_due_at(target, started_at, pauses, schedule=self.schedule)


#: 8 business hours to the first reply, 40 to resolution.
STANDARD_SLA = SlaPolicy()
#: 1 business hour to the first reply, 8 to resolution.
PRIORITY_SLA = SlaPolicy(
    name="priority", first_reply=timedelta(hours=1), resolution=timedelta(hours=8)
)


def _between(schedule: Schedule | None, start: datetime, end: datetime) -> timedelta:
    if schedule is None:
        return end - start
    return schedule.business_time_between(start, end)


def _add(schedule: Schedule | None, at: datetime, amount: timedelta) -> datetime:
    if schedule is None:
        return ensure_aware(_shift(at, amount, "the due instant"), "the due instant")
    return schedule.add_business_time(at, amount)


def sla_due_at(
    target: timedelta,
    started_at: datetime,
    pauses: Iterable[Pause] = (),
    *,
    schedule: Schedule | None = None,
) -> datetime | None:
    """When ``target`` of running business time has elapsed since ``started_at``.

    Time inside a pause does not count. A pause that begins after the target was already
    reached does not move the deadline (the SLA was breached before it). While a pause is
    still open (``end`` is ``None``) and the target was not reached before it, the clock is
    stopped and the result is ``None``.

    Args:
        target: the business time allowed.
        started_at: when the clock started.
        pauses: ``(start, end)`` pairs, in any order; they may not overlap.
        schedule: the business hours; ``None`` counts every hour.

    Raises:
        InvalidInputError: a negative target, a naive datetime, a pause that ends before it
            starts, or overlapping pauses.
        NeverOpenError: the schedule never opens.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
        >>> sla_due_at(timedelta(hours=2), t0, [(t0 + timedelta(hours=1), None)]) is None
        True
        >>> sla_due_at(timedelta(hours=2), t0, [(t0 + timedelta(hours=3), None)]).hour
        11
    """
    if not isinstance(target, timedelta) or target < timedelta(0):
        raise InvalidInputError("target must be a non-negative timedelta")
    cursor = ensure_aware(started_at, "started_at")
    ordered: list[Pause] = []
    for start, end in pauses:
        ensure_aware(start, "pause start")
        if end is not None and ensure_aware(end, "pause end") < start:
            raise InvalidInputError("a pause must not end before it starts")
        ordered.append((start, end))
    ordered.sort(key=lambda p: p[0])
    remaining = target
    previous_end: datetime | None = cursor
    for start, end in ordered:
        if previous_end is None or start < previous_end:
            raise InvalidInputError("pauses must not overlap each other or the start")
        running = _between(schedule, cursor, start)
        if running >= remaining:
            return _add(schedule, cursor, remaining)
        remaining -= running
        if end is None:
            return None
        cursor = end
        previous_end = end
    return _add(schedule, cursor, remaining)

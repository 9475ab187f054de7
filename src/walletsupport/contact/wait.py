"""Queue wait estimates for a support line: Erlang C (the M/M/N queue).

All formulas come from ``reference/queueing.md`` (standard results for the M/M/N queue with
Poisson arrivals, exponential handle times, infinite patience and first-come-first-served; e.g.
L. Kleinrock, *Queueing Systems, Vol. 1*, 1975 **[nr]**). Rule ids are named where used:
``ERLANG_TRAFFIC``, ``ERLANG_STABILITY``, ``ERLANG_C_PWAIT``, ``ERLANG_SERVICE_LEVEL``,
``ERLANG_ASA``, ``ERLANG_OCCUPANCY``, ``ERLANG_ANSWERED_IMMEDIATELY``, ``ERLANG_B_RECURSION``.

Every computation uses the Erlang B recursion (``ERLANG_B_RECURSION``): no powers, no
factorials, every intermediate in (0, 1], O(N) time, stable for many thousands of agents.
When the offered traffic is at least the number of agents (``ERLANG_STABILITY``) the queue
grows without bound; [estimate_wait][walletsupport.contact.estimate_wait] then returns an
[UnboundedWait][walletsupport.contact.UnboundedWait] value instead of raising.

Times are in seconds. Erlang C ignores callers who hang up (see ``ERLANG_A`` in the reference),
so it overstates waits a little when callers abandon.

Examples:
    >>> est = estimate_wait(agents=14, traffic=10.0, aht_seconds=180, target_seconds=20)
    >>> round(est.probability_of_waiting, 6), round(est.service_level, 6)
    (0.174132, 0.88835)
    >>> agents_needed(traffic=10.0, aht_seconds=180).raw_agents
    14
"""

from __future__ import annotations

import itertools
import math
import sys
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Annotated, Literal, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._construct import built
from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.clock import ensure_aware
from walletsupport.contact._checks import check_instance, check_local_datetime
from walletsupport.errors import InvalidInputError

if TYPE_CHECKING:
    from walletsupport.contact.lines import SupportLine

__all__ = [
    "DayName",
    "QueueBand",
    "QueueParameters",
    "QueueWait",
    "StaffingResult",
    "UnboundedWait",
    "WaitEstimate",
    "agents_needed",
    "erlang_b",
    "erlang_c",
    "estimate_wait",
    "offered_traffic",
    "wait_at",
]

DayName = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
"""A weekday, spelled as the keys of a Schedule's ``hours``."""

_DAYS: tuple[DayName, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEK_MINUTES = 7 * 24 * 60
# Staffing search gives up (typed error) past this many agents above the traffic: any
# service-level target below 1 is met long before (P_w decays faster than geometrically).
_STAFFING_HEADROOM = 100_000
#: The largest offered load accepted, in Erlangs: far beyond any contact centre, small enough
#: that every Erlang computation stays in the millisecond range.
MAX_TRAFFIC = 1_000_000.0
_LARGEST = sys.float_info.max


# --- input checks --------------------------------------------------------------------------


#: The most agents accepted: beyond any contact centre, and the Erlang sums stay fast.
MAX_AGENTS = 1_000_000


def _check_agents(agents: object) -> int:
    if isinstance(agents, bool) or not isinstance(agents, int) or not 0 <= agents <= MAX_AGENTS:
        raise InvalidInputError(
            f"agents must be an int from 0 to {MAX_AGENTS}, got {shown(agents)}"
        )
    return agents


def _check_number(value: object, name: str, *, positive: bool = False) -> float:
    if type(value) is float or (type(value) is int and -(2**53) < value < 2**53):
        # the common case first, without isinstance unions or a huge int's float overflow
        number = float(value)
        if 0.0 < number <= _LARGEST or (number == 0.0 and not positive):
            return number
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{name} must be a number, got {type(value).__name__}")
    number = float(value) if isinstance(value, float) or abs(value) < 2**1000 else math.inf
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        kind = "positive" if positive else "non-negative"
        raise InvalidInputError(f"{name} must be a finite {kind} number, got {shown(value)}")
    return number


def _check_traffic(value: object, *, positive: bool = False) -> float:
    traffic = _check_number(value, "traffic", positive=positive)
    if traffic > MAX_TRAFFIC:
        # the Erlang sums take O(sqrt(A)) steps: bound them instead of running for hours
        raise InvalidInputError(
            f"traffic must be at most {MAX_TRAFFIC:g} Erlangs, got {shown(value)}"
        )
    return traffic


def _check_fraction(value: object, name: str, *, low_open: bool, high_open: bool) -> float:
    number = _check_number(value, name)
    too_low = number <= 0 if low_open else number < 0
    too_high = number >= 1 if high_open else number > 1
    if too_low or too_high:
        interval = f"{'(' if low_open else '['}0, 1{')' if high_open else ']'}"
        raise InvalidInputError(f"{name} must be in {interval}, got {shown(value)}")
    return number


# --- the formulas --------------------------------------------------------------------------


def offered_traffic(calls: float, interval_seconds: float, aht_seconds: float) -> float:
    """Offered load in Erlangs: ``A = calls / interval · AHT`` (``ERLANG_TRAFFIC``).

    Args:
        calls: calls arriving in one interval.
        interval_seconds: the interval's length.
        aht_seconds: average handle time of one call.

    Raises:
        InvalidInputError: a negative or non-finite number, or a zero interval or handle time.

    Examples:
        >>> offered_traffic(100, 1800, 180)
        10.0
    """
    n_calls = _check_number(calls, "calls")
    interval = _check_number(interval_seconds, "interval_seconds", positive=True)
    aht = _check_number(aht_seconds, "aht_seconds", positive=True)
    return n_calls / interval * aht


def _erlang_b(agents: int, traffic: float) -> float:
    """Erlang B from ``1/B(N) = Σ_j N!/(N−j)! / A^j``: the recursion unrolled from the top.

    Summing from ``j = 0`` (the largest index) downwards, terms grow while ``N − j > A`` and then
    shrink geometrically; once they are below 1e-17 of the sum the rest cannot change a double,
    so the loop stops after about ``(N − A) + 9·√A`` terms instead of N. A sum beyond 1e300
    means ``B < 1e-300``, which is 0 for every later use.
    """
    if agents == 0:
        return 1.0
    if traffic == 0:
        return 0.0
    total = 1.0
    term = 1.0
    for k in range(agents, 0, -1):
        term *= k / traffic
        total += term
        if k <= traffic and term < total * 1e-17:
            break
        if total > 1e300:
            return 0.0
    return 1.0 / total


def _erlang_c_from_b(agents: int, traffic: float, blocking: float) -> float:
    return agents * blocking / (agents - traffic * (1.0 - blocking))


def erlang_b(agents: int, traffic: float) -> float:
    """Erlang B blocking probability (``ERLANG_B_RECURSION``).

    ``B(0) = 1``, ``B(n) = A·B(n−1) / (n + A·B(n−1))``. Unrolled, ``1/B(N)`` is the sum
    ``Σ_j N!/(N−j)! / A^j``; it is summed from the top down with ratios ``k/A`` only (no powers,
    no factorials) and stops once the terms can no longer change a double, so large N near the
    traffic costs O(√A) steps rather than O(N).

    Args:
        agents: number of servers N (0 or more).
        traffic: offered load A in Erlangs.

    Raises:
        InvalidInputError: negative agents or a negative / non-finite traffic.

    Examples:
        >>> round(erlang_b(2, 1.0), 6)
        0.2
    """
    return _erlang_b(_check_agents(agents), _check_traffic(traffic))


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a caller waits, ``P_w`` (``ERLANG_C_PWAIT``).

    Computed as ``C = N·B / (N − A·(1 − B))`` from the Erlang B recursion
    (``ERLANG_B_RECURSION``). When ``traffic >= agents`` the queue is unstable
    (``ERLANG_STABILITY``) and every caller waits: the result is ``1.0``.

    Args:
        agents: number of agents N.
        traffic: offered load A in Erlangs.

    Raises:
        InvalidInputError: negative agents or a negative / non-finite traffic.

    Examples:
        >>> round(erlang_c(14, 10.0), 6)
        0.174132
        >>> erlang_c(10, 10.0)
        1.0
    """
    n = _check_agents(agents)
    a = _check_traffic(traffic)
    if a >= n:
        return 1.0
    if a == 0:
        return 0.0
    return _erlang_c_from_b(n, a, _erlang_b(n, a))


# --- results -------------------------------------------------------------------------------


class WaitEstimate(WalletModel, frozen=True, extra="forbid"):
    """What a caller can expect from a stable queue (``agents > traffic``).

    Attributes:
        kind: always ``"bounded"``; tells it apart from
            [UnboundedWait][walletsupport.contact.UnboundedWait].
        agents: agents answering (N).
        traffic: offered load in Erlangs (A).
        aht_seconds: average handle time.
        target_seconds: the answer-time target ``service_level`` is measured against.
        probability_of_waiting: ``P_w`` (``ERLANG_C_PWAIT``).
        answered_immediately: ``1 − P_w`` (``ERLANG_ANSWERED_IMMEDIATELY``).
        service_level: share answered within ``target_seconds`` (``ERLANG_SERVICE_LEVEL``).
        average_speed_of_answer_seconds: mean wait over all callers, ASA (``ERLANG_ASA``).
        occupancy: ``A / N``, the share of time agents are busy (``ERLANG_OCCUPANCY``).

    Examples:
        >>> est = estimate_wait(agents=12, traffic=10.0, aht_seconds=180)
        >>> est.kind, round(est.average_speed_of_answer_seconds, 6)
        ('bounded', 40.44494)
        >>> est.expected_wait
        datetime.timedelta(seconds=40, microseconds=444940)
    """

    kind: Literal["bounded"] = "bounded"
    agents: int = Field(gt=0)
    traffic: float = Field(ge=0, allow_inf_nan=False)
    aht_seconds: float = Field(gt=0, allow_inf_nan=False)
    target_seconds: float = Field(ge=0, allow_inf_nan=False)
    probability_of_waiting: float = Field(ge=0, le=1)
    answered_immediately: float = Field(ge=0, le=1)
    service_level: float = Field(ge=0, le=1)
    average_speed_of_answer_seconds: float = Field(ge=0, allow_inf_nan=False)
    occupancy: float = Field(ge=0, lt=1)

    @property
    def expected_wait(self) -> timedelta:
        """ASA as a ``timedelta``, rounded to the microsecond."""
        return timedelta(seconds=round(self.average_speed_of_answer_seconds, 6))


class UnboundedWait(WalletModel, frozen=True, extra="forbid"):
    """The queue is unstable: at least as much traffic as agents (``ERLANG_STABILITY``).

    Every caller waits (``P_w = 1``) and the expected wait grows without bound for as long as
    the load lasts. Tell the caller to try later, ask for a callback, or use another channel.

    Examples:
        >>> w = estimate_wait(agents=10, traffic=12.5, aht_seconds=180)
        >>> w.kind, w.probability_of_waiting
        ('unbounded', 1.0)
    """

    kind: Literal["unbounded"] = "unbounded"
    agents: int = Field(ge=0)
    traffic: float = Field(ge=0, allow_inf_nan=False)
    probability_of_waiting: float = Field(default=1.0, ge=1, le=1)
    reason: str = "offered traffic is at least the number of agents, so the queue keeps growing"


QueueWait = Annotated[WaitEstimate | UnboundedWait, Field(discriminator="kind")]
"""Either a [WaitEstimate][walletsupport.contact.WaitEstimate] or an
[UnboundedWait][walletsupport.contact.UnboundedWait], told apart by ``kind``."""


_ESTIMATE_FIELDS = frozenset(WaitEstimate.model_fields)


def _estimate(n: int, a: float, aht: float, target: float, blocking: float) -> WaitEstimate:
    if a == 0:
        p_wait = 0.0
    else:
        p_wait = n * blocking / (n - a * (1.0 - blocking))
        if p_wait > 1.0:
            p_wait = 1.0
        elif p_wait < 0.0:
            p_wait = 0.0
    service = 1.0 - p_wait * math.exp(-(n - a) * target / aht)
    # Built without re-validation: every input was checked and every output is clamped into
    # its field's range, and validating two models cost more than the Erlang maths.
    return built(
        WaitEstimate,
        {
            "kind": "bounded",
            "agents": n,
            "traffic": a,
            "aht_seconds": aht,
            "target_seconds": target,
            "probability_of_waiting": p_wait,
            "answered_immediately": 1.0 - p_wait,
            "service_level": 1.0 if service > 1.0 else 0.0 if service < 0.0 else service,
            "average_speed_of_answer_seconds": p_wait * aht / (n - a),
            "occupancy": a / n,
        },
        _ESTIMATE_FIELDS,
    )


def estimate_wait(
    *, agents: int, traffic: float, aht_seconds: float, target_seconds: float = 20.0
) -> WaitEstimate | UnboundedWait:
    """Erlang C estimate for ``agents`` agents facing ``traffic`` Erlangs.

    Args:
        agents: agents answering (N, 0 or more).
        traffic: offered load A in Erlangs
            (see [offered_traffic][walletsupport.contact.offered_traffic]).
        aht_seconds: average handle time.
        target_seconds: answer-time target for the service level (``SL_80_20`` uses 20 s).

    Returns:
        A [WaitEstimate][walletsupport.contact.WaitEstimate] when ``agents > traffic``,
        otherwise an [UnboundedWait][walletsupport.contact.UnboundedWait] (never an exception).

    Raises:
        InvalidInputError: a negative, non-finite or non-numeric argument, or a zero AHT.

    Examples:
        >>> est = estimate_wait(agents=55, traffic=48.0, aht_seconds=240, target_seconds=15)
        >>> round(est.service_level, 6), round(est.average_speed_of_answer_seconds, 6)
        (0.845883, 8.184032)
        >>> estimate_wait(agents=0, traffic=0.0, aht_seconds=60).kind
        'unbounded'
    """
    n = _check_agents(agents)
    a = _check_traffic(traffic)
    aht = _check_number(aht_seconds, "aht_seconds", positive=True)
    target = _check_number(target_seconds, "target_seconds")
    if a >= n:
        return UnboundedWait(agents=n, traffic=a)
    return _estimate(n, a, aht, target, _erlang_b(n, a))


class StaffingResult(WalletModel, frozen=True, extra="forbid"):
    """How many agents a target needs (see [agents_needed][walletsupport.contact.agents_needed]).

    Attributes:
        raw_agents: agents on the phones that meet the targets.
        scheduled_agents: ``ceil(raw_agents / (1 − shrinkage))``, the headcount to schedule.
        shrinkage: share of paid time agents are not available (breaks, training, ...).
        estimate: the queue at ``raw_agents``.

    Examples:
        >>> r = agents_needed(traffic=10.0, aht_seconds=180, shrinkage=0.3)
        >>> r.raw_agents, r.scheduled_agents
        (14, 20)
    """

    raw_agents: int = Field(gt=0)
    scheduled_agents: int = Field(gt=0)
    shrinkage: float = Field(ge=0, lt=1)
    estimate: WaitEstimate


def agents_needed(
    *,
    traffic: float,
    aht_seconds: float,
    target_seconds: float = 20.0,
    service_level: float = 0.8,
    max_occupancy: float = 1.0,
    shrinkage: float = 0.0,
) -> StaffingResult:
    """Fewest agents meeting a service-level target, e.g. 80 % within 20 s (``SL_80_20``).

    Computes B at ``N = ⌊A⌋ + 1`` (O(√A) terms, see [erlang_b][walletsupport.contact.erlang_b]),
    then walks N upward carrying the Erlang B recursion along (``ERLANG_B_RECURSION``), one step
    per agent; SL is monotone in N, so the first N that meets the target is the answer.
    If the occupancy would exceed ``max_occupancy``, N becomes ``ceil(A / max_occupancy)``.
    The scheduled headcount divides by ``1 − shrinkage`` (reference: "Staffing with shrinkage and
    max occupancy").

    Args:
        traffic: offered load A in Erlangs, more than 0.
        aht_seconds: average handle time.
        target_seconds: answer-time target.
        service_level: share to answer within the target, in (0, 1).
        max_occupancy: highest acceptable ``A / N``, in (0, 1].
        shrinkage: share of paid time not on the phones, in [0, 1).

    Raises:
        InvalidInputError: an argument out of range, or a target no realistic headcount meets.

    Examples:
        >>> agents_needed(traffic=10.0, aht_seconds=180, service_level=0.9).raw_agents
        15
        >>> agents_needed(traffic=10.0, aht_seconds=180, target_seconds=19.8,
        ...               max_occupancy=0.7, shrinkage=0.3).scheduled_agents
        22
    """
    if (
        type(traffic) is float
        and type(aht_seconds) is float
        and type(target_seconds) is float
        and type(service_level) is float
        and type(max_occupancy) is float
        and type(shrinkage) is float
        and 0.0 < traffic <= MAX_TRAFFIC
        and 0.0 < aht_seconds <= _LARGEST
        and 0.0 <= target_seconds <= _LARGEST
        and 0.0 < service_level < 1.0
        and 0.0 < max_occupancy <= 1.0
        and 0.0 <= shrinkage < 1.0
    ):
        # the common case: finite floats in range (NaN fails every comparison)
        a, aht, target = traffic, aht_seconds, target_seconds
        goal, max_occ, shrink = service_level, max_occupancy, shrinkage
    else:
        a = _check_traffic(traffic, positive=True)
        aht = _check_number(aht_seconds, "aht_seconds", positive=True)
        target = _check_number(target_seconds, "target_seconds")
        goal = _check_fraction(service_level, "service_level", low_open=True, high_open=True)
        max_occ = _check_fraction(max_occupancy, "max_occupancy", low_open=True, high_open=False)
        shrink = _check_fraction(shrinkage, "shrinkage", low_open=False, high_open=True)

    rate = target / aht
    n = math.floor(a) + 1
    limit = n + _STAFFING_HEADROOM
    blocking = _erlang_b(n, a)
    exp = math.exp
    while True:
        p_wait = n * blocking / (n - a * (1.0 - blocking))
        if 1.0 - p_wait * exp(-(n - a) * rate) >= goal:
            break
        n += 1
        if n >= limit:
            raise InvalidInputError(
                f"no headcount up to {limit} agents reaches service level {goal} "
                f"within {target} s; lower the target"
            )
        blocking = a * blocking / (n + a * blocking)
    if a / n > max_occ:
        # ceil with a tolerance so 10 / 0.5 stays 20 despite binary rounding
        found_occ = math.ceil(a / max_occ - 1e-9)
        while found_occ <= a:
            found_occ += 1
        for k in range(n + 1, found_occ + 1):
            blocking = a * blocking / (k + a * blocking)
        n = found_occ
    scheduled = n if shrink == 0.0 else max(n, math.ceil(n / (1.0 - shrink) - 1e-9))
    return built(
        StaffingResult,
        {
            "raw_agents": n,
            "scheduled_agents": scheduled,
            "shrinkage": shrink,
            "estimate": _estimate(n, a, aht, target, blocking),
        },
        _STAFFING_FIELDS,
    )


_STAFFING_FIELDS = frozenset(StaffingResult.model_fields)


# --- queue parameters by time band ---------------------------------------------------------


def _band_minutes(start: time, end: time) -> tuple[int, int]:
    s = start.hour * 60 + start.minute
    e = end.hour * 60 + end.minute
    if e <= s:  # overnight (or a full day when start == end)
        e += 24 * 60
    return s, e


class QueueBand(WalletModel, frozen=True, extra="forbid"):
    """Staffing and demand for one time band of the day, in the line's local time.

    ``start`` is inclusive, ``end`` exclusive. An ``end`` at or before ``start`` runs past
    midnight (``end == start`` is a full 24 hours); such a band belongs to the day it starts on.

    Attributes:
        start: local start time (minute precision).
        end: local end time.
        days: weekdays the band starts on; all seven by default.
        agents: agents answering during the band.
        calls_per_hour: expected arrivals per hour.

    Examples:
        >>> band = QueueBand.model_validate(
        ...     {"start": "09:00", "end": "17:00", "agents": 12, "calls_per_hour": 200})
        >>> band.covers(datetime(2026, 3, 2, 10, 30))
        True
    """

    start: time
    end: time
    days: tuple[DayName, ...] = _DAYS
    agents: int = Field(ge=0)
    calls_per_hour: float = Field(ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> Self:
        for t in (self.start, self.end):
            if t.second or t.microsecond or t.tzinfo is not None:
                raise PydanticCustomError(
                    "walletsupport.queue_band_time",
                    "band times are local wall-clock times with minute precision",
                )
        if not self.days or len(set(self.days)) != len(self.days):
            raise PydanticCustomError(
                "walletsupport.queue_band_days", "band days must be non-empty and distinct"
            )
        return self

    def week_intervals(self) -> tuple[tuple[int, int], ...]:
        """The band as half-open ``(start, end)`` minute offsets from Monday 00:00.

        Intervals that run past Sunday midnight are split so all lie in ``[0, 10080)``.

        Examples:
            >>> QueueBand(start=time(22), end=time(6), days=("sun",), agents=2,
            ...           calls_per_hour=5).week_intervals()
            ((9960, 10080), (0, 360))
        """
        s, e = _band_minutes(self.start, self.end)
        out: list[tuple[int, int]] = []
        for day in self.days:
            base = _DAYS.index(day) * 24 * 60
            lo, hi = base + s, base + e
            if hi <= _WEEK_MINUTES:
                out.append((lo, hi))
            else:
                out.extend([(lo, _WEEK_MINUTES), (0, hi - _WEEK_MINUTES)])
        return tuple(out)

    def covers(self, local: datetime) -> bool:
        """Whether a local wall-clock time (its tzinfo is ignored) falls in this band.

        Examples:
            >>> band = QueueBand(start=time(22), end=time(6), agents=2, calls_per_hour=5)
            >>> band.covers(datetime(2026, 3, 3, 5, 59)), band.covers(datetime(2026, 3, 3, 6))
            (True, False)
        """
        local = check_local_datetime(local)
        minute = local.weekday() * 24 * 60 + local.hour * 60 + local.minute
        return any(lo <= minute < hi for lo, hi in self.week_intervals())


class QueueParameters(WalletModel, frozen=True, extra="forbid"):
    """A line's queue model: agents and demand by time band, and average handle time.

    Bands must not overlap (checked at construction). A time no band covers has no estimate.

    Attributes:
        aht_seconds: average handle time of one call.
        target_seconds: answer-time target for the reported service level (20 s by default).
        bands: the time bands, in the line's local time.

    Examples:
        >>> q = QueueParameters.model_validate({"aht_seconds": 180, "bands": [
        ...     {"start": "09:00", "end": "17:00", "agents": 14, "calls_per_hour": 200}]})
        >>> q.band_at(datetime(2026, 3, 2, 9, 0)).agents
        14
        >>> q.band_at(datetime(2026, 3, 2, 8, 59)) is None
        True
    """

    aht_seconds: float = Field(gt=0, allow_inf_nan=False)
    target_seconds: float = Field(default=20.0, ge=0, allow_inf_nan=False)
    bands: tuple[QueueBand, ...] = ()

    @model_validator(mode="after")
    def _no_overlap(self) -> Self:
        spans = sorted(
            (lo, hi, i) for i, band in enumerate(self.bands) for lo, hi in band.week_intervals()
        )
        for (_, hi1, i1), (lo2, _, i2) in itertools.pairwise(spans):
            if lo2 < hi1:
                raise PydanticCustomError(
                    "walletsupport.queue_band_overlap",
                    "queue bands {first} and {second} overlap",
                    {"first": min(i1, i2), "second": max(i1, i2)},
                )
        return self

    def band_at(self, local: datetime) -> QueueBand | None:
        """The band covering a local wall-clock time, or ``None``.

        Examples:
            >>> QueueParameters(aht_seconds=60).band_at(datetime(2026, 1, 1)) is None
            True
        """
        local = check_local_datetime(local)
        for band in self.bands:
            if band.covers(local):
                return band
        return None

    def estimate(self, band: QueueBand) -> WaitEstimate | UnboundedWait:
        """Erlang C estimate for one band with this AHT and target.

        Examples:
            >>> q = QueueParameters(aht_seconds=180)
            >>> band = QueueBand(start=time(9), end=time(17), agents=13, calls_per_hour=200)
            >>> round(q.estimate(band).probability_of_waiting, 6)
            0.28527
        """
        band = check_instance(band, QueueBand, "band")
        traffic = band.calls_per_hour * self.aht_seconds / 3600.0
        return estimate_wait(
            agents=band.agents,
            traffic=traffic,
            aht_seconds=self.aht_seconds,
            target_seconds=self.target_seconds,
        )


def _zone(zone: str | ZoneInfo) -> ZoneInfo:
    if isinstance(zone, ZoneInfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise InvalidInputError(f"unknown time zone {shown(zone)}") from None


def wait_at(
    source: SupportLine | QueueParameters,
    at: datetime,
    *,
    zone: str | ZoneInfo | None = None,
) -> WaitEstimate | UnboundedWait | None:
    """Expected wait at instant ``at``, from the band covering the local time.

    The local time is ``at`` in the line's schedule zone for a
    [SupportLine][walletsupport.contact.SupportLine]; for bare
    [QueueParameters][walletsupport.contact.QueueParameters] it is ``at`` in ``zone`` if given,
    else ``at`` as passed (its own offset). Closing hours are not checked here: a band
    describes staffing, the schedule says when the line is open.

    Args:
        source: a line (uses ``line.queue`` and the schedule's zone) or queue parameters.
        at: the instant; must be timezone-aware.
        zone: IANA zone for the local time (overrides the line's zone).

    Returns:
        The estimate, or ``None`` when no band covers the time or the line has no queue data.

    Raises:
        NaiveDatetimeError: ``at`` has no timezone.
        InvalidInputError: an unknown zone or a source of the wrong type.

    Examples:
        >>> from datetime import timezone
        >>> q = QueueParameters.model_validate({"aht_seconds": 180, "bands": [
        ...     {"start": "09:00", "end": "17:00", "agents": 14, "calls_per_hour": 200}]})
        >>> at = datetime(2026, 3, 2, 15, 0, tzinfo=timezone.utc)
        >>> round(wait_at(q, at, zone="America/New_York").average_speed_of_answer_seconds, 4)
        7.8359
        >>> wait_at(q, at, zone="Asia/Shanghai") is None
        True
    """
    moment = ensure_aware(at, "at")
    if isinstance(source, QueueParameters):
        params: QueueParameters | None = source
        tz = _zone(zone) if zone is not None else None
    else:
        from walletsupport.contact.lines import SupportLine  # here: lines imports this module

        if not isinstance(source, SupportLine):
            raise InvalidInputError(
                f"wait_at takes a SupportLine or QueueParameters, got {type(source).__name__}"
            )
        params = source.queue
        tz = _zone(zone) if zone is not None else _zone(source.schedule.zone)
    if params is None:
        return None
    local = moment.astimezone(tz) if tz is not None else moment
    band = params.band_at(local)
    return None if band is None else params.estimate(band)

"""The deadline engine: time limits, rules, policies and the one `Deadline` type.

A [DeadlinePolicy][walletsupport.regulation.DeadlinePolicy] is a named, frozen set of
[DeadlineRule][walletsupport.regulation.DeadlineRule] values. Each rule counts a
[TimeLimit][walletsupport.regulation.TimeLimit] from a *milestone* of the case and ends at
another milestone. Given the milestones a case has reached,
[DeadlinePolicy.deadlines][walletsupport.regulation.DeadlinePolicy.deadlines] returns every
running [Deadline][walletsupport.regulation.Deadline] and every one met too late (a violation
stays visible), each naming its source.

Every count runs on a [Schedule][walletsupport.calendars.Schedule] (the institution's business
days): this module walks no calendar of its own. How days are counted:

* day 0 is the local date, in the schedule's zone, of the starting instant, business day or not;
* "N business days" ends at the end of the N-th business day after day 0 (day 0 never counts);
* "N days" are calendar days and end at the end of day 0 + N (12 CFR 1005.6, 1005.11 wording,
  ``REG_E_CALENDAR_DAYS``); "N weeks" are 7 N days; "N months" end at the end of the same
  day-of-month N months later, clamped to the month's last day (31 January + 1 month ->
  28/29 February);
* "the end of a day" is the exclusive instant the next local date starts
  ([Schedule.end_of_day][walletsupport.calendars.Schedule.end_of_day]).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Annotated, ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.calendars import Schedule
from walletsupport.clock import ensure_aware
from walletsupport.errors import (
    ConfigurationError,
    InvalidInputError,
    NotFoundError,
    WalletSupportError,
)

__all__ = [
    "DayCount",
    "Deadline",
    "DeadlinePolicy",
    "DeadlineRule",
    "Milestone",
    "Milestones",
    "Regime",
    "TimeLimit",
]

#: A deadline, rule or milestone name: lower snake_case, e.g. ``provisional_credit``. Declared
#: as a pattern (not a validator function) so that strategies can draw valid names.
SnakeName = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z][a-z0-9_]*$")]


def schedule_of(calendar: object) -> Schedule:
    """The business-day schedule of a `Schedule`, or of an institution (its ``schedule``)."""
    found = getattr(calendar, "schedule", calendar)
    if not isinstance(found, Schedule):
        raise InvalidInputError(
            f"expected an Institution or a Schedule, got {type(calendar).__name__}"
        )
    return found


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


class Regime(WalletEnum):
    """A body of rules a case follows; each has its module in `walletsupport.regulation`.

    Examples:
        >>> [r.value for r in Regime]
        ['reg_e', 'reg_z', 'psd2', 'uk', 'cn', 'custom']
    """

    REG_E = "reg_e"
    """US Regulation E, 12 CFR part 1005 (electronic fund transfers, prepaid accounts)."""
    REG_Z = "reg_z"
    """US Regulation Z, 12 CFR part 1026 (credit-card billing errors, unauthorized use)."""
    PSD2 = "psd2"
    """EU PSD2, Directive (EU) 2015/2366, on the PSP's member-state calendar."""
    UK = "uk"
    """UK: Payment Services Regulations 2017 (SI 2017/752), PSR APP reimbursement, FCA DISP."""
    CN = "cn"
    """China: PBOC rules for payment institutions (complaint SLAs configured, not hard-coded)."""
    CUSTOM = "custom"
    """An integrator's own policy (a national transposition, a card scheme, a house rule)."""


class DayCount(WalletEnum):
    """The unit a time limit is written in.

    Examples:
        >>> DayCount("business_days")
        <DayCount.BUSINESS_DAYS: 'business_days'>
    """

    BUSINESS_DAYS = "business_days"
    CALENDAR_DAYS = "calendar_days"
    WEEKS = "weeks"
    MONTHS = "months"


class TimeLimit(WalletModel, frozen=True, extra="forbid"):
    """A limit such as "10 business days" or "45 days", counted from an instant.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.calendars import Schedule
        >>> friday = datetime(2026, 3, 6, 18, 0, tzinfo=timezone.utc)
        >>> TimeLimit(amount=1, unit=DayCount.BUSINESS_DAYS).ends_at(
        ...     friday, Schedule.weekdays("UTC")).isoformat()
        '2026-03-10T00:00:00+00:00'
        >>> str(TimeLimit(amount=45, unit="calendar_days"))
        '45 calendar days'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    amount: int = Field(ge=0, le=10_000)
    unit: DayCount

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value.replace('_', ' ')}"

    def last_day(self, start: datetime, calendar: Schedule | object) -> date:
        """The last local date inside the limit counted from ``start``.

        Raises:
            NaiveDatetimeError: ``start`` is naive.
            NeverOpenError: the schedule has no business day within the bounded search.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.calendars import Schedule
            >>> TimeLimit(amount=1, unit="months").last_day(
            ...     datetime(2026, 1, 31, 9, tzinfo=timezone.utc), Schedule.always_open())
            datetime.date(2026, 2, 28)
        """
        schedule = schedule_of(calendar)
        day0 = schedule.local_date(ensure_aware(start, "start"))
        if self.unit is DayCount.BUSINESS_DAYS:
            if self.amount == 0:
                return day0
            return schedule.business_days_after(day0, self.amount)
        if self.unit is DayCount.CALENDAR_DAYS:
            return day0 + timedelta(days=self.amount)
        if self.unit is DayCount.WEEKS:
            return day0 + timedelta(weeks=self.amount)
        return _add_months(day0, self.amount)

    def ends_at(self, start: datetime, calendar: Schedule | object) -> datetime:
        """The exclusive end of this limit counted from ``start`` on the schedule.

        Args:
            start: the aware instant the limit runs from (its local date is day 0).
            calendar: a [Schedule][walletsupport.calendars.Schedule] or an institution.

        Raises:
            NaiveDatetimeError: ``start`` is naive.
            InvalidInputError: ``calendar`` is neither a schedule nor an institution.
            NeverOpenError: the schedule has no business day within the bounded search.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.calendars import Schedule
            >>> t = datetime(2026, 1, 31, 9, tzinfo=timezone.utc)
            >>> TimeLimit(amount=1, unit="months").ends_at(t, Schedule.always_open()).date()
            datetime.date(2026, 3, 1)
        """
        return schedule_of(calendar).end_of_day(self.last_day(start, calendar))


class Deadline(WalletModel, frozen=True, extra="forbid"):
    """Something due by an instant, with the legal or contractual source it comes from.

    The one deadline type of the library: regimes compute it, workflows report it from
    ``WorkflowService.due``, SLAs and house rules use it too.

    ``due_at`` is exclusive: the duty is met by anything strictly before it. ``met_at`` is set
    only on a deadline that was met *late* (at or after ``due_at``): it stays listed so the
    violation is never silently replaced.

    Examples:
        >>> from datetime import datetime, timezone
        >>> d = Deadline(name="refund", due_at=datetime(2026, 3, 3, tzinfo=timezone.utc),
        ...              source="PSD2 Art. 73(1)", rule_id="PSD2_REFUND_UNAUTHORIZED")
        >>> d.is_overdue(datetime(2026, 3, 2, 23, 59, tzinfo=timezone.utc))
        False
        >>> d.is_overdue(datetime(2026, 3, 3, tzinfo=timezone.utc))
        True
    """

    name: SnakeName
    due_at: AwareDatetime
    source: str = Field(min_length=1, max_length=200)
    rule_id: str | None = Field(default=None, min_length=1, max_length=80)
    description: str = Field(default="", max_length=500)
    met_at: AwareDatetime | None = Field(
        default=None, description="When a late deadline was finally met (a violation)."
    )

    def is_overdue(self, at: datetime) -> bool:
        """Whether ``at`` is at or after ``due_at``.

        Raises:
            NaiveDatetimeError: ``at`` is naive.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> Deadline(name="x", due_at=t, source="SLA").is_overdue(t)
            True
        """
        return ensure_aware(at) >= self.due_at

    def is_violated(self, at: datetime) -> bool:
        """Whether the duty was, at ``at``, missed: met late, or still open and overdue.

        Raises:
            NaiveDatetimeError: ``at`` is naive.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> Deadline(name="x", due_at=t, source="SLA", met_at=t).is_violated(t)
            True
        """
        return self.met_at is not None or self.is_overdue(at)

    def sort_key(self) -> tuple[datetime, str]:
        """The conventional order of deadlines: earliest first, then by name.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = datetime(2026, 1, 1, tzinfo=timezone.utc)
            >>> Deadline(name="x", due_at=t, source="SLA").sort_key()[1]
            'x'
        """
        return (self.due_at, self.name)


class Milestone(WalletEnum):
    """Well-known milestones a deadline runs from or stops at (custom rules may use any name).

    Examples:
        >>> Milestone.NOTICE_RECEIVED == "notice_received"
        True
    """

    NOTICE_RECEIVED = "notice_received"
    """The institution received the customer's notice (oral or written) of the problem."""
    WRITTEN_CONFIRMATION_REQUESTED = "written_confirmation_requested"
    WRITTEN_CONFIRMATION_RECEIVED = "written_confirmation_received"
    WRITTEN_CONFIRMATION_MISSED = "written_confirmation_missed"
    PROVISIONALLY_CREDITED = "provisionally_credited"
    EXTENSION_EARNED = "extension_earned"
    """Reg E: the longer (45/90-day) investigation period became available."""
    PROVISIONAL_CREDIT_NOTIFIED = "provisional_credit_notified"
    INVESTIGATION_CONCLUDED = "investigation_concluded"
    ERROR_DETERMINED = "error_determined"
    """The institution determined that the error occurred (it must now correct it)."""
    ERROR_CORRECTED = "error_corrected"
    RESULTS_REPORTED = "results_reported"
    REVERSAL_NOTIFIED = "reversal_notified"
    """The customer was told that provisional credit is being debited again."""
    REFUNDED = "refunded"
    FRAUD_SUSPICION_REPORTED = "fraud_suspicion_reported"
    """Reasonable grounds to suspect fraud were communicated in writing to the authority."""
    REFUND_REQUESTED = "refund_requested"
    REFUND_DECIDED = "refund_decided"
    COMPLAINT_RECEIVED = "complaint_received"
    HOLDING_REPLY_SENT = "holding_reply_sent"
    COMPLAINT_ANSWERED = "complaint_answered"
    ACKNOWLEDGED = "acknowledged"
    MERCHANT_CONTACTED = "merchant_contacted"
    MERCHANT_RESPONDED = "merchant_responded"
    EVIDENCE_REQUESTED = "evidence_requested"
    EVIDENCE_RECEIVED = "evidence_received"
    CASE_CLOSED = "case_closed"


#: Milestone name -> the aware instant it was reached (``Milestone`` members or custom names).
Milestones = Mapping[str, datetime] | Mapping[Milestone, datetime]


class DeadlineRule(WalletModel, frozen=True, extra="forbid"):
    """One deadline: ``limit`` counted from milestone ``starts_at``.

    The rule applies once ``starts_at`` and every milestone in ``requires`` are reached. It is
    *met* by the first of its ``stops_at`` milestones (late, a violation, if at or after the due
    instant) and *lifted* (the duty no longer applies) by any of ``lifted_by`` reached no later
    than the due instant; a lift that comes after the duty was missed does not hide it (it ends
    the duty as met late).

    Examples:
        >>> rule = DeadlineRule(name="merchant_response", starts_at="merchant_contacted",
        ...     limit=TimeLimit(amount=10, unit="business_days"),
        ...     stops_at=frozenset({"merchant_responded"}), source="house rule")
        >>> rule.is_running({"merchant_contacted"}), rule.is_running(
        ...     {"merchant_contacted", "merchant_responded"})
        (True, False)
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    name: SnakeName
    starts_at: SnakeName
    limit: TimeLimit
    source: str = Field(min_length=1, max_length=200)
    rule_id: str | None = Field(default=None, min_length=1, max_length=80)
    requires: frozenset[SnakeName] = frozenset()
    stops_at: frozenset[SnakeName] = frozenset()
    lifted_by: frozenset[SnakeName] = frozenset()

    @model_validator(mode="after")
    def _stops_differ_from_start(self) -> Self:
        ends = self.stops_at | self.lifted_by
        if self.starts_at in ends or self.requires & ends:
            raise PydanticCustomError(
                "walletsupport.deadline_rule",
                "rule '{name}' would stop at a milestone it needs to start",
                {"name": self.name},
            )
        return self

    def applies(self, reached: Iterable[str]) -> bool:
        """Whether the duty exists: started and its requirements met.

        Examples:
            >>> r = DeadlineRule(name="x", starts_at="a", requires=frozenset({"b"}),
            ...     limit=TimeLimit(amount=1, unit="calendar_days"), source="SLA")
            >>> r.applies({"a"}), r.applies({"a", "b"})
            (False, True)
        """
        names = set(reached)
        return self.starts_at in names and self.requires <= names

    def is_running(self, reached: Iterable[str]) -> bool:
        """Whether the rule applies and none of its ``stops_at`` or ``lifted_by`` is reached.

        Examples:
            >>> r = DeadlineRule(name="x", starts_at="a", stops_at=frozenset({"b"}),
            ...     limit=TimeLimit(amount=1, unit="calendar_days"), source="SLA")
            >>> r.is_running({"a"}), r.is_running({"a", "b"})
            (True, False)
        """
        names = set(reached)
        return self.applies(names) and not ((self.stops_at | self.lifted_by) & names)

    def deadline(self, start: datetime, calendar: Schedule | object) -> Deadline:
        """This rule's deadline for a case whose ``starts_at`` milestone was at ``start``.

        Raises:
            NaiveDatetimeError: ``start`` is naive.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.calendars import Schedule
            >>> r = DeadlineRule(name="x", starts_at="a",
            ...     limit=TimeLimit(amount=2, unit="calendar_days"), source="SLA")
            >>> r.deadline(datetime(2026, 1, 1, 12, tzinfo=timezone.utc),
            ...            Schedule.always_open()).due_at.day
            4
        """
        return Deadline(
            name=self.name,
            due_at=self.limit.ends_at(start, calendar),
            source=self.source,
            rule_id=self.rule_id,
        )


class DeadlinePolicy(WalletModel, frozen=True, extra="forbid"):
    """A named set of deadline rules for one regime; build a ``CUSTOM`` one to extend.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.calendars import Schedule
        >>> house = DeadlinePolicy(name="house_disputes", regime=Regime.CUSTOM, rules=(
        ...     DeadlineRule(name="merchant_response", starts_at="merchant_contacted",
        ...         limit=TimeLimit(amount=10, unit="business_days"), source="house rule 4.2",
        ...         stops_at=frozenset({"merchant_responded"})),))
        >>> t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> [d.due_at.date() for d in house.deadlines({"merchant_contacted": t},
        ...     Schedule.weekdays("UTC"))]
        [datetime.date(2026, 3, 17)]
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    name: SnakeName
    regime: Regime
    rules: tuple[DeadlineRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        names = [rule.name for rule in self.rules]
        if len(names) != len(set(names)):
            raise PydanticCustomError(
                "walletsupport.deadline_policy",
                "policy '{policy}' has two rules with the same name",
                {"policy": self.name},
            )
        return self

    def rule(self, name: str) -> DeadlineRule:
        """The rule called ``name``.

        Raises:
            NotFoundError: no such rule.

        Examples:
            >>> from walletsupport.regulation import psd2
            >>> psd2.unauthorised_refund_rules().rule("refund").rule_id
            'PSD2_REFUND_UNAUTHORIZED'
        """
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise NotFoundError(f"policy {self.name!r} has no rule {name!r}")

    def deadlines(
        self, milestones: Milestones, calendar: Schedule | object
    ) -> tuple[Deadline, ...]:
        """Every running deadline and every one met late, earliest first.

        A rule met in time (a ``stops_at`` milestone strictly before its due instant) or lifted
        in time (a ``lifted_by`` milestone at or before it) drops out; one met, or lifted, after
        that is listed with ``met_at``: a missed deadline stays visible.

        Args:
            milestones: milestone name -> the aware instant it was reached.
            calendar: the institution (or its business-day schedule).

        Raises:
            InvalidInputError: ``milestones`` is not a mapping of names to datetimes, or
                ``calendar`` is neither an institution nor a schedule.
            NaiveDatetimeError: one of the instants is naive.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.calendars import Schedule
            >>> from walletsupport.regulation import psd2
            >>> t = datetime(2026, 3, 5, 9, tzinfo=timezone.utc)  # a Thursday
            >>> [(d.name, d.due_at.date().isoformat()) for d in psd2.unauthorised_refund_rules()
            ...     .deadlines({"notice_received": t}, Schedule.weekdays("UTC"))]
            [('refund', '2026-03-07')]
        """
        if not isinstance(milestones, Mapping):
            raise InvalidInputError("milestones must map milestone names to datetimes")
        schedule = schedule_of(calendar)
        reached: dict[str, datetime] = {}
        for key, value in milestones.items():
            if not isinstance(key, str):
                raise InvalidInputError("milestone names must be strings")
            reached[str(key)] = ensure_aware(value, f"milestones[{key!r}]")
        found: list[Deadline] = []
        for rule in self.rules:
            if not rule.applies(reached):
                continue
            deadline = rule.deadline(reached[rule.starts_at], schedule)
            lifts = [reached[m] for m in rule.lifted_by if m in reached]
            if lifts and min(lifts) <= deadline.due_at:
                continue
            stops = [reached[m] for m in rule.stops_at if m in reached] + lifts
            if not stops:
                found.append(deadline)
                continue
            met = min(stops)
            if met >= deadline.due_at:
                found.append(deadline.model_copy(update={"met_at": met}))
        return tuple(sorted(found, key=Deadline.sort_key))

"""Legal and product deadlines for disputes and unauthorized transactions, on a business calendar.

A [DeadlinePolicy][walletsupport.policies.deadlines.DeadlinePolicy] is a named, frozen set of
[DeadlineRule][walletsupport.policies.deadlines.DeadlineRule] values. Each rule counts a
[TimeLimit][walletsupport.policies.deadlines.TimeLimit] from a *milestone* of the case (the
notice was received, provisional credit was given, the investigation concluded, ...) and stops
running when another milestone is reached. Given the milestones a case has reached so far,
[DeadlinePolicy.deadlines][walletsupport.policies.deadlines.DeadlinePolicy.deadlines] returns
every running [Deadline][walletsupport.policies.deadlines.Deadline], each naming its source.

Presets cover US Regulation E error resolution (12 CFR 1005.11), PSD2 refunds of unauthorised
transactions (Art. 73), refunds of pull payments (Art. 77) and complaint replies (Art. 101).
Integrators write their own policy with ``regime=Regime.CUSTOM`` (for example a national
transposition with a stricter complaint timeline, as PSD2 Art. 101(2) allows).

How days are counted (the product decision of ``reference/us_regulation_e.md``, "How
walletsupport counts", applied to every regime):

* day 0 is the local date, in the calendar's zone, of the starting instant, business day or not;
* "N business days" ends at the end of the N-th business day after day 0 (day 0 never counts);
  business days are those the calendar says the institution is open (12 CFR 1005.2(d),
  ``REG_E_BUSINESS_DAY``; PSD2 Art. 4(37));
* "N days" are calendar days and end at the end of day 0 + N (``REG_E_CALENDAR_DAYS``);
  "N weeks" are 7 N calendar days; "N months" end at the end of the same day-of-month N months
  later, clamped to the month's last day (31 January + 1 month -> 28/29 February);
* "the end of a day" is the exclusive instant 00:00 of the next local date, reported in the
  calendar's zone.

These tables describe the law in general terms; they are not legal advice.

Examples:
    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> class Bank:  # Monday-Friday, closed on Thanksgiving 2026; a Schedule works the same
    ...     zone = "America/New_York"
    ...     def is_business_day(self, day: date) -> bool:
    ...         return day.weekday() < 5 and day != date(2026, 11, 26)
    >>> notice = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    >>> for d in reg_e_error_resolution().deadlines({Milestone.NOTICE_RECEIVED: notice}, Bank()):
    ...     print(d.name, d.due_at.isoformat(), d.source)
    decision 2026-12-11T00:00:00-05:00 12 CFR 1005.11(c)(1)
    provisional_credit 2026-12-11T00:00:00-05:00 12 CFR 1005.11(c)(2)(i)
"""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Annotated, ClassVar, Protocol, Self
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, AwareDatetime, Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import (
    ConfigurationError,
    InvalidInputError,
    NeverOpenError,
    NotFoundError,
    WalletSupportError,
)

__all__ = [
    "BusinessCalendar",
    "DayCount",
    "Deadline",
    "DeadlinePolicy",
    "DeadlineRule",
    "Milestone",
    "Milestones",
    "Regime",
    "TimeLimit",
    "end_of_day",
    "is_new_account",
    "psd2_complaint",
    "psd2_notification_deadline",
    "psd2_pull_refund",
    "psd2_refund_request_deadline",
    "psd2_unauthorised_refund",
    "reg_e_error_resolution",
    "reg_e_notice_deadline",
    "reg_e_prepaid_alternative_notice_deadline",
    "reg_e_prepaid_notice_deadline",
]

#: How far a business-day count may search for the next business day before giving up.
_MAX_DAYS_WITHOUT_BUSINESS_DAY = 3 * 366

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _snake_name(value: str) -> str:
    if not _NAME.match(value):
        raise PydanticCustomError(
            "walletsupport.deadline_name",
            "a deadline, rule or milestone name is lower snake_case, e.g. 'provisional_credit'",
        )
    return value


SnakeName = Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_snake_name)]


class BusinessCalendar(Protocol):
    """What deadlines need from a calendar; [Schedule][walletsupport.calendars.Schedule] has it.

    ``zone`` is an IANA zone name or a ``tzinfo``; ``is_business_day`` says whether the
    institution is open to the public for substantially all business functions on that local
    date (12 CFR 1005.2(d), ``REG_E_BUSINESS_DAY``).

    Examples:
        >>> from datetime import date
        >>> class MondayToFriday:
        ...     zone = "Europe/Berlin"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return day.weekday() < 5
        >>> end_of_day(date(2026, 3, 2), MondayToFriday()).isoformat()
        '2026-03-03T00:00:00+01:00'
    """

    @property
    def zone(self) -> object:
        """The calendar's time zone: an IANA name or a ``tzinfo``."""
        ...

    def is_business_day(self, day: date, /) -> bool:
        """Whether the local date ``day`` is a business day."""
        ...


def _zone_of(calendar: BusinessCalendar) -> tzinfo:
    try:
        zone = calendar.zone
    except AttributeError:
        raise InvalidInputError("calendar must have a zone (an IANA name or tzinfo)") from None
    if isinstance(zone, tzinfo):
        return zone
    if isinstance(zone, str):
        try:
            return ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(f"unknown time zone {zone!r}") from None
    raise InvalidInputError(f"calendar.zone must be an IANA name or tzinfo, got {type(zone)}")


def _start_of(day: date, zone: tzinfo) -> datetime:
    # Normalise through UTC so an instant in a DST gap at midnight lands on the real start.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(zone)


def end_of_day(day: date, calendar: BusinessCalendar) -> datetime:
    """The end of a local date: the exclusive instant 00:00 of the next date, in the zone.

    Args:
        day: the local date.
        calendar: supplies the zone.

    Raises:
        InvalidInputError: ``day`` is not a date.

    Examples:
        >>> from datetime import date
        >>> class Utc:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> end_of_day(date(2026, 12, 31), Utc()).isoformat()
        '2027-01-01T00:00:00+00:00'
    """
    if isinstance(day, datetime) or not isinstance(day, date):
        raise InvalidInputError("day must be a date")
    return _start_of(day + timedelta(days=1), _zone_of(calendar))


def _local_date(at: datetime, zone: tzinfo) -> date:
    return at.astimezone(zone).date()


def _nth_business_day_after(day0: date, n: int, calendar: BusinessCalendar) -> date:
    day = day0
    counted = 0
    idle = 0
    while counted < n:
        day += timedelta(days=1)
        if calendar.is_business_day(day):
            counted += 1
            idle = 0
        else:
            idle += 1
            if idle > _MAX_DAYS_WITHOUT_BUSINESS_DAY:
                raise NeverOpenError(
                    f"no business day within {_MAX_DAYS_WITHOUT_BUSINESS_DAY} days after {day0}"
                )
    return day


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


# --- values ---------------------------------------------------------------------------------


class Regime(WalletEnum):
    """Which body of rules a case follows.

    Examples:
        >>> Regime("reg_e") is Regime.REG_E
        True
        >>> [r.value for r in Regime]
        ['reg_e', 'psd2', 'custom']
    """

    REG_E = "reg_e"
    """US Regulation E, 12 CFR part 1005 (``reference/us_regulation_e.md``)."""
    PSD2 = "psd2"
    """EU PSD2, Directive (EU) 2015/2366 (``reference/eu_psd2.md``)."""
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
        >>> from datetime import date, datetime, timezone
        >>> class MondayToFriday:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return day.weekday() < 5
        >>> friday = datetime(2026, 3, 6, 18, 0, tzinfo=timezone.utc)
        >>> TimeLimit(amount=1, unit=DayCount.BUSINESS_DAYS).ends_at(friday, MondayToFriday())
        datetime.datetime(2026, 3, 10, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC'))
        >>> str(TimeLimit(amount=45, unit="calendar_days"))
        '45 calendar days'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    amount: int = Field(ge=0, le=10_000)
    unit: DayCount

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.value.replace('_', ' ')}"

    def ends_at(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        """The exclusive end of this limit counted from ``start`` on ``calendar``.

        Args:
            start: the aware instant the limit runs from (its local date is day 0).
            calendar: business days and zone.

        Raises:
            NaiveDatetimeError: ``start`` is naive.
            NeverOpenError: the calendar has no business day for over three years.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> class Always:
            ...     zone = "UTC"
            ...     def is_business_day(self, day: date) -> bool:
            ...         return True
            >>> t = datetime(2026, 1, 31, 9, tzinfo=timezone.utc)
            >>> TimeLimit(amount=1, unit="months").ends_at(t, Always()).date()
            datetime.date(2026, 3, 1)
        """
        start = ensure_aware(start, "start")
        zone = _zone_of(calendar)
        day0 = _local_date(start, zone)
        if self.unit is DayCount.BUSINESS_DAYS:
            last = _nth_business_day_after(day0, self.amount, calendar)
        elif self.unit is DayCount.CALENDAR_DAYS:
            last = day0 + timedelta(days=self.amount)
        elif self.unit is DayCount.WEEKS:
            last = day0 + timedelta(weeks=self.amount)
        else:
            last = _add_months(day0, self.amount)
        return _start_of(last + timedelta(days=1), zone)


class Deadline(WalletModel, frozen=True, extra="forbid"):
    """Something due by an instant, with the legal or contractual source it comes from.

    The one deadline type of the library: policies compute it, workflows report it from
    ``WorkflowService.due``. ``description`` is an optional human sentence.

    ``due_at`` is exclusive: the duty is met by anything strictly before it. For day limits it
    is 00:00 local of the day after the last day, in the calendar's zone.

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
    MERCHANT_CONTACTED = "merchant_contacted"
    MERCHANT_RESPONDED = "merchant_responded"
    EVIDENCE_REQUESTED = "evidence_requested"
    EVIDENCE_RECEIVED = "evidence_received"
    CASE_CLOSED = "case_closed"


#: Milestone name -> the aware instant it was reached (``Milestone`` members or custom names).
Milestones = Mapping[str, datetime] | Mapping[Milestone, datetime]


class DeadlineRule(WalletModel, frozen=True, extra="forbid"):
    """One deadline: ``limit`` counted from milestone ``starts_at``.

    The rule applies once ``starts_at`` and every milestone in ``requires`` are reached, and
    stops running as soon as any milestone in ``stops_at`` is reached.

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

    @model_validator(mode="after")
    def _stops_differ_from_start(self) -> Self:
        if self.starts_at in self.stops_at or self.requires & self.stops_at:
            raise PydanticCustomError(
                "walletsupport.deadline_rule",
                "rule '{name}' would stop at a milestone it needs to start",
                {"name": self.name},
            )
        return self

    def is_running(self, reached: Iterable[str]) -> bool:
        """Whether the rule runs given the milestones reached so far.

        Examples:
            >>> r = DeadlineRule(name="x", starts_at="a", requires=frozenset({"b"}),
            ...     limit=TimeLimit(amount=1, unit="calendar_days"), source="SLA")
            >>> r.is_running({"a"}), r.is_running({"a", "b"})
            (False, True)
        """
        names = set(reached)
        return self.starts_at in names and self.requires <= names and not (self.stops_at & names)

    def deadline(self, start: datetime, calendar: BusinessCalendar) -> Deadline:
        """This rule's deadline for a case whose ``starts_at`` milestone was at ``start``.

        Raises:
            NaiveDatetimeError: ``start`` is naive.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> class Always:
            ...     zone = "UTC"
            ...     def is_business_day(self, day: date) -> bool:
            ...         return True
            >>> r = DeadlineRule(name="x", starts_at="a",
            ...     limit=TimeLimit(amount=2, unit="calendar_days"), source="SLA")
            >>> r.deadline(datetime(2026, 1, 1, 12, tzinfo=timezone.utc), Always()).due_at.day
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
        >>> from datetime import date, datetime, timezone
        >>> class MondayToFriday:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return day.weekday() < 5
        >>> house = DeadlinePolicy(name="house_disputes", regime=Regime.CUSTOM, rules=(
        ...     DeadlineRule(name="merchant_response", starts_at="merchant_contacted",
        ...         limit=TimeLimit(amount=10, unit="business_days"), source="house rule 4.2",
        ...         stops_at=frozenset({"merchant_responded"})),))
        >>> t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> [d.due_at.date() for d in house.deadlines({"merchant_contacted": t},
        ...     MondayToFriday())]
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
            >>> reg_e_error_resolution().rule("provisional_credit").rule_id
            'REG_E_PROVISIONAL_CREDIT'
        """
        for rule in self.rules:
            if rule.name == name:
                return rule
        raise NotFoundError(f"policy {self.name!r} has no rule {name!r}")

    def deadlines(self, milestones: Milestones, calendar: BusinessCalendar) -> tuple[Deadline, ...]:
        """Every running deadline, earliest first, given when each milestone was reached.

        Args:
            milestones: milestone name -> the aware instant it was reached.
            calendar: business days and zone of the institution.

        Raises:
            InvalidInputError: ``milestones`` is not a mapping of names to datetimes.
            NaiveDatetimeError: one of the instants is naive.

        Examples:
            >>> from datetime import date, datetime, timezone
            >>> class MondayToFriday:
            ...     zone = "UTC"
            ...     def is_business_day(self, day: date) -> bool:
            ...         return day.weekday() < 5
            >>> t = datetime(2026, 3, 5, 9, tzinfo=timezone.utc)  # a Thursday
            >>> [(d.name, d.due_at.date().isoformat()) for d in psd2_unauthorised_refund()
            ...     .deadlines({"notice_received": t}, MondayToFriday())]
            [('refund', '2026-03-07')]
        """
        if not isinstance(milestones, Mapping):
            raise InvalidInputError("milestones must map milestone names to datetimes")
        reached: dict[str, datetime] = {}
        for key, value in milestones.items():
            if not isinstance(key, str):
                raise InvalidInputError("milestone names must be strings")
            reached[str(key)] = ensure_aware(value, f"milestones[{key!r}]")
        found = [
            rule.deadline(reached[rule.starts_at], calendar)
            for rule in self.rules
            if rule.is_running(reached)
        ]
        return tuple(sorted(found, key=Deadline.sort_key))


# --- presets ----------------------------------------------------------------------------------


def _bd(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=DayCount.BUSINESS_DAYS)


def _days(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=DayCount.CALENDAR_DAYS)


_M = Milestone


def reg_e_error_resolution(
    *, new_account: bool = False, point_of_sale: bool = False, foreign_initiated: bool = False
) -> DeadlinePolicy:
    """US Regulation E error-resolution deadlines (12 CFR 1005.11), for one notice of error.

    Rules (``reference/us_regulation_e.md``):

    * ``decision``: investigate and determine within 10 business days of the notice
      (1005.11(c)(1), ``REG_E_ERROR_RESOLUTION_INITIAL``), 20 for a new account
      (1005.11(c)(3)(i), ``REG_E_NEW_ACCOUNT_INITIAL``); stops once provisionally credited or
      concluded.
    * ``provisional_credit``: otherwise credit provisionally within the same 10 (20) business
      days (1005.11(c)(2)(i), ``REG_E_PROVISIONAL_CREDIT``); stops once credited, concluded, or
      a required written confirmation was missed (1005.11(c)(2)(i)(A),
      ``REG_E_PROVISIONAL_CREDIT_EXCEPTIONS``).
    * ``provisional_credit_notice``: tell the customer the amount and date within 2 business
      days of crediting (1005.11(c)(2)(ii), ``REG_E_PROVISIONAL_CREDIT_NOTICE``).
    * ``extended_decision``: with provisional credit, conclude within 45 calendar days of the
      notice (1005.11(c)(2), ``REG_E_ERROR_RESOLUTION_EXTENDED``), 90 for a new account, a
      point-of-sale debit card transaction or a foreign-initiated transfer (1005.11(c)(3)(ii),
      ``REG_E_EXTENDED_90``).
    * ``written_confirmation``: when the institution asked for it, the customer's written
      confirmation of an oral notice is due within 10 business days (1005.11(b)(2),
      ``REG_E_WRITTEN_CONFIRMATION``); the investigation does not wait for it.
    * ``error_correction``: correct a determined error within 1 business day (1005.11(c)(1),
      (c)(2)(iii), ``REG_E_ERROR_CORRECTION``).
    * ``results_report``: report the results within 3 business days of concluding
      (1005.11(c)(1), (c)(2)(iv), ``REG_E_REPORT_RESULTS``; with the written explanation when
      no error was found, 1005.11(d)(1), ``REG_E_NO_ERROR_EXPLANATION``).
    * ``honour_payments_after_reversal``: after notice of debiting provisional credit, honour
      third-party items and preauthorized transfers for 5 business days (1005.11(d)(2),
      ``REG_E_DEBIT_PROVISIONAL_NOTICE``).

    Args:
        new_account: the transfer occurred within 30 days after the first deposit to the account
            (see [is_new_account][walletsupport.policies.deadlines.is_new_account]).
        point_of_sale: a point-of-sale debit card transaction.
        foreign_initiated: a transfer initiated outside the United States.

    Examples:
        >>> str(reg_e_error_resolution().rule("extended_decision").limit)
        '45 calendar days'
        >>> str(reg_e_error_resolution(point_of_sale=True).rule("extended_decision").limit)
        '90 calendar days'
        >>> str(reg_e_error_resolution(new_account=True).rule("decision").limit)
        '20 business days'
    """
    return _REG_E_PRESETS[(new_account, new_account or point_of_sale or foreign_initiated)]


def _build_reg_e(new_account: bool, extended_90: bool) -> DeadlinePolicy:
    initial = 20 if new_account else 10
    initial_src = "12 CFR 1005.11(c)(3)(i)" if new_account else None
    return DeadlinePolicy(
        name="reg_e_error_resolution",
        regime=Regime.REG_E,
        rules=(
            DeadlineRule(
                name="decision",
                starts_at=_M.NOTICE_RECEIVED,
                limit=_bd(initial),
                source=initial_src or "12 CFR 1005.11(c)(1)",
                rule_id="REG_E_NEW_ACCOUNT_INITIAL"
                if new_account
                else "REG_E_ERROR_RESOLUTION_INITIAL",
                stops_at=frozenset({_M.PROVISIONALLY_CREDITED, _M.INVESTIGATION_CONCLUDED}),
            ),
            DeadlineRule(
                name="provisional_credit",
                starts_at=_M.NOTICE_RECEIVED,
                limit=_bd(initial),
                source=initial_src or "12 CFR 1005.11(c)(2)(i)",
                rule_id="REG_E_NEW_ACCOUNT_INITIAL" if new_account else "REG_E_PROVISIONAL_CREDIT",
                stops_at=frozenset(
                    {
                        _M.PROVISIONALLY_CREDITED,
                        _M.INVESTIGATION_CONCLUDED,
                        _M.WRITTEN_CONFIRMATION_MISSED,
                    }
                ),
            ),
            DeadlineRule(
                name="provisional_credit_notice",
                starts_at=_M.PROVISIONALLY_CREDITED,
                limit=_bd(2),
                source="12 CFR 1005.11(c)(2)(ii)",
                rule_id="REG_E_PROVISIONAL_CREDIT_NOTICE",
                stops_at=frozenset({_M.PROVISIONAL_CREDIT_NOTIFIED}),
            ),
            DeadlineRule(
                name="extended_decision",
                starts_at=_M.NOTICE_RECEIVED,
                requires=frozenset({_M.PROVISIONALLY_CREDITED}),
                limit=_days(90 if extended_90 else 45),
                source="12 CFR 1005.11(c)(3)(ii)" if extended_90 else "12 CFR 1005.11(c)(2)",
                rule_id="REG_E_EXTENDED_90" if extended_90 else "REG_E_ERROR_RESOLUTION_EXTENDED",
                stops_at=frozenset({_M.INVESTIGATION_CONCLUDED}),
            ),
            DeadlineRule(
                name="written_confirmation",
                starts_at=_M.NOTICE_RECEIVED,
                requires=frozenset({_M.WRITTEN_CONFIRMATION_REQUESTED}),
                limit=_bd(10),
                source="12 CFR 1005.11(b)(2)",
                rule_id="REG_E_WRITTEN_CONFIRMATION",
                stops_at=frozenset(
                    {
                        _M.WRITTEN_CONFIRMATION_RECEIVED,
                        _M.WRITTEN_CONFIRMATION_MISSED,
                        _M.INVESTIGATION_CONCLUDED,
                    }
                ),
            ),
            DeadlineRule(
                name="error_correction",
                starts_at=_M.ERROR_DETERMINED,
                limit=_bd(1),
                source="12 CFR 1005.11(c)(2)(iii)",
                rule_id="REG_E_ERROR_CORRECTION",
                stops_at=frozenset({_M.ERROR_CORRECTED}),
            ),
            DeadlineRule(
                name="results_report",
                starts_at=_M.INVESTIGATION_CONCLUDED,
                limit=_bd(3),
                source="12 CFR 1005.11(c)(2)(iv), (d)(1)",
                rule_id="REG_E_REPORT_RESULTS",
                stops_at=frozenset({_M.RESULTS_REPORTED}),
            ),
            DeadlineRule(
                name="honour_payments_after_reversal",
                starts_at=_M.REVERSAL_NOTIFIED,
                limit=_bd(5),
                source="12 CFR 1005.11(d)(2)",
                rule_id="REG_E_DEBIT_PROVISIONAL_NOTICE",
                stops_at=frozenset({_M.CASE_CLOSED}),
            ),
        ),
    )


#: The three distinct Regulation E presets, built once (frozen values, safe to share).
_REG_E_PRESETS = {
    (new, extended): _build_reg_e(new, extended)
    for new, extended in ((False, False), (False, True), (True, True))
}


def psd2_unauthorised_refund() -> DeadlinePolicy:
    """PSD2 refund of an unauthorised payment transaction (Art. 73(1)).

    ``refund``: the payer's PSP refunds immediately, and in any event no later than the end of
    the following business day after noting or being notified of the transaction (PSD2 Art.
    73(1), ``PSD2_REFUND_UNAUTHORIZED``); the deadline stops when refunded or when reasonable
    grounds to suspect fraud were communicated in writing to the national authority (same
    article, ``PSD2_REFUND_FRAUD_EXCEPTION``). Business days are the PSP's (Art. 4(37), not
    re-checked against the primary text).

    Examples:
        >>> psd2_unauthorised_refund().rule("refund").source
        'PSD2 Art. 73(1)'
    """
    return _PSD2_REFUND


def _build_psd2_refund() -> DeadlinePolicy:
    return DeadlinePolicy(
        name="psd2_unauthorised_refund",
        regime=Regime.PSD2,
        rules=(
            DeadlineRule(
                name="refund",
                starts_at=_M.NOTICE_RECEIVED,
                limit=_bd(1),
                source="PSD2 Art. 73(1)",
                rule_id="PSD2_REFUND_UNAUTHORIZED",
                stops_at=frozenset({_M.REFUNDED, _M.FRAUD_SUSPICION_REPORTED}),
            ),
        ),
    )


_PSD2_REFUND = _build_psd2_refund()


def psd2_complaint() -> DeadlinePolicy:
    """PSD2 complaint replies (Art. 101(2)).

    ``complaint_reply``: reply on paper or another durable medium within 15 business days of
    receipt (``PSD2_COMPLAINT_REPLY``); stops when answered or when a holding reply was sent.
    ``complaint_final_reply``: after a holding reply (reasons beyond the PSP's control), the
    final reply is due within 35 business days of receipt (``PSD2_COMPLAINT_HOLDING_REPLY``).
    Member States may keep stricter timelines: express those as a ``Regime.CUSTOM`` policy.

    Examples:
        >>> [str(r.limit) for r in psd2_complaint().rules]
        ['15 business days', '35 business days']
    """
    return DeadlinePolicy(
        name="psd2_complaint",
        regime=Regime.PSD2,
        rules=(
            DeadlineRule(
                name="complaint_reply",
                starts_at=_M.COMPLAINT_RECEIVED,
                limit=_bd(15),
                source="PSD2 Art. 101(2)",
                rule_id="PSD2_COMPLAINT_REPLY",
                stops_at=frozenset({_M.COMPLAINT_ANSWERED, _M.HOLDING_REPLY_SENT}),
            ),
            DeadlineRule(
                name="complaint_final_reply",
                starts_at=_M.COMPLAINT_RECEIVED,
                requires=frozenset({_M.HOLDING_REPLY_SENT}),
                limit=_bd(35),
                source="PSD2 Art. 101(2)",
                rule_id="PSD2_COMPLAINT_HOLDING_REPLY",
                stops_at=frozenset({_M.COMPLAINT_ANSWERED}),
            ),
        ),
    )


def psd2_pull_refund() -> DeadlinePolicy:
    """PSD2 refund of an authorised pull payment (direct debit, card pre-authorisation).

    ``refund_decision``: refund in full or justify the refusal, naming the complaint and ADR
    bodies, within 10 business days of the request (PSD2 Art. 77(2), ``PSD2_REFUND_DECISION``).
    The request itself must come within 8 weeks of the debit: see
    [psd2_refund_request_deadline][walletsupport.policies.deadlines.psd2_refund_request_deadline].

    Examples:
        >>> str(psd2_pull_refund().rule("refund_decision").limit)
        '10 business days'
    """
    return DeadlinePolicy(
        name="psd2_pull_refund",
        regime=Regime.PSD2,
        rules=(
            DeadlineRule(
                name="refund_decision",
                starts_at=_M.REFUND_REQUESTED,
                limit=_bd(10),
                source="PSD2 Art. 77(2)",
                rule_id="PSD2_REFUND_DECISION",
                stops_at=frozenset({_M.REFUND_DECIDED, _M.REFUNDED}),
            ),
        ),
    )


# --- notice windows and eligibility -----------------------------------------------------------


def reg_e_notice_deadline(statement_sent_at: datetime, calendar: BusinessCalendar) -> Deadline:
    """The end of the 60-day window for a notice of error under 12 CFR 1005.11(b)(1)(i).

    The institution must follow 1005.11 for a notice received no later than 60 days after it
    sent the periodic statement on which the error first appears (``REG_E_ERROR_NOTICE_WINDOW``).
    A later notice loses the 1005.11 timelines; the 1005.6 liability limits still apply.

    Args:
        statement_sent_at: when the periodic statement was sent (transmitted).
        calendar: supplies the zone.

    Raises:
        NaiveDatetimeError: ``statement_sent_at`` is naive.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> class Utc:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> reg_e_notice_deadline(datetime(2026, 1, 1, tzinfo=timezone.utc), Utc()).due_at.date()
        datetime.date(2026, 3, 3)
    """
    return Deadline(
        name="error_notice",
        due_at=_days(60).ends_at(ensure_aware(statement_sent_at, "statement_sent_at"), calendar),
        source="12 CFR 1005.11(b)(1)(i)",
        rule_id="REG_E_ERROR_NOTICE_WINDOW",
    )


def reg_e_prepaid_notice_deadline(
    calendar: BusinessCalendar,
    *,
    electronic_access_at: datetime | None = None,
    written_history_sent_at: datetime | None = None,
) -> Deadline:
    """The 60-day notice window for a prepaid account without periodic statements.

    Runs from the earlier of the customer's electronic access to the account (where the error
    could be seen) and the institution's sending of a written history showing it
    (12 CFR 1005.18(e)(1)-(2), ``REG_E_PREPAID_NOTICE_WINDOW``).

    Raises:
        InvalidInputError: neither instant was given.
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> class Utc:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> reg_e_prepaid_notice_deadline(Utc(),
        ...     electronic_access_at=datetime(2026, 1, 10, tzinfo=timezone.utc),
        ...     written_history_sent_at=datetime(2026, 1, 1, tzinfo=timezone.utc)).due_at.date()
        datetime.date(2026, 3, 3)
    """
    starts = [
        ensure_aware(value, name)
        for value, name in (
            (electronic_access_at, "electronic_access_at"),
            (written_history_sent_at, "written_history_sent_at"),
        )
        if value is not None
    ]
    if not starts:
        raise InvalidInputError("give electronic_access_at, written_history_sent_at or both")
    return Deadline(
        name="error_notice",
        due_at=_days(60).ends_at(min(starts), calendar),
        source="12 CFR 1005.18(e)(1)-(2)",
        rule_id="REG_E_PREPAID_NOTICE_WINDOW",
    )


def reg_e_prepaid_alternative_notice_deadline(
    posted_at: datetime, calendar: BusinessCalendar
) -> Deadline:
    """The alternative prepaid window: notices within 120 days after the transfer posted.

    An institution may instead accept notices received within 120 days after the transfer was
    credited or debited to the prepaid account (12 CFR 1005.18(e)(2),
    ``REG_E_PREPAID_NOTICE_WINDOW``).

    Raises:
        NaiveDatetimeError: ``posted_at`` is naive.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> class Utc:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> reg_e_prepaid_alternative_notice_deadline(
        ...     datetime(2026, 1, 1, tzinfo=timezone.utc), Utc()).due_at.date()
        datetime.date(2026, 5, 2)
    """
    return Deadline(
        name="error_notice",
        due_at=_days(120).ends_at(ensure_aware(posted_at, "posted_at"), calendar),
        source="12 CFR 1005.18(e)(2)",
        rule_id="REG_E_PREPAID_NOTICE_WINDOW",
    )


def is_new_account(
    first_deposit_at: datetime, transfer_at: datetime, calendar: BusinessCalendar
) -> bool:
    """Whether a transfer counts as on a new account for 12 CFR 1005.11(c)(3)(i).

    A notice of error about a transfer that occurred within 30 days after the first deposit to
    the account gets the 20-business-day / 90-day limits (``REG_E_NEW_ACCOUNT_INITIAL``,
    ``REG_E_EXTENDED_90``). Days are calendar days in the calendar's zone.

    Raises:
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> class Utc:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> opened = datetime(2026, 1, 1, 10, tzinfo=timezone.utc)
        >>> is_new_account(opened, datetime(2026, 1, 31, 23, tzinfo=timezone.utc), Utc())
        True
        >>> is_new_account(opened, datetime(2026, 2, 1, tzinfo=timezone.utc), Utc())
        False
    """
    first = ensure_aware(first_deposit_at, "first_deposit_at")
    transfer = ensure_aware(transfer_at, "transfer_at")
    return transfer < _days(30).ends_at(first, calendar)


def psd2_notification_deadline(
    debited_at: datetime, calendar: BusinessCalendar, *, information_provided: bool = True
) -> Deadline | None:
    """The latest notification of an unauthorised or incorrect transaction: 13 months.

    The user obtains rectification only if it notifies without undue delay, and at the latest
    13 months after the debit date (PSD2 Art. 71(1), ``PSD2_NOTIFY_UNAUTHORIZED``). The limit
    does not apply when the PSP failed to provide the transaction information required by
    Title III (Art. 71(1), 2nd subparagraph, ``PSD2_NOTIFY_LIMIT_WAIVED``): then ``None``.

    Raises:
        NaiveDatetimeError: ``debited_at`` is naive.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> class Utc:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> psd2_notification_deadline(datetime(2026, 1, 31, tzinfo=timezone.utc), Utc()
        ...     ).due_at.date()
        datetime.date(2027, 3, 1)
        >>> psd2_notification_deadline(datetime(2026, 1, 31, tzinfo=timezone.utc), Utc(),
        ...     information_provided=False) is None
        True
    """
    debited = ensure_aware(debited_at, "debited_at")
    if not information_provided:
        return None
    return Deadline(
        name="notify_unauthorised",
        due_at=TimeLimit(amount=13, unit=DayCount.MONTHS).ends_at(debited, calendar),
        source="PSD2 Art. 71(1)",
        rule_id="PSD2_NOTIFY_UNAUTHORIZED",
    )


def psd2_refund_request_deadline(debited_at: datetime, calendar: BusinessCalendar) -> Deadline:
    """The latest request for a refund of an authorised pull payment: 8 weeks after the debit.

    PSD2 Art. 77(1), ``PSD2_REFUND_REQUEST_WINDOW``.

    Raises:
        NaiveDatetimeError: ``debited_at`` is naive.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> class Utc:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> psd2_refund_request_deadline(datetime(2026, 1, 1, tzinfo=timezone.utc), Utc()
        ...     ).due_at.date()
        datetime.date(2026, 2, 27)
    """
    return Deadline(
        name="refund_request",
        due_at=TimeLimit(amount=8, unit=DayCount.WEEKS).ends_at(
            ensure_aware(debited_at, "debited_at"), calendar
        ),
        source="PSD2 Art. 77(1)",
        rule_id="PSD2_REFUND_REQUEST_WINDOW",
    )

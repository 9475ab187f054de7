"""US Regulation E (12 CFR part 1005): error resolution and liability for unauthorized transfers.

Every business day here is the institution's (12 CFR 1005.2(d), ``REG_E_BUSINESS_DAY``): pass
an [Institution][walletsupport.regulation.Institution]. Limits written as plain "days" are
calendar days (``REG_E_CALENDAR_DAYS``). Primary text: 12 CFR part 1005 and its Official
Interpretation (Supplement I), https://www.ecfr.gov/current/title-12/chapter-X/part-1005 .

* [error_resolution_deadlines][walletsupport.regulation.reg_e.error_resolution_deadlines]: the
  1005.11 clock for one notice of error: 10 business days (20 for a new account) to decide or
  provisionally credit; 45 days (90 for a new account, a point-of-sale debit card transaction or
  a transfer not initiated within a state) **only** if the credit came within those 10 (20)
  business days (1005.11(c)(2)(i), "provided"), or if a required written confirmation of an oral
  notice did not arrive within 10 business days, which removes the credit duty but not the
  45-day limit (1005.11(c)(2)(i)(A), comment 11(c)(2)(i)-1). Late credit is a violation: the
  missed deadline stays listed, with ``met_at``.
* [liability][walletsupport.regulation.reg_e.liability]: the customer's maximum liability
  (1005.6(b)): $50 / $500 only when an access device was lost or stolen, the 2 business days
  counted from *learning* of the loss; otherwise nothing for transfers reported within 60 days of
  the statement's transmittal (comment 6(b)(3)-2).
* [error_kind_for][walletsupport.regulation.reg_e.error_kind_for]: which disputes are 1005.11(a)
  errors: a duplicate charge or a wrong amount is an "incorrect electronic fund transfer"; goods
  never delivered is not a Regulation E error.
* Prepaid accounts (1005.18): the notice windows without periodic statements, and no duty at all
  for an unverified account or for transfers before verification (1005.18(e)(3)) [nr].

These functions describe the law in general terms; they are not legal advice.

Examples:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from walletsupport.regulation import Institution
    >>> bank = Institution.us_bank()
    >>> notice = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    >>> for d in error_resolution_deadlines(ErrorCase(notice_at=notice), bank, at=notice):
    ...     print(d.name, d.due_at.isoformat(), d.source)
    decision 2026-12-11T00:00:00-05:00 12 CFR 1005.11(c)(1)
    provisional_credit 2026-12-11T00:00:00-05:00 12 CFR 1005.11(c)(2)(i)
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache

from pydantic import AwareDatetime

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError
from walletsupport.regulation._engine import (
    DayCount,
    Deadline,
    DeadlinePolicy,
    DeadlineRule,
    Milestone,
    Regime,
    TimeLimit,
    schedule_of,
)
from walletsupport.regulation._kinds import DisputeKind
from walletsupport.regulation._liability import (
    LiabilityAssessment,
    LiabilityTier,
    UnauthorizedTransfer,
    total,
)
from walletsupport.regulation.institution import Institution

__all__ = [
    "TIER1_CAP",
    "TIER2_CAP",
    "WITHHOLD_MAX",
    "ErrorCase",
    "ErrorKind",
    "LiabilityFacts",
    "error_kind_for",
    "error_resolution_deadlines",
    "error_resolution_rules",
    "is_new_account",
    "liability",
    "notice_window",
    "prepaid_alternative_notice_window",
    "prepaid_notice_window",
]

TIER1_CAP = Decimal(50)
"""12 CFR 1005.6(b)(1), ``REG_E_LIABILITY_TIER1_50``: $50."""
TIER2_CAP = Decimal(500)
"""12 CFR 1005.6(b)(2), ``REG_E_LIABILITY_TIER2_500``: $500."""
WITHHOLD_MAX = Decimal(50)
"""12 CFR 1005.11(c)(2)(i), ``REG_E_PROVISIONAL_CREDIT``: at most $50 may be withheld from
provisional credit for a suspected unauthorized transfer."""

_M = Milestone


def _bd(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=DayCount.BUSINESS_DAYS)


def _days(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=DayCount.CALENDAR_DAYS)


class ErrorKind(WalletEnum):
    """The errors of 12 CFR 1005.11(a)(1)(i)-(vii) (a closed list; verified text).

    Not errors (1005.11(a)(2)): a routine balance inquiry, a request for tax or record-keeping
    information, a request for duplicate copies of documentation.

    Examples:
        >>> ErrorKind("incorrect_transfer").name
        'INCORRECT_TRANSFER'
    """

    UNAUTHORIZED = "unauthorized"
    """(a)(1)(i) An unauthorized electronic fund transfer."""
    INCORRECT_TRANSFER = "incorrect_transfer"
    """(a)(1)(ii) An incorrect electronic fund transfer to or from the account."""
    OMITTED_FROM_STATEMENT = "omitted_from_statement"
    """(a)(1)(iii) A transfer omitted from a periodic statement."""
    COMPUTATIONAL = "computational"
    """(a)(1)(iv) A computational or bookkeeping error by the institution."""
    WRONG_CASH_FROM_TERMINAL = "wrong_cash_from_terminal"
    """(a)(1)(v) An incorrect amount of money received from an electronic terminal."""
    NOT_IDENTIFIED = "not_identified"
    """(a)(1)(vi) A transfer not identified as 1005.9 or 1005.10(a) require."""
    DOCUMENTATION_REQUEST = "documentation_request"
    """(a)(1)(vii) A request for documentation, information or clarification about a transfer."""


_ERRORS_BY_DISPUTE: dict[DisputeKind, ErrorKind] = {
    DisputeKind.DUPLICATE_CHARGE: ErrorKind.INCORRECT_TRANSFER,
    DisputeKind.WRONG_AMOUNT: ErrorKind.INCORRECT_TRANSFER,
    DisputeKind.RECURRING_AFTER_CANCELLATION: ErrorKind.UNAUTHORIZED,
}


def error_kind_for(kind: DisputeKind | str) -> ErrorKind | None:
    """The 1005.11(a) error a payment dispute asserts, or ``None`` when it asserts none.

    * A duplicate charge or a wrong amount is an "incorrect electronic fund transfer"
      (1005.11(a)(1)(ii); comment 11(c)(4)-3 has the institution verify "that the amount of the
      transfer correctly corresponds to the amount of the consumer's purchase").
    * A recurring debit after the consumer revoked the authorization is unauthorized [nr]
      (comment 10(c) not re-checked).
    * Goods not delivered, or defective, for a purchase the consumer authorized fit none of
      (a)(1)(i)-(vii): not a Regulation E error (Reg E has no counterpart to 12 CFR
      1026.13(a)(3)); card-network chargebacks are contractual. A refund the merchant says it
      sent is treated the same way here (not re-checked [nr]).

    Raises:
        InvalidInputError: an unknown dispute kind.

    Examples:
        >>> error_kind_for("wrong_amount"), error_kind_for("not_received")
        (<ErrorKind.INCORRECT_TRANSFER: 'incorrect_transfer'>, None)
    """
    return _ERRORS_BY_DISPUTE.get(DisputeKind(kind))


class ErrorCase(WalletModel, frozen=True, extra="forbid"):
    """One notice of error and what the institution has done about it (12 CFR 1005.11).

    Attributes:
        notice_at: when the oral or written notice was received (day 0 in the institution's
            zone; a notice outside business hours is still effective, comment 2(d)-1).
        kind: the error asserted (1005.11(a)(1)).
        transfer_at: when the disputed transfer occurred (for 1005.18(e)(3) and new accounts).
        new_account: the transfer occurred within 30 days after the first deposit
            (1005.11(c)(3)(i), ``REG_E_NEW_ACCOUNT_INITIAL``): 20 business days and 90 days.
        point_of_sale: a point-of-sale debit card transaction, including mail and telephone
            orders but not ATM ones (1005.11(c)(3)(ii)(B), comment 11(c)(3)-1): 90 days.
        not_initiated_in_state: a transfer not initiated within a state (1005.11(c)(3)(ii)(A)):
            90 days.
        written_confirmation_required: the institution told the consumer, at the oral notice,
            that written confirmation is required and where to send it (1005.11(b)(2)).
        written_confirmation_received_at: when it arrived.
        provisionally_credited_at: when the alleged error amount was provisionally credited.
        provisional_credit_notified_at: when the consumer was told amount and date of it.
        concluded_at: when the investigation was completed.
        error_found: ``True`` if the error occurred as asserted, ``False`` if not (``None``
            while open).
        corrected_at: when a found error was corrected.
        results_reported_at: when the results were reported to the consumer.
        reversal_notified_at: when the consumer was told provisional credit is debited again.
        prepaid_unverified: a prepaid account (other than payroll or government benefit) whose
            consumer identification is not completed (1005.18(e)(3), [nr]).
        verified_at: when identification of the prepaid account completed.
        reasserted_after_compliance: the consumer reasserts an error the institution already
            resolved in full compliance (1005.11(e), ``REG_E_REASSERTION``; verified) and not
            after receiving information under (a)(1)(vii).

    Examples:
        >>> from datetime import datetime, timezone
        >>> ErrorCase(notice_at=datetime(2026, 3, 2, tzinfo=timezone.utc)).kind
        <ErrorKind.UNAUTHORIZED: 'unauthorized'>
    """

    notice_at: AwareDatetime
    kind: ErrorKind = ErrorKind.UNAUTHORIZED
    transfer_at: AwareDatetime | None = None
    new_account: bool = False
    point_of_sale: bool = False
    not_initiated_in_state: bool = False
    written_confirmation_required: bool = False
    written_confirmation_received_at: AwareDatetime | None = None
    provisionally_credited_at: AwareDatetime | None = None
    provisional_credit_notified_at: AwareDatetime | None = None
    concluded_at: AwareDatetime | None = None
    error_found: bool | None = None
    corrected_at: AwareDatetime | None = None
    results_reported_at: AwareDatetime | None = None
    reversal_notified_at: AwareDatetime | None = None
    prepaid_unverified: bool = False
    verified_at: AwareDatetime | None = None
    reasserted_after_compliance: bool = False


def error_resolution_rules(
    *, new_account: bool = False, point_of_sale: bool = False, not_initiated_in_state: bool = False
) -> DeadlinePolicy:
    """The 12 CFR 1005.11 deadline rules for one notice of error.

    * ``decision``: determine whether an error occurred within 10 business days of the notice
      (1005.11(c)(1), ``REG_E_ERROR_RESOLUTION_INITIAL``), 20 for a new account
      (1005.11(c)(3)(i), ``REG_E_NEW_ACCOUNT_INITIAL``); met by the conclusion, replaced by
      ``extended_decision`` once the longer period is earned, lifted when a required written
      confirmation was not received (1005.11(c)(2)(i)(A)).
    * ``provisional_credit``: credit within the same 10 (20) business days (1005.11(c)(2)(i),
      ``REG_E_PROVISIONAL_CREDIT``); met by the credit or a timely conclusion; lifted by a
      missing written confirmation (``REG_E_PROVISIONAL_CREDIT_EXCEPTIONS``).
    * ``provisional_credit_notice``: within 2 business days after crediting
      (1005.11(c)(2)(ii), ``REG_E_PROVISIONAL_CREDIT_NOTICE``).
    * ``extended_decision``: 45 days from the notice (1005.11(c)(2),
      ``REG_E_ERROR_RESOLUTION_EXTENDED``), 90 days for a new account, a point-of-sale debit
      card transaction or a transfer not initiated within a state (1005.11(c)(3)(ii),
      ``REG_E_EXTENDED_90``); only once ``extension_earned``.
    * ``written_confirmation`` (the consumer's): 10 business days from the oral notice
      (1005.11(b)(2), ``REG_E_WRITTEN_CONFIRMATION``); the investigation does not wait for it
      (comment 11(c)-2).
    * ``error_correction``: 1 business day after determining the error (1005.11(c)(1),
      (c)(2)(iii), ``REG_E_ERROR_CORRECTION``).
    * ``results_report``: 3 business days after completing the investigation (1005.11(c)(1),
      (c)(2)(iv), (d)(1), ``REG_E_REPORT_RESULTS``, ``REG_E_NO_ERROR_EXPLANATION``).
    * ``honour_payments_after_reversal``: 5 business days after notice of debiting provisional
      credit (1005.11(d)(2), ``REG_E_DEBIT_PROVISIONAL_NOTICE``); a period, listed while it
      runs.

    Examples:
        >>> str(error_resolution_rules().rule("extended_decision").limit)
        '45 calendar days'
        >>> str(error_resolution_rules(point_of_sale=True).rule("extended_decision").limit)
        '90 calendar days'
        >>> str(error_resolution_rules(new_account=True).rule("decision").limit)
        '20 business days'
    """
    return _rules(bool(new_account), bool(new_account or point_of_sale or not_initiated_in_state))


@cache
def _rules(new_account: bool, extended_90: bool) -> DeadlinePolicy:
    initial = 20 if new_account else 10
    initial_src = "12 CFR 1005.11(c)(3)(i)" if new_account else None
    missed = frozenset({_M.WRITTEN_CONFIRMATION_MISSED})
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
                stops_at=frozenset({_M.INVESTIGATION_CONCLUDED, _M.EXTENSION_EARNED}),
                lifted_by=missed,
            ),
            DeadlineRule(
                name="provisional_credit",
                starts_at=_M.NOTICE_RECEIVED,
                limit=_bd(initial),
                source=initial_src or "12 CFR 1005.11(c)(2)(i)",
                rule_id="REG_E_NEW_ACCOUNT_INITIAL" if new_account else "REG_E_PROVISIONAL_CREDIT",
                stops_at=frozenset({_M.PROVISIONALLY_CREDITED, _M.INVESTIGATION_CONCLUDED}),
                lifted_by=missed,
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
                requires=frozenset({_M.EXTENSION_EARNED}),
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
                stops_at=frozenset({_M.WRITTEN_CONFIRMATION_RECEIVED}),
                lifted_by=frozenset({_M.WRITTEN_CONFIRMATION_MISSED, _M.INVESTIGATION_CONCLUDED}),
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
            ),
        ),
    )


def _covered(case: ErrorCase) -> bool:
    if case.reasserted_after_compliance or case.prepaid_unverified:
        return False
    return not (
        case.verified_at is not None
        and case.transfer_at is not None
        and case.transfer_at < case.verified_at
    )


def error_resolution_deadlines(
    case: ErrorCase, institution: Institution, *, at: datetime
) -> tuple[Deadline, ...]:
    """Every 1005.11 deadline of ``case`` at ``at``: running ones and ones met late.

    ``at`` decides whether a required written confirmation is missed yet: once the 10
    business days have passed without it, no provisional credit is owed and the 45-day (90-day)
    limit runs instead (1005.11(c)(2)(i)(A), comment 11(c)(2)(i)-1). Credit given after its
    deadline earns no extension: ``decision`` stays running (and overdue) and
    ``provisional_credit`` is listed with ``met_at`` (reading of "provided" in 1005.11(c)(2)).

    No deadline at all for an unverified prepaid account, for a transfer before the prepaid
    account was verified (1005.18(e)(3), ``REG_E_PREPAID_UNVERIFIED``,
    ``REG_E_PREPAID_VERIFIED_AFTER``, [nr]), or for a reassertion after full compliance
    (1005.11(e), ``REG_E_REASSERTION``).

    Raises:
        InvalidInputError: ``case`` is not an ErrorCase or ``institution`` not an institution.
        NaiveDatetimeError: ``at`` is naive.

    Examples:
        >>> from datetime import datetime, timedelta
        >>> from zoneinfo import ZoneInfo
        >>> from walletsupport.regulation import Institution
        >>> notice = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("America/New_York"))
        >>> late = ErrorCase(notice_at=notice, provisionally_credited_at=notice + timedelta(16))
        >>> for d in error_resolution_deadlines(late, Institution.us_bank(), at=late.
        ...         provisionally_credited_at):
        ...     print(d.name, d.due_at.date(), "missed" if d.met_at else "running")
        decision 2026-03-17 running
        provisional_credit 2026-03-17 missed
        provisional_credit_notice 2026-03-21 running
    """
    if not isinstance(case, ErrorCase):
        raise InvalidInputError("case must be a reg_e.ErrorCase")
    schedule = schedule_of(institution)
    now = ensure_aware(at, "at")
    if not _covered(case):
        return ()
    policy = error_resolution_rules(
        new_account=case.new_account,
        point_of_sale=case.point_of_sale,
        not_initiated_in_state=case.not_initiated_in_state,
    )
    notice = case.notice_at
    reached: dict[str, datetime | None] = {
        _M.NOTICE_RECEIVED: notice,
        _M.PROVISIONALLY_CREDITED: case.provisionally_credited_at,
        _M.PROVISIONAL_CREDIT_NOTIFIED: case.provisional_credit_notified_at,
        _M.INVESTIGATION_CONCLUDED: case.concluded_at,
        _M.ERROR_DETERMINED: case.concluded_at if case.error_found else None,
        _M.ERROR_CORRECTED: case.corrected_at,
        _M.RESULTS_REPORTED: case.results_reported_at,
        _M.REVERSAL_NOTIFIED: case.reversal_notified_at,
    }
    credit_due = policy.rule("provisional_credit").deadline(notice, schedule).due_at
    credited = case.provisionally_credited_at
    earned: datetime | None = credited if credited is not None and credited < credit_due else None
    if case.written_confirmation_required:
        reached[_M.WRITTEN_CONFIRMATION_REQUESTED] = notice
        reached[_M.WRITTEN_CONFIRMATION_RECEIVED] = case.written_confirmation_received_at
        window = policy.rule("written_confirmation").deadline(notice, schedule).due_at
        received = case.written_confirmation_received_at
        if (received is None and now >= window) or (received is not None and received >= window):
            reached[_M.WRITTEN_CONFIRMATION_MISSED] = window
            earned = window if earned is None else min(earned, window)
    reached[_M.EXTENSION_EARNED] = earned
    milestones = {name: when for name, when in reached.items() if when is not None}
    found = policy.deadlines(milestones, schedule)
    # the honour period is a period, not a duty: once over it simply ends
    return tuple(
        d for d in found if not (d.name == "honour_payments_after_reversal" and now >= d.due_at)
    )


# --- notice windows ----------------------------------------------------------------------------


def notice_window(statement_sent_at: datetime, institution: Institution) -> Deadline:
    """The end of the 60-day window for a notice of error (12 CFR 1005.11(b)(1)(i)).

    The institution must follow 1005.11 for a notice received no later than 60 days after it
    sent the periodic statement on which the error first appears (``REG_E_ERROR_NOTICE_WINDOW``).
    A later notice loses the 1005.11 timelines; the 1005.6 liability limits still apply
    (comment 11(b)(1)-7).

    Raises:
        NaiveDatetimeError: ``statement_sent_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> notice_window(datetime(2026, 1, 1, 12, tzinfo=timezone.utc), Institution.us_bank()
        ...     ).due_at.date()
        datetime.date(2026, 3, 3)
    """
    return Deadline(
        name="error_notice",
        due_at=_days(60).ends_at(ensure_aware(statement_sent_at, "statement_sent_at"), institution),
        source="12 CFR 1005.11(b)(1)(i)",
        rule_id="REG_E_ERROR_NOTICE_WINDOW",
    )


def prepaid_notice_window(
    institution: Institution,
    *,
    electronic_access_at: datetime | None = None,
    written_history_sent_at: datetime | None = None,
) -> Deadline:
    """The 60-day notice window of a prepaid account without periodic statements.

    Runs from the earlier of the consumer's electronic access to the account (where the error
    could be seen) and the sending of a written history showing it (12 CFR 1005.18(e)(1)-(2),
    ``REG_E_PREPAID_NOTICE_WINDOW``).

    Raises:
        InvalidInputError: neither instant was given.
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> prepaid_notice_window(Institution.us_bank(),
        ...     electronic_access_at=datetime(2026, 1, 10, 12, tzinfo=timezone.utc),
        ...     written_history_sent_at=datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
        ...     ).due_at.date()
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
        due_at=_days(60).ends_at(min(starts), institution),
        source="12 CFR 1005.18(e)(1)-(2)",
        rule_id="REG_E_PREPAID_NOTICE_WINDOW",
    )


def prepaid_alternative_notice_window(posted_at: datetime, institution: Institution) -> Deadline:
    """The alternative prepaid window: notices within 120 days after the transfer posted.

    12 CFR 1005.18(e)(2), ``REG_E_PREPAID_NOTICE_WINDOW``.

    Raises:
        NaiveDatetimeError: ``posted_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> prepaid_alternative_notice_window(datetime(2026, 1, 1, 12, tzinfo=timezone.utc),
        ...     Institution.us_bank()).due_at.date()
        datetime.date(2026, 5, 2)
    """
    return Deadline(
        name="error_notice",
        due_at=_days(120).ends_at(ensure_aware(posted_at, "posted_at"), institution),
        source="12 CFR 1005.18(e)(2)",
        rule_id="REG_E_PREPAID_NOTICE_WINDOW",
    )


def is_new_account(
    first_deposit_at: datetime, transfer_at: datetime, institution: Institution
) -> bool:
    """Whether a transfer is "within 30 days after the first deposit" (1005.11(c)(3)(i)).

    Calendar days in the institution's zone (``REG_E_NEW_ACCOUNT_INITIAL``,
    ``REG_E_EXTENDED_90``).

    Raises:
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> bank = Institution.us_bank(zone="UTC")
        >>> opened = datetime(2026, 1, 1, 10, tzinfo=timezone.utc)
        >>> is_new_account(opened, datetime(2026, 1, 31, 23, tzinfo=timezone.utc), bank)
        True
        >>> is_new_account(opened, datetime(2026, 2, 1, tzinfo=timezone.utc), bank)
        False
    """
    first = ensure_aware(first_deposit_at, "first_deposit_at")
    transfer = ensure_aware(transfer_at, "transfer_at")
    return transfer < _days(30).ends_at(first, institution)


# --- liability ---------------------------------------------------------------------------------


class LiabilityFacts(WalletModel, frozen=True, extra="forbid"):
    """What 12 CFR 1005.6 needs to assess the consumer's liability.

    Attributes:
        transfers: the unauthorized transfers (before and after the notice).
        notified_at: when the consumer told the institution (1005.6(b)(5)).
        device_lost_or_stolen: an access device (card, code, phone wallet) was lost or stolen;
            only then do the $50 / $500 tiers apply (comment 6(b)(3)-2). Card data skimmed or
            phished from a device still in hand is not a loss or theft [nr].
        learned_of_loss_at: when the consumer *learned* of that loss or theft: the 2 business
            days run from it (1005.6(b)(1), comment 6(b)(1)-1).
        statement_sent_at: transmittal of the first periodic statement (or, for prepaid
            accounts without statements, the 1005.18(e)(1) start) showing an unauthorized
            transfer; ``None`` if none yet.
        extended_until: a reasonable later limit granted for extenuating circumstances such as
            extended travel or hospitalization (1005.6(b)(4), ``REG_E_LIABILITY_EXTENUATING``).
        preconditions_met: the 1005.6(a) conditions for any liability hold
            (``REG_E_LIABILITY_PRECONDITIONS``); when false the consumer bears nothing.
        prepaid_unverified: a prepaid account (other than payroll or government benefit) whose
            identification is not completed (1005.18(e)(3), ``REG_E_PREPAID_UNVERIFIED``, [nr]).
        verified_at: when identification completed; earlier transfers are not covered
            (``REG_E_PREPAID_VERIFIED_AFTER``, [nr]).

    Examples:
        >>> from datetime import datetime, timezone
        >>> LiabilityFacts(transfers=(), notified_at=datetime(2026, 1, 1, tzinfo=timezone.utc)
        ...     ).device_lost_or_stolen
        False
    """

    transfers: tuple[UnauthorizedTransfer, ...]
    notified_at: AwareDatetime
    device_lost_or_stolen: bool = False
    learned_of_loss_at: AwareDatetime | None = None
    statement_sent_at: AwareDatetime | None = None
    extended_until: AwareDatetime | None = None
    preconditions_met: bool = True
    prepaid_unverified: bool = False
    verified_at: AwareDatetime | None = None


def _assessment(
    loss: Decimal,
    tier: LiabilityTier,
    amount: Decimal,
    cap: Decimal | None,
    sources: tuple[str, ...],
    rule_ids: tuple[str, ...],
    uncovered: Decimal = Decimal(0),
) -> LiabilityAssessment:
    return LiabilityAssessment(
        regime=Regime.REG_E,
        tier=tier,
        loss=loss,
        customer_liability=amount,
        not_covered=uncovered,
        cap=cap,
        sources=sources,
        rule_ids=rule_ids,
    )


def liability(facts: LiabilityFacts, institution: Institution) -> LiabilityAssessment:
    """The consumer's maximum liability under 12 CFR 1005.6(b), on the institution's days.

    * Only transfers before the notice count.
    * Lost or stolen access device, notice within 2 business days after *learning* of it (the
      day of learning and non-business days do not count, comment 6(b)(1)-3): the lesser of $50
      and the transfers (1005.6(b)(1), ``REG_E_LIABILITY_TIER1_50``).
    * Lost or stolen device, later notice: the lesser of $500 and [the lesser of $50 and the
      transfers within the 2 business days] + [later transfers before notice that the
      institution shows timely notice would have prevented] (1005.6(b)(2),
      ``REG_E_LIABILITY_TIER2_500``). Transfers before the consumer learned of the loss count in
      the first bracket (our reading of "within the two business days").
    * No lost or stolen device: the first two tiers do not apply; reported within 60 days of
      the statement's transmittal, the consumer has no liability (comment 6(b)(3)-2).
    * A transfer on a statement not reported within 60 days of its transmittal: add, without
      limit, the transfers after those 60 days and before notice that timely notice would have
      prevented (1005.6(b)(3), ``REG_E_LIABILITY_TIER3_UNLIMITED``); tiers stack (comment
      6(b)-1).
    * ``extended_until`` extends both limits (1005.6(b)(4)); unmet 1005.6(a) preconditions mean
      no liability; an unverified prepaid account, or transfers before verification, are
      reported as ``not_covered`` (1005.18(e)(3), [nr]).

    Raises:
        InvalidInputError: ``facts`` is not LiabilityFacts, or a lost device has no
            ``learned_of_loss_at``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> t = datetime(2026, 3, 2, 15, tzinfo=timezone.utc)  # Monday
        >>> facts = LiabilityFacts(transfers=({"at": t, "amount": "300"},),
        ...     device_lost_or_stolen=True, learned_of_loss_at=t,
        ...     notified_at=datetime(2026, 3, 3, 15, tzinfo=timezone.utc))
        >>> a = liability(facts, Institution.us_bank())
        >>> a.tier, a.customer_liability, a.institution_liability
        (<LiabilityTier.REG_E_50: 'reg_e_50'>, Decimal('50'), Decimal('250'))
    """
    if not isinstance(facts, LiabilityFacts):
        raise InvalidInputError("facts must be reg_e.LiabilityFacts")
    schedule_of(institution)
    if facts.device_lost_or_stolen and facts.learned_of_loss_at is None:
        raise InvalidInputError("a lost or stolen device needs learned_of_loss_at")
    loss = total(facts.transfers)
    none = LiabilityTier.NONE
    if facts.prepaid_unverified:
        return _assessment(
            loss,
            LiabilityTier.REG_E_NOT_COVERED,
            Decimal(0),
            None,
            ("12 CFR 1005.18(e)(3)",),
            ("REG_E_PREPAID_UNVERIFIED",),
            loss,
        )
    covered = facts.transfers
    uncovered = Decimal(0)
    if facts.verified_at is not None:
        covered = tuple(t for t in facts.transfers if t.at >= facts.verified_at)
        uncovered = loss - total(covered)
    if not facts.preconditions_met:
        return _assessment(
            loss,
            none,
            Decimal(0),
            Decimal(0),
            ("12 CFR 1005.6(a)",),
            ("REG_E_LIABILITY_PRECONDITIONS",),
            uncovered,
        )
    notice = facts.notified_at
    before_notice = [t for t in covered if t.at < notice]
    extension = facts.extended_until

    def timely(limit: datetime) -> bool:
        return notice < limit or (extension is not None and notice < extension)

    sixty_end: datetime | None = None
    if facts.statement_sent_at is not None:
        sixty_end = _days(60).ends_at(facts.statement_sent_at, institution)
        if timely(sixty_end):
            sixty_end = None
    early = [t for t in before_notice if sixty_end is None or t.at < sixty_end]
    late = [t for t in before_notice if sixty_end is not None and t.at >= sixty_end]

    amount = Decimal(0)
    tier = none
    cap: Decimal | None = Decimal(0)
    sources: list[str] = []
    rule_ids: list[str] = []
    if facts.device_lost_or_stolen and facts.learned_of_loss_at is not None and early:
        two_days_end = _bd(2).ends_at(facts.learned_of_loss_at, institution)
        if timely(two_days_end):
            amount = min(TIER1_CAP, total(early))
            tier, cap = LiabilityTier.REG_E_50, TIER1_CAP
            sources.append("12 CFR 1005.6(b)(1)")
            rule_ids.append("REG_E_LIABILITY_TIER1_50")
        else:
            within = min(TIER1_CAP, total(t for t in early if t.at < two_days_end))
            after = total(
                t for t in early if t.at >= two_days_end and t.preventable_by_timely_notice
            )
            amount = min(TIER2_CAP, within + after)
            tier, cap = LiabilityTier.REG_E_500, TIER2_CAP
            sources.append("12 CFR 1005.6(b)(2)")
            rule_ids.append("REG_E_LIABILITY_TIER2_500")
    if late:
        amount += total(t for t in late if t.preventable_by_timely_notice)
        tier, cap = LiabilityTier.REG_E_UNLIMITED, None
        sources.append("12 CFR 1005.6(b)(3)")
        rule_ids.append("REG_E_LIABILITY_TIER3_UNLIMITED")
    if tier is none:
        sources.append("12 CFR 1005.6(b), comment 6(b)(3)-2")
    if extension is not None:
        sources.append("12 CFR 1005.6(b)(4)")
        rule_ids.append("REG_E_LIABILITY_EXTENUATING")
    if uncovered:
        sources.append("12 CFR 1005.18(e)(3)")
        rule_ids.append("REG_E_PREPAID_VERIFIED_AFTER")
        if tier is none:
            tier = LiabilityTier.REG_E_NOT_COVERED
    return _assessment(loss, tier, amount, cap, tuple(sources), tuple(rule_ids), uncovered)

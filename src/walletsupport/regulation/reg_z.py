"""US Regulation Z (12 CFR part 1026): credit-card billing errors, unauthorized use, Reg E vs Reg Z.

* Billing errors (12 CFR 1026.13; Fair Credit Billing Act, 15 U.S.C. 1666): a **written**
  notice received within 60 days after the creditor transmitted the first statement showing the
  error; a written acknowledgment within 30 days of receipt, unless resolved within them; a
  resolution within two complete billing cycles and in no event later than 90 days. Every limit is
  in calendar days or billing cycles, none in business days (15 U.S.C. 1666(a)).
* Unauthorized use (12 CFR 1026.12(b)): at most the lesser of $50 and the amount obtained
  before notification, and only if the card was accepted, the cardholder was told of the limit
  and of the means of notification, and the issuer can identify the user.
* Which regulation applies to a wallet payment, by funding source (Reg E comment 12(a)-1): a
  credit card charged at purchase time -> Reg Z; a debit card, bank account or verified stored
  balance -> Reg E; an unverified stored balance -> neither (12 CFR 1005.18(e)(3), [nr]).

Primary text: https://www.ecfr.gov/current/title-12/chapter-X/part-1026 . Not legal advice.

Examples:
    >>> applicable_regime("credit_card"), applicable_regime("stored_balance")
    (<Regime.REG_Z: 'reg_z'>, <Regime.REG_E: 'reg_e'>)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import AwareDatetime, Field

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError
from walletsupport.regulation._engine import DayCount, Deadline, Regime, TimeLimit, schedule_of
from walletsupport.regulation._kinds import DisputeKind, FundingSource
from walletsupport.regulation._liability import (
    LiabilityAssessment,
    LiabilityTier,
    UnauthorizedTransfer,
    total,
)
from walletsupport.regulation.institution import Institution

__all__ = [
    "CAP",
    "BillingErrorCase",
    "BillingErrorKind",
    "applicable_regime",
    "billing_error_deadlines",
    "billing_error_kind_for",
    "liability",
    "notice_window",
]

CAP = Decimal(50)
"""12 CFR 1026.12(b)(1)(ii), ``REG_Z_LIABILITY_CAP_50``: $50 (no time tiers)."""


def _days(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=DayCount.CALENDAR_DAYS)


def applicable_regime(
    funding: FundingSource | str, *, verified: bool = True, payroll_or_government: bool = False
) -> Regime | None:
    """Reg E or Reg Z for a wallet payment, from the reference's decision table.

    "Whether Regulation E or Regulation Z ... applies depends on the nature of the transaction"
    (Reg E comment 12(a)-1.i, ``REG_E_Z_NATURE_OF_TRANSACTION``): a pass-through to a credit card
    charged at purchase time is an extension of credit -> Reg Z against the card issuer
    (comment 13(a)(3)-2); a debit card or bank account -> Reg E (comment 12(a)-1.ii.B); a stored
    balance that can pay unaffiliated merchants or other people is a prepaid account -> Reg E
    as modified by 1005.18 (``PREPAID_DIGITAL_WALLET_SCOPE``, [nr]), except an unverified one
    (other than payroll or government benefit) -> ``None``: Reg E's error resolution and
    liability limits do not apply (``PREPAID_UNVERIFIED_2018``, [nr]).

    Raises:
        InvalidInputError: an unknown funding source.

    Examples:
        >>> applicable_regime("stored_balance", verified=False) is None
        True
        >>> applicable_regime("stored_balance", verified=False, payroll_or_government=True)
        <Regime.REG_E: 'reg_e'>
    """
    source = FundingSource(funding)
    if source is FundingSource.CREDIT_CARD:
        return Regime.REG_Z
    if source is FundingSource.STORED_BALANCE and not verified and not payroll_or_government:
        return None
    return Regime.REG_E


class BillingErrorKind(WalletEnum):
    """The billing errors of 12 CFR 1026.13(a)(1)-(7) (verified text).

    Examples:
        >>> BillingErrorKind("not_delivered").name
        'NOT_DELIVERED'
    """

    UNAUTHORIZED_OR_WRONG_CREDIT = "unauthorized_or_wrong_credit"
    """(a)(1) An extension of credit not made to the consumer or an authorized user."""
    NOT_IDENTIFIED = "not_identified"
    """(a)(2) Credit not identified as 1026.7 and 1026.8 require."""
    NOT_DELIVERED = "not_delivered"
    """(a)(3) Property or services not accepted, or not delivered as agreed."""
    PAYMENT_NOT_CREDITED = "payment_not_credited"
    """(a)(4) The creditor failed to credit properly a payment or other credit."""
    COMPUTATIONAL = "computational"
    """(a)(5) A computational or similar accounting error by the creditor."""
    CLARIFICATION = "clarification"
    """(a)(6) Credit for which the consumer requests clarification or documentary evidence."""
    STATEMENT_NOT_DELIVERED = "statement_not_delivered"
    """(a)(7) A periodic statement not mailed or delivered to the last known address."""


_BILLING_ERRORS: dict[DisputeKind, BillingErrorKind] = {
    DisputeKind.DUPLICATE_CHARGE: BillingErrorKind.UNAUTHORIZED_OR_WRONG_CREDIT,
    DisputeKind.WRONG_AMOUNT: BillingErrorKind.UNAUTHORIZED_OR_WRONG_CREDIT,
    DisputeKind.RECURRING_AFTER_CANCELLATION: BillingErrorKind.UNAUTHORIZED_OR_WRONG_CREDIT,
    DisputeKind.NOT_RECEIVED: BillingErrorKind.NOT_DELIVERED,
    DisputeKind.REFUND_NOT_CREDITED: BillingErrorKind.PAYMENT_NOT_CREDITED,
}


def billing_error_kind_for(kind: DisputeKind | str) -> BillingErrorKind | None:
    """The 1026.13(a) billing error a card dispute asserts, or ``None``.

    Goods not delivered as agreed (including late delivery, wrong goods or quantity) are a
    billing error (1026.13(a)(3), comment 13(a)(3)-1); a quality dispute about goods the
    consumer accepted is not (it goes to 1026.12(c), [nr]). A duplicate charge, a wrong amount
    or a charge after cancellation is treated as credit "not made to the consumer" as shown
    (1026.13(a)(1); the "not in the amount reflected" wording [nr]); a merchant refund not
    credited is (a)(4).

    Raises:
        InvalidInputError: an unknown dispute kind.

    Examples:
        >>> billing_error_kind_for("not_received"), billing_error_kind_for("not_as_described")
        (<BillingErrorKind.NOT_DELIVERED: 'not_delivered'>, None)
    """
    return _BILLING_ERRORS.get(DisputeKind(kind))


def notice_window(statement_transmitted_at: datetime, institution: Institution) -> Deadline:
    """The written billing-error notice must be received within 60 days of the transmittal of
    the first statement reflecting the error (12 CFR 1026.13(b)(1), ``REG_Z_NOTICE_WINDOW_60``).

    A phone call is not a billing-error notice; receipt is at the disclosed address.

    Raises:
        NaiveDatetimeError: ``statement_transmitted_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> notice_window(datetime(2026, 1, 1, 12, tzinfo=timezone.utc),
        ...     Institution.us_bank(zone="UTC")).due_at.date()
        datetime.date(2026, 3, 3)
    """
    start = ensure_aware(statement_transmitted_at, "statement_transmitted_at")
    return Deadline(
        name="billing_error_notice",
        due_at=_days(60).ends_at(start, institution),
        source="12 CFR 1026.13(b)(1)",
        rule_id="REG_Z_NOTICE_WINDOW_60",
    )


class BillingErrorCase(WalletModel, frozen=True, extra="forbid"):
    """One written billing-error notice and the creditor's steps (12 CFR 1026.13).

    Attributes:
        notice_received_at: when the written notice arrived at the billing-error address.
        statement_transmitted_at: transmittal of the first statement reflecting the error
            (``None``: not known; the 60-day test is then not applied).
        cycle_closing_dates: the account's billing-cycle closing dates around the notice (each
            the last day of a cycle); without them only the 90-day limit is shown.
        acknowledged_at: when the written acknowledgment was sent.
        resolved_at: when the account was corrected or the explanation sent.

    Examples:
        >>> from datetime import datetime, timezone
        >>> BillingErrorCase(notice_received_at=datetime(2026, 3, 2, tzinfo=timezone.utc)
        ...     ).cycle_closing_dates
        ()
    """

    notice_received_at: AwareDatetime
    statement_transmitted_at: AwareDatetime | None = None
    cycle_closing_dates: tuple[date, ...] = Field(default=(), max_length=120)
    acknowledged_at: AwareDatetime | None = None
    resolved_at: AwareDatetime | None = None


def _late(deadline: Deadline, met: datetime | None) -> Deadline | None:
    if met is None:
        return deadline
    return deadline.model_copy(update={"met_at": met}) if met >= deadline.due_at else None


def billing_error_deadlines(
    case: BillingErrorCase, institution: Institution
) -> tuple[Deadline, ...]:
    """The creditor's 1026.13 deadlines for one billing-error notice (running or met late).

    * ``acknowledgment``: written acknowledgment within 30 days of receipt, unless resolved
      within them (15 U.S.C. 1666(a)(A), ``REG_Z_ACK_30_DAYS``; 1026.13(c)(1) wording [nr]).
    * ``resolution``: within two complete billing cycles, in no event later than 90 days after
      receipt (15 U.S.C. 1666(a)(B), ``REG_Z_RESOLVE_TWO_CYCLES_90``; 1026.13(c)(2) wording
      [nr]). A cycle already running on the receipt date is not one of the two (reading of
      "complete", [nr]).

    No deadline when the notice came after the 60-day window (``REG_Z_NOTICE_WINDOW_60``).

    Raises:
        InvalidInputError: ``case`` is not a BillingErrorCase.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> case = BillingErrorCase(notice_received_at=datetime(2026, 3, 2, 9, tzinfo=timezone.utc),
        ...     cycle_closing_dates=(date(2026, 3, 15), date(2026, 4, 15), date(2026, 5, 15)))
        >>> [(d.name, d.due_at.date().isoformat()) for d in billing_error_deadlines(
        ...     case, Institution.us_bank(zone="UTC"))]
        [('acknowledgment', '2026-04-02'), ('resolution', '2026-05-16')]
    """
    if not isinstance(case, BillingErrorCase):
        raise InvalidInputError("case must be a reg_z.BillingErrorCase")
    schedule = schedule_of(institution)
    received = case.notice_received_at
    if case.statement_transmitted_at is not None:
        window = notice_window(case.statement_transmitted_at, institution)
        if received >= window.due_at:
            return ()
    ack = Deadline(
        name="acknowledgment",
        due_at=_days(30).ends_at(received, institution),
        source="15 U.S.C. 1666(a)(A); 12 CFR 1026.13(c)(1) [nr]",
        rule_id="REG_Z_ACK_30_DAYS",
    )
    ninety = _days(90).ends_at(received, institution)
    description = "the earlier of two complete billing cycles and 90 days"
    receipt_day = schedule.local_date(received)
    closings = sorted(d for d in set(case.cycle_closing_dates) if d >= receipt_day)
    due = ninety
    if len(closings) >= 3:
        due = min(ninety, schedule.end_of_day(closings[2]))
    elif not closings or len(case.cycle_closing_dates) == 0:
        description = "90 days (billing cycles not given)"
    resolution = Deadline(
        name="resolution",
        due_at=due,
        source="15 U.S.C. 1666(a)(B); 12 CFR 1026.13(c)(2) [nr]",
        rule_id="REG_Z_RESOLVE_TWO_CYCLES_90",
        description=description,
    )
    acknowledged = case.acknowledged_at
    resolved = case.resolved_at
    ack_met = (
        min(t for t in (acknowledged, resolved) if t is not None)
        if (acknowledged or resolved)
        else None
    )
    found = [d for d in (_late(ack, ack_met), _late(resolution, resolved)) if d is not None]
    return tuple(sorted(found, key=Deadline.sort_key))


def liability(
    transfers: tuple[UnauthorizedTransfer, ...],
    notified_at: datetime,
    *,
    conditions_met: bool = True,
) -> LiabilityAssessment:
    """The cardholder's liability for unauthorized use of a credit card (12 CFR 1026.12(b)).

    The lesser of $50 and what was obtained before notification (1026.12(b)(1)(ii),
    ``REG_Z_LIABILITY_CAP_50``), only if the card was accepted, adequate notice of the limit and
    of the means of notification was given, and the issuer provided a means to identify the
    user (1026.12(b)(2), ``REG_Z_LIABILITY_CONDITIONS``); otherwise nothing (15 U.S.C. 1643(d),
    ``REG_Z_NO_OTHER_LIABILITY``). Notification may be oral or written (1026.12(b)(3)).

    Raises:
        NaiveDatetimeError: ``notified_at`` is naive.
        InvalidInputError: ``transfers`` is not a sequence of transfers.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> liability((UnauthorizedTransfer(at=t, amount=400),),
        ...     datetime(2026, 3, 3, tzinfo=timezone.utc)).customer_liability
        Decimal('50')
    """
    notice = ensure_aware(notified_at, "notified_at")
    if not isinstance(transfers, tuple | list) or not all(
        isinstance(t, UnauthorizedTransfer) for t in transfers
    ):
        raise InvalidInputError("transfers must be UnauthorizedTransfer values")
    loss = total(transfers)
    before = total(t for t in transfers if t.at < notice)
    if not conditions_met or before == 0:
        return LiabilityAssessment(
            regime=Regime.REG_Z,
            tier=LiabilityTier.NONE,
            loss=loss,
            customer_liability=Decimal(0),
            cap=Decimal(0),
            sources=("15 U.S.C. 1643(d); 12 CFR 1026.12(b)(2)",),
            rule_ids=("REG_Z_NO_OTHER_LIABILITY",),
        )
    return LiabilityAssessment(
        regime=Regime.REG_Z,
        tier=LiabilityTier.REG_Z_CAP,
        loss=loss,
        customer_liability=min(CAP, before),
        cap=CAP,
        sources=("12 CFR 1026.12(b)(1)(ii)",),
        rule_ids=("REG_Z_LIABILITY_CAP_50",),
    )

"""A transaction the customer did not make: report, secure, investigate, credit, resolve.

```
reported -> secured (card frozen, password change advised) -> investigating
investigating -> provisional_credit (the investigation needs longer than the initial window)
investigating | provisional_credit -> resolved_in_favour | resolved_against -> closed
reported | secured | investigating -> withdrawn
```

The regime (``Regime.REG_E``, ``Regime.PSD2`` or ``Regime.CUSTOM``) is chosen per case in the
data and decides the deadlines and the customer's liability:

* **Regulation E** (12 CFR 1005.11): decide or provisionally credit within 10 business days of
  the notice (20 for a new account), then decide within 45 days (90 for new accounts,
  point-of-sale and foreign-initiated transfers); tell the customer about provisional credit
  within 2 business days, correct a found error within 1 business day, report the results
  within 3 business days, and after reversing provisional credit honour payments for 5
  business days (see
  [reg_e_error_resolution][walletsupport.policies.deadlines.reg_e_error_resolution]).
  Liability: $50 / $500 / unlimited (12 CFR 1005.6(b)).
* **PSD2**: refund by the end of the following business day (Art. 73(1)); in this machine the
  refund is the ``provisional_credit`` step. Liability: at most EUR 50 (Art. 74(1)).
* **Custom**: the policy's own [DeadlinePolicy][walletsupport.policies.deadlines.DeadlinePolicy]
  and a PSD2-style cap.

Only non-final states have deadlines, so a resolved case stays open until the results are
reported (and, after a reversal, the 5-business-day honour period is over), then ``close``.

Examples:
    >>> from datetime import datetime, timezone
    >>> from decimal import Decimal
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.policies.liability import UnauthorizedTransfer
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 11, 25, 19, tzinfo=timezone.utc))  # 14:00 New York
    >>> service = WorkflowService(MemoryStore(), clock, [unauthorized_transaction_workflow()])
    >>> case = service.open("unauthorized_transaction", UnauthorizedTransactionData(
    ...     transfers=(UnauthorizedTransfer(at=datetime(2026, 11, 24, tzinfo=timezone.utc),
    ...                                     amount=Decimal("120.00")),)),
    ...     case_id="U-1", actor="customer")
    >>> [(d.name, d.due_at.isoformat()) for d in service.due(case)]
    [('decision', '2026-12-11T00:00:00-05:00'), ('provisional_credit', '2026-12-11T00:00:00-05:00')]
    >>> _ = service.apply("U-1", SecureAccount(), idempotency_key="1", actor="agent:7")
    >>> _ = service.apply("U-1", StartInvestigation(), idempotency_key="2", actor="agent:7")
    >>> case = service.apply("U-1", CreditProvisionally(amount=Decimal("120.00")),
    ...                      idempotency_key="3", actor="agent:7")
    >>> for d in service.due(case):
    ...     print(d.name, f"{d.due_at:%Y-%m-%d %H:%M}", d.source)
    provisional_credit_notice 2026-12-01 00:00 12 CFR 1005.11(c)(2)(ii)
    extended_decision 2027-01-10 00:00 12 CFR 1005.11(c)(2)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from pydantic import AwareDatetime, Field
from statemachine import StateMachine
from statemachine.states import States

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.errors import ConfigurationError, WalletSupportError
from walletsupport.policies.deadlines import (
    DeadlinePolicy,
    Milestone,
    Regime,
    psd2_unauthorised_refund,
    reg_e_error_resolution,
)
from walletsupport.policies.liability import (
    PSD2_CAP_EUR,
    LiabilityAssessment,
    Psd2LiabilityFacts,
    RegELiabilityFacts,
    UnauthorizedTransfer,
    assess_psd2_liability,
    assess_reg_e_liability,
)
from walletsupport.values.text import FreeText
from walletsupport.workflows.definition import CaseContext, Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "CloseCase",
    "CorrectError",
    "CreditProvisionally",
    "NotifyProvisionalCredit",
    "PaymentFindings",
    "ReceiveWrittenConfirmation",
    "ReportFraudSuspicion",
    "ReportResults",
    "ResolveAgainst",
    "ResolveInFavour",
    "SecureAccount",
    "StartInvestigation",
    "UnauthorizedState",
    "UnauthorizedTransactionData",
    "UnauthorizedTransactionMachine",
    "UnauthorizedTransactionPolicy",
    "WithdrawClaim",
    "estimate_liability",
    "unauthorized_transaction_deadlines",
    "unauthorized_transaction_workflow",
]

#: The most Regulation E lets an institution withhold from provisional credit (1005.11(c)(2)(i)).
REG_E_WITHHOLD_MAX = Decimal(50)


class UnauthorizedState(WalletEnum):
    """The states of an unauthorized-transaction case (stored values).

    Examples:
        >>> UnauthorizedState("provisional_credit").name
        'PROVISIONAL_CREDIT'
    """

    REPORTED = "reported"
    SECURED = "secured"
    INVESTIGATING = "investigating"
    PROVISIONAL_CREDIT = "provisional_credit"
    RESOLVED_IN_FAVOUR = "resolved_in_favour"
    RESOLVED_AGAINST = "resolved_against"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


def _default_reg_e_schedule() -> Schedule:
    return Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))


def _default_psd2_schedule() -> Schedule:
    return Schedule.weekdays("Europe/Brussels", holiday_calendar=HolidayCalendar(country="BE"))


class UnauthorizedTransactionPolicy(WalletModel, frozen=True, extra="forbid"):
    """The institution's calendars and custom rules for unauthorized-transaction cases.

    Attributes:
        reg_e_schedule: the US institution's business days (12 CFR 1005.2(d)); by default
            Monday-Friday in New York with US federal holidays.
        psd2_schedule: the PSP's business days (PSD2 Art. 4(37)); by default Monday-Friday in
            Brussels with Belgian public holidays. Pass your own.
        custom_deadlines: the deadlines of ``Regime.CUSTOM`` cases (``None``: none).
        custom_schedule: the calendar of ``Regime.CUSTOM`` cases (``None``: ``psd2_schedule``).
        custom_cap: the payer's cap in ``Regime.CUSTOM`` cases, assessed like PSD2 Art. 74.

    Examples:
        >>> UnauthorizedTransactionPolicy().reg_e_schedule.zone
        'America/New_York'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    reg_e_schedule: Schedule = Field(default_factory=_default_reg_e_schedule)
    psd2_schedule: Schedule = Field(default_factory=_default_psd2_schedule)
    custom_deadlines: DeadlinePolicy | None = None
    custom_schedule: Schedule | None = None
    custom_cap: Decimal = Field(default=PSD2_CAP_EUR, ge=0)

    def schedule_for(self, regime: Regime) -> Schedule:
        """The business calendar used for ``regime``.

        Examples:
            >>> UnauthorizedTransactionPolicy().schedule_for(Regime.PSD2).zone
            'Europe/Brussels'
        """
        if regime is Regime.REG_E:
            return self.reg_e_schedule
        if regime is Regime.CUSTOM and self.custom_schedule is not None:
            return self.custom_schedule
        return self.psd2_schedule


class PaymentFindings(WalletModel, frozen=True, extra="forbid"):
    """What the investigation found that PSD2 Art. 74 liability depends on.

    Examples:
        >>> PaymentFindings().sca_required
        True
    """

    gross_negligence: bool = False
    loss_detectable: bool = True
    caused_by_psp: bool = False
    sca_required: bool = True


class UnauthorizedTransactionData(WalletModel, frozen=True, extra="forbid"):
    """What an unauthorized-transaction case stores (never a card number or a secret).

    The facts are given when the case is opened; the timestamps are filled by the machine.
    ``notified_at`` defaults to the moment the case is opened.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from decimal import Decimal
        >>> t = UnauthorizedTransfer(at=datetime(2026, 3, 1, tzinfo=timezone.utc), amount=9)
        >>> UnauthorizedTransactionData(transfers=(t,)).loss
        Decimal('9')
    """

    regime: Regime = Regime.REG_E
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    transfers: tuple[UnauthorizedTransfer, ...] = Field(min_length=1, max_length=500)
    notified_at: AwareDatetime | None = None
    # Regulation E facts (12 CFR 1005.6, 1005.11, 1005.18)
    device_lost_or_stolen: bool = False
    learned_of_loss_at: AwareDatetime | None = None
    statement_sent_at: AwareDatetime | None = None
    new_account: bool = False
    point_of_sale: bool = False
    foreign_initiated: bool = False
    written_confirmation_requested: bool = False
    prepaid_unverified: bool = False
    verified_at: AwareDatetime | None = None
    # progress
    card_frozen: bool = False
    password_change_advised: bool = False
    secured_at: AwareDatetime | None = None
    investigation_started_at: AwareDatetime | None = None
    written_confirmation_received_at: AwareDatetime | None = None
    fraud_suspicion_reported_at: AwareDatetime | None = None
    provisionally_credited_at: AwareDatetime | None = None
    provisional_credit_amount: Decimal | None = None
    provisional_credit_notified_at: AwareDatetime | None = None
    concluded_at: AwareDatetime | None = None
    error_determined_at: AwareDatetime | None = None
    error_corrected_at: AwareDatetime | None = None
    results_reported_at: AwareDatetime | None = None
    reversal_notified_at: AwareDatetime | None = None
    withdrawn_reason: FreeText | None = None
    resolution_reason: FreeText | None = None
    liability: LiabilityAssessment | None = None

    @property
    def loss(self) -> Decimal:
        """The sum of the disputed transfers."""
        return sum((t.amount for t in self.transfers), Decimal(0))


UnauthorizedCase = CaseContext[UnauthorizedTransactionData, UnauthorizedTransactionPolicy]


def estimate_liability(
    data: UnauthorizedTransactionData,
    policy: UnauthorizedTransactionPolicy,
    *,
    notified_at: datetime,
    findings: PaymentFindings | None = None,
) -> LiabilityAssessment:
    """The customer's liability for the case under its regime.

    Regulation E: [assess_reg_e_liability][walletsupport.policies.liability.assess_reg_e_liability]
    (12 CFR 1005.6(b), 1005.18(e)(3)); PSD2 and custom:
    [assess_psd2_liability][walletsupport.policies.liability.assess_psd2_liability]
    (PSD2 Art. 74) with the EUR 50 cap or the policy's ``custom_cap``.

    Raises:
        NaiveDatetimeError: ``notified_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> data = UnauthorizedTransactionData(regime="psd2", currency="EUR",
        ...     transfers=(UnauthorizedTransfer(at=t, amount=70),))
        >>> estimate_liability(data, UnauthorizedTransactionPolicy(),
        ...     notified_at=datetime(2026, 3, 3, tzinfo=timezone.utc)).customer_liability
        Decimal('50')
    """
    found = findings or PaymentFindings()
    if data.regime is Regime.REG_E:
        return assess_reg_e_liability(
            RegELiabilityFacts(
                transfers=data.transfers,
                notified_at=notified_at,
                device_lost_or_stolen=data.device_lost_or_stolen,
                learned_of_loss_at=data.learned_of_loss_at,
                statement_sent_at=data.statement_sent_at,
                prepaid_unverified=data.prepaid_unverified,
                verified_at=data.verified_at,
            ),
            policy.reg_e_schedule,
        )
    return assess_psd2_liability(
        Psd2LiabilityFacts(
            transfers=data.transfers,
            notified_at=notified_at,
            gross_negligence=found.gross_negligence,
            loss_detectable=found.loss_detectable,
            caused_by_psp=found.caused_by_psp,
            sca_required=found.sca_required,
            cap=PSD2_CAP_EUR if data.regime is Regime.PSD2 else policy.custom_cap,
        )
    )


# --- commands --------------------------------------------------------------------------------


class SecureAccount(Command):
    """Freeze the card or account and advise a password change (reported -> secured)."""

    event: ClassVar[str] = "secure"
    card_frozen: bool = True
    password_change_advised: bool = True


class StartInvestigation(Command):
    """Begin the investigation (secured -> investigating)."""

    event: ClassVar[str] = "start_investigation"


class CreditProvisionally(Command):
    """Credit the customer while the investigation continues (-> provisional_credit).

    Under PSD2 this is the Art. 73(1) refund. Under Regulation E up to $50 may be withheld
    (12 CFR 1005.11(c)(2)(i), ``REG_E_PROVISIONAL_CREDIT``).
    """

    event: ClassVar[str] = "credit_provisionally"
    amount: Decimal = Field(gt=0, allow_inf_nan=False)


class NotifyProvisionalCredit(Command):
    """Tell the customer the amount and date of provisional credit (12 CFR 1005.11(c)(2)(ii))."""

    event: ClassVar[str] = "notify_provisional_credit"


class ReceiveWrittenConfirmation(Command):
    """The customer's requested written confirmation arrived (12 CFR 1005.11(b)(2))."""

    event: ClassVar[str] = "receive_written_confirmation"


class ReportFraudSuspicion(Command):
    """PSD2 only: fraud suspicion communicated in writing to the authority (Art. 73(1))."""

    event: ClassVar[str] = "report_fraud_suspicion"
    authority: str = Field(min_length=1, max_length=200)


class ResolveInFavour(Command):
    """The transfers were unauthorized: the credit becomes final (-> resolved_in_favour)."""

    event: ClassVar[str] = "resolve_in_favour"
    findings: PaymentFindings = Field(default_factory=PaymentFindings)


class CorrectError(Command):
    """Credit the account after a finding in favour without provisional credit (1 business day)."""

    event: ClassVar[str] = "correct_error"


class ResolveAgainst(Command):
    """No unauthorized transfer found: any provisional credit is reversed with notice."""

    event: ClassVar[str] = "resolve_against"
    reason: str = Field(min_length=1, max_length=500)


class ReportResults(Command):
    """The results were reported to the customer (12 CFR 1005.11(c)(2)(iv), (d)(1))."""

    event: ClassVar[str] = "report_results"


class CloseCase(Command):
    """Close a resolved case once nothing is due (-> closed)."""

    event: ClassVar[str] = "close"


class WithdrawClaim(Command):
    """The customer withdraws the claim before any provisional credit (-> withdrawn)."""

    event: ClassVar[str] = "withdraw"
    reason: str = Field(default="", max_length=500)


# --- machine ---------------------------------------------------------------------------------


def _notice(case: UnauthorizedCase) -> datetime:
    return case.data.notified_at or case.created_at


class UnauthorizedTransactionMachine(StateMachine):
    """The unauthorized-transaction states and transitions."""

    _ = States.from_enum(
        UnauthorizedState,
        initial=UnauthorizedState.REPORTED,
        final=[UnauthorizedState.WITHDRAWN, UnauthorizedState.CLOSED],
    )

    secure = _.REPORTED.to(_.SECURED)
    start_investigation = _.SECURED.to(_.INVESTIGATING)
    credit_provisionally = _.INVESTIGATING.to(_.PROVISIONAL_CREDIT, validators="credit_allowed")
    notify_provisional_credit = _.PROVISIONAL_CREDIT.to.itself(validators="not_yet_notified")
    receive_written_confirmation = (
        _.REPORTED.to.itself(validators="confirmation_expected")
        | _.SECURED.to.itself(validators="confirmation_expected")
        | _.INVESTIGATING.to.itself(validators="confirmation_expected")
        | _.PROVISIONAL_CREDIT.to.itself(validators="confirmation_expected")
    )
    report_fraud_suspicion = _.SECURED.to.itself(
        validators="psd2_only"
    ) | _.INVESTIGATING.to.itself(validators="psd2_only")
    resolve_in_favour = _.INVESTIGATING.to(_.RESOLVED_IN_FAVOUR) | _.PROVISIONAL_CREDIT.to(
        _.RESOLVED_IN_FAVOUR
    )
    resolve_against = _.INVESTIGATING.to(_.RESOLVED_AGAINST) | _.PROVISIONAL_CREDIT.to(
        _.RESOLVED_AGAINST
    )
    correct_error = _.RESOLVED_IN_FAVOUR.to.itself(validators="correction_pending")
    report_results = _.RESOLVED_IN_FAVOUR.to.itself(
        validators="not_yet_reported"
    ) | _.RESOLVED_AGAINST.to.itself(validators="not_yet_reported")
    close = _.RESOLVED_IN_FAVOUR.to(_.CLOSED, validators="nothing_due") | _.RESOLVED_AGAINST.to(
        _.CLOSED, validators="nothing_due"
    )
    withdraw = (
        _.REPORTED.to(_.WITHDRAWN) | _.SECURED.to(_.WITHDRAWN) | _.INVESTIGATING.to(_.WITHDRAWN)
    )

    # validators ---------------------------------------------------------------------------

    def credit_allowed(self, case: UnauthorizedCase, command: CreditProvisionally) -> None:
        """Credit at most the loss; Regulation E withholds at most $50 (1005.11(c)(2)(i))."""
        loss = case.data.loss
        if command.amount > loss:
            case.reject(f"provisional credit {command.amount} exceeds the disputed {loss}")
        if case.data.regime is Regime.REG_E and command.amount < loss - REG_E_WITHHOLD_MAX:
            case.reject(
                "Regulation E lets at most 50 be withheld from provisional credit "
                "(12 CFR 1005.11(c)(2)(i))"
            )

    def not_yet_notified(self, case: UnauthorizedCase) -> None:
        if case.data.provisional_credit_notified_at is not None:
            case.reject("the customer was already told about the provisional credit")

    def confirmation_expected(self, case: UnauthorizedCase) -> None:
        if not case.data.written_confirmation_requested:
            case.reject("no written confirmation was requested")
        if case.data.written_confirmation_received_at is not None:
            case.reject("the written confirmation was already received")

    def psd2_only(self, case: UnauthorizedCase) -> None:
        if case.data.regime is Regime.REG_E:
            case.reject("the fraud-suspicion exception is PSD2 Art. 73(1); not Regulation E")
        if case.data.fraud_suspicion_reported_at is not None:
            case.reject("the fraud suspicion was already reported")

    def correction_pending(self, case: UnauthorizedCase) -> None:
        if case.data.error_corrected_at is not None:
            case.reject("the error was already corrected")

    def not_yet_reported(self, case: UnauthorizedCase) -> None:
        if case.data.results_reported_at is not None:
            case.reject("the results were already reported")

    def nothing_due(self, case: UnauthorizedCase) -> None:
        """Close only after the results report, the correction and the honour period."""
        data = case.data
        if data.results_reported_at is None:
            case.reject("report the results to the customer first (12 CFR 1005.11(c)(2)(iv))")
        if case.state == UnauthorizedState.RESOLVED_IN_FAVOUR and data.error_corrected_at is None:
            case.reject("correct the error first (12 CFR 1005.11(c)(2)(iii))")
        if data.reversal_notified_at is not None and data.regime is Regime.REG_E:
            ends = (
                reg_e_error_resolution()
                .rule("honour_payments_after_reversal")
                .deadline(data.reversal_notified_at, case.policy.reg_e_schedule)
            )
            if case.at < ends.due_at:
                case.reject(
                    f"payments are honoured until {ends.due_at.isoformat()} (12 CFR 1005.11(d)(2))"
                )

    # actions ------------------------------------------------------------------------------

    def on_secure(self, case: UnauthorizedCase, command: SecureAccount) -> None:
        case.update(
            secured_at=case.at,
            card_frozen=command.card_frozen,
            password_change_advised=command.password_change_advised,
        )

    def on_start_investigation(self, case: UnauthorizedCase) -> None:
        case.update(investigation_started_at=case.at)

    def on_credit_provisionally(self, case: UnauthorizedCase, command: CreditProvisionally) -> None:
        case.update(provisionally_credited_at=case.at, provisional_credit_amount=command.amount)

    def on_notify_provisional_credit(self, case: UnauthorizedCase) -> None:
        case.update(provisional_credit_notified_at=case.at)

    def on_receive_written_confirmation(self, case: UnauthorizedCase) -> None:
        case.update(written_confirmation_received_at=case.at)

    def on_report_fraud_suspicion(self, case: UnauthorizedCase) -> None:
        case.update(fraud_suspicion_reported_at=case.at)

    def on_resolve_in_favour(self, case: UnauthorizedCase, command: ResolveInFavour) -> None:
        liability = estimate_liability(
            case.data, case.policy, notified_at=_notice(case), findings=command.findings
        )
        credited = case.data.provisionally_credited_at is not None
        case.update(
            concluded_at=case.at,
            error_determined_at=case.at,
            # provisional credit becomes final: the error is corrected by the same act
            error_corrected_at=case.at if credited else None,
            liability=liability,
        )
        case.note(
            liability_tier=liability.tier.value,
            customer_liability=str(liability.customer_liability),
        )

    def on_resolve_against(self, case: UnauthorizedCase, command: ResolveAgainst) -> None:
        reversed_credit = case.data.provisionally_credited_at is not None
        case.update(
            concluded_at=case.at,
            resolution_reason=command.reason,
            reversal_notified_at=case.at if reversed_credit else None,
        )
        case.note(provisional_credit_reversed=reversed_credit)

    def on_correct_error(self, case: UnauthorizedCase) -> None:
        case.update(error_corrected_at=case.at)

    def on_report_results(self, case: UnauthorizedCase) -> None:
        case.update(results_reported_at=case.at)

    def on_withdraw(self, case: UnauthorizedCase, command: WithdrawClaim) -> None:
        case.update(withdrawn_reason=command.reason or None)


# --- deadlines -------------------------------------------------------------------------------


def _milestones(snapshot: CaseSnapshot, data: UnauthorizedTransactionData) -> dict[str, datetime]:
    notice = data.notified_at or snapshot.created_at
    reached: dict[str, datetime | None] = {
        Milestone.NOTICE_RECEIVED: notice,
        Milestone.WRITTEN_CONFIRMATION_REQUESTED: notice
        if data.written_confirmation_requested
        else None,
        Milestone.WRITTEN_CONFIRMATION_RECEIVED: data.written_confirmation_received_at,
        Milestone.PROVISIONALLY_CREDITED: data.provisionally_credited_at,
        Milestone.REFUNDED: data.provisionally_credited_at,
        Milestone.PROVISIONAL_CREDIT_NOTIFIED: data.provisional_credit_notified_at,
        Milestone.FRAUD_SUSPICION_REPORTED: data.fraud_suspicion_reported_at,
        Milestone.INVESTIGATION_CONCLUDED: data.concluded_at,
        Milestone.ERROR_DETERMINED: data.error_determined_at,
        Milestone.ERROR_CORRECTED: data.error_corrected_at,
        Milestone.RESULTS_REPORTED: data.results_reported_at,
        Milestone.REVERSAL_NOTIFIED: data.reversal_notified_at,
    }
    return {name: when for name, when in reached.items() if when is not None}


def unauthorized_transaction_deadlines(
    snapshot: CaseSnapshot,
    data: UnauthorizedTransactionData,
    policy: UnauthorizedTransactionPolicy,
    at: datetime,
) -> Iterable[Deadline]:
    """The case's running deadlines under its regime, each citing its source.

    Regulation E: [reg_e_error_resolution][walletsupport.policies.deadlines.reg_e_error_resolution]
    with the case's new-account / point-of-sale / foreign flags; a requested written
    confirmation that has not arrived within its 10 business days counts as missed at ``at``,
    which ends the provisional-credit duty (12 CFR 1005.11(c)(2)(i)(A)). A prepaid account
    whose customer is not verified has no Regulation E deadlines (1005.18(e)(3)).
    PSD2: [psd2_unauthorised_refund][walletsupport.policies.deadlines.psd2_unauthorised_refund].
    Custom: the policy's ``custom_deadlines``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 3, 6, 19, tzinfo=timezone.utc))  # a Friday
        >>> s = WorkflowService(MemoryStore(), clock, [unauthorized_transaction_workflow()])
        >>> case = s.open("unauthorized_transaction", {"regime": "psd2", "currency": "EUR",
        ...     "transfers": [{"at": "2026-03-05T10:00:00Z", "amount": "40"}]},
        ...     case_id="U-2", actor="customer")
        >>> [(d.name, d.due_at.isoformat(), d.source) for d in s.due(case)]
        [('refund', '2026-03-10T00:00:00+01:00', 'PSD2 Art. 73(1)')]
    """
    if data.regime is Regime.REG_E:
        if data.prepaid_unverified:
            return ()
        deadline_policy = reg_e_error_resolution(
            new_account=data.new_account,
            point_of_sale=data.point_of_sale,
            foreign_initiated=data.foreign_initiated,
        )
    elif data.regime is Regime.PSD2:
        deadline_policy = psd2_unauthorised_refund()
    elif policy.custom_deadlines is not None:
        deadline_policy = policy.custom_deadlines
    else:
        return ()
    calendar = policy.schedule_for(data.regime)
    milestones = _milestones(snapshot, data)
    if (
        data.regime is Regime.REG_E
        and Milestone.WRITTEN_CONFIRMATION_REQUESTED in milestones
        and Milestone.WRITTEN_CONFIRMATION_RECEIVED not in milestones
    ):
        confirmation = deadline_policy.rule("written_confirmation").deadline(
            milestones[Milestone.NOTICE_RECEIVED], calendar
        )
        if at >= confirmation.due_at:
            milestones[Milestone.WRITTEN_CONFIRMATION_MISSED] = confirmation.due_at
    return deadline_policy.deadlines(milestones, calendar)


def unauthorized_transaction_workflow(
    *, policy: UnauthorizedTransactionPolicy | None = None
) -> Workflow[UnauthorizedTransactionData, UnauthorizedTransactionPolicy]:
    """The unauthorized-transaction workflow definition.

    Args:
        policy: calendars and custom rules; the defaults when ``None``.

    Examples:
        >>> w = unauthorized_transaction_workflow()
        >>> w.kind, w.initial_state, sorted(w.final_states)
        ('unauthorized_transaction', 'reported', ['closed', 'withdrawn'])
    """
    return Workflow(
        kind="unauthorized_transaction",
        machine=UnauthorizedTransactionMachine,
        data=UnauthorizedTransactionData,
        commands=(
            SecureAccount,
            StartInvestigation,
            CreditProvisionally,
            NotifyProvisionalCredit,
            ReceiveWrittenConfirmation,
            ReportFraudSuspicion,
            ResolveInFavour,
            CorrectError,
            ResolveAgainst,
            ReportResults,
            CloseCase,
            WithdrawClaim,
        ),
        policy=policy if policy is not None else UnauthorizedTransactionPolicy(),
        deadlines=unauthorized_transaction_deadlines,
        title="Unauthorized transaction (Regulation E / PSD2)",
    )

"""A transaction the customer did not make: report, secure, investigate, credit, resolve.

```
reported -> secured (card frozen, password change advised) -> investigating
investigating -> provisional_credit (the investigation needs longer than the initial window)
investigating | provisional_credit -> resolved_in_favour | resolved_against -> closed
reported | secured | investigating -> withdrawn
```

The regime and the business days come from the policy's
[Institution][walletsupport.regulation.Institution] (a US bank by default), and for a US
institution from what the payment drew on (``funding``):

* **Regulation E** (a stored balance, a debit card, a bank account;
  [reg_e][walletsupport.regulation.reg_e]): decide or provisionally credit within 10 business
  days of the notice (20 for a new account); the 45 days (90 for new accounts, point-of-sale and
  not-in-a-state transfers) only when the credit came in time or a required written confirmation
  never arrived (12 CFR 1005.11(c)(2)(i)). A late credit keeps the missed deadline listed.
  Liability: $50 / $500 only with a lost or stolen access device (12 CFR 1005.6(b)).
* **Regulation Z** (a credit card; [reg_z][walletsupport.regulation.reg_z]): the billing-error
  clock starts with a *written* notice (``written_notice_at``): acknowledgment in 30 days,
  resolution within two complete billing cycles and 90 days; liability at most $50.
* **PSD2** ([psd2][walletsupport.regulation.psd2]) and **UK**
  ([uk][walletsupport.regulation.uk]): refund by the end of the following business day (PSD2
  Art. 73(1), PSRs 2017 reg 76(2)); in this machine the refund is the ``provisional_credit``
  step. Liability: at most EUR 50 (Art. 74(1)) or £35 (reg 77(1)), only for a lost, stolen or
  misappropriated instrument.
* **China** and **custom**: the policy's own
  [DeadlinePolicy][walletsupport.regulation.DeadlinePolicy] and a PSD2-style cap.

Only non-final states have deadlines, so a resolved case stays open until the results are
reported (and, after a reversal, the 5-business-day honour period is over), then ``close``.

Examples:
    >>> from datetime import datetime, timezone
    >>> from decimal import Decimal
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.regulation import UnauthorizedTransfer
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
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from pydantic import AwareDatetime, Field
from statemachine import StateMachine
from statemachine.states import States

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import ConfigurationError, WalletSupportError
from walletsupport.regulation import (
    DeadlinePolicy,
    FundingSource,
    Institution,
    LiabilityAssessment,
    Regime,
    UnauthorizedTransfer,
    psd2,
    reg_e,
    reg_z,
    uk,
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


def _default_institution() -> Institution:
    return Institution.for_region("US")


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

    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    transfers: tuple[UnauthorizedTransfer, ...] = Field(min_length=1, max_length=500)
    notified_at: AwareDatetime | None = None
    funding: FundingSource = FundingSource.STORED_BALANCE
    device_lost_or_stolen: bool = Field(
        default=False,
        description="An access device or payment instrument was lost or stolen.",
    )
    instrument_misappropriated: bool = Field(
        default=False,
        description="PSD2 Art. 74(1) / PSRs reg 77(1): the instrument was misappropriated.",
    )
    learned_of_loss_at: AwareDatetime | None = None
    statement_sent_at: AwareDatetime | None = None
    # Regulation E facts (12 CFR 1005.11, 1005.18)
    new_account: bool = False
    point_of_sale: bool = False
    foreign_initiated: bool = False
    written_confirmation_requested: bool = False
    prepaid_unverified: bool = False
    verified_at: AwareDatetime | None = None
    # Regulation Z facts (12 CFR 1026.13): the written billing-error notice and the cycles
    written_notice_at: AwareDatetime | None = None
    billing_cycle_closing_dates: tuple[date, ...] = Field(default=(), max_length=120)
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


class UnauthorizedTransactionPolicy(WalletModel, frozen=True, extra="forbid"):
    """The institution and custom rules of unauthorized-transaction cases.

    Attributes:
        institution: whose regimes and business days apply (a US bank on the Federal Reserve
            schedule by default; ``Institution.for_region("DE")`` for a German PSP, ...).
        custom_deadlines: the deadlines of cases under ``Regime.CN`` or ``Regime.CUSTOM``
            (``None``: none; China's complaint deadline is not hard-coded).
        custom_cap: the payer's cap there, assessed like PSD2 Art. 74.

    Examples:
        >>> UnauthorizedTransactionPolicy().institution.zone
        'America/New_York'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    institution: Institution = Field(default_factory=_default_institution)
    custom_deadlines: DeadlinePolicy | None = None
    custom_cap: Decimal = Field(default=psd2.CAP_EUR, ge=0)

    def regime_for(self, data: UnauthorizedTransactionData) -> Regime:
        """The case's regime: the institution's, Reg Z for a US credit-card payment.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t = UnauthorizedTransfer(at=datetime(2026, 3, 1, tzinfo=timezone.utc), amount=9)
            >>> UnauthorizedTransactionPolicy().regime_for(
            ...     UnauthorizedTransactionData(transfers=(t,), funding="credit_card"))
            <Regime.REG_Z: 'reg_z'>
        """
        regimes = self.institution.regimes
        if Regime.REG_E in regimes or Regime.REG_Z in regimes:
            chosen = reg_z.applicable_regime(data.funding)
            if chosen is not None and chosen in regimes:
                return chosen
        return regimes[0]


class PaymentFindings(WalletModel, frozen=True, extra="forbid"):
    """What the investigation found that PSD2 Art. 74 / PSRs reg 77 liability depends on.

    Examples:
        >>> PaymentFindings().sca_required
        True
    """

    gross_negligence: bool = False
    loss_detectable: bool = True
    caused_by_psp: bool = False
    sca_required: bool = True
    distance_contract: bool = False


UnauthorizedCase = CaseContext[UnauthorizedTransactionData, UnauthorizedTransactionPolicy]


def estimate_liability(
    data: UnauthorizedTransactionData,
    policy: UnauthorizedTransactionPolicy,
    *,
    notified_at: datetime,
    findings: PaymentFindings | None = None,
) -> LiabilityAssessment:
    """The customer's liability for the case under its regime.

    Regulation E: [reg_e.liability][walletsupport.regulation.reg_e.liability] (12 CFR 1005.6(b),
    1005.18(e)(3)); Regulation Z: [reg_z.liability][walletsupport.regulation.reg_z.liability]
    (12 CFR 1026.12(b)); PSD2: [psd2.liability][walletsupport.regulation.psd2.liability]
    (Art. 74); UK: [uk.liability][walletsupport.regulation.uk.liability] (PSRs 2017 reg 77);
    China and custom: PSD2-style with the policy's ``custom_cap``.

    Raises:
        NaiveDatetimeError: ``notified_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> data = UnauthorizedTransactionData(currency="EUR", device_lost_or_stolen=True,
        ...     transfers=(UnauthorizedTransfer(at=t, amount=70),))
        >>> policy = UnauthorizedTransactionPolicy(institution=Institution.for_region("DE"))
        >>> estimate_liability(data, policy,
        ...     notified_at=datetime(2026, 3, 3, tzinfo=timezone.utc)).customer_liability
        Decimal('50')
    """
    found = findings or PaymentFindings()
    regime = policy.regime_for(data)
    institution = policy.institution
    lost = data.device_lost_or_stolen or data.instrument_misappropriated
    if regime is Regime.REG_E:
        return reg_e.liability(
            reg_e.LiabilityFacts(
                transfers=data.transfers,
                notified_at=notified_at,
                device_lost_or_stolen=data.device_lost_or_stolen,
                learned_of_loss_at=data.learned_of_loss_at or notified_at,
                statement_sent_at=data.statement_sent_at,
                prepaid_unverified=data.prepaid_unverified,
                verified_at=data.verified_at,
            ),
            institution,
        )
    if regime is Regime.REG_Z:
        return reg_z.liability(data.transfers, notified_at)
    if regime is Regime.UK:
        return uk.liability(
            uk.LiabilityFacts(
                transfers=data.transfers,
                notified_at=notified_at,
                instrument_lost_stolen_or_misappropriated=lost,
                gross_negligence=found.gross_negligence,
                loss_detectable=found.loss_detectable,
                caused_by_psp=found.caused_by_psp,
                sca_applied_where_required=found.sca_required,
                distance_contract=found.distance_contract,
            )
        )
    return psd2.liability(
        psd2.LiabilityFacts(
            transfers=data.transfers,
            notified_at=notified_at,
            instrument_lost_stolen_or_misappropriated=lost,
            gross_negligence=found.gross_negligence,
            loss_detectable=found.loss_detectable,
            caused_by_psp=found.caused_by_psp,
            sca_required=found.sca_required,
            cap=psd2.CAP_EUR if regime is Regime.PSD2 else policy.custom_cap,
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


def _regime(case: UnauthorizedCase) -> Regime:
    return case.policy.regime_for(case.data)


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
        if _regime(case) is Regime.REG_E and command.amount < loss - reg_e.WITHHOLD_MAX:
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
        if _regime(case) not in (Regime.PSD2, Regime.UK):
            case.reject(
                "the fraud-suspicion exception is PSD2 Art. 73(1) / PSRs 2017 reg 76(3) only"
            )
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
        if data.reversal_notified_at is not None and _regime(case) is Regime.REG_E:
            ends = (
                reg_e.error_resolution_rules()
                .rule("honour_payments_after_reversal")
                .deadline(data.reversal_notified_at, case.policy.institution)
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


def unauthorized_transaction_deadlines(
    snapshot: CaseSnapshot,
    data: UnauthorizedTransactionData,
    policy: UnauthorizedTransactionPolicy,
    at: datetime,
) -> Iterable[Deadline]:
    """Every legal deadline of the case at ``at``: running ones and ones met late.

    The same instants the regime modules give for the same notice and institution:
    [reg_e.error_resolution_deadlines][walletsupport.regulation.reg_e.error_resolution_deadlines],
    [reg_z.billing_error_deadlines][walletsupport.regulation.reg_z.billing_error_deadlines]
    (once a written notice arrived),
    [psd2.unauthorised_deadlines][walletsupport.regulation.psd2.unauthorised_deadlines],
    [uk.unauthorised_deadlines][walletsupport.regulation.uk.unauthorised_deadlines]; China and
    custom: the policy's ``custom_deadlines``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.regulation import Institution
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 3, 6, 19, tzinfo=timezone.utc))  # a Friday
        >>> policy = UnauthorizedTransactionPolicy(institution=Institution.for_region("BE"))
        >>> s = WorkflowService(MemoryStore(), clock,
        ...     [unauthorized_transaction_workflow(policy=policy)])
        >>> case = s.open("unauthorized_transaction", {"currency": "EUR",
        ...     "transfers": [{"at": "2026-03-05T10:00:00Z", "amount": "40"}]},
        ...     case_id="U-2", actor="customer")
        >>> [(d.name, d.due_at.isoformat(), d.source) for d in s.due(case)]
        [('refund', '2026-03-10T00:00:00+01:00', 'PSD2 Art. 73(1)')]
    """
    notice = data.notified_at or snapshot.created_at
    institution = policy.institution
    regime = policy.regime_for(data)
    if regime is Regime.REG_E:
        case = reg_e.ErrorCase(
            notice_at=notice,
            kind=reg_e.ErrorKind.UNAUTHORIZED,
            transfer_at=min(t.at for t in data.transfers),
            new_account=data.new_account,
            point_of_sale=data.point_of_sale,
            not_initiated_in_state=data.foreign_initiated,
            written_confirmation_required=data.written_confirmation_requested,
            written_confirmation_received_at=data.written_confirmation_received_at,
            provisionally_credited_at=data.provisionally_credited_at,
            provisional_credit_notified_at=data.provisional_credit_notified_at,
            concluded_at=data.concluded_at,
            error_found=data.error_determined_at is not None if data.concluded_at else None,
            corrected_at=data.error_corrected_at,
            results_reported_at=data.results_reported_at,
            reversal_notified_at=data.reversal_notified_at,
            prepaid_unverified=data.prepaid_unverified,
            verified_at=data.verified_at,
        )
        return reg_e.error_resolution_deadlines(case, institution, at=at)
    if regime is Regime.REG_Z:
        if data.written_notice_at is None:
            return ()  # an oral notice is not a billing-error notice (12 CFR 1026.13(b))
        billing = reg_z.BillingErrorCase(
            notice_received_at=data.written_notice_at,
            statement_transmitted_at=data.statement_sent_at,
            cycle_closing_dates=data.billing_cycle_closing_dates,
            resolved_at=data.concluded_at,
        )
        return reg_z.billing_error_deadlines(billing, institution)
    refund = {
        "refunded_at": data.provisionally_credited_at,
        "fraud_suspicion_reported_at": data.fraud_suspicion_reported_at,
    }
    if regime is Regime.PSD2:
        return psd2.unauthorised_deadlines(notice, institution, **refund)
    if regime is Regime.UK:
        return uk.unauthorised_deadlines(notice, institution, **refund)
    if policy.custom_deadlines is None:
        return ()
    reached = {
        "notice_received": notice,
        "provisionally_credited": data.provisionally_credited_at,
        "refunded": data.provisionally_credited_at,
        "investigation_concluded": data.concluded_at,
        "results_reported": data.results_reported_at,
    }
    return policy.custom_deadlines.deadlines(
        {k: v for k, v in reached.items() if v is not None}, institution
    )


def unauthorized_transaction_workflow(
    *, policy: UnauthorizedTransactionPolicy | None = None
) -> Workflow[UnauthorizedTransactionData, UnauthorizedTransactionPolicy]:
    """The unauthorized-transaction workflow definition.

    Args:
        policy: the institution and custom rules; a US bank when ``None``.

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
        title="Unauthorized transaction (Regulation E / Z, PSD2, UK PSRs)",
    )

"""A transaction the customer made but disputes (merchant problem): evidence, review, outcome.

```
opened -> waiting_for_merchant -> under_review -> resolved (refund / partial / denied)
waiting_for_merchant | under_review -> escalated (chargeback / arbitration)
opened | waiting_for_merchant | under_review -> withdrawn
```

Evidence due dates come from a house
[DeadlinePolicy][walletsupport.regulation.DeadlinePolicy] (``Regime.CUSTOM``;
card-scheme and house rules differ, so they are settings, not law):
the merchant's response (10 business days after contact by default) and the customer's evidence
(10 calendar days after the request by default).

The legal deadlines depend on the policy's [Institution][walletsupport.regulation.Institution]
(its regimes and business days) and on what is disputed (``kind``):

* **Regulation E** (US, a stored balance, debit card or bank account): a duplicate charge, a
  wrong amount or a debit after cancellation is a 12 CFR 1005.11(a) error and runs the full
  error-resolution clock ([reg_e][walletsupport.regulation.reg_e]); goods never delivered is
  not a Regulation E error and gets no Reg E deadline.
* **Regulation Z** (US, a credit card): a billing error (goods not delivered as agreed
  included) once the written notice arrived: acknowledgment in 30 days, resolution within two
  complete billing cycles and 90 days ([reg_z][walletsupport.regulation.reg_z]).
* **PSD2**: the dispute is a complaint: reply within 15 business days, or 35 after a holding
  reply (Art. 101(2)).
* **UK**: FCA DISP: 15 / 35 business days for a complaint about PSRs rights (a duplicate or
  wrong-amount execution), 8 weeks for any other complaint.

Examples:
    >>> from datetime import datetime, timezone
    >>> from decimal import Decimal
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> from walletsupport.regulation import Institution
    >>> clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=timezone.utc))  # a Monday
    >>> policy = TransactionDisputePolicy(institution=Institution.for_region("BE"))
    >>> service = WorkflowService(MemoryStore(), clock,
    ...     [transaction_dispute_workflow(policy=policy)])
    >>> case = service.open("transaction_dispute", TransactionDisputeData(
    ...     currency="EUR", amount=Decimal("80.00"), merchant="Shoe Shop", kind="not_received"),
    ...     case_id="D-1", actor="customer")
    >>> case = service.apply("D-1", ContactMerchant(), idempotency_key="1", actor="agent:3")
    >>> for d in service.due(case):
    ...     print(d.name, f"{d.due_at:%Y-%m-%d}", d.source)
    merchant_response 2026-03-17 house dispute rules: merchant response
    complaint_reply 2026-03-24 PSD2 Art. 101(2)
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
    DayCount,
    DeadlinePolicy,
    DeadlineRule,
    DisputeKind,
    FundingSource,
    Institution,
    Milestone,
    Regime,
    TimeLimit,
    psd2,
    reg_e,
    reg_z,
    uk,
)
from walletsupport.values.text import FreeText
from walletsupport.workflows.definition import CaseContext, Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "ContactMerchant",
    "CreditDisputedAmount",
    "DisputeOutcome",
    "DisputeState",
    "EscalateDispute",
    "EscalationRoute",
    "ExpireMerchantWindow",
    "RecordMerchantResponse",
    "RequestEvidence",
    "ResolveDispute",
    "SendHoldingReply",
    "SubmitEvidence",
    "TransactionDisputeData",
    "TransactionDisputeMachine",
    "TransactionDisputePolicy",
    "WithdrawDispute",
    "house_dispute_rules",
    "transaction_dispute_deadlines",
    "transaction_dispute_workflow",
]


class DisputeState(WalletEnum):
    """The states of a transaction dispute (stored values).

    Examples:
        >>> DisputeState("waiting_for_merchant").name
        'WAITING_FOR_MERCHANT'
    """

    OPENED = "opened"
    WAITING_FOR_MERCHANT = "waiting_for_merchant"
    UNDER_REVIEW = "under_review"
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    WITHDRAWN = "withdrawn"


class DisputeOutcome(WalletEnum):
    """How a resolved dispute ended.

    Examples:
        >>> DisputeOutcome("partial").value
        'partial'
    """

    REFUND = "refund"
    PARTIAL = "partial"
    DENIED = "denied"


class EscalationRoute(WalletEnum):
    """Where an escalated dispute goes.

    Examples:
        >>> EscalationRoute("chargeback") is EscalationRoute.CHARGEBACK
        True
    """

    CHARGEBACK = "chargeback"
    ARBITRATION = "arbitration"


def house_dispute_rules(
    *, merchant_response_business_days: int = 10, customer_evidence_days: int = 10
) -> DeadlinePolicy:
    """The default evidence windows: a ``Regime.CUSTOM`` policy (house rules, not law).

    * ``merchant_response``: from ``merchant_contacted`` until ``merchant_responded``.
    * ``customer_evidence``: from ``evidence_requested`` until ``evidence_received``.

    Raises:
        ConfigurationError: a negative number of days.

    Examples:
        >>> [str(r.limit) for r in house_dispute_rules().rules]
        ['10 business days', '10 calendar days']
    """
    return DeadlinePolicy(
        name="house_dispute_rules",
        regime=Regime.CUSTOM,
        rules=(
            DeadlineRule(
                name="merchant_response",
                starts_at=Milestone.MERCHANT_CONTACTED,
                limit=TimeLimit(
                    amount=merchant_response_business_days, unit=DayCount.BUSINESS_DAYS
                ),
                source="house dispute rules: merchant response",
                stops_at=frozenset({Milestone.MERCHANT_RESPONDED}),
            ),
            DeadlineRule(
                name="customer_evidence",
                starts_at=Milestone.EVIDENCE_REQUESTED,
                limit=TimeLimit(amount=customer_evidence_days, unit=DayCount.CALENDAR_DAYS),
                source="house dispute rules: customer evidence",
                stops_at=frozenset({Milestone.EVIDENCE_RECEIVED}),
            ),
        ),
    )


def _default_institution() -> Institution:
    return Institution.for_region("US")


class TransactionDisputePolicy(WalletModel, frozen=True, extra="forbid"):
    """The institution and the house evidence windows of disputes.

    Attributes:
        institution: whose regimes and business days apply (a US bank by default).
        evidence_rules: the house evidence windows (any ``DeadlinePolicy`` over the milestones
            ``merchant_contacted``/``merchant_responded``/``evidence_requested``/
            ``evidence_received``), counted on the institution's business days.

    Examples:
        >>> TransactionDisputePolicy().evidence_rules.name
        'house_dispute_rules'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    institution: Institution = Field(default_factory=_default_institution)
    evidence_rules: DeadlinePolicy = Field(default_factory=house_dispute_rules)

    def regime_for(self, data: TransactionDisputeData) -> Regime:
        """The dispute's regime: the institution's, Reg Z for a US credit-card payment.

        Examples:
            >>> TransactionDisputePolicy().regime_for(TransactionDisputeData(
            ...     amount=5, merchant="Cafe", funding="credit_card"))
            <Regime.REG_Z: 'reg_z'>
        """
        regimes = self.institution.regimes
        if Regime.REG_E in regimes or Regime.REG_Z in regimes:
            chosen = reg_z.applicable_regime(data.funding)
            if chosen is not None and chosen in regimes:
                return chosen
        return regimes[0]


class TransactionDisputeData(WalletModel, frozen=True, extra="forbid"):
    """What a dispute case stores (never a card number or a secret).

    Examples:
        >>> TransactionDisputeData(amount=12, merchant="Cafe").outcome is None
        True
    """

    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    amount: Decimal = Field(gt=0, allow_inf_nan=False)
    merchant: FreeText = Field(min_length=1, max_length=200)
    kind: DisputeKind = DisputeKind.OTHER
    funding: FundingSource = FundingSource.STORED_BALANCE
    reason: FreeText = Field(default="", max_length=500)
    # Regulation E facts (12 CFR 1005.11(c)(3), 1005.18(e)(3))
    new_account: bool = False
    point_of_sale: bool = False
    foreign_initiated: bool = False
    prepaid_unverified: bool = False
    # Regulation Z facts (12 CFR 1026.13): the written notice, the statement, the cycles
    written_notice_at: AwareDatetime | None = None
    statement_sent_at: AwareDatetime | None = None
    billing_cycle_closing_dates: tuple[date, ...] = Field(default=(), max_length=120)
    # progress
    merchant_contacted_at: AwareDatetime | None = None
    merchant_responded_at: AwareDatetime | None = None
    merchant_accepted: bool | None = None
    evidence_requested_at: AwareDatetime | None = None
    evidence_received_at: AwareDatetime | None = None
    evidence_items: int = Field(default=0, ge=0)
    holding_reply_at: AwareDatetime | None = None
    provisionally_credited_at: AwareDatetime | None = None
    provisional_credit_notified_at: AwareDatetime | None = None
    outcome: DisputeOutcome | None = None
    refund_amount: Decimal | None = None
    escalation: EscalationRoute | None = None
    resolution_reason: FreeText | None = None


DisputeCase = CaseContext[TransactionDisputeData, TransactionDisputePolicy]


# --- commands --------------------------------------------------------------------------------


class ContactMerchant(Command):
    """Ask the merchant to respond (opened -> waiting_for_merchant)."""

    event: ClassVar[str] = "contact_merchant"


class RecordMerchantResponse(Command):
    """The merchant answered (waiting_for_merchant -> under_review)."""

    event: ClassVar[str] = "merchant_responded"
    accepted: bool


class ExpireMerchantWindow(Command):
    """The merchant's window passed without an answer (waiting_for_merchant -> under_review)."""

    event: ClassVar[str] = "merchant_timeout"


class RequestEvidence(Command):
    """Ask the customer for evidence (receipts, photos, messages); starts the evidence window."""

    event: ClassVar[str] = "request_evidence"


class SubmitEvidence(Command):
    """The customer sent evidence."""

    event: ClassVar[str] = "submit_evidence"
    items: int = Field(default=1, ge=1, le=100)


class CreditDisputedAmount(Command):
    """Credit the disputed amount provisionally while the investigation runs (12 CFR
    1005.11(c)(2)(i)); ``customer_notified`` when the customer was told the amount and date at
    the same time (1005.11(c)(2)(ii))."""

    event: ClassVar[str] = "credit_provisionally"
    customer_notified: bool = True


class SendHoldingReply(Command):
    """Holding reply with reasons (PSD2 Art. 101(2), FCA DISP 1.6.2AR(2)): 35 business days."""

    event: ClassVar[str] = "send_holding_reply"
    reason: str = Field(min_length=1, max_length=500)


class ResolveDispute(Command):
    """Decide (under_review -> resolved): refund in full, in part, or deny with a reason."""

    event: ClassVar[str] = "resolve"
    outcome: DisputeOutcome
    refund_amount: Decimal | None = Field(default=None, gt=0, allow_inf_nan=False)
    reason: str = Field(default="", max_length=500)


class EscalateDispute(Command):
    """Send the dispute on to a chargeback or arbitration (-> escalated)."""

    event: ClassVar[str] = "escalate"
    route: EscalationRoute


class WithdrawDispute(Command):
    """The customer withdraws the dispute (-> withdrawn)."""

    event: ClassVar[str] = "withdraw"
    reason: str = Field(default="", max_length=500)


# --- machine ---------------------------------------------------------------------------------


class TransactionDisputeMachine(StateMachine):
    """The transaction-dispute states and transitions."""

    _ = States.from_enum(
        DisputeState,
        initial=DisputeState.OPENED,
        final=[DisputeState.RESOLVED, DisputeState.ESCALATED, DisputeState.WITHDRAWN],
    )

    contact_merchant = _.OPENED.to(_.WAITING_FOR_MERCHANT)
    merchant_responded = _.WAITING_FOR_MERCHANT.to(_.UNDER_REVIEW)
    merchant_timeout = _.WAITING_FOR_MERCHANT.to(_.UNDER_REVIEW, validators="window_passed")
    request_evidence = (
        _.OPENED.to.itself(validators="no_open_request")
        | _.WAITING_FOR_MERCHANT.to.itself(validators="no_open_request")
        | _.UNDER_REVIEW.to.itself(validators="no_open_request")
    )
    submit_evidence = (
        _.OPENED.to.itself(validators="evidence_requested")
        | _.WAITING_FOR_MERCHANT.to.itself(validators="evidence_requested")
        | _.UNDER_REVIEW.to.itself(validators="evidence_requested")
    )
    credit_provisionally = (
        _.OPENED.to.itself(validators="credit_allowed")
        | _.WAITING_FOR_MERCHANT.to.itself(validators="credit_allowed")
        | _.UNDER_REVIEW.to.itself(validators="credit_allowed")
    )
    send_holding_reply = (
        _.OPENED.to.itself(validators="holding_reply_allowed")
        | _.WAITING_FOR_MERCHANT.to.itself(validators="holding_reply_allowed")
        | _.UNDER_REVIEW.to.itself(validators="holding_reply_allowed")
    )
    resolve = _.UNDER_REVIEW.to(_.RESOLVED, validators="outcome_consistent")
    escalate = _.WAITING_FOR_MERCHANT.to(_.ESCALATED) | _.UNDER_REVIEW.to(_.ESCALATED)
    withdraw = (
        _.OPENED.to(_.WITHDRAWN)
        | _.WAITING_FOR_MERCHANT.to(_.WITHDRAWN)
        | _.UNDER_REVIEW.to(_.WITHDRAWN)
    )

    # validators ---------------------------------------------------------------------------

    def window_passed(self, case: DisputeCase) -> None:
        contacted = case.data.merchant_contacted_at
        if contacted is None:  # pragma: no cover - contact_merchant always sets it
            case.reject("the merchant was never contacted")
        rule = case.policy.evidence_rules.rule("merchant_response")
        due = rule.deadline(contacted, case.policy.institution).due_at
        if case.at < due:
            case.reject(f"the merchant has until {due.isoformat()} to respond")

    def no_open_request(self, case: DisputeCase) -> None:
        data = case.data
        if data.evidence_requested_at is not None and data.evidence_received_at is None:
            case.reject("evidence was already requested and has not arrived yet")

    def evidence_requested(self, case: DisputeCase) -> None:
        data = case.data
        if data.evidence_requested_at is None or data.evidence_received_at is not None:
            case.reject("no evidence request is open")

    def holding_reply_allowed(self, case: DisputeCase) -> None:
        if case.policy.regime_for(case.data) not in (Regime.PSD2, Regime.UK):
            case.reject("a holding reply is a PSD2 Art. 101(2) / FCA DISP 1.6.2AR(2) step")
        if case.data.holding_reply_at is not None:
            case.reject("a holding reply was already sent")

    def credit_allowed(self, case: DisputeCase) -> None:
        if case.data.provisionally_credited_at is not None:
            case.reject("the disputed amount was already credited")

    def outcome_consistent(self, case: DisputeCase, command: ResolveDispute) -> None:
        amount = case.data.amount
        if command.outcome is DisputeOutcome.PARTIAL:
            if command.refund_amount is None or not command.refund_amount < amount:
                case.reject(f"a partial refund needs an amount below the disputed {amount}")
        elif command.outcome is DisputeOutcome.REFUND:
            if command.refund_amount not in (None, amount):
                case.reject(f"a full refund is the disputed {amount}")
        elif command.refund_amount is not None:
            case.reject("a denied dispute refunds nothing")
        elif not command.reason:
            case.reject("a denial needs a reason the customer can read")

    # actions ------------------------------------------------------------------------------

    def on_contact_merchant(self, case: DisputeCase) -> None:
        case.update(merchant_contacted_at=case.at)

    def on_merchant_responded(self, case: DisputeCase, command: RecordMerchantResponse) -> None:
        case.update(merchant_responded_at=case.at, merchant_accepted=command.accepted)

    def on_merchant_timeout(self, case: DisputeCase) -> None:
        case.update(merchant_responded_at=case.at, merchant_accepted=None)
        case.note(merchant_timed_out=True)

    def on_request_evidence(self, case: DisputeCase) -> None:
        case.update(evidence_requested_at=case.at, evidence_received_at=None)

    def on_submit_evidence(self, case: DisputeCase, command: SubmitEvidence) -> None:
        case.update(
            evidence_received_at=case.at, evidence_items=case.data.evidence_items + command.items
        )

    def on_credit_provisionally(self, case: DisputeCase, command: CreditDisputedAmount) -> None:
        case.update(
            provisionally_credited_at=case.at,
            provisional_credit_notified_at=case.at if command.customer_notified else None,
        )

    def on_send_holding_reply(self, case: DisputeCase) -> None:
        case.update(holding_reply_at=case.at)

    def on_resolve(self, case: DisputeCase, command: ResolveDispute) -> None:
        refund = {
            DisputeOutcome.REFUND: case.data.amount,
            DisputeOutcome.PARTIAL: command.refund_amount,
            DisputeOutcome.DENIED: None,
        }[command.outcome]
        case.update(
            outcome=command.outcome, refund_amount=refund, resolution_reason=command.reason or None
        )

    def on_escalate(self, case: DisputeCase, command: EscalateDispute) -> None:
        case.update(escalation=command.route)

    def on_withdraw(self, case: DisputeCase, command: WithdrawDispute) -> None:
        case.update(resolution_reason=command.reason or None)


# --- deadlines -------------------------------------------------------------------------------


#: UK: disputes about the execution of a payment (PSRs 2017 Part 7 rights) are PSD complaints.
_PSD_COMPLAINTS = frozenset(
    {
        DisputeKind.DUPLICATE_CHARGE,
        DisputeKind.WRONG_AMOUNT,
        DisputeKind.RECURRING_AFTER_CANCELLATION,
    }
)


def transaction_dispute_deadlines(
    snapshot: CaseSnapshot,
    data: TransactionDisputeData,
    policy: TransactionDisputePolicy,
    at: datetime,
) -> Iterable[Deadline]:
    """The dispute's deadlines: house evidence windows, and the regime's legal clock.

    The legal deadlines are those the regime modules give for the same notice (the case's
    opening) and institution, missed ones included.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 3, 2, 15, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock, [transaction_dispute_workflow()])
        >>> case = s.open("transaction_dispute", {"amount": "5", "merchant": "Cafe",
        ...     "kind": "duplicate_charge"}, case_id="D-2", actor="customer")
        >>> case = s.apply("D-2", RequestEvidence(), idempotency_key="1", actor="agent:1")
        >>> [(d.name, d.source) for d in s.due(case)]  # doctest: +NORMALIZE_WHITESPACE
        [('customer_evidence', 'house dispute rules: customer evidence'),
         ('decision', '12 CFR 1005.11(c)(1)'), ('provisional_credit', '12 CFR 1005.11(c)(2)(i)')]
    """
    institution = policy.institution
    notice = snapshot.created_at
    reached: dict[str, datetime | None] = {
        Milestone.MERCHANT_CONTACTED: data.merchant_contacted_at,
        Milestone.MERCHANT_RESPONDED: data.merchant_responded_at,
        Milestone.EVIDENCE_REQUESTED: data.evidence_requested_at,
        Milestone.EVIDENCE_RECEIVED: data.evidence_received_at,
    }
    milestones = {name: when for name, when in reached.items() if when is not None}
    # the merchant's and the customer's windows are not the institution's duties: once
    # answered they end, late or not
    found = [d for d in policy.evidence_rules.deadlines(milestones, institution) if not d.met_at]
    regime = policy.regime_for(data)
    if regime is Regime.REG_E:
        error = reg_e.error_kind_for(data.kind)
        if error is not None:
            case = reg_e.ErrorCase(
                notice_at=notice,
                kind=error,
                new_account=data.new_account,
                point_of_sale=data.point_of_sale,
                not_initiated_in_state=data.foreign_initiated,
                provisionally_credited_at=data.provisionally_credited_at,
                provisional_credit_notified_at=data.provisional_credit_notified_at,
                prepaid_unverified=data.prepaid_unverified,
            )
            found.extend(reg_e.error_resolution_deadlines(case, institution, at=at))
    elif regime is Regime.REG_Z:
        if reg_z.billing_error_kind_for(data.kind) is not None and data.written_notice_at:
            billing = reg_z.BillingErrorCase(
                notice_received_at=data.written_notice_at,
                statement_transmitted_at=data.statement_sent_at,
                cycle_closing_dates=data.billing_cycle_closing_dates,
            )
            found.extend(reg_z.billing_error_deadlines(billing, institution))
    elif regime is Regime.PSD2:
        found.extend(
            psd2.complaint_deadlines(notice, institution, holding_reply_at=data.holding_reply_at)
        )
    elif regime is Regime.UK:
        found.extend(
            uk.complaint_deadlines(
                notice,
                institution,
                psd_complaint=data.kind in _PSD_COMPLAINTS,
                holding_response_at=data.holding_reply_at,
            )
        )
    return tuple(found)


def transaction_dispute_workflow(
    *, policy: TransactionDisputePolicy | None = None
) -> Workflow[TransactionDisputeData, TransactionDisputePolicy]:
    """The transaction-dispute workflow definition.

    Args:
        policy: the institution and the house evidence windows; a US bank when ``None``.

    Examples:
        >>> w = transaction_dispute_workflow()
        >>> w.kind, w.initial_state, sorted(w.final_states)
        ('transaction_dispute', 'opened', ['escalated', 'resolved', 'withdrawn'])
    """
    return Workflow(
        kind="transaction_dispute",
        machine=TransactionDisputeMachine,
        data=TransactionDisputeData,
        commands=(
            ContactMerchant,
            CreditDisputedAmount,
            RecordMerchantResponse,
            ExpireMerchantWindow,
            RequestEvidence,
            SubmitEvidence,
            SendHoldingReply,
            ResolveDispute,
            EscalateDispute,
            WithdrawDispute,
        ),
        policy=policy if policy is not None else TransactionDisputePolicy(),
        deadlines=transaction_dispute_deadlines,
        on_deadline={"merchant_response": ExpireMerchantWindow},
        title="Transaction dispute (merchant problem)",
    )

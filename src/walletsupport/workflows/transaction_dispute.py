"""A transaction the customer made but disputes (merchant problem): evidence, review, outcome.

```
opened -> waiting_for_merchant -> under_review -> resolved (refund / partial / denied)
waiting_for_merchant | under_review -> escalated (chargeback / arbitration)
opened | waiting_for_merchant | under_review -> withdrawn
```

Evidence due dates come from a house
[DeadlinePolicy][walletsupport.policies.deadlines.DeadlinePolicy] (``Regime.CUSTOM``;
card-scheme and house rules differ, so they are settings, not law):
the merchant's response (10 business days after contact by default) and the customer's evidence
(10 calendar days after the request by default). Under ``Regime.PSD2`` the dispute is also a
complaint: reply within 15 business days, or 35 after a holding reply (PSD2 Art. 101(2),
[psd2_complaint][walletsupport.policies.deadlines.psd2_complaint]).

Examples:
    >>> from datetime import datetime, timezone
    >>> from decimal import Decimal
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 3, 2, 9, tzinfo=timezone.utc))  # a Monday
    >>> service = WorkflowService(MemoryStore(), clock, [transaction_dispute_workflow()])
    >>> case = service.open("transaction_dispute", TransactionDisputeData(
    ...     regime="psd2", currency="EUR", amount=Decimal("80.00"), merchant="Shoe Shop"),
    ...     case_id="D-1", actor="customer")
    >>> case = service.apply("D-1", ContactMerchant(), idempotency_key="1", actor="agent:3")
    >>> for d in service.due(case):
    ...     print(d.name, f"{d.due_at:%Y-%m-%d}", d.source)
    merchant_response 2026-03-17 house dispute rules: merchant response
    complaint_reply 2026-03-24 PSD2 Art. 101(2)
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
    DayCount,
    DeadlinePolicy,
    DeadlineRule,
    Milestone,
    Regime,
    TimeLimit,
    psd2_complaint,
)
from walletsupport.values.text import FreeText
from walletsupport.workflows.definition import CaseContext, Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "ContactMerchant",
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
        pydantic.ValidationError: a negative number of days.

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


def _default_schedule() -> Schedule:
    return Schedule.weekdays("Europe/Brussels", holiday_calendar=HolidayCalendar(country="BE"))


class TransactionDisputePolicy(WalletModel, frozen=True, extra="forbid"):
    """Evidence windows, complaint rules and the business calendar of disputes.

    Attributes:
        evidence_rules: the house evidence windows (any ``DeadlinePolicy`` over the milestones
            ``merchant_contacted``/``merchant_responded``/``evidence_requested``/
            ``evidence_received``/``complaint_received``).
        complaint_rules: used for ``Regime.PSD2`` disputes (PSD2 Art. 101(2) by default).
        schedule: the business calendar (default Monday-Friday, Brussels, Belgian holidays).

    Examples:
        >>> TransactionDisputePolicy().complaint_rules.name
        'psd2_complaint'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    evidence_rules: DeadlinePolicy = Field(default_factory=house_dispute_rules)
    complaint_rules: DeadlinePolicy = Field(default_factory=psd2_complaint)
    schedule: Schedule = Field(default_factory=_default_schedule)


class TransactionDisputeData(WalletModel, frozen=True, extra="forbid"):
    """What a dispute case stores (never a card number or a secret).

    Examples:
        >>> TransactionDisputeData(amount=12, merchant="Cafe").outcome is None
        True
    """

    regime: Regime = Regime.REG_E
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    amount: Decimal = Field(gt=0, allow_inf_nan=False)
    merchant: FreeText = Field(min_length=1, max_length=200)
    reason: FreeText = Field(default="", max_length=500)
    merchant_contacted_at: AwareDatetime | None = None
    merchant_responded_at: AwareDatetime | None = None
    merchant_accepted: bool | None = None
    evidence_requested_at: AwareDatetime | None = None
    evidence_received_at: AwareDatetime | None = None
    evidence_items: int = Field(default=0, ge=0)
    holding_reply_at: AwareDatetime | None = None
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


class SendHoldingReply(Command):
    """PSD2 Art. 101(2) holding reply with reasons: the final reply is due in 35 business days."""

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
        due = rule.deadline(contacted, case.policy.schedule).due_at
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
        if case.data.regime is not Regime.PSD2:
            case.reject("a holding reply is a PSD2 Art. 101(2) step")
        if case.data.holding_reply_at is not None:
            case.reject("a holding reply was already sent")

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


def transaction_dispute_deadlines(
    snapshot: CaseSnapshot,
    data: TransactionDisputeData,
    policy: TransactionDisputePolicy,
    at: datetime,
) -> Iterable[Deadline]:
    """The dispute's running deadlines: evidence windows, and PSD2 complaint replies.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 3, 2, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock, [transaction_dispute_workflow()])
        >>> case = s.open("transaction_dispute", {"amount": "5", "merchant": "Cafe"},
        ...     case_id="D-2", actor="customer")
        >>> case = s.apply("D-2", RequestEvidence(), idempotency_key="1", actor="agent:1")
        >>> [(d.name, d.source) for d in s.due(case)]
        [('customer_evidence', 'house dispute rules: customer evidence')]
    """
    reached: dict[str, datetime | None] = {
        Milestone.COMPLAINT_RECEIVED: snapshot.created_at,
        Milestone.MERCHANT_CONTACTED: data.merchant_contacted_at,
        Milestone.MERCHANT_RESPONDED: data.merchant_responded_at,
        Milestone.EVIDENCE_REQUESTED: data.evidence_requested_at,
        Milestone.EVIDENCE_RECEIVED: data.evidence_received_at,
        Milestone.HOLDING_REPLY_SENT: data.holding_reply_at,
    }
    milestones = {name: when for name, when in reached.items() if when is not None}
    found = list(policy.evidence_rules.deadlines(milestones, policy.schedule))
    if data.regime is Regime.PSD2:
        found.extend(policy.complaint_rules.deadlines(milestones, policy.schedule))
    return tuple(found)


def transaction_dispute_workflow(
    *, policy: TransactionDisputePolicy | None = None
) -> Workflow[TransactionDisputeData, TransactionDisputePolicy]:
    """The transaction-dispute workflow definition.

    Args:
        policy: evidence windows, complaint rules and calendar; the defaults when ``None``.

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
        title="Transaction dispute (merchant problem)",
    )

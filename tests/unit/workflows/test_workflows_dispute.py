"""The transaction_dispute workflow: merchant and evidence windows, outcomes, PSD2 replies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import GuardRejectedError, TransitionNotAllowedError
from walletsupport.regulation import Institution
from walletsupport.workflows import Deadline, WorkflowService
from walletsupport.workflows.transaction_dispute import (
    ContactMerchant,
    DisputeOutcome,
    EscalateDispute,
    EscalationRoute,
    ExpireMerchantWindow,
    RecordMerchantResponse,
    RequestEvidence,
    ResolveDispute,
    SendHoldingReply,
    SubmitEvidence,
    TransactionDisputeData,
    TransactionDisputePolicy,
    WithdrawDispute,
    house_dispute_rules,
    transaction_dispute_workflow,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
MONDAY = datetime(2026, 3, 2, 9, tzinfo=BRUSSELS)
KIND = "transaction_dispute"
BELGIAN_PSP = Institution.for_region("BE")


class Desk:
    def __init__(self, policy: TransactionDisputePolicy | None = None) -> None:
        policy = policy or TransactionDisputePolicy(institution=BELGIAN_PSP)
        self.clock = FixedClock(MONDAY)
        self.service = WorkflowService(
            MemoryStore(), self.clock, [transaction_dispute_workflow(policy=policy)]
        )
        self.keys = 0

    def open(self, **data) -> None:
        data.setdefault("amount", Decimal("80.00"))
        data.setdefault("merchant", "Shoe Shop")
        self.service.open(KIND, TransactionDisputeData(**data), case_id="D-1", actor="cust")

    def send(self, *commands):
        snapshot = None
        for command in commands:
            self.keys += 1
            snapshot = self.service.apply(
                "D-1", command, idempotency_key=f"k{self.keys}", actor="agent:1"
            )
        return snapshot

    def due(self):
        return {d.name: d for d in self.service.due(self.service.load("D-1"))}

    def data(self) -> TransactionDisputeData:
        return TransactionDisputeData.model_validate(self.service.load("D-1").data)


def last_day(deadline: Deadline) -> str:
    return (deadline.due_at - timedelta(microseconds=1)).astimezone(BRUSSELS).date().isoformat()


@pytest.fixture
def desk() -> Desk:
    return Desk()


def test_the_merchant_has_10_business_days_to_respond(desk):
    desk.open()
    desk.send(ContactMerchant())
    assert last_day(desk.due()["merchant_response"]) == "2026-03-16"
    desk.send(RecordMerchantResponse(accepted=False))
    assert "merchant_response" not in desk.due()


def test_merchant_timeout_is_refused_before_the_window_ends(desk):
    desk.open()
    desk.send(ContactMerchant())
    with pytest.raises(GuardRejectedError, match="has until"):
        desk.send(ExpireMerchantWindow())
    desk.clock.set(datetime(2026, 3, 17, 0, tzinfo=BRUSSELS))
    snapshot = desk.send(ExpireMerchantWindow())
    assert snapshot.state == "under_review"
    assert snapshot.last_entry.details["merchant_timed_out"] is True


def test_customer_evidence_is_due_10_calendar_days_after_the_request(desk):
    desk.open()
    desk.send(RequestEvidence())
    assert last_day(desk.due()["customer_evidence"]) == "2026-03-12"
    with pytest.raises(GuardRejectedError, match="already requested"):
        desk.send(RequestEvidence())
    desk.send(SubmitEvidence(items=2))
    assert "customer_evidence" not in desk.due()
    assert desk.data().evidence_items == 2


def test_evidence_cannot_be_submitted_without_a_request(desk):
    desk.open()
    with pytest.raises(GuardRejectedError, match="no evidence request"):
        desk.send(SubmitEvidence())


def test_psd2_dispute_is_a_complaint_answered_within_15_business_days(desk):
    desk.open(currency="EUR")
    due = desk.due()
    assert last_day(due["complaint_reply"]) == "2026-03-23"
    assert due["complaint_reply"].source == "PSD2 Art. 101(2)"
    desk.send(SendHoldingReply(reason="waiting for the card network"))
    due = desk.due()
    assert "complaint_reply" not in due
    assert due["complaint_final_reply"].source == "PSD2 Art. 101(2)"
    assert last_day(due["complaint_final_reply"]) == "2026-04-21"  # Easter Monday skipped


def test_holding_reply_is_a_psd2_or_uk_step_only():
    desk = Desk(TransactionDisputePolicy(institution=Institution.for_region("US")))
    desk.open()
    with pytest.raises(GuardRejectedError, match="PSD2"):
        desk.send(SendHoldingReply(reason="x"))


def test_full_refund_resolves_for_the_disputed_amount(desk):
    desk.open()
    desk.send(ContactMerchant(), RecordMerchantResponse(accepted=True))
    snapshot = desk.send(ResolveDispute(outcome=DisputeOutcome.REFUND))
    assert snapshot.state == "resolved"
    assert desk.data().refund_amount == Decimal("80.00")
    assert desk.service.due(snapshot) == ()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (ResolveDispute(outcome=DisputeOutcome.PARTIAL), "partial refund"),
        (
            ResolveDispute(outcome=DisputeOutcome.PARTIAL, refund_amount=Decimal(80)),
            "partial refund",
        ),
        (ResolveDispute(outcome=DisputeOutcome.REFUND, refund_amount=Decimal(10)), "full refund"),
        (ResolveDispute(outcome=DisputeOutcome.DENIED), "needs a reason"),
        (
            ResolveDispute(outcome=DisputeOutcome.DENIED, refund_amount=Decimal(1), reason="x"),
            "refunds nothing",
        ),
    ],
)
def test_inconsistent_outcomes_are_refused(desk, command, message):
    desk.open()
    desk.send(ContactMerchant(), RecordMerchantResponse(accepted=False))
    with pytest.raises(GuardRejectedError, match=message):
        desk.send(command)
    assert desk.service.load("D-1").state == "under_review"


def test_partial_refund_records_the_amount(desk):
    desk.open()
    desk.send(ContactMerchant(), RecordMerchantResponse(accepted=False))
    desk.send(ResolveDispute(outcome=DisputeOutcome.PARTIAL, refund_amount=Decimal(30)))
    assert desk.data().outcome is DisputeOutcome.PARTIAL
    assert desk.data().refund_amount == Decimal(30)


def test_escalation_to_chargeback_is_final(desk):
    desk.open()
    desk.send(ContactMerchant())
    snapshot = desk.send(EscalateDispute(route=EscalationRoute.CHARGEBACK))
    assert snapshot.state == "escalated"
    assert desk.data().escalation is EscalationRoute.CHARGEBACK
    with pytest.raises(TransitionNotAllowedError):
        desk.send(WithdrawDispute())


def test_an_opened_dispute_cannot_be_resolved_before_review(desk):
    desk.open()
    with pytest.raises(TransitionNotAllowedError):
        desk.send(ResolveDispute(outcome=DisputeOutcome.REFUND))


def test_withdrawn_dispute_has_no_deadlines(desk):
    desk.open(currency="EUR")
    snapshot = desk.send(WithdrawDispute(reason="merchant refunded me directly"))
    assert snapshot.state == "withdrawn"
    assert desk.service.due(snapshot) == ()


def test_house_evidence_windows_are_configurable():
    policy = TransactionDisputePolicy(
        institution=BELGIAN_PSP,
        evidence_rules=house_dispute_rules(
            merchant_response_business_days=5, customer_evidence_days=3
        ),
    )
    desk = Desk(policy)
    desk.open()
    desk.send(ContactMerchant(), RequestEvidence())
    due = desk.due()
    assert last_day(due["merchant_response"]) == "2026-03-09"
    assert last_day(due["customer_evidence"]) == "2026-03-05"


def test_deadlines_are_listed_earliest_first(desk):
    desk.open(currency="EUR")
    desk.send(ContactMerchant(), RequestEvidence())
    found = desk.service.due(desk.service.load("D-1"), datetime(2026, 3, 2, 12, tzinfo=UTC))
    assert [d.name for d in found] == ["customer_evidence", "merchant_response", "complaint_reply"]

"""Random commands against the real transaction_dispute workflow and a tiny model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from walletsupport.regulation import DisputeKind, Institution, Regime
from walletsupport.testing._workflow_stateful import ANY, WorkflowRuleMachine
from walletsupport.workflows import CaseSnapshot, Command
from walletsupport.workflows.transaction_dispute import (
    ContactMerchant,
    CreditDisputedAmount,
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
    transaction_dispute_workflow,
)

AMOUNT = Decimal("80.00")
CURRENCY = {Regime.REG_E: "USD", Regime.PSD2: "EUR", Regime.UK: "GBP"}
ACTIVE = ("opened", "waiting_for_merchant", "under_review")

TABLE: dict[tuple[str, str], object] = {
    ("opened", "contact_merchant"): "waiting_for_merchant",
    ("waiting_for_merchant", "merchant_responded"): "under_review",
    ("waiting_for_merchant", "merchant_timeout"): ANY,
    **{(s, "request_evidence"): ANY for s in ACTIVE},
    **{(s, "submit_evidence"): ANY for s in ACTIVE},
    **{(s, "send_holding_reply"): ANY for s in ACTIVE},
    **{(s, "credit_provisionally"): ANY for s in ACTIVE},
    ("under_review", "resolve"): ANY,
    ("waiting_for_merchant", "escalate"): "escalated",
    ("under_review", "escalate"): "escalated",
    **{(s, "withdraw"): "withdrawn" for s in ACTIVE},
}

COMMANDS: dict[str, st.SearchStrategy[Command]] = {
    "contact_merchant": st.just(ContactMerchant()),
    "merchant_responded": st.builds(RecordMerchantResponse, accepted=st.booleans()),
    "merchant_timeout": st.just(ExpireMerchantWindow()),
    "request_evidence": st.just(RequestEvidence()),
    "submit_evidence": st.builds(SubmitEvidence, items=st.integers(min_value=1, max_value=3)),
    "send_holding_reply": st.builds(SendHoldingReply, reason=st.just("network investigation")),
    "credit_provisionally": st.builds(CreditDisputedAmount, customer_notified=st.booleans()),
    "resolve": st.builds(
        ResolveDispute,
        outcome=st.sampled_from(DisputeOutcome),
        refund_amount=st.sampled_from([None, Decimal(30), AMOUNT, Decimal(90)]),
        reason=st.sampled_from(["", "item delivered"]),
    ),
    "escalate": st.builds(EscalateDispute, route=st.sampled_from(EscalationRoute)),
    "withdraw": st.builds(WithdrawDispute, reason=st.sampled_from(["", "sorted out"])),
}


def resolution_is_consistent(command: ResolveDispute) -> bool:
    if command.outcome is DisputeOutcome.PARTIAL:
        return command.refund_amount is not None and command.refund_amount < AMOUNT
    if command.outcome is DisputeOutcome.REFUND:
        return command.refund_amount in (None, AMOUNT)
    return command.refund_amount is None and bool(command.reason)


def _policy(region: str) -> TransactionDisputePolicy:
    return TransactionDisputePolicy(institution=Institution.for_region(region))


class DisputeRules(WorkflowRuleMachine):
    policy = _policy("US")
    workflows = (transaction_dispute_workflow(policy=policy),)
    kind = "transaction_dispute"
    regime: Regime = Regime.REG_E
    dispute: DisputeKind = DisputeKind.NOT_RECEIVED
    start_at = datetime(2026, 3, 2, 8, tzinfo=UTC)
    max_advance = timedelta(days=6)
    forced: Command | None = None

    def initial_data(self) -> TransactionDisputeData:
        return TransactionDisputeData(
            currency=CURRENCY[self.regime],
            amount=AMOUNT,
            merchant="Shoe Shop",
            kind=self.dispute,
        )

    @initialize(data=st.data(), steps=st.integers(min_value=0, max_value=2))
    def start_somewhere_along_the_path(self, data: st.DataObject, steps: int) -> None:
        for command in [ContactMerchant(), RecordMerchantResponse(accepted=False)][:steps]:
            self.forced = command
            try:
                self.send_a_command(data)
            finally:
                self.forced = None

    def commands(self) -> st.SearchStrategy[Command]:
        if self.forced is not None:
            return st.just(self.forced)
        state = self.current().state
        relevant = [
            COMMANDS[event] for (source, event) in TABLE if source == state and event != "withdraw"
        ]
        everything = st.one_of(*COMMANDS.values())
        if not relevant:
            return everything
        return st.one_of(st.one_of(*relevant), everything)

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        expected = TABLE.get((snapshot.state, command.event))
        if expected is not ANY:
            return expected
        data = TransactionDisputeData.model_validate(snapshot.data)
        open_request = data.evidence_requested_at is not None and data.evidence_received_at is None
        if isinstance(command, RequestEvidence):
            return None if open_request else snapshot.state
        if isinstance(command, SubmitEvidence):
            return snapshot.state if open_request else None
        if isinstance(command, SendHoldingReply):
            allowed = self.regime in (Regime.PSD2, Regime.UK) and data.holding_reply_at is None
            return snapshot.state if allowed else None
        if isinstance(command, CreditDisputedAmount):
            return None if data.provisionally_credited_at else snapshot.state
        if isinstance(command, ResolveDispute):
            return "resolved" if resolution_is_consistent(command) else None
        if isinstance(command, ExpireMerchantWindow):
            assert data.merchant_contacted_at is not None
            rule_ = self.policy.evidence_rules.rule("merchant_response")
            due = rule_.deadline(data.merchant_contacted_at, self.policy.institution).due_at
            return "under_review" if self.clock.now() >= due else None
        raise AssertionError(command)  # pragma: no cover

    @rule(data=st.data())
    def send_another_command(self, data: st.DataObject) -> None:
        self.send_a_command(data)

    @invariant()
    def deadlines_match_the_state(self) -> None:
        snapshot = self.current()
        due = self.service.due(snapshot, self.clock.now())
        names = {d.name for d in due}
        if snapshot.state in self.workflow.final_states:
            assert due == ()
            return
        data = TransactionDisputeData.model_validate(snapshot.data)
        assert ("merchant_response" in names) == (
            snapshot.state == "waiting_for_merchant" and data.merchant_responded_at is None
        )
        if self.regime is Regime.PSD2:
            assert names & {"complaint_reply", "complaint_final_reply"}
        else:
            assert not names & {"complaint_reply", "complaint_final_reply"}
        if self.regime is Regime.UK:
            assert names & {"final_response", "final_response_exceptional"}
        reg_e_error = self.regime is Regime.REG_E and self.dispute is DisputeKind.WRONG_AMOUNT
        assert bool(names & {"decision", "extended_decision"}) is reg_e_error
        for deadline in due:
            assert deadline.rule_id or deadline.source.startswith("house")


class RegEErrorDisputeRules(DisputeRules):
    dispute = DisputeKind.WRONG_AMOUNT


class Psd2DisputeRules(DisputeRules):
    policy = _policy("BE")
    workflows = (transaction_dispute_workflow(policy=policy),)
    regime = Regime.PSD2


class UkDisputeRules(DisputeRules):
    policy = _policy("GB")
    workflows = (transaction_dispute_workflow(policy=policy),)
    regime = Regime.UK
    dispute = DisputeKind.DUPLICATE_CHARGE


DisputeRules.TestCase.settings = settings(max_examples=30, stateful_step_count=30, deadline=None)
Psd2DisputeRules.TestCase.settings = settings(
    max_examples=20, stateful_step_count=30, deadline=None
)
RegEErrorDisputeRules.TestCase.settings = settings(
    max_examples=20, stateful_step_count=30, deadline=None
)
UkDisputeRules.TestCase.settings = settings(max_examples=20, stateful_step_count=30, deadline=None)
TestRegEDisputeWorkflow = DisputeRules.TestCase
TestRegEErrorDisputeWorkflow = RegEErrorDisputeRules.TestCase
TestUkDisputeWorkflow = UkDisputeRules.TestCase
TestPsd2DisputeWorkflow = Psd2DisputeRules.TestCase

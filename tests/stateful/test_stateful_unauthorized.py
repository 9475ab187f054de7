"""Random commands against the real unauthorized_transaction workflow and a tiny model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from walletsupport.regulation import Institution, Regime, UnauthorizedTransfer
from walletsupport.testing._workflow_stateful import ANY, WorkflowRuleMachine
from walletsupport.workflows import CaseSnapshot, Command
from walletsupport.workflows.unauthorized_transaction import (
    CloseCase,
    CorrectError,
    CreditProvisionally,
    NotifyProvisionalCredit,
    PaymentFindings,
    ReceiveWrittenConfirmation,
    ReportFraudSuspicion,
    ReportResults,
    ResolveAgainst,
    ResolveInFavour,
    SecureAccount,
    StartInvestigation,
    UnauthorizedTransactionData,
    UnauthorizedTransactionPolicy,
    WithdrawClaim,
    unauthorized_transaction_workflow,
)

LOSS = Decimal("120.00")
OPEN = ("reported", "secured", "investigating", "provisional_credit")

# (state, event) -> next state; ANY: decided by the data (see expect); missing: refused.
TABLE: dict[tuple[str, str], object] = {
    ("reported", "secure"): "secured",
    ("secured", "start_investigation"): "investigating",
    ("investigating", "credit_provisionally"): ANY,
    ("provisional_credit", "notify_provisional_credit"): ANY,
    **{(s, "receive_written_confirmation"): ANY for s in OPEN},
    ("secured", "report_fraud_suspicion"): ANY,
    ("investigating", "report_fraud_suspicion"): ANY,
    ("investigating", "resolve_in_favour"): "resolved_in_favour",
    ("provisional_credit", "resolve_in_favour"): "resolved_in_favour",
    ("investigating", "resolve_against"): "resolved_against",
    ("provisional_credit", "resolve_against"): "resolved_against",
    ("resolved_in_favour", "correct_error"): ANY,
    ("resolved_in_favour", "report_results"): ANY,
    ("resolved_against", "report_results"): ANY,
    ("resolved_in_favour", "close"): ANY,
    ("resolved_against", "close"): ANY,
    ("reported", "withdraw"): "withdrawn",
    ("secured", "withdraw"): "withdrawn",
    ("investigating", "withdraw"): "withdrawn",
}


COMMANDS: dict[str, st.SearchStrategy[Command]] = {
    "secure": st.builds(SecureAccount, card_frozen=st.booleans()),
    "start_investigation": st.just(StartInvestigation()),
    "credit_provisionally": st.builds(
        CreditProvisionally, amount=st.sampled_from([Decimal(50), Decimal(70), LOSS, Decimal(130)])
    ),
    "notify_provisional_credit": st.just(NotifyProvisionalCredit()),
    "receive_written_confirmation": st.just(ReceiveWrittenConfirmation()),
    "report_fraud_suspicion": st.builds(ReportFraudSuspicion, authority=st.just("authority")),
    "resolve_in_favour": st.builds(ResolveInFavour, findings=st.builds(PaymentFindings)),
    "correct_error": st.just(CorrectError()),
    "resolve_against": st.builds(ResolveAgainst, reason=st.just("authorised on their device")),
    "report_results": st.just(ReportResults()),
    "close": st.just(CloseCase()),
    "withdraw": st.builds(WithdrawClaim, reason=st.sampled_from(["", "found it"])),
}


def _workflow(region: str):
    policy = UnauthorizedTransactionPolicy(institution=Institution.for_region(region))
    return unauthorized_transaction_workflow(policy=policy)


CURRENCY = {Regime.REG_E: "USD", Regime.PSD2: "EUR", Regime.UK: "GBP"}


class UnauthorizedRules(WorkflowRuleMachine):
    workflows = (_workflow("US"),)
    kind = "unauthorized_transaction"
    regime: Regime = Regime.REG_E
    start_at = datetime(2026, 11, 25, 19, tzinfo=UTC)
    max_advance = timedelta(days=8)

    def initial_data(self) -> UnauthorizedTransactionData:
        return UnauthorizedTransactionData(
            currency=CURRENCY[self.regime],
            transfers=(UnauthorizedTransfer(at=datetime(2026, 11, 24, tzinfo=UTC), amount=LOSS),),
            written_confirmation_requested=True,
            device_lost_or_stolen=True,
            learned_of_loss_at=datetime(2026, 11, 23, tzinfo=UTC),
        )

    forced: Command | None = None

    @initialize(
        data=st.data(),
        steps=st.integers(min_value=0, max_value=6),
        favour=st.booleans(),
        credit=st.booleans(),
    )
    def start_somewhere_along_a_path(
        self, data: st.DataObject, steps: int, favour: bool, credit: bool
    ) -> None:
        """Walk a random prefix of a full path, so late states get explored too."""
        path: list[Command] = [SecureAccount(), StartInvestigation()]
        if credit:
            path.append(CreditProvisionally(amount=LOSS))
        if favour:
            path.append(ResolveInFavour())
            if not credit:
                path.append(CorrectError())
        else:
            path.append(ResolveAgainst(reason="authorised on their device"))
        path.append(ReportResults())
        for command in path[:steps]:
            self.forced = command
            try:
                self.send_a_command(data)
            finally:
                self.forced = None

    def commands(self) -> st.SearchStrategy[Command]:
        if self.forced is not None:
            return st.just(self.forced)
        # Mostly commands the current state has a transition for, so long paths get walked.
        state = self.current().state
        relevant = [
            COMMANDS[event] for (source, event) in TABLE if source == state and event != "withdraw"
        ]
        everything = st.one_of(*COMMANDS.values())
        if not relevant:
            return everything
        return st.one_of(st.one_of(*relevant), st.one_of(*relevant), everything)

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        expected = TABLE.get((snapshot.state, command.event))
        if expected is not ANY:
            return expected
        data = UnauthorizedTransactionData.model_validate(snapshot.data)
        if isinstance(command, CreditProvisionally):
            floor = LOSS - 50 if self.regime is Regime.REG_E else Decimal(0)
            return "provisional_credit" if floor <= command.amount <= LOSS else None
        if isinstance(command, NotifyProvisionalCredit):
            return None if data.provisional_credit_notified_at else snapshot.state
        if isinstance(command, ReceiveWrittenConfirmation):
            return None if data.written_confirmation_received_at else snapshot.state
        if isinstance(command, ReportFraudSuspicion):
            if self.regime is Regime.REG_E or data.fraud_suspicion_reported_at:
                return None
            return snapshot.state
        if isinstance(command, CorrectError):
            return None if data.error_corrected_at else snapshot.state
        if isinstance(command, ReportResults):
            return None if data.results_reported_at else snapshot.state
        if isinstance(command, CloseCase):
            if data.results_reported_at is None:
                return None
            if snapshot.state == "resolved_in_favour" and data.error_corrected_at is None:
                return None
            return ANY  # after a reversal, only once the honour period is over
        raise AssertionError(command)  # pragma: no cover

    # Two more rules that send commands, so that a run walks further than a few steps.
    @rule(data=st.data())
    def send_another_command(self, data: st.DataObject) -> None:
        self.send_a_command(data)

    @rule(data=st.data())
    def send_one_more_command(self, data: st.DataObject) -> None:
        self.send_a_command(data)

    @invariant()
    def liability_never_exceeds_the_loss(self) -> None:
        data = UnauthorizedTransactionData.model_validate(self.current().data)
        if data.liability is not None:
            assert 0 <= data.liability.customer_liability <= LOSS

    @invariant()
    def every_deadline_cites_its_source_and_final_states_have_none(self) -> None:
        snapshot = self.current()
        due = self.service.due(snapshot, self.clock.now())
        if snapshot.state in self.workflow.final_states:
            assert due == ()
        for deadline in due:
            assert deadline.source.startswith(("12 CFR 1005.", "PSD2 Art. ", "PSRs 2017 reg "))
            assert deadline.rule_id
        pending = [
            d.due_at for d in self.service.due(snapshot, snapshot.updated_at) if not d.met_at
        ]
        assert snapshot.next_due_at == (min(pending) if pending else None)

    missed: dict[str, object] | None = None

    @invariant()
    def a_missed_deadline_stays_listed_while_the_case_is_open(self) -> None:
        """A violation is never silently replaced: once overdue, listed until the case ends."""
        snapshot = self.current()
        now = self.clock.now()
        due = {d.name: d for d in self.service.due(snapshot, now)}
        if snapshot.state in self.workflow.final_states:
            self.missed = None
            return
        for name, due_at in (self.missed or {}).items():
            assert name in due, name
            assert due[name].due_at == due_at
            assert due[name].is_violated(now)
        # strictly past the due instant: a duty lifted at that very instant is lifted in time
        # (DeadlineRule: "lifted_by reached no later than the due instant")
        self.missed = {
            n: d.due_at for n, d in due.items() if d.met_at is not None or now > d.due_at
        }


class Psd2UnauthorizedRules(UnauthorizedRules):
    workflows = (_workflow("BE"),)
    regime = Regime.PSD2


class UkUnauthorizedRules(UnauthorizedRules):
    workflows = (_workflow("GB"),)
    regime = Regime.UK


UnauthorizedRules.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None
)
Psd2UnauthorizedRules.TestCase.settings = settings(
    max_examples=20, stateful_step_count=30, deadline=None
)
UkUnauthorizedRules.TestCase.settings = settings(
    max_examples=20, stateful_step_count=30, deadline=None
)
TestRegEUnauthorizedWorkflow = UnauthorizedRules.TestCase
TestUkUnauthorizedWorkflow = UkUnauthorizedRules.TestCase
TestPsd2UnauthorizedWorkflow = Psd2UnauthorizedRules.TestCase

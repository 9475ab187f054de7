"""Random card additions against the real service and a tiny model of the rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant

from walletsupport.testing._workflow_stateful import WorkflowRuleMachine
from walletsupport.verification import OtpPolicy
from walletsupport.workflows.card_add import (
    CardAddData,
    CardAddPolicy,
    CardVerificationMethod,
    ConfirmCardCode,
    ExpireCardVerification,
    RecordBankDecision,
    RejectCard,
    StartCardVerification,
    card_add_data,
    card_add_workflow,
)
from walletsupport.workflows.definition import Command
from walletsupport.workflows.snapshot import CaseSnapshot

POLICY = CardAddPolicy(
    key=b"stateful-test-key-0123456789abcd",
    otp=OtpPolicy(digits=8, max_attempts=3),
    verification_window=timedelta(minutes=20),
)
PAN = "5555555555554444"
CVC = "737"
WRONG_CODE = "00000000"
BANK = StartCardVerification(method=CardVerificationMethod.BANK)


def _weight(command: Command) -> int:
    if isinstance(command, ConfirmCardCode):
        return 10 if command.code.get_secret_value() == WRONG_CODE else 2
    return 1 if isinstance(command, RejectCard | ExpireCardVerification) else 3


class CardAddRules(WorkflowRuleMachine):
    workflows = (card_add_workflow(policy=POLICY),)
    kind = "card_add"
    case_id = "C-1"
    secrets = (PAN, f'"{CVC}"')
    # the card is valid through March 2026; the clock starts three hours before it expires
    start_at = datetime(2026, 3, 31, 21, 0, tzinfo=UTC)
    max_advance = timedelta(minutes=45)

    def __init__(self) -> None:
        super().__init__()
        self.draws = 0
        self.code_by_digest: dict[str, str] = {}

    def initial_data(self) -> CardAddData:
        return card_add_data(PAN, "03/26", CVC, fingerprint_key=b"fingerprint-key-0123456789")

    def _rng(self, n: int) -> int:
        self.draws += 1
        return (87_654_321 + 7_919 * self.draws) % n

    def commands(self) -> st.SearchStrategy[Command]:
        snapshot = self.current()
        data = CardAddData.model_validate(snapshot.data)
        issued, sms = POLICY.issue_code(self.case_id, self.clock.now(), rng=self._rng)
        self.code_by_digest[sms.otp.digest] = issued.reveal()
        options: list[Command] = [
            BANK,
            sms,
            ConfirmCardCode(code=WRONG_CODE),
            RecordBankDecision(approved=True, reference="bank-ok"),
            RecordBankDecision(approved=False, reference="bank-no"),
            RejectCard(reason="risk rule"),
            ExpireCardVerification(),
        ]
        if data.otp is not None:
            options.append(ConfirmCardCode(code=self.code_by_digest[data.otp.digest]))
        allowed = self.workflow.events_in(snapshot.state)
        weighted = [c for c in options for _ in range(_weight(c) if c.event in allowed else 1)]
        return st.sampled_from(weighted)

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        """The tiny model: which state each command must lead to (None: refused)."""
        state, event, at = snapshot.state, type(command).event, self.clock.now()
        data = CardAddData.model_validate(snapshot.data)
        if event not in self.workflow.events_in(state):
            return None
        card_expired = data.expiry.is_expired(at)
        window_closed = data.verification_due_at is not None and at >= data.verification_due_at
        if event == "reject":
            return "rejected"
        if isinstance(command, StartCardVerification):
            return "rejected" if card_expired else "verifying"
        if event == "expire":
            return "expired" if window_closed else None
        if isinstance(command, RecordBankDecision):
            if data.method is not CardVerificationMethod.BANK:
                return None
            if card_expired:
                return "rejected"
            if window_closed:
                return "expired"
            return "active" if command.approved else "rejected"
        if isinstance(command, ConfirmCardCode) and data.otp is not None:
            if data.method is not CardVerificationMethod.SMS:
                return None  # pragma: no cover - a bank verification holds no code
            if card_expired:
                return "rejected"
            if window_closed:
                return "expired"
            if self.code_by_digest[data.otp.digest] == command.code.get_secret_value():
                return "active"
            return "rejected" if data.otp.failed_attempts + 1 >= 3 else "verifying"
        if isinstance(command, ConfirmCardCode):
            return None  # a bank verification: the code is refused
        raise AssertionError(f"unmodelled {event} in {state}")  # pragma: no cover

    @invariant()
    def no_code_or_card_secret_in_any_snapshot_or_repr(self) -> None:
        snapshots = [self.current(), *(snap for _, snap in self.sent.values())]
        for snapshot in snapshots:
            texts = [snapshot.model_dump_json(), repr(snapshot)]
            texts += [repr(entry) for entry in snapshot.audit]
            for secret in (*self.code_by_digest.values(), PAN):
                assert not any(secret in text for text in texts), "a secret leaked"
        for command, _ in self.sent.values():
            for secret in self.code_by_digest.values():
                assert secret not in repr(command)
                assert secret not in str(command.audit_details())


CardAddRules.TestCase.settings = settings(max_examples=50, stateful_step_count=25, deadline=None)
TestCardAddRules = CardAddRules.TestCase

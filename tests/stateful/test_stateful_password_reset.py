"""Random password resets against the real service and a tiny model of the rules."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant

from walletsupport.errors import InvalidInputError, VerificationError
from walletsupport.testing._workflow_stateful import WorkflowRuleMachine
from walletsupport.values import Password
from walletsupport.verification import OtpPolicy
from walletsupport.workflows.definition import Command
from walletsupport.workflows.password_reset import (
    CompleteReset,
    ExpireReset,
    PasswordResetData,
    PasswordResetPolicy,
    SubmitResetCode,
    SubmitResetToken,
    password_reset_workflow,
)
from walletsupport.workflows.snapshot import CaseSnapshot

POLICY = PasswordResetPolicy(
    key=b"stateful-test-key-0123456789abcd",
    otp=OtpPolicy(digits=8, max_attempts=3, resend_cooldown=timedelta(seconds=30)),
    max_token_attempts=3,
)
GOOD = "\u03a9 glacier orbit velvet"
WEAK = "\u03a9\u03a9\u03a9\u03a9\u03a9\u03a9\u03a9\u03a9"  # repetitive: refused
WRONG_CODE = "00000000"
WRONG_TOKEN = "not-a-token-at-all"


def _weight(command: Command) -> int:
    if isinstance(command, SubmitResetCode):
        return 6 if command.code.get_secret_value() == WRONG_CODE else 2
    if isinstance(command, SubmitResetToken):
        return 6 if command.token.get_secret_value() == WRONG_TOKEN else 2
    return 1 if isinstance(command, ExpireReset) else 3


class PasswordResetRules(WorkflowRuleMachine):
    workflows = (password_reset_workflow(policy=POLICY),)
    kind = "password_reset"
    case_id = "R-1"
    secrets = (GOOD, WEAK)
    max_advance = timedelta(minutes=3)

    def __init__(self) -> None:
        super().__init__()
        self.draws = 0
        self.code_by_digest: dict[str, str] = {}
        self.token_by_digest: dict[str, str] = {}

    def initial_data(self) -> PasswordResetData:
        return PasswordResetData(account_ref="acct-1")

    def _rng(self, n: int) -> int:
        self.draws += 1
        return (12_345_678 + 7_919 * self.draws) % n

    def commands(self) -> st.SearchStrategy[Command]:
        now = self.clock.now()
        snapshot = self.current()
        data = PasswordResetData.model_validate(snapshot.data)
        issued, send = POLICY.issue_code(self.case_id, now, rng=self._rng)
        self.code_by_digest[send.otp.digest] = issued.reveal()
        token, issue = POLICY.issue_token(self.case_id, now, account_ref=data.account_ref)
        self.token_by_digest[issue.token.digest] = token.reveal()
        options: list[Command] = [
            send,
            issue,
            SubmitResetCode(code=WRONG_CODE),
            SubmitResetToken(token=WRONG_TOKEN),
            CompleteReset(new_password=Password.parse(GOOD)),
            CompleteReset(new_password=Password.parse(WEAK)),
            ExpireReset(),
        ]
        if data.otp is not None:
            options.append(SubmitResetCode(code=self.code_by_digest[data.otp.digest]))
            try:
                again, resend = POLICY.resend_code(snapshot, now, rng=self._rng)
            except (VerificationError, InvalidInputError):
                pass  # too soon, too many sends, or not waiting for a code
            else:
                self.code_by_digest[resend.otp.digest] = again.reveal()
                options.append(resend)
        if data.token is not None:
            options.append(SubmitResetToken(token=self.token_by_digest[data.token.digest]))
        # commands the state accepts come up more often (wrong secrets most), the others once
        allowed = self.workflow.events_in(snapshot.state)
        weighted = [c for c in options for _ in range(_weight(c) if c.event in allowed else 1)]
        return st.sampled_from(weighted)

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        """The tiny model: which state each command must lead to (None: refused)."""
        state, event, at = snapshot.state, type(command).event, self.clock.now()
        data = PasswordResetData.model_validate(snapshot.data)
        if event not in self.workflow.events_in(state):
            return None
        if event in {"send_code", "issue_token"}:
            if at >= snapshot.created_at + POLICY.request_window:
                return None
            return "code_sent" if event == "send_code" else "token_issued"
        if event == "resend_code":
            return "code_sent"
        if isinstance(command, SubmitResetCode) and data.otp is not None:
            correct = self.code_by_digest[data.otp.digest] == command.code.get_secret_value()
            if at >= data.otp.expires_at:
                return "expired"
            if correct:
                return "verified"
            return "locked_out" if data.otp.failed_attempts + 1 >= 3 else "code_sent"
        if isinstance(command, SubmitResetToken) and data.token is not None:
            correct = self.token_by_digest[data.token.digest] == command.token.get_secret_value()
            if at >= data.token.expires_at:
                return "expired"
            if correct:
                return "verified"
            return "locked_out" if data.failed_attempts + 1 >= 3 else "token_issued"
        if isinstance(command, CompleteReset) and data.verified_at is not None:
            if at >= data.verified_at + POLICY.completion_window:
                return None
            return "completed" if command.new_password.reveal() == GOOD else None
        if event == "expire":
            due = {
                "requested": snapshot.created_at + POLICY.request_window,
                "code_sent": data.otp.expires_at if data.otp else None,
                "token_issued": data.token.expires_at if data.token else None,
                "verified": (
                    data.verified_at + POLICY.completion_window if data.verified_at else None
                ),
            }[state]
            return "expired" if due is not None and at >= due else None
        raise AssertionError(f"unmodelled {event} in {state}")  # pragma: no cover

    @invariant()
    def no_code_or_token_in_any_snapshot_or_repr(self) -> None:
        snapshots = [self.current(), *(snap for _, snap in self.sent.values())]
        secrets = [*self.code_by_digest.values(), *self.token_by_digest.values()]
        for snapshot in snapshots:
            texts = [snapshot.model_dump_json(), repr(snapshot)]
            texts += [repr(entry) for entry in snapshot.audit]
            for secret in secrets:
                assert not any(secret in text for text in texts), "a code or token leaked"
        for command, _ in self.sent.values():
            for secret in (*secrets, GOOD, WEAK):
                assert secret not in repr(command)
                assert secret not in str(command.audit_details())


PasswordResetRules.TestCase.settings = settings(
    max_examples=50, stateful_step_count=25, deadline=None
)
TestPasswordResetRules = PasswordResetRules.TestCase

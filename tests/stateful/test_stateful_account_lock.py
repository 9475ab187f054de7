"""Random commands against the real account-lock workflow and a tiny table model."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st

from walletsupport.testing._workflow_stateful import ANY, WorkflowRuleMachine
from walletsupport.verification.plans import plan_verification
from walletsupport.verification.session import VerificationSession
from walletsupport.workflows import CaseSnapshot, Command
from walletsupport.workflows.account_lock import (
    AccountLockData,
    AccountLockPolicy,
    CloseAccount,
    CompleteVerification,
    ExpireVerification,
    FailVerification,
    LockForRisk,
    LockOnCustomerRequest,
    RecordFailedLogin,
    RecordSuccessfulLogin,
    StartVerification,
    account_lock_workflow,
)

POLICY = AccountLockPolicy()

TABLE: dict[tuple[str, str], object] = {
    ("active", "failed_login"): ANY,  # the lockout policy decides
    ("locked", "failed_login"): "locked",
    ("pending_verification", "failed_login"): "pending_verification",
    ("active", "successful_login"): "active",
    ("active", "lock"): "locked",
    ("locked", "begin_verification"): "pending_verification",
    ("pending_verification", "verify"): ANY,  # only an authorising session
    ("pending_verification", "fail_verification"): "locked",
    ("pending_verification", "expire_verification"): ANY,  # only after the timeout
    ("active", "close"): "closed",
    ("locked", "close"): "closed",
    ("pending_verification", "close"): "closed",
}


class AccountLockRules(WorkflowRuleMachine):
    workflows = (account_lock_workflow(policy=POLICY),)
    kind = "account_lock"
    max_advance = timedelta(hours=2)

    def initial_data(self) -> AccountLockData:
        return AccountLockData(account_id="acc-42")

    def _session(self, action: str, passed: bool, age_minutes: int) -> VerificationSession:
        started = self.clock.now() - timedelta(minutes=age_minutes)
        plan = plan_verification(action, "low", ["password", "otp_sms"])
        session = VerificationSession.start(plan, started)
        if passed:
            for step in plan.steps:
                session = session.record(step.kind, passed=True, at=started)
        return session

    def commands(self) -> st.SearchStrategy[Command]:
        sessions = st.builds(
            self._session,
            action=st.sampled_from(["unlock_account", "view_info"]),
            passed=st.booleans(),
            age_minutes=st.sampled_from([0, 1, 60]),
        )
        return st.one_of(
            st.just(RecordFailedLogin()),
            st.just(RecordSuccessfulLogin()),
            st.builds(LockForRisk, reason=st.sampled_from(["", "new device"])),
            st.just(LockOnCustomerRequest()),
            st.just(StartVerification()),
            st.builds(CompleteVerification, session=sessions),
            st.just(FailVerification()),
            st.just(ExpireVerification()),
            st.just(CloseAccount()),
        )

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        expected = TABLE.get((snapshot.state, command.event))
        if expected is not ANY:
            return expected
        data = AccountLockData.model_validate(snapshot.data)
        now = self.clock.now()
        if isinstance(command, CompleteVerification):
            ok = command.session.authorizes("unlock_account", now)
            return "active" if ok else None
        if isinstance(command, ExpireVerification):
            assert data.verification_started_at is not None
            due = data.verification_started_at + POLICY.verification_timeout
            return "locked" if now >= due else None
        failures = (*data.failed_logins, now)
        return "locked" if POLICY.lockout.evaluate(failures, at=now).locked else "active"


AccountLockRules.TestCase.settings = settings(
    max_examples=40, stateful_step_count=30, deadline=None
)
TestAccountLockWorkflow = AccountLockRules.TestCase

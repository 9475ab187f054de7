"""Random commands against the real account-lock workflow and a tiny table model."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st

from walletsupport.errors import WalletSupportError
from walletsupport.testing._workflow_stateful import ANY, WorkflowRuleMachine
from walletsupport.verification import SealedEvidence, VerificationSession, plan_verification
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

KEY = b"stateful-account-lock-key-01"
POLICY = AccountLockPolicy(key=KEY)
FORGERIES = ("genuine", "other key", "other account", "other case", "edited")

TABLE: dict[tuple[str, str], object] = {
    ("active", "failed_login"): ANY,  # the lockout policy decides
    ("locked", "failed_login"): "locked",
    ("pending_verification", "failed_login"): "pending_verification",
    ("active", "successful_login"): "active",
    ("active", "lock"): "locked",
    ("locked", "begin_verification"): "pending_verification",
    ("pending_verification", "verify"): ANY,  # only genuine, bound, fresh, unused evidence
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

    def _evidence(self, action: str, forgery: str, age_minutes: int) -> SealedEvidence | None:
        now = self.clock.now()
        sealed = now - timedelta(minutes=age_minutes)
        key = b"some-other-servers-key-01" if forgery == "other key" else KEY
        plan = plan_verification(action, "low", ["registered_device", "biometric"])
        session = VerificationSession.start(plan, sealed)
        for step in plan.steps:
            session = session.record_external(
                key, step.kind, passed=True, verifier="test", at=sealed
            )
        account = "acc-7" if forgery == "other account" else "acc-42"
        case = "case-9" if forgery == "other case" else self.case_id
        evidence = session.seal(key, account_id=account, case_id=case, at=sealed)
        if forgery == "edited":
            later = evidence.expires_at + timedelta(hours=1)
            evidence = SealedEvidence.model_validate({**dict(evidence), "expires_at": later})
        return evidence

    def commands(self) -> st.SearchStrategy[Command]:
        proofs = st.builds(
            self._evidence,
            action=st.sampled_from(["unlock_account", "view_info"]),
            forgery=st.sampled_from(FORGERIES),
            age_minutes=st.sampled_from([0, 1, 60]),
        )
        used = [e for e in self._issued if e is not None]
        if used:
            proofs = proofs | st.sampled_from(used)  # replays of earlier evidence
        return st.one_of(
            st.just(RecordFailedLogin()),
            st.just(RecordSuccessfulLogin()),
            st.builds(LockForRisk, reason=st.sampled_from(["", "new device"])),
            st.just(LockOnCustomerRequest()),
            st.just(StartVerification()),
            proofs.map(self._complete),
            st.just(FailVerification()),
            st.just(ExpireVerification()),
            st.just(CloseAccount()),
        )

    def _complete(self, evidence: SealedEvidence | None) -> CompleteVerification:
        assert evidence is not None
        self._issued.append(evidence)
        return CompleteVerification(evidence=evidence)

    def __init__(self) -> None:
        self._issued: list[SealedEvidence] = []
        super().__init__()

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        expected = TABLE.get((snapshot.state, command.event))
        if expected is not ANY:
            return expected
        data = AccountLockData.model_validate(snapshot.data)
        now = self.clock.now()
        if isinstance(command, CompleteVerification):
            evidence = command.evidence
            try:
                evidence.verify(
                    KEY, account_id="acc-42", case_id=self.case_id, action="unlock_account", at=now
                )
            except WalletSupportError:
                return None
            started = data.verification_started_at
            fresh = started is None or evidence.sealed_at >= started
            unused = evidence.evidence_id not in data.used_evidence
            return "active" if fresh and unused else None
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

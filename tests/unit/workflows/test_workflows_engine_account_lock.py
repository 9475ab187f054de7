"""The account-lock workflow: lock by policy, risk or request; unlock only after verification."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import GuardRejectedError, TransitionNotAllowedError
from walletsupport.verification.plans import plan_verification
from walletsupport.verification.session import VerificationSession
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.account_lock import (
    AccountLockData,
    CompleteVerification,
    ExpireVerification,
    LockForRisk,
    RecordFailedLogin,
    RecordSuccessfulLogin,
    StartVerification,
    account_lock_workflow,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def service(clock: FixedClock) -> WorkflowService:
    s = WorkflowService(MemoryStore(), clock, [account_lock_workflow()])
    s.open("account_lock", AccountLockData(account_id="acc-1"), case_id="L", actor="system")
    return s


def session(at: datetime, action: str = "unlock_account", passed: bool = True):
    plan = plan_verification(action, "low", ["password", "otp_sms"])
    s = VerificationSession.start(plan, at)
    for step in plan.steps if passed else ():
        s = s.record(step.kind, passed=True, at=at)
    return s


def _lock_and_verify(service: WorkflowService) -> None:
    service.apply("L", LockForRisk(reason="new device"), idempotency_key="lock", actor="risk")
    service.apply("L", StartVerification(), idempotency_key="start", actor="agent")


def test_the_fifth_failed_login_locks_the_account(service: WorkflowService):
    states = [
        service.apply("L", RecordFailedLogin(), idempotency_key=f"f{i}", actor="auth").state
        for i in range(5)
    ]
    assert states == ["active"] * 4 + ["locked"]
    assert service.load("L").data["lock_reason"] == "failed_logins"


def test_a_successful_login_resets_the_failure_count(service: WorkflowService):
    for i in range(4):
        service.apply("L", RecordFailedLogin(), idempotency_key=f"f{i}", actor="auth")
    service.apply("L", RecordSuccessfulLogin(), idempotency_key="ok", actor="auth")
    snap = service.apply("L", RecordFailedLogin(), idempotency_key="f9", actor="auth")
    assert snap.state == "active"


def test_a_locked_account_cannot_be_unlocked_without_verification(service: WorkflowService):
    service.apply("L", LockForRisk(), idempotency_key="lock", actor="risk")
    with pytest.raises(TransitionNotAllowedError):
        service.apply(
            "L", CompleteVerification(session=session(T0)), idempotency_key="v", actor="agent"
        )


def test_a_satisfied_unlock_session_reactivates_the_account(service: WorkflowService):
    _lock_and_verify(service)
    snap = service.apply(
        "L", CompleteVerification(session=session(T0)), idempotency_key="v", actor="agent"
    )
    assert (snap.state, snap.data["unlock_count"]) == ("active", 1)
    assert snap.last_entry.details["satisfied"] is True


@pytest.mark.parametrize(
    ("action", "passed", "reason_part"),
    [("view_info", True, "not unlock_account"), ("unlock_account", False, "session is")],
)
def test_an_unsatisfied_or_foreign_session_is_refused(
    service: WorkflowService, action: str, passed: bool, reason_part: str
):
    _lock_and_verify(service)
    command = CompleteVerification(session=session(T0, action, passed))
    with pytest.raises(GuardRejectedError) as info:
        service.apply("L", command, idempotency_key="v", actor="agent")
    assert reason_part in info.value.reason
    assert service.load("L").state == "pending_verification"


def test_an_expired_session_is_refused(service: WorkflowService, clock: FixedClock):
    _lock_and_verify(service)
    old = session(T0)
    clock.advance(timedelta(minutes=20))
    with pytest.raises(GuardRejectedError):
        service.apply("L", CompleteVerification(session=old), idempotency_key="v", actor="a")


def test_verification_expires_only_after_the_timeout(service: WorkflowService, clock: FixedClock):
    _lock_and_verify(service)
    (deadline,) = service.due(service.load("L"))
    assert deadline.name == "verification_expiry"
    with pytest.raises(GuardRejectedError):
        service.apply("L", ExpireVerification(), idempotency_key="e1", actor="scheduler")
    clock.set(deadline.due_at)
    snap = service.apply("L", ExpireVerification(), idempotency_key="e2", actor="scheduler")
    assert snap.state == "locked"

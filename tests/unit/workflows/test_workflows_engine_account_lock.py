"""The account-lock workflow: lock by policy, risk or request; unlock only after verification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import GuardRejectedError, TransitionNotAllowedError
from walletsupport.values import Password
from walletsupport.verification import SealedEvidence, VerificationSession, plan_verification
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.account_lock import (
    AccountLockData,
    AccountLockPolicy,
    CompleteVerification,
    ExpireVerification,
    LockForRisk,
    RecordFailedLogin,
    RecordSuccessfulLogin,
    StartVerification,
    account_lock_workflow,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KEY = b"account-lock-server-key-0001"
PASSWORD = Password.parse("the customer's password")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def service(clock: FixedClock) -> WorkflowService:
    workflow = account_lock_workflow(policy=AccountLockPolicy(key=KEY))
    s = WorkflowService(MemoryStore(), clock, [workflow])
    s.open("account_lock", AccountLockData(account_id="acc-1"), case_id="L", actor="system")
    return s


def evidence(
    at: datetime,
    action: str = "unlock_account",
    *,
    account_id: str = "acc-1",
    case_id: str = "L",
    key: bytes = KEY,
) -> SealedEvidence:
    plan = plan_verification(action, "low", ["password", "biometric"])
    s = VerificationSession.start(plan, at)
    for step in plan.steps:
        if step.kind.value == "password":
            s = s.check_password(key, PASSWORD, PASSWORD.reveal(), at=at)
        else:
            s = s.record_external(key, step.kind, passed=True, verifier="device-os", at=at)
    return s.seal(key, account_id=account_id, case_id=case_id, at=at)


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
            "L", CompleteVerification(evidence=evidence(T0)), idempotency_key="v", actor="agent"
        )


def test_sealed_unlock_evidence_reactivates_the_account(service: WorkflowService):
    _lock_and_verify(service)
    proof = evidence(T0)
    snap = service.apply("L", CompleteVerification(evidence=proof), idempotency_key="v", actor="a")
    assert (snap.state, snap.data["unlock_count"]) == ("active", 1)
    assert snap.last_entry.details["factors"] == ["password", "biometric"]
    assert snap.data["used_evidence"] == [proof.evidence_id]


@pytest.mark.parametrize(
    ("proof", "reason_part"),
    [
        (lambda: evidence(T0, "view_info"), "not 'unlock_account'"),
        (lambda: evidence(T0, account_id="acc-2"), "another account"),
        (lambda: evidence(T0, case_id="L-other"), "another case"),
        (lambda: evidence(T0, key=b"another-servers-key-000"), "not sealed by this server"),
    ],
    ids=["other action", "other account", "other case", "other key"],
)
def test_evidence_for_anything_else_is_refused(
    service: WorkflowService, proof: Callable[[], SealedEvidence], reason_part: str
):
    _lock_and_verify(service)
    with pytest.raises(GuardRejectedError) as info:
        service.apply("L", CompleteVerification(evidence=proof()), idempotency_key="v", actor="a")
    assert reason_part in info.value.reason
    assert service.load("L").state == "pending_verification"


def test_expired_evidence_is_refused(service: WorkflowService, clock: FixedClock):
    _lock_and_verify(service)
    old = evidence(T0)
    clock.advance(timedelta(minutes=5))
    with pytest.raises(GuardRejectedError) as info:
        service.apply("L", CompleteVerification(evidence=old), idempotency_key="v", actor="a")
    assert "expired" in info.value.reason


def test_evidence_is_accepted_once(service: WorkflowService, clock: FixedClock):
    _lock_and_verify(service)
    proof = evidence(T0)
    service.apply("L", CompleteVerification(evidence=proof), idempotency_key="v1", actor="a")
    service.apply("L", LockForRisk(reason="again"), idempotency_key="lock2", actor="risk")
    clock.set(T0)  # the same instant: only the used id tells the evidence apart
    service.apply("L", StartVerification(), idempotency_key="start2", actor="agent")
    with pytest.raises(GuardRejectedError) as info:
        service.apply("L", CompleteVerification(evidence=proof), idempotency_key="v2", actor="a")
    assert "already used" in info.value.reason


def test_evidence_sealed_before_the_verification_started_is_refused(
    service: WorkflowService, clock: FixedClock
):
    early = evidence(T0)
    clock.advance(timedelta(minutes=1))
    _lock_and_verify(service)
    with pytest.raises(GuardRejectedError) as info:
        service.apply("L", CompleteVerification(evidence=early), idempotency_key="v", actor="a")
    assert "before this verification started" in info.value.reason


def test_without_a_server_key_nothing_unlocks(clock: FixedClock):
    s = WorkflowService(MemoryStore(), clock, [account_lock_workflow()])
    s.open("account_lock", AccountLockData(account_id="acc-1"), case_id="L", actor="system")
    _lock_and_verify(s)
    with pytest.raises(GuardRejectedError) as info:
        s.apply("L", CompleteVerification(evidence=evidence(T0)), idempotency_key="v", actor="a")
    assert "no server key" in info.value.reason


def test_verification_expires_only_after_the_timeout(service: WorkflowService, clock: FixedClock):
    _lock_and_verify(service)
    (deadline,) = service.due(service.load("L"))
    assert deadline.name == "verification_expiry"
    with pytest.raises(GuardRejectedError):
        service.apply("L", ExpireVerification(), idempotency_key="e1", actor="scheduler")
    clock.set(deadline.due_at)
    snap = service.apply("L", ExpireVerification(), idempotency_key="e2", actor="scheduler")
    assert snap.state == "locked"

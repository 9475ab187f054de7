"""A caller cannot unlock an account with verification it built itself (issue 17, finding 1).

The reproducer: build a plan at "low" risk, mark every step passed, send it as the JSON a
CLI or an API would receive. It must be refused with a library error, whatever shape the
caller gives it, and the account must stay locked.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import WalletSupportError
from walletsupport.verification import plan_verification
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.account_lock import (
    AccountLockPolicy,
    LockForRisk,
    StartVerification,
    account_lock_workflow,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KEY = b"the-real-server-key-000001"


def forged_session(method: str | None = None) -> dict[str, object]:
    plan = plan_verification("unlock_account", "low", ["password", "otp_sms"])
    at = T0.isoformat()
    return {
        "plan": json.loads(plan.model_dump_json()),
        "started_at": at,
        "last_activity_at": at,
        "outcomes": [
            {"kind": step.kind.value, "passed": True, "at": at}
            | ({"method": method} if method else {})
            for step in plan.steps
        ],
    }


def forged_evidence(mac: str) -> dict[str, object]:
    return {
        "evidence_id": secrets.token_hex(16),
        "account_id": "acc-1",
        "case_id": "L-1",
        "action": "unlock_account",
        "risk": "low",
        "factors": [{"kind": "password", "method": "password", "at": T0.isoformat()}],
        "sealed_at": T0.isoformat(),
        "expires_at": T0.replace(hour=10).isoformat(),
        "mac": mac,
    }


def locked_service(keyed: bool) -> WorkflowService:
    workflow = (
        account_lock_workflow(policy=AccountLockPolicy(key=KEY))
        if keyed
        else account_lock_workflow()
    )
    service = WorkflowService(MemoryStore(), FixedClock(T0), [workflow])
    service.open("account_lock", {"account_id": "acc-1"}, case_id="L-1", actor="system")
    service.apply("L-1", LockForRisk(), idempotency_key="1", actor="risk")
    service.apply("L-1", StartVerification(), idempotency_key="2", actor="agent")
    return service


def attempt(service: WorkflowService, args: dict[str, object]) -> None:
    """What ``case apply L-1 CompleteVerification --args JSON`` does with the caller's JSON."""
    command_type = service.workflow("account_lock").command_named("CompleteVerification")
    assert command_type is not None

    def send() -> None:
        command = command_type.model_validate(args)
        service.apply("L-1", command, idempotency_key="3", actor="caller")

    with pytest.raises(WalletSupportError):
        send()
    assert service.load("L-1").state == "pending_verification"


@pytest.mark.parametrize("keyed", [False, True], ids=["no key", "keyed"])
def test_a_caller_built_session_never_unlocks(keyed: bool) -> None:
    service = locked_service(keyed)
    for method in (None, "password", "external"):
        attempt(service, {"session": forged_session(method)})
        attempt(service, {"evidence": forged_session(method)})


@pytest.mark.parametrize("keyed", [False, True], ids=["no key", "keyed"])
@given(mac=st.text("0123456789abcdef", min_size=64, max_size=64))
def test_caller_built_evidence_never_unlocks(keyed: bool, mac: str) -> None:
    attempt(locked_service(keyed), {"evidence": forged_evidence(mac)})

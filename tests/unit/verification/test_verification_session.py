"""VerificationSession: progress only through the library's checks, sealed evidence, expiry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import (
    CodeExpiredError,
    InvalidEvidenceError,
    InvalidInputError,
    NaiveDatetimeError,
    VerificationFailedError,
)
from walletsupport.values import Password
from walletsupport.verification import (
    FactorKind,
    OtpPolicy,
    SealedEvidence,
    SessionStatus,
    VerificationPlan,
    VerificationSession,
    issue_code,
    plan_verification,
    totp,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KEY = b"session-test-server-key-0001"
PASSWORD = Password.parse("a long customer passphrase")
PLAN = plan_verification("refund", "medium", ["password", "registered_device", "biometric"])


def check(s: VerificationSession, kind: FactorKind, *, passed: bool, at: datetime):
    """Pass or fail one step through the check the library uses for it."""
    if kind is FactorKind.PASSWORD:
        presented = PASSWORD.reveal() if passed else "not the password"
        return s.check_password(KEY, PASSWORD, presented, at=at)
    return s.record_external(KEY, kind, passed=passed, verifier="test-verifier", at=at)


def satisfied(at: datetime = T0) -> VerificationSession:
    s = VerificationSession.start(PLAN, at)
    for step in PLAN.steps:
        s = check(s, step.kind, passed=True, at=at)
    return s


def test_a_new_session_asks_for_the_first_step_first():
    s = VerificationSession.start(PLAN, T0)
    assert s.next_step == PLAN.steps[0]
    assert s.status(T0) is SessionStatus.IN_PROGRESS
    assert not s.is_satisfied
    assert s.is_genuine(KEY)


def test_passing_every_step_satisfies_the_session_and_seals_for_its_action_only():
    s = satisfied()
    assert s.is_satisfied
    assert s.next_step is None
    at = T0 + timedelta(minutes=2)
    evidence = s.seal(KEY, account_id="acc-1", case_id="C-1", at=at)
    evidence.verify(KEY, account_id="acc-1", case_id="C-1", action="refund", at=at)
    with pytest.raises(InvalidEvidenceError, match="not 'change_phone'"):
        evidence.verify(KEY, account_id="acc-1", case_id="C-1", action="change_phone", at=at)


def test_a_check_returns_a_new_session_and_leaves_the_old_one_unchanged():
    s = VerificationSession.start(PLAN, T0)
    s2 = check(s, PLAN.steps[0].kind, passed=True, at=T0)
    assert s.outcomes == ()
    assert len(s2.outcomes) == 1


def test_a_failed_step_fails_the_session_for_good():
    s = check(VerificationSession.start(PLAN, T0), PLAN.steps[0].kind, passed=False, at=T0)
    assert s.status(T0) is SessionStatus.FAILED
    assert s.next_step is None
    with pytest.raises(VerificationFailedError):
        check(s, PLAN.steps[1].kind, passed=True, at=T0)
    with pytest.raises(VerificationFailedError):
        s.seal(KEY, account_id="a", case_id="c", at=T0)


def test_session_expires_after_five_minutes_of_inactivity():
    s = check(
        VerificationSession.start(PLAN, T0),
        PLAN.steps[0].kind,
        passed=True,
        at=T0 + timedelta(minutes=4),
    )
    assert s.expires_at == T0 + timedelta(minutes=9)
    assert s.status(T0 + timedelta(minutes=9)) is SessionStatus.EXPIRED
    with pytest.raises(CodeExpiredError):
        check(s, PLAN.steps[1].kind, passed=True, at=T0 + timedelta(minutes=9))


def test_evidence_expires_with_the_session_or_its_ttl():
    s = satisfied()
    with pytest.raises(CodeExpiredError):
        s.seal(KEY, account_id="a", case_id="c", at=T0 + timedelta(minutes=5))
    evidence = s.seal(KEY, account_id="a", case_id="c", at=T0 + timedelta(minutes=4))
    assert evidence.expires_at == T0 + timedelta(minutes=5)
    with pytest.raises(CodeExpiredError):
        evidence.verify(
            KEY, account_id="a", case_id="c", action="refund", at=T0 + timedelta(minutes=5)
        )


def test_unsatisfiable_plan_gives_an_unsatisfiable_session():
    s = VerificationSession.start(plan_verification("refund", "low", []), T0)
    assert s.status(T0) is SessionStatus.UNSATISFIABLE
    assert s.next_step is None
    with pytest.raises(VerificationFailedError):
        s.seal(KEY, account_id="a", case_id="c", at=T0)


def test_checking_a_step_not_in_the_plan_or_twice_is_refused():
    s = VerificationSession.start(PLAN, T0)
    with pytest.raises(InvalidInputError):
        s.record_external(KEY, "selfie_match", passed=True, verifier="v", at=T0)
    s = check(s, PLAN.steps[0].kind, passed=True, at=T0)
    with pytest.raises(InvalidInputError):
        check(s, PLAN.steps[0].kind, passed=True, at=T0)


def test_a_password_or_a_code_is_never_recorded_by_hand():
    plan = plan_verification("view_info", "low", ["password"])
    s = VerificationSession.start(plan, T0)
    with pytest.raises(InvalidInputError, match="checked by the library"):
        s.record_external(KEY, "password", passed=True, verifier="me", at=T0)


def test_naive_or_backwards_times_are_refused():
    s = VerificationSession.start(PLAN, T0 + timedelta(minutes=1))
    with pytest.raises(NaiveDatetimeError):
        check(s, PLAN.steps[0].kind, passed=True, at=datetime(2026, 1, 5, 9, 2))
    with pytest.raises(InvalidInputError):
        check(s, PLAN.steps[0].kind, passed=True, at=T0)
    with pytest.raises(InvalidInputError):
        VerificationSession.start(PLAN, T0, inactivity_timeout=timedelta(0))


def test_a_session_round_trips_through_json_and_stays_genuine():
    s = check(VerificationSession.start(PLAN, T0), PLAN.steps[0].kind, passed=True, at=T0)
    again = VerificationSession.model_validate_json(s.model_dump_json())
    assert again == s
    assert again.is_genuine(KEY)
    again = check(again, PLAN.steps[1].kind, passed=True, at=T0)
    assert again.is_satisfied


def test_a_session_stays_genuine_in_another_process():
    """The MAC does not depend on set order (hash randomisation differs between processes)."""
    s = satisfied()
    code = (
        "import sys; from walletsupport.verification import VerificationSession as S; "
        f"print(S.model_validate_json(sys.stdin.read()).is_genuine({KEY!r}))"
    )
    for seed in ("1", "2", "3"):
        out = subprocess.run(
            [sys.executable, "-c", code],
            input=s.model_dump_json(),
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert out.stdout.strip() == "True", out.stderr


def test_a_hand_built_session_is_refused():
    forged = VerificationSession.model_validate(
        {
            "plan": PLAN.model_dump(),
            "started_at": T0,
            "last_activity_at": T0,
            "outcomes": [
                {"kind": step.kind, "passed": True, "at": T0, "method": "external"}
                for step in PLAN.steps
            ],
        }
    )
    assert forged.is_satisfied
    assert not forged.is_genuine(KEY)
    with pytest.raises(InvalidEvidenceError):
        forged.seal(KEY, account_id="a", case_id="c", at=T0)


@given(
    field=st.sampled_from(["started_at", "last_activity_at", "inactivity_timeout", "outcomes"]),
)
def test_an_edited_genuine_session_is_refused(field: str):
    s = check(VerificationSession.start(PLAN, T0), PLAN.steps[0].kind, passed=False, at=T0)
    raw = json.loads(s.model_dump_json())
    if field == "outcomes":
        raw["outcomes"][0]["passed"] = True
    elif field == "inactivity_timeout":
        raw[field] = "PT1H"
    else:
        raw[field] = (T0 - timedelta(minutes=1)).isoformat()
    edited = VerificationSession.model_validate(raw)
    assert not edited.is_genuine(KEY)
    with pytest.raises(InvalidEvidenceError):
        check(edited, PLAN.steps[1].kind, passed=True, at=T0)


def test_a_session_checked_under_another_key_is_refused():
    s = satisfied()
    with pytest.raises(InvalidEvidenceError):
        s.seal(b"another-servers-key-00000", account_id="a", case_id="c", at=T0)


@given(
    field=st.sampled_from(
        [
            "evidence_id",
            "account_id",
            "case_id",
            "action",
            "risk",
            "sealed_at",
            "expires_at",
            "factors",
        ]
    )
)
def test_edited_evidence_fails_its_mac(field: str):
    evidence = satisfied().seal(KEY, account_id="acc-1", case_id="C-1", at=T0)
    raw = json.loads(evidence.model_dump_json())
    raw[field] = {
        "evidence_id": "0" * 32,
        "account_id": "acc-2",
        "case_id": "C-2",
        "action": "view_info",
        "risk": "low",
        "sealed_at": (T0 - timedelta(minutes=1)).isoformat(),
        "expires_at": (T0 + timedelta(hours=1)).isoformat(),
        "factors": raw["factors"][:1],
    }[field]
    if raw[field] == json.loads(evidence.model_dump_json())[field]:
        raw["risk"] = "high"
    edited = SealedEvidence.model_validate(raw)
    with pytest.raises(InvalidEvidenceError, match="not sealed by this server"):
        edited.verify(
            KEY, account_id=edited.account_id, case_id=edited.case_id, action=edited.action, at=T0
        )


def test_a_one_time_code_passes_its_step_and_a_reused_code_fails_the_session():
    plan = plan_verification("view_info", "low", ["otp_sms"])
    issued, state = issue_code(OtpPolicy(), KEY, T0, rng=lambda n: 123_456)
    s, result = VerificationSession.start(plan, T0).check_code(
        KEY, "otp_sms", state, issued.reveal(), at=T0
    )
    assert result.ok
    assert s.is_satisfied
    again, result = VerificationSession.start(plan, T0).check_code(
        KEY, "otp_sms", result.state, issued.reveal(), at=T0
    )
    assert result.outcome.value == "already_used"
    assert again.status(T0) is SessionStatus.FAILED


def test_the_code_attempt_limit_counts_across_fresh_codes_in_a_session():
    """A fresh code does not buy fresh guesses: the limit is per session and purpose."""
    plan = plan_verification("view_info", "low", ["otp_sms"])
    s = VerificationSession.start(plan, T0)
    for attempt in range(OtpPolicy().max_attempts):
        issued, state = issue_code(OtpPolicy(), KEY, T0, rng=lambda n: 111_111)
        s, result = s.check_code(KEY, "otp_sms", state, "999999", at=T0)
        assert result.outcome.value == "mismatch"
        expected = SessionStatus.FAILED if attempt == 4 else SessionStatus.IN_PROGRESS
        assert s.status(T0) is expected
    assert s.failed_codes == 5
    issued, state = issue_code(OtpPolicy(), KEY, T0)
    with pytest.raises(VerificationFailedError):
        s.check_code(KEY, "otp_sms", state, issued.reveal(), at=T0)


def test_totp_checks_the_app_step():
    app_key = b"12345678901234567890"
    plan = plan_verification("view_info", "low", ["otp_app"])
    s, result = VerificationSession.start(plan, T0).check_totp(
        KEY, app_key, totp(app_key, T0), at=T0
    )
    assert result.ok
    assert s.is_satisfied
    bad, result = VerificationSession.start(plan, T0).check_totp(KEY, app_key, "000000", at=T0)
    assert bad.status(T0) is (SessionStatus.SATISFIED if result.ok else SessionStatus.FAILED)


@given(st.lists(st.booleans(), min_size=1, max_size=2))
def test_session_is_satisfied_exactly_when_every_step_passed(results):
    s = VerificationSession.start(PLAN, T0)
    for step, ok in zip(PLAN.steps, results, strict=False):
        if s.has_failed:
            break
        s = check(s, step.kind, passed=ok, at=T0)
    assert s.is_satisfied == (len(results) == len(PLAN.steps) and all(results))


def test_a_session_on_a_hand_made_plan_cannot_be_sealed():
    """A plan that asks less than plan_verification would (one factor to unlock) is refused."""
    weak = json.loads(plan_verification("view_info", "low", ["biometric"]).model_dump_json())
    weak["requirement"]["action"] = "unlock_account"
    forged_plan = VerificationPlan.model_validate(weak)
    assert forged_plan.action.value == "unlock_account"
    assert forged_plan.satisfiable
    s = VerificationSession.start(forged_plan, T0)
    s = s.record_external(KEY, "biometric", passed=True, verifier="os", at=T0)
    assert s.is_satisfied
    with pytest.raises(InvalidEvidenceError, match="plan"):
        s.seal(KEY, account_id="a", case_id="c", at=T0)

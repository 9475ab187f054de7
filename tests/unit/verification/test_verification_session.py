"""VerificationSession: progress through a plan, failure, RTS 5-minute inactivity expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import (
    CodeExpiredError,
    InvalidInputError,
    NaiveDatetimeError,
    VerificationFailedError,
)
from walletsupport.verification import (
    SessionStatus,
    VerificationSession,
    plan_verification,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PLAN = plan_verification("refund", "medium", ["password", "registered_device", "biometric"])


def test_a_new_session_asks_for_the_first_step_first():
    s = VerificationSession.start(PLAN, T0)
    assert s.next_step == PLAN.steps[0]
    assert s.status(T0) is SessionStatus.IN_PROGRESS
    assert not s.is_satisfied


def test_passing_every_step_satisfies_the_session_and_authorises_its_action_only():
    s = VerificationSession.start(PLAN, T0)
    for i, step in enumerate(PLAN.steps):
        s = s.record(step.kind, passed=True, at=T0 + timedelta(minutes=i))
    assert s.is_satisfied
    assert s.next_step is None
    assert s.authorizes("refund", T0 + timedelta(minutes=2))
    assert not s.authorizes("change_phone", T0 + timedelta(minutes=2))


def test_recording_returns_a_new_session_and_leaves_the_old_one_unchanged():
    s = VerificationSession.start(PLAN, T0)
    s2 = s.record(PLAN.steps[0].kind, passed=True, at=T0)
    assert s.outcomes == ()
    assert len(s2.outcomes) == 1


def test_a_failed_step_fails_the_session_for_good():
    s = VerificationSession.start(PLAN, T0).record(PLAN.steps[0].kind, passed=False, at=T0)
    assert s.status(T0) is SessionStatus.FAILED
    assert s.next_step is None
    with pytest.raises(VerificationFailedError):
        s.record(PLAN.steps[1].kind, passed=True, at=T0)


def test_session_expires_after_five_minutes_of_inactivity():
    s = VerificationSession.start(PLAN, T0)
    s = s.record(PLAN.steps[0].kind, passed=True, at=T0 + timedelta(minutes=4))
    assert s.expires_at == T0 + timedelta(minutes=9)
    assert s.status(T0 + timedelta(minutes=9)) is SessionStatus.EXPIRED
    with pytest.raises(CodeExpiredError):
        s.record(PLAN.steps[1].kind, passed=True, at=T0 + timedelta(minutes=9))


def test_a_satisfied_session_stops_authorising_once_expired():
    s = VerificationSession.start(PLAN, T0)
    for step in PLAN.steps:
        s = s.record(step.kind, passed=True, at=T0)
    assert s.authorizes("refund", T0 + timedelta(minutes=4, seconds=59))
    assert not s.authorizes("refund", T0 + timedelta(minutes=5))


def test_touch_restarts_the_inactivity_clock():
    s = VerificationSession.start(PLAN, T0).touch(T0 + timedelta(minutes=3))
    assert s.expires_at == T0 + timedelta(minutes=8)


def test_unsatisfiable_plan_gives_an_unsatisfiable_session():
    plan = plan_verification("refund", "low", [])
    s = VerificationSession.start(plan, T0)
    assert s.status(T0) is SessionStatus.UNSATISFIABLE
    assert s.next_step is None
    assert not s.is_satisfied


def test_recording_a_step_not_in_the_plan_or_twice_is_refused():
    s = VerificationSession.start(PLAN, T0)
    with pytest.raises(InvalidInputError):
        s.record("otp_email", passed=True, at=T0)
    s = s.record(PLAN.steps[0].kind, passed=True, at=T0)
    with pytest.raises(InvalidInputError):
        s.record(PLAN.steps[0].kind, passed=True, at=T0)


def test_naive_or_backwards_times_are_refused():
    s = VerificationSession.start(PLAN, T0 + timedelta(minutes=1))
    with pytest.raises(NaiveDatetimeError):
        s.record(PLAN.steps[0].kind, passed=True, at=datetime(2026, 1, 5, 9, 2))
    with pytest.raises(InvalidInputError):
        s.record(PLAN.steps[0].kind, passed=True, at=T0)
    with pytest.raises(InvalidInputError):
        VerificationSession.start(PLAN, T0, inactivity_timeout=timedelta(0))


def test_session_round_trips_through_json():
    s = VerificationSession.start(PLAN, T0).record(PLAN.steps[0].kind, passed=True, at=T0)
    assert VerificationSession.model_validate_json(s.model_dump_json()) == s


@given(st.lists(st.booleans(), min_size=1, max_size=2))
def test_session_is_satisfied_exactly_when_every_step_passed(results):
    s = VerificationSession.start(PLAN, T0)
    for step, ok in zip(PLAN.steps, results, strict=False):
        if s.has_failed:
            break
        s = s.record(step.kind, passed=ok, at=T0)
    assert s.is_satisfied == (len(results) == len(PLAN.steps) and all(results))

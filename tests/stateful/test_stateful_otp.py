"""A one-time code driven through issue / attempt / expire / resend against a tiny model."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from walletsupport.errors import (
    CodeAlreadyUsedError,
    ResendTooSoonError,
    TooManyAttemptsError,
)
from walletsupport.verification import (
    CodeOutcome,
    OtpPolicy,
    OtpState,
    OtpStatus,
    issue_code,
    resend_code,
    verify_code,
)

KEY = b"stateful-test-key-0123456789abcd"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class OneTimeCodeMachine(RuleBasedStateMachine):
    """The real functions and a dict model must agree after every step."""

    state: OtpState
    model: dict[str, Any]

    @initialize(
        digits=st.sampled_from([6, 7, 8]),
        max_attempts=st.integers(1, 5),
        max_sends=st.integers(1, 4),
    )
    def issue(self, digits: int, max_attempts: int, max_sends: int) -> None:
        policy = OtpPolicy(digits=digits, max_attempts=max_attempts, max_sends=max_sends)
        self.now = T0
        issued, self.state = issue_code(policy, KEY, self.now)
        self.model = {
            "code": issued.reveal(),
            "old": [],
            "expires_at": self.now + policy.ttl,
            "resend_at": self.now + policy.resend_cooldown,
            "failed": 0,
            "status": "active",
            "sends": 1,
            "policy": policy,
        }

    # multiples of 30 s hit the expiry and cool-down boundaries exactly
    @rule(seconds=st.integers(0, 200))
    def wait(self, seconds: int) -> None:
        self.now += timedelta(seconds=seconds)

    @rule(boundary=st.sampled_from(["expires_at", "resend_at"]))
    def wait_until(self, boundary: str) -> None:
        """Jump exactly to a boundary, where off-by-one errors live."""
        self.now = max(self.now, self.model[boundary])

    @rule(which=st.sampled_from(["current", "old", "random"]), n=st.integers(0, 10**8 - 1))
    def attempt(self, which: str, n: int) -> None:
        m = self.model
        if which == "current":
            presented = m["code"]
        elif which == "old" and m["old"]:
            presented = m["old"][n % len(m["old"])]
        else:
            presented = str(n % 10 ** len(m["code"])).zfill(len(m["code"]))
        match = presented == m["code"]

        check = verify_code(self.state, KEY, presented, self.now)
        self.state = check.state

        if m["status"] == "used":
            expected = CodeOutcome.ALREADY_USED
        elif m["status"] == "dead":
            m["failed"] += 1
            expected = CodeOutcome.EXHAUSTED
        elif self.now >= m["expires_at"]:
            expected = CodeOutcome.EXPIRED
        elif match:
            m["status"] = "used"
            expected = CodeOutcome.VERIFIED
        else:
            m["failed"] += 1
            if m["failed"] >= m["policy"].max_attempts:
                m["status"] = "dead"
                expected = CodeOutcome.EXHAUSTED
            else:
                expected = CodeOutcome.MISMATCH
        assert check.outcome is expected

    @rule()
    def resend(self) -> None:
        m = self.model
        if m["status"] == "used":
            with pytest.raises(CodeAlreadyUsedError):
                resend_code(self.state, KEY, self.now)
        elif m["status"] == "dead" or m["sends"] >= m["policy"].max_sends:
            with pytest.raises(TooManyAttemptsError):
                resend_code(self.state, KEY, self.now)
        elif self.now < m["resend_at"]:
            with pytest.raises(ResendTooSoonError) as info:
                resend_code(self.state, KEY, self.now)
            assert info.value.retry_at == m["resend_at"]
        else:
            issued, self.state = resend_code(self.state, KEY, self.now)
            m["old"].append(m["code"])
            m["code"] = issued.reveal()
            m["expires_at"] = self.now + m["policy"].ttl
            m["resend_at"] = self.now + m["policy"].resend_cooldown
            m["sends"] += 1

    @invariant()
    def agrees_with_the_model(self) -> None:
        m = self.model
        assert self.state.status is OtpStatus(m["status"])
        assert self.state.failed_attempts == m["failed"]
        assert self.state.sends == m["sends"]
        assert self.state.expires_at == m["expires_at"]
        expected_left = (
            max(0, m["policy"].max_attempts - m["failed"]) if m["status"] == "active" else 0
        )
        assert self.state.attempts_left == expected_left

    @invariant()
    def stored_state_never_holds_a_code_and_survives_json(self) -> None:
        dumped = self.state.model_dump_json()
        assert self.model["code"] not in dumped
        assert OtpState.model_validate_json(dumped) == self.state

    @invariant()
    def a_dead_or_used_code_is_final(self) -> None:
        if self.model["status"] != "active":
            assert not self.state.can_verify(self.now)


TestOneTimeCode = OneTimeCodeMachine.TestCase

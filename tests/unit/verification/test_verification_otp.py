"""One-time codes: keyed hash only, expiry, attempt limit, single use, resend, no leaks."""

from __future__ import annotations

import hmac
import json
import random
import secrets
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import (
    CodeAlreadyUsedError,
    CodeExpiredError,
    ConfigurationError,
    InvalidInputError,
    InvalidSecretError,
    NaiveDatetimeError,
    ResendTooSoonError,
    TooManyAttemptsError,
    VerificationError,
    VerificationFailedError,
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

KEY = b"0123456789abcdef0123456789abcdef"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _wrong(code: str) -> str:
    return str((int(code) + 1) % 10 ** len(code)).zfill(len(code))


def _issue(policy: OtpPolicy | None = None, **kwargs):
    return issue_code(policy or OtpPolicy(), KEY, T0, **kwargs)


# --- issue ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", [6, 7, 8])
def test_codes_have_the_configured_number_of_digits(digits):
    issued, state = _issue(OtpPolicy(digits=digits))
    assert len(issued.reveal()) == digits
    assert issued.reveal().isdigit()
    assert state.policy.digits == digits


def test_defaults_are_five_minutes_and_five_attempts():
    issued, state = _issue()
    assert state.expires_at == issued.expires_at == T0 + timedelta(minutes=5)
    assert state.attempts_left == 5
    assert state.status is OtpStatus.ACTIVE


@pytest.mark.parametrize(
    "settings_",
    [{"digits": 5}, {"digits": 9}, {"max_attempts": 6}, {"ttl": timedelta(minutes=11)}],
)
def test_policy_refuses_settings_outside_the_standards(settings_):
    with pytest.raises(ConfigurationError):
        OtpPolicy(**settings_)


def test_default_generator_is_secrets_randbelow(monkeypatch):
    calls = []

    def fake_randbelow(n: int) -> int:
        calls.append(n)
        return 7

    monkeypatch.setattr(secrets, "randbelow", fake_randbelow)
    issued, _ = _issue(OtpPolicy(digits=7))
    assert calls == [10**7]
    assert issued.reveal() == "0000007"


def test_stored_state_holds_only_a_keyed_hash():
    issued, state = _issue()
    dumped = state.model_dump(mode="json")
    assert set(dumped) >= {"salt", "digest"}
    assert "code" not in dumped
    assert issued.reveal() not in state.model_dump_json()
    assert len(state.digest) == 64


def test_same_code_twice_gives_different_hashes_thanks_to_the_salt():
    _, a = _issue(rng=lambda n: 123456)
    _, b = _issue(rng=lambda n: 123456)
    assert a.digest != b.digest


def test_bad_key_rng_or_time_is_refused_without_echoing_the_key():
    with pytest.raises(InvalidInputError, match="at least 16 bytes") as info:
        issue_code(OtpPolicy(), b"short", T0)
    assert "short" not in str(info.value)
    with pytest.raises(InvalidInputError):
        issue_code(OtpPolicy(), "text-key-text-key-text", T0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        issue_code(OtpPolicy(), KEY, T0, rng=lambda n: n)
    with pytest.raises(NaiveDatetimeError):
        issue_code(OtpPolicy(), KEY, datetime(2026, 1, 5, 9, 0))
    with pytest.raises(InvalidInputError):
        issue_code({"digits": 6}, KEY, T0)  # type: ignore[arg-type]


# --- verify --------------------------------------------------------------------------------------


def test_correct_code_verifies_once_and_only_once():
    issued, state = _issue()
    first = verify_code(state, KEY, issued.reveal(), T0 + timedelta(seconds=30))
    assert first.ok
    assert first.state.status is OtpStatus.USED
    second = verify_code(first.state, KEY, issued.reveal(), T0 + timedelta(seconds=31))
    assert second.outcome is CodeOutcome.ALREADY_USED
    with pytest.raises(CodeAlreadyUsedError):
        second.raise_for_outcome()


def test_spaces_and_hyphens_in_the_presented_code_are_ignored():
    _, state = _issue(rng=lambda n: 123456)
    assert verify_code(state, KEY, "123 456", T0).ok
    assert verify_code(state, KEY, "123-456", T0).ok


def test_code_does_not_verify_at_or_after_expiry():
    issued, state = _issue()
    check = verify_code(state, KEY, issued.reveal(), T0 + timedelta(minutes=5))
    assert check.outcome is CodeOutcome.EXPIRED
    with pytest.raises(CodeExpiredError):
        check.raise_for_outcome()


def test_fifth_wrong_attempt_kills_the_code_and_is_recorded():
    issued, state = _issue()
    wrong = _wrong(issued.reveal())
    for i in range(4):
        check = verify_code(state, KEY, wrong, T0 + timedelta(seconds=i))
        assert check.outcome is CodeOutcome.MISMATCH
        state = check.state
    assert state.attempts_left == 1
    check = verify_code(state, KEY, wrong, T0 + timedelta(seconds=10))
    assert check.outcome is CodeOutcome.EXHAUSTED
    assert check.state.status is OtpStatus.DEAD
    assert check.state.failed_attempts == 5
    assert check.state.rejected_at[-1] == T0 + timedelta(seconds=10)
    late = verify_code(check.state, KEY, issued.reveal(), T0 + timedelta(seconds=11))
    assert late.outcome is CodeOutcome.EXHAUSTED
    assert late.state.failed_attempts == 6
    with pytest.raises(TooManyAttemptsError):
        late.raise_for_outcome()


def test_a_code_issued_for_one_purpose_fails_for_another():
    issued, state = _issue(purpose="refund:42:EUR 10.00")
    assert not verify_code(state, KEY, issued.reveal(), T0, purpose="refund:42:EUR 99.00").ok
    assert verify_code(state, KEY, issued.reveal(), T0, purpose="refund:42:EUR 10.00").ok


def test_a_different_server_key_never_verifies():
    issued, state = _issue()
    assert not verify_code(state, b"another-key-of-32-bytes-xxxxxxxx", issued.reveal(), T0).ok


def test_wrong_code_error_is_a_verification_error_and_quotes_nothing():
    issued, state = _issue()
    check = verify_code(state, KEY, _wrong(issued.reveal()), T0)
    with pytest.raises(VerificationFailedError) as info:
        check.raise_for_outcome()
    assert isinstance(info.value, VerificationError)
    assert issued.reveal() not in str(info.value)
    assert _wrong(issued.reveal()) not in str(info.value)


def test_presented_code_must_be_text():
    _, state = _issue()
    with pytest.raises(InvalidSecretError):
        verify_code(state, KEY, 123456, T0)  # type: ignore[arg-type]


def test_every_verification_compares_once_with_compare_digest(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    issued, active = _issue()
    used = verify_code(active, KEY, issued.reveal(), T0).state
    dead = active.model_copy(update={"status": OtpStatus.DEAD, "failed_attempts": 5})
    late = T0 + timedelta(hours=1)
    for state, at in [(active, T0), (used, T0), (dead, T0), (active, late)]:
        calls.clear()
        verify_code(state, KEY, "000000", at)
        assert calls == [(32, 32)]


# --- resend --------------------------------------------------------------------------------------


def test_resend_inside_the_cool_down_says_when_to_retry():
    _, state = _issue()
    with pytest.raises(ResendTooSoonError) as info:
        resend_code(state, KEY, T0 + timedelta(seconds=29))
    assert info.value.retry_at == T0 + timedelta(seconds=30)


def test_resend_replaces_the_code_and_keeps_the_failure_count():
    issued, state = _issue(rng=lambda n: 111111)
    state = verify_code(state, KEY, "999999", T0).state
    new, state2 = resend_code(state, KEY, T0 + timedelta(seconds=30), rng=lambda n: 222222)
    assert state2.failed_attempts == 1
    assert state2.sends == 2
    assert not verify_code(state2, KEY, issued.reveal(), T0 + timedelta(seconds=31)).ok
    assert verify_code(state2, KEY, new.reveal(), T0 + timedelta(seconds=32)).ok


def test_resend_of_an_expired_code_gives_a_fresh_lifetime():
    _, state = _issue()
    new, state2 = resend_code(state, KEY, T0 + timedelta(minutes=7))
    assert state2.expires_at == T0 + timedelta(minutes=12)
    assert verify_code(state2, KEY, new.reveal(), T0 + timedelta(minutes=8)).ok


def test_no_resend_for_a_used_or_dead_code_or_beyond_max_sends():
    issued, state = _issue()
    used = verify_code(state, KEY, issued.reveal(), T0).state
    with pytest.raises(CodeAlreadyUsedError):
        resend_code(used, KEY, T0 + timedelta(minutes=1))
    dead = state.model_copy(update={"status": OtpStatus.DEAD})
    with pytest.raises(TooManyAttemptsError):
        resend_code(dead, KEY, T0 + timedelta(minutes=1))
    _, s = issue_code(OtpPolicy(max_sends=2), KEY, T0)
    _, s = resend_code(s, KEY, T0 + timedelta(minutes=1))
    with pytest.raises(TooManyAttemptsError):
        resend_code(s, KEY, T0 + timedelta(minutes=2))


def test_state_round_trips_through_json():
    _, state = _issue()
    state = verify_code(state, KEY, "000000", T0).state
    assert OtpState.model_validate_json(state.model_dump_json()) == state


# --- properties ----------------------------------------------------------------------------------

codes = st.integers(min_value=0, max_value=10**6 - 1)
offsets = st.integers(min_value=0, max_value=20 * 60)


@given(codes, offsets, st.text(alphabet="0123456789", min_size=0, max_size=8))
def test_a_used_code_never_verifies_again(n, seconds, other):
    issued, state = _issue(rng=lambda _: n)
    used = verify_code(state, KEY, issued.reveal(), T0).state
    for presented in (issued.reveal(), other):
        check = verify_code(used, KEY, presented, T0 + timedelta(seconds=seconds))
        assert not check.ok
        assert check.state.status is OtpStatus.USED


@given(codes, st.integers(min_value=300, max_value=10**6))
def test_an_expired_code_never_verifies(n, seconds):
    issued, state = _issue(rng=lambda _: n)
    assert not verify_code(state, KEY, issued.reveal(), T0 + timedelta(seconds=seconds)).ok


@given(codes, st.lists(st.integers(0, 10**6 - 1), min_size=5, max_size=8))
def test_an_exhausted_code_never_verifies(n, guesses):
    issued, state = _issue(rng=lambda _: n)
    wrong = [g for g in guesses if g != n]
    for g in wrong:
        state = verify_code(state, KEY, str(g).zfill(6), T0).state
    if len(wrong) >= 5:
        assert state.status is OtpStatus.DEAD
        assert not verify_code(state, KEY, issued.reveal(), T0).ok


@given(codes, st.sampled_from([6, 7, 8]), offsets)
def test_no_plain_code_in_any_output(n, digits, seconds):
    policy = OtpPolicy(digits=digits)
    issued, state = issue_code(policy, KEY, T0, rng=lambda m: n % m)
    code = issued.reveal()
    check = verify_code(state, KEY, _wrong(code), T0 + timedelta(seconds=seconds))
    outputs = [
        repr(issued),
        str(issued),
        issued.model_dump_json(),
        json.dumps(issued.model_dump(mode="json")),
        repr(state),
        str(state),
        repr(check),
        str(check),
        check.model_dump_json(),
    ]
    try:
        check.raise_for_outcome()
    except VerificationError as exc:
        outputs.append(str(exc))
        outputs.append(repr(exc))
    for out in outputs:
        assert code not in out


@pytest.mark.parametrize("seed", [0, 1, 2026])
def test_codes_are_uniform_over_their_digits_chi_square(seed):
    rng = random.Random(seed)
    samples = 20000
    per_position = [Counter() for _ in range(6)]
    for _ in range(samples):
        issued, _ = issue_code(OtpPolicy(), KEY, T0, rng=rng.randrange)
        for i, ch in enumerate(issued.reveal()):
            per_position[i][ch] += 1
    expected = samples / 10
    for counts in per_position:
        chi2 = sum((counts[str(d)] - expected) ** 2 / expected for d in range(10))
        assert chi2 < 33.72  # 9 degrees of freedom, p = 0.0001

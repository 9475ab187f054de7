"""Password-reset tokens: random, single use, expiring, hashed; no account enumeration."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import (
    CodeAlreadyUsedError,
    CodeExpiredError,
    ConfigurationError,
    InvalidInputError,
    NaiveDatetimeError,
)
from walletsupport.verification import (
    CodeOutcome,
    ResetTokenPolicy,
    ResetTokenState,
    request_password_reset,
    reset_token_digest,
    verify_reset_token,
)

KEY = b"0123456789abcdef0123456789abcdef"
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _found():
    r = request_password_reset(account_found=True, key=KEY, at=T0)
    assert r.token is not None
    assert r.state is not None
    return r.token, r.state


def test_response_is_identical_whether_or_not_the_account_exists():
    known = request_password_reset(account_found=True, key=KEY, at=T0)
    unknown = request_password_reset(account_found=False, key=KEY, at=T0)
    assert known.response == unknown.response
    assert known.response.model_dump_json() == unknown.response.model_dump_json()
    assert unknown.token is None
    assert unknown.state is None


def test_token_carries_at_least_128_random_bits():
    token, _ = _found()
    raw = base64.urlsafe_b64decode(token.reveal() + "=" * (-len(token.reveal()) % 4))
    assert len(raw) * 8 >= 256
    with pytest.raises(ConfigurationError):
        ResetTokenPolicy(token_bytes=15)


def test_tokens_are_distinct():
    tokens = {_found()[0].reveal() for _ in range(50)}
    assert len(tokens) == 50


def test_token_is_stored_only_as_a_keyed_hash():
    token, state = _found()
    assert token.reveal() not in state.model_dump_json()
    assert state.digest == reset_token_digest(KEY, token.reveal())


def test_token_verifies_once():
    token, state = _found()
    first = verify_reset_token(state, KEY, token.reveal(), T0 + timedelta(minutes=1))
    assert first.ok
    second = verify_reset_token(first.state, KEY, token.reveal(), T0 + timedelta(minutes=2))
    assert second.outcome is CodeOutcome.ALREADY_USED
    with pytest.raises(CodeAlreadyUsedError):
        second.raise_for_outcome()


def test_token_expires_after_thirty_minutes_by_default():
    token, state = _found()
    check = verify_reset_token(state, KEY, token.reveal(), T0 + timedelta(minutes=30))
    assert check.outcome is CodeOutcome.EXPIRED
    with pytest.raises(CodeExpiredError):
        check.raise_for_outcome()


def test_tokens_with_hyphens_are_compared_exactly():
    token, state = _found()
    mangled = token.reveal().replace("-", "").replace("_", "-") + "-"
    assert not verify_reset_token(state, KEY, mangled, T0).ok


def test_bad_arguments_are_typed_errors():
    with pytest.raises(InvalidInputError):
        request_password_reset(account_found="yes", key=KEY, at=T0)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        request_password_reset(account_found=True, key=b"short", at=T0)
    with pytest.raises(NaiveDatetimeError):
        request_password_reset(account_found=True, key=KEY, at=datetime(2026, 1, 5))


def test_state_round_trips_through_json():
    _, state = _found()
    assert ResetTokenState.model_validate_json(state.model_dump_json()) == state


@given(st.text(min_size=1, max_size=80))
def test_a_guessed_token_never_verifies_and_never_changes_the_state(guess):
    token, state = _found()
    if guess != token.reveal():
        check = verify_reset_token(state, KEY, guess, T0)
        assert not check.ok
        assert check.state == state


@given(st.booleans())
def test_no_token_in_any_output(found):
    r = request_password_reset(account_found=found, key=KEY, at=T0)
    outputs = [repr(r), str(r), r.model_dump_json(), r.response.model_dump_json()]
    if r.token is not None:
        for out in outputs:
            assert r.token.reveal() not in out

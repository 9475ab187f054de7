"""HOTP/TOTP against the RFC 4226 and RFC 6238 test vectors; window and single use."""

from __future__ import annotations

import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import InvalidInputError, InvalidSecretError, NaiveDatetimeError
from walletsupport.verification import hotp, totp, totp_key_from_base32, verify_totp

SHA1_KEY = b"12345678901234567890"
SHA256_KEY = b"12345678901234567890123456789012"
SHA512_KEY = b"1234567890" * 6 + b"1234"

# RFC 4226 Appendix D (counters 0-2 also in reference/authentication_security.md HOTP_TEST_VECTOR)
HOTP_VECTORS = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]

# RFC 6238 Appendix B (59 and 1111111109 for SHA-1 also in the reference file, TOTP_TEST_VECTOR)
TOTP_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(HOTP_VECTORS)))
def test_hotp_matches_rfc_4226_appendix_d(counter, expected):
    assert hotp(SHA1_KEY, counter) == expected


@pytest.mark.parametrize(("seconds", "sha1", "sha256", "sha512"), TOTP_VECTORS)
def test_totp_matches_rfc_6238_appendix_b(seconds, sha1, sha256, sha512):
    assert totp(SHA1_KEY, at(seconds), digits=8) == sha1
    assert totp(SHA256_KEY, at(seconds), digits=8, algorithm="sha256") == sha256
    assert totp(SHA512_KEY, at(seconds), digits=8, algorithm="sha512") == sha512


def test_code_from_the_previous_and_next_step_is_accepted_but_not_two_steps_away():
    now = at(1111111109)
    for delta, ok in [(-60, False), (-30, True), (0, True), (30, True), (60, False)]:
        code = totp(SHA1_KEY, now + timedelta(seconds=delta))
        assert verify_totp(SHA1_KEY, code, now).ok is ok, delta


def test_matched_step_and_drift_are_reported():
    now = at(1111111109)
    code = totp(SHA1_KEY, now - timedelta(seconds=30))
    check = verify_totp(SHA1_KEY, code, now)
    assert check.matched_step == 1111111109 // 30 - 1
    assert check.drift == -1


def test_a_code_cannot_be_replayed_once_its_step_was_used():
    now = at(1111111109)
    code = totp(SHA1_KEY, now)
    first = verify_totp(SHA1_KEY, code, now)
    assert first.ok
    again = verify_totp(
        SHA1_KEY, code, now + timedelta(seconds=5), last_used_step=first.matched_step
    )
    assert not again.ok


def test_window_zero_accepts_only_the_current_step():
    now = at(1111111109)
    assert not verify_totp(SHA1_KEY, totp(SHA1_KEY, now - timedelta(seconds=30)), now, window=0).ok


def test_all_window_candidates_are_compared_without_early_exit(monkeypatch):
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    now = at(1111111109)
    verify_totp(SHA1_KEY, totp(SHA1_KEY, now - timedelta(seconds=30)), now)
    assert len(calls) == 3


def test_base32_secret_decodes_and_bad_input_is_not_echoed():
    assert totp_key_from_base32("gezdgnbvgy3tqojqgezdgnbvgy3tqojq") == SHA1_KEY
    with pytest.raises(InvalidSecretError) as info:
        totp_key_from_base32("not base32 at all!!")
    assert "base32 at all" not in str(info.value)


def test_invalid_arguments_are_typed_errors():
    with pytest.raises(InvalidInputError):
        hotp(b"short", 0)
    with pytest.raises(InvalidInputError):
        hotp(SHA1_KEY, -1)
    with pytest.raises(InvalidInputError):
        totp(SHA1_KEY, at(59), digits=9)
    with pytest.raises(InvalidInputError):
        totp(SHA1_KEY, at(59), algorithm="md5")
    with pytest.raises(NaiveDatetimeError):
        totp(SHA1_KEY, datetime(2026, 1, 1))
    with pytest.raises(InvalidInputError):
        verify_totp(SHA1_KEY, "123456", at(59), window=3)
    with pytest.raises(InvalidSecretError):
        verify_totp(SHA1_KEY, 123456, at(59))  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=4_000_000_000), st.binary(min_size=16, max_size=64))
def test_the_current_code_always_verifies_and_a_changed_one_never_does(seconds, key):
    now = at(seconds)
    code = totp(key, now)
    assert verify_totp(key, code, now, window=0).ok
    wrong = str((int(code) + 1) % 10**6).zfill(6)
    assert not verify_totp(key, wrong, now, window=0).ok

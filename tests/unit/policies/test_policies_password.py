"""PasswordPolicy: NIST SP 800-63B length and blocklist, no composition rules, no echo."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import ConfigurationError, InvalidInputError, InvalidSecretError
from walletsupport.policies.password import (
    COMMON_PASSWORDS,
    PasswordCheck,
    PasswordPolicy,
    PasswordRule,
)
from walletsupport.values.password import Password

POLICY = PasswordPolicy()


@pytest.mark.parametrize(
    ("password", "rules"),
    [
        ("correct horse battery staple", []),
        ("lowercaseonlyisfine", []),
        ("ñandú-kočka-猫猫", []),
        ("short", [PasswordRule.TOO_SHORT]),
        ("1234567", [PasswordRule.TOO_SHORT, PasswordRule.BLOCKLISTED, PasswordRule.SEQUENTIAL]),
        ("password", [PasswordRule.BLOCKLISTED]),
        ("PASSWORD", [PasswordRule.BLOCKLISTED]),
        ("P@ssw0rd", [PasswordRule.BLOCKLISTED]),
        ("Password123!", [PasswordRule.BLOCKLISTED]),
        ("zzzzzzzzzz", [PasswordRule.REPETITIVE]),
        ("abababab", [PasswordRule.REPETITIVE]),
        ("abcdefghij", [PasswordRule.SEQUENTIAL]),
        ("Walletsupport2026", [PasswordRule.CONTEXT_WORD]),
    ],
)
def test_password_rules(password, rules):
    assert list(POLICY.check(password).failed) == rules


def test_no_composition_rules_a_long_lowercase_passphrase_passes():
    assert POLICY.check("my dog likes long walks by the river").ok


def test_sixty_four_characters_are_always_allowed():
    assert POLICY.check("x1y2z3w4" * 8).ok
    assert not PasswordPolicy(max_length=64).check("x1y2z3w4" * 8 + "z").ok


def test_length_counts_code_points_and_normalisation_cannot_pad_it():
    assert POLICY.check("猫猫猫猫狗狗狗狗").ok  # 8 code points
    # NFKC turns the ligature "ﬁ" into "fi", but four ligatures still count as four
    assert POLICY.check("ﬁﬁﬁﬁ").failed == (PasswordRule.TOO_SHORT, PasswordRule.REPETITIVE)
    # four "e" + combining acute accents are eight code points typed, four after NFKC
    assert PasswordRule.TOO_SHORT in POLICY.check("e\u0301" * 4).failed


def test_context_words_such_as_the_user_name_are_refused():
    check = POLICY.check("alice.smith", context=["Alice.Smith", "alice@example.com"])
    assert check.failed == (PasswordRule.CONTEXT_WORD,)
    assert check.messages == ("avoid your name, user name or the name of this service",)


def test_integrator_blocklist_is_added_and_case_insensitive():
    policy = PasswordPolicy(blocklist=frozenset({"CorrectHorse"}))
    assert policy.check("correcthorse").failed == (PasswordRule.BLOCKLISTED,)


def test_blocklist_ships_common_passwords():
    assert {"123456", "password", "qwerty", "iloveyou"} <= COMMON_PASSWORDS
    assert len(COMMON_PASSWORDS) >= 100


def test_password_value_type_is_accepted():
    assert POLICY.check(Password.parse("correct horse battery staple")).ok
    assert not POLICY.check(Password.parse("password")).ok


def test_a_refusal_says_why():
    check = POLICY.check("short")
    assert check.messages == ("use at least 8 characters",)


def test_no_forced_periodic_change_only_on_compromise():
    assert POLICY.must_change(compromised=False) is False
    assert POLICY.must_change(compromised=True) is True
    with pytest.raises(InvalidInputError):
        POLICY.must_change(compromised="yes")  # type: ignore[arg-type]


def test_policy_limits_follow_nist():
    with pytest.raises(ConfigurationError):
        PasswordPolicy(min_length=7)
    with pytest.raises(ConfigurationError):
        PasswordPolicy(max_length=63)


def test_bad_input_is_refused_with_typed_errors():
    with pytest.raises(InvalidSecretError):
        POLICY.check(12345678)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        POLICY.check("fine password", context="alice")
    with pytest.raises(InvalidInputError):
        POLICY.check("fine password", context=[1])  # type: ignore[list-item]


_VOCABULARY = " ".join(
    ["use at least 8 characters", "use at most 256 characters"]
    + [
        m
        for pw in ("x", "x1" * 200, "password", "zzzzzzzz", "abcdefgh", "walletsupport")
        for m in POLICY.check(pw).messages
    ]
    + list(PasswordCheck.model_json_schema()["properties"])
    + [r.value for r in PasswordRule]
    + ["PasswordCheck", "ok=True", "ok=False", "failed=", "messages=", "PasswordRule."]
    + ["true", "false", "null"]  # JSON literals of model_dump_json
)


@given(st.text(min_size=1, max_size=80))
def test_a_check_never_echoes_the_password(password):
    check = POLICY.check(password)
    for out in (repr(check), str(check), check.model_dump_json()):
        assert password not in out or password in _VOCABULARY or len(password) < 4


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=8, max_size=64))
def test_length_alone_never_fails_between_8_and_64_characters(password):
    failed = set(POLICY.check(password).failed)
    assert PasswordRule.TOO_SHORT not in failed
    assert PasswordRule.TOO_LONG not in failed


@given(st.text(min_size=0, max_size=7))
def test_fewer_than_eight_characters_always_fail(password):
    assert PasswordRule.TOO_SHORT in POLICY.check(password).failed

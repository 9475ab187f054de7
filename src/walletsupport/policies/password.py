"""Password policy after NIST SP 800-63B: length and a blocklist, nothing else.

Rules (``reference/authentication_security.md``, NIST SP 800-63B rev 3 §5.1.1 / rev 4 §3.1.1):

* At least 8 characters (``NIST_PW_MIN_LENGTH``); rev 4 recommends 15 when the password is
  the only factor: pass ``min_length=15`` then.
* At least 64 characters allowed (``NIST_PW_MAX_LENGTH``); the default maximum is 256.
* Length counts Unicode code points (``NIST_PW_CHARSET``), the smaller of the count as typed
  and after NFKC normalisation, so neither combining marks nor compatibility characters
  ("ﬁ" becomes "fi") can pad a short password; every printable character and space is allowed.
* Refuse commonly used, repetitive or sequential passwords and context words such as the
  user name or the service name (``NIST_PW_BLOCKLIST``), and say why.
* No composition rules (``NIST_PW_NO_COMPOSITION``) and no periodic change
  (``NIST_PW_NO_PERIODIC_CHANGE``):
  [must_change][walletsupport.policies.password.PasswordPolicy.must_change] is true only on
  evidence of compromise.

The check compares the *whole* password (casefolded), and the password with its digits and
punctuation removed ("Password123!" is "password"), never arbitrary substrings.
A check result never contains the password.

Examples:
    >>> policy = PasswordPolicy()
    >>> policy.check("correct horse battery staple").ok
    True
    >>> [r.value for r in policy.check("Password123!").failed]
    ['blocklisted']
    >>> [r.value for r in policy.check("abc").failed]
    ['too_short']
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable
from itertools import pairwise
from typing import ClassVar, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import (
    ConfigurationError,
    InvalidInputError,
    InvalidSecretError,
    WalletSupportError,
)
from walletsupport.values.password import Password

__all__ = ["COMMON_PASSWORDS", "PasswordCheck", "PasswordPolicy", "PasswordRule"]

COMMON_PASSWORDS: frozenset[str] = frozenset(
    {
        "123456",
        "123456789",
        "12345678",
        "password",
        "qwerty",
        "12345",
        "1234567",
        "111111",
        "123123",
        "1234567890",
        "000000",
        "abc123",
        "password1",
        "iloveyou",
        "1q2w3e4r",
        "qwerty123",
        "qwertyuiop",
        "654321",
        "555555",
        "lovely",
        "7777777",
        "888888",
        "123321",
        "666666",
        "987654321",
        "1234",
        "1q2w3e",
        "112233",
        "121212",
        "123qwe",
        "zxcvbnm",
        "dragon",
        "monkey",
        "letmein",
        "football",
        "baseball",
        "welcome",
        "admin",
        "login",
        "princess",
        "sunshine",
        "master",
        "shadow",
        "superman",
        "michael",
        "trustno1",
        "passw0rd",
        "starwars",
        "whatever",
        "hello",
        "freedom",
        "charlie",
        "donald",
        "jordan23",
        "batman",
        "mustang",
        "access",
        "ninja",
        "azerty",
        "solo",
        "loveme",
        "zaq12wsx",
        "qazwsx",
        "1qaz2wsx",
        "asdfghjkl",
        "asdfgh",
        "computer",
        "internet",
        "killer",
        "hockey",
        "ranger",
        "harley",
        "hunter2",
        "hunter",
        "jennifer",
        "thomas",
        "buster",
        "soccer",
        "tigger",
        "daniel",
        "andrew",
        "summer",
        "flower",
        "maggie",
        "pepper",
        "cheese",
        "ginger",
        "joshua",
        "amanda",
        "secret",
        "passpass",
        "changeme",
        "default",
        "administrator",
        "root",
        "toor",
        "p@ssw0rd",
        "p@ssword",
        "pa$$word",
        "password123",
        "welcome1",
        "abcd1234",
        "aa123456",
        "a123456",
        "q1w2e3r4",
        "1qazxsw2",
        "iloveyou1",
        "woaini",
        "woaini1314",
        "5201314",
        "1314520",
        "qq123456",
        "wang1234",
        "zhang123",
    }
)
"""A small blocklist: the most common passwords of published breach lists (lower case).

Integrators should add a larger breach corpus through ``PasswordPolicy(blocklist=...)``.
"""

_SERVICE_WORDS = ("walletsupport", "wallet")


class PasswordRule(WalletEnum):
    """A rule a password can fail.

    Examples:
        >>> PasswordRule.TOO_SHORT.value
        'too_short'
    """

    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    BLOCKLISTED = "blocklisted"
    REPETITIVE = "repetitive"
    SEQUENTIAL = "sequential"
    CONTEXT_WORD = "context_word"


_MESSAGES = {
    PasswordRule.TOO_SHORT: "use at least {min} characters",
    PasswordRule.TOO_LONG: "use at most {max} characters",
    PasswordRule.BLOCKLISTED: "this password is too common or was found in a data breach",
    PasswordRule.REPETITIVE: "avoid repeating the same characters",
    PasswordRule.SEQUENTIAL: "avoid sequences such as 12345678 or abcdefgh",
    PasswordRule.CONTEXT_WORD: "avoid your name, user name or the name of this service",
}


class PasswordCheck(WalletModel, frozen=True, extra="forbid"):
    """The result of a password check: which rules failed and what to tell the customer.

    Attributes:
        ok: no rule failed.
        failed: the failed rules, in a stable order.
        messages: one short reason per failed rule (NIST: say why it was refused).

    Examples:
        >>> PasswordPolicy().check("aaaaaaaaaa").messages
        ('avoid repeating the same characters',)
    """

    ok: bool
    failed: tuple[PasswordRule, ...] = ()
    messages: tuple[str, ...] = ()


class PasswordPolicy(WalletModel, frozen=True, extra="forbid"):
    """NIST SP 800-63B password rules: length, blocklist, no composition, no expiry.

    Attributes:
        min_length: at least 8 (``NIST_PW_MIN_LENGTH``).
        max_length: at least 64 (``NIST_PW_MAX_LENGTH``), at most 1024.
        blocklist: extra forbidden passwords, added to
            [COMMON_PASSWORDS][walletsupport.policies.password.COMMON_PASSWORDS]
            (compared casefolded).

    Examples:
        >>> PasswordPolicy(min_length=15).check("correct horse").failed
        (<PasswordRule.TOO_SHORT: 'too_short'>,)
        >>> PasswordPolicy(max_length=32)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.ConfigurationError: invalid PasswordPolicy: max_length: ...
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    min_length: int = Field(default=8, ge=8, le=64)
    max_length: int = Field(default=256, ge=64, le=1024)
    blocklist: frozenset[str] = frozenset()

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min_length > self.max_length:
            raise PydanticCustomError(
                "walletsupport.password_policy", "min_length must not exceed max_length"
            )
        return self

    def must_change(self, *, compromised: bool) -> bool:
        """Whether a stored password must be changed: only on evidence of compromise.

        No periodic change (``NIST_PW_NO_PERIODIC_CHANGE``: SHALL NOT in rev 4).

        Raises:
            InvalidInputError: ``compromised`` is not a bool.

        Examples:
            >>> PasswordPolicy().must_change(compromised=False)
            False
        """
        if not isinstance(compromised, bool):
            raise InvalidInputError("compromised must be a bool")
        return compromised

    def check(self, password: Password | str, *, context: Iterable[str] = ()) -> PasswordCheck:
        """Check a new password against the policy; never echoes it.

        Args:
            password: the candidate, as a
                [Password][walletsupport.values.password.Password] or plain text.
            context: words the password must not be, such as the user name, the email's
                local part or the customer's name (compared casefolded, at least 3
                characters).

        Raises:
            InvalidSecretError: ``password`` is neither a Password nor text.
            InvalidInputError: ``context`` is not an iterable of text.

        Examples:
            >>> from walletsupport.values.password import Password
            >>> PasswordPolicy().check(Password.parse("alice2026"), context=["Alice"]).failed
            (<PasswordRule.CONTEXT_WORD: 'context_word'>,)
            >>> PasswordPolicy().check("98765432").failed
            (<PasswordRule.SEQUENTIAL: 'sequential'>,)
        """
        if isinstance(password, Password):
            text = password.reveal()
        elif isinstance(password, str):
            text = password
        else:
            raise InvalidSecretError("password must be a Password or text")
        words = _context_words(context)
        normal = unicodedata.normalize("NFKC", text)
        folded = normal.casefold()
        core = "".join(c for c in folded if c not in _STRIP)
        failed: list[PasswordRule] = []
        length = min(len(text), len(normal))
        if length < self.min_length:
            failed.append(PasswordRule.TOO_SHORT)
        if length > self.max_length:
            failed.append(PasswordRule.TOO_LONG)
        blocked = COMMON_PASSWORDS | {w.casefold() for w in self.blocklist}
        if folded in blocked or (core and core in blocked):
            failed.append(PasswordRule.BLOCKLISTED)
        if _is_repetitive(folded):
            failed.append(PasswordRule.REPETITIVE)
        if _is_sequential(folded):
            failed.append(PasswordRule.SEQUENTIAL)
        if folded in words or (core and core in words):
            failed.append(PasswordRule.CONTEXT_WORD)
        messages = tuple(
            _MESSAGES[r].format(min=self.min_length, max=self.max_length) for r in failed
        )
        return PasswordCheck(ok=not failed, failed=tuple(failed), messages=messages)


_STRIP = frozenset(string.digits + string.punctuation + " ")


def _context_words(context: Iterable[str]) -> frozenset[str]:
    if isinstance(context, (str, bytes)) or not isinstance(context, Iterable):
        raise InvalidInputError("context must be an iterable of words")
    words = set(_SERVICE_WORDS)
    for word in context:
        if not isinstance(word, str):
            raise InvalidInputError("context words must be text")
        folded = unicodedata.normalize("NFKC", word).casefold().strip()
        if len(folded) >= 3:
            words.add(folded)
    return frozenset(words)


def _is_repetitive(text: str) -> bool:
    """The whole text repeats one unit of 1 to 4 characters at least twice."""
    n = len(text)
    if n < 4:
        return False
    return any(
        n % size == 0 and n // size >= 2 and text == text[:size] * (n // size)
        for size in range(1, min(4, n // 2) + 1)
    )


def _is_sequential(text: str) -> bool:
    """The whole text is an ascending or descending run of code points (abcd, 4321)."""
    if len(text) < 4:
        return False
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return steps in ({1}, {-1})

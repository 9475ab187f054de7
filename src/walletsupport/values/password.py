"""Passwords: held, never shown.

Only a sanity bound is checked here (1 to 1024 characters). The strength policy of
NIST SP 800-63B (reference/authentication_security.md `NIST_PW_MIN_LENGTH`,
`NIST_PW_BLOCKLIST`, ...) lives in ``walletsupport.policies.password`` and calls
[Password.reveal][walletsupport.values.Password.reveal].
"""

from __future__ import annotations

from typing import Any, ClassVar

from walletsupport.errors import InvalidSecretError, WalletSupportError
from walletsupport.values._secret import SecretValue, is_encodable, matches_secret

__all__ = ["MAX_PASSWORD_LENGTH", "Password"]

#: Upper bound on a password's length, in code points. NIST SP 800-63B asks verifiers to permit
#: at least 64 (reference/authentication_security.md `NIST_PW_MAX_LENGTH`); 1024 leaves room for
#: passphrases while keeping hashing cost bounded.
MAX_PASSWORD_LENGTH = 1024


class Password(SecretValue, frozen=True, extra="forbid"):
    """A password as typed by a customer: never in repr, str, dumps, JSON or errors.

    The text is kept exactly as given (no stripping, no normalisation: hashing schemes decide
    that). It dumps as the fixed mask ``'********'``, so a model holding one can be logged.

    Examples:
        >>> pw = Password.parse("Tr0ub4dor&3")
        >>> pw
        Password('********')
        >>> pw.reveal()
        'Tr0ub4dor&3'
        >>> pw.matches("Tr0ub4dor&3"), pw.matches("tr0ub4dor&3")
        (True, False)
        >>> Password.parse("")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidSecretError: password must not be empty
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidSecretError
    _error_type: ClassVar[str] = "walletsupport.password_invalid"
    _input_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_PASSWORD_LENGTH,
        "format": "password",
        "writeOnly": True,
        "description": "A password (1 to 1024 characters). Always serialized as '********'.",
    }
    _output_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "const": "********",
        "readOnly": True,
        "description": "A password, masked: the value itself is never serialized.",
    }

    MASK: ClassVar[str] = "********"

    @classmethod
    def _check(cls, raw: object) -> str:
        if not isinstance(raw, str):
            raise cls._invalid("password must be a string")
        if not raw:
            raise cls._invalid("password must not be empty")
        if len(raw) > MAX_PASSWORD_LENGTH:
            raise cls._invalid(f"password must be at most {MAX_PASSWORD_LENGTH} characters")
        if not is_encodable(raw):
            raise cls._invalid("password must be valid Unicode text (no lone surrogate)")
        return raw

    @classmethod
    def parse(cls, text: object) -> Password:
        """Wrap ``text`` as a password after the sanity check.

        Raises:
            InvalidSecretError: not a string, empty, or longer than 1024 characters.

        Examples:
            >>> Password.parse("hunter2 hunter2")
            Password('********')
        """
        return cls._parse_checked(cls._check, text)

    @property
    def masked(self) -> str:
        """Always ``'********'``: the mask does not even reveal the length.

        Examples:
            >>> Password.parse("x" * 40).masked
            '********'
        """
        return self.MASK

    def matches(self, other: str) -> bool:
        """Compare with ``other`` in constant time (``hmac.compare_digest``).

        Raises:
            InvalidInputError: ``other`` is not a string.

        Examples:
            >>> Password.parse("s3cret-phrase").matches("s3cret-phrase")
            True
        """
        return matches_secret(self.reveal(), other, "a password")

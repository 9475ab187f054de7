"""Password-reset tokens and an answer that never tells whether the account exists.

Follows the OWASP Forgot Password Cheat Sheet (``reference/authentication_security.md``):

* Tokens come from a CSPRNG (``secrets.token_urlsafe``), 32 bytes (256 bits) by default and
  never fewer than 16 (128 bits), are single use, expire, and are stored only as an
  HMAC-SHA256 with the server key (``OWASP_RESET_TOKEN``).
* The response to a reset request is the same value, word for word, whether or not an
  account matched (``OWASP_RESET_NO_ENUMERATION``), and the same work is done in both cases:
  a token is generated and hashed even for an unknown account (``OWASP_RESET_CONSTANT_TIME``).
* Nothing about the account changes until a valid token is presented
  (``OWASP_RESET_NO_STATE_CHANGE``).

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> key = b"server-key-32-bytes-long-00000000"
    >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    >>> known = request_password_reset(account_found=True, key=key, at=t0)
    >>> unknown = request_password_reset(account_found=False, key=key, at=t0)
    >>> known.response == unknown.response
    True
    >>> token = known.token.reveal()
    >>> check = verify_reset_token(known.state, key, token, t0 + timedelta(minutes=3))
    >>> check.ok, verify_reset_token(check.state, key, token, t0).outcome.value
    (True, 'already_used')
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, SecretStr, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport.clock import _shift, ensure_aware
from walletsupport.errors import ConfigurationError, InvalidInputError, WalletSupportError
from walletsupport.values._secret import is_encodable
from walletsupport.verification._private import check_key, keyed_hash, presented_text
from walletsupport.verification.otp import CodeOutcome

__all__ = [
    "RESET_REQUEST_MESSAGE",
    "IssuedResetToken",
    "PasswordResetRequest",
    "PasswordResetResponse",
    "ResetTokenCheck",
    "ResetTokenPolicy",
    "ResetTokenState",
    "request_password_reset",
    "reset_token_digest",
    "verify_reset_token",
]

_DOMAIN = b"walletsupport.reset.v1"

RESET_REQUEST_MESSAGE = (
    "If an account matches the details you gave, we have sent instructions to reset the "
    "password. Please check your messages."
)
"""The one answer to every reset request (``OWASP_RESET_NO_ENUMERATION``)."""


class ResetTokenPolicy(WalletModel, frozen=True, extra="forbid"):
    """Settings of reset tokens.

    Attributes:
        ttl: lifetime, 30 minutes by default, at most 24 hours.
        token_bytes: random bytes per token, 16 (128 bits) to 64; 32 by default.

    Examples:
        >>> ResetTokenPolicy().token_bytes * 8
        256
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    ttl: timedelta = Field(default=timedelta(minutes=30), gt=timedelta(0), le=timedelta(hours=24))
    token_bytes: int = Field(default=32, ge=16, le=64)


class IssuedResetToken(WalletModel, frozen=True, extra="forbid"):
    """A fresh token for the reset link: deliver ``reveal()`` once, then drop the value.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> issued = request_password_reset(account_found=True, key=b"k" * 32, at=t0).token
        >>> len(issued.reveal()) >= 43, issued.model_dump_json().startswith('{"token":"****')
        (True, True)
    """

    token: SecretStr = Field(repr=False)
    expires_at: AwareDatetime

    def reveal(self) -> str:
        """The plain token, to put in the reset link."""
        return self.token.get_secret_value()


class ResetTokenState(WalletModel, frozen=True, extra="forbid"):
    """What the server stores: the keyed hash of the token (also a safe lookup key).

    Examples:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> state = request_password_reset(account_found=True, key=b"k" * 32, at=t0).state
        >>> state.used_at is None, len(state.digest)
        (True, 64)
    """

    digest: str = Field(repr=False, pattern=r"^[0-9a-f]{64}$")
    issued_at: AwareDatetime
    expires_at: AwareDatetime
    used_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.issued_at < self.expires_at:
            raise PydanticCustomError(
                "walletsupport.reset_state", "expires_at must follow issued_at"
            )
        return self


class PasswordResetResponse(WalletModel, frozen=True, extra="forbid"):
    """What the customer is told after asking for a reset: always the same.

    Examples:
        >>> PasswordResetResponse().message == RESET_REQUEST_MESSAGE
        True
    """

    accepted: bool = True
    message: str = RESET_REQUEST_MESSAGE


class PasswordResetRequest(WalletModel, frozen=True, extra="forbid"):
    """The server-side result of a reset request.

    Send only ``response`` to the customer; deliver ``token`` to the account's verified
    channel and store ``state``. Both are ``None`` when no account matched.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> request_password_reset(account_found=False, key=b"k" * 32, at=t0).token is None
        True
    """

    response: PasswordResetResponse
    token: IssuedResetToken | None = Field(default=None, repr=False)
    state: ResetTokenState | None = None


class ResetTokenCheck(WalletModel, frozen=True, extra="forbid"):
    """The result of [verify_reset_token][walletsupport.verification.verify_reset_token].

    Examples:
        >>> from walletsupport.verification.otp import CodeOutcome
        >>> ResetTokenCheck.model_fields["outcome"].annotation is CodeOutcome
        True
    """

    state: ResetTokenState
    outcome: CodeOutcome

    @property
    def ok(self) -> bool:
        """Whether the token verified (and is now used)."""
        return self.outcome is CodeOutcome.VERIFIED

    def raise_for_outcome(self) -> None:
        """Raise the typed walletsupport error for a refusal; do nothing when verified."""
        self.outcome.raise_for_outcome()


def _purpose_bytes(purpose: object) -> bytes:
    if not isinstance(purpose, str) or len(purpose) > 512 or not is_encodable(purpose):
        raise InvalidInputError("purpose must be text of at most 512 characters")
    return purpose.encode("utf-8", "surrogatepass")


def reset_token_digest(key: bytes, token: str, *, purpose: str = "") -> str:
    """The hex keyed hash of ``token`` for ``purpose``: what is stored, and a lookup key.

    ``purpose`` binds the token to what it resets (a workflow passes its case and account):
    the same token hashes differently for another purpose, so it never verifies there.

    Raises:
        InvalidInputError: the key is not bytes of at least 16, or ``purpose`` is not text.
        InvalidSecretError: ``token`` is not text.

    Examples:
        >>> len(reset_token_digest(b"k" * 32, "anything"))
        64
        >>> reset_token_digest(b"k" * 32, "t", purpose="R-1") == reset_token_digest(
        ...     b"k" * 32, "t", purpose="R-2")
        False
    """
    secret_key = check_key(key)
    bound = _purpose_bytes(purpose)
    text = presented_text(token, "token", compact=False)
    return keyed_hash(secret_key, _DOMAIN, bound, text.encode()).hex()


def request_password_reset(
    *,
    account_found: bool,
    key: bytes,
    at: datetime,
    policy: ResetTokenPolicy | None = None,
    purpose: str = "",
) -> PasswordResetRequest:
    """Answer a reset request; issue a token only when an account matched.

    The token is generated and hashed in both cases, so the two paths do the same work.

    Args:
        account_found: whether the identifier the customer gave matched an account.
        key: the server key (at least 16 bytes).
        at: now.
        policy: token lifetime and size; the defaults when omitted.
        purpose: what the token resets (case and account); the same text must be given to
            ``verify_reset_token``.

    Raises:
        InvalidInputError: ``account_found`` is not a bool, bad key, policy or purpose,
            naive ``at``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> r = request_password_reset(account_found=True, key=b"k" * 32, at=t0)
        >>> r.response.model_dump_json() == PasswordResetResponse().model_dump_json()
        True
    """
    if not isinstance(account_found, bool):
        raise InvalidInputError("account_found must be a bool")
    secret_key = check_key(key)
    when = ensure_aware(at, "at")
    if policy is None:
        policy = ResetTokenPolicy()
    elif not isinstance(policy, ResetTokenPolicy):
        raise InvalidInputError("policy must be a ResetTokenPolicy")
    token = secrets.token_urlsafe(policy.token_bytes)
    digest = keyed_hash(secret_key, _DOMAIN, _purpose_bytes(purpose), token.encode()).hex()
    expires = _shift(when, policy.ttl)
    # The same objects are built whether or not the account exists, so the time taken does not
    # tell the two apart (OWASP forgot-password cheat sheet: consistent responses and timing).
    issued = IssuedResetToken(token=SecretStr(token), expires_at=expires)
    state = ResetTokenState(digest=digest, issued_at=when, expires_at=expires)
    found = PasswordResetRequest(response=PasswordResetResponse(), token=issued, state=state)
    unknown = PasswordResetRequest(response=PasswordResetResponse())
    return found if account_found else unknown


def verify_reset_token(
    state: ResetTokenState, key: bytes, presented: str, at: datetime, *, purpose: str = ""
) -> ResetTokenCheck:
    """Check a presented reset token; a success marks it used.

    The hash is compared with ``hmac.compare_digest`` before the state is consulted.
    Outcomes: ``already_used``, ``expired``, ``verified`` or ``mismatch``. There is no
    per-token attempt limit: a 128-bit token cannot be guessed; rate-limit the endpoint
    instead (``OWASP_RESET_RATE_LIMIT``).

    A token issued for another ``purpose`` (another case or account) is a ``mismatch``.

    Raises:
        InvalidInputError: bad state, key or purpose, naive ``at``.
        InvalidSecretError: ``presented`` is not text.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> r = request_password_reset(account_found=True, key=b"k" * 32, at=t0)
        >>> late = t0 + timedelta(hours=1)
        >>> verify_reset_token(r.state, b"k" * 32, r.token.reveal(), late).outcome.value
        'expired'
    """
    if not isinstance(state, ResetTokenState):
        raise InvalidInputError("state must be a ResetTokenState")
    candidate = bytes.fromhex(reset_token_digest(key, presented, purpose=purpose))
    when = ensure_aware(at, "at")
    matches = hmac.compare_digest(candidate, bytes.fromhex(state.digest))
    if state.used_at is not None:
        return ResetTokenCheck(state=state, outcome=CodeOutcome.ALREADY_USED)
    if when >= state.expires_at:
        return ResetTokenCheck(state=state, outcome=CodeOutcome.EXPIRED)
    if matches:
        return ResetTokenCheck(
            state=state.model_copy(update={"used_at": when}), outcome=CodeOutcome.VERIFIED
        )
    return ResetTokenCheck(state=state, outcome=CodeOutcome.MISMATCH)

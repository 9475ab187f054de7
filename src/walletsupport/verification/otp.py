"""One-time codes sent by SMS, email or in-app, done safely and as pure values.

* Generated with ``secrets`` (``secrets.randbelow``), 6 to 8 digits (``NIST_OTP_DEVICE``,
  ``NIST_OOB_SECRET``: at least 6 decimal digits).
* Stored only as an HMAC-SHA256 over a fresh random salt, the optional ``purpose`` and the code,
  keyed with a server key the integrator passes in; the plain code is handed out once in an
  [IssuedCode][walletsupport.verification.IssuedCode] and never appears in repr, str, JSON or
  errors.
* Expires after ``ttl`` (5 minutes by default; at most 10, ``NIST_OOB_SECRET``).
* At most ``max_attempts`` wrong presentations (5 by default, RTS 2018/389 Art. 4(3)(b),
  ``RTS_MAX_FAILED_ATTEMPTS``); the attempt that reaches the limit kills the code and is
  recorded, as is every later one.
* Compared in constant time with ``hmac.compare_digest`` (``CONSTANT_TIME_COMPARE``); the MAC is
  computed and compared *before* the state is looked at, so every path does the same work.
* Single use (RTS Art. 4(1), ``RTS_AUTH_CODE_SINGLE_USE``).
* Resend cool-down; a resent code keeps the failure count (NIST SP 800-63B rev 4, "issuing a
  new secret SHALL NOT reset the failure count", ``NIST_OOB_SECRET``).
* ``purpose`` binds a code to what it authorises (e.g. ``"refund:42:EUR 10.00"``): a code
  issued for one purpose fails for another (dynamic linking, RTS Art. 5, ``RTS_DYNAMIC_LINKING``).

[verify_code][walletsupport.verification.verify_code] never raises for a refusal: it returns
the new state (which the caller must store: the attempt is recorded) and an outcome; call
[OtpCheck.raise_for_outcome][walletsupport.verification.OtpCheck.raise_for_outcome] to get the
typed error.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> key = b"server-key-32-bytes-long-00000000"
    >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    >>> issued, state = issue_code(OtpPolicy(), key, t0)
    >>> len(issued.reveal()), issued.reveal() in repr(issued) + state.model_dump_json()
    (6, False)
    >>> check = verify_code(state, key, "not it", t0 + timedelta(seconds=20))
    >>> check.outcome.value, check.attempts_left
    ('mismatch', 4)
    >>> check = verify_code(check.state, key, issued.reveal(), t0 + timedelta(seconds=40))
    >>> check.ok, check.state.status.value
    (True, 'used')
    >>> verify_code(check.state, key, issued.reveal(), t0 + timedelta(seconds=50)).outcome.value
    'already_used'
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, SecretStr, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import _shift, ensure_aware
from walletsupport.errors import (
    CodeAlreadyUsedError,
    CodeExpiredError,
    ConfigurationError,
    InvalidInputError,
    ResendTooSoonError,
    TooManyAttemptsError,
    VerificationFailedError,
    WalletSupportError,
)
from walletsupport.values._secret import is_encodable
from walletsupport.verification._private import (
    Rng,
    check_key,
    draw_below,
    keyed_hash,
    presented_text,
)

__all__ = [
    "CodeOutcome",
    "IssuedCode",
    "OtpCheck",
    "OtpPolicy",
    "OtpState",
    "OtpStatus",
    "issue_code",
    "resend_code",
    "verify_code",
]

_DOMAIN = b"walletsupport.otp.v1"
_MAX_RECORDED = 100  # NIST_RATE_LIMIT_100: no account needs more history than the hard cap


class OtpPolicy(WalletModel, frozen=True, extra="forbid"):
    """Settings of one-time codes.

    Attributes:
        digits: code length, 6 to 8 (``NIST_OOB_SECRET``, ``HOTP_DIGITS``).
        ttl: lifetime of a code, 5 minutes by default, at most 10 (``NIST_OOB_SECRET``).
        max_attempts: wrong presentations before the code is dead, 1 to 5, 5 by default
            ("not more than 5", RTS 2018/389 Art. 4(3)(b), ``RTS_MAX_FAILED_ATTEMPTS``).
        resend_cooldown: minimum time between two sends, 30 seconds by default.
        max_sends: how many codes one state may send in total (first send included).

    Examples:
        >>> OtpPolicy(digits=8).digits
        8
        >>> OtpPolicy(digits=4)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.ConfigurationError: invalid OtpPolicy: digits: Input should be ...
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    digits: int = Field(default=6, ge=6, le=8)
    ttl: timedelta = Field(default=timedelta(minutes=5), gt=timedelta(0), le=timedelta(minutes=10))
    max_attempts: int = Field(default=5, ge=1, le=5)
    resend_cooldown: timedelta = Field(default=timedelta(seconds=30), ge=timedelta(0))
    max_sends: int = Field(default=5, ge=1, le=20)


class OtpStatus(WalletEnum):
    """Stored status of a code. Expiry is not stored: it follows from ``expires_at``.

    Examples:
        >>> OtpStatus.DEAD.value
        'dead'
    """

    ACTIVE = "active"
    USED = "used"
    DEAD = "dead"


class CodeOutcome(WalletEnum):
    """The result of presenting a code or token.

    Examples:
        >>> CodeOutcome.EXPIRED.error_type.__name__
        'CodeExpiredError'
    """

    VERIFIED = "verified"
    MISMATCH = "mismatch"
    EXPIRED = "expired"
    ALREADY_USED = "already_used"
    EXHAUSTED = "exhausted"

    @property
    def error_type(self) -> type[Exception] | None:
        """The walletsupport error for a refusal, ``None`` for ``verified``."""
        return {
            CodeOutcome.VERIFIED: None,
            CodeOutcome.MISMATCH: VerificationFailedError,
            CodeOutcome.EXPIRED: CodeExpiredError,
            CodeOutcome.ALREADY_USED: CodeAlreadyUsedError,
            CodeOutcome.EXHAUSTED: TooManyAttemptsError,
        }[self]

    def raise_for_outcome(self) -> None:
        """Raise the matching error unless the outcome is ``verified``. Never quotes a code.

        Examples:
            >>> CodeOutcome.VERIFIED.raise_for_outcome()
            >>> CodeOutcome.MISMATCH.raise_for_outcome()
            Traceback (most recent call last):
            ...
            walletsupport.errors.VerificationFailedError: the code or token did not match
        """
        messages = {
            CodeOutcome.MISMATCH: "the code or token did not match",
            CodeOutcome.EXPIRED: "the code or token has expired",
            CodeOutcome.ALREADY_USED: "the code or token was already used",
            CodeOutcome.EXHAUSTED: "too many attempts; the code is no longer valid",
        }
        error = self.error_type
        if error is not None:
            raise error(messages[self])


class IssuedCode(WalletModel, frozen=True, extra="forbid"):
    """A freshly issued code, for delivery only: send ``reveal()`` and drop the value.

    The code is a ``SecretStr``: repr, str and JSON show ``**********``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> issued, _ = issue_code(OtpPolicy(), b"k" * 32, t0, rng=lambda n: 42)
        >>> issued.reveal(), "000042" in repr(issued) + str(issued)
        ('000042', False)
        >>> issued.model_dump_json()
        '{"code":"**********","expires_at":"2026-01-05T09:05:00Z"}'
    """

    code: SecretStr = Field(repr=False)
    expires_at: AwareDatetime

    def reveal(self) -> str:
        """The plain code, to hand to the delivery channel (SMS, email, push)."""
        return self.code.get_secret_value()


class OtpState(WalletModel, frozen=True, extra="forbid"):
    """What the server stores about a code: the keyed hash, never the code. JSON-safe.

    Attributes:
        policy: the settings the code was issued under.
        salt: hex of 16 random bytes mixed into the hash.
        digest: hex of HMAC-SHA256(key, salt, purpose, code).
        issued_at: when the current code was sent.
        expires_at: when the current code stops verifying.
        resend_at: the earliest time a new code may be sent.
        sends: codes sent so far for this state.
        failed_attempts: wrong presentations so far (kept across resends).
        rejected_at: when presentations were refused (newest last, at most 100 kept).
        status: active, used or dead.
        used_at: when the code verified.

    Examples:
        >>> from datetime import datetime, timezone
        >>> _, state = issue_code(OtpPolicy(), b"k" * 32, datetime(2026, 1, 5, tzinfo=timezone.utc))
        >>> sorted(OtpState.model_json_schema()["properties"])[:4]
        ['digest', 'expires_at', 'failed_attempts', 'issued_at']
    """

    policy: OtpPolicy
    salt: str = Field(repr=False, pattern=r"^[0-9a-f]{32}$")
    digest: str = Field(repr=False, pattern=r"^[0-9a-f]{64}$")
    issued_at: AwareDatetime
    expires_at: AwareDatetime
    resend_at: AwareDatetime
    sends: int = Field(default=1, ge=1)
    failed_attempts: int = Field(default=0, ge=0)
    rejected_at: tuple[AwareDatetime, ...] = ()
    status: OtpStatus = OtpStatus.ACTIVE
    used_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not self.issued_at < self.expires_at:
            raise PydanticCustomError("walletsupport.otp_state", "expires_at must follow issued_at")
        if (self.status is OtpStatus.USED) != (self.used_at is not None):
            raise PydanticCustomError("walletsupport.otp_state", "used_at goes with status used")
        return self

    @property
    def attempts_left(self) -> int:
        """Wrong presentations still allowed; 0 once used or dead."""
        if self.status is not OtpStatus.ACTIVE:
            return 0
        return max(0, self.policy.max_attempts - self.failed_attempts)

    def is_expired(self, at: datetime) -> bool:
        """Whether the current code is past its expiry at ``at``.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> _, state = issue_code(OtpPolicy(), b"k" * 32, t0)
            >>> state.is_expired(t0 + timedelta(minutes=5))
            True
        """
        return ensure_aware(at, "at") >= self.expires_at

    def can_verify(self, at: datetime) -> bool:
        """Whether a correct code presented at ``at`` would verify.

        Examples:
            >>> from datetime import datetime, timezone
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> issue_code(OtpPolicy(), b"k" * 32, t0)[1].can_verify(t0)
            True
        """
        return self.status is OtpStatus.ACTIVE and not self.is_expired(at)


class OtpCheck(WalletModel, frozen=True, extra="forbid"):
    """The result of [verify_code][walletsupport.verification.verify_code]: store ``state``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> _, state = issue_code(OtpPolicy(), b"k" * 32, t0)
        >>> verify_code(state, b"k" * 32, "", t0).raise_for_outcome()
        Traceback (most recent call last):
        ...
        walletsupport.errors.VerificationFailedError: the code or token did not match
    """

    state: OtpState
    outcome: CodeOutcome

    @property
    def ok(self) -> bool:
        """Whether the code verified."""
        return self.outcome is CodeOutcome.VERIFIED

    @property
    def attempts_left(self) -> int:
        """Wrong presentations still allowed after this one."""
        return self.state.attempts_left

    def raise_for_outcome(self) -> None:
        """Raise the typed walletsupport error for a refusal; do nothing when verified."""
        self.outcome.raise_for_outcome()


def _check_policy(policy: object) -> OtpPolicy:
    if not isinstance(policy, OtpPolicy):
        raise InvalidInputError("policy must be an OtpPolicy")
    return policy


def _check_purpose(purpose: object) -> bytes:
    if not isinstance(purpose, str) or len(purpose) > 512 or not is_encodable(purpose):
        raise InvalidInputError("purpose must be valid text of at most 512 characters")
    return purpose.encode()


def _new_code(
    policy: OtpPolicy, key: bytes, purpose: bytes, rng: Rng | None
) -> tuple[str, str, str]:
    code = str(draw_below(rng, 10**policy.digits)).zfill(policy.digits)
    salt = secrets.token_bytes(16)
    digest = keyed_hash(key, _DOMAIN, salt, purpose, code.encode())
    return code, salt.hex(), digest.hex()


def issue_code(
    policy: OtpPolicy,
    key: bytes,
    at: datetime,
    *,
    purpose: str = "",
    rng: Rng | None = None,
) -> tuple[IssuedCode, OtpState]:
    """Issue a new code: the plain code for delivery, and the state to store.

    Args:
        policy: digits, lifetime, attempt limit, resend cool-down.
        key: the server's secret key (at least 16 bytes), kept outside the store.
        at: now.
        purpose: what the code authorises; the same text must be given to ``verify_code``.
        rng: ``rng(n)`` draws uniformly from ``range(n)``; ``secrets.randbelow`` by default.
            Pass a seeded one only in tests.

    Raises:
        InvalidInputError: bad policy, key, purpose, rng or naive ``at``.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> issued, state = issue_code(OtpPolicy(digits=8), b"k" * 32, t0)
        >>> len(issued.reveal()), state.expires_at.minute, state.attempts_left
        (8, 5, 5)
    """
    pol = _check_policy(policy)
    secret_key = check_key(key)
    when = ensure_aware(at, "at")
    code, salt, digest = _new_code(pol, secret_key, _check_purpose(purpose), rng)
    expires = _shift(when, pol.ttl)
    state = OtpState(
        policy=pol,
        salt=salt,
        digest=digest,
        issued_at=when,
        expires_at=expires,
        resend_at=_shift(when, pol.resend_cooldown),
    )
    return IssuedCode(code=SecretStr(code), expires_at=expires), state


def _reject(state: OtpState, when: datetime, *, count: bool) -> OtpState:
    failed = state.failed_attempts + 1 if count else state.failed_attempts
    status = state.status
    if count and failed >= state.policy.max_attempts and status is OtpStatus.ACTIVE:
        status = OtpStatus.DEAD
    return state.model_copy(
        update={
            "failed_attempts": failed,
            "rejected_at": (*state.rejected_at, when)[-_MAX_RECORDED:],
            "status": status,
        }
    )


def verify_code(
    state: OtpState,
    key: bytes,
    presented: str,
    at: datetime,
    *,
    purpose: str = "",
) -> OtpCheck:
    """Check ``presented`` against ``state`` at ``at``; return the new state and the outcome.

    Spaces and hyphens in ``presented`` are ignored ("123 456"). The MAC of the presented
    code is computed and compared with ``hmac.compare_digest`` on every call, before the
    state's status or expiry is consulted. Outcomes, in order of precedence:

    * ``already_used``: the code verified before (state unchanged but the refusal recorded).
    * ``exhausted``: the code is dead, or this wrong attempt reached ``max_attempts``.
    * ``expired``: ``at >= expires_at`` (a late correct code never verifies).
    * ``verified``: the code matches; the state becomes ``used``.
    * ``mismatch``: wrong code; one attempt used.

    Raises:
        InvalidInputError: bad state, key, purpose or naive ``at``.
        InvalidSecretError: ``presented`` is not text.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> issued, state = issue_code(OtpPolicy(), b"k" * 32, t0)
        >>> late = t0 + timedelta(minutes=6)
        >>> verify_code(state, b"k" * 32, issued.reveal(), late).outcome.value
        'expired'
    """
    if not isinstance(state, OtpState):
        raise InvalidInputError("state must be an OtpState")
    secret_key = check_key(key)
    purpose_bytes = _check_purpose(purpose)
    text = presented_text(presented, "code")
    when = ensure_aware(at, "at")
    candidate = keyed_hash(
        secret_key, _DOMAIN, bytes.fromhex(state.salt), purpose_bytes, text.encode()
    )
    matches = hmac.compare_digest(candidate, bytes.fromhex(state.digest))
    if state.status is OtpStatus.USED:
        return OtpCheck(state=_reject(state, when, count=False), outcome=CodeOutcome.ALREADY_USED)
    if state.status is OtpStatus.DEAD:
        return OtpCheck(state=_reject(state, when, count=True), outcome=CodeOutcome.EXHAUSTED)
    if when >= state.expires_at:
        return OtpCheck(state=_reject(state, when, count=False), outcome=CodeOutcome.EXPIRED)
    if matches:
        used = state.model_copy(update={"status": OtpStatus.USED, "used_at": when})
        return OtpCheck(state=used, outcome=CodeOutcome.VERIFIED)
    after = _reject(state, when, count=True)
    outcome = CodeOutcome.EXHAUSTED if after.status is OtpStatus.DEAD else CodeOutcome.MISMATCH
    return OtpCheck(state=after, outcome=outcome)


def resend_code(
    state: OtpState,
    key: bytes,
    at: datetime,
    *,
    purpose: str = "",
    rng: Rng | None = None,
) -> tuple[IssuedCode, OtpState]:
    """Send a fresh code for the same verification, keeping the failure count.

    The old code stops working (new salt, new hash); the new one gets a full ``ttl``. The
    failure count carries over, so resending cannot buy more guesses (NIST SP 800-63B rev 4,
    ``NIST_OOB_SECRET``).

    Raises:
        ResendTooSoonError: ``at`` is before ``state.resend_at`` (``retry_at`` says when).
        CodeAlreadyUsedError: the code already verified; nothing to resend.
        TooManyAttemptsError: the code is dead or ``max_sends`` codes were sent.
        InvalidInputError: bad state, key, purpose, rng or naive ``at``.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> _, state = issue_code(OtpPolicy(), b"k" * 32, t0)
        >>> resend_code(state, b"k" * 32, t0 + timedelta(seconds=10))
        Traceback (most recent call last):
        ...
        walletsupport.errors.ResendTooSoonError: resend from 2026-01-05T09:00:30+00:00
        >>> _, again = resend_code(state, b"k" * 32, t0 + timedelta(seconds=30))
        >>> again.sends, again.expires_at.isoformat()
        (2, '2026-01-05T09:05:30+00:00')
    """
    if not isinstance(state, OtpState):
        raise InvalidInputError("state must be an OtpState")
    secret_key = check_key(key)
    purpose_bytes = _check_purpose(purpose)
    when = ensure_aware(at, "at")
    if state.status is OtpStatus.USED:
        raise CodeAlreadyUsedError("the code was already used; nothing to resend")
    if state.status is OtpStatus.DEAD:
        raise TooManyAttemptsError("too many attempts; start a new verification")
    if state.sends >= state.policy.max_sends:
        raise TooManyAttemptsError("too many codes sent; start a new verification later")
    if when < state.resend_at:
        raise ResendTooSoonError(
            f"resend from {state.resend_at.isoformat()}", retry_at=state.resend_at
        )
    pol = state.policy
    code, salt, digest = _new_code(pol, secret_key, purpose_bytes, rng)
    expires = _shift(when, pol.ttl)
    new_state = state.model_copy(
        update={
            "salt": salt,
            "digest": digest,
            "issued_at": when,
            "expires_at": expires,
            "resend_at": _shift(when, pol.resend_cooldown),
            "sends": state.sends + 1,
        }
    )
    return IssuedCode(code=SecretStr(code), expires_at=expires), new_state

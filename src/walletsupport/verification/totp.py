"""HOTP (RFC 4226) and TOTP (RFC 6238) with the standard library only.

Why the stdlib and not ``pyotp``: the algorithm is a dozen lines of ``hmac`` + ``struct``
(``HOTP_ALGORITHM``, ``HOTP_DYNAMIC_TRUNCATION``), checked here against the RFC test vectors
(``HOTP_TEST_VECTOR``, ``TOTP_TEST_VECTOR``); a dependency would add supply-chain surface for
no gain, and its convenience API reads the system clock, which the pure core must not do.
This version also compares every candidate of the window in constant time (no early exit)
and enforces single use with ``last_used_step`` (``TOTP_ONE_USE``), which the caller stores.

* Time step 30 seconds, T0 = 0 (RFC 6238 §4, ``TOTP_STEP``).
* A window of one step either side by default: one step back for network delay (RFC 6238
  §5.2, ``TOTP_NETWORK_DELAY``) and one forward for a fast device clock.

Examples:
    >>> from datetime import datetime, timezone
    >>> key = b"12345678901234567890"
    >>> hotp(key, 0)
    '755224'
    >>> totp(key, datetime.fromtimestamp(59, timezone.utc), digits=8)
    '94287082'
    >>> check = verify_totp(key, "94287082", datetime.fromtimestamp(80, timezone.utc), digits=8)
    >>> check.ok, check.matched_step
    (True, 1)
    >>> verify_totp(key, "94287082", datetime.fromtimestamp(80, timezone.utc), digits=8,
    ...             last_used_step=1).ok
    False
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from datetime import datetime

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError, InvalidSecretError
from walletsupport.verification._private import check_key, presented_text

__all__ = [
    "TotpAlgorithm",
    "TotpCheck",
    "hotp",
    "totp",
    "totp_key_from_base32",
    "verify_totp",
]

TOTP_STEP_SECONDS = 30


class TotpAlgorithm(WalletEnum):
    """The HMAC hash (RFC 6238 §1.2 allows SHA-1, SHA-256 and SHA-512).

    Examples:
        >>> TotpAlgorithm("sha256").value
        'sha256'
    """

    SHA1 = "sha1"
    SHA256 = "sha256"
    SHA512 = "sha512"


_BASE32 = re.compile(r"[A-Z2-7]*=*")

_HASHES = {
    TotpAlgorithm.SHA1: hashlib.sha1,
    TotpAlgorithm.SHA256: hashlib.sha256,
    TotpAlgorithm.SHA512: hashlib.sha512,
}


class TotpCheck(WalletModel, frozen=True, extra="forbid"):
    """The result of [verify_totp][walletsupport.verification.verify_totp].

    Attributes:
        ok: the code matched an unused step inside the window.
        matched_step: the time step that matched; store it as the next ``last_used_step``.
        drift: ``matched_step`` minus the current step (-1, 0 or +1 with the default window).

    Examples:
        >>> TotpCheck(ok=False).matched_step is None
        True
    """

    ok: bool
    matched_step: int | None = None
    drift: int | None = None


def _check_digits(digits: object) -> int:
    if not isinstance(digits, int) or isinstance(digits, bool) or not 6 <= digits <= 8:
        raise InvalidInputError("digits must be 6, 7 or 8 (RFC 4226 §5.3)")
    return digits


def _algorithm(algorithm: object) -> TotpAlgorithm:
    if isinstance(algorithm, TotpAlgorithm):
        return algorithm
    try:
        return TotpAlgorithm(str(algorithm))
    except ValueError:
        raise InvalidInputError(f"unknown TOTP algorithm {shown(algorithm)}") from None


def _hotp(key: bytes, counter: int, digits: int, algorithm: TotpAlgorithm) -> str:
    mac = hmac.new(key, struct.pack(">Q", counter), _HASHES[algorithm]).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def hotp(
    key: bytes,
    counter: int,
    *,
    digits: int = 6,
    algorithm: TotpAlgorithm | str = TotpAlgorithm.SHA1,
) -> str:
    """Return HOTP(key, counter) (RFC 4226 §5.3, ``HOTP_DYNAMIC_TRUNCATION``).

    Args:
        key: the shared secret, at least 16 bytes (``HOTP_SECRET_LENGTH``).
        counter: the moving factor, 0 to 2**64 - 1.
        digits: 6, 7 or 8.
        algorithm: sha1 (RFC 4226), sha256 or sha512.

    Raises:
        InvalidInputError: short key, bad counter, digits or algorithm.

    Examples:
        >>> [hotp(b"12345678901234567890", c) for c in (1, 2)]
        ['287082', '359152']
    """
    secret = check_key(key)
    if not isinstance(counter, int) or isinstance(counter, bool) or not 0 <= counter < 2**64:
        raise InvalidInputError("counter must be an int in [0, 2**64)")
    return _hotp(secret, counter, _check_digits(digits), _algorithm(algorithm))


def _step_of(at: datetime, step: int) -> int:
    if not isinstance(step, int) or isinstance(step, bool) or step <= 0:
        raise InvalidInputError("step must be a positive number of seconds")
    seconds = int(ensure_aware(at, "at").timestamp())
    if seconds < 0:
        raise InvalidInputError("at must not be before the Unix epoch")
    return seconds // step


def totp(
    key: bytes,
    at: datetime,
    *,
    step: int = TOTP_STEP_SECONDS,
    digits: int = 6,
    algorithm: TotpAlgorithm | str = TotpAlgorithm.SHA1,
) -> str:
    """Return the TOTP code at ``at``: HOTP(key, floor(unix_time / step)) (RFC 6238 §4).

    Raises:
        InvalidInputError: short key, naive or pre-epoch ``at``, bad step, digits or algorithm.

    Examples:
        >>> from datetime import datetime, timezone
        >>> totp(b"12345678901234567890", datetime.fromtimestamp(1111111109, timezone.utc),
        ...      digits=8)
        '07081804'
    """
    secret = check_key(key)
    counter = _step_of(at, step)
    return _hotp(secret, counter, _check_digits(digits), _algorithm(algorithm))


def verify_totp(
    key: bytes,
    presented: str,
    at: datetime,
    *,
    window: int = 1,
    step: int = TOTP_STEP_SECONDS,
    digits: int = 6,
    algorithm: TotpAlgorithm | str = TotpAlgorithm.SHA1,
    last_used_step: int | None = None,
) -> TotpCheck:
    """Verify a TOTP code at ``at`` within ``window`` steps either side.

    Every step in the window is computed and compared with ``hmac.compare_digest``; the loop
    does not stop at the first match. A step at or before ``last_used_step`` never matches, so
    a code cannot be replayed (``TOTP_ONE_USE``): store ``matched_step`` after a success.
    Spaces and hyphens in ``presented`` are ignored.

    Args:
        key: the shared secret, at least 16 bytes.
        presented: the code the caller typed.
        at: now.
        window: steps accepted either side of the current one, 0 to 2 (``TOTP_RESYNC``).
        step: the time step in seconds, 30 by default.
        digits: 6, 7 or 8.
        algorithm: sha1, sha256 or sha512.
        last_used_step: the step of the last accepted code for this key, if any.

    Raises:
        InvalidInputError: short key, bad window, step, digits, algorithm or naive ``at``.
        InvalidSecretError: ``presented`` is not text.

    Examples:
        >>> from datetime import datetime, timezone
        >>> key = b"12345678901234567890"
        >>> at = datetime.fromtimestamp(1111111109, timezone.utc)
        >>> verify_totp(key, "0708 1804", at, digits=8).drift
        0
    """
    secret = check_key(key)
    text = presented_text(presented, "code")
    if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 2:
        raise InvalidInputError("window must be 0, 1 or 2 steps")
    if last_used_step is not None and (
        not isinstance(last_used_step, int) or isinstance(last_used_step, bool)
    ):
        raise InvalidInputError("last_used_step must be an int or None")
    size = _check_digits(digits)
    algo = _algorithm(algorithm)
    current = _step_of(at, step)
    presented_bytes = text.encode()
    matched: int | None = None
    for counter in range(max(0, current - window), current + window + 1):
        candidate = _hotp(secret, counter, size, algo).encode()
        equal = hmac.compare_digest(candidate, presented_bytes)
        fresh = last_used_step is None or counter > last_used_step
        if equal and fresh and matched is None:
            matched = counter
    if matched is None:
        return TotpCheck(ok=False)
    return TotpCheck(ok=True, matched_step=matched, drift=matched - current)


def totp_key_from_base32(text: str) -> bytes:
    """Decode the base32 secret an authenticator app was provisioned with.

    Spaces are ignored, case does not matter and missing ``=`` padding is added.

    Raises:
        InvalidSecretError: not valid base32 (the text is never quoted).
        InvalidInputError: the key is shorter than 16 bytes.

    Examples:
        >>> totp_key_from_base32("GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ")
        b'12345678901234567890'
    """
    if not isinstance(text, str):
        raise InvalidSecretError("the base32 secret must be text")
    compact = text.replace(" ", "").upper()
    compact += "=" * (-len(compact) % 8)
    # checked before decoding: base64's own error for a non-ASCII character quotes the text
    if not compact.isascii() or _BASE32.fullmatch(compact) is None:
        raise InvalidSecretError("the secret is not valid base32")
    try:
        key = base64.b32decode(compact, casefold=False)
    except (binascii.Error, ValueError):
        error = InvalidSecretError("the secret is not valid base32")
    else:
        return check_key(key)
    raise error

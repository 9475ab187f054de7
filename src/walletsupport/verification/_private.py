"""Private helpers shared by one-time codes, TOTP and reset tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from walletsupport.errors import InvalidInputError, InvalidSecretError
from walletsupport.values._secret import is_encodable

MIN_KEY_BYTES = 16
"""Server keys and TOTP secrets: at least 128 bits (RFC 4226 §4, ``HOTP_SECRET_LENGTH``)."""

Rng = Callable[[int], int]
"""``rng(n)`` returns a uniformly chosen int in ``range(n)``; ``secrets.randbelow`` by default."""


def check_key(key: object, name: str = "key") -> bytes:
    """Return ``key`` if it is bytes of at least 16; never echo it."""
    if not isinstance(key, (bytes, bytearray)):
        raise InvalidInputError(f"{name} must be bytes, got {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise InvalidInputError(f"{name} must be at least {MIN_KEY_BYTES} bytes")
    return bytes(key)


def keyed_hash(key: bytes, domain: bytes, *parts: bytes) -> bytes:
    """HMAC-SHA256 over a domain tag and length-prefixed parts (no ambiguity between parts)."""
    mac = hmac.new(key, domain, hashlib.sha256)
    for part in parts:
        mac.update(len(part).to_bytes(4, "big"))
        mac.update(part)
    return mac.digest()


def presented_text(presented: object, what: str, *, compact: bool = True) -> str:
    """The presented secret as text (``compact``: spaces and hyphens removed); never echo it."""
    if not isinstance(presented, str):
        raise InvalidSecretError(f"the presented {what} must be text")
    if not is_encodable(presented):
        raise InvalidSecretError(f"the presented {what} must be valid Unicode text")
    if not compact:
        return presented
    return presented.replace(" ", "").replace("-", "")


def draw_below(rng: Rng | None, n: int) -> int:
    """Draw from ``rng`` (or ``secrets.randbelow``) and check the draw is in range."""
    if rng is None:
        return secrets.randbelow(n)
    if not callable(rng):
        raise InvalidInputError("rng must be a callable taking n and returning an int below n")
    value = rng(n)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < n:
        raise InvalidInputError("rng returned a value outside range(n)")
    return value

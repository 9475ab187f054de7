"""The server key a workflow policy holds for HMACs of codes and tokens (never in a case)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, SecretBytes
from pydantic_core import PydanticCustomError

from walletsupport.errors import ConfigurationError

__all__ = ["MIN_KEY_BYTES", "ServerKey", "require_key"]

#: Shortest accepted server key: 128 bits (NIST SP 800-63B §5.1.4.2 asks for at least
#: 112 bits of security strength for the keyed hash of a secret).
MIN_KEY_BYTES = 16


def _long_enough(key: SecretBytes) -> SecretBytes:
    if len(key.get_secret_value()) < MIN_KEY_BYTES:
        raise PydanticCustomError(
            "walletsupport.server_key", f"the key must be at least {MIN_KEY_BYTES} bytes"
        )
    return key


ServerKey = Annotated[SecretBytes, AfterValidator(_long_enough)]
"""A secret of at least ``MIN_KEY_BYTES`` bytes; shown as ``**********`` everywhere."""


def require_key(key: SecretBytes | None, workflow: str) -> bytes:
    """The key's bytes, or a ``ConfigurationError`` naming the workflow that has none.

    Examples:
        >>> require_key(None, "card_add")
        Traceback (most recent call last):
        ...
        walletsupport.errors.ConfigurationError: card_add has no server key
    """
    if key is None:
        raise ConfigurationError(f"{workflow} has no server key")
    return key.get_secret_value()

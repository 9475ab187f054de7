"""Identifiers: short opaque strings safe in URLs, logs and file names.

Examples:
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(CaseId).validate_python("case_0f3a")
    'case_0f3a'
"""

from __future__ import annotations

import secrets
from typing import Annotated

from pydantic import StringConstraints

from walletsupport.errors import InvalidInputError

__all__ = ["ID_PATTERN", "CaseId", "CustomerId", "TransactionId", "new_case_id"]

#: 1 to 64 characters from ``A-Z a-z 0-9 _ . : -``.
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"

_IdConstraints = StringConstraints(min_length=1, max_length=64, pattern=ID_PATTERN)

CaseId = Annotated[str, _IdConstraints]
"""The id of a support case (1-64 chars of ``[A-Za-z0-9_.:-]``)."""

CustomerId = Annotated[str, _IdConstraints]
"""The id of a wallet customer, as the integrator's systems spell it."""

TransactionId = Annotated[str, _IdConstraints]
"""The id of a payment or transfer, as the ledger spells it."""

_CASE_ID_BYTES = 16


def new_case_id(rng_bytes: bytes | None = None) -> str:
    """A fresh case id: ``'case_'`` and 32 hex digits (128 random bits from ``secrets``).

    Pass ``rng_bytes`` (exactly 16 bytes) to make the id deterministic, e.g. in tests.

    Raises:
        InvalidInputError: ``rng_bytes`` is given but is not 16 bytes.

    Examples:
        >>> new_case_id(bytes(16))
        'case_00000000000000000000000000000000'
        >>> len(new_case_id()), new_case_id() != new_case_id()
        (37, True)
    """
    if rng_bytes is None:
        rng_bytes = secrets.token_bytes(_CASE_ID_BYTES)
    elif not isinstance(rng_bytes, bytes | bytearray) or len(rng_bytes) != _CASE_ID_BYTES:
        raise InvalidInputError(f"rng_bytes must be {_CASE_ID_BYTES} bytes")
    return "case_" + bytes(rng_bytes).hex()

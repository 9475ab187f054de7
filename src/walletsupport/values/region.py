"""Regions: ISO 3166-1 alpha-2 codes that ``phonenumbers`` knows.

Examples:
    >>> parse_region(" cn ")
    'CN'
"""

from __future__ import annotations

from typing import Annotated

import phonenumbers
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from walletsupport.errors import InvalidInputError

__all__ = ["SUPPORTED_REGIONS", "Region", "parse_region"]

#: Every region ``phonenumbers`` has metadata for (ISO 3166-1 alpha-2, upper case).
SUPPORTED_REGIONS: frozenset[str] = frozenset(phonenumbers.SUPPORTED_REGIONS)

_HINTS = {"UK": "GB"}


def _region_error(text: object) -> PydanticCustomError:
    if not isinstance(text, str):
        return PydanticCustomError(
            "walletsupport.region_invalid",
            "region must be an ISO 3166-1 alpha-2 code, got {kind}",
            {"kind": type(text).__name__},
        )
    code = text.strip().upper()
    hint = f" (did you mean {_HINTS[code]!r}?)" if code in _HINTS else ""
    return PydanticCustomError(
        "walletsupport.region_invalid",
        "unknown region {region}" + hint + ": expected an ISO 3166-1 alpha-2 code such as 'CN'",
        {"region": repr(text)},
    )


def check_region(text: object) -> str:
    """``parse_region`` for use inside pydantic validators: raises PydanticCustomError."""
    if isinstance(text, str):
        code = text.strip().upper()
        if code in SUPPORTED_REGIONS:
            return code
    raise _region_error(text)


Region = Annotated[
    str,
    BeforeValidator(check_region),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[A-Za-z]{2}$",
            "description": "ISO 3166-1 alpha-2 region code (upper-cased on input), e.g. 'CN'.",
        }
    ),
]
"""An ISO 3166-1 alpha-2 region code known to ``phonenumbers``, upper-cased on input.

Examples:
    >>> from pydantic import BaseModel
    >>> class Caller(BaseModel):
    ...     region: Region
    >>> Caller(region="hk").region
    'HK'
"""


def parse_region(text: object) -> str:
    """Normalise ``text`` to an upper-case ISO 3166-1 alpha-2 code known to phonenumbers.

    Raises:
        InvalidInputError: not a string, or not a known code; the message names the code.

    Examples:
        >>> parse_region("us")
        'US'
        >>> parse_region("UK")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: unknown region 'UK' (did you mean 'GB'?): ...
    """
    try:
        return check_region(text)
    except PydanticCustomError as exc:
        raise InvalidInputError(exc.message()) from None

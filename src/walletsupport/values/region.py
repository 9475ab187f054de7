"""Regions: ISO 3166-1 alpha-2 codes that ``phonenumbers`` knows.

Examples:
    >>> parse_region(" cn ")
    'CN'
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from walletsupport.errors import InvalidInputError

__all__ = ["SUPPORTED_REGIONS", "Region", "parse_region"]

if TYPE_CHECKING:
    #: Every region ``phonenumbers`` has metadata for (ISO 3166-1 alpha-2, upper case).
    SUPPORTED_REGIONS: frozenset[str]

# The regions of phonenumbers 9.0 (a test checks the installed version still has each), so that
# checking a region code does not import phonenumbers' metadata; a code outside this list is
# looked up in the installed phonenumbers.
_CODES = """
    AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN
    BO BQ BR BS BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE
    DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM
    GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE
    KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH
    MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ
    OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI
    SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW
    TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
"""
_KNOWN = frozenset(_CODES.split())


@cache
def _supported() -> frozenset[str]:
    import phonenumbers  # loaded on first use: its metadata costs tens of ms to import

    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def __getattr__(name: str) -> frozenset[str]:
    if name == "SUPPORTED_REGIONS":
        return _supported()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        if code in _KNOWN or (len(code) == 2 and code in _supported()):
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

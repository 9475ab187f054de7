"""Payment card values: number (masked), brand, expiry and security code.

Rules come from reference/cards.md: `CARD_PAN_LENGTH`, `CARD_LUHN`, the brand table
(`BRAND_*`), `CARD_EXPIRY_END_OF_MONTH`, and PCI DSS v4.0 `PCI_MASK_DISPLAY` (Req. 3.4.1),
`PCI_PAN_UNREADABLE_STORED` (Req. 3.5.1) and `PCI_NO_SAD_AFTER_AUTH` (Req. 3.3.1).

Examples:
    >>> card = CardNumber.parse("4242 4242 4242 4242")
    >>> card, card.brand, card.last4
    (CardNumber('424242******4242'), <CardBrand.VISA: 'visa'>, '4242')
    >>> CardExpiry.parse("12/27").last_day.isoformat()
    '2027-12-31'
    >>> Cvc.parse("1234", brand=CardBrand.AMEX)
    Cvc('***')
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import re
from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidCardError, InvalidInputError, WalletSupportError
from walletsupport.values._card_brands import BRAND_CVC_LENGTH, BRAND_LENGTHS, brand_of, luhn_ok
from walletsupport.values._private import model_schema
from walletsupport.values._secret import SecretValue, matches_secret

__all__ = ["CardBrand", "CardExpiry", "CardNumber", "Cvc"]

_PAN_SEPARATORS = str.maketrans("", "", " -")
_ASCII_DIGITS = frozenset("0123456789")
_MIN_PAN, _MAX_PAN = 12, 19
#: PCI DSS Req. 3.4.1 shows at most the BIN (6) and the last four; we also keep >= 6 hidden.
_SHOWN_BIN, _SHOWN_LAST, _MIN_HIDDEN = 6, 4, 6
_MIN_FINGERPRINT_KEY = 16


class CardBrand(WalletEnum):
    """A card network, named from the card number's IIN prefix (reference/cards.md `BRAND_*`).

    Examples:
        >>> CardBrand("amex").cvc_length
        4
        >>> CardBrand.VISA.cvc_length
        3
    """

    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    DISCOVER = "discover"
    JCB = "jcb"
    UNIONPAY = "unionpay"
    DINERS = "diners"
    MAESTRO = "maestro"
    UNKNOWN = "unknown"

    @property
    def cvc_length(self) -> int | None:
        """Digits of the security code: 4 for Amex (CID), 3 for the others, None if unknown."""
        if self is CardBrand.UNKNOWN:
            return None
        return BRAND_CVC_LENGTH.get(self.value, 3)


def _pan_digits(raw: object) -> str:
    """Digits of a PAN, checked; errors name the problem, never the digits."""
    if not isinstance(raw, str):
        raise PydanticCustomError(
            "walletsupport.card_invalid", "card number must be a string of digits"
        )
    digits = raw.translate(_PAN_SEPARATORS)
    if not digits or not _ASCII_DIGITS.issuperset(digits):
        raise PydanticCustomError(
            "walletsupport.card_invalid",
            "card number may contain only digits 0-9, spaces and dashes",
        )
    if not _MIN_PAN <= len(digits) <= _MAX_PAN:
        raise PydanticCustomError(
            "walletsupport.card_invalid",
            "card number must have 12 to 19 digits, got {count}",
            {"count": len(digits)},
        )
    if not luhn_ok(digits):
        raise PydanticCustomError(
            "walletsupport.card_invalid", "card number fails the Luhn check digit"
        )
    brand = brand_of(digits)
    if brand is not None and len(digits) not in BRAND_LENGTHS[brand]:
        allowed = ", ".join(str(n) for n in sorted(BRAND_LENGTHS[brand]))
        raise PydanticCustomError(
            "walletsupport.card_invalid",
            "card number has {count} digits but {brand} numbers have {allowed}",
            {"count": len(digits), "brand": brand, "allowed": allowed},
        )
    return digits


class CardNumber(SecretValue, frozen=True, extra="forbid"):
    """A payment card number (PAN) that only ever shows its PCI mask.

    Input may contain spaces and dashes; it must have 12-19 digits (`CARD_PAN_LENGTH`), pass
    the Luhn check (`CARD_LUHN`) and, for a known brand, have one of the brand's lengths.
    The PAN is a private attribute, never a field: ``repr``, ``str``, ``model_dump``, JSON
    and validation errors show the mask only (`PCI_MASK_DISPLAY`, PCI DSS v4.0 Req. 3.4.1):
    at most the first six and the last four digits, and always at least six digits hidden
    (so a 14-digit Diners number shows its first four). Use
    ``reveal()`` to hand the PAN to a vault and
    [fingerprint][walletsupport.values.CardNumber.fingerprint] to deduplicate without storing
    it (`PCI_PAN_UNREADABLE_STORED`, Req. 3.5.1). Note that ``model_dump()`` returns the
    mask as a ``str`` (pydantic types it as a dict); typed code should use ``masked``.

    Examples:
        >>> card = CardNumber.parse("3782-822463-10005")
        >>> card.brand, card.masked
        (<CardBrand.AMEX: 'amex'>, '37828******0005')
        >>> card.model_dump_json()
        '"37828******0005"'
        >>> CardNumber.parse("4242 4242 4242 4241")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidCardError: card number fails the Luhn check digit
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidCardError
    _error_type: ClassVar[str] = "walletsupport.card_invalid"
    _input_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "pattern": r"^[ -]*(?:[0-9][ -]*){12,19}$",
        "writeOnly": True,
        "description": (
            "A card number (PAN): 12 to 19 digits passing the Luhn check; spaces and dashes"
            " are ignored. Always serialized masked, e.g. '424242******4242'."
        ),
    }
    _output_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "pattern": r"^[0-9]{0,6}\*{6,13}[0-9]{4}$",
        "minLength": 12,
        "maxLength": 19,
        "readOnly": True,
        "description": (
            "A card number masked per PCI DSS v4.0 Req. 3.4.1: at most the first six and the"
            " last four digits, the rest as '*'."
        ),
        "examples": ["424242******4242", "37828******0005"],
    }

    @classmethod
    def _check(cls, raw: object) -> str:
        return _pan_digits(raw)

    @classmethod
    def parse(cls, text: object) -> CardNumber:
        """Parse a card number typed by a person.

        Raises:
            InvalidCardError: wrong characters, wrong length, failed Luhn check, or a length
                the brand does not issue. The message never quotes the digits.

        Examples:
            >>> CardNumber.parse("5555 5555 5555 4444").brand
            <CardBrand.MASTERCARD: 'mastercard'>
        """
        return cls._parse_checked(cls._check, text)

    @property
    def brand(self) -> CardBrand:
        """The network, from the longest matching IIN prefix; ``UNKNOWN`` outside the table.

        Examples:
            >>> CardNumber.parse("6200000000000005").brand
            <CardBrand.UNIONPAY: 'unionpay'>
        """
        found = brand_of(self.reveal())
        return CardBrand(found) if found else CardBrand.UNKNOWN

    @property
    def last4(self) -> str:
        """The last four digits.

        Examples:
            >>> CardNumber.parse("4000056655665556").last4
            '5556'
        """
        return self.reveal()[-_SHOWN_LAST:]

    @property
    def masked(self) -> str:
        """The PCI display mask: at most first six and last four, at least six hidden.

        Examples:
            >>> CardNumber.parse("36227206271667").masked
            '3622******1667'
        """
        pan = self.reveal()
        shown = max(0, min(_SHOWN_BIN, len(pan) - _SHOWN_LAST - _MIN_HIDDEN))
        hidden = len(pan) - shown - _SHOWN_LAST
        return pan[:shown] + "*" * hidden + pan[-_SHOWN_LAST:]

    def fingerprint(self, key: bytes) -> str:
        """HMAC-SHA256 of the digits under ``key``, in hex: equal cards, equal fingerprints.

        A keyed one-way hash lets you find duplicates without storing the PAN
        (`PCI_PAN_UNREADABLE_STORED`, PCI DSS v4.0 Req. 3.5.1). Keep the key out of the store.

        Raises:
            InvalidInputError: ``key`` is not bytes of at least 16 bytes.

        Examples:
            >>> key = bytes(range(32))
            >>> a = CardNumber.parse("4242424242424242").fingerprint(key)
            >>> a == CardNumber.parse("4242-4242-4242-4242").fingerprint(key), len(a)
            (True, 64)
        """
        if not isinstance(key, bytes | bytearray) or len(key) < _MIN_FINGERPRINT_KEY:
            raise InvalidInputError(
                f"fingerprint key must be at least {_MIN_FINGERPRINT_KEY} bytes"
            )
        return hmac.new(bytes(key), self.reveal().encode("ascii"), hashlib.sha256).hexdigest()


_EXPIRY_TEXT = re.compile(r"^\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*$")


class CardExpiry(WalletModel, frozen=True, extra="forbid"):
    """The expiry printed on a card: valid through the last day of its month.

    Source: reference/cards.md `CARD_EXPIRY_END_OF_MONTH` **[nr]**: a card printed ``12/27``
    works through 31 December 2027 and is expired from 1 January 2028. Which day it is comes
    from the ``at`` you pass, read in its own time zone (its local date): pass ``at`` in the
    zone whose calendar should decide, e.g. the issuer's or the cardholder's.

    ``model_validate`` accepts ``"MM/YY"``, ``"MM/YYYY"`` or ``{"month": ..., "year": ...}``;
    it dumps as the dict. A two-digit year means 20YY.

    Examples:
        >>> from datetime import datetime, timezone, timedelta
        >>> exp = CardExpiry.parse("02/28")
        >>> exp, str(exp)
        (CardExpiry(month=2, year=2028), '02/28')
        >>> exp.is_expired(datetime(2028, 2, 29, 23, 59, tzinfo=timezone.utc))
        False
        >>> exp.is_expired(datetime(2028, 3, 1, 0, 0, tzinfo=timezone.utc))
        True
        >>> # 23:30 UTC on 29 Feb is already 1 March in Shanghai:
        >>> exp.is_expired(datetime(2028, 3, 1, 7, 30, tzinfo=timezone(timedelta(hours=8))))
        True
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidCardError

    month: int = Field(ge=1, le=12, description="Month of expiry, 1-12.")
    year: int = Field(ge=2000, le=2099, description="Four-digit year of expiry.")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if not isinstance(data, str):
            return data
        match = _EXPIRY_TEXT.match(data)
        if match is None:
            raise PydanticCustomError(
                "walletsupport.card_expiry_invalid", "expiry must look like MM/YY or MM/YYYY"
            )
        month, year = int(match[1]), int(match[2])
        return {"month": month, "year": 2000 + year if len(match[2]) == 2 else year}

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return model_schema(
            core_schema,
            handler,
            {"type": "string", "pattern": r"^\s*\d{1,2}\s*/\s*(\d{2}|\d{4})\s*$"},
        )

    @classmethod
    def parse(cls, text: str) -> CardExpiry:
        """Parse ``"MM/YY"`` or ``"MM/YYYY"`` (spaces around ``/`` allowed).

        Raises:
            InvalidCardError: not in that form, month outside 1-12, or year outside 2000-2099.

        Examples:
            >>> CardExpiry.parse("7/2031")
            CardExpiry(month=7, year=2031)
        """
        if not isinstance(text, str):
            raise InvalidCardError(f"expiry must be a string, got {type(text).__name__}")
        return cls.model_validate(text)

    @property
    def last_day(self) -> date:
        """The last calendar day on which the card is valid.

        Examples:
            >>> CardExpiry(month=2, year=2028).last_day.isoformat()
            '2028-02-29'
        """
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def is_expired(self, at: datetime) -> bool:
        """True once ``at``'s own local date is past the expiry month.

        Raises:
            NaiveDatetimeError: ``at`` has no time zone.

        Examples:
            >>> from datetime import datetime, timezone
            >>> jan = CardExpiry(month=1, year=2026)
            >>> jan.is_expired(datetime(2026, 1, 31, tzinfo=timezone.utc))
            False
        """
        local = ensure_aware(at, "at").date()
        return (local.year, local.month) > (self.year, self.month)

    def __str__(self) -> str:
        return f"{self.month:02d}/{self.year % 100:02d}"


class Cvc(SecretValue, frozen=True, extra="forbid"):
    """A card security code (CVV2/CVC2/CID): 3 digits, 4 for American Express.

    It is sensitive authentication data that must not be kept after authorisation
    (`PCI_NO_SAD_AFTER_AUTH`, PCI DSS v4.0 Req. 3.3.1): it is never shown and never
    serialized; every dump is the fixed mask ``'***'``. Compare with
    [matches][walletsupport.values.Cvc.matches], which runs in constant time.
    ``model_validate`` does not know the brand and accepts 3 or 4 digits; use
    [parse][walletsupport.values.Cvc.parse] with a brand for the exact length.

    Examples:
        >>> cvc = Cvc.parse("123", brand="visa")
        >>> cvc, cvc.model_dump(), cvc.matches("123")
        (Cvc('***'), '***', True)
        >>> Cvc.parse("123", brand=CardBrand.AMEX)
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidCardError: security code must have 4 digits for amex
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidCardError
    _error_type: ClassVar[str] = "walletsupport.cvc_invalid"
    _input_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "pattern": r"^\s*[0-9]{3,4}\s*$",
        "writeOnly": True,
        "description": "A card security code: 3 digits (4 for American Express). Never serialized.",
    }
    _output_schema: ClassVar[dict[str, Any]] = {
        "type": "string",
        "const": "***",
        "readOnly": True,
        "description": "A card security code, masked: the code itself is never serialized.",
    }

    MASK: ClassVar[str] = "***"

    @classmethod
    def _check(cls, raw: object) -> str:
        return cls._digits(raw, None)

    @classmethod
    def _digits(cls, raw: object, length: int | None) -> str:
        if not isinstance(raw, str):
            raise cls._invalid("security code must be a string of digits")
        code = raw.strip()
        if not code or not _ASCII_DIGITS.issuperset(code):
            raise cls._invalid("security code may contain only digits 0-9")
        if length is None and len(code) not in (3, 4):
            raise cls._invalid("security code must have 3 or 4 digits")
        return code

    @classmethod
    def parse(cls, text: object, brand: CardBrand | str | None = None) -> Cvc:
        """Parse a security code, checking its length against ``brand`` when given.

        Raises:
            InvalidCardError: not 3-4 digits, the wrong length for the brand, or an unknown
                brand name. The message never quotes the code.

        Examples:
            >>> Cvc.parse(" 4321 ")
            Cvc('***')
        """
        if brand is None:
            length = None
        else:
            try:
                length = CardBrand(brand).cvc_length
            except ValueError:
                raise InvalidCardError(f"unknown card brand {shown(brand)}") from None

        def check(raw: object) -> str:
            code = cls._digits(raw, length)
            if length is not None and len(code) != length:
                raise cls._invalid(f"security code must have {length} digits for {brand}")
            return code

        return cls._parse_checked(check, text)

    @property
    def masked(self) -> str:
        """Always ``'***'``, whatever the length.

        Examples:
            >>> Cvc.parse("1234").masked
            '***'
        """
        return self.MASK

    def matches(self, other: str) -> bool:
        """Compare with ``other`` in constant time (reference `CONSTANT_TIME_COMPARE`).

        Raises:
            InvalidInputError: ``other`` is not a string.

        Examples:
            >>> Cvc.parse("737").matches("738")
            False
        """
        return matches_secret(self.reveal(), other, "a security code")

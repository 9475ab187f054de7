"""Phone numbers: full E.164 numbers and region-bound short service numbers.

This is the one module that talks to ``phonenumbers`` (Google libphonenumber's port); the
rest of walletsupport uses [PhoneNumber][walletsupport.values.PhoneNumber]. Rules come from
reference/phone_numbers.md (`PHONE_CN_95XXX_SHORT`, `PHONE_SHORT_REGION_BOUND`,
`PHONE_US_SHORT_FALSE_POSITIVE`, `PHONE_TOLL_FREE_TYPE`, `PHONE_EMERGENCY_GUARD`).

Examples:
    >>> alipay = PhoneNumber.parse("95188", region="CN")
    >>> alipay.is_short, alipay.dial_from("CN"), alipay.dial_from("US")
    (True, '95188', None)
    >>> PhoneNumber.parse("+86 571 95017").dial_from("US")
    '011 86 571 95017'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from walletsupport._bounded import remember
from walletsupport._model import WalletModel
from walletsupport.errors import InvalidPhoneNumberError, WalletSupportError
from walletsupport.values._private import model_schema
from walletsupport.values.region import Region, check_region, parse_region

if TYPE_CHECKING:
    import phonenumbers

__all__ = ["PhoneNumber"]

_ERROR_TYPE = "walletsupport.phone_invalid"
_MAX_INPUT = 64

# A number's parsed form, by its stored fields: a value is parsed once when it is validated,
# and every later format or dial of an equal value reuses that parse. phonenumbers itself is
# imported on the first phone value, not with this module.
_PARSED: dict[tuple[str, str | None], phonenumbers.PhoneNumber] = {}
_PARSED_MAX = 4096


def _remember(key: tuple[str, str | None], parsed: phonenumbers.PhoneNumber) -> None:
    remember(_PARSED, key, parsed, _PARSED_MAX)


def _invalid(message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(_ERROR_TYPE, message, context or None)


def _canonical(text: object, region: str | None) -> dict[str, Any]:
    """Parse ``text`` (with ``region`` as the default for national input) into stored fields."""
    if not isinstance(text, str):
        raise _invalid("phone number must be a string, got {kind}", kind=type(text).__name__)
    if not text.strip() or len(text) > _MAX_INPUT:
        raise _invalid("phone number must be 1 to {limit} characters", limit=_MAX_INPUT)
    international = text.strip().startswith("+")
    if region is None and not international:
        raise _invalid("a number without a leading '+' needs a region, e.g. region='CN'")
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberFormat, shortnumberinfo

    try:
        parsed = phonenumbers.parse(text, None if international else region)
    except NumberParseException as exc:
        raise _invalid("not a phone number ({reason})", reason=str(exc)) from None
    if parsed.extension:
        raise _invalid("extensions are not supported; store the number without one")
    if phonenumbers.is_valid_number(parsed):
        number_region = phonenumbers.region_code_for_number(parsed)
        number = phonenumbers.format_number(parsed, PhoneNumberFormat.E164)
        _remember((number, None), parsed)
        return {
            "number": number,
            "region": number_region if number_region in phonenumbers.SUPPORTED_REGIONS else None,
            "is_short": False,
        }
    if not international and region is not None:
        # PHONE_CN_95XXX_SHORT / PHONE_SHORT_REGION_BOUND: short validity depends on the region.
        if shortnumberinfo.is_valid_short_number_for_region(parsed, region):
            digits = phonenumbers.national_significant_number(parsed)
            _remember((digits, region), parsed)
            return {"number": digits, "region": region, "is_short": True}
        raise _invalid("not a valid number or short number in region {region}", region=region)
    number_region = phonenumbers.region_code_for_number(parsed)
    if number_region in phonenumbers.SUPPORTED_REGIONS and shortnumberinfo.is_valid_short_number(
        parsed
    ):
        # '+86 95188' is meaningless as E.164 (PHONE_CN_95XXX_SHORT): point at the short form.
        raise _invalid(
            "not a valid E.164 number; {digits} is a short number: give it without the"
            " country code and with region={region}",
            digits=phonenumbers.national_significant_number(parsed),
            region=repr(number_region),
        )
    raise _invalid("not a valid phone number")


class PhoneNumber(WalletModel, frozen=True, extra="forbid"):
    """A phone number a customer can dial: a full E.164 number or a short service number.

    * A full number is stored as E.164 (``'+12025550123'``); ``region`` is the region it
      belongs to (None for non-geographic numbers such as ``+800``).
    * A short number (``is_short=True``), such as Alipay's 95188 or WeChat Pay's 95017 in
      mainland China, is valid only inside its region and has no E.164 form, so it is stored
      as its national digits plus the region (`PHONE_CN_95XXX_SHORT`). Short-number validity
      comes from ``phonenumbers.shortnumberinfo`` for the given region
      (`PHONE_SHORT_REGION_BOUND`); it is not proof that a line exists
      (`PHONE_US_SHORT_FALSE_POSITIVE`).

    ``model_validate`` accepts an international string (``"+1 202 555 0123"``) or the stored
    dict (``{"number": "95188", "region": "CN"}``; ``is_short`` is derived and, if given, must
    agree). A dict's ``region`` is the number's own region and must match it. It dumps as the
    dict. Invalid input raises ``ValidationError`` with type ``walletsupport.phone_invalid``;
    [parse][walletsupport.values.PhoneNumber.parse] raises
    [InvalidPhoneNumberError][walletsupport.errors.InvalidPhoneNumberError].

    Examples:
        >>> PhoneNumber.model_validate("+1 888 221 1161")
        PhoneNumber(number='+18882211161', region='US', is_short=False)
        >>> PhoneNumber.model_validate({"number": "95017", "region": "cn"}).model_dump()
        {'number': '95017', 'region': 'CN', 'is_short': True}
        >>> PhoneNumber.parse("95017", region="HK")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidPhoneNumberError: not a valid number or short number in ...
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidPhoneNumberError

    number: str = Field(
        description="E.164 for a full number ('+12025550123'); national digits for a short one.",
    )
    region: Region | None = Field(
        default=None,
        description="ISO 3166-1 alpha-2 region of the number; required for short numbers.",
    )
    is_short: bool = Field(
        default=False, description="True for a short service number dialable only in region."
    )

    @model_validator(mode="before")
    @classmethod
    def _canonicalise(cls, data: Any) -> Any:
        if isinstance(data, str):
            return _canonical(data, None)
        if not isinstance(data, dict):
            return data  # let pydantic report the wrong type
        unknown = set(data) - {"number", "region", "is_short"}
        if unknown or "number" not in data:
            return data  # let pydantic report the missing or extra field
        given = data.get("region")
        region = None if given is None else check_region(given)
        canonical = _canonical(data["number"], region)
        if region is not None and canonical["region"] not in (None, region):
            raise _invalid(
                "number belongs to region {actual}, not {given}",
                actual=canonical["region"],
                given=region,
            )
        if "is_short" in data and data["is_short"] != canonical["is_short"]:
            raise _invalid("is_short does not match the number")
        return canonical

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return model_schema(
            core_schema,
            handler,
            {
                "type": "string",
                "pattern": r"^\s*\+",
                "description": "A full number in international format, e.g. '+12025550123'.",
            },
        )

    @classmethod
    def parse(cls, text: str, region: str | None = None) -> PhoneNumber:
        """Parse international (``+...``) or national input; ``region`` is the caller's region.

        National input (no ``+``) needs ``region``; if it is not a valid full number there,
        it is tried as a short number of that region.

        Raises:
            InvalidPhoneNumberError: not a valid number or short number, or a bad region.

        Examples:
            >>> PhoneNumber.parse("020 7946 0958", region="gb").number
            '+442079460958'
            >>> PhoneNumber.parse("+44 20 7946 0958", region="US").region
            'GB'
        """
        try:
            canonical = _canonical(text, None if region is None else check_region(region))
        except PydanticCustomError as exc:
            raise InvalidPhoneNumberError(exc.message()) from None
        return cls.model_validate(canonical)

    def _parsed(self) -> phonenumbers.PhoneNumber:
        key = (self.number, self.region if self.is_short else None)
        parsed = _PARSED.get(key)
        if parsed is None:  # validated before this process saw it (e.g. model_construct)
            import phonenumbers

            parsed = phonenumbers.parse(*key)
            _remember(key, parsed)
        return parsed

    def format_international(self) -> str:
        """International format; a short number has none, so its digits are returned.

        Examples:
            >>> PhoneNumber.parse("+12025550123").format_international()
            '+1 202-555-0123'
        """
        if self.is_short:
            return self.number
        import phonenumbers

        return str(
            phonenumbers.format_number(self._parsed(), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        )

    def format_national(self) -> str:
        """National format, as dialled inside the number's own country.

        Examples:
            >>> PhoneNumber.parse("+86 571 95017").format_national()
            '0571 95017'
        """
        if self.is_short:
            return self.number
        import phonenumbers

        return str(
            phonenumbers.format_number(self._parsed(), phonenumbers.PhoneNumberFormat.NATIONAL)
        )

    def dial_from(self, caller_region: str) -> str | None:
        """What to dial from ``caller_region``, or None if it cannot be dialled from there.

        The same region gets the national format; elsewhere the out-of-country format with
        that region's international prefix. A short number is dialable only inside its own
        region (`PHONE_CN_95XXX_SHORT`); a number that cannot be dialled internationally
        (some toll-free ranges) only from its own country calling code.

        Raises:
            InvalidInputError: ``caller_region`` is not a known region code.

        Examples:
            >>> paypal = PhoneNumber.parse("+1 402 935 2050")
            >>> paypal.dial_from("US"), paypal.dial_from("CN")
            ('(402) 935-2050', '00 1 402-935-2050')
        """
        caller = parse_region(caller_region)
        if self.is_short:
            return self.number if caller == self.region else None
        import phonenumbers

        parsed = self._parsed()
        if caller == self.region:
            return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
        same_country = phonenumbers.country_code_for_region(caller) == parsed.country_code
        if not same_country and not phonenumbers.can_be_internationally_dialled(parsed):
            return None
        return str(phonenumbers.format_out_of_country_calling_number(parsed, caller))

    def is_dialable_from(self, region: str) -> bool:
        """True if [dial_from][walletsupport.values.PhoneNumber.dial_from] has an answer.

        Examples:
            >>> PhoneNumber.parse("95188", region="CN").is_dialable_from("HK")
            False
        """
        return self.dial_from(region) is not None

    @property
    def is_toll_free(self) -> bool:
        """True for a full number of type TOLL_FREE (`PHONE_TOLL_FREE_TYPE`).

        Examples:
            >>> PhoneNumber.parse("+1 888 221 1161").is_toll_free
            True
        """
        if self.is_short:
            return False
        import phonenumbers

        kind = phonenumbers.number_type(self._parsed())
        return bool(kind == phonenumbers.PhoneNumberType.TOLL_FREE)

    @property
    def is_emergency(self) -> bool:
        """True for an emergency short number such as 110 in CN (`PHONE_EMERGENCY_GUARD`).

        Examples:
            >>> PhoneNumber.parse("110", region="CN").is_emergency
            True
        """
        if not self.is_short or self.region is None:
            return False
        from phonenumbers import shortnumberinfo

        return bool(shortnumberinfo.is_emergency_number(self.number, self.region))

    def __str__(self) -> str:
        return self.number

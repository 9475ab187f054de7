"""Money: an exact decimal amount in one ISO 4217 currency.

Examples:
    >>> total = Money.of("12.30", "USD") + Money.of("0.70", "usd")
    >>> str(total), total.minor_units
    ('USD 13.00', 1300)
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar

from pydantic import (
    Field,
    GetJsonSchemaHandler,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.errors import InvalidMoneyError, WalletSupportError
from walletsupport.values._currencies import MINOR_UNITS
from walletsupport.values._private import model_schema

__all__ = ["CURRENCY_DECIMALS", "Money"]

#: Read-only view of the currency table: ISO 4217 code -> minor-unit digits (JPY 0, KWD 3).
CURRENCY_DECIMALS = MINOR_UNITS

#: Amounts stay below 10**18 in magnitude so sums stay exact in the default decimal context.
_MAX_ABS = Decimal(10) ** 18

_AMOUNT_SCHEMA = {
    "anyOf": [
        {"type": "integer"},
        {"type": "string", "pattern": r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$"},
    ],
    "description": "Exact amount as a decimal string (floats are refused), e.g. '12.30'.",
}


def _currency_code(value: object) -> str | None:
    """The upper-case code if ``value`` names a currency in the table, else None."""
    code = value.strip().upper() if isinstance(value, str) else None
    return code if code in MINOR_UNITS else None


def _money_error(message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError("walletsupport.money_invalid", message, context or None)


class Money(WalletModel, frozen=True, extra="forbid"):
    """An exact amount of one currency, at that currency's ISO 4217 precision.

    ``amount`` is a ``Decimal`` quantised to the currency's minor units (``"12.3"`` USD is
    stored as ``12.30``; ``"12.345"`` USD is refused, never rounded). Floats are refused
    everywhere, including JSON numbers with a fraction: pass a string or an int. JSON output
    writes the amount as a string. ``+``, ``-`` and ordering work within one currency and raise
    [InvalidMoneyError][walletsupport.errors.InvalidMoneyError] across currencies;
    ``==`` between currencies is simply False.

    Examples:
        >>> Money.of("1000", "JPY")
        Money(currency='JPY', amount=Decimal('1000'))
        >>> Money.of("1.5", "KWD").amount
        Decimal('1.500')
        >>> Money.of("12.345", "USD")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidMoneyError: invalid Money: amount: USD allows at most 2 ...
        >>> from walletsupport.errors import InvalidMoneyError
        >>> try:
        ...     Money.of(0.1, "USD")
        ... except InvalidMoneyError as exc:
        ...     print(exc)
        invalid Money: amount: floats are not accepted for money; pass a string such as '12.30'
        >>> Money.of("5", "EUR") < Money.of("5.01", "EUR")
        True
    """

    invalid_error: ClassVar[type[WalletSupportError]] = InvalidMoneyError

    currency: str = Field(
        description="ISO 4217 alphabetic code, upper case (lower case is accepted on input).",
        json_schema_extra={"pattern": "^[A-Za-z]{3}$"},
    )
    amount: Annotated[Decimal, WithJsonSchema(_AMOUNT_SCHEMA)]

    @field_validator("currency", mode="before")
    @classmethod
    def _known_currency(cls, value: Any) -> str:
        code = _currency_code(value)
        if code is None:
            raise _money_error("unknown currency {currency}", currency=repr(value))
        return code

    @field_validator("amount", mode="before")
    @classmethod
    def _no_float(cls, value: Any) -> Any:
        if isinstance(value, float):
            raise _money_error("floats are not accepted for money; pass a string such as '12.30'")
        if isinstance(value, bool):
            raise _money_error("amount must be a decimal string, an int or a Decimal")
        return value

    @field_validator("amount")
    @classmethod
    def _fits_currency(cls, value: Decimal, info: ValidationInfo) -> Decimal:
        if not value.is_finite():
            raise _money_error("amount must be a finite number")
        if abs(value) >= _MAX_ABS:
            raise _money_error("amount must be smaller than 10**18 in magnitude")
        currency = info.data.get("currency")
        if currency is None:  # the currency already failed; its error says so
            return value
        decimals = MINOR_UNITS[currency]
        try:
            quantised = value.quantize(Decimal(1).scaleb(-decimals))
        except InvalidOperation:  # pragma: no cover - excluded by the magnitude bound
            raise _money_error("amount is out of range") from None
        if quantised != value:
            raise _money_error(
                "{currency} allows at most {decimals} decimal places",
                currency=currency,
                decimals=decimals,
            )
        return quantised + 0 if quantised.is_zero() else quantised  # no '-0.00'

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return model_schema(core_schema, handler)

    @classmethod
    def of(cls, amount: Decimal | int | str, currency: str) -> Money:
        """Build a Money from a decimal string, int or Decimal and a currency code.

        Raises:
            InvalidMoneyError: unknown currency, a float, a non-finite or too-precise amount.

        Examples:
            >>> Money.of("12.3", "usd")
            Money(currency='USD', amount=Decimal('12.30'))
        """
        return cls.model_validate({"currency": currency, "amount": amount})

    @classmethod
    def from_minor_units(cls, units: int, currency: str) -> Money:
        """Build a Money from an integer count of minor units (cents, fils, yen).

        Raises:
            InvalidMoneyError: ``units`` is not an int, or the currency is unknown.

        Examples:
            >>> Money.from_minor_units(1230, "USD"), Money.from_minor_units(1230, "JPY").amount
            (Money(currency='USD', amount=Decimal('12.30')), Decimal('1230'))
        """
        if not isinstance(units, int) or isinstance(units, bool):
            raise InvalidMoneyError(f"minor units must be an int, got {type(units).__name__}")
        code = _currency_code(currency)
        if code is None:
            raise InvalidMoneyError(f"unknown currency {shown(currency)}")
        return cls.of(Decimal(units).scaleb(-MINOR_UNITS[code]), code)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero of ``currency``: the start value for ``sum()``.

        Examples:
            >>> sum([Money.of("1.10", "EUR"), Money.of("2", "EUR")], Money.zero("EUR"))
            Money(currency='EUR', amount=Decimal('3.10'))
        """
        return cls.of(0, currency)

    @property
    def decimals(self) -> int:
        """The currency's ISO 4217 minor-unit digits (USD 2, JPY 0, BHD 3).

        Examples:
            >>> Money.of("1", "BHD").decimals
            3
        """
        return MINOR_UNITS[self.currency]

    @property
    def minor_units(self) -> int:
        """The amount as an integer count of minor units, as card networks and PSPs expect.

        Examples:
            >>> Money.of("12.30", "USD").minor_units, Money.of("500", "KRW").minor_units
            (1230, 500)
        """
        return int(self.amount.scaleb(self.decimals))

    def _same_currency(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise InvalidMoneyError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise InvalidMoneyError(f"cannot {op} {self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        other = self._same_currency(other, "add")
        return Money.of(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        other = self._same_currency(other, "subtract")
        return Money.of(self.amount - other.amount, self.currency)

    def __radd__(self, other: object) -> Money:
        if other == 0 and not isinstance(other, bool):  # lets sum() start from 0
            return self
        return self._same_currency(other, "add") + self

    def __neg__(self) -> Money:
        return Money.of(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same_currency(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same_currency(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same_currency(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same_currency(other, "compare").amount

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"

"""Frozen, validated value types. Secrets never leave unmasked.

* [Money][walletsupport.values.Money]: exact decimal amount in an ISO 4217 currency.
* [PhoneNumber][walletsupport.values.PhoneNumber], [Region][walletsupport.values.Region]:
  E.164 numbers and region-bound short service numbers.
* [CardNumber][walletsupport.values.CardNumber], [CardExpiry][walletsupport.values.CardExpiry],
  [Cvc][walletsupport.values.Cvc], [Password][walletsupport.values.Password]: secrets that
  show only a mask in repr, str, dumps, JSON and validation errors.
* Ids: [CaseId][walletsupport.values.CaseId], ``CustomerId``, ``TransactionId``.
* [FreeText][walletsupport.values.FreeText] /
  [redact_free_text][walletsupport.values.redact_free_text]: free text with card numbers,
  codes and passwords redacted before it is stored or shown.

Examples:
    >>> from walletsupport.values import CardNumber, Money
    >>> str(Money.of("9.99", "EUR")), str(CardNumber.parse("4111 1111 1111 1111"))
    ('EUR 9.99', '411111******1111')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.values.card import CardBrand, CardExpiry, CardNumber, Cvc
    from walletsupport.values.ids import CaseId, CustomerId, TransactionId, new_case_id
    from walletsupport.values.locale import Locale
    from walletsupport.values.money import CURRENCY_DECIMALS, Money
    from walletsupport.values.password import Password
    from walletsupport.values.phone import PhoneNumber
    from walletsupport.values.region import SUPPORTED_REGIONS, Region, parse_region
    from walletsupport.values.text import FreeText, redact_free_text

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "CardBrand": ".card",
        "CardExpiry": ".card",
        "CardNumber": ".card",
        "Cvc": ".card",
        "CaseId": ".ids",
        "CustomerId": ".ids",
        "TransactionId": ".ids",
        "new_case_id": ".ids",
        "Locale": ".locale",
        "CURRENCY_DECIMALS": ".money",
        "Money": ".money",
        "Password": ".password",
        "PhoneNumber": ".phone",
        "SUPPORTED_REGIONS": ".region",
        "Region": ".region",
        "parse_region": ".region",
        "FreeText": ".text",
        "redact_free_text": ".text",
    },
)

__all__ = [
    "CURRENCY_DECIMALS",
    "SUPPORTED_REGIONS",
    "CardBrand",
    "CardExpiry",
    "CardNumber",
    "CaseId",
    "CustomerId",
    "Cvc",
    "FreeText",
    "Locale",
    "Money",
    "Password",
    "PhoneNumber",
    "Region",
    "TransactionId",
    "new_case_id",
    "parse_region",
    "redact_free_text",
]

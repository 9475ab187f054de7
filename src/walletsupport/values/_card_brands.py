"""The IIN (BIN) prefix table that names a card's brand, kept as data.

Source: reference/cards.md, "Brand ranges" (`BRAND_VISA` ... `BRAND_MAESTRO`), published by the
networks in their acceptance guides **[nr]**. Ranges change: edit this table, not the code.
Overlaps (622126-622925 Discover inside UnionPay's 62; Maestro's 56-69 over UnionPay 62 and
Discover 65) are resolved by the longest matching prefix, then by table order (Maestro last).
"""

from __future__ import annotations

from typing import NamedTuple

__all__: list[str] = []


class IinRange(NamedTuple):
    """``low``..``high`` (inclusive) over the first ``len(str(low))`` digits of the PAN."""

    low: int
    high: int
    brand: str

    @property
    def digits(self) -> int:
        return len(str(self.low))


#: (prefix range, brand), in priority order for equal prefix lengths.
IIN_RANGES: tuple[IinRange, ...] = (
    IinRange(4, 4, "visa"),  # BRAND_VISA
    IinRange(51, 55, "mastercard"),  # BRAND_MASTERCARD
    IinRange(2221, 2720, "mastercard"),
    IinRange(34, 34, "amex"),  # BRAND_AMEX
    IinRange(37, 37, "amex"),
    IinRange(6011, 6011, "discover"),  # BRAND_DISCOVER
    IinRange(644, 649, "discover"),
    IinRange(65, 65, "discover"),
    IinRange(622126, 622925, "discover"),
    IinRange(3528, 3589, "jcb"),  # BRAND_JCB
    IinRange(62, 62, "unionpay"),  # BRAND_UNIONPAY
    IinRange(81, 81, "unionpay"),
    IinRange(36, 36, "diners"),  # BRAND_DINERS
    IinRange(300, 305, "diners"),
    IinRange(38, 39, "diners"),
    IinRange(50, 50, "maestro"),  # BRAND_MAESTRO (overlaps others: matched last)
    IinRange(56, 69, "maestro"),
)

#: PAN lengths each brand issues (reference/cards.md, "PAN length" column).
BRAND_LENGTHS: dict[str, frozenset[int]] = {
    "visa": frozenset({13, 16, 19}),
    "mastercard": frozenset({16}),
    "amex": frozenset({15}),
    "discover": frozenset(range(16, 20)),
    "jcb": frozenset(range(16, 20)),
    "unionpay": frozenset(range(16, 20)),
    "diners": frozenset(range(14, 20)),
    "maestro": frozenset(range(12, 20)),
}

#: Security-code digits per brand (reference/cards.md, "CVC/CID digits": Amex CID is 4).
BRAND_CVC_LENGTH: dict[str, int] = {"amex": 4}


def brand_of(digits: str) -> str | None:
    """The brand whose longest prefix matches ``digits``, or None."""
    best: IinRange | None = None
    for iin in IIN_RANGES:
        if len(digits) < iin.digits or not iin.low <= int(digits[: iin.digits]) <= iin.high:
            continue
        if best is None or iin.digits > best.digits:
            best = iin
    return best.brand if best else None


def luhn_ok(digits: str) -> bool:
    """The ISO/IEC 7812-1 Annex B check (reference/cards.md `CARD_LUHN`)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        d = ord(char) - 48
        if position % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0

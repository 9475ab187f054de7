"""Money: exact decimals, ISO 4217 minor units, same-currency arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from walletsupport.errors import InvalidInputError, InvalidMoneyError
from walletsupport.values import CURRENCY_DECIMALS, Money


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("12.30", "USD", Decimal("12.30")),
        ("12.3", "usd", Decimal("12.30")),
        (12, "EUR", Decimal("12.00")),
        (Decimal("1000"), "JPY", Decimal("1000")),
        ("1000.0", "JPY", Decimal("1000")),
        ("500", "KRW", Decimal("500")),
        ("1.5", "KWD", Decimal("1.500")),
        ("0.001", "BHD", Decimal("0.001")),
        ("-3.25", "GBP", Decimal("-3.25")),
        ("-0.00", "CHF", Decimal("0.00")),
        (" 7.10 ", "SGD", Decimal("7.10")),
    ],
)
def test_valid_amounts_are_quantised_to_the_currency(amount, currency, expected):
    money = Money.of(amount, currency)
    assert money.amount == expected
    assert money.amount.as_tuple().exponent == -CURRENCY_DECIMALS[money.currency]
    assert money.currency == currency.upper()


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("12.345", "USD", "USD allows at most 2 decimal places"),
        ("1.5", "JPY", "JPY allows at most 0 decimal places"),
        ("0.0001", "KWD", "KWD allows at most 3 decimal places"),
        (0.1, "USD", "floats are not accepted"),
        (12.0, "USD", "floats are not accepted"),
        (True, "USD", "amount must be"),
        ("NaN", "USD", "finite"),
        ("Infinity", "EUR", "finite"),
        ("1e18", "USD", r"smaller than 10\*\*18"),
        ("twelve", "USD", "amount"),
        ("1", "XYZ", "unknown currency 'XYZ'"),
        ("1", "US", "unknown currency"),
        ("1", 840, "unknown currency"),
    ],
)
def test_invalid_money_is_refused_with_a_typed_error(amount, currency, message):
    with pytest.raises(InvalidMoneyError, match=message) as info:
        Money.of(amount, currency)
    assert isinstance(info.value, InvalidInputError)


def test_model_validate_refuses_a_float_inside_validators_with_a_stable_type():
    with pytest.raises(InvalidMoneyError, match="floats are not accepted"):
        Money.model_validate({"currency": "USD", "amount": 1.25})

    class Order(BaseModel):
        total: Money

    with pytest.raises(ValidationError) as info:
        Order.model_validate({"total": {"currency": "USD", "amount": 1.25}})
    assert info.value.errors()[0]["type"] == "walletsupport.money_invalid"


def test_json_numbers_with_a_fraction_are_refused_but_strings_and_ints_are_accepted():
    with pytest.raises(InvalidMoneyError):
        Money.model_validate_json('{"currency": "USD", "amount": 12.30}')
    assert Money.model_validate_json('{"currency": "USD", "amount": "12.30"}').amount == Decimal(
        "12.30"
    )
    assert Money.model_validate_json('{"currency": "JPY", "amount": 5}').amount == 5


def test_money_dumps_its_amount_as_a_string_in_json():
    assert Money.of("12.3", "USD").model_dump_json() == '{"currency":"USD","amount":"12.30"}'


def test_money_str_and_minor_units():
    assert str(Money.of("12.30", "USD")) == "USD 12.30"
    assert str(Money.of("1000", "JPY")) == "JPY 1000"
    assert Money.of("12.30", "USD").minor_units == 1230
    assert Money.of("-0.5", "BHD").minor_units == -500
    assert Money.of("1.005", "KWD").decimals == 3


def test_from_minor_units_round_trips_through_minor_units():
    assert Money.from_minor_units(1230, "usd") == Money.of("12.30", "USD")
    with pytest.raises(InvalidMoneyError):
        Money.from_minor_units(12.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(InvalidMoneyError, match="unknown currency"):
        Money.from_minor_units(1, "ABC")


def test_arithmetic_across_currencies_is_refused():
    usd, eur = Money.of("1", "USD"), Money.of("1", "EUR")
    with pytest.raises(InvalidMoneyError, match="cannot add USD and EUR"):
        _ = usd + eur
    with pytest.raises(InvalidMoneyError, match="cannot subtract"):
        _ = usd - eur
    with pytest.raises(InvalidMoneyError, match="cannot compare"):
        _ = usd < eur
    with pytest.raises(InvalidMoneyError, match="cannot add Money and int"):
        _ = usd + 1  # type: ignore[operator]
    assert usd != eur


def test_sum_of_money_works_from_zero():
    items = [Money.of("1.10", "EUR"), Money.of("2.20", "EUR")]
    assert sum(items) == Money.of("3.30", "EUR")
    assert sum(items, Money.zero("EUR")) == Money.of("3.30", "EUR")
    assert -Money.of("2", "EUR") == Money.of("-2", "EUR")


def test_money_is_frozen():
    money = Money.of("1", "USD")
    with pytest.raises(ValidationError):
        money.amount = Decimal(2)  # type: ignore[misc]


def test_money_json_schema_describes_currency_and_string_amount():
    schema = Money.model_json_schema()
    assert schema["required"] == ["currency", "amount"]
    assert schema["additionalProperties"] is False
    assert schema["properties"]["currency"]["pattern"] == "^[A-Za-z]{3}$"
    amount_types = {s["type"] for s in schema["properties"]["amount"]["anyOf"]}
    assert amount_types == {"integer", "string"}  # never "number": floats are refused
    assert ">>>" not in schema["description"]


# --- properties ---------------------------------------------------------------------------

CURRENCIES = sorted(CURRENCY_DECIMALS)


@st.composite
def moneys(draw: st.DrawFn, currency: str | None = None) -> Money:
    code = currency or draw(st.sampled_from(CURRENCIES))
    units = draw(st.integers(min_value=-(10**15), max_value=10**15))
    return Money.from_minor_units(units, code)


@st.composite
def same_currency_pairs(draw: st.DrawFn, n: int = 2) -> list[Money]:
    code = draw(st.sampled_from(CURRENCIES))
    return [draw(moneys(code)) for _ in range(n)]


@given(moneys())
def test_money_round_trips_through_json(money):
    assert Money.model_validate_json(money.model_dump_json()) == money
    assert Money.model_validate(money.model_dump()) == money


@given(same_currency_pairs(3))
def test_addition_is_commutative_and_associative(trio):
    a, b, c = trio
    assert a + b == b + a
    assert (a + b) + c == a + (b + c)


@given(same_currency_pairs())
def test_subtraction_undoes_addition(pair):
    a, b = pair
    assert (a + b) - b == a
    assert a - a == Money.zero(a.currency)


@given(same_currency_pairs(3))
def test_ordering_is_total_and_consistent_with_addition(trio):
    a, b, c = trio
    assert (a <= b) or (b <= a)
    assert (a < b) == (b > a) == (not a >= b)
    if a <= b and b <= c:
        assert a <= c
    zero = Money.zero(a.currency)
    assert (a + c <= b + c) == (a <= b)
    assert (c > zero) == (a + c > a)


@given(moneys())
def test_minor_units_round_trip(money):
    assert Money.from_minor_units(money.minor_units, money.currency) == money

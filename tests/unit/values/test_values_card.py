"""Card number, expiry and security code: validation, brands, masking, schemas."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from walletsupport.errors import InvalidCardError, InvalidInputError, NaiveDatetimeError
from walletsupport.values import CardBrand, CardExpiry, CardNumber, Cvc

# reference/cards.md, "Published test card numbers" (Stripe and Adyen): PAN, brand.
PUBLISHED_TEST_CARDS = [
    ("4242424242424242", "visa"),
    ("4000056655665556", "visa"),
    ("5555555555554444", "mastercard"),
    ("2223003122003222", "mastercard"),
    ("5200828282828210", "mastercard"),
    ("5105105105105100", "mastercard"),
    ("378282246310005", "amex"),
    ("371449635398431", "amex"),
    ("6011111111111117", "discover"),
    ("6011000990139424", "discover"),
    ("6011981111111113", "discover"),
    ("3056930009020004", "diners"),
    ("36227206271667", "diners"),
    ("3566002020360505", "jcb"),
    ("6200000000000005", "unionpay"),
    ("6200000000000047", "unionpay"),
    ("6205500000000000004", "unionpay"),
    ("370000000000002", "amex"),
    ("370000000100018", "amex"),
    ("6703444444444449", "maestro"),
    ("4871049999999910", "visa"),
    ("4035501000000008", "visa"),
    ("8171999927660000", "unionpay"),
    ("8171999900000000021", "unionpay"),
    ("6243030000000001", "unionpay"),
    ("6250947000000014", "unionpay"),
    ("4571000000000001", "visa"),
    ("36006666333344", "diners"),
    ("36070500001020", "diners"),
    ("30569309025904", "diners"),
    ("6011601160116611", "discover"),
    ("6445644564456445", "discover"),
    ("3569990010095841", "jcb"),
    ("6771798021000008", "maestro"),
    ("5000550000000029", "maestro"),
    ("2222400070000005", "mastercard"),
    ("5555341244441115", "mastercard"),
    ("5577000055770004", "mastercard"),
    ("5555444433331111", "mastercard"),
    ("2222410740360010", "mastercard"),
    ("2222410700000002", "mastercard"),
    ("2222400010000008", "mastercard"),
    ("2223000048410010", "mastercard"),
    ("2222400060000007", "mastercard"),
    ("2223520443560010", "mastercard"),
    ("2222400030000004", "mastercard"),
    ("5100060000000002", "mastercard"),
    ("2222400050000009", "mastercard"),
    ("5103221911199245", "mastercard"),
    ("5454545454545454", "mastercard"),
    ("4111111145551142", "visa"),
    ("4111112014267661", "visa"),
    ("4988438843884305", "visa"),
    ("4166676667666746", "visa"),
    ("4111111111111111", "visa"),
    ("4444333322221111", "visa"),
    ("4917610000000000", "visa"),
    ("4001020000000009", "visa"),
    ("4013250000000000006", "visa"),
]


def luhn_check_digit(body: str) -> str:
    """Independent Luhn: the digit that makes ``body + digit`` pass (cards.md `CARD_LUHN`)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # these are doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


@pytest.mark.parametrize(("pan", "brand"), PUBLISHED_TEST_CARDS)
def test_published_test_cards_parse_with_their_brand(pan, brand):
    card = CardNumber.parse(pan)
    assert card.brand == CardBrand(brand)
    assert card.last4 == pan[-4:]
    assert card.reveal() == pan
    # a secret's model_dump() is its mask (a str), although BaseModel types it as a dict
    assert pan not in repr(card) + str(card) + str(card.model_dump()) + card.model_dump_json()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4242 4242 4242 4242", "4242424242424242"),
        ("4242-4242-4242-4242", "4242424242424242"),
        (" 3782 822463 10005 ", "378282246310005"),
        ("6205 5000 0000 0000 004", "6205500000000000004"),
        ("1234 5678 9012 8", "1234567890128"),  # unknown brand, 13 digits, Luhn ok
    ],
)
def test_card_numbers_accept_spaces_and_dashes(text, expected):
    assert CardNumber.parse(text).reveal() == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("4242424242424241", "fails the Luhn check"),
        ("42424242424", "must have 12 to 19 digits, got 11"),
        ("42424242424242424242", "must have 12 to 19 digits, got 20"),
        ("4242.4242.4242.4242", "only digits 0-9, spaces and dashes"),
        ("４２４２４２４２４２４２４２４２", "only digits 0-9"),  # full-width digits
        ("", "only digits"),
        (" - ", "only digits"),
        ("3782822463100003", "16 digits but amex numbers have 15"),
        ("42424242424242", "14 digits but visa numbers have 13, 16, 19"),
        (4242424242424242, "must be a string"),
        (None, "must be a string"),
    ],
)
def test_invalid_card_numbers_are_refused_without_echoing_digits(text, message):
    with pytest.raises(InvalidCardError, match=message) as info:
        CardNumber.parse(text)
    digits = re.sub(r"\D", "", str(text))
    if len(digits) >= 4:
        assert digits[-4:] not in str(info.value)
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_brand_lengths_reject_a_luhn_valid_number_of_the_wrong_length():
    body = "5" + "1" * 16  # 18 digits: Mastercard issues 16 only
    with pytest.raises(InvalidCardError, match="mastercard"):
        CardNumber.parse(body + luhn_check_digit(body))


@pytest.mark.parametrize(
    ("pan", "masked"),
    [
        ("4242424242424242", "424242******4242"),
        ("4013250000000000006", "401325*********0006"),
        ("378282246310005", "37828******0005"),
        ("36227206271667", "3622******1667"),
        ("1234567890128", "123******0128"),
    ],
)
def test_mask_shows_at_most_bin_and_last_four_and_hides_at_least_six(pan, masked):
    card = CardNumber.parse(pan)
    assert card.masked == masked
    assert repr(card) == f"CardNumber({masked!r})"
    assert str(card) == masked
    assert card.model_dump() == masked
    assert card.model_dump_json() == f'"{masked}"'


def test_card_equality_and_hash_follow_the_pan():
    a = CardNumber.parse("4242 4242 4242 4242")
    assert a == CardNumber.parse("4242424242424242")
    assert a != CardNumber.parse("4000056655665556")
    assert len({a, CardNumber.parse("4242-4242-4242-4242")}) == 1
    assert a != "4242424242424242"


def test_fingerprint_is_keyed_and_stable():
    key = b"k" * 32
    a = CardNumber.parse("4242424242424242")
    assert a.fingerprint(key) == CardNumber.parse("4242 4242 4242 4242").fingerprint(key)
    assert a.fingerprint(key) != a.fingerprint(b"j" * 32)
    assert a.fingerprint(key) != CardNumber.parse("4000056655665556").fingerprint(key)
    assert re.fullmatch(r"[0-9a-f]{64}", a.fingerprint(key))
    with pytest.raises(InvalidInputError, match="at least 16 bytes"):
        a.fingerprint(b"short")
    with pytest.raises(InvalidInputError):
        a.fingerprint("a string key of enough length")  # type: ignore[arg-type]


def test_card_number_cannot_be_rebuilt_from_its_mask_or_built_empty():
    card = CardNumber.parse("4242424242424242")
    with pytest.raises(InvalidCardError):
        CardNumber.model_validate_json(card.model_dump_json())
    with pytest.raises(InvalidCardError):
        CardNumber()


def test_card_number_in_a_model_validates_from_text_and_dumps_masked():
    class AddCard(BaseModel):
        card: CardNumber

    request = AddCard.model_validate_json('{"card": "5555 5555 5555 4444"}')
    assert request.card.brand is CardBrand.MASTERCARD
    assert request.model_dump() == {"card": "555555******4444"}
    assert AddCard(card=request.card).card is request.card


def test_card_number_json_schema_takes_a_pan_and_describes_the_mask():
    validation = CardNumber.model_json_schema()
    serialization = CardNumber.model_json_schema(mode="serialization")
    assert validation["type"] == serialization["type"] == "string"
    assert re.fullmatch(validation["pattern"], "4242 4242 4242 4242")
    assert not re.fullmatch(validation["pattern"], "424242******4242")
    assert validation["writeOnly"] is True
    assert serialization["readOnly"] is True
    for pan, _ in PUBLISHED_TEST_CARDS:
        masked = CardNumber.parse(pan).masked
        assert re.fullmatch(serialization["pattern"], masked)
        assert serialization["minLength"] <= len(masked) <= serialization["maxLength"]
    assert not re.fullmatch(serialization["pattern"], "4242424242424242")


# --- brand table property ---------------------------------------------------------------

# Unambiguous prefixes per brand, written from reference/cards.md (not from the library):
# ranges that another brand's longer prefix would capture are left out.
BRAND_PREFIXES: dict[str, list[str]] = {
    "visa": ["4"],
    "mastercard": [*map(str, range(51, 56)), "2221", "2500", "2720"],
    "amex": ["34", "37"],
    "discover": ["6011", "644", "649", "65", "622126", "622500", "622925"],
    "jcb": ["3528", "3550", "3589"],
    "unionpay": ["620", "621", "6220", "622125", "622926", "623", "6250", "81"],
    "diners": ["36", "300", "305", "38", "39"],
    "maestro": ["50", "56", "57", "58", "59", "61", "63", "640", "643", "66", "67", "68", "69"],
}
BRAND_PAN_LENGTHS: dict[str, list[int]] = {
    "visa": [13, 16, 19],
    "mastercard": [16],
    "amex": [15],
    "discover": [16, 17, 18, 19],
    "jcb": [16, 17, 18, 19],
    "unionpay": [16, 17, 18, 19],
    "diners": [14, 15, 16, 17, 18, 19],
    "maestro": [12, 13, 14, 15, 16, 17, 18, 19],
}


@st.composite
def branded_pans(draw: st.DrawFn) -> tuple[str, str]:
    brand = draw(st.sampled_from(sorted(BRAND_PREFIXES)))
    prefix = draw(st.sampled_from(BRAND_PREFIXES[brand]))
    length = draw(st.sampled_from(BRAND_PAN_LENGTHS[brand]))
    rest = draw(st.text("0123456789", min_size=length - len(prefix) - 1, max_size=length - 1))
    body = (prefix + rest)[: length - 1]
    return body + luhn_check_digit(body), brand


@given(branded_pans())
def test_luhn_valid_generated_pans_parse_with_the_brand_of_their_iin(pan_and_brand):
    pan, brand = pan_and_brand
    card = CardNumber.parse(pan)
    assert card.brand == CardBrand(brand)
    assert card.reveal() == pan


@given(branded_pans(), st.integers(min_value=0, max_value=18), st.integers(1, 9))
def test_changing_one_digit_breaks_the_luhn_check(pan_and_brand, position, delta):
    pan, _ = pan_and_brand
    position %= len(pan)
    changed = pan[:position] + str((int(pan[position]) + delta) % 10) + pan[position + 1 :]
    with pytest.raises(InvalidCardError):
        CardNumber.parse(changed)


# --- expiry -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "month", "year"),
    [("12/27", 12, 2027), ("01/2030", 1, 2030), ("7/31", 7, 2031), (" 03 / 29 ", 3, 2029)],
)
def test_expiry_parses_printed_forms(text, month, year):
    assert CardExpiry.parse(text) == CardExpiry(month=month, year=year)


@pytest.mark.parametrize("text", ["13/27", "00/27", "12-27", "1227", "12/227", "", "12/1999"])
def test_expiry_rejects_malformed_text(text):
    with pytest.raises(InvalidCardError):
        CardExpiry.parse(text)


def test_expiry_parse_refuses_non_strings():
    with pytest.raises(InvalidCardError, match="must be a string"):
        CardExpiry.parse(1227)  # type: ignore[arg-type]


def test_card_is_valid_through_the_last_instant_of_its_month():
    exp = CardExpiry(month=12, year=2027)
    assert exp.last_day.isoformat() == "2027-12-31"
    assert not exp.is_expired(datetime(2027, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    assert exp.is_expired(datetime(2028, 1, 1, tzinfo=UTC))
    assert not exp.is_expired(datetime(2020, 1, 1, tzinfo=UTC))


def test_expiry_is_decided_by_the_local_date_of_at():
    exp = CardExpiry(month=12, year=2027)
    instant = datetime(2027, 12, 31, 20, 0, tzinfo=UTC)
    assert not exp.is_expired(instant)
    assert exp.is_expired(instant.astimezone(timezone(timedelta(hours=8))))  # 1 Jan in Shanghai
    assert not exp.is_expired(
        datetime(2028, 1, 1, 2, 0, tzinfo=UTC).astimezone(timezone(timedelta(hours=-5)))
    )


def test_expiry_refuses_naive_datetimes():
    with pytest.raises(NaiveDatetimeError):
        CardExpiry(month=1, year=2030).is_expired(datetime(2030, 1, 1))


@given(st.integers(1, 12), st.integers(2000, 2099))
def test_expiry_round_trips_through_json_and_text(month, year):
    exp = CardExpiry(month=month, year=year)
    assert CardExpiry.model_validate_json(exp.model_dump_json()) == exp
    assert CardExpiry.parse(str(exp)) == exp


def test_expiry_json_schema_accepts_text_or_object_and_dumps_object():
    validation = CardExpiry.model_json_schema()
    kinds = {s["type"] for s in validation["anyOf"]}
    assert kinds == {"string", "object"}
    assert CardExpiry.model_json_schema(mode="serialization")["required"] == ["month", "year"]


# --- CVC --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "brand"),
    [
        ("123", None),
        ("1234", None),
        ("123", CardBrand.VISA),
        ("1234", "amex"),
        (" 737 ", "mastercard"),
        ("1234", CardBrand.UNKNOWN),
    ],
)
def test_valid_security_codes(text, brand):
    cvc = Cvc.parse(text, brand=brand)
    assert cvc.matches(text.strip())
    assert str(cvc.model_dump()) == "***"


@pytest.mark.parametrize(
    ("text", "brand", "message"),
    [
        ("12", None, "3 or 4 digits"),
        ("12345", None, "3 or 4 digits"),
        ("123", "amex", "4 digits for amex"),
        ("1234", "visa", "3 digits for visa"),
        ("12a", None, "only digits"),
        (123, None, "must be a string"),
        ("123", "bankcard", "unknown card brand 'bankcard'"),
    ],
)
def test_invalid_security_codes(text, brand, message):
    with pytest.raises(InvalidCardError, match=message) as info:
        Cvc.parse(text, brand=brand)
    if isinstance(text, str) and text.isdigit():
        assert text not in str(info.value)


def test_cvc_matches_in_constant_time_and_refuses_non_strings():
    cvc = Cvc.parse("737")
    assert cvc.matches("737")
    assert not cvc.matches("738")
    assert not cvc.matches("7370")
    with pytest.raises(InvalidInputError):
        cvc.matches(737)  # type: ignore[arg-type]


def test_cvc_json_schema_never_describes_the_code_as_output():
    assert Cvc.model_json_schema()["pattern"] == r"^\s*[0-9]{3,4}\s*$"
    assert Cvc.model_json_schema(mode="serialization")["const"] == "***"


def test_brand_cvc_lengths():
    assert CardBrand.AMEX.cvc_length == 4
    assert {b.cvc_length for b in CardBrand if b not in (CardBrand.AMEX, CardBrand.UNKNOWN)} == {3}
    assert CardBrand.UNKNOWN.cvc_length is None

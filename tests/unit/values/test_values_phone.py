"""PhoneNumber and Region: E.164, short service numbers, dialling, schemas.

Expectations for the wallet lines come from reference/phone_numbers.md (phonenumbers 9.0.43).
"""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from walletsupport.errors import InvalidInputError, InvalidPhoneNumberError
from walletsupport.testing import strategies
from walletsupport.values import SUPPORTED_REGIONS, PhoneNumber, Region, parse_region
from walletsupport.values import phone as phone_module


@pytest.mark.parametrize(
    ("text", "region", "number", "number_region", "is_short"),
    [
        ("+12025550123", None, "+12025550123", "US", False),
        ("+1 888 221 1161", None, "+18882211161", "US", False),
        ("+1 402 935 2050", "CN", "+14029352050", "US", False),
        ("+86 571 95017", None, "+8657195017", "CN", False),
        ("0571 95017", "CN", "+8657195017", "CN", False),
        ("020 7946 0958", "gb", "+442079460958", "GB", False),
        ("95188", "CN", "95188", "CN", True),  # PHONE_CN_95XXX_SHORT
        ("95017", "CN", "95017", "CN", True),
        ("12315", "CN", "12315", "CN", True),
        ("110", "CN", "110", "CN", True),
        ("95188", "US", "95188", "US", True),  # PHONE_US_SHORT_FALSE_POSITIVE, kept as data
        ("+800 1234 5678", None, "+80012345678", None, False),  # non-geographic
    ],
)
def test_valid_numbers_parse_to_their_stored_form(text, region, number, number_region, is_short):
    phone = PhoneNumber.parse(text, region=region)
    assert (phone.number, phone.region, phone.is_short) == (number, number_region, is_short)


@pytest.mark.parametrize(
    ("text", "region", "message"),
    [
        ("95017", "HK", "short number in region HK"),  # PHONE_SHORT_REGION_BOUND
        ("9518", "CN", "short number in region CN"),
        ("+8695188", None, "95188 is a short number"),  # meaningless as E.164
        ("95188", None, "needs a region"),
        ("+1 202 555", None, "not a valid phone number"),
        ("hello", "US", "not a phone number"),
        ("", "US", "1 to 64 characters"),
        ("+1 202 555 0123 ext. 7", None, "extensions are not supported"),
        ("+12025550123", "XX", "unknown region 'XX'"),
        (12025550123, None, "must be a string"),
    ],
)
def test_invalid_numbers_raise_a_typed_error(text, region, message):
    with pytest.raises(InvalidPhoneNumberError, match=message):
        PhoneNumber.parse(text, region=region)


def test_model_validate_takes_a_string_or_the_stored_dict():
    assert PhoneNumber.model_validate("+12025550123").region == "US"
    short = PhoneNumber.model_validate({"number": "95188", "region": "CN"})
    assert short.is_short
    assert short.model_dump() == {"number": "95188", "region": "CN", "is_short": True}
    assert PhoneNumber(number="95017", region="CN").is_short


@pytest.mark.parametrize(
    "data",
    [
        {"number": "95188"},  # a short number needs its region
        {"number": "+12025550123", "region": "CA"},  # the region must be the number's own
        {"number": "95188", "region": "CN", "is_short": False},
        {"number": "+12025550123", "extra": 1},
        {"region": "CN"},
        "95188",
        42,
    ],
)
def test_model_validate_refuses_inconsistent_input(data):
    with pytest.raises(InvalidPhoneNumberError):
        PhoneNumber.model_validate(data)


def test_errors_inside_validators_carry_the_stable_type():
    class Line(BaseModel):
        phone: PhoneNumber

    with pytest.raises(ValidationError) as info:
        Line.model_validate({"phone": {"number": "95017", "region": "HK"}})
    assert info.value.errors()[0]["type"] == "walletsupport.phone_invalid"


@pytest.mark.parametrize(
    ("text", "region", "caller", "expected"),
    [
        ("95188", "CN", "CN", "95188"),
        ("95188", "CN", "HK", None),
        ("95188", "CN", "US", None),
        ("+86 571 95017", None, "CN", "0571 95017"),
        ("+86 571 95017", None, "US", "011 86 571 95017"),
        ("+86 571 95017", None, "HK", "00 86 571 95017"),
        ("+1 402 935 2050", None, "US", "(402) 935-2050"),
        ("+1 402 935 2050", None, "GB", "00 1 402-935-2050"),
        ("+1 402 935 2050", None, "CA", "1 (402) 935-2050"),
    ],
)
def test_dial_from_gives_what_to_dial_or_none(text, region, caller, expected):
    phone = PhoneNumber.parse(text, region=region)
    assert phone.dial_from(caller) == expected
    assert phone.is_dialable_from(caller) is (expected is not None)


def test_dial_from_refuses_an_unknown_caller_region():
    with pytest.raises(InvalidInputError, match="unknown region"):
        PhoneNumber.parse("+12025550123").dial_from("ZZ")


def test_formats_and_kinds():
    paypal = PhoneNumber.parse("+1 888 221 1161")
    assert paypal.format_international() == "+1 888-221-1161"
    assert paypal.format_national() == "(888) 221-1161"
    assert paypal.is_toll_free  # PHONE_TOLL_FREE_TYPE
    assert not PhoneNumber.parse("+1 402 935 2050").is_toll_free
    alipay = PhoneNumber.parse("95188", region="CN")
    assert alipay.format_international() == alipay.format_national() == "95188"
    assert not alipay.is_emergency
    assert not alipay.is_toll_free
    assert PhoneNumber.parse("110", region="CN").is_emergency  # PHONE_EMERGENCY_GUARD
    assert not paypal.is_emergency
    assert str(alipay) == "95188"


def test_phone_json_schema_accepts_string_or_object_and_dumps_object():
    validation = PhoneNumber.model_json_schema()
    assert {s["type"] for s in validation["anyOf"]} == {"string", "object"}
    serialization = PhoneNumber.model_json_schema(mode="serialization")
    assert set(serialization["properties"]) == {"number", "region", "is_short"}
    assert ">>>" not in validation["description"]


# --- properties ---------------------------------------------------------------------------

SAMPLE_REGIONS = sorted(SUPPORTED_REGIONS)


@st.composite
def example_numbers(draw: st.DrawFn) -> PhoneNumber:
    region = draw(st.sampled_from(SAMPLE_REGIONS))
    example = phonenumbers.example_number(region)
    if example is None:
        return PhoneNumber.parse("+12025550123")
    return PhoneNumber.parse(phonenumbers.format_number(example, 0))  # E164


@given(example_numbers())
def test_phone_numbers_round_trip_through_json(phone):
    assert PhoneNumber.model_validate_json(phone.model_dump_json()) == phone
    assert PhoneNumber.model_validate(phone.number) == phone


@given(example_numbers())
def test_a_number_is_dialable_from_its_own_region_in_national_format(phone):
    if phone.region is not None:
        assert phone.dial_from(phone.region) == phone.format_national()


@given(st.sampled_from(["95188", "95017", "12315"]), st.sampled_from(SAMPLE_REGIONS))
def test_chinese_service_short_numbers_are_dialable_only_in_cn(digits, caller):
    phone = PhoneNumber.parse(digits, region="CN")
    assert phone.is_dialable_from(caller) is (caller == "CN")


# --- Region -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [("cn", "CN"), (" US ", "US"), ("Gb", "GB")])
def test_regions_are_upper_cased(text, code):
    assert parse_region(text) == code


@pytest.mark.parametrize(("text", "shown"), [("UK", "'UK'"), ("XX", "'XX'"), ("001", "'001'")])
def test_unknown_regions_are_named_in_the_error(text, shown):
    with pytest.raises(InvalidInputError, match=shown):
        parse_region(text)


def test_region_error_for_a_non_string_names_its_type():
    with pytest.raises(InvalidInputError, match="got int"):
        parse_region(86)


def test_region_is_usable_as_a_model_field():
    class Caller(BaseModel):
        region: Region

    assert Caller(region="hk").region == "HK"
    with pytest.raises(ValidationError) as info:
        Caller(region="UK")
    assert info.value.errors()[0]["type"] == "walletsupport.region_invalid"
    assert "GB" in info.value.errors()[0]["msg"]
    assert Caller.model_json_schema()["properties"]["region"]["pattern"] == "^[A-Za-z]{2}$"


@given(st.sampled_from(SAMPLE_REGIONS))
def test_every_supported_region_parses_in_any_case(code):
    assert parse_region(code.lower()) == code


@given(number=strategies.phone_numbers(), caller=strategies.regions())
def test_a_cached_parse_answers_exactly_as_a_fresh_one(number: PhoneNumber, caller: str) -> None:
    def answers(value: PhoneNumber) -> tuple[object, ...]:
        return (
            value.dial_from(caller),
            value.format_national(),
            value.format_international(),
            value.is_toll_free,
            value.is_emergency,
        )

    warm = answers(number)  # parsed when validated, or on first use
    national = number.format_national()
    phone_module._PARSED.clear()
    cold = answers(PhoneNumber.model_construct(**number.model_dump()))  # parsed afresh
    assert warm == cold == answers(PhoneNumber.model_validate(number.model_dump()))
    if number.region is not None:  # the parse kept from national input answers the same
        phone_module._PARSED.clear()
        again = PhoneNumber.parse(national, region=number.region)
        assert again == number
        assert answers(again) == cold

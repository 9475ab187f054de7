"""Named reproducers of issue 17 findings 8 and 9: each once gave a foreign error or hung.

The contract test (tests/contract/test_contract_garbage_input.py) fuzzes every public
callable with the same kinds of garbage; these pin the cases the issue names.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from walletsupport.calendars import Schedule
from walletsupport.clock import FixedClock
from walletsupport.errors import InvalidInputError, InvalidScheduleError, WalletSupportError
from walletsupport.policies.sla import SlaPolicy
from walletsupport.values import Money, PhoneNumber
from walletsupport.verification import OtpPolicy, issue_code, plan_verification

NEAR_END = datetime(9998, 12, 31, 23, 0, tzinfo=UTC)


def test_a_schedule_without_a_zone_is_an_invalid_schedule() -> None:
    with pytest.raises(InvalidScheduleError, match="zone"):
        Schedule.model_validate({})
    with pytest.raises(InvalidScheduleError, match="bogus"):
        Schedule.model_validate({"zone": "UTC", "bogus": 1})


@pytest.mark.parametrize("duration", [timedelta.min, timedelta.max])
def test_business_time_beyond_the_supported_years_is_refused_at_once(duration) -> None:
    schedule = Schedule.weekdays("Europe/Berlin")
    at = datetime(2026, 1, 5, 9, tzinfo=UTC)
    with pytest.raises(InvalidInputError, match="duration"):
        schedule.subtract_business_time(at, duration)
    with pytest.raises(InvalidInputError, match="duration"):
        schedule.add_business_time(at, duration)


def test_a_fixed_clock_never_overflows() -> None:
    clock = FixedClock(NEAR_END)
    with pytest.raises(InvalidInputError):
        clock.advance(timedelta.max)
    with pytest.raises(InvalidInputError):
        clock.advance(timedelta(days=2))
    with pytest.raises(InvalidInputError):
        FixedClock(datetime(9999, 12, 31, tzinfo=UTC))


@pytest.mark.parametrize(
    "day", [date(9999, 12, 31), datetime(9999, 12, 31, 23, tzinfo=UTC), date(1, 1, 1)]
)
def test_is_holiday_at_the_ends_of_the_calendar_is_refused(day: date) -> None:
    with pytest.raises(InvalidInputError):
        Schedule.weekdays("Asia/Shanghai").is_holiday(day)


def test_an_sla_due_beyond_year_9998_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        SlaPolicy().due_at(timedelta(days=400), NEAR_END)
    with pytest.raises(InvalidInputError):
        SlaPolicy().due_at(timedelta.max, datetime(2026, 1, 5, tzinfo=UTC))


def test_codes_issued_at_the_end_of_time_are_refused() -> None:
    with pytest.raises(InvalidInputError):
        issue_code(OtpPolicy(), b"k" * 32, datetime(9999, 12, 31, 23, 59, tzinfo=UTC))


@pytest.mark.parametrize(
    "amount", [Decimal("sNaN"), Decimal("9e999999"), Decimal("1e-999999"), "1e999999"]
)
def test_money_refuses_decimal_traps(amount: object) -> None:
    with pytest.raises(WalletSupportError):
        Money.of(amount, "EUR")  # type: ignore[arg-type]


def test_a_phone_number_with_decimal_traps_in_its_fields_is_refused() -> None:
    phone = PhoneNumber.parse("+14155552671")
    for field in type(phone).model_fields:
        with pytest.raises(WalletSupportError):
            PhoneNumber.model_validate({**phone.model_dump(), field: Decimal("sNaN")})


def test_error_messages_never_repr_huge_input() -> None:
    for bad in (10**5000, list(range(200_000))):
        with pytest.raises(WalletSupportError) as info:
            plan_verification(bad, "low", [])  # type: ignore[arg-type]
        assert len(str(info.value)) < 400
    with pytest.raises(WalletSupportError) as info:
        Schedule(zone="UTC", holidays=["x"] * 200_000)
    assert len(str(info.value)) < 1_000

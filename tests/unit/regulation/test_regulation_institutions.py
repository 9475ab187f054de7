"""Institution presets: each regime's business days, against the published calendars."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from walletsupport.calendars import Schedule
from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.regulation import Institution, Regime

US = Institution.for_region("US")

# federalreserve.gov K.8 (2026-2030) and stlouisfed.org (2025): the days Federal Reserve Banks
# are closed, Saturday holidays not moved, Sunday ones on the Monday (BD_FED_WEEKEND_RULE).
FED_CLOSED = {
    2025: "01-01 01-20 02-17 05-26 06-19 07-04 09-01 10-13 11-11 11-27 12-25",
    2026: "01-01 01-19 02-16 05-25 06-19 09-07 10-12 11-11 11-26 12-25",
    2027: "01-01 01-18 02-15 05-31 07-05 09-06 10-11 11-11 11-25",
    2028: "01-17 02-21 05-29 06-19 07-04 09-04 10-09 11-23 12-25",
    2029: "01-01 01-15 02-19 05-28 06-19 07-04 09-03 10-08 11-12 11-22 12-25",
    2030: "01-01 01-21 02-18 05-27 06-19 07-04 09-02 10-14 11-11 11-28 12-25",
}


def _weekdays_closed(schedule: Schedule, year: int) -> set[str]:
    day, found = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not schedule.is_business_day(day):
            found.add(day.isoformat()[5:])
        day += timedelta(days=1)
    return found


def _weekends_open(schedule: Schedule, year: int) -> set[str]:
    day, found = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() >= 5 and schedule.is_business_day(day):
            found.add(day.isoformat()[5:])
        day += timedelta(days=1)
    return found


@pytest.mark.parametrize("year", sorted(FED_CLOSED))
def test_us_bank_closes_exactly_on_the_federal_reserve_holidays(year):
    assert _weekdays_closed(US.schedule, year) == set(FED_CLOSED[year].split())
    assert _weekends_open(US.schedule, year) == set()


@pytest.mark.parametrize(
    "friday", ["2026-07-03", "2027-06-18", "2027-12-24", "2027-12-31", "2028-11-10"]
)
def test_fed_banks_are_open_the_friday_before_a_saturday_holiday(friday):
    assert US.schedule.is_business_day(date.fromisoformat(friday))


# 国办发明电〔2024〕12号 (2025) and the notice of 2025-11-04 (2026): weekdays off and the
# weekend days worked (调休), BD_CN_ANNUAL_NOTICE.
CN_OFF = {
    2025: "01-01 01-28 01-29 01-30 01-31 02-03 02-04 04-04 05-01 05-02 05-05 06-02 "
    "10-01 10-02 10-03 10-06 10-07 10-08",
    2026: "01-01 01-02 02-16 02-17 02-18 02-19 02-20 02-23 04-06 05-01 05-04 05-05 06-19 "
    "09-25 10-01 10-02 10-05 10-06 10-07",
}
CN_WORK = {2025: "01-26 02-08 04-27 09-28 10-11", 2026: "01-04 02-14 02-28 05-09 09-20 10-10"}


@pytest.mark.parametrize("year", [2025, 2026])
def test_chinese_institution_follows_the_state_council_notice(year):
    schedule = Institution.for_region("CN").schedule
    assert _weekdays_closed(schedule, year) == set(CN_OFF[year].split())
    assert _weekends_open(schedule, year) == set(CN_WORK[year].split())


@pytest.mark.parametrize(
    ("nation", "day", "open_"),
    [
        ("SCT", "2026-11-30", False),  # St Andrew's Day
        ("ENG", "2026-11-30", True),
        ("NIR", "2026-03-17", False),  # St Patrick's Day
        ("ENG", "2026-03-17", True),
        ("SCT", "2026-01-02", False),  # 2 January
        ("WLS", "2026-04-06", False),  # Easter Monday
        ("SCT", "2026-04-06", True),
        ("ENG", "2026-12-28", False),  # Boxing Day (substitute)
    ],
)
def test_uk_psp_counts_its_nations_bank_holidays(nation, day, open_):
    schedule = Institution.uk_psp(nation=nation).schedule
    assert schedule.is_business_day(date.fromisoformat(day)) is open_


@pytest.mark.parametrize(
    ("state", "zone", "closed", "open_"),
    [
        ("DE", "Europe/Berlin", "2028-10-03", "2026-07-21"),
        ("BE", "Europe/Brussels", "2026-07-21", "2028-10-03"),
        ("FR", "Europe/Paris", "2026-07-14", "2026-10-26"),
        ("IE", "Europe/Dublin", "2026-03-17", "2026-07-14"),
        ("NO", "Europe/Oslo", "2026-05-01", "2026-03-17"),
    ],
)
def test_eu_psp_uses_its_member_states_holidays(state, zone, closed, open_):
    psp = Institution.for_region(state)
    assert psp.zone == zone
    assert psp.regimes == (Regime.PSD2,)
    assert not psp.schedule.is_business_day(date.fromisoformat(closed))
    assert psp.schedule.is_business_day(date.fromisoformat(open_))


def test_presets_are_built_once_per_region():
    assert Institution.for_region("de") is Institution.for_region("DE")


@pytest.mark.parametrize("region", ["JP", "BR"])
def test_regions_without_a_preset_need_an_institution(region):
    with pytest.raises(InvalidInputError, match="no institution preset"):
        Institution.for_region(region)


def test_bad_presets_and_values_raise_typed_errors():
    with pytest.raises(InvalidInputError):
        Institution.eu_psp("US")
    with pytest.raises(InvalidInputError):
        Institution.uk_psp(nation="CYM")
    with pytest.raises(ConfigurationError):
        Institution(name="x", jurisdiction="XX", schedule=Schedule(zone="UTC"), regimes=("reg_e",))
    with pytest.raises(ConfigurationError):
        Institution(name="x", jurisdiction="US", schedule=Schedule(zone="UTC"), regimes=())


def test_an_institution_round_trips_through_json():
    assert Institution.model_validate_json(US.model_dump_json()) == US

"""Support lines and the directory: loading from plain data, validation, dialing, samples."""

from __future__ import annotations

import copy
import json

import pytest

from walletsupport.calendars import Schedule
from walletsupport.contact import (
    Directory,
    LineTier,
    SupportLine,
    sample_directory,
    sample_directory_data,
)
from walletsupport.errors import InvalidDirectoryError, UnknownLineError
from walletsupport.issues.registry import IssueRegistry, default_registry


def _line(**overrides):
    data = {
        "id": "demo",
        "name": {"en": "Demo", "zh": "演示"},
        "number": "+1 202 555 0100",
        "regions": ["US"],
        "languages": ["en"],
        "schedule": {"zone": "America/New_York", "hours": {"mon": [["09:00", "17:00"]]}},
    }
    data.update(overrides)
    return data


def test_sample_directory_loads_from_plain_json_data():
    data = json.loads(json.dumps(sample_directory_data()))
    directory = Directory.model_validate(data)
    assert directory == sample_directory()
    assert len(directory) == 6
    assert Directory.model_validate_json(directory.model_dump_json()) == directory


def test_sample_lines_are_all_marked_fictional_and_use_reserved_ranges():
    for line in sample_directory().lines:
        assert line.example
        numbers = [line.number, line.international_number]
        for number in filter(None, numbers):
            text = number.number
            assert (
                text.startswith(("+120255501", "+8610555501"))
                or (text.startswith("+442079460") and len(text) == 13)
                or text == "95000"
            ), text
    cn = sample_directory().get("lianfu-cn-main")
    assert "example" in cn.name.en
    assert "示例" in cn.name.zh


def test_sample_schedules_use_the_holidays_package():
    for line in sample_directory().lines:
        if not line.is_always_open:
            assert line.schedule.holiday_calendar is not None


def test_unknown_category_id_names_the_line():
    data = {"lines": [_line(id="bad-line", categories=["lost_dog"])]}
    with pytest.raises(InvalidDirectoryError, match="lost_dog") as info:
        Directory.model_validate(data)
    assert info.value.line_id == "bad-line"


def test_unknown_group_names_the_line():
    with pytest.raises(InvalidDirectoryError) as info:
        Directory.model_validate({"lines": [_line(id="g", categories=[], groups=["cats"])]})
    assert info.value.line_id == "g"


def test_categories_are_checked_against_the_registry_passed_in():
    empty = IssueRegistry()
    data = {"lines": [_line(categories=["app_crash"])]}
    assert len(Directory.load(data)) == 1
    with pytest.raises(InvalidDirectoryError) as info:
        Directory.load(data, registry=empty)
    assert info.value.line_id == "demo"


def test_duplicate_ids_are_refused():
    with pytest.raises(InvalidDirectoryError) as info:
        Directory.model_validate({"lines": [_line(), _line(number="+1 202 555 0101")]})
    assert info.value.line_id == "demo"


def test_overlapping_duplicate_lines_are_flagged():
    first = _line(id="a", categories=["app_crash", "add_card"])
    second = _line(id="b", categories=["add_card"])
    with pytest.raises(InvalidDirectoryError, match="duplicates line 'a'") as info:
        Directory.model_validate({"lines": [first, second]})
    assert info.value.line_id == "b"


def test_same_number_for_disjoint_categories_is_allowed():
    first = _line(id="a", categories=["app_crash"])
    second = _line(id="b", categories=["add_card"])
    assert len(Directory.model_validate({"lines": [first, second]})) == 2


def test_same_number_for_other_regions_is_allowed():
    first = _line(id="a")
    second = _line(id="b", regions=["CA"])
    assert len(Directory.model_validate({"lines": [first, second]})) == 2


def test_direct_construction_is_validated_too():
    line = SupportLine.model_validate(_line())
    with pytest.raises(InvalidDirectoryError, match="the id is used twice"):
        Directory(lines=(line, line))


def test_emergency_number_cannot_be_a_line():
    with pytest.raises(InvalidDirectoryError, match="emergency"):
        SupportLine.model_validate(_line(number={"number": "110", "region": "CN"}))


def test_line_must_handle_something():
    with pytest.raises(InvalidDirectoryError, match="handles no category"):
        SupportLine.model_validate(_line(categories=[]))


@pytest.mark.parametrize("languages", [["english"], ["en", "EN"], []])
def test_bad_languages_are_refused(languages):
    with pytest.raises(InvalidDirectoryError):
        SupportLine.model_validate(_line(languages=languages))


def test_international_alternative_must_be_a_full_number():
    with pytest.raises(InvalidDirectoryError, match="full number"):
        SupportLine.model_validate(
            _line(
                number={"number": "95000", "region": "CN"},
                international_number={"number": "95001", "region": "CN"},
                regions=["CN"],
            )
        )


def test_short_number_is_not_dialable_abroad_without_an_alternative():
    data = _line(number={"number": "95000", "region": "CN"}, regions=["CN", "HK"])
    line = SupportLine.model_validate(data)
    assert line.dial_from("CN") == "95000"
    assert line.dial_from("HK") is None
    with_alt = SupportLine.model_validate({**data, "international_number": "+86 10 5555 0100"})
    assert with_alt.dial_from("HK") == "00 86 10 5555 0100"


def test_always_open_is_detected_from_the_hours():
    always = SupportLine.model_validate(
        _line(schedule=Schedule.always_open("UTC").model_dump(mode="json"))
    )
    split = SupportLine.model_validate(
        _line(
            schedule={
                "zone": "UTC",
                "hours": {
                    d: [["00:00", "12:00"], ["12:00", "24:00"]]
                    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                },
            }
        )
    )
    night = SupportLine.model_validate(
        _line(
            schedule={
                "zone": "UTC",
                "hours": {
                    d: [["08:00", "08:00"]]
                    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
                },
            }
        )
    )
    weekdays = SupportLine.model_validate(_line())
    holidays = SupportLine.model_validate(
        _line(
            schedule={
                **Schedule.always_open("UTC").model_dump(mode="json"),
                "holidays": ["2026-12-25"],
            }
        )
    )
    assert always.is_always_open
    assert split.is_always_open
    assert night.is_always_open
    assert not weekdays.is_always_open
    assert not holidays.is_always_open


def test_get_unknown_line_raises_lookup_error():
    with pytest.raises(UnknownLineError) as info:
        sample_directory().get("nope")
    assert isinstance(info.value, LookupError)


def test_sample_fraud_lines_are_urgent_tier_and_24_7():
    for line_id in ("acme-us-fraud", "contoso-eu-fraud", "lianfu-cn-fraud"):
        line = sample_directory().get(line_id)
        assert line.tier is LineTier.URGENT
        assert line.is_always_open
        assert "unauthorized_transaction" in line.category_ids(default_registry())


def test_sample_data_is_a_fresh_copy_each_time():
    data = sample_directory_data()
    before = copy.deepcopy(data)
    data["lines"].clear()
    assert sample_directory_data() == before

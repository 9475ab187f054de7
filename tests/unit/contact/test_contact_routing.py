"""Routing: the explained choice of line, open now or soonest, and the typed no-route result."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from walletsupport.calendars import Schedule
from walletsupport.contact import (
    Directory,
    FallbackChannel,
    NoRoute,
    Route,
    RouteResult,
    RouteRule,
    SupportLine,
    caller_zone_for,
    route,
    sample_directory,
)
from walletsupport.errors import (
    InvalidInputError,
    NaiveDatetimeError,
    UnknownIssueCategoryError,
)
from walletsupport.issues import Urgency
from walletsupport.issues.registry import default_registry

SAMPLE = sample_directory()
REGISTRY = default_registry()
CATEGORY_IDS = sorted(c.id for c in REGISTRY)
MONDAY_10_NY = datetime(2026, 1, 5, 15, 0, tzinfo=UTC)
SUNDAY_NOON_UTC = datetime(2026, 1, 4, 12, 0, tzinfo=UTC)


def test_urgent_issue_prefers_the_24_7_line_even_when_the_main_line_is_open():
    r = route(SAMPLE, region="US", category="unauthorized_transaction", at=MONDAY_10_NY)
    assert isinstance(r, Route)
    assert r.line.id == "acme-us-fraud"
    assert r.rule is RouteRule.URGENT_PREFERS_24_7
    assert r.alternatives == ("acme-us-main",)
    assert "24/7" in r.explanation.en


def test_non_urgent_issue_goes_to_the_main_line_when_open():
    r = route(SAMPLE, region="US", category="feature_inquiry", at=MONDAY_10_NY)
    assert isinstance(r, Route)
    assert (r.line.id, r.open_now, r.rule) == ("acme-us-main", True, RouteRule.OPEN_NOW)
    assert r.opens_at == MONDAY_10_NY
    assert r.dial.digits == "(202) 555-0142"
    assert r.wait is not None


def test_closed_lines_give_the_soonest_opening_in_both_zones():
    r = route(SAMPLE, region="DE", category="app_crash", at=SUNDAY_NOON_UTC, language="de")
    assert isinstance(r, Route)
    assert r.rule is RouteRule.OPENS_SOONEST
    assert not r.open_now
    assert r.opens_at == datetime(2026, 1, 5, 8, 0, tzinfo=ZoneInfo("Europe/London"))
    assert r.opens_at.tzinfo == ZoneInfo("Europe/London")
    assert r.opens_at_caller.tzinfo == ZoneInfo("Europe/Berlin")
    assert r.opens_at_caller.hour == 9
    assert r.dial.international
    assert r.dial.digits == "00 44 20 7946 0123"


def test_public_holiday_from_the_holidays_package_closes_the_line():
    new_year_noon_ny = datetime(2026, 1, 1, 17, 0, tzinfo=UTC)
    r = route(SAMPLE, region="US", category="refund_request", at=new_year_noon_ny)
    assert isinstance(r, Route)
    assert not r.open_now
    assert r.opens_at == datetime(2026, 1, 2, 8, 0, tzinfo=ZoneInfo("America/New_York"))


def test_short_number_is_dialled_at_home_and_the_full_number_is_not_needed():
    r = route(SAMPLE, region="CN", category="app_crash", at=datetime(2026, 1, 5, 3, tzinfo=UTC))
    assert isinstance(r, Route)
    assert r.dial.short_number
    assert r.dial.digits == "95000"
    assert r.line.example


def test_no_line_for_the_region_is_a_typed_result_with_fallback():
    r = route(SAMPLE, region="JP", category="app_crash", at=MONDAY_10_NY)
    assert isinstance(r, NoRoute)
    assert r.fallback == (FallbackChannel.IN_APP_CHAT, FallbackChannel.EMAIL)
    assert "JP" in r.explanation.en


def test_unspoken_language_falls_back_and_says_so():
    r = route(SAMPLE, region="US", category="app_crash", at=MONDAY_10_NY, language="ja")
    assert isinstance(r, Route)
    assert not r.language_matched
    assert "Japanese" in r.explanation.en


def test_language_filter_keeps_only_lines_that_speak_it():
    r = route(SAMPLE, region="CN", category="forgot_password", at=MONDAY_10_NY, language="en")
    assert isinstance(r, Route)
    assert r.line.id == "lianfu-cn-main"
    assert r.language_matched


def test_route_results_round_trip_through_json():
    adapter: TypeAdapter[Route | NoRoute] = TypeAdapter(RouteResult)
    for r in (
        route(SAMPLE, region="US", category="app_crash", at=MONDAY_10_NY),
        route(SAMPLE, region="JP", category="app_crash", at=MONDAY_10_NY),
    ):
        assert adapter.validate_json(adapter.dump_json(r)) == r


def test_bad_arguments_raise_typed_errors():
    with pytest.raises(NaiveDatetimeError):
        route(SAMPLE, region="US", category="app_crash", at=datetime(2026, 1, 5, 9))
    with pytest.raises(InvalidInputError):
        route(SAMPLE, region="XX", category="app_crash", at=MONDAY_10_NY)
    with pytest.raises(UnknownIssueCategoryError):
        route(SAMPLE, region="US", category="lost_dog", at=MONDAY_10_NY)
    with pytest.raises(InvalidInputError):
        route(SAMPLE, region="US", category="app_crash", at=MONDAY_10_NY, caller_zone="Mars/X")
    with pytest.raises(InvalidInputError):
        route([], region="US", category="app_crash", at=MONDAY_10_NY)  # type: ignore[arg-type]


def test_caller_zone_comes_from_a_table_then_phonenumbers_then_utc():
    assert caller_zone_for("US") == "America/New_York"
    assert caller_zone_for("ru") == "Europe/Moscow"
    assert caller_zone_for("DE") == "Europe/Berlin"
    with pytest.raises(InvalidInputError):
        caller_zone_for("ZZ")


def test_caller_zone_argument_overrides_the_region_table():
    r = route(
        SAMPLE,
        region="US",
        category="app_crash",
        at=SUNDAY_NOON_UTC,
        caller_zone="America/Los_Angeles",
    )
    assert isinstance(r, Route)
    assert r.caller_zone == "America/Los_Angeles"
    assert r.opens_at_caller.utcoffset() == timedelta(hours=-8)


# --- properties -----------------------------------------------------------------------------

REGIONS = ["US", "PR", "GB", "DE", "IE", "CN", "HK", "JP"]
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)


def _matching(directory: Directory, region: str, category_id: str, language: str | None, at=None):
    category = REGISTRY.get(category_id)
    lines = [
        line
        for line in directory.lines
        if line.handles(category) and line.serves(region) and line.dial_from(region) is not None
    ]
    speaking = [line for line in lines if language is not None and line.speaks(language)]
    # urgency first: a high/critical issue keeps every line when none speaking is open now
    urgent_override = (
        at is not None
        and category.urgency >= Urgency.HIGH
        and any(line.schedule.is_open(at) for line in lines)
        and not any(line.schedule.is_open(at) for line in speaking)
    )
    if speaking and not urgent_override:
        lines = speaking
    return lines


def _check_route(directory, region, category_id, at, language):
    result = route(directory, region=region, category=category_id, at=at, language=language)
    matching = _matching(directory, region, category_id, language, at)
    if isinstance(result, NoRoute):
        assert matching == []
        return
    category = REGISTRY.get(category_id)
    assert result.line.handles(category)
    assert result.line.serves(region)
    assert result.line in matching
    open_lines = [line for line in matching if line.schedule.is_open(at)]
    if open_lines:
        assert result.open_now
        assert result.line.schedule.is_open(at)
    else:
        assert not result.open_now
        assert result.opens_at == min(line.schedule.next_open(at) for line in matching)
        assert result.opens_at > at
    assert result.opens_at_caller == result.opens_at


@settings(max_examples=40, deadline=None)
@given(
    region=st.sampled_from(REGIONS),
    category_id=st.sampled_from(CATEGORY_IDS),
    at=instants,
    language=st.sampled_from([None, "en", "zh", "de", "es"]),
)
def test_route_on_the_sample_directory_obeys_the_rules(region, category_id, at, language):
    _check_route(SAMPLE, region, category_id, at, language)


@st.composite
def directories(draw) -> Directory:
    lines = []
    for i in range(draw(st.integers(min_value=1, max_value=4))):
        start = draw(st.integers(min_value=0, max_value=22))
        length = draw(st.integers(min_value=1, max_value=24))
        end = (start + length) % 24
        days = draw(
            st.lists(st.sampled_from(["mon", "tue", "wed", "sat"]), min_size=1, unique=True)
        )
        zone = draw(st.sampled_from(["UTC", "America/New_York", "Asia/Shanghai"]))
        categories = draw(
            st.one_of(
                st.just("all"), st.lists(st.sampled_from(CATEGORY_IDS), min_size=1, unique=True)
            )
        )
        lines.append(
            SupportLine.model_validate(
                {
                    "id": f"line-{i}",
                    "name": {"en": f"Line {i}", "zh": f"热线{i}"},
                    "number": f"+1 202 555 01{i:02d}",
                    "regions": draw(
                        st.lists(st.sampled_from(["US", "GB"]), min_size=1, unique=True)
                    ),
                    "languages": draw(
                        st.lists(st.sampled_from(["en", "zh"]), min_size=1, unique=True)
                    ),
                    "categories": categories,
                    "schedule": Schedule(
                        zone=zone,
                        hours={day: [(f"{start:02d}:00", f"{end:02d}:00")] for day in days},
                    ),
                }
            )
        )
    return Directory(lines=tuple(lines))


@settings(max_examples=40, deadline=None)
@given(
    directory=directories(),
    region=st.sampled_from(["US", "GB", "JP"]),
    category_id=st.sampled_from(CATEGORY_IDS),
    at=instants,
    language=st.sampled_from([None, "en", "zh"]),
)
def test_route_on_generated_directories_obeys_the_rules(
    directory, region, category_id, at, language
):
    _check_route(directory, region, category_id, at, language)


@pytest.mark.parametrize(("region", "line"), [("US", "acme-us-fraud"), ("CN", "lianfu-cn-fraud")])
def test_a_lost_card_goes_to_the_24_7_fraud_line(region, line):
    result = route(SAMPLE, region=region, category="lost_or_stolen", at=MONDAY_10_NY)
    assert isinstance(result, Route)
    assert result.line.id == line


def test_closing_an_account_is_not_sent_to_the_security_line():
    result = route(SAMPLE, region="CN", category="account_closure", at=MONDAY_10_NY)
    assert isinstance(result, Route)
    assert result.line.id == "lianfu-cn-main"

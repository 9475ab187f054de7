"""A warm ``assist`` repeats no work: numbers parsed once, no schedule or checklist rebuilt."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import phonenumbers
import pytest
from phonenumbers import timezone as pn_timezone

from walletsupport import assist
from walletsupport.calendars import Schedule
from walletsupport.contact import Directory, sample_directory_data
from walletsupport.contact import checklists as checklists_module
from walletsupport.values import phone as phone_module

AT = datetime(2026, 3, 2, 15, tzinfo=UTC)
TEXTS = ("my card was charged twice", "app keeps crashing after the update", "我的账户被冻结了")
PHONENUMBERS = (
    (phonenumbers, "parse"),
    (phonenumbers, "format_number"),
    (phonenumbers, "format_out_of_country_calling_number"),
    (phonenumbers, "example_number_for_type"),
    (pn_timezone, "time_zones_for_number"),
)


def _count(monkeypatch: pytest.MonkeyPatch, calls: Counter[str], owner: Any, name: str) -> None:
    real: Callable[..., Any] = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counter: Counter[str] = Counter()
    for owner, name in PHONENUMBERS:
        _count(monkeypatch, counter, owner, name)
    real_init = Schedule.__init__

    def counted_init(self: Schedule, **data: Any) -> None:
        counter["Schedule"] += 1
        real_init(self, **data)

    monkeypatch.setattr(Schedule, "__init__", counted_init)
    _count(monkeypatch, counter, checklists_module.SecretVocabulary, "asks_for")
    return counter


def _numbers(data: Any) -> int:
    if isinstance(data, dict):
        return sum(
            _numbers(v) for k, v in data.items() if k not in ("number", "international_number")
        ) + sum(1 for k in ("number", "international_number") if data.get(k) is not None)
    if isinstance(data, list):
        return sum(_numbers(v) for v in data)
    return 0


def test_a_directory_parses_each_number_once_however_often_it_is_dialled(
    calls: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(phone_module, "_PARSED", {})
    data = sample_directory_data()
    directory = Directory.model_validate(data)
    assert calls["parse"] == _numbers(data) > 0
    for region in ("US", "CN", "GB", "DE", "JP", "US"):
        for text in TEXTS:
            assist(text, region=region, at=AT, directory=directory)
    assert calls["parse"] == _numbers(data)


@pytest.mark.parametrize("region", ["US", "CN", "JP", "BR"])
def test_a_second_call_builds_no_schedule_and_asks_phonenumbers_nothing(
    region: str, calls: Counter[str]
) -> None:
    for text in TEXTS:
        first = assist(text, region=region, at=AT)
    calls.clear()
    for text in TEXTS:
        again = assist(text, region=region, at=AT)
    assert again == first
    assert calls == Counter()


def test_the_parse_and_checklist_caches_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from walletsupport.contact import call_checklist
    from walletsupport.contact.checklists import DEFAULT_SECRETS
    from walletsupport.issues import default_registry
    from walletsupport.values import PhoneNumber

    monkeypatch.setattr(phone_module, "_PARSED", {})
    monkeypatch.setattr(phone_module, "_PARSED_MAX", 3)
    numbers = [PhoneNumber.parse(f"+1 202 555 01{i:02d}") for i in range(10)]
    assert len(phone_module._PARSED) <= 3
    assert [n.dial_from("US") for n in numbers][-1] == "(202) 555-0109"  # evicted: parsed again
    monkeypatch.setattr(checklists_module, "_CHECKLISTS", {})
    monkeypatch.setattr(checklists_module, "_CHECKLISTS_MAX", 2)
    vocabularies = [DEFAULT_SECRETS.extended(en=(f"word{i}",)) for i in range(5)]
    for category in list(default_registry())[:4]:
        for vocabulary in vocabularies:
            assert call_checklist(category, "en", secrets=vocabulary).category_id == category.id
    assert len(checklists_module._CHECKLISTS) <= 2

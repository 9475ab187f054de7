"""Region codes are checked without importing phonenumbers, and agree with it."""

from __future__ import annotations

import phonenumbers
import pytest

from walletsupport.errors import InvalidInputError
from walletsupport.values import SUPPORTED_REGIONS, parse_region
from walletsupport.values import region as region_module


def test_the_built_in_region_list_is_what_the_installed_phonenumbers_supports() -> None:
    assert frozenset(phonenumbers.SUPPORTED_REGIONS) == SUPPORTED_REGIONS
    assert region_module._KNOWN <= SUPPORTED_REGIONS


def test_a_region_outside_the_built_in_list_is_looked_up_in_phonenumbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(region_module, "_KNOWN", frozenset())
    assert parse_region(" jp ") == "JP"
    with pytest.raises(InvalidInputError, match="unknown region"):
        parse_region("QQ")

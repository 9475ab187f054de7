"""Acme's category reaches walletsupport through the entry point, and triage finds it."""

from __future__ import annotations

import pytest
from acme_wallet import MERCHANT_CHARGEBACK
from hypothesis import given, settings

from walletsupport.issues import IssueRegistry, default_registry, triage
from walletsupport.testing import strategies as ws

pytest_plugins = ["walletsupport.testing.pytest_plugin"]


def _with_acme() -> IssueRegistry:
    registry = default_registry()
    registry.load_entry_points()
    return registry


def test_the_entry_point_registers_the_chargeback_category(registry: IssueRegistry) -> None:
    assert registry.load_entry_points() == ("merchant_chargeback",)
    assert registry.get("merchant_chargeback") == MERCHANT_CHARGEBACK


def test_loading_twice_is_refused_as_a_duplicate(registry: IssueRegistry) -> None:
    from walletsupport.errors import DuplicateIssueCategoryError

    registry.load_entry_points()
    with pytest.raises(DuplicateIssueCategoryError):
        registry.load_entry_points()


@pytest.mark.parametrize("language", ["en", "zh"])
def test_messages_in_the_category_vocabulary_are_triaged_to_it(language: str) -> None:
    registry = _with_acme()

    @settings(max_examples=30, deadline=None)
    @given(ws.issue_messages("merchant_chargeback", language, registry=registry))
    def check(text: str) -> None:
        # the learned model weighs these terms as evidence among others: ranked, not always first
        assert "merchant_chargeback" in triage(text, registry).ranked_ids(3)

    check()


def test_the_examples_of_the_category_triage_to_it() -> None:
    registry = _with_acme()
    for example in MERCHANT_CHARGEBACK.examples:
        assert triage(example, registry).top.category_id == "merchant_chargeback"

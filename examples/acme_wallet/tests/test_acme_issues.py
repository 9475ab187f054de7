"""Acme's category, lines and assist call reach walletsupport through entry points."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from acme_wallet import LINES_FILE, MERCHANT_CHARGEBACK, acme_directory
from acme_wallet.issues import EXAMPLES_EN, EXAMPLES_ZH
from hypothesis import given, settings

from walletsupport import assist
from walletsupport.cli import main
from walletsupport.contact import Directory
from walletsupport.errors import DuplicateIssueCategoryError
from walletsupport.issues import IssueRegistry, default_registry, triage
from walletsupport.testing import strategies as ws

pytest_plugins = ["walletsupport.testing.pytest_plugin"]

#: Monday 2 March 2026, 10:00 in Singapore: the merchant desk is open.
MONDAY_MORNING = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Singapore"))


def test_the_entry_point_registers_the_chargeback_category() -> None:
    registry = default_registry()
    assert registry.load_entry_points() == ("merchant_chargeback",)
    assert registry.get("merchant_chargeback") == MERCHANT_CHARGEBACK


def test_the_plugin_registry_fixture_already_holds_it(registry: IssueRegistry) -> None:
    assert registry.get("merchant_chargeback") == MERCHANT_CHARGEBACK
    with pytest.raises(DuplicateIssueCategoryError):
        registry.load_entry_points()


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_category_has_enough_varied_examples_in_both_languages() -> None:
    assert len(set(EXAMPLES_EN)) >= 30
    assert len(set(EXAMPLES_ZH)) >= 30
    assert not any(_cjk(text) for text in EXAMPLES_EN)
    assert all(_cjk(text) for text in EXAMPLES_ZH)
    # varied: no single word carries the English examples
    assert sum("chargeback" in text.lower() for text in EXAMPLES_EN) < len(EXAMPLES_EN) / 2
    assert set(MERCHANT_CHARGEBACK.examples) == {*EXAMPLES_EN, *EXAMPLES_ZH}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_messages_in_the_category_vocabulary_are_triaged_to_it(
    registry: IssueRegistry, language: str
) -> None:
    @settings(max_examples=30, deadline=None)
    @given(ws.issue_messages("merchant_chargeback", language, registry=registry))
    def check(text: str) -> None:
        # the learned model weighs these terms as evidence among others: ranked, not always first
        assert "merchant_chargeback" in triage(text, registry).ranked_ids(3)

    check()


@pytest.fixture
def walletsupport_lines() -> Path:
    """The plugin's ``directory`` fixture serves Acme's lines instead of the sample ones."""
    return LINES_FILE


def test_the_directory_fixture_serves_acme_lines(directory: Directory) -> None:
    assert [line.id for line in directory.lines] == ["acme-sg-merchants", "acme-sg-care"]
    assert directory.get("acme-sg-merchants").handles("merchant_chargeback", _with_acme())
    assert directory == acme_directory(_with_acme())


def _with_acme() -> IssueRegistry:
    registry = default_registry()
    registry.load_entry_points()
    return registry


def test_assist_routes_a_merchant_to_the_merchant_desk(
    registry: IssueRegistry, directory: Directory
) -> None:
    answer = assist(
        "a customer filed a chargeback against my shop",
        region="SG",
        at=MONDAY_MORNING,
        directory=directory,
        registry=registry,
    )
    assert answer.route is not None
    assert answer.route.line.id == "acme-sg-merchants"
    checklist = answer.checklist()
    assert checklist is not None
    assert "reason_code" in [item.id for item in checklist.items]


def test_the_cli_assist_loads_the_installed_category_for_the_lines_file() -> None:
    out, err = io.StringIO(), io.StringIO()
    argv = ["assist", "a customer filed a chargeback against my shop", "--region", "SG"]
    argv += ["--at", MONDAY_MORNING.isoformat(), "--directory", str(LINES_FILE), "--json"]
    assert main(argv, stdout=out, stderr=err) == 0, err.getvalue()
    assert json.loads(out.getvalue())["route"]["line"]["id"] == "acme-sg-merchants"

"""Issue category values: urgency order, vocabulary terms, the built-in taxonomy."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.issues import (
    ChecklistItem,
    IssueCategory,
    IssueGroup,
    TriageTerm,
    Urgency,
    builtin_categories,
)
from walletsupport.verification import VerificationAction

EXPECTED_GROUPS = {
    "forgot_password": IssueGroup.ACCOUNT_ACCESS,
    "account_locked": IssueGroup.ACCOUNT_ACCESS,
    "unauthorized_transaction": IssueGroup.SECURITY,
    "security_concern": IssueGroup.SECURITY,
    "app_crash": IssueGroup.TECHNICAL,
    "connection_problem": IssueGroup.TECHNICAL,
    "refund_request": IssueGroup.PAYMENTS,
    "transaction_dispute": IssueGroup.PAYMENTS,
    "add_card": IssueGroup.HOW_TO,
    "feature_inquiry": IssueGroup.HOW_TO,
}
SECRET_WORDS = ("password", "cvc", "cvv", "one-time", "otp", "密码", "验证码", "安全码", "pin")


def test_built_in_taxonomy_has_exactly_the_agreed_leaf_ids_and_groups():
    assert {c.id: c.group for c in builtin_categories()} == EXPECTED_GROUPS


def test_urgency_orders_by_rank_not_alphabetically():
    assert sorted([Urgency.CRITICAL, Urgency.LOW, Urgency.HIGH, Urgency.NORMAL]) == [
        Urgency.LOW,
        Urgency.NORMAL,
        Urgency.HIGH,
        Urgency.CRITICAL,
    ]
    assert Urgency.LOW < Urgency.NORMAL  # alphabetically "low" > "normal"


@given(st.sampled_from(list(Urgency)), st.sampled_from(list(Urgency)))
def test_urgency_comparison_agrees_with_rank(a, b):
    assert (a < b) == (a.rank < b.rank)
    assert (a >= b) == (a.rank >= b.rank)


def test_urgency_refuses_to_compare_with_plain_strings():
    with pytest.raises(TypeError):
        _ = Urgency.LOW < "zzz"


def test_money_at_risk_categories_are_time_critical_and_most_urgent():
    by_id = {c.id: c for c in builtin_categories()}
    assert by_id["unauthorized_transaction"].time_critical
    assert by_id["unauthorized_transaction"].urgency is Urgency.CRITICAL
    assert by_id["transaction_dispute"].time_critical
    assert not by_id["feature_inquiry"].time_critical
    assert by_id["unauthorized_transaction"].verification_action is (
        VerificationAction.REPORT_UNAUTHORIZED
    )


def test_checklists_never_ask_for_a_secret():
    for category in builtin_categories():
        ids = [item.id for item in category.checklist]
        assert "never_share_secrets" in ids, category.id
        for item in category.checklist:
            if item.id == "never_share_secrets":
                continue
            text = f"{item.en} {item.zh}".lower()
            asks = [w for w in SECRET_WORDS if w in text]
            assert not asks, (category.id, item.id, asks)
            assert "full card number" not in text or "never" in text


def test_every_category_speaks_both_languages():
    for category in builtin_categories():
        assert category.localized_name("en") != category.localized_name("zh")
        assert category.localized_guidance("zh") == category.guidance_zh
        langs = {term.locale.value for term in category.vocabulary}
        assert langs == {"en", "zh"}, category.id


def test_unknown_locale_is_invalid_input():
    with pytest.raises(InvalidInputError):
        builtin_categories()[0].localized_name("fr")


def test_category_round_trips_through_json():
    for category in builtin_categories():
        again = IssueCategory.model_validate_json(category.model_dump_json())
        assert again == category
    schema = IssueCategory.model_json_schema()
    assert "vocabulary" in schema["properties"]
    json.dumps(schema)


@pytest.mark.parametrize(
    ("text", "locale", "parts"),
    [
        ("forgot … password", "en", ("forgot", "password")),
        ("forgot ... password", "en", ("forgot", "password")),
        ("Locked Out", "en", ("locked out",)),
        ("authori*", "en", ("authori*",)),
        ("忘…密码", "zh", ("忘", "密码")),
        ("扣…2次", "zh", ("扣", "2次")),
    ],
)
def test_valid_terms_are_normalised(text, locale, parts):
    assert TriageTerm(text=text, locale=locale, weight=1).parts == parts


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("… password", "en"),
        ("password …", "en"),
        ("密码", "en"),
        ("pass-word", "en"),
        ("password", "zh"),
        ("", "en"),
    ],
)
def test_invalid_terms_are_rejected(text, locale):
    with pytest.raises(ConfigurationError):
        TriageTerm(text=text, locale=locale, weight=1)


def test_term_weight_is_bounded():
    with pytest.raises(ConfigurationError):
        TriageTerm(text="x", locale="en", weight=11)


def test_checklist_item_ids_must_be_unique_within_a_category():
    item = ChecklistItem(id="device", en="Phone", zh="手机")
    base = builtin_categories()[0].model_dump()
    base["checklist"] = [item.model_dump(), item.model_dump()]
    with pytest.raises(ConfigurationError):
        IssueCategory.model_validate(base)


def test_category_is_frozen():
    category = builtin_categories()[0]
    with pytest.raises(ValidationError):
        category.urgency = Urgency.LOW  # type: ignore[misc]

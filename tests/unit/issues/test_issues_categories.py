"""Issue category values: urgency order, vocabulary terms, the built-in taxonomy."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.issues import (
    OTHER_ID,
    ChecklistItem,
    IssueCategory,
    IssueGroup,
    TriageTerm,
    Urgency,
    builtin_categories,
)
from walletsupport.verification import VerificationAction, requirement_for
from walletsupport.workflows import builtin_workflows

# taxonomy v2 (the product's table): id -> (group, 中文名, urgency, workflow)
TAXONOMY_V2 = {
    "forgot_password": ("account_access", "忘记密码", "normal", "password_reset"),
    "account_locked": ("account_access", "账户被锁定", "high", "account_lock"),
    "identity_verification": ("account_access", "身份验证", "normal", "ticket"),
    "account_details": ("account_access", "账户信息修改", "low", "ticket"),
    "account_closure": ("account_access", "注销账户", "low", "ticket"),
    "unauthorized_transaction": (
        "security",
        "未授权交易",
        "critical",
        "unauthorized_transaction",
    ),
    "lost_or_stolen": ("security", "卡或手机丢失被盗", "critical", "unauthorized_transaction"),
    "security_concern": ("security", "账户安全", "high", "ticket"),
    "payment_failed": ("payments", "支付失败", "normal", "ticket"),
    "payment_pending": ("payments", "款项未到账", "normal", "ticket"),
    "top_up_problem": ("payments", "充值问题", "normal", "ticket"),
    "fees_and_charges": ("payments", "费用问题", "low", "ticket"),
    "refund_request": ("disputes", "退款", "normal", "transaction_dispute"),
    "transaction_dispute": ("disputes", "交易争议", "high", "transaction_dispute"),
    "add_card": ("cards", "添加银行卡", "low", "card_add"),
    "card_delivery": ("cards", "卡片寄送与激活", "low", "ticket"),
    "card_not_working": ("cards", "卡片无法使用", "normal", "ticket"),
    "app_crash": ("technical", "应用崩溃", "normal", "ticket"),
    "connection_problem": ("technical", "网络连接问题", "normal", "ticket"),
    "feature_inquiry": ("how_to", "功能咨询", "low", "ticket"),
}
SECRET_WORDS = ("password", "cvc", "cvv", "one-time", "otp", "密码", "验证码", "安全码", "pin")


def test_built_in_taxonomy_is_exactly_taxonomy_v2():
    found = {
        c.id: (c.group.value, c.name_zh, c.urgency.value, c.workflow) for c in builtin_categories()
    }
    assert found == TAXONOMY_V2
    assert [c.id for c in builtin_categories()] == list(TAXONOMY_V2)  # the table's order


def test_taxonomy_v2_has_seven_groups_and_files_nothing_under_other():
    groups = {c.group for c in builtin_categories()}
    assert len(groups) == 7
    assert IssueGroup.OTHER not in groups
    assert OTHER_ID not in {c.id for c in builtin_categories()}


def test_every_built_in_workflow_named_by_a_category_exists():
    kinds = {w.kind for w in builtin_workflows()}
    assert {c.workflow for c in builtin_categories()} <= kinds


def test_other_is_reserved_and_cannot_be_a_category():
    base = builtin_categories()[0].model_dump()
    base["id"] = OTHER_ID
    with pytest.raises(ConfigurationError, match="reserved"):
        IssueCategory.model_validate(base)


def test_workflow_defaults_to_ticket_and_must_be_an_id():
    base = builtin_categories()[0].model_dump()
    del base["workflow"]
    base["id"] = "pet_insurance"
    assert IssueCategory.model_validate(base).workflow == "ticket"
    base["workflow"] = "Not A Workflow!"
    with pytest.raises(ConfigurationError):
        IssueCategory.model_validate(base)


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
    assert by_id["lost_or_stolen"].time_critical
    assert not by_id["feature_inquiry"].time_critical
    for cid in ("unauthorized_transaction", "lost_or_stolen"):
        # a report is taken and the instrument blocked at once (PSD2 Art. 70)
        assert by_id[cid].verification_action is VerificationAction.REPORT_UNAUTHORIZED


def test_closing_an_account_is_its_own_strongly_verified_action():
    by_id = {c.id: c for c in builtin_categories()}
    assert by_id["account_closure"].verification_action is VerificationAction.CLOSE_ACCOUNT
    assert by_id["account_details"].verification_action is VerificationAction.CHANGE_PHONE
    assert requirement_for(VerificationAction.CLOSE_ACCOUNT, "low").sca_required


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

"""Call checklists: what to prepare, EN and ZH, never a secret, always the warning."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.contact import asks_for_secret, call_checklist
from walletsupport.errors import InvalidInputError, UnknownIssueCategoryError
from walletsupport.issues.categories import ChecklistItem, IssueCategory
from walletsupport.issues.registry import default_registry

CATEGORY_IDS = sorted(c.id for c in default_registry())


@given(category_id=st.sampled_from(CATEGORY_IDS), locale=st.sampled_from(["en", "zh"]))
def test_every_checklist_warns_and_never_asks_for_a_secret(category_id, locale):
    checklist = call_checklist(category_id, locale)
    assert checklist.items
    for item in checklist.items:
        assert not asks_for_secret(item.text), item
    assert len(checklist.never_share) == 4
    if locale == "en":
        assert "Support will never ask for your code" in checklist.warning
    else:
        assert "客服绝不会索要您的验证码" in checklist.warning
    assert checklist.warning in checklist.render()


def test_payment_checklist_asks_for_transaction_details():
    ids = [item.id for item in call_checklist("transaction_dispute", "en").items]
    assert ids[0] == "account_identifier"
    assert "transaction_details" in ids


def test_crash_checklist_asks_for_device_and_app_version_in_chinese():
    text = call_checklist("app_crash", "zh").render()
    assert "版本" in text
    assert "截图" in text


def test_a_category_that_asks_for_a_secret_has_that_item_withheld():
    base = default_registry().get("refund_request")
    sneaky = base.model_copy(
        update={
            "id": "sneaky",
            "checklist": (
                ChecklistItem(id="cvc", en="Your card's CVC", zh="卡片背面的 CVC"),
                ChecklistItem(id="otp", en="The SMS verification code", zh="短信验证码"),
                ChecklistItem(id="ok", en="Your phone", zh="您的手机"),
            ),
        }
    )
    assert isinstance(sneaky, IssueCategory)
    checklist = call_checklist(sneaky, "en")
    assert checklist.withheld == ("cvc", "otp")
    assert [item.id for item in checklist.items] == ["account_identifier", "ok"]


def test_a_category_without_items_gets_group_defaults():
    bare = default_registry().get("app_crash").model_copy(update={"id": "bare", "checklist": ()})
    ids = [item.id for item in call_checklist(bare, "en").items]
    assert {"device", "app_version", "screenshot"} <= set(ids)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Please read out your password", True),
        ("the 3-digit CVV", True),
        ("your PIN", True),
        ("full card number", True),
        ("一次性动态码", True),
        ("完整卡号", True),
        ("The last 4 digits of your card number", False),
        ("卡号后四位", False),
        ("never share your password", False),
        ("A screenshot of the error", False),
        ("The transaction ID", False),
    ],
)
def test_secret_screen(text, expected):
    assert asks_for_secret(text) is expected


def test_bad_arguments_raise_typed_errors():
    with pytest.raises(InvalidInputError):
        call_checklist("app_crash", "fr")
    with pytest.raises(UnknownIssueCategoryError):
        call_checklist("lost_dog", "en")
    with pytest.raises(InvalidInputError):
        call_checklist(42, "en")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        asks_for_secret(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "expected"),
    [("refund_request", {"transaction_id", "receipts"}), ("card_delivery", {"card_last_four"})],
)
def test_new_groups_have_their_own_defaults(source, expected):
    # taxonomy v2 moved disputes and cards into groups of their own
    bare = default_registry().get(source).model_copy(update={"id": "bare", "checklist": ()})
    assert expected <= {item.id for item in call_checklist(bare, "en").items}


@pytest.mark.parametrize("category_id", ["lost_or_stolen", "card_not_working", "top_up_problem"])
def test_card_leaves_ask_for_the_last_four_digits_only(category_id):
    checklist = call_checklist(category_id, "zh")
    assert not checklist.withheld
    text = checklist.render()
    assert "后四位" in text or "末四位" in text

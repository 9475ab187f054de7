"""Wallet secrets are recognised in English and Chinese, and the vocabulary can be extended.

Issue 21, finding 4: "Your seed phrase", "Your private key", "the 12-word recovery phrase",
"您的助记词" and "您的私钥" were not recognised, so a third-party checklist item asking for a
seed phrase was printed under "have ready"; the check could not be extended.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.contact import asks_for_secret, call_checklist
from walletsupport.contact.checklists import DEFAULT_SECRETS, SecretVocabulary
from walletsupport.errors import InvalidInputError
from walletsupport.issues import IssueCategory, IssueGroup, Urgency
from walletsupport.issues.categories import ChecklistItem
from walletsupport.verification import VerificationAction

WALLET_SECRETS = [
    "Your seed phrase",
    "Your private key",
    "the 12-word recovery phrase",
    "your 24 word backup phrase",
    "the secret recovery phrase of your wallet",
    "your mnemonic",
    "Your card PIN",
    "The CVC on the back",
    "the one-time code we texted you",
    "your password",
    "您的助记词",
    "您的私钥",
    "钱包的恢复短语",
    "支付密码",
    "短信验证码",
    "银行卡安全码",
]
NOT_SECRETS = [
    "The order number",
    "Proof of delivery",
    "The last four digits of your card number",
    "Never share your seed phrase with anyone",
    "切勿向任何人透露助记词",
    "The wallet address you sent the coins to",
    "订单号",
    "The public transaction hash",
]


@pytest.mark.parametrize("text", WALLET_SECRETS)
def test_wallet_secrets_are_recognised(text: str) -> None:
    assert asks_for_secret(text)


@pytest.mark.parametrize("text", NOT_SECRETS)
def test_ordinary_items_and_warnings_are_not_requests(text: str) -> None:
    assert not asks_for_secret(text)


def _category(*items: ChecklistItem) -> IssueCategory:
    return IssueCategory(
        id="crypto_withdrawal_stuck",
        group=IssueGroup.PAYMENTS,
        name_en="A crypto withdrawal is stuck",
        name_zh="加密货币提现卡住",
        guidance_en="Tell us the amount and the address.",
        guidance_zh="请告诉我们金额和地址。",
        urgency=Urgency.HIGH,
        verification_action=VerificationAction.VIEW_INFO,
        checklist=items,
    )


def test_a_checklist_item_asking_for_a_seed_phrase_is_withheld() -> None:
    category = _category(
        ChecklistItem(id="address", en="The destination address", zh="提币地址"),
        ChecklistItem(id="seed", en="Your seed phrase", zh="您的助记词"),
    )
    checklist = call_checklist(category, "en")
    assert "seed" in checklist.withheld
    assert "address" in [item.id for item in checklist.items]
    assert not any("seed" in item.text.lower() for item in checklist.items)


def test_the_vocabulary_is_extended_with_an_integrators_own_secrets() -> None:
    acme = DEFAULT_SECRETS.extended(en=("vault combination",), zh=("保险柜组合",))
    assert not asks_for_secret("Your vault combination")
    assert asks_for_secret("Your vault combination", secrets=acme)
    assert asks_for_secret("您的保险柜组合", secrets=acme)
    assert asks_for_secret("Your seed phrase", secrets=acme)  # the built-ins stay
    category = _category(ChecklistItem(id="vault", en="Your vault combination", zh="保险柜组合"))
    assert call_checklist(category, "zh", secrets=acme).withheld == ("vault",)
    assert call_checklist(category, "zh").withheld == ()


def test_a_vocabulary_rejects_empty_terms() -> None:
    with pytest.raises(InvalidInputError):
        SecretVocabulary(en=("",))
    with pytest.raises(InvalidInputError):
        asks_for_secret("x", secrets="seed")  # type: ignore[arg-type]


@given(st.sampled_from(WALLET_SECRETS), st.sampled_from(["Please send ", "We need ", "请提供"]))
def test_a_request_stays_a_request_whatever_leads_into_it(text: str, lead: str) -> None:
    assert asks_for_secret(lead + text)

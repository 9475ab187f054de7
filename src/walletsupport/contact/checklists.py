"""What to have ready before calling support, in English and Chinese.

A checklist starts with how to identify the account (except for how-to questions), then the
category's own checklist items; a category without items gets defaults for its group
(transaction details for payments, disputes and security, the card's last four digits for
cards, device and app details for technical problems). It never asks for a secret, and it
says so: support never asks for a full card number, a CVC, a one-time code or a password
(PCI DSS v4.0 Req. 3.3.1, ``PCI_NO_SAD_AFTER_AUTH``: no sensitive authentication data after
authorisation; PCI DSS v4.0 Req. 3.4.1, ``PCI_MASK_DISPLAY``: the last four digits are enough;
NIST SP 800-63B: secrets are verified by systems, never told to people; PIPL Art. 6,
``PIPL_MINIMUM_NECESSARY``).

Category items that look like a request for a secret are left out (``withheld`` lists their ids),
so a third-party category cannot make a checklist ask for one.

Examples:
    >>> checklist = call_checklist("unauthorized_transaction", "en")
    >>> checklist.warning.startswith("Support will never ask for your code")
    True
    >>> [item.id for item in checklist.items][:2]
    ['account_identifier', 'transaction_details']
"""

from __future__ import annotations

from pydantic import Field

from walletsupport._bounded import remember
from walletsupport._model import WalletModel
from walletsupport.contact._checks import (
    DEFAULT_SECRETS,
    SecretVocabulary,
    check_instance,
    registry_or_default,
)
from walletsupport.errors import InvalidInputError
from walletsupport.issues.categories import IssueCategory, IssueGroup
from walletsupport.issues.registry import IssueRegistry
from walletsupport.values import Locale

__all__ = [
    "DEFAULT_SECRETS",
    "CallChecklist",
    "ChecklistEntry",
    "SecretVocabulary",
    "asks_for_secret",
    "call_checklist",
]


class ChecklistEntry(WalletModel, frozen=True, extra="forbid"):
    """One thing to have ready, in the checklist's language.

    Examples:
        >>> ChecklistEntry(id="account", text="The phone number on your account").id
        'account'
    """

    id: str
    text: str


class CallChecklist(WalletModel, frozen=True, extra="forbid"):
    """What to prepare before calling about one issue category, in one language.

    Attributes:
        category_id: the issue category.
        locale: ``en`` or ``zh``.
        items: what to have ready, in order.
        never_share: what support will never ask for.
        warning: the "support will never ask for your code" sentence.
        withheld: ids of category items left out because they looked like a secret request.

    Examples:
        >>> c = call_checklist("app_crash", "zh")
        >>> "版本" in c.render()
        True
    """

    category_id: str
    locale: Locale
    items: tuple[ChecklistEntry, ...]
    never_share: tuple[str, ...]
    warning: str
    withheld: tuple[str, ...] = Field(default=())

    def render(self) -> str:
        """The checklist as plain text, ready to print.

        Examples:
            >>> print(call_checklist("add_card", "en").render().splitlines()[0])
            Before you call, have ready:
        """
        zh = self.locale is Locale.ZH
        head = "致电前请准备：" if zh else "Before you call, have ready:"
        never = "客服绝不会向您索要：" if zh else "Support will never ask for:"
        lines = [head, *(f"- {item.text}" for item in self.items), never]
        lines += [f"- {text}" for text in self.never_share]
        lines.append(self.warning)
        return "\n".join(lines)


_T = tuple[str, str, str]  # id, English, Chinese

_COMMON: tuple[_T, ...] = (
    (
        "account_identifier",
        "The phone number or e-mail address registered on your wallet account",
        "您钱包账户绑定的手机号或电子邮箱",
    ),
)

_BY_GROUP: dict[IssueGroup, tuple[_T, ...]] = {
    IssueGroup.ACCOUNT_ACCESS: (
        ("last_success", "When you last signed in successfully", "您最后一次成功登录的时间"),
        (
            "error_message",
            "The exact error message you see (a screenshot helps)",
            "您看到的错误提示原文（最好有截图）",
        ),
    ),
    IssueGroup.SECURITY: (
        (
            "transaction_id",
            "The transaction ID of each payment in question (shown in the app)",
            "相关每笔交易的交易编号（在应用中可以查看）",
        ),
        (
            "amount_and_date",
            "The amount, date and merchant of each payment",
            "每笔交易的金额、日期和商户",
        ),
        (
            "card_last_four",
            "Only the last four digits of the card involved",
            "所涉银行卡的卡号后四位（仅后四位）",
        ),
        (
            "what_happened",
            "When you first noticed and what you have done since (e.g. froze the card)",
            "您首次发现的时间以及之后采取的措施（例如已冻结卡片）",
        ),
    ),
    IssueGroup.PAYMENTS: (
        (
            "transaction_id",
            "The transaction ID (shown in the app's transaction details)",
            "交易编号（在应用的交易详情中）",
        ),
        ("amount_and_date", "The amount, date and merchant of the payment", "交易金额、日期和商户"),
        (
            "receipts",
            "Receipts, order confirmations or messages with the merchant",
            "收据、订单确认或与商户的沟通记录",
        ),
    ),
    IssueGroup.DISPUTES: (
        (
            "transaction_id",
            "The transaction ID of the payment in question (shown in the app)",
            "相关交易的交易编号（在应用中可以查看）",
        ),
        ("amount_and_date", "The amount, date and merchant of the payment", "交易金额、日期和商户"),
        (
            "receipts",
            "Receipts, order confirmations or messages with the merchant",
            "收据、订单确认或与商户的沟通记录",
        ),
    ),
    IssueGroup.CARDS: (
        (
            "card_last_four",
            "Only the last four digits of the card involved",
            "所涉银行卡的卡号后四位（仅后四位）",
        ),
        (
            "what_happened",
            "What you tried, where and when (the shop, ATM or screen you were on)",
            "您做了什么操作、在哪里、什么时间（商户、ATM 或所在页面）",
        ),
    ),
    IssueGroup.TECHNICAL: (
        ("device", "Your phone model and operating system version", "您的手机型号和操作系统版本"),
        (
            "app_version",
            "The wallet app version (Settings > About)",
            "钱包应用的版本号（设置 > 关于）",
        ),
        ("screenshot", "A screenshot or screen recording of the problem", "问题的截图或录屏"),
        (
            "network",
            "Whether you use Wi-Fi or mobile data, and when it started",
            "您使用的是 Wi-Fi 还是移动数据，以及问题开始的时间",
        ),
    ),
    IssueGroup.HOW_TO: (
        ("goal", "What you are trying to do, step by step", "您想完成的操作以及具体步骤"),
        ("screenshot", "A screenshot of the screen where you are stuck", "您卡住的页面截图"),
    ),
    IssueGroup.OTHER: (),
}

_NEVER_SHARE: tuple[tuple[str, str], ...] = (
    ("your full card number (the last four digits are enough)", "完整银行卡号（提供后四位即可）"),
    ("the CVC / security code on the back of your card", "银行卡背面的安全码（CVC/CVV）"),
    (
        "one-time codes from SMS, e-mail or an authenticator app",
        "短信、邮件或验证器应用中的一次性验证码",
    ),
    ("your password or PIN", "您的登录密码或支付密码"),
)

_WARNING = {
    Locale.EN: (
        "Support will never ask for your code, password, CVC or full card number. "
        "If anyone does, hang up and call the number shown in the app."
    ),
    Locale.ZH: (
        "客服绝不会索要您的验证码、密码、安全码或完整卡号。"
        "如有人索要，请立即挂断，并拨打应用内公布的客服电话。"
    ),
}

# the built-in taxonomy's own "we never ask for ..." item, replaced by the checklist's warning
_CATEGORY_WARNING_ID = "never_share_secrets"


def asks_for_secret(text: str, *, secrets: SecretVocabulary | None = None) -> bool:
    """True when ``text`` asks for a secret support must never collect.

    A text that mentions a secret only to warn about it ("never the full number", "enter codes
    only in the app", "切勿提供完整卡号") is not a request; the last four digits of a card are
    allowed (``PCI_MASK_DISPLAY``). This is a conservative word screen, not a language model:
    it errs towards withholding. ``secrets`` is the vocabulary to screen with
    (``DEFAULT_SECRETS``: cards, logins,
    one-time codes, seed / recovery phrases and private keys, EN and ZH).

    Raises:
        InvalidInputError: ``text`` is not a string, or ``secrets`` not a ``SecretVocabulary``.

    Examples:
        >>> asks_for_secret("Your card number and CVC")
        True
        >>> asks_for_secret("The last four digits of your card number")
        False
        >>> asks_for_secret("短信验证码"), asks_for_secret("您的助记词")
        (True, True)
        >>> asks_for_secret("Enter codes only in the app, never on a call")
        False
    """
    return _vocabulary(secrets).asks_for(text)


def _vocabulary(secrets: object) -> SecretVocabulary:
    if secrets is None:
        return DEFAULT_SECRETS
    return check_instance(secrets, SecretVocabulary, "secrets")


def call_checklist(
    category: IssueCategory | str,
    locale: Locale | str = Locale.EN,
    *,
    registry: IssueRegistry | None = None,
    secrets: SecretVocabulary | None = None,
) -> CallChecklist:
    """What to prepare before calling about ``category``, in ``locale``.

    Args:
        category: an [IssueCategory][walletsupport.issues.IssueCategory] or its id.
        locale: ``"en"`` or ``"zh"``.
        registry: where to look up a category id (the built-in registry by default).
        secrets: the vocabulary items are screened with (default ``DEFAULT_SECRETS``); an
            item that asks for one is withheld.

    Raises:
        InvalidInputError: an unknown locale or a malformed category.
        UnknownIssueCategoryError: ``category`` is an id the registry does not know.

    Examples:
        >>> c = call_checklist("refund_request", "en")
        >>> [item.id for item in c.items][:3]
        ['account_identifier', 'transaction_details', 'merchant_details']
        >>> any("CVC" in text for text in c.never_share)
        True
    """
    chosen = Locale(locale)
    if isinstance(category, IssueCategory):
        issue = category
    elif isinstance(category, str):
        issue = registry_or_default(registry).get(category)
    else:
        raise InvalidInputError(
            f"category must be an IssueCategory or an id, got {type(category).__name__}"
        )
    vocabulary = _vocabulary(secrets)
    # The checklist is a pure function of these: a warm assist reuses it instead of screening
    # every item again (the screen is a regular-expression search per item and language).
    key = (issue.id, issue.group, issue.checklist, chosen, vocabulary)
    cached = _CHECKLISTS.get(key)
    if cached is None:
        cached = remember(_CHECKLISTS, key, _checklist(issue, chosen, vocabulary), _CHECKLISTS_MAX)
    return cached


_CHECKLISTS: dict[tuple[object, ...], CallChecklist] = {}
_CHECKLISTS_MAX = 1024


def _checklist(issue: IssueCategory, chosen: Locale, vocabulary: SecretVocabulary) -> CallChecklist:
    zh = chosen is Locale.ZH
    entries: dict[str, str] = {}
    withheld: list[str] = []
    if issue.group is not IssueGroup.HOW_TO:
        for item_id, en, zh_text in _COMMON:
            entries[item_id] = zh_text if zh else en
    for item in issue.checklist:
        if item.id == _CATEGORY_WARNING_ID:
            continue  # the warning below says it, once
        if vocabulary.asks_for(item.en) or vocabulary.asks_for(item.zh):
            withheld.append(item.id)
            continue
        entries.setdefault(item.id, item.text(chosen))
    if not issue.checklist:
        for item_id, en, zh_text in _BY_GROUP.get(issue.group, ()):
            entries.setdefault(item_id, zh_text if zh else en)
    return CallChecklist(
        category_id=issue.id,
        locale=chosen,
        items=tuple(ChecklistEntry(id=k, text=v) for k, v in entries.items()),
        never_share=tuple(zh_text if zh else en for en, zh_text in _NEVER_SHARE),
        warning=_WARNING[chosen],
        withheld=tuple(withheld),
    )

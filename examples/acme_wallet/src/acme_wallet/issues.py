"""Acme's own issue category, advertised through the ``walletsupport.issue_types`` entry point.

Examples:
    >>> from walletsupport.issues import default_registry, triage
    >>> registry = default_registry()
    >>> registry.load_entry_points()
    ('merchant_chargeback',)
    >>> "merchant_chargeback" in triage("the merchant filed a chargeback on my shop",
    ...                                 registry).ranked_ids(2)
    True
"""

from __future__ import annotations

from walletsupport.issues import IssueCategory, IssueGroup, TriageTerm, Urgency
from walletsupport.issues.categories import ChecklistItem
from walletsupport.values import Locale
from walletsupport.verification import VerificationAction

__all__ = ["CATEGORIES", "MERCHANT_CHARGEBACK"]


def _terms(locale: Locale, *pairs: tuple[str, float]) -> tuple[TriageTerm, ...]:
    return tuple(TriageTerm(text=text, locale=locale, weight=weight) for text, weight in pairs)


MERCHANT_CHARGEBACK = IssueCategory(
    id="merchant_chargeback",
    group=IssueGroup.DISPUTES,
    name_en="A chargeback against my shop",
    name_zh="商户被拒付",
    guidance_en="Gather the order, delivery proof and customer messages, then answer in the app.",
    guidance_zh="请准备订单、发货凭证和与顾客的沟通记录，然后在应用内提交答复。",
    urgency=Urgency.HIGH,
    verification_action=VerificationAction.VIEW_INFO,
    workflow="chargeback_representment",
    checklist=(
        ChecklistItem(id="order_id", en="The order number", zh="订单号"),
        ChecklistItem(id="delivery_proof", en="Proof of delivery", zh="发货凭证"),
    ),
    time_critical=True,
    vocabulary=_terms(
        Locale.EN,
        ("chargeback", 3.0),
        ("merchant … chargeback", 3.5),
        ("representment", 3.0),
        ("shop … disputed", 2.0),
    )
    + _terms(Locale.ZH, ("拒付", 3.0), ("商户…拒付", 3.5), ("退单申诉", 3.0)),
    examples=(
        "A customer filed a chargeback against my shop",
        "a buyer disputed a card payment to my store and the money was pulled back",
        "how do I answer a chargeback as a merchant",
        "I got a chargeback notice for an order I already delivered",
        "the bank reversed a sale from my shop because the customer complained",
        "顾客对我店铺的订单发起了拒付",
        "商户收到拒付通知怎么申诉",
        "我的店被客户拒付了，货已经发了",
        "拒付的款项被扣回了，怎么提交证据",
    ),
)

#: What the entry point loads: walletsupport accepts a category or an iterable of them.
CATEGORIES: tuple[IssueCategory, ...] = (MERCHANT_CHARGEBACK,)

"""Acme's own issue category, advertised through the ``walletsupport.issue_types`` entry point.

``merchant_chargeback`` is for Acme's merchants: a customer of their shop disputed a card
payment with the bank, and the money was taken back. The category carries a weighted
vocabulary (what triage matches word by word) and varied example messages in English and
Chinese (what a learned triage model learns the category from).

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

__all__ = ["CATEGORIES", "EXAMPLES_EN", "EXAMPLES_ZH", "MERCHANT_CHARGEBACK"]


def _terms(locale: Locale, *pairs: tuple[str, float]) -> tuple[TriageTerm, ...]:
    return tuple(TriageTerm(text=text, locale=locale, weight=weight) for text, weight in pairs)


#: Merchants describing a chargeback in their own words (varied on purpose: a model learns
#: the category from these, not from the vocabulary).
EXAMPLES_EN: tuple[str, ...] = (
    "A customer filed a chargeback against my shop",
    "I got a chargeback notice for an order I already delivered",
    "the bank reversed a payment to my store, the buyer says he never got the parcel",
    "how do I fight a chargeback? I have the tracking number",
    "a shopper disputed a purchase with their card issuer and you took the money back from me",
    "my business account shows a chargeback of 120 dollars, reason code 13.1",
    "someone claimed my restaurant charged them twice and now the funds are gone",
    "I want to submit evidence for a disputed sale",
    "what is the deadline to respond to a chargeback?",
    "the cardholder says the item was not as described but I have photos",
    "chargeback on my online shop, I think it is friendly fraud",
    "a client opened a dispute with their bank after using the service for a month",
    "you debited my merchant balance because of a customer dispute",
    "can I still send proof of delivery for the reversed payment?",
    "I received an email saying a transaction at my cafe was charged back",
    "the customer got a refund from their bank and also kept the goods",
    "need help with a representment, the order was picked up in store",
    "why was money pulled from my seller account without warning? it says dispute",
    "my shop lost 80 dollars to a chargeback, how do I appeal",
    "buyer claims fraud on a card payment but signed for the delivery",
    "I accept card payments at my stall and one of them was reversed by the issuer",
    "which documents do you need to contest a chargeback",
    "there is a retrieval request on one of my sales, what does that mean",
    "a guest disputed the hotel booking with their card company",
    "second chargeback this week on my store, please help me respond",
    "the issuer ruled against me on a dispute, can I try again",
    "how long do I have to upload evidence for a customer dispute",
    "my merchant dashboard says 'chargeback received' for order 5521",
    "I run a small online store and a payment was clawed back after delivery",
    "the bank took back a sale because the customer did not recognise the charge",
    "subscription customer disputed the renewal charge with the bank instead of cancelling",
    "a card dispute was opened on a payment I received for catering",
)

EXAMPLES_ZH: tuple[str, ...] = (
    "顾客对我店铺的一笔订单发起了拒付",
    "我的商户账户收到一笔拒付通知，货已经送到了",
    "买家向发卡行申请退单，钱被从我这里扣走了",
    "拒付怎么申诉？我有物流单号",
    "顾客说没收到货，银行把款项退回给了他",
    "商家后台显示一笔拒付，原因代码13.1",
    "有客人说我们餐厅重复扣款，现在这笔钱被追回了",
    "我想为一笔被争议的交易提交证据",
    "回应拒付的截止日期是什么时候",
    "持卡人说商品与描述不符，但我有照片",
    "我的网店被恶意拒付了",
    "客户用了一个月服务后向银行提出争议",
    "因为顾客争议，你们扣了我的商户余额",
    "被退单的款项还能补交签收凭证吗",
    "收到邮件说我咖啡店的一笔刷卡交易被拒付",
    "顾客从银行拿回了钱，货也没退",
    "需要帮忙做退单申诉，订单是到店自提的",
    "为什么我的卖家账户被扣钱了？显示有争议",
    "店铺因为拒付损失了八百元，怎么申诉",
    "买家说银行卡被盗刷，可是快递是他本人签收的",
    "我摆摊收银行卡付款，其中一笔被发卡行撤回",
    "申诉拒付需要提供哪些材料",
    "我的一笔销售有调单请求，这是什么意思",
    "客人向信用卡公司投诉了酒店预订",
    "这周第二次被拒付了，请帮我处理",
    "发卡行判我败诉了，还能再申诉吗",
    "顾客争议的证据要在多长时间内上传",
    "商户后台显示订单5521收到拒付",
    "我开了个小网店，货到之后款被追回了",
    "顾客不认识这笔消费，银行把货款退回去了",
    "订阅用户没有取消，而是直接向银行争议续费扣款",
    "我做餐饮外包收到的一笔付款被发起了信用卡争议",
)

MERCHANT_CHARGEBACK = IssueCategory(
    id="merchant_chargeback",
    group=IssueGroup.DISPUTES,
    name_en="A chargeback against my shop",
    name_zh="商户被拒付",
    guidance_en="Gather the order, delivery proof and customer messages, then answer in the app "
    "within 7 business days.",
    guidance_zh="请准备订单、发货凭证和与顾客的沟通记录，并在 7 个工作日内于应用内提交答复。",
    urgency=Urgency.HIGH,
    verification_action=VerificationAction.VIEW_INFO,
    workflow="chargeback_review",
    checklist=(
        ChecklistItem(id="order_id", en="The order number", zh="订单号"),
        ChecklistItem(id="reason_code", en="The chargeback reason code", zh="拒付原因代码"),
        ChecklistItem(id="delivery_proof", en="Proof of delivery", zh="发货或签收凭证"),
    ),
    time_critical=True,
    vocabulary=_terms(
        Locale.EN,
        ("chargeback", 3.0),
        ("charged back", 3.0),
        ("merchant … chargeback", 3.5),
        ("representment", 3.0),
        ("shop … disputed", 2.0),
        ("customer dispute", 2.0),
    )
    + _terms(Locale.ZH, ("拒付", 3.0), ("商户…拒付", 3.5), ("退单申诉", 3.0), ("调单", 2.0)),
    examples=EXAMPLES_EN + EXAMPLES_ZH,
)

#: What the entry point loads: walletsupport accepts a category or an iterable of them.
CATEGORIES: tuple[IssueCategory, ...] = (MERCHANT_CHARGEBACK,)

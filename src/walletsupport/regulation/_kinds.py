"""Regime-neutral facts about a payment: what the customer disputes, how it was funded."""

from __future__ import annotations

from walletsupport._enum import WalletEnum

__all__ = ["DisputeKind", "FundingSource"]


class DisputeKind(WalletEnum):
    """What a customer disputes about a payment they made (each regime classifies it).

    Examples:
        >>> DisputeKind("duplicate_charge").name
        'DUPLICATE_CHARGE'
    """

    DUPLICATE_CHARGE = "duplicate_charge"
    """Charged twice for one purchase."""
    WRONG_AMOUNT = "wrong_amount"
    """Charged an amount other than the purchase's."""
    NOT_RECEIVED = "not_received"
    """Goods or services paid for were not delivered as agreed."""
    NOT_AS_DESCRIBED = "not_as_described"
    """Goods accepted but defective or not as described (a quality dispute)."""
    RECURRING_AFTER_CANCELLATION = "recurring_after_cancellation"
    """A recurring debit taken after the customer revoked the authorization."""
    REFUND_NOT_CREDITED = "refund_not_credited"
    """A refund or credit the merchant issued never reached the account."""
    OTHER = "other"


class FundingSource(WalletEnum):
    """What a wallet payment drew on: decides between Regulation E and Regulation Z.

    Examples:
        >>> FundingSource("credit_card") is FundingSource.CREDIT_CARD
        True
    """

    STORED_BALANCE = "stored_balance"
    """The wallet's own balance (a prepaid account, 12 CFR 1005.2(b)(3))."""
    DEBIT_CARD = "debit_card"
    """A debit card or bank account the wallet passes the payment through to."""
    BANK_ACCOUNT = "bank_account"
    CREDIT_CARD = "credit_card"
    """A credit card charged at the time of the purchase (pass-through)."""

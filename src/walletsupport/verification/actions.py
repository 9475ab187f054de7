"""The actions support may take for a caller, each of which needs the caller verified first."""

from __future__ import annotations

from walletsupport._enum import WalletEnum

__all__ = ["VerificationAction"]


class VerificationAction(WalletEnum):
    """What the agent is about to do; the verification plan depends on it.

    Examples:
        >>> VerificationAction("unlock_account").value
        'unlock_account'
    """

    VIEW_INFO = "view_info"
    UNLOCK_ACCOUNT = "unlock_account"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - an action name, not a password
    ADD_CARD = "add_card"
    REPORT_UNAUTHORIZED = "report_unauthorized"
    REFUND = "refund"
    CHANGE_PHONE = "change_phone"
    CLOSE_ACCOUNT = "close_account"

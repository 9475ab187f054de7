"""The languages walletsupport speaks to customers."""

from __future__ import annotations

from walletsupport._enum import WalletEnum

__all__ = ["Locale"]


class Locale(WalletEnum):
    """A customer-facing language: English or Simplified Chinese.

    Examples:
        >>> Locale("zh") is Locale.ZH
        True
    """

    EN = "en"
    ZH = "zh"

"""The languages walletsupport speaks to customers."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Locale"]


class Locale(StrEnum):
    """A customer-facing language: English or Simplified Chinese.

    Examples:
        >>> Locale("zh") is Locale.ZH
        True
    """

    EN = "en"
    ZH = "zh"

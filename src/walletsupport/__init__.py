"""walletsupport: typed business logic for digital-wallet customer support."""

from __future__ import annotations

from walletsupport._version import __version__
from walletsupport.clock import Clock, FixedClock, SystemClock
from walletsupport.errors import WalletSupportError

__all__ = [
    "Clock",
    "FixedClock",
    "SystemClock",
    "WalletSupportError",
    "__version__",
]

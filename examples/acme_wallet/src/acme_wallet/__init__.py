"""Acme Wallet: an example integration of walletsupport.

A category (``merchant_chargeback``), a workflow (``chargeback_review``) and support lines,
advertised to walletsupport through entry points; see ``docs/extending.md``.
"""

from __future__ import annotations

from acme_wallet.chargeback import chargeback_review_workflow
from acme_wallet.issues import CATEGORIES, MERCHANT_CHARGEBACK
from acme_wallet.lines import LINES_FILE, acme_directory

__all__ = [
    "CATEGORIES",
    "LINES_FILE",
    "MERCHANT_CHARGEBACK",
    "acme_directory",
    "chargeback_review_workflow",
]

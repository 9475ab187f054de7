"""Acme Wallet: an example integration of walletsupport (a custom category and workflow)."""

from __future__ import annotations

from acme_wallet.chargeback import chargeback_representment_workflow
from acme_wallet.issues import CATEGORIES, MERCHANT_CHARGEBACK

__all__ = ["CATEGORIES", "MERCHANT_CHARGEBACK", "chargeback_representment_workflow"]

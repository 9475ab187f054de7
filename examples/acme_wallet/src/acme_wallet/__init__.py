"""Acme Wallet: an example integration of walletsupport.

A category (``merchant_chargeback``), a workflow (``chargeback_review``) and support lines,
advertised to walletsupport through entry points; see ``docs/extending.md``.

Each name loads its module on first use, so walletsupport reading the categories through
the ``walletsupport.issue_types`` entry point does not also load the workflow (and
python-statemachine) or the lines.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_HOME = {
    "CATEGORIES": "acme_wallet.issues",
    "MERCHANT_CHARGEBACK": "acme_wallet.issues",
    "LINES_FILE": "acme_wallet.lines",
    "acme_directory": "acme_wallet.lines",
    "chargeback_review_workflow": "acme_wallet.chargeback",
}


def __getattr__(name: str) -> Any:
    try:
        home = _HOME[name]
    except KeyError:
        raise AttributeError(f"module 'acme_wallet' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

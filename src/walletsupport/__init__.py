"""walletsupport: typed business logic for digital-wallet customer support.

The main job is [assist][walletsupport.assist]: from what a customer says, where and when,
it composes triage, advice, verification plan, the line to call, the wait and the deadlines.
The building blocks live in subpackages, each with its own ``__all__``:

* ``walletsupport.values``: money, phone numbers, cards, secrets, ids;
* ``walletsupport.calendars``: ``Schedule``, business time;
* ``walletsupport.issues``: the taxonomy, ``IssueRegistry``,
  ``triage``;
* ``walletsupport.verification``: factors, plans, one-time codes;
* ``walletsupport.policies``: lockout, passwords, risk, SLA, legal deadlines, liability;
* ``walletsupport.contact``: support lines, routing, Erlang C waits, checklists;
* ``walletsupport.workflows``: state machines run by
  ``WorkflowService``;
* ``walletsupport.adapters``: ``MemoryStore``, ``SqliteStore``, ``PostgresStore``;
* ``walletsupport.testing``: hypothesis strategies, stateful bases, a pytest plugin.

Examples:
    >>> from datetime import datetime, timezone
    >>> import walletsupport
    >>> answer = walletsupport.assist("app keeps crashing after the update", region="US",
    ...                               at=datetime(2026, 3, 2, 15, tzinfo=timezone.utc))
    >>> answer.category.id
    'app_crash'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy
from walletsupport._version import __version__

if TYPE_CHECKING:
    from walletsupport._assist import Assistance, CategoryMatch, LegalWindow, assist, regime_for
    from walletsupport.calendars import Schedule
    from walletsupport.clock import Clock, FixedClock, SystemClock
    from walletsupport.contact import Directory, SupportLine, route, sample_directory
    from walletsupport.errors import WalletSupportError
    from walletsupport.issues import IssueCategory, IssueRegistry, Triage, default_registry
    from walletsupport.issues.triage import triage
    from walletsupport.verification import VerificationPlan, plan_verification
    from walletsupport.workflows import CaseSnapshot, WorkflowService

# Subpackages, data and models load on first use: ``import walletsupport`` stays cheap.
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "Assistance": "._assist",
        "CategoryMatch": "._assist",
        "LegalWindow": "._assist",
        "assist": "._assist",
        "regime_for": "._assist",
        "Schedule": ".calendars",
        "Clock": ".clock",
        "FixedClock": ".clock",
        "SystemClock": ".clock",
        "Directory": ".contact",
        "SupportLine": ".contact",
        "route": ".contact",
        "sample_directory": ".contact",
        "WalletSupportError": ".errors",
        "IssueCategory": ".issues",
        "IssueRegistry": ".issues",
        "Triage": ".issues",
        "default_registry": ".issues",
        "triage": ".issues",
        "VerificationPlan": ".verification",
        "plan_verification": ".verification",
        "CaseSnapshot": ".workflows",
        "WorkflowService": ".workflows",
    },
)

__all__ = [
    "Assistance",
    "CaseSnapshot",
    "CategoryMatch",
    "Clock",
    "Directory",
    "FixedClock",
    "IssueCategory",
    "IssueRegistry",
    "LegalWindow",
    "Schedule",
    "SupportLine",
    "SystemClock",
    "Triage",
    "VerificationPlan",
    "WalletSupportError",
    "WorkflowService",
    "__version__",
    "assist",
    "default_registry",
    "plan_verification",
    "regime_for",
    "route",
    "sample_directory",
    "triage",
]

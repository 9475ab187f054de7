"""The JSON shapes the command line prints where the library has no model of its own.

Lines, cases and deadlines print as the library's own models (``SupportLine``,
``CaseSnapshot``, ``Deadline``); these two views cover ``categories`` and ``hours``.
"""

from __future__ import annotations

from pydantic import AwareDatetime

from walletsupport._model import WalletModel

__all__ = ["CategoryView", "HoursView"]


class CategoryView(WalletModel, frozen=True, extra="forbid"):
    """One row of ``walletsupport categories --json``.

    Attributes:
        id: the category id (``account_locked``).
        group: its group (``account_access``).
        urgency: how soon support should act.
        workflow: the workflow kind a case of it opens.
        name: the name in the requested language.
        name_en: the English name.
        name_zh: the Chinese name.
        verification_action: the action whose verification plan it implies.
        time_critical: money is at risk.
    """

    id: str
    group: str
    urgency: str
    workflow: str
    name: str
    name_en: str
    name_zh: str
    verification_action: str
    time_critical: bool


class HoursView(WalletModel, frozen=True, extra="forbid"):
    """``walletsupport hours LINE --json``: is the line open at ``at``, and the next change.

    ``opens_at`` / ``closes_at`` are ``None`` when the line never opens within the schedule's
    horizon, or never closes (open around the clock).
    """

    line_id: str
    name_en: str
    name_zh: str
    zone: str
    at: AwareDatetime
    open: bool
    opens_at: AwareDatetime | None
    closes_at: AwareDatetime | None

"""Legal regimes, one module per regime, on the institution's own business days.

* [reg_e][walletsupport.regulation.reg_e]: US Regulation E (12 CFR 1005): error resolution,
  liability for unauthorized transfers, prepaid accounts.
* [reg_z][walletsupport.regulation.reg_z]: US Regulation Z (12 CFR 1026): credit-card billing
  errors, the $50 unauthorized-use cap, and which of Reg E / Reg Z applies to a wallet payment.
* [psd2][walletsupport.regulation.psd2]: EU PSD2 (Directive (EU) 2015/2366) Art. 71, 73, 74, 77,
  101.
* [uk][walletsupport.regulation.uk]: UK PSRs 2017 regs 74, 76, 77, the PSR APP-scam
  reimbursement, FCA DISP complaint deadlines.
* [cn][walletsupport.regulation.cn]: China: 调休 working days; complaint SLAs configured by the
  institution.

An [Institution][walletsupport.regulation.Institution] (jurisdiction, zone, business-day
[Schedule][walletsupport.calendars.Schedule], regimes) is the one place a legal deadline's
calendar comes from. Every deadline is a [Deadline][walletsupport.regulation.Deadline] naming
its source and rule id; one met too late keeps ``met_at`` and stays listed.

Examples:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from walletsupport.regulation import Institution, reg_e
    >>> bank = Institution.for_region("US")
    >>> notice = datetime(2026, 11, 25, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    >>> case = reg_e.ErrorCase(notice_at=notice)
    >>> [d.due_at.date().isoformat() for d in reg_e.error_resolution_deadlines(case, bank,
    ...     at=notice)]
    ['2026-12-11', '2026-12-11']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.regulation import cn, psd2, reg_e, reg_z, uk
    from walletsupport.regulation._engine import (
        DayCount,
        Deadline,
        DeadlinePolicy,
        DeadlineRule,
        Milestone,
        Regime,
        TimeLimit,
    )
    from walletsupport.regulation._kinds import DisputeKind, FundingSource
    from walletsupport.regulation._liability import (
        LiabilityAssessment,
        LiabilityTier,
        UnauthorizedTransfer,
    )
    from walletsupport.regulation.institution import Institution

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "DayCount": "._engine",
        "Deadline": "._engine",
        "DeadlinePolicy": "._engine",
        "DeadlineRule": "._engine",
        "Milestone": "._engine",
        "Regime": "._engine",
        "TimeLimit": "._engine",
        "DisputeKind": "._kinds",
        "FundingSource": "._kinds",
        "LiabilityAssessment": "._liability",
        "LiabilityTier": "._liability",
        "UnauthorizedTransfer": "._liability",
        "Institution": ".institution",
    },
    modules=("cn", "psd2", "reg_e", "reg_z", "uk"),
)

__all__ = [
    "DayCount",
    "Deadline",
    "DeadlinePolicy",
    "DeadlineRule",
    "DisputeKind",
    "FundingSource",
    "Institution",
    "LiabilityAssessment",
    "LiabilityTier",
    "Milestone",
    "Regime",
    "TimeLimit",
    "UnauthorizedTransfer",
    "cn",
    "psd2",
    "reg_e",
    "reg_z",
    "uk",
]

"""Pure decisions with named presets: lockout, passwords, risk, SLA, deadlines, liability."""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.policies.lockout import LockoutDecision, LockoutPolicy
    from walletsupport.policies.password import (
        COMMON_PASSWORDS,
        PasswordCheck,
        PasswordPolicy,
        PasswordRule,
    )
    from walletsupport.policies.risk import (
        Risk,
        RiskAssessment,
        RiskPolicy,
        RiskSignals,
        assess_risk,
        explain_risk,
    )

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "LockoutDecision": ".lockout",
        "LockoutPolicy": ".lockout",
        "COMMON_PASSWORDS": ".password",
        "PasswordCheck": ".password",
        "PasswordPolicy": ".password",
        "PasswordRule": ".password",
        "Risk": ".risk",
        "RiskAssessment": ".risk",
        "RiskPolicy": ".risk",
        "RiskSignals": ".risk",
        "assess_risk": ".risk",
        "explain_risk": ".risk",
    },
)

__all__ = [
    "COMMON_PASSWORDS",
    "LockoutDecision",
    "LockoutPolicy",
    "PasswordCheck",
    "PasswordPolicy",
    "PasswordRule",
    "Risk",
    "RiskAssessment",
    "RiskPolicy",
    "RiskSignals",
    "assess_risk",
    "explain_risk",
]

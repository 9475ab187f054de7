"""Pure decisions with named presets: lockout, passwords, risk, SLA, deadlines, liability."""

from __future__ import annotations

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

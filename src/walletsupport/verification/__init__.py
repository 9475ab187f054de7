"""Verifying the caller: factors, plans by action and risk, sessions, one-time codes.

* [plan_verification][walletsupport.verification.plan_verification] picks the factors to ask
  for (strong customer authentication where PSD2 requires it);
* [VerificationSession][walletsupport.verification.VerificationSession] follows a caller
  through the plan, changed only by the library's checks, and seals the result into
  [SealedEvidence][walletsupport.verification.SealedEvidence] bound to an account and a case;
* [issue_code][walletsupport.verification.issue_code] /
  [verify_code][walletsupport.verification.verify_code] handle one-time codes,
  [verify_totp][walletsupport.verification.verify_totp] authenticator-app codes and
  [request_password_reset][walletsupport.verification.request_password_reset] reset tokens.

Examples:
    >>> from walletsupport.verification import plan_verification
    >>> plan = plan_verification("unlock_account", "medium", ["password", "registered_device"])
    >>> plan.satisfiable, sorted(c.value for c in plan.categories)
    (True, ['knowledge', 'possession'])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.verification.actions import VerificationAction
    from walletsupport.verification.factors import (
        FACTORS,
        Channel,
        Factor,
        FactorCategory,
        FactorKind,
        Strength,
        factor,
    )
    from walletsupport.verification.otp import (
        CodeOutcome,
        IssuedCode,
        OtpCheck,
        OtpPolicy,
        OtpState,
        OtpStatus,
        issue_code,
        resend_code,
        verify_code,
    )
    from walletsupport.verification.plans import (
        Fallback,
        FallbackKind,
        Risk,
        VerificationPlan,
        VerificationRequirement,
        plan_verification,
        requirement_for,
    )
    from walletsupport.verification.reset import (
        RESET_REQUEST_MESSAGE,
        IssuedResetToken,
        PasswordResetRequest,
        PasswordResetResponse,
        ResetTokenCheck,
        ResetTokenPolicy,
        ResetTokenState,
        request_password_reset,
        reset_token_digest,
        verify_reset_token,
    )
    from walletsupport.verification.session import (
        CheckMethod,
        EvidenceFactor,
        SealedEvidence,
        SessionStatus,
        StepOutcome,
        VerificationSession,
    )
    from walletsupport.verification.totp import (
        TotpAlgorithm,
        TotpCheck,
        hotp,
        totp,
        totp_key_from_base32,
        verify_totp,
    )

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "VerificationAction": ".actions",
        "FACTORS": ".factors",
        "Channel": ".factors",
        "Factor": ".factors",
        "FactorCategory": ".factors",
        "FactorKind": ".factors",
        "Strength": ".factors",
        "factor": ".factors",
        "CodeOutcome": ".otp",
        "IssuedCode": ".otp",
        "OtpCheck": ".otp",
        "OtpPolicy": ".otp",
        "OtpState": ".otp",
        "OtpStatus": ".otp",
        "issue_code": ".otp",
        "resend_code": ".otp",
        "verify_code": ".otp",
        "Fallback": ".plans",
        "FallbackKind": ".plans",
        "Risk": ".plans",
        "VerificationPlan": ".plans",
        "VerificationRequirement": ".plans",
        "plan_verification": ".plans",
        "requirement_for": ".plans",
        "RESET_REQUEST_MESSAGE": ".reset",
        "IssuedResetToken": ".reset",
        "PasswordResetRequest": ".reset",
        "PasswordResetResponse": ".reset",
        "ResetTokenCheck": ".reset",
        "ResetTokenPolicy": ".reset",
        "ResetTokenState": ".reset",
        "request_password_reset": ".reset",
        "reset_token_digest": ".reset",
        "verify_reset_token": ".reset",
        "CheckMethod": ".session",
        "EvidenceFactor": ".session",
        "SealedEvidence": ".session",
        "SessionStatus": ".session",
        "StepOutcome": ".session",
        "VerificationSession": ".session",
        "TotpAlgorithm": ".totp",
        "TotpCheck": ".totp",
        "hotp": ".totp",
        "totp": ".totp",
        "totp_key_from_base32": ".totp",
        "verify_totp": ".totp",
    },
)

__all__ = [
    "FACTORS",
    "RESET_REQUEST_MESSAGE",
    "Channel",
    "CheckMethod",
    "CodeOutcome",
    "EvidenceFactor",
    "Factor",
    "FactorCategory",
    "FactorKind",
    "Fallback",
    "FallbackKind",
    "IssuedCode",
    "IssuedResetToken",
    "OtpCheck",
    "OtpPolicy",
    "OtpState",
    "OtpStatus",
    "PasswordResetRequest",
    "PasswordResetResponse",
    "ResetTokenCheck",
    "ResetTokenPolicy",
    "ResetTokenState",
    "Risk",
    "SealedEvidence",
    "SessionStatus",
    "StepOutcome",
    "Strength",
    "TotpAlgorithm",
    "TotpCheck",
    "VerificationAction",
    "VerificationPlan",
    "VerificationRequirement",
    "VerificationSession",
    "factor",
    "hotp",
    "issue_code",
    "plan_verification",
    "request_password_reset",
    "requirement_for",
    "resend_code",
    "reset_token_digest",
    "totp",
    "totp_key_from_base32",
    "verify_code",
    "verify_reset_token",
    "verify_totp",
]

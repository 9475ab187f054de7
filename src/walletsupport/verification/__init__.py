"""Verifying the caller: factors, plans by action and risk, one-time codes."""

from __future__ import annotations

from walletsupport.verification.actions import VerificationAction

__all__ = ["VerificationAction"]

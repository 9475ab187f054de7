"""Frozen, validated value types. Secrets never leave unmasked."""

from __future__ import annotations

from walletsupport.values.locale import Locale

__all__ = ["Locale"]

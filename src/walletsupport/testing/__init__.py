"""Test tooling for integrators (imports hypothesis; never imported by the core)."""

from __future__ import annotations

__all__: list[str] = []

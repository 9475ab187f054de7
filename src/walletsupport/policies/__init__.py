"""Pure decisions with named presets: lockout, passwords, deadlines, liability."""

from __future__ import annotations

__all__: list[str] = []

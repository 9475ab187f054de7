"""The ``walletsupport`` command line."""

from __future__ import annotations

from walletsupport.cli._main import main

__all__ = ["main"]

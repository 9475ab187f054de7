"""Argument parsing and dispatch for the ``walletsupport`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from walletsupport._version import __version__

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="walletsupport",
        description="Customer-support answers for a digital wallet.",
    )
    parser.add_argument("--version", action="version", version=f"walletsupport {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    parser.print_help()
    return 0

"""The README's tour shows real output: each ``$ walletsupport ...`` block is run and compared.

Regenerate the blocks after a deliberate change of output with::

    python tests/e2e/test_readme_tour.py --write
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"```console\n\$ (walletsupport [^\n]*)\n(.*?)```", re.S)


def _tour() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(README.read_text(encoding="utf-8"))]


def _run(command: str) -> str:
    args = shlex.split(command)[1:]
    result = subprocess.run(
        [sys.executable, "-m", "walletsupport", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_the_readme_has_a_tour():
    assert len(_tour()) >= 3


@pytest.mark.parametrize(("command", "shown"), _tour(), ids=[c for c, _ in _tour()])
def test_each_tour_command_prints_what_the_readme_shows(command, shown):
    assert "--at" in command  # reproducible output only
    assert _run(command) == shown


def _write() -> None:
    text = README.read_text(encoding="utf-8")

    def fill(match: re.Match[str]) -> str:
        return f"```console\n$ {match.group(1)}\n{_run(match.group(1))}```"

    README.write_text(BLOCK.sub(fill, text), encoding="utf-8")


if __name__ == "__main__" and "--write" in sys.argv:
    _write()

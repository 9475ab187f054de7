"""No page or docstring cites a repository file that is not in the repository.

A path written in the docs or in the source (``reference/queueing.md``, ``tests/data/x.jsonl``,
``benchmarks/``) must exist: relative to the repository root, to ``docs/`` (the site's pages,
such as ``reference/cards.md``) or to an example package. A reader who follows it finds it.
Links between pages are checked by ``mkdocs build --strict``; URLs are not paths.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_EXTENSIONS = "md|py|pyi|json|jsonl|toml|ya?ml|txt|csv|sh|js|cfg|ini|sql"
_FILE = re.compile(rf"(?<![\w/.~$%-])((?:\.?[\w-]+/)+[\w.-]+\.(?:{_EXTENSIONS}))(?![\w/-])")
_FOLDER = re.compile(r"`+((?:\.?[\w-]+/)+)`+")  # a folder counts when written as code
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+")

#: Files whose owners are fixing their citations in other branches: listed here so that the
#: test guards every other file. Remove an entry once its file is fixed.
ELSEWHERE: dict[str, str] = {
    "src/walletsupport/calendars/__init__.py": "lib/biz/ (another project's folder)",
}
BASES = [ROOT, ROOT / "docs", *sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir())]


def scanned() -> list[Path]:
    files = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
    files += sorted((ROOT / "src").rglob("*.py"))
    return [f for f in files if "assets" not in f.relative_to(ROOT).parts]


def cited_paths(text: str) -> list[str]:
    """Repository-looking paths in ``text``: a/b/c.ext or a/b/ (URLs left out).

    >>> cited_paths("see `reference/queueing.md`, https://x.org/a/b.md and America/New_York")
    ['reference/queueing.md']
    """
    text = _URL.sub("", text)
    found = [(m.start(), m.group(1)) for m in (*_FILE.finditer(text), *_FOLDER.finditer(text))]
    return [path for _, path in sorted(found)]


def missing_in(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return sorted(
        {cited for cited in cited_paths(text) if not any((b / cited).exists() for b in BASES)}
    )


def test_the_scanner_finds_what_it_should() -> None:
    assert cited_paths("a source in `reference/`.") == ["reference/"]
    assert cited_paths("``tests/integration/test_store_contract.py``") == [
        "tests/integration/test_store_contract.py"
    ]
    assert cited_paths("12/27, k/A, Europe/London, and/or, $XDG_DATA_HOME/walletsupport/") == []
    assert cited_paths("A^N/N! · N/(N−A)") == []


@pytest.mark.parametrize(
    "path",
    [p for p in scanned() if str(p.relative_to(ROOT)) not in ELSEWHERE],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_cited_repository_file_exists(path: Path) -> None:
    assert missing_in(path) == [], f"{path.relative_to(ROOT)} cites files not in the repository"

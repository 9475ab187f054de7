"""Acme's own support lines, as a Directory JSON file shipped in the package.

The file names Acme's category (``merchant_chargeback``), so it is validated against a
registry that knows it; ``walletsupport assist --directory`` loads it the same way.

Examples:
    >>> from walletsupport.issues import default_registry
    >>> registry = default_registry()
    >>> _ = registry.load_entry_points()
    >>> [line.id for line in acme_directory(registry).lines]
    ['acme-sg-merchants', 'acme-sg-care']
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from walletsupport.contact import Directory
from walletsupport.issues import IssueRegistry

__all__ = ["LINES_FILE", "acme_directory"]

#: The JSON file, for ``walletsupport assist --directory``.
LINES_FILE = Path(str(resources.files("acme_wallet") / "lines.json"))


def acme_directory(registry: IssueRegistry) -> Directory:
    """Acme's lines, validated against ``registry`` (which must know ``merchant_chargeback``)."""
    return Directory.load(json.loads(LINES_FILE.read_text(encoding="utf-8")), registry=registry)

"""Where the CLI keeps its files (imported by ``--help``, so it imports nothing heavy)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: The environment variable naming the server-key file (``case --server-key-file``).
SERVER_KEY_ENV = "WALLETSUPPORT_SERVER_KEY_FILE"


def default_db_path() -> Path:
    """Where ``case`` keeps its sqlite file: the user's data directory.

    ``$XDG_DATA_HOME/walletsupport/cases.sqlite3`` (``~/.local/share`` by default); on Windows
    ``%LOCALAPPDATA%\\walletsupport\\cases.sqlite3``.
    """
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "walletsupport" / "cases.sqlite3"


# --- shared parsing ------------------------------------------------------------------------

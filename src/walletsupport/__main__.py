"""``python -m walletsupport``: the same as the ``walletsupport`` command."""

from __future__ import annotations

import sys

from walletsupport.cli import main

sys.exit(main())

"""``python -m walletsupport.cli``."""

from __future__ import annotations

import sys

from walletsupport.cli._main import main

sys.exit(main())

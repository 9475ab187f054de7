"""Shared test configuration: hypothesis profiles.

``ci`` is loaded when the ``CI`` environment variable is set, ``dev`` otherwise;
``--hypothesis-profile=NAME`` overrides either.
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,  # CI is reproducible: the same examples on every run of the same code
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("quick", max_examples=10, deadline=timedelta(seconds=5))
_default = "ci" if os.environ.get("CI") else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default))

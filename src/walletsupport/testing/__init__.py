"""Test tooling for integrators: hypothesis strategies, stateful bases, a pytest plugin.

This is the only part of walletsupport that imports hypothesis or pytest; install it with the
``testing`` extra (``pip install "walletsupport[testing]"``). Import the modules you need:

* [walletsupport.testing.strategies][walletsupport.testing.strategies]: ``money()``,
  ``phone_numbers()``, ``schedules()``, ``case_snapshots()`` ...;
* [walletsupport.testing.stateful][walletsupport.testing.stateful]: ``WorkflowStateMachine``
  and ``WorkflowRuleMachine`` to test a workflow against the engine;
* ``walletsupport.testing.pytest_plugin``: opt-in fixtures
  (``pytest_plugins = ["walletsupport.testing.pytest_plugin"]``).

Installing walletsupport also registers a ``hypothesis`` entry point, so
``st.from_type(PhoneNumber)`` and friends work in any suite.

Examples:
    >>> from walletsupport.testing import strategies
    >>> callable(strategies.money)
    True
"""

from __future__ import annotations

__all__: list[str] = []

"""The ``hypothesis`` entry point: lets ``st.from_type`` build walletsupport values.

Hypothesis loads every ``[project.entry-points.hypothesis]`` entry when it is first imported
and calls it; a failing hook would break every test run of a project that installs us, so
``setup`` imports lazily, is cheap (it only registers functions that build strategies on
first use) and never raises.
"""

from __future__ import annotations

import contextlib

__all__ = ["setup"]


def setup() -> None:
    """Register strategies for our value types with ``st.register_type_strategy``.

    Examples:
        >>> from hypothesis import find, strategies as st
        >>> from walletsupport.values import PhoneNumber
        >>> setup()  # hypothesis already called it through the entry point; calling again is fine
        >>> isinstance(find(st.from_type(PhoneNumber), lambda p: True), PhoneNumber)
        True
    """
    with contextlib.suppress(Exception):  # a broken hook must never break hypothesis itself
        _register()


def _register() -> None:
    from hypothesis import strategies as st

    from walletsupport.calendars import Schedule
    from walletsupport.contact import Directory, SupportLine
    from walletsupport.issues import IssueCategory
    from walletsupport.values import CardExpiry, CardNumber, Cvc, Money, Password, PhoneNumber

    def lazy(name: str) -> st.SearchStrategy[object]:
        def build() -> st.SearchStrategy[object]:
            from walletsupport.testing import strategies

            made: st.SearchStrategy[object] = getattr(strategies, name)()
            return made

        return st.deferred(build)

    table: dict[type, str] = {
        Money: "money",
        PhoneNumber: "phone_numbers",
        CardNumber: "card_numbers",
        CardExpiry: "card_expiries",
        Cvc: "cvcs",
        Password: "passwords",
        Schedule: "schedules",
        SupportLine: "support_lines",
        Directory: "directories",
        IssueCategory: "issue_categories",
    }
    for kind, name in table.items():
        st.register_type_strategy(kind, lazy(name))

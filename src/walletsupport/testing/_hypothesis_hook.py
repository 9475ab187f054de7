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


#: The public modules whose pydantic models ``st.from_type`` learns (their ``__all__``).
PUBLIC_MODULES: tuple[str, ...] = (
    "walletsupport",
    "walletsupport.calendars",
    "walletsupport.contact",
    "walletsupport.issues",
    "walletsupport.policies",
    "walletsupport.regulation",
    "walletsupport.values",
    "walletsupport.verification",
    "walletsupport.workflows",
)


def public_models() -> dict[type, str]:
    """Every public pydantic model class, by the module that exports it."""
    import importlib
    import inspect

    from pydantic import BaseModel

    found: dict[type, str] = {}
    for name in PUBLIC_MODULES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr, None)
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj not in found:
                found[obj] = name
    return found


def _register() -> None:
    from hypothesis import strategies as st

    def lazy(kind: type) -> st.SearchStrategy[object]:
        def build() -> st.SearchStrategy[object]:
            from walletsupport.testing import strategies

            made: st.SearchStrategy[object] = strategies._of_type(kind)
            return made

        return st.deferred(build)

    from walletsupport.values import CardExpiry, CardNumber, Cvc, Password

    for kind in [CardNumber, CardExpiry, Cvc, Password, *public_models()]:
        st.register_type_strategy(kind, lazy(kind))

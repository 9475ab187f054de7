"""A short repr of a caller's value for error messages: bounded, and it never raises."""

from __future__ import annotations

import reprlib

__all__ = ["shown"]


class _ShortRepr(reprlib.Repr):
    """``reprlib`` that also survives ints too long for ``repr`` (Python's 4,300-digit limit)."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 128:
            return f"<int of {x.bit_length()} bits>"
        return super().repr_int(x, level)

    def repr_instance(self, x: object, level: int) -> str:
        try:
            return super().repr_instance(x, level)
        except Exception:
            return f"<{type(x).__name__}>"


_SHORT = _ShortRepr()
_SHORT.maxstring = _SHORT.maxother = 80
_SHORT.maxlevel = 2


def shown(value: object) -> str:
    """A short repr of a caller's value for an error message: bounded, and it never raises.

    Examples:
        >>> shown("x" * 100)
        "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
        >>> shown(10**5000), shown(list(range(200_000)))
        ('<int of 16610 bits>', '[0, 1, 2, 3, 4, 5, ...]')
    """
    return _SHORT.repr(value)

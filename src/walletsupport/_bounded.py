"""One bounded memo for the library's process-wide caches: insertion order, oldest dropped."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["remember"]

K = TypeVar("K")
V = TypeVar("V")


def remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Store ``value`` under ``key`` in ``cache``, dropping the oldest entries first so that
    ``cache`` never holds more than ``limit``; returns ``value``.

    Safe without a lock: when another thread changes ``cache`` meanwhile, the eviction
    simply tries again.

    Examples:
        >>> memo: dict[int, str] = {}
        >>> for n in range(5):
        ...     _ = remember(memo, n, str(n), limit=3)
        >>> memo
        {2: '2', 3: '3', 4: '4'}
    """
    while cache and len(cache) >= limit:
        try:
            del cache[next(iter(cache))]
        except (KeyError, RuntimeError, StopIteration):  # another thread changed it meanwhile
            continue
    cache[key] = value
    return value

"""Checks every store makes before writing (shared by the adapters)."""

from __future__ import annotations

from datetime import datetime

from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError
from walletsupport.workflows.snapshot import CaseSnapshot


def check_save(snapshot: object, expected_version: object) -> CaseSnapshot:
    """Validate the arguments of ``save``; return the snapshot."""
    if not isinstance(snapshot, CaseSnapshot):
        raise InvalidInputError(f"expected a CaseSnapshot, got {type(snapshot).__name__}")
    if type(expected_version) is not int or expected_version < 0:
        raise InvalidInputError("expected_version must be a non-negative int")
    if snapshot.version != expected_version + 1:
        raise InvalidInputError(
            f"a save advances one version: expected_version {expected_version} "
            f"needs snapshot version {expected_version + 1}, got {snapshot.version}"
        )
    return snapshot


def check_find(kind: object, state: object, due_before: object, limit: object) -> datetime | None:
    """Validate the arguments of ``find``; return ``due_before`` (aware) or ``None``."""
    for name, value in (("kind", kind), ("state", state)):
        if value is not None and not isinstance(value, str):
            raise InvalidInputError(f"{name} must be a string or None")
    if limit is not None and (type(limit) is not int or limit < 0):
        raise InvalidInputError("limit must be a non-negative int or None")
    return None if due_before is None else ensure_aware(due_before, "due_before")


def check_version(version: object) -> int | None:
    """Validate the ``version`` argument of ``load``."""
    if version is not None and (type(version) is not int or version < 1):
        raise InvalidInputError("version must be a positive int or None")
    return version if isinstance(version, int) else None

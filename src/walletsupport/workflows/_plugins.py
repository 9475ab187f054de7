"""Workflows that installed distributions advertise: the ``walletsupport.workflows`` group.

A package adds a workflow without editing walletsupport by declaring an entry point whose
value is a [Workflow][walletsupport.workflows.Workflow] or a callable taking no arguments
that returns one::

    [project.entry-points."walletsupport.workflows"]
    chargeback_review = "acme_wallet.chargeback:chargeback_review_workflow"

[installed_workflows][walletsupport.workflows.installed_workflows] is what the CLI and the
pytest plugin serve: the built-ins, then the installed ones. Loading is explicit (there is no
global list) and happens when it is called.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any

from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.workflows._builtin import builtin_workflows
from walletsupport.workflows.definition import Workflow

__all__ = ["ENTRY_POINT_GROUP", "installed_workflows", "load_workflow_entry_points"]

#: The entry-point group workflows are advertised in.
ENTRY_POINT_GROUP = "walletsupport.workflows"


def load_workflow_entry_points(group: str = ENTRY_POINT_GROUP) -> tuple[Workflow[Any, Any], ...]:
    """The workflows installed distributions advertise in ``group``, in entry-point name order.

    Raises:
        InvalidInputError: ``group`` is not a non-empty string.
        ConfigurationError: an entry point fails to load, yields something that is not a
            ``Workflow``, or two of them share a kind.

    Examples:
        >>> load_workflow_entry_points(group="walletsupport.no_such_group")
        ()
    """
    if not isinstance(group, str) or not group:
        raise InvalidInputError("group must be a non-empty string")
    found: list[Workflow[Any, Any]] = []
    for entry_point in sorted(metadata.entry_points(group=group), key=lambda e: e.name):
        where = f"entry point {entry_point.name!r} in {group!r}"
        try:
            loaded = entry_point.load()
            if callable(loaded) and not isinstance(loaded, Workflow):
                loaded = loaded()
        except Exception as exc:
            raise ConfigurationError(f"{where} failed to load") from exc
        if not isinstance(loaded, Workflow):
            raise ConfigurationError(
                f"{where} yielded {type(loaded).__name__}, not a Workflow "
                "(or a zero-argument callable returning one)"
            )
        found.append(loaded)
    _check_unique(found)
    return tuple(found)


def installed_workflows(group: str = ENTRY_POINT_GROUP) -> tuple[Workflow[Any, Any], ...]:
    """The built-in workflows followed by those installed distributions advertise.

    Raises:
        ConfigurationError: an entry point is broken, or an installed workflow's kind is
            already taken (by a built-in or another installed workflow).

    Examples:
        >>> [w.kind for w in installed_workflows()][:2]
        ['ticket', 'account_lock']
    """
    workflows = (*builtin_workflows(), *load_workflow_entry_points(group))
    _check_unique(workflows)
    return workflows


def _check_unique(workflows: tuple[Workflow[Any, Any], ...] | list[Workflow[Any, Any]]) -> None:
    seen: set[str] = set()
    for workflow in workflows:
        if workflow.kind in seen:
            raise ConfigurationError(f"two workflows share the kind {workflow.kind!r}")
        seen.add(workflow.kind)

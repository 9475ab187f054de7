"""The workflows walletsupport ships, each built with its default policy.

Every built-in workflow module ``walletsupport.workflows.<name>`` defines a factory
``<name>_workflow()`` whose arguments all have defaults; ``builtin_workflows`` calls them in
this order. The docs generator and the default service iterate this list, so a new built-in
workflow is picked up by adding its module name here.
"""

from __future__ import annotations

import importlib
from typing import Any

from walletsupport.workflows.definition import Workflow

BUILTIN_MODULES: tuple[str, ...] = (
    "ticket",
    "account_lock",
    "password_reset",
    "card_add",
    "unauthorized_transaction",
    "transaction_dispute",
)


def builtin_workflows() -> tuple[Workflow[Any, Any], ...]:
    """Every built-in workflow, with its default policy.

    Examples:
        >>> kinds = [w.kind for w in builtin_workflows()]
        >>> kinds[:2]
        ['ticket', 'account_lock']
    """
    found: list[Workflow[Any, Any]] = []
    for name in BUILTIN_MODULES:
        try:
            module = importlib.import_module(f"walletsupport.workflows.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"walletsupport.workflows.{name}":
                raise
            continue  # not written yet
        factory = getattr(module, f"{name}_workflow", None)
        if factory is None:
            continue
        workflow = factory()
        if not isinstance(workflow, Workflow):
            raise TypeError(f"{name}_workflow() must return a Workflow")
        found.append(workflow)
    return tuple(found)

"""Support workflows as python-statemachine machines, run by one engine.

A case is a [CaseSnapshot][walletsupport.workflows.CaseSnapshot] (state, version, data, audit
trail); [WorkflowService][walletsupport.workflows.WorkflowService] opens cases and applies
[Command][walletsupport.workflows.Command] values to them through a
[WorkflowStore][walletsupport.ports.WorkflowStore], with idempotency keys, optimistic
concurrency and deadlines. A workflow is declared as a
[Workflow][walletsupport.workflows.Workflow] definition;
[DeadlineRunner][walletsupport.workflows.DeadlineRunner] fires what its due deadlines trigger.

Examples:
    >>> from datetime import datetime, timezone
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    >>> service = WorkflowService(MemoryStore(), clock)
    >>> service.open("ticket", {"subject": "lost card"}, case_id="T-1", actor="customer").state
    'new'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from walletsupport import _lazy

if TYPE_CHECKING:
    from walletsupport.workflows._builtin import builtin_workflows
    from walletsupport.workflows._claims import DeadlineClaim
    from walletsupport.workflows.audit import AuditEntry
    from walletsupport.workflows.definition import (
        CaseContext,
        Command,
        Deadline,
        DeadlineCommand,
        DeadlineFunction,
        Workflow,
    )
    from walletsupport.workflows.diagrams import render_mermaid, render_workflows_markdown
    from walletsupport.workflows.runner import DeadlineOutcome, DeadlineRunner, RunnerStats
    from walletsupport.workflows.service import WorkflowService
    from walletsupport.workflows.snapshot import CaseSnapshot

# Each public name loads its module on first use (see walletsupport._lazy).
__getattr__, __dir__ = _lazy.exports(
    __name__,
    {
        "builtin_workflows": "._builtin",
        "AuditEntry": ".audit",
        "CaseContext": ".definition",
        "Command": ".definition",
        "Deadline": ".definition",
        "DeadlineFunction": ".definition",
        "DeadlineCommand": ".definition",
        "DeadlineClaim": "._claims",
        "DeadlineOutcome": ".runner",
        "DeadlineRunner": ".runner",
        "RunnerStats": ".runner",
        "Workflow": ".definition",
        "render_mermaid": ".diagrams",
        "render_workflows_markdown": ".diagrams",
        "WorkflowService": ".service",
        "CaseSnapshot": ".snapshot",
    },
)

__all__ = [
    "AuditEntry",
    "CaseContext",
    "CaseSnapshot",
    "Command",
    "Deadline",
    "DeadlineClaim",
    "DeadlineCommand",
    "DeadlineFunction",
    "DeadlineOutcome",
    "DeadlineRunner",
    "RunnerStats",
    "Workflow",
    "WorkflowService",
    "builtin_workflows",
    "render_mermaid",
    "render_workflows_markdown",
]

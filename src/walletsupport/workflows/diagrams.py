"""Mermaid diagrams of workflows, generated from the machine classes (for the docs and the CLI).

Examples:
    >>> from walletsupport.workflows.ticket import ticket_workflow
    >>> render_mermaid(ticket_workflow()).splitlines()[0]
    'stateDiagram-v2'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from walletsupport.errors import InvalidInputError
from walletsupport.workflows._checks import items_of
from walletsupport.workflows.definition import Workflow

__all__ = ["render_mermaid", "render_workflows_markdown"]

BEGIN_MARK = "<!-- BEGIN GENERATED DIAGRAMS (render_workflows_markdown) -->"
END_MARK = "<!-- END GENERATED DIAGRAMS -->"


def render_mermaid(workflow: Workflow[Any, Any]) -> str:
    """The workflow's state machine as a Mermaid ``stateDiagram-v2``.

    Raises:
        InvalidInputError: ``workflow`` is not a Workflow.

    Examples:
        >>> from walletsupport.workflows.ticket import ticket_workflow
        >>> "SOLVED --> OPEN : Reopen" in render_mermaid(ticket_workflow())
        True
    """
    if not isinstance(workflow, Workflow):
        raise InvalidInputError(f"expected a Workflow, got {type(workflow).__name__}")
    text = format(workflow.machine, "mermaid")
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def render_workflows_markdown(workflows: Iterable[Workflow[Any, Any]] | None = None) -> str:
    """A Markdown section per workflow: title, kind, states, commands and its diagram.

    ``None`` renders [builtin_workflows()][walletsupport.workflows.builtin_workflows]; this is
    the text between the generated-diagram markers of ``docs/workflows.md``.

    Examples:
        >>> from walletsupport.workflows.ticket import ticket_workflow
        >>> print(render_workflows_markdown([ticket_workflow()]).splitlines()[0])
        ### Support ticket (`ticket`)
    """
    if workflows is None:
        from walletsupport.workflows._builtin import builtin_workflows

        workflows = builtin_workflows()
    parts: list[str] = []
    for workflow in items_of(workflows, "workflows", InvalidInputError):
        if not isinstance(workflow, Workflow):
            raise InvalidInputError(f"expected a Workflow, got {type(workflow).__name__}")
        title = workflow.title or workflow.kind.replace("_", " ").capitalize()
        commands = ", ".join(f"`{c.__name__}` → `{c.event}`" for c in workflow.commands)
        finals = ", ".join(f"`{s}`" for s in sorted(workflow.final_states)) or "none"
        parts.append(
            f"### {title} (`{workflow.kind}`)\n\n"
            f"Module: `{workflow.machine.__module__}`. Initial state `{workflow.initial_state}`; "
            f"final (absorbing): {finals}.\n\n"
            f"Commands: {commands}.\n\n"
            f"```mermaid\n{render_mermaid(workflow)}\n```\n"
        )
    return "\n".join(parts)

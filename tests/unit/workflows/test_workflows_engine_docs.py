"""docs/workflows.md shows the diagrams of every built-in machine as they are now."""

from __future__ import annotations

from pathlib import Path

from walletsupport.workflows import builtin_workflows, render_mermaid, render_workflows_markdown
from walletsupport.workflows.diagrams import BEGIN_MARK, END_MARK

DOC = Path(__file__).resolve().parents[3] / "docs" / "workflows.md"


def generated_part(text: str) -> str:
    start = text.index(BEGIN_MARK) + len(BEGIN_MARK)
    return text[start : text.index(END_MARK)].strip()


def regenerate() -> None:
    text = DOC.read_text(encoding="utf-8")
    head = text[: text.index(BEGIN_MARK)]
    tail = text[text.index(END_MARK) + len(END_MARK) :]
    body = render_workflows_markdown()
    DOC.write_text(f"{head}{BEGIN_MARK}\n\n{body}\n{END_MARK}{tail}", encoding="utf-8")


def test_the_workflow_diagrams_in_the_docs_are_current():
    current = generated_part(DOC.read_text(encoding="utf-8"))
    assert current == render_workflows_markdown().strip(), (
        "docs/workflows.md is stale: run "
        "PYTHONPATH=src python tests/unit/workflows/test_workflows_engine_docs.py"
    )


def test_every_built_in_workflow_has_its_diagram_in_the_docs():
    text = DOC.read_text(encoding="utf-8")
    for workflow in builtin_workflows():
        assert f"(`{workflow.kind}`)" in text
        assert render_mermaid(workflow) in text


def test_a_diagram_shows_every_state_and_the_initial_arrow():
    for workflow in builtin_workflows():
        diagram = render_mermaid(workflow)
        assert diagram.startswith("stateDiagram-v2")
        assert "[*] -->" in diagram
        assert diagram.count('state "') == len(workflow.states)


if __name__ == "__main__":
    regenerate()

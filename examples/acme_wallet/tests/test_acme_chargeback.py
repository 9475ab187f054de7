"""The chargeback workflow, property-tested with walletsupport.testing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from acme_wallet.chargeback import (
    AddEvidence,
    ChargebackData,
    ChargebackPolicy,
    EvidenceKind,
    RecordIssuerDecision,
    chargeback_representment_workflow,
)
from hypothesis import Phase, find, given, settings

from walletsupport.errors import GuardRejectedError
from walletsupport.testing import strategies as ws
from walletsupport.testing.stateful import ANY, WorkflowStateMachine
from walletsupport.workflows import CaseSnapshot, Command, WorkflowService

pytest_plugins = ["walletsupport.testing.pytest_plugin"]

WORKFLOW = chargeback_representment_workflow(policy=ChargebackPolicy(max_evidence=3))
FINAL = {"won", "lost", "accepted", "expired"}

# (state, event) -> next state; ANY: a guard decides; missing: refused.
TABLE: dict[tuple[str, str], object] = {
    ("received", "start_gathering"): "gathering",
    ("gathering", "add_evidence"): ANY,
    ("gathering", "submit"): ANY,
    ("received", "accept"): "accepted",
    ("gathering", "accept"): "accepted",
    ("received", "expire"): ANY,
    ("gathering", "expire"): ANY,
}


class ChargebackRules(WorkflowStateMachine):
    """Commands come from the kit; the table is our tiny model of the rules."""

    workflows = (WORKFLOW,)
    kind = "chargeback_representment"

    def initial_data(self) -> ChargebackData:
        return ChargebackData(amount=Decimal("42.00"), reason_code="10.4")

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        if snapshot.state == "submitted" and isinstance(command, RecordIssuerDecision):
            return "won" if command.reversed else "lost"
        return TABLE.get((snapshot.state, command.event))


ChargebackRules.TestCase.settings = settings(max_examples=30, stateful_step_count=20, deadline=None)
TestChargebackRules = ChargebackRules.TestCase


@pytest.mark.parametrize("state", sorted(FINAL | {"gathering", "submitted"}))
def test_every_state_is_reachable_with_valid_commands(state: str) -> None:
    no_shrink = settings(phases=[Phase.generate], max_examples=200, database=None)
    snapshot = find(ws.case_snapshots(WORKFLOW, state=state), lambda s: True, settings=no_shrink)
    assert snapshot.state == state
    assert snapshot.version == len(snapshot.audit)


@settings(max_examples=25, deadline=None)
@given(ws.case_snapshots(WORKFLOW, max_steps=10))
def test_evidence_never_exceeds_the_policy_limit(snapshot: CaseSnapshot) -> None:
    data = ChargebackData.model_validate(snapshot.data)
    assert len(data.evidence) <= 3
    if snapshot.state in {"submitted", "won", "lost"}:
        assert data.evidence, "submitted without evidence"


@settings(max_examples=20, deadline=None)
@given(ws.case_snapshots(WORKFLOW, max_steps=10))
def test_evidence_matches_the_evidence_commands_in_the_audit(snapshot: CaseSnapshot) -> None:
    data = ChargebackData.model_validate(snapshot.data)
    added = [e for e in snapshot.audit if e.command == "AddEvidence"]
    assert len(data.evidence) == len(added)
    assert [EvidenceKind(e.details["kind"]) for e in added] == list(data.evidence)


def test_submitting_without_evidence_is_refused_with_a_reason(workflow_service_acme) -> None:
    service = workflow_service_acme
    service.open(
        WORKFLOW.kind,
        ChargebackData(amount=Decimal(1), reason_code="x"),
        case_id="CB-2",
        actor="test",
    )
    service.apply("CB-2", ws_start(), idempotency_key="1", actor="test")
    with pytest.raises(GuardRejectedError, match="at least one piece of evidence"):
        service.apply("CB-2", ws_submit(), idempotency_key="2", actor="test")
    assert service.load("CB-2").state == "gathering"


def ws_start() -> Command:
    from acme_wallet.chargeback import StartGathering

    return StartGathering()


def ws_submit() -> Command:
    from acme_wallet.chargeback import SubmitRepresentment

    return SubmitRepresentment()


@pytest.fixture
def workflow_service_acme(memory_store, fixed_clock) -> WorkflowService:
    return WorkflowService(memory_store, fixed_clock, [WORKFLOW])


@settings(max_examples=20, deadline=None)
@given(ws.commands(WORKFLOW, state="gathering"))
def test_commands_drawn_for_gathering_can_leave_it(command: Command) -> None:
    assert command.event in WORKFLOW.events_in("gathering")
    if isinstance(command, AddEvidence):
        assert command.kind in EvidenceKind

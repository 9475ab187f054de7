"""The chargeback_review workflow, property- and stateful-tested with walletsupport.testing.

The stateful test crosses the 7-business-day evidence deadline (the kit jumps the clock to
just before, at and after it) and the coverage record proves the expiry path was taken.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from acme_wallet.chargeback import (
    SG_BUSINESS_DAYS,
    ChargebackData,
    ChargebackPolicy,
    EvidenceKind,
    RecordIssuerDecision,
    StartGathering,
    SubmitEvidence,
    chargeback_review_workflow,
    evidence_due,
)
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from walletsupport.cli import main
from walletsupport.errors import GuardRejectedError
from walletsupport.testing import strategies as ws
from walletsupport.testing.stateful import WorkflowStateMachine
from walletsupport.workflows import CaseSnapshot, Command, WorkflowService

pytest_plugins = ["walletsupport.testing.pytest_plugin"]

WORKFLOW = chargeback_review_workflow(policy=ChargebackPolicy(max_evidence=3))
FINAL = {"won", "lost", "accepted", "expired"}
NO_SHRINK = settings(phases=[Phase.generate], max_examples=200, database=None, deadline=None)


# --- the deadline ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 1), timezones=st.just(UTC)))  # noqa: DTZ001 - st.datetimes takes naive bounds
def test_evidence_is_due_at_the_end_of_the_seventh_singapore_business_day(opened: datetime) -> None:
    due = evidence_due(opened, ChargebackPolicy())
    singapore = ZoneInfo(SG_BUSINESS_DAYS.zone)
    due = due.astimezone(singapore)
    assert (due.hour, due.minute) == (0, 0)  # the exclusive end: midnight after the last day
    day0 = opened.astimezone(singapore).date()
    last = due.date() - timedelta(days=1)
    business = [
        day0 + timedelta(days=n)
        for n in range(1, (last - day0).days + 1)
        if SG_BUSINESS_DAYS.is_business_day(day0 + timedelta(days=n))
    ]
    assert len(business) == 7
    assert business[-1] == last  # the last day counted is a business day, never a holiday


def test_chinese_new_year_holidays_do_not_count() -> None:
    friday = datetime(2026, 2, 13, 9, tzinfo=UTC)
    assert evidence_due(friday, ChargebackPolicy()).date().isoformat() == "2026-02-27"


# --- properties over snapshots the engine reaches ----------------------------------------------


@pytest.mark.parametrize("state", sorted(FINAL | {"gathering", "submitted"}))
def test_every_state_is_reachable_with_valid_commands(state: str) -> None:
    snapshot = find(ws.case_snapshots(WORKFLOW, state=state), lambda s: True, settings=NO_SHRINK)
    assert snapshot.state == state
    assert snapshot.version == len(snapshot.audit)


@settings(max_examples=25, deadline=None)
@given(ws.case_snapshots(WORKFLOW, max_steps=10))
def test_the_pattern_field_and_evidence_limit_hold_in_every_snapshot(
    snapshot: CaseSnapshot,
) -> None:
    data = ChargebackData.model_validate(snapshot.data)
    assert re.fullmatch(r"\d{1,2}\.\d{1,2}", data.reason_code)
    assert len(data.evidence) <= 3
    if snapshot.state in {"submitted", "won", "lost"}:
        assert data.evidence, "submitted without evidence"
        assert data.submitted_at is not None
        assert data.submitted_at < evidence_due(snapshot.created_at, WORKFLOW.policy)


@settings(max_examples=20, deadline=None)
@given(ws.case_snapshots(WORKFLOW, max_steps=10))
def test_evidence_matches_the_evidence_commands_in_the_audit(snapshot: CaseSnapshot) -> None:
    data = ChargebackData.model_validate(snapshot.data)
    added = [e for e in snapshot.audit if e.command == "AddEvidence"]
    assert [EvidenceKind(e.details["kind"]) for e in added] == list(data.evidence)


def test_expired_cases_expired_only_after_the_deadline() -> None:
    snapshot = find(
        ws.case_snapshots(WORKFLOW, state="expired"), lambda s: True, settings=NO_SHRINK
    )
    assert snapshot.updated_at >= evidence_due(snapshot.created_at, WORKFLOW.policy)


def test_submitting_without_evidence_is_refused_with_a_reason(
    workflow_service: WorkflowService,
) -> None:
    # workflow_service serves the installed workflows: chargeback_review comes from the entry point
    data = ChargebackData(amount=Decimal(1), reason_code="10.4")
    workflow_service.open("chargeback_review", data, case_id="CB-2", actor="test")
    workflow_service.apply("CB-2", StartGathering(), idempotency_key="1", actor="test")
    with pytest.raises(GuardRejectedError, match="at least one piece of evidence"):
        workflow_service.apply("CB-2", SubmitEvidence(), idempotency_key="2", actor="test")
    assert workflow_service.load("CB-2").state == "gathering"


def test_the_cli_draws_the_installed_workflow() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["diagram", "chargeback_review"], stdout=out, stderr=err) == 0, err.getvalue()
    assert "GATHERING --> EXPIRED" in out.getvalue()


# --- the stateful test -------------------------------------------------------------------------


class ChargebackRules(WorkflowStateMachine):
    """Commands come from the kit; ``expect`` is our tiny model of the rules, deadline included."""

    workflows = (WORKFLOW,)
    kind = "chargeback_review"

    def initial_data(self) -> ChargebackData:
        return ChargebackData(amount=Decimal("42.00"), reason_code="10.4")

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        data = ChargebackData.model_validate(snapshot.data)
        late = self.clock.now() >= evidence_due(snapshot.created_at, WORKFLOW.policy)
        state, event = snapshot.state, command.event
        if state in FINAL:
            return None
        if event == "expire":
            return "expired" if late and state in {"received", "gathering"} else None
        if event == "accept":
            return "accepted" if state in {"received", "gathering"} else None
        if event == "start_gathering":
            return "gathering" if state == "received" else None
        if event == "add_evidence":
            return "gathering" if state == "gathering" and len(data.evidence) < 3 else None
        if event == "submit":
            ready = state == "gathering" and data.evidence and not late
            return "submitted" if ready else None
        if event == "decide" and isinstance(command, RecordIssuerDecision):
            return ("won" if command.reversed else "lost") if state == "submitted" else None
        raise AssertionError(command)  # pragma: no cover


ChargebackRules.TestCase.settings = settings(max_examples=60, stateful_step_count=20, deadline=None)
TestChargebackRules = ChargebackRules.TestCase


def test_the_stateful_run_crossed_the_deadline_and_took_the_expiry_path() -> None:
    coverage = ChargebackRules.run_checked(
        settings(max_examples=60, stateful_step_count=20, deadline=None, database=None)
    )
    assert "evidence_due" in coverage.deadlines_crossed
    expiries = {("received", "expire", "expired"), ("gathering", "expire", "expired")}
    assert expiries & coverage.transitions, coverage.transitions
    assert len({side for _, side in coverage.deadline_jumps}) >= 2


class SubmitIgnoresTheDeadline(ChargebackRules):
    """Deliberately broken: forgets that evidence is refused once the deadline has passed."""

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        if snapshot.state == "gathering" and command.event == "submit":
            data = ChargebackData.model_validate(snapshot.data)
            return "submitted" if data.evidence else None
        return super().expect(snapshot, command)


class ExpiryNeverAccepted(ChargebackRules):
    """Deliberately broken: believes a chargeback never expires."""

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        if command.event == "expire":
            return None
        return super().expect(snapshot, command)


@pytest.mark.parametrize("broken", [SubmitIgnoresTheDeadline, ExpiryNeverAccepted])
def test_models_wrong_only_after_the_deadline_are_caught(broken: Any) -> None:
    quick = settings(
        max_examples=60,
        stateful_step_count=20,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # finding the failure is the point; shrinking costs time
    )
    with pytest.raises(AssertionError, match="the model expected"):
        broken.run_checked(quick)


def test_every_seed_crosses_the_deadline_and_sends_a_command_just_before_it() -> None:
    """Not a derandomized accident: ten seeds, ten examples each, every one crosses the
    7-business-day deadline and sends a command just before it, and the seeds together still
    take both the expiry path and the in-time submission."""
    few = settings(max_examples=10, stateful_step_count=20, deadline=None, database=None)
    few = settings(few, derandomize=False)
    problems: dict[int, list[str]] = {}
    transitions: set[tuple[str, str, str]] = set()
    for seed in range(10):
        coverage = ChargebackRules.run_checked(few, seed=seed)
        transitions |= coverage.transitions
        missing = []
        if "evidence_due" not in coverage.deadlines_crossed:
            missing.append("never crossed")
        if ("evidence_due", "before") not in coverage.deadline_jumps:
            missing.append("no command just before")
        problems[seed] = missing
    assert not any(problems.values()), problems
    assert {("received", "expire", "expired"), ("gathering", "expire", "expired")} & transitions
    assert ("gathering", "submit", "submitted") in transitions

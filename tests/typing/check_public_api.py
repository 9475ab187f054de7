"""Type-level checks of the public API: mypy --strict reads this file; nothing here is a test.

Each ``assert_type`` pins what a user's type checker infers, so a change of a public signature
shows up in CI as a mypy error.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import assert_type

import walletsupport as ws
from walletsupport.adapters import MemoryStore
from walletsupport.contact import NoRoute, Route
from walletsupport.issues import TriageCandidate
from walletsupport.values import CardNumber, Money, PhoneNumber
from walletsupport.workflows.ticket import StartWork


def check_values() -> None:
    money = Money.of("12.30", "USD")
    assert_type(money, Money)
    assert_type(money.amount, Decimal)
    assert_type(money + money, Money)
    assert_type(PhoneNumber.parse("+12025550142").dial_from("US"), str | None)
    assert_type(CardNumber.parse("4111111111111111").masked, str)


def check_assist_and_building_blocks() -> None:
    at = datetime(2026, 1, 5, 9, tzinfo=UTC)
    answer = ws.assist("app crashes", region="US", at=at)
    assert_type(answer, ws.Assistance)
    assert_type(answer.to_text("zh"), str)
    assert_type(ws.triage("locked").top, TriageCandidate | None)
    assert_type(
        ws.route(ws.sample_directory(), region="US", category="app_crash", at=at), Route | NoRoute
    )
    schedule = ws.Schedule.weekdays("America/New_York")
    assert_type(schedule.add_business_time(at, timedelta(hours=8)), datetime)
    assert_type(schedule.business_time_between(at, at), timedelta)


def check_workflows() -> None:
    clock = ws.FixedClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    service = ws.WorkflowService(MemoryStore(), clock)
    case = service.open("ticket", {"subject": "hi"}, case_id="T-1", actor="customer")
    assert_type(case, ws.CaseSnapshot)
    assert_type(service.apply("T-1", StartWork(), idempotency_key="k", actor="a").version, int)

"""The ``DeadlineClaimStore`` contract, on every store: what is claimable, leases, release,
back-off, and concurrent claimers that never share a case."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from walletsupport.adapters import MemoryStore, SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.workflows import DeadlineClaim, DeadlineRunner, WorkflowService
from walletsupport.workflows.password_reset import ExpireReset

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
DUE = T0 + timedelta(minutes=15)  # a password reset request lapses after 15 minutes
LATER = T0 + timedelta(hours=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture(
    params=["memory", "sqlite-file", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "postgres":
        made = request.getfixturevalue("postgres_store_factory")()
    elif request.param == "memory":
        made = MemoryStore()
    else:
        made = SqliteStore(tmp_path / "cases.db")
    yield made
    if hasattr(made, "close"):
        made.close()


def open_resets(store: Any, count: int) -> WorkflowService:
    service = WorkflowService(store, FixedClock(T0))
    for n in range(count):
        service.open("password_reset", {}, case_id=f"R-{n:03}", actor="customer")
    return service


def claim(
    store: Any, owner: str, at: datetime = LATER, now: datetime = T0, limit: int = 50
) -> list[DeadlineClaim]:
    return store.claim_due(at=at, now=now, owner=owner, lease_until=now + MINUTE, limit=limit)


def test_only_due_cases_are_claimed_earliest_first_and_never_twice_under_a_lease(
    store: Any,
) -> None:
    open_resets(store, 3)
    assert claim(store, "a", at=DUE - timedelta(microseconds=1)) == []  # not due yet
    first = claim(store, "a", at=DUE, limit=2)
    assert [c.case_id for c in first] == ["R-000", "R-001"]
    assert all((c.owner, c.version, c.seen_version) == ("a", 1, 0) for c in first)
    assert [c.case_id for c in claim(store, "b")] == ["R-002"]
    assert claim(store, "c") == []  # every case is leased
    assert [c.case_id for c in claim(store, "c", now=T0 + MINUTE)] == ["R-000", "R-001", "R-002"]


def test_a_released_case_is_claimed_again_only_when_it_changes_or_wakes(store: Any) -> None:
    service = open_resets(store, 1)
    (held,) = claim(store, "a")
    assert store.release_claim(
        held, seen_version=1, handled_through=LATER, wake_at=LATER + MINUTE, failures=0
    )
    assert not store.release_claim(
        held, seen_version=1, handled_through=LATER, wake_at=None, failures=0
    )  # no longer a's
    assert claim(store, "b") == []  # seen at this version, not woken
    (woken,) = claim(store, "b", at=LATER + MINUTE)
    assert (woken.handled_through, woken.wake_at) == (LATER, LATER + MINUTE)
    assert store.release_claim(
        woken, seen_version=1, handled_through=LATER, wake_at=None, failures=0
    )
    assert claim(store, "b", at=LATER + timedelta(days=9)) == []  # nothing to wake for
    service.open("password_reset", {}, case_id="R-001", actor="customer")
    assert [c.case_id for c in claim(store, "b")] == ["R-001"]  # a new case: never seen
    later = WorkflowService(store, FixedClock(LATER))
    later.apply("R-000", ExpireReset(), idempotency_key="manual", actor="agent:1")
    assert claim(store, "b", at=LATER + timedelta(days=9)) == []  # expired: nothing is due


def test_retry_at_holds_a_failed_case_back(store: Any) -> None:
    open_resets(store, 1)
    (held,) = claim(store, "a")
    assert store.release_claim(
        held, seen_version=0, handled_through=None, wake_at=None, failures=1, retry_at=T0 + MINUTE
    )
    assert claim(store, "b") == []
    (again,) = claim(store, "b", now=T0 + MINUTE)
    assert again.failures == 1


def test_concurrent_claimers_never_share_a_case(store: Any) -> None:
    open_resets(store, 120)
    taken: dict[str, list[str]] = {}
    barrier = threading.Barrier(6)

    def claimer(owner: str) -> None:
        barrier.wait()
        mine: list[str] = []
        while batch := claim(store, owner, limit=7):
            mine.extend(c.case_id for c in batch)
        taken[owner] = mine

    threads = [threading.Thread(target=claimer, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [case_id for ids in taken.values() for case_id in ids]
    assert sorted(every) == [f"R-{n:03}" for n in range(120)]  # each exactly once


def test_runners_share_one_store_in_threads(store: Any) -> None:
    open_resets(store, 60)
    runners = [DeadlineRunner(store, FixedClock(LATER), batch=4) for _ in range(4)]
    threads = [threading.Thread(target=r.run_until_idle) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.stats().fired for r in runners) == 60
    for n in range(60):
        keys = [e.idempotency_key for e in store.audit(f"R-{n:03}") if e.idempotency_key]
        assert keys == ["deadline:reset_request_expiry:2026-01-05T09:15:00.000000Z"]


def test_a_schema_2_sqlite_database_gains_the_claims_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    store = SqliteStore(path)
    open_resets(store, 2)
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE ws_deadline_claims")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    store = SqliteStore(path)
    assert store.schema_version() == 3
    assert [c.case_id for c in claim(store, "a")] == ["R-000", "R-001"]
    store.close()

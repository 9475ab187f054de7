"""Many threads and processes writing the same cases through one SQLite file.

No update is lost: every accepted command is in the audit trail exactly once, every loser of
a race gets ConcurrencyConflictError (and nothing else), and a retry succeeds.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from walletsupport.adapters import SqliteStore
from walletsupport.clock import SystemClock
from walletsupport.errors import ConcurrencyConflictError, StorageError
from walletsupport.workflows import AuditEntry, CaseSnapshot, WorkflowService
from walletsupport.workflows.ticket import ReplyToCustomer, StartWork, TicketData, ticket_workflow

CASES = ("T-1", "T-2")
COMMANDS_PER_WORKER = 20


class SlowLoads:
    """A store proxy that waits a little after each load, so writers really race."""

    def __init__(self, inner: SqliteStore) -> None:
        self.inner = inner

    def load(self, case_id: str, *, version: int | None = None) -> CaseSnapshot:
        snapshot = self.inner.load(case_id, version=version)
        time.sleep(0.001)
        return snapshot

    def save(self, snapshot: CaseSnapshot, *, expected_version: int) -> None:
        self.inner.save(snapshot, expected_version=expected_version)

    def find(self, **filters: Any) -> list[str]:
        return self.inner.find(**filters)

    def audit(self, case_id: str, *, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        return self.inner.audit(case_id, after=after, limit=limit)

    def entry_for_key(self, case_id: str, idempotency_key: str) -> AuditEntry | None:
        return self.inner.entry_for_key(case_id, idempotency_key)


def _prepare(path: Path) -> None:
    store = SqliteStore(path)
    service = WorkflowService(store, SystemClock(), [ticket_workflow()])
    for case_id in CASES:
        service.open("ticket", TicketData(subject="race"), case_id=case_id, actor="setup")
        service.apply(case_id, StartWork(), idempotency_key="start", actor="setup")
    store.close()


def _work(path: Path, worker: str) -> dict[str, int]:
    """Apply COMMANDS_PER_WORKER replies, retrying each conflict; count what happened."""
    store = SqliteStore(path)
    service = WorkflowService(SlowLoads(store), SystemClock(), [ticket_workflow()])
    counts: Counter[str] = Counter()
    for n in range(COMMANDS_PER_WORKER):
        case_id = CASES[n % len(CASES)]
        while True:
            try:
                service.apply(
                    case_id, ReplyToCustomer(), idempotency_key=f"{worker}-{n}", actor=worker
                )
            except ConcurrencyConflictError:
                counts["conflicts"] += 1
                continue
            except Exception as exc:  # anything else is a failure of the contract
                counts[f"unexpected {type(exc).__name__}"] += 1
                break
            counts["accepted"] += 1
            break
    store.close()
    return dict(counts)


def _check_final_state(path: Path, workers: list[str], totals: Counter[str]) -> None:
    store = SqliteStore(path)
    keys: Counter[str] = Counter()
    audit_total = 0
    for case_id in CASES:
        snap = store.load(case_id)
        trail = store.audit(case_id)
        assert snap.version == len(trail)
        assert [e.version for e in trail] == list(range(1, snap.version + 1))
        keys.update(e.idempotency_key for e in trail[2:] if e.idempotency_key)
        audit_total += len(trail) - 2  # minus open and start
    store.close()
    expected_keys = {f"{w}-{n}" for w in workers for n in range(COMMANDS_PER_WORKER)}
    assert set(keys) == expected_keys, "an accepted command is missing from the audit"
    assert set(keys.values()) == {1}, "a command was recorded twice"
    assert audit_total == totals["accepted"] == len(expected_keys)


def test_threads_racing_on_the_same_cases_lose_no_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "cases.db"
    _prepare(path)
    workers = [f"thread{i}" for i in range(8)]
    results: list[dict[str, int]] = []
    lock = threading.Lock()

    def run(worker: str) -> None:
        counts = _work(path, worker)
        with lock:
            results.append(counts)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    totals: Counter[str] = Counter()
    for counts in results:
        totals.update(counts)
    assert len(results) == len(workers)
    assert [k for k in totals if k.startswith("unexpected")] == []
    assert totals["conflicts"] > 0, "the test did not make writers race"
    _check_final_state(path, workers, totals)
    with capsys.disabled():
        print(
            f"\n[threads] workers=8 accepted={totals['accepted']} conflicts={totals['conflicts']}"
        )


def _process_main(path: Path, worker: str, queue: Any) -> None:
    queue.put(_work(path, worker))


def test_processes_racing_on_the_same_cases_lose_no_update(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "cases.db"
    _prepare(path)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    workers = [f"proc{i}" for i in range(4)]
    processes = [context.Process(target=_process_main, args=(path, w, queue)) for w in workers]
    for p in processes:
        p.start()
    results = [queue.get(timeout=120) for _ in workers]
    for p in processes:
        p.join(timeout=30)
        assert p.exitcode == 0
    totals: Counter[str] = Counter()
    for counts in results:
        totals.update(counts)
    assert [k for k in totals if k.startswith("unexpected")] == []
    assert totals["conflicts"] > 0, "the test did not make writers race"
    _check_final_state(path, workers, totals)
    with capsys.disabled():
        print(
            f"\n[processes] workers=4 accepted={totals['accepted']} conflicts={totals['conflicts']}"
        )


def test_a_database_that_cannot_be_opened_raises_storage_error(tmp_path: Path):
    with pytest.raises(StorageError) as info:
        SqliteStore(tmp_path / "missing-dir" / "cases.db")
    assert isinstance(info.value.__cause__, sqlite3.Error)


def test_cases_survive_reopening_the_file(tmp_path: Path):
    path = tmp_path / "cases.db"
    _prepare(path)
    store = SqliteStore(path)
    snap = store.load("T-1")
    store.close()
    assert (snap.state, snap.version) == ("open", 2)
    assert snap.created_at > datetime(2020, 1, 1, tzinfo=UTC)

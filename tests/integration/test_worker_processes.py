"""8 ``walletsupport worker`` processes share the due cases of one SQLite file or one PostgreSQL
database: every deadline fired exactly once, none missed, none early; a worker SIGKILLed
mid-run loses nothing (another takes its cases over) and duplicates nothing.

The default size keeps CI quick; ``WALLETSUPPORT_WORKER_CASES=10000`` runs the full size.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from walletsupport.adapters import SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.account_lock import LockForRisk, StartVerification

CASES = int(os.environ.get("WALLETSUPPORT_WORKER_CASES", "400"))
WORKERS = 8
AT = datetime(2026, 3, 2, 12, tzinfo=UTC)

pytestmark = pytest.mark.slow


def seed(store: Any, cases: int) -> dict[str, datetime | None]:
    """``cases`` cases around ``AT``: most due before it, some after it, some tickets (whose
    SLA deadlines have no automatic command). Returns case id -> the due instant of its
    automatic deadline if that is due at ``AT``, else ``None``."""
    clock = FixedClock(AT)
    service = WorkflowService(store, clock)
    expected: dict[str, datetime | None] = {}
    for n in range(cases):
        case_id = f"C-{n:05}"
        clock.set(AT - timedelta(minutes=40) + timedelta(seconds=(n * 7) % 2400))
        if n % 10 == 9:
            service.open("ticket", {"subject": "refund"}, case_id=case_id, actor="customer")
            expected[case_id] = None
            continue
        if n % 10 == 8:
            service.open("account_lock", {"account_id": case_id}, case_id=case_id, actor="s")
            service.apply(case_id, LockForRisk(reason="device"), idempotency_key="1", actor="r")
            service.apply(case_id, StartVerification(), idempotency_key="2", actor="a")
        else:
            service.open("password_reset", {}, case_id=case_id, actor="customer")
        (deadline,) = service.due(store.load(case_id), AT)
        expected[case_id] = deadline.due_at if deadline.due_at <= AT else None
    return expected


def worker(db: str, *extra: str, schema: str | None = None) -> subprocess.Popen[str]:
    args = [sys.executable, "-m", "walletsupport", "worker", "--db", db, "--json", *extra]
    if schema is not None:
        args += ["--schema", schema]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process: subprocess.Popen[str]) -> list[dict[str, Any]]:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def check_fired_exactly_once(store: Any, expected: dict[str, datetime | None]) -> None:
    for case_id, due in expected.items():
        fired = [
            e
            for e in store.audit(case_id)
            if e.idempotency_key is not None and e.idempotency_key.startswith("deadline:")
        ]
        if due is None:
            assert fired == [], case_id  # never early
        else:
            assert len(fired) == 1, case_id  # none missed, none twice
            assert fired[0].at >= due
            assert fired[0].idempotency_key.endswith(due.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def run_workers(
    db: str, expected: dict[str, datetime | None], store: Any, schema: str | None = None
) -> None:
    at = AT.isoformat()
    processes = [
        worker(db, "--until-idle", "--at", at, "--batch", "10", schema=schema)
        for _ in range(WORKERS)
    ]
    results = [finish(p) for p in processes]
    summaries = [lines[-1]["summary"] for lines in results]
    fired = [o for lines in results for o in lines[:-1] if o["outcome"] == "fired"]
    assert sum(s["fired"] for s in summaries) == len(fired)
    assert len(fired) == sum(1 for due in expected.values() if due is not None)
    assert len({o["case_id"] for o in fired}) == len(fired)
    assert sum(1 for s in summaries if s["fired"]) >= 2  # the work was shared
    check_fired_exactly_once(store, expected)


def run_with_a_killed_worker(
    db: str, expected: dict[str, datetime | None], store: Any, schema: str | None = None
) -> None:
    at = AT.isoformat()
    victim = worker(db, "--until-idle", "--at", at, "--batch", "100", "--lease", "3", schema=schema)
    assert victim.stdout is not None
    for _ in range(3):  # it has claimed a batch and is firing it
        assert victim.stdout.readline()
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=60)
    victim.stdout.close()
    assert victim.stderr is not None
    victim.stderr.close()
    killed_at = time.monotonic()
    assert held(store, f"{socket.gethostname()}:{victim.pid}") > 0  # it died holding cases
    others = [
        worker(db, "--until-idle", "--at", at, "--batch", "10", schema=schema)
        for _ in range(WORKERS - 1)
    ]
    for process in others:
        finish(process)
    time.sleep(max(0.0, 3.5 - (time.monotonic() - killed_at)))  # the victim's leases lapse
    finish(worker(db, "--until-idle", "--at", at, schema=schema))
    check_fired_exactly_once(store, expected)


def held(store: Any, owner: str) -> int:
    """How many claims ``owner`` holds (read straight from the claims table)."""
    if isinstance(store, SqliteStore):
        conn = sqlite3.connect(store._path)
        try:
            query = "SELECT count(*) FROM ws_deadline_claims WHERE owner = ?"
            return int(conn.execute(query, (owner,)).fetchone()[0])
        finally:
            conn.close()
    import psycopg
    from psycopg import sql

    with psycopg.connect(store._conninfo.reveal()) as conn:
        query = sql.SQL("SELECT count(*) FROM {}.ws_deadline_claims WHERE owner = %s")
        row = conn.execute(query.format(sql.Identifier(store.schema)), (owner,)).fetchone()
    assert row is not None
    return int(row[0])


def test_eight_sqlite_workers_fire_every_deadline_exactly_once(tmp_path: Path) -> None:
    db = str(tmp_path / "cases.sqlite3")
    store = SqliteStore(db)
    expected = seed(store, CASES)
    run_workers(db, expected, store)
    store.close()


def test_a_sigkilled_sqlite_worker_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "cases.sqlite3")
    store = SqliteStore(db)
    expected = seed(store, max(CASES // 2, 300))
    run_with_a_killed_worker(db, expected, store)
    store.close()


def test_eight_postgres_workers_fire_every_deadline_exactly_once(
    postgres_dsn: str, postgres_schema: str, postgres_store_factory: Callable[[], Any]
) -> None:
    store = postgres_store_factory()
    expected = seed(store, CASES)
    run_workers(postgres_dsn, expected, store, schema=postgres_schema)


def test_a_sigkilled_postgres_worker_loses_and_duplicates_nothing(
    postgres_dsn: str, postgres_schema: str, postgres_store_factory: Callable[[], Any]
) -> None:
    store = postgres_store_factory()
    expected = seed(store, max(CASES // 2, 300))
    run_with_a_killed_worker(postgres_dsn, expected, store, schema=postgres_schema)

"""Benchmark: deadlines fired per second by 1, 2, 4 and 8 worker processes on PostgreSQL, and
the lag from due to fired of polling workers (``walletsupport worker --interval 1``).

* ``throughput``: ``--cases`` password-reset cases whose request expiry is due; N worker
  processes (``spawn``), each a ``DeadlineRunner`` on its own connection, start together and
  run until idle. Deadlines/s = cases / wall time from the start signal to the last exit
  (interpreter start-up excluded). Peer, measured in the same run on the same kind of data:
  the loop an integrator would write without claims (``find(due_before=now)`` then
  ``WorkflowService.apply`` for each due deadline, one process: it cannot be run on more
  without firing deadlines twice or adding locking of its own).
* ``lag``: ``--lag-cases`` cases falling due over the next 20 seconds of real time; two
  ``walletsupport worker --interval 1`` processes poll; lag = the fired audit entry's time
  minus the deadline's due instant, p50 and p99 over every case.

PostgreSQL: ``--dsn``, else ``WALLETSUPPORT_TEST_POSTGRES_DSN``, else a throwaway cluster
(the test suite's helper, ``fsync=off``; see benchmarks/bench_stores.py).

Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_worker.py [--cases 2000] [--lag-cases 300]
"""

from __future__ import annotations

import argparse
import multiprocessing
import signal
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Event
from typing import Any

from bench_stores import postgres_dsn  # the same PostgreSQL as the store benchmark

from walletsupport.clock import FixedClock, SystemClock
from walletsupport.workflows import DeadlineRunner, WorkflowService

AT = datetime(2026, 3, 2, 12, tzinfo=UTC)
REQUEST_WINDOW = timedelta(minutes=15)  # a password reset request lapses after 15 minutes


def _store(dsn: str, schema: str) -> Any:
    from walletsupport.adapters.postgres import PostgresStore

    return PostgresStore(dsn, schema=schema)


def seed(dsn: str, schema: str, cases: int, opened: list[datetime]) -> None:
    store = _store(dsn, schema)
    clock = FixedClock(opened[0])
    service = WorkflowService(store, clock)
    for n in range(cases):
        clock.set(opened[n % len(opened)])
        service.open("password_reset", {}, case_id=f"R-{n:06}", actor="customer")
    store.close()


def _worker(dsn: str, schema: str, go: Event, ready: Any, done: Any) -> None:
    store = _store(dsn, schema)
    runner = DeadlineRunner(store, FixedClock(AT), lease_clock=SystemClock(), batch=20)
    store.find(limit=1)  # connected before the start signal
    ready.put(True)
    go.wait()
    runner.run_until_idle()
    done.put(runner.stats().fired)
    store.close()


def throughput(dsn: str, cases: int, workers: int) -> float:
    schema = "bench_" + uuid.uuid4().hex[:12]
    seed(dsn, schema, cases, [AT - timedelta(hours=1)])
    context = multiprocessing.get_context("spawn")
    go, ready, done = context.Event(), context.Queue(), context.Queue()
    processes = [
        context.Process(target=_worker, args=(dsn, schema, go, ready, done)) for _ in range(workers)
    ]
    for process in processes:
        process.start()
    for _ in processes:  # every interpreter has started and connected
        ready.get(timeout=300)
    started = time.perf_counter()
    go.set()
    fired = sum(done.get(timeout=600) for _ in processes)
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    assert fired == cases, (fired, cases)
    _drop(dsn, schema)
    return cases / elapsed


def naive_loop(dsn: str, cases: int) -> float:
    """The peer: one process, no claims: find what is due, apply each deadline's command."""
    schema = "bench_" + uuid.uuid4().hex[:12]
    seed(dsn, schema, cases, [AT - timedelta(hours=1)])
    store = _store(dsn, schema)
    service = WorkflowService(store, FixedClock(AT))
    started = time.perf_counter()
    fired = 0
    while due := store.find(due_before=AT + timedelta(microseconds=1), limit=100):
        for case_id in due:
            snapshot = store.load(case_id)
            workflow = service.workflow(snapshot.kind)
            for deadline in service.due(snapshot, AT):
                command = workflow.deadline_command(deadline)
                if command is not None and deadline.due_at <= AT:
                    key = f"naive:{deadline.name}:{deadline.due_at.isoformat()}"
                    service.apply(case_id, command, idempotency_key=key, actor="loop")
                    fired += 1
    elapsed = time.perf_counter() - started
    assert fired == cases, (fired, cases)
    store.close()
    _drop(dsn, schema)
    return cases / elapsed


def lag(dsn: str, cases: int, workers: int = 2) -> tuple[float, float, float]:
    """p50, p99 and max seconds from due to fired, polling with ``--interval 1``."""
    schema = "bench_" + uuid.uuid4().hex[:12]
    now = SystemClock().now()
    spread = [now - REQUEST_WINDOW + timedelta(seconds=5 + 20 * n / cases) for n in range(cases)]
    seed(dsn, schema, cases, spread)
    command = [sys.executable, "-m", "walletsupport", "worker", "--db", dsn]
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [*command, "--schema", schema, "--interval", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(workers)
    ]
    store = _store(dsn, schema)
    deadline = time.monotonic() + 120
    while store.find(due_before=now + timedelta(days=1), limit=1) and time.monotonic() < deadline:
        time.sleep(0.5)
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=60)
    lags = []
    for n in range(cases):
        (entry,) = [e for e in store.audit(f"R-{n:06}") if e.command == "ExpireReset"]
        lags.append((entry.at - (spread[n] + REQUEST_WINDOW)).total_seconds())
    store.close()
    _drop(dsn, schema)
    lags.sort()
    p99 = lags[max(0, -(-len(lags) * 99 // 100) - 1)]
    return statistics.median(lags), p99, lags[-1]


def _drop(dsn: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000, help="due cases per throughput run")
    parser.add_argument("--lag-cases", type=int, default=300, help="cases in the lag run")
    parser.add_argument("--dsn", help="PostgreSQL DSN (default: see the module docstring)")
    args = parser.parse_args()
    with postgres_dsn(args.dsn) as dsn:
        if dsn is None:
            return
        peer = naive_loop(dsn, args.cases)
        print(f"PostgreSQL, {args.cases} due deadlines per run\n")
        print("| workers | deadlines/s | vs the claim-less loop (1 process) |")
        print("| ---: | ---: | ---: |")
        print(f"| loop | {peer:,.0f} | 1.00x |")
        for workers in (1, 2, 4, 8):
            rate = throughput(dsn, args.cases, workers)
            print(f"| {workers} | {rate:,.0f} | {rate / peer:.2f}x |", flush=True)
        p50, p99, worst = lag(dsn, args.lag_cases)
        print(
            f"\nlag from due to fired, 2 workers, --interval 1, {args.lag_cases} deadlines "
            f"over 20 s: p50 {p50:.2f} s, p99 {p99:.2f} s, max {worst:.2f} s"
        )


if __name__ == "__main__":
    main()

"""Benchmark: committed workflow commands/s through MemoryStore, SqliteStore and PostgresStore.

Every command is a real ``WorkflowService.apply`` (load, run the ticket machine, save with an
optimistic version check) of ``ReplyToCustomer`` on 20 shared ticket cases. Two runs per store:

* ``sequential``: one worker, no contention;
* ``contended``: 8 workers on the same 20 cases, each conflict retried by the caller; worker
  *processes* (``spawn``) for SQLite and PostgreSQL, threads for MemoryStore (it lives in one
  process).

Commands/s count committed commands only (conflicted attempts are extra work). Loads read the
whole audit trail, so the rate falls slowly as cases grow; every run starts from fresh cases.

PostgreSQL: ``--dsn``, else ``WALLETSUPPORT_TEST_POSTGRES_DSN``, else a throwaway cluster is
started with the test suite's helper (Debian's ``postgresql`` package; see docs/postgres.md).
The server settings matter: the throwaway cluster runs with ``fsync=off``, like the CI one.

Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_stores.py [--commands 2000] [--workers 8]
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from walletsupport.adapters import MemoryStore, SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.errors import ConcurrencyConflictError
from walletsupport.ports import WorkflowStore
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.ticket import ReplyToCustomer, StartWork, TicketData, ticket_workflow

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
CASES = 20
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    """A picklable recipe for a store, so spawned workers can open their own."""

    kind: str
    location: str = ""
    schema: str = "walletsupport"

    def open(self) -> WorkflowStore:
        if self.kind == "sqlite":
            return SqliteStore(self.location)
        if self.kind == "postgres":
            from walletsupport.adapters.postgres import PostgresStore

            return PostgresStore(self.location, schema=self.schema)
        raise ValueError(self.kind)


def _service(store: WorkflowStore) -> WorkflowService:
    return WorkflowService(store, FixedClock(T0), [ticket_workflow()])


def _prepare(store: WorkflowStore) -> None:
    service = _service(store)
    for n in range(CASES):
        service.open("ticket", TicketData(subject="bench"), case_id=f"T-{n}", actor="setup")
        service.apply(f"T-{n}", StartWork(), idempotency_key="start", actor="setup")


def _commands(store: WorkflowStore, worker: int, count: int) -> tuple[int, int]:
    """Apply ``count`` replies on random cases; return (conflicts, retries)."""
    service = _service(store)
    rng = random.Random(worker)
    conflicts = retries = 0
    for i in range(count):
        case_id = f"T-{rng.randrange(CASES)}"
        while True:
            try:
                service.apply(
                    case_id, ReplyToCustomer(), idempotency_key=f"{worker}-{i}", actor="b"
                )
                break
            except ConcurrencyConflictError:
                conflicts += 1
                retries += 1
    return conflicts, retries


def process_worker(target: Target, worker: int, count: int, barrier: Any, out: Any) -> None:
    store = target.open()
    barrier.wait()
    out.put(_commands(store, worker, count))
    close = getattr(store, "close", None)
    if close is not None:
        close()


@dataclass
class Result:
    store: str
    mode: str
    workers: int
    commands: int
    seconds: float
    conflicts: int
    retries: int

    def row(self) -> str:
        rate = self.commands / self.seconds
        return (
            f"| {self.store:<8} | {self.mode:<10} | {self.workers:>7} | {self.commands:>8} "
            f"| {rate:>10,.0f} | {self.conflicts:>9} | {self.retries:>7} |"
        )


def sequential(name: str, make: Callable[[], WorkflowStore], commands: int) -> Result:
    store = make()
    _prepare(store)
    started = time.perf_counter()
    conflicts, retries = _commands(store, 0, commands)
    seconds = time.perf_counter() - started
    return Result(name, "sequential", 1, commands, seconds, conflicts, retries)


def contended_threads(name: str, store: WorkflowStore, workers: int, commands: int) -> Result:
    _prepare(store)
    per = commands // workers
    outcomes: list[tuple[int, int]] = []
    barrier = threading.Barrier(workers + 1)

    def run(worker: int) -> None:
        barrier.wait()
        outcomes.append(_commands(store, worker, per))

    threads = [threading.Thread(target=run, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return Result(
        name,
        "contended",
        workers,
        per * workers,
        seconds,
        sum(c for c, _ in outcomes),
        sum(r for _, r in outcomes),
    )


def contended_processes(name: str, target: Target, workers: int, commands: int) -> Result:
    setup = target.open()
    _prepare(setup)
    per = commands // workers
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(workers + 1)
    out = ctx.Queue()
    procs = [
        ctx.Process(target=process_worker, args=(target, w, per, barrier, out))
        for w in range(workers)
    ]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    outcomes = [out.get() for _ in procs]
    seconds = time.perf_counter() - started
    for p in procs:
        p.join()
    total = sum(setup.load(f"T-{n}").version - 2 for n in range(CASES))
    assert total == per * workers, "a committed command is missing"
    return Result(
        name,
        "contended",
        workers,
        per * workers,
        seconds,
        sum(c for c, _ in outcomes),
        sum(r for _, r in outcomes),
    )


@contextmanager
def postgres_dsn(given: str | None) -> Iterator[str | None]:
    """The DSN to use: ``--dsn``, the test variable, or a throwaway cluster (None if none)."""
    dsn = given or os.environ.get("WALLETSUPPORT_TEST_POSTGRES_DSN")
    if dsn:
        yield dsn
        return
    spec = importlib.util.spec_from_file_location(
        "_walletsupport_pg_fixtures", ROOT / "tests" / "integration" / "conftest.py"
    )
    assert spec is not None
    assert spec.loader is not None
    fixtures = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixtures)
    bindir = fixtures._server_bindir()
    if bindir is None:
        print("PostgreSQL: no server binaries (apt-get install postgresql); skipped")
        yield None
        return
    cluster = fixtures._Cluster(bindir)
    try:
        yield cluster.start()
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=2000, help="commands per run")
    parser.add_argument("--workers", type=int, default=8, help="workers in the contended run")
    parser.add_argument("--dsn", help="PostgreSQL DSN (default: see the module docstring)")
    args = parser.parse_args()
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp, postgres_dsn(args.dsn) as dsn:
        results.append(sequential("memory", MemoryStore, args.commands))
        results.append(contended_threads("memory", MemoryStore(), args.workers, args.commands))
        for run in ("seq", "con"):
            target = Target("sqlite", str(Path(tmp) / f"{run}.db"))
            if run == "seq":
                results.append(sequential("sqlite", target.open, args.commands))
            else:
                results.append(contended_processes("sqlite", target, args.workers, args.commands))
        if dsn is not None:
            for run in ("seq", "con"):
                target = Target("postgres", dsn, "bench_" + uuid.uuid4().hex[:12])
                try:
                    if run == "seq":
                        results.append(sequential("postgres", target.open, args.commands))
                    else:
                        results.append(
                            contended_processes("postgres", target, args.workers, args.commands)
                        )
                finally:
                    _drop(dsn, target.schema)
    print(f"{CASES} ticket cases, {os.cpu_count()} CPUs")
    print("| store    | mode       | workers | commands | commands/s | conflicts | retries |")
    print("|----------|------------|--------:|---------:|-----------:|----------:|--------:|")
    for result in results:
        print(result.row())


def _drop(dsn: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


if __name__ == "__main__":
    main()

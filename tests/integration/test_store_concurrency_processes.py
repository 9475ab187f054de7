"""Worker processes sharing cases through SqliteStore and PostgresStore.

* 8 processes x 500 commands on 20 shared cases: no update is lost, every conflict is a
  ConcurrencyConflictError that the caller retries, and each case's audit trail holds exactly
  the accepted commands.
* A process killed with SIGKILL in the middle of a save (and at random moments of a run of
  saves) leaves every case consistent: its version equals its audit length, no partial save.

Workers are started with the ``spawn`` context; they import this module by name, so it must
stay importable with no pytest fixtures at import time.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from walletsupport.adapters import SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.errors import ConcurrencyConflictError
from walletsupport.ports import WorkflowStore
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.ticket import ReplyToCustomer, StartWork, TicketData, ticket_workflow

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
WORKERS = 8
COMMANDS = 500
CASES = 20
MAX_RETRIES = 10_000


@dataclass(frozen=True)
class Target:
    """Where the workers' store lives (picklable, so it can be sent to spawned processes)."""

    kind: str  # "sqlite" or "postgres"
    location: str  # a file path or a DSN
    schema: str = "walletsupport"

    def open(self) -> WorkflowStore:
        if self.kind == "sqlite":
            return SqliteStore(self.location)
        from walletsupport.adapters.postgres import PostgresStore

        return PostgresStore(self.location, schema=self.schema, migrate=False)


@dataclass
class Tally:
    """What one worker saw."""

    accepted: Counter[str] = field(default_factory=Counter)
    keys: dict[str, list[str]] = field(default_factory=dict)
    conflicts: int = 0
    retries: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _service(store: WorkflowStore) -> WorkflowService:
    return WorkflowService(store, FixedClock(T0), [ticket_workflow()])


def _case(n: int) -> str:
    return f"T-{n:02d}"


def _prepare(target: Target, cases: int) -> None:
    store = target.open()
    if target.kind == "postgres":
        store.migrate()  # type: ignore[attr-defined]
    service = _service(store)
    for n in range(cases):
        service.open("ticket", TicketData(subject="race"), case_id=_case(n), actor="setup")
        service.apply(_case(n), StartWork(), idempotency_key="start", actor="setup")
    store.close()  # type: ignore[attr-defined]


def contend(target: Target, worker: int, commands: int, barrier: Any, results: Any) -> None:
    """A worker process: ``commands`` replies on random shared cases, retrying conflicts."""
    tally = Tally()
    store = target.open()
    service = _service(store)
    rng = random.Random(worker)
    barrier.wait(timeout=120)
    started = time.perf_counter()
    for i in range(commands):
        case_id = _case(rng.randrange(CASES))
        key = f"w{worker}-{i}"
        for attempt in range(MAX_RETRIES):
            if attempt:
                tally.retries += 1
            try:
                service.apply(case_id, ReplyToCustomer(), idempotency_key=key, actor=f"w{worker}")
            except ConcurrencyConflictError:
                tally.conflicts += 1
                continue
            except Exception as exc:  # reported to the parent, which fails the test
                tally.failures.append(f"{type(exc).__name__}: {exc}")
                break
            tally.accepted[case_id] += 1
            tally.keys.setdefault(case_id, []).append(key)
            break
    tally.seconds = time.perf_counter() - started
    store.close()  # type: ignore[attr-defined]
    results.put((worker, tally))


def _run_workers(target: Target) -> tuple[list[Tally], float]:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS + 1)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=contend, args=(target, w, COMMANDS, barrier, results))
        for w in range(WORKERS)
    ]
    for p in procs:
        p.start()
    barrier.wait(timeout=120)
    started = time.perf_counter()
    tallies = [results.get(timeout=600)[1] for _ in procs]
    elapsed = time.perf_counter() - started
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return tallies, elapsed


def _check_consistent(target: Target) -> dict[str, int]:
    """Every case: stored version == number of version rows == last row; returns versions."""
    if target.kind == "sqlite":
        conn = sqlite3.connect(target.location)
        try:
            rows = conn.execute(_CONSISTENCY_SQL.format(prefix="")).fetchall()
        finally:
            conn.close()
    else:
        import psycopg

        with psycopg.connect(target.location) as pg:
            rows = pg.execute(_CONSISTENCY_SQL.format(prefix=f'"{target.schema}".')).fetchall()
    versions = {}
    for case_id, version, count, last in rows:
        assert (case_id, count, last) == (case_id, version, version)
        versions[case_id] = version
    store = target.open()
    try:
        for case_id, version in versions.items():
            snapshot = store.load(case_id)
            assert snapshot.version == version == len(store.audit(case_id))
    finally:
        store.close()  # type: ignore[attr-defined]
    return versions


_CONSISTENCY_SQL = """
SELECT c.case_id, c.version, count(v.version), max(v.version)
FROM {prefix}ws_cases AS c LEFT JOIN {prefix}ws_versions AS v ON v.case_id = c.case_id
GROUP BY c.case_id, c.version ORDER BY c.case_id
"""


def _targets() -> list[Any]:
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]


@pytest.fixture
def target_of(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], Target]:
    def make(kind: str) -> Target:
        if kind == "sqlite":
            return Target("sqlite", str(tmp_path / "cases.db"))
        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        return Target("postgres", dsn, schema)

    return make


@pytest.mark.slow
@pytest.mark.parametrize("kind", _targets())
def test_eight_processes_lose_no_update_and_every_conflict_is_typed_and_retried(
    kind: str, target_of: Callable[[str], Target], capsys: pytest.CaptureFixture[str]
):
    target = target_of(kind)
    _prepare(target, CASES)
    tallies, elapsed = _run_workers(target)

    assert [f for t in tallies for f in t.failures] == []
    accepted: Counter[str] = sum((t.accepted for t in tallies), Counter())
    assert sum(accepted.values()) == WORKERS * COMMANDS
    conflicts = sum(t.conflicts for t in tallies)
    retries = sum(t.retries for t in tallies)
    assert retries == conflicts  # every conflict was retried, and only conflicts were
    versions = _check_consistent(target)
    store = target.open()
    try:
        for n in range(CASES):
            case_id = _case(n)
            snapshot = store.load(case_id)
            sent = [key for t in tallies for key in t.keys.get(case_id, [])]
            trail = store.audit(case_id)
            stored = [str(e.idempotency_key) for e in trail[2:]]
            assert len(trail) == snapshot.version == 2 + accepted[case_id] == versions[case_id]
            assert sorted(stored) == sorted(sent)  # each accepted command exactly once
    finally:
        store.close()  # type: ignore[attr-defined]
    with capsys.disabled():
        print(
            f"\n[{kind}] {WORKERS} processes x {COMMANDS} commands on {CASES} cases: "
            f"{WORKERS * COMMANDS / elapsed:.0f} commands/s, {conflicts} conflicts, "
            f"{retries} retries, {elapsed:.1f}s"
        )


# --- SIGKILL ---------------------------------------------------------------------------------


def _pause_sqlite_before_the_version_insert(ready: Any) -> None:
    """Make every new sqlite3 connection stop, mid-transaction, before writing a version row."""
    original = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn: sqlite3.Connection = original(*args, **kwargs)

        def trace(statement: str) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO WS_VERSIONS"):
                ready.set()
                time.sleep(3600)  # killed here, holding a half-done transaction

        conn.set_trace_callback(trace)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]


def save_and_hang(target: Target, case_id: str, ready: Any) -> None:
    """A worker process that is stopped in the middle of one save (and then killed)."""
    if target.kind == "sqlite":
        _pause_sqlite_before_the_version_insert(ready)
    service = _service(target.open())
    service.apply(case_id, ReplyToCustomer(), idempotency_key="killed", actor="victim")


def _wait_for(predicate: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _kill(proc: Any) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=30)
    assert proc.exitcode == -signal.SIGKILL


@pytest.mark.slow
@pytest.mark.parametrize("kind", _targets())
def test_a_process_killed_inside_a_save_leaves_no_partial_save(
    kind: str, target_of: Callable[[str], Target]
):
    target = target_of(kind)
    _prepare(target, 2)
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = None
    try:
        if kind == "postgres":
            proc = _kill_postgres_victim_inside_its_save(ctx, target, ready)
        else:
            proc = ctx.Process(target=save_and_hang, args=(target, "T-00", ready))
            proc.start()
            assert ready.wait(timeout=60)
            _kill(proc)
    finally:
        if proc is not None and proc.is_alive():
            _kill(proc)
    versions = _check_consistent(target)
    assert versions == {"T-00": 2, "T-01": 2}  # the killed save left nothing behind
    store = target.open()
    try:  # and the case is not stuck: the next writer goes straight through
        service = _service(store)
        assert (
            service.apply("T-00", ReplyToCustomer(), idempotency_key="after", actor="a").version
            == 3
        )
    finally:
        store.close()  # type: ignore[attr-defined]


def _kill_postgres_victim_inside_its_save(ctx: Any, target: Target, ready: Any) -> Any:
    """Kill a process whose one-statement save has updated the case row but not finished.

    We hold a conflicting, uncommitted idempotency key, so the victim's statement updates the
    case row and then waits for our lock inside the statement. We SIGKILL it there; the server
    checks the dead client every 50 ms and rolls the half-done statement back.
    """
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    victim_dsn = make_conninfo(
        target.location,
        application_name="walletsupport-victim",
        options="-c client_connection_check_interval=50",
    )
    victim = Target("postgres", victim_dsn, target.schema)
    watch_query = (
        "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*)"
        " FROM pg_stat_activity WHERE application_name = 'walletsupport-victim'"
    )
    with (
        psycopg.connect(target.location) as blocker,
        psycopg.connect(target.location, autocommit=True) as watcher,
    ):
        blocker.execute(
            sql.SQL(
                "INSERT INTO {}.ws_versions (case_id, version, idempotency_key, header, entry)"
                " VALUES ('T-00', 999, 'killed', '{{}}', '{{}}')"
            ).format(sql.Identifier(target.schema))
        )
        proc = ctx.Process(target=save_and_hang, args=(victim, "T-00", ready))
        proc.start()

        def victims(waiting: int, connected: int) -> Callable[[], bool]:
            def check() -> bool:
                row = watcher.execute(watch_query).fetchone()
                return row is not None and (row[0], row[1]) == (waiting, connected)

            return check

        try:
            _wait_for(victims(waiting=1, connected=1))
            _kill(proc)
            _wait_for(victims(waiting=0, connected=0))
        finally:
            blocker.rollback()
    return proc


def save_forever(target: Target, worker: str, cases: int, progress: Any) -> None:
    """A worker process that saves as fast as it can (retrying conflicts) until it is killed."""
    service = _service(target.open())
    for i in range(sys.maxsize):
        key = f"w{worker}-{i}"
        while True:
            try:
                service.apply(_case(i % cases), ReplyToCustomer(), idempotency_key=key, actor="w")
                break
            except ConcurrencyConflictError:
                continue
        with progress.get_lock():
            progress.value += 1


@pytest.mark.slow
@pytest.mark.parametrize("kind", _targets())
def test_processes_killed_at_random_moments_leave_every_case_consistent(
    kind: str, target_of: Callable[[str], Target]
):
    target = target_of(kind)
    cases = 3
    _prepare(target, cases)
    ctx = multiprocessing.get_context("spawn")
    rng = random.Random(7)
    counted = 0
    for rnd in range(3):
        progress = ctx.Value("i", 0)
        procs = [
            ctx.Process(target=save_forever, args=(target, f"{rnd}{w}", cases, progress))
            for w in range(2)
        ]
        for p in procs:
            p.start()
        try:
            _wait_for(lambda progress=progress: progress.value >= 30)  # type: ignore[misc]
            time.sleep(rng.uniform(0, 0.05))
        finally:
            for p in procs:
                _kill(p)
        versions = _check_consistent(target)
        saved = sum(versions.values()) - 2 * cases
        # a save may commit just before its process dies, before it could count it
        assert counted + progress.value <= saved <= counted + progress.value + len(procs)
        counted = saved

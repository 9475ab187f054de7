"""Workflow engine benchmarks. Run: ``PYTHONPATH=src python benchmarks/bench_workflows.py``.

1. Engine overhead: one command through the pure engine (rebuild the machine at the stored
   state, send, new snapshot with its audit entry and deadlines) and through
   ``WorkflowService.apply`` on a ``MemoryStore``, each against a bare python-statemachine
   ``send`` of the same event on an already-built machine, measured in the same run.
   Goal: engine step <= 1.5x bare send.
2. ``SqliteStore``: committed commands per second from one process (WAL, synchronous=NORMAL).
   Goal: >= 2000/s.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from walletsupport.adapters import MemoryStore, SqliteStore
from walletsupport.clock import FixedClock
from walletsupport.workflows import CaseContext, WorkflowService
from walletsupport.workflows import _engine as engine
from walletsupport.workflows.ticket import (
    PutOnHold,
    ResumeTicket,
    StartWork,
    TicketData,
    TicketMachine,
    ticket_workflow,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
HOLD = PutOnHold(reason="waiting on the bank")
RESUME = ResumeTicket()


def best_per_op(run: Callable[[int], None], n: int, repeat: int) -> float:
    """Seconds per operation: the best of ``repeat`` runs of ``n`` operations."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run(n)
        times.append((time.perf_counter() - start) / n)
    return min(times)


def interleaved_best(
    runs: dict[str, Callable[[int], None]], n: int, repeat: int
) -> dict[str, float]:
    """Seconds per operation of each run: the best of ``repeat`` rounds, taken in turn.

    On a shared, loaded machine a burst of load hits one measurement and not the next; timing
    the runs round-robin lets each see the same conditions, so their ratio is fair.
    """
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run(n)
            best[name] = min(best[name], (time.perf_counter() - start) / n)
    return best


def bare_send(n: int) -> None:
    """python-statemachine alone: one built machine, hold/resume with the same kwargs."""
    workflow = ticket_workflow()

    class Model:
        state: Any = "open"

    machine = TicketMachine(Model())
    context = CaseContext(
        case_id="T",
        kind="ticket",
        state="open",
        version=2,
        created_at=T0,
        at=T0,
        actor="bench",
        event="hold",
        audit=(),
        data=TicketData(subject="bench"),
        policy=workflow.policy,
    )
    for i in range(n):
        if i % 2 == 0:
            machine.send("hold", case=context, command=HOLD)
        else:
            machine.send("resume", case=context, command=RESUME)


def _opened(service: WorkflowService, case_id: str) -> None:
    service.open("ticket", TicketData(subject="bench"), case_id=case_id, actor="bench")
    service.apply(case_id, StartWork(), idempotency_key="start", actor="bench")


def engine_step(n: int, per_case: int = 10) -> None:
    """The pure engine: rebuild + send + next snapshot, no store."""
    workflow = ticket_workflow()
    service = WorkflowService(MemoryStore(), FixedClock(T0), [workflow])
    _opened(service, "T")
    start = service.load("T")
    snapshot = start
    for i in range(n):
        if i % per_case == 0:
            snapshot = start
        command = HOLD if snapshot.state == "open" else RESUME
        snapshot = engine.step(
            workflow, snapshot, command, at=T0, actor="bench", idempotency_key=f"k{i}"
        )


def make_service_apply(
    store_factory: Callable[[], Any], per_case: int = 10
) -> Callable[[int], None]:
    def run(n: int) -> None:
        clock = FixedClock(T0)
        service = WorkflowService(store_factory(), clock, [ticket_workflow()])
        cases = [f"T-{c}" for c in range((n + per_case - 1) // per_case)]
        for case_id in cases:
            _opened(service, case_id)
        for i in range(n):
            case_id = cases[i // per_case]
            command = HOLD if i % 2 == 0 else RESUME
            service.apply(case_id, command, idempotency_key=f"k{i}", actor="bench")
            if i % 100 == 0:
                clock.advance(timedelta(seconds=1))

    return run


def sqlite_throughput(n: int, per_case: int, synchronous: str) -> float:
    """Committed ``apply`` calls per second on one process (cases opened beforehand)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "bench.db", synchronous=synchronous)
        clock = FixedClock(T0)
        service = WorkflowService(store, clock, [ticket_workflow()])
        cases = [f"T-{c}" for c in range((n + per_case - 1) // per_case)]
        for case_id in cases:
            _opened(service, case_id)
        start = time.perf_counter()
        for i in range(n):
            command = HOLD if i % 2 == 0 else RESUME
            service.apply(cases[i // per_case], command, idempotency_key=f"k{i}", actor="b")
        elapsed = time.perf_counter() - start
        store.close()
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3000, help="commands per measurement")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    n, repeat = args.n, args.repeat

    timed = interleaved_best(
        {"bare": bare_send, "step": engine_step, "memory": make_service_apply(MemoryStore)},
        n,
        repeat,
    )
    bare, step, memory = timed["bare"], timed["step"], timed["memory"]
    print(f"bare python-statemachine send       {bare * 1e6:8.1f} us/command")
    print(f"engine step (rebuild+send+snapshot) {step * 1e6:8.1f} us/command {step / bare:4.2f}x")
    print(
        f"service.apply on MemoryStore        {memory * 1e6:8.1f} us/command {memory / bare:4.2f}x"
    )
    rates = [sqlite_throughput(n, 10, "NORMAL") for _ in range(3)]
    median = statistics.median(rates)
    print(f"SqliteStore (WAL, NORMAL) committed {median:8.0f} commands/s (median of 3)")
    full = sqlite_throughput(n, 10, "FULL")
    print(f"SqliteStore (WAL, FULL)   committed {full:8.0f} commands/s")


if __name__ == "__main__":
    main()

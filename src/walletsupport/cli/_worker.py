"""``walletsupport worker``: fire due deadlines against a SQLite file or a PostgreSQL database.

Any number of workers, on one machine (SQLite) or many (PostgreSQL), share the due cases;
each deadline's command is applied exactly once. ``--until-idle`` handles everything due at
``--at`` (default now) and exits; otherwise the worker polls every ``--interval`` seconds
until SIGTERM or Ctrl-C, finishes the case in hand, prints a summary and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from walletsupport.adapters.postgres import PostgresStore
    from walletsupport.adapters.sqlite import SqliteStore
    from walletsupport.workflows.runner import DeadlineOutcome, RunnerStats

__all__ = ["open_store", "register", "worker_command"]

_DSN_PREFIXES = ("postgresql://", "postgres://")


def register(sub: Any) -> None:
    """Add the ``worker`` subcommand to the CLI's subparsers."""
    p = sub.add_parser(
        "worker",
        help="fire due deadlines (exactly once, however many workers share the database)",
        description="Claim cases whose deadlines are due and apply the command each deadline "
        "triggers; deadlines without an automatic command are reported.",
    )
    p.add_argument(
        "--db", required=True, help="a SQLite file, or a PostgreSQL DSN (postgresql://...)"
    )
    p.add_argument(
        "--schema",
        default="walletsupport",
        help="the PostgreSQL schema of the store (default walletsupport)",
    )
    p.add_argument(
        "--at", help="handle what is due at this ISO 8601 instant (with --until-idle only)"
    )
    p.add_argument(
        "--until-idle",
        action="store_true",
        help="handle everything due now (or at --at) and exit",
    )
    p.add_argument("--interval", type=float, default=5.0, help="seconds between polls (default 5)")
    p.add_argument("--json", action="store_true", help="print JSON lines")
    p.add_argument("--batch", type=int, default=20, help="cases claimed at once (default 20)")
    p.add_argument(
        "--lease",
        type=float,
        default=120.0,
        help="seconds a claim holds before another worker may take the case (default 120)",
    )
    p.set_defaults(run=worker_command)


def open_store(db: str, schema: str = "walletsupport") -> SqliteStore | PostgresStore:
    """The store ``--db`` names: a PostgreSQL DSN (URL or ``key=value`` form) or a SQLite file.

    Examples:
        >>> store = open_store(":memory:")
        >>> type(store).__name__
        'SqliteStore'
        >>> store.close()
    """
    from walletsupport.errors import InvalidInputError

    if not isinstance(db, str) or not db.strip():
        raise InvalidInputError("--db must name a SQLite file or a PostgreSQL DSN")
    if db.startswith(_DSN_PREFIXES) or ("=" in db and ("dbname" in db or "host" in db)):
        from walletsupport.adapters.postgres import PostgresStore

        return PostgresStore(db, schema=schema)
    from walletsupport.adapters.sqlite import SqliteStore

    return SqliteStore(db)


@contextmanager
def _stopping_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGTERM and SIGINT set ``stop`` (the case in hand is finished) while inside."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def _summary(owner: str, stats: RunnerStats) -> str:
    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}s"

    return (
        f"worker {owner}: {stats.cases} cases, {stats.fired} fired, {stats.reported} reported, "
        f"{stats.skipped} skipped, {stats.conflicts} conflicts, {stats.failed} failed, "
        f"{stats.poisoned} poisoned; lag p50 {seconds(stats.lag_p50)}, "
        f"p99 {seconds(stats.lag_p99)}"
    )


def worker_command(args: argparse.Namespace, out: TextIO) -> int:
    """Run the worker; 0 once idle (``--until-idle``) or stopped by a signal."""
    from walletsupport.clock import Clock, FixedClock, SystemClock, ensure_aware
    from walletsupport.errors import InvalidInputError
    from walletsupport.workflows.runner import DeadlineRunner

    if args.at is not None and not args.until_idle:
        raise InvalidInputError("--at needs --until-idle (a polling worker follows the clock)")
    if not args.interval > 0:
        raise InvalidInputError("--interval must be a positive number of seconds")
    if not args.lease > 0:
        raise InvalidInputError("--lease must be a positive number of seconds")
    if not 1 <= args.batch <= 10_000:
        raise InvalidInputError("--batch must be between 1 and 10000")
    clock: Clock = SystemClock()
    if args.at is not None:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            raise InvalidInputError(
                f"--at {args.at!r} is not an ISO 8601 datetime (e.g. 2026-11-25T10:30:00+08:00)"
            ) from None
        clock = FixedClock(ensure_aware(at, "--at"))

    def show(outcome: DeadlineOutcome) -> None:
        print(outcome.model_dump_json() if args.json else outcome.line(), file=out, flush=True)

    store = open_store(args.db, args.schema)
    try:
        runner = DeadlineRunner(
            store,
            clock,
            lease_clock=SystemClock(),
            owner=f"{socket.gethostname()}:{os.getpid()}",
            batch=args.batch,
            lease=timedelta(seconds=args.lease),
            on_outcome=show,
        )
        stop = threading.Event()
        with _stopping_on_signals(stop):
            if args.until_idle:
                runner.run_until_idle(stop=stop.is_set)
            else:
                runner.serve(interval=args.interval, stop=stop)
        stats = runner.stats()
        if args.json:
            line = json.dumps({"summary": stats.model_dump(mode="json"), "owner": runner.owner})
        else:
            line = _summary(runner.owner, stats)
        print(line, file=out, flush=True)
    finally:
        store.close()
    return 0

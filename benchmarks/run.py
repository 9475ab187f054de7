"""Every benchmark in one run, every peer measured in the same process, one report.

Run ``python benchmarks/run.py`` to print the report, ``--write-docs`` to regenerate
``docs/performance.md`` from it (the page is this run's output, nothing else). Peers:
python-statemachine's bare ``send``, pandas ``CustomBusinessHour``, numpy ``busday_offset``,
pyworkforce ``ErlangC``, ``import pydantic``; install them with ``pip install -e ".[bench]"``.
PostgreSQL is measured when ``--postgres DSN`` is given, or when a throwaway cluster can be
started from the server binaries (as the test suite does); otherwise the report says so.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "benchmarks"), str(ROOT)]

import bench_erlang  # noqa: E402
import bench_triage  # noqa: E402
import bench_workflows  # noqa: E402

from walletsupport.adapters import MemoryStore, SqliteStore  # noqa: E402
from walletsupport.calendars import HolidayCalendar, Schedule  # noqa: E402
from walletsupport.clock import FixedClock  # noqa: E402
from walletsupport.ports import WorkflowStore  # noqa: E402
from walletsupport.workflows import WorkflowService  # noqa: E402
from walletsupport.workflows.ticket import PutOnHold, ResumeTicket, ticket_workflow  # noqa: E402

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
HOLD, RESUME = PutOnHold(reason="waiting on the bank"), ResumeTicket()
Lines = list[str]


def best(fn: Callable[[], object], repeat: int, number: int = 1) -> float:
    """Seconds per call: the best of ``repeat`` batches of ``number`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def us(seconds: float) -> str:
    return f"{seconds * 1e6:,.1f} µs"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.2f} ms"


# --- workflows: cost that does not grow with history ---------------------------------------


def _grown(store: WorkflowStore, case_id: str, entries: int) -> WorkflowService:
    service = WorkflowService(store, FixedClock(T0), [ticket_workflow()])
    bench_workflows._opened(service, case_id)
    for i in range(entries - 2):
        service.apply(case_id, HOLD if i % 2 == 0 else RESUME, idempotency_key=f"g{i}", actor="b")
    return service


def _apply_costs(services: dict[str, WorkflowService], n: int, repeat: int) -> dict[str, float]:
    """Seconds per ``apply`` on each case, batches of the cases taken in turn (best of
    ``repeat``), so a burst of load or a database's background work hits them alike."""
    counter = iter(range(10**9))

    def one(service: WorkflowService, case_id: str) -> None:
        state = service.store.load(case_id).state
        command = HOLD if state == "open" else RESUME
        service.apply(case_id, command, idempotency_key=f"m{next(counter)}", actor="b")

    found: dict[str, list[float]] = {case_id: [] for case_id in services}
    for _ in range(repeat):
        for case_id, service in services.items():
            start = time.perf_counter()
            for _ in range(n):
                one(service, case_id)
            found[case_id].append((time.perf_counter() - start) / n)
    return {case_id: min(times) for case_id, times in found.items()}


def history(
    out: Lines,
    stores: dict[str, Callable[[], WorkflowStore]],
    n: int,
    settle: dict[str, Callable[[], None]],
) -> None:
    out += [
        "## Cost that does not grow with history",
        "",
        "One `apply` (load, idempotency-key lookup, engine step, save) on a ticket with 10 and",
        "with 10,000 audit entries, batches of the two taken in turn (best of 7). A snapshot",
        "carries what the engine needs and its newest entry; the audit is appended and paged",
        "(`store.audit(case_id, after=, limit=)`), keys are found through an index. On",
        "PostgreSQL the tables are analysed after the 10,000 writes, as autovacuum does within",
        "a minute: until then a connection keeps plans it prepared on a nearly empty table.",
        "",
        "| store | 10 entries | 10,000 entries | ratio (goal ≤ 1.5×) |",
        "|---|---:|---:|---:|",
    ]
    for name, make in stores.items():
        store = make()
        grown = {"small": _grown(store, "small", 10), "big": _grown(store, "big", 10_000)}
        settle.get(name, lambda: None)()
        costs = _apply_costs(grown, n, 7)
        a, b = costs["small"], costs["big"]
        out.append(f"| {name} | {us(a)} | {us(b)} | {b / a:.2f}× |")
        with contextlib.suppress(Exception):
            store.close()  # type: ignore[attr-defined]
    out.append("")


def engine(out: Lines, n: int) -> None:
    timed = bench_workflows.interleaved_best(
        {
            "bare": bench_workflows.bare_send,
            "step": bench_workflows.engine_step,
            "memory": bench_workflows.make_service_apply(MemoryStore),
        },
        n,
        7,
    )
    bare, step, memory = timed["bare"], timed["step"], timed["memory"]
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10**6))

        def sqlite_run() -> None:
            path = Path(tmp) / f"b{next(counter)}.db"
            bench_workflows.make_service_apply(lambda: SqliteStore(path))(n)

        sqlite = best(sqlite_run, 3) / n
    out += [
        "## Workflow engine and stores",
        "",
        "A ticket moved on hold and back, ten commands per case, against python-statemachine's",
        "bare `send` of the same events on an already-built machine.",
        "",
        "| | per command | vs bare send | commands/s |",
        "|---|---:|---:|---:|",
        f"| bare python-statemachine `send` | {us(bare)} | 1.00× | {1 / bare:,.0f} |",
        f"| engine step (rebuild, send, snapshot, deadlines; goal ≤ 1.5×) | {us(step)} | "
        f"{step / bare:.2f}× | {1 / step:,.0f} |",
        f"| `WorkflowService.apply` on `MemoryStore` | {us(memory)} | {memory / bare:.2f}× | "
        f"{1 / memory:,.0f} |",
        f"| `WorkflowService.apply` on `SqliteStore` (WAL, NORMAL) | {us(sqlite)} | "
        f"{sqlite / bare:.2f}× | {1 / sqlite:,.0f} |",
        "",
        f"MemoryStore is {sqlite / memory:.1f}× SqliteStore (goal ≥ 2×): snapshots are frozen,",
        "so a load copies only the JSON dicts of the newest version, never the history.",
        "",
    ]


# --- cold start -----------------------------------------------------------------------------


def _run_best(command: list[str], repeat: int, env: dict[str, str]) -> float:
    subprocess.run(command, check=True, capture_output=True, timeout=120, env=env)  # noqa: S603
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, timeout=120, env=env)  # noqa: S603
        times.append(time.perf_counter() - start)
    return min(times)


@contextlib.contextmanager
def _bytecode_env() -> Iterator[dict[str, str]]:
    """The environment of an installed package: bytecode is compiled once (as pip does at
    install) into a private cache, so no timed run compiles source, whatever
    PYTHONDONTWRITEBYTECODE says and whether or not the checkout has ``__pycache__``."""
    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        yield env


def cold_start(out: Lines, repeat: int) -> None:
    py = sys.executable
    cli = [py, "-m", "walletsupport"]
    env_at = "2026-03-02T15:00:00Z"
    rows = [
        ("`python -c pass` (the interpreter alone)", [py, "-c", "pass"]),
        ("`import pydantic` (peer)", [py, "-c", "import pydantic"]),
        ("`import walletsupport`", [py, "-c", "import walletsupport"]),
        ("`walletsupport --help`", [*cli, "--help"]),
        (
            "`walletsupport assist ...`",
            [*cli, "assist", "my card was charged twice", "--region", "US", "--at", env_at],
        ),
    ]
    with _bytecode_env() as env:
        times = {label: _run_best(command, repeat, env) for label, command in rows}
    peer = times["`import pydantic` (peer)"]
    out += [
        "## Cold start",
        "",
        f"Fresh interpreters, best of {repeat}, after one untimed run that compiles the",
        "bytecode (as installing the wheel does). `import walletsupport` loads no subpackage:",
        "public names load their module on first use (`walletsupport._lazy`); holidays,",
        "phone metadata and the triage vocabulary load when first needed; the CLI imports a",
        "command's modules only when that command runs. `tests/contract/test_import_hygiene.py`",
        "guards what each import loads.",
        "",
        "| | seconds | vs `import pydantic` |",
        "|---|---:|---:|",
    ]
    out += [f"| {label} | {t:.3f} | {t / peer:.2f}× |" for label, t in times.items()]
    out.append("")


# --- calendars ------------------------------------------------------------------------------


def _us_weekdays() -> Schedule:
    return Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))


def schedule_range(out: Lines, queries: int) -> None:
    schedule = _us_weekdays()
    rng = random.Random(7)

    def one() -> None:
        year = rng.randint(5, 9990)
        at = datetime(year, rng.randint(1, 12), rng.randint(1, 28), 12, tzinfo=UTC)
        schedule.next_open(at)
        schedule.add_business_time(at, timedelta(hours=8))

    start = time.perf_counter()
    for _ in range(queries):
        one()
    elapsed = (time.perf_counter() - start) / queries
    schedule = _us_weekdays()  # memory on a second, fresh schedule (tracemalloc slows timing)
    gc.collect()
    tracemalloc.start()
    for _ in range(queries):
        one()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    fresh = _us_weekdays()
    at = datetime(2026, 3, 2, 15, tzinfo=UTC)
    fresh.add_business_time(at, timedelta(hours=8))
    warm = best(lambda: fresh.add_business_time(at, timedelta(hours=8)), 5, 2000)
    out += [
        "## One schedule across its whole range",
        "",
        f"Mon–Fri America/New_York with US holidays, {queries} questions (`next_open` and",
        "`add_business_time`) at random instants from year 5 to 9990: every question lands in",
        "a year not seen before. Caches are bounded (holiday years, 364-day blocks, business",
        "days); a block is built by arithmetic on the zone's offset away from its transitions.",
        "",
        "| | measured | goal |",
        "|---|---:|---:|",
        f"| memory held after the run (tracemalloc, a second pass) | "
        f"{current / 1e6:.1f} MB (peak {peak / 1e6:.1f}) | ≤ 8 MB |",
        f"| per question in a year never seen | {ms(elapsed)} | ≤ 2 ms |",
        f"| per question in a cached year | {us(warm)} | |",
        "",
    ]


def business_days(out: Lines) -> None:
    import numpy as np

    schedule = _us_weekdays()
    start = date(2026, 3, 2)
    holidays = sorted(
        d
        for y in range(2026, 2070)
        for d in (schedule.holiday_calendar.year(y).holidays)  # type: ignore[union-attr]
    )
    np_holidays = np.array(holidays, dtype="datetime64[D]")
    cal = np.busdaycalendar(weekmask="1111100", holidays=np_holidays)
    rows = []
    for n in (10, 250, 2_500, 10_000):
        ours = schedule.business_days_after(start, n)
        theirs = np.busday_offset(np.datetime64(start), n, roll="forward", busdaycal=cal)
        same = str(theirs) == ours.isoformat()
        t_ours = best(lambda n=n: schedule.business_days_after(start, n), 5, 20)
        t_np = best(
            lambda n=n: np.busday_offset(np.datetime64(start), n, roll="forward", busdaycal=cal),
            5,
            20,
        )
        rows.append(f"| {n:,} | {us(t_ours)} | {us(t_np)} | {t_np / t_ours:.2f}× | {same} |")
    out += [
        "## Business days (`business_days_after`)",
        "",
        "The nth business day after a date on the schedule above, against numpy",
        "`busday_offset` with the same weekmask and holidays (ratio: numpy time ÷ ours).",
        "",
        "| n | ours | numpy | ratio | same day |",
        "|---:|---:|---:|---:|---|",
        *rows,
        "",
    ]


def business_time(out: Lines) -> None:
    import pandas as pd

    schedule = _us_weekdays()
    rng = random.Random(3)
    starts = [
        datetime(2026, 1, 5, 9, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 300))
        for _ in range(100)
    ]
    ny = "America/New_York"
    holidays = [d for y in range(2026, 2029) for d in schedule.holiday_calendar.year(y).holidays]  # type: ignore[union-attr]
    rows = []
    for hours in (10, 80, 2000):
        cbh = pd.offsets.CustomBusinessHour(n=hours, start="09:00", end="17:00", holidays=holidays)
        pd_starts = [pd.Timestamp(s).tz_convert(ny).tz_localize(None) for s in starts]
        t_ours = best(
            lambda h=hours: [schedule.add_business_time(s, timedelta(hours=h)) for s in starts], 5
        ) / len(starts)
        t_pd = best(lambda c=cbh, ps=pd_starts: [p + c for p in ps], 3) / len(starts)
        rows.append(f"| {hours:,} | {us(t_ours)} | {us(t_pd)} | {t_pd / t_ours:,.0f}× |")
    out += [
        "## Business time (`add_business_time`)",
        "",
        "Mon–Fri 09:00–17:00 America/New_York with US holidays, 100 start instants, against",
        "pandas `CustomBusinessHour` on the same hours and holidays (ratio: pandas ÷ ours).",
        "",
        "| hours | ours | pandas | ratio |",
        "|---:|---:|---:|---:|",
        *rows,
        "",
    ]


# --- contact --------------------------------------------------------------------------------


def erlang(out: Lines) -> None:
    from pyworkforce.queuing import ErlangC

    from walletsupport.contact import agents_needed

    buckets: dict[str, list[float]] = {}
    worst = 0.0
    mismatches = 0
    for label, traffic in bench_erlang.TRAFFIC:
        ours, theirs = bench_erlang.ours(traffic), bench_erlang.theirs(traffic)
        mismatches += ours != theirs
        mine = agents_needed(
            traffic=traffic,
            aht_seconds=bench_erlang.AHT_SECONDS,
            target_seconds=bench_erlang.TARGET_SECONDS,
            service_level=bench_erlang.SERVICE_LEVEL,
        ).estimate
        calls = traffic * bench_erlang.INTERVAL_SECONDS / bench_erlang.AHT_SECONDS
        model = ErlangC(
            transactions=calls,
            aht=bench_erlang.AHT_SECONDS,
            asa=bench_erlang.TARGET_SECONDS,
            interval=bench_erlang.INTERVAL_SECONDS,
        )
        if ours < 150:  # pyworkforce's factorials overflow floats beyond this
            worst = max(
                worst,
                abs(model.service_level(ours) - mine.service_level),
                abs(model.waiting_probability(ours) - mine.probability_of_waiting),
            )
        t_ours = best(lambda t=traffic: bench_erlang.ours(t), 5, 20)
        t_theirs = best(lambda t=traffic: bench_erlang.theirs(t), 5, 20)
        pair = buckets.setdefault(label, [0.0, 0.0])
        pair[0] += t_ours
        pair[1] += t_theirs
    rows = [f"| {label} | {ms(a)} | {ms(b)} | {b / a:.1f}× |" for label, (a, b) in buckets.items()]
    out += [
        "## Queue waits (Erlang C staffing)",
        "",
        "Agents needed for 80 % of calls answered within 20 s (AHT 180 s) against pyworkforce",
        f"`ErlangC.required_positions`, {len(bench_erlang.TRAFFIC)} loads from 0.5 to 4,900",
        f"Erlangs: the same headcount on {len(bench_erlang.TRAFFIC) - mismatches}/"
        f"{len(bench_erlang.TRAFFIC)}; service level and waiting probability differ by at most",
        f"{worst:.1e} where pyworkforce can compute them (ratio: pyworkforce ÷ ours, goal ≥ 1×).",
        "",
        "| agents | ours | pyworkforce | ratio |",
        "|---|---:|---:|---:|",
        *rows,
        "",
    ]


def assist_warm(out: Lines) -> None:
    from walletsupport import assist

    at = datetime(2026, 3, 2, 15, tzinfo=UTC)
    texts = ["my card was charged twice", "app keeps crashing after the update", "我的账户被冻结了"]
    rows = []
    for region, what in (("US", "a region with lines"), ("JP", "a region with no line")):
        for text in texts:
            assist(text, region=region, at=at)
        counter = iter(range(10**9))
        t = best(lambda r=region, c=counter: assist(texts[next(c) % 3], region=r, at=at), 5, 300)
        rows.append(f"| {region} ({what}) | {ms(t)} |")
    out += [
        "## `assist` warm",
        "",
        "One composed answer (triage, plan, route, wait, checklists, legal window, deadlines)",
        "after the first call; dial strings are computed once per number and region, and the",
        "fallback business calendar once per region.",
        "",
        "| region | per call |",
        "|---|---:|",
        *rows,
        "",
    ]


def triage_rate(out: Lines) -> None:
    from walletsupport.issues import triage
    from walletsupport.issues.classifier import LinearClassifier

    messages = bench_triage.load_messages()
    model = LinearClassifier.from_bytes(bench_triage.ARTIFACT.read_bytes())
    peer = bench_triage.sklearn_peer(model)
    for message in messages:  # warm up: load the model, fill the caches
        triage(message)
    ours = bench_triage.rate(triage, messages, 2.0)
    theirs = bench_triage.rate(lambda m: peer([m]), messages, 2.0)
    out += [
        "## Triage",
        "",
        f"{len(messages):,} labelled messages from `tests/data` (English, Chinese, mixed), one",
        "at a time, against scikit-learn running the same model's weights (`predict_proba` on",
        "a CountVectorizer with our features).",
        "",
        "| | messages/s |",
        "|---|---:|",
        f"| `triage()` | {ours:,.0f} |",
        f"| scikit-learn, same weights | {theirs:,.0f} |",
        f"| ratio | {ours / theirs:.1f}× |",
        "",
    ]


# --- PostgreSQL -----------------------------------------------------------------------------


def _analyze(dsn: str, schema: str) -> None:
    """Fresh planner statistics after 10,000 quick writes, as autovacuum's ANALYZE gives a
    live database within a minute: plans a connection prepared while the table was nearly
    empty (a scan of all of it) are then planned again (by index)."""
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        for table in ("ws_cases", "ws_versions"):
            conn.execute(f"ANALYZE {schema}.{table}")  # type: ignore[arg-type]


@contextlib.contextmanager
def postgres(dsn: str | None) -> Iterator[str | None]:
    if dsn:
        yield dsn
        return
    try:
        from tests.integration.conftest import _Cluster, _server_bindir
    except ImportError:
        yield None
        return
    bindir = _server_bindir()
    if bindir is None:
        yield None
        return
    cluster = _Cluster(bindir)
    try:
        yield cluster.start()
    except (subprocess.SubprocessError, OSError):
        yield None
    finally:
        cluster.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-docs", action="store_true", help="rewrite docs/performance.md")
    parser.add_argument("--postgres", metavar="DSN", help="a PostgreSQL server to measure")
    parser.add_argument("-n", type=int, default=300, help="commands per workflow measurement")
    args = parser.parse_args()
    started = time.perf_counter()
    out: Lines = [
        "# Performance",
        "",
        "Every figure on this page comes from one run of `python benchmarks/run.py",
        "--write-docs`, which measures our code and each named peer in the same process and",
        "reports ratios, because machines are noisy. Unit tests never assert timings.",
        "",
        "```sh",
        'pip install -e ".[bench]"                # the peers: pandas, numpy, pyworkforce',
        "python benchmarks/run.py --write-docs   # regenerates this page",
        "```",
        "",
        f"This run: Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} cores, {datetime.now(UTC):%Y-%m-%d}.",
        "",
    ]
    with postgres(args.postgres) as dsn, tempfile.TemporaryDirectory() as tmp:
        settle: dict[str, Callable[[], None]] = {}
        stores: dict[str, Callable[[], WorkflowStore]] = {
            "memory": MemoryStore,
            "sqlite": lambda: SqliteStore(Path(tmp) / f"{uuid.uuid4().hex}.db"),
        }
        if dsn is not None:
            from walletsupport.adapters.postgres import PostgresStore

            schema = "b_" + uuid.uuid4().hex[:12]
            stores["postgresql"] = lambda: PostgresStore(dsn, schema=schema)
            settle["postgresql"] = lambda: _analyze(dsn, schema)
        history(out, stores, args.n, settle)
        if dsn is None:
            out += ["PostgreSQL was not measured in this run (no server).", ""]
    for section in (
        lambda: engine(out, args.n),
        lambda: cold_start(out, 5),
        lambda: schedule_range(out, 300),
        lambda: business_days(out),
        lambda: business_time(out),
        lambda: erlang(out),
        lambda: assist_warm(out),
        lambda: triage_rate(out),
    ):
        done = len(out)
        section()
        print("\n".join(out[done:]), file=sys.stderr, flush=True)
    out += [f"The whole run took {time.perf_counter() - started:.0f} s.", ""]
    text = "\n".join(out)
    print(text)
    if args.write_docs:
        (ROOT / "docs" / "performance.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())

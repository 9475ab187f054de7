"""Benchmark: agents needed for 80 % answered within 20 s, walletsupport vs pyworkforce.

Runs both implementations in the same process on the same inputs (offered traffic chosen so
the answers span 1 to about 5 000 agents), checks they give the same headcount, and prints the
speed ratio per size bucket and overall. pyworkforce is a benchmark-only comparison, not a
dependency of the library.

Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_erlang.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from pyworkforce.queuing import ErlangC

from walletsupport.contact import agents_needed

AHT_SECONDS = 180.0
TARGET_SECONDS = 20.0
SERVICE_LEVEL = 0.8
INTERVAL_SECONDS = 3600.0

# (bucket label, offered traffic in Erlangs)
TRAFFIC: list[tuple[str, float]] = [
    *[("1-10", a) for a in (0.2, 0.7, 1.5, 2.5, 4.0, 6.0, 8.0)],
    *[("11-100", a) for a in (12.0, 25.0, 40.0, 60.0, 80.0, 95.0)],
    *[("101-1000", a) for a in (150.0, 300.0, 500.0, 750.0, 950.0)],
    *[("1001-5000", a) for a in (1500.0, 2500.0, 3500.0, 4500.0, 4900.0)],
]


def ours(traffic: float) -> int:
    return agents_needed(
        traffic=traffic,
        aht_seconds=AHT_SECONDS,
        target_seconds=TARGET_SECONDS,
        service_level=SERVICE_LEVEL,
    ).raw_agents


def theirs(traffic: float) -> int:
    calls = traffic * INTERVAL_SECONDS / AHT_SECONDS
    model = ErlangC(
        transactions=calls, aht=AHT_SECONDS, asa=TARGET_SECONDS, interval=INTERVAL_SECONDS
    )
    return int(model.required_positions(service_level=SERVICE_LEVEL)["raw_positions"])


def best_time(fn: Callable[[float], int], traffic: float, repeat: int) -> float:
    """Best time of one call, timed over enough calls (about 2 ms) that the timer's own cost
    and resolution do not count: a small team's staffing takes a few microseconds."""
    start = time.perf_counter()
    fn(traffic)
    number = max(1, int(2e-3 / max(time.perf_counter() - start, 1e-7)))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn(traffic)
        times.append((time.perf_counter() - start) / number)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timings per input (best kept)")
    args = parser.parse_args()

    header = ("traffic", 9), ("agents", 7), ("pyworkforce", 11), ("ours ms", 9), ("theirs ms", 10)
    print(" ".join(f"{name:>{width}}" for name, width in header), f"{'x':>7}")
    buckets: dict[str, tuple[float, float]] = {}
    mismatches = 0
    for label, traffic in TRAFFIC:
        n_ours, n_theirs = ours(traffic), theirs(traffic)
        mismatches += n_ours != n_theirs
        t_ours = best_time(ours, traffic, args.repeat)
        t_theirs = best_time(theirs, traffic, args.repeat)
        mine, other = buckets.get(label, (0.0, 0.0))
        buckets[label] = (mine + t_ours, other + t_theirs)
        print(
            f"{traffic:>9.1f} {n_ours:>7} {n_theirs:>11} {t_ours * 1e3:>9.3f} "
            f"{t_theirs * 1e3:>10.3f} {t_theirs / t_ours:>7.1f}"
        )
    print()
    print(f"{'agents':>10} {'ours ms':>9} {'theirs ms':>10} {'ratio':>7}")
    for label, (mine, other) in buckets.items():
        print(f"{label:>10} {mine * 1e3:>9.3f} {other * 1e3:>10.3f} {other / mine:>7.1f}")
    total_ours = sum(m for m, _ in buckets.values())
    total_theirs = sum(o for _, o in buckets.values())
    ratios = [o / m for m, o in buckets.values()]
    print(
        f"{'all':>10} {total_ours * 1e3:>9.3f} {total_theirs * 1e3:>10.3f} "
        f"{total_theirs / total_ours:>7.1f}   (geometric mean of buckets "
        f"{statistics.geometric_mean(ratios):.1f})"
    )
    print(f"same headcount on {len(TRAFFIC) - mismatches}/{len(TRAFFIC)} inputs")
    if mismatches:
        raise SystemExit(1)


if __name__ == "__main__":
    main()

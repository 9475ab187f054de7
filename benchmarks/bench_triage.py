"""Throughput of walletsupport.issues.triage against a plain regex baseline, on one core.

Run from the repository root:

    PYTHONPATH=src .venv/bin/python benchmarks/bench_triage.py [--seconds 3]

The message mix is every labelled message in the named sets of tests/data (English, Chinese
and mixed, short and long); a blind set joins only after its single honest run. The baseline
is the naive approach measured in the same run over the same messages: one compiled regex
alternation per category, built from the same vocabulary, and the category with the most
hits wins. It prints messages/second for both, the ratio, and
the top-1 accuracy of both on the mix, so speed is never bought with accuracy unnoticed.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path

from walletsupport.issues import IssueCategory, builtin_categories, triage

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


SETS = ("dev", "holdout", "blind", "blind2", "blind3", "blind4")


def load_messages() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for name in SETS:
        path = DATA / f"triage_{name}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def baseline_pattern(category: IssueCategory) -> re.Pattern[str]:
    alternatives = []
    for term in category.vocabulary:
        if term.weight <= 0:
            continue
        if term.locale.value == "zh":
            alternatives.append(".{0,4}".join(re.escape(p) for p in term.parts))
        else:
            parts = [
                r"\W+".join(re.escape(w.rstrip("*")) + r"\w*" for w in p.split())
                for p in term.parts
            ]
            alternatives.append(r"\b" + r"(?:\W+\w+){0,3}\W+".join(parts))
    return re.compile("|".join(alternatives), re.IGNORECASE)


def baseline_classify(patterns: list[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    best, best_hits = None, 0
    for category_id, pattern in patterns:
        hits = len(pattern.findall(text))
        if hits > best_hits:
            best, best_hits = category_id, hits
    return best


def rate(function, messages: list[str], seconds: float) -> float:
    done = 0
    start = time.perf_counter()
    while True:
        for message in messages:
            function(message)
        done += len(messages)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()

    rows = load_messages()
    messages = [r["text"] for r in rows]
    patterns = [(c.id, baseline_pattern(c)) for c in builtin_categories()]

    for message in messages:  # warm up: compile the vocabulary, fill the token cache
        triage(message)

    ours = rate(triage, messages, args.seconds)
    theirs = rate(lambda m: baseline_classify(patterns, m), messages, args.seconds)

    ours_ok = sum(triage(r["text"]).ranked_ids(1) == (r["label"],) for r in rows)
    theirs_ok = sum(baseline_classify(patterns, r["text"]) == r["label"] for r in rows)
    n = len(rows)
    print(f"messages in mix      : {n}")
    print(f"triage               : {ours:10,.0f} msg/s   top-1 {ours_ok / n:.1%}")
    print(f"regex baseline       : {theirs:10,.0f} msg/s   top-1 {theirs_ok / n:.1%}")
    print(f"ratio triage/baseline: {ours / theirs:.2f}x")


if __name__ == "__main__":
    main()

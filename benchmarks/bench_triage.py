"""Throughput of triage and of the shipped model against scikit-learn on the same model.

Run from the repository root (scikit-learn comes with the ``bench`` or ``train`` extra):

    .venv/bin/python benchmarks/bench_triage.py [--seconds 3]

The message mix is every labelled message of tests/data (English, Chinese and mixed, short
and long). The peer, measured in the same run over the same messages, is scikit-learn's own
``predict_proba`` on exactly the same model (the same vocabulary, TF-IDF weights, bias and
temperature, as a CountVectorizer + TfidfTransformer + LogisticRegression), one message per
call as triage is used, and also in one batch. It prints messages/second, the ratios, the
agreement of the two top answers, the model's load time (the first load, as triage's first
call pays it, and the best of five), triage with the n-gram memory of ``_features`` emptied
before every message (no word seen before: the worst case of that memory), and the cost of
the 4,000-character "忘记密码" message against a 400-character one (the linearity check).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from walletsupport.issues import LinearClassifier, _features, triage
from walletsupport.issues.classifier import _LANE_BITS, _OFFSET

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
ARTIFACT = ROOT / "src/walletsupport/issues/triage_model.bin"
SETS = ("dev", "holdout", "blind", "blind2", "blind3", "blind4")


def load_messages() -> list[str]:
    rows: list[str] = []
    for name in SETS:
        for line in (DATA / f"triage_{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line)["text"])
    return rows


def rate(function, messages: list[str], seconds: float, clock=time.perf_counter) -> float:
    """Messages per second of ``clock``: wall time by default, or ``time.process_time``
    (the CPU time of this process: one core's rate on a machine other work shares)."""
    done = 0
    start = clock()
    while True:
        for message in messages:
            function(message)
        done += len(messages)
        elapsed = clock() - start
        if elapsed >= seconds:
            return done / elapsed


def sklearn_peer(model: LinearClassifier):
    """The same model as a scikit-learn pipeline (weights unpacked from the artifact)."""
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer

    k = len(model.classes)
    vocabulary = {feature: i for i, feature in enumerate(model._packed)}
    rows = model._file_rows()
    idf = np.array([((row >> (k * _LANE_BITS)) & 0xFFFFFFFF) / model._idf_scale for row in rows])
    idf = np.sqrt(idf)
    weights = np.array(
        [
            [
                (((row >> (c * _LANE_BITS)) & 0xFFFFFFFF) - _OFFSET) / model._weight_scale
                for c in range(k)
            ]
            for row in rows
        ]
    )  # idf already folded in
    bias = np.array(model._bias)
    vectorizer = CountVectorizer(analyzer=_features.features, binary=True, vocabulary=vocabulary)
    t = model.temperature

    def proba(texts: list[str]):
        counts = vectorizer.transform(texts).astype(float)
        norms = np.sqrt(counts @ (idf**2))
        norms[norms == 0] = 1.0
        logits = (counts @ weights) / norms[:, None] + bias
        z = logits / t
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    return proba


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    messages = load_messages()

    start = time.perf_counter()
    data = ARTIFACT.read_bytes()
    model = LinearClassifier.from_bytes(data)
    load_ms = (time.perf_counter() - start) * 1000
    again = []
    for _ in range(5):
        start = time.perf_counter()
        LinearClassifier.from_bytes(data)
        again.append((time.perf_counter() - start) * 1000)
    print(
        f"model: {len(data) / 1e6:.2f} MB, {model.size} features, loaded in {load_ms:.1f} ms "
        f"(best of 5 more: {min(again):.1f} ms)"
    )

    peer = sklearn_peer(model)
    ours = [max(range(len(p)), key=p.__getitem__) for p in map(model.predict_proba, messages)]
    theirs = peer(messages).argmax(axis=1).tolist()
    agree = sum(a == b for a, b in zip(ours, theirs, strict=True)) / len(messages)
    print(f"{len(messages)} messages; top answers agree with scikit-learn on {agree:.1%}")

    model_rate = rate(model.predict_proba, messages, args.seconds)
    triage_rate = rate(triage, messages, args.seconds)

    def cold(message: str) -> None:
        for seen in _features._SEEN.values():
            seen.clear()
        triage(message)

    cold_rate = rate(cold, messages, args.seconds)
    triage_cpu = rate(triage, messages, args.seconds, time.process_time)
    peer_cpu = rate(lambda m: peer([m]), messages, args.seconds, time.process_time)
    peer_rate = rate(lambda m: peer([m]), messages, args.seconds)
    start = time.perf_counter()
    rounds = 0
    while time.perf_counter() - start < args.seconds:
        peer(messages)
        rounds += 1
    batch_rate = rounds * len(messages) / (time.perf_counter() - start)
    print(f"LinearClassifier.predict_proba : {model_rate:10,.0f} msg/s")
    print(f"triage (full result)           : {triage_rate:10,.0f} msg/s")
    print(f"triage, n-gram memory emptied  : {cold_rate:10,.0f} msg/s")
    print(
        f"triage per CPU second          : {triage_cpu:10,.0f} msg/s  "
        f"(scikit-learn one per call: {peer_cpu:,.0f}, triage is {triage_cpu / peer_cpu:.1f}x)"
    )
    print(
        f"scikit-learn, one per call     : {peer_rate:10,.0f} msg/s  "
        f"(triage is {triage_rate / peer_rate:.1f}x)"
    )
    print(
        f"scikit-learn, one batch        : {batch_rate:10,.0f} msg/s  "
        f"(triage is {triage_rate / batch_rate:.2f}x)"
    )

    short = "我忘记了登录密码，试了好几次都不对，现在没法登录钱包，" * 15
    short = short[:400]
    long = "忘记密码" * 1000
    words = ("my card payment was declined twice at the shop and I do not know why " * 8)[:400]
    costs = {}
    for name, text in (
        ("400-char zh", short),
        ("4000-char 忘记密码", long),
        ("400-char en", words),
    ):
        n = max(1, math.ceil(200 * 400 / len(text)))
        start = time.perf_counter()
        for _ in range(n):
            triage(text)
        costs[name] = (time.perf_counter() - start) / n
        print(f"{name:<18}: {costs[name] * 1e6:9.1f} us")
    print(
        "4000-char 忘记密码 / 400-char zh: "
        f"{costs['4000-char 忘记密码'] / costs['400-char zh']:.2f}x (goal <= 15x)"
    )


if __name__ == "__main__":
    main()

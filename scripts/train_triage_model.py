"""Regenerate the shipped triage model, deterministically, and measure it.

    .venv/bin/pip install -e ".[train]"
    .venv/bin/python scripts/train_triage_model.py            # writes the artifact
    .venv/bin/python scripts/train_triage_model.py --cv 5     # also 5-fold CV figures

Training data (nothing else): BANKING77's training split mapped to taxonomy v2
(``--banking77``, default ``../shared/data/banking77``), the built-in categories' examples, and
``training/*.jsonl``. The labelled sets in ``tests/data`` are never trained on: they measure.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from walletsupport.issues import builtin_categories, evaluate, fit, read_labelled  # noqa: E402
from walletsupport.issues.classifier import LinearClassifier  # noqa: E402

ARTIFACT = REPO / "src/walletsupport/issues/triage_model.bin"
SEED = 0
#: The project's own messages (examples, training/*.jsonl) are written like the messages the
#: library triages; BANKING77 is ten times larger. Each of ours counts this much in the loss.
OWN_WEIGHT = 10.0
ATTRIBUTION = (
    "Trained in part on BANKING77 (PolyAI, CC BY 4.0): Casanueva et al., 'Efficient Intent "
    "Detection with Dual Sentence Encoders', NLP4ConvAI 2020, arXiv:2003.04807. Intents mapped "
    "to walletsupport taxonomy v2; see BANKING77_LICENSE next to this file."
)


def corpus(banking77: Path) -> list[tuple[str, str, str]]:
    """(text, label, source) rows in a fixed order."""
    mapping = json.loads((banking77 / "mapping.json").read_text())["intent_to_category"]
    rows: list[tuple[str, str, str]] = []
    with (banking77 / "train.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append((row["text"], mapping[row["category"]], "banking77"))
    for category in builtin_categories():
        rows.extend((text, category.id, "examples") for text in category.examples)
    for path in sorted((REPO / "training").glob("*.jsonl")):
        texts, labels = read_labelled(path)
        rows.extend((t, lab, path.stem) for t, lab in zip(texts, labels, strict=True))
    return rows


def _weight(row: tuple[str, str, str]) -> float:
    return 1.0 if row[2] == "banking77" else OWN_WEIGHT


def cross_validate(rows: list[tuple[str, str, str]], folds: int) -> None:
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    labels = np.array([r[1] for r in rows])
    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    totals: dict[str, list[float]] = {}
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(rows)), labels)):
        print(f"fold {k + 1}/{folds}", file=sys.stderr, flush=True)
        model = fit(
            [rows[i][0] for i in train],
            [rows[i][1] for i in train],
            seed=SEED,
            sample_weight=[_weight(rows[i]) for i in train],
        )
        groups: dict[str, list[int]] = {"all": list(test)}
        for i in test:
            groups.setdefault(rows[i][2], []).append(i)
        for source, idx in groups.items():
            result = evaluate(model, [rows[i][0] for i in idx], [rows[i][1] for i in idx])
            acc = totals.setdefault(source, [0, 0.0, 0.0, 0.0])
            acc[0] += result.messages
            acc[1] += result.accuracy * result.messages
            acc[2] += result.top3 * result.messages
            acc[3] += result.ece * result.messages
    print(f"\n{folds}-fold cross-validation (seed {SEED})")
    print("| source | messages | top-1 | top-3 | ECE |\n| --- | --- | --- | --- | --- |")
    for source, (n, top1, top3, ece) in sorted(totals.items()):
        print(f"| {source} | {int(n)} | {top1 / n:.1%} | {top3 / n:.1%} | {ece / n:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--banking77",
        type=Path,
        default=next(
            (
                p / "shared/data/banking77"
                for p in REPO.parents
                if (p / "shared/data/banking77").is_dir()
            ),
            REPO.parent / "shared/data/banking77",
        ),
    )
    parser.add_argument("--out", type=Path, default=ARTIFACT)
    parser.add_argument("--cv", type=int, default=0, help="also run k-fold cross-validation")
    args = parser.parse_args()
    rows = corpus(args.banking77)
    if args.cv:
        cross_validate(rows, args.cv)
    sources: dict[str, int] = {}
    for _, _, source in rows:
        sources[source] = sources.get(source, 0) + 1

    def progress(done: int, total: int, stage: str) -> None:
        print(f"\r{stage:<12} {done}/{total}", end="", file=sys.stderr, flush=True)

    model = fit(
        [r[0] for r in rows],
        [r[1] for r in rows],
        seed=SEED,
        sample_weight=[_weight(r) for r in rows],
        progress=progress,
        metadata={"sources": sources, "attribution": ATTRIBUTION, "licence": "CC-BY-4.0"},
    )
    print(file=sys.stderr)
    model.save(args.out)
    again = LinearClassifier.load(args.out)
    print(
        f"{args.out}: {args.out.stat().st_size} bytes, {again.size} features, "
        f"{len(again.classes)} classes, temperature {again.temperature:.3f}, "
        f"alpha {again.alpha:.1f}, beta {again.beta:.1f}"
    )


if __name__ == "__main__":
    main()

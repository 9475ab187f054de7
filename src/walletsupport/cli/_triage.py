"""``walletsupport triage train|evaluate``: fit and measure triage models from labelled files.

Files are CSV (a header with ``text`` and ``label`` or ``category``) or JSON Lines (objects
with the same keys). ``--mapping`` is a JSON object renaming labels (for example BANKING77
intents to walletsupport categories; an object with an ``intent_to_category`` key works too).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from walletsupport.errors import InvalidInputError

__all__ = ["add_parser"]

_BAR = 30


def add_parser(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """Add the ``triage`` command and its ``train`` / ``evaluate`` subcommands to ``sub``."""
    p = sub.add_parser("triage", help="train or evaluate a triage model on labelled messages")
    commands = p.add_subparsers(dest="triage_command", required=True, parser_class=parser_class)
    t = commands.add_parser("train", help="fit a model on CSV / JSONL files of labelled messages")
    t.add_argument("files", nargs="+", help="CSV or JSONL files with text and label")
    t.add_argument("--out", required=True, help="where to write the model file")
    t.add_argument("--mapping", help="JSON object renaming labels")
    t.add_argument(
        "--with-builtin-examples",
        action="store_true",
        help="also train on the built-in categories' example messages",
    )
    t.add_argument("--seed", type=int, default=0, help="fixes the calibration split")
    t.set_defaults(run=train_command)
    e = commands.add_parser("evaluate", help="score a model on a CSV / JSONL file")
    e.add_argument("file", help="CSV or JSONL file with text and label")
    e.add_argument("--model", help="a model file (default: the shipped model)")
    e.add_argument("--mapping", help="JSON object renaming labels")
    e.add_argument("--svg", help="also write the confusion matrix as an SVG image here")
    e.set_defaults(run=evaluate_command)


def _mapping(path: str | None) -> dict[str, str] | None:
    if path is None:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"cannot read the label mapping {path}") from exc
    if isinstance(data, dict) and isinstance(data.get("intent_to_category"), dict):
        data = data["intent_to_category"]
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise InvalidInputError(f"the label mapping {path} must be a JSON object of strings")
    return data


def _progress(stream: TextIO) -> Any:
    def report(done: int, total: int, stage: str) -> None:
        filled = _BAR * done // max(total, 1)
        bar = "#" * filled + "-" * (_BAR - filled)
        stream.write(f"\rtraining [{bar}] {done * 100 // max(total, 1):3d}% {stage:<10}")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return report


def train_command(args: argparse.Namespace, out: TextIO) -> int:
    """Fit a model on the files and write it to ``--out``."""
    from walletsupport.issues import builtin_categories, fit, read_labelled

    mapping = _mapping(args.mapping)
    texts: list[str] = []
    labels: list[str] = []
    for file in args.files:
        more_texts, more_labels = read_labelled(file, mapping=mapping)
        texts.extend(more_texts)
        labels.extend(more_labels)
    if args.with_builtin_examples:
        for category in builtin_categories():
            texts.extend(category.examples)
            labels.extend([category.id] * len(category.examples))
    model = fit(
        texts,
        labels,
        seed=args.seed,
        progress=_progress(sys.stderr),
        metadata={"sources": [Path(f).name for f in args.files]},
    )
    model.save(args.out)
    print(
        f"wrote {args.out}: {len(model.classes)} classes, {model.size} features, "
        f"{len(texts)} messages, temperature {model.temperature:.3f}",
        file=out,
    )
    return 0


def evaluate_command(args: argparse.Namespace, out: TextIO) -> int:
    """Print accuracy, per-category scores, the confusion matrix and the reliability table."""
    from walletsupport.issues import LinearClassifier, builtin_classifier, evaluate, read_labelled

    model = LinearClassifier.load(args.model) if args.model else builtin_classifier()
    texts, labels = read_labelled(args.file, mapping=_mapping(args.mapping))
    result = evaluate(model, texts, labels)
    print(result.summary(), file=out)
    print("\n" + result.category_table(), file=out)
    print("\nconfusion matrix (rows: label, columns: predicted, by row number)", file=out)
    print(result.confusion_table(), file=out)
    print("\nreliability", file=out)
    print(result.reliability_table(), file=out)
    if args.svg:
        try:
            Path(args.svg).write_text(result.confusion_svg(), encoding="utf-8")
        except OSError as exc:
            raise InvalidInputError(f"cannot write {args.svg}") from exc
        print(f"\nwrote {args.svg}", file=out)
    return 0

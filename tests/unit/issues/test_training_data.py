"""The labelled data at the repository root (training/) and in tests/data speak taxonomy v2."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from walletsupport.issues import OTHER_ID, _examples, builtin_categories

ROOT = Path(__file__).resolve().parents[3]
TRAINING = ROOT / "training"
TEST_DATA = ROOT / "tests" / "data"
V2_IDS = {c.id for c in builtin_categories()}
NEW_IN_V2 = {
    "identity_verification",
    "account_details",
    "account_closure",
    "lost_or_stolen",
    "payment_failed",
    "payment_pending",
    "top_up_problem",
    "fees_and_charges",
    "card_delivery",
    "card_not_working",
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")


def _rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


TRAINING_FILES = sorted(TRAINING.glob("*.jsonl"))
TEST_FILES = sorted(TEST_DATA.glob("*.jsonl"))


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: p.name)
def test_every_evaluation_set_uses_taxonomy_v2_ids(path):
    labels = {row["label"] for row in _rows(path)}
    assert labels <= V2_IDS | {OTHER_ID}, labels - V2_IDS


@pytest.mark.parametrize("path", TRAINING_FILES, ids=lambda p: p.name)
def test_training_rows_are_well_formed_and_their_language_is_true(path):
    for row in _rows(path):
        assert set(row) == {"text", "label", "lang"}, row
        assert row["label"] in V2_IDS | {OTHER_ID}, row
        text = row["text"]
        assert text, row
        assert text.strip() == text, row
        if row["lang"] == "zh":
            assert _CJK.search(text), row
        elif row["lang"] == "en":
            assert not _CJK.search(text), row
        else:
            assert row["lang"] == "mixed", row
            assert _CJK.search(text), row
            assert _LATIN.search(text), row


def test_training_data_covers_every_leaf_as_promised():
    counts: Counter[tuple[str, str]] = Counter()
    for path in TRAINING_FILES:
        counts.update((row["label"], row["lang"]) for row in _rows(path))
    for leaf in V2_IDS:
        assert counts[(leaf, "zh")] >= 60, leaf
        assert counts[(leaf, "mixed")] >= 20, leaf
    for leaf in NEW_IN_V2:
        assert counts[(leaf, "en")] >= 40, leaf
    assert counts[(OTHER_ID, "en")] >= 300
    assert counts[(OTHER_ID, "zh")] >= 300


def test_training_data_never_repeats_an_evaluation_or_shipped_example():
    held_out = {_key(row["text"]) for path in TEST_FILES for row in _rows(path)}
    shipped = {
        _key(text) for name in dir(_examples) if name.isupper() for text in getattr(_examples, name)
    }
    seen: set[str] = set()
    for path in TRAINING_FILES:
        for row in _rows(path):
            key = _key(row["text"])
            assert key not in held_out, row
            assert key not in shipped, row
            assert key not in seen, row
            seen.add(key)

"""fit, evaluate, the data readers and `walletsupport triage train|evaluate`."""

from __future__ import annotations

import io
import json

import pytest

from walletsupport.cli import main
from walletsupport.errors import InvalidInputError
from walletsupport.issues import (
    IssueRegistry,
    LinearClassifier,
    builtin_classifier,
    default_registry,
    evaluate,
    fit,
    read_labelled,
    triage,
)
from walletsupport.ports import Classifier

TEXTS = [
    "card stolen",
    "someone stole my card",
    "my wallet and card were stolen",
    "forgot my pin",
    "reset my password please",
    "I can't remember my password",
    "what's the weather",
    "tell me a story",
    "play some music",
] * 4
LABELS = (["lost_or_stolen"] * 3 + ["forgot_password"] * 3 + ["other"] * 3) * 4


@pytest.fixture(scope="module")
def small_model() -> LinearClassifier:
    return fit(TEXTS, LABELS, seed=0)


def test_fit_learns_a_classifier_that_triage_can_use(small_model):
    assert isinstance(small_model, Classifier)
    assert small_model.classes == ("lost_or_stolen", "forgot_password", "other")
    builtins = default_registry()
    registry = IssueRegistry([builtins.get("lost_or_stolen"), builtins.get("forgot_password")])
    registry.use_classifier(small_model)
    assert triage("I forgot my pin", registry).top.category_id == "forgot_password"
    assert triage("someone stole my card", registry).top.category_id == "lost_or_stolen"


def test_fit_is_deterministic_for_a_seed(small_model):
    assert fit(TEXTS, LABELS, seed=0).to_bytes() == small_model.to_bytes()


def test_fit_reports_progress():
    seen = []
    fit(TEXTS, LABELS, progress=lambda done, total, stage: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize(
    ("texts", "labels"),
    [(["a"], ["x", "y"]), ([], []), (["a", "b"], ["x", "x"]), ("ab", "xy"), ([1, 2], ["x", "y"])],
)
def test_fit_rejects_bad_training_data(texts, labels):
    with pytest.raises(InvalidInputError):
        fit(texts, labels)


def test_evaluate_reports_accuracy_per_category_confusion_and_calibration():
    texts = ["I lost my card", "忘记密码了", "what's the weather like tomorrow", "I lost my card"]
    labels = ["lost_or_stolen", "forgot_password", "other", "forgot_password"]
    result = evaluate(builtin_classifier(), texts, labels)
    assert result.messages == 4
    assert result.accuracy == 0.75
    assert result.top3 >= result.accuracy
    lost = next(c for c in result.categories if c.category_id == "lost_or_stolen")
    assert (lost.precision, lost.recall, lost.support) == (0.5, 1.0, 1)
    row = result.labels.index("forgot_password")
    assert sum(result.confusion[row]) == 2
    assert sum(b.count for b in result.reliability) == 4
    assert 0.0 <= result.ece <= 1.0
    assert "<svg" in result.confusion_svg()
    assert "lost_or_stolen" in result.confusion_table()
    assert "| confidence |" in result.reliability_table()


def test_read_labelled_reads_csv_and_jsonl_and_maps_labels(tmp_path):
    (tmp_path / "a.csv").write_text("text,category\nmy card never came,card_arrival\n")
    (tmp_path / "b.jsonl").write_text('{"text": "lost card", "label": "lost_or_stolen"}\n\n')
    assert read_labelled(tmp_path / "a.csv", mapping={"card_arrival": "card_delivery"}) == (
        ("my card never came",),
        ("card_delivery",),
    )
    assert read_labelled(tmp_path / "b.jsonl") == (("lost card",), ("lost_or_stolen",))
    with pytest.raises(InvalidInputError):
        read_labelled(tmp_path / "a.csv", mapping={})
    (tmp_path / "c.jsonl").write_text('{"text": "no label"}\n')
    with pytest.raises(InvalidInputError):
        read_labelled(tmp_path / "c.jsonl")


def test_the_cli_trains_and_evaluates_a_model(tmp_path):
    data = tmp_path / "tickets.jsonl"
    data.write_text(
        "".join(
            json.dumps({"text": t, "label": lab}) + "\n"
            for t, lab in zip(TEXTS, LABELS, strict=True)
        )
    )
    model_path = tmp_path / "model.bin"
    out, err = io.StringIO(), io.StringIO()
    assert (
        main(["triage", "train", str(data), "--out", str(model_path)], stdout=out, stderr=err) == 0
    )
    assert "3 classes" in out.getvalue()
    assert LinearClassifier.load(model_path).classes == (
        "lost_or_stolen",
        "forgot_password",
        "other",
    )
    svg = tmp_path / "confusion.svg"
    out = io.StringIO()
    args = ["triage", "evaluate", str(data), "--model", str(model_path), "--svg", str(svg)]
    assert main(args, stdout=out) == 0
    text = out.getvalue()
    assert "top-1" in text
    assert "confusion matrix" in text
    assert "reliability" in text
    assert svg.read_text().startswith("<svg")


def test_the_cli_reports_a_missing_file_as_a_usage_error(tmp_path):
    err = io.StringIO()
    args = ["triage", "evaluate", str(tmp_path / "missing.jsonl")]
    assert main(args, stdout=io.StringIO(), stderr=err) == 2
    assert "cannot read" in err.getvalue()


@pytest.mark.parametrize("folds", [0, -1, 21, 2.0, "5", True])
def test_fit_rejects_a_bad_number_of_calibration_folds(folds):
    with pytest.raises(InvalidInputError):
        fit(TEXTS, LABELS, calibration_folds=folds)


def test_the_temperature_is_fitted_on_cross_validated_scores(small_model):
    # issue 14: calibration uses out-of-fold scores of the training data, 5 folds by default
    assert small_model.metadata["trainer"]["calibration_folds"] == 5
    single = fit(TEXTS, LABELS, seed=0, calibration_folds=1)
    assert single.metadata["trainer"]["calibration_folds"] == 1
    assert single.temperature != small_model.temperature
    assert (
        fit(TEXTS, LABELS, seed=0, calibration_folds=3).to_bytes()
        == fit(TEXTS, LABELS, seed=0, calibration_folds=3).to_bytes()
    )

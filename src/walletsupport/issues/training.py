"""Train and evaluate triage models on labelled messages: ``fit``, ``evaluate``, data files.

``fit`` needs scikit-learn (``pip install "walletsupport[train]"``): it learns a multinomial
logistic regression on the features of ``_features`` and turns it into a pure-Python
[LinearClassifier][walletsupport.issues.LinearClassifier]. ``evaluate`` and the readers need
nothing beyond the core.

The recipe of ``fit`` (deterministic for a given ``seed``):

1. TF-IDF over binary features seen at least ``min_count`` times, and logistic regression
   (L-BFGS, ``C = regularization``).
2. Cross-validated calibration: the messages are cut into ``calibration_folds`` stratified
   folds, and the model is fitted once per fold on the others, so every message gets a score
   from a model that never saw it. On those out-of-fold scores: the softmax temperature that
   minimises the log-loss, each message counted by its ``sample_weight`` (temperature
   scaling, Guo et al. 2017); and, on the first fold, the ``alpha`` / ``beta`` that turn an
   example-centroid similarity into a logit for categories the model never saw (each known
   class replaced in turn by the centroid of its training examples). With
   ``calibration_folds=1`` a single stratified split keeps ``calibration_share`` aside instead.
3. The same model refitted on every message, keeping the temperature and ``alpha`` / ``beta``.
"""

from __future__ import annotations

import csv
import io
import json
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from pydantic import Field

from walletsupport._model import WalletModel
from walletsupport.errors import InvalidInputError
from walletsupport.issues import _features
from walletsupport.issues.classifier import Classifier, LinearClassifier

__all__ = [
    "CategoryReport",
    "Evaluation",
    "ReliabilityBin",
    "evaluate",
    "fit",
    "read_labelled",
]

#: ``progress(done, total, stage)`` is called while ``fit`` works.
Progress = Callable[[int, int, str], None]
_STEP = 100  # L-BFGS iterations between two progress reports
_MAX_ITER = 600
_BINS = 10


def fit(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    seed: int = 0,
    regularization: float = 20.0,
    min_count: int = 2,
    calibration_share: float = 0.2,
    calibration_folds: int = 5,
    sample_weight: Sequence[float] | None = None,
    progress: Progress | None = None,
    metadata: Mapping[str, object] | None = None,
) -> LinearClassifier:
    """Learn a calibrated [LinearClassifier][walletsupport.issues.LinearClassifier].

    Args:
        texts: The messages.
        labels: Their category ids (use ``"other"`` for messages that fit no category).
        seed: Fixes the calibration split; the same data and seed give the same model.
        regularization: Inverse L2 strength of the logistic regression.
        min_count: A feature must occur in this many messages to be kept.
        calibration_share: With ``calibration_folds=1``, the share held out to fit the
            temperature.
        calibration_folds: The number of cross-validation folds whose out-of-fold scores fit
            the temperature (1: one held-out split of ``calibration_share``). A class with
            fewer messages than folds makes the folds unstratified.
        sample_weight: How much each message counts in the loss (default 1 each); raise it
            for the messages most like the ones the model will see.
        progress: Called with ``(done, total, stage)`` while training.
        metadata: Stored in the model file (data sources, licence, figures).

    Returns:
        The model; the class order is the order in which labels first appear.

    Raises:
        InvalidInputError: texts and labels differ in length, are not strings, fewer than
            two classes, or scikit-learn is not installed.

    Examples:
        >>> model = fit(["forgot my pin", "reset my password please", "card stolen",
        ...              "someone stole my card"] * 3,
        ...             ["forgot_password", "forgot_password", "lost_or_stolen",
        ...              "lost_or_stolen"] * 3, calibration_share=0.25)
        >>> model.classes
        ('forgot_password', 'lost_or_stolen')
    """
    texts, labels = _checked(texts, labels)
    if type(seed) is not int or not 0 <= seed < 2**32:
        raise InvalidInputError("seed must be an int in [0, 2**32)")
    if progress is not None and not callable(progress):
        raise InvalidInputError("progress must be callable")
    if metadata is not None:
        if not isinstance(metadata, Mapping):
            raise InvalidInputError("metadata must be a mapping")
        try:
            json.dumps(dict(metadata), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise InvalidInputError("metadata must be JSON-serialisable") from exc
    if type(calibration_share) is not float or not 0.0 < calibration_share < 1.0:
        raise InvalidInputError("calibration_share must be between 0 and 1")
    if type(calibration_folds) is not int or not 1 <= calibration_folds <= min(20, len(texts)):
        raise InvalidInputError("calibration_folds must be an int between 1 and 20")
    if type(min_count) is not int or not 1 <= min_count <= len(texts):
        raise InvalidInputError("min_count must be an int between 1 and the number of messages")
    if not (
        type(regularization) in (int, float)
        and 0 < regularization < 1e12
        and math.isfinite(regularization)
    ):
        raise InvalidInputError("regularization must be a positive number")
    classes = tuple(dict.fromkeys(labels))
    if len(classes) < 2:
        raise InvalidInputError("fit needs messages of at least two classes")
    try:
        import numpy as np
        import sklearn  # noqa: F401
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InvalidInputError(
            'fit needs scikit-learn: pip install "walletsupport[train]"'
        ) from exc

    report = progress or (lambda done, total, stage: None)
    if sample_weight is None:
        weight = np.ones(len(texts))
    else:
        try:
            if isinstance(sample_weight, str | bytes):
                raise TypeError("a string is not a list of weights")
            weight = np.array([float(w) for w in sample_weight])
        except (TypeError, ValueError, OverflowError) as exc:
            raise InvalidInputError("sample_weight needs one positive number per message") from exc
        if len(weight) != len(texts) or not np.all(np.isfinite(weight)) or weight.min() <= 0:
            raise InvalidInputError("sample_weight needs one positive number per message")
    y = np.array([classes.index(label) for label in labels])
    runs = calibration_folds + 1
    per_run = _MAX_ITER // _STEP + 1
    total = runs * per_run + 1
    steps = [0]

    def tick(stage: str) -> None:
        steps[0] += 1
        report(min(steps[0], total), total, stage)

    if calibration_folds > 1:
        fold = _folds(y, calibration_folds, seed)
    else:
        fold = _split(y, calibration_share, seed)
    logits = np.zeros((len(texts), len(classes)))
    for k in range(calibration_folds):
        train_idx, calib_idx = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if len(np.unique(y[train_idx])) >= 2:  # else the held-out part keeps uniform scores
            vectorizer, tfidf, model = _train(
                [texts[i] for i in train_idx],
                y[train_idx],
                weight[train_idx],
                regularization,
                min_count,
                tick,
            )
            matrix = tfidf.transform(vectorizer.transform([texts[i] for i in calib_idx]))
            logits[calib_idx] = _scores(model, matrix, len(classes))
        steps[0] = max(steps[0], (k + 1) * per_run)
    scored = np.flatnonzero(fold >= 0) if calibration_folds > 1 else np.flatnonzero(fold == 0)
    temperature = _temperature(logits[scored], y[scored], weight[scored])
    first_train, first_calib = np.flatnonzero(fold != 0), np.flatnonzero(fold == 0)
    alpha, beta = _extension_calibration(
        [texts[i] for i in first_train],
        y[first_train],
        [texts[i] for i in first_calib],
        logits[first_calib],
        y[first_calib],
        temperature,
    )
    tick("calibrated")
    steps[0] = max(steps[0], total - per_run - 1)
    vectorizer, tfidf, model = _train(texts, y, weight, regularization, min_count, tick)
    coef = model.coef_
    intercept = model.intercept_
    if coef.shape[0] == 1:
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    order = [list(model.classes_).index(i) for i in range(len(classes))]
    weights = coef[order].T
    report(total, total, "done")
    return LinearClassifier(
        classes=classes,
        vocabulary=[str(f) for f in vectorizer.get_feature_names_out()],
        weights=weights.tolist(),
        idf=tfidf.idf_.tolist(),
        bias=intercept[order].tolist(),
        temperature=temperature,
        alpha=alpha,
        beta=beta,
        meta={
            **dict(metadata or {}),
            "trainer": {
                "messages": len(texts),
                "seed": seed,
                "regularization": regularization,
                "min_count": min_count,
                "calibration_share": calibration_share,
                "calibration_folds": calibration_folds,
            },
        },
    )


def _folds(y: Any, folds: int, seed: int) -> Any:
    # the fold of each message: stratified when every class has a message in each fold
    import numpy as np
    from sklearn.model_selection import KFold, StratifiedKFold

    fold = np.zeros(len(y), dtype=int)
    counts = np.bincount(y)
    splitter: Any = (
        StratifiedKFold(folds, shuffle=True, random_state=seed)
        if counts[counts > 0].min() >= folds
        else KFold(folds, shuffle=True, random_state=seed)
    )
    for k, (_, held) in enumerate(splitter.split(np.zeros(len(y)), y)):
        fold[held] = k
    return fold


def _split(y: Any, share: float, seed: int) -> Any:
    # one held-out part (fold 0) of ``share`` of the messages; the rest is fold 1
    import numpy as np
    from sklearn.model_selection import train_test_split

    counts = np.bincount(y)
    stratify = y if counts[counts > 0].min() >= 2 else None
    _, held = train_test_split(
        np.arange(len(y)), test_size=share, random_state=seed, stratify=stratify
    )
    fold = np.ones(len(y), dtype=int)
    fold[held] = 0
    return fold


def _scores(model: Any, matrix: Any, n: int) -> Any:
    # one logit per class index 0..n-1, whichever classes the model was fitted on
    import numpy as np

    raw = np.asarray(model.decision_function(matrix))
    if raw.ndim == 1:  # two classes: scikit-learn returns one margin
        raw = np.stack([-raw / 2, raw / 2], axis=1)
    out = np.full((matrix.shape[0], n), -30.0)  # a class never seen in training: very unlikely
    out[:, model.classes_] = raw
    return out


def _train(
    texts: Sequence[str],
    y: Any,
    weight: Any,
    regularization: float,
    min_count: int,
    tick: Callable[[str], None],
) -> tuple[Any, Any, Any]:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=_features.features, binary=True, min_df=min_count)
    tfidf = TfidfTransformer()
    try:
        matrix = tfidf.fit_transform(vectorizer.fit_transform(texts))
    except ValueError as exc:  # no feature is in min_count messages
        raise InvalidInputError("no feature occurs in min_count messages") from exc
    tick("features")
    model = LogisticRegression(C=regularization, max_iter=_STEP, warm_start=True, tol=1e-4)
    for _ in range(_MAX_ITER // _STEP):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(matrix, y, sample_weight=weight)
        tick("training")
        if int(max(model.n_iter_)) < _STEP:
            break
    return vectorizer, tfidf, model


def _log_softmax(z: Any) -> Any:
    import numpy as np

    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def _temperature(logits: Any, y: Any, weight: Any = None) -> float:
    import numpy as np

    w = np.ones(len(y)) if weight is None else np.asarray(weight, dtype=float)
    w = w / w.sum()

    def loss(t: float) -> float:
        return float(-(_log_softmax(logits / t)[np.arange(len(y)), y] * w).sum())

    # golden-section search on log(T) in [1/8, 8]; the log-loss is unimodal in T
    lo, hi = math.log(0.125), math.log(8.0)
    ratio = (math.sqrt(5) - 1) / 2
    a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
    fa, fb = loss(math.exp(a)), loss(math.exp(b))
    for _ in range(60):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - ratio * (hi - lo)
            fa = loss(math.exp(a))
        else:
            lo, a, fa = a, b, fb
            b = lo + ratio * (hi - lo)
            fb = loss(math.exp(b))
    return round(math.exp((lo + hi) / 2), 6)


def _extension_calibration(
    train: Sequence[str], y_train: Any, calib: Sequence[str], logits: Any, y_calib: Any, t: float
) -> tuple[float, float]:
    import numpy as np
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    vectorizer = CountVectorizer(analyzer=_features.features, binary=True)
    unit = normalize(vectorizer.fit_transform(train).astype(float))
    n_classes = logits.shape[1]
    centroids = np.zeros((n_classes, unit.shape[1]))
    for c in range(n_classes):
        rows = unit[y_train == c]
        if rows.shape[0]:
            centroids[c] = np.asarray(rows.sum(axis=0)).ravel()
    centroids = normalize(centroids)
    # a message's unit vector counts every one of its features, known or not (as at inference)
    lengths = np.array([max(len(_features.features(text)), 1) for text in calib])
    similarity = np.asarray(vectorizer.transform(calib).astype(float) @ centroids.T)
    similarity /= np.sqrt(lengths)[:, None]
    rows = np.arange(len(y_calib))
    best = (math.inf, 10.0, -5.0)
    for alpha in np.linspace(2.0, 40.0, 20):
        for beta in np.linspace(-30.0, 4.0, 18):
            total = 0.0
            for c in range(n_classes):
                z = logits.copy()
                z[:, c] = alpha * similarity[:, c] + beta
                total += float(-_log_softmax(z / t)[rows, y_calib].mean())
            if total < best[0]:
                best = (total, float(alpha), float(beta))
    return best[1], best[2]


# --- evaluation -----------------------------------------------------------------------


class CategoryReport(WalletModel, frozen=True, extra="forbid"):
    """Precision, recall and F1 of one class, and how many messages had it as label."""

    category_id: str
    precision: float = Field(ge=0.0, le=1.0)
    recall: float = Field(ge=0.0, le=1.0)
    f1: float = Field(ge=0.0, le=1.0)
    support: int = Field(ge=0)


class ReliabilityBin(WalletModel, frozen=True, extra="forbid"):
    """Messages whose top confidence fell in ``[low, high)``: their mean confidence and accuracy."""

    low: float
    high: float
    count: int = Field(ge=0)
    confidence: float = Field(ge=0.0, le=1.0)
    accuracy: float = Field(ge=0.0, le=1.0)


class Evaluation(WalletModel, frozen=True, extra="forbid"):
    """How a classifier did on labelled messages.

    Attributes:
        messages: How many were scored.
        accuracy: Share whose top class is the label.
        top3: Share whose label is among the three most likely classes.
        categories: Per-class precision, recall and F1, in label order.
        labels: Row and column order of ``confusion``.
        confusion: ``confusion[i][j]``: messages labelled ``labels[i]`` predicted ``labels[j]``.
        ece: Expected calibration error of the top confidence over ten equal-width bins.
        reliability: The bins behind ``ece``.
    """

    messages: int = Field(ge=1)
    accuracy: float = Field(ge=0.0, le=1.0)
    top3: float = Field(ge=0.0, le=1.0)
    categories: tuple[CategoryReport, ...]
    labels: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]
    ece: float = Field(ge=0.0, le=1.0)
    reliability: tuple[ReliabilityBin, ...]

    def summary(self) -> str:
        """Accuracy, top-3 and calibration error on one line."""
        return (
            f"{self.messages} messages: top-1 {self.accuracy:.1%}, top-3 {self.top3:.1%}, "
            f"ECE {self.ece:.3f}"
        )

    def category_table(self) -> str:
        """Per-category precision, recall, F1 and support as a Markdown table."""
        lines = [
            "| category | precision | recall | F1 | support |",
            "| --- | --- | --- | --- | --- |",
        ]
        for c in self.categories:
            lines.append(
                f"| {c.category_id} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} "
                f"| {c.support} |"
            )
        return "\n".join(lines)

    def reliability_table(self) -> str:
        """The reliability bins as a Markdown table."""
        lines = [
            "| confidence | messages | mean confidence | accuracy |",
            "| --- | --- | --- | --- |",
        ]
        for b in self.reliability:
            if b.count:
                lines.append(
                    f"| {b.low:.1f}–{b.high:.1f} | {b.count} | {b.confidence:.3f} "
                    f"| {b.accuracy:.3f} |"
                )
        return "\n".join(lines)

    def confusion_table(self) -> str:
        """The confusion matrix as text: rows are labels, columns predictions (by index)."""
        width = max(3, *(len(str(v)) for row in self.confusion for v in row))
        head = " " * 4 + " ".join(f"{j:>{width}}" for j in range(len(self.labels)))
        lines = [head]
        for i, row in enumerate(self.confusion):
            cells = " ".join(f"{v:>{width}}" if v else f"{'.':>{width}}" for v in row)
            lines.append(f"{i:>3} {cells}  {self.labels[i]}")
        return "\n".join(lines)

    def confusion_svg(self) -> str:
        """The confusion matrix as an SVG image (row-normalised shading, counts written)."""
        n = len(self.labels)
        cell, left, top = 28, 210, 210
        size_w, size_h = left + n * cell + 10, top + n * cell + 10
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{size_w}" height="{size_h}" '
            'font-family="sans-serif" font-size="11">',
            f'<rect width="{size_w}" height="{size_h}" fill="white"/>',
        ]
        for i, label in enumerate(self.labels):
            y = top + i * cell + cell * 0.65
            parts.append(
                f'<text x="{left - 6}" y="{y:.1f}" text-anchor="end">{escape(label)}</text>'
            )
            x = left + i * cell + cell * 0.65
            parts.append(
                f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-60 {x:.1f} {top - 6})">'
                f"{escape(label)}</text>"
            )
        for i, row in enumerate(self.confusion):
            total = sum(row) or 1
            for j, value in enumerate(row):
                share = value / total
                shade = round(255 * (1 - share))
                colour = f"rgb({shade},{shade},255)" if i == j else f"rgb(255,{shade},{shade})"
                x, y = left + j * cell, top + i * cell
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{colour}" '
                    'stroke="#ddd"/>'
                )
                if value:
                    parts.append(
                        f'<text x="{x + cell / 2}" y="{y + cell * 0.65:.1f}" '
                        f'text-anchor="middle">{value}</text>'
                    )
        parts.append("</svg>")
        return "\n".join(parts)


def evaluate(classifier: Classifier, texts: Sequence[str], labels: Sequence[str]) -> Evaluation:
    """Score ``classifier`` on labelled messages.

    Raises:
        InvalidInputError: texts and labels differ in length or are not strings, or
            ``classifier`` does not follow the Classifier protocol.

    Examples:
        >>> from walletsupport.issues import builtin_classifier
        >>> result = evaluate(builtin_classifier(), ["I lost my card", "忘记密码了"],
        ...                   ["lost_or_stolen", "forgot_password"])
        >>> result.accuracy, result.messages
        (1.0, 2)
    """
    if not isinstance(classifier, Classifier):
        raise InvalidInputError("classifier must have classes and predict_proba")
    texts, labels = _checked(texts, labels)
    classes = tuple(classifier.classes)
    order = tuple(dict.fromkeys([*labels, *classes]))
    at = {label: i for i, label in enumerate(order)}
    confusion = [[0] * len(order) for _ in order]
    top1 = top3 = 0
    bins = [[0, 0.0, 0] for _ in range(_BINS)]
    for text, label in zip(texts, labels, strict=True):
        probs = list(classifier.predict_proba(text))
        ranked = sorted(range(len(classes)), key=lambda i: -probs[i])
        best = classes[ranked[0]]
        confusion[at[label]][at[best]] += 1
        hit = best == label
        top1 += hit
        top3 += label in {classes[i] for i in ranked[:3]}
        confidence = float(probs[ranked[0]])
        slot = bins[min(int(confidence * _BINS), _BINS - 1)]
        slot[0] += 1
        slot[1] += confidence
        slot[2] += hit
    n = len(texts)
    reports = []
    for i, label in enumerate(order):
        predicted = sum(row[i] for row in confusion)
        support = sum(confusion[i])
        if not support and not predicted:
            continue
        right = confusion[i][i]
        precision = right / predicted if predicted else 0.0
        recall = right / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        reports.append(
            CategoryReport(
                category_id=label,
                precision=round(precision, 4),
                recall=round(recall, 4),
                f1=round(f1, 4),
                support=support,
            )
        )
    reliability = tuple(
        ReliabilityBin(
            low=b / _BINS,
            high=(b + 1) / _BINS,
            count=int(count),
            confidence=round(conf / count, 4) if count else 0.0,
            accuracy=round(right / count, 4) if count else 0.0,
        )
        for b, (count, conf, right) in enumerate(bins)
    )
    ece = sum(abs(conf - right) for count, conf, right in bins if count) / n
    return Evaluation(
        messages=n,
        accuracy=round(top1 / n, 4),
        top3=round(top3 / n, 4),
        categories=tuple(reports),
        labels=order,
        confusion=tuple(tuple(row) for row in confusion),
        ece=round(min(ece, 1.0), 4),
        reliability=reliability,
    )


# --- data files -----------------------------------------------------------------------


def read_labelled(
    path: str | Path, *, mapping: Mapping[str, str] | None = None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Messages and labels from a CSV (header with ``text`` and ``label`` or ``category``)
    or JSON Lines file (objects with the same keys); ``mapping`` renames labels.

    Raises:
        InvalidInputError: the file cannot be read, a row lacks text or label, or a label is
            missing from ``mapping``.

    Examples:
        >>> import tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> row = '{"text": "lost my card", "label": "lost_or_stolen"}'
        >>> (folder / "a.jsonl").write_text(row + "\\n")
        52
        >>> read_labelled(folder / "a.jsonl")
        (('lost my card',), ('lost_or_stolen',))
    """
    if mapping is not None and not isinstance(mapping, Mapping):
        raise InvalidInputError("mapping must map labels to category ids")
    try:
        file = Path(path)
        content = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, TypeError, ValueError) as exc:
        raise InvalidInputError("cannot read labelled messages from that path") from exc
    rows: list[Mapping[str, Any]] = []
    if file.suffix.lower() == ".csv":
        try:
            rows = list(csv.DictReader(io.StringIO(content)))
        except csv.Error as exc:
            raise InvalidInputError(f"{file}: not a CSV file") from exc
    else:
        for number, line in enumerate(content.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInputError(f"{file}:{number}: not a JSON object") from exc
            if not isinstance(row, dict):
                raise InvalidInputError(f"{file}:{number}: not a JSON object")
            rows.append(row)
    texts: list[str] = []
    labels: list[str] = []
    for number, row in enumerate(rows, 1):
        text = row.get("text")
        label = row.get("label", row.get("category"))
        if not isinstance(text, str) or not text.strip() or not isinstance(label, str):
            raise InvalidInputError(f"{file}: row {number} needs a text and a label")
        if mapping is not None:
            if label not in mapping:
                raise InvalidInputError(f"{file}: row {number}: label {label!r} is not mapped")
            label = mapping[label]
            if not isinstance(label, str):
                raise InvalidInputError(f"{file}: row {number}: the mapping gives no id")
        texts.append(text)
        labels.append(label)
    return tuple(texts), tuple(labels)


def _checked(texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
    for value in (texts, labels):
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Sequence):
            raise InvalidInputError("texts and labels must be sequences of strings")
    texts, labels = list(texts), list(labels)
    if len(texts) != len(labels) or not texts:
        raise InvalidInputError("texts and labels must be non-empty and of equal length")
    if not all(isinstance(t, str) for t in texts) or not all(isinstance(x, str) for x in labels):
        raise InvalidInputError("texts and labels must be strings")
    return texts, labels

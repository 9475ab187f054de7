"""The fast scoring and result paths of triage agree with their exact, plain definitions."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.issues import (
    IssueCategory,
    IssueRegistry,
    LinearClassifier,
    Triage,
    _features,
    builtin_classifier,
    default_registry,
    triage,
)
from walletsupport.issues.classifier import _readable

DATA = Path(__file__).parents[2] / "data"

#: The fast path adds exact integers where the plain path adds floats; they differ only by
#: floating-point rounding, far below this.
FLOAT_TOLERANCE = 1e-9

_MODEL = builtin_classifier()
_WORDS = sorted(f[1:] for f in _MODEL._packed if f.startswith("=") and " " not in f)[::40]
_GRAMS = sorted(f for f in _MODEL._packed if _features.is_cjk(f))[::40]

texts = (
    st.text(max_size=300)
    | st.text(alphabet="abcdefghijklmnopqrstuvwxyz '忘记密码卡丢了钱没不扣转账", max_size=200)
    | st.lists(st.sampled_from(_WORDS + _GRAMS + ["not", "没", "，"]), max_size=60).map(" ".join)
)


def _argmax(values: list[float]) -> int:
    return max(range(len(values)), key=values.__getitem__)


def _margin(values: list[float]) -> float:
    top, second = sorted(values, reverse=True)[:2]
    return top - second


@settings(max_examples=200, deadline=None)
@given(texts)
def test_the_fast_path_matches_the_exact_float_path_of_the_shipped_model(text: str) -> None:
    feats = _features.features(text)
    exact = _MODEL._exact_proba(feats)
    fast = _MODEL._softmax(_MODEL._logits(feats))
    assert len(fast) == len(exact) == len(_MODEL.classes)
    assert all(abs(a - b) <= FLOAT_TOLERANCE for a, b in zip(fast, exact, strict=True))
    exact_logits = _MODEL._exact_logits(feats)
    if _margin(exact_logits) > FLOAT_TOLERANCE:
        assert _argmax(fast) == _argmax(exact)
    assert _MODEL.predict_proba(text) == fast


# --- a model built from float weights: the fast path carries their 16-bit quantisation ---

_VOCAB = ("=lost", "=card", "ost", "密码", "=not", "!=card", "=lost =card", "丢了")

models = st.builds(
    lambda weights, idf, bias, t: (weights, idf, bias, t),
    st.lists(
        st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=3),
        min_size=len(_VOCAB),
        max_size=len(_VOCAB),
    ),
    st.lists(st.floats(0.5, 5.0), min_size=len(_VOCAB), max_size=len(_VOCAB)),
    st.lists(st.floats(-2, 2), min_size=3, max_size=3),
    st.floats(0.3, 3.0),
)


def _float_logits(feats, weights, idf, bias) -> list[float]:
    present = [i for i, f in enumerate(_VOCAB) if f in feats]
    norm = math.sqrt(sum(idf[i] ** 2 for i in present)) or 1.0
    return [b + sum(weights[i][c] * idf[i] for i in present) / norm for c, b in enumerate(bias)]


def _quantisation_bound(model: LinearClassifier, feats, weights, idf) -> float:
    # each folded weight is off by at most half a step, each squared idf likewise; the
    # logit error follows from |S'/N' - S/N| <= |S' - S|/N' + |S| |N - N'| / (N N')
    present = [i for i, f in enumerate(_VOCAB) if f in feats]
    if not present:
        return 0.0
    n = len(present)
    norm = math.sqrt(sum(idf[i] ** 2 for i in present))
    rounded = math.sqrt(sum(round(idf[i] ** 2 * model._idf_scale) for i in present))
    rounded /= math.sqrt(model._idf_scale)
    d_norm = n * 0.5 / model._idf_scale / (norm + rounded)
    biggest = max(abs(sum(weights[i][c] * idf[i] for i in present)) for c in range(3))
    return n * 0.5 / model._weight_scale / rounded + biggest * d_norm / (norm * rounded)


@settings(max_examples=150, deadline=None)
@given(models, st.lists(st.sampled_from(["lost", "card", "not", "密码", "丢了", "x"]), max_size=9))
def test_the_fast_path_is_within_the_quantisation_error_of_the_float_weights(
    definition, parts: list[str]
) -> None:
    weights, idf, bias, t = definition
    model = LinearClassifier(
        classes=("a", "b", "other"),
        vocabulary=_VOCAB,
        weights=weights,
        idf=idf,
        bias=bias,
        temperature=t,
    )
    feats = _features.features(" ".join(parts))
    exact = _float_logits(feats, weights, idf, bias)
    bound = _quantisation_bound(model, feats, weights, idf) + FLOAT_TOLERANCE
    fast = model._logits(feats)
    assert all(abs(a - b) <= bound for a, b in zip(fast, exact, strict=True))
    # softmax moves each probability by at most half the largest logit change (over t)
    probs = model._softmax(fast)
    top = max(exact)
    exps = [math.exp((z - top) / t) for z in exact]
    plain = [e / sum(exps) for e in exps]
    assert all(abs(a - b) <= 0.5 * bound / t for a, b in zip(probs, plain, strict=True))
    if _margin(exact) > 2 * bound:
        assert _argmax(fast) == _argmax(exact)


def test_the_readable_features_are_those_explain_may_name() -> None:
    assert _MODEL._readable_features() == frozenset(filter(_readable, _MODEL._packed))


# --- triage's own fast path against the general one any Classifier takes -----------------


class _Wrapped:
    """The shipped model behind the plain Classifier protocol: triage's general path."""

    def __init__(self, model: LinearClassifier) -> None:
        self._model = model

    @property
    def classes(self) -> tuple[str, ...]:
        return self._model.classes

    def predict_proba(self, text: str) -> list[float]:
        return self._model._exact_proba(_features.features(text))

    def explain(self, text: str, class_id: str, limit: int = 3):
        return self._model.explain(text, class_id, limit)


def _registries() -> tuple[IssueRegistry, IssueRegistry]:
    def build() -> IssueRegistry:
        registry = IssueRegistry(
            c for c in default_registry() if c.id not in {"app_crash", "feature_inquiry"}
        )
        registry.register(
            IssueCategory.model_validate(
                {
                    **default_registry().get("app_crash").model_dump(),
                    "id": "merchant_settlement",
                    "examples": ("our shop has not been settled", "商户结算没到账"),
                }
            )
        )
        return registry

    fast, general = build(), build()
    general.use_classifier(_Wrapped(fast._scorer()._classifier))  # type: ignore[arg-type]
    return fast, general


_FAST, _GENERAL = _registries()
_BUILTIN_GENERAL = default_registry()
_BUILTIN_GENERAL.use_classifier(_Wrapped(builtin_classifier()))  # type: ignore[arg-type]


def _same(fast: Triage, general: Triage) -> None:
    assert fast.language == general.language
    assert fast.locale == general.locale
    assert fast.truncated == general.truncated
    assert len(fast.candidates) == len(general.candidates)
    for a, b in zip(fast.candidates, general.candidates, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-4)
        if abs(a.score - b.score) < 1e-9:
            assert a.category_id == b.category_id
            assert a.evidence == b.evidence
    # what the library builds without validation is exactly what validation would build
    assert Triage.model_validate(fast.model_dump()) == fast
    assert Triage.model_validate_json(fast.model_dump_json()) == fast


@settings(max_examples=150, deadline=None)
@given(texts.filter(str.strip), st.sampled_from([None, "en", "zh"]))
def test_triage_fast_path_gives_what_the_general_path_gives(text: str, locale) -> None:
    _same(triage(text, locale=locale), triage(text, _BUILTIN_GENERAL, locale=locale))
    _same(triage(text, _FAST, locale=locale), triage(text, _GENERAL, locale=locale))


def test_triage_fast_path_on_the_labelled_messages() -> None:
    for name in ("dev", "holdout"):
        for line in (DATA / f"triage_{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                _same(triage(text), triage(text, _BUILTIN_GENERAL))

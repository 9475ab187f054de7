"""The fast paths of the triage model agree with their plain definitions."""

from __future__ import annotations

import math
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.issues import LinearClassifier, _features, builtin_classifier


def _plain_features(text: str) -> set[str]:
    # every n-gram tried one by one, and each negation's scope found by walking the text
    found: set[str] = set()
    previous = ""
    negated = 0
    pieces = re.findall(
        r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
        r"|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"
        r"(?:'[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)*|[.,;:!?\n。、…]",
        _features.normalise(text),
    )
    for token in pieces:
        if _features.is_cjk(token):
            i = 0
            while i < len(token):
                if token[i] not in "没不未" or any(
                    token[i:].startswith(w) for w in _features.ZH_NOT_NEGATIONS
                ):
                    i += 1
                    continue
                start = i + 1 + (token[i + 1 : i + 2] in ("有", "是"))
                stop = start
                while (
                    stop < len(token)
                    and stop - start < _features.ZH_NEGATION_WINDOW
                    and token[stop] not in "是但而却可就只没不未"
                ):
                    stop += 1
                scope = token[start:stop]
                for size in _features.CJK_SIZES:
                    for k in range(len(scope) - size + 1):
                        found.add("!" + scope[k : k + size])
                i = max(stop, i + 1)
            for size in _features.CJK_SIZES:
                for k in range(len(token) - size + 1):
                    found.add(token[k : k + size])
            previous = ""
            negated = 0
            continue
        if token in ".,;:!?\n。、…":
            previous = ""
            negated = 0
            continue
        word = "=" + token
        if token in _features.EN_NEGATORS or token.endswith("n't"):
            negated = 3
        elif token in _features.EN_CLAUSE_WORDS:
            negated = 0
        elif negated and token not in _features.EN_PASS_WORDS:
            negated -= 1
            found.add("!" + word)
        found.add(word)
        if previous:
            found.add(previous + " " + word)
        previous = word
        padded = " " + token + " "
        for size in _features.CHAR_SIZES:
            for i in range(len(padded) - size + 1):
                found.add(padded[i : i + size])
    return found


words = st.lists(
    st.sampled_from(
        [
            *("a", "bc", "é'", "1", "忘记密码", "没", "有", "是", "不断", "，", "。", ",", "X"),
            *("\n", "not", "didn't", "no", "but", "my", "it"),
        ]
    ),
    max_size=40,
).map(" ".join) | st.text(
    alphabet=st.sampled_from("abcé'1 忘记密码没有不是断，。,X\n"), max_size=120
)


@given(words)
def test_features_agree_with_their_plain_definition(text: str) -> None:
    assert _features.features(text) == _plain_features(text)


def test_long_tokens_beyond_the_slice_cache_are_cut_the_same_way() -> None:
    text = "x" * 200 + " " + "忘" * 150 + "记"
    assert _features.features(text) == _plain_features(text)


def test_normalise_folds_width_case_digits_and_repeats() -> None:
    assert _features.normalise("ＰＬＥＥＥＡＳＥ don’t pay 1999") == "pleease don't pay 0000"
    assert _features.normalise("Ⅻ") == unicodedata.normalize("NFKC", "Ⅻ").lower()


TINY = LinearClassifier(
    classes=("a", "b", "other"),
    vocabulary=("=lost", "=card", "ost", "密码"),
    weights=((2.0, -1.0, 0.0), (0.5, 0.5, -0.2), (1.0, 0.0, 0.0), (-0.7, 1.3, 0.1)),
    idf=(1.5, 1.1, 2.0, 3.0),
    bias=(0.1, -0.1, 0.0),
    temperature=0.9,
)


def _plain_proba(text: str) -> list[float]:
    # dense float arithmetic on the same numbers, no packing
    table = {
        "=lost": ((2.0, -1.0, 0.0), 1.5),
        "=card": ((0.5, 0.5, -0.2), 1.1),
        "ost": ((1.0, 0.0, 0.0), 2.0),
        "密码": ((-0.7, 1.3, 0.1), 3.0),
    }
    present = [table[f] for f in _features.features(text) if f in table]
    norm = math.sqrt(sum(idf * idf for _, idf in present)) or 1.0
    logits = [0.1, -0.1, 0.0]
    for weights, idf in present:
        for c in range(3):
            logits[c] += weights[c] * idf / norm
    top = max(logits)
    exps = [math.exp((z - top) / 0.9) for z in logits]
    return [e / sum(exps) for e in exps]


@given(st.lists(st.sampled_from(["lost", "card", "密码", "cost", "zzz", "boost"]), max_size=12))
def test_packed_scores_agree_with_plain_arithmetic(parts: list[str]) -> None:
    text = " ".join(parts)
    fast = TINY.predict_proba(text)
    assert fast == pytest.approx(_plain_proba(text), abs=1e-3)


def test_a_model_round_trips_through_its_file_format(tmp_path) -> None:
    path = tmp_path / "model.bin"
    TINY.save(path)
    again = LinearClassifier.load(path)
    assert again.classes == TINY.classes
    assert again.predict_proba("lost card 密码") == TINY.predict_proba("lost card 密码")
    assert again.to_bytes() == TINY.to_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"PICKLE" + data,
        lambda data: data[:-5],
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),
        lambda data: data.replace(b'"format": 1', b'"format": 9'),
    ],
)
def test_a_damaged_or_foreign_file_is_a_configuration_error(damage) -> None:
    with pytest.raises(ConfigurationError):
        LinearClassifier.from_bytes(damage(TINY.to_bytes()))


def test_an_unreadable_path_is_invalid_input(tmp_path) -> None:
    with pytest.raises(InvalidInputError):
        LinearClassifier.load(tmp_path / "missing.bin")


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=300))
def test_the_shipped_model_gives_a_distribution(text: str) -> None:
    probs = builtin_classifier().predict_proba(text)
    assert len(probs) == len(builtin_classifier().classes)
    assert sum(probs) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in probs)

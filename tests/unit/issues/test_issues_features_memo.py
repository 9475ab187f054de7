"""Keeping the n-grams of recent words changes nothing in what ``features`` returns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.issues import _features

# --- a copy of ``_grams`` as it was before the n-grams of short strings were kept ---


def _reference_grams(text: str, table: list[list[slice]], longest: int) -> list[str]:
    n = len(text)
    if n <= _features._CACHED:
        return list(map(text.__getitem__, table[n]))
    found: list[str] = []
    step = _features._CACHED - longest + 1
    for start in range(0, n - longest + 1, step):
        window = text[start : start + _features._CACHED]
        found.extend(map(window.__getitem__, table[len(window)]))
    return found


def _reference_features(text: str) -> set[str]:
    # ``features`` itself, with the copy of ``_grams`` above in place of the kept one (so
    # this stays a check of the memory alone, whatever else ``features`` comes to do)
    kept = _features._grams
    try:
        _features._grams = _reference_grams  # type: ignore[assignment]
        return _features.features(text)
    finally:
        _features._grams = kept


texts = st.text(max_size=400) | st.lists(
    st.sampled_from(["card", "lost", "not", "didn't", "忘记密码", "没收到", "x" * 70, "卡" * 70]),
    max_size=30,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_features_are_those_of_the_implementation_without_kept_grams(text: str) -> None:
    assert _features.features(text) == _reference_features(text)  # kept or new
    assert _features.features(text) == _reference_features(text)  # kept for sure


@given(st.lists(st.text(alphabet="abc忘记", min_size=1, max_size=8), min_size=1, max_size=50))
def test_the_kept_grams_stay_bounded_and_right_when_the_memory_is_full(words: list[str]) -> None:
    limit = _features._SEEN_MAX
    try:
        _features._SEEN_MAX = 8
        for seen in _features._SEEN.values():
            seen.clear()
        for word in words:
            assert _features.features(word) == _reference_features(word)
        assert all(len(seen) <= 8 for seen in _features._SEEN.values())
    finally:
        _features._SEEN_MAX = limit

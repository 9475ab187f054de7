"""Text to features for the triage model: the same pure function at training and at inference.

A message becomes a set of string features, so the model never depends on a tokenizer,
a dictionary or a word segmenter:

* ``normalise``: NFKC (full-width letters and digits fold to ASCII), lower case, curly
  apostrophes read as ``'``, every digit read as ``0`` (amounts and dates generalise), runs of
  three or more equal letters shortened to two ("pleeease" -> "pleease").
* Latin words give themselves (``"=card"``), each pair of neighbouring words
  (``"=lost =card"``) and the character 3-, 4- and 5-grams of the word padded with spaces
  (``" ca"``, ``"car"`` ...), so typos, inflections and compounds share most features.
* Runs of Chinese characters give every character 1-, 2- and 3-gram: no segmenter is needed
  and a word the model never saw still shares its characters with ones it did.
* Negation scope, as features the model weighs like any other: the three words after an
  English negator ("not", "never", "didn't" ...) also appear as ``"!=word"``, and the two
  characters after 没, 不 or 未 as ``"!xx"``, so "I did not forget my password" can learn
  to differ from "I forgot my password" where the data says it should.

The work is linear in the length of the text and the result is a set, so a message that
repeats one phrase a thousand times has as few features as the phrase.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__: list[str] = []

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{CJK_CHARS}]+|[^\W_{CJK_CHARS}]+(?:'[^\W_{CJK_CHARS}]+)*")
_CJK_START = re.compile(f"[{CJK_CHARS}]")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_DIGITS = re.compile(r"\d")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
CHAR_SIZES = (3, 4, 5)
CJK_SIZES = (1, 2, 3)
_EN_NEGATORS = frozenset({"not", "no", "never", "nothing", "nor", "without"})
_ZH_NEGATORS = frozenset("没不未")
_NEGATION_WINDOW = 3
_CACHED = 64  # slice lists are kept for strings up to this length


def _slices(length: int, sizes: tuple[int, ...]) -> list[slice]:
    return [slice(i, i + size) for size in sizes for i in range(length - size + 1)]


_CHAR_SLICES = [_slices(n, CHAR_SIZES) for n in range(_CACHED + 1)]
_CJK_SLICES = [_slices(n, CJK_SIZES) for n in range(_CACHED + 1)]


_SEEN_MAX = 2048  # the n-grams of this many recent short strings are kept, per table
_SEEN_LENGTH = 16  # "short": at most 45 n-grams each; all kept take at most about 15 MB
_SEEN: dict[int, dict[str, tuple[str, ...]]] = {id(_CHAR_SLICES): {}, id(_CJK_SLICES): {}}


def _grams(text: str, table: list[list[slice]], longest: int) -> Sequence[str]:
    # every n-gram of ``text``; a long text is cut into cached windows that overlap by
    # ``longest - 1`` characters, so each n-gram lies whole inside one window. A short
    # text's n-grams are kept: words recur, and a kept n-gram's hash is computed already
    n = len(text)
    if n <= _SEEN_LENGTH:
        seen = _SEEN[id(table)]
        grams = seen.get(text)
        if grams is None:
            if len(seen) >= _SEEN_MAX:
                seen.clear()
            grams = seen[text] = tuple(map(text.__getitem__, table[n]))
        return grams
    if n <= _CACHED:
        return list(map(text.__getitem__, table[n]))
    found: list[str] = []
    step = _CACHED - longest + 1
    for start in range(0, n - longest + 1, step):
        window = text[start : start + _CACHED]
        found.extend(map(window.__getitem__, table[len(window)]))
    return found


def normalise(text: str) -> str:
    """The text as the model reads it (see the module docstring)."""
    folded = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    return _REPEATS.sub(r"\1\1", _DIGITS.sub("0", folded))


def tokens(normalised: str) -> list[str]:
    """Latin words and runs of Chinese characters, in order."""
    return _TOKEN.findall(normalised)


def is_cjk(token: str) -> bool:
    """True when ``token`` is a run of Chinese characters."""
    return _CJK_START.match(token) is not None


def features(text: str) -> set[str]:
    """The feature set of ``text`` (already stripped and cut to length by the caller)."""
    found: set[str] = set()
    update = found.update
    add = found.add
    previous = ""
    negated = 0
    for token in tokens(normalise(text)):
        if _CJK_START.match(token) is not None:
            update(_grams(token, _CJK_SLICES, CJK_SIZES[-1]))
            if not _ZH_NEGATORS.isdisjoint(token):
                for i, char in enumerate(token[:-1]):
                    if char in _ZH_NEGATORS:
                        add("!" + token[i + 1 : i + 3])
            previous = ""
            negated = 0
            continue
        word = "=" + token
        add(word)
        if negated:
            add("!" + word)
            negated -= 1
        if token in _EN_NEGATORS or token.endswith("n't"):
            negated = _NEGATION_WINDOW
        if previous:
            add(previous + " " + word)
        previous = word
        update(_grams(" " + token + " ", _CHAR_SLICES, CHAR_SIZES[-1]))
    return found

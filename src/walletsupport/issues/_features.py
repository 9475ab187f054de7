"""Text to features for the triage model: the same pure function at training and at inference.

A message becomes a set of string features, so the model never depends on a tokenizer,
a dictionary or a word segmenter:

* ``normalise``: NFKC (full-width letters and digits fold to ASCII), lower case, curly
  apostrophes read as ``'``, every digit read as ``0`` (amounts and dates generalise), runs of
  three or more equal letters shortened to two ("pleeease" -> "pleease").
* Latin words give themselves (``"=card"``), each pair of neighbouring words of one clause
  (``"=lost =card"``; not across punctuation) and the character 3-, 4- and 5-grams of the
  word padded with spaces (``" ca"``, ``"car"`` ...), so typos, inflections and compounds
  share most features.
* Runs of Chinese characters give every character 1-, 2- and 3-gram: no segmenter is needed
  and a word the model never saw still shares its characters with ones it did.
* Negation scope, as features the model weighs like any other: the next three content words
  after an English negator ("not", "never", "didn't", "dont" ...; "my", "the" ... are passed
  over) also appear as ``"!=word"``, and the character 1- to 3-grams of the next four
  characters after 没 / 没有, 不 / 不是 or 未 as ``"!xx"``. A scope ends where its clause
  ends: at punctuation (",", ".", "，", "。" ...), at a word that starts a new clause ("but",
  "and", "it", "just" ...) or a character that does (是, 但, 而, 却 ...), so in "I did not
  forget my password, my account is locked" only "forget" and "password" are denied. Words
  such as 不断 ("keeps ...") deny nothing. A denied word keeps its plain features as well: on
  held-out data, dropping them lost more (most negations are the complaint itself, "my refund
  hasn't arrived") than it won.

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
#: words and Chinese runs as ``_TOKEN`` finds them, and the punctuation that ends a clause
_PIECE = re.compile(rf"{_TOKEN.pattern}|[.,;:!?\n\u3002\u3001\u2026]")
_CJK_START = re.compile(f"[{CJK_CHARS}]")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_DIGITS = re.compile(r"\d")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
CHAR_SIZES = (3, 4, 5)
CJK_SIZES = (1, 2, 3)
#: English negators; so is any word ending in "n't", and these spellings without the apostrophe
EN_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nothing",
        "nor",
        "without",
        "cannot",
        "dont",
        "didnt",
        "doesnt",
        "cant",
        "wont",
        "isnt",
        "wasnt",
        "arent",
        "werent",
        "havent",
        "hasnt",
        "hadnt",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "aint",
    ]
)
#: words that start a new clause, so they end a negation's scope ("not X but Y", "..., it was Y")
EN_CLAUSE_WORDS = frozenset(
    [
        "but",
        "and",
        "or",
        "so",
        "then",
        "because",
        "cause",
        "since",
        "though",
        "although",
        "however",
        "instead",
        "rather",
        "it",
        "it's",
        "its",
        "i'm",
        "im",
        "just",
        "only",
        "actually",
    ]
)
#: words a negation reaches over without spending its window on them ("not lose my card")
EN_PASS_WORDS = frozenset(
    [
        "my",
        "the",
        "a",
        "an",
        "your",
        "our",
        "any",
        "me",
        "to",
        "his",
        "her",
        "their",
        "this",
        "that",
        "even",
        "ever",
    ]
)
#: the number of content words a negation reaches
NEGATION_WINDOW = 3
ZH_NEGATORS = frozenset("没不未")
#: characters that, after a negator, close its scope ("不是忘记密码，是账户被锁了")
ZH_CLAUSE_CHARS = frozenset("是但而却可就只")
#: the characters a Chinese negation reaches
ZH_NEGATION_WINDOW = 4
#: words starting with a negator character that deny nothing ("不断闪退": keeps crashing)
ZH_NOT_NEGATIONS = (
    "不断",
    "不停",
    "不小心",
    "不好意思",
    "不久",
    "不管",
    "不过",
    "不少",
    "不同",
    "不然",
)
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


def is_negator(word: str) -> bool:
    """True when the (normalised) English ``word`` negates what follows it."""
    return word in EN_NEGATORS or word.endswith("n't")


def _negated_spans(token: str) -> list[tuple[int, int]]:
    # the scopes of the negators in a run of Chinese characters, as [start, stop) spans
    spans: list[tuple[int, int]] = []
    n = len(token)
    i = 0
    while i < n:
        if token[i] not in ZH_NEGATORS or token.startswith(ZH_NOT_NEGATIONS, i):
            i += 1
            continue
        start = i + 1
        if start < n and token[start] in "有是":  # 没有, 不是: the negator is two characters
            start += 1
        stop = start
        while (
            stop < n
            and stop - start < ZH_NEGATION_WINDOW
            and token[stop] not in ZH_CLAUSE_CHARS
            and token[stop] not in ZH_NEGATORS
        ):
            stop += 1
        if stop > start:
            spans.append((start, stop))
        i = max(stop, i + 1)
    return spans


def _cjk_features(token: str, found: set[str]) -> None:
    found.update(_grams(token, _CJK_SLICES, CJK_SIZES[-1]))
    if not ZH_NEGATORS.isdisjoint(token):
        for start, stop in _negated_spans(token):
            found.update("!" + gram for gram in _grams(token[start:stop], _CJK_SLICES, 3))


def features(text: str) -> set[str]:
    """The feature set of ``text`` (already stripped and cut to length by the caller)."""
    found: set[str] = set()
    update = found.update
    add = found.add
    previous = ""
    negated = 0
    for token in _PIECE.findall(normalise(text)):
        if _CJK_START.match(token) is not None:
            _cjk_features(token, found)
            previous = ""
            negated = 0
            continue
        if len(token) == 1 and not token.isalnum():  # punctuation ends a clause
            previous = ""
            negated = 0
            continue
        word = "=" + token
        if is_negator(token):
            negated = NEGATION_WINDOW
        elif token in EN_CLAUSE_WORDS:
            negated = 0
        elif negated and token not in EN_PASS_WORDS:
            negated -= 1
            add("!" + word)
        add(word)
        if previous:
            add(previous + " " + word)
        previous = word
        update(_grams(" " + token + " ", _CHAR_SLICES, CHAR_SIZES[-1]))
    return found

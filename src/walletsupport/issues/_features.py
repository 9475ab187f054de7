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

The work is linear in the length of the text and the result is a set, so a message that
repeats one phrase a thousand times has as few features as the phrase.
"""

from __future__ import annotations

import re
import unicodedata

__all__: list[str] = []

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{CJK_CHARS}]+|[^\W_{CJK_CHARS}]+(?:'[^\W_{CJK_CHARS}]+)*")
_CJK_START = re.compile(f"[{CJK_CHARS}]")
_REPEATS = re.compile(r"([^\W\d_])\1{2,}")
_DIGITS = re.compile(r"\d")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
CHAR_SIZES = (3, 4, 5)
CJK_SIZES = (1, 2, 3)


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
    add = found.add
    previous = ""
    for token in tokens(normalise(text)):
        if is_cjk(token):
            length = len(token)
            for size in CJK_SIZES:
                for i in range(length - size + 1):
                    add(token[i : i + size])
            previous = ""
            continue
        word = "=" + token
        add(word)
        if previous:
            add(previous + " " + word)
        previous = word
        padded = " " + token + " "
        length = len(padded)
        for size in CHAR_SIZES:
            if size > length:
                break
            for i in range(length - size + 1):
                add(padded[i : i + size])
    return found

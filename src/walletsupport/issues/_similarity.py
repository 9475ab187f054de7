"""The second triage signal: how close a message is to each category's own data.

Keywords are precise but brittle: "there's a payment to a store I've never been to" names no
vocabulary phrase of ``unauthorized_transaction`` and still obviously belongs there. This
module scores a message by its TF-IDF cosine similarity to one centroid per category, built
from that category's ``examples`` and positive vocabulary terms, so an integrator's category
gets the signal for free from the data it already carries.

Features (shared by training and scanning, so they always agree):

* English: the light stem of each content word (function words such as "the", "my", "hello"
  are skipped), stem bigrams of neighbouring content words, and character 3- to 5-grams of
  each content word padded with ``<`` and ``>``, which tolerate typos and inflections
  ("recognise" / "recognize", "closes" / "closing").
* Chinese, without a segmenter: character bigrams and trigrams of every run of Chinese
  characters, and single characters at a lower weight.

Each training document is L2-normalised before it joins its category's centroid, so many
short vocabulary terms do not outweigh the examples. A category's column per feature is
``idf * centroid`` and is precomputed, so scanning a message is a handful of dictionary
lookups and one transposed sum. Per-word results are cached (bounded), and the whole model
is built once per registry, next to the keyword matcher.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from walletsupport.issues import _text
from walletsupport.issues.categories import IssueCategory
from walletsupport.values import Locale

__all__: list[str] = []

_GRAM_SIZES = (3, 4, 5)
_GRAM_WEIGHT = 0.25  # each character gram of an English word
_STEM_WEIGHT = 1.0  # the stem of an English content word
_BIGRAM_WEIGHT = 1.0  # two neighbouring English content stems
_ZH_WEIGHTS = ((1, 0.3), (2, 1.0), (3, 1.0))  # (gram length, weight) for Chinese
_TERM_DOC_WEIGHT = 0.5  # a vocabulary term counts as this share of an example (at weight 3)
_CACHE_LIMIT = 50_000

Features = dict[str, float]


def en_word_features(word: str) -> Features:
    """The features of one English content word: its stem and its character grams."""
    features: Features = {"w:" + _text.stem(word): _STEM_WEIGHT}
    padded = f"<{word}>"
    for size in _GRAM_SIZES:
        for i in range(len(padded) - size + 1):
            gram = "g:" + padded[i : i + size]
            features[gram] = features.get(gram, 0.0) + _GRAM_WEIGHT
    return features


def is_content_word(word: str) -> bool:
    """Whether an English token carries meaning for similarity (not a function word)."""
    return len(word) > 1 and word not in _text.FUNCTION_WORDS and not word.isdigit()


def text_features(text: str) -> Features:
    """All features of an already normalised text (used for training documents)."""
    features: Features = {}
    previous: str | None = None
    for match in _text.TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "word":
            for piece in _text.expand(match.group()):
                if not is_content_word(piece):
                    continue
                for key, value in en_word_features(piece).items():
                    features[key] = features.get(key, 0.0) + value
                stem = _text.stem(piece)
                if previous is not None:
                    key = f"b:{previous} {stem}"
                    features[key] = features.get(key, 0.0) + _BIGRAM_WEIGHT
                previous = stem
        else:
            previous = None
            if kind == "cjk":
                run = match.group()
                for size, weight in _ZH_WEIGHTS:
                    for i in range(len(run) - size + 1):
                        key = run[i : i + size]
                        features[key] = features.get(key, 0.0) + weight
    return features


def _training_documents(category: IssueCategory) -> Iterable[tuple[Features, float]]:
    for example in category.examples:
        yield text_features(_text.normalise(example)), 1.0
    for term in category.vocabulary:
        if term.weight <= 0:
            continue
        joiner = " " if term.locale is Locale.EN else ""
        text = joiner.join(term.parts).replace("*", "")
        yield text_features(_text.normalise(text)), _TERM_DOC_WEIGHT * min(term.weight, 3.0) / 3


class SimilarityModel:
    """TF-IDF centroids of a set of categories. Not part of the public API."""

    def __init__(self, categories: Sequence[IssueCategory]) -> None:
        self.size = len(categories)
        documents: list[tuple[int, Features, float]] = []
        for ci, category in enumerate(categories):
            for features, weight in _training_documents(category):
                if features:
                    documents.append((ci, features, weight))
        frequency: dict[str, int] = {}
        for _, features, _ in documents:
            for key in features:
                frequency[key] = frequency.get(key, 0) + 1
        count = len(documents)
        self._idf = {key: math.log((1 + count) / (1 + df)) + 1.0 for key, df in frequency.items()}
        centroids: list[dict[str, float]] = [{} for _ in categories]
        for ci, features, weight in documents:
            vector = {key: value * self._idf[key] for key, value in features.items()}
            norm = math.sqrt(sum(v * v for v in vector.values()))
            centroid = centroids[ci]
            for key, value in vector.items():
                centroid[key] = centroid.get(key, 0.0) + weight * value / norm
        for centroid in centroids:
            norm = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            for key in centroid:
                centroid[key] /= norm
        self._columns: dict[str, tuple[float, ...]] = {
            key: tuple(centroid.get(key, 0.0) * idf for centroid in centroids)
            for key, idf in self._idf.items()
        }
        self._zero = (0.0,) * self.size
        # Chinese grams, pre-scaled by their weight: gram -> (column, squared length share).
        self._zh: dict[str, tuple[tuple[float, ...], float]] = {}
        for size, weight in _ZH_WEIGHTS:
            for key, column in self._columns.items():
                if len(key) == size and _text.CJK_RUN.fullmatch(key):
                    self._zh[key] = (
                        tuple(weight * c for c in column),
                        (weight * self._idf[key]) ** 2,
                    )
        self._words: dict[str, tuple[tuple[float, ...], float, str] | None] = {}

    def _word(self, word: str) -> tuple[tuple[float, ...], float, str] | None:
        if not is_content_word(word):
            return None
        total = list(self._zero)
        squares = 0.0
        columns = self._columns
        for key, value in en_word_features(word).items():
            column = columns.get(key)
            if column is None:
                continue  # unseen features do not count: the message is measured on what we know
            squares += (value * self._idf[key]) ** 2
            for ci in range(self.size):
                total[ci] += value * column[ci]
        return tuple(total), squares, _text.stem(word)

    def similarities(self, words: Sequence[str], text: str, cjk_chars: int) -> list[float]:
        """Cosine similarity of a message to each category, in category order.

        ``words`` are the message's English tokens in order (contractions split), with ``""``
        wherever a break or a Chinese run interrupts them; ``text`` is the normalised text.
        """
        vectors: list[tuple[float, ...]] = []
        squares = 0.0
        columns = self._columns
        idf = self._idf
        cache = self._words
        previous: str | None = None
        for word in words:
            if not word:
                previous = None
                continue
            if word in cache:
                known = cache[word]
            else:
                known = self._word(word)
                if len(cache) < _CACHE_LIMIT:
                    cache[word] = known
            if known is None:
                continue  # a function word
            vector, square, stem = known
            vectors.append(vector)
            squares += square
            if previous is not None:
                key = f"b:{previous} {stem}"
                column = columns.get(key)
                if column is not None:
                    vectors.append(column)
                    squares += idf[key] ** 2
            previous = stem
        if cjk_chars:
            zh = self._zh
            for run in _text.CJK_RUN.finditer(text):
                chunk = run.group()
                for i, char in enumerate(chunk):
                    found = zh.get(char)
                    if found is None:
                        continue  # no known gram starts with an unknown character
                    vectors.append(found[0])
                    squares += found[1]
                    found = zh.get(chunk[i : i + 2])
                    if found is None or i + 2 > len(chunk):
                        continue  # a known trigram always starts with a known bigram
                    vectors.append(found[0])
                    squares += found[1]
                    found = zh.get(chunk[i : i + 3])
                    if found is not None and i + 3 <= len(chunk):
                        vectors.append(found[0])
                        squares += found[1]
        if not vectors or squares <= 0.0:
            return list(self._zero)
        norm = math.sqrt(squares)
        return [min(1.0, total / norm) for total in map(sum, zip(*vectors, strict=True))]

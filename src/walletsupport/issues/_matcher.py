"""The compiled matcher behind triage: built once per registry, then a linear scan per message.

English: the text becomes tokens (contractions split, words stemmed, unknown words of four or
more letters corrected to a vocabulary word one edit away); every vocabulary phrase is indexed
by its first word key, so each token only tries the phrases that can start there.

Chinese: no segmenter. Each vocabulary phrase is indexed by its first character and tried with
``str.startswith`` at every Chinese character of the text, which is dictionary longest match
restricted to our own vocabulary. A general segmenter (jieba) would add a dependency, a 20 MB
dictionary and a second of load time, and it still splits colloquial complaints such as
登不上去 or 钱被扣了两次 in ways our phrases would have to follow; matching our phrases directly
handles them, and "…" gaps (忘…密码) cover the variants in between.

Both: when matches overlap, a longer match hides every shorter match strictly inside it
(whatever category it belongs to), so "can't log in" is not read as a negated "log in" and a
zero-weight mask silences a misleading keyword. A negator that survives (not, never, 没有,
不是 ...) denies the term that starts right after it in the same clause (in English with
only content-free words in between).

Context: each term's specificity is measured once, on the categories' own examples (how often
it fires in its own category's examples against the others'). A term's generic part counts
less when another category has specific evidence in the same message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from walletsupport.issues import _text
from walletsupport.issues._similarity import SimilarityModel
from walletsupport.issues.categories import IssueCategory, TermEvidence, TriageTerm
from walletsupport.values import Locale

__all__: list[str] = []

_NEGATOR = -1  # category index used for negator pseudo-terms
_TOKEN_CACHE_LIMIT = 50_000
#: Specificity prior: a term needs this many of its own examples' worth of evidence before
#: firing in other categories' examples can make it look generic.
SPECIFICITY_PRIOR = 2.0
#: How far a generic term's weight may fall when other categories have specific evidence.
GENERIC_DISCOUNT = 1.0
#: Specific evidence of this weight elsewhere applies half of the discount.
CONTEXT_HALF = 2.0


_Token = tuple[str, tuple[str, ...], bool]  # (English word or "", its keys, is a break)
_CJK_TOKEN: _Token = ("", (), False)  # a run of Chinese characters
_BREAK_TOKEN: _Token = ("", (), True)


@dataclass(frozen=True, slots=True)
class _Entry:
    category: int
    term: int
    parts: tuple[tuple[str, ...], ...]  # English: word keys per part; Chinese: one string per part
    required: frozenset[str] = frozenset()  # English: every key the phrase needs


_EN_NEGATOR = _Entry(_NEGATOR, 0, ())  # the entry of every English negator


@dataclass(slots=True)
class Hit:
    """One category's share of the evidence in one message."""

    raw: float = 0.0
    evidence: dict[int, TermEvidence] = field(default_factory=dict)  # by term index
    generic: float = 0.0  # the part of ``raw`` owed to generic terms


@dataclass(slots=True)
class Scan:
    """The result of scanning one message."""

    hits: dict[int, Hit]
    cjk_chars: int
    latin_words: int
    words: list[str]  # English tokens in order, "" at breaks and Chinese runs


class Matcher:
    """Vocabulary of a set of categories, compiled for scanning. Not part of the public API."""

    def __init__(self, categories: Sequence[IssueCategory]) -> None:
        self.categories = tuple(categories)
        self.similarity = SimilarityModel(self.categories)
        self._en: dict[str, tuple[list[_Entry], list[_Entry]]] = {}  # (one word, longer)
        self._evidence: dict[tuple[int, int], tuple[TermEvidence, TermEvidence]] = {}
        self._zh: dict[str, list[tuple[str, _Entry]]] = {}
        self._en_keys: set[str] = set()
        self._prefixes: set[str] = set()
        self._fuzzy: dict[str, set[str]] = {}
        self._cache: dict[str, tuple[_Token, ...]] = {}
        self._seen: set[tuple[int, tuple[tuple[str, ...], ...]]] = set()
        for ci, category in enumerate(self.categories):
            for ti, term in enumerate(category.vocabulary):
                self._add(ci, ti, term)
        for ti, negator in enumerate(_text.ZH_NEGATORS):
            self._zh.setdefault(negator[0], []).append(
                (negator, _Entry(_NEGATOR, ti, ((negator,),)))
            )
        for options in self._zh.values():
            options.sort(key=lambda item: -sum(len(p[0]) for p in item[1].parts))
        self._zh_pairs = _pair_index(self._zh)
        self._prefix_lengths = sorted({len(p) for p in self._prefixes})
        self._generic: dict[tuple[int, int], float] = {}  # weight * (1 - specificity)
        self._generic = {
            (ci, ti): self.categories[ci].vocabulary[ti].weight * (1.0 - specificity)
            for (ci, ti), specificity in self._measure_specificity().items()
            if self.categories[ci].vocabulary[ti].weight > 0
        }

    def _measure_specificity(self) -> dict[tuple[int, int], float]:
        # How specific each term is, learned from the categories' own examples: a term that
        # fires as often in other categories' examples as in its own ("card", "怎么", "app")
        # names a topic, not the issue. (own + prior) / (own + other + prior); a term that
        # never fires in another category's example keeps 1.
        own: dict[tuple[int, int], int] = {}
        other: dict[tuple[int, int], int] = {}
        for ei, category in enumerate(self.categories):
            for example in category.examples:
                for ci, hit in self.scan(_text.normalise(example)).hits.items():
                    for ti, evidence in hit.evidence.items():
                        if evidence.negated or evidence.weight <= 0:
                            continue
                        counts = own if ci == ei else other
                        counts[ci, ti] = counts.get((ci, ti), 0) + 1
        return {
            key: (own.get(key, 0) + SPECIFICITY_PRIOR)
            / (own.get(key, 0) + count + SPECIFICITY_PRIOR)
            for key, count in other.items()
        }

    # --- compile -------------------------------------------------------------------------

    def _add(self, ci: int, ti: int, term: TriageTerm) -> None:
        self._evidence[ci, ti] = (
            TermEvidence(term=term.text, locale=term.locale, weight=term.weight),
            TermEvidence(term=term.text, locale=term.locale, weight=term.weight, negated=True),
        )
        if term.locale is Locale.ZH:
            parts = tuple((p.replace(" ", ""),) for p in term.parts)
            if (ci, parts) in self._seen:
                return
            self._seen.add((ci, parts))
            self._zh.setdefault(parts[0][0][0], []).append((parts[0][0], _Entry(ci, ti, parts)))
            return
        keyed: list[tuple[str, ...]] = []
        for part in term.parts:
            keys: list[str] = []
            for word in part.split():
                for piece in _text.expand(word):
                    keys.append(self._word_key(piece))
            keyed.append(tuple(keys))
        entry = _Entry(ci, ti, tuple(keyed), frozenset(k for part in keyed for k in part))
        if (ci, entry.parts) in self._seen:
            return  # two spellings of one term ("crash", "crashes") count once
        self._seen.add((ci, entry.parts))
        single, longer = self._en.setdefault(entry.parts[0][0], ([], []))
        (single if entry.parts == ((entry.parts[0][0],),) else longer).append(entry)

    def _word_key(self, word: str) -> str:
        if word.endswith("*"):
            self._prefixes.add(word[:-1])
            return word
        key = _text.stem(word)
        self._en_keys.add(key)
        if word.isalpha():
            base = word[:-1] if word.endswith("e") else word
            for surface in (word, word + "s", base + "ed", base + "ing"):
                if len(surface) >= 5 and _text.stem(surface) == key:
                    for variant in _text.deletions(surface):
                        self._fuzzy.setdefault(variant, set()).add(surface)
        return key

    # --- scan ------------------------------------------------------------------------------

    def _word_tokens(self, word: str) -> tuple[_Token, ...]:
        # The tokens of one word of the text (contractions split) with their keys, cached
        # per word: the same words recur in every message.
        cached = self._cache.get(word)
        if cached is None:
            cached = tuple((piece, self._keys(piece), False) for piece in _text.expand(word))
            if len(self._cache) < _TOKEN_CACHE_LIMIT:
                self._cache[word] = cached
        return cached

    def _keys(self, word: str) -> tuple[str, ...]:
        keys: list[str] = []
        key = _text.stem(word)
        if key in self._en_keys:
            keys.append(key)
        for length in self._prefix_lengths:
            if len(word) >= length and word[:length] in self._prefixes:
                keys.append(word[:length] + "*")
        if not keys and len(word) >= 4 and word.isalpha() and word not in _text.COMMON_WORDS:
            target = self._correct(word)
            if target is not None:
                keys.append(_text.stem(target))
        return tuple(keys)

    def _correct(self, word: str) -> str | None:
        candidates: set[str] = set()
        for variant in _text.deletions(word):
            candidates |= self._fuzzy.get(variant, set())
        close = sorted(c for c in candidates if _text.within_one_edit(word, c))
        return close[0] if close else None

    def scan(self, text: str) -> Scan:
        """Scan normalised text; return per-category raw scores and evidence."""
        found: list[tuple[int, int, int, _Entry]] = []  # (start, end, script, entry)
        words, cjk_chars, latin_words = self._tokens(text)
        self._scan_en(words, found)
        if cjk_chars:
            self._scan_zh(text, found)
        hits = self._score(found, words, text)
        return Scan(hits, cjk_chars, latin_words, [token[0] for token in words])

    def _tokens(self, text: str) -> tuple[list[_Token], int, int]:
        tokens: list[_Token] = []
        cjk_chars = 0
        latin_words = 0
        for cjk, word, _ in _text.TOKEN.findall(text):  # exactly one of the groups is set
            if word:
                if not word.isdigit():
                    latin_words += 1
                tokens.extend(self._word_tokens(word))
            elif cjk:
                cjk_chars += len(cjk)
                tokens.append(_CJK_TOKEN)
            else:
                tokens.append(_BREAK_TOKEN)
        return tokens, cjk_chars, latin_words

    def _scan_en(
        self,
        tokens: list[_Token],
        found: list[tuple[int, int, int, _Entry]],
    ) -> None:
        n = len(tokens)
        present: set[str] = set()
        for token in tokens:
            present.update(token[1])
        for i in range(n):
            raw, keys, _ = tokens[i]
            if (
                raw in _text.EN_NEGATORS
                and (i + 1 >= n or tokens[i + 1][0] not in _text.EN_NEGATION_EXCEPTIONS)
                and (i == 0 or tokens[i - 1][0] not in _text.EN_INABILITY)
            ):
                found.append((i, i + 1, 0, _EN_NEGATOR))
            for key in keys:
                options = self._en.get(key)
                if options is None:
                    continue
                for entry in options[0]:
                    found.append((i, i + 1, 0, entry))
                for entry in options[1]:
                    if not entry.required <= present:
                        continue
                    end = _match_en(tokens, i, entry.parts)
                    if end:
                        found.append((i, end, 0, entry))

    def _scan_zh(self, text: str, found: list[tuple[int, int, int, _Entry]]) -> None:
        pairs = self._zh_pairs
        for run in _text.CJK_RUN.finditer(text):
            for i in range(run.start(), run.end()):
                # The phrases that can start here, narrowed by the next character when it
                # is known; else those whose first part is this one character.
                options = pairs.get(text[i : i + 2])
                if options is None:
                    options = pairs.get(text[i])
                    if options is None:
                        continue
                for first, entry in options:
                    if not text.startswith(first, i):
                        continue
                    end = i + len(first)
                    for part in entry.parts[1:]:
                        piece = part[0]
                        at = text.find(piece, end, end + _text.ZH_GAP + len(piece))
                        if at < 0 or _text.has_break(text, end, at):
                            end = -1
                            break
                        end = at + len(piece)
                    if end > 0:
                        found.append((i, end, 1, entry))

    def _score(
        self,
        found: list[tuple[int, int, int, _Entry]],
        tokens: list[_Token],
        text: str,
    ) -> dict[int, Hit]:
        found.sort(key=lambda f: (f[2], f[0] - f[1], f[0]))
        kept: list[tuple[int, int, int, _Entry]] = []
        longer: list[tuple[int, int, int]] = []  # spans of kept matches longer than one unit
        for item in found:
            start, end, script, _ = item
            size = end - start
            hidden = False
            for k_start, k_end, k_script in longer:
                if (
                    k_script == script
                    and k_start <= start
                    and end <= k_end
                    and k_end - k_start > size
                ):
                    hidden = True
                    break
            if not hidden:
                kept.append(item)
                if size > 1:
                    longer.append((start, end, script))
        negators = [(k[0], k[1], k[2]) for k in kept if k[3].category == _NEGATOR]
        hits: dict[int, Hit] = {}
        for start, _end, script, entry in kept:
            if entry.category == _NEGATOR:
                continue
            plain, denied = self._evidence[entry.category, entry.term]
            if plain.weight == 0:
                continue
            negated = any(
                _denies(n_start, n_end, n_script, start, script, tokens, text)
                for n_start, n_end, n_script in negators
            )
            hit = hits.setdefault(entry.category, Hit())
            previous = hit.evidence.get(entry.term)
            if previous is None or (previous.negated and not negated):
                hit.evidence[entry.term] = denied if negated else plain
        generic_weights = self._generic
        any_generic = False
        for ci, hit in hits.items():
            raw = generic = 0.0
            for ti, e in hit.evidence.items():
                if not e.negated:
                    raw += e.weight
                    generic += generic_weights.get((ci, ti), 0.0)
            hit.raw = max(0.0, raw)
            hit.generic = generic
            any_generic = any_generic or generic > 0
        if any_generic and len(hits) > 1 and GENERIC_DISCOUNT > 0:
            # Context: a generic term counts less when another category has specific evidence
            # ("my card was stolen" is about theft, not about adding a card).
            specific = {ci: hit.raw - hit.generic for ci, hit in hits.items()}
            for ci, hit in hits.items():
                if hit.generic <= 0:
                    continue
                pressure = max(v for cj, v in specific.items() if cj != ci)
                if pressure > 0:
                    share = pressure / (pressure + CONTEXT_HALF)
                    hit.raw = max(0.0, hit.raw - hit.generic * GENERIC_DISCOUNT * share)
        return hits


def _pair_index(
    index: dict[str, list[tuple[str, _Entry]]],
) -> dict[str, list[tuple[str, _Entry]]]:
    # The first-character index narrowed by the second character, so a scan tries only the
    # phrases that can match: "ab" -> the phrases starting with "ab" or whose first part is
    # the single character "a"; "a" -> only the latter (for any other next character).
    # Each list keeps the order of the first-character index.
    pairs: dict[str, list[tuple[str, _Entry]]] = {}
    for char, options in index.items():
        singles = [item for item in options if len(item[0]) == 1]
        if singles:
            pairs[char] = singles
        for second in {first[1] for first, _ in options if len(first) > 1}:
            pairs[char + second] = [
                item for item in options if len(item[0]) == 1 or item[0][1] == second
            ]
    return pairs


def _match_en(tokens: list[_Token], start: int, parts: tuple[tuple[str, ...], ...]) -> int:
    end = _match_words(tokens, start, parts[0])
    if not end:
        return 0
    for part in parts[1:]:
        position = end
        next_end = 0
        while position <= end + _text.EN_GAP and position < len(tokens):
            next_end = _match_words(tokens, position, part)
            if next_end or tokens[position][2]:
                break
            position += 1
        if not next_end:
            return 0
        end = next_end
    return end


def _match_words(tokens: list[_Token], start: int, keys: tuple[str, ...]) -> int:
    end = start + len(keys)
    if end > len(tokens):
        return 0
    position = start
    for key in keys:
        if key not in tokens[position][1]:
            return 0
        position += 1
    return end


def _denies(
    n_start: int,
    n_end: int,
    n_script: int,
    start: int,
    script: int,
    tokens: list[_Token],
    text: str,
) -> bool:
    if n_script != script or n_start >= start:
        return False
    if script == 0:
        if start - n_start > _text.EN_NEGATION_WINDOW:
            return False
        # Only words without content may sit in between: "not my password" denies the
        # password, "doesn't match the quote" denies the match, not the quote.
        return all(
            not tokens[i][2] and (not tokens[i][0] or tokens[i][0] in _text.FUNCTION_WORDS)
            for i in range(n_end, start)
        )
    if start - n_end > _text.ZH_NEGATION_WINDOW:
        return False
    return not _text.has_break(text, n_end, start)

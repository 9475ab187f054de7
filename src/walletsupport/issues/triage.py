"""Triage: rank the registered issue categories for a customer's free-text message.

Offline and deterministic: no model, no network, no randomness. The same text and registry
always give the same [Triage][walletsupport.issues.Triage].

How a message is read (details in ``docs/triage.md``):

1. The first ``MAX_ANALYSED_CHARS`` characters after stripping are normalised (NFKC, lower
   case, "sooo" -> "soo"), so a 100 KB paste costs the same as a long message.
2. English words are stemmed and contractions split; an unknown word of four or more letters
   one edit away from a vocabulary word counts as that word ("pasword"). Chinese is matched
   character by character against the vocabulary phrases (no segmenter needed).
3. Longer matches hide shorter ones inside them; a negator (not, never, 不是, 没有 ...)
   right before a term denies it, so "I did NOT forget my password" is no evidence for
   ``forgot_password``.
4. Each category's raw score is the sum of the weights of its distinct terms that fired
   (negative cues subtract); the generic part of a topic word ("card", 怎么), learned from
   how often it fires in other categories' examples, counts less when another category has
   specific evidence. Scores in [0, 1] combine strength, ``raw / (raw + 2)``, with the
   share of all evidence, so one strong phrase alone scores 0.6 and rivals pull it down.
5. Unless the keywords are decisive, the message's TF-IDF similarity to each category's own
   examples and vocabulary (``_similarity.py``) adds up to ``SIMILARITY_WEIGHT`` to the
   closest categories, so indirect descriptions with no keyword still rank the right
   category, and a similarity-only answer is always ``unsure``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import EmptyTextError, InvalidInputError
from walletsupport.issues import _text
from walletsupport.issues.categories import TermEvidence
from walletsupport.issues.registry import IssueRegistry, default_registry
from walletsupport.values import Locale

__all__ = [
    "MAX_ANALYSED_CHARS",
    "DetectedLanguage",
    "TermEvidence",
    "Triage",
    "TriageCandidate",
    "triage",
]

#: Only this many characters (after stripping) are analysed; the rest is ignored.
MAX_ANALYSED_CHARS = 4000
#: The runner-up is "close" when its score is at least this share of the top score.
UNSURE_RATIO = 0.8
_SATURATION = 2.0
#: The most the similarity signal adds to a category, in vocabulary-weight units (a strong
#: keyword is 2, a phrase that names the issue 3).
SIMILARITY_WEIGHT = 1.5
_MIN_SIMILARITY = 0.02  # below this the message resembles nothing we know
_FULL_SIMILARITY = 0.25  # at or above this the similarity signal has its full weight
_SHARPNESS = 1.5  # how fast the signal falls off for less similar categories
_DECISIVE = 3.0  # keyword evidence this strong and far ahead makes similarity moot
_MIN_BOOST = 0.05  # a category with no keyword evidence needs this much similarity weight
_SIMILAR_KEPT = 3  # how many of the closest categories the similarity signal may support
_RELATIVE_FLOOR = 0.5  # ... and only those at least this share as close as the best


class DetectedLanguage(WalletEnum):
    """The language triage found in the message.

    Examples:
        >>> triage("app一直crash").language
        <DetectedLanguage.MIXED: 'mixed'>
    """

    EN = "en"
    ZH = "zh"
    MIXED = "mixed"


class TriageCandidate(WalletModel, frozen=True, extra="forbid"):
    """One ranked category with its score and the evidence behind it.

    ``evidence`` lists the vocabulary terms that fired; ``similarity`` is the cosine
    similarity of the message to the category's examples and vocabulary (0 when the keywords
    were decisive and it was not computed). A candidate with no evidence was put there by
    similarity alone.

    Examples:
        >>> top = triage("钱被扣了两次").top
        >>> top.category_id, 0.0 < top.score <= 1.0
        ('transaction_dispute', True)
    """

    category_id: str
    score: float = Field(ge=0.0, le=1.0)
    evidence: tuple[TermEvidence, ...] = ()
    similarity: float = Field(default=0.0, ge=0.0, le=1.0)


class Triage(WalletModel, frozen=True, extra="forbid"):
    """The ranked outcome of triaging one message.

    Attributes:
        candidates: Categories with positive evidence, best first (may be empty).
        language: The language detected in the message.
        locale: The locale to answer in: the one asked for, else Chinese for Chinese or mixed
            text and English otherwise.
        unsure: Nothing fired, or the top two scores are close.
        truncated: The message was longer than ``MAX_ANALYSED_CHARS``.

    Examples:
        >>> result = triage("the refund button crashes the app")
        >>> result.top.category_id, result.unsure
        ('app_crash', False)
        >>> result.is_confident(0.5)
        True
        >>> triage("🙂🙂").candidates, triage("🙂🙂").unsure
        ((), True)
    """

    candidates: tuple[TriageCandidate, ...]
    language: DetectedLanguage
    locale: Locale
    unsure: bool
    truncated: bool = False

    @model_validator(mode="after")
    def _sorted(self) -> Triage:
        scores = [c.score for c in self.candidates]
        if scores != sorted(scores, reverse=True):
            raise PydanticCustomError(
                "walletsupport.triage_order", "candidates must be sorted by score, best first"
            )
        return self

    @property
    def top(self) -> TriageCandidate | None:
        """The best candidate, or ``None`` when nothing fired."""
        return self.candidates[0] if self.candidates else None

    def ranked_ids(self, limit: int | None = None) -> tuple[str, ...]:
        """Category ids best first, at most ``limit`` of them.

        Raises:
            InvalidInputError: ``limit`` is neither ``None`` nor an int.

        Examples:
            >>> triage("I was charged twice").ranked_ids(1)
            ('transaction_dispute',)
        """
        if limit is not None and (type(limit) is not int):
            raise InvalidInputError(f"limit must be an int or None, not {type(limit).__name__}")
        ids = tuple(c.category_id for c in self.candidates)
        return ids if limit is None else ids[: max(limit, 0)]

    def is_confident(self, threshold: float = 0.5) -> bool:
        """True when triage is not unsure and the top score reaches ``threshold``.

        Raises:
            InvalidInputError: ``threshold`` is outside [0, 1].

        Examples:
            >>> triage("locked out after 3 tries, pls help!!").is_confident(0.5)
            True
            >>> triage("hello").is_confident()
            False
        """
        if not isinstance(threshold, int | float) or not 0.0 <= threshold <= 1.0:
            raise InvalidInputError("threshold must be a number in [0, 1]")
        top = self.top
        return top is not None and not self.unsure and top.score >= threshold


def triage(
    text: str,
    registry: IssueRegistry | None = None,
    locale: Locale | str | None = None,
) -> Triage:
    """Rank the registry's categories for ``text``.

    Args:
        text: The customer's message, in English, Simplified Chinese or a mix.
        registry: The categories to choose from; the built-ins when omitted.
        locale: The customer's language if known. It does not restrict matching (customers
            mix languages); it becomes ``Triage.locale`` and decides the language of text
            with no letters at all.

    Returns:
        The ranked [Triage][walletsupport.issues.Triage].

    Raises:
        EmptyTextError: ``text`` is empty or only whitespace.
        InvalidInputError: ``text`` is not a string, ``registry`` not a registry, or
            ``locale`` not ``"en"``/``"zh"``.

    Examples:
        >>> triage("手机丢了，支付宝里的钱被人转走了").top.category_id
        'unauthorized_transaction'
        >>> triage("I did NOT forget my password, my account is locked").top.category_id
        'account_locked'
        >>> triage("不是我忘了密码，是账号被锁了").top.category_id
        'account_locked'
        >>> triage("   ")
        Traceback (most recent call last):
        ...
        walletsupport.errors.EmptyTextError: cannot triage empty or whitespace-only text
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"text must be a string, not {type(text).__name__}")
    if registry is None:
        registry = _builtin_registry()
    elif not isinstance(registry, IssueRegistry):
        raise InvalidInputError(f"registry must be an IssueRegistry, not {type(registry).__name__}")
    hint = None if locale is None else Locale(locale)
    stripped = text.strip()
    if not stripped:
        raise EmptyTextError("cannot triage empty or whitespace-only text")
    truncated = len(stripped) > MAX_ANALYSED_CHARS
    matcher = registry._compiled()
    normalised = _text.normalise(stripped[:MAX_ANALYSED_CHARS])
    scan = matcher.scan(normalised)

    keyword = [0.0] * len(matcher.categories)
    denied: list[int] = []
    first = second = 0.0
    for ci, hit in scan.hits.items():
        raw = keyword[ci] = hit.raw
        if raw > first:
            first, second = raw, first
        elif raw > second:
            second = raw
        elif raw <= 0 and any(e.negated and e.weight > 0 for e in hit.evidence.values()):
            denied.append(ci)  # the customer denied it ("I did not forget my password")
    if first >= _DECISIVE and first - second > SIMILARITY_WEIGHT:
        # Decisive keywords: no similarity could change the leader, so it is not computed.
        similarity = [0.0] * len(keyword)
    else:
        similarity = matcher.similarity.similarities(scan.words, normalised, scan.cjk_chars)
        for ci in denied:
            similarity[ci] = 0.0
    boost = _similarity_weights(similarity)
    combined = [k + b for k, b in zip(keyword, boost, strict=True)]
    total = sum(combined)
    ranked = sorted(
        [ci for ci in range(len(combined)) if keyword[ci] > 0 or boost[ci] >= _MIN_BOOST],
        key=combined.__getitem__,
        reverse=True,  # stable: ties keep registration order
    )
    candidates = tuple(
        TriageCandidate.model_construct(
            category_id=matcher.categories[ci].id,
            score=_score(combined[ci], total),
            evidence=_evidence(scan.hits[ci].evidence.values()) if ci in scan.hits else (),
            similarity=round(similarity[ci], 4),
        )
        for ci in ranked
    )
    fired = any(raw > 0 for raw in keyword)
    language = _language(scan.cjk_chars, scan.latin_words, hint)
    unsure = not fired or (
        len(candidates) > 1 and candidates[1].score >= UNSURE_RATIO * candidates[0].score
    )
    return Triage.model_construct(
        candidates=candidates,
        language=language,
        locale=hint or (Locale.EN if language is DetectedLanguage.EN else Locale.ZH),
        unsure=unsure,
        truncated=truncated,
    )


@cache
def _builtin_registry() -> IssueRegistry:
    # A private, never-exposed registry of the built-ins, so triage(text) does not recompile
    # the vocabulary on every call. Nobody can register into it.
    return default_registry()


def _similarity_weights(similarity: list[float]) -> list[float]:
    # The similarity signal as keyword-equivalent weight: the closest category gets up to
    # SIMILARITY_WEIGHT (scaled by how close it is in absolute terms), the next ones a
    # sharply smaller share, so strong keyword evidence still decides and weak evidence gets
    # help. Only the _SIMILAR_KEPT closest categories, and only those at least _RELATIVE_FLOOR
    # as close as the best, get anything.
    best = max(similarity, default=0.0)
    if best < _MIN_SIMILARITY:
        return [0.0] * len(similarity)
    strength = SIMILARITY_WEIGHT * min(1.0, best / _FULL_SIMILARITY)
    # a stable sort: ties keep registration order
    kept = sorted(range(len(similarity)), key=similarity.__getitem__, reverse=True)[:_SIMILAR_KEPT]
    weights = [0.0] * len(similarity)
    for ci in kept:
        if similarity[ci] >= _RELATIVE_FLOOR * best:
            weights[ci] = strength * (similarity[ci] / best) ** _SHARPNESS
    return weights


def _score(raw: float, total: float) -> float:
    strength = raw / (raw + _SATURATION)
    share = raw / total if total > 0 else 0.0
    return round(min(1.0, strength * (0.5 + 0.5 * share)), 4)


def _evidence(items: Iterable[TermEvidence]) -> tuple[TermEvidence, ...]:
    return tuple(sorted(items, key=lambda e: (e.negated, -e.weight, e.term)))


def _language(cjk_chars: int, latin_words: int, hint: Locale | None) -> DetectedLanguage:
    if not cjk_chars and not latin_words:
        return DetectedLanguage.ZH if hint is Locale.ZH else DetectedLanguage.EN
    if not cjk_chars:
        return DetectedLanguage.EN
    if not latin_words:
        return DetectedLanguage.ZH
    cjk_words = cjk_chars / 2.0  # about two characters per Chinese word
    minority = min(cjk_words, latin_words) / (cjk_words + latin_words)
    if minority >= 0.3:
        return DetectedLanguage.MIXED
    return DetectedLanguage.ZH if cjk_words > latin_words else DetectedLanguage.EN

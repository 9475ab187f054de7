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
   (negative cues subtract). Scores in [0, 1] combine strength, ``raw / (raw + 2)``, with the
   share of all evidence, so one strong phrase alone scores 0.6 and rivals pull it down.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import cache

from pydantic import BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

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


class DetectedLanguage(StrEnum):
    """The language triage found in the message.

    Examples:
        >>> triage("app一直crash").language
        <DetectedLanguage.MIXED: 'mixed'>
    """

    EN = "en"
    ZH = "zh"
    MIXED = "mixed"


class TriageCandidate(BaseModel, frozen=True, extra="forbid"):
    """One ranked category with its score and the evidence behind it.

    Examples:
        >>> top = triage("钱被扣了两次").top
        >>> top.category_id, 0.0 < top.score <= 1.0
        ('transaction_dispute', True)
    """

    category_id: str
    score: float = Field(ge=0.0, le=1.0)
    evidence: tuple[TermEvidence, ...] = ()


class Triage(BaseModel, frozen=True, extra="forbid"):
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

        Examples:
            >>> triage("I was charged twice").ranked_ids(1)
            ('transaction_dispute',)
        """
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
    hint: Locale | None = None
    if locale is not None:
        try:
            hint = Locale(locale)
        except ValueError:
            raise InvalidInputError(f"unknown locale {locale!r}; use 'en' or 'zh'") from None
    stripped = text.strip()
    if not stripped:
        raise EmptyTextError("cannot triage empty or whitespace-only text")
    truncated = len(stripped) > MAX_ANALYSED_CHARS
    matcher = registry._compiled()
    scan = matcher.scan(_text.normalise(stripped[:MAX_ANALYSED_CHARS]))

    total = sum(hit.raw for hit in scan.hits.values())
    ranked = sorted(
        ((ci, hit) for ci, hit in scan.hits.items() if hit.raw > 0),
        key=lambda item: (-item[1].raw, item[0]),
    )
    candidates = tuple(
        TriageCandidate.model_construct(
            category_id=matcher.categories[ci].id,
            score=_score(hit.raw, total),
            evidence=_evidence(hit.evidence.values()),
        )
        for ci, hit in ranked
    )
    language = _language(scan.cjk_chars, scan.latin_words, hint)
    unsure = not candidates or (
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

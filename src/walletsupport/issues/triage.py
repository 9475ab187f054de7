"""Triage: rank the registered issue categories for a customer's free-text message.

Offline and deterministic: no network, no randomness. The same text and registry always give
the same [Triage][walletsupport.issues.Triage].

How a message is read (details in ``docs/triage.md``):

1. The first ``MAX_ANALYSED_CHARS`` characters after stripping are kept, so a 100 KB paste
   costs the same as a long message; the cost is linear in the length.
2. The registry's [Classifier][walletsupport.ports.Classifier] (the shipped
   [LinearClassifier][walletsupport.issues.LinearClassifier] unless the integrator set their
   own) gives calibrated probabilities. Registry categories the shipped model does not know
   are scored from their examples; built-in classes missing from the registry count as
   ``other`` ("nothing in the registry fits").
3. Candidates are ranked by probability. The top one is ``other`` when "none of these" is
   the most likely answer; triage is ``unsure`` when the runner-up is close to the top.

Speed: with a [LinearClassifier][walletsupport.issues.LinearClassifier] the features are
computed once and serve both the scores and the evidence; what depends only on the registry
(which class counts as which id, the order that breaks ties) is worked out once per registry
state; and the result models, built here from values that are valid by construction, skip
pydantic's validation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._construct import built
from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import EmptyTextError, InvalidInputError
from walletsupport.issues import _features
from walletsupport.issues.categories import OTHER_ID, TermEvidence
from walletsupport.issues.classifier import LinearClassifier
from walletsupport.issues.registry import IssueRegistry, _Scorer, default_registry
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
#: The runner-up is "close" when its probability is at least this share of the top one.
UNSURE_RATIO = 0.5
#: Candidates below this probability are not listed (the top one always is).
MIN_SCORE = 0.01
_EXPLAINED = 3  # how many of the best candidates get their evidence


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
    """One ranked category with its calibrated probability and the evidence behind it.

    ``category_id`` is a registry id, or ``"other"`` (the answer "none of these").
    ``score`` is the calibrated probability: among answers given with score 0.8, about
    80 % are right. ``evidence`` names the model features of the message that raised this
    category most (words, word pairs, Chinese character groups the model learned; never
    other text of the message), with their share of that support as ``weight``; only the
    three best candidates carry evidence.

    Examples:
        >>> top = triage("钱被扣了两次").top
        >>> top.category_id, 0.0 < top.score <= 1.0
        ('transaction_dispute', True)
    """

    category_id: str
    score: float = Field(ge=0.0, le=1.0)
    evidence: tuple[TermEvidence, ...] = ()


class Triage(WalletModel, frozen=True, extra="forbid"):
    """The ranked outcome of triaging one message.

    Attributes:
        candidates: Categories (and ``other``) with probability at least ``MIN_SCORE``,
            best first; never empty.
        language: The language detected in the message.
        locale: The locale to answer in: the one asked for, else Chinese for Chinese or mixed
            text and English otherwise.
        unsure: The runner-up's probability is at least ``UNSURE_RATIO`` of the top one.
        truncated: The message was longer than ``MAX_ANALYSED_CHARS``.

    Examples:
        >>> result = triage("the refund button crashes the app")
        >>> result.top.category_id, result.unsure
        ('app_crash', False)
        >>> result.is_confident(0.5)
        True
        >>> triage("what's the weather like in Paris tomorrow").is_other
        True
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
        """The best candidate (``None`` only for an empty, hand-built value)."""
        return self.candidates[0] if self.candidates else None

    @property
    def is_other(self) -> bool:
        """True when the best answer is ``other``: no category of the registry fits."""
        top = self.top
        return top is None or top.category_id == OTHER_ID

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
        """True when the top is a category (not ``other``), triage is not unsure, and its
        probability reaches ``threshold``.

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
        return not self.is_other and top is not None and not self.unsure and top.score >= threshold


def triage(
    text: str,
    registry: IssueRegistry | None = None,
    locale: Locale | str | None = None,
) -> Triage:
    """Rank the registry's categories, and ``other``, for ``text``.

    Args:
        text: The customer's message, in English, Simplified Chinese or a mix.
        registry: The categories to choose from, and the classifier that scores them (see
            [IssueRegistry.use_classifier][walletsupport.issues.IssueRegistry.use_classifier]);
            the built-ins and the shipped model when omitted.
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
        >>> triage("could you activate my card").top.category_id
        'card_delivery'
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
    analysed = stripped[:MAX_ANALYSED_CHARS]
    plan = _plan(registry._scorer())
    model = plan.model
    if model is not None:
        feats = _features.features(analysed)
        rows = model._rows_of(feats)  # one look-up per feature serves scores and evidence
        kept = plan.keep(model._softmax(model._logits(feats, rows)))
        index = plan.index
        readable = model._readable_rows(feats, rows)
        candidates = tuple(
            [
                built(
                    TriageCandidate,
                    {
                        "category_id": category_id,
                        "score": round(min(max(score, 0.0), 1.0), 4),
                        # evidence for the three best, the ones an agent reads
                        "evidence": _evidence(
                            model._explain_class(feats, index[category_id], 3, readable)
                        )
                        if category_id != OTHER_ID and rank < _EXPLAINED
                        else (),
                    },
                )
                for rank, (category_id, score) in enumerate(kept)
            ]
        )
    else:
        scorer = plan.scorer
        ranked, handle = scorer.rank(analysed)
        kept = [pair for pair in ranked if pair[1] >= MIN_SCORE] or ranked[:1]
        candidates = tuple(
            built(
                TriageCandidate,
                {
                    "category_id": category_id,
                    "score": round(min(max(score, 0.0), 1.0), 4),
                    "evidence": _evidence(scorer.explain(analysed, handle, category_id))
                    if category_id != OTHER_ID and rank < _EXPLAINED
                    else (),
                },
            )
            for rank, (category_id, score) in enumerate(kept)
        )
    language = _language(analysed, hint)
    unsure = len(candidates) > 1 and candidates[1].score >= UNSURE_RATIO * candidates[0].score
    return built(
        Triage,
        {
            "candidates": candidates,
            "language": language,
            "locale": hint or (Locale.EN if language is DetectedLanguage.EN else Locale.ZH),
            "unsure": unsure,
            "truncated": truncated,
        },
    )


class _Plan:
    """What triage needs of a registry's scorer, worked out once per scorer.

    With a ``LinearClassifier`` triage scores the features itself, so they also serve the
    evidence; ``keep`` maps the model's probabilities onto registry ids and ``other`` (a
    class the registry lacks counts as ``other``), exactly as ``_Scorer.rank`` does, and keeps
    those of at least ``MIN_SCORE`` (the best one always), best first, ties in registry order.
    """

    __slots__ = ("index", "keep", "model", "scorer")

    def __init__(self, scorer: _Scorer) -> None:
        self.scorer = scorer
        classifier = scorer._classifier
        self.model = classifier if isinstance(classifier, LinearClassifier) else None
        targets: tuple[str, ...] = scorer._targets
        order: dict[str, int] = scorer._order
        classes = tuple(classifier.classes)
        # the model's class behind each registry id it scores (not ``other``)
        self.index = {
            cid: i
            for i, (cid, target) in enumerate(zip(classes, targets, strict=True))
            if cid == target and cid != OTHER_ID
        }
        keys = tuple(order[t] for t in targets)
        merged = dict.fromkeys(targets, 0.0)

        def distinct(probs: Sequence[float]) -> list[tuple[str, float]]:
            found = [
                (-p, key, target)
                for p, key, target in zip(probs, keys, targets, strict=True)
                if p >= MIN_SCORE
            ]
            if not found:
                found = [min(zip((-p for p in probs), keys, targets, strict=True))]
            found.sort()
            return [(target, -p) for p, _, target in found]

        def merging(probs: Sequence[float]) -> list[tuple[str, float]]:
            totals = dict.fromkeys(merged, 0.0)
            for target, p in zip(targets, probs, strict=True):
                totals[target] += p
            ranked = sorted(totals.items(), key=lambda kv: (-kv[1], order[kv[0]]))
            return [pair for pair in ranked if pair[1] >= MIN_SCORE] or ranked[:1]

        self.keep: Callable[[Sequence[float]], list[tuple[str, float]]] = (
            distinct if len(merged) == len(targets) else merging
        )


_last_plan: _Plan | None = None


def _plan(scorer: _Scorer) -> _Plan:
    # one plan kept: the registry's scorer is rebuilt (a new object) whenever the registry
    # changes, so a plan is never stale
    global _last_plan
    plan = _last_plan
    if plan is None or plan.scorer is not scorer:
        plan = _Plan(scorer)
        _last_plan = plan
    return plan


@cache
def _builtin_registry() -> IssueRegistry:
    # A private, never-exposed registry of the built-ins, so triage(text) binds the shipped
    # model to it once. Nobody can register into it.
    return default_registry()


def _evidence(items: tuple[tuple[str, float], ...]) -> tuple[TermEvidence, ...]:
    is_cjk = _features.is_cjk
    return tuple(
        [
            built(
                TermEvidence,
                {
                    "term": term,
                    "locale": Locale.ZH if is_cjk(term) else Locale.EN,
                    "weight": weight,
                    "negated": False,
                },
            )
            for term, weight in items
        ]
    )


def _language(text: str, hint: Locale | None) -> DetectedLanguage:
    cjk_chars = latin_words = 0
    for token in _features.tokens(text):
        if _features.is_cjk(token):
            cjk_chars += len(token)
        elif not token.isdigit():
            latin_words += 1
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

"""Issue categories: the values that describe one kind of customer problem.

An [IssueCategory][walletsupport.issues.IssueCategory] carries everything the rest of the
library needs about a kind of issue: its names and guidance in English and Chinese, how urgent
it is, which verification action it implies, what the customer should have ready before a call,
and the vocabulary that [triage][walletsupport.issues.triage] uses to recognise it. The
vocabulary is data, so an integrator adds a category with its own words and triage picks it
up without any code change.
"""

from __future__ import annotations

import re
from typing import ClassVar

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import ConfigurationError, WalletSupportError
from walletsupport.values import Locale
from walletsupport.verification import VerificationAction

__all__ = [
    "OTHER_ID",
    "ChecklistItem",
    "IssueCategory",
    "IssueGroup",
    "TermEvidence",
    "TriageTerm",
    "Urgency",
]

_ID_PATTERN = r"^[a-z][a-z0-9_]{1,63}$"

OTHER_ID = "other"
"""The reserved id of the answer "none of these".

The message is not a wallet-support matter, or nothing in the registry fits. It is not a
category to file under: triage may answer it, but no
[IssueCategory][walletsupport.issues.IssueCategory] can take this id, so a registry never holds
it and ``registry.get("other")`` raises ``UnknownIssueCategoryError``.
"""
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: A gap marker inside a term: "forgot … password" also matches "forgot my password".
GAP = "…"
_EN_WORD = re.compile(r"^[^\W_]+(?:'[^\W_]+)*\*?$")


class Urgency(WalletEnum):
    """How soon support should act, as a small ordered scale: ``low < normal < high < critical``.

    Members compare by rank, not alphabetically, and serialise as their names.

    Examples:
        >>> Urgency.CRITICAL > Urgency.HIGH > Urgency.NORMAL > Urgency.LOW
        True
        >>> max([Urgency.NORMAL, Urgency.CRITICAL, Urgency.LOW])
        <Urgency.CRITICAL: 'critical'>
        >>> Urgency.HIGH.rank
        2
    """

    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """The position on the scale, 0 for ``low`` up to 3 for ``critical``."""
        return _URGENCY_RANK[self.value]

    def __lt__(self, other: str) -> bool:
        return self.rank < _require_urgency(other).rank

    def __le__(self, other: str) -> bool:
        return self.rank <= _require_urgency(other).rank

    def __gt__(self, other: str) -> bool:
        return self.rank > _require_urgency(other).rank

    def __ge__(self, other: str) -> bool:
        return self.rank >= _require_urgency(other).rank


_URGENCY_RANK = {"low": 0, "normal": 1, "high": 2, "critical": 3}


def _require_urgency(other: object) -> Urgency:
    # Urgency is a str, so falling back to str ordering would silently compare alphabetically.
    if not isinstance(other, Urgency):
        raise TypeError(f"cannot order Urgency against {type(other).__name__}")
    return other


class IssueGroup(WalletEnum):
    """The parent group of an issue category: the seven groups of taxonomy v2, plus ``other``.

    ``other`` holds no built-in category; it is there for an integrator's category that fits
    none of the seven groups. (The answer "none of these" is the reserved id
    [OTHER_ID][walletsupport.issues.OTHER_ID], not a group.)

    Examples:
        >>> IssueGroup("account_access") is IssueGroup.ACCOUNT_ACCESS
        True
        >>> [g.value for g in IssueGroup][:4]
        ['account_access', 'security', 'payments', 'disputes']
    """

    ACCOUNT_ACCESS = "account_access"
    SECURITY = "security"
    PAYMENTS = "payments"
    DISPUTES = "disputes"
    CARDS = "cards"
    TECHNICAL = "technical"
    HOW_TO = "how_to"
    OTHER = "other"


class ChecklistItem(WalletModel, frozen=True, extra="forbid"):
    """One thing the customer should have ready before contacting support.

    Items name *where to find* information (the last four digits of a card, a transaction id),
    never a secret: support never asks for a full card number, a CVC, a one-time code or a
    password (PCI DSS v4.0 Req. 3.3.1, ``PCI_NO_SAD_AFTER_AUTH``; NIST SP 800-63B).

    Examples:
        >>> item = ChecklistItem(id="device", en="Your phone", zh="您的手机")
        >>> item.text("zh")
        '您的手机'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    id: str = Field(pattern=_ID_PATTERN)
    en: str = Field(min_length=1, max_length=300)
    zh: str = Field(min_length=1, max_length=300)

    def text(self, locale: Locale | str) -> str:
        """The item's wording in ``locale`` (``"en"`` or ``"zh"``)."""
        return self.zh if Locale(locale) is Locale.ZH else self.en


class TriageTerm(WalletModel, frozen=True, extra="forbid"):
    """One word or phrase of a category's triage vocabulary, with its weight.

    English terms are words separated by spaces; words are compared after lower-casing and
    light stemming (``"locked"`` matches ``"lock"``), and a word ending in ``*`` matches any
    word that starts with it (``"authori*"``). Chinese terms are matched as character strings.
    ``…`` between two parts allows a short gap (up to 3 English words or 4 Chinese
    characters, never across a sentence break): ``"forgot … password"`` matches "forgot my
    password", ``"忘…密码"`` matches "忘了登录密码".

    A positive weight is evidence for the category, a negative weight a negative cue (for
    example "button" against ``refund_request``). Weight 0 is a *mask*: a longer phrase
    always hides the shorter phrases inside it, whatever category they belong to, so a
    zero-weight phrase can silence a misleading keyword without adding evidence.

    Examples:
        >>> TriageTerm(text="forgot … password", locale="en", weight=3).parts
        ('forgot', 'password')
        >>> TriageTerm(text="闪退", locale="zh", weight=3).weight
        3.0
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    text: str = Field(min_length=1, max_length=80)
    locale: Locale
    weight: float = Field(ge=-10.0, le=10.0)

    @field_validator("text")
    @classmethod
    def _normalised(cls, value: str) -> str:
        cleaned = " ".join(value.replace("...", GAP).lower().split())
        if not cleaned or cleaned.startswith(GAP) or cleaned.endswith(GAP):
            raise PydanticCustomError(
                "walletsupport.triage_term", "a term needs text on both sides of a gap"
            )
        return cleaned

    @model_validator(mode="after")
    def _fits_locale(self) -> TriageTerm:
        for part in self.parts:
            if not part:
                raise PydanticCustomError("walletsupport.triage_term", "empty part in a term")
            if self.locale is Locale.ZH:
                if not _CJK.match(self.parts[0]):
                    raise PydanticCustomError(
                        "walletsupport.triage_term",
                        "a Chinese term must start with a Chinese character",
                    )
            elif _CJK.search(part) or not all(_EN_WORD.match(w) for w in part.split()):
                raise PydanticCustomError(
                    "walletsupport.triage_term",
                    "an English term is letters, digits and apostrophes; '*' ends a prefix",
                )
        return self

    @property
    def parts(self) -> tuple[str, ...]:
        """The term split at its gaps."""
        return tuple(p.strip() for p in self.text.split(GAP))


class TermEvidence(WalletModel, frozen=True, extra="forbid"):
    """A feature the triage model learned that raised a category (see ``TriageCandidate``).

    Examples:
        >>> from walletsupport.issues import triage
        >>> ev = triage("I forgot my password").top.evidence[0]
        >>> ev.term, ev.negated
        ('password', False)
    """

    term: str
    locale: Locale
    weight: float
    negated: bool = False


class IssueCategory(WalletModel, frozen=True, extra="forbid"):
    """One kind of customer issue, with everything support and triage need to know about it.

    Attributes:
        id: Stable identifier (``forgot_password``); other code depends on it.
        group: The parent [IssueGroup][walletsupport.issues.IssueGroup].
        name_en: Short English name.
        name_zh: Short Chinese name.
        guidance_en: What the customer should do first, in English.
        guidance_zh: The same, in Chinese.
        urgency: How soon support should act.
        verification_action: The action it implies, which decides the verification plan.
        workflow: The kind of workflow a case of it opens (``ticket`` when none of the
            specific ones fits).
        checklist: What to have ready before calling (never a secret).
        time_critical: Money is at risk, so every hour counts.
        vocabulary: Triage terms with weights, in English and Chinese.
        examples: Example messages in the customers' words. They train triage's similarity
            signal, so varied ones (a few dozen per language) make the category reachable
            even when no vocabulary term fires.

    Examples:
        >>> from walletsupport.issues import default_registry
        >>> locked = default_registry().get("account_locked")
        >>> locked.group, locked.verification_action.value
        (<IssueGroup.ACCOUNT_ACCESS: 'account_access'>, 'unlock_account')
        >>> locked.localized_name("zh")
        '账户被锁定'
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    id: str = Field(pattern=_ID_PATTERN)
    group: IssueGroup
    name_en: str = Field(min_length=1, max_length=120)
    name_zh: str = Field(min_length=1, max_length=120)
    guidance_en: str = Field(min_length=1, max_length=1000)
    guidance_zh: str = Field(min_length=1, max_length=1000)
    urgency: Urgency
    verification_action: VerificationAction
    workflow: str = Field(default="ticket", pattern=_ID_PATTERN)
    checklist: tuple[ChecklistItem, ...] = ()
    time_critical: bool = False
    vocabulary: tuple[TriageTerm, ...] = ()
    examples: tuple[str, ...] = ()

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value == OTHER_ID:
            raise PydanticCustomError(
                "walletsupport.reserved_category_id",
                "'other' is reserved for the answer 'none of these'",
            )
        return value

    @field_validator("checklist")
    @classmethod
    def _unique_items(cls, items: tuple[ChecklistItem, ...]) -> tuple[ChecklistItem, ...]:
        ids = [item.id for item in items]
        if len(ids) != len(set(ids)):
            raise PydanticCustomError(
                "walletsupport.checklist_duplicate", "checklist item ids must be unique"
            )
        return items

    def localized_name(self, locale: Locale | str) -> str:
        """The category's name in ``locale``.

        Examples:
            >>> from walletsupport.issues import default_registry
            >>> default_registry().get("app_crash").localized_name("en")
            'App crashes or freezes'
        """
        return self.name_zh if Locale(locale) is Locale.ZH else self.name_en

    def localized_guidance(self, locale: Locale | str) -> str:
        """The first-step guidance in ``locale``.

        Examples:
            >>> from walletsupport.issues import default_registry
            >>> default_registry().get("app_crash").localized_guidance("zh")[:4]
            '请把 A'
        """
        return self.guidance_zh if Locale(locale) is Locale.ZH else self.guidance_en

"""Verification factors as values: what a caller can prove, how strongly, over which channel.

PSD2 defines strong customer authentication as two or more *independent* elements from
different categories: knowledge, possession and inherence (PSD2 Art. 4(30),
rule ``PSD2_SCA_DEFINITION``; RTS 2018/389 Arts. 6-9, ``RTS_ELEMENT_REQUIREMENTS``).
Support adds a fourth kind, the *document check* (an identity document plus a selfie
matched against it), used for high-risk account recovery; it is identity proofing, not an
SCA element, so it never counts towards the "two categories" rule.

Strengths follow NIST SP 800-63B (``reference/authentication_security.md``):

| factor | category | strength | why |
|---|---|---|---|
| password | knowledge | moderate | memorized secret, rate limited (``NIST_RATE_LIMIT_100``) |
| security question | knowledge | weak | NIST forbids prompting for KBA (``NIST_PW_NO_HINTS_KBA``) |
| recent transactions | knowledge | weak | partly guessable, partly public |
| OTP by SMS | possession | moderate | PSTN is RESTRICTED (``NIST_PSTN_RESTRICTED``): SIM swap |
| OTP by email | possession | weak | email SHALL NOT be out-of-band (``NIST_PSTN_RESTRICTED``) |
| OTP from an authenticator app | possession | strong | TOTP device (``NIST_OTP_DEVICE``) |
| registered device | possession | strong | device-bound key in the wallet app |
| in-app biometric | inherence | strong | unlocks the registered device's key |
| id document, selfie match | document | strong | reviewed identity evidence |

Examples:
    >>> f = factor("otp_sms")
    >>> (f.category.value, f.strength.value, f.channel.value, f.restricted)
    ('possession', 'moderate', 'sms', True)
    >>> factor("otp_app").strength > factor("otp_sms").strength
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.errors import InvalidInputError

__all__ = [
    "FACTORS",
    "Channel",
    "Factor",
    "FactorCategory",
    "FactorKind",
    "Strength",
    "factor",
    "to_factor_kind",
]


class FactorCategory(WalletEnum):
    """The kind of evidence a factor gives (PSD2 Art. 4(30), ``PSD2_SCA_DEFINITION``).

    Examples:
        >>> FactorCategory.KNOWLEDGE.is_sca_element, FactorCategory.DOCUMENT.is_sca_element
        (True, False)
    """

    KNOWLEDGE = "knowledge"
    POSSESSION = "possession"
    INHERENCE = "inherence"
    DOCUMENT = "document"

    @property
    def is_sca_element(self) -> bool:
        """Whether this category counts as an SCA element (knowledge, possession, inherence)."""
        return self is not FactorCategory.DOCUMENT


_STRENGTH_RANK = {"weak": 1, "moderate": 2, "strong": 3}


class Strength(WalletEnum):
    """How much assurance a factor gives; ordered ``weak < moderate < strong``.

    Examples:
        >>> Strength.WEAK < Strength.MODERATE < Strength.STRONG
        True
        >>> max([Strength.STRONG, Strength.WEAK]).value
        'strong'
    """

    WEAK = "weak"
    MODERATE = "moderate"
    STRONG = "strong"

    @property
    def rank(self) -> int:
        """1 for weak, 2 for moderate, 3 for strong."""
        return _STRENGTH_RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank >= other.rank


class Channel(WalletEnum):
    """Where the caller presents the factor.

    Examples:
        >>> Channel("sms") is Channel.SMS
        True
    """

    IN_APP = "in_app"
    AGENT = "agent"
    SMS = "sms"
    EMAIL = "email"
    AUTHENTICATOR_APP = "authenticator_app"
    DOCUMENT_UPLOAD = "document_upload"


class FactorKind(WalletEnum):
    """The concrete factors support knows about.

    Examples:
        >>> FactorKind("selfie_match").value
        'selfie_match'
    """

    PASSWORD = "password"  # noqa: S105 - a factor name, not a password
    SECURITY_QUESTION = "security_question"
    RECENT_TRANSACTIONS = "recent_transactions"
    OTP_SMS = "otp_sms"
    OTP_EMAIL = "otp_email"
    OTP_APP = "otp_app"
    REGISTERED_DEVICE = "registered_device"
    BIOMETRIC = "biometric"
    ID_DOCUMENT = "id_document"
    SELFIE_MATCH = "selfie_match"


class Factor(WalletModel, frozen=True, extra="forbid"):
    """One verification factor: its kind, category, strength and channel.

    Attributes:
        kind: which factor.
        category: knowledge, possession, inherence or document.
        strength: the assurance it gives on its own.
        channel: where the caller presents it.
        restricted: NIST calls the authenticator RESTRICTED (SMS, ``NIST_PSTN_RESTRICTED``).
        description: one line for an agent.

    Examples:
        >>> factor("biometric").category.value
        'inherence'
        >>> factor("password").model_dump(mode="json")["strength"]
        'moderate'
    """

    kind: FactorKind
    category: FactorCategory
    strength: Strength
    channel: Channel
    restricted: bool = False
    description: str


def _f(
    kind: FactorKind,
    category: FactorCategory,
    strength: Strength,
    channel: Channel,
    description: str,
    *,
    restricted: bool = False,
) -> Factor:
    return Factor(
        kind=kind,
        category=category,
        strength=strength,
        channel=channel,
        restricted=restricted,
        description=description,
    )


_K, _P, _I, _D = (
    FactorCategory.KNOWLEDGE,
    FactorCategory.POSSESSION,
    FactorCategory.INHERENCE,
    FactorCategory.DOCUMENT,
)

FACTORS: Mapping[FactorKind, Factor] = MappingProxyType(
    {
        FactorKind.PASSWORD: _f(
            FactorKind.PASSWORD,
            _K,
            Strength.MODERATE,
            Channel.IN_APP,
            "customer enters the account password in the app",
        ),
        FactorKind.SECURITY_QUESTION: _f(
            FactorKind.SECURITY_QUESTION,
            _K,
            Strength.WEAK,
            Channel.AGENT,
            "customer answers a stored security question (KBA; weak per NIST)",
        ),
        FactorKind.RECENT_TRANSACTIONS: _f(
            FactorKind.RECENT_TRANSACTIONS,
            _K,
            Strength.WEAK,
            Channel.AGENT,
            "customer names amount and payee of a recent transaction",
        ),
        FactorKind.OTP_SMS: _f(
            FactorKind.OTP_SMS,
            _P,
            Strength.MODERATE,
            Channel.SMS,
            "one-time code sent by SMS to the registered number (NIST: restricted)",
            restricted=True,
        ),
        FactorKind.OTP_EMAIL: _f(
            FactorKind.OTP_EMAIL,
            _P,
            Strength.WEAK,
            Channel.EMAIL,
            "one-time code sent to the registered email address",
        ),
        FactorKind.OTP_APP: _f(
            FactorKind.OTP_APP,
            _P,
            Strength.STRONG,
            Channel.AUTHENTICATOR_APP,
            "time-based code from the customer's authenticator app (RFC 6238)",
        ),
        FactorKind.REGISTERED_DEVICE: _f(
            FactorKind.REGISTERED_DEVICE,
            _P,
            Strength.STRONG,
            Channel.IN_APP,
            "confirmation in the wallet app on the registered device",
        ),
        FactorKind.BIOMETRIC: _f(
            FactorKind.BIOMETRIC,
            _I,
            Strength.STRONG,
            Channel.IN_APP,
            "fingerprint or face unlock in the wallet app",
        ),
        FactorKind.ID_DOCUMENT: _f(
            FactorKind.ID_DOCUMENT,
            _D,
            Strength.STRONG,
            Channel.DOCUMENT_UPLOAD,
            "photo of a government identity document, reviewed",
        ),
        FactorKind.SELFIE_MATCH: _f(
            FactorKind.SELFIE_MATCH,
            _D,
            Strength.STRONG,
            Channel.DOCUMENT_UPLOAD,
            "live selfie matched against the identity document",
        ),
    }
)
"""The built-in catalog, in a stable order (used to break ties when planning)."""


def to_factor_kind(value: Any, name: str = "factor") -> FactorKind:
    """Coerce ``value`` to a [FactorKind][walletsupport.verification.FactorKind].

    Args:
        value: a FactorKind, a Factor or its string value.
        name: the argument name used in the error message.

    Raises:
        InvalidInputError: the value names no known factor.

    Examples:
        >>> to_factor_kind("otp_app") is FactorKind.OTP_APP
        True
        >>> to_factor_kind("pin")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: factor: unknown factor 'pin'
    """
    if isinstance(value, Factor):
        return value.kind
    if isinstance(value, FactorKind):
        return value
    if isinstance(value, str):
        try:
            return FactorKind(value)
        except ValueError:
            raise InvalidInputError(f"{name}: unknown factor {shown(value)}") from None
    raise InvalidInputError(f"{name}: expected a factor name, got {type(value).__name__}")


def factor(kind: FactorKind | str) -> Factor:
    """Return the catalog entry for ``kind``.

    Raises:
        InvalidInputError: ``kind`` names no known factor.

    Examples:
        >>> factor("otp_email").strength.value
        'weak'
    """
    return FACTORS[to_factor_kind(kind)]

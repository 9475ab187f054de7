"""Argument checks shared by the contact modules, and the vocabulary of secrets.

The checks raise ``InvalidInputError``.
``SecretVocabulary`` is the word screen
behind ``asks_for_secret``: the secrets support must never collect, in English and Chinese,
extensible by integrators.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cached_property
from typing import Annotated, TypeVar

from pydantic import StringConstraints

from walletsupport._model import WalletModel
from walletsupport.errors import InvalidInputError
from walletsupport.issues.registry import IssueRegistry, default_registry

__all__ = [
    "DEFAULT_SECRETS",
    "SecretVocabulary",
    "check_instance",
    "check_local_datetime",
    "registry_or_default",
]

T = TypeVar("T")


def registry_or_default(registry: object) -> IssueRegistry:
    """``registry`` if it is an ``IssueRegistry``, the built-in one for ``None``.

    Examples:
        >>> registry_or_default(None).get("app_crash").id
        'app_crash'
        >>> registry_or_default({})
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: registry must be an IssueRegistry or None, got dict
    """
    if registry is None:
        return default_registry()
    if not isinstance(registry, IssueRegistry):
        raise InvalidInputError(
            f"registry must be an IssueRegistry or None, got {type(registry).__name__}"
        )
    return registry


def check_instance(value: object, kind: type[T], name: str) -> T:
    """``value`` if it is a ``kind``; else ``InvalidInputError`` naming ``name``.

    Examples:
        >>> check_instance("en", str, "language")
        'en'
        >>> check_instance(None, str, "language")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: language must be a str, got NoneType
    """
    if not isinstance(value, kind):
        raise InvalidInputError(f"{name} must be a {kind.__name__}, got {type(value).__name__}")
    return value


def check_local_datetime(value: object, name: str = "local") -> datetime:
    """``value`` if it is a datetime (a wall time: naive or aware, its fields are read as is).

    Examples:
        >>> check_local_datetime("09:00")
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidInputError: local must be a datetime, got str
    """
    return check_instance(value, datetime, name)


# --- secrets ----------------------------------------------------------------------------------

_Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]

# A text that names a secret only to warn about it is not a request for it.
_NEGATION = re.compile(
    r"\b(?:never|not|don't|do\s+not|only\s+in\s+the\s+app)\b|切勿|绝不|不要|请勿|只在|仅在",
    re.IGNORECASE,
)
# "the last four digits of your card number": allowed (PCI DSS v4.0 Req. 3.4.1)
_LAST_FOUR = re.compile(r"last\s+(?:four|4)\s+digits|后四位|尾号", re.IGNORECASE)


def _english(term: str) -> str:
    words = [re.escape(word) for word in re.split(r"[\s\-]+", term) if word]
    return r"\b" + r"[\s\-]+".join(words) + r"\b"


class SecretVocabulary(WalletModel, frozen=True, extra="forbid"):
    """The secrets support must never collect, as English and Chinese terms.

    English terms match whole words, case-insensitively, with any spacing or hyphen between
    their words (``"seed phrase"`` matches "Seed-Phrase"); Chinese terms match anywhere.
    ``DEFAULT_SECRETS`` holds card, login and
    wallet secrets (PCI DSS v4.0 Req. 3.3.1 ``PCI_NO_SAD_AFTER_AUTH``: no sensitive
    authentication data after authorisation; NIST SP 800-63B: secrets are verified by
    systems, never told to people). Add your own with
    ``extended``.

    Examples:
        >>> vocabulary = SecretVocabulary(en=("vault combination",), zh=("保险柜组合",))
        >>> vocabulary.mentions("Your Vault-Combination"), vocabulary.mentions("订单号")
        (True, False)
    """

    en: tuple[_Term, ...] = ()
    zh: tuple[_Term, ...] = ()

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        parts = [_english(term) for term in self.en] + [re.escape(term) for term in self.zh]
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def mentions(self, text: str) -> bool:
        """Whether ``text`` names one of the secrets (warnings included).

        Raises:
            InvalidInputError: ``text`` is not a string.
        """
        check_instance(text, str, "text")
        return self._pattern is not None and self._pattern.search(text) is not None

    def asks_for(self, text: str) -> bool:
        """Whether ``text`` asks for a secret: it names one, and not only to warn about it.

        "The last four digits of your card number" is allowed (PCI DSS v4.0 Req. 3.4.1,
        ``PCI_MASK_DISPLAY``). A conservative word screen: it errs towards withholding.

        Examples:
            >>> DEFAULT_SECRETS.asks_for("Your seed phrase")
            True
            >>> DEFAULT_SECRETS.asks_for("Never share your seed phrase")
            False
        """
        check_instance(text, str, "text")
        cleaned = text
        if _LAST_FOUR.search(text):  # the card number is named only to locate the digits
            cleaned = _LAST_FOUR.sub(" ", text)
            cleaned = re.sub(r"card\s+number|卡号", " ", cleaned, flags=re.IGNORECASE)
        return self.mentions(cleaned) and not _NEGATION.search(text)

    def extended(self, *, en: tuple[str, ...] = (), zh: tuple[str, ...] = ()) -> SecretVocabulary:
        """A new vocabulary with these terms added (this one is unchanged).

        Examples:
            >>> more = DEFAULT_SECRETS.extended(en=("vault combination",))
            >>> more.asks_for("the vault combination")
            True
        """
        return SecretVocabulary(en=(*self.en, *en), zh=(*self.zh, *zh))


#: The built-in secrets: cards, logins, one-time codes and wallet keys, in English and Chinese.
DEFAULT_SECRETS = SecretVocabulary(
    en=(
        "card number",
        "pan",
        "cvc",
        "cvc2",
        "cvv",
        "cvv2",
        "cid",
        "security code",
        "one-time code",
        "one-time passcode",
        "onetime code",
        "otp",
        "verification code",
        "sms code",
        "auth code",
        "authentication code",
        "authenticator code",
        "2fa code",
        "password",
        "passcode",
        "passphrase",
        "pin",
        "seed phrase",
        "seed words",
        "recovery phrase",
        "recovery words",
        "backup phrase",
        "mnemonic",
        "12 word",
        "24 word",
        "12 words",
        "24 words",
        "private key",
        "secret key",
        "keystore",
    ),
    zh=(
        "卡号",
        "安全码",
        "验证码",
        "动态码",
        "校验码",
        "密码",
        "口令",
        "CVC",
        "CVV",
        "助记词",
        "私钥",
        "密钥",
        "秘钥",
        "恢复短语",
        "种子短语",
        "备份短语",
    ),
)

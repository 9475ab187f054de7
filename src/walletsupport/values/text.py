"""Free text that is safe to store and show: card numbers, codes and passwords redacted.

A customer or an agent types anything into a reason, a subject or a note, card numbers and
security codes included. PCI DSS requires a stored PAN to be unreadable (v4.0 Req. 3.5.1,
``PCI_PAN_UNREADABLE_STORED``) and forbids keeping a security code after authorisation at all
(Req. 3.3.1, ``PCI_NO_SAD_AFTER_AUTH``). [redact_free_text][walletsupport.values.redact_free_text]
is applied at the boundary of every stored or shown free-text field
([FreeText][walletsupport.values.FreeText], and every text field of a workflow command):

* **Card numbers**: a run of 12 to 19 digits (ASCII or full-width), optionally separated by
  spaces, dashes, dots, slashes or underscores, that passes the Luhn check (``CARD_LUHN``,
  ``CARD_PAN_LENGTH``) becomes ``[card ****1111]``: truncated to the last four
  (``PCI_MASK_DISPLAY``). In a longer run of digits, every Luhn-valid 12 to 19 digit stretch
  is masked; a run of more than 64 digits is redacted whole.
* **Codes**: digits after a keyword naming a secret code, in English or Chinese (``CVC``,
  ``CVV``, ``CID``, ``security code``, ``verification code``, ``OTP``, ``PIN``, ``code``,
  ``card number``, 安全码, 验证码, 校验码, 动态码, 卡号, 密码 ...) become ``[redacted]``.
* **Passwords**: the word after ``password``, ``passcode``, ``pwd``, 密码, 口令 ... becomes
  ``[redacted]`` when it follows a separator (``:``, ``=``, ``is``, 是, 为) or contains a
  digit or a symbol, so "password reset" stays readable and "password: hunter2" does not.

The function is idempotent and leaves text without such content unchanged.

Examples:
    >>> redact_free_text("customer card 4111 1111 1111 1111 cvc 123")
    'customer card [card ****1111] cvc [redacted]'
    >>> redact_free_text("卡号6200-0000-0000-0005，安全码是 739，密码: abc12345")
    '卡号[card ****0005]，安全码是 [redacted]，密码: [redacted]'
    >>> redact_free_text("asked for a password reset after order 12345")
    'asked for a password reset after order 12345'
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator

from walletsupport.errors import InvalidInputError

__all__ = ["FreeText", "redact_free_text"]

REDACTED = "[redacted]"

_SEP = r"[ \u00a0\u3000.\-\u2010-\u2015_/]"
#: A run of digits, single or double separators between them (never across other text).
_RUN = re.compile(rf"(?<!\d)\d(?:{_SEP}{{0,3}}\d)*(?!\d)")

_ASCII_CODE_WORDS = (
    r"cvc2?|cvv2?|cvn2?|cav2|cid|csc|security\s*code|card\s*code|verification\s*code|"
    r"confirmation\s*code|one[\s-]*time\s*(?:pass)?code|otp|sms\s*code|auth(?:orization)?\s*code|"
    r"pin(?:\s*code)?|passcode|code|card\s*(?:number|no\.?|#)|account\s*number"
)
_ZH_CODE_WORDS = (
    r"安全码|验证码|校验码|动态码|短信码|确认码|授权码|CVV码|卡号|银行卡号|卡密|密码|口令|PIN码"
)
_ASCII_LOGIN_WORDS = r"password|passwd|pwd|passphrase|pass\s*word"
_ZH_LOGIN_WORDS = r"支付密码|登录密码|交易密码|密码|口令"

_FILLER = r"(?:\s*(?:[:：=#＝]|is|was|are|\bof\b|是|为|為)\s*|\s+|)"
_CODE_VALUE = rf"\d(?:{_SEP}{{0,2}}\d){{2,}}"

_CODE = re.compile(
    rf"(?:(?<![A-Za-z])(?:{_ASCII_CODE_WORDS})(?![A-Za-z])|{_ZH_CODE_WORDS})"
    rf"(?P<fill>(?:{_FILLER}){{1,2}})(?P<value>{_CODE_VALUE})(?!\d)",
    re.IGNORECASE,
)
_PASSWORD = re.compile(
    rf"(?:(?<![A-Za-z])(?:{_ASCII_LOGIN_WORDS})(?![A-Za-z])|{_ZH_LOGIN_WORDS})"
    r"(?P<fill>\s*(?P<sep>[:：=＝]|\bis\b|\bwas\b|是|为|為)?\s*)"
    r"(?P<value>[^\s，。,;；、]+)",
    re.IGNORECASE,
)

#: Longer digit runs are redacted whole (checking every stretch would cost too much).
_LONGEST_RUN = 64

#: Longest text redacted; longer text is refused (every free-text field is far shorter).
MAX_TEXT = 100_000


def _digit_positions(run: str) -> list[int]:
    return [i for i, ch in enumerate(run) if ch.isdigit()]


def _luhn(values: list[int]) -> bool:
    total = 0
    for position, d in enumerate(reversed(values)):
        if position % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    positions = _digit_positions(run)
    if len(positions) < 12:
        return run
    if len(positions) > _LONGEST_RUN:
        return REDACTED  # a wall of digits: too long to tell the card numbers in it apart
    values = [unicodedata.decimal(run[i], 0) for i in positions]
    n = len(values)
    covered = [False] * n
    windows = [(0, n)] if n <= 19 else []
    if n > 19:
        windows = [(i, j) for i in range(n) for j in range(i + 12, min(n, i + 19) + 1)]
    found: list[tuple[int, int]] = []
    for i, j in windows:
        if _luhn(values[i:j]):
            found.append((i, j))
            for k in range(i, j):
                covered[k] = True
    if not found:
        return run
    out: list[str] = []
    k = 0
    cursor = 0
    while k < n:
        if not covered[k]:
            k += 1
            continue
        start = k
        while k < n and covered[k]:
            k += 1
        last4 = "".join(str(v) for v in values[max(start, k - 4) : k])
        out.append(run[cursor : positions[start]])
        out.append(f"[card ****{last4}]")
        cursor = positions[k - 1] + 1
    out.append(run[cursor:])
    return "".join(out)


def _redact_code(match: re.Match[str]) -> str:
    whole = match.group(0)
    return whole[: match.start("value") - match.start()] + REDACTED


def _redact_password(match: re.Match[str]) -> str:
    value = match.group("value")
    if value.startswith("[") and value.rstrip("，。,;；、.!?") in {REDACTED, "[card"}:
        return match.group(0)
    looks_secret = match.group("sep") is not None or any(
        not ch.isalpha() for ch in value.rstrip(".!?")
    )
    if not looks_secret:
        return match.group(0)
    whole = match.group(0)
    return whole[: match.start("value") - match.start()] + REDACTED


def redact_free_text(text: str) -> str:
    """``text`` with card numbers, codes and passwords redacted (see the module docs).

    Raises:
        InvalidInputError: ``text`` is not a str, or longer than 100,000 characters.

    Examples:
        >>> redact_free_text("PIN 4321 please")
        'PIN [redacted] please'
        >>> redact_free_text("my card is 5555-5555-5555-4444")
        'my card is [card ****4444]'
    """
    if not isinstance(text, str):
        raise InvalidInputError(f"free text must be a str, got {type(text).__name__}")
    if len(text) > MAX_TEXT:
        raise InvalidInputError(f"free text must be at most {MAX_TEXT} characters")
    if not any(ch.isdigit() for ch in text) and _PASSWORD.search(text) is None:
        return text
    redacted = _RUN.sub(_mask_run, text)
    redacted = _CODE.sub(_redact_code, redacted)
    return _PASSWORD.sub(_redact_password, redacted)


def redact_text_value(value: object) -> object:
    """``value`` with every str in it redacted (a str, or a list / tuple of str); else as is."""
    if isinstance(value, str) and len(value) <= MAX_TEXT:
        return redact_free_text(value)
    if isinstance(value, list | tuple) and len(value) <= 1_000:
        return type(value)(redact_text_value(v) if isinstance(v, str) else v for v in value)
    return value


FreeText = Annotated[str, AfterValidator(redact_free_text)]
"""A ``str`` field that is redacted on the way in (``redact_free_text``): reasons, notes."""

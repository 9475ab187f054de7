"""Free text is redacted: card numbers, codes and passwords never stored as typed (issue 17 #3)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import InvalidInputError
from walletsupport.values import redact_free_text

TEST_PANS = [
    "4242424242424242",
    "5555555555554444",
    "378282246310005",
    "6011111111111117",
    "36227206271667",
    "6205500000000000004",
    "8171999900000000021",
    "4013250000000000006",
    "3566002020360505",
    "6703444444444449",
]


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


pans = st.one_of(
    st.sampled_from(TEST_PANS),
    st.integers(12, 19).flatmap(
        lambda n: st.text("0123456789", min_size=n - 1, max_size=n - 1).map(luhn_complete)
    ),
)
separators = st.sampled_from(["", " ", "-", ".", "  ", " - ", "\u3000", "/", "_"])
#: surrounding words: letters, Chinese and punctuation, but no digit (so only the PAN has any)
words = st.text(
    st.sampled_from([*"abcdefg XYZ，。!?:", "卡", "号", "我", "的", "是", "请", "帮"]),
    max_size=30,
)


@st.composite
def formatted_pans(draw: st.DrawFn) -> tuple[str, str]:
    pan = draw(pans)
    sep = draw(separators)
    style = draw(st.sampled_from(["fours", "random", "solid"]))
    if style == "solid":
        text = pan
    elif style == "fours":
        text = sep.join(pan[i : i + 4] for i in range(0, len(pan), 4))
    else:
        cuts = sorted(draw(st.sets(st.integers(1, len(pan) - 1), max_size=5)))
        parts = [pan[a:b] for a, b in zip([0, *cuts], [*cuts, len(pan)], strict=True)]
        text = sep.join(parts)
    if draw(st.booleans()):
        text = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return pan, text


def digits_of(text: str) -> str:
    """The digits left in ``text`` once the ``[card ****1234]`` masks are taken out."""
    text = re.sub(r"\[card \*{4}\d{4}\]", " ", text)
    return "".join(str(int(ch)) for ch in text if ch.isdigit())


@given(formatted_pans(), words, words)
def test_a_card_number_in_any_format_never_survives(
    found: tuple[str, str], before: str, after: str
):
    pan, typed = found
    out = redact_free_text(before + typed + after)
    assert pan not in digits_of(out)
    assert pan[-4:] in out  # truncated to the last four (PCI DSS Req. 3.4.1)


@given(st.lists(formatted_pans(), min_size=2, max_size=3), words)
def test_several_card_numbers_in_one_text_are_all_redacted(found, glue: str):
    text = (glue or " ").join(typed for _, typed in found)
    out = redact_free_text(text)
    assert all(pan[:12] not in digits_of(out) for pan, _ in found)


KEYWORDS_EN = [
    "cvc",
    "CVV",
    "cvv2",
    "CID",
    "security code",
    "verification code",
    "OTP",
    "PIN",
    "code",
    "one-time code",
    "passcode",
]
KEYWORDS_ZH = ["安全码", "验证码", "校验码", "动态码", "卡号", "密码", "口令"]
fillers = st.sampled_from(["", " ", ": ", " is ", "=", "：", "是", "为", " # "])


@given(
    keyword=st.sampled_from(KEYWORDS_EN + KEYWORDS_ZH),
    filler=fillers,
    code=st.text("0123456789", min_size=3, max_size=8),
    before=words,
)
def test_a_code_next_to_its_keyword_is_redacted(keyword: str, filler: str, code: str, before):
    if keyword.isascii() and filler == "":
        filler = " "
    out = redact_free_text(f"{before} {keyword}{filler}{code} thanks")
    assert code not in digits_of(out)
    assert "[redacted]" in out


@given(
    keyword=st.sampled_from(["password", "Password", "pwd", "passphrase", "密码", "支付密码"]),
    separator=st.sampled_from([": ", "=", " is ", "是", "：", "为"]),
    secret=st.text("abcdefghijklmnopXYZ0123456789!@#$%", min_size=4, max_size=20),
)
def test_a_password_after_its_keyword_is_redacted(keyword: str, separator: str, secret: str):
    out = redact_free_text(f"note {keyword}{separator}{secret} end")
    assert secret not in out


@pytest.mark.parametrize(
    "text",
    [
        "asked for a password reset",
        "customer forgot the password and is upset",
        "密码错误，请重置",
        "order 12345 on 2026-01-05 at 09:30, EUR 1,250.00",
        "call +1 415 555 2671 tomorrow",
        "",
        "the app crashes on login",
    ],
)
def test_ordinary_text_is_left_alone(text: str):
    assert redact_free_text(text) == text


@given(st.text(max_size=200))
def test_redaction_is_idempotent(text: str):
    once = redact_free_text(text)
    assert redact_free_text(once) == once


@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=200))
def test_text_without_digits_or_secret_words_is_unchanged(text: str):
    if re.search(r"pass|pwd|密码|口令", text, re.IGNORECASE):
        return
    assert redact_free_text(text) == text


def test_a_wall_of_digits_is_redacted_quickly():
    out = redact_free_text("1" * 5000 + " and 4111111111111111")
    assert "1" * 64 not in out
    assert "4111111111111111" not in out


def test_not_text_is_refused():
    with pytest.raises(InvalidInputError):
        redact_free_text(4111111111111111)  # type: ignore[arg-type]

"""No secret rides on a library error (cause, context, notes, traceback) or in a pickle.

Issue 17, findings 4, 5 and 6: pickles carried raw secrets; a pydantic ``ValidationError``
quoting the input stayed on ``__context__`` of the library error raised ``from None``; a lone
surrogate in a presented secret gave a bare ``UnicodeEncodeError`` holding the secret.
"""

from __future__ import annotations

import base64
import pickle
import secrets
import traceback
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport._model import WalletModel
from walletsupport.errors import SecretNotPicklableError, WalletSupportError
from walletsupport.values import CardNumber, Cvc, Password
from walletsupport.verification import (
    OtpPolicy,
    issue_code,
    request_password_reset,
    reset_token_digest,
    totp_key_from_base32,
    verify_code,
    verify_reset_token,
    verify_totp,
)
from walletsupport.workflows.password_reset import (
    CompleteReset,
    PasswordResetPolicy,
    SubmitResetCode,
    SubmitResetToken,
)

AT = datetime(2026, 1, 5, 9, tzinfo=UTC)
KEY = b"k" * 32
TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


def chain_text(exc: BaseException) -> str:
    """Everything an error exposes: repr, str, notes, args and the whole cause/context chain."""
    parts: list[str] = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        parts += [repr(current), str(current), repr(current.args)]
        parts += [str(note) for note in getattr(current, "__notes__", ())]
        todo += [current.__cause__, current.__context__]
    return "\n".join(parts)


def raised(call: Callable[[], object]) -> BaseException:
    try:
        call()
    except Exception as exc:
        return exc
    pytest.fail("expected an error")


def assert_library_error_without(secret: str, call: Callable[[], object]) -> None:
    exc = raised(call)
    assert isinstance(exc, WalletSupportError), f"{type(exc).__name__}: a foreign error"
    assert secret not in chain_text(exc)


def _digits(n: int) -> str:
    """A fresh random secret: never a literal of this file, which a traceback would quote."""
    return "".join(str(secrets.randbelow(10)) for _ in range(n))


def _base32_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()


REFUSED: list[tuple[str, Callable[[], str], Callable[[str], object]]] = [
    ("code too long", lambda: _digits(70), lambda s: SubmitResetCode(code=s)),
    ("token too long", lambda: "t" + _digits(600), lambda s: SubmitResetToken(token=s)),
    ("totp non-ascii", _base32_secret, lambda s: totp_key_from_base32(s + "é")),
    ("totp bad char", _base32_secret, lambda s: totp_key_from_base32(s + "1")),
    ("totp short", lambda: _base32_secret()[:8], totp_key_from_base32),
    (
        "password with bad confirmation",
        lambda: "pw-" + _digits(12),
        lambda s: CompleteReset(new_password=s, confirmation=3),
    ),
    ("card number", lambda: _digits(15) + "x", lambda s: SubmitCvcHolder(card=s)),
]


class SubmitCvcHolder(WalletModel, frozen=True):
    """A model with a secret field, as an integrator would write one."""

    card: CardNumber


@pytest.mark.parametrize(("name", "make", "call"), REFUSED, ids=[n for n, _, _ in REFUSED])
def test_no_secret_on_the_error_chain_of_a_refused_input(
    name: str, make: Callable[[], str], call: Callable[[str], object]
) -> None:
    secret = make()
    assert_library_error_without(secret, lambda: call(secret))


def test_the_context_of_a_library_error_is_never_a_foreign_error() -> None:
    exc = raised(lambda: SubmitResetCode(code="7" * 100))
    assert exc.__context__ is None
    assert exc.__cause__ is None


_issued, _state = issue_code(OtpPolicy(), KEY, AT)
_reset = request_password_reset(account_found=True, key=KEY, at=AT)
SURROGATE_CALLS: list[tuple[str, Callable[[str], object]]] = [
    ("verify_code", lambda s: verify_code(_state, KEY, s, AT)),
    ("verify_reset_token", lambda s: verify_reset_token(_reset.state, KEY, s, AT)),  # type: ignore[arg-type]
    ("reset_token_digest", lambda s: reset_token_digest(KEY, s)),
    ("verify_totp", lambda s: verify_totp(KEY, s, AT)),
    ("Password.matches", lambda s: Password.parse("correct horse").matches(s)),
    ("Cvc.matches", lambda s: Cvc.parse("123").matches(s)),
    ("Password.parse", Password.parse),
    ("CardNumber.parse", CardNumber.parse),
    ("Cvc.parse", Cvc.parse),
]


@pytest.mark.parametrize(("name", "call"), SURROGATE_CALLS, ids=[n for n, _ in SURROGATE_CALLS])
@given(
    head=st.text("0123456789", min_size=3, max_size=8),
    surrogate=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
)
def test_a_lone_surrogate_in_a_presented_secret_gives_a_library_error_without_it(
    name: str, call: Callable[[str], object], head: str, surrogate: str
) -> None:
    presented = head + surrogate + "9876"
    exc = raised(lambda: call(presented))
    assert isinstance(exc, WalletSupportError), f"{name}: {type(exc).__name__}"
    text = chain_text(exc)
    assert presented not in text
    assert head + surrogate not in text


PICKLED: list[tuple[str, Callable[[], object], str]] = [
    ("CardNumber", lambda: CardNumber.parse("4111111111111111"), "4111111111111111"),
    ("Cvc", lambda: Cvc.parse("739"), "739"),
    ("Password", lambda: Password.parse("correct horse battery"), "correct horse battery"),
    ("IssuedCode", lambda: issue_code(OtpPolicy(), KEY, AT, rng=lambda n: 482913)[0], "482913"),
    ("CardHolder", lambda: SubmitCvcHolder(card="4111111111111111"), "4111111111111111"),
    ("IssuedResetToken", lambda: _reset.token, ""),
    ("PasswordResetRequest", lambda: _reset, ""),
    ("SubmitResetCode", lambda: SubmitResetCode(code="482913"), "482913"),
    ("SubmitResetToken", lambda: SubmitResetToken(token="tok-abcdef-123"), "tok-abcdef-123"),
    (
        "CompleteReset",
        lambda: CompleteReset(new_password=Password.parse("correct horse battery")),
        "correct horse battery",
    ),
    ("PasswordResetPolicy", lambda: PasswordResetPolicy(key=b"server-key-0123456789"), ""),
]


@pytest.mark.parametrize(("name", "build", "secret"), PICKLED, ids=[n for n, _, _ in PICKLED])
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_values_holding_a_secret_refuse_pickle(
    name: str, build: Callable[[], object], secret: str, protocol: int
) -> None:
    value = build()
    with pytest.raises(SecretNotPicklableError) as info:
        pickle.dumps(value, protocol=protocol)
    if secret:
        assert secret not in chain_text(info.value)


def test_values_without_a_secret_still_pickle() -> None:
    state = issue_code(OtpPolicy(), KEY, AT)[1]
    assert pickle.loads(pickle.dumps(state)) == state  # noqa: S301 - our own bytes

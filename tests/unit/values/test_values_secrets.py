"""Secrets (card numbers, CVCs, passwords) never leave unmasked."""

from __future__ import annotations

import copy
import logging
import pickle
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from walletsupport.errors import InvalidInputError, InvalidSecretError, SecretNotPicklableError
from walletsupport.values import CardNumber, Cvc, Password


def luhn_complete(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


PREFIX_LENGTHS = [("4", 16), ("51", 16), ("2221", 16), ("34", 15), ("6011", 16), ("62", 19)]
PREFIX_LENGTHS += [("36", 14), ("50", 12), ("9", 13)]
valid_pans = st.sampled_from(PREFIX_LENGTHS).flatmap(
    lambda pl: st.text("0123456789", min_size=pl[1], max_size=pl[1]).map(
        lambda rest: luhn_complete((pl[0] + rest)[: pl[1] - 1])
    )
)
any_digits = st.text("0123456789", min_size=3, max_size=22)
cvcs = st.text("0123456789", min_size=3, max_size=4)
# Long enough and distinctive enough that finding it in text by chance is not plausible.
passwords = st.text(min_size=8, max_size=40).filter(lambda s: len(set(s)) >= 4)


class Holder(BaseModel):
    """A model of someone else's that holds our secrets next to an ordinary field."""

    card: CardNumber
    cvc: Cvc
    password: Password
    count: int


def visible_text(value: Any) -> str:
    """Everything a careless log line or API response could show of ``value``."""
    return "\n".join([repr(value), str(value), f"{value!s:>5}", f"{value!r}"])


def error_text(exc: ValidationError) -> str:
    return "\n".join(
        [
            str(exc),
            repr(exc),
            exc.json(),
            repr(exc.errors()),
            repr(exc.errors(include_input=True, include_context=True)),
            repr([e.get("input") for e in exc.errors()]),
            repr([str(e.get("input")) for e in exc.errors()]),
        ]
    )


def assert_hidden(secret: str, *texts: str) -> None:
    for text in texts:
        assert secret not in text


@settings(max_examples=60)
@given(valid_pans, cvcs, passwords)
def test_valid_secrets_never_appear_in_repr_str_dump_or_json(pan, cvc, password):
    holder = Holder(card=pan, cvc=cvc, password=password, count=1)
    # A password that is itself part of the masked scaffolding ("Password", "********") would
    # be "found" without leaking: judge only passwords the scaffolding cannot contain.
    decoy = Holder(card=pan, cvc=cvc, password="\u2603decoy\u2603", count=1)
    assume(password not in visible_text(decoy) + decoy.model_dump_json() + repr(decoy.model_dump()))
    dumped = holder.model_dump()
    shown = [
        visible_text(holder),
        visible_text(holder.card),
        visible_text(holder.cvc),
        visible_text(holder.password),
        repr(dumped),
        holder.model_dump_json(),
        repr(holder.card.__pydantic_private__),
        repr(holder.model_dump(mode="json")),
    ]
    assert_hidden(pan, *shown)
    assert_hidden(pan[-8:], *shown)  # no more than the last four in a row
    assert_hidden(password, *shown)
    assert dumped["cvc"] == "***"
    assert f"'{cvc}'" not in repr(dumped) + repr(holder)
    assert holder.card.reveal() == pan
    assert holder.cvc.reveal() == cvc
    assert holder.password.reveal() == password


@settings(max_examples=60)
@given(valid_pans, cvcs, passwords)
def test_secrets_stay_hidden_when_another_field_fails(pan, cvc, password):
    with pytest.raises(ValidationError) as info:
        Holder.model_validate({"card": pan, "cvc": cvc, "password": password, "count": "many"})
    assert [e["loc"] for e in info.value.errors()] == [("count",)]
    assert_hidden(pan, error_text(info.value))
    with pytest.raises(ValidationError) as decoy:
        Holder.model_validate({"card": pan, "cvc": cvc, "password": "\u2603" * 8, "count": "many"})
    assume(password not in error_text(decoy.value))  # the message's own words are no leak
    assert_hidden(password, error_text(info.value))


@settings(max_examples=60)
@given(any_digits, st.text("0123456789x", min_size=1, max_size=6), st.text(max_size=2000))
def test_rejected_secrets_are_redacted_in_validation_errors(digits, cvc, password):
    pan = digits[:-1] + str((int(digits[-1]) + 1) % 10)  # almost surely not Luhn-valid
    data = {"card": pan, "cvc": cvc, "password": password, "count": 1}
    try:
        Holder.model_validate(data)
    except ValidationError as exc:
        text = error_text(exc)
        for err in exc.errors():
            assert err["loc"][0] in {"card", "cvc", "password"}
            assert repr(err["input"]) == "<redacted>"
        if len(pan) >= 5:
            assert_hidden(pan, text)
        if len(password) >= 5:
            try:
                Holder.model_validate({**data, "password": "\u2603" * len(password)})
            except ValidationError as decoy:
                assume(password not in error_text(decoy))  # the message's own words are no leak
            assert_hidden(password, text)


def parse_error_text(parse: Any, *args: Any) -> str:
    """str + repr of the error ``parse(*args)`` raises (with its cause), or '' if it succeeds."""
    try:
        parse(*args)
    except InvalidInputError as exc:
        return "\n".join([str(exc), repr(exc), repr(exc.__cause__)])
    return ""


@settings(max_examples=40)
@given(any_digits)
def test_parse_errors_of_card_numbers_never_quote_the_digits(digits):
    text = parse_error_text(CardNumber.parse, digits)
    assert len(digits) < 5 or digits not in text


@given(cvcs, st.sampled_from(["visa", "amex"]))
def test_parse_errors_of_cvcs_never_quote_the_code(code, brand):
    assert code not in parse_error_text(Cvc.parse, code, brand)


def test_a_missing_field_elsewhere_needs_include_input_false_to_hide_the_raw_dict():
    # pydantic reports the whole input dict for a missing field; docs/values.md says so.
    with pytest.raises(ValidationError) as info:
        Holder.model_validate({"card": "4242424242424242", "cvc": "123", "password": "pw"})
    assert "4242424242424242" in repr(info.value.errors())  # pydantic's behaviour, not ours
    assert "4242424242424242" not in repr(info.value.errors(include_input=False))


def test_secrets_in_log_records_show_masks(caplog):
    card = CardNumber.parse("4242424242424242")
    with caplog.at_level(logging.INFO):
        logging.getLogger("walletsupport.test").info("adding %s %r", card, Cvc.parse("123"))
    assert caplog.records[0].getMessage() == "adding 424242******4242 Cvc('***')"


def test_secrets_survive_copy_and_refuse_pickle():
    card = CardNumber.parse("378282246310005")
    for clone in (copy.copy(card), copy.deepcopy(card)):
        assert clone == card
        assert clone.reveal() == "378282246310005"
        assert repr(clone) == "CardNumber('37828******0005')"
    assert card.model_copy().reveal() == card.reveal()
    with pytest.raises(SecretNotPicklableError):
        pickle.dumps(card)


def test_secrets_are_frozen_and_have_no_fields():
    for value in (CardNumber.parse("4242424242424242"), Cvc.parse("123"), Password.parse("pw")):
        assert type(value).model_fields == {}
        with pytest.raises(ValidationError):
            setattr(value, "anything", 1)  # noqa: B010 - the attribute does not exist on purpose


# --- Password ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["p", "correct horse battery staple", "  spaces kept  ", "密码很长很长", "x" * 1024]
)
def test_valid_passwords_are_kept_exactly(text):
    password = Password.parse(text)
    assert password.reveal() == text
    assert repr(password) == "Password('********')"
    assert password.model_dump_json() == '"********"'


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "must not be empty"), ("x" * 1025, "at most 1024"), (12345678, "must be a string")],
)
def test_invalid_passwords_are_refused(text, message):
    with pytest.raises(InvalidSecretError, match=message):
        Password.parse(text)


def test_password_matches_and_equality():
    pw = Password.parse("hunter2 hunter2")
    assert pw.matches("hunter2 hunter2")
    assert not pw.matches("hunter2")
    assert pw == Password.parse("hunter2 hunter2")
    assert pw != Password.parse("hunter3 hunter3")
    assert pw != Cvc.parse("123")
    with pytest.raises(InvalidInputError):
        pw.matches(None)  # type: ignore[arg-type]


def test_password_json_schema_is_write_only_input_and_constant_mask_output():
    validation = Password.model_json_schema()
    assert validation["writeOnly"] is True
    assert validation["format"] == "password"
    assert validation["maxLength"] == 1024
    assert Password.model_json_schema(mode="serialization")["const"] == "********"

"""Shared machinery for values that hold a secret (card number, CVC, password).

A secret value is a frozen pydantic model with no fields: the raw text lives in a private
attribute, boxed in [_Sealed][] so that even ``repr(value.__pydantic_private__)`` stays masked.
Its core schema is built here, once, and does three things pydantic cannot do with decorators:

1. The raw input is sealed *before* any check runs, so a failing check reports the sealed
   box as its ``input``: ``ValidationError.errors()``, ``str(error)`` and ``error.json()``
   show ``'<redacted>'`` and never the secret, even when the value sits in someone else's model.
2. Serialization (``model_dump``, ``model_dump_json``, a field of another model) yields the
   masked string, never the secret.
3. The JSON schema describes the accepted input in validation mode and the masked string in
   serialization mode.

Equality is constant-time on the secret; the hash uses only the masked form.

Examples:
    >>> from walletsupport.values import Password
    >>> pw = Password.parse("correct horse battery staple")
    >>> pw, str(pw), pw.model_dump(), pw.model_dump_json()
    (Password('********'), '********', '********', '"********"')
"""

from __future__ import annotations

import hmac
import re
from typing import Any, ClassVar, NoReturn, Self, cast

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, PrivateAttr
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from walletsupport._model import WalletModel
from walletsupport.errors import (
    InvalidInputError,
    InvalidSecretError,
    SecretNotPicklableError,
    WalletSupportError,
)

__all__: list[str] = []

REDACTED = "<redacted>"

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def is_encodable(text: str) -> bool:
    """Whether ``text`` encodes to UTF-8: no lone surrogate (checked without raising).

    A failed ``str.encode`` raises a ``UnicodeEncodeError`` that holds the whole text, so
    secrets are checked here first and refused with a library error that never quotes them.

    Examples:
        >>> is_encodable("123456"), is_encodable("12" + chr(0xDC80) + "34")
        (True, False)
    """
    return _LONE_SURROGATE.search(text) is None


class _Sealed:
    """A box around raw input or a secret whose repr and str never show the content."""

    __slots__ = ("content",)

    def __init__(self, content: object) -> None:
        self.content = content

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __reduce_ex__(self, protocol: object) -> NoReturn:
        raise SecretNotPicklableError("a sealed secret is never pickled")

    def __copy__(self) -> _Sealed:
        return self

    def __deepcopy__(self, memo: dict[int, object] | None = None) -> _Sealed:
        return self


def _seal(value: object) -> _Sealed:
    return value if isinstance(value, _Sealed) else _Sealed(value)


def _masked_of(value: SecretValue) -> str:
    return value.masked


class SecretValue(WalletModel, frozen=True, extra="forbid"):
    """Base of the secret values; subclasses define the check, the mask and the schemas."""

    _sealed: _Sealed = PrivateAttr()

    #: error raised by ``parse`` (a subclass of InvalidInputError that never quotes the input)
    invalid_error: ClassVar[type[WalletSupportError]] = InvalidInputError
    #: the stable pydantic error type, e.g. ``walletsupport.card_invalid``
    _error_type: ClassVar[str] = "walletsupport.secret_invalid"
    #: JSON schema of the accepted input (validation mode)
    _input_schema: ClassVar[dict[str, Any]] = {"type": "string"}
    #: JSON schema of the masked output (serialization mode)
    _output_schema: ClassVar[dict[str, Any]] = {"type": "string"}

    # --- hooks for subclasses ----------------------------------------------------------------

    @classmethod
    def _check(cls, raw: object) -> str:
        """Return the normalised secret or raise ``cls._invalid(...)``. Never quote ``raw``."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides it

    @property
    def masked(self) -> str:
        """The form that may be shown, logged and stored."""
        raise NotImplementedError  # pragma: no cover - every subclass overrides it

    # --- shared behaviour ----------------------------------------------------------------------

    @classmethod
    def _invalid(cls, message: str) -> PydanticCustomError:
        return PydanticCustomError(cls._error_type, message)

    @classmethod
    def _from_secret(cls, secret: str) -> Self:
        # the pydantic mypy plugin types model_construct() as returning the base class
        value = cast("Self", cls.model_construct())
        value._sealed = _Sealed(secret)
        return value

    @classmethod
    def _parse_checked(cls, check: Any, raw: object) -> Self:
        """Run ``check(raw)`` and build the value; a failed check raises ``cls.invalid_error``."""
        try:
            return cls._from_secret(check(raw))
        except PydanticCustomError as exc:
            raise cls.invalid_error(exc.message()) from None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        def build(sealed: _Sealed) -> SecretValue:
            raw = sealed.content
            if isinstance(raw, cls):
                return raw
            return cls._from_secret(cls._check(raw))

        return core_schema.no_info_before_validator_function(
            _seal,
            core_schema.no_info_plain_validator_function(build),
            serialization=core_schema.plain_serializer_function_ser_schema(
                _masked_of, return_schema=core_schema.str_schema()
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        shape = cls._output_schema if handler.mode == "serialization" else cls._input_schema
        return {"title": cls.__name__, **shape}

    def __reduce_ex__(self, protocol: Any) -> Any:
        raise SecretNotPicklableError(
            f"a {type(self).__name__} is a secret and is never pickled; "
            "pickle its masked form or a keyed hash instead"
        )

    def __copy__(self) -> Self:
        return self  # immutable: copying never needs the pickle protocol

    def __deepcopy__(self, memo: dict[int, object] | None = None) -> Self:
        return self

    def reveal(self) -> str:
        """The raw secret, for handing to a vault, a hasher or a policy. Never log it."""
        return str(self._sealed.content)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked!r})"

    def __str__(self) -> str:
        return self.masked

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SecretValue) or type(other) is not type(self):
            return NotImplemented
        mine, theirs = self.reveal(), other.reveal()
        return hmac.compare_digest(
            mine.encode("utf-8", "surrogatepass"), theirs.encode("utf-8", "surrogatepass")
        )

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.masked))


def matches_secret(secret: str, other: object, what: str) -> bool:
    """Compare ``secret`` with ``other`` (a str) in constant time.

    Source: reference/authentication_security.md `CONSTANT_TIME_COMPARE` (``hmac.compare_digest``).

    Raises:
        InvalidInputError: ``other`` is not a string.
    """
    if not isinstance(other, str):
        raise InvalidInputError(f"{what} must be compared with a str, got {type(other).__name__}")
    if not is_encodable(other):
        raise InvalidSecretError(f"{what} must be compared with valid Unicode text")
    return hmac.compare_digest(
        secret.encode("utf-8", "surrogatepass"), other.encode("utf-8", "surrogatepass")
    )

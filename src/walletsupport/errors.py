"""The whole error tree of walletsupport.

Every error the library raises on purpose derives from
[WalletSupportError][walletsupport.errors.WalletSupportError].
Families carry a builtin mixin where a caller would naturally catch one, so
``except ValueError`` still works around a bad argument and ``except LookupError``
around an unknown id::

    WalletSupportError
    ├── InvalidInputError(ValueError)            a bad argument to a public function
    │   ├── NaiveDatetimeError                   a datetime without tzinfo
    │   ├── InvalidPhoneNumberError
    │   ├── InvalidMoneyError
    │   ├── InvalidCardError                     card number, expiry or CVC (never echoes it)
    │   ├── InvalidSecretError                   password, one-time code or token (never echoes it)
    │   │   └── SecretNotPicklableError(TypeError)  pickling a value that holds a secret
    │   └── EmptyTextError                       triage of empty or whitespace-only text
    ├── ConfigurationError(ValueError)           a bad definition, found at construction
    │   ├── InvalidScheduleError
    │   ├── DuplicateIssueCategoryError(.category_id)
    │   └── InvalidDirectoryError(.line_id)
    ├── NotFoundError(LookupError)               an unknown name or id
    │   ├── UnknownIssueCategoryError(.category_id)
    │   ├── UnknownWorkflowError(.kind)
    │   ├── UnknownLineError(.line_id)
    │   ├── CaseNotFoundError(.case_id)
    │   ├── NeverOpenError                       no opening within the bounded search
    │   └── NeverClosesError                     no closing: the schedule is open around the clock
    ├── WorkflowError                            a run-time refusal of a workflow
    │   ├── TransitionNotAllowedError(.workflow, .state, .event)
    │   ├── GuardRejectedError(.workflow, .state, .event, .reason)
    │   ├── ConcurrencyConflictError(.case_id, .expected_version, .actual_version)
    │   ├── CaseAlreadyExistsError(.case_id)
    │   └── IdempotencyKeyReusedError(.case_id, .idempotency_key)
    ├── VerificationError                        a refusal while verifying a customer
    │   ├── VerificationFailedError
    │   │   └── InvalidEvidenceError              forged, edited or misbound verification evidence
    │   ├── CodeExpiredError
    │   ├── CodeAlreadyUsedError
    │   ├── TooManyAttemptsError
    │   └── ResendTooSoonError(.retry_at)
    └── StorageError                             raised by adapters, chained from the driver error

Definition-time problems
([ConfigurationError][walletsupport.errors.ConfigurationError]) are kept apart from
run-time refusals ([WorkflowError][walletsupport.errors.WorkflowError]), as
python-statemachine keeps ``InvalidDefinition`` apart from ``TransitionNotAllowed``.

No message ever contains a secret: card numbers, CVCs, codes, tokens and passwords are
described, never quoted.

Examples:
    >>> from walletsupport.errors import NaiveDatetimeError, InvalidInputError
    >>> issubclass(NaiveDatetimeError, ValueError)
    True
    >>> err = UnknownIssueCategoryError("lost_dog")
    >>> isinstance(err, LookupError), err.category_id
    (True, 'lost_dog')
    >>> str(err)
    "unknown issue category 'lost_dog'"
"""

from __future__ import annotations

from datetime import datetime

from walletsupport._shown import shown

__all__ = [
    "CaseAlreadyExistsError",
    "CaseNotFoundError",
    "CodeAlreadyUsedError",
    "CodeExpiredError",
    "ConcurrencyConflictError",
    "ConfigurationError",
    "DuplicateIssueCategoryError",
    "EmptyTextError",
    "GuardRejectedError",
    "IdempotencyKeyReusedError",
    "InvalidCardError",
    "InvalidDirectoryError",
    "InvalidEvidenceError",
    "InvalidInputError",
    "InvalidMoneyError",
    "InvalidPhoneNumberError",
    "InvalidScheduleError",
    "InvalidSecretError",
    "NaiveDatetimeError",
    "NeverClosesError",
    "NeverOpenError",
    "NotFoundError",
    "ResendTooSoonError",
    "SecretNotPicklableError",
    "StorageError",
    "TooManyAttemptsError",
    "TransitionNotAllowedError",
    "UnknownIssueCategoryError",
    "UnknownLineError",
    "UnknownWorkflowError",
    "VerificationError",
    "VerificationFailedError",
    "WalletSupportError",
    "WorkflowError",
]


#: Longest message a library error keeps: a message built from garbage input stays readable.
MAX_MESSAGE_CHARS = 1_000

_BASE_CONTEXT = BaseException.__dict__["__context__"]


class WalletSupportError(Exception):
    """Root of every error walletsupport raises on purpose.

    Two guarantees hold for every library error, whoever raises it:

    * Its message is at most ``MAX_MESSAGE_CHARS`` characters (a longer one is cut and ends
      with ``…``), so an error about huge input never carries the input.
    * Its ``__context__`` is only ever another library error, and none once the error was
      raised ``from None`` or ``from`` a cause: a foreign error that was being handled (a
      pydantic ``ValidationError`` quoting its input, a ``UnicodeEncodeError`` holding a
      presented code) is not reachable through it, so ``traceback.format_exception`` of the
      whole chain cannot print it.

    Examples:
        >>> try:
        ...     try:
        ...         int("4111111111111111x")
        ...     except ValueError:
        ...         raise InvalidInputError("not a number") from None
        ... except InvalidInputError as exc:
        ...     exc.__context__ is None, exc.__cause__ is None
        (True, True)
        >>> len(str(InvalidInputError("x" * 5000))) <= MAX_MESSAGE_CHARS
        True
    """

    def __init__(self, *args: object) -> None:
        if args and isinstance(args[0], str) and len(args[0]) > MAX_MESSAGE_CHARS:
            args = (args[0][: MAX_MESSAGE_CHARS - 1] + "…", *args[1:])
        super().__init__(*args)

    @property
    def __context__(self) -> BaseException | None:
        """The error being handled when this one was raised; ``None`` once suppressed."""
        context: BaseException | None = _BASE_CONTEXT.__get__(self)
        if self.__suppress_context__ or not isinstance(context, WalletSupportError):
            return None
        return context

    @__context__.setter
    def __context__(self, value: BaseException | None) -> None:
        _BASE_CONTEXT.__set__(self, value)


# --- invalid input ---------------------------------------------------------------------------


class InvalidInputError(WalletSupportError, ValueError):
    """A public function was given an argument it cannot accept."""


class NaiveDatetimeError(InvalidInputError):
    """A datetime without ``tzinfo`` was given where an aware one is required."""


class InvalidPhoneNumberError(InvalidInputError):
    """Text that is neither a valid E.164 number nor a valid short service number."""


class InvalidMoneyError(InvalidInputError):
    """An amount or currency that cannot form a `Money` value."""


class InvalidCardError(InvalidInputError):
    """A card number, expiry or CVC that fails validation. The message never quotes it."""


class InvalidSecretError(InvalidInputError):
    """A password, one-time code or token of the wrong form. The message never quotes it."""


class SecretNotPicklableError(InvalidSecretError, TypeError):
    """A value holding a secret (card number, CVC, password, code, token, key) was pickled.

    Secret values refuse ``pickle`` rather than travel in clear through a cache or a task
    queue; pass the masked form, a token or a keyed hash instead.
    """


class EmptyTextError(InvalidInputError):
    """Triage was asked to classify empty or whitespace-only text."""


# --- configuration -------------------------------------------------------------------------


class ConfigurationError(WalletSupportError, ValueError):
    """A definition (schedule, plan, registry, directory) is inconsistent."""


class InvalidScheduleError(ConfigurationError):
    """A schedule definition breaks one of the schedule rules."""


class DuplicateIssueCategoryError(ConfigurationError):
    """An issue category id was registered twice."""

    def __init__(self, category_id: str) -> None:
        self.category_id = category_id
        super().__init__(f"issue category {shown(category_id)} is already registered")


class InvalidDirectoryError(ConfigurationError):
    """A support-line directory is inconsistent; ``line_id`` names the offending line."""

    def __init__(self, message: str, *, line_id: str | None = None) -> None:
        self.line_id = line_id
        super().__init__(message)


# --- not found -----------------------------------------------------------------------------


class NotFoundError(WalletSupportError, LookupError):
    """An unknown name or id was looked up."""

    def __str__(self) -> str:
        # LookupError would otherwise be fine; KeyError is what quotes, and we never use it.
        return str(self.args[0]) if self.args else ""


class UnknownIssueCategoryError(NotFoundError):
    """No issue category with this id is registered."""

    def __init__(self, category_id: str) -> None:
        self.category_id = category_id
        super().__init__(f"unknown issue category {shown(category_id)}")


class UnknownWorkflowError(NotFoundError):
    """No workflow of this kind is known."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__(f"unknown workflow {shown(kind)}")


class UnknownLineError(NotFoundError):
    """No support line with this id is in the directory."""

    def __init__(self, line_id: str) -> None:
        self.line_id = line_id
        super().__init__(f"unknown support line {shown(line_id)}")


class CaseNotFoundError(NotFoundError):
    """No case with this id is stored."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"no case {shown(case_id)}")


class NeverOpenError(NotFoundError):
    """A schedule has no opening (or not enough business time) within the bounded search."""


class NeverClosesError(NotFoundError):
    """A schedule has no closing instant within the bounded search (it is open around the clock).

    Raised by ``Schedule.next_close`` on a 24/7 schedule.
    """


# --- workflow ------------------------------------------------------------------------------


class WorkflowError(WalletSupportError):
    """A workflow refused a command at run time."""


class TransitionNotAllowedError(WorkflowError):
    """The event is not allowed in the workflow's current state."""

    def __init__(self, *, workflow: str, state: str, event: str) -> None:
        self.workflow = workflow
        self.state = state
        self.event = event
        super().__init__(f"{workflow}: event {shown(event)} is not allowed in state {shown(state)}")


class GuardRejectedError(WorkflowError):
    """The event exists in this state, but a policy guard refused it (``reason`` says why)."""

    def __init__(self, *, workflow: str, state: str, event: str, reason: str) -> None:
        self.workflow = workflow
        self.state = state
        self.event = event
        self.reason = reason
        super().__init__(
            f"{workflow}: event {shown(event)} refused in state {shown(state)}: {reason}"
        )


class ConcurrencyConflictError(WorkflowError):
    """A save was made against a stale version; reload and retry. Nothing was written."""

    def __init__(self, *, case_id: str, expected_version: int, actual_version: int | None) -> None:
        self.case_id = case_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"case {shown(case_id)}: expected version {expected_version}, "
            f"found {actual_version if actual_version is not None else 'none'}"
        )


class CaseAlreadyExistsError(WorkflowError):
    """A case with this id already exists."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"case {shown(case_id)} already exists")


class IdempotencyKeyReusedError(WorkflowError):
    """An idempotency key was replayed with a different command."""

    def __init__(self, *, case_id: str, idempotency_key: str) -> None:
        self.case_id = case_id
        self.idempotency_key = idempotency_key
        super().__init__(
            f"case {shown(case_id)}: idempotency key {shown(idempotency_key)} "
            "was used for another command"
        )


# --- verification --------------------------------------------------------------------------


class VerificationError(WalletSupportError):
    """A verification step refused the caller."""


class VerificationFailedError(VerificationError):
    """The presented code, token or answer did not match."""


class InvalidEvidenceError(VerificationFailedError):
    """Verification evidence the library did not produce: forged, edited, or bound elsewhere.

    Raised for a session not built by the library's checks under the server key, and for
    sealed evidence whose MAC fails or that names another account, case or action.
    """


class CodeExpiredError(VerificationError):
    """The code or token is past its expiry."""


class CodeAlreadyUsedError(VerificationError):
    """The code or token was already used once."""


class TooManyAttemptsError(VerificationError):
    """The attempt limit is exhausted; the code is dead."""


class ResendTooSoonError(VerificationError):
    """A new code was requested inside the resend cool-down."""

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        self.retry_at = retry_at
        super().__init__(message)


# --- storage -------------------------------------------------------------------------------


class StorageError(WalletSupportError):
    """A store failed; the driver's error is chained as ``__cause__``. Never holds credentials."""

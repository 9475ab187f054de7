"""Password reset: requested -> code_sent / token_issued -> verified -> completed.

A reset ends ``completed``, ``expired`` (a code, token or window lapsed) or ``locked_out``
(too many wrong codes or tokens). Every final state absorbs.

What is stored, and what never is:

* A one-time code (SMS, email, app) is stored as the verification module's
  [OtpState][walletsupport.verification.OtpState]: an HMAC over a salt, the case id and the
  code. A reset link's token is stored as a
  [ResetTokenState][walletsupport.verification.ResetTokenState] (its HMAC). Codes and tokens
  are single use and expire (``OWASP_RESET_TOKEN``; ``NIST_OOB_SECRET``: an out-of-band code
  lives at most 10 minutes) and are compared in constant time (``CONSTANT_TIME_COMPARE``).
* The presented code or token and the new password travel in commands as ``repr=False``
  fields: the engine leaves them out of the audit entry and the idempotency digest.
* The new password is checked by [PasswordPolicy][walletsupport.policies.password.PasswordPolicy]
  in a validator (NIST SP 800-63B §5.1.1.2, ``NIST_PW_MIN_LENGTH``, ``NIST_PW_BLOCKLIST``);
  a refusal's reason lists the failed rules, never the password.
* Nothing tells whether an account exists (``OWASP_RESET_NO_ENUMERATION``,
  ``OWASP_RESET_CONSTANT_TIME``): for an unknown account, open the case and send a code
  exactly as for a known one, but do not deliver it. The case then behaves identically (a
  wrong code is a wrong code) and
  [reset_response][walletsupport.workflows.password_reset.reset_response] answers the same
  words in both cases.

The server key that hashes codes and tokens lives in
[PasswordResetPolicy][walletsupport.workflows.password_reset.PasswordResetPolicy] (never in a
case); build the workflow with ``password_reset_workflow(policy=PasswordResetPolicy(key=...))``.
Without a key, issuing and checking codes is refused.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.values import Password
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    >>> policy = PasswordResetPolicy(key=b"server-key-kept-in-a-vault-0001")
    >>> service = WorkflowService(MemoryStore(), clock, [password_reset_workflow(policy=policy)])
    >>> _ = service.open("password_reset", PasswordResetData(account_ref="acct-42"),
    ...                  case_id="R-1", actor="customer")
    >>> issued, send = policy.issue_code("R-1", clock.now())   # deliver issued.reveal() by SMS
    >>> service.apply("R-1", send, idempotency_key="1", actor="system").state
    'code_sent'
    >>> code = SubmitResetCode(code=issued.reveal())
    >>> service.apply("R-1", code, idempotency_key="2", actor="customer").state
    'verified'
    >>> done = CompleteReset(new_password=Password.parse("correct horse battery staple"))
    >>> case = service.apply("R-1", done, idempotency_key="3", actor="customer")
    >>> case.state, issued.reveal() in case.model_dump_json()
    ('completed', False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import ClassVar, TypeAlias

from pydantic import AwareDatetime, Field, SecretStr
from statemachine import StateMachine
from statemachine.states import States

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import ConfigurationError, InvalidInputError, WalletSupportError
from walletsupport.policies.password import PasswordPolicy
from walletsupport.values.password import Password
from walletsupport.verification.otp import (
    CodeOutcome,
    IssuedCode,
    OtpPolicy,
    OtpState,
    OtpStatus,
    issue_code,
    resend_code,
    verify_code,
)
from walletsupport.verification.reset import (
    IssuedResetToken,
    PasswordResetResponse,
    ResetTokenPolicy,
    ResetTokenState,
    request_password_reset,
    verify_reset_token,
)
from walletsupport.workflows._keys import ServerKey, require_key
from walletsupport.workflows.definition import CaseContext, Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "CompleteReset",
    "ExpireReset",
    "IssueResetToken",
    "PasswordResetData",
    "PasswordResetMachine",
    "PasswordResetPolicy",
    "PasswordResetState",
    "ResendResetCode",
    "ResetChannel",
    "SendResetCode",
    "SubmitResetCode",
    "SubmitResetToken",
    "password_reset_deadlines",
    "password_reset_workflow",
    "reset_response",
]


_Rng: TypeAlias = Callable[[int], int]


class PasswordResetState(WalletEnum):
    """The states of a password reset (stored values: never rename one).

    Examples:
        >>> [s.value for s in PasswordResetState][:3]
        ['requested', 'code_sent', 'token_issued']
    """

    REQUESTED = "requested"
    CODE_SENT = "code_sent"
    TOKEN_ISSUED = "token_issued"  # noqa: S105 - a state name, not a secret
    VERIFIED = "verified"
    COMPLETED = "completed"
    EXPIRED = "expired"
    LOCKED_OUT = "locked_out"


#: The absorbing states.
FINAL_STATES = frozenset(
    {PasswordResetState.COMPLETED, PasswordResetState.EXPIRED, PasswordResetState.LOCKED_OUT}
)


class ResetChannel(WalletEnum):
    """How the one-time code reached the customer (a reset link is ``link``).

    Examples:
        >>> ResetChannel("sms") is ResetChannel.SMS
        True
    """

    SMS = "sms"
    EMAIL = "email"
    APP = "app"
    LINK = "link"


class PasswordResetPolicy(WalletModel, frozen=True, extra="forbid", hide_input_in_errors=True):
    """The settings of password resets, and the server key that hashes codes and tokens.

    Attributes:
        key: the server's secret key (at least 16 bytes) for the codes' and tokens' HMACs;
            never stored in a case, never shown (``SecretBytes``). ``None`` refuses to issue
            or check codes.
        otp: one-time code settings (6-8 digits, at most 10 minutes, at most 5 wrong tries;
            ``NIST_OOB_SECRET``, ``RTS_MAX_FAILED_ATTEMPTS``).
        token: reset-link token settings (256 bits, 30 minutes by default;
            ``OWASP_RESET_TOKEN``).
        password: the rules a new password must pass (NIST SP 800-63B §5.1.1.2).
        max_token_attempts: wrong tokens before the reset locks out, 1 to 100
            (``NIST_RATE_LIMIT_100``, ``OWASP_RESET_RATE_LIMIT``).
        request_window: how long a request may wait for a code or link before it expires.
        completion_window: how long a verified reset may wait for the new password.

    Examples:
        >>> policy = PasswordResetPolicy(key=b"0123456789abcdef")
        >>> "0123456789abcdef" in repr(policy) + str(policy.model_dump())
        False
        >>> PasswordResetPolicy(key=b"short")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        walletsupport.errors.ConfigurationError: invalid PasswordResetPolicy: key: the key must ...
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    key: ServerKey | None = Field(default=None, repr=False)
    otp: OtpPolicy = OtpPolicy()
    token: ResetTokenPolicy = ResetTokenPolicy()
    password: PasswordPolicy = PasswordPolicy()
    max_token_attempts: int = Field(default=5, ge=1, le=100)
    request_window: timedelta = Field(default=timedelta(minutes=15), gt=timedelta(0))
    completion_window: timedelta = Field(default=timedelta(minutes=15), gt=timedelta(0))

    def secret_key(self) -> bytes:
        """The server key's bytes.

        Raises:
            ConfigurationError: the policy has no key.

        Examples:
            >>> PasswordResetPolicy().secret_key()
            Traceback (most recent call last):
            ...
            walletsupport.errors.ConfigurationError: password_reset has no server key
        """
        return require_key(self.key, "password_reset")

    def issue_code(
        self,
        case_id: str,
        at: datetime,
        *,
        channel: ResetChannel = ResetChannel.SMS,
        rng: _Rng | None = None,
    ) -> tuple[IssuedCode, SendResetCode]:
        """Issue a code bound to ``case_id``: the code to deliver, and the command to apply.

        Args:
            case_id: the reset case the code is for (a code never verifies another case).
            at: now.
            channel: where the code is delivered (``link`` is not a code channel).
            rng: a seeded ``rng(n)`` for tests only; ``secrets.randbelow`` by default.

        Raises:
            ConfigurationError: the policy has no key.
            InvalidInputError: a bad case id or channel, or a naive ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> policy = PasswordResetPolicy(key=b"k" * 32)
            >>> issued, send = policy.issue_code("R-1", datetime(2026, 1, 5, tzinfo=timezone.utc))
            >>> len(issued.reveal()), send.channel.value, issued.reveal() in repr(send)
            (6, 'sms', False)
        """
        if not isinstance(channel, ResetChannel) or channel is ResetChannel.LINK:
            raise InvalidInputError("a code is sent by sms, email or app")
        issued, state = issue_code(
            self.otp, self.secret_key(), at, purpose=_purpose(case_id), rng=rng
        )
        return issued, SendResetCode(otp=state, channel=channel)

    def resend_code(
        self, case: CaseSnapshot, at: datetime, *, rng: _Rng | None = None
    ) -> tuple[IssuedCode, ResendResetCode]:
        """A fresh code for a case in ``code_sent``; the failure count carries over.

        Raises:
            ConfigurationError: the policy has no key.
            InvalidInputError: ``case`` is not a password reset waiting for a code.
            ResendTooSoonError: inside the resend cool-down (``retry_at`` says when).
            TooManyAttemptsError: the code is dead or too many codes were sent.

        Examples:
            >>> from datetime import datetime, timezone
            >>> policy = PasswordResetPolicy(key=b"k" * 32)
            >>> policy.resend_code(None, datetime(2026, 1, 5, tzinfo=timezone.utc))
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidInputError: expected a password reset waiting for a code
        """
        if (
            not isinstance(case, CaseSnapshot)
            or case.kind != "password_reset"
            or case.state != PasswordResetState.CODE_SENT
        ):
            raise InvalidInputError("expected a password reset waiting for a code")
        current = PasswordResetData.model_validate(case.data).otp
        if current is None:
            raise InvalidInputError("the case holds no code to resend")
        issued, state = resend_code(
            current, self.secret_key(), at, purpose=_purpose(case.id), rng=rng
        )
        return issued, ResendResetCode(otp=state)

    def issue_token(
        self, case_id: str, at: datetime, *, account_ref: str | None = None
    ) -> tuple[IssuedResetToken, IssueResetToken]:
        """Issue a reset-link token bound to ``case_id`` and ``account_ref``.

        Returns the token to put in the link and the command to apply. The token's hash
        covers the case and the account, so it never verifies on another case, and the
        command is refused by a case for another account.

        Args:
            case_id: the reset case the token is for.
            at: now.
            account_ref: the case's ``account_ref`` (``None`` when no account matched).

        Raises:
            ConfigurationError: the policy has no key.
            InvalidInputError: a bad case id or account reference, or a naive ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> policy = PasswordResetPolicy(key=b"k" * 32)
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> issued, command = policy.issue_token("R-1", t0, account_ref="acct-42")
            >>> issued.reveal() in command.model_dump_json(), command.case_id
            (False, 'R-1')
        """
        if account_ref is not None and (not isinstance(account_ref, str) or not account_ref):
            raise InvalidInputError("account_ref must be a non-empty string or None")
        request = request_password_reset(
            account_found=True,
            key=self.secret_key(),
            at=at,
            policy=self.token,
            purpose=_token_purpose(case_id, account_ref),
        )
        if request.token is None or request.state is None:  # pragma: no cover - account_found
            raise ConfigurationError("the verification module issued no token")
        command = IssueResetToken(token=request.state, case_id=case_id, account_ref=account_ref)
        return request.token, command


class PasswordResetData(WalletModel, frozen=True, extra="forbid"):
    """What a reset case stores: hashes and facts, never a code, token or password.

    Attributes:
        account_ref: the integrator's opaque account reference (not what the customer
            typed); ``None`` when no account matched.
        channel: where the code or link went.
        otp: the code's keyed hash, expiry, attempts and status.
        token: the reset token's keyed hash and expiry.
        failed_attempts: wrong codes or tokens presented so far.
        verified_at: when a code or token verified.
        completed_at: when the new password was accepted.

    Examples:
        >>> PasswordResetData(account_ref="acct-1").model_dump(exclude_none=True)
        {'account_ref': 'acct-1', 'failed_attempts': 0}
    """

    account_ref: str | None = Field(default=None, max_length=200)
    channel: ResetChannel | None = None
    otp: OtpState | None = None
    token: ResetTokenState | None = None
    failed_attempts: int = Field(default=0, ge=0)
    verified_at: AwareDatetime | None = None
    completed_at: AwareDatetime | None = None


PasswordResetCase: TypeAlias = CaseContext[PasswordResetData, PasswordResetPolicy]


# --- commands --------------------------------------------------------------------------------


class SendResetCode(Command):
    """Record that a code was sent (build it with ``PasswordResetPolicy.issue_code``).

    Examples:
        >>> SendResetCode.event
        'send_code'
    """

    event: ClassVar[str] = "send_code"
    otp: OtpState
    channel: ResetChannel = ResetChannel.SMS


class ResendResetCode(Command):
    """Record that a fresh code replaced the old one (``PasswordResetPolicy.resend_code``).

    Examples:
        >>> ResendResetCode.event
        'resend_code'
    """

    event: ClassVar[str] = "resend_code"
    otp: OtpState


class IssueResetToken(Command):
    """Record that a reset link was sent (build it with ``PasswordResetPolicy.issue_token``).

    Examples:
        >>> IssueResetToken.event
        'issue_token'
    """

    event: ClassVar[str] = "issue_token"
    token: ResetTokenState
    case_id: str = Field(min_length=1, max_length=128)
    account_ref: str | None = Field(default=None, max_length=200)


class SubmitResetCode(Command):
    """The customer presents the code. The code is never audited.

    Examples:
        >>> SubmitResetCode(code="482913")
        SubmitResetCode()
        >>> SubmitResetCode(code="482913").audit_details()
        {}
    """

    event: ClassVar[str] = "submit_code"
    code: SecretStr = Field(repr=False, min_length=1, max_length=64)


class SubmitResetToken(Command):
    """The customer follows the reset link; the token is never audited.

    Examples:
        >>> "tok" in repr(SubmitResetToken(token="tok-abc"))
        False
    """

    event: ClassVar[str] = "submit_token"
    token: SecretStr = Field(repr=False, min_length=1, max_length=512)


class CompleteReset(Command):
    """The customer chooses the new password (typed twice when ``confirmation`` is given).

    ``context`` holds words the password must not be (user name, email local part); it is
    personal data, so it is not audited either.

    Examples:
        >>> from walletsupport.values import Password
        >>> command = CompleteReset(new_password=Password.parse("a long passphrase"))
        >>> command, command.audit_details()
        (CompleteReset(), {})
    """

    event: ClassVar[str] = "complete"
    new_password: Password = Field(repr=False)
    confirmation: Password | None = Field(default=None, repr=False)
    context: tuple[str, ...] = Field(default=(), repr=False, max_length=20)


class ExpireReset(Command):
    """The scheduler ends a reset whose running deadline has passed.

    Examples:
        >>> ExpireReset.event
        'expire'
    """

    event: ClassVar[str] = "expire"


# --- machine ---------------------------------------------------------------------------------


class PasswordResetMachine(StateMachine):
    """The password reset's states and transitions.

    ``submit_code`` and ``submit_token`` check the presented secret once and branch on the
    outcome: verified, locked out (attempts exhausted), expired, or a recorded wrong attempt.

    Examples:
        >>> sorted(e.id for e in PasswordResetMachine(start_value="code_sent").allowed_events)
        ['expire', 'resend_code', 'submit_code']
    """

    _ = States.from_enum(
        PasswordResetState,
        initial=PasswordResetState.REQUESTED,
        final=[
            PasswordResetState.COMPLETED,
            PasswordResetState.EXPIRED,
            PasswordResetState.LOCKED_OUT,
        ],
    )

    send_code = _.REQUESTED.to(_.CODE_SENT, validators="fresh_code")
    issue_token = _.REQUESTED.to(_.TOKEN_ISSUED, validators="fresh_token")
    resend_code = _.CODE_SENT.to.itself(validators="same_verification")
    submit_code = (
        _.CODE_SENT.to(_.VERIFIED, validators="has_key", cond="code_verified")
        | _.CODE_SENT.to(_.LOCKED_OUT, cond="code_exhausted")
        | _.CODE_SENT.to(_.EXPIRED, cond="code_expired")
        | _.CODE_SENT.to.itself()
    )
    submit_token = (
        _.TOKEN_ISSUED.to(_.VERIFIED, validators="has_key", cond="token_verified")
        | _.TOKEN_ISSUED.to(_.EXPIRED, cond="token_expired")
        | _.TOKEN_ISSUED.to(_.LOCKED_OUT, cond="token_exhausted")
        | _.TOKEN_ISSUED.to.itself()
    )
    complete = _.VERIFIED.to(_.COMPLETED, validators="acceptable_password")
    expire = (
        _.REQUESTED.to(_.EXPIRED, validators="deadline_passed")
        | _.CODE_SENT.to(_.EXPIRED, validators="deadline_passed")
        | _.TOKEN_ISSUED.to(_.EXPIRED, validators="deadline_passed")
        | _.VERIFIED.to(_.EXPIRED, validators="deadline_passed")
    )

    _code_outcome: tuple[object, CodeOutcome] | None = None
    _token_outcome: tuple[object, CodeOutcome] | None = None

    # validators --------------------------------------------------------------------------

    def has_key(self, case: PasswordResetCase) -> None:
        """Checking a code or token needs the server key."""
        if case.policy.key is None:
            case.reject("no server key is configured to check codes and tokens")

    @staticmethod
    def request_open(case: PasswordResetCase) -> None:
        """A code or link goes out only while the request is open (``request_window``)."""
        if case.at >= case.created_at + case.policy.request_window:
            case.reject("the reset request has lapsed; ask for a new one")

    def fresh_code(self, case: PasswordResetCase, command: SendResetCode) -> None:
        """A new code: active, no failures, issued at or before now and not yet expired."""
        otp = command.otp
        self.request_open(case)
        if command.channel is ResetChannel.LINK:
            case.reject("a code is sent by sms, email or app")
        if otp.status is not OtpStatus.ACTIVE or otp.failed_attempts or otp.sends != 1:
            case.reject("the code must be freshly issued")
        if otp.issued_at > case.at or otp.is_expired(case.at):
            case.reject("the code is not valid now")

    def fresh_token(self, case: PasswordResetCase, command: IssueResetToken) -> None:
        """A new token for this case and account: unused, issued at or before now, unexpired."""
        token = command.token
        self.request_open(case)
        if command.case_id != case.case_id or command.account_ref != case.data.account_ref:
            case.reject("the token was issued for another case or account")
        if token.used_at is not None:
            case.reject("the token must be freshly issued")
        if token.issued_at > case.at or case.at >= token.expires_at:
            case.reject("the token is not valid now")

    def same_verification(self, case: PasswordResetCase, command: ResendResetCode) -> None:
        """A resent code keeps the failure count and adds one send (``NIST_OOB_SECRET``)."""
        old, new = case.data.otp, command.otp
        if old is None:  # pragma: no cover - code_sent always holds a code
            case.reject("there is no code to replace")
        if (
            new.failed_attempts < old.failed_attempts
            or new.sends != old.sends + 1
            or new.status is not OtpStatus.ACTIVE
            or new.issued_at > case.at
            or new.is_expired(case.at)
        ):
            case.reject("a resent code must continue the same verification")

    def acceptable_password(self, case: PasswordResetCase, command: CompleteReset) -> None:
        """Within the completion window; the new password passes the policy (NIST §5.1.1.2)."""
        verified_at = case.data.verified_at
        if verified_at is not None and case.at >= verified_at + case.policy.completion_window:
            case.reject("the verification has lapsed; request a new reset")
        if command.confirmation is not None and not command.confirmation.matches(
            command.new_password.reveal()
        ):
            case.reject("the two passwords differ")
        check = case.policy.password.check(command.new_password, context=command.context)
        if not check.ok:
            case.reject("the new password is not acceptable: " + "; ".join(check.messages))

    def deadline_passed(self, case: PasswordResetCase) -> None:
        """Expiry is sent by a scheduler: refuse it while the running deadline is ahead."""
        due = _running_due(case.state, case.data, case.policy, case.created_at)
        if due is not None and case.at < due:
            case.reject(f"nothing has lapsed yet; the deadline is {due.isoformat()}")

    # conditions ----------------------------------------------------------------------------

    def code_verified(self, case: PasswordResetCase, command: SubmitResetCode) -> bool:
        return self._check_code(case, command) is CodeOutcome.VERIFIED

    def code_exhausted(self, case: PasswordResetCase, command: SubmitResetCode) -> bool:
        return self._check_code(case, command) is CodeOutcome.EXHAUSTED

    def code_expired(self, case: PasswordResetCase, command: SubmitResetCode) -> bool:
        return self._check_code(case, command) is CodeOutcome.EXPIRED

    def token_verified(self, case: PasswordResetCase, command: SubmitResetToken) -> bool:
        return self._check_token(case, command) is CodeOutcome.VERIFIED

    def token_expired(self, case: PasswordResetCase, command: SubmitResetToken) -> bool:
        return self._check_token(case, command) is CodeOutcome.EXPIRED

    def token_exhausted(self, case: PasswordResetCase, command: SubmitResetToken) -> bool:
        return (
            self._check_token(case, command) is CodeOutcome.MISMATCH
            and case.data.failed_attempts >= case.policy.max_token_attempts
        )

    def _check_code(self, case: PasswordResetCase, command: SubmitResetCode) -> CodeOutcome:
        """Verify once per command (the machine is rebuilt per command) and store the result."""
        if self._code_outcome is None or self._code_outcome[0] is not case:
            otp = case.data.otp
            if otp is None:  # pragma: no cover - code_sent always holds a code
                case.reject("there is no code to check")
            check = verify_code(
                otp,
                case.policy.secret_key(),
                command.code.get_secret_value(),
                case.at,
                purpose=_purpose(case.case_id),
            )
            case.update(otp=check.state, failed_attempts=check.state.failed_attempts)
            self._code_outcome = (case, check.outcome)
        return self._code_outcome[1]

    def _check_token(self, case: PasswordResetCase, command: SubmitResetToken) -> CodeOutcome:
        if self._token_outcome is None or self._token_outcome[0] is not case:
            token = case.data.token
            if token is None:  # pragma: no cover - token_issued always holds a token
                case.reject("there is no token to check")
            check = verify_reset_token(
                token,
                case.policy.secret_key(),
                command.token.get_secret_value(),
                case.at,
                purpose=_token_purpose(case.case_id, case.data.account_ref),
            )
            failed = case.data.failed_attempts
            if check.outcome is CodeOutcome.MISMATCH:
                failed += 1
            case.update(token=check.state, failed_attempts=failed)
            self._token_outcome = (case, check.outcome)
        return self._token_outcome[1]

    # actions -------------------------------------------------------------------------------

    def on_send_code(self, case: PasswordResetCase, command: SendResetCode) -> None:
        case.update(otp=command.otp, channel=command.channel)
        case.note(channel=command.channel.value, code_expires_at=command.otp.expires_at.isoformat())

    def on_resend_code(self, case: PasswordResetCase, command: ResendResetCode) -> None:
        case.update(otp=command.otp)
        case.note(sends=command.otp.sends, code_expires_at=command.otp.expires_at.isoformat())

    def on_issue_token(self, case: PasswordResetCase, command: IssueResetToken) -> None:
        case.update(token=command.token, channel=ResetChannel.LINK)
        case.note(channel="link", token_expires_at=command.token.expires_at.isoformat())

    def on_submit_code(self, case: PasswordResetCase) -> None:
        self._record_outcome(case, _memo(self._code_outcome, case))

    def on_submit_token(self, case: PasswordResetCase) -> None:
        self._record_outcome(case, _memo(self._token_outcome, case))

    @staticmethod
    def _record_outcome(case: PasswordResetCase, outcome: CodeOutcome | None) -> None:
        if outcome is CodeOutcome.VERIFIED:
            case.update(verified_at=case.at)
        case.note(
            outcome=outcome.value if outcome is not None else "unknown",
            failed_attempts=case.data.failed_attempts,
        )

    def on_complete(self, case: PasswordResetCase) -> None:
        case.update(completed_at=case.at)
        # OWASP_RESET_AFTER: tell the customer (never the password), no auto-login, end sessions.
        case.note(notify_customer=True, revoke_sessions=True, auto_login=False)

    def on_expire(self, case: PasswordResetCase) -> None:
        case.note(lapsed=case.state)


def _memo(memo: tuple[object, CodeOutcome] | None, case: object) -> CodeOutcome | None:
    """The outcome checked for this command's ``case``, if any."""
    return memo[1] if memo is not None and memo[0] is case else None


def _purpose(case_id: str) -> str:
    """A code is bound to its case: one issued for another case never verifies."""
    if not isinstance(case_id, str) or not case_id:
        raise InvalidInputError("case_id must be a non-empty string")
    return f"password_reset:{case_id}"


def _token_purpose(case_id: str, account_ref: str | None) -> str:
    """A reset token is bound to its case and its account (never verifies elsewhere)."""
    bound = _purpose(case_id)
    return f"{bound}:account:{account_ref}" if account_ref is not None else f"{bound}:no-account"


def _running_due(
    state: str, data: PasswordResetData, policy: PasswordResetPolicy, created_at: datetime
) -> datetime | None:
    """The one running deadline of a reset in ``state``, or ``None``."""
    if state == PasswordResetState.REQUESTED:
        return created_at + policy.request_window
    if state == PasswordResetState.CODE_SENT and data.otp is not None:
        return data.otp.expires_at
    if state == PasswordResetState.TOKEN_ISSUED and data.token is not None:
        return data.token.expires_at
    if state == PasswordResetState.VERIFIED and data.verified_at is not None:
        return data.verified_at + policy.completion_window
    return None


_DEADLINES = {
    PasswordResetState.REQUESTED: (
        "reset_request_expiry",
        "OWASP Forgot Password Cheat Sheet (OWASP_RESET_TOKEN); password_reset request_window",
        "send a code or a reset link before the request lapses",
    ),
    PasswordResetState.CODE_SENT: (
        "code_expiry",
        "NIST SP 800-63B §5.1.3.2 (NIST_OOB_SECRET): at most 10 minutes",
        "the one-time code stops verifying",
    ),
    PasswordResetState.TOKEN_ISSUED: (
        "token_expiry",
        "OWASP Forgot Password Cheat Sheet (OWASP_RESET_TOKEN)",
        "the reset link stops working",
    ),
    PasswordResetState.VERIFIED: (
        "completion_window",
        "password_reset completion_window (OWASP_RESET_TOKEN: single use, expires)",
        "the customer must choose the new password before this",
    ),
}


def password_reset_deadlines(
    snapshot: CaseSnapshot, data: PasswordResetData, policy: PasswordResetPolicy, at: datetime
) -> Iterable[Deadline]:
    """The reset's running deadline: request, code or token expiry, or completion window.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock, [password_reset_workflow()])
        >>> case = s.open("password_reset", {}, case_id="R-2", actor="customer")
        >>> [(d.name, d.due_at.minute) for d in s.due(case)]
        [('reset_request_expiry', 15)]
    """
    ensure_aware(at)
    due = _running_due(snapshot.state, data, policy, snapshot.created_at)
    spec = _DEADLINES.get(PasswordResetState(snapshot.state))
    if due is None or spec is None:
        return
    name, source, description = spec
    yield Deadline(name=name, due_at=due, source=source, description=description)


def reset_response(snapshot: CaseSnapshot) -> PasswordResetResponse:
    """What to tell the customer who asked for a reset: the same words for every account.

    The answer depends on nothing in the case, so it cannot reveal whether an account
    matched (``OWASP_RESET_NO_ENUMERATION``).

    Raises:
        InvalidInputError: ``snapshot`` is not a password reset case.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 1, 5, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock)
        >>> known = s.open("password_reset", {"account_ref": "acct-7"}, case_id="A", actor="c")
        >>> unknown = s.open("password_reset", {}, case_id="B", actor="c")
        >>> reset_response(known) == reset_response(unknown)
        True
    """
    if not isinstance(snapshot, CaseSnapshot) or snapshot.kind != "password_reset":
        raise InvalidInputError("expected a password_reset CaseSnapshot")
    return PasswordResetResponse()


def password_reset_workflow(
    *, policy: PasswordResetPolicy | None = None
) -> Workflow[PasswordResetData, PasswordResetPolicy]:
    """The password reset workflow definition.

    Args:
        policy: key, code, token and password settings; the defaults (no key) when ``None``.

    Raises:
        ConfigurationError: ``policy`` is not a PasswordResetPolicy.

    Examples:
        >>> w = password_reset_workflow()
        >>> w.kind, w.initial_state, sorted(w.final_states)
        ('password_reset', 'requested', ['completed', 'expired', 'locked_out'])
    """
    if policy is None:
        policy = PasswordResetPolicy()
    elif not isinstance(policy, PasswordResetPolicy):
        raise ConfigurationError("policy must be a PasswordResetPolicy")
    return Workflow(
        kind="password_reset",
        machine=PasswordResetMachine,
        data=PasswordResetData,
        commands=(
            SendResetCode,
            ResendResetCode,
            IssueResetToken,
            SubmitResetCode,
            SubmitResetToken,
            CompleteReset,
            ExpireReset,
        ),
        policy=policy,
        deadlines=password_reset_deadlines,
        on_deadline=dict.fromkeys((name for name, _, _ in _DEADLINES.values()), ExpireReset),
        title="Resetting a forgotten password",
    )

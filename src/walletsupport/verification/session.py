"""A verification session, and the sealed evidence a workflow trusts.

A [VerificationSession][walletsupport.verification.VerificationSession] follows one caller
through one plan. It changes **only through the library's own checks**, each of which needs
the server key:

* [check_code][walletsupport.verification.VerificationSession.check_code]: a one-time code
  sent by SMS or email ([verify_code][walletsupport.verification.verify_code]);
* [check_totp][walletsupport.verification.VerificationSession.check_totp]: an authenticator
  app code ([verify_totp][walletsupport.verification.verify_totp]);
* [check_password][walletsupport.verification.VerificationSession.check_password]: a password
  compared in constant time;
* [record_external][walletsupport.verification.VerificationSession.record_external]: the
  result of a check the library cannot run itself (registered device, biometric, document,
  selfie, recent transactions, security question), named by the verifier that ran it.

Every check re-seals the session with an HMAC-SHA256 under the server key, so a session
stored as JSON and read back is still trusted, while one built or edited by a caller (every
step "passed", a plan at "low" risk) is refused with
[InvalidEvidenceError][walletsupport.errors.InvalidEvidenceError] at its next check or seal.

When the plan is satisfied, [seal][walletsupport.verification.VerificationSession.seal] turns
the session into [SealedEvidence][walletsupport.verification.SealedEvidence]: bound to one
account and one case, expiring, with a random id a workflow accepts once. That is what
``CompleteVerification`` carries; a session itself is never accepted by a workflow.

* Any failed step fails the whole session, without telling the caller which element was
  wrong (RTS 2018/389 Art. 4(3)(a), ``RTS_NO_ELEMENT_HINT``); start a new session.
* A wrong one-time code with attempts left fails nothing yet (the code's state counts it); the
  code dying, expiring or being reused fails the session.
* The session expires after ``inactivity_timeout`` without activity, 5 minutes by default
  (RTS Art. 4(3)(d), ``RTS_SESSION_INACTIVITY``); evidence lives at most as long.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from walletsupport.values import Password
    >>> from walletsupport.verification import OtpPolicy, issue_code, plan_verification
    >>> key = b"server-key-kept-in-a-vault-0001"
    >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    >>> plan = plan_verification("unlock_account", "low", ["password", "otp_sms"])
    >>> s = VerificationSession.start(plan, t0)
    >>> s = s.check_password(key, Password.parse("correct horse"), "correct horse", at=t0)
    >>> issued, state = issue_code(OtpPolicy(), key, t0, purpose="unlock:acc-1")
    >>> s, check = s.check_code(key, "otp_sms", state, issued.reveal(), at=t0,
    ...                         purpose="unlock:acc-1")
    >>> s.is_satisfied, check.state.status.value
    (True, 'used')
    >>> evidence = s.seal(key, account_id="acc-1", case_id="L-1", at=t0 + timedelta(minutes=1))
    >>> evidence.action.value, [f.kind.value for f in evidence.factors]
    ('unlock_account', ['password', 'otp_sms'])
    >>> evidence.verify(key, account_id="acc-1", case_id="L-1", action="unlock_account",
    ...                 at=t0 + timedelta(minutes=2))
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.clock import _shift, ensure_aware
from walletsupport.errors import (
    CodeExpiredError,
    InvalidEvidenceError,
    InvalidInputError,
    VerificationFailedError,
)
from walletsupport.values.password import Password
from walletsupport.verification._private import check_key, keyed_hash
from walletsupport.verification.actions import VerificationAction
from walletsupport.verification.factors import Factor, FactorKind, to_factor_kind
from walletsupport.verification.otp import CodeOutcome, OtpCheck, OtpState, verify_code
from walletsupport.verification.plans import Risk, VerificationPlan, plan_verification
from walletsupport.verification.totp import TotpAlgorithm, TotpCheck, verify_totp

__all__ = [
    "CheckMethod",
    "EvidenceFactor",
    "SealedEvidence",
    "SessionStatus",
    "StepOutcome",
    "VerificationSession",
]

RTS_INACTIVITY = timedelta(minutes=5)
#: How long sealed evidence lives at most (``RTS_SESSION_INACTIVITY``: 5 minutes).
EVIDENCE_TTL = timedelta(minutes=5)

_SESSION_DOMAIN = b"walletsupport.session.v1"
_EVIDENCE_DOMAIN = b"walletsupport.evidence.v1"
_MAX_ID = 128

_CODE_KINDS = frozenset({FactorKind.OTP_SMS, FactorKind.OTP_EMAIL})
#: Factors the library cannot check itself: their results come from the integrator's verifier.
EXTERNAL_KINDS = frozenset(
    {
        FactorKind.REGISTERED_DEVICE,
        FactorKind.BIOMETRIC,
        FactorKind.ID_DOCUMENT,
        FactorKind.SELFIE_MATCH,
        FactorKind.RECENT_TRANSACTIONS,
        FactorKind.SECURITY_QUESTION,
    }
)


class SessionStatus(WalletEnum):
    """Where a session stands at an instant.

    Examples:
        >>> SessionStatus.SATISFIED.value
        'satisfied'
    """

    IN_PROGRESS = "in_progress"
    SATISFIED = "satisfied"
    FAILED = "failed"
    EXPIRED = "expired"
    UNSATISFIABLE = "unsatisfiable"


class CheckMethod(WalletEnum):
    """How a step's result was established.

    Examples:
        >>> CheckMethod.TOTP.value
        'totp'
    """

    CODE = "code"
    TOTP = "totp"
    PASSWORD = "password"  # noqa: S105 - a method name, not a password
    EXTERNAL = "external"


class StepOutcome(WalletModel, frozen=True, extra="forbid"):
    """The recorded result of one step.

    Attributes:
        kind: the factor.
        passed: whether it passed.
        at: when it was checked.
        method: which check established it.
        verifier: for an external check, the verifier the integrator named.

    Examples:
        >>> from datetime import datetime, timezone
        >>> StepOutcome(kind="biometric", passed=True, method="external", verifier="face-id",
        ...             at=datetime(2026, 1, 1, tzinfo=timezone.utc)).passed
        True
    """

    kind: FactorKind
    passed: bool
    at: AwareDatetime
    method: CheckMethod
    verifier: str | None = Field(default=None, min_length=1, max_length=64)


def _canonical(value: object) -> object:
    """A JSON-ready form that is the same in every process (sets sorted, instants in ISO)."""
    if isinstance(value, BaseModel):
        return _canonical(value.model_dump(mode="python"))
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, Enum):
        return _canonical(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, timedelta):
        return [value.days, value.seconds, value.microseconds]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _mac(key: bytes, domain: bytes, model: BaseModel, exclude: str) -> str:
    fields = {k: v for k, v in model if k != exclude}
    text = json.dumps(_canonical(fields), sort_keys=True, separators=(",", ":"))
    return keyed_hash(key, domain, text.encode()).hex()


def _identifier(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_ID:
        raise InvalidInputError(f"{name} must be a non-empty string of at most {_MAX_ID} chars")
    return value


def _is_library_plan(plan: VerificationPlan) -> bool:
    """Whether ``plan`` is what ``plan_verification`` makes for its action and risk."""
    steps = [step.kind for step in plan.steps]
    again = plan_verification(plan.action, plan.risk, steps)
    return (
        again.satisfiable == plan.satisfiable
        and again.requirement == plan.requirement
        and {s.kind for s in again.steps} == set(steps)
    )


class VerificationSession(WalletModel, frozen=True, extra="forbid"):
    """Progress of one caller through a plan, changed only by the library's checks.

    Build with [start][walletsupport.verification.VerificationSession.start]; every check
    returns a new session, sealed under the server key (``mac``).

    Attributes:
        plan: the plan being followed.
        started_at: when the session started.
        last_activity_at: the last check (or the start).
        inactivity_timeout: how long the session lives without activity.
        outcomes: the recorded step outcomes, oldest first.
        failed_codes: wrong one-time codes presented in this session, across every code
            issued for it: reaching the code policy's ``max_attempts`` fails the step, so a
            fresh code does not buy fresh guesses (``RTS_MAX_FAILED_ATTEMPTS``).
        mac: HMAC-SHA256 of everything above under the server key; ``None`` before the
            first check.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.verification.plans import plan_verification
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> s = VerificationSession.start(plan_verification("view_info", "low", ["otp_app"]), t0)
        >>> s.status(t0).value
        'in_progress'
    """

    plan: VerificationPlan
    started_at: AwareDatetime
    last_activity_at: AwareDatetime
    inactivity_timeout: timedelta = Field(default=RTS_INACTIVITY, gt=timedelta(0))
    outcomes: tuple[StepOutcome, ...] = Field(default=(), max_length=32)
    failed_codes: int = Field(default=0, ge=0, le=100)
    mac: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$", repr=False)

    @classmethod
    def start(
        cls,
        plan: VerificationPlan,
        at: datetime,
        *,
        inactivity_timeout: timedelta = RTS_INACTIVITY,
    ) -> VerificationSession:
        """Start a session for ``plan`` at ``at``.

        Raises:
            InvalidInputError: ``plan`` is not a VerificationPlan, ``at`` is not aware, or the
                timeout is not a positive timedelta.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
            >>> VerificationSession.start(plan_verification("refund", "low", []), t0).status(t0)
            <SessionStatus.UNSATISFIABLE: 'unsatisfiable'>
        """
        if not isinstance(plan, VerificationPlan):
            raise InvalidInputError("plan must be a VerificationPlan")
        when = ensure_aware(at, "at")
        if not isinstance(inactivity_timeout, timedelta) or inactivity_timeout <= timedelta(0):
            raise InvalidInputError("inactivity_timeout must be a positive timedelta")
        if inactivity_timeout > timedelta(days=1):
            raise InvalidInputError("inactivity_timeout must be at most one day")
        _shift(when, inactivity_timeout)
        return cls(
            plan=plan,
            started_at=when,
            last_activity_at=when,
            inactivity_timeout=inactivity_timeout,
        )

    # --- reading -------------------------------------------------------------------------

    @property
    def passed(self) -> frozenset[FactorKind]:
        """The steps passed so far."""
        return frozenset(o.kind for o in self.outcomes if o.passed)

    @property
    def has_failed(self) -> bool:
        """Whether any step failed (the session can then never be satisfied)."""
        return any(not o.passed for o in self.outcomes)

    @property
    def is_satisfied(self) -> bool:
        """Whether the plan is satisfiable and every step passed (regardless of expiry)."""
        return (
            self.plan.satisfiable
            and not self.has_failed
            and all(s.kind in self.passed for s in self.plan.steps)
        )

    @property
    def pending(self) -> tuple[Factor, ...]:
        """The steps not yet passed, in plan order; empty once failed or unsatisfiable."""
        if self.has_failed or not self.plan.satisfiable:
            return ()
        return tuple(s for s in self.plan.steps if s.kind not in self.passed)

    @property
    def next_step(self) -> Factor | None:
        """The next step to ask for, or ``None`` when nothing is left to ask."""
        pending = self.pending
        return pending[0] if pending else None

    @property
    def expires_at(self) -> datetime:
        """The instant the session expires: last activity plus the inactivity timeout."""
        return self.last_activity_at + self.inactivity_timeout

    def is_expired(self, at: datetime) -> bool:
        """Whether the session has expired at ``at``.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
            >>> s = VerificationSession.start(plan_verification("view_info", "low", []), t0)
            >>> s.is_expired(t0 + timedelta(minutes=5))
            True
        """
        return ensure_aware(at, "at") >= self.expires_at

    def status(self, at: datetime) -> SessionStatus:
        """Where the session stands at ``at`` (the MAC is checked by ``seal``, not here).

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
            >>> plan = plan_verification("view_info", "low", ["otp_app"])
            >>> VerificationSession.start(plan, t0).status(t0).value
            'in_progress'
        """
        when = ensure_aware(at, "at")
        if not self.plan.satisfiable:
            return SessionStatus.UNSATISFIABLE
        if self.has_failed:
            return SessionStatus.FAILED
        if when >= self.expires_at:
            return SessionStatus.EXPIRED
        if self.is_satisfied:
            return SessionStatus.SATISFIED
        return SessionStatus.IN_PROGRESS

    def is_genuine(self, key: bytes) -> bool:
        """Whether this session was produced by the library's checks under ``key``.

        A fresh session (no check yet) is genuine; any other needs a matching ``mac``.

        Raises:
            InvalidInputError: ``key`` is not bytes of at least 16.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> plan = plan_verification("unlock_account", "low", ["password", "otp_sms"])
            >>> forged = VerificationSession.model_validate({
            ...     "plan": plan.model_dump(), "started_at": t0, "last_activity_at": t0,
            ...     "outcomes": [{"kind": k, "passed": True, "at": t0, "method": "code"}
            ...                  for k in ("password", "otp_sms")]})
            >>> forged.is_satisfied, forged.is_genuine(b"k" * 32)
            (True, False)
        """
        secret_key = check_key(key)
        if self.mac is None:
            return not self.outcomes and self.last_activity_at == self.started_at
        expected = _mac(secret_key, _SESSION_DOMAIN, self, "mac")
        return hmac.compare_digest(expected, self.mac)

    # --- checks --------------------------------------------------------------------------

    def _record(
        self,
        key: bytes,
        kind: FactorKind,
        *,
        passed: bool | None,
        at: datetime,
        method: CheckMethod,
        verifier: str | None = None,
        failed_codes: int | None = None,
    ) -> VerificationSession:
        """A new session with the outcome recorded (``passed=None``: activity only), re-sealed."""
        if not self.is_genuine(key):
            raise InvalidEvidenceError(
                "the session was not produced by this server's checks; start a new one"
            )
        updates: dict[str, Any] = {"last_activity_at": at}
        if failed_codes is not None:
            updates["failed_codes"] = min(failed_codes, 100)
        if passed is not None:
            outcome = StepOutcome(kind=kind, passed=passed, at=at, method=method, verifier=verifier)
            updates["outcomes"] = (*self.outcomes, outcome)
        changed = self.model_copy(update={**updates, "mac": None})
        return changed.model_copy(update={"mac": _mac(key, _SESSION_DOMAIN, changed, "mac")})

    def _pending_step(self, key: bytes, kind: object, at: object) -> tuple[FactorKind, datetime]:
        """Check the session is genuine and ``kind`` may be recorded at ``at``; return both."""
        if not self.is_genuine(key):
            raise InvalidEvidenceError(
                "the session was not produced by this server's checks; start a new one"
            )
        step = to_factor_kind(kind, "kind")
        when = ensure_aware(at, "at")
        if when < self.last_activity_at:
            raise InvalidInputError("at must not be earlier than the session's last activity")
        if self.has_failed:
            raise VerificationFailedError("verification failed; start a new session")
        if when >= self.expires_at:
            raise CodeExpiredError("the verification session expired; start a new one")
        if step not in {s.kind for s in self.pending}:
            raise InvalidInputError(f"{shown(step.value)} is not a pending step of this plan")
        return step, when

    def check_code(
        self,
        key: bytes,
        kind: FactorKind | str,
        state: OtpState,
        presented: str,
        *,
        at: datetime,
        purpose: str = "",
    ) -> tuple[VerificationSession, OtpCheck]:
        """Check a one-time code for step ``kind`` (``otp_sms`` or ``otp_email``).

        Returns the new session and the code's check: store ``check.state`` (the attempt is
        recorded there; the failure count carries across resends of the same purpose).
        A verified code passes the step; a code that died, expired or was used before fails
        it; a wrong code counts against the session (``failed_codes``), and the one that
        reaches the code policy's ``max_attempts`` fails the step, whichever code it was for.

        Raises:
            InvalidEvidenceError: the session was not produced by this server's checks.
            InvalidInputError: ``kind`` is not a pending code step; bad key, state or ``at``.
            VerificationFailedError: the session has already failed.
            CodeExpiredError: the session expired.
            InvalidSecretError: ``presented`` is not valid text.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification import OtpPolicy, issue_code, plan_verification
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> _, state = issue_code(OtpPolicy(), b"k" * 32, t0)
            >>> s = VerificationSession.start(plan_verification("view_info", "low",
            ...                                                 ["otp_sms"]), t0)
            >>> s, check = s.check_code(b"k" * 32, "otp_sms", state, "not-it", at=t0)
            >>> check.outcome.value, s.status(t0).value
            ('mismatch', 'in_progress')
        """
        step, when = self._pending_step(key, kind, at)
        if step not in _CODE_KINDS:
            raise InvalidInputError(f"{shown(step.value)} is not checked with a one-time code")
        check = verify_code(state, key, presented, when, purpose=purpose)
        failed = self.failed_codes
        passed: bool | None
        if check.outcome is CodeOutcome.VERIFIED:
            passed = True
        elif check.outcome is CodeOutcome.MISMATCH:
            failed += 1
            passed = None if failed < check.state.policy.max_attempts else False
        else:
            failed += check.outcome is CodeOutcome.EXHAUSTED
            passed = False
        session = self._record(
            key, step, passed=passed, at=when, method=CheckMethod.CODE, failed_codes=failed
        )
        return session, check

    def check_totp(
        self,
        key: bytes,
        totp_key: bytes,
        presented: str,
        *,
        at: datetime,
        last_used_step: int | None = None,
        digits: int = 6,
        algorithm: TotpAlgorithm | str = TotpAlgorithm.SHA1,
    ) -> tuple[VerificationSession, TotpCheck]:
        """Check an authenticator-app code for the ``otp_app`` step (RFC 6238).

        Store ``check.matched_step`` and pass it back as ``last_used_step`` so a code is never
        accepted twice (``TOTP_ONE_USE``). A wrong code fails the step.

        Raises:
            InvalidEvidenceError: the session was not produced by this server's checks.
            InvalidInputError: ``otp_app`` is not pending; bad keys, settings or ``at``.
            VerificationFailedError: the session has already failed.
            CodeExpiredError: the session expired.
            InvalidSecretError: ``presented`` is not valid text.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification import plan_verification, totp
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> app_key = b"12345678901234567890"
            >>> s = VerificationSession.start(plan_verification("view_info", "low",
            ...                                                 ["otp_app"]), t0)
            >>> s, check = s.check_totp(b"k" * 32, app_key, totp(app_key, t0), at=t0)
            >>> check.ok, s.is_satisfied
            (True, True)
        """
        step, when = self._pending_step(key, FactorKind.OTP_APP, at)
        check = verify_totp(
            totp_key,
            presented,
            when,
            digits=digits,
            algorithm=algorithm,
            last_used_step=last_used_step,
        )
        session = self._record(key, step, passed=check.ok, at=when, method=CheckMethod.TOTP)
        return session, check

    def check_password(
        self, key: bytes, expected: Password, presented: str, *, at: datetime
    ) -> VerificationSession:
        """Compare the presented password with ``expected`` in constant time (``password`` step).

        Raises:
            InvalidEvidenceError: the session was not produced by this server's checks.
            InvalidInputError: ``password`` is not pending; ``expected`` is not a Password.
            VerificationFailedError: the session has already failed.
            CodeExpiredError: the session expired.
            InvalidSecretError: ``presented`` is not valid text.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.values import Password
            >>> from walletsupport.verification import plan_verification
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> s = VerificationSession.start(plan_verification("view_info", "low",
            ...                                                 ["password"]), t0)
            >>> s.check_password(b"k" * 32, Password.parse("pw-1"), "pw-2", at=t0).status(t0)
            <SessionStatus.FAILED: 'failed'>
        """
        step, when = self._pending_step(key, FactorKind.PASSWORD, at)
        if not isinstance(expected, Password):
            raise InvalidInputError("expected must be a Password")
        passed = expected.matches(presented)
        return self._record(key, step, passed=passed, at=when, method=CheckMethod.PASSWORD)

    def record_external(
        self,
        key: bytes,
        kind: FactorKind | str,
        *,
        passed: bool,
        verifier: str,
        at: datetime,
    ) -> VerificationSession:
        """Record a check the library cannot run (device, biometric, document, selfie, ...).

        Only for the factors in ``EXTERNAL_KINDS``: a password or a code is always checked by
        the library. ``verifier`` names what ran the check (``"device-attestation"``); it is
        kept in the evidence and the audit.

        Raises:
            InvalidEvidenceError: the session was not produced by this server's checks.
            InvalidInputError: ``kind`` is not pending or is checked by the library; bad
                ``passed``, ``verifier``, key or ``at``.
            VerificationFailedError: the session has already failed.
            CodeExpiredError: the session expired.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification import plan_verification
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> s = VerificationSession.start(plan_verification("view_info", "low",
            ...                                                 ["password"]), t0)
            >>> s.record_external(b"k" * 32, "password", passed=True, verifier="x", at=t0)
            ... # doctest: +ELLIPSIS
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidInputError: 'password' is checked by the library, ...
        """
        step, when = self._pending_step(key, kind, at)
        if step not in EXTERNAL_KINDS:
            raise InvalidInputError(f"{shown(step.value)} is checked by the library, not recorded")
        if not isinstance(passed, bool):
            raise InvalidInputError("passed must be a bool")
        name = _identifier(verifier, "verifier")[:64]
        return self._record(
            key, step, passed=passed, at=when, method=CheckMethod.EXTERNAL, verifier=name
        )

    # --- sealing -------------------------------------------------------------------------

    def seal(
        self,
        key: bytes,
        *,
        account_id: str,
        case_id: str,
        at: datetime,
        ttl: timedelta = EVIDENCE_TTL,
    ) -> SealedEvidence:
        """Seal a satisfied session into evidence for one account and one case.

        The evidence expires at the earlier of the session's expiry and ``at + ttl``, and
        carries a random id so a workflow accepts it once.

        Raises:
            InvalidEvidenceError: the session was not produced by this server's checks, or its
                plan is not the one ``plan_verification`` makes for its action and risk.
            VerificationFailedError: the session is not satisfied (failed, unfinished or
                unsatisfiable).
            CodeExpiredError: the session expired.
            InvalidInputError: bad key, ids, ``at`` or ``ttl``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification import plan_verification
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> s = VerificationSession.start(plan_verification("view_info", "low",
            ...                                                 ["biometric"]), t0)
            >>> s.seal(b"k" * 32, account_id="a", case_id="c", at=t0)
            Traceback (most recent call last):
            ...
            walletsupport.errors.VerificationFailedError: the session is in_progress, not satisfied
        """
        secret_key = check_key(key)
        account = _identifier(account_id, "account_id")
        case = _identifier(case_id, "case_id")
        when = ensure_aware(at, "at")
        if not isinstance(ttl, timedelta) or not timedelta(0) < ttl <= timedelta(hours=1):
            raise InvalidInputError("ttl must be a timedelta above 0 and at most one hour")
        if not self.is_genuine(secret_key):
            raise InvalidEvidenceError(
                "the session was not produced by this server's checks; start a new one"
            )
        if not _is_library_plan(self.plan):
            raise InvalidEvidenceError("the session's plan was not made by plan_verification")
        status = self.status(when)
        if status is SessionStatus.EXPIRED:
            raise CodeExpiredError("the verification session expired; start a new one")
        if status is not SessionStatus.SATISFIED:
            raise VerificationFailedError(f"the session is {status.value}, not satisfied")
        if when < self.last_activity_at:
            raise InvalidInputError("at must not be earlier than the session's last activity")
        passed = [o for o in self.outcomes if o.passed]
        evidence = SealedEvidence.model_construct(
            evidence_id=secrets.token_hex(16),
            account_id=account,
            case_id=case,
            action=self.plan.action,
            risk=self.plan.risk,
            factors=tuple(
                EvidenceFactor(kind=o.kind, method=o.method, verifier=o.verifier, at=o.at)
                for o in passed
            ),
            sealed_at=when,
            expires_at=min(self.expires_at, _shift(when, ttl)),
            mac="0" * 64,
        )
        mac = _mac(secret_key, _EVIDENCE_DOMAIN, evidence, "mac")
        return SealedEvidence.model_validate({**dict(evidence), "mac": mac})


class EvidenceFactor(WalletModel, frozen=True, extra="forbid"):
    """One passed step as sealed evidence records it.

    Examples:
        >>> EvidenceFactor.model_fields["method"].annotation is CheckMethod
        True
    """

    kind: FactorKind
    method: CheckMethod
    verifier: str | None = Field(default=None, max_length=64)
    at: AwareDatetime


class SealedEvidence(WalletModel, frozen=True, extra="forbid"):
    """Proof that the library's checks verified a caller, for one account, case and action.

    Produced only by [VerificationSession.seal][walletsupport.verification.VerificationSession.seal]
    and checked by [verify][walletsupport.verification.SealedEvidence.verify]. JSON-safe and
    free of secrets, so it can travel through a queue or an API; a forged or edited copy fails
    its MAC, a copy for another account or case fails the binding, and a workflow records the
    ``evidence_id`` so one piece of evidence is accepted once.

    Attributes:
        evidence_id: random id (128 bits), single use.
        account_id: the account verified.
        case_id: the case the evidence may be used in.
        action: what the plan verified for (``unlock_account``).
        risk: the risk level the plan was made for.
        factors: the steps passed.
        sealed_at: when it was sealed.
        expires_at: when it stops being accepted.
        mac: HMAC-SHA256 of the fields above under the server key.

    Examples:
        >>> sorted(SealedEvidence.model_fields)[:3]
        ['account_id', 'action', 'case_id']
    """

    evidence_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    account_id: str = Field(min_length=1, max_length=_MAX_ID)
    case_id: str = Field(min_length=1, max_length=_MAX_ID)
    action: VerificationAction
    risk: Risk
    factors: tuple[EvidenceFactor, ...] = Field(min_length=1, max_length=32)
    sealed_at: AwareDatetime
    expires_at: AwareDatetime
    mac: str = Field(pattern=r"^[0-9a-f]{64}$", repr=False)

    def verify(
        self,
        key: bytes,
        *,
        account_id: str,
        case_id: str,
        action: VerificationAction | str,
        at: datetime,
    ) -> None:
        """Check the MAC, the binding, the action and the expiry; return ``None`` when good.

        Single use is the caller's part: remember ``evidence_id`` (a workflow does).

        Raises:
            InvalidEvidenceError: forged or edited, or for another account, case or action.
            CodeExpiredError: at or after ``expires_at`` (or before ``sealed_at``).
            InvalidInputError: bad key, ids, action or ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification import plan_verification
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> s = VerificationSession.start(plan_verification("view_info", "low",
            ...                                                 ["biometric"]), t0)
            >>> s = s.record_external(b"k" * 32, "biometric", passed=True, verifier="os",
            ...                       at=t0)
            >>> e = s.seal(b"k" * 32, account_id="a", case_id="c", at=t0)
            >>> e.verify(b"k" * 32, account_id="a", case_id="other", action="view_info", at=t0)
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidEvidenceError: the evidence was sealed for another case
        """
        secret_key = check_key(key)
        account = _identifier(account_id, "account_id")
        case = _identifier(case_id, "case_id")
        wanted = VerificationAction(action)
        when = ensure_aware(at, "at")
        expected = _mac(secret_key, _EVIDENCE_DOMAIN, self, "mac")
        if not hmac.compare_digest(expected, self.mac):
            raise InvalidEvidenceError("the evidence was not sealed by this server")
        if self.account_id != account:
            raise InvalidEvidenceError("the evidence was sealed for another account")
        if self.case_id != case:
            raise InvalidEvidenceError("the evidence was sealed for another case")
        if self.action is not wanted:
            raise InvalidEvidenceError(
                f"the evidence verifies {shown(self.action.value)}, not {shown(wanted.value)}"
            )
        if when < self.sealed_at:
            raise CodeExpiredError("the evidence is not valid yet")
        if when >= self.expires_at:
            raise CodeExpiredError("the evidence has expired; verify the caller again")

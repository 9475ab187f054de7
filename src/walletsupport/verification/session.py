"""A verification session: the progress of one caller through one plan.

Immutable: [record][walletsupport.verification.VerificationSession.record] returns a *new*
session, so a session can be stored as JSON and rebuilt anywhere.

* Each step of the plan is passed or failed once; any failed step fails the whole session,
  without saying to the caller which element was wrong (RTS 2018/389 Art. 4(3)(a),
  ``RTS_NO_ELEMENT_HINT``). Start a new session to try again; feed the failures to a
  [LockoutPolicy][walletsupport.policies.lockout.LockoutPolicy].
* The session expires after ``inactivity_timeout`` without activity, 5 minutes by default
  (RTS Art. 4(3)(d), ``RTS_SESSION_INACTIVITY``); a satisfied session authorises its action
  only until then.

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from walletsupport.verification.plans import plan_verification
    >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    >>> plan = plan_verification("refund", "low", ["password", "otp_sms"])
    >>> s = VerificationSession.start(plan, t0)
    >>> s.next_step.kind.value
    'password'
    >>> s = s.record("password", passed=True, at=t0 + timedelta(minutes=1))
    >>> s = s.record("otp_sms", passed=True, at=t0 + timedelta(minutes=2))
    >>> s.is_satisfied, s.authorizes("refund", t0 + timedelta(minutes=3))
    (True, True)
    >>> s.expires_at.isoformat()
    '2026-01-05T09:07:00+00:00'
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import AwareDatetime, Field

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import (
    CodeExpiredError,
    InvalidInputError,
    VerificationFailedError,
)
from walletsupport.verification.actions import VerificationAction
from walletsupport.verification.factors import Factor, FactorKind, to_factor_kind
from walletsupport.verification.plans import VerificationPlan

__all__ = ["SessionStatus", "StepOutcome", "VerificationSession"]

RTS_INACTIVITY = timedelta(minutes=5)


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


class StepOutcome(WalletModel, frozen=True, extra="forbid"):
    """The recorded result of one step.

    Examples:
        >>> from datetime import datetime, timezone
        >>> StepOutcome(kind="biometric", passed=True,
        ...             at=datetime(2026, 1, 1, tzinfo=timezone.utc)).passed
        True
    """

    kind: FactorKind
    passed: bool
    at: AwareDatetime


class VerificationSession(WalletModel, frozen=True, extra="forbid"):
    """Progress of one caller through a plan.

    Build with [start][walletsupport.verification.VerificationSession.start]; every change
    returns a new session.

    Attributes:
        plan: the plan being followed.
        started_at: when the session started.
        last_activity_at: the last recorded step (or the start).
        inactivity_timeout: how long the session lives without activity.
        outcomes: the recorded step outcomes, oldest first.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.verification.plans import plan_verification
        >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
        >>> s = VerificationSession.start(plan_verification("view_info", "low", ["otp_app"]), t0)
        >>> s.record("otp_app", passed=False, at=t0).status(t0).value
        'failed'
    """

    plan: VerificationPlan
    started_at: AwareDatetime
    last_activity_at: AwareDatetime
    inactivity_timeout: timedelta = Field(default=RTS_INACTIVITY, gt=timedelta(0))
    outcomes: tuple[StepOutcome, ...] = ()

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
        return cls(
            plan=plan,
            started_at=when,
            last_activity_at=when,
            inactivity_timeout=inactivity_timeout,
        )

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
        """Where the session stands at ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
            >>> plan = plan_verification("view_info", "low", ["otp_app"])
            >>> s = VerificationSession.start(plan, t0)
            >>> s.status(t0).value
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

    def authorizes(self, action: VerificationAction | str, at: datetime) -> bool:
        """Whether this session lets support perform ``action`` at ``at``.

        True only when the session is satisfied, unexpired, and was planned for ``action``
        (a session for ``view_info`` never authorises a ``refund``).

        Raises:
            InvalidInputError: unknown action or naive ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
            >>> plan = plan_verification("view_info", "low", ["otp_app"])
            >>> s = VerificationSession.start(plan, t0)
            >>> s.record("otp_app", passed=True, at=t0).authorizes("refund", t0)
            False
        """
        return (
            VerificationAction(action) is self.plan.action
            and self.status(at) is SessionStatus.SATISFIED
        )

    def record(
        self, kind: FactorKind | Factor | str, *, passed: bool, at: datetime
    ) -> VerificationSession:
        """Return a new session with the outcome of step ``kind`` recorded at ``at``.

        Steps may be recorded in any order; each step once.

        Raises:
            InvalidInputError: ``kind`` is not a pending step of the plan, ``passed`` is not a
                bool, ``at`` is naive or earlier than the last activity.
            VerificationFailedError: the session has already failed.
            CodeExpiredError: the session expired before ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
            >>> plan = plan_verification("view_info", "low", ["otp_app"])
            >>> s = VerificationSession.start(plan, t0)
            >>> s.record("password", passed=True, at=t0)
            Traceback (most recent call last):
            ...
            walletsupport.errors.InvalidInputError: 'password' is not a pending step of this plan
        """
        step = to_factor_kind(kind, "kind")
        if not isinstance(passed, bool):
            raise InvalidInputError("passed must be a bool")
        when = ensure_aware(at, "at")
        if when < self.last_activity_at:
            raise InvalidInputError("at must not be earlier than the session's last activity")
        if self.has_failed:
            raise VerificationFailedError("verification failed; start a new session")
        if when >= self.expires_at:
            raise CodeExpiredError("the verification session expired; start a new one")
        if step not in {s.kind for s in self.pending}:
            raise InvalidInputError(f"{step.value!r} is not a pending step of this plan")
        outcome = StepOutcome(kind=step, passed=passed, at=when)
        return self.model_copy(
            update={"outcomes": (*self.outcomes, outcome), "last_activity_at": when}
        )

    def touch(self, at: datetime) -> VerificationSession:
        """Return a new session whose inactivity clock restarts at ``at`` (caller still active).

        Raises:
            InvalidInputError: ``at`` is naive or earlier than the last activity.
            CodeExpiredError: the session already expired.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> from walletsupport.verification.plans import plan_verification
            >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
            >>> s = VerificationSession.start(plan_verification("view_info", "low", []), t0)
            >>> s.touch(t0 + timedelta(minutes=4)).expires_at.minute
            9
        """
        when = ensure_aware(at, "at")
        if when < self.last_activity_at:
            raise InvalidInputError("at must not be earlier than the session's last activity")
        if when >= self.expires_at:
            raise CodeExpiredError("the verification session expired; start a new one")
        return self.model_copy(update={"last_activity_at": when})

"""Account lockout after consecutive failed verifications, as a pure decision.

A [LockoutPolicy][walletsupport.policies.lockout.LockoutPolicy] folds the failures since the
last success into a [LockoutDecision][walletsupport.policies.lockout.LockoutDecision]:

* ``max_failures`` failures within ``window`` lock the account (``window=None``: consecutive
  failures count however far apart).
* A lock lasts ``cooldown`` and then lifts with a fresh count, or, with ``cooldown=None``,
  until an agent unlocks it (the caller then stops passing the old failures).
* Failures while locked are refused without being counted: they cannot extend the lock.
* ``warn`` is set when one attempt is left, so the customer can be alerted before a block
  (RTS 2018/389 Art. 4(4), ``RTS_BLOCK_ALERT``).

Presets: [psd2_rts][walletsupport.policies.lockout.LockoutPolicy.psd2_rts] (5 attempts,
``RTS_MAX_FAILED_ATTEMPTS``) and [nist][walletsupport.policies.lockout.LockoutPolicy.nist]
(no more than 100, ``NIST_RATE_LIMIT_100``).

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> t0 = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    >>> policy = LockoutPolicy.psd2_rts()
    >>> fails = [t0 + timedelta(minutes=i) for i in range(5)]
    >>> d = policy.evaluate(fails, at=t0 + timedelta(minutes=5))
    >>> d.locked, d.locked_until.isoformat()
    (True, '2026-01-05T09:34:00+00:00')
    >>> policy.evaluate(fails, at=t0 + timedelta(minutes=40)).locked
    False
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import ClassVar, Self

from pydantic import AwareDatetime, Field, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import ConfigurationError, InvalidInputError, WalletSupportError

__all__ = ["LockoutDecision", "LockoutPolicy"]


class LockoutDecision(WalletModel, frozen=True, extra="forbid"):
    """Whether the account is locked at an instant, and what is left.

    Attributes:
        locked: attempts must be refused now.
        locked_until: when a temporary lock lifts; ``None`` if unlocked or manual.
        manual_unlock_required: the lock lifts only by an agent's unlock.
        failures_counted: failures counting towards the next lock.
        remaining_attempts: failures still allowed before the lock (0 while locked).
        warn: one attempt is left; alert the customer (``RTS_BLOCK_ALERT``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> d = LockoutPolicy.psd2_rts().evaluate([], at=datetime(2026, 1, 1, tzinfo=timezone.utc))
        >>> d.locked, d.remaining_attempts
        (False, 5)
    """

    locked: bool
    locked_until: AwareDatetime | None = None
    manual_unlock_required: bool = False
    failures_counted: int = Field(ge=0)
    remaining_attempts: int = Field(ge=0)
    warn: bool = False


class LockoutPolicy(WalletModel, frozen=True, extra="forbid"):
    """N consecutive failures within a window lock the account for a cool-down or until unlocked.

    Attributes:
        max_failures: failures that lock (1 to 100, ``NIST_RATE_LIMIT_100``).
        window: failures older than this (before the newest one) no longer count;
            ``None`` counts all consecutive failures.
        cooldown: how long a lock lasts; ``None`` means manual unlock only.

    Examples:
        >>> LockoutPolicy(max_failures=3, cooldown=None).cooldown is None
        True
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    max_failures: int = Field(ge=1, le=100)
    window: timedelta | None = Field(default=None, gt=timedelta(0))
    cooldown: timedelta | None = Field(default=timedelta(minutes=30), gt=timedelta(0))

    @model_validator(mode="after")
    def _sane(self) -> Self:
        if self.window is not None and self.window > timedelta(days=366):
            raise PydanticCustomError("walletsupport.lockout_window", "window over a year")
        return self

    @classmethod
    def psd2_rts(
        cls,
        *,
        window: timedelta | None = timedelta(hours=24),
        cooldown: timedelta | None = timedelta(minutes=30),
    ) -> LockoutPolicy:
        """Five consecutive failures block the account (RTS 2018/389 Art. 4(3)(b)).

        ``RTS_MAX_FAILED_ATTEMPTS``: "not more than 5 within a given period"; the period and a
        temporary block's length are the PSP's choice (Art. 4(4), ``RTS_BLOCK_ALERT``); the
        defaults here are 24 hours and 30 minutes.

        Raises:
            ConfigurationError: a non-positive window or cool-down.

        Examples:
            >>> LockoutPolicy.psd2_rts().max_failures
            5
        """
        return LockoutPolicy(max_failures=5, window=window, cooldown=cooldown)

    @classmethod
    def nist(
        cls,
        max_failures: int = 100,
        *,
        cooldown: timedelta | None = timedelta(hours=1),
    ) -> LockoutPolicy:
        """At most 100 consecutive failures on one account (NIST SP 800-63B §5.2.2).

        ``NIST_RATE_LIMIT_100``: consecutive failures, so no window; NIST suggests growing
        delays "up to 1 h", used as the default cool-down.

        Raises:
            ConfigurationError: ``max_failures`` outside 1..100, or a non-positive cool-down.

        Examples:
            >>> LockoutPolicy.nist().max_failures, LockoutPolicy.nist(10).window
            (100, None)
            >>> LockoutPolicy.nist(101)
            Traceback (most recent call last):
            ...
            walletsupport.errors.ConfigurationError: NIST allows at most 100 consecutive failures
        """
        if isinstance(max_failures, bool) or not isinstance(max_failures, int):
            raise ConfigurationError("max_failures must be an int")
        if max_failures > 100:
            raise ConfigurationError("NIST allows at most 100 consecutive failures")
        return LockoutPolicy(max_failures=max_failures, window=None, cooldown=cooldown)

    def evaluate(self, failures: Iterable[datetime], at: datetime) -> LockoutDecision:
        """Decide whether the account is locked at ``at`` from the failures since the last success.

        Failures after ``at`` are ignored (they had not happened yet); order does not matter.

        Args:
            failures: aware instants of failed verifications since the last success (or
                since the last manual unlock).
            at: the instant to decide for.

        Raises:
            InvalidInputError: ``failures`` is not an iterable of aware datetimes, or ``at`` is
                naive.

        Examples:
            >>> from datetime import datetime, timedelta, timezone
            >>> t0 = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> p = LockoutPolicy(max_failures=3, cooldown=None)
            >>> d = p.evaluate([t0, t0, t0], at=t0)
            >>> d.locked, d.manual_unlock_required, d.locked_until
            (True, True, None)
            >>> p.evaluate([t0, t0], at=t0).warn
            True
        """
        when = ensure_aware(at, "at")
        if isinstance(failures, (str, bytes)) or not isinstance(failures, Iterable):
            raise InvalidInputError("failures must be an iterable of datetimes")
        instants = sorted(f for f in (ensure_aware(f, "failures[]") for f in failures) if f <= when)
        streak: list[datetime] = []
        locked_until: datetime | None = None
        manual = False
        for failure in instants:
            if manual:
                break
            if locked_until is not None:
                if failure < locked_until:
                    continue  # refused while locked: not counted
                locked_until = None
            if self.window is not None:
                streak = [f for f in streak if failure - f < self.window]
            streak.append(failure)
            if len(streak) >= self.max_failures:
                streak = []
                if self.cooldown is None:
                    manual = True
                else:
                    locked_until = failure + self.cooldown
        if manual:
            return LockoutDecision(
                locked=True,
                manual_unlock_required=True,
                failures_counted=self.max_failures,
                remaining_attempts=0,
            )
        if locked_until is not None and when < locked_until:
            return LockoutDecision(
                locked=True,
                locked_until=locked_until,
                failures_counted=self.max_failures,
                remaining_attempts=0,
            )
        if self.window is not None:
            streak = [f for f in streak if when - f < self.window]
        remaining = self.max_failures - len(streak)
        return LockoutDecision(
            locked=False,
            failures_counted=len(streak),
            remaining_attempts=remaining,
            warn=remaining == 1,
        )

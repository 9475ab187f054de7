"""``DeadlineRunner``: fires the command each due deadline triggers, exactly once, on any number
of workers.

A runner claims cases whose ``next_due_at`` has passed (a lease in the store, see
[DeadlineClaimStore][walletsupport.ports.DeadlineClaimStore]), lists each case's deadlines due
at the clock's now, and for each one asks the workflow what it triggers
([Workflow.deadline_command][walletsupport.workflows.Workflow.deadline_command]): the command is
applied with the idempotency key ``deadline:<name>:<due instant>``; a deadline with no
automatic command is reported and the case left as it is. Then it releases the case, noting
up to which instant its deadlines were handled and when to look again.

Exactly one effect per deadline, whatever the number of runners: a lease keeps two runners
off one case, and if a lease lapses (a runner killed or stalled) the idempotency key and the
store's version check make a second application a replay. A conflicting save (an agent
changed the case meanwhile) is retried on the new version; a case that keeps failing is
reported as poisoned and parked until it changes, never blocking the others.

The core holds no timers and no threads: the runner reads time from its clocks and sleeps
only in [serve][walletsupport.workflows.DeadlineRunner.serve].

Examples:
    >>> from datetime import datetime, timedelta, timezone
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> from walletsupport.workflows.account_lock import LockForRisk, StartVerification
    >>> store, clock = MemoryStore(), FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    >>> service = WorkflowService(store, clock)
    >>> _ = service.open("account_lock", {"account_id": "a-1"}, case_id="L-1", actor="system")
    >>> lock = LockForRisk(reason="new device")
    >>> _ = service.apply("L-1", lock, idempotency_key="1", actor="risk")
    >>> _ = service.apply("L-1", StartVerification(), idempotency_key="2", actor="agent:7")
    >>> runner = DeadlineRunner(store, clock)
    >>> runner.run_until_idle()
    []
    >>> _ = clock.advance(timedelta(hours=1))
    >>> [(o.case_id, o.deadline, o.outcome, o.command) for o in runner.run_until_idle()]
    [('L-1', 'verification_expiry', 'fired', 'ExpireVerification')]
    >>> store.load("L-1").state, runner.stats().fired
    ('locked', 1)
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, cast

from pydantic import AwareDatetime, Field

from walletsupport._model import WalletModel
from walletsupport.clock import Clock, ensure_aware
from walletsupport.errors import (
    ConcurrencyConflictError,
    ConfigurationError,
    GuardRejectedError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    TransitionNotAllowedError,
    WalletSupportError,
)
from walletsupport.ports import DeadlineClaimStore
from walletsupport.workflows._claims import DeadlineClaim
from walletsupport.workflows.definition import Command, Deadline, Workflow
from walletsupport.workflows.service import _ACTOR, WorkflowService, _checked

if TYPE_CHECKING:
    from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = ["DeadlineClaim", "DeadlineOutcome", "DeadlineRunner", "RunnerStats", "deadline_key"]

_log = logging.getLogger(__name__)

#: What happened to one deadline (or, for ``failed`` / ``poisoned``, to one case).
Outcome = Literal["fired", "reported", "refused", "already_fired", "failed", "poisoned"]

#: How many deadlines one pass over a case handles at most (a workflow whose commands keep
#: producing overdue deadlines is a bug; the case then counts as failing).
_MAX_STEPS = 64

#: Lags kept for the percentiles (the most recent ones).
_LAG_WINDOW = 100_000


def deadline_key(deadline: Deadline) -> str:
    """The idempotency key of the command ``deadline`` triggers: name and due instant (UTC).

    Examples:
        >>> from datetime import datetime, timezone
        >>> deadline_key(Deadline(name="verification_expiry", source="policy",
        ...              due_at=datetime(2026, 1, 5, 9, 30, tzinfo=timezone.utc)))
        'deadline:verification_expiry:2026-01-05T09:30:00.000000Z'
    """
    if not isinstance(deadline, Deadline):
        raise InvalidInputError(f"expected a Deadline, got {type(deadline).__name__}")
    instant = deadline.due_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return f"deadline:{deadline.name}:{instant}"


class DeadlineOutcome(WalletModel, frozen=True, extra="forbid"):
    """What the runner did with one due deadline (or with a case that failed).

    Attributes:
        case_id: the case.
        kind: its workflow kind (``None`` if the case could not be read).
        deadline: the deadline's name (``None`` for a case-level failure).
        due_at: when the deadline fell due.
        outcome: ``fired`` (its command was applied), ``reported`` (it has no automatic
            command), ``refused`` (the workflow refused the command: a guard or the state),
            ``already_fired`` (another runner applied it), ``failed`` (the case will be
            retried), ``poisoned`` (the case kept failing: parked until it changes).
        command: the command's class name, when there is one.
        at: when the runner handled it.
        lag_seconds: for ``fired``: from ``due_at`` to the instant the command was applied.
        reason: why it was refused or failed (never a secret).

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> DeadlineOutcome(case_id="T-1", kind="ticket", deadline="first_reply", due_at=t,
        ...                 outcome="reported", at=t).line()
        'T-1 first_reply reported'
    """

    case_id: str
    kind: str | None = None
    deadline: str | None = None
    due_at: AwareDatetime | None = None
    outcome: Outcome
    command: str | None = None
    at: AwareDatetime
    lag_seconds: float | None = None
    reason: str = Field(default="", max_length=500)

    def line(self) -> str:
        """One human line: case, deadline, outcome, command, reason."""
        parts = [self.case_id, self.deadline or "-", self.outcome]
        if self.command:
            parts.append(self.command)
        if self.reason:
            parts.append(f"({self.reason})")
        return " ".join(parts)


class RunnerStats(WalletModel, frozen=True, extra="forbid"):
    """The runner's counters since it was built.

    Attributes:
        cases: cases claimed and looked at.
        fired: deadlines whose command this runner applied.
        reported: due deadlines without an automatic command.
        skipped: deadlines not acted on: refused by the workflow, or already fired by
            another runner.
        conflicts: saves that lost a race (retried).
        failed: case attempts that failed (retried later).
        poisoned: cases parked after failing ``max_failures`` times in a row.
        lag_p50: median seconds from due to fired, over the most recent fired deadlines.
        lag_p99: 99th percentile of the same.
        lag_max: the largest lag seen.

    Examples:
        >>> RunnerStats().fired, RunnerStats().lag_p50
        (0, None)
    """

    cases: int = 0
    fired: int = 0
    reported: int = 0
    skipped: int = 0
    conflicts: int = 0
    failed: int = 0
    poisoned: int = 0
    lag_p50: float | None = None
    lag_p99: float | None = None
    lag_max: float | None = None


def _percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a sorted, non-empty list."""
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without float surprises
    return ordered[int(rank) - 1]


class _Retry(Exception):  # an internal signal: conflicts exhausted or too many steps
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _reason(exc: BaseException) -> str:
    """What went wrong, without secrets: library errors carry safe messages; others only
    their type (a foreign message may quote anything)."""
    if isinstance(exc, _Retry):
        return exc.reason
    if isinstance(exc, WalletSupportError):
        return f"{type(exc).__name__}: {exc}"[:500]
    return type(exc).__name__


def _check_stop(stop: object) -> Callable[[], bool] | None:
    if stop is not None and not callable(stop):
        raise InvalidInputError("stop must be a function returning a bool, or None")
    return cast("Callable[[], bool] | None", stop)


class DeadlineRunner:
    """Claims due cases from a store and applies what their due deadlines trigger.

    One runner is used by one thread; run as many runners (threads, processes, machines) on
    one store as you like.

    Args:
        store: a [DeadlineClaimStore][walletsupport.ports.DeadlineClaimStore] (every shipped
            store is one).
        clock: business time: a deadline is due when its ``due_at`` is at or before
            ``clock.now()``; commands are stamped with it.
        workflows: the definitions to serve; ``None`` serves ``builtin_workflows()``.
        lease_clock: the real time leases and back-offs are measured in (default: ``clock``;
            give a ``SystemClock`` when ``clock`` is fixed, as ``worker --at`` does).
        owner: this runner's name in the claims (default: a random one); unique per runner.
        actor: who the audit trail says applied the commands.
        batch: cases claimed at once.
        lease: how long a claim holds before another runner may take the case over; longer
            than the time one batch takes.
        retries: conflicting saves retried per deadline before the attempt counts as failed.
        max_failures: failed attempts in a row after which a case is poisoned (parked).
        backoff: how long a failed case waits before it is retried.
        on_outcome: called with every [DeadlineOutcome][walletsupport.workflows.DeadlineOutcome]
            as it happens (the CLI prints them).

    Raises:
        ConfigurationError: the store cannot claim, or an argument has the wrong type.
    """

    def __init__(
        self,
        store: DeadlineClaimStore,
        clock: Clock,
        workflows: Iterable[Workflow[Any, Any]] | None = None,
        *,
        lease_clock: Clock | None = None,
        owner: str | None = None,
        actor: str = "system:deadline-runner",
        batch: int = 20,
        lease: timedelta = timedelta(minutes=2),
        retries: int = 5,
        max_failures: int = 3,
        backoff: timedelta = timedelta(minutes=1),
        on_outcome: Callable[[DeadlineOutcome], None] | None = None,
    ) -> None:
        if not isinstance(store, DeadlineClaimStore):
            raise ConfigurationError(
                "store must implement DeadlineClaimStore (claim_due, release_claim)"
            )
        if lease_clock is not None and not isinstance(lease_clock, Clock):
            raise ConfigurationError("lease_clock must implement Clock (now)")
        for name, value, low in (
            ("batch", batch, 1),
            ("retries", retries, 0),
            ("max_failures", max_failures, 1),
        ):
            if type(value) is not int or not low <= value <= 10_000:
                raise ConfigurationError(f"{name} must be an int between {low} and 10000")
        for name, span in (("lease", lease), ("backoff", backoff)):
            if not isinstance(span, timedelta) or span < timedelta(0):
                raise ConfigurationError(f"{name} must be a non-negative timedelta")
        if lease <= timedelta(0):
            raise ConfigurationError("lease must be positive")
        if owner is None:
            owner = f"runner-{uuid.uuid4().hex[:12]}"
        if not isinstance(owner, str) or not 1 <= len(owner) <= 200 or "\x00" in owner:
            raise ConfigurationError("owner must be a string of 1-200 characters")
        if on_outcome is not None and not callable(on_outcome):
            raise ConfigurationError("on_outcome must be callable")
        actor = _checked(_ACTOR, actor, "actor")
        self._service = WorkflowService(store, clock, workflows)
        self._store = store
        self._clock = clock
        self._lease_clock = clock if lease_clock is None else lease_clock
        self._owner = owner
        self._actor = actor
        self._batch = batch
        self._lease = lease
        self._retries = retries
        self._max_failures = max_failures
        self._backoff = backoff
        self._on_outcome = on_outcome
        self._counts = dict.fromkeys(
            ("cases", "fired", "reported", "skipped", "conflicts", "failed", "poisoned"), 0
        )
        self._lags: deque[float] = deque(maxlen=_LAG_WINDOW)
        self._lag_max: float | None = None

    @property
    def owner(self) -> str:
        """This runner's name in the claims."""
        return self._owner

    def stats(self) -> RunnerStats:
        """The counters so far (fired, reported, skipped, conflicts, ..., lag percentiles)."""
        ordered = sorted(self._lags)
        return RunnerStats(
            **self._counts,
            lag_p50=_percentile(ordered, 0.5) if ordered else None,
            lag_p99=_percentile(ordered, 0.99) if ordered else None,
            lag_max=self._lag_max,
        )

    # --- loops -------------------------------------------------------------------------------

    def run_once(self, *, stop: Callable[[], bool] | None = None) -> list[DeadlineOutcome]:
        """Claim one batch of due cases and handle them; what happened, in order.

        ``stop`` is asked before each case: once it returns true, the cases not yet handled
        are released untouched (another runner takes them at once) and the call returns.

        Raises:
            StorageError: the store failed while claiming (nothing was claimed).
        """
        return self._run_batch(_check_stop(stop))[1]

    def _run_batch(self, stop: Callable[[], bool] | None) -> tuple[int, list[DeadlineOutcome]]:
        at = ensure_aware(self._clock.now(), "clock.now()")
        now = ensure_aware(self._lease_clock.now(), "lease_clock.now()")
        claims = self._store.claim_due(
            at=at, now=now, owner=self._owner, lease_until=now + self._lease, limit=self._batch
        )
        outcomes: list[DeadlineOutcome] = []
        for index, claim in enumerate(claims):
            if stop is not None and stop():
                for untouched in claims[index:]:
                    self._give_back(untouched)
                break
            if ensure_aware(self._lease_clock.now(), "lease_clock.now()") >= claim.lease_until:
                _log.warning("lease of case %s lapsed before it was handled", claim.case_id)
                self._give_back(claim)
                continue
            self._counts["cases"] += 1
            outcomes.extend(self._handle(claim, at))
        return len(claims), outcomes

    def run_until_idle(self, *, stop: Callable[[], bool] | None = None) -> list[DeadlineOutcome]:
        """Run batches until none is due (or ``stop`` returns true); everything that happened.

        "Idle" is relative to the clock: with a fixed clock, every deadline due at that
        instant has been handled (failed cases waiting out their back-off excepted).

        Raises:
            StorageError: the store failed while claiming.
        """
        stop = _check_stop(stop)
        outcomes: list[DeadlineOutcome] = []
        while stop is None or not stop():
            claimed, batch = self._run_batch(stop)
            outcomes.extend(batch)
            if not claimed:
                break
        return outcomes

    def serve(self, *, interval: float, stop: threading.Event) -> None:
        """Poll every ``interval`` seconds until ``stop`` is set, then return (the case in
        hand is finished, the rest of its batch released).

        A store failure while claiming is logged and retried at the next poll.

        Raises:
            InvalidInputError: ``interval`` is not a positive number of seconds.
        """
        if isinstance(interval, bool) or not isinstance(interval, (int, float)) or interval <= 0:
            raise InvalidInputError("interval must be a positive number of seconds")
        if not isinstance(stop, threading.Event):
            raise InvalidInputError("stop must be a threading.Event")
        while not stop.is_set():
            try:
                self.run_until_idle(stop=stop.is_set)
            except WalletSupportError as exc:
                _log.error("claiming due cases failed: %s", _reason(exc))
            stop.wait(interval)

    # --- one case ----------------------------------------------------------------------------

    def _emit(self, outcome: DeadlineOutcome) -> DeadlineOutcome:
        if self._on_outcome is not None:
            self._on_outcome(outcome)
        return outcome

    def _give_back(self, claim: DeadlineClaim) -> None:
        """Release a claim as it was (nothing handled)."""
        self._store.release_claim(
            claim,
            seen_version=claim.seen_version,
            handled_through=claim.handled_through,
            wake_at=claim.wake_at,
            failures=claim.failures,
        )

    def _handle(self, claim: DeadlineClaim, at: datetime) -> list[DeadlineOutcome]:
        outcomes: list[DeadlineOutcome] = []
        progress: list[CaseSnapshot] = []
        try:
            snapshot, wake = self._fire_due(claim, at, outcomes, progress)
        except Exception as exc:  # one bad case must never stop the runner
            self._failed(claim, at, exc, outcomes, progress)
            return outcomes
        released = self._store.release_claim(
            claim,
            seen_version=snapshot.version,
            handled_through=at,
            wake_at=wake,
            failures=0,
        )
        if not released:
            _log.warning("case %s: the lease lapsed while it was handled", claim.case_id)
        return outcomes

    def _failed(
        self,
        claim: DeadlineClaim,
        at: datetime,
        exc: Exception,
        outcomes: list[DeadlineOutcome],
        progress: list[CaseSnapshot],
    ) -> None:
        failures = claim.failures + 1
        reason = _reason(exc)
        kind = progress[-1].kind if progress else None
        if failures >= self._max_failures:
            self._counts["poisoned"] += 1
            version = progress[-1].version if progress else claim.version
            _log.error(
                "case %s poisoned after %d failed attempts: %s", claim.case_id, failures, reason
            )
            self._store.release_claim(
                claim,
                seen_version=version,
                handled_through=claim.handled_through,
                wake_at=None,
                failures=failures,
            )
            outcome: Outcome = "poisoned"
        else:
            self._counts["failed"] += 1
            _log.warning(
                "case %s failed (attempt %d of %d): %s",
                claim.case_id,
                failures,
                self._max_failures,
                reason,
            )
            now = ensure_aware(self._lease_clock.now(), "lease_clock.now()")
            self._store.release_claim(
                claim,
                seen_version=claim.seen_version,
                handled_through=claim.handled_through,
                wake_at=claim.wake_at,
                failures=failures,
                retry_at=now + self._backoff,
            )
            outcome = "failed"
        outcomes.append(
            self._emit(
                DeadlineOutcome(
                    case_id=claim.case_id, kind=kind, outcome=outcome, at=at, reason=reason
                )
            )
        )

    def _fire_due(
        self,
        claim: DeadlineClaim,
        at: datetime,
        outcomes: list[DeadlineOutcome],
        progress: list[CaseSnapshot],
    ) -> tuple[CaseSnapshot, datetime | None]:
        """Handle the deadlines due at ``at`` not handled yet (reported ones: those due after
        ``handled_through``); the newest snapshot and the next instant to look again."""
        since = claim.handled_through
        handled: set[tuple[str, datetime]] = set()
        snapshot = self._store.load(claim.case_id)
        progress.append(snapshot)
        for _ in range(_MAX_STEPS):
            workflow = self._service.workflow(snapshot.kind)
            deadlines = self._service.due(snapshot, at)
            # A reported deadline is reported once; one with a command is tried again when
            # the case has changed (a refused command may now apply; its key keeps it single).
            pending = [
                d
                for d in deadlines
                if d.due_at <= at
                and (since is None or d.due_at > since or d.name in workflow.on_deadline)
                and (d.name, d.due_at) not in handled
            ]
            if not pending:
                wake = min((d.due_at for d in deadlines if d.due_at > at), default=None)
                return snapshot, wake
            deadline = pending[0]
            handled.add((deadline.name, deadline.due_at))
            command = workflow.deadline_command(deadline)
            if command is None:
                self._counts["reported"] += 1
                _log.info(
                    "case %s: deadline %s (due %s) has no automatic command",
                    snapshot.id,
                    deadline.name,
                    deadline.due_at.isoformat(),
                )
                outcomes.append(self._emit(self._outcome(snapshot, deadline, "reported", at)))
                continue
            snapshot = self._fire(snapshot, deadline, command, at, outcomes)
            progress.append(snapshot)
        raise _Retry(f"more than {_MAX_STEPS} deadlines fell due in one pass")

    def _outcome(
        self,
        snapshot: CaseSnapshot,
        deadline: Deadline,
        outcome: Outcome,
        at: datetime,
        **extra: Any,
    ) -> DeadlineOutcome:
        return DeadlineOutcome(
            case_id=snapshot.id,
            kind=snapshot.kind,
            deadline=deadline.name,
            due_at=deadline.due_at,
            outcome=outcome,
            at=at,
            **extra,
        )

    def _fire(
        self,
        snapshot: CaseSnapshot,
        deadline: Deadline,
        command: Command,
        at: datetime,
        outcomes: list[DeadlineOutcome],
    ) -> CaseSnapshot:
        """Apply ``command`` under the deadline's key, retrying conflicts; the newest snapshot."""
        key = deadline_key(deadline)
        name = type(command).__name__
        case_id = snapshot.id
        for _ in range(self._retries + 1):
            if self._store.entry_for_key(case_id, key) is not None:
                return self._already(snapshot, deadline, name, at, outcomes)
            try:
                new = self._service.apply(case_id, command, idempotency_key=key, actor=self._actor)
            except ConcurrencyConflictError:
                self._counts["conflicts"] += 1
                _log.info("case %s: deadline %s lost a race; retrying", case_id, deadline.name)
                continue
            except IdempotencyKeyReusedError:
                return self._already(snapshot, deadline, name, at, outcomes)
            except (GuardRejectedError, TransitionNotAllowedError) as exc:
                self._counts["skipped"] += 1
                reason = _reason(exc)
                _log.info("case %s: deadline %s refused: %s", case_id, deadline.name, reason)
                outcomes.append(
                    self._emit(
                        self._outcome(
                            snapshot, deadline, "refused", at, command=name, reason=reason
                        )
                    )
                )
                return snapshot
            lag = (new.last_entry.at - deadline.due_at).total_seconds()
            self._counts["fired"] += 1
            self._lags.append(lag)
            self._lag_max = lag if self._lag_max is None else max(self._lag_max, lag)
            _log.info(
                "case %s: deadline %s fired %s (lag %.3f s)", case_id, deadline.name, name, lag
            )
            outcomes.append(
                self._emit(self._outcome(new, deadline, "fired", at, command=name, lag_seconds=lag))
            )
            return new
        raise _Retry(f"deadline {deadline.name}: {self._retries + 1} conflicting saves in a row")

    def _already(
        self,
        snapshot: CaseSnapshot,
        deadline: Deadline,
        name: str,
        at: datetime,
        outcomes: list[DeadlineOutcome],
    ) -> CaseSnapshot:
        self._counts["skipped"] += 1
        _log.info("case %s: deadline %s was already fired", snapshot.id, deadline.name)
        outcomes.append(
            self._emit(self._outcome(snapshot, deadline, "already_fired", at, command=name))
        )
        return self._store.load(snapshot.id)

    def __repr__(self) -> str:
        return f"DeadlineRunner(owner={self._owner!r}, store={self._store!r})"

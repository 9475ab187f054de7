"""Locking and unlocking a customer's account: active -> locked -> pending_verification -> active.

* The account locks after failed logins as the
  [LockoutPolicy][walletsupport.policies.lockout.LockoutPolicy] decides (default: the PSD2
  RTS preset, 5 failures in 24 hours, RTS 2018/389 Art. 4(3)(b), ``RTS_MAX_FAILED_ATTEMPTS``,
  manual unlock only), by risk control, or at the customer's request.
* There is no way from ``locked`` back to ``active`` except through ``pending_verification``
  and [SealedEvidence][walletsupport.verification.SealedEvidence] that the workflow's server
  key verifies: produced by the library's checks, sealed for this case and its account, for
  ``unlock_account``, unexpired, sealed after this verification started, and never used
  before in this case. A caller-built session or evidence is refused (``GuardRejectedError``);
  without a key (``AccountLockPolicy(key=...)``) nothing unlocks.
* ``closed`` is absorbing.

Running deadline: ``verification_expiry`` while verifying (``verification_timeout`` after it
started); a scheduler then sends
[ExpireVerification][walletsupport.workflows.account_lock.ExpireVerification].

Examples:
    >>> from datetime import datetime, timezone
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    >>> service = WorkflowService(MemoryStore(), clock)
    >>> data = AccountLockData(account_id="acc-1")
    >>> _ = service.open("account_lock", data, case_id="L-1", actor="system")
    >>> service.apply("L-1", LockOnCustomerRequest(), idempotency_key="1", actor="customer").state
    'locked'
    >>> service.apply("L-1", StartVerification(), idempotency_key="2", actor="agent:3").state
    'pending_verification'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import ClassVar

from pydantic import AwareDatetime, Field, JsonValue
from statemachine import StateMachine
from statemachine.states import States

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import ConfigurationError, VerificationError, WalletSupportError
from walletsupport.policies.lockout import LockoutPolicy
from walletsupport.verification.actions import VerificationAction
from walletsupport.verification.session import SealedEvidence
from walletsupport.workflows._keys import ServerKey, require_key
from walletsupport.workflows.definition import CaseContext, Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "AccountLockData",
    "AccountLockMachine",
    "AccountLockPolicy",
    "AccountLockState",
    "CloseAccount",
    "CompleteVerification",
    "ExpireVerification",
    "FailVerification",
    "LockForRisk",
    "LockOnCustomerRequest",
    "LockReason",
    "RecordFailedLogin",
    "RecordSuccessfulLogin",
    "StartVerification",
    "account_lock_workflow",
]


class AccountLockState(WalletEnum):
    """The states of an account-lock case (stored values)."""

    ACTIVE = "active"
    LOCKED = "locked"
    PENDING_VERIFICATION = "pending_verification"
    CLOSED = "closed"


class LockReason(WalletEnum):
    """Why the account was locked."""

    FAILED_LOGINS = "failed_logins"
    RISK_CONTROL = "risk_control"
    CUSTOMER_REQUEST = "customer_request"


#: How many used evidence ids a case remembers (each unlock adds one).
_USED_EVIDENCE_KEPT = 100


def _default_lockout() -> LockoutPolicy:
    return LockoutPolicy.psd2_rts(cooldown=None)


class AccountLockPolicy(WalletModel, frozen=True, extra="forbid", hide_input_in_errors=True):
    """The account-lock workflow's settings.

    Attributes:
        key: the server's secret key (at least 16 bytes) that sealed the verification
            evidence; never stored in a case, never shown. ``None``: nothing unlocks.
        lockout: when failed logins lock the account (default: PSD2 RTS, manual unlock).
        verification_timeout: how long a started verification may take before it expires
            and the account falls back to ``locked``.

    Examples:
        >>> AccountLockPolicy().lockout.max_failures
        5
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    key: ServerKey | None = Field(default=None, repr=False)
    lockout: LockoutPolicy = Field(default_factory=_default_lockout)
    verification_timeout: timedelta = Field(default=timedelta(minutes=30), gt=timedelta(0))


class AccountLockData(WalletModel, frozen=True, extra="forbid"):
    """What an account-lock case stores (never a credential).

    Examples:
        >>> AccountLockData(account_id="acc-1").failed_logins
        ()
    """

    account_id: str = Field(min_length=1, max_length=128)
    failed_logins: tuple[AwareDatetime, ...] = ()
    lock_reason: LockReason | None = None
    locked_at: AwareDatetime | None = None
    verification_started_at: AwareDatetime | None = None
    unlock_count: int = Field(default=0, ge=0)
    used_evidence: tuple[str, ...] = Field(default=(), max_length=_USED_EVIDENCE_KEPT)


AccountLockCase = CaseContext[AccountLockData, AccountLockPolicy]


# --- commands --------------------------------------------------------------------------------


class RecordFailedLogin(Command):
    """A login failed; locks the account when the lockout policy says so."""

    event: ClassVar[str] = "failed_login"


class RecordSuccessfulLogin(Command):
    """A login succeeded; the failure count starts again."""

    event: ClassVar[str] = "successful_login"


class LockForRisk(Command):
    """Risk control locks the account."""

    event: ClassVar[str] = "lock"
    reason: str = Field(default="", max_length=200)


class LockOnCustomerRequest(Command):
    """The customer asked to lock the account (e.g. a lost phone)."""

    event: ClassVar[str] = "lock"


class StartVerification(Command):
    """The customer starts verifying their identity to unlock (locked -> pending_verification)."""

    event: ClassVar[str] = "begin_verification"


class CompleteVerification(Command):
    """Unlock with sealed evidence for ``unlock_account`` (see ``VerificationSession.seal``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.verification import VerificationSession, plan_verification
        >>> key, t0 = b"server-key-kept-in-a-vault-0001", datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> plan = plan_verification("unlock_account", "low", ["password", "biometric"])
        >>> from walletsupport.values import Password
        >>> s = VerificationSession.start(plan, t0).check_password(
        ...     key, Password.parse("pw-of-acc-1"), "pw-of-acc-1", at=t0)
        >>> s = s.record_external(key, "biometric", passed=True, verifier="os", at=t0)
        >>> command = CompleteVerification(
        ...     evidence=s.seal(key, account_id="acc-1", case_id="L-1", at=t0))
        >>> command.audit_details()["factors"]
        ['password', 'biometric']
    """

    event: ClassVar[str] = "verify"
    evidence: SealedEvidence

    def audit_details(self) -> dict[str, JsonValue]:
        """A summary of the evidence (id, action, risk, factors), not the evidence itself."""
        return {
            "evidence_id": self.evidence.evidence_id,
            "action": self.evidence.action.value,
            "risk": self.evidence.risk.value,
            "factors": [f.kind.value for f in self.evidence.factors],
            "sealed_at": self.evidence.sealed_at.isoformat(),
        }


class FailVerification(Command):
    """The customer could not verify; the account stays locked."""

    event: ClassVar[str] = "fail_verification"


class ExpireVerification(Command):
    """The verification timed out (sent by a scheduler at ``verification_expiry``)."""

    event: ClassVar[str] = "expire_verification"


class CloseAccount(Command):
    """The account is closed for good."""

    event: ClassVar[str] = "close"


# --- machine ---------------------------------------------------------------------------------


class AccountLockMachine(StateMachine):
    """The account-lock states and transitions. There is no locked -> active transition."""

    _ = States.from_enum(
        AccountLockState, initial=AccountLockState.ACTIVE, final=AccountLockState.CLOSED
    )

    failed_login = (
        _.ACTIVE.to(_.LOCKED, cond="lockout_reached")
        | _.ACTIVE.to.itself()
        | _.LOCKED.to.itself()
        | _.PENDING_VERIFICATION.to.itself()
    )
    successful_login = _.ACTIVE.to.itself()
    lock = _.ACTIVE.to(_.LOCKED)
    begin_verification = _.LOCKED.to(_.PENDING_VERIFICATION)
    verify = _.PENDING_VERIFICATION.to(_.ACTIVE, validators="verification_authorizes_unlock")
    fail_verification = _.PENDING_VERIFICATION.to(_.LOCKED)
    expire_verification = _.PENDING_VERIFICATION.to(_.LOCKED, validators="verification_timed_out")
    close = _.ACTIVE.to(_.CLOSED) | _.LOCKED.to(_.CLOSED) | _.PENDING_VERIFICATION.to(_.CLOSED)

    # guards -------------------------------------------------------------------------------

    def lockout_reached(self, case: AccountLockCase) -> bool:
        """The lockout policy locks once this failure is counted."""
        failures = (*case.data.failed_logins, case.at)
        return case.policy.lockout.evaluate(failures, at=case.at).locked

    def verification_authorizes_unlock(
        self, case: AccountLockCase, command: CompleteVerification
    ) -> None:
        """Only genuine evidence, sealed for this case and account, unused, unlocks."""
        if case.policy.key is None:
            case.reject("no server key is configured to check verification evidence")
        evidence = command.evidence
        try:
            evidence.verify(
                require_key(case.policy.key, "account_lock"),
                account_id=case.data.account_id,
                case_id=case.case_id,
                action=VerificationAction.UNLOCK_ACCOUNT,
                at=case.at,
            )
        except VerificationError as exc:
            case.reject(str(exc))
        if evidence.evidence_id in case.data.used_evidence:
            case.reject("the evidence was already used")
        started = case.data.verification_started_at
        if started is not None and evidence.sealed_at < started:
            case.reject("the evidence was sealed before this verification started")

    def verification_timed_out(self, case: AccountLockCase) -> None:
        started = case.data.verification_started_at
        if started is not None and case.at < started + case.policy.verification_timeout:
            case.reject("the verification has not timed out yet")

    # actions ------------------------------------------------------------------------------

    def on_failed_login(self, case: AccountLockCase, target: object) -> None:
        if case.state == AccountLockState.ACTIVE:
            case.update(failed_logins=(*case.data.failed_logins, case.at)[-100:])
        else:
            case.note(ignored="account already locked")
        locking = getattr(target, "value", None) == AccountLockState.LOCKED
        if case.state == AccountLockState.ACTIVE and locking:
            self._locked(case, LockReason.FAILED_LOGINS)

    def on_successful_login(self, case: AccountLockCase) -> None:
        case.update(failed_logins=())

    def on_lock(self, case: AccountLockCase, command: Command) -> None:
        reason = (
            LockReason.CUSTOMER_REQUEST
            if isinstance(command, LockOnCustomerRequest)
            else LockReason.RISK_CONTROL
        )
        self._locked(case, reason)

    @staticmethod
    def _locked(case: AccountLockCase, reason: LockReason) -> None:
        case.update(lock_reason=reason, locked_at=case.at)
        case.note(lock_reason=reason.value)

    def on_begin_verification(self, case: AccountLockCase) -> None:
        case.update(verification_started_at=case.at)

    def on_verify(self, case: AccountLockCase, command: CompleteVerification) -> None:
        used = (*case.data.used_evidence, command.evidence.evidence_id)
        case.update(
            used_evidence=used[-_USED_EVIDENCE_KEPT:],
            failed_logins=(),
            lock_reason=None,
            locked_at=None,
            verification_started_at=None,
            unlock_count=case.data.unlock_count + 1,
        )

    def on_fail_verification(self, case: AccountLockCase) -> None:
        case.update(verification_started_at=None)

    def on_expire_verification(self, case: AccountLockCase) -> None:
        case.update(verification_started_at=None)


def account_lock_deadlines(
    snapshot: CaseSnapshot, data: AccountLockData, policy: AccountLockPolicy, at: datetime
) -> Iterable[Deadline]:
    """``verification_expiry`` while a verification is under way.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock)
        >>> _ = s.open("account_lock", {"account_id": "a"}, case_id="L", actor="system")
        >>> _ = s.apply("L", LockForRisk(reason="device change"), idempotency_key="1", actor="risk")
        >>> case = s.apply("L", StartVerification(), idempotency_key="2", actor="agent")
        >>> [(d.name, d.due_at.minute) for d in s.due(case)]
        [('verification_expiry', 30)]
    """
    if snapshot.state == AccountLockState.PENDING_VERIFICATION and data.verification_started_at:
        yield Deadline(
            name="verification_expiry",
            due_at=data.verification_started_at + policy.verification_timeout,
            source="account_lock policy verification_timeout",
            description="the unlock verification expires; the account stays locked",
        )


def account_lock_workflow(
    *, policy: AccountLockPolicy | None = None
) -> Workflow[AccountLockData, AccountLockPolicy]:
    """The account-lock workflow definition.

    Examples:
        >>> account_lock_workflow().events_in("locked") >= {"begin_verification", "close"}
        True
        >>> "verify" in account_lock_workflow().events_in("locked")
        False
    """
    return Workflow(
        kind="account_lock",
        machine=AccountLockMachine,
        data=AccountLockData,
        commands=(
            RecordFailedLogin,
            RecordSuccessfulLogin,
            LockForRisk,
            LockOnCustomerRequest,
            StartVerification,
            CompleteVerification,
            FailVerification,
            ExpireVerification,
            CloseAccount,
        ),
        policy=policy if policy is not None else AccountLockPolicy(),
        deadlines=account_lock_deadlines,
        on_deadline={"verification_expiry": ExpireVerification},
        title="Account lock",
    )

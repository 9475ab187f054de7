"""Adding a card to the wallet: entered -> verifying -> active | rejected | expired.

The customer enters a card number, expiry and security code. They are validated by
[card_add_data][walletsupport.workflows.card_add.card_add_data] and then dropped: the case
keeps only the brand, the last four digits, the PCI display mask, the expiry month and
year, and a keyed fingerprint of the number (PCI DSS v4.0 Req. 3.4.1 ``PCI_MASK_DISPLAY``,
Req. 3.5.1 ``PCI_PAN_UNREADABLE_STORED``). The security code is never kept, not even hashed
(Req. 3.3.1 ``PCI_NO_SAD_AFTER_AUTH``).

Verification is by a one-time code sent by SMS (``NIST_OOB_SECRET``: at most 10 minutes,
single use) or by the issuing bank's confirmation (for example 3-D Secure or an in-app
approval), within ``verification_window``. A card that has expired at the moment of a
command (``CARD_EXPIRY_END_OF_MONTH``: valid through the last day of its month) is rejected
instead of being verified or activated.

Examples:
    >>> from datetime import datetime, timezone
    >>> from walletsupport.adapters import MemoryStore
    >>> from walletsupport.clock import FixedClock
    >>> from walletsupport.workflows import WorkflowService
    >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
    >>> service = WorkflowService(MemoryStore(), clock, [card_add_workflow()])
    >>> data = card_add_data("4242 4242 4242 4242", "12/29", "123", fingerprint_key=b"f" * 32)
    >>> case = service.open("card_add", data, case_id="C-1", actor="customer")
    >>> case.data["masked"], case.data["brand"], "4242424242424242" in case.model_dump_json()
    ('424242******4242', 'visa', False)
    >>> start = StartCardVerification(method=CardVerificationMethod.BANK)
    >>> service.apply("C-1", start, idempotency_key="1", actor="system").state
    'verifying'
    >>> decision = RecordBankDecision(approved=True, reference="3ds-7781")
    >>> service.apply("C-1", decision, idempotency_key="2", actor="system:bank").state
    'active'
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
from walletsupport.errors import (
    ConfigurationError,
    InvalidCardError,
    InvalidInputError,
    WalletSupportError,
)
from walletsupport.values.card import CardBrand, CardExpiry, CardNumber, Cvc
from walletsupport.values.text import FreeText
from walletsupport.verification.otp import (
    CodeOutcome,
    IssuedCode,
    OtpPolicy,
    OtpState,
    OtpStatus,
    issue_code,
    verify_code,
)
from walletsupport.workflows._keys import ServerKey, require_key
from walletsupport.workflows.definition import CaseContext, Command, Deadline, Workflow
from walletsupport.workflows.snapshot import CaseSnapshot

__all__ = [
    "CardAddData",
    "CardAddMachine",
    "CardAddPolicy",
    "CardAddState",
    "CardVerificationMethod",
    "ConfirmCardCode",
    "ExpireCardVerification",
    "RecordBankDecision",
    "RejectCard",
    "StartCardVerification",
    "card_add_data",
    "card_add_deadlines",
    "card_add_workflow",
]

_Rng: TypeAlias = Callable[[int], int]


class CardAddState(WalletEnum):
    """The states of adding a card (stored values: never rename one).

    Examples:
        >>> CardAddState("verifying") is CardAddState.VERIFYING
        True
    """

    ENTERED = "entered"
    VERIFYING = "verifying"
    ACTIVE = "active"
    REJECTED = "rejected"
    EXPIRED = "expired"


class CardVerificationMethod(WalletEnum):
    """How the cardholder proves the card is theirs.

    Examples:
        >>> [m.value for m in CardVerificationMethod]
        ['sms', 'bank']
    """

    SMS = "sms"
    BANK = "bank"


class CardAddPolicy(WalletModel, frozen=True, extra="forbid", hide_input_in_errors=True):
    """Settings of card verification, and the server key that hashes SMS codes.

    Attributes:
        key: the server's secret key (at least 16 bytes) for the SMS codes' HMACs; never
            stored in a case. ``None`` refuses SMS verification (bank confirmation still works).
        otp: SMS code settings (6-8 digits, at most 10 minutes, at most 5 wrong tries;
            ``NIST_OOB_SECRET``, ``RTS_MAX_FAILED_ATTEMPTS``).
        verification_window: how long the customer or bank has to confirm (30 minutes).

    Examples:
        >>> CardAddPolicy().verification_window.total_seconds()
        1800.0
        >>> "0123456789abcdef" in repr(CardAddPolicy(key=b"0123456789abcdef"))
        False
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    key: ServerKey | None = Field(default=None, repr=False)
    otp: OtpPolicy = OtpPolicy()
    verification_window: timedelta = Field(
        default=timedelta(minutes=30), gt=timedelta(0), le=timedelta(days=7)
    )

    def secret_key(self) -> bytes:
        """The server key's bytes.

        Raises:
            ConfigurationError: the policy has no key.

        Examples:
            >>> len(CardAddPolicy(key=b"k" * 20).secret_key())
            20
        """
        return require_key(self.key, "card_add")

    def issue_code(
        self, case_id: str, at: datetime, *, rng: _Rng | None = None
    ) -> tuple[IssuedCode, StartCardVerification]:
        """Issue an SMS code bound to ``case_id``: the code to send, and the command to apply.

        Raises:
            ConfigurationError: the policy has no key.
            InvalidInputError: a bad case id or a naive ``at``.

        Examples:
            >>> from datetime import datetime, timezone
            >>> policy = CardAddPolicy(key=b"k" * 32)
            >>> issued, start = policy.issue_code("C-1", datetime(2026, 1, 5, tzinfo=timezone.utc))
            >>> start.method.value, issued.reveal() in start.model_dump_json()
            ('sms', False)
        """
        issued, state = issue_code(
            self.otp, self.secret_key(), at, purpose=_purpose(case_id), rng=rng
        )
        return issued, StartCardVerification(method=CardVerificationMethod.SMS, otp=state)


class CardAddData(WalletModel, frozen=True, extra="forbid"):
    """What a card-add case stores: masked facts, never the number or the security code.

    Build it with [card_add_data][walletsupport.workflows.card_add.card_add_data].

    Attributes:
        brand: the card network.
        last4: the last four digits.
        masked: the PCI display mask (first six and last four at most).
        expiry_month: printed expiry month.
        expiry_year: printed expiry year (four digits).
        fingerprint: HMAC-SHA256 of the number under the integrator's key (to find duplicates).
        method: how the card is being verified.
        otp: the SMS code's keyed hash, expiry, attempts and status.
        verification_due_at: when the verification window closes.
        bank_reference: the bank's reference for its decision.
        activated_at: when the card became active.
        rejection_reason: why the card was rejected.

    Examples:
        >>> data = card_add_data("5555555555554444", "01/30", "737", fingerprint_key=b"f" * 32)
        >>> data.last4, data.expiry.month, data.expiry.year
        ('4444', 1, 2030)
    """

    brand: CardBrand
    last4: str = Field(pattern=r"^[0-9]{4}$")
    masked: str = Field(pattern=r"^[0-9]{0,6}\*{6,13}[0-9]{4}$")
    expiry_month: int = Field(ge=1, le=12)
    expiry_year: int = Field(ge=2000, le=2099)
    fingerprint: str = Field(pattern=r"^[0-9a-f]{64}$")
    method: CardVerificationMethod | None = None
    otp: OtpState | None = None
    verification_due_at: AwareDatetime | None = None
    bank_reference: FreeText | None = Field(default=None, max_length=200)
    activated_at: AwareDatetime | None = None
    rejection_reason: FreeText | None = Field(default=None, max_length=500)

    @property
    def expiry(self) -> CardExpiry:
        """The card's expiry as a [CardExpiry][walletsupport.values.CardExpiry]."""
        return CardExpiry(month=self.expiry_month, year=self.expiry_year)


def card_add_data(
    number: CardNumber | str,
    expiry: CardExpiry | str,
    cvc: Cvc | str,
    *,
    fingerprint_key: bytes,
) -> CardAddData:
    """Validate what the customer typed and keep only the facts a case may store.

    The security code is checked (3 digits, 4 for American Express) and then dropped
    (``PCI_NO_SAD_AFTER_AUTH``); the number is reduced to brand, last four, mask and a keyed
    fingerprint (``PCI_PAN_UNREADABLE_STORED``). Whether the card has expired is decided by
    the workflow at the time of each command, not here.

    Args:
        number: the card number (text or a parsed CardNumber).
        expiry: ``"MM/YY"``, ``"MM/YYYY"`` or a CardExpiry.
        cvc: the security code (text or a Cvc).
        fingerprint_key: the integrator's key for the fingerprint (at least 16 bytes).

    Raises:
        InvalidCardError: the number, expiry or security code is invalid (never quoted).
        InvalidInputError: the fingerprint key is too short.

    Examples:
        >>> card_add_data("378282246310005", "09/28", "123", fingerprint_key=b"f" * 32)
        Traceback (most recent call last):
        ...
        walletsupport.errors.InvalidCardError: security code must have 4 digits for amex
        >>> card_add_data("4242424242424242", "09/28", "123", fingerprint_key=b"f" * 32).masked
        '424242******4242'
    """
    card = number if isinstance(number, CardNumber) else CardNumber.parse(number)
    if isinstance(expiry, CardExpiry):
        valid_until = expiry
    elif isinstance(expiry, str):
        valid_until = CardExpiry.parse(expiry)
    else:
        raise InvalidCardError("expiry must be a CardExpiry or text like MM/YY")
    code = cvc.reveal() if isinstance(cvc, Cvc) else cvc
    brand = card.brand
    Cvc.parse(code, brand=None if brand is CardBrand.UNKNOWN else brand)
    return CardAddData(
        brand=brand,
        last4=card.last4,
        masked=card.masked,
        expiry_month=valid_until.month,
        expiry_year=valid_until.year,
        fingerprint=card.fingerprint(fingerprint_key),
    )


CardAddCase: TypeAlias = CaseContext[CardAddData, CardAddPolicy]


# --- commands --------------------------------------------------------------------------------


class StartCardVerification(Command):
    """Start verifying: an SMS code was sent (``otp`` from ``CardAddPolicy.issue_code``) or
    the bank was asked to confirm.

    Examples:
        >>> StartCardVerification(method=CardVerificationMethod.BANK).audit_details()
        {'method': 'bank', 'otp': None}
    """

    event: ClassVar[str] = "start_verification"
    method: CardVerificationMethod
    otp: OtpState | None = None


class ConfirmCardCode(Command):
    """The customer types the SMS code; the code is never audited.

    Examples:
        >>> ConfirmCardCode(code="123456")
        ConfirmCardCode()
    """

    event: ClassVar[str] = "confirm_code"
    code: SecretStr = Field(repr=False, min_length=1, max_length=64)


class RecordBankDecision(Command):
    """The issuing bank approved or declined the card.

    Examples:
        >>> RecordBankDecision(approved=False, reference="3ds-1").audit_details()
        {'approved': False, 'reference': '3ds-1'}
    """

    event: ClassVar[str] = "bank_decision"
    approved: bool
    reference: str = Field(min_length=1, max_length=200)


class RejectCard(Command):
    """An agent or a risk rule rejects the card.

    Examples:
        >>> RejectCard(reason="card reported stolen").reason
        'card reported stolen'
    """

    event: ClassVar[str] = "reject"
    reason: str = Field(min_length=1, max_length=500)


class ExpireCardVerification(Command):
    """The scheduler ends a verification whose window has closed.

    Examples:
        >>> ExpireCardVerification.event
        'expire'
    """

    event: ClassVar[str] = "expire"


# --- machine ---------------------------------------------------------------------------------


class CardAddMachine(StateMachine):
    """Adding a card: its states and transitions.

    Every event that could make progress first rejects a card that has expired at
    ``case.at``, then expires a verification whose window has closed.

    Examples:
        >>> sorted(e.id for e in CardAddMachine(start_value="verifying").allowed_events)
        ['bank_decision', 'confirm_code', 'expire', 'reject']
    """

    _ = States.from_enum(
        CardAddState,
        initial=CardAddState.ENTERED,
        final=[CardAddState.ACTIVE, CardAddState.REJECTED, CardAddState.EXPIRED],
    )

    start_verification = _.ENTERED.to(
        _.REJECTED, validators="well_formed_start", cond="card_expired"
    ) | _.ENTERED.to(_.VERIFYING)
    confirm_code = (
        _.VERIFYING.to(_.REJECTED, validators="verifying_by_sms", cond="card_expired")
        | _.VERIFYING.to(_.EXPIRED, cond="window_closed")
        | _.VERIFYING.to(_.ACTIVE, cond="code_verified")
        | _.VERIFYING.to(_.REJECTED, cond="code_exhausted")
        | _.VERIFYING.to(_.EXPIRED, cond="code_expired")
        | _.VERIFYING.to.itself()
    )
    bank_decision = (
        _.VERIFYING.to(_.REJECTED, validators="verifying_by_bank", cond="card_expired")
        | _.VERIFYING.to(_.EXPIRED, cond="window_closed")
        | _.VERIFYING.to(_.ACTIVE, cond="bank_approved")
        | _.VERIFYING.to(_.REJECTED)
    )
    reject = _.ENTERED.to(_.REJECTED) | _.VERIFYING.to(_.REJECTED)
    expire = _.VERIFYING.to(_.EXPIRED, validators="window_has_closed")

    _code_outcome: tuple[object, CodeOutcome] | None = None

    # validators --------------------------------------------------------------------------

    def well_formed_start(self, case: CardAddCase, command: StartCardVerification) -> None:
        """SMS needs a freshly issued code; the bank needs none."""
        otp = command.otp
        if command.method is CardVerificationMethod.BANK:
            if otp is not None:
                case.reject("bank confirmation takes no SMS code")
            return
        if otp is None:
            case.reject("SMS verification needs a code; use CardAddPolicy.issue_code")
        if otp.status is not OtpStatus.ACTIVE or otp.failed_attempts or otp.sends != 1:
            case.reject("the code must be freshly issued")
        if otp.issued_at > case.at or otp.is_expired(case.at):
            case.reject("the code is not valid now")

    def verifying_by_sms(self, case: CardAddCase) -> None:
        if case.data.method is not CardVerificationMethod.SMS:
            case.reject("this card is being confirmed by the bank, not by SMS code")
        if case.policy.key is None:
            case.reject("no server key is configured to check SMS codes")

    def verifying_by_bank(self, case: CardAddCase) -> None:
        if case.data.method is not CardVerificationMethod.BANK:
            case.reject("this card is being confirmed by SMS code, not by the bank")

    def window_has_closed(self, case: CardAddCase) -> None:
        due = case.data.verification_due_at
        if due is not None and case.at < due:
            case.reject(f"the verification window is open until {due.isoformat()}")

    # conditions ----------------------------------------------------------------------------

    def card_expired(self, case: CardAddCase) -> bool:
        """``CARD_EXPIRY_END_OF_MONTH``: expired from the first day after the printed month."""
        return case.data.expiry.is_expired(case.at)

    def window_closed(self, case: CardAddCase) -> bool:
        due = case.data.verification_due_at
        return due is not None and case.at >= due

    def bank_approved(self, command: RecordBankDecision) -> bool:
        return command.approved

    def code_verified(self, case: CardAddCase, command: ConfirmCardCode) -> bool:
        return self._check_code(case, command) is CodeOutcome.VERIFIED

    def code_exhausted(self, case: CardAddCase, command: ConfirmCardCode) -> bool:
        return self._check_code(case, command) is CodeOutcome.EXHAUSTED

    def code_expired(self, case: CardAddCase, command: ConfirmCardCode) -> bool:
        return self._check_code(case, command) is CodeOutcome.EXPIRED

    def _check_code(self, case: CardAddCase, command: ConfirmCardCode) -> CodeOutcome:
        """Verify once per command (the machine is rebuilt per command) and keep the result."""
        if self._code_outcome is None or self._code_outcome[0] is not case:
            otp = case.data.otp
            if otp is None:  # pragma: no cover - SMS verification always holds a code
                case.reject("there is no code to check")
            check = verify_code(
                otp,
                case.policy.secret_key(),
                command.code.get_secret_value(),
                case.at,
                purpose=_purpose(case.case_id),
            )
            case.update(otp=check.state)
            self._code_outcome = (case, check.outcome)
        return self._code_outcome[1]

    # actions -------------------------------------------------------------------------------

    def on_start_verification(
        self, case: CardAddCase, command: StartCardVerification, target: object
    ) -> None:
        if _state_value(target) == CardAddState.REJECTED:
            self._rejected(case, "card_expired")
            return
        due = case.at + case.policy.verification_window
        if command.otp is not None:
            due = min(due, command.otp.expires_at)
        case.update(method=command.method, otp=command.otp, verification_due_at=due)
        case.note(method=command.method.value, verification_due_at=due.isoformat())

    def on_confirm_code(self, case: CardAddCase, target: object) -> None:
        to = _state_value(target)
        outcome = _memo(self._code_outcome, case)
        if to == CardAddState.ACTIVE:
            case.update(activated_at=case.at)
        elif to == CardAddState.REJECTED:
            self._rejected(case, "too_many_attempts" if outcome else "card_expired")
        otp = case.data.otp
        case.note(
            outcome=outcome.value if outcome is not None else "not_checked",
            failed_attempts=otp.failed_attempts if otp is not None else 0,
        )

    def on_bank_decision(
        self, case: CardAddCase, command: RecordBankDecision, target: object
    ) -> None:
        to = _state_value(target)
        case.update(bank_reference=command.reference)
        if to == CardAddState.ACTIVE:
            case.update(activated_at=case.at)
        elif to == CardAddState.REJECTED:
            expired = case.data.expiry.is_expired(case.at)
            self._rejected(case, "card_expired" if expired else "declined_by_bank")

    def on_reject(self, case: CardAddCase, command: RejectCard) -> None:
        self._rejected(case, command.reason)

    @staticmethod
    def _rejected(case: CardAddCase, reason: str) -> None:
        case.update(rejection_reason=reason)
        case.note(rejection_reason=reason)


def _state_value(target: object) -> str:
    """The stored value of a python-statemachine ``State`` (the transition's target)."""
    return str(getattr(target, "value", target))


def _memo(memo: tuple[object, CodeOutcome] | None, case: object) -> CodeOutcome | None:
    """The outcome checked for this command's ``case``, if any."""
    return memo[1] if memo is not None and memo[0] is case else None


def _purpose(case_id: str) -> str:
    """A code is bound to its case: one issued for another case never verifies."""
    if not isinstance(case_id, str) or not case_id:
        raise InvalidInputError("case_id must be a non-empty string")
    return f"card_add:{case_id}"


def card_add_deadlines(
    snapshot: CaseSnapshot, data: CardAddData, policy: CardAddPolicy, at: datetime
) -> Iterable[Deadline]:
    """The running deadline while verifying: the end of the verification window.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.adapters import MemoryStore
        >>> from walletsupport.clock import FixedClock
        >>> from walletsupport.workflows import WorkflowService
        >>> clock = FixedClock(datetime(2026, 1, 5, 9, tzinfo=timezone.utc))
        >>> s = WorkflowService(MemoryStore(), clock)
        >>> data = card_add_data("4242424242424242", "12/29", "123", fingerprint_key=b"f" * 32)
        >>> _ = s.open("card_add", data, case_id="C-2", actor="customer")
        >>> bank = StartCardVerification(method=CardVerificationMethod.BANK)
        >>> case = s.apply("C-2", bank, idempotency_key="1", actor="system")
        >>> [(d.name, d.due_at.minute) for d in s.due(case)]
        [('verification_expiry', 30)]
    """
    ensure_aware(at)
    due = data.verification_due_at
    if snapshot.state != CardAddState.VERIFYING or due is None:
        return
    if data.method is CardVerificationMethod.SMS:
        source = "NIST SP 800-63B §5.1.3.2 (NIST_OOB_SECRET); card_add verification_window"
    else:
        source = "card_add verification_window"
    yield Deadline(
        name="verification_expiry",
        due_at=due,
        source=source,
        description="the card must be confirmed before this, or the attempt expires",
    )


def card_add_workflow(
    *, policy: CardAddPolicy | None = None
) -> Workflow[CardAddData, CardAddPolicy]:
    """The card-add workflow definition.

    Args:
        policy: key, SMS code settings and verification window; the defaults when ``None``.

    Raises:
        ConfigurationError: ``policy`` is not a CardAddPolicy.

    Examples:
        >>> w = card_add_workflow()
        >>> w.kind, w.initial_state, sorted(w.final_states)
        ('card_add', 'entered', ['active', 'expired', 'rejected'])
    """
    if policy is None:
        policy = CardAddPolicy()
    elif not isinstance(policy, CardAddPolicy):
        raise ConfigurationError("policy must be a CardAddPolicy")
    return Workflow(
        kind="card_add",
        machine=CardAddMachine,
        data=CardAddData,
        commands=(
            StartCardVerification,
            ConfirmCardCode,
            RecordBankDecision,
            RejectCard,
            ExpireCardVerification,
        ),
        policy=policy,
        deadlines=card_add_deadlines,
        on_deadline={"verification_expiry": ExpireCardVerification},
        title="Adding a card to the wallet",
    )

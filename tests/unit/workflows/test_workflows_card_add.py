"""Adding a card: masked facts only, SMS or bank confirmation, expiry of card and window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import (
    ConfigurationError,
    GuardRejectedError,
    InvalidCardError,
    InvalidInputError,
    TransitionNotAllowedError,
)
from walletsupport.values import CardExpiry, CardNumber, Cvc
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.card_add import (
    CardAddData,
    CardAddPolicy,
    CardAddState,
    CardVerificationMethod,
    ConfirmCardCode,
    ExpireCardVerification,
    RecordBankDecision,
    RejectCard,
    StartCardVerification,
    card_add_data,
    card_add_workflow,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KEY = b"test-server-key-0123456789abcdef"
FINGERPRINT_KEY = b"fingerprint-key-0123456789abcdef"
VISA = "4242424242424242"
BANK = StartCardVerification(method=CardVerificationMethod.BANK)


class Wallet:
    """A service with one card-add case; helpers read as the customer's steps."""

    def __init__(self, expiry: str = "12/29", policy: CardAddPolicy | None = None) -> None:
        self.clock = FixedClock(T0)
        self.policy = policy or CardAddPolicy(key=KEY)
        self.service = WorkflowService(
            MemoryStore(), self.clock, [card_add_workflow(policy=self.policy)]
        )
        data = card_add_data(VISA, expiry, "123", fingerprint_key=FINGERPRINT_KEY)
        self.case = self.service.open("card_add", data, case_id="C-1", actor="customer")
        self.keys = 0

    def apply(self, command):
        self.keys += 1
        self.case = self.service.apply("C-1", command, idempotency_key=f"k{self.keys}", actor="c")
        return self.case

    def send_sms(self, value: int = 604_218) -> str:
        issued, start = self.policy.issue_code("C-1", self.clock.now(), rng=lambda n: value % n)
        self.apply(start)
        return issued.reveal()

    def data(self) -> CardAddData:
        return CardAddData.model_validate(self.case.data)


def test_entered_card_keeps_only_brand_last4_mask_expiry_and_fingerprint():
    data = card_add_data("4242 4242 4242 4242", "7/2031", "123", fingerprint_key=FINGERPRINT_KEY)
    assert data.model_dump(exclude_none=True) == {
        "brand": "visa",
        "last4": "4242",
        "masked": "424242******4242",
        "expiry_month": 7,
        "expiry_year": 2031,
        "fingerprint": CardNumber.parse(VISA).fingerprint(FINGERPRINT_KEY),
    }


def test_parsed_values_are_accepted_too():
    data = card_add_data(
        CardNumber.parse("378282246310005"),
        CardExpiry.parse("01/30"),
        Cvc.parse("1234"),
        fingerprint_key=FINGERPRINT_KEY,
    )
    assert (data.brand, data.last4) == ("amex", "0005")


@pytest.mark.parametrize(
    ("number", "expiry", "cvc"),
    [
        pytest.param("4242424242424241", "12/29", "123", id="luhn-fails-CARD_LUHN"),
        pytest.param(VISA, "13/29", "123", id="month-13"),
        pytest.param(VISA, "12/29", "12a", id="cvc-not-digits"),
        pytest.param("378282246310005", "12/29", "123", id="amex-needs-4-digit-CID"),
        pytest.param(VISA, 1229, "123", id="expiry-not-text"),
    ],
)
def test_invalid_card_entry_is_refused_without_quoting_it(number, expiry, cvc):
    with pytest.raises(InvalidCardError) as caught:
        card_add_data(number, expiry, cvc, fingerprint_key=FINGERPRINT_KEY)
    assert number not in str(caught.value)
    assert str(cvc) not in str(caught.value)


def test_short_fingerprint_key_is_refused():
    with pytest.raises(InvalidInputError):
        card_add_data(VISA, "12/29", "123", fingerprint_key=b"short")


def test_bank_approval_activates_the_card():
    wallet = Wallet()
    assert wallet.apply(BANK).state == "verifying"
    active = wallet.apply(RecordBankDecision(approved=True, reference="3ds-1"))
    assert active.state == CardAddState.ACTIVE
    assert wallet.data().activated_at == T0
    assert wallet.data().bank_reference == "3ds-1"


def test_bank_decline_rejects_the_card_with_a_reason():
    wallet = Wallet()
    wallet.apply(BANK)
    rejected = wallet.apply(RecordBankDecision(approved=False, reference="3ds-2"))
    assert rejected.state == "rejected"
    assert wallet.data().rejection_reason == "declined_by_bank"


def test_correct_sms_code_activates_the_card():
    wallet = Wallet()
    code = wallet.send_sms()
    assert wallet.data().method is CardVerificationMethod.SMS
    assert wallet.apply(ConfirmCardCode(code=code)).state == "active"


def test_wrong_sms_code_is_counted_and_five_reject_the_card():
    wallet = Wallet()
    wallet.send_sms(111_111)
    states = [wallet.apply(ConfirmCardCode(code="222222")).state for _ in range(5)]
    assert states == ["verifying"] * 4 + ["rejected"]
    assert wallet.data().rejection_reason == "too_many_attempts"


def test_late_sms_code_expires_the_verification():
    wallet = Wallet()
    code = wallet.send_sms()
    wallet.clock.advance(timedelta(minutes=5))
    assert wallet.apply(ConfirmCardCode(code=code)).state == "expired"


def test_expired_card_is_rejected_when_verification_starts():
    wallet = Wallet(expiry="12/25")
    rejected = wallet.apply(BANK)
    assert rejected.state == "rejected"
    assert rejected.last_entry.details["rejection_reason"] == "card_expired"


def test_card_that_expires_during_verification_is_rejected_not_activated():
    wallet = Wallet(expiry="01/26")
    wallet.clock.set(datetime(2026, 1, 31, 23, 50, tzinfo=UTC))
    wallet.apply(BANK)
    wallet.clock.advance(timedelta(minutes=15))  # 1 February: the card has expired
    decided = wallet.apply(RecordBankDecision(approved=True, reference="3ds-3"))
    assert decided.state == "rejected"
    assert wallet.data().rejection_reason == "card_expired"


def test_bank_decision_after_the_window_expires_the_verification():
    wallet = Wallet()
    wallet.apply(BANK)
    wallet.clock.advance(timedelta(minutes=30))
    late = wallet.apply(RecordBankDecision(approved=True, reference="3ds-4"))
    assert late.state == "expired"


def test_scheduler_expiry_is_refused_while_the_window_is_open():
    wallet = Wallet()
    wallet.apply(BANK)
    with pytest.raises(GuardRejectedError, match="open until"):
        wallet.apply(ExpireCardVerification())
    wallet.clock.advance(timedelta(minutes=30))
    assert wallet.apply(ExpireCardVerification()).state == "expired"


def test_sms_code_cannot_confirm_a_bank_verification():
    wallet = Wallet()
    wallet.apply(BANK)
    with pytest.raises(GuardRejectedError, match="by the bank"):
        wallet.apply(ConfirmCardCode(code="123456"))


def test_bank_decision_cannot_confirm_an_sms_verification():
    wallet = Wallet()
    wallet.send_sms()
    with pytest.raises(GuardRejectedError, match="by SMS code"):
        wallet.apply(RecordBankDecision(approved=True, reference="3ds-5"))


def test_sms_start_needs_a_code_and_bank_start_takes_none():
    wallet = Wallet()
    with pytest.raises(GuardRejectedError, match="needs a code"):
        wallet.apply(StartCardVerification(method=CardVerificationMethod.SMS))
    _, start = wallet.policy.issue_code("C-1", T0)
    with pytest.raises(GuardRejectedError, match="takes no SMS code"):
        wallet.apply(StartCardVerification(method=CardVerificationMethod.BANK, otp=start.otp))


def test_sms_verification_without_a_server_key_is_refused():
    wallet = Wallet(policy=CardAddPolicy())
    _, start = CardAddPolicy(key=KEY).issue_code("C-1", T0)
    wallet.apply(start)
    with pytest.raises(GuardRejectedError, match="no server key"):
        wallet.apply(ConfirmCardCode(code="123456"))
    with pytest.raises(ConfigurationError):
        wallet.policy.issue_code("C-1", T0)


def test_agent_can_reject_an_entered_or_verifying_card():
    wallet = Wallet()
    assert wallet.apply(RejectCard(reason="reported stolen")).state == "rejected"
    assert wallet.data().rejection_reason == "reported stolen"


def test_active_card_absorbs_every_later_command():
    wallet = Wallet()
    wallet.apply(BANK)
    wallet.apply(RecordBankDecision(approved=True, reference="3ds-6"))
    for command in (BANK, RejectCard(reason="x"), ExpireCardVerification()):
        with pytest.raises(TransitionNotAllowedError):
            wallet.apply(command)


def test_verification_window_is_the_running_deadline():
    wallet = Wallet()
    assert wallet.service.due(wallet.case) == ()
    wallet.apply(BANK)
    (deadline,) = wallet.service.due(wallet.case)
    assert deadline.name == "verification_expiry"
    assert deadline.due_at == T0 + timedelta(minutes=30)
    assert wallet.case.next_due_at == deadline.due_at


def test_sms_verification_window_ends_with_the_code():
    wallet = Wallet()
    wallet.send_sms()
    (deadline,) = wallet.service.due(wallet.case)
    assert deadline.due_at == T0 + timedelta(minutes=5)
    assert "NIST_OOB_SECRET" in deadline.source


def test_workflow_refuses_a_foreign_policy():
    with pytest.raises(ConfigurationError):
        card_add_workflow(policy={"key": KEY})  # type: ignore[arg-type]


@settings(max_examples=30, deadline=None)
@given(
    number=st.sampled_from(
        ["4242424242424242", "5555555555554444", "6011111111111117", "3566002020360505"]
    ),
    cvc=st.integers(min_value=0, max_value=999).map(lambda n: f"{n:03d}"),
    code=st.integers(min_value=0, max_value=999_999),
)
def test_no_card_number_cvc_or_code_ever_appears_in_the_case(number, cvc, code):
    clock = FixedClock(T0)
    policy = CardAddPolicy(key=KEY)
    service = WorkflowService(MemoryStore(), clock, [card_add_workflow(policy=policy)])
    data = card_add_data(number, "12/29", cvc, fingerprint_key=FINGERPRINT_KEY)
    service.open("card_add", data, case_id="C-9", actor="customer")
    issued, start = policy.issue_code("C-9", T0, rng=lambda n: code % n)
    service.apply("C-9", start, idempotency_key="1", actor="system")
    service.apply("C-9", ConfirmCardCode(code=issued.reveal()), idempotency_key="2", actor="c")
    stored = service.load("C-9")
    assert stored.state == "active"
    otp = CardAddData.model_validate(stored.data).otp
    assert otp is not None
    text = stored.model_dump_json()
    assert number not in text
    assert number not in repr(stored)
    hashes_removed = text.replace(otp.digest, "").replace(otp.salt, "")
    hashes_removed = hashes_removed.replace(CardAddData.model_validate(stored.data).fingerprint, "")
    assert issued.reveal() not in hashes_removed
    assert f'"{cvc}"' not in text

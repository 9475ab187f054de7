"""The unauthorized_transaction workflow: transitions, guards, liability and legal deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from walletsupport.adapters import MemoryStore
from walletsupport.calendars import Schedule
from walletsupport.clock import FixedClock
from walletsupport.errors import GuardRejectedError, TransitionNotAllowedError
from walletsupport.regulation import (
    DayCount,
    DeadlinePolicy,
    DeadlineRule,
    Institution,
    LiabilityTier,
    Milestone,
    Regime,
    TimeLimit,
    UnauthorizedTransfer,
)
from walletsupport.workflows import Deadline, WorkflowService
from walletsupport.workflows.unauthorized_transaction import (
    CloseCase,
    CorrectError,
    CreditProvisionally,
    NotifyProvisionalCredit,
    PaymentFindings,
    ReceiveWrittenConfirmation,
    ReportFraudSuspicion,
    ReportResults,
    ResolveAgainst,
    ResolveInFavour,
    SecureAccount,
    StartInvestigation,
    UnauthorizedTransactionData,
    UnauthorizedTransactionPolicy,
    WithdrawClaim,
    unauthorized_transaction_workflow,
)

NY = ZoneInfo("America/New_York")
# Wed 2026-11-25 14:00 New York: the reference example (Thanksgiving is Thu 2026-11-26).
NOTICE = datetime(2026, 11, 25, 14, tzinfo=NY)
KIND = "unauthorized_transaction"
BELGIAN_PSP = UnauthorizedTransactionPolicy(institution=Institution.for_region("BE"))


def transfer(amount: str = "120.00", at: datetime | None = None, **kw) -> UnauthorizedTransfer:
    return UnauthorizedTransfer(
        at=at or datetime(2026, 11, 24, 10, tzinfo=NY), amount=Decimal(amount), **kw
    )


class Desk:
    """A service with one unauthorized-transaction workflow and a clock at the notice."""

    def __init__(self, policy: UnauthorizedTransactionPolicy | None = None) -> None:
        self.clock = FixedClock(NOTICE)
        self.service = WorkflowService(
            MemoryStore(), self.clock, [unauthorized_transaction_workflow(policy=policy)]
        )
        self.keys = 0

    def open(self, **data) -> str:
        data.setdefault("transfers", (transfer(),))
        self.service.open(KIND, UnauthorizedTransactionData(**data), case_id="U-1", actor="cust")
        return "U-1"

    def send(self, *commands):
        snapshot = None
        for command in commands:
            self.keys += 1
            snapshot = self.service.apply(
                "U-1", command, idempotency_key=f"k{self.keys}", actor="agent:1"
            )
        return snapshot

    def due(self):
        return {d.name: d for d in self.service.due(self.service.load("U-1"))}

    def data(self) -> UnauthorizedTransactionData:
        return UnauthorizedTransactionData.model_validate(self.service.load("U-1").data)


def last_day(deadline: Deadline) -> str:
    return (deadline.due_at - timedelta(microseconds=1)).astimezone(NY).date().isoformat()


@pytest.fixture
def desk() -> Desk:
    return Desk()


def test_a_new_report_must_be_decided_or_credited_by_business_day_10(desk):
    desk.open()
    due = desk.due()
    assert set(due) == {"decision", "provisional_credit"}
    assert last_day(due["provisional_credit"]) == "2026-12-10"
    assert due["provisional_credit"].source == "12 CFR 1005.11(c)(2)(i)"
    assert due["provisional_credit"].rule_id == "REG_E_PROVISIONAL_CREDIT"


def test_new_account_gets_twenty_business_days(desk):
    desk.open(new_account=True)
    assert last_day(desk.due()["decision"]) == "2026-12-24"


def test_provisional_credit_switches_to_the_45_day_final_decision(desk):
    desk.open()
    desk.send(SecureAccount(), StartInvestigation(), CreditProvisionally(amount=Decimal(120)))
    due = desk.due()
    assert set(due) == {"provisional_credit_notice", "extended_decision"}
    assert last_day(due["extended_decision"]) == "2027-01-09"
    desk.send(NotifyProvisionalCredit())
    assert set(desk.due()) == {"extended_decision"}


@pytest.mark.parametrize("flag", ["point_of_sale", "foreign_initiated", "new_account"])
def test_pos_foreign_and_new_accounts_get_90_days(desk, flag):
    desk.open(**{flag: True})
    desk.send(SecureAccount(), StartInvestigation(), CreditProvisionally(amount=Decimal(120)))
    assert last_day(desk.due()["extended_decision"]) == "2027-02-23"


def test_securing_records_the_freeze_and_the_password_advice(desk):
    desk.open()
    desk.send(SecureAccount(card_frozen=True, password_change_advised=True))
    data = desk.data()
    assert data.card_frozen
    assert data.password_change_advised
    assert data.secured_at == NOTICE


def test_investigation_cannot_start_before_the_account_is_secured(desk):
    desk.open()
    with pytest.raises(TransitionNotAllowedError):
        desk.send(StartInvestigation())


def test_provisional_credit_cannot_exceed_the_loss(desk):
    desk.open()
    desk.send(SecureAccount(), StartInvestigation())
    with pytest.raises(GuardRejectedError, match="exceeds"):
        desk.send(CreditProvisionally(amount=Decimal("120.01")))


def test_reg_e_withholds_at_most_50_from_provisional_credit(desk):
    desk.open()
    desk.send(SecureAccount(), StartInvestigation())
    with pytest.raises(GuardRejectedError, match=r"1005\.11\(c\)\(2\)\(i\)"):
        desk.send(CreditProvisionally(amount=Decimal("69.99")))
    assert desk.send(CreditProvisionally(amount=Decimal(70))).state == "provisional_credit"


def test_found_error_without_credit_must_be_corrected_then_reported(desk):
    desk.open()
    desk.send(SecureAccount(), StartInvestigation(), ResolveInFavour())
    due = desk.due()
    assert set(due) == {"error_correction", "results_report"}
    assert last_day(due["error_correction"]) == "2026-11-27"  # the day after Thanksgiving
    assert last_day(due["results_report"]) == "2026-12-01"
    with pytest.raises(GuardRejectedError, match="report the results"):
        desk.send(CloseCase())
    desk.send(CorrectError(), ReportResults())
    closed = desk.send(CloseCase())
    assert closed.state == "closed"
    assert desk.service.due(closed) == ()


def test_resolving_in_favour_assesses_reg_e_liability(desk):
    desk.open(
        device_lost_or_stolen=True,
        learned_of_loss_at=datetime(2026, 11, 24, 9, tzinfo=NY),
        transfers=(transfer("300.00"),),
    )
    snapshot = desk.send(SecureAccount(), StartInvestigation(), ResolveInFavour())
    liability = desk.data().liability
    assert liability is not None
    assert liability.tier is LiabilityTier.REG_E_50
    assert liability.customer_liability == Decimal(50)
    assert snapshot.last_entry.details["liability_tier"] == "reg_e_50"


def test_resolving_against_reverses_credit_and_honours_payments_for_5_business_days(desk):
    desk.open()
    desk.send(SecureAccount(), StartInvestigation(), CreditProvisionally(amount=Decimal(120)))
    desk.clock.set(datetime(2027, 1, 11, 10, tzinfo=NY))
    snapshot = desk.send(ResolveAgainst(reason="chip and PIN used on the customer's phone"))
    assert snapshot.state == "resolved_against"
    assert snapshot.last_entry.details["provisional_credit_reversed"] is True
    due = desk.due()
    assert last_day(due["honour_payments_after_reversal"]) == "2027-01-19"  # MLK day skipped
    assert due["honour_payments_after_reversal"].source == "12 CFR 1005.11(d)(2)"
    desk.send(ReportResults())
    with pytest.raises(GuardRejectedError, match=r"1005\.11\(d\)\(2\)"):
        desk.send(CloseCase())
    desk.clock.set(datetime(2027, 1, 20, 0, tzinfo=NY))
    assert desk.send(CloseCase()).state == "closed"


def test_claim_cannot_be_withdrawn_after_provisional_credit(desk):
    desk.open()
    desk.send(SecureAccount(), StartInvestigation(), CreditProvisionally(amount=Decimal(120)))
    with pytest.raises(TransitionNotAllowedError):
        desk.send(WithdrawClaim())


def test_withdrawn_claim_has_no_deadlines_and_absorbs(desk):
    desk.open()
    snapshot = desk.send(WithdrawClaim(reason="found the receipt"))
    assert snapshot.state == "withdrawn"
    assert desk.service.due(snapshot) == ()
    with pytest.raises(TransitionNotAllowedError):
        desk.send(SecureAccount())


def test_written_confirmation_runs_until_received(desk):
    desk.open(written_confirmation_requested=True)
    assert last_day(desk.due()["written_confirmation"]) == "2026-12-10"
    desk.send(ReceiveWrittenConfirmation())
    assert "written_confirmation" not in desk.due()
    with pytest.raises(GuardRejectedError):
        desk.send(ReceiveWrittenConfirmation())


def test_missed_written_confirmation_ends_the_provisional_credit_duty(desk):
    """12 CFR 1005.11(c)(2)(i)(A), REG_E_PROVISIONAL_CREDIT_EXCEPTIONS."""
    desk.open(written_confirmation_requested=True)
    snapshot = desk.service.load("U-1")
    later = datetime(2026, 12, 11, 0, tzinfo=NY)
    due = {d.name: d for d in desk.service.due(snapshot, later)}
    assert set(due) == {"extended_decision"}  # the 45 days still run (comment 11(c)(2)(i)-1)
    assert last_day(due["extended_decision"]) == "2027-01-09"


def test_written_confirmation_cannot_arrive_unless_requested(desk):
    desk.open()
    with pytest.raises(GuardRejectedError, match="no written confirmation"):
        desk.send(ReceiveWrittenConfirmation())


def test_unverified_prepaid_account_has_no_reg_e_deadlines(desk):
    """12 CFR 1005.18(e)(3), REG_E_PREPAID_UNVERIFIED."""
    desk.open(prepaid_unverified=True)
    assert desk.due() == {}


def test_psd2_refund_is_due_by_the_end_of_the_next_business_day():
    desk = Desk(BELGIAN_PSP)
    desk.clock.set(datetime(2026, 3, 6, 19, tzinfo=UTC))  # a Friday evening in Brussels
    desk.open(currency="EUR")
    due = desk.due()
    assert set(due) == {"refund"}
    assert due["refund"].due_at.isoformat() == "2026-03-10T00:00:00+01:00"
    assert due["refund"].source == "PSD2 Art. 73(1)"
    desk.send(SecureAccount(), StartInvestigation(), CreditProvisionally(amount=Decimal(100)))
    assert desk.due() == {}


def test_psd2_fraud_suspicion_reported_to_the_authority_stops_the_refund_clock():
    desk = Desk(BELGIAN_PSP)
    desk.open(currency="EUR")
    desk.send(SecureAccount(), ReportFraudSuspicion(authority="BaFin"))
    assert desk.due() == {}


def test_fraud_suspicion_exception_is_not_available_under_reg_e(desk):
    desk.open()
    desk.send(SecureAccount())
    with pytest.raises(GuardRejectedError, match="PSD2"):
        desk.send(ReportFraudSuspicion(authority="FBI"))


def test_psd2_liability_uses_the_findings():
    desk = Desk(BELGIAN_PSP)
    desk.open(currency="EUR")
    desk.send(SecureAccount(), StartInvestigation())
    desk.send(ResolveInFavour(findings=PaymentFindings(gross_negligence=True)))
    liability = desk.data().liability
    assert liability is not None
    assert liability.tier is LiabilityTier.PSD2_FULL


def test_custom_regime_uses_the_integrators_deadlines_and_cap():
    house = DeadlinePolicy(
        name="house",
        regime=Regime.CUSTOM,
        rules=(
            DeadlineRule(
                name="refund",
                starts_at=Milestone.NOTICE_RECEIVED,
                limit=TimeLimit(amount=3, unit=DayCount.CALENDAR_DAYS),
                source="house rule 7",
                stops_at=frozenset({Milestone.REFUNDED}),
            ),
        ),
    )
    own = Institution(
        name="house bank",
        jurisdiction="JP",
        schedule=Schedule.weekdays("Asia/Tokyo", "00:00", "24:00"),
        regimes=(Regime.CUSTOM,),
    )
    policy = UnauthorizedTransactionPolicy(
        institution=own, custom_deadlines=house, custom_cap=Decimal(35)
    )
    desk = Desk(policy)
    desk.open(currency="JPY", device_lost_or_stolen=True)
    assert [d.source for d in desk.due().values()] == ["house rule 7"]
    desk.send(SecureAccount(), StartInvestigation(), ResolveInFavour())
    liability = desk.data().liability
    assert liability is not None
    assert liability.customer_liability == Decimal(35)


def test_replaying_a_key_changes_nothing(desk):
    desk.open()
    first = desk.service.apply("U-1", SecureAccount(), idempotency_key="same", actor="a")
    again = desk.service.apply("U-1", SecureAccount(), idempotency_key="same", actor="a")
    assert again == first
    assert desk.service.load("U-1").version == 2


def test_next_due_at_is_the_earliest_deadline(desk):
    desk.open()
    snapshot = desk.service.load("U-1")
    assert snapshot.next_due_at == datetime(2026, 12, 11, tzinfo=NY)


def test_naive_notice_time_is_rejected():
    with pytest.raises(ValueError, match="timezone"):
        UnauthorizedTransactionData(transfers=(transfer(),), notified_at=datetime(2026, 1, 1))

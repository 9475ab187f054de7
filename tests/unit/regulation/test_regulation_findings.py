"""The six findings of the regulation review, each pinned by a test written before the fix."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.regulation import (
    DisputeKind,
    FundingSource,
    Institution,
    Regime,
    psd2,
    reg_e,
    reg_z,
    uk,
)
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.transaction_dispute import (
    TransactionDisputePolicy,
    transaction_dispute_workflow,
)
from walletsupport.workflows.unauthorized_transaction import (
    CreditProvisionally,
    SecureAccount,
    StartInvestigation,
    UnauthorizedTransactionPolicy,
    unauthorized_transaction_workflow,
)

NY = ZoneInfo("America/New_York")
US = Institution.for_region("US")


def _service(institution: Institution, clock: FixedClock) -> WorkflowService:
    return WorkflowService(
        MemoryStore(),
        clock,
        [
            unauthorized_transaction_workflow(
                policy=UnauthorizedTransactionPolicy(institution=institution)
            ),
            transaction_dispute_workflow(policy=TransactionDisputePolicy(institution=institution)),
        ],
    )


def _open_unauthorized(service: WorkflowService, **extra: object) -> None:
    service.open(
        "unauthorized_transaction",
        {"transfers": [{"at": "2026-03-01T12:00:00Z", "amount": "120"}], **extra},
        case_id="U",
        actor="customer",
    )


# --- finding 1: late provisional credit is a violation, and earns no 45 days ---------------------


def test_finding_1_credit_on_business_day_12_keeps_the_missed_decision_visible() -> None:
    notice = datetime(2026, 3, 2, 10, tzinfo=NY)  # Monday; 10th business day: Mon 16 March
    clock = FixedClock(notice)
    service = _service(US, clock)
    _open_unauthorized(service)
    service.apply("U", SecureAccount(), idempotency_key="1", actor="a")
    service.apply("U", StartInvestigation(), idempotency_key="2", actor="a")
    clock.set(datetime(2026, 3, 18, 10, tzinfo=NY))  # business day 12
    case = service.apply(
        "U", CreditProvisionally(amount=Decimal(120)), idempotency_key="3", actor="a"
    )
    due = {d.name: d for d in service.due(case)}
    assert "extended_decision" not in due
    assert due["decision"].due_at == datetime(2026, 3, 17, tzinfo=NY)
    assert due["decision"].is_overdue(clock.now())
    credit = due["provisional_credit"]
    assert credit.met_at == datetime(2026, 3, 18, 10, tzinfo=NY)
    assert credit.is_violated(clock.now())


def test_finding_1_timely_credit_earns_the_45_days() -> None:
    notice = datetime(2026, 3, 2, 10, tzinfo=NY)
    case = reg_e.ErrorCase(notice_at=notice, provisionally_credited_at=notice + timedelta(days=3))
    due = {
        d.name: d for d in reg_e.error_resolution_deadlines(case, US, at=notice + timedelta(days=4))
    }
    assert "decision" not in due
    assert due["extended_decision"].due_at == datetime(2026, 4, 17, tzinfo=NY)


# --- finding 2: written confirmation required and missed: no credit owed, 45 days run ------------


def test_finding_2_missed_written_confirmation_lists_the_45_day_limit() -> None:
    notice = datetime(2026, 3, 2, 10, tzinfo=NY)
    clock = FixedClock(notice)
    service = _service(US, clock)
    _open_unauthorized(service, written_confirmation_requested=True)
    clock.set(datetime(2026, 3, 18, 10, tzinfo=NY))
    due = {d.name: d for d in service.due(service.load("U"))}
    assert "provisional_credit" not in due
    assert "decision" not in due
    assert due["extended_decision"].due_at == datetime(2026, 4, 17, tzinfo=NY)
    assert due["extended_decision"].rule_id == "REG_E_ERROR_RESOLUTION_EXTENDED"


# --- finding 3: the institution's business days, Federal Reserve schedule -------------------------


def test_finding_3_fed_banks_are_open_the_friday_before_a_saturday_holiday() -> None:
    bank = US.schedule
    for friday in (date(2026, 7, 3), date(2027, 6, 18), date(2027, 12, 24), date(2027, 12, 31)):
        assert bank.is_business_day(friday), friday
    assert not bank.is_business_day(date(2027, 7, 5))  # Sunday holiday observed Monday
    assert not bank.is_business_day(date(2029, 11, 12))


def test_finding_3_a_reg_e_deadline_counts_the_open_friday() -> None:
    notice = datetime(2026, 6, 22, 10, tzinfo=NY)  # Monday; 10 BD incl. Fri 3 July
    case = reg_e.ErrorCase(notice_at=notice)
    due = {d.name: d for d in reg_e.error_resolution_deadlines(case, US, at=notice)}
    assert due["provisional_credit"].due_at == datetime(2026, 7, 7, tzinfo=NY)


def test_finding_3_a_24_7_line_does_not_make_a_business_day() -> None:
    assert not US.schedule.is_business_day(date(2026, 3, 7))  # Saturday


# --- finding 4: disputes: §1005.11(a) errors get Reg E deadlines, merchant problems do not -------


def test_finding_4_duplicate_charge_and_wrong_amount_are_reg_e_errors() -> None:
    assert reg_e.error_kind_for(DisputeKind.DUPLICATE_CHARGE) is reg_e.ErrorKind.INCORRECT_TRANSFER
    assert reg_e.error_kind_for(DisputeKind.WRONG_AMOUNT) is reg_e.ErrorKind.INCORRECT_TRANSFER
    assert reg_e.error_kind_for(DisputeKind.NOT_RECEIVED) is None


def test_finding_4_dispute_workflow_lists_reg_e_deadlines_only_for_errors() -> None:
    clock = FixedClock(datetime(2026, 3, 2, 10, tzinfo=NY))
    service = _service(US, clock)
    for case_id, kind in (("D1", "duplicate_charge"), ("D2", "not_received")):
        service.open(
            "transaction_dispute",
            {"amount": "30", "merchant": "Cafe", "kind": kind},
            case_id=case_id,
            actor="customer",
        )
    errors = {d.name for d in service.due(service.load("D1"))}
    merchant = {d.rule_id for d in service.due(service.load("D2"))}
    assert {"decision", "provisional_credit"} <= errors
    assert not any(r and r.startswith("REG_E") for r in merchant)


# --- finding 5: liability tiers need a lost or stolen device / instrument ------------------------


def test_finding_5_reg_e_without_lost_device_owes_nothing_within_60_days() -> None:
    t = datetime(2026, 3, 2, 10, tzinfo=NY)
    facts = reg_e.LiabilityFacts(
        transfers=({"at": t, "amount": "300"},),
        notified_at=t + timedelta(days=20),
        statement_sent_at=t + timedelta(days=5),
    )
    assert reg_e.liability(facts, US).customer_liability == 0


def test_finding_5_two_business_days_run_from_learning_of_the_loss() -> None:
    lost = datetime(2026, 3, 2, 10, tzinfo=NY)  # Monday, lost
    learned = datetime(2026, 3, 4, 10, tzinfo=NY)  # Wednesday, learned
    facts = reg_e.LiabilityFacts(
        transfers=({"at": lost + timedelta(hours=1), "amount": "300"},),
        device_lost_or_stolen=True,
        learned_of_loss_at=learned,
        notified_at=datetime(2026, 3, 6, 23, tzinfo=NY),  # Friday night: in time
    )
    assessed = reg_e.liability(facts, US)
    assert assessed.customer_liability == 50
    assert "REG_E_LIABILITY_TIER1_50" in assessed.rule_ids


def test_finding_5_psd2_cap_needs_a_lost_stolen_or_misappropriated_instrument() -> None:
    t = datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Berlin"))
    facts = psd2.LiabilityFacts(
        transfers=({"at": t, "amount": "120"},),
        notified_at=t + timedelta(days=1),
        instrument_lost_stolen_or_misappropriated=False,
    )
    assert psd2.liability(facts).customer_liability == 0
    lost = facts.model_copy(update={"instrument_lost_stolen_or_misappropriated": True})
    assert psd2.liability(lost).customer_liability == 50


# --- finding 6: the missing regimes ---------------------------------------------------------------


def test_finding_6_a_uk_psp_has_deadlines() -> None:
    gb = Institution.for_region("GB")
    assert Regime.UK in gb.regimes
    notice = datetime(2026, 12, 24, 15, tzinfo=ZoneInfo("Europe/London"))  # Thursday
    refund = uk.refund_deadline(notice, gb)
    assert refund.due_at == datetime(2026, 12, 30, tzinfo=ZoneInfo("Europe/London"))
    assert refund.rule_id == "UK_PSR_REFUND_DEADLINE"
    clock = FixedClock(notice)
    service = _service(gb, clock)
    _open_unauthorized(service, currency="GBP")
    assert [d.rule_id for d in service.due(service.load("U"))] == ["UK_PSR_REFUND_DEADLINE"]


def test_finding_6_credit_cards_fall_under_regulation_z() -> None:
    assert reg_z.applicable_regime(FundingSource.CREDIT_CARD) is Regime.REG_Z
    assert reg_z.applicable_regime(FundingSource.DEBIT_CARD) is Regime.REG_E
    assert reg_z.applicable_regime(FundingSource.STORED_BALANCE, verified=False) is None


def test_finding_6_german_customers_get_german_holidays() -> None:
    de = Institution.for_region("DE")
    assert de.zone == "Europe/Berlin"
    assert not de.schedule.is_business_day(date(2028, 10, 3))  # Tag der Deutschen Einheit
    assert de.schedule.is_business_day(date(2026, 7, 21))  # Belgian national day

"""A table per regime, written from the reference's worked examples and the rule texts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.regulation import (
    Deadline,
    FundingSource,
    Institution,
    LiabilityTier,
    Regime,
    UnauthorizedTransfer,
    cn,
    psd2,
    reg_e,
    reg_z,
    uk,
)

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
US = Institution.for_region("US")
DE = Institution.for_region("DE")
GB = Institution.for_region("GB")
CN = Institution.for_region("CN")


def last_day(deadline: Deadline, zone: ZoneInfo) -> str:
    return (deadline.due_at - timedelta(microseconds=1)).astimezone(zone).date().isoformat()


def by_name(found: tuple[Deadline, ...]) -> dict[str, Deadline]:
    return {d.name: d for d in found}


# --- Regulation E ---------------------------------------------------------------------------

NOTICE = datetime(2026, 11, 25, 14, tzinfo=NY)  # the reference's "How walletsupport counts"


def reg_e_due(**facts) -> dict[str, Deadline]:
    at = facts.pop("at", NOTICE)
    case = reg_e.ErrorCase(notice_at=facts.pop("notice_at", NOTICE), **facts)
    return by_name(reg_e.error_resolution_deadlines(case, US, at=at))


REG_E_TABLE = [
    # (facts, deadline, last day, rule id, met late?)
    ({}, "provisional_credit", "2026-12-10", "REG_E_PROVISIONAL_CREDIT", False),
    ({}, "decision", "2026-12-10", "REG_E_ERROR_RESOLUTION_INITIAL", False),
    ({"new_account": True}, "decision", "2026-12-24", "REG_E_NEW_ACCOUNT_INITIAL", False),
    (
        {"provisionally_credited_at": datetime(2026, 12, 4, tzinfo=NY)},
        "extended_decision",
        "2027-01-09",
        "REG_E_ERROR_RESOLUTION_EXTENDED",
        False,
    ),
    (
        {"provisionally_credited_at": datetime(2026, 12, 4, tzinfo=NY), "point_of_sale": True},
        "extended_decision",
        "2027-02-23",
        "REG_E_EXTENDED_90",
        False,
    ),
    (
        {"provisionally_credited_at": datetime(2026, 12, 4, tzinfo=NY)},
        "provisional_credit_notice",
        "2026-12-08",
        "REG_E_PROVISIONAL_CREDIT_NOTICE",
        False,
    ),
    (
        {"provisionally_credited_at": datetime(2026, 12, 11, 9, tzinfo=NY)},
        "provisional_credit",
        "2026-12-10",
        "REG_E_PROVISIONAL_CREDIT",
        True,
    ),
    (
        {"provisionally_credited_at": datetime(2026, 12, 11, 9, tzinfo=NY)},
        "decision",
        "2026-12-10",
        "REG_E_ERROR_RESOLUTION_INITIAL",
        False,
    ),
    (
        {"written_confirmation_required": True, "at": datetime(2026, 12, 11, tzinfo=NY)},
        "extended_decision",
        "2027-01-09",
        "REG_E_ERROR_RESOLUTION_EXTENDED",
        False,
    ),
    (
        {"written_confirmation_required": True},
        "written_confirmation",
        "2026-12-10",
        "REG_E_WRITTEN_CONFIRMATION",
        False,
    ),
    (
        {"concluded_at": datetime(2026, 12, 14, 9, tzinfo=NY), "error_found": False},
        "decision",
        "2026-12-10",
        "REG_E_ERROR_RESOLUTION_INITIAL",
        True,
    ),
    (
        {"concluded_at": datetime(2026, 12, 1, 9, tzinfo=NY), "error_found": True},
        "error_correction",
        "2026-12-02",
        "REG_E_ERROR_CORRECTION",
        False,
    ),
    (
        {"concluded_at": datetime(2026, 12, 1, 9, tzinfo=NY), "error_found": True},
        "results_report",
        "2026-12-04",
        "REG_E_REPORT_RESULTS",
        False,
    ),
]


@pytest.mark.parametrize(("facts", "name", "last", "rule_id", "late"), REG_E_TABLE)
def test_reg_e_table(facts, name, last, rule_id, late):
    deadline = reg_e_due(**dict(facts))[name]
    assert last_day(deadline, NY) == last
    assert deadline.rule_id == rule_id
    assert (deadline.met_at is not None) is late
    assert deadline.source.startswith("12 CFR 1005.")


def test_reg_e_reference_example_instants():
    due = reg_e_due()
    assert due["provisional_credit"].due_at.isoformat() == "2026-12-11T00:00:00-05:00"


def test_reg_e_written_confirmation_received_in_time_keeps_the_credit_duty():
    due = reg_e_due(
        written_confirmation_required=True,
        written_confirmation_received_at=datetime(2026, 12, 3, tzinfo=NY),
        at=datetime(2026, 12, 4, tzinfo=NY),
    )
    assert set(due) == {"decision", "provisional_credit"}


@pytest.mark.parametrize(
    "facts",
    [
        {"prepaid_unverified": True},
        {"verified_at": NOTICE, "transfer_at": NOTICE - timedelta(days=3)},
        {"reasserted_after_compliance": True},
    ],
    ids=["1005.18(e)(3) unverified", "1005.18(e)(3) before verification", "1005.11(e)"],
)
def test_reg_e_cases_with_no_duty(facts):
    assert reg_e_due(**facts) == {}


def test_reg_e_honour_period_ends_by_itself():
    reversed_at = datetime(2027, 1, 11, 10, tzinfo=NY)
    facts = {"concluded_at": reversed_at, "error_found": False, "reversal_notified_at": reversed_at}
    assert last_day(reg_e_due(**facts, at=reversed_at)["honour_payments_after_reversal"], NY) == (
        "2027-01-19"
    )
    assert "honour_payments_after_reversal" not in reg_e_due(
        **facts, at=datetime(2027, 1, 20, tzinfo=NY)
    )


def test_reg_e_error_kinds_are_the_closed_list():
    assert len(reg_e.ErrorKind) == 7
    with pytest.raises(InvalidInputError):
        reg_e.error_kind_for("chargeback")


def tx(at: datetime, amount: str) -> UnauthorizedTransfer:
    return UnauthorizedTransfer(at=at, amount=Decimal(amount))


def test_reg_e_comment_6b1_1_lost_monday_learned_wednesday_notice_by_friday_midnight():
    monday = datetime(2026, 3, 2, 9, tzinfo=NY)
    facts = reg_e.LiabilityFacts(
        transfers=(tx(monday + timedelta(hours=2), "400"),),
        device_lost_or_stolen=True,
        learned_of_loss_at=monday + timedelta(days=2),
        notified_at=datetime(2026, 3, 6, 23, 59, tzinfo=NY),
    )
    assert reg_e.liability(facts, US).tier is LiabilityTier.REG_E_50
    later = facts.model_copy(update={"notified_at": datetime(2026, 3, 7, 0, 1, tzinfo=NY)})
    assert reg_e.liability(later, US).tier is LiabilityTier.REG_E_500


def test_reg_e_comment_6b1_3_saturday_business_day_window_ends_monday_midnight():
    saturday_bank = Institution(
        name="Saturday bank",
        jurisdiction="US",
        schedule=Schedule.weekdays(
            "America/New_York",
            "00:00",
            "24:00",
            days="mon-sat",
            holiday_calendar=HolidayCalendar.federal_reserve(),
        ),
        regimes=(Regime.REG_E,),
    )
    learned = datetime(2026, 3, 6, 18, tzinfo=NY)  # Friday 6 p.m.
    facts = reg_e.LiabilityFacts(
        transfers=(tx(learned - timedelta(hours=1), "400"),),
        device_lost_or_stolen=True,
        learned_of_loss_at=learned,
        notified_at=datetime(2026, 3, 9, 23, 59, tzinfo=NY),  # Monday 11:59 p.m.
    )
    assert reg_e.liability(facts, saturday_bank).customer_liability == 50
    assert reg_e.liability(facts, US).customer_liability == 50  # Mon-Fri: Tuesday midnight
    tuesday = facts.model_copy(update={"notified_at": datetime(2026, 3, 10, 1, tzinfo=NY)})
    assert reg_e.liability(tuesday, saturday_bank).tier is LiabilityTier.REG_E_500


def test_reg_e_comment_6b3_2_no_device_late_report_owes_only_preventable_later_transfers():
    sent = datetime(2026, 1, 5, 9, tzinfo=NY)
    early = tx(datetime(2026, 1, 2, tzinfo=NY), "200")
    late = UnauthorizedTransfer(
        at=datetime(2026, 3, 20, tzinfo=NY), amount=Decimal(300), preventable_by_timely_notice=True
    )
    facts = reg_e.LiabilityFacts(
        transfers=(early, late), statement_sent_at=sent, notified_at=datetime(2026, 4, 1, tzinfo=NY)
    )
    a = reg_e.liability(facts, US)
    assert a.tier is LiabilityTier.REG_E_UNLIMITED
    assert a.customer_liability == 300


# --- Regulation Z ---------------------------------------------------------------------------------


def test_reg_z_billing_error_two_cycles_or_90_days():
    received = datetime(2026, 3, 2, 9, tzinfo=NY)
    cycles = (date(2026, 3, 20), date(2026, 4, 20), date(2026, 5, 20))
    due = by_name(
        reg_z.billing_error_deadlines(
            reg_z.BillingErrorCase(notice_received_at=received, cycle_closing_dates=cycles), US
        )
    )
    assert last_day(due["acknowledgment"], NY) == "2026-04-01"
    assert last_day(due["resolution"], NY) == "2026-05-20"  # 2 complete cycles < 90 days
    long_cycles = (date(2026, 3, 20), date(2026, 5, 20), date(2026, 7, 20))
    due = by_name(
        reg_z.billing_error_deadlines(
            reg_z.BillingErrorCase(notice_received_at=received, cycle_closing_dates=long_cycles),
            US,
        )
    )
    assert last_day(due["resolution"], NY) == "2026-05-31"  # "in no event later than 90 days"


def test_reg_z_resolution_within_30_days_needs_no_acknowledgment_and_late_notice_none():
    received = datetime(2026, 3, 2, 9, tzinfo=NY)
    case = reg_z.BillingErrorCase(
        notice_received_at=received, resolved_at=received + timedelta(days=10)
    )
    assert reg_z.billing_error_deadlines(case, US) == ()
    late = reg_z.BillingErrorCase(
        notice_received_at=received, statement_transmitted_at=received - timedelta(days=61)
    )
    assert reg_z.billing_error_deadlines(late, US) == ()


def test_reg_z_liability_cap_and_regime_choice():
    t = datetime(2026, 3, 2, tzinfo=UTC)
    assert reg_z.liability((tx(t, "700"),), t + timedelta(days=1)).customer_liability == 50
    assert (
        reg_z.liability((tx(t, "700"),), t + timedelta(days=1), conditions_met=False).tier
        is LiabilityTier.NONE
    )
    assert reg_z.liability((tx(t, "700"),), t).customer_liability == 0
    assert reg_z.applicable_regime(FundingSource.BANK_ACCOUNT) is Regime.REG_E
    assert reg_z.billing_error_kind_for("not_received") is reg_z.BillingErrorKind.NOT_DELIVERED


# --- PSD2 -----------------------------------------------------------------------------------------


def test_psd2_refund_by_the_end_of_the_next_german_business_day():
    told = datetime(2026, 12, 24, 15, tzinfo=BERLIN)
    assert last_day(psd2.refund_deadline(told, DE), BERLIN) == "2026-12-28"
    late = psd2.unauthorised_deadlines(told, DE, refunded_at=datetime(2026, 12, 30, tzinfo=BERLIN))
    assert [d.met_at is not None for d in late] == [True]
    lifted = psd2.unauthorised_deadlines(told, DE, fraud_suspicion_reported_at=told)
    assert lifted == ()


def test_psd2_complaint_reply_and_a_late_holding_reply():
    received = datetime(2026, 3, 2, 9, tzinfo=BERLIN)
    assert last_day(psd2.complaint_deadlines(received, DE)[0], BERLIN) == "2026-03-23"
    timely = by_name(
        psd2.complaint_deadlines(received, DE, holding_reply_at=received + timedelta(days=3))
    )
    assert set(timely) == {"complaint_final_reply"}
    late = by_name(
        psd2.complaint_deadlines(received, DE, holding_reply_at=received + timedelta(days=30))
    )
    assert late["complaint_reply"].met_at is not None
    assert "complaint_final_reply" in late


def test_psd2_windows():
    debited = datetime(2028, 1, 31, 12, tzinfo=BERLIN)
    assert last_day(psd2.notification_deadline(debited, DE), BERLIN) == "2029-02-28"
    assert last_day(psd2.refund_request_deadline(debited, DE), BERLIN) == "2028-03-27"
    assert psd2.notification_deadline(debited, DE, information_provided=False) is None


# --- United Kingdom -------------------------------------------------------------------------------

T_UK = datetime(2026, 3, 1, 12, tzinfo=LONDON)
BEFORE = (UnauthorizedTransfer(at=T_UK - timedelta(days=1), amount=Decimal(120)),)

UK_LIABILITY = [
    ({"payer_fraud": True}, LiabilityTier.UK_FULL, 120, "UK_PSR_PAYER_ALL_LOSSES"),
    (
        {"instrument_lost_stolen_or_misappropriated": True},
        LiabilityTier.UK_CAP,
        35,
        "UK_PSR_PAYER_CAP_35",
    ),
    ({}, LiabilityTier.NONE, 0, "UK_PSR_REFUND_UNAUTHORISED"),
    (
        {"instrument_lost_stolen_or_misappropriated": True, "psp_requires_cap": False},
        LiabilityTier.NONE,
        0,
        "UK_PSR_REFUND_UNAUTHORISED",
    ),
    ({"gross_negligence": True}, LiabilityTier.UK_FULL, 120, "UK_PSR_PAYER_ALL_LOSSES"),
    (
        {"gross_negligence": True, "distance_contract": True},
        LiabilityTier.NONE,
        0,
        "UK_PSR_NO_LIABILITY",
    ),
    (
        {"instrument_lost_stolen_or_misappropriated": True, "loss_detectable": False},
        LiabilityTier.NONE,
        0,
        "UK_PSR_CAP_NOT_APPLY",
    ),
    (
        {"sca_applied_where_required": False, "gross_negligence": True},
        LiabilityTier.NONE,
        0,
        "UK_PSR_NO_LIABILITY",
    ),
]


@pytest.mark.parametrize(("flags", "tier", "amount", "rule_id"), UK_LIABILITY)
def test_uk_liability_table(flags, tier, amount, rule_id):
    a = uk.liability(uk.LiabilityFacts(transfers=BEFORE, notified_at=T_UK, **flags))
    assert (a.tier, a.customer_liability, a.rule_ids) == (tier, Decimal(amount), (rule_id,))


def test_uk_app_deadlines_and_stop_the_clock():
    claim = datetime(2026, 3, 2, 9, tzinfo=LONDON)
    assert [last_day(d, LONDON) for d in uk.app_deadlines(claim, GB)] == ["2026-03-09"]
    stopped = by_name(uk.app_deadlines(claim, GB, clock_stopped_at=claim + timedelta(days=2)))
    assert set(stopped) == {"app_decision"}
    assert last_day(stopped["app_decision"], LONDON) == "2026-04-22"  # Good Friday, Easter Monday
    late = by_name(uk.app_deadlines(claim, GB, clock_stopped_at=claim + timedelta(days=9)))
    assert late["app_reimbursement"].met_at is not None
    assert "app_decision" in late


@pytest.mark.parametrize(
    ("changes", "owed"),
    [
        ({}, Decimal(85_000)),
        ({"excess": Decimal(100)}, Decimal(84_900)),
        ({"excess": Decimal(100), "vulnerable": True}, Decimal(85_000)),
        ({"amount": Decimal(500), "excess": Decimal(100)}, Decimal(400)),
        ({"rail": "card"}, Decimal(0)),
        ({"last_payment_at": datetime(2024, 10, 6, 12, tzinfo=LONDON)}, Decimal(0)),
        ({"last_payment_at": datetime(2025, 1, 31, 12, tzinfo=LONDON)}, Decimal(0)),  # 13 months
        ({"complicit_or_grossly_negligent": True}, Decimal(0)),
        ({"complicit_or_grossly_negligent": True, "vulnerable": True}, Decimal(85_000)),
    ],
)
def test_uk_app_reimbursement(changes, owed):
    base = {
        "claim_at": datetime(2026, 3, 2, tzinfo=LONDON),
        "last_payment_at": datetime(2026, 2, 27, tzinfo=LONDON),
        "amount": Decimal(100_000),
    }
    assert uk.app_reimbursement(uk.AppClaim(**{**base, **changes}), GB).reimburse == owed


def test_uk_disp_deadlines_on_the_nations_calendar():
    received = datetime(2026, 11, 16, 9, tzinfo=LONDON)
    eng = uk.complaint_deadlines(received, GB, psd_complaint=True)
    sct = uk.complaint_deadlines(received, Institution.uk_psp(nation="SCT"), psd_complaint=True)
    assert last_day(eng[0], LONDON) == "2026-12-07"
    assert last_day(sct[0], LONDON) == "2026-12-08"  # St Andrew's Day, Monday 30 November
    holding = by_name(
        uk.complaint_deadlines(received, GB, psd_complaint=True, holding_response_at=received)
    )
    assert set(holding) == {"final_response_exceptional"}
    other = uk.complaint_deadlines(received, GB, psd_complaint=False)
    assert last_day(other[0], LONDON) == "2027-01-11"
    with pytest.raises(InvalidInputError):
        uk.complaint_deadlines(received, US, psd_complaint=True)


# --- China ----------------------------------------------------------------------------------------


def test_cn_complaint_sla_is_configured_and_counts_tiaoxiu():
    shanghai = ZoneInfo("Asia/Shanghai")
    sla = cn.ComplaintSla(amount=3, unit="business_days")
    found = cn.complaint_deadlines(datetime(2026, 2, 12, 10, tzinfo=shanghai), CN, sla)
    assert last_day(found[0], shanghai) == "2026-02-24"  # Fri 13, Sat 14 (调休), Tue 24
    assert found[0].source == "[nr] PBOC Order [2020] No. 5"
    with pytest.raises(ConfigurationError):
        cn.ComplaintSla(amount=2, unit="weeks")

"""The deadline engine on a Schedule: rule tables, notice windows, properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.calendars import HolidayCalendar, Schedule
from walletsupport.errors import (
    ConfigurationError,
    InvalidInputError,
    NaiveDatetimeError,
    NeverOpenError,
    NotFoundError,
)
from walletsupport.regulation import (
    DayCount,
    Deadline,
    DeadlinePolicy,
    DeadlineRule,
    Milestone,
    Regime,
    TimeLimit,
    psd2,
    reg_e,
)

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
US_BANK = Schedule.weekdays("America/New_York", holiday_calendar=HolidayCalendar(country="US"))
EU_PSP = Schedule.weekdays("Europe/Berlin", holiday_calendar=HolidayCalendar(country="DE"))

M = Milestone


def ny(y: int, m: int, d: int, h: int = 12) -> datetime:
    return datetime(y, m, d, h, tzinfo=NY)


def berlin(y: int, m: int, d: int, h: int = 12) -> datetime:
    return datetime(y, m, d, h, tzinfo=BERLIN)


def last_day(deadline: Deadline) -> date:
    """The last local day on which the duty can still be met."""
    return (deadline.due_at - timedelta(microseconds=1)).date()


def only(deadlines: tuple[Deadline, ...], name: str) -> Deadline:
    found = [d for d in deadlines if d.name == name]
    assert len(found) == 1, [d.name for d in deadlines]
    return found[0]


# Each row: (policy, milestones, rule name, expected last day, source cited)
REG_E_TABLE = [
    pytest.param(
        reg_e.error_resolution_rules(),
        {M.NOTICE_RECEIVED: ny(2026, 11, 25, 14)},
        "decision",
        date(2026, 12, 10),
        "12 CFR 1005.11(c)(1)",
        id="1005.11(c)(1) notice Wed before Thanksgiving, no provisional credit -> decision by"
        " business day 10 (Thu 2026-12-10)",
    ),
    pytest.param(
        reg_e.error_resolution_rules(),
        {M.NOTICE_RECEIVED: ny(2026, 11, 25, 14)},
        "provisional_credit",
        date(2026, 12, 10),
        "12 CFR 1005.11(c)(2)(i)",
        id="1005.11(c)(2)(i) provisional credit due by business day 10",
    ),
    pytest.param(
        reg_e.error_resolution_rules(),
        {
            M.NOTICE_RECEIVED: ny(2026, 11, 25, 14),
            M.PROVISIONALLY_CREDITED: ny(2026, 12, 4),
            M.EXTENSION_EARNED: ny(2026, 12, 4),
        },
        "extended_decision",
        date(2027, 1, 9),
        "12 CFR 1005.11(c)(2)",
        id="1005.11(c)(2) provisionally credited -> final decision within 45 calendar days",
    ),
    pytest.param(
        reg_e.error_resolution_rules(point_of_sale=True),
        {
            M.NOTICE_RECEIVED: ny(2026, 11, 25, 14),
            M.PROVISIONALLY_CREDITED: ny(2026, 12, 4),
            M.EXTENSION_EARNED: ny(2026, 12, 4),
        },
        "extended_decision",
        date(2027, 2, 23),
        "12 CFR 1005.11(c)(3)(ii)",
        id="1005.11(c)(3)(ii) point-of-sale debit card -> 90 calendar days",
    ),
    pytest.param(
        reg_e.error_resolution_rules(not_initiated_in_state=True),
        {
            M.NOTICE_RECEIVED: ny(2026, 11, 25, 14),
            M.PROVISIONALLY_CREDITED: ny(2026, 12, 4),
            M.EXTENSION_EARNED: ny(2026, 12, 4),
        },
        "extended_decision",
        date(2027, 2, 23),
        "12 CFR 1005.11(c)(3)(ii)",
        id="1005.11(c)(3)(ii) foreign-initiated transfer -> 90 calendar days",
    ),
    pytest.param(
        reg_e.error_resolution_rules(new_account=True),
        {M.NOTICE_RECEIVED: ny(2026, 11, 25, 14)},
        "decision",
        date(2026, 12, 24),
        "12 CFR 1005.11(c)(3)(i)",
        id="1005.11(c)(3)(i) new account -> decision by business day 20 (Christmas skipped)",
    ),
    pytest.param(
        reg_e.error_resolution_rules(new_account=True),
        {M.NOTICE_RECEIVED: ny(2026, 11, 25, 14)},
        "provisional_credit",
        date(2026, 12, 24),
        "12 CFR 1005.11(c)(3)(i)",
        id="1005.11(c)(3)(i) new account -> provisional credit by business day 20",
    ),
    pytest.param(
        reg_e.error_resolution_rules(new_account=True),
        {
            M.NOTICE_RECEIVED: ny(2026, 11, 25, 14),
            M.PROVISIONALLY_CREDITED: ny(2026, 12, 4),
            M.EXTENSION_EARNED: ny(2026, 12, 4),
        },
        "extended_decision",
        date(2027, 2, 23),
        "12 CFR 1005.11(c)(3)(ii)",
        id="1005.11(c)(3)(ii) new account with provisional credit -> 90 calendar days",
    ),
    pytest.param(
        reg_e.error_resolution_rules(),
        {
            M.NOTICE_RECEIVED: ny(2026, 11, 25, 14),
            M.PROVISIONALLY_CREDITED: ny(2026, 12, 4),
            M.EXTENSION_EARNED: ny(2026, 12, 4),
        },
        "provisional_credit_notice",
        date(2026, 12, 8),
        "12 CFR 1005.11(c)(2)(ii)",
        id="1005.11(c)(2)(ii) credited Fri -> notice to customer by 2nd business day (Tue)",
    ),
    pytest.param(
        reg_e.error_resolution_rules(),
        {
            M.NOTICE_RECEIVED: ny(2026, 11, 25, 14),
            M.WRITTEN_CONFIRMATION_REQUESTED: ny(2026, 11, 25),
        },
        "written_confirmation",
        date(2026, 12, 10),
        "12 CFR 1005.11(b)(2)",
        id="1005.11(b)(2) written confirmation of an oral notice due within 10 business days",
    ),
    pytest.param(
        reg_e.error_resolution_rules(),
        {M.NOTICE_RECEIVED: ny(2026, 12, 1), M.INVESTIGATION_CONCLUDED: ny(2026, 12, 23)},
        "results_report",
        date(2026, 12, 29),
        "12 CFR 1005.11(c)(2)(iv), (d)(1)",
        id="1005.11(c)(2)(iv) concluded Wed 12-23 -> results within 3 business days (Tue 12-29)",
    ),
    pytest.param(
        reg_e.error_resolution_rules(),
        {
            M.NOTICE_RECEIVED: ny(2026, 12, 1),
            M.INVESTIGATION_CONCLUDED: ny(2026, 12, 31),
            M.ERROR_DETERMINED: ny(2026, 12, 31),
        },
        "error_correction",
        date(2027, 1, 4),
        "12 CFR 1005.11(c)(2)(iii)",
        id="1005.11(c)(2)(iii) error found Thu 12-31 -> corrected within 1 business day (Mon)",
    ),
    pytest.param(
        reg_e.error_resolution_rules(),
        {
            M.NOTICE_RECEIVED: ny(2026, 12, 1),
            M.PROVISIONALLY_CREDITED: ny(2026, 12, 4),
            M.INVESTIGATION_CONCLUDED: ny(2027, 1, 11),
            M.REVERSAL_NOTIFIED: ny(2027, 1, 11),
        },
        "honour_payments_after_reversal",
        date(2027, 1, 19),
        "12 CFR 1005.11(d)(2)",
        id="1005.11(d)(2) reversal notice Mon 01-11 -> honour payments 5 business days (MLK day"
        " skipped)",
    ),
]

PSD2_TABLE = [
    pytest.param(
        psd2.unauthorised_refund_rules(),
        {M.NOTICE_RECEIVED: berlin(2026, 3, 6, 20)},
        "refund",
        date(2026, 3, 9),
        "PSD2 Art. 73(1)",
        id="PSD2 Art. 73(1) notified Friday evening -> refund by end of Monday",
    ),
    pytest.param(
        psd2.unauthorised_refund_rules(),
        {M.NOTICE_RECEIVED: berlin(2026, 4, 2, 9)},
        "refund",
        date(2026, 4, 7),
        "PSD2 Art. 73(1)",
        id="PSD2 Art. 73(1) notified Maundy Thursday -> refund by end of Tuesday after Easter",
    ),
    pytest.param(
        psd2.complaint_rules(),
        {M.COMPLAINT_RECEIVED: berlin(2026, 3, 2)},
        "complaint_reply",
        date(2026, 3, 23),
        "PSD2 Art. 101(2)",
        id="PSD2 Art. 101(2) complaint received Mon 03-02 -> reply within 15 business days",
    ),
    pytest.param(
        psd2.complaint_rules(),
        {M.COMPLAINT_RECEIVED: berlin(2026, 3, 2), M.HOLDING_REPLY_SENT: berlin(2026, 3, 20)},
        "complaint_final_reply",
        date(2026, 4, 22),
        "PSD2 Art. 101(2)",
        id="PSD2 Art. 101(2) holding reply -> final reply within 35 business days (Easter skipped)",
    ),
    pytest.param(
        psd2.pull_refund_rules(),
        {M.REFUND_REQUESTED: berlin(2026, 3, 2)},
        "refund_decision",
        date(2026, 3, 16),
        "PSD2 Art. 77(2)",
        id="PSD2 Art. 77(2) pull-payment refund request -> decision within 10 business days",
    ),
]


@pytest.mark.parametrize(("policy", "milestones", "name", "last", "source"), REG_E_TABLE)
def test_reg_e_deadline_table(policy, milestones, name, last, source):
    deadline = only(policy.deadlines(milestones, US_BANK), name)
    assert last_day(deadline) == last
    assert deadline.due_at == datetime.combine(last + timedelta(days=1), datetime.min.time(), NY)
    assert deadline.source == source


@pytest.mark.parametrize(("policy", "milestones", "name", "last", "source"), PSD2_TABLE)
def test_psd2_deadline_table(policy, milestones, name, last, source):
    deadline = only(policy.deadlines(milestones, EU_PSP), name)
    assert last_day(deadline) == last
    assert deadline.source == source


def test_reference_example_provisional_credit_is_due_before_december_11_midnight():
    deadlines = reg_e.error_resolution_rules().deadlines(
        {M.NOTICE_RECEIVED: ny(2026, 11, 25, 14)}, US_BANK
    )
    assert only(deadlines, "provisional_credit").due_at.isoformat() == "2026-12-11T00:00:00-05:00"


def test_provisional_credit_stops_the_ten_day_clock_and_starts_the_45_day_one():
    milestones = {
        M.NOTICE_RECEIVED: ny(2026, 11, 25),
        M.PROVISIONALLY_CREDITED: ny(2026, 12, 1),
        M.EXTENSION_EARNED: ny(2026, 12, 1),
    }
    names = {d.name for d in reg_e.error_resolution_rules().deadlines(milestones, US_BANK)}
    assert names == {"extended_decision", "provisional_credit_notice"}


def test_concluding_the_investigation_leaves_only_the_results_report():
    milestones = {
        M.NOTICE_RECEIVED: ny(2026, 11, 25),
        M.PROVISIONALLY_CREDITED: ny(2026, 12, 1),
        M.EXTENSION_EARNED: ny(2026, 12, 1),
        M.PROVISIONAL_CREDIT_NOTIFIED: ny(2026, 12, 1),
        M.INVESTIGATION_CONCLUDED: ny(2026, 12, 15),
    }
    names = [d.name for d in reg_e.error_resolution_rules().deadlines(milestones, US_BANK)]
    assert names == ["results_report"]


def test_missed_written_confirmation_removes_the_provisional_credit_duty():
    milestones = {
        M.NOTICE_RECEIVED: ny(2026, 11, 25),
        M.WRITTEN_CONFIRMATION_REQUESTED: ny(2026, 11, 25),
        M.WRITTEN_CONFIRMATION_MISSED: ny(2026, 12, 11, 0),  # the window's end
        M.EXTENSION_EARNED: ny(2026, 12, 11, 0),
    }
    names = {d.name for d in reg_e.error_resolution_rules().deadlines(milestones, US_BANK)}
    assert names == {"extended_decision"}


def test_psd2_refund_stops_when_fraud_suspicion_is_reported_to_the_authority():
    milestones = {
        M.NOTICE_RECEIVED: berlin(2026, 3, 2),
        M.FRAUD_SUSPICION_REPORTED: berlin(2026, 3, 2),
    }
    assert psd2.unauthorised_refund_rules().deadlines(milestones, EU_PSP) == ()


def test_deadlines_are_sorted_earliest_first():
    milestones = {M.NOTICE_RECEIVED: ny(2026, 11, 25), M.PROVISIONALLY_CREDITED: ny(2026, 12, 1)}
    found = reg_e.error_resolution_rules().deadlines(milestones, US_BANK)
    assert [d.due_at for d in found] == sorted(d.due_at for d in found)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(
            lambda: reg_e.notice_window(ny(2026, 1, 1), US_BANK),
            date(2026, 3, 2),
            id="1005.11(b)(1)(i) notice window is 60 days after the statement is sent",
        ),
        pytest.param(
            lambda: reg_e.prepaid_notice_window(
                US_BANK,
                electronic_access_at=ny(2026, 1, 10),
                written_history_sent_at=ny(2026, 1, 5),
            ),
            date(2026, 3, 6),
            id="1005.18(e)(1) prepaid window runs from the earlier of access and written history",
        ),
        pytest.param(
            lambda: reg_e.prepaid_alternative_notice_window(ny(2026, 1, 1), US_BANK),
            date(2026, 5, 1),
            id="1005.18(e)(2) alternative prepaid window is 120 days after posting",
        ),
        pytest.param(
            lambda: psd2.notification_deadline(berlin(2026, 1, 31), EU_PSP),
            date(2027, 2, 28),
            id="PSD2 Art. 71(1) 13 months after debit, clamped to the end of February",
        ),
        pytest.param(
            lambda: psd2.refund_request_deadline(berlin(2026, 1, 1), EU_PSP),
            date(2026, 2, 26),
            id="PSD2 Art. 77(1) pull-payment refund request within 8 weeks of the debit",
        ),
    ],
)
def test_notice_windows(make, expected):
    assert last_day(make()) == expected


def test_psd2_thirteen_month_limit_is_waived_without_transaction_information():
    """PSD2 Art. 71(1) 2nd subparagraph (PSD2_NOTIFY_LIMIT_WAIVED)."""
    assert (
        psd2.notification_deadline(berlin(2026, 1, 1), EU_PSP, information_provided=False) is None
    )


def test_prepaid_window_needs_a_starting_instant():
    with pytest.raises(InvalidInputError):
        reg_e.prepaid_notice_window(US_BANK)


@pytest.mark.parametrize(
    ("transfer", "expected"),
    [
        pytest.param(ny(2026, 1, 31, 23), True, id="1005.11(c)(3)(i) day 30 after first deposit"),
        pytest.param(ny(2026, 2, 1, 0), False, id="1005.11(c)(3)(i) day 31 is no longer new"),
    ],
)
def test_new_account_is_thirty_days_after_the_first_deposit(transfer, expected):
    assert reg_e.is_new_account(ny(2026, 1, 1, 10), transfer, US_BANK) is expected


def test_naive_datetimes_are_rejected():
    with pytest.raises(NaiveDatetimeError):
        reg_e.error_resolution_rules().deadlines({M.NOTICE_RECEIVED: datetime(2026, 1, 1)}, US_BANK)
    with pytest.raises(NaiveDatetimeError):
        TimeLimit(amount=1, unit=DayCount.CALENDAR_DAYS).ends_at(datetime(2026, 1, 1), US_BANK)


def test_milestones_must_be_a_mapping():
    with pytest.raises(InvalidInputError):
        reg_e.error_resolution_rules().deadlines([M.NOTICE_RECEIVED], US_BANK)  # type: ignore[arg-type]


def test_a_calendar_without_business_days_raises_never_open():
    with pytest.raises(NeverOpenError):
        TimeLimit(amount=1, unit=DayCount.BUSINESS_DAYS).ends_at(
            ny(2026, 1, 1), Schedule(zone="UTC")
        )


def test_a_calendar_must_be_a_schedule_or_an_institution():
    class LooksLikeOne:
        zone = "UTC"

        def is_business_day(self, day: date) -> bool:
            return True

    with pytest.raises(InvalidInputError, match="Institution or a Schedule"):
        TimeLimit(amount=1, unit=DayCount.CALENDAR_DAYS).ends_at(ny(2026, 1, 1), LooksLikeOne())


def test_custom_policy_rejects_duplicate_rule_names():
    rule = DeadlineRule(
        name="x",
        starts_at="a",
        limit=TimeLimit(amount=1, unit=DayCount.CALENDAR_DAYS),
        source="house",
    )
    with pytest.raises(ConfigurationError):
        DeadlinePolicy(name="house", regime=Regime.CUSTOM, rules=(rule, rule))


def test_rule_that_stops_at_its_own_start_is_rejected():
    with pytest.raises(ConfigurationError):
        DeadlineRule(
            name="x",
            starts_at="a",
            stops_at=frozenset({"a"}),
            limit=TimeLimit(amount=1, unit=DayCount.CALENDAR_DAYS),
            source="house",
        )


def test_rule_names_are_snake_case():
    with pytest.raises(ConfigurationError):
        DeadlineRule(
            name="Bad Name",
            starts_at="a",
            limit=TimeLimit(amount=1, unit=DayCount.WEEKS),
            source="x",
        )


def test_unknown_rule_lookup_raises_not_found():
    with pytest.raises(NotFoundError):
        psd2.complaint_rules().rule("refund")


def test_deadline_round_trips_through_json():
    d = only(
        psd2.unauthorised_refund_rules().deadlines({M.NOTICE_RECEIVED: berlin(2026, 3, 6)}, EU_PSP),
        "refund",
    )
    assert Deadline.model_validate_json(d.model_dump_json()) == d
    assert "due_at" in Deadline.model_json_schema()["properties"]


def test_policy_round_trips_through_json():
    policy = reg_e.error_resolution_rules(new_account=True)
    assert DeadlinePolicy.model_validate_json(policy.model_dump_json()) == policy


# --- properties ------------------------------------------------------------------------------

PRESETS = [
    reg_e.error_resolution_rules(),
    reg_e.error_resolution_rules(new_account=True),
    reg_e.error_resolution_rules(point_of_sale=True),
    psd2.unauthorised_refund_rules(),
    psd2.complaint_rules(),
    psd2.pull_refund_rules(),
]
RULES = [rule for policy in PRESETS for rule in policy.rules]
CALENDARS = [US_BANK, EU_PSP]

instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=60)
@given(
    rule=st.sampled_from(RULES),
    calendar=st.sampled_from(CALENDARS),
    a=instants,
    b=instants,
)
def test_deadlines_are_monotone_in_the_starting_instant(rule, calendar, a, b):
    early, late = sorted((a, b))
    assert rule.deadline(early, calendar).due_at <= rule.deadline(late, calendar).due_at


@settings(max_examples=60)
@given(rule=st.sampled_from(RULES), calendar=st.sampled_from(CALENDARS), start=instants)
def test_deadline_ends_at_a_local_midnight_after_the_start(rule, calendar, start):
    due = rule.deadline(start, calendar).due_at
    assert due > start
    local = due.astimezone(ZoneInfo(calendar.zone))
    assert (local.hour, local.minute, local.second) == (0, 0, 0)


@settings(max_examples=60)
@given(
    n=st.integers(min_value=1, max_value=40),
    calendar=st.sampled_from(CALENDARS),
    start=instants,
)
def test_n_business_days_end_on_the_nth_business_day_counted_by_the_schedule(n, calendar, start):
    limit = TimeLimit(amount=n, unit=DayCount.BUSINESS_DAYS)
    zone = ZoneInfo(calendar.zone)
    last = (limit.ends_at(start, calendar) - timedelta(microseconds=1)).astimezone(zone).date()
    day0 = start.astimezone(zone).date()
    assert calendar.is_business_day(last)
    assert calendar.count_business_days(day0 + timedelta(days=1), last + timedelta(days=1)) == n
    assert calendar.business_days_after(day0, n) == last


@settings(max_examples=40)
@given(
    policy=st.sampled_from(PRESETS),
    reached=st.sets(st.sampled_from(list(Milestone))),
    start=instants,
)
def test_a_rule_runs_only_between_its_start_and_its_stops(policy, reached, start):
    milestones = dict.fromkeys(reached, start)
    running = {d.name for d in policy.deadlines(milestones, US_BANK)}
    for rule in policy.rules:
        expected = (
            rule.starts_at in reached
            and rule.requires <= reached
            and not rule.stops_at & reached
            and not rule.lifted_by & reached
        )
        assert (rule.name in running) is expected

"""Invariants of every regime: business days, local dates, monotonicity, one answer everywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.regulation import Deadline, Institution, Regime, cn, psd2, reg_e, reg_z, uk
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

US = Institution.for_region("US")
WEST = Institution.us_bank(name="West Coast bank", zone="America/Los_Angeles")
DE = Institution.for_region("DE")
BE = Institution.for_region("BE")
GB = Institution.for_region("GB")
SCT = Institution.uk_psp(nation="SCT")
CN = Institution.for_region("CN")
SLA = cn.ComplaintSla(amount=15, unit="business_days")

Rules = Callable[[datetime, Institution], tuple[Deadline, ...]]

#: (label, institutions, notice -> deadlines, names counted in business days)
REGIMES: list[tuple[str, tuple[Institution, ...], Rules, frozenset[str]]] = [
    (
        "reg_e",
        (US, WEST),
        lambda t, i: reg_e.error_resolution_deadlines(reg_e.ErrorCase(notice_at=t), i, at=t),
        frozenset({"decision", "provisional_credit"}),
    ),
    (
        "reg_e_new_account",
        (US, WEST),
        lambda t, i: reg_e.error_resolution_deadlines(
            reg_e.ErrorCase(notice_at=t, new_account=True, written_confirmation_required=True),
            i,
            at=t,
        ),
        frozenset({"decision", "provisional_credit", "written_confirmation"}),
    ),
    (
        "reg_e_concluded",
        (US, WEST),
        lambda t, i: reg_e.error_resolution_deadlines(
            reg_e.ErrorCase(notice_at=t, concluded_at=t, error_found=True), i, at=t
        ),
        frozenset({"error_correction", "results_report"}),
    ),
    (
        "reg_z",
        (US,),
        lambda t, i: reg_z.billing_error_deadlines(reg_z.BillingErrorCase(notice_received_at=t), i),
        frozenset(),
    ),
    (
        "psd2_refund",
        (DE, BE),
        lambda t, i: psd2.unauthorised_deadlines(t, i),
        frozenset({"refund"}),
    ),
    (
        "psd2_complaint",
        (DE, BE),
        lambda t, i: psd2.complaint_deadlines(t, i),
        frozenset({"complaint_reply"}),
    ),
    ("uk_refund", (GB, SCT), lambda t, i: uk.unauthorised_deadlines(t, i), frozenset({"refund"})),
    (
        "uk_app",
        (GB,),
        lambda t, i: uk.app_deadlines(t, i, clock_stopped_at=t),
        frozenset({"app_decision"}),
    ),
    (
        "uk_disp",
        (GB, SCT),
        lambda t, i: uk.complaint_deadlines(t, i, psd_complaint=True),
        frozenset({"final_response"}),
    ),
    ("cn", (CN,), lambda t, i: cn.complaint_deadlines(t, i, SLA), frozenset({"complaint_reply"})),
]

instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
cases = st.sampled_from(REGIMES).flatmap(lambda r: st.tuples(st.just(r), st.sampled_from(r[1])))


def last_local_day(deadline: Deadline, institution: Institution) -> date:
    zone = ZoneInfo(institution.zone)
    return (deadline.due_at - timedelta(microseconds=1)).astimezone(zone).date()


@settings(max_examples=200, deadline=None)
@given(case=cases, t=instants)
def test_a_business_day_deadline_never_ends_on_a_non_business_day(case, t):
    (_, _, rules, business), institution = case
    calendar = (
        uk.complaint_schedule(institution) if institution.jurisdiction == "GB" else institution
    )
    for deadline in rules(t, institution):
        if deadline.name in business:
            assert calendar.schedule.is_business_day(last_local_day(deadline, institution))
        local = deadline.due_at.astimezone(ZoneInfo(institution.zone))
        assert local.time() == time(0)
        assert deadline.due_at > t
        assert deadline.rule_id
        assert deadline.source


@settings(max_examples=200, deadline=None)
@given(
    case=cases,
    t=instants,
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    shown=st.sampled_from(["UTC", "Pacific/Kiritimati", "America/Adak", "Asia/Kolkata"]),
)
def test_dst_and_utc_input_never_move_a_local_date(case, t, hour, minute, shown):
    (_, _, rules, _), institution = case
    zone = ZoneInfo(institution.zone)
    day = t.astimezone(zone).date()
    other = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
    assume(other.astimezone(zone).date() == day)  # not a wall time lost to a DST gap
    expected = [(d.name, d.due_at) for d in rules(t, institution)]
    assert [(d.name, d.due_at) for d in rules(t.astimezone(ZoneInfo(shown)), institution)] == (
        expected
    )
    assert [(d.name, d.due_at) for d in rules(other, institution)] == expected


@settings(max_examples=200, deadline=None)
@given(case=cases, a=instants, b=instants)
def test_deadlines_are_monotone_in_the_notice_instant(case, a, b):
    (_, _, rules, _), institution = case
    early, late = sorted((a, b))
    first = {d.name: d.due_at for d in rules(early, institution)}
    second = {d.name: d.due_at for d in rules(late, institution)}
    for name in first.keys() & second.keys():
        assert first[name] <= second[name]


# --- the workflows' due() and the regulation API give the same instants ---------------------------

WORKFLOW_INSTITUTIONS = [US, WEST, DE, GB, SCT]


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


def _api_unauthorized(
    institution: Institution, notice: datetime, credited: datetime | None, at: datetime
) -> tuple[Deadline, ...]:
    transfer_at = notice - timedelta(days=1)
    if Regime.REG_E in institution.regimes:
        case = reg_e.ErrorCase(
            notice_at=notice, transfer_at=transfer_at, provisionally_credited_at=credited
        )
        return reg_e.error_resolution_deadlines(case, institution, at=at)
    if Regime.UK in institution.regimes:
        return uk.unauthorised_deadlines(notice, institution, refunded_at=credited)
    return psd2.unauthorised_deadlines(notice, institution, refunded_at=credited)


@settings(max_examples=80, deadline=None)
@given(
    institution=st.sampled_from(WORKFLOW_INSTITUTIONS),
    notice=instants,
    credit_after=st.none() | st.integers(0, 40 * 24),
    look_after=st.integers(0, 60 * 24),
)
def test_unauthorized_due_is_the_regulation_api(institution, notice, credit_after, look_after):
    clock = FixedClock(notice)
    service = _service(institution, clock)
    service.open(
        "unauthorized_transaction",
        {"transfers": [{"at": notice - timedelta(days=1), "amount": "80"}], "currency": "USD"},
        case_id="U",
        actor="customer",
    )
    service.apply("U", SecureAccount(), idempotency_key="1", actor="a")
    service.apply("U", StartInvestigation(), idempotency_key="2", actor="a")
    credited = None
    if credit_after is not None:
        clock.set(notice + timedelta(hours=credit_after))
        credited = clock.now()
        service.apply("U", CreditProvisionally(amount=Decimal(80)), idempotency_key="3", actor="a")
    at = clock.now() + timedelta(hours=look_after)
    due = service.due(service.load("U"), at)
    assert due == _api_unauthorized(institution, notice, credited, at)


@settings(max_examples=60, deadline=None)
@given(institution=st.sampled_from(WORKFLOW_INSTITUTIONS), notice=instants)
def test_dispute_due_is_the_regulation_api(institution, notice):
    service = _service(institution, FixedClock(notice))
    service.open(
        "transaction_dispute",
        {"amount": "30", "merchant": "Cafe", "kind": "duplicate_charge"},
        case_id="D",
        actor="customer",
    )
    due = service.due(service.load("D"), notice)
    if Regime.REG_E in institution.regimes:
        case = reg_e.ErrorCase(notice_at=notice, kind=reg_e.ErrorKind.INCORRECT_TRANSFER)
        expected = reg_e.error_resolution_deadlines(case, institution, at=notice)
    elif Regime.UK in institution.regimes:
        expected = uk.complaint_deadlines(notice, institution, psd_complaint=True)
    else:
        expected = psd2.complaint_deadlines(notice, institution)
    assert due == tuple(sorted(expected, key=Deadline.sort_key))

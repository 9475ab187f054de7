"""United Kingdom: Payment Services Regulations 2017, PSR APP-scam reimbursement, FCA DISP.

* Unauthorised transactions (PSRs 2017, SI 2017/752, Part 7): notify within 13 months of the
  debit (reg 74(1), [nr]); refund by the end of the business day after the PSP becomes aware
  (reg 76(2)); the payer bears at most £35, at the PSP's option, only for a lost, stolen or
  misappropriated instrument (reg 77(1)), nothing in the reg 77(2) and 77(4) cases, everything
  when fraudulent or grossly negligent (reg 77(3)).
* Authorised push payment scams (the Payment Systems Regulator's reimbursement requirement,
  FSMA 2023 s.72; Specific Direction 20 and Specific Requirement 1, from 7 October 2024):
  reimburse within 5 business days of the claim, or stop the clock and decide by the 35th
  business day [nr]; at most £85,000 per claim; an optional excess of at most £100, never for a
  vulnerable consumer; claims within 13 months of the last payment [nr].
* Complaints (FCA Handbook DISP 1.6): a PSD or EMD complaint gets a final response within 15
  business days, or a holding response and a final response within 35 business days in
  exceptional circumstances; other complaints 8 weeks. DISP days are the FCA Glossary's
  "business day" in that part of the UK (not the firm's opening days): the institution's
  ``subdivision`` (a UK nation) picks the bank holidays.

Business days of the PSRs are the PSP's (PSRs 2009 reg 2(1), ``BD_UK_PSRS_2009``): the
institution's schedule. The PSR APP rules count business days as SR1 defines them, believed
Monday to Friday without bank holidays [nr]. Primary texts:
https://www.legislation.gov.uk/uksi/2017/752 ,
https://www.handbook.fca.org.uk , https://www.psr.org.uk/our-work/app-scams/ . Not legal advice.

Examples:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from walletsupport.regulation import Institution
    >>> gb = Institution.uk_psp(nation="ENG")
    >>> aware = datetime(2026, 12, 24, 15, tzinfo=ZoneInfo("Europe/London"))
    >>> refund_deadline(aware, gb).due_at.date()  # Christmas, weekend, Boxing Day (observed)
    datetime.date(2026, 12, 30)
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache

from pydantic import AwareDatetime, Field

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError
from walletsupport.regulation._engine import (
    DayCount,
    Deadline,
    DeadlinePolicy,
    DeadlineRule,
    Milestone,
    Regime,
    TimeLimit,
    schedule_of,
)
from walletsupport.regulation._liability import (
    LiabilityAssessment,
    LiabilityTier,
    UnauthorizedTransfer,
    total,
)
from walletsupport.regulation.institution import Institution

__all__ = [
    "APP_EXCESS_MAX",
    "APP_MAX",
    "APP_START",
    "CAP_GBP",
    "AppClaim",
    "AppOutcome",
    "LiabilityFacts",
    "PaymentRail",
    "app_claim_deadline",
    "app_deadlines",
    "app_reimbursement",
    "complaint_deadlines",
    "complaint_schedule",
    "liability",
    "notification_deadline",
    "refund_deadline",
    "unauthorised_deadlines",
]

CAP_GBP = Decimal(35)
"""PSRs 2017 reg 77(1), ``UK_PSR_PAYER_CAP_35``: £35 (PSRs 2009 reg 62(1) had £50)."""
APP_MAX = Decimal(85_000)
"""PSR APP reimbursement limit per claim, ``UK_APP_MAX_85000`` (psr.org.uk, 7 October 2024)."""
APP_EXCESS_MAX = Decimal(100)
"""The optional claim excess: at most £100, never for a vulnerable consumer
(``UK_APP_EXCESS_100``)."""
APP_START = date(2024, 10, 7)
"""APP reimbursement applies to payments made on or after 7 October 2024 (``UK_APP_START``)."""

_M = Milestone
_STOPPED = "clock_stopped"
_DECIDED = "claim_decided"


def _bd(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=DayCount.BUSINESS_DAYS)


# --- unauthorised transactions (PSRs 2017 Part 7) ----------------------------------------------


@cache
def _refund_rules() -> DeadlinePolicy:
    return DeadlinePolicy(
        name="uk_psr_refund",
        regime=Regime.UK,
        rules=(
            DeadlineRule(
                name="refund",
                starts_at=_M.NOTICE_RECEIVED,
                limit=_bd(1),
                source="PSRs 2017 reg 76(2)",
                rule_id="UK_PSR_REFUND_DEADLINE",
                stops_at=frozenset({_M.REFUNDED}),
                lifted_by=frozenset({_M.FRAUD_SUSPICION_REPORTED}),
            ),
        ),
    )


def refund_deadline(aware_at: datetime, institution: Institution) -> Deadline:
    """Refund "no later than the end of the business day following the day on which it becomes
    aware of the unauthorised transaction" (PSRs 2017 reg 76(2), ``UK_PSR_REFUND_DEADLINE``).

    The clock starts when the PSP becomes aware (the customer's report), not at the debit.

    Raises:
        NaiveDatetimeError: ``aware_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> refund_deadline(datetime(2026, 3, 6, 12, tzinfo=timezone.utc),
        ...     Institution.uk_psp()).due_at.isoformat()
        '2026-03-10T00:00:00+00:00'
    """
    return _refund_rules().rule("refund").deadline(ensure_aware(aware_at, "aware_at"), institution)


def unauthorised_deadlines(
    aware_at: datetime,
    institution: Institution,
    *,
    refunded_at: datetime | None = None,
    fraud_suspicion_reported_at: datetime | None = None,
) -> tuple[Deadline, ...]:
    """The reg 76 refund deadline of one report: running, lifted, or missed (``met_at``).

    Lifted when the PSP has reasonable grounds to suspect fraud by the user and notifies a
    person mentioned in s.333A(2) of the Proceeds of Crime Act 2002 in writing (reg 76(3),
    ``UK_PSR_REFUND_FRAUD_EXCEPTION``): only the timing duty falls away.

    Raises:
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from walletsupport.regulation import Institution
        >>> t = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
        >>> [d.met_at is not None for d in unauthorised_deadlines(t, Institution.uk_psp(),
        ...     refunded_at=t + timedelta(days=5))]
        [True]
    """
    reached: dict[str, datetime | None] = {
        _M.NOTICE_RECEIVED: ensure_aware(aware_at, "aware_at"),
        _M.REFUNDED: refunded_at,
        _M.FRAUD_SUSPICION_REPORTED: fraud_suspicion_reported_at,
    }
    return _refund_rules().deadlines({k: v for k, v in reached.items() if v}, institution)


def notification_deadline(
    debited_at: datetime, institution: Institution, *, information_provided: bool = True
) -> Deadline | None:
    """Notify no later than 13 months after the debit date (PSRs 2017 reg 74(1), [nr]).

    ``UK_PSR_NOTIFY_13_MONTHS`` (reg 74's text not re-checked; the figure mirrors PSD2 Art.
    71(1)); no limit when the PSP did not provide the transaction information (reg 74(2),
    ``UK_PSR_NOTIFY_LIMIT_WAIVED``, [nr]): then ``None``.

    Raises:
        NaiveDatetimeError: ``debited_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> notification_deadline(datetime(2026, 1, 31, 12, tzinfo=timezone.utc),
        ...     Institution.uk_psp()).due_at.date()
        datetime.date(2027, 3, 1)
    """
    debited = ensure_aware(debited_at, "debited_at")
    schedule_of(institution)
    if not information_provided:
        return None
    return Deadline(
        name="notify_unauthorised",
        due_at=TimeLimit(amount=13, unit=DayCount.MONTHS).ends_at(debited, institution),
        source="PSRs 2017 reg 74(1) [nr]",
        rule_id="UK_PSR_NOTIFY_13_MONTHS",
    )


class LiabilityFacts(WalletModel, frozen=True, extra="forbid"):
    """What PSRs 2017 reg 77 needs to assess the payer's liability.

    Attributes:
        transfers: the unauthorised payment transactions.
        notified_at: when the payer notified the PSP under reg 72(1)(b).
        instrument_lost_stolen_or_misappropriated: the losses arise from a lost or stolen
            instrument or its misappropriation (reg 77(1)); otherwise a full refund.
        psp_requires_cap: the PSP takes up its option ("may require") to make the payer liable
            up to £35 (reg 77(1)).
        payer_fraud: the payer acted fraudulently (reg 77(3)(a)).
        gross_negligence: with intent or gross negligence the payer failed to comply with reg
            72 (reg 77(3)(b)).
        loss_detectable: the loss, theft or misappropriation was detectable before the payment
            (reg 77(2)(a)).
        caused_by_psp: caused by an employee, agent or branch of the PSP or its outsourcee
            (reg 77(2)(b)).
        notification_means_provided: the PSP provided appropriate means for notification (reg
            77(4)(b)).
        sca_applied_where_required: where reg 100 requires strong customer authentication, the
            payer's PSP required it (reg 77(4)(c)).
        distance_contract: the instrument was used in connection with a distance contract
            other than an excepted contract (reg 77(4)(d); the rest of its text [nr]).

    Examples:
        >>> from datetime import datetime, timezone
        >>> LiabilityFacts(transfers=(), notified_at=datetime(2026, 1, 1, tzinfo=timezone.utc)
        ...     ).psp_requires_cap
        True
    """

    transfers: tuple[UnauthorizedTransfer, ...]
    notified_at: AwareDatetime
    instrument_lost_stolen_or_misappropriated: bool = False
    psp_requires_cap: bool = True
    payer_fraud: bool = False
    gross_negligence: bool = False
    loss_detectable: bool = True
    caused_by_psp: bool = False
    notification_means_provided: bool = True
    sca_applied_where_required: bool = True
    distance_contract: bool = False


def liability(facts: LiabilityFacts) -> LiabilityAssessment:
    """The payer's maximum liability under PSRs 2017 reg 77, in the reference's order.

    1. Fraud: all losses (reg 77(3)(a), ``UK_PSR_PAYER_ALL_LOSSES``).
    2. Losses after notification, no means of notification, SCA required but not applied, or a
       distance contract: nothing (reg 77(4)(a)-(d), ``UK_PSR_NO_LIABILITY``); losses after the
       notification are never the payer's.
    3. Intent or gross negligence: all losses before the notification (reg 77(3)(b)).
    4. Not detectable, or caused on the PSP's side: nothing (reg 77(2), ``UK_PSR_CAP_NOT_APPLY``).
    5. Lost, stolen or misappropriated instrument and the PSP requires it: up to £35 (reg 77(1),
       ``UK_PSR_PAYER_CAP_35``).
    6. Otherwise nothing: a full refund under reg 76(1) (``UK_PSR_REFUND_UNAUTHORISED``).

    Raises:
        InvalidInputError: ``facts`` is not uk.LiabilityFacts.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> facts = LiabilityFacts(notified_at=t, instrument_lost_stolen_or_misappropriated=True,
        ...     transfers=({"at": datetime(2026, 3, 1, tzinfo=timezone.utc), "amount": 120},))
        >>> liability(facts).customer_liability
        Decimal('35')
        >>> liability(facts.model_copy(update={"distance_contract": True})).customer_liability
        Decimal('0')
    """
    if not isinstance(facts, LiabilityFacts):
        raise InvalidInputError("facts must be uk.LiabilityFacts")
    loss = total(facts.transfers)
    before = total(t for t in facts.transfers if t.at < facts.notified_at)
    zero = Decimal(0)

    def result(
        tier: LiabilityTier, amount: Decimal, cap: Decimal | None, source: str, rule: str
    ) -> LiabilityAssessment:
        return LiabilityAssessment(
            regime=Regime.UK,
            tier=tier,
            loss=loss,
            customer_liability=amount,
            cap=cap,
            sources=(source,),
            rule_ids=(rule,),
        )

    if facts.payer_fraud:
        return result(
            LiabilityTier.UK_FULL, loss, None, "PSRs 2017 reg 77(3)(a)", "UK_PSR_PAYER_ALL_LOSSES"
        )
    if (
        not facts.notification_means_provided
        or not facts.sca_applied_where_required
        or facts.distance_contract
        or before == 0
    ):
        return result(LiabilityTier.NONE, zero, zero, "PSRs 2017 reg 77(4)", "UK_PSR_NO_LIABILITY")
    if facts.gross_negligence:
        return result(
            LiabilityTier.UK_FULL, before, None, "PSRs 2017 reg 77(3)(b)", "UK_PSR_PAYER_ALL_LOSSES"
        )
    if not facts.loss_detectable or facts.caused_by_psp:
        return result(LiabilityTier.NONE, zero, zero, "PSRs 2017 reg 77(2)", "UK_PSR_CAP_NOT_APPLY")
    if facts.instrument_lost_stolen_or_misappropriated and facts.psp_requires_cap:
        return result(
            LiabilityTier.UK_CAP,
            min(CAP_GBP, before),
            CAP_GBP,
            "PSRs 2017 reg 77(1)",
            "UK_PSR_PAYER_CAP_35",
        )
    return result(
        LiabilityTier.NONE, zero, zero, "PSRs 2017 reg 76(1)", "UK_PSR_REFUND_UNAUTHORISED"
    )


# --- APP-scam reimbursement ----------------------------------------------------------------------


class PaymentRail(WalletEnum):
    """How an authorised push payment was sent (only UK-to-UK transfers are in scope).

    Examples:
        >>> PaymentRail("faster_payments").name
        'FASTER_PAYMENTS'
    """

    FASTER_PAYMENTS = "faster_payments"
    """In scope: SD20 and the FPS Reimbursement Rules (``UK_APP_PAYMENT_SCOPE``)."""
    CHAPS = "chaps"
    """In scope; the requirement is set by the Bank of England as CHAPS operator [nr]."""
    CARD = "card"
    """Out of scope: card payments have their own protections."""
    INTERNATIONAL = "international"
    """Out of scope: not "from one UK bank account to another"."""
    OTHER = "other"


class AppClaim(WalletModel, frozen=True, extra="forbid"):
    """One APP-scam reimbursement claim at the sending PSP.

    Attributes:
        claim_at: when the consumer reported the claim (the 5-business-day clock starts).
        last_payment_at: the final payment to the fraudster in the same scam.
        amount: the total of the scam payments claimed, in GBP.
        rail: how the payments went (Faster Payments, CHAPS in scope).
        eligible_customer: an individual, microenterprise or charity (``UK_APP_CUSTOMER_SCOPE``).
        vulnerable: a vulnerable consumer: no excess, no gross-negligence refusal
            (``UK_APP_VULNERABLE``).
        excess: the excess the PSP chooses to apply (at most £100; ``UK_APP_EXCESS_100``).
        complicit_or_grossly_negligent: the consumer was complicit in the fraud, or (not
            vulnerable) fell below the consumer standard of caution, as the PSP must prove
            (``UK_APP_OTHER_EXCLUSIONS``, ``UK_APP_CONSUMER_STANDARD_OF_CAUTION``).
        civil_dispute: a dispute with a legitimate supplier, not a scam
            (``UK_APP_NOT_UNAUTHORISED``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> AppClaim(claim_at=t, last_payment_at=t, amount=900).rail
        <PaymentRail.FASTER_PAYMENTS: 'faster_payments'>
    """

    claim_at: AwareDatetime
    last_payment_at: AwareDatetime
    amount: Decimal = Field(gt=0, allow_inf_nan=False)
    rail: PaymentRail = PaymentRail.FASTER_PAYMENTS
    eligible_customer: bool = True
    vulnerable: bool = False
    excess: Decimal = Field(default=Decimal(0), ge=0, le=APP_EXCESS_MAX, allow_inf_nan=False)
    complicit_or_grossly_negligent: bool = False
    civil_dispute: bool = False


class AppOutcome(WalletModel, frozen=True, extra="forbid"):
    """What the sending PSP must reimburse, and why.

    Examples:
        >>> AppOutcome(reimburse=0, sources=("x",), rule_ids=("UK_APP_START",)).reimburse
        Decimal('0')
    """

    reimburse: Decimal = Field(ge=0)
    sources: tuple[str, ...]
    rule_ids: tuple[str, ...]


def app_claim_deadline(last_payment_at: datetime, institution: Institution) -> Deadline:
    """A claim must come within 13 months of the final payment (``UK_APP_CLAIM_13_MONTHS``, [nr]).

    Raises:
        NaiveDatetimeError: ``last_payment_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> app_claim_deadline(datetime(2026, 1, 31, 12, tzinfo=timezone.utc),
        ...     Institution.uk_psp()).due_at.date()
        datetime.date(2027, 3, 1)
    """
    return Deadline(
        name="app_claim",
        due_at=TimeLimit(amount=13, unit=DayCount.MONTHS).ends_at(
            ensure_aware(last_payment_at, "last_payment_at"), institution
        ),
        source="PSR SR1 / FPS Reimbursement Rules [nr]",
        rule_id="UK_APP_CLAIM_13_MONTHS",
    )


def app_reimbursement(claim: AppClaim, institution: Institution) -> AppOutcome:
    """The mandatory reimbursement of an APP-scam claim.

    Nothing when out of scope: payments before 7 October 2024 (``UK_APP_START``), a rail other
    than Faster Payments or CHAPS (``UK_APP_PAYMENT_SCOPE``), a customer who is not an
    individual, microenterprise or charity (``UK_APP_CUSTOMER_SCOPE``), a civil dispute, a claim
    after 13 months [nr], complicity, or gross negligence of a consumer who is not vulnerable.
    Otherwise the claim up to £85,000 (``UK_APP_MAX_85000``) less the chosen excess (at most
    £100, none for a vulnerable consumer).

    Raises:
        InvalidInputError: ``claim`` is not an AppClaim.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> app_reimbursement(AppClaim(claim_at=t, last_payment_at=t, amount=120_000,
        ...     excess=100), Institution.uk_psp()).reimburse
        Decimal('84900')
    """
    if not isinstance(claim, AppClaim):
        raise InvalidInputError("claim must be a uk.AppClaim")
    src = "PSR Specific Direction 20, SR1 (psr.org.uk)"

    def nothing(rule: str) -> AppOutcome:
        return AppOutcome(reimburse=Decimal(0), sources=(src,), rule_ids=(rule,))

    if institution.schedule.local_date(claim.last_payment_at) < APP_START:
        return nothing("UK_APP_START")
    if claim.rail not in (PaymentRail.FASTER_PAYMENTS, PaymentRail.CHAPS):
        return nothing("UK_APP_PAYMENT_SCOPE")
    if not claim.eligible_customer:
        return nothing("UK_APP_CUSTOMER_SCOPE")
    if claim.civil_dispute:
        return nothing("UK_APP_NOT_UNAUTHORISED")
    if claim.claim_at >= app_claim_deadline(claim.last_payment_at, institution).due_at:
        return nothing("UK_APP_CLAIM_13_MONTHS")
    if claim.complicit_or_grossly_negligent and not claim.vulnerable:
        return nothing("UK_APP_CONSUMER_STANDARD_OF_CAUTION")
    excess = Decimal(0) if claim.vulnerable else claim.excess
    owed = max(Decimal(0), min(claim.amount, APP_MAX) - excess)
    rules = ["UK_APP_MAX_85000"]
    if excess:
        rules.append("UK_APP_EXCESS_100")
    if claim.vulnerable:
        rules.append("UK_APP_VULNERABLE")
    return AppOutcome(reimburse=owed, sources=(src,), rule_ids=tuple(rules))


@cache
def _app_rules() -> DeadlinePolicy:
    return DeadlinePolicy(
        name="uk_app_reimbursement",
        regime=Regime.UK,
        rules=(
            DeadlineRule(
                name="app_reimbursement",
                starts_at=_M.NOTICE_RECEIVED,
                limit=_bd(5),
                source="PSR SR1 / FPS Reimbursement Rules [nr]",
                rule_id="UK_APP_FIVE_BUSINESS_DAYS",
                stops_at=frozenset({_DECIDED}),
                lifted_by=frozenset({_STOPPED}),
            ),
            DeadlineRule(
                name="app_decision",
                starts_at=_M.NOTICE_RECEIVED,
                requires=frozenset({_STOPPED}),
                limit=_bd(35),
                source="PSR SR1 stop-the-clock [nr]",
                rule_id="UK_APP_STOP_THE_CLOCK",
                stops_at=frozenset({_DECIDED}),
            ),
        ),
    )


def app_deadlines(
    claim_at: datetime,
    institution: Institution,
    *,
    clock_stopped_at: datetime | None = None,
    decided_at: datetime | None = None,
) -> tuple[Deadline, ...]:
    """The APP claim's deadlines: 5 business days, or 35 once the clock was stopped.

    The PSR: "The vast majority of consumers can expect to be reimbursed within five business
    days of making their claim" (``UK_APP_FIVE_BUSINESS_DAYS``); the sending PSP may stop the
    clock to gather information but must decide by the 35th business day after the claim
    (``UK_APP_STOP_THE_CLOCK``). Both [nr]: the binding wording is in SR1, not re-checked;
    whether paused days count is not known, so 35 business days is treated as a fixed outer
    limit. A stop after the 5 business days does not lift the missed deadline.

    Raises:
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> t = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
        >>> [(d.name, d.due_at.date().isoformat()) for d in app_deadlines(t, Institution.uk_psp())]
        [('app_reimbursement', '2026-03-10')]
    """
    reached: dict[str, datetime | None] = {
        _M.NOTICE_RECEIVED: ensure_aware(claim_at, "claim_at"),
        _STOPPED: clock_stopped_at,
        _DECIDED: decided_at,
    }
    return _app_rules().deadlines({k: v for k, v in reached.items() if v}, institution)


# --- complaints (FCA DISP) ----------------------------------------------------------------------


def complaint_schedule(institution: Institution) -> Institution:
    """The FCA Glossary business days for the institution's part of the UK.

    "Any day which is not a Saturday or Sunday, Christmas Day, Good Friday or a bank holiday in
    that part of the United Kingdom" (FCA Glossary "business day", ``UK_DISP_BUSINESS_DAY``):
    the UK preset for ``institution.subdivision`` (England when unset), whatever days the firm
    itself opens.

    Raises:
        InvalidInputError: ``institution`` is not a UK institution.

    Examples:
        >>> from walletsupport.regulation import Institution
        >>> complaint_schedule(Institution.uk_psp(nation="NIR")).subdivision
        'NIR'
    """
    if not isinstance(institution, Institution) or institution.jurisdiction != "GB":
        raise InvalidInputError("FCA DISP deadlines need a UK (GB) institution")
    return _glossary(institution.subdivision or "ENG")


@cache
def _glossary(nation: str) -> Institution:
    return Institution.uk_psp(nation=nation)


def complaint_deadlines(
    received_at: datetime,
    institution: Institution,
    *,
    psd_complaint: bool,
    holding_response_at: datetime | None = None,
    final_response_at: datetime | None = None,
) -> tuple[Deadline, ...]:
    """The FCA DISP 1.6 response deadlines of one complaint.

    A PSD or EMD complaint (about rights and obligations under Parts 6 and 7 of the PSRs,
    ``UK_DISP_PSD_COMPLAINT``): final response within 15 business days of receipt (DISP
    1.6.2AR(1), ``UK_DISP_PSD_FINAL_15BD``); in exceptional circumstances a holding response
    within those 15 business days and the final response within 35 (DISP 1.6.2AR(2),
    ``UK_DISP_PSD_EXCEPTIONAL_35BD``). Any other complaint: a final or written response by the
    end of eight weeks after receipt (DISP 1.6.2R, ``UK_DISP_OTHER_8_WEEKS``). Business days from
    [complaint_schedule][walletsupport.regulation.uk.complaint_schedule].

    Raises:
        InvalidInputError: ``institution`` is not a UK institution.
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        >>> [(d.name, d.due_at.date().isoformat()) for d in complaint_deadlines(
        ...     t, Institution.uk_psp(), psd_complaint=True)]
        [('final_response', '2026-03-24')]
        >>> [d.due_at.date().isoformat() for d in complaint_deadlines(
        ...     t, Institution.uk_psp(), psd_complaint=False)]
        ['2026-04-28']
    """
    calendar = complaint_schedule(institution)
    received = ensure_aware(received_at, "received_at")
    if not psd_complaint:
        rule = DeadlineRule(
            name="final_response",
            starts_at=_M.COMPLAINT_RECEIVED,
            limit=TimeLimit(amount=8, unit=DayCount.WEEKS),
            source="FCA DISP 1.6.2R",
            rule_id="UK_DISP_OTHER_8_WEEKS",
            stops_at=frozenset({_M.COMPLAINT_ANSWERED}),
        )
        policy = DeadlinePolicy(name="uk_disp_complaint", regime=Regime.UK, rules=(rule,))
        reached = {_M.COMPLAINT_RECEIVED: received}
        if final_response_at is not None:
            reached[_M.COMPLAINT_ANSWERED] = final_response_at
        return policy.deadlines(reached, calendar)
    holding = holding_response_at
    steps: dict[str, datetime | None] = {
        _M.COMPLAINT_RECEIVED: received,
        _M.HOLDING_REPLY_SENT: holding,
        _M.COMPLAINT_ANSWERED: final_response_at,
    }
    return _disp_rules().deadlines({k: v for k, v in steps.items() if v}, calendar)


@cache
def _disp_rules() -> DeadlinePolicy:
    return DeadlinePolicy(
        name="uk_disp_psd_complaint",
        regime=Regime.UK,
        rules=(
            DeadlineRule(
                name="final_response",
                starts_at=_M.COMPLAINT_RECEIVED,
                limit=_bd(15),
                source="FCA DISP 1.6.2AR(1)",
                rule_id="UK_DISP_PSD_FINAL_15BD",
                stops_at=frozenset({_M.COMPLAINT_ANSWERED}),
                lifted_by=frozenset({_M.HOLDING_REPLY_SENT}),
            ),
            DeadlineRule(
                name="final_response_exceptional",
                starts_at=_M.COMPLAINT_RECEIVED,
                requires=frozenset({_M.HOLDING_REPLY_SENT}),
                limit=_bd(35),
                source="FCA DISP 1.6.2AR(2)",
                rule_id="UK_DISP_PSD_EXCEPTIONAL_35BD",
                stops_at=frozenset({_M.COMPLAINT_ANSWERED}),
            ),
        ),
    )

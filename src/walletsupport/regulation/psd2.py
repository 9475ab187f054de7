"""EU PSD2 (Directive (EU) 2015/2366): unauthorised transactions, pull-payment refunds, complaints.

Business days are the PSP's, on its member-state calendar (Art. 4(37), "a day on which the
relevant payment service provider ... is open for business as required for the execution of a
payment transaction", not re-checked [nr]): pass an
[Institution][walletsupport.regulation.Institution] such as ``Institution.eu_psp("DE")``. A
directive binds through each member state's transposition; a state may keep stricter complaint
timelines (Art. 101(2), last subparagraph): express those as your own
[DeadlinePolicy][walletsupport.regulation.DeadlinePolicy]. Primary text:
https://eur-lex.europa.eu/eli/dir/2015/2366/oj . Not legal advice.

Examples:
    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from walletsupport.regulation import Institution
    >>> de = Institution.eu_psp("DE")
    >>> told = datetime(2026, 12, 24, 15, tzinfo=ZoneInfo("Europe/Berlin"))  # Thursday
    >>> refund_deadline(told, de).due_at.isoformat()  # 25 and 26 December are holidays in DE
    '2026-12-29T00:00:00+01:00'
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime

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
    non_negative_cap,
    total,
)
from walletsupport.regulation.institution import Institution

__all__ = [
    "CAP_EUR",
    "LiabilityFacts",
    "complaint_deadlines",
    "complaint_rules",
    "liability",
    "notification_deadline",
    "pull_refund_rules",
    "refund_deadline",
    "refund_request_deadline",
    "unauthorised_deadlines",
    "unauthorised_refund_rules",
]

CAP_EUR = Decimal(50)
"""PSD2 Art. 74(1), ``PSD2_PAYER_LIABILITY_CAP``: EUR 50."""

_M = Milestone


def _bd(n: int) -> TimeLimit:
    return TimeLimit(amount=n, unit=DayCount.BUSINESS_DAYS)


@cache
def unauthorised_refund_rules() -> DeadlinePolicy:
    """PSD2 Art. 73(1): refund an unauthorised transaction by the end of the next business day.

    ``refund``: "immediately, and in any event no later than by the end of the following business
    day, after noting or being notified of the transaction" (``PSD2_REFUND_UNAUTHORIZED``); met
    by the refund; lifted when the PSP has reasonable grounds to suspect fraud and communicates
    them to the relevant national authority in writing (``PSD2_REFUND_FRAUD_EXCEPTION``).

    Examples:
        >>> unauthorised_refund_rules().rule("refund").source
        'PSD2 Art. 73(1)'
    """
    return DeadlinePolicy(
        name="psd2_unauthorised_refund",
        regime=Regime.PSD2,
        rules=(
            DeadlineRule(
                name="refund",
                starts_at=_M.NOTICE_RECEIVED,
                limit=_bd(1),
                source="PSD2 Art. 73(1)",
                rule_id="PSD2_REFUND_UNAUTHORIZED",
                stops_at=frozenset({_M.REFUNDED}),
                lifted_by=frozenset({_M.FRAUD_SUSPICION_REPORTED}),
            ),
        ),
    )


def refund_deadline(notified_at: datetime, institution: Institution) -> Deadline:
    """The Art. 73(1) refund deadline for a notice (or the PSP's noting) at ``notified_at``.

    Raises:
        NaiveDatetimeError: ``notified_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> refund_deadline(datetime(2026, 3, 6, 12, tzinfo=timezone.utc),
        ...     Institution.eu_psp("IE")).due_at.isoformat()
        '2026-03-10T00:00:00+00:00'
    """
    return (
        unauthorised_refund_rules()
        .rule("refund")
        .deadline(ensure_aware(notified_at, "notified_at"), institution)
    )


def unauthorised_deadlines(
    notified_at: datetime,
    institution: Institution,
    *,
    refunded_at: datetime | None = None,
    fraud_suspicion_reported_at: datetime | None = None,
) -> tuple[Deadline, ...]:
    """The running (or missed) Art. 73(1) deadlines of one unauthorised-transaction notice.

    A refund at or after the deadline stays listed with ``met_at`` (a violation).

    Raises:
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> t = datetime(2026, 3, 2, 12, tzinfo=timezone.utc)
        >>> unauthorised_deadlines(t, Institution.eu_psp("IE"), refunded_at=t)
        ()
    """
    reached: dict[str, datetime | None] = {
        _M.NOTICE_RECEIVED: ensure_aware(notified_at, "notified_at"),
        _M.REFUNDED: refunded_at,
        _M.FRAUD_SUSPICION_REPORTED: fraud_suspicion_reported_at,
    }
    return unauthorised_refund_rules().deadlines(
        {k: v for k, v in reached.items() if v is not None}, institution
    )


def notification_deadline(
    debited_at: datetime, institution: Institution, *, information_provided: bool = True
) -> Deadline | None:
    """The latest notification of an unauthorised or incorrect transaction: 13 months.

    The user obtains rectification only if it notifies without undue delay, and at the latest
    13 months after the debit date (Art. 71(1), ``PSD2_NOTIFY_UNAUTHORIZED``). No limit when the
    PSP failed to provide the transaction information of Title III (Art. 71(1), 2nd
    subparagraph, ``PSD2_NOTIFY_LIMIT_WAIVED``): then ``None``.

    Raises:
        NaiveDatetimeError: ``debited_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> notification_deadline(datetime(2026, 1, 31, 12, tzinfo=timezone.utc),
        ...     Institution.eu_psp("IE")).due_at.date()
        datetime.date(2027, 3, 1)
    """
    debited = ensure_aware(debited_at, "debited_at")
    schedule_of(institution)
    if not information_provided:
        return None
    return Deadline(
        name="notify_unauthorised",
        due_at=TimeLimit(amount=13, unit=DayCount.MONTHS).ends_at(debited, institution),
        source="PSD2 Art. 71(1)",
        rule_id="PSD2_NOTIFY_UNAUTHORIZED",
    )


@cache
def pull_refund_rules() -> DeadlinePolicy:
    """PSD2 Art. 77(2): decide a pull-payment refund request within 10 business days.

    ``refund_decision``: refund in full or justify the refusal, naming the complaint and ADR
    bodies (``PSD2_REFUND_DECISION``). The request must come within 8 weeks of the debit
    (Art. 77(1)): [refund_request_deadline][walletsupport.regulation.psd2.refund_request_deadline].

    Examples:
        >>> str(pull_refund_rules().rule("refund_decision").limit)
        '10 business days'
    """
    return DeadlinePolicy(
        name="psd2_pull_refund",
        regime=Regime.PSD2,
        rules=(
            DeadlineRule(
                name="refund_decision",
                starts_at=_M.REFUND_REQUESTED,
                limit=_bd(10),
                source="PSD2 Art. 77(2)",
                rule_id="PSD2_REFUND_DECISION",
                stops_at=frozenset({_M.REFUND_DECIDED, _M.REFUNDED}),
            ),
        ),
    )


def refund_request_deadline(debited_at: datetime, institution: Institution) -> Deadline:
    """The latest pull-payment refund request: 8 weeks after the debit (Art. 77(1)).

    ``PSD2_REFUND_REQUEST_WINDOW``.

    Raises:
        NaiveDatetimeError: ``debited_at`` is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> refund_request_deadline(datetime(2026, 1, 1, 12, tzinfo=timezone.utc),
        ...     Institution.eu_psp("IE")).due_at.date()
        datetime.date(2026, 2, 27)
    """
    return Deadline(
        name="refund_request",
        due_at=TimeLimit(amount=8, unit=DayCount.WEEKS).ends_at(
            ensure_aware(debited_at, "debited_at"), institution
        ),
        source="PSD2 Art. 77(1)",
        rule_id="PSD2_REFUND_REQUEST_WINDOW",
    )


@cache
def complaint_rules() -> DeadlinePolicy:
    """PSD2 Art. 101(2) complaint replies.

    ``complaint_reply``: on paper or another durable medium, addressing all points, within 15
    business days of receipt (``PSD2_COMPLAINT_REPLY``); lifted by a holding reply.
    ``complaint_final_reply``: after a holding reply (reasons beyond the PSP's control), within
    35 business days of receipt (``PSD2_COMPLAINT_HOLDING_REPLY``).

    Examples:
        >>> [str(r.limit) for r in complaint_rules().rules]
        ['15 business days', '35 business days']
    """
    return DeadlinePolicy(
        name="psd2_complaint",
        regime=Regime.PSD2,
        rules=(
            DeadlineRule(
                name="complaint_reply",
                starts_at=_M.COMPLAINT_RECEIVED,
                limit=_bd(15),
                source="PSD2 Art. 101(2)",
                rule_id="PSD2_COMPLAINT_REPLY",
                stops_at=frozenset({_M.COMPLAINT_ANSWERED}),
                lifted_by=frozenset({_M.HOLDING_REPLY_SENT}),
            ),
            DeadlineRule(
                name="complaint_final_reply",
                starts_at=_M.COMPLAINT_RECEIVED,
                requires=frozenset({_M.HOLDING_REPLY_SENT}),
                limit=_bd(35),
                source="PSD2 Art. 101(2)",
                rule_id="PSD2_COMPLAINT_HOLDING_REPLY",
                stops_at=frozenset({_M.COMPLAINT_ANSWERED}),
            ),
        ),
    )


def complaint_deadlines(
    received_at: datetime,
    institution: Institution,
    *,
    holding_reply_at: datetime | None = None,
    answered_at: datetime | None = None,
) -> tuple[Deadline, ...]:
    """The Art. 101(2) reply deadlines of one complaint (running, or met late).

    A holding reply sent after the 15 business days does not lift the missed reply.

    Raises:
        NaiveDatetimeError: an instant is naive.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from walletsupport.regulation import Institution
        >>> [d.due_at.date().isoformat() for d in complaint_deadlines(
        ...     datetime(2026, 3, 2, 9, tzinfo=timezone.utc), Institution.eu_psp("IE"))]
        ['2026-03-25']
    """
    reached: dict[str, datetime | None] = {
        _M.COMPLAINT_RECEIVED: ensure_aware(received_at, "received_at"),
        _M.COMPLAINT_ANSWERED: answered_at,
        _M.HOLDING_REPLY_SENT: holding_reply_at,
    }
    return complaint_rules().deadlines(
        {k: v for k, v in reached.items() if v is not None}, institution
    )


# --- liability ---------------------------------------------------------------------------------


class LiabilityFacts(WalletModel, frozen=True, extra="forbid"):
    """What PSD2 Art. 74 needs to assess the payer's liability.

    Attributes:
        transfers: the unauthorised payment transactions.
        notified_at: when the payer notified the PSP (Art. 69(1)(b)).
        instrument_lost_stolen_or_misappropriated: the losses result from the use of a lost or
            stolen payment instrument or from its misappropriation; only then may the payer bear
            up to EUR 50 (Art. 74(1)). Otherwise the PSP refunds in full (Art. 73(1)).
        payer_fraud: the payer acted fraudulently (``PSD2_PAYER_LIABILITY_FULL``).
        gross_negligence: the payer failed, with intent or gross negligence, to meet its Art. 69
            obligations (Art. 74(1) third subparagraph).
        loss_detectable: the loss, theft or misappropriation was detectable to the payer before
            the payment (Art. 74(1)(a), ``PSD2_PAYER_LIABILITY_NONE``).
        caused_by_psp: the loss was caused by the PSP's employee, agent, branch or outsourcee
            (Art. 74(1)(b)).
        sca_required: the payer's PSP required strong customer authentication (Art. 74(2),
            ``PSD2_NO_SCA_NO_LIABILITY``).
        notification_means_provided: the PSP provided a means to notify at all times (Art. 70,
            74(3), ``PSD2_AFTER_NOTIFICATION``, [nr]).
        cap: EUR 50 in the Directive; a transposition may set its own.

    Examples:
        >>> from datetime import datetime, timezone
        >>> LiabilityFacts(transfers=(), notified_at=datetime(2026, 1, 1, tzinfo=timezone.utc)
        ...     ).cap
        Decimal('50')
    """

    transfers: tuple[UnauthorizedTransfer, ...]
    notified_at: AwareDatetime
    instrument_lost_stolen_or_misappropriated: bool = False
    payer_fraud: bool = False
    gross_negligence: bool = False
    loss_detectable: bool = True
    caused_by_psp: bool = False
    sca_required: bool = True
    notification_means_provided: bool = True
    cap: Annotated[Decimal, AfterValidator(non_negative_cap)] = CAP_EUR


def liability(facts: LiabilityFacts) -> LiabilityAssessment:
    """The payer's liability for unauthorised transactions under PSD2 Art. 74.

    In order of precedence:

    1. Fraud: every loss, also after notification (Art. 74(1) third subparagraph, 74(3),
       ``PSD2_PAYER_LIABILITY_FULL``).
    2. The payer's PSP did not require SCA: nothing (Art. 74(2), ``PSD2_NO_SCA_NO_LIABILITY``).
    3. No means to notify at all times: nothing (Art. 74(3), ``PSD2_AFTER_NOTIFICATION``, [nr]).
    4. Intent or gross negligence under Art. 69: every loss before the notification
       (Art. 74(1) third subparagraph); after it nothing (Art. 74(3)).
    5. No lost, stolen or misappropriated instrument: nothing, a full refund (Art. 73(1); the
       cap of Art. 74(1) covers only losses "resulting from the use of a lost or stolen payment
       instrument or from the misappropriation of a payment instrument").
    6. Loss not detectable before payment, or caused by the PSP's side: nothing (Art.
       74(1)(a)-(b), ``PSD2_PAYER_LIABILITY_NONE``).
    7. Otherwise the lesser of the cap and the losses before the notification (Art. 74(1),
       ``PSD2_PAYER_LIABILITY_CAP``).

    Raises:
        InvalidInputError: ``facts`` is not psd2.LiabilityFacts.

    Examples:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> facts = LiabilityFacts(notified_at=t, instrument_lost_stolen_or_misappropriated=True,
        ...     transfers=({"at": datetime(2026, 3, 1, tzinfo=timezone.utc), "amount": 120},))
        >>> liability(facts).customer_liability
        Decimal('50')
        >>> liability(facts.model_copy(update={"gross_negligence": True})).tier
        <LiabilityTier.PSD2_FULL: 'psd2_full'>
    """
    if not isinstance(facts, LiabilityFacts):
        raise InvalidInputError("facts must be psd2.LiabilityFacts")
    loss = total(facts.transfers)
    before = total(t for t in facts.transfers if t.at < facts.notified_at)

    def result(
        tier: LiabilityTier, amount: Decimal, cap: Decimal | None, source: str, rule: str
    ) -> LiabilityAssessment:
        return LiabilityAssessment(
            regime=Regime.PSD2,
            tier=tier,
            loss=loss,
            customer_liability=amount,
            cap=cap,
            sources=(source,),
            rule_ids=(rule,),
        )

    zero = Decimal(0)
    if facts.payer_fraud:
        return result(
            LiabilityTier.PSD2_FULL,
            loss,
            None,
            "PSD2 Art. 74(1), 74(3)",
            "PSD2_PAYER_LIABILITY_FULL",
        )
    if not facts.sca_required:
        return result(LiabilityTier.NONE, zero, zero, "PSD2 Art. 74(2)", "PSD2_NO_SCA_NO_LIABILITY")
    if not facts.notification_means_provided:
        return result(LiabilityTier.NONE, zero, zero, "PSD2 Art. 74(3)", "PSD2_AFTER_NOTIFICATION")
    if facts.gross_negligence:
        return result(
            LiabilityTier.PSD2_FULL, before, None, "PSD2 Art. 74(1)", "PSD2_PAYER_LIABILITY_FULL"
        )
    if not facts.instrument_lost_stolen_or_misappropriated:
        return result(
            LiabilityTier.NONE, zero, zero, "PSD2 Art. 73(1), 74(1)", "PSD2_REFUND_UNAUTHORIZED"
        )
    if not facts.loss_detectable or facts.caused_by_psp:
        return result(
            LiabilityTier.NONE, zero, zero, "PSD2 Art. 74(1)(a)-(b)", "PSD2_PAYER_LIABILITY_NONE"
        )
    if before == 0:
        return result(LiabilityTier.NONE, zero, zero, "PSD2 Art. 74(3)", "PSD2_AFTER_NOTIFICATION")
    return result(
        LiabilityTier.PSD2_CAP,
        min(facts.cap, before),
        facts.cap,
        "PSD2 Art. 74(1)",
        "PSD2_PAYER_LIABILITY_CAP",
    )

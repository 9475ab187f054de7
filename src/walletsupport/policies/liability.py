"""How much of an unauthorized transaction loss the customer bears, by regime.

Two pure assessments, each returning a frozen
[LiabilityAssessment][walletsupport.policies.liability.LiabilityAssessment] that names its tier,
the customer's share, the institution's share and the sources it applied:

* [assess_reg_e_liability][walletsupport.policies.liability.assess_reg_e_liability]: US
  Regulation E, 12 CFR 1005.6(b): $50 / $500 / unlimited, by when the loss was reported
  (``reference/us_regulation_e.md``), with the prepaid rules of 1005.18(e)(3);
* [assess_psd2_liability][walletsupport.policies.liability.assess_psd2_liability]: EU PSD2
  Art. 74: the payer bears at most EUR 50 (or a transposition's own cap), nothing in the listed
  cases, everything when fraudulent or grossly negligent (``reference/eu_psd2.md``).

Amounts are ``Decimal`` in the account's currency. Liability is only ever a part of the
unauthorized transfers made *before* the customer's notice: it never exceeds the loss, and
never exceeds the tier's cap except in the unlimited tiers. These functions describe the law in
general terms; they are not legal advice.

Examples:
    >>> from datetime import date, datetime, timezone
    >>> from decimal import Decimal
    >>> class MondayToFriday:
    ...     zone = "UTC"
    ...     def is_business_day(self, day: date) -> bool:
    ...         return day.weekday() < 5
    >>> t = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)  # Monday
    >>> facts = RegELiabilityFacts(
    ...     transfers=(UnauthorizedTransfer(at=t, amount=Decimal("300")),),
    ...     device_lost_or_stolen=True, learned_of_loss_at=t,
    ...     notified_at=datetime(2026, 3, 3, 9, tzinfo=timezone.utc))
    >>> a = assess_reg_e_liability(facts, MondayToFriday())
    >>> a.tier, a.customer_liability, a.institution_liability
    (<LiabilityTier.REG_E_50: 'reg_e_50'>, Decimal('50'), Decimal('250'))
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.clock import ensure_aware
from walletsupport.errors import InvalidInputError
from walletsupport.policies.deadlines import BusinessCalendar, DayCount, Regime, TimeLimit

__all__ = [
    "LiabilityAssessment",
    "LiabilityTier",
    "Psd2LiabilityFacts",
    "RegELiabilityFacts",
    "UnauthorizedTransfer",
    "assess_psd2_liability",
    "assess_reg_e_liability",
]

#: 12 CFR 1005.6(b)(1), ``REG_E_LIABILITY_TIER1_50``.
REG_E_TIER1_CAP = Decimal(50)
#: 12 CFR 1005.6(b)(2), ``REG_E_LIABILITY_TIER2_500``.
REG_E_TIER2_CAP = Decimal(500)
#: PSD2 Art. 74(1), ``PSD2_PAYER_LIABILITY_CAP``.
PSD2_CAP_EUR = Decimal(50)


def _finite_positive(value: Decimal) -> Decimal:
    if not value.is_finite() or value <= 0:
        raise PydanticCustomError(
            "walletsupport.liability_amount", "an amount must be a finite, positive decimal"
        )
    return value


Amount = Annotated[Decimal, AfterValidator(_finite_positive)]


def _cap(value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:
        raise PydanticCustomError(
            "walletsupport.liability_cap", "a cap must be a finite, non-negative decimal"
        )
    return value


class UnauthorizedTransfer(WalletModel, frozen=True, extra="forbid"):
    """One transfer the customer says it did not make.

    ``preventable_by_timely_notice`` records the institution's showing that the transfer would
    not have happened had the customer given notice in time: Regulation E lets the late tiers
    (1005.6(b)(2)-(3)) count only such transfers.

    Examples:
        >>> from datetime import datetime, timezone
        >>> UnauthorizedTransfer(at=datetime(2026, 3, 2, tzinfo=timezone.utc), amount="12.50"
        ...     ).amount
        Decimal('12.50')
    """

    at: AwareDatetime
    amount: Amount
    preventable_by_timely_notice: bool = False


class LiabilityTier(WalletEnum):
    """The rule that decided the customer's share.

    Examples:
        >>> LiabilityTier("psd2_cap") is LiabilityTier.PSD2_CAP
        True
    """

    NONE = "none"
    """The customer bears nothing (for example, every transfer came after the notice)."""
    REG_E_50 = "reg_e_50"
    """12 CFR 1005.6(b)(1), ``REG_E_LIABILITY_TIER1_50``."""
    REG_E_500 = "reg_e_500"
    """12 CFR 1005.6(b)(2), ``REG_E_LIABILITY_TIER2_500``."""
    REG_E_UNLIMITED = "reg_e_unlimited"
    """12 CFR 1005.6(b)(3), ``REG_E_LIABILITY_TIER3_UNLIMITED``."""
    REG_E_NOT_COVERED = "reg_e_not_covered"
    """12 CFR 1005.18(e)(3): unverified prepaid account, or a transfer before verification."""
    PSD2_CAP = "psd2_cap"
    """PSD2 Art. 74(1) first subparagraph, ``PSD2_PAYER_LIABILITY_CAP``."""
    PSD2_FULL = "psd2_full"
    """PSD2 Art. 74(1) third subparagraph, ``PSD2_PAYER_LIABILITY_FULL``."""


class LiabilityAssessment(WalletModel, frozen=True, extra="forbid"):
    """The outcome: who bears how much of the loss, and why.

    Examples:
        >>> from decimal import Decimal
        >>> a = LiabilityAssessment(regime="psd2", tier="psd2_cap", loss=Decimal(80),
        ...     customer_liability=Decimal(50), cap=Decimal(50), sources=("PSD2 Art. 74(1)",),
        ...     rule_ids=("PSD2_PAYER_LIABILITY_CAP",))
        >>> a.institution_liability
        Decimal('30')
    """

    regime: Regime
    tier: LiabilityTier
    loss: Decimal = Field(ge=0, description="Sum of every unauthorized transfer considered.")
    customer_liability: Decimal = Field(ge=0)
    not_covered: Decimal = Field(
        default=Decimal(0),
        ge=0,
        description="Loss outside the regime (e.g. 1005.18(e)(3) unverified prepaid); "
        "the institution's own policy decides who bears it.",
    )
    cap: Decimal | None = Field(
        default=None, description="The tier's cap; None when the tier is unlimited."
    )
    sources: tuple[str, ...]
    rule_ids: tuple[str, ...]

    @property
    def institution_liability(self) -> Decimal:
        """The part of the loss the regime makes the institution bear (refund or keep credited)."""
        return self.loss - self.customer_liability - self.not_covered


def _total(transfers: tuple[UnauthorizedTransfer, ...] | list[UnauthorizedTransfer]) -> Decimal:
    return sum((t.amount for t in transfers), Decimal(0))


class RegELiabilityFacts(WalletModel, frozen=True, extra="forbid"):
    """What Regulation E needs to know to assess the customer's liability.

    Attributes:
        transfers: the unauthorized transfers (before and after the notice).
        notified_at: when the customer told the institution (12 CFR 1005.6(b)(5)).
        device_lost_or_stolen: an access device (card, code, phone wallet) was lost or stolen.
        learned_of_loss_at: when the customer learned of that loss or theft.
        statement_sent_at: transmittal of the first periodic statement (or, for prepaid accounts
            without statements, the 1005.18(e)(1) start) on which an unauthorized transfer
            appeared; ``None`` if none yet.
        extended_until: a reasonable later limit the institution granted for extenuating
            circumstances such as travel or hospitalization (1005.6(b)(4),
            ``REG_E_LIABILITY_EXTENUATING``); a notice before it counts as timely.
        preconditions_met: the 1005.6(a) conditions for any liability hold (disclosures given;
            for device transfers, an accepted device and a means to identify the user;
            ``REG_E_LIABILITY_PRECONDITIONS``). When false, the customer bears nothing.
        prepaid_unverified: a prepaid account (other than payroll or government benefits)
            whose customer identification was not completed (1005.18(e)(3),
            ``REG_E_PREPAID_UNVERIFIED``).
        verified_at: when identification of a prepaid account completed; transfers before it
            are not covered (1005.18(e)(3), ``REG_E_PREPAID_VERIFIED_AFTER``).

    Examples:
        >>> from datetime import datetime, timezone
        >>> RegELiabilityFacts(transfers=(), notified_at=datetime(2026, 1, 1, tzinfo=timezone.utc)
        ...     ).device_lost_or_stolen
        False
    """

    transfers: tuple[UnauthorizedTransfer, ...]
    notified_at: AwareDatetime
    device_lost_or_stolen: bool = False
    learned_of_loss_at: AwareDatetime | None = None
    statement_sent_at: AwareDatetime | None = None
    extended_until: AwareDatetime | None = None
    preconditions_met: bool = True
    prepaid_unverified: bool = False
    verified_at: AwareDatetime | None = None


def _not_covered(loss: Decimal, uncovered: Decimal, rule_id: str) -> LiabilityAssessment:
    return LiabilityAssessment(
        regime=Regime.REG_E,
        tier=LiabilityTier.REG_E_NOT_COVERED,
        loss=loss,
        customer_liability=Decimal(0),
        not_covered=uncovered,
        cap=None,
        sources=("12 CFR 1005.18(e)(3)",),
        rule_ids=(rule_id,),
    )


def assess_reg_e_liability(
    facts: RegELiabilityFacts, calendar: BusinessCalendar
) -> LiabilityAssessment:
    """The customer's maximum liability under 12 CFR 1005.6(b), on the institution's calendar.

    * Only transfers before the notice count; the customer never bears later ones.
    * Device lost or stolen, notice within 2 business days after learning of it (day 0 is the
      day of learning): the lesser of $50 and the transfers (1005.6(b)(1),
      ``REG_E_LIABILITY_TIER1_50``).
    * Notice later than that: the lesser of $500 and [the lesser of $50 and the transfers
      before the close of the 2 business days] + [later transfers before the notice that the
      institution shows timely notice would have prevented] (1005.6(b)(2),
      ``REG_E_LIABILITY_TIER2_500``). Transfers before the customer learned of the loss count
      in the first bracket; this reading of "within the two business days" is ours.
    * A transfer on a periodic statement, not reported within 60 days of the statement's
      transmittal: add, without limit, the transfers after those 60 days and before the notice
      that timely notice would have prevented (1005.6(b)(3), ``REG_E_LIABILITY_TIER3_UNLIMITED``);
      the tiers stack (comment 6(b)-1).
    * ``extended_until`` extends both limits (1005.6(b)(4)); unmet 1005.6(a) preconditions mean
      no liability; an unverified prepaid account, or transfers before verification, are not
      covered by Regulation E and are reported as ``not_covered`` (1005.18(e)(3)).

    Args:
        facts: the case's facts.
        calendar: the institution's business days (12 CFR 1005.2(d)).

    Raises:
        InvalidInputError: ``facts`` is not a RegELiabilityFacts, or a lost device has no
            ``learned_of_loss_at``.

    Examples:
        >>> from datetime import date, datetime, timezone
        >>> from decimal import Decimal
        >>> class Always:
        ...     zone = "UTC"
        ...     def is_business_day(self, day: date) -> bool:
        ...         return True
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> late = RegELiabilityFacts(device_lost_or_stolen=True, learned_of_loss_at=t,
        ...     transfers=(UnauthorizedTransfer(at=t, amount=Decimal(40)),
        ...                UnauthorizedTransfer(at=datetime(2026, 3, 9, tzinfo=timezone.utc),
        ...                    amount=Decimal(900), preventable_by_timely_notice=True)),
        ...     notified_at=datetime(2026, 3, 10, tzinfo=timezone.utc))
        >>> a = assess_reg_e_liability(late, Always())
        >>> a.tier, a.customer_liability
        (<LiabilityTier.REG_E_500: 'reg_e_500'>, Decimal('500'))
    """
    if not isinstance(facts, RegELiabilityFacts):
        raise InvalidInputError("facts must be a RegELiabilityFacts")
    if facts.device_lost_or_stolen and facts.learned_of_loss_at is None:
        raise InvalidInputError("a lost or stolen device needs learned_of_loss_at")
    loss = _total(facts.transfers)
    regime = Regime.REG_E
    if facts.prepaid_unverified:
        return _not_covered(loss, loss, "REG_E_PREPAID_UNVERIFIED")
    covered = facts.transfers
    uncovered = Decimal(0)
    if facts.verified_at is not None:
        covered = tuple(t for t in facts.transfers if t.at >= facts.verified_at)
        uncovered = loss - _total(covered)
    notice = facts.notified_at
    before_notice = [t for t in covered if t.at < notice]
    nothing = LiabilityAssessment(
        regime=regime,
        tier=LiabilityTier.NONE,
        loss=loss,
        customer_liability=Decimal(0),
        not_covered=uncovered,
        cap=Decimal(0),
        sources=("12 CFR 1005.6(a)",) if not facts.preconditions_met else ("12 CFR 1005.6(b)",),
        rule_ids=("REG_E_LIABILITY_PRECONDITIONS",) if not facts.preconditions_met else (),
    )
    if not facts.preconditions_met:
        return nothing
    if not before_notice:
        return (
            _not_covered(loss, uncovered, "REG_E_PREPAID_VERIFIED_AFTER") if uncovered else nothing
        )

    extension = facts.extended_until

    def timely(limit: datetime) -> bool:
        return notice < limit or (extension is not None and notice < extension)

    # Tier 3 boundary: the end of the 60th day after the statement's transmittal.
    sixty_end: datetime | None = None
    if facts.statement_sent_at is not None:
        sixty_end = TimeLimit(amount=60, unit=DayCount.CALENDAR_DAYS).ends_at(
            facts.statement_sent_at, calendar
        )
        if timely(sixty_end):
            sixty_end = None
    early = [t for t in before_notice if sixty_end is None or t.at < sixty_end]
    late = [t for t in before_notice if sixty_end is not None and t.at >= sixty_end]

    liability = Decimal(0)
    tier = LiabilityTier.NONE
    cap: Decimal | None = Decimal(0)
    sources: list[str] = []
    rule_ids: list[str] = []
    if facts.device_lost_or_stolen and facts.learned_of_loss_at is not None:
        two_bd_end = TimeLimit(amount=2, unit=DayCount.BUSINESS_DAYS).ends_at(
            facts.learned_of_loss_at, calendar
        )
        if timely(two_bd_end):
            liability = min(REG_E_TIER1_CAP, _total(early))
            tier, cap = LiabilityTier.REG_E_50, REG_E_TIER1_CAP
            sources.append("12 CFR 1005.6(b)(1)")
            rule_ids.append("REG_E_LIABILITY_TIER1_50")
        else:
            within = min(REG_E_TIER1_CAP, _total([t for t in early if t.at < two_bd_end]))
            after = _total(
                [t for t in early if t.at >= two_bd_end and t.preventable_by_timely_notice]
            )
            liability = min(REG_E_TIER2_CAP, within + after)
            tier, cap = LiabilityTier.REG_E_500, REG_E_TIER2_CAP
            sources.append("12 CFR 1005.6(b)(2)")
            rule_ids.append("REG_E_LIABILITY_TIER2_500")
    if late:
        liability += _total([t for t in late if t.preventable_by_timely_notice])
        tier, cap = LiabilityTier.REG_E_UNLIMITED, None
        sources.append("12 CFR 1005.6(b)(3)")
        rule_ids.append("REG_E_LIABILITY_TIER3_UNLIMITED")
    if extension is not None:
        sources.append("12 CFR 1005.6(b)(4)")
        rule_ids.append("REG_E_LIABILITY_EXTENUATING")
    if uncovered:
        sources.append("12 CFR 1005.18(e)(3)")
        rule_ids.append("REG_E_PREPAID_VERIFIED_AFTER")
    if tier is LiabilityTier.NONE:
        return (
            _not_covered(loss, uncovered, "REG_E_PREPAID_VERIFIED_AFTER") if uncovered else nothing
        )
    return LiabilityAssessment(
        regime=regime,
        tier=tier,
        loss=loss,
        customer_liability=liability,
        not_covered=uncovered,
        cap=cap,
        sources=tuple(sources),
        rule_ids=tuple(rule_ids),
    )


class Psd2LiabilityFacts(WalletModel, frozen=True, extra="forbid"):
    """What PSD2 Art. 74 needs to know to assess the payer's liability.

    Attributes:
        transfers: the unauthorised payment transactions.
        notified_at: when the payer notified the loss, theft or misappropriation (Art. 69(1)(b)).
        payer_fraud: the payer acted fraudulently (Art. 74(1), ``PSD2_PAYER_LIABILITY_FULL``).
        gross_negligence: the payer failed, with intent or gross negligence, to meet its Art. 69
            obligations (Art. 74(1) third subparagraph).
        loss_detectable: the loss, theft or misappropriation was detectable to the payer before
            the payment (Art. 74(1)(a), ``PSD2_PAYER_LIABILITY_NONE``).
        caused_by_psp: the loss was caused by acts or omissions of the PSP's employee, agent,
            branch or outsourcee (Art. 74(1)(b)).
        sca_required: the payer's PSP required strong customer authentication (Art. 74(2),
            ``PSD2_NO_SCA_NO_LIABILITY``).
        notification_means_provided: the PSP provided a means to notify at all times (Art. 70,
            74(3), ``PSD2_AFTER_NOTIFICATION``; not re-checked against the primary text).
        cap: the payer's cap: EUR 50 in the Directive; a transposition may set its own (the UK
            PSRs 2017 use GBP 35).

    Examples:
        >>> from datetime import datetime, timezone
        >>> Psd2LiabilityFacts(transfers=(), notified_at=datetime(2026, 1, 1, tzinfo=timezone.utc)
        ...     ).cap
        Decimal('50')
    """

    transfers: tuple[UnauthorizedTransfer, ...]
    notified_at: AwareDatetime
    payer_fraud: bool = False
    gross_negligence: bool = False
    loss_detectable: bool = True
    caused_by_psp: bool = False
    sca_required: bool = True
    notification_means_provided: bool = True
    cap: Annotated[Decimal, AfterValidator(_cap)] = PSD2_CAP_EUR


def assess_psd2_liability(facts: Psd2LiabilityFacts) -> LiabilityAssessment:
    """The payer's liability for unauthorised transactions under PSD2 Art. 74.

    In order of precedence:

    1. Fraud: the payer bears every loss, also after notification (Art. 74(1) third
       subparagraph and 74(3), ``PSD2_PAYER_LIABILITY_FULL``).
    2. No SCA required by the payer's PSP: the payer bears nothing (Art. 74(2),
       ``PSD2_NO_SCA_NO_LIABILITY``).
    3. No means to notify at all times: nothing (Art. 74(3), ``PSD2_AFTER_NOTIFICATION``; not
       re-checked against the primary text).
    4. Intent or gross negligence under Art. 69: every loss before the notification
       (Art. 74(1) third subparagraph); after notification nothing (Art. 74(3)).
    5. Loss not detectable before payment, or caused by the PSP's staff, agent, branch or
       outsourcee: nothing (Art. 74(1)(a)-(b), ``PSD2_PAYER_LIABILITY_NONE``).
    6. Otherwise the lesser of the cap (EUR 50) and the losses before the notification
       (Art. 74(1), ``PSD2_PAYER_LIABILITY_CAP``).

    Raises:
        InvalidInputError: ``facts`` is not a Psd2LiabilityFacts.

    Examples:
        >>> from datetime import datetime, timezone
        >>> from decimal import Decimal
        >>> t = datetime(2026, 3, 2, tzinfo=timezone.utc)
        >>> facts = Psd2LiabilityFacts(notified_at=t, transfers=(
        ...     UnauthorizedTransfer(at=datetime(2026, 3, 1, tzinfo=timezone.utc), amount=120),))
        >>> assess_psd2_liability(facts).customer_liability
        Decimal('50')
        >>> assess_psd2_liability(facts.model_copy(update={"gross_negligence": True})).tier
        <LiabilityTier.PSD2_FULL: 'psd2_full'>
    """
    if not isinstance(facts, Psd2LiabilityFacts):
        raise InvalidInputError("facts must be a Psd2LiabilityFacts")
    ensure_aware(facts.notified_at, "notified_at")
    loss = _total(facts.transfers)
    before = _total([t for t in facts.transfers if t.at < facts.notified_at])

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

    if facts.payer_fraud:
        return result(
            LiabilityTier.PSD2_FULL,
            loss,
            None,
            "PSD2 Art. 74(1), 74(3)",
            "PSD2_PAYER_LIABILITY_FULL",
        )
    if not facts.sca_required:
        return result(
            LiabilityTier.NONE,
            Decimal(0),
            Decimal(0),
            "PSD2 Art. 74(2)",
            "PSD2_NO_SCA_NO_LIABILITY",
        )
    if not facts.notification_means_provided:
        return result(
            LiabilityTier.NONE, Decimal(0), Decimal(0), "PSD2 Art. 74(3)", "PSD2_AFTER_NOTIFICATION"
        )
    if facts.gross_negligence:
        return result(
            LiabilityTier.PSD2_FULL, before, None, "PSD2 Art. 74(1)", "PSD2_PAYER_LIABILITY_FULL"
        )
    if not facts.loss_detectable or facts.caused_by_psp:
        return result(
            LiabilityTier.NONE,
            Decimal(0),
            Decimal(0),
            "PSD2 Art. 74(1)(a)-(b)",
            "PSD2_PAYER_LIABILITY_NONE",
        )
    if before == 0:
        return result(
            LiabilityTier.NONE, Decimal(0), Decimal(0), "PSD2 Art. 74(3)", "PSD2_AFTER_NOTIFICATION"
        )
    return result(
        LiabilityTier.PSD2_CAP,
        min(facts.cap, before),
        facts.cap,
        "PSD2 Art. 74(1)",
        "PSD2_PAYER_LIABILITY_CAP",
    )

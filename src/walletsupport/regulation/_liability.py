"""The values every liability rule shares: a disputed transfer, the tier, the assessment."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

from pydantic import AwareDatetime, Field
from pydantic_core import PydanticCustomError

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.regulation._engine import Regime

__all__ = ["LiabilityAssessment", "LiabilityTier", "UnauthorizedTransfer"]


#: A finite, positive amount, declared as bounds so that strategies can draw one.
Amount = Annotated[Decimal, Field(gt=0, allow_inf_nan=False)]


def non_negative_cap(value: Decimal) -> Decimal:
    """Validate a cap: finite and not negative."""
    if not value.is_finite() or value < 0:
        raise PydanticCustomError(
            "walletsupport.liability_cap", "a cap must be a finite, non-negative decimal"
        )
    return value


class UnauthorizedTransfer(WalletModel, frozen=True, extra="forbid"):
    """One transfer the customer says it did not make.

    ``preventable_by_timely_notice`` records the institution's showing that the transfer would
    not have happened had the customer given notice in time: Regulation E lets the late tiers
    (12 CFR 1005.6(b)(2)-(3)) count only such transfers.

    Examples:
        >>> from datetime import datetime, timezone
        >>> UnauthorizedTransfer(at=datetime(2026, 3, 2, tzinfo=timezone.utc), amount="12.50"
        ...     ).amount
        Decimal('12.50')
    """

    at: AwareDatetime
    amount: Amount
    preventable_by_timely_notice: bool = False


def total(transfers: Iterable[UnauthorizedTransfer]) -> Decimal:
    """The sum of the transfers' amounts."""
    return sum((t.amount for t in transfers), Decimal(0))


class LiabilityTier(WalletEnum):
    """The rule that decided the customer's share.

    Examples:
        >>> LiabilityTier("psd2_cap") is LiabilityTier.PSD2_CAP
        True
    """

    NONE = "none"
    """The customer bears nothing."""
    REG_E_50 = "reg_e_50"
    """12 CFR 1005.6(b)(1), ``REG_E_LIABILITY_TIER1_50``."""
    REG_E_500 = "reg_e_500"
    """12 CFR 1005.6(b)(2), ``REG_E_LIABILITY_TIER2_500``."""
    REG_E_UNLIMITED = "reg_e_unlimited"
    """12 CFR 1005.6(b)(3), ``REG_E_LIABILITY_TIER3_UNLIMITED``."""
    REG_E_NOT_COVERED = "reg_e_not_covered"
    """12 CFR 1005.18(e)(3): unverified prepaid account, or a transfer before verification."""
    REG_Z_CAP = "reg_z_cap"
    """12 CFR 1026.12(b)(1)(ii), ``REG_Z_LIABILITY_CAP_50``."""
    PSD2_CAP = "psd2_cap"
    """PSD2 Art. 74(1) first subparagraph, ``PSD2_PAYER_LIABILITY_CAP``."""
    PSD2_FULL = "psd2_full"
    """PSD2 Art. 74(1) third subparagraph, ``PSD2_PAYER_LIABILITY_FULL``."""
    UK_CAP = "uk_cap"
    """PSRs 2017 reg 77(1), ``UK_PSR_PAYER_CAP_35``."""
    UK_FULL = "uk_full"
    """PSRs 2017 reg 77(3), ``UK_PSR_PAYER_ALL_LOSSES``."""


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

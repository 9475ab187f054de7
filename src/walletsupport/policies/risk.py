"""Risk of a support request, from a few signals, as a pure and explainable score.

PSD2 Art. 97(1)(c) (``PSD2_SCA_WHEN``) asks for strong customer authentication for any remote
action "that may imply a risk of payment fraud or other abuse"; NIST SP 800-63B suggests
risk signals next to rate limiting (``NIST_RATE_LIMIT_100``) and names SIM swap and number
porting as signals against SMS (``NIST_PSTN_RESTRICTED``). This module turns such signals
into a [Risk][walletsupport.verification.Risk] level that
[plan_verification][walletsupport.verification.plan_verification] uses. ``Risk`` itself is
defined in ``walletsupport.verification`` (policies sit above verification in the layers)
and re-exported here.

Points per signal (each signal adds once; the level is the total against
[RiskPolicy][walletsupport.policies.risk.RiskPolicy] cut-offs, by default ``0`` low, ``1-2``
medium, ``>= 3`` high):

| signal | points |
|---|---|
| new device | 1 |
| account recently locked | 1 |
| country mismatch (caller vs. account) | 2 |
| recent SIM swap or number port | 3 |
| recent failed verifications (>= 3) | 1 |
| amount >= medium threshold / >= high threshold | 1 / 3 |

The score is monotone: adding a signal or raising the amount never lowers the level.

Examples:
    >>> from walletsupport.values.money import Money
    >>> assess_risk(RiskSignals()).value
    'low'
    >>> assess_risk(RiskSignals(new_device=True)).value
    'medium'
    >>> assess_risk(RiskSignals(new_device=True, country_mismatch=True)).value
    'high'
    >>> assess_risk(RiskSignals(amount=Money.of("2500", "EUR"))).value
    'high'
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, Self

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from walletsupport._model import WalletModel
from walletsupport._shown import shown
from walletsupport.errors import ConfigurationError, InvalidInputError, WalletSupportError
from walletsupport.values.money import Money
from walletsupport.verification.plans import Risk

__all__ = ["Risk", "RiskAssessment", "RiskPolicy", "RiskSignals", "assess_risk", "explain_risk"]


class RiskSignals(WalletModel, frozen=True, extra="forbid"):
    """What is known about the caller and the request.

    Attributes:
        new_device: the caller uses a device not seen on this account.
        recent_lock: the account was locked recently (e.g. too many failures).
        country_mismatch: the caller's country differs from the account's.
        recent_sim_swap: the registered number was ported or its SIM replaced recently.
        recent_failed_verifications: failed verifications in the recent past.
        amount: the money at stake, if any (a non-negative
            [Money][walletsupport.values.money.Money]).

    Examples:
        >>> RiskSignals(new_device=True).new_device
        True
    """

    new_device: bool = False
    recent_lock: bool = False
    country_mismatch: bool = False
    recent_sim_swap: bool = False
    recent_failed_verifications: int = Field(default=0, ge=0)
    amount: Money | None = None

    @field_validator("amount")
    @classmethod
    def _not_negative(cls, value: Money | None) -> Money | None:
        if value is not None and value.amount < 0:
            raise PydanticCustomError(
                "walletsupport.risk_amount_negative", "the amount at stake must not be negative"
            )
        return value


def _default_thresholds() -> dict[str, tuple[Decimal, Decimal]]:
    return {
        "EUR": (Decimal(100), Decimal(1000)),
        "USD": (Decimal(100), Decimal(1000)),
        "GBP": (Decimal(100), Decimal(1000)),
        "CNY": (Decimal(1000), Decimal(10000)),
        "HKD": (Decimal(1000), Decimal(10000)),
    }


class RiskPolicy(WalletModel, frozen=True, extra="forbid"):
    """Cut-offs of the risk score and the amount thresholds per currency.

    Attributes:
        amount_thresholds: currency -> (medium, high) amounts, with ``medium <= high``.
        medium_from: the lowest score that is medium risk.
        high_from: the lowest score that is high risk.

    Examples:
        >>> from decimal import Decimal
        >>> p = RiskPolicy(amount_thresholds={"JPY": (Decimal(15000), Decimal(150000))})
        >>> p.amount_thresholds["JPY"][1]
        Decimal('150000')
    """

    invalid_error: ClassVar[type[WalletSupportError]] = ConfigurationError

    amount_thresholds: Mapping[str, tuple[Decimal, Decimal]] = Field(
        default_factory=_default_thresholds
    )
    medium_from: int = Field(default=1, ge=1)
    high_from: int = Field(default=3, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.high_from < self.medium_from:
            raise PydanticCustomError(
                "walletsupport.risk_cutoffs", "high_from must not be below medium_from"
            )
        for code, (medium, high) in self.amount_thresholds.items():
            if len(code) != 3 or not code.isupper() or not 0 <= medium <= high:
                raise PydanticCustomError(
                    "walletsupport.risk_thresholds",
                    "thresholds need an ISO 4217 code and 0 <= medium <= high",
                )
        return self


class RiskAssessment(WalletModel, frozen=True, extra="forbid"):
    """The risk level with its score and the signals that raised it.

    Examples:
        >>> a = explain_risk(RiskSignals(recent_lock=True))
        >>> a.risk.value, a.score, a.reasons
        ('medium', 1, ('recent_lock',))
    """

    risk: Risk
    score: int
    reasons: tuple[str, ...]


def _coerce_signals(signals: Any) -> RiskSignals:
    if isinstance(signals, RiskSignals):
        return signals
    if isinstance(signals, Mapping):
        return RiskSignals.model_validate(dict(signals))
    raise InvalidInputError(f"signals must be RiskSignals, got {type(signals).__name__}")


def explain_risk(
    signals: RiskSignals | Mapping[str, Any], policy: RiskPolicy | None = None
) -> RiskAssessment:
    """Score ``signals`` and say which ones counted.

    Args:
        signals: a RiskSignals value or a mapping of its fields.
        policy: cut-offs and amount thresholds; the defaults when omitted.

    Raises:
        InvalidInputError: the signals are malformed, or the amount's currency has no
            thresholds in the policy.

    Examples:
        >>> explain_risk({"recent_sim_swap": True}).reasons
        ('recent_sim_swap',)
    """
    s = _coerce_signals(signals)
    if policy is None:
        policy = RiskPolicy()
    elif not isinstance(policy, RiskPolicy):
        raise ConfigurationError("policy must be a RiskPolicy")
    weights: list[tuple[str, bool, int]] = [
        ("new_device", s.new_device, 1),
        ("recent_lock", s.recent_lock, 1),
        ("country_mismatch", s.country_mismatch, 2),
        ("recent_sim_swap", s.recent_sim_swap, 3),
        ("recent_failed_verifications", s.recent_failed_verifications >= 3, 1),
    ]
    if s.amount is not None:
        limits = policy.amount_thresholds.get(s.amount.currency)
        if limits is None:
            raise InvalidInputError(f"no amount thresholds for currency {shown(s.amount.currency)}")
        medium, high = limits
        if s.amount.amount >= high:
            weights.append(("amount_high", True, 3))
        else:
            weights.append(("amount_medium", s.amount.amount >= medium, 1))
    score = sum(points for _, hit, points in weights if hit)
    reasons = tuple(name for name, hit, _ in weights if hit)
    if score >= policy.high_from:
        risk = Risk.HIGH
    elif score >= policy.medium_from:
        risk = Risk.MEDIUM
    else:
        risk = Risk.LOW
    return RiskAssessment(risk=risk, score=score, reasons=reasons)


def assess_risk(signals: RiskSignals | Mapping[str, Any], policy: RiskPolicy | None = None) -> Risk:
    """Return the [Risk][walletsupport.verification.Risk] level of ``signals``.

    Pure and monotone: a further signal or a higher amount never lowers the level.

    Args:
        signals: a RiskSignals value or a mapping of its fields.
        policy: cut-offs and amount thresholds; the defaults when omitted.

    Raises:
        InvalidInputError: the signals are malformed or the currency is unknown to the policy.

    Examples:
        >>> assess_risk({"new_device": True, "recent_lock": True}).value
        'medium'
    """
    return explain_risk(signals, policy).risk

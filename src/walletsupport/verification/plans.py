"""Verification plans: which factors to ask for, by action and risk.

The rules (see [requirement_for][walletsupport.verification.requirement_for]):

* ``view_info`` at low or medium risk needs **one** factor (limited account information is
  exempt from SCA, RTS 2018/389 Art. 10, ``RTS_EXEMPT_ACCOUNT_INFO``); at medium risk the
  factor must be at least moderate.
* Every other action moves money or changes the account, i.e. it "may imply a risk of payment
  fraud or other abuse" (PSD2 Art. 97(1)(c), ``PSD2_SCA_WHEN``), and needs **strong customer
  authentication**: two independent factors from different categories (PSD2 Art. 4(30),
  ``PSD2_SCA_DEFINITION``; RTS Arts. 6-9, ``RTS_ELEMENT_REQUIREMENTS``). So does any action
  at high risk.
* The stronger the risk, the stronger the factors: at medium risk one factor must be strong,
  at high risk both must be at least moderate and one strong.
* At high risk, account recovery (``unlock_account``, ``reset_password``, ``change_phone``)
  and ``add_card`` also need a document check (identity document and selfie match).
* Some factors cannot prove an action: the password cannot prove a password reset, and an SMS
  to the number being replaced cannot prove ``change_phone`` (NIST SP 800-63B treats a number
  change as binding a new authenticator, ``NIST_PSTN_RESTRICTED``).

When the customer's factors cannot satisfy the requirement the plan says so
(``satisfiable=False``) and names a [Fallback][walletsupport.verification.Fallback]; a report
of an unauthorized transaction is always taken and the instrument blocked (the PSP must
provide a means to notify at all times, PSD2 Art. 70, ``PSD2_PSP_DUTIES``).

Examples:
    >>> plan = plan_verification("refund", "low", ["password", "otp_sms"])
    >>> plan.satisfiable, [s.kind.value for s in plan.steps]
    (True, ['password', 'otp_sms'])
    >>> plan = plan_verification("reset_password", "high", ["password", "otp_sms"])
    >>> plan.satisfiable, plan.fallback.kind.value
    (False, 'branch_visit')
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations

from walletsupport._enum import WalletEnum
from walletsupport._model import WalletModel
from walletsupport.errors import InvalidInputError
from walletsupport.verification.actions import VerificationAction
from walletsupport.verification.factors import (
    FACTORS,
    Factor,
    FactorCategory,
    FactorKind,
    Strength,
    to_factor_kind,
)

__all__ = [
    "Fallback",
    "FallbackKind",
    "Risk",
    "VerificationPlan",
    "VerificationRequirement",
    "plan_verification",
    "requirement_for",
]

_RECOVERY = frozenset(
    {
        VerificationAction.UNLOCK_ACCOUNT,
        VerificationAction.RESET_PASSWORD,
        VerificationAction.CHANGE_PHONE,
        VerificationAction.ADD_CARD,
    }
)
_EXCLUDED: dict[VerificationAction, frozenset[FactorKind]] = {
    VerificationAction.RESET_PASSWORD: frozenset({FactorKind.PASSWORD}),
    VerificationAction.CHANGE_PHONE: frozenset({FactorKind.OTP_SMS}),
}
_DOCUMENTS = (FactorKind.ID_DOCUMENT, FactorKind.SELFIE_MATCH)
_ORDER = {kind: i for i, kind in enumerate(FACTORS)}
_CATEGORY_ORDER = {c: i for i, c in enumerate(FactorCategory)}


_RISK_RANK = {"low": 0, "medium": 1, "high": 2}


class Risk(WalletEnum):
    """Risk level of a request; ordered ``low < medium < high``.

    Computed from signals by [assess_risk][walletsupport.policies.risk.assess_risk].

    Examples:
        >>> Risk.LOW < Risk.HIGH
        True
        >>> max(Risk.MEDIUM, Risk.HIGH).value
        'high'
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 for low, 1 for medium, 2 for high."""
        return _RISK_RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Risk):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Risk):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Risk):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Risk):
            return NotImplemented
        return self.rank >= other.rank


class FallbackKind(WalletEnum):
    """What support does when the plan cannot be satisfied.

    Examples:
        >>> FallbackKind.DOCUMENT_CHECK.value
        'document_check'
    """

    DOCUMENT_CHECK = "document_check"
    BRANCH_VISIT = "branch_visit"
    RECORD_AND_BLOCK = "record_and_block"


class Fallback(WalletModel, frozen=True, extra="forbid"):
    """The way forward for a customer whose factors cannot satisfy the plan.

    Examples:
        >>> plan_verification("view_info", "low", []).fallback.kind.value
        'document_check'
    """

    kind: FallbackKind
    reason: str


class VerificationRequirement(WalletModel, frozen=True, extra="forbid"):
    """What a plan must satisfy for one action at one risk level.

    Attributes:
        action: the action to authorise.
        risk: the risk level of the request.
        sca_required: two independent factors from different SCA categories are needed.
        min_factors: how many SCA-category factors (1 or 2).
        min_strength: every chosen factor is at least this strong.
        strongest_at_least: at least one chosen factor is at least this strong.
        excluded: factors that cannot prove this action.
        document_check: an identity document and a selfie match are needed as well.
        sources: rule ids from ``reference/`` that the requirement rests on.

    Examples:
        >>> r = requirement_for("change_phone", "high")
        >>> r.sca_required, r.document_check, sorted(k.value for k in r.excluded)
        (True, True, ['otp_sms'])
    """

    action: VerificationAction
    risk: Risk
    sca_required: bool
    min_factors: int
    min_strength: Strength
    strongest_at_least: Strength
    excluded: frozenset[FactorKind]
    document_check: bool
    sources: tuple[str, ...]


class VerificationPlan(WalletModel, frozen=True, extra="forbid"):
    """The ordered steps that verify a caller for one action, or why that is impossible.

    Attributes:
        requirement: the rule the plan satisfies.
        satisfiable: whether the customer's available factors can satisfy it.
        steps: the factors to ask for, in order (knowledge, possession, inherence, documents);
            empty when not satisfiable.
        fallback: what to do instead when not satisfiable; ``None`` otherwise.
        missing: what is lacking, in words, when not satisfiable.

    Examples:
        >>> plan = plan_verification("view_info", "low", ["security_question", "biometric"])
        >>> [s.kind.value for s in plan.steps], plan.fallback is None
        (['biometric'], True)
    """

    requirement: VerificationRequirement
    satisfiable: bool
    steps: tuple[Factor, ...]
    fallback: Fallback | None = None
    missing: tuple[str, ...] = ()

    @property
    def action(self) -> VerificationAction:
        """The action the plan authorises."""
        return self.requirement.action

    @property
    def risk(self) -> Risk:
        """The risk level the plan was made for."""
        return self.requirement.risk

    @property
    def categories(self) -> frozenset[FactorCategory]:
        """The distinct SCA categories among the steps (documents excluded)."""
        return frozenset(s.category for s in self.steps if s.category.is_sca_element)


def requirement_for(action: VerificationAction | str, risk: Risk | str) -> VerificationRequirement:
    """Return the requirement for ``action`` at ``risk`` (the table in the module docstring).

    Raises:
        InvalidInputError: unknown action or risk level.

    Examples:
        >>> r = requirement_for("view_info", "low")
        >>> r.sca_required, r.min_factors
        (False, 1)
        >>> requirement_for("refund", "low").sources
        ('PSD2_SCA_WHEN', 'PSD2_SCA_DEFINITION', 'RTS_ELEMENT_REQUIREMENTS')
    """
    act = VerificationAction(action)
    lvl = Risk(risk)
    sca = act is not VerificationAction.VIEW_INFO or lvl is Risk.HIGH
    if not sca:
        sources: tuple[str, ...] = ("RTS_EXEMPT_ACCOUNT_INFO",)
        min_strength = Strength.WEAK if lvl is Risk.LOW else Strength.MODERATE
        strongest = min_strength
    else:
        sources = ("PSD2_SCA_WHEN", "PSD2_SCA_DEFINITION", "RTS_ELEMENT_REQUIREMENTS")
        if lvl is Risk.LOW:
            min_strength, strongest = Strength.WEAK, Strength.MODERATE
        elif lvl is Risk.MEDIUM:
            min_strength, strongest = Strength.WEAK, Strength.STRONG
        else:
            min_strength, strongest = Strength.MODERATE, Strength.STRONG
    excluded = _EXCLUDED.get(act, frozenset())
    if act is VerificationAction.CHANGE_PHONE:
        sources = (*sources, "NIST_PSTN_RESTRICTED")
    return VerificationRequirement(
        action=act,
        risk=lvl,
        sca_required=sca,
        min_factors=2 if sca else 1,
        min_strength=min_strength,
        strongest_at_least=strongest,
        excluded=excluded,
        document_check=lvl is Risk.HIGH and act in _RECOVERY,
        sources=sources,
    )


def _score(choice: tuple[Factor, ...]) -> tuple[int, int]:
    # Prefer the strongest combination, then the earliest in the catalog (least friction).
    return (sum(f.strength.rank for f in choice), -sum(_ORDER[f.kind] for f in choice))


def _choose(req: VerificationRequirement, kinds: frozenset[FactorKind]) -> tuple[Factor, ...]:
    eligible = [
        FACTORS[k]
        for k in FACTORS
        if k in kinds
        and k not in req.excluded
        and FACTORS[k].category.is_sca_element
        and FACTORS[k].strength >= req.min_strength
    ]
    best: tuple[Factor, ...] = ()
    for choice in combinations(eligible, req.min_factors):
        if len({f.category for f in choice}) < req.min_factors:
            continue
        if max(f.strength for f in choice) < req.strongest_at_least:
            continue
        if not best or _score(choice) > _score(best):
            best = choice
    return best


def _missing(req: VerificationRequirement, chosen: bool, docs: bool) -> tuple[str, ...]:
    out: list[str] = []
    if not chosen:
        if req.sca_required:
            out.append(
                f"two factors from different categories, each at least "
                f"{req.min_strength.value} and one at least {req.strongest_at_least.value}"
            )
        else:
            out.append(f"one factor at least {req.min_strength.value}")
    if req.document_check and not docs:
        out.append("an identity document and a selfie match")
    return tuple(out)


def _fallback(req: VerificationRequirement) -> Fallback:
    if req.action is VerificationAction.REPORT_UNAUTHORIZED:
        return Fallback(
            kind=FallbackKind.RECORD_AND_BLOCK,
            reason=(
                "take the report and block the instrument now; the customer must be able to "
                "notify at all times (PSD2 Art. 70); verify before any refund"
            ),
        )
    if req.document_check:
        return Fallback(
            kind=FallbackKind.BRANCH_VISIT,
            reason="high-risk account recovery: identify the customer in person with an ID",
        )
    return Fallback(
        kind=FallbackKind.DOCUMENT_CHECK,
        reason="verify identity with an identity document and a selfie match, reviewed",
    )


def plan_verification(
    action: VerificationAction | str,
    risk: Risk | str,
    available_factors: Iterable[FactorKind | Factor | str],
) -> VerificationPlan:
    """Plan the steps that verify the caller for ``action`` at ``risk``.

    Chooses, among the customer's ``available_factors``, the strongest combination that meets
    [requirement_for(action, risk)][walletsupport.verification.requirement_for]; ties go to
    the earlier factor in [FACTORS][walletsupport.verification.FACTORS]. A plan that cannot be
    met is returned with ``satisfiable=False``, no steps and a fallback, never raised.

    Args:
        action: what support is about to do.
        risk: the request's risk level, e.g. from
            [assess_risk][walletsupport.policies.risk.assess_risk].
        available_factors: the factors this customer has set up (kinds or names).

    Raises:
        InvalidInputError: unknown action, risk level or factor name.

    Examples:
        >>> plan = plan_verification("add_card", "medium",
        ...                          ["security_question", "otp_email", "registered_device"])
        >>> [s.kind.value for s in plan.steps]
        ['security_question', 'registered_device']
        >>> plan = plan_verification("add_card", "high",
        ...     ["password", "biometric", "id_document", "selfie_match"])
        >>> [s.kind.value for s in plan.steps]
        ['password', 'biometric', 'id_document', 'selfie_match']
    """
    req = requirement_for(action, risk)
    if isinstance(available_factors, (str, bytes)) or not isinstance(available_factors, Iterable):
        raise InvalidInputError("available_factors must be an iterable of factor names")
    kinds = frozenset(to_factor_kind(f, "available_factors") for f in available_factors)
    chosen = _choose(req, kinds)
    docs = all(k in kinds for k in _DOCUMENTS)
    if not chosen or (req.document_check and not docs):
        return VerificationPlan(
            requirement=req,
            satisfiable=False,
            steps=(),
            fallback=_fallback(req),
            missing=_missing(req, bool(chosen), docs),
        )
    steps = sorted(chosen, key=lambda f: (_CATEGORY_ORDER[f.category], _ORDER[f.kind]))
    if req.document_check:
        steps.extend(FACTORS[k] for k in _DOCUMENTS)
    return VerificationPlan(requirement=req, satisfiable=True, steps=tuple(steps))

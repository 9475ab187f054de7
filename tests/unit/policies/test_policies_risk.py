"""assess_risk: a pure, monotone score of the request's signals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import ConfigurationError, InvalidInputError
from walletsupport.policies.risk import Risk, RiskPolicy, RiskSignals, assess_risk, explain_risk
from walletsupport.values.money import Money


@pytest.mark.parametrize(
    ("signals", "risk"),
    [
        ({}, Risk.LOW),
        ({"new_device": True}, Risk.MEDIUM),
        ({"recent_lock": True}, Risk.MEDIUM),
        ({"country_mismatch": True}, Risk.MEDIUM),
        ({"new_device": True, "recent_lock": True}, Risk.MEDIUM),
        ({"new_device": True, "country_mismatch": True}, Risk.HIGH),
        ({"recent_sim_swap": True}, Risk.HIGH),
        ({"recent_failed_verifications": 2}, Risk.LOW),
        ({"recent_failed_verifications": 3}, Risk.MEDIUM),
        ({"amount": Money.of("99.99", "EUR")}, Risk.LOW),
        ({"amount": Money.of("100", "EUR")}, Risk.MEDIUM),
        ({"amount": Money.of("1000", "EUR")}, Risk.HIGH),
        ({"amount": Money.of("5000", "CNY")}, Risk.MEDIUM),
    ],
)
def test_risk_levels(signals, risk):
    assert assess_risk(RiskSignals(**signals)) is risk
    assert assess_risk(signals) is risk


def test_explanation_names_the_signals_that_counted():
    a = explain_risk(RiskSignals(new_device=True, amount=Money.of("150", "USD")))
    assert a.reasons == ("new_device", "amount_medium")
    assert a.score == 2


def test_custom_thresholds_and_cut_offs():
    policy = RiskPolicy(
        amount_thresholds={"JPY": (Decimal(10000), Decimal(100000))}, medium_from=2, high_from=2
    )
    assert assess_risk({"new_device": True}, policy) is Risk.LOW
    assert assess_risk({"amount": Money.of("100000", "JPY")}, policy) is Risk.HIGH


def test_unknown_currency_or_malformed_signals_are_invalid_input():
    with pytest.raises(InvalidInputError, match="JPY"):
        assess_risk({"amount": Money.of("10", "JPY")})
    with pytest.raises(InvalidInputError):
        assess_risk({"new_device": "maybe-ish"})
    with pytest.raises(InvalidInputError):
        assess_risk({"lunar_phase": "full"})
    with pytest.raises(InvalidInputError):
        assess_risk(["new_device"])  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        assess_risk({}, policy={"high_from": 1})  # type: ignore[arg-type]


def test_inconsistent_policy_is_refused():
    with pytest.raises(ConfigurationError):
        RiskPolicy(medium_from=3, high_from=2)
    with pytest.raises(ConfigurationError):
        RiskPolicy(amount_thresholds={"EUR": (Decimal(10), Decimal(5))})


def test_signals_round_trip_through_json():
    s = RiskSignals(new_device=True, amount=Money.of("12.30", "EUR"))
    assert RiskSignals.model_validate_json(s.model_dump_json()) == s


signals = st.builds(
    RiskSignals,
    new_device=st.booleans(),
    recent_lock=st.booleans(),
    country_mismatch=st.booleans(),
    recent_sim_swap=st.booleans(),
    recent_failed_verifications=st.integers(0, 10),
    amount=st.one_of(st.none(), st.integers(0, 5000).map(lambda n: Money.of(str(n), "EUR"))),
)


@given(signals, signals)
def test_more_signals_never_lower_the_risk(a, b):
    amounts = [m.amount for m in (a.amount, b.amount) if m is not None]
    merged = RiskSignals(
        new_device=a.new_device or b.new_device,
        recent_lock=a.recent_lock or b.recent_lock,
        country_mismatch=a.country_mismatch or b.country_mismatch,
        recent_sim_swap=a.recent_sim_swap or b.recent_sim_swap,
        recent_failed_verifications=max(
            a.recent_failed_verifications, b.recent_failed_verifications
        ),
        amount=Money.of(str(max(amounts)), "EUR") if amounts else None,
    )
    assert assess_risk(merged) >= assess_risk(a)
    assert assess_risk(merged) >= assess_risk(b)


@given(signals)
def test_assessment_is_pure(s):
    assert explain_risk(s) == explain_risk(s)
    assert explain_risk(s).risk is assess_risk(s)


def test_policies_risk_level_is_the_verification_risk_level():
    from walletsupport.verification import Risk as VerificationRisk

    assert Risk is VerificationRisk

"""Verification factors and plans: SCA where PSD2 asks for it, one factor for low-risk info."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import InvalidInputError
from walletsupport.policies.risk import Risk
from walletsupport.verification import (
    FACTORS,
    Channel,
    FactorCategory,
    FactorKind,
    FallbackKind,
    Strength,
    VerificationAction,
    VerificationPlan,
    factor,
    plan_verification,
    requirement_for,
)

actions = st.sampled_from(list(VerificationAction))
risks = st.sampled_from(list(Risk))
factor_sets = st.frozensets(st.sampled_from(list(FactorKind)))


# --- factors -----------------------------------------------------------------------------------


def test_every_factor_kind_has_a_catalog_entry_with_its_own_kind():
    assert set(FACTORS) == set(FactorKind)
    assert all(FACTORS[k].kind is k for k in FactorKind)


def test_sms_code_is_restricted_and_weaker_than_an_authenticator_app():
    sms, app = factor("otp_sms"), factor("otp_app")
    assert sms.restricted
    assert sms.channel is Channel.SMS
    assert sms.strength < app.strength


def test_email_code_and_security_question_are_weak():
    assert factor("otp_email").strength is Strength.WEAK
    assert factor("security_question").strength is Strength.WEAK


def test_document_checks_are_not_sca_elements():
    assert factor("id_document").category is FactorCategory.DOCUMENT
    assert factor("selfie_match").category is FactorCategory.DOCUMENT
    assert not FactorCategory.DOCUMENT.is_sca_element


def test_unknown_factor_name_is_an_invalid_input():
    with pytest.raises(InvalidInputError, match="unknown factor 'pin'"):
        factor("pin")


def test_factor_round_trips_through_json():
    f = factor("biometric")
    assert type(f).model_validate_json(f.model_dump_json()) == f


# --- requirements ------------------------------------------------------------------------------


@pytest.mark.parametrize("risk", ["low", "medium"])
def test_low_and_medium_risk_information_requests_need_one_factor(risk):
    req = requirement_for("view_info", risk)
    assert not req.sca_required
    assert req.min_factors == 1


@pytest.mark.parametrize("action", [a for a in VerificationAction if a != "view_info"])
@pytest.mark.parametrize("risk", list(Risk))
def test_money_moving_and_account_changing_actions_need_sca(action, risk):
    req = requirement_for(action, risk)
    assert req.sca_required
    assert req.min_factors == 2
    assert "PSD2_SCA_WHEN" in req.sources


def test_high_risk_information_request_needs_sca():
    assert requirement_for("view_info", "high").sca_required


def test_high_risk_account_recovery_needs_a_document_check():
    for action in ("unlock_account", "reset_password", "change_phone", "add_card"):
        assert requirement_for(action, "high").document_check
    assert not requirement_for("refund", "high").document_check
    assert not requirement_for("unlock_account", "medium").document_check


def test_unknown_action_or_risk_is_an_invalid_input():
    with pytest.raises(InvalidInputError):
        requirement_for("transfer_everything", "low")
    with pytest.raises(InvalidInputError):
        requirement_for("refund", "extreme")


# --- plans -------------------------------------------------------------------------------------


def test_low_risk_view_info_is_satisfied_by_one_strong_factor():
    plan = plan_verification("view_info", "low", ["security_question", "registered_device"])
    assert plan.satisfiable
    assert [s.kind for s in plan.steps] == [FactorKind.REGISTERED_DEVICE]


def test_refund_asks_for_two_factors_of_different_categories_in_category_order():
    plan = plan_verification("refund", "low", ["otp_sms", "password", "otp_email"])
    assert [s.kind.value for s in plan.steps] == ["password", "otp_sms"]


def test_two_possession_factors_are_not_strong_authentication():
    plan = plan_verification("refund", "low", ["otp_sms", "otp_app", "registered_device"])
    assert not plan.satisfiable
    assert plan.steps == ()
    assert plan.fallback is not None
    assert plan.fallback.kind is FallbackKind.DOCUMENT_CHECK
    assert plan.missing


def test_password_cannot_prove_a_password_reset():
    plan = plan_verification("reset_password", "low", ["password", "otp_sms"])
    assert not plan.satisfiable


def test_sms_cannot_prove_a_phone_number_change():
    plan = plan_verification("change_phone", "low", ["password", "otp_sms"])
    assert not plan.satisfiable
    plan = plan_verification("change_phone", "low", ["password", "otp_app"])
    assert [s.kind.value for s in plan.steps] == ["password", "otp_app"]


def test_high_risk_recovery_adds_the_document_steps_last():
    plan = plan_verification(
        "unlock_account", "high", ["selfie_match", "id_document", "otp_app", "password"]
    )
    assert [s.kind.value for s in plan.steps] == [
        "password",
        "otp_app",
        "id_document",
        "selfie_match",
    ]


def test_high_risk_recovery_without_documents_falls_back_to_a_branch_visit():
    plan = plan_verification("unlock_account", "high", ["otp_app", "password"])
    assert not plan.satisfiable
    assert plan.fallback is not None
    assert plan.fallback.kind is FallbackKind.BRANCH_VISIT
    assert plan.missing == ("an identity document and a selfie match",)


def test_an_unverifiable_fraud_report_is_still_recorded_and_the_instrument_blocked():
    plan = plan_verification("report_unauthorized", "medium", ["otp_email"])
    assert plan.fallback is not None
    assert plan.fallback.kind is FallbackKind.RECORD_AND_BLOCK


def test_plan_accepts_factor_values_and_rejects_unknown_names():
    assert plan_verification("view_info", "low", [factor("password")]).satisfiable
    with pytest.raises(InvalidInputError):
        plan_verification("view_info", "low", ["password", "pin"])
    with pytest.raises(InvalidInputError):
        plan_verification("view_info", "low", "password")


def test_plan_round_trips_through_json_and_has_a_schema():
    plan = plan_verification("add_card", "medium", ["password", "biometric"])
    assert VerificationPlan.model_validate_json(plan.model_dump_json()) == plan
    assert "steps" in VerificationPlan.model_json_schema()["properties"]


def _brute_force_possible(action, risk, kinds) -> bool:
    req = requirement_for(action, risk)
    usable = [
        FACTORS[k]
        for k in kinds
        if k not in req.excluded
        and FACTORS[k].category.is_sca_element
        and FACTORS[k].strength >= req.min_strength
    ]
    ok = any(
        len({f.category for f in c}) == req.min_factors
        and max(f.strength for f in c) >= req.strongest_at_least
        for c in combinations(usable, req.min_factors)
    )
    if req.document_check:
        ok = ok and {FactorKind.ID_DOCUMENT, FactorKind.SELFIE_MATCH} <= set(kinds)
    return ok


@given(actions, factor_sets)
def test_every_satisfiable_high_risk_plan_has_two_factors_of_different_categories(action, kinds):
    plan = plan_verification(action, Risk.HIGH, kinds)
    if plan.satisfiable:
        sca_steps = [s for s in plan.steps if s.category.is_sca_element]
        assert len(sca_steps) == 2
        assert len({s.category for s in sca_steps}) == 2
        assert max(s.strength for s in sca_steps) is Strength.STRONG
    else:
        assert plan.steps == ()
        assert plan.fallback is not None


@given(actions, risks, factor_sets)
def test_a_plan_is_satisfiable_exactly_when_some_valid_combination_exists(action, risk, kinds):
    plan = plan_verification(action, risk, kinds)
    assert plan.satisfiable == _brute_force_possible(action, risk, kinds)
    assert (plan.fallback is None) == plan.satisfiable


@given(actions, risks, factor_sets)
def test_plan_steps_use_only_available_permitted_factors_of_sufficient_strength(
    action, risk, kinds
):
    plan = plan_verification(action, risk, kinds)
    req = plan.requirement
    for step in plan.steps:
        assert step.kind in kinds
        assert step.kind not in req.excluded
        assert step.strength >= req.min_strength
    if plan.satisfiable and req.sca_required:
        assert len(plan.categories) >= 2


@given(actions, risks, factor_sets, factor_sets)
def test_more_factors_never_make_a_satisfiable_plan_unsatisfiable(action, risk, kinds, extra):
    if plan_verification(action, risk, kinds).satisfiable:
        assert plan_verification(action, risk, kinds | extra).satisfiable


@given(actions, factor_sets)
def test_higher_risk_never_needs_fewer_factors(action, kinds):
    low, high = requirement_for(action, "low"), requirement_for(action, "high")
    assert high.min_factors >= low.min_factors
    assert high.min_strength >= low.min_strength
    if plan_verification(action, "high", kinds).satisfiable:
        assert plan_verification(action, "low", kinds).satisfiable

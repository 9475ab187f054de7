"""assist(): one composed, consistent answer for one customer message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport import Assistance, assist, regime_for
from walletsupport.contact import NoRoute, Route, sample_directory
from walletsupport.contact.checklists import DEFAULT_SECRETS
from walletsupport.errors import EmptyTextError, InvalidInputError, NaiveDatetimeError
from walletsupport.issues import IssueCategory, IssueGroup, Urgency, default_registry, triage
from walletsupport.verification import VerificationAction

MONDAY_NOON_UTC = datetime(2026, 3, 2, 12, tzinfo=UTC)
REGIONS = ["US", "CN", "GB", "DE", "FR", "JP"]


def test_a_locked_account_in_china_is_answered_in_chinese_with_an_open_line():
    at = datetime(2026, 11, 25, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    answer = assist("我的账户被锁定了", region="CN", at=at)
    assert answer.category is not None
    assert answer.category.id == "account_locked"
    assert answer.locale.value == "zh"
    assert isinstance(answer.route, Route)
    assert answer.route.open_now
    assert answer.to_text().startswith("问题类型")


def test_unauthorized_transaction_in_the_us_carries_reg_e_window_and_deadlines():
    answer = assist(
        "I did not make this payment, someone stole money from my wallet",
        region="US",
        at=MONDAY_NOON_UTC,
    )
    assert answer.category is not None
    assert answer.category.id == "unauthorized_transaction"
    assert answer.urgency is Urgency.CRITICAL
    assert answer.legal_window is not None
    # no device lost or stolen: the 60-day statement rule, not the $50/$500 tiers
    assert answer.legal_window.source == "12 CFR 1005.6(b)(3)"
    assert answer.legal_window.report_by is None
    sources = {d.source for d in answer.deadlines}
    assert "12 CFR 1005.11(c)(1)" in sources
    assert all(d.due_at > MONDAY_NOON_UTC for d in answer.deadlines)


def test_a_lost_card_in_the_us_gets_the_notice_window_and_the_fraud_line():
    # 12 CFR 1005.6(b)(1): the liability tiers run from learning of the loss or theft
    answer = assist("I lost my card", region="US", at=MONDAY_NOON_UTC)
    assert answer.category is not None
    assert answer.category.id == "lost_or_stolen"
    assert answer.urgency is Urgency.CRITICAL
    assert answer.legal_window is not None
    assert answer.legal_window.source == "12 CFR 1005.6(b)(1)-(3)"
    assert answer.legal_window.report_by is not None
    assert isinstance(answer.route, Route)
    assert answer.route.line.id == "acme-us-fraud"
    assert answer.verification is not None
    assert answer.verification.action is VerificationAction.REPORT_UNAUTHORIZED


def test_unauthorized_transaction_in_the_eea_gets_the_psd2_next_business_day_refund():
    answer = assist("unauthorized payment, I did not make it", region="DE", at=MONDAY_NOON_UTC)
    assert answer.legal_window is not None
    assert answer.legal_window.regime.value == "psd2"
    refund = [d for d in answer.deadlines if d.source.startswith("PSD2 Art. 73")]
    assert len(refund) == 1
    assert refund[0].due_at - MONDAY_NOON_UTC < timedelta(days=4)


def test_no_regime_is_assumed_outside_the_us_and_the_eea():
    answer = assist("unauthorized payment, I did not make it", region="JP", at=MONDAY_NOON_UTC)
    assert answer.legal_window is not None
    assert answer.legal_window.regime is None
    assert answer.deadlines == ()
    assert regime_for("GB").value == "uk"  # the UK left the EEA: its own regime


def test_high_risk_issues_get_a_two_factor_plan_from_different_categories():
    answer = assist(
        "someone hacked my account and transferred money out", region="US", at=MONDAY_NOON_UTC
    )
    assert answer.verification is not None
    categories = {step.category for step in answer.verification.steps}
    assert len(categories) >= 2


def test_unsure_answers_offer_alternatives_and_nothing_fired_asks_for_more():
    nothing = assist("hello there", region="US", at=MONDAY_NOON_UTC)
    assert nothing.category is None
    assert nothing.unsure
    assert "more" in nothing.advice[0].en


def test_secrets_pasted_into_the_message_never_come_back_out():
    pan = "4111111111111111"
    answer = assist(
        f"my card {pan} was charged twice, code 123456", region="US", at=MONDAY_NOON_UTC
    )
    dumped = answer.model_dump_json() + answer.to_text("en") + answer.to_text("zh")
    assert pan not in dumped
    assert "123456" not in dumped


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"text": "  ", "region": "US", "at": MONDAY_NOON_UTC}, EmptyTextError),
        ({"text": "locked", "region": "XX", "at": MONDAY_NOON_UTC}, InvalidInputError),
        ({"text": "locked", "region": "US", "at": datetime(2026, 1, 1)}, NaiveDatetimeError),
        ({"text": "locked", "region": "US", "at": "2026-01-01"}, InvalidInputError),
        (
            {"text": "locked", "region": "US", "at": MONDAY_NOON_UTC, "locale": "fr"},
            InvalidInputError,
        ),
        (
            {"text": "locked", "region": "US", "at": MONDAY_NOON_UTC, "directory": {}},
            InvalidInputError,
        ),
        (
            {"text": "locked", "region": "US", "at": MONDAY_NOON_UTC, "registry": []},
            InvalidInputError,
        ),
    ],
)
def test_bad_arguments_raise_typed_errors(kwargs, error):
    with pytest.raises(error):
        assist(**kwargs)


def test_an_integrator_category_flows_through_triage_routing_and_checklists():
    registry = default_registry()
    registry.register(
        IssueCategory.model_validate(
            {
                "id": "crypto_withdrawal",
                "group": IssueGroup.PAYMENTS,
                "name_en": "Crypto withdrawal stuck",
                "name_zh": "加密货币提现卡住",
                "guidance_en": "Check the network status page, then contact support.",
                "guidance_zh": "请先查看网络状态页面，再联系客服。",
                "urgency": Urgency.HIGH,
                "verification_action": VerificationAction.VIEW_INFO,
                "vocabulary": [
                    {"text": "crypto withdrawal", "locale": "en", "weight": 3.0},
                    {"text": "bitcoin", "locale": "en", "weight": 2.0},
                ],
            }
        )
    )
    answer = assist(
        "my bitcoin crypto withdrawal is stuck", region="US", at=MONDAY_NOON_UTC, registry=registry
    )
    assert answer.category is not None
    assert answer.category.id == "crypto_withdrawal"
    assert isinstance(answer.route, Route | NoRoute)


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(min_size=1, max_size=200).filter(lambda t: t.strip() != ""),
    region=st.sampled_from(REGIONS),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 14),
)
def test_assist_is_consistent_with_triage_and_routing_for_any_text(text, region, minutes):
    at = MONDAY_NOON_UTC + timedelta(minutes=minutes)
    answer = assist(text, region=region, at=at)
    result = triage(text)
    expected = None if result.is_other else result.top.category_id  # "other": no category
    assert (answer.category.id if answer.category else None) == expected
    if isinstance(answer.route, Route):
        assert answer.route.line.serves(region)
        if answer.category is not None:
            assert answer.route.line.handles(answer.category.id)
        if answer.route.open_now:
            assert answer.route.line.schedule.is_open(at)
        else:
            assert answer.route.opens_at > at
    assert Assistance.model_validate_json(answer.model_dump_json()) == answer
    assert answer.to_text("en")
    assert answer.to_text("zh")


def test_the_sample_directory_is_the_default():
    answer = assist("app keeps crashing", region="US", at=MONDAY_NOON_UTC)
    assert isinstance(answer.route, Route)
    assert answer.route.line.id in {line.id for line in sample_directory().lines}


def test_an_unrecognised_message_without_a_general_category_falls_back_to_the_directorys_channels():
    registry = default_registry()
    kept = [c for c in registry if c.id != "feature_inquiry"]
    from walletsupport.issues import IssueRegistry

    answer = assist("hello there", region="US", at=MONDAY_NOON_UTC, registry=IssueRegistry(kept))
    assert isinstance(answer.route, NoRoute)
    assert answer.route.fallback == sample_directory().fallback


def test_an_integrators_secret_vocabulary_is_screened_out_of_the_checklist():
    from walletsupport.contact.checklists import DEFAULT_SECRETS

    at = datetime(2026, 3, 2, 15, tzinfo=UTC)
    plain = assist("I forgot my password", region="US", at=at)
    assert "registered_phone" in [item.id for item in plain.checklist("en").items]

    house = DEFAULT_SECRETS.extended(en=("registered number",))
    screened = assist("I forgot my password", region="US", at=at, secrets=house)
    checklist = screened.checklist("en")
    assert "registered_phone" not in [item.id for item in checklist.items]
    assert "registered_phone" in checklist.withheld


def test_secrets_must_be_a_secret_vocabulary():
    with pytest.raises(InvalidInputError, match="secrets"):
        assist("locked", region="US", at=MONDAY_NOON_UTC, secrets=("pin",))  # type: ignore[arg-type]


def _vault_registry():
    registry = default_registry()
    registry.register(
        IssueCategory.model_validate(
            {
                "id": "vault_access",
                "group": IssueGroup.ACCOUNT_ACCESS,
                "name_en": "Vault access",
                "name_zh": "保险库访问",
                "guidance_en": "Contact support to restore vault access.",
                "guidance_zh": "请联系客服恢复保险库访问。",
                "urgency": Urgency.HIGH,
                "verification_action": VerificationAction.VIEW_INFO,
                "vocabulary": [{"text": "vault access", "locale": "en", "weight": 3.0}],
                "checklist": [
                    {
                        "id": "vault_combination",
                        "en": "Your vault combination",
                        "zh": "您的保险柜组合",
                    },
                    {"id": "vault_id", "en": "Your vault id", "zh": "您的保险库编号"},
                ],
            }
        )
    )
    return registry


def test_an_integrator_secret_vocabulary_keeps_its_secrets_out_of_have_ready():
    registry = _vault_registry()
    text = "I lost my vault access"
    plain = assist(text, region="US", at=MONDAY_NOON_UTC, registry=registry)
    assert plain.category is not None
    assert plain.category.id == "vault_access"
    assert "vault_combination" in {item.id for item in plain.checklist("en").items}

    secrets = DEFAULT_SECRETS.extended(en=("vault combination",), zh=("保险柜组合",))
    answer = assist(text, region="US", at=MONDAY_NOON_UTC, registry=registry, secrets=secrets)
    for locale in ("en", "zh"):
        checklist = answer.checklist(locale)
        assert checklist is not None
        ids = {item.id for item in checklist.items}
        assert "vault_combination" not in ids
        assert "vault_id" in ids
        assert "vault_combination" in checklist.withheld
        rendered = answer.to_text(locale)
        assert "vault combination" not in rendered.lower()
        assert "保险柜组合" not in rendered

"""Liability tables and properties: Regulation E (12 CFR 1005.6) and PSD2 Art. 74."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.errors import InvalidInputError
from walletsupport.regulation import Institution, LiabilityTier, UnauthorizedTransfer, psd2, reg_e

Psd2LiabilityFacts = psd2.LiabilityFacts
RegELiabilityFacts = reg_e.LiabilityFacts
assess_psd2_liability = psd2.liability
assess_reg_e_liability = reg_e.liability

NY = ZoneInfo("America/New_York")
US_BANK = Institution.us_bank()


def ny(m: int, d: int, h: int = 12) -> datetime:
    return datetime(2026, m, d, h, tzinfo=NY)


def tx(at: datetime, amount: int | str, *, preventable: bool = False) -> UnauthorizedTransfer:
    return UnauthorizedTransfer(
        at=at, amount=Decimal(amount), preventable_by_timely_notice=preventable
    )


# Friday 2026-03-06: the customer learns the card is gone; business days Mon 9 (1), Tue 10 (2).
LEARNED = ny(3, 6, 18)

REG_E_TABLE = [
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 6, 19), 300),),
            notified_at=ny(3, 9),
        ),
        LiabilityTier.REG_E_50,
        Decimal(50),
        id="1005.6(b)(1) card stolen, reported next business day, $300 taken -> $50",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 6, 19), 30),),
            notified_at=ny(3, 10, 23),
        ),
        LiabilityTier.REG_E_50,
        Decimal(30),
        id="1005.6(b)(1) reported late on business day 2, $30 taken -> $30 (the lesser)",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 7), 40), tx(ny(3, 11), 900, preventable=True)),
            notified_at=ny(3, 12),
        ),
        LiabilityTier.REG_E_500,
        Decimal(500),
        id="1005.6(b)(2) reported on business day 4, $40 + $900 preventable -> $500 cap",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 7), 100), tx(ny(3, 11), 200, preventable=True)),
            notified_at=ny(3, 12),
        ),
        LiabilityTier.REG_E_500,
        Decimal(250),
        id="1005.6(b)(2) late, $100 within 2 business days + $200 preventable after -> $250",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 7), 100), tx(ny(3, 11), 200)),
            notified_at=ny(3, 12),
        ),
        LiabilityTier.REG_E_500,
        Decimal(50),
        id="1005.6(b)(2) late, later transfers not shown preventable -> only the $50 part",
    ),
    pytest.param(
        RegELiabilityFacts(
            transfers=(tx(ny(1, 20), 80), tx(ny(4, 10), 1000, preventable=True)),
            statement_sent_at=ny(2, 1),
            notified_at=ny(4, 15),
        ),
        LiabilityTier.REG_E_UNLIMITED,
        Decimal(1000),
        id="1005.6(b)(3) no device lost, statement not reported in 60 days -> preventable"
        " transfers after the 60 days, unlimited",
    ),
    pytest.param(
        RegELiabilityFacts(
            transfers=(tx(ny(1, 20), 80), tx(ny(3, 10), 1000, preventable=True)),
            statement_sent_at=ny(2, 1),
            notified_at=ny(3, 20),
        ),
        LiabilityTier.NONE,
        Decimal(0),
        id="1005.6(b)(3) reported within 60 days of the statement, no device lost -> $0",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=ny(1, 15),
            transfers=(tx(ny(1, 16), 300), tx(ny(4, 10), 2000, preventable=True)),
            statement_sent_at=ny(2, 1),
            notified_at=ny(4, 15),
        ),
        LiabilityTier.REG_E_UNLIMITED,
        Decimal(2050),
        id="1005.6(b)(2)+(b)(3) tiers stack: $50 within 2 business days + $2000 after 60 days",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 7), 40), tx(ny(3, 11), 900, preventable=True)),
            notified_at=ny(3, 20),
            extended_until=ny(3, 25),
        ),
        LiabilityTier.REG_E_50,
        Decimal(50),
        id="1005.6(b)(4) hospitalization extends the limit: late notice counts as timely -> $50",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 7), 400),),
            notified_at=ny(3, 20),
            preconditions_met=False,
        ),
        LiabilityTier.NONE,
        Decimal(0),
        id="1005.6(a) disclosures not given -> no liability",
    ),
    pytest.param(
        RegELiabilityFacts(
            device_lost_or_stolen=True,
            learned_of_loss_at=LEARNED,
            transfers=(tx(ny(3, 9, 13), 400),),
            notified_at=ny(3, 9, 12),
        ),
        LiabilityTier.NONE,
        Decimal(0),
        id="1005.6(b) transfers after the notice are never the customer's",
    ),
    pytest.param(
        RegELiabilityFacts(
            transfers=(tx(ny(3, 7), 400),),
            notified_at=ny(3, 20),
            prepaid_unverified=True,
        ),
        LiabilityTier.REG_E_NOT_COVERED,
        Decimal(0),
        id="1005.18(e)(3) unverified prepaid account -> not covered by Regulation E",
    ),
]


@pytest.mark.parametrize(("facts", "tier", "liability"), REG_E_TABLE)
def test_reg_e_liability_table(facts, tier, liability):
    assessment = assess_reg_e_liability(facts, US_BANK)
    assert assessment.tier is tier
    assert assessment.customer_liability == liability


def test_unverified_prepaid_loss_is_reported_as_not_covered():
    facts = RegELiabilityFacts(
        transfers=(tx(ny(3, 7), 400),), notified_at=ny(3, 20), prepaid_unverified=True
    )
    assessment = assess_reg_e_liability(facts, US_BANK)
    assert assessment.not_covered == Decimal(400)
    assert assessment.institution_liability == 0
    assert assessment.rule_ids == ("REG_E_PREPAID_UNVERIFIED",)


def test_transfers_before_prepaid_verification_are_not_covered():
    """1005.18(e)(3), REG_E_PREPAID_VERIFIED_AFTER."""
    facts = RegELiabilityFacts(
        device_lost_or_stolen=True,
        learned_of_loss_at=LEARNED,
        transfers=(tx(ny(3, 1), 70), tx(ny(3, 7), 300)),
        notified_at=ny(3, 9),
        verified_at=ny(3, 5),
    )
    assessment = assess_reg_e_liability(facts, US_BANK)
    assert assessment.not_covered == Decimal(70)
    assert assessment.customer_liability == Decimal(50)
    assert assessment.institution_liability == Decimal(250)
    assert "REG_E_PREPAID_VERIFIED_AFTER" in assessment.rule_ids


def test_reg_e_assessment_cites_its_source():
    facts = REG_E_TABLE[0].values[0]
    assert isinstance(facts, RegELiabilityFacts)
    assessment = assess_reg_e_liability(facts, US_BANK)
    assert assessment.sources == ("12 CFR 1005.6(b)(1)",)
    assert assessment.rule_ids == ("REG_E_LIABILITY_TIER1_50",)


def test_lost_device_needs_the_moment_the_customer_learned_of_it():
    facts = RegELiabilityFacts(device_lost_or_stolen=True, transfers=(), notified_at=ny(3, 9))
    with pytest.raises(InvalidInputError):
        assess_reg_e_liability(facts, US_BANK)


def test_wrong_facts_type_is_an_invalid_input():
    with pytest.raises(InvalidInputError):
        assess_reg_e_liability("facts", US_BANK)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        assess_psd2_liability("facts")  # type: ignore[arg-type]


@pytest.mark.parametrize("amount", ["0", "-5", "NaN", "Infinity"])
def test_transfer_amounts_must_be_finite_and_positive(amount):
    with pytest.raises(
        InvalidInputError, match=r"amount: Input should be (greater than 0|a finite)"
    ):
        UnauthorizedTransfer(at=ny(3, 1), amount=Decimal(amount))


def test_naive_transfer_time_is_rejected():
    with pytest.raises(InvalidInputError):
        UnauthorizedTransfer(at=datetime(2026, 3, 1), amount=Decimal(1))


T0 = datetime(2026, 3, 1, tzinfo=UTC)
BEFORE = (tx(T0 - timedelta(days=1), 120),)
AFTER = (tx(T0 + timedelta(hours=1), 70),)

LOST = {"instrument_lost_stolen_or_misappropriated": True}

PSD2_TABLE = [
    pytest.param(
        LOST, BEFORE, LiabilityTier.PSD2_CAP, Decimal(50), id="PSD2 Art. 74(1) EUR 50 cap"
    ),
    pytest.param(
        {},
        BEFORE,
        LiabilityTier.NONE,
        Decimal(0),
        id="PSD2 Art. 73(1), 74(1) no lost, stolen or misappropriated instrument -> full refund",
    ),
    pytest.param(
        LOST,
        (tx(T0 - timedelta(days=1), 30),),
        LiabilityTier.PSD2_CAP,
        Decimal(30),
        id="PSD2 Art. 74(1) loss below the cap -> the loss",
    ),
    pytest.param(
        {**LOST, "cap": Decimal(35)},
        BEFORE,
        LiabilityTier.PSD2_CAP,
        Decimal(35),
        id="a transposition's own cap (35) as a custom cap",
    ),
    pytest.param(
        {"payer_fraud": True},
        BEFORE + AFTER,
        LiabilityTier.PSD2_FULL,
        Decimal(190),
        id="PSD2 Art. 74(1) 3rd subpara and 74(3) fraud -> all losses, even after notice",
    ),
    pytest.param(
        {"gross_negligence": True},
        BEFORE + AFTER,
        LiabilityTier.PSD2_FULL,
        Decimal(120),
        id="PSD2 Art. 74(1) 3rd subpara gross negligence -> all losses before notice",
    ),
    pytest.param(
        {**LOST, "loss_detectable": False},
        BEFORE,
        LiabilityTier.NONE,
        Decimal(0),
        id="PSD2 Art. 74(1)(a) loss not detectable before payment -> nothing",
    ),
    pytest.param(
        {**LOST, "caused_by_psp": True},
        BEFORE,
        LiabilityTier.NONE,
        Decimal(0),
        id="PSD2 Art. 74(1)(b) caused by the PSP's agent -> nothing",
    ),
    pytest.param(
        {"sca_required": False, "gross_negligence": True},
        BEFORE,
        LiabilityTier.NONE,
        Decimal(0),
        id="PSD2 Art. 74(2) no SCA required -> nothing, even if negligent",
    ),
    pytest.param(
        {"sca_required": False, "payer_fraud": True},
        BEFORE,
        LiabilityTier.PSD2_FULL,
        Decimal(120),
        id="PSD2 Art. 74(2) no SCA but payer fraud -> all losses",
    ),
    pytest.param(
        {},
        AFTER,
        LiabilityTier.NONE,
        Decimal(0),
        id="PSD2 Art. 74(3) after notification -> nothing",
    ),
    pytest.param(
        {"notification_means_provided": False},
        BEFORE,
        LiabilityTier.NONE,
        Decimal(0),
        id="PSD2 Art. 74(3) no means to notify at all times -> nothing",
    ),
]


@pytest.mark.parametrize(("flags", "transfers", "tier", "liability"), PSD2_TABLE)
def test_psd2_liability_table(flags, transfers, tier, liability):
    facts = Psd2LiabilityFacts(transfers=transfers, notified_at=T0, **flags)
    assessment = assess_psd2_liability(facts)
    assert assessment.tier is tier
    assert assessment.customer_liability == liability


def test_psd2_assessment_round_trips_through_json():
    a = assess_psd2_liability(Psd2LiabilityFacts(transfers=BEFORE, notified_at=T0))
    assert type(a).model_validate_json(a.model_dump_json()) == a


def test_negative_psd2_cap_is_rejected():
    with pytest.raises(InvalidInputError):
        Psd2LiabilityFacts(transfers=(), notified_at=T0, cap=Decimal(-1))


# --- properties ------------------------------------------------------------------------------

START = datetime(2026, 1, 1, tzinfo=UTC)
offsets = st.integers(min_value=0, max_value=200 * 24)  # hours after START
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(5000), places=2)
transfers = st.lists(
    st.builds(
        lambda h, a, p: tx(START + timedelta(hours=h), str(a), preventable=p),
        offsets,
        amounts,
        st.booleans(),
    ),
    max_size=6,
).map(tuple)


@st.composite
def reg_e_facts(draw: st.DrawFn) -> RegELiabilityFacts:
    lost = draw(st.booleans())
    return RegELiabilityFacts(
        transfers=draw(transfers),
        notified_at=START + timedelta(hours=draw(offsets)),
        device_lost_or_stolen=lost,
        learned_of_loss_at=START + timedelta(hours=draw(offsets)) if lost else None,
        statement_sent_at=draw(st.none() | offsets.map(lambda h: START + timedelta(hours=h))),
        preconditions_met=draw(st.booleans()),
    )


CAPS = {LiabilityTier.REG_E_50: Decimal(50), LiabilityTier.REG_E_500: Decimal(500)}


@settings(max_examples=80)
@given(facts=reg_e_facts())
def test_reg_e_liability_never_exceeds_the_tier_cap_or_the_loss(facts):
    a = assess_reg_e_liability(facts, US_BANK)
    assert 0 <= a.customer_liability <= a.loss
    assert a.customer_liability <= sum(
        (t.amount for t in facts.transfers if t.at < facts.notified_at), Decimal(0)
    )
    if a.tier in CAPS:
        assert a.customer_liability <= CAPS[a.tier]
    assert a.institution_liability >= 0


@settings(max_examples=80)
@given(facts=reg_e_facts(), delay=st.integers(min_value=0, max_value=100 * 24))
def test_reporting_later_never_lowers_reg_e_liability(facts, delay):
    later = facts.model_copy(update={"notified_at": facts.notified_at + timedelta(hours=delay)})
    earlier_liability = assess_reg_e_liability(facts, US_BANK).customer_liability
    assert assess_reg_e_liability(later, US_BANK).customer_liability >= earlier_liability


@st.composite
def psd2_facts(draw: st.DrawFn) -> Psd2LiabilityFacts:
    return Psd2LiabilityFacts(
        transfers=draw(transfers),
        notified_at=START + timedelta(hours=draw(offsets)),
        payer_fraud=draw(st.booleans()),
        gross_negligence=draw(st.booleans()),
        loss_detectable=draw(st.booleans()),
        caused_by_psp=draw(st.booleans()),
        sca_required=draw(st.booleans()),
        notification_means_provided=draw(st.booleans()),
        instrument_lost_stolen_or_misappropriated=draw(st.booleans()),
        cap=draw(st.decimals(min_value=0, max_value=100, places=2)),
    )


@settings(max_examples=80)
@given(facts=psd2_facts())
def test_psd2_liability_never_exceeds_the_cap_unless_fraud_or_negligence(facts):
    a = assess_psd2_liability(facts)
    assert 0 <= a.customer_liability <= a.loss
    if a.tier is not LiabilityTier.PSD2_FULL:
        assert a.customer_liability <= facts.cap
    else:
        assert facts.payer_fraud or facts.gross_negligence


@settings(max_examples=50)
@given(facts=psd2_facts(), delay=st.integers(min_value=0, max_value=100 * 24))
def test_reporting_later_never_lowers_psd2_liability(facts, delay):
    later = facts.model_copy(update={"notified_at": facts.notified_at + timedelta(hours=delay)})
    assert (
        assess_psd2_liability(later).customer_liability
        >= assess_psd2_liability(facts).customer_liability
    )

"""The kit's strategies: every drawn value validates, shrinks small, bad arguments fail fast."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from walletsupport.calendars import Schedule
from walletsupport.contact import Directory, SupportLine
from walletsupport.errors import InvalidInputError, NaiveDatetimeError
from walletsupport.issues import (
    IssueCategory,
    IssueRegistry,
    builtin_classifier,
    default_registry,
)
from walletsupport.policies.password import PasswordPolicy
from walletsupport.testing import strategies as ws
from walletsupport.values import CardBrand, CardExpiry, CardNumber, Cvc, Money, PhoneNumber
from walletsupport.workflows import CaseSnapshot
from walletsupport.workflows.ticket import TicketData

T0 = datetime(2026, 1, 5, 9, tzinfo=UTC)
#: Reaching a state is what we check; shrinking a long drive would only cost time.
NO_SHRINK = settings(phases=[Phase.generate], max_examples=200, database=None)


@given(ws.money())
def test_drawn_money_validates_and_round_trips(value: Money) -> None:
    assert Money.model_validate_json(value.model_dump_json()) == value


@given(ws.phone_numbers())
def test_drawn_phone_numbers_parse_back_to_themselves(phone: PhoneNumber) -> None:
    assert PhoneNumber.model_validate(phone.model_dump()) == phone


@given(ws.phone_numbers(short=True))
def test_short_numbers_are_short_and_never_emergency(phone: PhoneNumber) -> None:
    assert phone.is_short
    assert not phone.is_emergency
    assert phone.region is not None
    assert phone.is_dialable_from(phone.region)


@given(ws.phone_numbers(short=False, region="CN"))
def test_full_numbers_of_a_region_belong_to_it(phone: PhoneNumber) -> None:
    assert not phone.is_short
    assert phone.region == "CN"


@pytest.mark.parametrize("brand", list(CardBrand))
def test_card_numbers_have_the_asked_brand_and_a_valid_check_digit(brand: CardBrand) -> None:
    @settings(max_examples=15)
    @given(ws.card_numbers(brand))
    def check(card: CardNumber) -> None:
        assert card.brand is brand
        assert CardNumber.parse(card.reveal()) == card

    check()


@given(ws.card_numbers().flatmap(lambda c: st.tuples(st.just(c), ws.cvcs(c.brand))))
def test_cvcs_have_the_length_of_their_brand(pair: tuple[CardNumber, Cvc]) -> None:
    card, cvc = pair
    Cvc.parse(cvc.reveal(), brand=card.brand)  # raises if the length is wrong


@given(ws.card_expiries(at=T0, expired=True), ws.card_expiries(at=T0, expired=False))
def test_expiries_are_expired_or_valid_as_asked(old: CardExpiry, valid: CardExpiry) -> None:
    assert old.is_expired(T0)
    assert not valid.is_expired(T0)


@given(ws.passwords(strong=True), ws.passwords(strong=False))
def test_strong_passwords_pass_and_weak_ones_fail_the_policy(strong, weak) -> None:
    assert PasswordPolicy().check(strong).ok
    assert not PasswordPolicy().check(weak).ok


@given(ws.otp_codes(8))
def test_otp_codes_are_eight_ascii_digits(code: str) -> None:
    assert len(code) == 8
    assert code.isascii()
    assert code.isdigit()


@settings(max_examples=25)
@given(ws.schedules())
def test_drawn_schedules_round_trip_and_always_open_again(schedule: Schedule) -> None:
    assert Schedule.model_validate_json(schedule.model_dump_json()) == schedule
    opening = schedule.next_open(T0)
    assert schedule.is_open(opening)


@settings(max_examples=25)
@given(ws.schedules("Europe/London", adversarial=False))
def test_a_fixed_zone_is_kept(schedule: Schedule) -> None:
    assert schedule.zone == "Europe/London"


@settings(max_examples=20)
@given(ws.support_lines(region="CN"))
def test_support_lines_serve_their_region(line: SupportLine) -> None:
    assert line.serves("CN")
    assert line.dial_from("CN") is not None


@settings(max_examples=15)
@given(ws.directories())
def test_directories_validate_again(directory: Directory) -> None:
    assert Directory.model_validate(directory.model_dump()) == directory


@given(ws.issue_categories())
def test_issue_categories_come_from_the_registry(category: IssueCategory) -> None:
    assert category in default_registry()


@given(ws.new_issue_categories())
def test_new_categories_register_into_a_fresh_registry(category: IssueCategory) -> None:
    registry = default_registry()
    registry.register(category)
    assert registry.get(category.id) == category


@pytest.mark.parametrize(
    ("category_id", "language"), [("forgot_password", "en"), ("app_crash", "zh")]
)
def test_issue_messages_give_their_category_positive_evidence(category_id, language) -> None:
    @settings(max_examples=20, derandomize=True)  # a fixed sample: see the comment below
    @given(ws.issue_messages(category_id, language))
    def check(text: str) -> None:
        # a bare abbreviation ("pw") can rank low for the learned model, and a bare term may
        # read as "none of these"; on a fixed sample each term still raises its category
        # into the better half of the ranking
        model = builtin_classifier()
        probs = model.predict_proba(text)
        ranked = sorted(model.classes, key=lambda c: -probs[model.classes.index(c)])
        assert ranked.index(category_id) < len(ranked) // 2, ranked

    check()


@pytest.mark.parametrize("kind", ["ticket", "account_lock", "transaction_dispute"])
def test_case_snapshots_are_what_the_engine_stores(kind: str) -> None:
    @settings(max_examples=10, deadline=None)
    @given(ws.case_snapshots(kind, max_steps=6))
    def check(snapshot: CaseSnapshot) -> None:
        assert snapshot.kind == kind
        assert snapshot.version == len(snapshot.audit)
        assert CaseSnapshot.model_validate_json(snapshot.model_dump_json()) == snapshot

    check()


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        ("ticket", "closed"),
        ("account_lock", "pending_verification"),
        ("password_reset", "verified"),
        ("card_add", "active"),
        ("transaction_dispute", "escalated"),
        ("password_reset", "completed"),
        ("unauthorized_transaction", "closed"),
    ],
)
def test_case_snapshots_reach_an_asked_state_through_valid_commands(kind, state) -> None:
    snapshot = find(ws.case_snapshots(kind, state=state), lambda s: True, settings=NO_SHRINK)
    assert snapshot.state == state
    assert [e.version for e in snapshot.audit] == list(range(1, snapshot.version + 1))
    assert snapshot.audit[-1].to_state == state


@settings(max_examples=20, deadline=None)
@given(ws.commands("ticket", state="open"))
def test_commands_for_a_state_have_a_transition_out_of_it(command) -> None:
    assert command.event in {"reply", "ask_customer", "hold", "solve"}


@given(ws.models(TicketData))
def test_models_are_valid_instances(data: TicketData) -> None:
    assert TicketData.model_validate(data.model_dump()) == data


# --- shrinking ----------------------------------------------------------------------------


def test_money_shrinks_to_the_smallest_amount_asked_for() -> None:
    assert find(ws.money("EUR"), lambda m: m.amount >= 5).amount == 5


def test_card_numbers_shrink_to_a_short_simple_number() -> None:
    card = find(ws.card_numbers("visa"), lambda c: True)
    assert card.reveal().startswith("4")
    assert len(card.reveal()) == 13


def test_snapshots_shrink_to_the_fewest_commands() -> None:
    snapshot = find(ws.case_snapshots("ticket"), lambda s: s.state == "solved")
    assert snapshot.version == 3  # open, then two commands: the shortest path to solved


def test_schedules_shrink_to_plain_office_hours() -> None:
    schedule = find(ws.schedules(), lambda s: True)
    assert schedule.zone == "UTC"
    assert schedule.holidays == ()


# --- bad arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: ws.money("XYZ"),
        lambda: ws.money("USD", min_amount=5, max_amount=1),
        lambda: ws.money("USD", min_amount="lots"),
        lambda: ws.phone_numbers(region="UK"),
        lambda: ws.phone_numbers(short=True, region="JP"),
        lambda: ws.phone_numbers(short="yes"),  # type: ignore[arg-type]
        lambda: ws.card_numbers("bitcoin"),
        lambda: ws.cvcs("bitcoin"),
        lambda: ws.card_expiries(expired=True),
        lambda: ws.passwords(strong="yes"),  # type: ignore[arg-type]
        lambda: ws.passwords(policy="strict"),  # type: ignore[arg-type]
        lambda: ws.otp_codes(4),
        lambda: ws.issue_categories(registry=["not a registry"]),  # type: ignore[arg-type]
        lambda: ws.issue_messages("lost_dog"),
        lambda: ws.issue_messages("app_crash", "fr"),
        lambda: ws.new_issue_categories(group="gardening"),
        lambda: ws.schedules("Mars/Olympus_Mons"),
        lambda: ws.schedules(around="2026-01-05"),  # type: ignore[arg-type]
        lambda: ws.support_lines(region="XX"),
        lambda: ws.directories(max_lines=-1),
        lambda: ws.case_snapshots("no_such_workflow"),
        lambda: ws.case_snapshots("ticket", state="archived"),
        lambda: ws.case_snapshots("ticket", max_steps=1000),
        lambda: ws.case_snapshots("ticket", data={"subject": "x"}),  # type: ignore[arg-type]
        lambda: ws.commands("ticket", state="closed"),
        lambda: ws.commands("ticket", makers={"StartWork": "not callable"}),  # type: ignore[dict-item]
        lambda: ws.case_data(42),  # type: ignore[arg-type]
        lambda: ws.models(dict),  # type: ignore[type-var]
    ],
)
def test_bad_arguments_raise_invalid_input_at_once(make) -> None:
    with pytest.raises(InvalidInputError):
        make()


def test_a_naive_start_time_is_refused_at_once() -> None:
    with pytest.raises(NaiveDatetimeError):
        ws.case_snapshots("ticket", start_at=datetime(2026, 1, 5))


def test_a_strategy_that_cannot_be_built_fails_when_drawn_from() -> None:
    registry = IssueRegistry(
        [default_registry().get("app_crash").model_copy(update={"vocabulary": ()})]
    )
    strategy = ws.issue_messages("app_crash", registry=registry)  # fine to build
    with pytest.raises(InvalidInputError, match="no positive en terms"):
        find(strategy, lambda t: True)


def test_an_empty_registry_fails_when_drawn_from() -> None:
    strategy = ws.issue_categories(IssueRegistry())
    with pytest.raises(InvalidInputError, match="no categories"):
        find(strategy, lambda c: True)


def test_time_can_start_anywhere() -> None:
    start = T0 + timedelta(days=400)
    snapshot = find(ws.case_snapshots("ticket", start_at=start), lambda s: True)
    assert snapshot.created_at == start

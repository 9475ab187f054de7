"""LockoutPolicy: N failures within a window lock; cool-down or manual unlock; presets."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from walletsupport.errors import ConfigurationError, InvalidInputError, NaiveDatetimeError
from walletsupport.policies.lockout import LockoutDecision, LockoutPolicy

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def minutes(*ms: float) -> list[datetime]:
    return [T0 + timedelta(minutes=m) for m in ms]


def test_psd2_preset_locks_on_the_fifth_failure():
    policy = LockoutPolicy.psd2_rts()
    assert policy.max_failures == 5
    assert not policy.evaluate(minutes(0, 1, 2, 3), at=T0 + timedelta(minutes=4)).locked
    assert policy.evaluate(minutes(0, 1, 2, 3, 4), at=T0 + timedelta(minutes=4)).locked


def test_nist_preset_allows_at_most_one_hundred_failures():
    assert LockoutPolicy.nist().max_failures == 100
    assert LockoutPolicy.nist(20).max_failures == 20
    with pytest.raises(ConfigurationError):
        LockoutPolicy.nist(101)
    with pytest.raises(ConfigurationError):
        LockoutPolicy.nist(0)


def test_customer_is_warned_when_one_attempt_is_left():
    d = LockoutPolicy.psd2_rts().evaluate(minutes(0, 1, 2, 3), at=T0 + timedelta(minutes=5))
    assert d.remaining_attempts == 1
    assert d.warn


def test_temporary_lock_lifts_after_the_cool_down_with_a_fresh_count():
    policy = LockoutPolicy(max_failures=3, cooldown=timedelta(minutes=30))
    fails = minutes(0, 1, 2)
    locked = policy.evaluate(fails, at=T0 + timedelta(minutes=10))
    assert locked.locked
    assert locked.locked_until == T0 + timedelta(minutes=32)
    after = policy.evaluate(fails, at=T0 + timedelta(minutes=32))
    assert not after.locked
    assert after.remaining_attempts == 3


def test_failures_while_locked_do_not_extend_the_lock():
    policy = LockoutPolicy(max_failures=3, cooldown=timedelta(minutes=30))
    d = policy.evaluate(minutes(0, 1, 2, 10, 20, 25), at=T0 + timedelta(minutes=31))
    assert d.locked_until == T0 + timedelta(minutes=32)


def test_manual_lock_stays_until_unlocked():
    policy = LockoutPolicy(max_failures=3, cooldown=None)
    d = policy.evaluate(minutes(0, 1, 2), at=T0 + timedelta(days=365))
    assert d.locked
    assert d.manual_unlock_required
    assert d.locked_until is None


def test_failures_spread_beyond_the_window_do_not_lock():
    policy = LockoutPolicy(max_failures=3, window=timedelta(hours=1))
    assert not policy.evaluate(minutes(0, 50, 110), at=T0 + timedelta(minutes=111)).locked
    assert policy.evaluate(minutes(0, 50, 59), at=T0 + timedelta(minutes=60)).locked


def test_old_failures_leave_the_count_when_the_window_passes():
    policy = LockoutPolicy(max_failures=5, window=timedelta(hours=1))
    d = policy.evaluate(minutes(0, 1), at=T0 + timedelta(hours=2))
    assert d.failures_counted == 0
    assert d.remaining_attempts == 5


def test_failures_after_the_evaluation_instant_are_ignored():
    policy = LockoutPolicy.psd2_rts()
    d = policy.evaluate(minutes(0, 1, 2, 3, 4), at=T0 + timedelta(minutes=2))
    assert not d.locked
    assert d.failures_counted == 3


def test_bad_input_is_refused_with_typed_errors():
    policy = LockoutPolicy.psd2_rts()
    with pytest.raises(NaiveDatetimeError):
        policy.evaluate([datetime(2026, 1, 5)], at=T0)
    with pytest.raises(InvalidInputError):
        policy.evaluate(["yesterday"], at=T0)
    with pytest.raises(InvalidInputError):
        policy.evaluate(None, at=T0)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        LockoutPolicy.psd2_rts(window=timedelta(0))
    with pytest.raises(ConfigurationError):
        LockoutPolicy(max_failures=0)


def test_policy_and_decision_round_trip_through_json():
    policy = LockoutPolicy.psd2_rts()
    assert LockoutPolicy.model_validate_json(policy.model_dump_json()) == policy
    d = policy.evaluate(minutes(0, 1, 2, 3, 4), at=T0 + timedelta(minutes=5))
    assert LockoutDecision.model_validate_json(d.model_dump_json()) == d


policies = st.builds(
    LockoutPolicy,
    max_failures=st.integers(1, 8),
    window=st.one_of(st.none(), st.integers(1, 180).map(lambda m: timedelta(minutes=m))),
    cooldown=st.one_of(st.none(), st.integers(1, 120).map(lambda m: timedelta(minutes=m))),
)
failure_lists = st.lists(st.integers(0, 600).map(lambda m: T0 + timedelta(minutes=m)), max_size=20)
instants = st.integers(0, 900).map(lambda m: T0 + timedelta(minutes=m))


@given(policies, failure_lists, instants, st.randoms(use_true_random=False))
def test_the_order_of_failures_does_not_matter(policy, fails, at, rnd: random.Random):
    shuffled = list(fails)
    rnd.shuffle(shuffled)
    assert policy.evaluate(fails, at=at) == policy.evaluate(shuffled, at=at)


@given(policies, failure_lists, instants)
def test_fewer_failures_than_the_limit_never_lock(policy, fails, at):
    if len([f for f in fails if f <= at]) < policy.max_failures:
        assert not policy.evaluate(fails, at=at).locked


@given(policies, failure_lists, instants)
def test_an_unlocked_decision_accounts_for_every_attempt(policy, fails, at):
    d = policy.evaluate(fails, at=at)
    if d.locked:
        assert d.remaining_attempts == 0
        assert (d.locked_until is None) == d.manual_unlock_required
        if d.locked_until is not None:
            assert d.locked_until > at
    else:
        assert d.failures_counted + d.remaining_attempts == policy.max_failures
        assert d.remaining_attempts >= 1


@given(policies, instants)
def test_max_failures_at_one_instant_always_lock(policy, at):
    assert policy.evaluate([at] * policy.max_failures, at=at).locked
